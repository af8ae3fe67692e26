//! The wall clock, injectable so that tests and the demo loader decide what "now" is.

use std::sync::{Mutex, PoisonError};

use jiff::Timestamp;

/// Wall clock, injectable so tests can fix "now".
pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> Timestamp;
}

/// The real clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that shows the instant it was last set to.
#[derive(Debug)]
pub struct FixedClock(pub Mutex<Timestamp>);

impl FixedClock {
    pub fn new(now: Timestamp) -> Self {
        Self(Mutex::new(now))
    }

    /// Moves the clock to `now`.
    pub fn set(&self, now: Timestamp) {
        // A panic while holding this lock cannot leave a half-written Timestamp, so a poisoned lock is safe to reuse.
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = now;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_shows_what_it_was_set_to() {
        let start: Timestamp = "2026-03-02T09:00:00Z".parse().unwrap();
        let clock = FixedClock::new(start);
        assert_eq!(clock.now(), start);
        let later: Timestamp = "2026-03-05T09:00:00Z".parse().unwrap();
        clock.set(later);
        assert_eq!(clock.now(), later);
    }
}
