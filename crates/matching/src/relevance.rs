//! How relevant one host is to one seeker: a score in `1..=100` and the reasons for it in words.
//!
//! The score is a sum of plain components (the host works in the seeker's target role, made the career change the
//! seeker wants, works in a target industry, shares skills, can teach what the seeker wants to learn, speaks the
//! same language, lives in the same region), each adding points and one reason. It is deterministic and does not
//! depend on the order of any list. Both recommendations and cohort rounds use it.

use std::collections::BTreeSet;

use crate::Vocabulary;

/// Host works now in one of the seeker's target roles.
const ROLE_NOW: u32 = 35;
/// Host's career went from the seeker's current (or earlier) field to the seeker's target.
const CAREER_CHANGE: u32 = 25;
/// Host once held a target role (and no longer does).
const ROLE_BEFORE: u32 = 12;
/// Host once stood where the seeker stands now, without (yet) reaching the seeker's target.
const SAME_START: u32 = 8;
/// Host works in a target industry.
const INDUSTRY: u32 = 15;
/// Per shared skill, up to [`SKILLS_MAX`].
const SKILL: u32 = 5;
const SKILLS_MAX: u32 = 15;
/// Per thing the seeker wants to learn that the host offers as a skill or topic, up to [`LEARN_MAX`].
const LEARN: u32 = 6;
const LEARN_MAX: u32 = 18;
/// A shared language other than English (nearly everyone on the site speaks English).
const LANGUAGE: u32 = 5;
/// Same region; worth more to a seeker who does not want to meet remotely.
const REGION: u32 = 5;
const REGION_LOCAL_ONLY: u32 = 10;

/// Words that say how senior a role is, not what it is, when they lead: "senior data scientist" is a data
/// scientist, "head of partnerships" works in partnerships.
const SENIORITY_WORDS: &[&str] = &[
    "senior",
    "junior",
    "lead",
    "principal",
    "staff",
    "chief",
    "associate",
    "assistant",
    "deputy",
    "trainee",
    "graduate",
    "intern",
    "head",
    "of",
    "sr",
    "jr",
];

/// Endings of company names that do not tell two employers apart.
const LEGAL_SUFFIXES: &[&str] =
    &["inc", "incorporated", "ltd", "limited", "llc", "plc", "gmbh", "ag", "sa", "corp", "corporation", "co", "the"];

/// What matching knows of a seeker.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeekerFacts {
    pub target_roles: Vec<String>,
    pub target_industries: Vec<String>,
    pub current_role: String,
    pub previous_roles: Vec<String>,
    pub current_employer: String,
    pub skills: Vec<String>,
    pub languages: Vec<String>,
    pub region: String,
    pub remote_ok: bool,
    pub learn_topics: Vec<String>,
    /// Interviews the seeker has already had; not part of [`relevance`], there for fairness weights in rounds.
    pub interviews_had: u32,
}

/// What matching knows of a host.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostFacts {
    pub current_role: String,
    pub previous_roles: Vec<String>,
    pub industry: String,
    pub employer: String,
    pub skills: Vec<String>,
    pub topics: Vec<String>,
    pub languages: Vec<String>,
    pub region: String,
    pub seniority: String,
}

/// A relevance score in `1..=100` with its reasons, strongest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relevance {
    pub score: u8,
    pub reasons: Vec<String>,
    /// Some reason is about work (role, career path, industry, skills, what to learn), not only a shared
    /// language or region: recommendations list only such hosts.
    pub about_work: bool,
}

