//! A very short-lived cache of the rows a host's slot search reads, for the pages and API answers that only
//! show slots (never for a decision that writes): many viewers of one host page share one set of queries.
//!
//! An entry is reused only while the store says nothing was written since it was read
//! ([`Store::data_version`](coffeechat_store::Store::data_version)) and for at most [`FRESH_FOR`], so a slot
//! taken in this process disappears at once and one taken by another process within a second or so.
//!
//! Entries are refreshed ahead of time: the first reader to find an entry older than [`REFRESH_AFTER`] reads
//! it again while the others go on using it (it is still within [`FRESH_FOR`]), so under load an entry's
//! expiry costs one read rather than one per concurrent viewer at the same instant.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use coffeechat_domain::{AccountId, DateOverride};
use coffeechat_store::{Booking, BusyBlock, PendingHold};
use jiff::Timestamp;
use jiff::civil::Date;

/// How long an entry may be reused when nothing was written through this process.
pub(crate) const FRESH_FOR: Duration = Duration::from_secs(1);
/// Past this age the first reader refreshes an entry while the others keep using it.
pub(crate) const REFRESH_AFTER: Duration = Duration::from_millis(800);
/// Entries kept at most (then all are dropped): hosts × ranges viewed within a second.
const MAX_ENTRIES: usize = 4096;

/// What one host-time fetch read: the host, the fetch window and the override dates.
pub(crate) type TimeKey = (AccountId, Timestamp, Timestamp, Date, Date);

/// The rows of one host-time fetch: bookings, pending requests, overrides, busy blocks.
#[derive(Debug, Clone, Default)]
pub(crate) struct TimeRows {
    pub(crate) bookings: Vec<Booking>,
    pub(crate) pending: Vec<PendingHold>,
    pub(crate) overrides: Vec<DateOverride>,
    pub(crate) busy: Vec<BusyBlock>,
}

/// A cached value of any type (read back with its own type).
type AnyValue = Arc<dyn Any + Send + Sync>;

#[derive(Debug, Default)]
struct Entries {
    /// The store's data version the entries were read at.
    version: u64,
    times: HashMap<TimeKey, Entry<Arc<TimeRows>>>,
    /// Other single reads (a host by handle, a host's rules): by what was read and the argument.
    values: HashMap<(&'static str, String), Entry<AnyValue>>,
}

/// One cached read.
#[derive(Debug)]
struct Entry<T> {
    read_at: Instant,
    value: T,
    /// A reader is reading it again (it was older than [`REFRESH_AFTER`]).
    refreshing: bool,
}

impl<T: Clone> Entry<T> {
    fn new(value: T, read_at: Instant) -> Self {
        Self { read_at, value, refreshing: false }
    }

    /// The value to reuse, or `None` when the caller should read it (again): gone stale, or due for its
    /// refresh and nobody refreshing it yet.
    fn reuse(&mut self) -> Option<T> {
        let age = self.read_at.elapsed();
        if age >= FRESH_FOR || (age >= REFRESH_AFTER && !std::mem::replace(&mut self.refreshing, true)) {
            return None;
        }
        Some(self.value.clone())
    }
}

/// Host-time rows by key, for one data version of the store.
#[derive(Debug, Default)]
pub(crate) struct ReadCache {
    entries: Mutex<Entries>,
}

impl ReadCache {
    /// The rows read at `version` for `key`, if read less than [`FRESH_FOR`] ago.
    pub(crate) fn times(&self, version: u64, key: &TimeKey) -> Option<Arc<TimeRows>> {
        let mut entries = self.entries.lock().ok()?;
        if entries.version != version {
            return None;
        }
        entries.times.get_mut(key)?.reuse()
    }

    /// Keeps rows read at `version` (the version seen before reading them). Rows of an older version than
    /// the entries' are dropped; a newer version replaces all entries.
    pub(crate) fn keep_times(&self, version: u64, key: TimeKey, rows: Arc<TimeRows>, read_at: Instant) {
        let Ok(mut entries) = self.entries.lock() else { return };
        if version < entries.version {
            return;
        }
        entries.make_room(version);
        entries.times.insert(key, Entry::new(rows, read_at));
    }

