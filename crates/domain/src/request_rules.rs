//! A host's rules for incoming requests, and the checks a request must pass before it reaches them: the
//! preparation gate (purpose, topics, enough prepared questions, a length the host offers), the open-request
//! allowance (reduced by missed meetings), and the usual response time shown on the host's page.
//!
//! Every refusal names the rule in its message (`questions: min_questions: …`) and says how to fix it, so the
//! 422 an API client gets is as actionable as the form's inline errors.

use std::fmt;

use jiff::SignedDuration;

use crate::policy::MeetingLength;
use crate::question_bank::QuestionTopic;
use crate::validation::FieldErrors;

/// What happens when a request breaks an etiquette rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EtiquetteMode {
    /// The request is sent; the host sees the findings.
    Warn,
    /// The request is refused until the findings are addressed.
    Block,
}

/// What happens to a request sent while the host is full.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Overflow {
    /// The seeker joins the host's waitlist and is offered the next opening in turn.
    Waitlist,
    /// The seeker is told kindly at once, with similar hosts who have time now.
    Decline,
}

impl EtiquetteMode {
    pub fn as_str(self) -> &'static str {
        match self {
            EtiquetteMode::Warn => "warn",
            EtiquetteMode::Block => "block",
        }
    }

    /// # Errors
    /// A message naming the accepted values.
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw.trim() {
            "warn" => Ok(EtiquetteMode::Warn),
            "block" => Ok(EtiquetteMode::Block),
            other => Err(format!("'{other}' is not a mode; use warn or block")),
        }
    }
}

impl Overflow {
    pub fn as_str(self) -> &'static str {
        match self {
            Overflow::Waitlist => "waitlist",
            Overflow::Decline => "decline",
        }
    }

    /// # Errors
    /// A message naming the accepted values.
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw.trim() {
            "waitlist" => Ok(Overflow::Waitlist),
            "decline" => Ok(Overflow::Decline),
            other => Err(format!("'{other}' is not an overflow mode; use waitlist or decline")),
        }
    }
}

impl fmt::Display for EtiquetteMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Overflow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A host's validated request rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct RequestRules {
    pub etiquette_mode: EtiquetteMode,
    /// Prepared questions a request must bring (1–10).
    pub min_questions: u32,
    pub overflow: Overflow,
    /// A pending request expires after this many days (1–60).
    pub expiry_days: u32,
    /// Open (pending or waitlisted) requests a seeker may have at once (1–20), before no-shows reduce it.
    pub max_open_requests: u32,
    /// The window the host commits to answer in (1–30 days).
    pub response_days: u32,
}

impl RequestRules {
    pub const MIN_QUESTIONS: (u32, u32) = (1, 10);
    pub const EXPIRY_DAYS: (u32, u32) = (1, 60);
    pub const MAX_OPEN_REQUESTS: (u32, u32) = (1, 20);
    pub const RESPONSE_DAYS: (u32, u32) = (1, 30);

    pub fn expiry(&self) -> SignedDuration {
        SignedDuration::from_hours(24 * i64::from(self.expiry_days))
    }
}

impl Default for RequestRules {
    fn default() -> Self {
        Self {
            etiquette_mode: EtiquetteMode::Warn,
            min_questions: 3,
            overflow: Overflow::Waitlist,
            expiry_days: 14,
            max_open_requests: 3,
            response_days: 7,
        }
    }
}

/// Request rules as submitted; an absent field keeps its current value.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct RequestRulesInput {
    pub etiquette_mode: Option<String>,
    pub min_questions: Option<i64>,
    pub overflow: Option<String>,
    pub expiry_days: Option<i64>,
    pub max_open_requests: Option<i64>,
    pub response_days: Option<i64>,
}

fn within(value: i64, (min, max): (u32, u32)) -> Result<u32, String> {
    u32::try_from(value)
        .ok()
        .filter(|value| (min..=max).contains(value))
        .ok_or_else(|| format!("must be between {min} and {max}"))
}

