//! The running order of an interview: a short hello, the seeker's questions time-boxed to the length of the
//! meeting, and a wrap-up, so both sides can watch the clock and the host's time is respected.
//!
//! ```
//! use coffeechat_domain::MeetingLength;
//! use coffeechat_domain::agenda::agenda;
//!
//! let start: jiff::Timestamp = "2026-03-03T07:30:00Z".parse().unwrap();
//! let questions = vec!["How did you start?".to_owned(), "What surprised you?".to_owned()];
//! let plan = agenda(MeetingLength::Min20, &questions, start);
//! let minutes: Vec<u16> = plan.items.iter().map(|item| item.minutes).collect();
//! assert_eq!(minutes, [2, 8, 7, 3]);
//! assert_eq!(plan.wrap_up_at, "2026-03-03T07:45:00Z".parse().unwrap());
//! ```

use jiff::{SignedDuration, Timestamp};

use crate::MeetingLength;

/// How long before the end the wrap-up cue comes, whatever the length.
pub const WRAP_UP_CUE_MINUTES: u16 = 5;

/// What an agenda item is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AgendaKind {
    /// Introductions and the seeker's purpose.
    Hello,
    /// One of the seeker's prepared questions.
    Question,
    /// No questions were prepared: the time is an open conversation.
    Conversation,
    /// Questions that did not get a minute of their own: asked only if time allows.
    IfTimeAllows,
    /// Thanks, next steps, ending on time.
    WrapUp,
}

impl AgendaKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AgendaKind::Hello => "hello",
            AgendaKind::Question => "question",
            AgendaKind::Conversation => "conversation",
            AgendaKind::IfTimeAllows => "if_time_allows",
            AgendaKind::WrapUp => "wrap_up",
        }
    }
}

/// One block of the running order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaItem {
    pub kind: AgendaKind,
    pub label: String,
    pub minutes: u16,
    pub starts_at: Timestamp,
}

/// The running order of one interview. The items' minutes add up to the length of the meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agenda {
    pub items: Vec<AgendaItem>,
    /// When to start wrapping up: [`WRAP_UP_CUE_MINUTES`] before the end.
    pub wrap_up_at: Timestamp,
    pub end: Timestamp,
}

/// Minutes for the hello and the wrap-up: shorter meetings get a brisker opening and close.
fn frame(length: MeetingLength) -> (u16, u16) {
    match length {
        MeetingLength::Min15 => (2, 3),
        MeetingLength::Min20 => (2, 3),
        MeetingLength::Min30 => (3, 5),
        MeetingLength::Min45 => (4, 5),
    }
}

