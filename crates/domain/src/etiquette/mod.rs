//! The etiquette check: before a request is sent, what a host would object to, sentence by sentence, with a
//! kinder way to say it.
//!
//! Busy professionals say yes to informational interviews when the seeker respects the conversation for what
//! it is: a short talk about the host's work. They say no, or regret saying yes, when a request pitches the
//! seeker, asks for the inside track, turns the talk into a job search, vents about an employer or asks for
//! more time than was offered. Each of those is a [`Rule`].
//!
//! The check is rule-based so that every finding can be explained: each rule is a list of readable patterns
//! (in `patterns.rs`), each with a comment saying what the host objects to and a suggestion in our own words.
//! A pattern counts only inside its clause and only when it is not negated there, so "I'm not asking for a
//! job" and "I know you can't refer me" pass while "could you refer me?" does not. It is English only.
//!
//! ```
//! use coffeechat_domain::etiquette::{Rule, check_request};
//!
//! let questions = vec!["Which jobs are open on your team?".to_owned(), "How did you get your job?".to_owned()];
//! let findings = check_request("I'm not asking for a job; I'd like to learn about your work.", &questions, Some(30));
//! assert_eq!(findings.len(), 1);
//! assert_eq!(findings[0].rule, Rule::InsideTrack);
//! assert_eq!(findings[0].text, "Which jobs are open on your team?");
//! ```

mod duration;
mod patterns;
mod sentences;

use std::collections::HashSet;
use std::fmt;
use std::sync::LazyLock;

use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};

use crate::policy::MeetingLength;
use patterns::PatternSpec;

/// Something a host would object to in a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// Selling oneself: "hire me", an attached résumé, a long list of achievements.
    Pitching,
    /// Asking which jobs are open, for a referral, a good word, or an edge at the host's employer.
    InsideTrack,
    /// Turning the conversation into a job search: "help me get a job", "I'm looking for a position".
    JobDevelopment,
    /// Complaining about a boss, colleagues or an employer.
    Venting,
    /// Asking for more time than the host offers.
    OverTime,
}

impl Rule {
    pub const ALL: [Rule; 5] = [Rule::Pitching, Rule::InsideTrack, Rule::JobDevelopment, Rule::Venting, Rule::OverTime];