impl RequestRulesInput {
    /// The rules with the submitted fields applied over `current`.
    ///
    /// # Errors
    /// Every field out of bounds or unknown, by its API name.
    pub fn apply(&self, current: &RequestRules) -> Result<RequestRules, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut rules = *current;
        if let Some(raw) = &self.etiquette_mode
            && let Some(mode) = errors.check("etiquette_mode", EtiquetteMode::parse(raw))
        {
            rules.etiquette_mode = mode;
        }
        if let Some(raw) = &self.overflow
            && let Some(overflow) = errors.check("overflow", Overflow::parse(raw))
        {
            rules.overflow = overflow;
        }
        let mut number = |field: &str, value: Option<i64>, bounds: (u32, u32), target: &mut u32| {
            if let Some(value) = value
                && let Some(value) = errors.check(field, within(value, bounds))
            {
                *target = value;
            }
        };
        number("min_questions", self.min_questions, RequestRules::MIN_QUESTIONS, &mut rules.min_questions);
        number("expiry_days", self.expiry_days, RequestRules::EXPIRY_DAYS, &mut rules.expiry_days);
        number(
            "max_open_requests",
            self.max_open_requests,
            RequestRules::MAX_OPEN_REQUESTS,
            &mut rules.max_open_requests,
        );
        number("response_days", self.response_days, RequestRules::RESPONSE_DAYS, &mut rules.response_days);
        errors.into_result(|| rules)
    }
}

impl From<&RequestRules> for RequestRulesInput {
    fn from(rules: &RequestRules) -> Self {
        Self {
            etiquette_mode: Some(rules.etiquette_mode.as_str().to_owned()),
            min_questions: Some(rules.min_questions.into()),
            overflow: Some(rules.overflow.as_str().to_owned()),
            expiry_days: Some(rules.expiry_days.into()),
            max_open_requests: Some(rules.max_open_requests.into()),
            response_days: Some(rules.response_days.into()),
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// The preparation gate.

/// What the gate reads of a request.
#[derive(Debug, Clone, Copy)]
pub struct Preparation<'a> {
    pub purpose: &'a str,
    pub topics: &'a [String],
    pub questions: &'a [String],
    pub length: MeetingLength,
}

/// The topic a seeker picked, as the question bank names it: its API name (`career_path`) or its heading
/// (`Career path`), in any case.
///
/// # Errors
/// A message listing the topics.
pub fn bank_topic(raw: &str) -> Result<QuestionTopic, String> {
    let wanted = raw.trim().to_lowercase();
    QuestionTopic::ALL
        .into_iter()
        .find(|topic| topic.as_str() == wanted || topic.title().to_lowercase() == wanted)
        .ok_or_else(|| {
            let names: Vec<&str> = QuestionTopic::ALL.iter().map(|topic| topic.title()).collect();
            format!("topics: '{}' is not a topic of the question bank; pick from: {}", raw.trim(), names.join(", "))
        })
}

/// Checks a request against the host's preparation rules and offered lengths.
///
/// # Errors
/// `purpose` (`purpose_required`), `topics` (`topics_from_bank`), `questions` (`min_questions`) and
/// `length_minutes` (`length_offered`), each saying how to fix it.
pub fn check_preparation(
    rules: &RequestRules,
    offered: &[MeetingLength],
    request: Preparation<'_>,
) -> Result<Vec<QuestionTopic>, FieldErrors> {
    let mut errors = FieldErrors::new();
    if request.purpose.trim().is_empty() {
        errors
            .add("purpose", "purpose_required: say in a sentence or two what you hope to learn from this conversation");
    }
    let mut topics = Vec::new();
    for raw in request.topics.iter().filter(|topic| !topic.trim().is_empty()) {
        match bank_topic(raw) {
            Ok(topic) if !topics.contains(&topic) => topics.push(topic),
            Ok(_) => {}
            Err(message) => errors.add("topics", format!("topics_from_bank: {message}")),
        }
    }
    if topics.is_empty() && errors.get("topics").is_none() {
        errors.add("topics", "topics_from_bank: pick at least one topic, so the host knows what to prepare");
    }
    let prepared = request.questions.iter().filter(|question| !question.trim().is_empty()).count();
    if prepared < rules.min_questions as usize {
        errors.add(
            "questions",
            format!(
                "min_questions: this host asks for at least {} prepared question{}; you have {prepared} — the question \
                 bank has ideas for each topic",
                rules.min_questions,
                if rules.min_questions == 1 { "" } else { "s" }
            ),
        );
    }
    if !offered.contains(&request.length) {
        let longest = offered.iter().max().map_or(0, |length| length.minutes());
        let lengths: Vec<String> = offered.iter().map(ToString::to_string).collect();
        let message = if offered.iter().all(|length| *length < request.length) {
            format!(
                "length_offered: {} is longer than this host offers (at most {longest} min); ask for {}",
                request.length,
                lengths.join(" or ")
            )
        } else {
            format!("length_offered: this host offers {}, not {}", lengths.join(" or "), request.length)
        };
        errors.add("length_minutes", message);
    }
    errors.into_result(|| topics)
}

// ---------------------------------------------------------------------------------------------------------
// The open-request allowance.

/// How much each missed meeting reduces a seeker's open-request allowance.
pub const NO_SHOW_STEP: u32 = 1;

/// How many open requests a seeker may have with a host's limit, after their missed meetings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenAllowance {
    /// The host's `max_open_requests`.
    pub base: u32,
    pub no_shows: u32,
    /// max(1, base − step × no_shows): never zero, so nobody is shut out for good.
    pub limit: u32,
}

impl OpenAllowance {
    pub fn new(base: u32, no_shows: u32, step: u32) -> Self {
        let limit = base.saturating_sub(no_shows.saturating_mul(step)).max(1);
        Self { base, no_shows, limit }
    }