/// The running order of a meeting of `length` starting at `start` with the seeker's `questions` (in the order
/// the seeker put them, which is their priority). The time between hello and wrap-up is shared evenly; the
/// minutes that do not divide go to the first questions, and when there are more questions than minutes, the
/// last ones are listed once as "if time allows".
pub fn agenda(length: MeetingLength, questions: &[String], start: Timestamp) -> Agenda {
    let (hello, wrap_up) = frame(length);
    let middle = length.minutes() - hello - wrap_up;
    let questions: Vec<&str> = questions.iter().map(|q| q.trim()).filter(|q| !q.is_empty()).collect();

    let mut blocks: Vec<(AgendaKind, String, u16)> =
        vec![(AgendaKind::Hello, "Hello, and the purpose of the conversation".to_owned(), hello)];
    if questions.is_empty() {
        blocks.push((AgendaKind::Conversation, "Open conversation".to_owned(), middle));
    } else {
        let timed = questions.len().min(usize::from(middle));
        let timed_count = u16::try_from(timed).unwrap_or(middle).max(1);
        let (each, extra) = (middle / timed_count, middle % timed_count);
        for (index, question) in questions.iter().take(timed).enumerate() {
            let bonus = u16::from(index < usize::from(extra));
            blocks.push((AgendaKind::Question, (*question).to_owned(), each + bonus));
        }
        let rest = &questions[timed..];
        if !rest.is_empty() {
            blocks.push((AgendaKind::IfTimeAllows, format!("If time allows: {}", rest.join(" / ")), 0));
        }
    }
    blocks.push((AgendaKind::WrapUp, "Wrap-up: thanks and next steps".to_owned(), wrap_up));

    let mut at = start;
    let items = blocks
        .into_iter()
        .map(|(kind, label, minutes)| {
            let item = AgendaItem { kind, label, minutes, starts_at: at };
            at += SignedDuration::from_mins(i64::from(minutes));
            item
        })
        .collect();
    let end = start + length.span();
    Agenda { items, wrap_up_at: end - SignedDuration::from_mins(i64::from(WRAP_UP_CUE_MINUTES)), end }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use super::*;

    fn start() -> Timestamp {
        "2026-03-02T09:00:00Z".parse().unwrap()
    }

    fn questions(n: usize) -> Vec<String> {
        (1..=n).map(|i| format!("Question {i}?")).collect()
    }

    fn minutes(plan: &Agenda) -> Vec<u16> {
        plan.items.iter().map(|item| item.minutes).collect()
    }

    #[test]
    fn every_length_and_question_count_adds_up_to_the_length() {
        for length in MeetingLength::ALL {
            for n in 0..=10 {
                let plan = agenda(length, &questions(n), start());
                let total: u16 = plan.items.iter().map(|item| item.minutes).sum();
                assert_eq!(total, length.minutes(), "{length} with {n} questions: {:?}", minutes(&plan));
                assert_eq!(plan.items.first().unwrap().kind, AgendaKind::Hello);
                assert_eq!(plan.items.last().unwrap().kind, AgendaKind::WrapUp);
                assert_eq!(plan.end, start() + length.span());
                assert_eq!(plan.wrap_up_at, plan.end - SignedDuration::from_mins(5));
                // Items follow one another without gaps and the last one ends with the meeting.
                let mut at = start();
                for item in &plan.items {
                    assert_eq!(item.starts_at, at, "{length} with {n} questions");
                    at += SignedDuration::from_mins(i64::from(item.minutes));
                }
                assert_eq!(at, plan.end);
                // Every question is on the agenda, each timed one with at least a minute, in the seeker's order.
                let asked = plan.items.iter().filter(|item| item.kind == AgendaKind::Question).count();
                let overflow = plan.items.iter().any(|item| item.kind == AgendaKind::IfTimeAllows);
                assert!(asked == n || (overflow && asked < n), "{length} with {n}");
                assert!(
                    plan.items.iter().filter(|item| item.kind == AgendaKind::Question).all(|item| item.minutes >= 1)
                );
            }
        }
    }

    #[test]
    fn time_boxes_follow_the_length() {
        assert_eq!(minutes(&agenda(MeetingLength::Min15, &questions(2), start())), [2, 5, 5, 3]);
        assert_eq!(minutes(&agenda(MeetingLength::Min20, &questions(3), start())), [2, 5, 5, 5, 3]);
        assert_eq!(minutes(&agenda(MeetingLength::Min20, &questions(4), start())), [2, 4, 4, 4, 3, 3]);
        assert_eq!(minutes(&agenda(MeetingLength::Min30, &questions(5), start())), [3, 5, 5, 4, 4, 4, 5]);
        assert_eq!(minutes(&agenda(MeetingLength::Min45, &questions(6), start())), [4, 6, 6, 6, 6, 6, 6, 5]);
        assert_eq!(minutes(&agenda(MeetingLength::Min45, &questions(1), start())), [4, 36, 5]);
    }

    #[test]
    fn the_first_questions_get_the_spare_minutes() {
        let plan = agenda(MeetingLength::Min20, &questions(4), start());
        let labels: Vec<&str> = plan.items.iter().map(|item| item.label.as_str()).collect();
        assert_eq!(labels[1..5], ["Question 1?", "Question 2?", "Question 3?", "Question 4?"]);
        assert_eq!(plan.items[1].minutes, 4);
        assert_eq!(plan.items[4].minutes, 3);
        assert_eq!(plan.items[2].starts_at, "2026-03-02T09:06:00Z".parse().unwrap());
    }

    #[test]
    fn no_questions_leave_an_open_conversation() {
        let plan = agenda(MeetingLength::Min30, &["  ".to_owned()], start());
        assert_eq!(minutes(&plan), [3, 22, 5]);
        assert_eq!(plan.items[1].kind, AgendaKind::Conversation);
    }

    #[test]
    fn more_questions_than_minutes_end_with_if_time_allows() {
        let plan = agenda(MeetingLength::Min15, &questions(12), start());
        assert_eq!(minutes(&plan), [2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 3]);
        let overflow = &plan.items[11];
        assert_eq!(overflow.kind, AgendaKind::IfTimeAllows);
        assert_eq!(overflow.label, "If time allows: Question 11? / Question 12?");
    }
}
