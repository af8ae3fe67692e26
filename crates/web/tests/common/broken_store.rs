//! A store that fails every call (database down) or panics on every call (a bug), to check what users see then.

use coffeechat_domain::{AccountId, Email, Handle, HostPolicy, HostProfile, InterviewId, RequestId};
use coffeechat_store::{
    AcceptBooking, Account, AccountUpdate, Booking, Host, HostSearch, InterviewRecord, NewAccount, NewRequestRecord,
    RequestChange, RequestRecord, Result, SessionRecord, Store, StoreError,
};
use jiff::Timestamp;

/// The secret that must never reach a response.
pub const SECRET_DETAIL: &str = "disk /dev/sda3 on fire at table interviews";

#[derive(Debug, Clone, Copy)]
pub enum BrokenStore {
    /// Every call returns a database error.
    Failing,
    /// Every call panics.
    Panicking,
}

impl BrokenStore {
    fn fail<T>(&self) -> Result<T> {
        match self {
            BrokenStore::Failing => Err(StoreError::Corrupt(SECRET_DETAIL.to_owned())),
            BrokenStore::Panicking => panic!("{SECRET_DETAIL}"),
        }
    }
}

#[async_trait::async_trait]
impl Store for BrokenStore {
    async fn migrate(&self) -> Result<()> {
        self.fail()
    }
    async fn ping(&self) -> Result<()> {
        self.fail()
    }
    async fn create_account(&self, _: NewAccount) -> Result<Account> {
        self.fail()
    }
    async fn account(&self, _: AccountId) -> Result<Option<Account>> {
        self.fail()
    }
    async fn update_account(&self, _: AccountId, _: &AccountUpdate) -> Result<Account> {
        self.fail()
    }
    async fn credentials(&self, _: &Email) -> Result<Option<(Account, String)>> {
        self.fail()
    }
    async fn create_api_token(&self, _: AccountId, _: &str) -> Result<()> {
        self.fail()
    }
    async fn account_by_api_token(&self, _: &str) -> Result<Option<Account>> {
        self.fail()
    }
    async fn load_session(&self, _: &str) -> Result<Option<SessionRecord>> {
        self.fail()
    }
    async fn save_session(&self, _: &str, _: &SessionRecord) -> Result<()> {
        self.fail()
    }
    async fn delete_session(&self, _: &str) -> Result<()> {
        self.fail()
    }
    async fn delete_expired_sessions(&self, _: Timestamp) -> Result<u64> {
        self.fail()
    }
    async fn host_profile(&self, _: AccountId) -> Result<Option<HostProfile>> {
        self.fail()
    }
    async fn put_host_profile(&self, _: AccountId, _: &HostProfile) -> Result<()> {
        self.fail()
    }
    async fn host_policy(&self, _: AccountId) -> Result<Option<HostPolicy>> {
        self.fail()
    }
    async fn put_host_policy(&self, _: AccountId, _: &HostPolicy) -> Result<()> {
        self.fail()
    }
    async fn host_by_handle(&self, _: &Handle) -> Result<Option<Host>> {
        self.fail()
    }
    async fn search_hosts(&self, _: &HostSearch) -> Result<Vec<Host>> {
        self.fail()
    }
    async fn industries(&self) -> Result<Vec<String>> {
        self.fail()
    }
    async fn bookings(&self, _: AccountId, _: Timestamp, _: Timestamp) -> Result<Vec<Booking>> {
        self.fail()
    }
    async fn bookings_for_hosts(
        &self,
        _: &[AccountId],
        _: Timestamp,
        _: Timestamp,
    ) -> Result<Vec<(AccountId, Booking)>> {
        self.fail()
    }
    async fn create_request(&self, _: NewRequestRecord) -> Result<RequestRecord> {
        self.fail()
    }
    async fn request(&self, _: RequestId) -> Result<Option<RequestRecord>> {
        self.fail()
    }
    async fn requests_for(&self, _: AccountId) -> Result<Vec<RequestRecord>> {
        self.fail()
    }
    async fn change_request(&self, _: RequestId, _: RequestChange, _: Timestamp) -> Result<RequestRecord> {
        self.fail()
    }
    async fn accept_request(&self, _: AcceptBooking) -> Result<InterviewRecord> {
        self.fail()
    }
    async fn interview(&self, _: InterviewId) -> Result<Option<InterviewRecord>> {
        self.fail()
    }
    async fn interviews_for(&self, _: AccountId) -> Result<Vec<InterviewRecord>> {
        self.fail()
    }
    async fn cancel_interview(&self, _: InterviewId, _: AccountId, _: &str, _: Timestamp) -> Result<InterviewRecord> {
        self.fail()
    }
}

#[async_trait::async_trait]
impl coffeechat_store::OverrideStore for BrokenStore {
    async fn overrides(&self, _: AccountId) -> Result<Vec<coffeechat_store::OverrideRecord>> {
        self.fail()
    }
    async fn overrides_between(
        &self,
        _: AccountId,
        _: jiff::civil::Date,
        _: jiff::civil::Date,
    ) -> Result<Vec<coffeechat_domain::DateOverride>> {
        self.fail()
    }
    async fn overrides_for_hosts(
        &self,
        _: &[AccountId],
        _: jiff::civil::Date,
        _: jiff::civil::Date,
    ) -> Result<Vec<(AccountId, coffeechat_domain::DateOverride)>> {
        self.fail()
    }
    async fn add_override(
        &self,
        _: AccountId,
        _: &coffeechat_domain::DateOverride,
        _: Timestamp,
    ) -> Result<coffeechat_store::AddedOverride> {
        self.fail()
    }
    async fn delete_override(&self, _: AccountId, _: coffeechat_store::OverrideId) -> Result<bool> {
        self.fail()
    }
}