    /// The refusal when a seeker already has `open` open requests, or `None` while below the limit.
    pub fn refusal(&self, open: u32) -> Option<String> {
        if open < self.limit {
            return None;
        }
        let plural = |n: u32, one: &str, many: &str| if n == 1 { one.to_owned() } else { format!("{n} {many}") };
        let limit = plural(self.limit, "1 open request", "open requests");
        Some(if self.limit < self.base {
            format!(
                "open_request_limit: because of {} your limit is {limit} at a time (instead of {}); wait for an answer, \
                 or withdraw one from your dashboard",
                plural(self.no_shows, "1 missed meeting", "missed meetings"),
                self.base
            )
        } else {
            format!(
                "open_request_limit: you have {limit} waiting already, the most at a time; wait for an answer, or \
                 withdraw one from your dashboard"
            )
        })
    }
}

// ---------------------------------------------------------------------------------------------------------
// Response time.

/// Fewer answers than this and a host is shown as new rather than with a usual response time.
pub const MIN_ANSWERS_FOR_RESPONSE_TIME: usize = 3;

/// How quickly a host usually answers: the median of their recent answer delays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsualResponse {
    /// Too few answers to tell.
    NewHost,
    /// The median delay, rounded up to whole days (at least 1).
    WithinDays(u32),
}

impl UsualResponse {
    /// From the delays between request and answer (accept or decline).
    pub fn from_delays(delays: &[SignedDuration]) -> Self {
        if delays.len() < MIN_ANSWERS_FOR_RESPONSE_TIME {
            return UsualResponse::NewHost;
        }
        let mut sorted = delays.to_vec();
        sorted.sort();
        let middle = sorted.len() / 2;
        let median =
            if sorted.len().is_multiple_of(2) { (sorted[middle - 1] + sorted[middle]) / 2 } else { sorted[middle] };
        let day = 86_400;
        let days = (median.as_secs().max(0) + day - 1) / day;
        UsualResponse::WithinDays(u32::try_from(days.max(1)).unwrap_or(u32::MAX))
    }

