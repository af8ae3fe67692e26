-- Busy time from hosts' own calendars (issue 3): uploaded .ics files and ICS feed URLs the worker refetches.

-- One imported calendar of a host: an upload (its text is kept, so it can be re-read as time moves on and its
-- repeating events reach new weeks) or a feed (fetched again on a schedule).
CREATE TABLE busy_calendars (
    id                   BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Calendars die with their host.
    host_id              BIGINT      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind                 TEXT        NOT NULL CHECK (kind IN ('upload', 'feed')),
    -- What the host calls it on the settings page.
    name                 TEXT        NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 100),
    -- A feed's http(s) address; checked by the service (scheme, no private addresses) before it is stored.
    url                  TEXT        CHECK (length(url) <= 2000),
    -- An upload's iCalendar text, re-read daily so repeating events keep being expanded ahead.
    source               TEXT,
    -- The validators of the last successful fetch, sent back as If-None-Match / If-Modified-Since.
    etag                 TEXT,
    last_modified        TEXT,
    -- When it was last fetched or read, and how that went; NULL before the first attempt.
    last_fetched_at      TIMESTAMPTZ,
    last_status          TEXT        CHECK (last_status IN ('ok', 'error')),
    -- The last failure in plain words for the host; NULL after a success.
    last_error           TEXT,
    -- Failures in a row, for the back-off between attempts.
    consecutive_failures INTEGER     NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
    -- When a worker should read it next; claiming a calendar moves this forward, so two workers (on any
    -- instances) never fetch the same feed at once.
    next_fetch_at        TIMESTAMPTZ NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL,
    CHECK ((kind = 'feed') = (url IS NOT NULL)),
    CHECK ((kind = 'upload') = (source IS NOT NULL)),
    -- (NULL before the first attempt: a CHECK that is NULL passes.)
    CHECK ((last_status = 'error') = (last_error IS NOT NULL)),
    -- Target of busy_blocks' composite foreign key, which keeps their copied host_id honest.
    UNIQUE (id, host_id)
);
-- A host's settings page lists their calendars.
CREATE INDEX busy_calendars_by_host ON busy_calendars (host_id, id);
-- Workers claim the calendars that are due, earliest first.
CREATE INDEX busy_calendars_due ON busy_calendars (next_fetch_at, id);

-- The busy intervals of a calendar's last successful import, replaced as a whole on the next one.
CREATE TABLE busy_blocks (
    calendar_id BIGINT      NOT NULL,
    -- Copied from the calendar so the slot engine's query reads one index range per host.
    host_id     BIGINT      NOT NULL,
    start_at    TIMESTAMPTZ NOT NULL,
    end_at      TIMESTAMPTZ NOT NULL,
    CHECK (end_at > start_at),
    FOREIGN KEY (calendar_id, host_id) REFERENCES busy_calendars (id, host_id) ON DELETE CASCADE
);
-- Slots of one host over a range: the blocks that overlap it.
CREATE INDEX busy_blocks_by_host_start ON busy_blocks (host_id, start_at);
-- Replacing a calendar's blocks deletes by calendar (and so does the cascade from a deleted calendar).
CREATE INDEX busy_blocks_by_calendar ON busy_blocks (calendar_id);
