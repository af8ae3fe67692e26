//! Browser sessions: save, load, replace, delete, expire.

use coffeechat_store::SessionRecord;
use jiff::{SignedDuration, Timestamp};

use crate::support::backends;

fn record(data: &[u8], expires_at: Timestamp) -> SessionRecord {
    SessionRecord { data: data.to_vec(), expires_at }
}

#[tokio::test]
async fn a_session_round_trips_and_can_be_replaced_and_deleted() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let later = Timestamp::now() + SignedDuration::from_hours(24);
        store.save_session("s1", &record(b"{\"user\":1}", later)).await.unwrap();

        let loaded = store.load_session("s1").await.unwrap().unwrap();
        assert_eq!(loaded.data, b"{\"user\":1}");
        assert_eq!(loaded.expires_at.as_second(), later.as_second());

        let even_later = later + SignedDuration::from_hours(1);
        store.save_session("s1", &record(b"{\"user\":2}", even_later)).await.unwrap();
        let replaced = store.load_session("s1").await.unwrap().unwrap();
        assert_eq!(replaced.data, b"{\"user\":2}");
        assert_eq!(replaced.expires_at.as_second(), even_later.as_second());

        store.delete_session("s1").await.unwrap();
        assert!(store.load_session("s1").await.unwrap().is_none());
        // Deleting what is gone is not an error (logout twice).
        store.delete_session("s1").await.unwrap();
        assert!(store.load_session("never-saved").await.unwrap().is_none());
    }
}

#[tokio::test]
async fn expired_sessions_do_not_load_and_are_swept() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let now = Timestamp::now();
        store.save_session("old-1", &record(b"a", now - SignedDuration::from_hours(2))).await.unwrap();
        store.save_session("old-2", &record(b"b", now - SignedDuration::from_secs(5))).await.unwrap();
        store.save_session("fresh", &record(b"c", now + SignedDuration::from_hours(2))).await.unwrap();

        assert!(store.load_session("old-1").await.unwrap().is_none());
        assert_eq!(store.delete_expired_sessions(now).await.unwrap(), 2);
        assert_eq!(store.delete_expired_sessions(now).await.unwrap(), 0);
        assert_eq!(store.load_session("fresh").await.unwrap().unwrap().data, b"c");
    }
}