    /// The name used in the API (`"inside_track"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Pitching => "pitching",
            Rule::InsideTrack => "inside_track",
            Rule::JobDevelopment => "job_development",
            Rule::Venting => "venting",
            Rule::OverTime => "over_time",
        }
    }

    /// A short heading for the seeker.
    pub fn title(self) -> &'static str {
        match self {
            Rule::Pitching => "Pitching yourself",
            Rule::InsideTrack => "Asking for the inside track",
            Rule::JobDevelopment => "Turning the talk into a job search",
            Rule::Venting => "Venting about work",
            Rule::OverTime => "Asking for more time than offered",
        }
    }

    /// Why a host minds, in their words.
    pub fn host_view(self) -> &'static str {
        match self {
            Rule::Pitching => "I agreed to talk about my work, not to hear an application.",
            Rule::InsideTrack => "I'm not a job board, and this isn't an insider hour on getting hired here.",
            Rule::JobDevelopment => "I can share how my field works; I can't run your job search.",
            Rule::Venting => "How you speak of your employer tells me how you'd speak of mine.",
            Rule::OverTime => "When I offer half an hour, that is the time I have.",
        }
    }

    /// What the rule looks for, one line per pattern: the explanation behind every finding.
    pub fn looks_for(self) -> Vec<&'static str> {
        let mut lines: Vec<&'static str> = patterns::RULES
            .iter()
            .filter(|spec| spec.rule == self)
            .flat_map(|spec| spec.patterns.iter().map(|pattern| pattern.why))
            .collect();
        match self {
            Rule::Pitching => lines.push(patterns::LONG_SELF_DESCRIPTION_WHY),
            Rule::OverTime => lines.push(patterns::NAMED_LENGTH_WHY),
            Rule::InsideTrack | Rule::JobDevelopment | Rule::Venting => {}
        }
        lines
    }

    /// # Errors
    /// A message listing the rules when `raw` is not one of them.
    pub fn parse(raw: &str) -> Result<Self, String> {
        Rule::ALL.into_iter().find(|rule| rule.as_str() == raw.trim()).ok_or_else(|| {
            format!("'{raw}' is not a rule; use pitching, inside_track, job_development, venting or over_time")
        })
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One sentence a host would object to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Finding {
    /// The sentence as the seeker wrote it (whitespace collapsed, list markers removed).
    pub text: String,
    pub rule: Rule,
    /// How to say it instead.
    pub suggestion: String,
}

/// Achievements in one sentence that make it a pitch on its own.
pub const ACHIEVEMENTS_PER_SENTENCE: usize = 3;
/// Achievements across a whole request that make it a long self-description.
pub const ACHIEVEMENTS_PER_REQUEST: usize = 4;

/// What a host would object to in a request's `purpose` and `questions`, sentence by sentence, in the order
/// written; an empty list when all is well. `offered_minutes` is the length the host offers; without it, a
/// request may name up to the longest length Coffeechat offers (45 minutes).
///
/// A sentence can break more than one rule; it then has one finding per rule.
pub fn check_request(purpose: &str, questions: &[String], offered_minutes: Option<u16>) -> Vec<Finding> {
    let engine = &*ENGINE;
    let longest = MeetingLength::ALL.iter().map(|length| length.minutes()).max().unwrap_or(45);
    let allowed = u32::from(offered_minutes.unwrap_or(longest));
    let offered = match offered_minutes {
        Some(minutes) => format!("the {minutes} minutes"),
        None => "the time".to_owned(),
    };
    let written: Vec<Sentence> = std::iter::once(purpose)
        .chain(questions.iter().map(String::as_str))
        .flat_map(sentences::sentences)
        .map(Sentence::new)
        .collect();
    let achievements: Vec<usize> =
        written.iter().map(|sentence| engine.achievements.find_iter(&sentence.normalised).count()).collect();
    let long_self_description = achievements.iter().sum::<usize>() >= ACHIEVEMENTS_PER_REQUEST;

    let mut seen = HashSet::new();
    let mut findings = Vec::new();
    for (sentence, &achieved) in written.iter().zip(&achievements) {
        let mut broken = engine.rules_broken(&sentence.normalised, allowed);
        let pitched = broken.iter().any(|(rule, _)| *rule == Rule::Pitching);
        if !pitched && (achieved >= ACHIEVEMENTS_PER_SENTENCE || (long_self_description && achieved > 0)) {
            broken.push((Rule::Pitching, patterns::SELF_DESCRIPTION));
        }
        broken.sort_by_key(|(rule, _)| *rule);
        for (rule, suggestion) in broken {
            if seen.insert((sentence.text.clone(), rule)) {
                findings.push(Finding {
                    text: sentence.text.clone(),
                    rule,
                    suggestion: suggestion.replace("{offered}", &offered),
                });
            }
        }
    }
    findings
}

/// A sentence as written and as the patterns read it.
struct Sentence {
    text: String,
    normalised: String,
}

impl Sentence {
    fn new(text: String) -> Self {
        let normalised = normalise(&text);
        Sentence { text, normalised }
    }
}

/// Lower case, straight apostrophes and quotes, accents folded: "I’d send my Résumé" → "i'd send my resume".
fn normalise(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            '’' | '‘' | '`' | '´' | 'ʼ' | '′' => '\'',
            '“' | '”' | '„' | '«' | '»' => '"',
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            '\u{a0}' => ' ',
            other => other,
        })
        .collect()
}

/// A pattern ready to run.
struct CompiledPattern {
    rule: Rule,
    spec: &'static PatternSpec,
    trigger: Regex,
    /// Whether the trigger marks its objectionable words with a group named `t`.
    marks_trigger: bool,
    context: Option<Regex>,
    except: Option<Regex>,
}

