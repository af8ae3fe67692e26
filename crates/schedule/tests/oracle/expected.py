#!/usr/bin/env python3
"""Expected slot starts around daylight-saving changes, computed independently of the Rust engine.

Python's standard library only (`zoneinfo`, `datetime`, `json`): this is the oracle for
`crates/schedule/tests/oracle.rs`, which feeds the same inputs to the slot engine and requires exactly these
instants. Prints one JSON document on stdout:

    {"tzdata": "...", "cases": [{"name", "zone", "windows": [["HH:MM", "HH:MM"], ...], "length", "increment",
      "blocks": [{"dates": [...], "from", "to", "slots": [{"utc", "local"}, ...]}]}]}

The rules, as the spec states them (wall-clock windows every day, in the host's zone):
  * slot starts step by `increment` minutes of wall-clock time from the window start, and a slot's wall-clock
    end (start + length) must not pass the window end;
  * a start that does not exist (spring-forward gap) is skipped, never shifted;
  * an ambiguous start (autumn fold) is the earlier instant (fold=0);
  * the slot lasts `length` minutes of real time and must end by the window's end instant, where an end
    inside a gap is the moment the clocks jump (so a window across the gap is shortened, not shifted).
"""

import json
import sys
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

UTC = timezone.utc
MINUTE = timedelta(minutes=1)

# Each zone's two 2026 transitions (Sydney's are the southern autumn and spring). Kolkata has none, so it
# uses New York's dates, where nothing may change.
TRANSITION_DATES = {
    "America/New_York": [date(2026, 3, 8), date(2026, 11, 1)],
    "Europe/London": [date(2026, 3, 29), date(2026, 10, 25)],
    "Australia/Sydney": [date(2026, 4, 5), date(2026, 10, 4)],
    "Asia/Kolkata": [date(2026, 3, 8), date(2026, 11, 1)],
}

# Windows in the morning and after 13:00 (where other schedulers shift by an hour on change days), a night
# window containing each zone's gap and fold, and one whose end lies inside the spring gap.
CASES = [
    ("day", [("07:30", "08:30"), ("13:30", "14:30"), ("17:00", "18:00")], 30, 15),
    ("day, 45 min every 30", [("07:30", "08:30"), ("13:30", "14:30"), ("17:00", "18:00")], 45, 30),
    ("night across the change", [("00:30", "03:30")], 30, 15),
]
GAP_END_WINDOW = {
    "America/New_York": ("01:00", "02:30"),
    "Europe/London": ("00:00", "01:30"),
    "Australia/Sydney": ("01:00", "02:30"),
    "Asia/Kolkata": ("01:00", "02:30"),
}


def wall(text):
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def exists(naive, tz):
    """Whether the wall clock in `tz` ever shows `naive` (False inside a spring-forward gap)."""
    aware = naive.replace(tzinfo=tz, fold=0)
    return aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == naive


def earlier_instant(naive, tz):
    """The (first) instant at which the wall clock shows `naive`; fold=0 is the earlier one in a fold."""
    return naive.replace(tzinfo=tz, fold=0).astimezone(UTC)


def first_instant_at_or_after(naive, tz):
    """When the wall clock first shows `naive` or has passed it: the jump itself for a time inside a gap."""
    if exists(naive, tz):
        return earlier_instant(naive, tz)
    # PEP 495: in a gap, fold=0 reads the time with the offset from before the jump, which lands after it.
    instant = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    while (instant - MINUTE).astimezone(tz).replace(tzinfo=None) >= naive:
        instant -= MINUTE
    return instant


def day_start(day, tz):
    return first_instant_at_or_after(datetime.combine(day, time(0, 0)), tz)


def slots_on(day, tz, windows, length, increment):
    found = []
    for start_text, end_text in windows:
        window_start = datetime.combine(day, wall(start_text))
        window_end = datetime.combine(day, wall(end_text))
        window_end_instant = first_instant_at_or_after(window_end, tz)
        civil = window_start
        while civil + length <= window_end:
            if exists(civil, tz):
                start = earlier_instant(civil, tz)
                if start + length <= window_end_instant:
                    found.append((start, civil))
            civil += increment
    return sorted(found)


def iso(instant):
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def offsets_differ(day, tz):
    return day_start(day, tz).astimezone(tz).utcoffset() != day_start(day + timedelta(days=1), tz).astimezone(tz).utcoffset()


def main():
    cases = []
    for zone_name, transition_days in TRANSITION_DATES.items():
        tz = ZoneInfo(zone_name)
        for day in transition_days:
            # A wrong date here would make the whole oracle vacuous.
            if offsets_differ(day, tz) != (zone_name != "Asia/Kolkata"):
                sys.exit(f"{zone_name}: the offset change expected on {day} is not in this tz database")
        zone_cases = CASES + [("window ending in the gap", [GAP_END_WINDOW[zone_name]], 30, 15)]
        for name, windows, length_minutes, increment_minutes in zone_cases:
            length = timedelta(minutes=length_minutes)
            increment = timedelta(minutes=increment_minutes)
            blocks = []
            for transition_day in transition_days:
                days = [transition_day + timedelta(days=shift) for shift in (-1, 0, 1)]
                slots = [
                    {"utc": iso(start), "local": civil.strftime("%Y-%m-%d %H:%M")}
                    for day in days
                    for start, civil in slots_on(day, tz, windows, length, increment)
                ]
                blocks.append(
                    {
                        "dates": [day.isoformat() for day in days],
                        "from": iso(day_start(days[0], tz)),
                        "to": iso(day_start(days[-1] + timedelta(days=1), tz)),
                        "slots": slots,
                    }
                )
            cases.append(
                {
                    "name": name,
                    "zone": zone_name,
                    "windows": [list(window) for window in windows],
                    "length": length_minutes,
                    "increment": increment_minutes,
                    "blocks": blocks,
                }
            )
    json.dump({"cases": cases}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
