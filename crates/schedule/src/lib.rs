//! Coffeechat's slot engine and iCalendar writer: pure functions, no I/O, no async.
//!
//! A host publishes a [`HostPolicy`](coffeechat_domain::HostPolicy): weekly windows in their own wall-clock
//! time, the meeting lengths they offer, a monthly cap, buffers, minimum notice and a booking horizon.
//! [`free_slots`] turns that policy and the host's current interviews ([`Busy`]) into the instants a seeker
//! may propose; [`is_free`] checks one proposed start against exactly the same rules. The [`ics`] module
//! writes the `.ics` invitations both sides download.
//!
//! All time arithmetic goes through [jiff] in the host's IANA zone, so a 07:30 window stays 07:30 local on
//! both sides of a daylight-saving change. `DESIGN.md` beside this crate explains how gaps, folds, caps and
//! buffers are handled and why.
//!
//! ```
//! use coffeechat_domain::{HostPolicy, LocalWindow, MeetingLength, TimeZoneName, Weekday};
//! use coffeechat_schedule::{SlotSearch, free_slots};
//! use jiff::{Timestamp, civil::time};
//!
//! let mut policy = HostPolicy::starter(TimeZoneName::parse("America/New_York").unwrap());
//! policy.windows = vec![LocalWindow { weekday: Weekday::Tue, start: time(7, 30, 0, 0), end: time(8, 30, 0, 0) }];
//! policy.min_notice_hours = 0;
//!
//! let now: Timestamp = "2026-03-02T00:00:00Z".parse().unwrap();
//! let search = SlotSearch {
//!     policy: &policy,
//!     bookings: &[],
//!     length: MeetingLength::Min30,
//!     from: now,
//!     to: "2026-03-04T00:00:00Z".parse().unwrap(),
//!     now,
//! };
//! let starts: Vec<String> = free_slots(&search).iter().map(|slot| slot.start.to_string()).collect();
//! // Tuesday 3 March 2026, 07:30 and 08:00 in New York (UTC-5).
//! assert_eq!(starts, ["2026-03-03T12:30:00Z", "2026-03-03T13:00:00Z"]);
//! ```

pub mod ics;
mod local_time;
mod slots;

pub use local_time::{month_bounds, months_covering, start_of_day};
pub use slots::{Busy, Slot, SlotSearch, free_slots, is_free};
