//! The question bank: good open questions for an informational interview, written for Coffeechat and grouped
//! by topic, each with a hint on making it the seeker's own; and how many questions fit a meeting.
//!
//! Every question here is about the host's work and field, never about the seeker's job search, so each one
//! passes the [etiquette check](crate::etiquette) (a test keeps it that way).
//!
//! ```
//! use coffeechat_domain::question_bank::{QuestionTopic, fit_for_length, questions_for};
//!
//! assert!(!questions_for(QuestionTopic::CareerPath).is_empty());
//! let fit = fit_for_length(12, 30);
//! assert!(!fit.fits);
//! assert_eq!((fit.minutes_needed_low, fit.minutes_needed_high), (36, 48));
//! ```

use std::fmt;

/// What a question is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionTopic {
    CareerPath,
    DayInTheRole,
    SkillsAndTraining,
    Culture,
    Advancement,
    Benefits,
    HiringProcess,
    IndustryTrends,
    Succeeding,
}

/// One question of the bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct BankQuestion {
    pub text: &'static str,
    /// How to make it specific to the seeker and the host.
    pub adapt: &'static str,
}

impl QuestionTopic {
    pub const ALL: [QuestionTopic; 9] = [
        QuestionTopic::CareerPath,
        QuestionTopic::DayInTheRole,
        QuestionTopic::SkillsAndTraining,
        QuestionTopic::Culture,
        QuestionTopic::Advancement,
        QuestionTopic::Benefits,
        QuestionTopic::HiringProcess,
        QuestionTopic::IndustryTrends,
        QuestionTopic::Succeeding,
    ];

    /// The name used in the API and in URLs (`"day_in_the_role"`).
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionTopic::CareerPath => "career_path",
            QuestionTopic::DayInTheRole => "day_in_the_role",
            QuestionTopic::SkillsAndTraining => "skills_and_training",
            QuestionTopic::Culture => "culture",
            QuestionTopic::Advancement => "advancement",
            QuestionTopic::Benefits => "benefits",
            QuestionTopic::HiringProcess => "hiring_process",
            QuestionTopic::IndustryTrends => "industry_trends",
            QuestionTopic::Succeeding => "succeeding",
        }
    }

    /// The heading shown to seekers.
    pub fn title(self) -> &'static str {
        match self {
            QuestionTopic::CareerPath => "Career path",
            QuestionTopic::DayInTheRole => "A day in the role",
            QuestionTopic::SkillsAndTraining => "Skills and training",
            QuestionTopic::Culture => "Culture and work environment",
            QuestionTopic::Advancement => "Advancement",
            QuestionTopic::Benefits => "Benefits",
            QuestionTopic::HiringProcess => "The hiring process in general",
            QuestionTopic::IndustryTrends => "Industry trends",
            QuestionTopic::Succeeding => "How people succeed",
        }
    }

    /// One line on what the topic is for.
    pub fn description(self) -> &'static str {
        match self {
            QuestionTopic::CareerPath => "How the host got here, and the turns along the way.",
            QuestionTopic::DayInTheRole => "What the work is really like, hour by hour and week by week.",
            QuestionTopic::SkillsAndTraining => "What the work asks of people, and how they learn it.",
            QuestionTopic::Culture => "How people work together, decide and support each other.",
            QuestionTopic::Advancement => "How people grow in this kind of work.",
            QuestionTopic::Benefits => "What matters beyond the work itself, in the field at large.",
            QuestionTopic::HiringProcess => "How hiring works in the field, not a way in for you.",
            QuestionTopic::IndustryTrends => "Where the field is going, seen from the inside.",
            QuestionTopic::Succeeding => "What the people who do well have in common.",
        }
    }

    /// # Errors
    /// A message listing the topics when `raw` is not one of them.
    pub fn parse(raw: &str) -> Result<Self, String> {
        QuestionTopic::ALL.into_iter().find(|topic| topic.as_str() == raw.trim()).ok_or_else(|| {
            let names: Vec<&str> = QuestionTopic::ALL.iter().map(|topic| topic.as_str()).collect();
            format!("'{raw}' is not a topic; use one of {}", names.join(", "))
        })
    }
}

impl fmt::Display for QuestionTopic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

/// The topics, in the order the composer shows them.
pub fn topics() -> &'static [QuestionTopic] {
    &QuestionTopic::ALL
}

const fn q(text: &'static str, adapt: &'static str) -> BankQuestion {
    BankQuestion { text, adapt }
}

