//! Coffeechat's slot engine and iCalendar writer: pure functions, no I/O, no async.
//!
//! A host publishes a [`HostPolicy`](coffeechat_domain::HostPolicy): weekly windows in their own wall-clock
//! time, the meeting lengths they offer, caps per day, week and month, buffers, minimum notice, a booking
//! horizon and a slot increment; date overrides replace the windows of particular dates (other hours, a day
//! off, a trip). [`free_slots`] turns that, the host's interviews, held proposals, pending requests and busy
//! calendar time ([`SlotSearch`]) into the instants a seeker may propose; [`is_free`] and [`why_not_free`]
//! check one proposed start against exactly the same rules, and [`next_free_slot`] finds the next opening.
//! [`day_bounds`], [`week_bounds`] and [`month_bounds`] give the host-local periods caps are counted in. The
//! [`ics`] module writes the `.ics` invitations both sides download.
//!
//! All time arithmetic follows the host's IANA zone via [jiff], so a 07:30 window stays 07:30 local on both
//! sides of a daylight-saving change. `DESIGN.md` beside this crate explains how gaps, folds, caps, holds and
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
//! let search = SlotSearch::new(&policy, MeetingLength::Min30, now, "2026-03-04T00:00:00Z".parse().unwrap(), now);
//! let starts: Vec<String> = free_slots(&search).iter().map(|slot| slot.start.to_string()).collect();
//! // Tuesday 3 March 2026, 07:30 and 08:00 in New York (UTC-5).
//! assert_eq!(starts, ["2026-03-03T12:30:00Z", "2026-03-03T13:00:00Z"]);
//! ```

mod blocked;
pub mod busy_import;
mod caps;
pub mod ics;
mod local_time;
mod moment;
mod slots;

pub use local_time::{day_bounds, month_bounds, months_covering, start_of_day, week_bounds};
pub use slots::{Busy, Slot, SlotSearch, Unavailable, free_slots, is_free, next_free_slot, why_not_free};
