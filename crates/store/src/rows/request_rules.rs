//! Rows of host request rules (`host_request_rules`) and of the request columns issue 4 added.

use coffeechat_domain::etiquette::Finding;
use coffeechat_domain::{EtiquetteMode, Overflow, RequestRules, RequestRulesInput};
use sqlx::FromRow;

use super::{JsonText, Seconds, corrupt};
use crate::{RequestDeadlines, Result};

#[derive(Debug, FromRow)]
pub(crate) struct RulesRow {
    etiquette_mode: String,
    min_questions: i32,
    overflow: String,
    expiry_days: i32,
    max_open_requests: i32,
    response_days: i32,
}

impl RulesRow {
    pub(crate) fn into_rules(self) -> Result<RequestRules> {
        let input = RequestRulesInput {
            etiquette_mode: Some(self.etiquette_mode),
            min_questions: Some(self.min_questions.into()),
            overflow: Some(self.overflow),
            expiry_days: Some(self.expiry_days.into()),
            max_open_requests: Some(self.max_open_requests.into()),
            response_days: Some(self.response_days.into()),
        };
        input.apply(&RequestRules::default()).map_err(|errors| corrupt("host_request_rules", errors))
    }
}

/// The rules' columns in binding order: etiquette mode, min questions, overflow, expiry, max open, response.
pub(crate) fn rules_columns(rules: &RequestRules) -> (&'static str, i32, &'static str, i32, i32, i32) {
    let number = |value: u32| i32::try_from(value).unwrap_or(i32::MAX);
    (
        match rules.etiquette_mode {
            EtiquetteMode::Warn => "warn",
            EtiquetteMode::Block => "block",
        },
        number(rules.min_questions),
        match rules.overflow {
            Overflow::Waitlist => "waitlist",
            Overflow::Decline => "decline",
        },
        number(rules.expiry_days),
        number(rules.max_open_requests),
        number(rules.response_days),
    )
}

pub(crate) fn findings_json(findings: &[Finding]) -> Result<String> {
    serde_json::to_string(findings).map_err(|error| corrupt("requests.findings", error))
}

pub(crate) fn findings(raw: Option<JsonText>) -> Result<Vec<Finding>> {
    raw.map_or_else(|| Ok(Vec::new()), |raw| raw.list("requests.findings"))
}

#[derive(Debug, FromRow)]
pub(crate) struct DeadlinesRow {
    expires_at: Option<Seconds>,
    reminded_at: Option<Seconds>,
}

impl DeadlinesRow {
    pub(crate) fn into_deadlines(self) -> Result<RequestDeadlines> {
        Ok(RequestDeadlines {
            expires_at: self.expires_at.map(|at| at.timestamp("requests.expires_at")).transpose()?,
            reminded_at: self.reminded_at.map(|at| at.timestamp("requests.reminded_at")).transpose()?,
        })
    }
}

/// A batch size for the tasks: 1 to 500.
pub(crate) fn batch(limit: u32) -> i64 {
    i64::from(limit.clamp(1, 500))
}