/// The questions of one topic.
pub fn questions_for(topic: QuestionTopic) -> &'static [BankQuestion] {
    match topic {
        QuestionTopic::CareerPath => CAREER_PATH,
        QuestionTopic::DayInTheRole => DAY_IN_THE_ROLE,
        QuestionTopic::SkillsAndTraining => SKILLS_AND_TRAINING,
        QuestionTopic::Culture => CULTURE,
        QuestionTopic::Advancement => ADVANCEMENT,
        QuestionTopic::Benefits => BENEFITS,
        QuestionTopic::HiringProcess => HIRING_PROCESS,
        QuestionTopic::IndustryTrends => INDUSTRY_TRENDS,
        QuestionTopic::Succeeding => SUCCEEDING,
    }
}

const CAREER_PATH: &[BankQuestion] = &[
    q(
        "How did you find your way into this work?",
        "Name the step you're curious about: \"What made you move from teaching into product work?\"",
    ),
    q(
        "What did your first year in this field teach you that you didn't expect?",
        "If their profile names their first role, mention it.",
    ),
    q(
        "Looking back, which decision shaped your career the most?",
        "Ask about a turning point you noticed on their profile.",
    ),
    q(
        "If you were starting out again today, which way in would you choose?",
        "Add your starting point: \"...coming from a nursing background?\"",
    ),
    q(
        "Which earlier jobs or studies turned out to be useful in ways you didn't expect?",
        "Say a word about your own background so the answer fits you.",
    ),
    q(
        "Which backgrounds do people in your role usually come from?",
        "Useful when changing fields: name yours and ask how common it is.",
    ),
    q(
        "Was there a time you considered a different direction, and what kept you on this one?",
        "Keep it light; it is their story to tell.",
    ),
];

const DAY_IN_THE_ROLE: &[BankQuestion] = &[
    q("What does a typical week look like for you?", "Ask about a day instead if their work runs in daily cycles."),
    q(
        "How is your time split between working alone, with your team and with people outside it?",
        "Name the split you care about, such as meetings against focused work.",
    ),
    q(
        "Which part of the work takes more time than people expect?",
        "Follow up on a task you've read about: \"How long does a release take?\"",
    ),
    q(
        "Which tasks give you energy, and which wear you down?",
        "Ask for an example of each to make the answer concrete.",
    ),
    q(
        "Who do you work with most closely, and how?",
        "Name a role you're curious about: \"How do you work with the engineers?\"",
    ),
    q(
        "How does a busy period compare with a quiet one?",
        "For seasonal work, name the season: \"What is the end of the tax year like?\"",
    ),
    q(
        "Which tools or methods could you not do without?",
        "Mention one you're learning and ask how it's used in practice.",
    ),
];

const SKILLS_AND_TRAINING: &[BankQuestion] = &[
    q(
        "Which skills matter most in your day-to-day work?",
        "Add a skill you're building: \"How much does SQL matter in practice?\"",
    ),
    q("Which skills did you have to learn on the job?", "Ask how they learned them, which tells you how you might."),
    q("How do people in your field keep their skills current?", "Ask for one resource they would recommend."),
    q(
        "Which courses, certificates or degrees do people in this field actually value?",
        "Name the course you're weighing to get a concrete opinion.",
    ),
    q(
        "If you had a spare month to prepare for this kind of work, what would you practise?",
        "Say how much time you really have, so the advice fits it.",
    ),
    q("Which skill do newcomers tend to underestimate?", "Ask how they would recognise it in someone new."),
    q(
        "How do people on your team learn from one another?",
        "Mentoring, reviews, pairing: ask which one made the most difference to them.",
    ),
];

const CULTURE: &[BankQuestion] = &[
    q(
        "How would you describe the way your team makes decisions?",
        "Ask for a recent example, which says more than a description.",
    ),
    q(
        "What kind of person tends to enjoy working in your environment?",
        "Ask the opposite too: who tends to find it hard?",
    ),
    q("How does your team handle disagreement?", "Keep it general; you're asking about habits, not people."),
    q(
        "How much say do people have over where and when they work?",
        "Ask about remote or hybrid work specifically if it matters to you.",
    ),
    q(
        "What do you wish people knew about the culture before they joined?",
        "Works for a whole field too: \"...before they joined the industry?\"",
    ),
    q(
        "How do people support each other when things go wrong?",
        "Ask about a deadline missed or a project that failed.",
    ),
    q("What does good feedback look like where you work?", "Ask how often it happens and in what form."),
];

