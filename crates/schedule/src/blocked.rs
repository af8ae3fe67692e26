//! Time in which no slot may be placed: interviews, held proposals and busy blocks from the host's own
//! calendars, each widened by the host's buffer, merged into one sorted list of disjoint intervals.
//!
//! The three sources block time identically, so they are merged once per search and the slot walk then
//! costs amortised O(1) per candidate (a cursor that only moves forward).

use crate::moment::Moment;
use crate::slots::Busy;

/// A half-open span `[start, end)` of instants during which no slot may be placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Blocked {
    pub(crate) start: Moment,
    pub(crate) end: Moment,
}

/// Every interval of `sources` widened by `buffer_seconds` on both sides, keeping only those that reach into
/// `[relevant_start, relevant_end)` (callers may pass a whole month or more), sorted and merged so that they
/// are disjoint and separated by a gap.
///
/// An interval whose end precedes its start is treated as the single instant at its start.
pub(crate) fn merged<const SOURCES: usize>(
    sources: [&[Busy]; SOURCES],
    buffer_seconds: i64,
    relevant_start: Moment,
    relevant_end: Moment,
) -> Vec<Blocked> {
    let mut widened: Vec<Blocked> = Vec::with_capacity(sources.iter().map(|source| source.len()).sum());
    let mut run_ends = [0; SOURCES];
    for (source, run_end) in sources.iter().zip(&mut run_ends) {
        let run_start = widened.len();
        widened.extend(
            source
                .iter()
                .map(|busy| Blocked {
                    start: Moment::from_timestamp(busy.start).minus_seconds(buffer_seconds),
                    end: Moment::from_timestamp(busy.end.max(busy.start)).plus_seconds(buffer_seconds),
                })
                .filter(|blocked| blocked.end > relevant_start && blocked.start < relevant_end),
        );
        // Stores return each source ordered by start, so this is normally a check; anything else is sorted.
        if let Some(run) = widened.get_mut(run_start..)
            && !run.is_sorted_by_key(|blocked| blocked.start)
        {
            run.sort_unstable_by_key(|blocked| blocked.start);
        }
        *run_end = widened.len();
    }

    // Merge the sorted runs by always taking the earliest head: linear, where sorting the whole would not be.
    let mut heads: [&[Blocked]; SOURCES] = [&[]; SOURCES];
    let mut run_start = 0;
    for (head, &run_end) in heads.iter_mut().zip(&run_ends) {
        *head = widened.get(run_start..run_end).unwrap_or_default();
        run_start = run_end;
    }
    let mut merged: Vec<Blocked> = Vec::with_capacity(widened.len());
    loop {
        let mut earliest: Option<(usize, Blocked)> = None;
        for (index, head) in heads.iter().enumerate() {
            if let Some(&first) = head.first()
                && earliest.is_none_or(|(_, current)| first.start < current.start)
            {
                earliest = Some((index, first));
            }
        }
        let Some((index, next)) = earliest else { break };
        if let Some(head) = heads.get_mut(index) {
            *head = head.get(1..).unwrap_or_default();
        }
        // Fold into the last interval when they overlap or touch.
        match merged.last_mut() {
            Some(last) if next.start <= last.end => last.end = last.end.max(next.end),
            _ => merged.push(next),
        }
    }
    merged
}

/// Answers "does `[start, end)` overlap blocked time?" for queries that mostly come in ascending order.
///
/// Because the intervals are disjoint and sorted, both their starts and their ends ascend, so the first
/// interval ending after `start` is the only one that can overlap; for ascending queries it only moves
/// forward. A query earlier than the previous one (windows a host built out of order) searches afresh.
#[derive(Debug)]
pub(crate) struct Cursor<'a> {
    blocked: &'a [Blocked],
    index: usize,
    last_start: Moment,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(blocked: &'a [Blocked]) -> Self {
        // As if the last query were at the end of time, so the first one searches instead of walking.
        Self { blocked, index: 0, last_start: Moment::new(i64::MAX, 0) }
    }

    pub(crate) fn overlaps(&mut self, start: Moment, end: Moment) -> bool {
        if start < self.last_start {
            self.index = self.blocked.partition_point(|blocked| blocked.end <= start);
        }
        self.last_start = start;
        while self.blocked.get(self.index).is_some_and(|blocked| blocked.end <= start) {
            self.index += 1;
        }
        self.blocked.get(self.index).is_some_and(|blocked| blocked.start < end)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use super::*;
    use jiff::{SignedDuration, Timestamp};

    fn at(minute: i64) -> Timestamp {
        Timestamp::UNIX_EPOCH + SignedDuration::from_mins(minute)
    }

    fn moment(minute: i64) -> Moment {
        Moment::from_timestamp(at(minute))
    }

    fn busy(start: i64, end: i64) -> Busy {
        Busy { start: at(start), end: at(end) }
    }

    #[test]
    fn sources_are_widened_merged_and_trimmed_to_the_relevant_range() {
        let bookings = [busy(100, 130)];
        let holds = [busy(140, 150), busy(500, 530)];
        let calendar = [busy(-400, -300), busy(10, 20)];
        let merged = merged([&bookings, &holds, &calendar], 5 * 60, moment(0), moment(400));
        assert_eq!(
            merged,
            [Blocked { start: moment(5), end: moment(25) }, Blocked { start: moment(95), end: moment(155) }],
            "touching after widening joins; outside [0, 400) is dropped"
        );
    }

    #[test]
    fn the_cursor_agrees_with_a_linear_scan_in_any_query_order() {
        let sources: [&[Busy]; 2] = [&[busy(60, 90), busy(10, 20)], &[busy(40, 45), busy(-5, 2)]];
        let blocked = merged(sources, 0, moment(0), moment(100));
        assert_eq!(blocked.len(), 4, "{blocked:?}");
        let mut cursor = Cursor::new(&blocked);
        for start in (0..100).chain((0..100).rev()).chain([50, 5, 85, 15]) {
            let end = start + 7;
            let expected = blocked.iter().any(|b| b.start < moment(end) && moment(start) < b.end);
            assert_eq!(cursor.overlaps(moment(start), moment(end)), expected, "[{start}, {end})");
        }
    }
}