/// Every pattern, compiled once for the life of the process.
struct Engine {
    patterns: Vec<CompiledPattern>,
    /// All triggers at once: one pass over a sentence tells which patterns need a closer look.
    triggers: RegexSet,
    /// Where a clause starts, for the reach of a negation.
    scope_boundary: Regex,
    /// What a single pattern match may not run across.
    span_boundary: Regex,
    negation: Regex,
    /// Phrases with a negative word that do not negate what follows ("not sure whether", "no pressure").
    not_a_negation: Regex,
    /// A negation right after the trigger: "a referral is not what I'm after".
    negated_after: Regex,
    achievements: Regex,
    meeting: Regex,
}

static ENGINE: LazyLock<Engine> = LazyLock::new(Engine::new);

fn compile(pattern: &str) -> Regex {
    // Every pattern is a constant of this module, and the tests compile them all; a bad one is a bug here.
    Regex::new(pattern).unwrap_or_else(|error| panic!("etiquette pattern does not compile: {error}"))
}

/// Compiles a trigger. Its words are ASCII (sentences are lower-cased and accent-folded first), and ASCII
/// `\w` and `\b` keep the compiled set of several hundred alternatives small and fast.
fn compile_ascii(pattern: &str) -> Regex {
    RegexBuilder::new(pattern)
        .unicode(false)
        .build()
        .unwrap_or_else(|error| panic!("etiquette pattern does not compile: {error}"))
}

impl Engine {
    fn new() -> Self {
        let mut patterns = Vec::new();
        for rule in patterns::RULES {
            for spec in rule.patterns {
                let trigger = compile_ascii(spec.trigger);
                let marks_trigger = trigger.capture_names().any(|name| name == Some("t"));
                patterns.push(CompiledPattern {
                    rule: rule.rule,
                    spec,
                    trigger,
                    marks_trigger,
                    context: spec.context.map(compile),
                    except: spec.except.map(compile),
                });
            }
        }
        let triggers = RegexSetBuilder::new(patterns.iter().map(|pattern| pattern.spec.trigger))
            .unicode(false)
            .build()
            .unwrap_or_else(|error| panic!("etiquette triggers do not compile together: {error}"));
        Engine {
            patterns,
            triggers,
            scope_boundary: compile(
                r#"[,;:()\[\]—–!?"]|\s-\s|\b(?:but|though|although|whereas|while|except)\b|\band (?:i|i'm|i'd|i've|i'll|you|we|my|it|they|could|would|can|will|maybe|perhaps|also|then|if|please)\b"#,
            ),
            // A comma in a list ("a driven, results-oriented professional") does not end a clause; one before
            // a conjunction or a new subject does.
            span_boundary: compile(
                r"[;:()\[\]—–!?]|,\s*(?:but|and|so|or|yet|i|i'm|i'd|i've|i'll|you|we|they|he|she|it|which|who|that|because|if|when|although|though|while|since|as|then|please|could|would|can|will)\b|\s-\s|\b(?:but|though|although|whereas)\b",
            ),
            negation: compile(
                r"\b(?:not|no|never|nor|neither|without|cannot)\b|n't\b|\b(?:rather than|instead of|other than|far from|the last thing|avoid|refrain from)\b",
            ),
            not_a_negation: compile(
                r"\bnot (?:only|just|sure|certain)\b|\bno (?:matter|longer|pressure|worries|obligation|rush|problem|doubt)\b|\b(?:don't|do not|didn't|did not) know (?:if|whether|how|what|who|where|when)\b|\b(?:wouldn't|don't|do not|would not) mind\b|\bif not\b|\bnot too much (?:trouble|to ask)\b|\bwhy (?:not|wouldn't|would not|don't|doesn't|isn't)\b|\bcan't wait\b|\bcannot wait\b|\bcan't help\b",
            ),
            negated_after: compile(
                r"^\s*(?:is|was|are|would be|will be)\s+(?:not|never)\b|^\s*(?:isn't|wasn't|aren't|won't be|wouldn't be)\b",
            ),
            achievements: compile_ascii(patterns::ACHIEVEMENTS),
            meeting: compile_ascii(patterns::MEETING_CONTEXT),
        }
    }

