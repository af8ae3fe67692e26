//! A store that fails every call (database down) or panics on every call (a bug), to check what users see then.

use coffeechat_domain::{AccountId, Email, Handle, HostPolicy, HostProfile, InterviewId, RequestId};
use coffeechat_store::{
    AcceptBooking, Account, Booking, Host, HostSearch, InterviewRecord, NewAccount, NewRequestRecord, RequestChange,
    RequestRecord, Result, SessionRecord, Store, StoreError,
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
