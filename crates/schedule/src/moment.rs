//! The instant type of the slot walk: whole seconds plus a non-negative fraction.
//!
//! Every duration the engine adds — meeting length, slot increment, buffer, notice, horizon — is a whole
//! number of seconds, so with the fraction kept apart, shifting an instant is one integer addition and
//! comparing two is a tuple comparison. `jiff::Timestamp` arithmetic is exact too but goes through general
//! span handling and range checks on every step, which dominated the profile of a month's search. Moments are
//! converted back to timestamps only for the slots actually returned.

use jiff::Timestamp;

const NANOS_PER_SECOND: i32 = 1_000_000_000;

/// An instant: `second + nanosecond / 10⁹` seconds after the Unix epoch, with `0 <= nanosecond < 10⁹`, so the
/// derived ordering (seconds first) is the ordering of instants.
///
/// Shifts saturate at the ends of `i64` seconds instead of wrapping; a moment outside jiff's range still
/// compares correctly and simply has no timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Moment {
    second: i64,
    nanosecond: i32,
}

impl Moment {
    /// A moment from its parts; `nanosecond` must lie in `0..10⁹` (as `Time::subsec_nanosecond` does).
    pub(crate) fn new(second: i64, nanosecond: i32) -> Self {
        debug_assert!((0..NANOS_PER_SECOND).contains(&nanosecond));
        Self { second, nanosecond }
    }

    pub(crate) fn from_timestamp(at: Timestamp) -> Self {
        // jiff gives the fraction the sign of the instant (-0.5 s is 0 s and -500 ms); floor it instead.
        let (second, nanosecond) = (at.as_second(), at.subsec_nanosecond());
        if nanosecond < 0 {
            Self { second: second - 1, nanosecond: nanosecond + NANOS_PER_SECOND }
        } else {
            Self { second, nanosecond }
        }
    }

    /// `None` outside jiff's range.
    pub(crate) fn to_timestamp(self) -> Option<Timestamp> {
        Timestamp::new(self.second, self.nanosecond).ok()
    }

    /// The whole second at or before this moment.
    pub(crate) fn floor_second(self) -> i64 {
        self.second
    }

    pub(crate) fn plus_seconds(self, seconds: i64) -> Self {
        Self { second: self.second.saturating_add(seconds), nanosecond: self.nanosecond }
    }

    pub(crate) fn minus_seconds(self, seconds: i64) -> Self {
        Self { second: self.second.saturating_sub(seconds), nanosecond: self.nanosecond }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use super::*;
    use jiff::SignedDuration;

    #[test]
    fn round_trips_and_orders_like_timestamps_on_both_sides_of_the_epoch() {
        let instants: Vec<Timestamp> =
            [-2_000_000_001i64, -1_500_000_000, -500_000_000, -1, 0, 1, 499_999_999, 1_500_000_000]
                .into_iter()
                .map(|nanos| Timestamp::from_nanosecond(i128::from(nanos)).unwrap())
                .chain([Timestamp::MIN, Timestamp::MAX])
                .collect();
        for &a in &instants {
            assert_eq!(Moment::from_timestamp(a).to_timestamp(), Some(a));
            for &b in &instants {
                assert_eq!(Moment::from_timestamp(a).cmp(&Moment::from_timestamp(b)), a.cmp(&b), "{a} vs {b}");
            }
        }
        assert_eq!(Moment::from_timestamp(instants[1]).floor_second(), -2, "-1.5 s");
        assert_eq!(Moment::from_timestamp(instants[2]).floor_second(), -1, "-0.5 s");
    }

    #[test]
    fn shifts_are_exact_and_saturate_beyond_jiff() {
        let at: Timestamp = "2026-03-08T06:59:59.25Z".parse().unwrap();
        let shifted = Moment::from_timestamp(at).plus_seconds(90).to_timestamp().unwrap();
        assert_eq!(shifted, at + SignedDuration::from_secs(90));
        let back = Moment::from_timestamp(at).minus_seconds(3_600).to_timestamp().unwrap();
        assert_eq!(back, at - SignedDuration::from_hours(1));
        let beyond = Moment::from_timestamp(Timestamp::MAX).plus_seconds(i64::MAX);
        assert!(beyond > Moment::from_timestamp(Timestamp::MAX));
        assert_eq!(beyond.to_timestamp(), None);
    }
}