/// How relevant `host` is to `seeker`. Always at least 1 (an allowed pair is worth something), at most 100.
///
/// ```
/// use coffeechat_matching::{HostFacts, SeekerFacts, Vocabulary, relevance};
///
/// let seeker = SeekerFacts {
///     current_role: "Chemistry teacher".into(),
///     target_roles: vec!["PM".into()],
///     skills: vec!["SQL".into()],
///     ..SeekerFacts::default()
/// };
/// let host = HostFacts {
///     current_role: "Product manager".into(),
///     previous_roles: vec!["Secondary-school teacher".into()],
///     industry: "Software".into(),
///     skills: vec!["sql".into(), "Roadmapping".into()],
///     ..HostFacts::default()
/// };
/// let found = relevance(&seeker, &host, Vocabulary::standard());
/// assert_eq!(found.reasons[0], "works as a product manager, your target role");
/// assert_eq!(found.reasons[1], "moved from secondary-school teacher into product manager, the change you want to make");
/// assert!(found.reasons.contains(&"shares sql".to_owned()));
/// ```
pub fn relevance(seeker: &SeekerFacts, host: &HostFacts, vocab: &Vocabulary) -> Relevance {
    let mut points = 1;
    let mut reasons = Vec::new();

    let targets: Vec<Vec<String>> = role_cores(&seeker.target_roles, vocab);
    let target_industries: Vec<Vec<String>> =
        seeker.target_industries.iter().map(|i| vocab.normalised_words(i)).collect();
    let host_role = role_core(&host.current_role, vocab);
    let host_industry = vocab.normalised_words(&host.industry);

    // The host's current role or industry is where the seeker wants to go.
    let role_is_target = targets.iter().any(|target| overlaps(target, &host_role));
    let industry_is_target = target_industries.iter().any(|target| overlaps(target, &host_industry));
    if role_is_target {
        points += ROLE_NOW;
        reasons.push(format!("works as {}, your target role", with_article(&prose(&host.current_role))));
    }

    // Career changers: the host walked the path the seeker wants to walk.
    let seeker_field: Vec<Vec<String>> =
        role_cores(std::iter::once(&seeker.current_role).chain(&seeker.previous_roles), vocab);
    let host_came_from = first_sorted(host.previous_roles.iter().filter(|previous| {
        let previous = role_core(previous, vocab);
        seeker_field.iter().any(|field| overlaps(field, &previous))
    }));
    // A host still in the seeker's field (a teacher who became a deputy head) made no change.
    let still_in_field = seeker_field.iter().any(|field| overlaps(field, &host_role));
    match host_came_from {
        Some(from) if role_is_target => {
            points += CAREER_CHANGE;
            let into = prose(&host.current_role);
            reasons.push(format!("moved from {} into {into}, the change you want to make", prose(from)));
        }
        Some(from) if industry_is_target && !still_in_field => {
            points += CAREER_CHANGE;
            let into = prose(&host.industry);
            reasons.push(format!("moved from {} into {into}, where you want to work", prose(from)));
        }
        Some(from) => {
            points += SAME_START;
            reasons.push(format!("started out as {}, like you", with_article(&prose(from))));
        }
        None => {}
    }

    if !role_is_target {
        let was_target = first_sorted(host.previous_roles.iter().filter(|previous| {
            let previous = role_core(previous, vocab);
            targets.iter().any(|target| overlaps(target, &previous))
        }));
        if let Some(was) = was_target {
            points += ROLE_BEFORE;
            reasons.push(format!("worked as {}, one of your target roles", with_article(&prose(was))));
        }
    }

    if industry_is_target {
        points += INDUSTRY;
        reasons.push(format!("works in {}, an industry you are aiming for", prose(&host.industry)));
    }

    // Skills both list, in the host's spelling.
    let seeker_skills: BTreeSet<String> = normalised_set(&seeker.skills, vocab);
    let shared_skills = distinct_in(&host.skills, vocab, |skill| seeker_skills.contains(skill));
    if !shared_skills.is_empty() {
        points += (SKILL * count(&shared_skills)).min(SKILLS_MAX);
        reasons.push(format!("shares {}", list(&shared_skills)));
    }

    // What the seeker wants to learn, found among the host's skills and topics (as a phrase inside them).
    let offered: Vec<Vec<String>> =
        host.skills.iter().chain(&host.topics).map(|offer| vocab.normalised_words(offer)).collect();
    let learnable = distinct_in(&seeker.learn_topics, vocab, |wish| {
        let wish: Vec<String> = wish.split(' ').map(str::to_owned).collect();
        offered.iter().any(|offer| contains_phrase(offer, &wish))
    });
    if !learnable.is_empty() {
        points += (LEARN * count(&learnable)).min(LEARN_MAX);
        reasons.push(format!("can tell you about {}, which you want to learn", list(&learnable)));
    }

    let about_work = !reasons.is_empty();

    let seeker_languages = normalised_set(&seeker.languages, vocab);
    let english = vocab.normalise("English");
    let shared_languages =
        distinct_in(&host.languages, vocab, |language| *language != english && seeker_languages.contains(language));
    if !shared_languages.is_empty() {
        points += LANGUAGE;
        reasons.push(format!("speaks {}", list(&shared_languages)));
    }

    if vocab.same(&seeker.region, &host.region) {
        if seeker.remote_ok {
            points += REGION;
            reasons.push("in your region".to_owned());
        } else {
            points += REGION_LOCAL_ONLY;
            reasons.push("in your region, for meeting in person".to_owned());
        }
    }

    Relevance { score: u8::try_from(points.clamp(1, 100)).unwrap_or(100), reasons, about_work }
}