const ADVANCEMENT: &[BankQuestion] = &[
    q(
        "What does growth look like in a role like yours?",
        "Ask whether it means more people, more scope or more depth.",
    ),
    q(
        "How do people usually move from a junior role to a senior one in this field?",
        "Name the level you're aiming for to make the answer concrete.",
    ),
    q(
        "Which experiences helped you most when you took on more responsibility?",
        "Ask which of them someone early in their career could look for.",
    ),
    q("Do people tend to grow by specialising or by broadening?", "Ask which path they chose, and why."),
    q("How common is it to move between teams or functions?", "Name the move you have in mind, if you have one."),
    q(
        "What separates people who keep growing from those who plateau?",
        "Ask for a habit rather than a talent; habits can be learned.",
    ),
    q("What did you have to let go of as you moved up?", "Useful if you enjoy hands-on work and wonder about leading."),
];

const BENEFITS: &[BankQuestion] = &[
    q(
        "Which benefits turn out to matter most in this line of work?",
        "Ask what they would look for if they moved today.",
    ),
    q(
        "How do pay and benefits in this field usually change with experience?",
        "Keep it about the field; what someone earns is their business.",
    ),
    q("How do people in your field approach work-life balance?", "Ask what a sustainable pace looks like to them."),
    q(
        "What support for learning and development is common in this field?",
        "Ask about a kind of support you'd use: conferences, courses, study time.",
    ),
    q(
        "How do parental leave and flexible hours tend to work in this industry?",
        "Ask about whichever benefit matters to you; keep it about the field.",
    ),
    q(
        "Which perks sound good on paper but matter less in practice?",
        "Ask which ones they would trade away, and for what.",
    ),
    q(
        "What should someone ask about benefits when weighing an offer in this field?",
        "Ask which answer would be a warning sign.",
    ),
];

const HIRING_PROCESS: &[BankQuestion] = &[
    q(
        "What does a typical hiring process look like for roles like yours?",
        "Ask about the field at large, not the host's own openings.",
    ),
    q(
        "What do hiring managers in your field tend to look for first?",
        "Name the level you're at: \"...in someone just out of a bootcamp?\"",
    ),
    q("How do people usually hear about roles in this field?", "Ask which ways in worked for people they know."),
    q(
        "What makes an application stand out in your field?",
        "Ask about one part you're unsure of, such as the cover letter.",
    ),
    q(
        "Which parts of the process do candidates tend to prepare for least?",
        "Ask how someone could prepare for that part.",
    ),
    q(
        "How should someone coming from another field present their experience?",
        "Name your field: \"...coming from retail management?\"",
    ),
    q(
        "How much do portfolios, tests or take-home tasks matter in your field?",
        "Ask what a strong one looks like, in general terms.",
    ),
    q("What questions do you like candidates to ask at interview?", "Ask why those questions tell them something."),
];

const INDUSTRY_TRENDS: &[BankQuestion] = &[
    q(
        "Which changes in your field are you watching most closely?",
        "Name a change you've read about and ask if it's real.",
    ),
    q("How has your work changed over the last five years?", "Shorten the span if they're newer to the field."),
    q("Which skills do you expect to matter more in the next few years?", "Ask which ones are overrated, too."),
    q(
        "What do outsiders misunderstand about where this industry is heading?",
        "Mention a headline you've seen and ask what's missing from it.",
    ),
    q("Which sources do you read to stay up to date?", "Ask which one they'd keep if they could keep only one."),
    q(
        "How is new technology changing the work people in your role do?",
        "Name the technology: \"How is machine learning changing reporting work?\"",
    ),
    q(
        "Which parts of the field are growing, and which are shrinking?",
        "Ask where a newcomer's effort would go furthest.",
    ),
];

const SUCCEEDING: &[BankQuestion] = &[
    q(
        "What do the people who do well in your role have in common?",
        "Ask how those qualities show in their first months.",
    ),
    q("What is the best piece of advice you received early in your career?", "Ask whether they'd still give it today."),
    q("Which mistakes do newcomers to this work often make?", "Ask how they'd spot one early."),
    q("How do you know when you're doing a good job?", "Ask who else judges it, and how."),
    q("Which habits have helped you most?", "Ask for one you could start this week."),
    q(
        "Who else would you suggest I talk to, to learn more about this field?",
        "Ask at the end, and only if the conversation went well.",
    ),
    q(
        "What would you tell someone in my position who wants to move into this work?",
        "Describe your position in a sentence first.",
    ),
];

