//! The slot engine against an independent oracle: `tests/oracle/expected.py` computes, with Python's
//! `zoneinfo` only, the local→UTC slot starts for New York, London, Sydney and Kolkata on the days around two
//! daylight-saving changes each (morning and afternoon windows, a night window containing the gap and the fold,
//! a window ending inside the gap). The engine must produce exactly those instants.
//!
//! Needs `python3` on the PATH. Without it the test explains why and passes locally, but fails under CI
//! (where `CI` is set and Python is installed), so the check can never be skipped silently there.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

use std::path::Path;
use std::process::Command;

use coffeechat_domain::{HostPolicy, LocalWindow, MeetingLength, TimeZoneName, Weekday};
use coffeechat_schedule::{SlotSearch, free_slots, is_free};
use jiff::Timestamp;
use serde_json::Value;

fn expected_json() -> Option<Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/expected.py");
    let output = match Command::new("python3").arg(&script).output() {
        Ok(output) => output,
        Err(error) => {
            let reason = format!("cannot run python3 for the time-zone oracle: {error}");
            assert!(std::env::var_os("CI").is_none(), "{reason} (CI must have python3)");
            eprintln!("skipping: {reason}");
            return None;
        }
    };
    assert!(
        output.status.success(),
        "{} failed ({}):\n{}",
        script.display(),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    Some(serde_json::from_slice(&output.stdout).unwrap())
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap()
}

fn number(value: &Value) -> u32 {
    u32::try_from(value.as_u64().unwrap()).unwrap()
}

/// The oracle's case as a policy: the same windows every day, nothing else in the way.
fn policy(case: &Value) -> HostPolicy {
    let mut policy = HostPolicy::starter(TimeZoneName::parse(text(&case["zone"])).unwrap());
    let windows: Vec<(jiff::civil::Time, jiff::civil::Time)> = case["windows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|window| (text(&window[0]).parse().unwrap(), text(&window[1]).parse().unwrap()))
        .collect();
    policy.windows = Weekday::ALL
        .iter()
        .flat_map(|&weekday| windows.iter().map(move |&(start, end)| LocalWindow { weekday, start, end }))
        .collect();
    policy.lengths = MeetingLength::ALL.to_vec();
    policy.slot_increment_minutes = Some(number(&case["increment"]));
    policy.buffer_minutes = 0;
    policy.min_notice_hours = 0;
    policy.horizon_days = 365;
    policy.monthly_cap = HostPolicy::MAX_MONTHLY_CAP;
    policy
}

#[test]
fn slots_match_the_zoneinfo_oracle_around_daylight_saving_changes() {
    let Some(expected) = expected_json() else { return };
    let now: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
    let cases = expected["cases"].as_array().unwrap();
    let zones: std::collections::BTreeSet<&str> = cases.iter().map(|case| text(&case["zone"])).collect();
    assert_eq!(zones.len(), 4, "the oracle covers New York, London, Sydney and Kolkata: {zones:?}");
    let mut compared = 0;
    for case in cases {
        let policy = policy(case);
        let length = MeetingLength::from_minutes(i64::from(number(&case["length"]))).unwrap();
        for block in case["blocks"].as_array().unwrap() {
            let from: Timestamp = text(&block["from"]).parse().unwrap();
            let to: Timestamp = text(&block["to"]).parse().unwrap();
            let search = SlotSearch::new(&policy, length, from, to, now);
            let actual: Vec<String> = free_slots(&search).iter().map(|slot| slot.start.to_string()).collect();
            let slots = block["slots"].as_array().unwrap();
            let wanted: Vec<&str> = slots.iter().map(|slot| text(&slot["utc"])).collect();
            let labels: Vec<String> =
                slots.iter().map(|slot| format!("{} = {}", text(&slot["local"]), text(&slot["utc"]))).collect();
            assert_eq!(
                actual,
                wanted,
                "{} / {} on {}: the oracle expects (local = UTC):\n{labels:#?}",
                text(&case["zone"]),
                text(&case["name"]),
                block["dates"]
            );
            for start in &wanted {
                assert!(is_free(&search, start.parse().unwrap()), "is_free disagrees at {start}");
            }
            compared += wanted.len();
        }
    }
    assert!(compared > 500, "the oracle produced only {compared} slots");
}
