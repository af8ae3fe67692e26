-- Date overrides and pending-request holds (issue 3).

-- A host's exception to their weekly windows: other hours on some dates, or days off (holidays, travel).
-- Dates are the host's own calendar dates, so an override means the same days whatever zone a seeker is in.
CREATE TABLE host_overrides (
    id         INTEGER PRIMARY KEY,
    -- Overrides go with their host.
    host_id    INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- Inclusive range of local dates, YYYY-MM-DD: text of that exact shape sorts and compares as dates do,
    -- which the CHECKs guarantee (date() returns NULL, or a different spelling, for anything else).
    from_date  TEXT    NOT NULL CHECK (from_date = date(from_date)),
    to_date    TEXT    NOT NULL CHECK (to_date = date(to_date) AND to_date >= from_date),
    -- JSON array of {"start": "HH:MM", "end": "HH:MM"} replacing the weekly windows on those dates;
    -- an empty array means the host is off. Overlaps between windows are refused by the domain.
    windows    TEXT    NOT NULL CHECK (json_valid(windows) AND json_type(windows) = 'array'),
    created_at INTEGER NOT NULL
);
-- Overrides touching a date range of one host: the slot engine's lookup and the overlap check of an insert.
-- (Overrides of one host never share a date; the store checks that in the inserting transaction.)
CREATE INDEX host_overrides_by_host_dates ON host_overrides (host_id, to_date, from_date);

-- Pending requests hold their proposed slots and may count towards caps, so every slot search of a host
-- reads that host's pending requests. Partial: answered requests, the vast majority, are left out.
CREATE INDEX requests_pending_by_host ON requests (host_id, created_at) WHERE status = 'pending';