/// Minutes a question takes in conversation: a brisk answer and a fuller one.
pub const MINUTES_PER_QUESTION_LOW: u32 = 3;
pub const MINUTES_PER_QUESTION_HIGH: u32 = 4;

/// How a set of questions fits the length of the meeting.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Fit {
    /// Minutes the questions need at a brisk pace.
    pub minutes_needed_low: u32,
    /// Minutes they need with fuller answers.
    pub minutes_needed_high: u32,
    /// Whether they fit at a brisk pace.
    pub fits: bool,
    /// What to tell the seeker.
    pub message: String,
}

/// How `question_count` questions fit a meeting of `minutes`, at roughly 3–4 minutes a question.
pub fn fit_for_length(question_count: usize, minutes: u16) -> Fit {
    let count = u32::try_from(question_count).unwrap_or(u32::MAX);
    let low = count.saturating_mul(MINUTES_PER_QUESTION_LOW);
    let high = count.saturating_mul(MINUTES_PER_QUESTION_HIGH);
    let available = u32::from(minutes);
    let most = (available / MINUTES_PER_QUESTION_LOW).max(1);
    let fewest = (available / MINUTES_PER_QUESTION_HIGH).max(1);
    let questions = if count == 1 { "1 question needs".to_owned() } else { format!("{count} questions need") };
    let (fits, message) = if count == 0 {
        (
            true,
            format!(
                "Add the questions you'd like to ask: a {available}-minute conversation has room for about {fewest} to {most}."
            ),
        )
    } else if high < available {
        (
            true,
            format!(
                "{questions} about {low}–{high} minutes: they fit in {available} minutes with room for follow-ups."
            ),
        )
    } else if high == available {
        (true, format!("{questions} about {low}–{high} minutes: they fill the {available} minutes."))
    } else if low <= available {
        (
            true,
            format!(
                "{questions} about {low}–{high} minutes: they fit in {available} minutes if answers stay brief. Put the ones that matter most first."
            ),
        )
    } else {
        (
            false,
            format!(
                "{questions} about {low}–{high} minutes, more than the {available} minutes of the conversation. Keep your best {most} and save the rest."
            ),
        )
    };
    Fit { minutes_needed_low: low, minutes_needed_high: high, fits, message }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::etiquette::check_request;

    #[test]
    fn every_topic_has_six_to_ten_questions_with_hints() {
        for &topic in topics() {
            let questions = questions_for(topic);
            assert!((6..=10).contains(&questions.len()), "{topic}: {}", questions.len());
            for question in questions {
                assert!(question.text.ends_with('?'), "{}", question.text);
                assert!(!question.adapt.is_empty());
            }
            assert_eq!(QuestionTopic::parse(topic.as_str()).unwrap(), topic);
            assert_eq!(serde_json::to_value(topic).unwrap(), topic.as_str());
        }
        assert!(QuestionTopic::parse("salary").unwrap_err().contains("career_path"));
    }

    #[test]
    fn the_bank_passes_the_etiquette_check() {
        for &topic in topics() {
            let questions: Vec<String> = questions_for(topic).iter().map(|q| q.text.to_owned()).collect();
            assert_eq!(check_request("", &questions, Some(15)), [], "{topic}");
        }
    }

    #[test]
    fn fit_compares_three_to_four_minutes_a_question_with_the_length() {
        let roomy = fit_for_length(5, 30);
        assert_eq!((roomy.minutes_needed_low, roomy.minutes_needed_high, roomy.fits), (15, 20, true));
        assert!(roomy.message.contains("room for follow-ups"), "{}", roomy.message);

        let tight = fit_for_length(8, 30);
        assert_eq!((tight.minutes_needed_low, tight.minutes_needed_high, tight.fits), (24, 32, true));
        assert!(tight.message.contains("if answers stay brief"), "{}", tight.message);

        let full = fit_for_length(5, 20);
        assert!(full.fits && full.message.contains("fill the 20 minutes"), "{}", full.message);

        let over = fit_for_length(6, 15);
        assert_eq!((over.minutes_needed_low, over.minutes_needed_high, over.fits), (18, 24, false));
        assert!(over.message.contains("Keep your best 5"), "{}", over.message);

        let none = fit_for_length(0, 20);
        assert!(none.fits && none.message.contains("about 5 to 6"), "{}", none.message);
        assert!(fit_for_length(1, 15).message.starts_with("1 question needs"));
        assert!(!fit_for_length(usize::MAX, 45).fits);
    }
}
