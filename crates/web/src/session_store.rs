//! Browser sessions kept in Coffeechat's own database, through the [`Store`] trait, so that any
//! instance of the server can read a session another one wrote.
//!
//! Records are serialised as JSON. The cookie is HttpOnly and SameSite=Lax (together with the CSRF
//! layer this keeps other sites from posting forms on a user's behalf), `Secure` when the site is
//! served over https, and sessions end after 14 days without activity.

use std::sync::Arc;
use std::time::Duration;

use coffeechat_store::{SessionRecord, Store};
use jiff::Timestamp;
use tower_sessions::cookie::SameSite;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result};
use tower_sessions::{Expiry, SessionManagerLayer, SessionStore};

use crate::state::WebConfig;

/// How long a session lives after the last request that used it.
pub const SESSION_INACTIVITY_LIMIT: time::Duration = time::Duration::days(14);

/// How often [`delete_expired_sessions_periodically`] sweeps.
pub const EXPIRED_SESSION_SWEEP: Duration = Duration::from_secs(60 * 60);

/// A [`SessionStore`] on top of Coffeechat's [`Store`].
#[derive(Debug, Clone)]
pub struct StoreSessions {
    store: Arc<dyn Store>,
}

impl StoreSessions {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }
}

/// The session layer with Coffeechat's cookie settings.
pub fn session_layer(store: Arc<dyn Store>, config: &WebConfig) -> SessionManagerLayer<StoreSessions> {
    // The `__Host-` prefix makes browsers refuse the cookie unless it is Secure, host-only and for `/`,
    // so a sibling subdomain cannot plant a session id; it is only valid over https.
    let name = if config.secure_cookies { "__Host-coffeechat_session" } else { "coffeechat_session" };
    SessionManagerLayer::new(StoreSessions::new(store))
        .with_name(name)
        .with_path("/")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.secure_cookies)
        .with_expiry(Expiry::OnInactivity(SESSION_INACTIVITY_LIMIT))
        // Saving on every request is what makes the expiry count from the last activity rather than from
        // the last change of the session's contents.
        .with_always_save(true)
}

/// Deletes expired sessions every [`EXPIRED_SESSION_SWEEP`] until the task is dropped or aborted.
pub async fn delete_expired_sessions_periodically(store: Arc<dyn Store>) {
    let mut interval = tokio::time::interval(EXPIRED_SESSION_SWEEP);
    loop {
        interval.tick().await;
        match store.delete_expired_sessions(Timestamp::now()).await {
            Ok(0) => {}
            Ok(count) => tracing::debug!(count, "deleted expired sessions"),
            Err(error) => tracing::warn!(%error, "could not delete expired sessions"),
        }
    }
}

fn backend(error: coffeechat_store::StoreError) -> Error {
    Error::Backend(error.to_string())
}

fn to_timestamp(at: time::OffsetDateTime) -> Result<Timestamp> {
    Timestamp::from_nanosecond(at.unix_timestamp_nanos()).map_err(|e| Error::Encode(e.to_string()))
}

fn to_offset_date_time(at: Timestamp) -> Result<time::OffsetDateTime> {
    time::OffsetDateTime::from_unix_timestamp_nanos(at.as_nanosecond()).map_err(|e| Error::Decode(e.to_string()))
}

#[async_trait::async_trait]
impl SessionStore for StoreSessions {
    async fn create(&self, record: &mut Record) -> Result<()> {
        // Ids are 128 random bits, so this loop practically never repeats; it exists so a collision can never
        // hand one user another user's session.
        while self.store.load_session(&record.id.to_string()).await.map_err(backend)?.is_some() {
            record.id = Id::default();
        }
        self.save(record).await
    }

    async fn save(&self, record: &Record) -> Result<()> {
        let data = serde_json::to_vec(&record.data).map_err(|e| Error::Encode(e.to_string()))?;
        let expires_at = to_timestamp(record.expiry_date)?;
        self.store.save_session(&record.id.to_string(), &SessionRecord { data, expires_at }).await.map_err(backend)
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let Some(stored) = self.store.load_session(&id.to_string()).await.map_err(backend)? else {
            return Ok(None);
        };
        if stored.expires_at <= Timestamp::now() {
            return Ok(None);
        }
        let data = serde_json::from_slice(&stored.data).map_err(|e| Error::Decode(e.to_string()))?;
        Ok(Some(Record { id: *id, data, expiry_date: to_offset_date_time(stored.expires_at)? }))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        self.store.delete_session(&id.to_string()).await.map_err(backend)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use super::*;

    #[test]
    fn instants_survive_the_round_trip_between_time_and_jiff() {
        let at: Timestamp = "2026-03-02T09:15:30.123456789Z".parse().unwrap();
        assert_eq!(to_timestamp(to_offset_date_time(at).unwrap()).unwrap(), at);
    }
}