#[async_trait::async_trait]
impl coffeechat_store::HoldStore for BrokenStore {
    async fn pending_holds(
        &self,
        _: AccountId,
        _: Timestamp,
        _: Timestamp,
    ) -> Result<Vec<coffeechat_store::PendingHold>> {
        self.fail()
    }
    async fn pending_holds_for_hosts(
        &self,
        _: &[AccountId],
        _: Timestamp,
        _: Timestamp,
    ) -> Result<Vec<(AccountId, coffeechat_store::PendingHold)>> {
        self.fail()
    }
}

#[async_trait::async_trait]
impl coffeechat_store::BusyCalendarStore for BrokenStore {
    async fn add_busy_calendar(
        &self,
        _: coffeechat_store::NewBusyCalendar,
    ) -> Result<coffeechat_store::BusyCalendarRecord> {
        self.fail()
    }
    async fn busy_calendars(&self, _: AccountId) -> Result<Vec<coffeechat_store::BusyCalendarRecord>> {
        self.fail()
    }
    async fn busy_calendar(
        &self,
        _: coffeechat_store::BusyCalendarId,
    ) -> Result<Option<coffeechat_store::BusyCalendarRecord>> {
        self.fail()
    }
    async fn busy_calendar_text(&self, _: coffeechat_store::BusyCalendarId) -> Result<Option<String>> {
        self.fail()
    }
    async fn delete_busy_calendar(&self, _: AccountId, _: coffeechat_store::BusyCalendarId) -> Result<bool> {
        self.fail()
    }
    async fn record_busy_import(
        &self,
        _: coffeechat_store::BusyCalendarId,
        _: coffeechat_store::ImportAttempt,
    ) -> Result<coffeechat_store::BusyCalendarRecord> {
        self.fail()
    }
    async fn claim_due_busy_calendars(
        &self,
        _: Timestamp,
        _: Timestamp,
        _: u32,
    ) -> Result<Vec<coffeechat_store::BusyCalendarRecord>> {
        self.fail()
    }
    async fn busy_blocks(&self, _: AccountId, _: Timestamp, _: Timestamp) -> Result<Vec<coffeechat_store::BusyBlock>> {
        self.fail()
    }
    async fn busy_blocks_for_hosts(
        &self,
        _: &[AccountId],
        _: Timestamp,
        _: Timestamp,
    ) -> Result<Vec<(AccountId, coffeechat_store::BusyBlock)>> {
        self.fail()
    }
}

#[async_trait::async_trait]
impl coffeechat_store::OutboxStore for BrokenStore {
    async fn enqueue_messages(
        &self,
        _: Vec<coffeechat_store::NewOutboxMessage>,
        _: Timestamp,
    ) -> Result<Vec<coffeechat_store::OutboxId>> {
        self.fail()
    }
    async fn claim_next_message(&self, _: Timestamp, _: Timestamp) -> Result<Option<coffeechat_store::OutboxMessage>> {
        self.fail()
    }
    async fn mark_message_sent(&self, _: coffeechat_store::OutboxId, _: Timestamp) -> Result<()> {
        self.fail()
    }
    async fn mark_message_failed(&self, _: coffeechat_store::OutboxId, _: &str, _: Option<Timestamp>) -> Result<()> {
        self.fail()
    }
    async fn release_stale_claims(&self, _: Timestamp, _: u32) -> Result<u64> {
        self.fail()
    }
    async fn outbox_message(&self, _: coffeechat_store::OutboxId) -> Result<Option<coffeechat_store::OutboxMessage>> {
        self.fail()
    }
    async fn outbox_messages(
        &self,
        _: Option<coffeechat_store::OutboxStatus>,
        _: u32,
    ) -> Result<Vec<coffeechat_store::OutboxMessage>> {
        self.fail()
    }
    async fn outbox_counts(&self) -> Result<coffeechat_store::OutboxCounts> {
        self.fail()
    }
    async fn delete_sent_messages(&self, _: Timestamp) -> Result<u64> {
        self.fail()
    }
}

#[async_trait::async_trait]
impl coffeechat_store::CalendarStore for BrokenStore {
    async fn reschedule_interview(&self, _: coffeechat_store::RescheduleBooking) -> Result<InterviewRecord> {
        self.fail()
    }
    async fn action_token(&self, _: &str) -> Result<Option<coffeechat_store::ActionTokenRecord>> {
        self.fail()
    }
    async fn use_action_token(&self, _: &str, _: Timestamp) -> Result<bool> {
        self.fail()
    }
    async fn feed_token(&self, _: AccountId) -> Result<Option<coffeechat_store::FeedTokenRecord>> {
        self.fail()
    }
    async fn put_feed_token(&self, _: AccountId, _: &coffeechat_store::FeedTokenRecord) -> Result<()> {
        self.fail()
    }
    async fn delete_feed_token(&self, _: AccountId) -> Result<bool> {
        self.fail()
    }
    async fn account_by_feed_token(&self, _: &str) -> Result<Option<Account>> {
        self.fail()
    }
}
