//! Preparing a request: `POST /api/v1/etiquette/check` says what a host would object to, sentence by
//! sentence, and `GET /api/v1/question-bank` lists good questions by topic.
//!
//! Both are public and need no account: programs and tools can check a message before sending it, and a
//! seeker can read the bank before signing up. The rules themselves live in the domain crate
//! ([`coffeechat_domain::etiquette`], [`coffeechat_domain::question_bank`]); these handlers only translate.

use axum::Json;
use axum::http::header;
use axum::response::IntoResponse;
use coffeechat_domain::FieldErrors;
use coffeechat_domain::etiquette::{self, Finding, Rule};
use coffeechat_domain::question_bank::{self, MINUTES_PER_QUESTION_HIGH, MINUTES_PER_QUESTION_LOW, QuestionTopic};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::ApiJson;
use crate::error::{ApiError, ErrorBody};

/// Limits that keep a check cheap; generous next to what a request may hold (a 1500-character purpose and
/// 12 questions of 400 characters), so that a draft can be checked before it is trimmed.
const MAX_PURPOSE_CHARS: usize = 5_000;
const MAX_QUESTIONS: usize = 50;
const MAX_QUESTION_CHARS: usize = 1_000;
/// A length in minutes beyond which `length_minutes` is surely a mistake (a working day).
const MAX_LENGTH_MINUTES: u16 = 480;

/// A draft request to check.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct EtiquetteCheckBody {
    /// What the seeker hopes to learn, as they would send it.
    #[schema(example = "I'm a teacher exploring data science. Attached is my résumé.")]
    pub purpose: String,
    /// The prepared questions.
    #[serde(default)]
    #[schema(example = json!(["How did you move into data science?", "Which jobs are open on your team?"]))]
    pub questions: Vec<String>,
    /// The length the host offers, in minutes (1–480). Without it, asking for more than 45 minutes, the
    /// longest conversation Coffeechat offers, is flagged.
    #[serde(default)]
    #[schema(example = 30, minimum = 1, maximum = 480)]
    pub length_minutes: Option<u16>,
}

/// What a host would object to; an empty list when all is well.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EtiquetteReport {
    pub findings: Vec<FindingView>,
}

/// One sentence a host would object to.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FindingView {
    /// The sentence as written (whitespace collapsed, list markers removed).
    #[schema(example = "Attached is my résumé.")]
    pub text: String,
    pub rule: EtiquetteRule,
    /// How to say it instead.
    pub suggestion: String,
}

/// The rule a sentence breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EtiquetteRule {
    /// Selling oneself: "hire me", an attached résumé, a long list of achievements.
    Pitching,
    /// Asking which jobs are open, for a referral, a good word, or an edge at the host's employer.
    InsideTrack,
    /// Turning the conversation into a job search.
    JobDevelopment,
    /// Complaining about a boss, colleagues or an employer.
    Venting,
    /// Asking for more time than the host offers.
    OverTime,
}

impl From<Rule> for EtiquetteRule {
    fn from(rule: Rule) -> Self {
        match rule {
            Rule::Pitching => EtiquetteRule::Pitching,
            Rule::InsideTrack => EtiquetteRule::InsideTrack,
            Rule::JobDevelopment => EtiquetteRule::JobDevelopment,
            Rule::Venting => EtiquetteRule::Venting,
            Rule::OverTime => EtiquetteRule::OverTime,
        }
    }
}

impl From<Finding> for FindingView {
    fn from(finding: Finding) -> Self {
        FindingView { text: finding.text, rule: finding.rule.into(), suggestion: finding.suggestion }
    }
}

impl EtiquetteCheckBody {
    fn check_limits(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        if self.purpose.chars().count() > MAX_PURPOSE_CHARS {
            errors.add("purpose", format!("must be at most {MAX_PURPOSE_CHARS} characters"));
        }
        if self.questions.len() > MAX_QUESTIONS {
            errors.add("questions", format!("check at most {MAX_QUESTIONS} questions at a time"));
        }
        for (index, question) in self.questions.iter().enumerate() {
            if question.chars().count() > MAX_QUESTION_CHARS {
                errors.add(format!("questions[{index}]"), format!("must be at most {MAX_QUESTION_CHARS} characters"));
            }
        }
        if let Some(minutes) = self.length_minutes
            && !(1..=MAX_LENGTH_MINUTES).contains(&minutes)
        {
            errors.add("length_minutes", format!("must be between 1 and {MAX_LENGTH_MINUTES} minutes"));
        }
        errors.into_result(|| ())
    }
}

/// Checks a draft request against what hosts object to: pitching, asking for the inside track, job
/// development, venting, and asking for more time than offered. Public.
#[utoipa::path(
    post,
    path = "/etiquette/check",
    tag = "preparation",
    request_body = EtiquetteCheckBody,
    responses(
        (status = 200, description = "The findings, sentence by sentence; an empty list when all is well", body = EtiquetteReport),
        (status = 400, description = "The body is not a JSON object", body = ErrorBody),
        (status = 422, description = "A field is missing or too long, or `length_minutes` is out of range", body = ErrorBody),
    )
)]
pub async fn check(ApiJson(body): ApiJson<EtiquetteCheckBody>) -> Result<Json<EtiquetteReport>, ApiError> {
    body.check_limits().map_err(ApiError::invalid)?;
    let findings = etiquette::check_request(&body.purpose, &body.questions, body.length_minutes);
    Ok(Json(EtiquetteReport { findings: findings.into_iter().map(FindingView::from).collect() }))
}

/// The question bank.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct QuestionBankView {
    pub topics: Vec<TopicView>,
    /// Minutes a question takes at a brisk pace, for fitting questions to a meeting.
    #[schema(example = 3)]
    pub minutes_per_question_low: u32,
    /// Minutes a question takes with fuller answers.
    #[schema(example = 4)]
    pub minutes_per_question_high: u32,
}

/// One topic and its questions.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TopicView {
    /// The topic's name (`career_path`, `day_in_the_role`, ...).
    #[schema(example = "career_path")]
    pub topic: String,
    #[schema(example = "Career path")]
    pub title: String,
    pub description: String,
    pub questions: Vec<BankQuestionView>,
}

/// A question and how to make it one's own.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BankQuestionView {
    #[schema(example = "How did you find your way into this work?")]
    pub text: String,
    /// A hint on adapting it to the seeker and the host.
    pub adapt: String,
}

impl From<QuestionTopic> for TopicView {
    fn from(topic: QuestionTopic) -> Self {
        TopicView {
            topic: topic.as_str().to_owned(),
            title: topic.title().to_owned(),
            description: topic.description().to_owned(),
            questions: question_bank::questions_for(topic)
                .iter()
                .map(|question| BankQuestionView { text: question.text.to_owned(), adapt: question.adapt.to_owned() })
                .collect(),
        }
    }
}

/// Good open questions for an informational interview, grouped by topic, each with a hint on adapting it.
/// Public, and the same for everyone, so it may be cached.
#[utoipa::path(
    get,
    path = "/question-bank",
    tag = "preparation",
    responses(
        (status = 200, description = "Every topic with its questions", body = QuestionBankView),
    )
)]
pub async fn question_bank() -> impl IntoResponse {
    let view = QuestionBankView {
        topics: question_bank::topics().iter().copied().map(TopicView::from).collect(),
        minutes_per_question_low: MINUTES_PER_QUESTION_LOW,
        minutes_per_question_high: MINUTES_PER_QUESTION_HIGH,
    };
    ([(header::CACHE_CONTROL, "public, max-age=3600")], Json(view))
}