    /// The rules `sentence` (normalised) breaks, each with its suggestion template, at most once per rule.
    fn rules_broken(&self, sentence: &str, allowed_minutes: u32) -> Vec<(Rule, &'static str)> {
        let mut broken: Vec<(Rule, &'static str)> = Vec::new();
        for index in self.triggers.matches(sentence).iter() {
            let pattern = &self.patterns[index];
            if broken.iter().any(|(rule, _)| *rule == pattern.rule) || !self.pattern_fires(pattern, sentence) {
                continue;
            }
            broken.push((pattern.rule, pattern.spec.suggestion));
        }
        if !broken.iter().any(|(rule, _)| *rule == Rule::OverTime) && self.names_too_long(sentence, allowed_minutes) {
            broken.push((Rule::OverTime, patterns::OVER_TIME_SUGGESTION));
        }
        broken
    }

    fn pattern_fires(&self, pattern: &CompiledPattern, sentence: &str) -> bool {
        if pattern.except.as_ref().is_some_and(|except| except.is_match(sentence))
            || pattern.context.as_ref().is_some_and(|context| !context.is_match(sentence))
        {
            return false;
        }
        pattern.trigger.captures_iter(sentence).any(|captures| {
            let Some(whole) = captures.get(0) else {
                return false;
            };
            let trigger_start = match captures.name("t") {
                Some(marked) if pattern.marks_trigger => marked.start(),
                _ => whole.start(),
            };
            !self.span_boundary.is_match(&sentence[whole.start()..whole.end()])
                && !self.negated(sentence, trigger_start, whole.end())
        })
    }

    /// Whether the words at `start..end` are negated within their clause.
    fn negated(&self, sentence: &str, start: usize, end: usize) -> bool {
        let clause_start =
            self.scope_boundary.find_iter(&sentence[..start]).last().map_or(0, |boundary| boundary.end());
        let before = self.not_a_negation.replace_all(&sentence[clause_start..start], " ");
        if self.negation.is_match(&before) {
            return true;
        }
        let rest = &sentence[end..];
        let clause_end = self.span_boundary.find(rest).map_or(rest.len(), |boundary| boundary.start());
        self.negated_after.is_match(&rest[..clause_end])
    }

    /// Whether `sentence` asks for a meeting longer than `allowed_minutes`, by naming its length.
    fn names_too_long(&self, sentence: &str, allowed_minutes: u32) -> bool {
        self.meeting.is_match(sentence)
            && duration::named_lengths(sentence)
                .iter()
                .any(|length| length.minutes > allowed_minutes && !self.negated(sentence, length.start, length.end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(purpose: &str) -> Vec<Rule> {
        check_request(purpose, &[], Some(30)).into_iter().map(|finding| finding.rule).collect()
    }

    #[test]
    fn every_pattern_compiles_and_says_why() {
        let engine = &*ENGINE;
        assert!(engine.patterns.len() >= 20);
        for rule in Rule::ALL {
            assert!(engine.patterns.iter().any(|pattern| pattern.rule == rule), "{rule} has no pattern");
        }
        for pattern in &engine.patterns {
            assert!(!pattern.spec.why.is_empty() && !pattern.spec.suggestion.is_empty());
        }
    }

    #[test]
    fn a_good_request_has_no_findings() {
        let questions = [
            "What does a typical week look like for you?",
            "How did you get your job?",
            "What does the hiring process look like in general?",
            "How should I shape my résumé for this field?",
        ]
        .map(str::to_owned);
        let purpose = "I teach maths and I'm curious about data science. I'd value 20 minutes of your time.";
        assert_eq!(check_request(purpose, &questions, Some(20)), []);
    }

    #[test]
    fn each_rule_has_a_finding_with_its_sentence_and_a_suggestion() {
        let purpose = "I'd love to learn about product design. Attached is my résumé. Could you refer me? \
                       Can you help me get a job at your company? My boss is terrible. Could we talk for an hour?";
        let findings = check_request(purpose, &[], Some(30));
        let found: Vec<(&str, Rule)> = findings.iter().map(|f| (f.text.as_str(), f.rule)).collect();
        assert_eq!(
            found,
            [
                ("Attached is my résumé.", Rule::Pitching),
                ("Could you refer me?", Rule::InsideTrack),
                ("Can you help me get a job at your company?", Rule::JobDevelopment),
                ("My boss is terrible.", Rule::Venting),
                ("Could we talk for an hour?", Rule::OverTime),
            ]
        );
        assert!(findings.iter().all(|finding| finding.suggestion.len() > 40));
        assert!(findings[4].suggestion.contains("the 30 minutes"), "{}", findings[4].suggestion);
    }

    #[test]
    fn negations_and_disclaimers_are_fine() {
        for fine in [
            "I am not asking for a job.",
            "I'm not looking for a referral.",
            "I know you can't refer me, and that's fine.",
            "I won't ask which jobs are open.",
            "A referral is not what I'm after.",
            "I don't hate my job; I'm curious about yours.",
            "I promise we won't run over.",
            "I don't want to take an hour of your time.",
        ] {
            assert_eq!(rules(fine), [], "{fine}");
        }
        // A negation reaches only as far as its clause.
        assert_eq!(rules("I'm not after much, but could you refer me?"), [Rule::InsideTrack]);
        assert_eq!(rules("I'm not sure which jobs are open on your team."), [Rule::InsideTrack]);
        assert_eq!(rules("My boss isn't terrible."), []);
        assert_eq!(rules("My boss doesn't appreciate anyone."), [Rule::Venting]);
    }

    #[test]
    fn time_is_compared_with_the_offered_length() {
        let ask = "Could we meet for 45 minutes?";
        assert_eq!(check_request(ask, &[], Some(45)), []);
        assert_eq!(check_request(ask, &[], None), [], "45 minutes is the longest length offered");
        assert_eq!(rules(ask), [Rule::OverTime]);
        assert_eq!(rules("I'd appreciate 20 minutes of your time."), []);
        assert_eq!(rules("Could we talk for as long as you can spare?"), [Rule::OverTime]);
        assert_eq!(rules("I spend an hour a day learning SQL."), []);
        let unknown = check_request("Could we chat for two hours?", &[], None);
        assert!(unknown[0].suggestion.contains("the time the host offers"), "{}", unknown[0].suggestion);
    }

    #[test]
    fn a_long_self_description_is_a_pitch() {
        let short = "I led the maths department for five years. I'd like to learn how you moved into data.";
        assert_eq!(rules(short), []);
        let long = "I led a team of twelve. I launched our first mobile app. I was promoted twice in three years. \
                    I also won the regional innovation prize. How did you start?";
        let findings = check_request(long, &[], Some(30));
        assert_eq!(findings.len(), 4, "{findings:#?}");
        assert!(findings.iter().all(|finding| finding.rule == Rule::Pitching));
        assert_eq!(findings[0].suggestion, patterns::SELF_DESCRIPTION);
        assert_eq!(rules("I built a startup, grew revenue by 300% and won three awards."), [Rule::Pitching]);
    }

    #[test]
    fn questions_are_checked_item_by_item_and_repeats_reported_once() {
        let questions = vec![
            "1. What do you enjoy most?\n2. Are there any open roles on your team?".to_owned(),
            "Are there any open roles on your team?".to_owned(),
        ];
        let findings = check_request("", &questions, None);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].text, "Are there any open roles on your team?");
    }

    #[test]
    fn rules_have_stable_names() {
        for rule in Rule::ALL {
            assert_eq!(Rule::parse(rule.as_str()).unwrap(), rule);
            assert_eq!(serde_json::to_value(rule).unwrap(), rule.as_str());
            assert!(!rule.title().is_empty() && !rule.host_view().is_empty());
            assert!(rule.looks_for().len() >= 3, "{rule}");
        }
        assert!(Rule::parse("rudeness").is_err());
    }
}
