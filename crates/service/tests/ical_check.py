#!/usr/bin/env python3
"""Independent check of the .ics files Coffeechat writes, with Python's `icalendar` package as the parser.

Usage: ical_check.py INVITE RESCHEDULE CANCEL [OTHER.ics ...]

The first three files are the iTIP messages of one interview, in the order they were sent. They must parse,
share one UID, have strictly rising SEQUENCE numbers, carry METHOD REQUEST, REQUEST and CANCEL, and the
cancellation must say STATUS:CANCELLED. Every file (those three and any others, such as a calendar feed) must
be a VERSION:2.0 calendar with a PRODID whose events all have a UID, a DTSTAMP and UTC start and end times.

Exit status: 0 when every check passes, 1 with a message when one fails, 3 when `icalendar` is not installed
(so the caller can tell "cannot check" from "checked and wrong").
"""

import sys
from datetime import datetime, timezone

try:
    import icalendar
except ImportError:
    print("the Python package 'icalendar' is not installed (pip install icalendar)", file=sys.stderr)
    sys.exit(3)


class CheckFailed(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise CheckFailed(message)


def utc_instant(event, name, path):
    prop = event.get(name)
    expect(prop is not None, f"{path}: an event has no {name}")
    value = prop.dt
    expect(isinstance(value, datetime), f"{path}: {name} is not a date-time: {value!r}")
    expect(value.tzinfo is not None and value.utcoffset().total_seconds() == 0,
           f"{path}: {name} is not in UTC: {value!r}")
    return value


def parse(path):
    with open(path, "rb") as handle:
        raw = handle.read()
    expect(b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b""), f"{path}: lines must end in CRLF only")
    for physical in raw.split(b"\r\n"):
        expect(len(physical) <= 75, f"{path}: a line is longer than 75 octets: {physical[:40]!r}...")
    calendar = icalendar.Calendar.from_ical(raw)
    expect(calendar.name == "VCALENDAR", f"{path}: not a VCALENDAR")
    expect(str(calendar.get("VERSION")) == "2.0", f"{path}: VERSION is not 2.0")
    expect(calendar.get("PRODID"), f"{path}: no PRODID")
    events = calendar.walk("VEVENT")
    for event in events:
        expect(event.get("UID"), f"{path}: an event has no UID")
        utc_instant(event, "DTSTAMP", path)
        start = utc_instant(event, "DTSTART", path)
        end = utc_instant(event, "DTEND", path)
        expect(start < end, f"{path}: an event ends before it starts")
    return calendar, events


def check_sequence(paths):
    expected_methods = ["REQUEST", "REQUEST", "CANCEL"]
    uids, sequences = [], []
    for path, method in zip(paths, expected_methods):
        calendar, events = parse(path)
        expect(len(events) == 1, f"{path}: an iTIP message must hold exactly one event, found {len(events)}")
        event = events[0]
        got = str(calendar.get("METHOD"))
        expect(got == method, f"{path}: METHOD is {got}, expected {method}")
        uids.append(str(event.get("UID")))
        sequences.append(int(event.get("SEQUENCE", 0)))
        status = str(event.get("STATUS"))
        if method == "CANCEL":
            expect(status == "CANCELLED", f"{path}: a cancellation must say STATUS:CANCELLED, not {status}")
        else:
            expect(status == "CONFIRMED", f"{path}: STATUS is {status}, expected CONFIRMED")
        expect(event.get("ORGANIZER") and event.get("ATTENDEE"), f"{path}: ORGANIZER and ATTENDEE are required")
    expect(len(set(uids)) == 1, f"the UID must stay the same across invite, reschedule and cancel: {uids}")
    expect(all(a < b for a, b in zip(sequences, sequences[1:])), f"SEQUENCE must rise: {sequences}")
    return uids[0], sequences


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        uid, sequences = check_sequence(argv[1:4])
        for path in argv[4:]:
            parse(path)
    except CheckFailed as failure:
        print(f"ical_check: {failure}", file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"ical_check: icalendar could not parse a file: {error}", file=sys.stderr)
        return 1
    checked = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    print(f"ical_check: ok ({len(argv) - 1} files, UID {uid}, SEQUENCE {sequences}, "
          f"icalendar {icalendar.__version__}, {checked})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