/// Whether the seeker works for the host's employer (after normalising names and dropping "Ltd", "Inc" and the
/// like). Rounds and recommendations never pair them: a conversation with a colleague is not what the site is for.
pub fn same_employer(seeker: &SeekerFacts, host: &HostFacts, vocab: &Vocabulary) -> bool {
    let employer = |name: &str| -> Vec<String> {
        vocab.normalised_words(name).into_iter().filter(|word| !LEGAL_SUFFIXES.contains(&word.as_str())).collect()
    };
    let seeker_employer = employer(&seeker.current_employer);
    !seeker_employer.is_empty() && seeker_employer == employer(&host.employer)
}

/// A role without the leading words that only say how senior it is ("senior", "head of"). Only leading ones: a
/// trailing "associate" or "assistant" is part of what the job is ("sales associate" is no kind of sales).
fn role_core(role: &str, vocab: &Vocabulary) -> Vec<String> {
    vocab.normalised_words(role).into_iter().skip_while(|word| SENIORITY_WORDS.contains(&word.as_str())).collect()
}

fn role_cores<'a>(roles: impl IntoIterator<Item = &'a String>, vocab: &Vocabulary) -> Vec<Vec<String>> {
    roles.into_iter().map(|role| role_core(role, vocab)).filter(|core| !core.is_empty()).collect()
}

/// Two names overlap when one, as a run of words, lies inside the other: "data scientist" and "data scientist
/// and team lead", "teacher" and "chemistry teacher".
fn overlaps(a: &[String], b: &[String]) -> bool {
    !a.is_empty() && !b.is_empty() && (contains_phrase(a, b) || contains_phrase(b, a))
}

fn contains_phrase(haystack: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|window| window == needle)
}

fn normalised_set(items: &[String], vocab: &Vocabulary) -> BTreeSet<String> {
    items.iter().map(|item| vocab.normalise(item)).filter(|item| !item.is_empty()).collect()
}

/// The items (in their own spelling, trimmed) whose normalised form passes `keep`, each meaning once, sorted by
/// meaning so that the order of the input never changes the result.
fn distinct_in(items: &[String], vocab: &Vocabulary, keep: impl Fn(&String) -> bool) -> Vec<String> {
    let mut found: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    for item in items {
        let normalised = vocab.normalise(item);
        if !normalised.is_empty() && keep(&normalised) {
            let spelling = item.trim().to_owned();
            found
                .entry(normalised)
                .and_modify(|kept| {
                    if spelling < *kept {
                        kept.clone_from(&spelling);
                    }
                })
                .or_insert(spelling);
        }
    }
    found.into_values().collect()
}

/// The alphabetically first of some names (trimmed), so reasons never depend on list order.
fn first_sorted<'a>(names: impl Iterator<Item = &'a String>) -> Option<&'a str> {
    names.map(|name| name.trim()).filter(|name| !name.is_empty()).min()
}

fn count(items: &[String]) -> u32 {
    u32::try_from(items.len()).unwrap_or(u32::MAX)
}

/// "SQL, statistics and Python".
fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Capitalised words that stay capitalised inside a sentence ("an English teacher").
const PROPER_WORDS: &[&str] = &[
    "English",
    "Spanish",
    "French",
    "German",
    "Portuguese",
    "Italian",
    "Dutch",
    "Polish",
    "Arabic",
    "Chinese",
    "Mandarin",
    "Japanese",
    "Korean",
    "Hindi",
    "Swahili",
    "Yoruba",
    "Latin",
    "European",
    "African",
    "Asian",
    "American",
    "British",
    "Irish",
    "Python",
    "Java",
    "JavaScript",
    "TypeScript",
    "Rust",
    "Go",
    "Excel",
    "Swift",
    "Kotlin",
    "Linux",
];

