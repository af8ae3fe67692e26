//! Rows of link tokens and feed tokens.

use coffeechat_domain::{AccountId, InterviewId};
use sqlx::FromRow;

use super::{Seconds, corrupt};
use crate::{ActionTokenRecord, FeedTokenRecord, LinkAction, Result};

#[derive(Debug, FromRow)]
pub(crate) struct ActionTokenRow {
    interview_id: i64,
    account_id: i64,
    action: String,
    sequence: i32,
    created_at: Seconds,
    used_at: Option<Seconds>,
}

impl ActionTokenRow {
    pub(crate) fn into_record(self) -> Result<ActionTokenRecord> {
        Ok(ActionTokenRecord {
            interview_id: InterviewId(self.interview_id),
            account_id: AccountId(self.account_id),
            action: LinkAction::parse(&self.action).map_err(|error| corrupt("action_tokens.action", error))?,
            sequence: self.sequence,
            created_at: self.created_at.timestamp("action_tokens.created_at")?,
            used_at: self.used_at.map(|at| at.timestamp("action_tokens.used_at")).transpose()?,
        })
    }
}

#[derive(Debug, FromRow)]
pub(crate) struct FeedTokenRow {
    nonce: String,
    token_hash: String,
    created_at: Seconds,
}

impl FeedTokenRow {
    pub(crate) fn into_record(self) -> Result<FeedTokenRecord> {
        let created_at = self.created_at.timestamp("feed_tokens.created_at")?;
        Ok(FeedTokenRecord { nonce: self.nonce, token_hash: self.token_hash, created_at })
    }
}
