//! Calendar-side changes of an interview: moving it to another time (atomically, like an accept), the
//! single-purpose reschedule/cancel links sent by email, and each account's private calendar feed token.
//!
//! Tokens are never stored, only their SHA-256 (computed by the caller): the store looks rows up by hash.

use coffeechat_domain::{AccountId, InterviewId};
use jiff::Timestamp;

use crate::outbox::NewOutboxMessage;
use crate::{Account, CapPeriod, InterviewRecord, Result};

/// What a single-purpose link lets its holder do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkAction {
    Reschedule,
    Cancel,
}

impl LinkAction {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkAction::Reschedule => "reschedule",
            LinkAction::Cancel => "cancel",
        }
    }

    /// # Errors
    /// A message when `raw` is not a known action.
    pub fn parse(raw: &str) -> std::result::Result<Self, String> {
        match raw {
            "reschedule" => Ok(LinkAction::Reschedule),
            "cancel" => Ok(LinkAction::Cancel),
            other => Err(format!("'{other}' is not a link action")),
        }
    }
}

/// A link token to store with the message that carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewActionToken {
    /// SHA-256 of the token, lower-case hex.
    pub token_hash: String,
    pub interview_id: InterviewId,
    /// The party the link acts for.
    pub account_id: AccountId,
    pub action: LinkAction,
    /// The interview's iCalendar sequence the link is valid for.
    pub sequence: i32,
}

/// A stored link token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionTokenRecord {
    pub interview_id: InterviewId,
    pub account_id: AccountId,
    pub action: LinkAction,
    pub sequence: i32,
    pub created_at: Timestamp,
    pub used_at: Option<Timestamp>,
}

/// Everything [`CalendarStore::reschedule_interview`] checks and writes in one transaction.
#[derive(Debug, Clone)]
pub struct RescheduleBooking {
    pub interview_id: InterviewId,
    /// The `ical_sequence` the caller saw: a concurrent change (another reschedule, a cancellation) raised it,
    /// and the write is refused rather than applied on top of a change the caller did not see.
    pub expected_sequence: i32,
    pub start: Timestamp,
    pub end: Timestamp,
    /// Another active interview of the host overlapping `[conflict_from, conflict_to)` refuses the move (the
    /// interview itself never does).
    pub conflict_from: Timestamp,
    pub conflict_to: Timestamp,
    /// The capped periods (host zone) the new start falls in; each must hold fewer than `cap` other active
    /// interviews (plus, when `count_pending`, pending requests counted at their earliest proposed start).
    pub caps: Vec<CapPeriod>,
    pub count_pending: bool,
    /// The link used to ask for the move, marked used in the same transaction.
    pub used_token_hash: Option<String>,
    /// The notices of the move, queued in the same transaction (with the tokens they carry).
    pub messages: Vec<NewOutboxMessage>,
    pub at: Timestamp,
}

/// An account's calendar feed token (its hash and the nonce it was derived from).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedTokenRecord {
    pub nonce: String,
    pub token_hash: String,
    pub created_at: Timestamp,
}

/// Storage of rescheduling, link tokens and feed tokens. Every method is one unit of work.
#[async_trait::async_trait]
pub trait CalendarStore: Send + Sync {
    /// In one transaction: checks the interview is scheduled at `expected_sequence`, that no other active
    /// interview of the host overlaps the conflict range and that every cap period has room (the interview
    /// itself not counted); moves it, raises its sequence, marks the used link and queues the messages.
    ///
    /// # Errors
    /// [`Conflict::StateChanged`](crate::Conflict::StateChanged), [`Conflict::SlotTaken`](crate::Conflict::SlotTaken)
    /// or [`Conflict::CapReached`](crate::Conflict::CapReached), checked in that order (also `StateChanged` when the
    /// link was used meanwhile); [`StoreError::NotFound`](crate::StoreError::NotFound) when it does not exist.
    async fn reschedule_interview(&self, booking: RescheduleBooking) -> Result<InterviewRecord>;

    /// The link token with this hash.
    async fn action_token(&self, token_hash: &str) -> Result<Option<ActionTokenRecord>>;

    /// Marks the token used at `at`; `false` when it was already used or does not exist.
    async fn use_action_token(&self, token_hash: &str, at: Timestamp) -> Result<bool>;

    /// The account's feed token, if it has one.
    async fn feed_token(&self, account: AccountId) -> Result<Option<FeedTokenRecord>>;

    /// Creates or replaces the account's feed token (a replaced one stops working at once).
    ///
    /// # Errors
    /// [`StoreError::NotFound`](crate::StoreError::NotFound) when the account does not exist.
    async fn put_feed_token(&self, account: AccountId, token: &FeedTokenRecord) -> Result<()>;

    /// Deletes the account's feed token; `false` when it had none.
    async fn delete_feed_token(&self, account: AccountId) -> Result<bool>;

    /// The owner of the feed token with this hash.
    async fn account_by_feed_token(&self, token_hash: &str) -> Result<Option<Account>>;
}
