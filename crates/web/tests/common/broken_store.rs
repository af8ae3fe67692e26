//! A store that fails every call (database down) or panics on every call (a bug), to check what users see then.

use coffeechat_domain::{AccountId, Email, Handle, HostPolicy, HostProfile, InterviewId, RequestId};
use coffeechat_store::{
    AcceptBooking, Account, AccountUpdate, Booking, Host, HostSearch, InterviewRecord, MakeFollowUps, NewAccount,
    NewRequestRecord, RequestChange, RequestRecord, Result, SessionRecord, Store, StoreError,
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
    async fn accept_request_with(&self, _: AcceptBooking, _: &MakeFollowUps<'_>) -> Result<InterviewRecord> {
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
    async fn claim_next_message_for(
        &self,
        _: &str,
        _: Timestamp,
        _: Timestamp,
    ) -> Result<Option<coffeechat_store::OutboxMessage>> {
        self.fail()
    }
    async fn release_claims_of(&self, _: &str, _: Timestamp) -> Result<u64> {
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

#[async_trait::async_trait]
impl coffeechat_store::NotificationStore for BrokenStore {
    async fn add_notification(
        &self,
        _: coffeechat_store::NewNotification,
    ) -> Result<Option<coffeechat_store::NotificationId>> {
        self.fail()
    }
    async fn notifications(&self, _: AccountId, _: u32) -> Result<Vec<coffeechat_store::NotificationRecord>> {
        self.fail()
    }
    async fn unread_notifications(&self, _: AccountId) -> Result<u32> {
        self.fail()
    }
    async fn mark_notifications_read(
        &self,
        _: AccountId,
        _: &[coffeechat_store::NotificationId],
        _: Timestamp,
    ) -> Result<u64> {
        self.fail()
    }
}

#[async_trait::async_trait]
impl coffeechat_store::OpsStore for BrokenStore {
    async fn migration_status(&self) -> Result<coffeechat_store::MigrationStatus> {
        self.fail()
    }
    fn pool_stats(&self) -> coffeechat_store::PoolStats {
        coffeechat_store::PoolStats::default()
    }
}

#[async_trait::async_trait]
impl coffeechat_store::AftercareStore for BrokenStore {
    async fn aftercare(&self, _: coffeechat_domain::InterviewId) -> Result<coffeechat_store::AftercareRecord> {
        self.fail()
    }
    async fn aftercare_of(
        &self,
        _: &[coffeechat_domain::InterviewId],
    ) -> Result<Vec<coffeechat_store::AftercareRecord>> {
        self.fail()
    }
    async fn record_thanks(&self, _: coffeechat_domain::InterviewId, _: &str, _: Timestamp) -> Result<()> {
        self.fail()
    }
    async fn mark_thanks_reminded(&self, _: coffeechat_domain::InterviewId, _: Timestamp) -> Result<bool> {
        self.fail()
    }
    async fn thanks_reminders_due(&self, _: Timestamp, _: Timestamp) -> Result<Vec<coffeechat_domain::InterviewId>> {
        self.fail()
    }
    async fn record_no_show(
        &self,
        _: coffeechat_domain::InterviewId,
        _: coffeechat_store::Absentee,
        _: AccountId,
        _: Timestamp,
    ) -> Result<()> {
        self.fail()
    }
    async fn save_debrief(
        &self,
        _: coffeechat_domain::InterviewId,
        _: &coffeechat_store::Debrief,
        _: Timestamp,
    ) -> Result<coffeechat_store::AftercareRecord> {
        self.fail()
    }
    async fn set_talent_consent(&self, _: coffeechat_domain::InterviewId, _: bool, _: Timestamp) -> Result<()> {
        self.fail()
    }
    async fn record_follow_up_invite(&self, _: coffeechat_domain::InterviewId, _: Timestamp) -> Result<()> {
        self.fail()
    }
    async fn talent_pool(&self, _: AccountId) -> Result<Vec<coffeechat_store::TalentPoolEntry>> {
        self.fail()
    }
    async fn no_shows_of_seeker(&self, _: AccountId) -> Result<u32> {
        self.fail()
    }
    async fn follow_up_invited_at(&self, _: AccountId, _: AccountId) -> Result<Option<Timestamp>> {
        self.fail()
    }
}

#[async_trait::async_trait]
impl coffeechat_store::RequestRulesStore for BrokenStore {
    async fn request_rules(&self, _: AccountId) -> Result<coffeechat_domain::RequestRules> {
        self.fail()
    }
    async fn put_request_rules(&self, _: AccountId, _: &coffeechat_domain::RequestRules) -> Result<()> {
        self.fail()
    }
    async fn set_request_findings(&self, _: RequestId, _: &[coffeechat_domain::etiquette::Finding]) -> Result<()> {
        self.fail()
    }
    async fn request_findings(&self, _: RequestId) -> Result<Vec<coffeechat_domain::etiquette::Finding>> {
        self.fail()
    }
    async fn request_deadlines(&self, _: RequestId) -> Result<coffeechat_store::RequestDeadlines> {
        self.fail()
    }
    async fn open_requests(&self, _: AccountId) -> Result<coffeechat_store::OpenRequests> {
        self.fail()
    }
    async fn past_meetings(
        &self,
        _: AccountId,
        _: AccountId,
        _: Timestamp,
    ) -> Result<Vec<coffeechat_store::PastMeeting>> {
        self.fail()
    }
    async fn answer_delays(&self, _: AccountId, _: Timestamp) -> Result<Vec<jiff::SignedDuration>> {
        self.fail()
    }
    async fn claim_due_reminders(&self, _: Timestamp, _: u32) -> Result<Vec<RequestId>> {
        self.fail()
    }
    async fn expire_due_requests(&self, _: Timestamp, _: u32) -> Result<Vec<RequestId>> {
        self.fail()
    }
}

#[async_trait::async_trait]
impl coffeechat_store::WaitlistStore for BrokenStore {
    async fn add_to_waitlist(&self, _: coffeechat_store::NewWaitlistEntry) -> Result<coffeechat_store::WaitlistEntry> {
        self.fail()
    }
    async fn waitlist_entry(&self, _: coffeechat_store::WaitlistId) -> Result<Option<coffeechat_store::WaitlistEntry>> {
        self.fail()
    }
    async fn waitlist_of_seeker(&self, _: AccountId) -> Result<Vec<coffeechat_store::WaitlistEntry>> {
        self.fail()
    }
    async fn waitlist_of_host(&self, _: AccountId) -> Result<Vec<coffeechat_store::WaitlistEntry>> {
        self.fail()
    }
    async fn leave_waitlist(
        &self,
        _: coffeechat_store::WaitlistId,
        _: AccountId,
        _: Timestamp,
    ) -> Result<coffeechat_store::WaitlistEntry> {
        self.fail()
    }
    async fn open_offer(&self, _: AccountId, _: Timestamp) -> Result<Option<coffeechat_store::WaitlistEntry>> {
        self.fail()
    }
    async fn use_offer(&self, _: AccountId, _: AccountId, _: Timestamp) -> Result<bool> {
        self.fail()
    }
    async fn lapse_offers(&self, _: Timestamp) -> Result<Vec<coffeechat_store::WaitlistEntry>> {
        self.fail()
    }
    async fn offer_next(
        &self,
        _: AccountId,
        _: Timestamp,
        _: Timestamp,
    ) -> Result<Option<coffeechat_store::WaitlistEntry>> {
        self.fail()
    }
    async fn hosts_with_waitlist(&self) -> Result<Vec<AccountId>> {
        self.fail()
    }
    async fn declined_full_count(&self, _: AccountId, _: Timestamp) -> Result<u32> {
        self.fail()
    }
}

#[async_trait::async_trait]
impl coffeechat_store::ProgramStore for BrokenStore {
    async fn create_program(&self, _: &coffeechat_store::NewProgramRecord) -> Result<coffeechat_store::ProgramRecord> {
        self.fail()
    }
    async fn program(&self, _: coffeechat_domain::ProgramId) -> Result<Option<coffeechat_store::ProgramRecord>> {
        self.fail()
    }
    async fn programs_of(&self, _: AccountId) -> Result<Vec<coffeechat_store::ProgramMembership>> {
        self.fail()
    }
    async fn program_members(&self, _: coffeechat_domain::ProgramId) -> Result<Vec<coffeechat_store::ProgramMember>> {
        self.fail()
    }
    async fn add_program_member(
        &self,
        _: coffeechat_domain::ProgramId,
        _: AccountId,
        _: coffeechat_domain::ProgramRole,
        _: Timestamp,
    ) -> Result<bool> {
        self.fail()
    }
    async fn create_program_invitation(
        &self,
        _: &coffeechat_store::NewProgramInvitation,
    ) -> Result<coffeechat_store::ProgramInvitation> {
        self.fail()
    }
    async fn program_invitation(&self, _: &str) -> Result<Option<coffeechat_store::ProgramInvitation>> {
        self.fail()
    }
    async fn create_round(&self, _: &coffeechat_store::NewRoundRecord) -> Result<coffeechat_store::RoundRecord> {
        self.fail()
    }
    async fn round(&self, _: coffeechat_domain::RoundId) -> Result<Option<coffeechat_store::RoundRecord>> {
        self.fail()
    }
    async fn rounds_of(&self, _: coffeechat_domain::ProgramId) -> Result<Vec<coffeechat_store::RoundRecord>> {
        self.fail()
    }
    async fn set_round_constraint(
        &self,
        _: coffeechat_domain::RoundId,
        _: AccountId,
        _: AccountId,
        _: Option<coffeechat_store::ConstraintKind>,
        _: Timestamp,
    ) -> Result<i64> {
        self.fail()
    }
    async fn save_round_proposal(
        &self,
        _: coffeechat_domain::RoundId,
        _: &coffeechat_store::RoundProposal,
        _: i64,
        _: Timestamp,
    ) -> Result<()> {
        self.fail()
    }
    async fn publish_round(&self, _: coffeechat_domain::RoundId, _: Timestamp) -> Result<()> {
        self.fail()
    }
    async fn record_round_requests(&self, _: coffeechat_domain::RoundId, _: &[RequestId]) -> Result<()> {
        self.fail()
    }
}

#[async_trait::async_trait]
impl coffeechat_store::MatchingStore for BrokenStore {
    async fn seeker_profile(&self, _: AccountId) -> Result<Option<coffeechat_domain::SeekerProfile>> {
        self.fail()
    }
    async fn seeker_profiles(&self, _: &[AccountId]) -> Result<Vec<(AccountId, coffeechat_domain::SeekerProfile)>> {
        self.fail()
    }
    async fn put_seeker_profile(&self, _: AccountId, _: &coffeechat_domain::SeekerProfile, _: Timestamp) -> Result<()> {
        self.fail()
    }
    async fn host_background(&self, _: AccountId) -> Result<Option<coffeechat_domain::HostBackground>> {
        self.fail()
    }
    async fn put_host_background(&self, _: AccountId, _: &coffeechat_domain::HostBackground) -> Result<()> {
        self.fail()
    }
    async fn matching_hosts(&self, _: Option<&[AccountId]>) -> Result<Vec<coffeechat_store::MatchingHost>> {
        self.fail()
    }
    async fn met_pairs(&self, _: &[AccountId], _: Timestamp) -> Result<Vec<coffeechat_store::PairFact>> {
        self.fail()
    }
    async fn declined_pairs(&self, _: &[AccountId]) -> Result<Vec<coffeechat_store::PairFact>> {
        self.fail()
    }
    async fn open_pairs(&self, _: &[AccountId], _: Timestamp) -> Result<Vec<coffeechat_store::PairFact>> {
        self.fail()
    }
}