/// A job title or industry as it reads inside a sentence: ordinary words in lower case, acronyms and names with
/// capitals inside them ("UX", "iOS", "SQL") and proper words ("English") kept.
fn prose(text: &str) -> String {
    text.split_whitespace()
        .map(|word| {
            let inner_capital = word.chars().skip(1).any(char::is_uppercase);
            let proper = PROPER_WORDS.contains(&word.trim_matches(|c: char| !c.is_alphanumeric()));
            if proper || inner_capital || (word.chars().all(|c| !c.is_lowercase()) && word.chars().count() > 1) {
                word.to_owned()
            } else {
                word.to_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// "a data scientist", "an engineering manager", "an SRE".
fn with_article(phrase: &str) -> String {
    let first_word = phrase.split_whitespace().next().unwrap_or_default();
    let acronym = first_word.chars().count() > 1 && first_word.chars().all(|c| !c.is_lowercase());
    let vowel_sound = match first_word.chars().next() {
        Some(c) if acronym => "AEFHILMNORSX".contains(c.to_ascii_uppercase()),
        Some(c) => {
            // "a user researcher", "a university lecturer", "a European …", "a one-person …".
            let lower = first_word.to_lowercase();
            let consonant_sound = ["us", "uni", "eu", "one"].iter().any(|start| lower.starts_with(start));
            "aeiou".contains(c.to_ascii_lowercase()) && !consonant_sound
        }
        None => false,
    };
    if vowel_sound { format!("an {phrase}") } else { format!("a {phrase}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    fn teacher_wanting_ux() -> SeekerFacts {
        SeekerFacts {
            target_roles: strings(&["UX researcher"]),
            target_industries: strings(&["Tech"]),
            current_role: "Primary school teacher".into(),
            previous_roles: strings(&["Teaching assistant"]),
            current_employer: "Hillside Primary School".into(),
            skills: strings(&["Interviewing", "Stats"]),
            languages: strings(&["English", "Spanish"]),
            region: "Europe".into(),
            remote_ok: true,
            learn_topics: strings(&["usability testing", "portfolio"]),
            interviews_had: 0,
        }
    }

    fn ux_researcher_who_taught() -> HostFacts {
        HostFacts {
            current_role: "Lead UX researcher".into(),
            previous_roles: strings(&["Secondary school teacher"]),
            industry: "Software".into(),
            employer: "Fernwood Apps Ltd".into(),
            skills: strings(&["User research", "Usability testing", "Interviewing", "Statistics"]),
            topics: strings(&["Building a research portfolio"]),
            languages: strings(&["English", "Español"]),
            region: "EU".into(),
            seniority: "Lead".into(),
        }
    }

    #[test]
    fn a_career_changer_finds_the_host_who_made_their_move() {
        let found = relevance(&teacher_wanting_ux(), &ux_researcher_who_taught(), Vocabulary::standard());
        assert_eq!(
            found.reasons,
            [
                "works as a lead UX researcher, your target role",
                "moved from secondary school teacher into lead UX researcher, the change you want to make",
                "works in software, an industry you are aiming for",
                "shares Interviewing and Statistics",
                "can tell you about portfolio and usability testing, which you want to learn",
                "speaks Español",
                "in your region",
            ]
        );
        assert_eq!(found.score, 100);
    }

    #[test]
    fn each_component_adds_its_points() {
        let vocab = Vocabulary::standard();
        let seeker = teacher_wanting_ux();
        let bare = HostFacts { current_role: "Florist".into(), ..HostFacts::default() };
        assert_eq!(relevance(&seeker, &bare, vocab), Relevance { score: 1, reasons: vec![], about_work: false });
        let role_only = HostFacts { current_role: "UX Research".into(), ..HostFacts::default() };
        assert_eq!(relevance(&seeker, &role_only, vocab).score, 36);
        let taught = HostFacts { previous_roles: strings(&["teacher"]), ..bare.clone() };
        let found = relevance(&seeker, &taught, vocab);
        assert_eq!((found.score, found.reasons[0].as_str()), (9, "started out as a teacher, like you"));
        let was_target = HostFacts { previous_roles: strings(&["user researcher"]), ..bare.clone() };
        let found = relevance(&seeker, &was_target, vocab);
        assert_eq!(found.score, 13);
        assert_eq!(found.reasons, ["worked as a user researcher, one of your target roles"]);
        let skills = HostFacts { skills: strings(&["stats", "interviewing", "statistics", "knitting"]), ..bare };
        let found = relevance(&seeker, &skills, vocab);
        assert_eq!((found.score, found.reasons[0].as_str()), (11, "shares interviewing and statistics"));
    }

    #[test]
    fn a_move_into_the_target_industry_counts_as_the_change() {
        let seeker = SeekerFacts {
            current_role: "Registered nurse".into(),
            target_industries: strings(&["Technology"]),
            ..SeekerFacts::default()
        };
        let host = HostFacts {
            current_role: "Clinical informatics specialist".into(),
            previous_roles: strings(&["ICU nurse", "Charge nurse"]),
            industry: "Software".into(),
            ..HostFacts::default()
        };
        let found = relevance(&seeker, &host, Vocabulary::standard());
        assert_eq!(found.reasons[0], "moved from charge nurse into software, where you want to work");
        assert_eq!(found.score, 1 + CAREER_CHANGE as u8 + INDUSTRY as u8);
    }

    #[test]
    fn a_host_still_in_the_seekers_field_made_no_change() {
        let seeker = SeekerFacts {
            current_role: "Secondary school teacher".into(),
            target_industries: strings(&["Education"]),
            ..SeekerFacts::default()
        };
        let host = HostFacts {
            current_role: "Deputy head teacher".into(),
            previous_roles: strings(&["English teacher"]),
            industry: "Education".into(),
            ..HostFacts::default()
        };
        let found = relevance(&seeker, &host, Vocabulary::standard());
        assert_eq!(
            found.reasons,
            ["started out as an English teacher, like you", "works in education, an industry you are aiming for"]
        );
    }

    #[test]
    fn only_leading_seniority_words_are_dropped() {
        let vocab = Vocabulary::standard();
        assert_eq!(role_core("Senior data scientist", vocab), ["data", "scientist"]);
        assert_eq!(role_core("Head of partnerships", vocab), ["partnerships"]);
        assert_eq!(role_core("Sales associate", vocab), ["sales", "associate"]);
        let seeker = SeekerFacts { current_role: "Sales associate".into(), ..SeekerFacts::default() };
        let host = HostFacts { previous_roles: strings(&["Software sales executive"]), ..HostFacts::default() };
        assert!(relevance(&seeker, &host, vocab).reasons.is_empty());
    }

    #[test]
    fn language_and_region_alone_are_not_about_work() {
        let vocab = Vocabulary::standard();
        let seeker = SeekerFacts {
            languages: strings(&["Spanish"]),
            region: "Europe".into(),
            skills: strings(&["SQL"]),
            ..SeekerFacts::default()
        };
        let host = HostFacts { languages: strings(&["Spanish"]), region: "Europe".into(), ..HostFacts::default() };
        let found = relevance(&seeker, &host, vocab);
        assert_eq!((found.score, found.about_work), (16, false));
        let host = HostFacts { skills: strings(&["sql"]), ..host };
        assert!(relevance(&seeker, &host, vocab).about_work);
    }

    #[test]
    fn in_person_seekers_value_their_region_more() {
        let vocab = Vocabulary::standard();
        let host = HostFacts { region: "UK".into(), ..HostFacts::default() };
        let mut seeker = SeekerFacts { region: "Britain".into(), remote_ok: true, ..SeekerFacts::default() };
        assert_eq!(relevance(&seeker, &host, vocab).score, 6);
        seeker.remote_ok = false;
        assert_eq!(relevance(&seeker, &host, vocab).score, 11);
        seeker.region = String::new();
        assert_eq!(relevance(&seeker, &HostFacts::default(), vocab).score, 1);
    }

    #[test]
    fn english_alone_is_not_a_reason() {
        let vocab = Vocabulary::standard();
        let seeker = SeekerFacts { languages: strings(&["english", "Polish"]), ..SeekerFacts::default() };
        let host = HostFacts { languages: strings(&["English"]), ..HostFacts::default() };
        assert_eq!(relevance(&seeker, &host, vocab).score, 1);
        let host = HostFacts { languages: strings(&["English", "polski"]), ..HostFacts::default() };
        assert_eq!(relevance(&seeker, &host, vocab).reasons, ["speaks polski"]);
    }

    #[test]
    fn employers_compare_without_case_or_legal_suffixes() {
        let vocab = Vocabulary::standard();
        let seeker = SeekerFacts { current_employer: "fernwood apps".into(), ..SeekerFacts::default() };
        assert!(same_employer(&seeker, &ux_researcher_who_taught(), vocab));
        let other = HostFacts { employer: "Fernwood Bank".into(), ..HostFacts::default() };
        assert!(!same_employer(&seeker, &other, vocab));
        let unemployed = SeekerFacts::default();
        assert!(!same_employer(&unemployed, &HostFacts::default(), vocab));
    }

    #[test]
    fn articles_and_prose() {
        assert_eq!(with_article("engineering manager"), "an engineering manager");
        assert_eq!(with_article("SRE"), "an SRE");
        assert_eq!(with_article("UX researcher"), "a UX researcher");
        assert_eq!(with_article("user researcher"), "a user researcher");
        assert_eq!(with_article("urban planner"), "an urban planner");
        assert_eq!(prose("Senior iOS Developer"), "senior iOS developer");
        assert_eq!(prose("English Teacher"), "English teacher");
        assert_eq!(list(&strings(&["a", "b", "c"])), "a, b and c");
    }
}