    /// What the host's page says.
    pub fn text(self) -> String {
        match self {
            UsualResponse::NewHost => "New host: not enough answers yet to show a usual response time".to_owned(),
            UsualResponse::WithinDays(1) => "Usually answers within 1 day".to_owned(),
            UsualResponse::WithinDays(days) => format!("Usually answers within {days} days"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|value| (*value).to_owned()).collect()
    }

    #[test]
    fn rules_apply_over_the_current_ones_and_name_bad_fields() {
        let rules = RequestRules::default();
        let changed = RequestRulesInput {
            etiquette_mode: Some("block".into()),
            min_questions: Some(5),
            ..RequestRulesInput::default()
        }
        .apply(&rules)
        .unwrap();
        assert_eq!(changed.etiquette_mode, EtiquetteMode::Block);
        assert_eq!(changed.min_questions, 5);
        assert_eq!(changed.expiry_days, 14);
        let bad = RequestRulesInput {
            min_questions: Some(0),
            overflow: Some("drop".into()),
            expiry_days: Some(61),
            max_open_requests: Some(21),
            response_days: Some(-1),
            etiquette_mode: Some("shout".into()),
        };
        let errors = bad.apply(&rules).unwrap_err();
        for field in
            ["min_questions", "overflow", "expiry_days", "max_open_requests", "response_days", "etiquette_mode"]
        {
            assert!(errors.get(field).is_some(), "{field}");
        }
        assert_eq!(RequestRulesInput::from(&changed).apply(&rules).unwrap(), changed);
    }

    #[test]
    fn the_gate_names_each_rule() {
        let rules = RequestRules::default();
        let offered = [MeetingLength::Min20, MeetingLength::Min30];
        let questions = strings(&["What surprised you?", " "]);
        let topics = strings(&["career_path", "Culture and work environment"]);
        let request =
            Preparation { purpose: " ", topics: &topics, questions: &questions, length: MeetingLength::Min45 };
        let errors = check_preparation(&rules, &offered, request).unwrap_err();
        assert!(errors.get("purpose").unwrap().starts_with("purpose_required"));
        assert_eq!(
            errors.get("questions").unwrap(),
            "min_questions: this host asks for at least 3 prepared questions; you have 1 — the question bank has \
             ideas for each topic"
        );
        assert!(errors.get("length_minutes").unwrap().contains("at most 30 min"));
        assert!(errors.get("topics").is_none());

        let questions = strings(&["One?", "Two?", "Three?"]);
        let good =
            Preparation { purpose: "Learn", topics: &topics, questions: &questions, length: MeetingLength::Min20 };
        assert_eq!(
            check_preparation(&rules, &offered, good).unwrap(),
            [QuestionTopic::CareerPath, QuestionTopic::Culture]
        );
        let odd = strings(&["salary"]);
        let errors = check_preparation(&rules, &offered, Preparation { topics: &odd, ..good }).unwrap_err();
        assert!(errors.get("topics").unwrap().contains("Career path"));
        let errors = check_preparation(&rules, &offered, Preparation { topics: &[], ..good }).unwrap_err();
        assert!(errors.get("topics").unwrap().contains("at least one topic"));
    }

    #[test]
    fn no_shows_reduce_the_allowance_but_never_to_zero() {
        let plain = OpenAllowance::new(3, 0, NO_SHOW_STEP);
        assert_eq!(plain.limit, 3);
        assert!(plain.refusal(2).is_none());
        assert!(plain.refusal(3).unwrap().contains("3 open requests waiting"));
        let reduced = OpenAllowance::new(3, 2, NO_SHOW_STEP);
        assert_eq!(reduced.limit, 1);
        assert!(reduced.refusal(1).unwrap().contains("because of 2 missed meetings your limit is 1 open request"));
        assert_eq!(OpenAllowance::new(3, 10, 2).limit, 1);
    }

    #[test]
    fn usual_response_is_the_median_in_days() {
        let hours = |h: i64| SignedDuration::from_hours(h);
        assert_eq!(UsualResponse::from_delays(&[hours(1), hours(2)]), UsualResponse::NewHost);
        assert_eq!(UsualResponse::from_delays(&[hours(1), hours(30), hours(200)]), UsualResponse::WithinDays(2));
        assert_eq!(UsualResponse::from_delays(&[hours(1), hours(2), hours(3), hours(4)]), UsualResponse::WithinDays(1));
        assert_eq!(UsualResponse::WithinDays(3).text(), "Usually answers within 3 days");
    }
}