    /// The value of `what` for `argument` read at `version`, if read less than [`FRESH_FOR`] ago.
    pub(crate) fn value<T: Clone + Send + Sync + 'static>(
        &self,
        version: u64,
        what: &'static str,
        argument: &str,
    ) -> Option<T> {
        let mut entries = self.entries.lock().ok()?;
        if entries.version != version {
            return None;
        }
        entries.values.get_mut(&(what, argument.to_owned()))?.reuse()?.downcast_ref::<T>().cloned()
    }

    /// Keeps a value read at `version` (see [`ReadCache::keep_times`]).
    pub(crate) fn keep_value<T: Send + Sync + 'static>(
        &self,
        version: u64,
        what: &'static str,
        argument: String,
        value: T,
        read_at: Instant,
    ) {
        let Ok(mut entries) = self.entries.lock() else { return };
        if version < entries.version {
            return;
        }
        entries.make_room(version);
        entries.values.insert((what, argument), Entry::new(Arc::new(value), read_at));
    }
}

impl Entries {
    /// Drops every entry when the store's version moved on (or when there are too many).
    fn make_room(&mut self, version: u64) {
        if version > self.version || self.times.len() + self.values.len() >= MAX_ENTRIES {
            self.times.clear();
            self.values.clear();
            self.version = version;
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use super::*;

    fn key(host: i64) -> TimeKey {
        let at: Timestamp = "2026-03-02T09:00:00Z".parse().unwrap();
        (AccountId(host), at, at, Date::constant(2026, 3, 2), Date::constant(2026, 3, 2))
    }

    #[test]
    fn rows_are_reused_only_at_the_same_version_and_while_fresh() {
        let cache = ReadCache::default();
        let rows = Arc::new(TimeRows::default());
        cache.keep_times(3, key(1), Arc::clone(&rows), Instant::now());
        assert!(cache.times(3, &key(1)).is_some());
        assert!(cache.times(3, &key(2)).is_none(), "another host");
        assert!(cache.times(4, &key(1)).is_none(), "written since");

        cache.keep_times(2, key(2), Arc::clone(&rows), Instant::now());
        assert!(cache.times(3, &key(2)).is_none(), "read before a write: never kept");

        let stale = Instant::now().checked_sub(FRESH_FOR).unwrap();
        cache.keep_times(3, key(3), rows, stale);
        assert!(cache.times(3, &key(3)).is_none(), "older than FRESH_FOR");

        cache.keep_value(3, "name", "a".to_owned(), String::from("Ann"), Instant::now());
        assert_eq!(cache.value::<String>(3, "name", "a").as_deref(), Some("Ann"));
        assert_eq!(cache.value::<u32>(3, "name", "a"), None, "another type");
        assert_eq!(cache.value::<String>(4, "name", "a"), None, "written since");
        assert!(cache.times(4, &key(1)).is_none());
    }

    #[test]
    fn one_reader_refreshes_an_ageing_entry_while_the_others_keep_using_it() {
        let cache = ReadCache::default();
        let ageing = Instant::now().checked_sub(REFRESH_AFTER).unwrap();
        cache.keep_times(3, key(1), Arc::new(TimeRows::default()), ageing);
        assert!(cache.times(3, &key(1)).is_none(), "the first reader refreshes it");
        assert!(cache.times(3, &key(1)).is_some(), "the others use it meanwhile");
        assert!(cache.times(3, &key(1)).is_some());
        cache.keep_times(3, key(1), Arc::new(TimeRows::default()), Instant::now());
        assert!(cache.times(3, &key(1)).is_some(), "refreshed");

        cache.keep_value(3, "name", "a".to_owned(), String::from("Ann"), ageing);
        assert_eq!(cache.value::<String>(3, "name", "a"), None);
        assert_eq!(cache.value::<String>(3, "name", "a").as_deref(), Some("Ann"));
    }
}
