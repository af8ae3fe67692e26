-- Date overrides (issue 3): the days on which a host's weekly windows give way to other hours or to a day off.

-- A host's exception to their weekly windows: other hours on some dates, or days off (holidays, travel). Dates
-- are the host's own calendar dates, so an override means the same days whatever zone a seeker is in.
CREATE TABLE host_overrides (
    id         BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Overrides go with their host.
    host_id    BIGINT      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- Inclusive range of local dates.
    from_date  DATE        NOT NULL,
    to_date    DATE        NOT NULL CHECK (to_date >= from_date),
    -- [{"start": "HH:MM", "end": "HH:MM"}, ...] replacing the weekly windows on those dates; an empty array
    -- means the host is off. Overlaps between windows are refused by the domain.
    windows    JSONB       NOT NULL CHECK (jsonb_typeof(windows) = 'array'),
    created_at TIMESTAMPTZ NOT NULL,
    -- Overrides of one host never share a date, so the slot engine never has to choose between two. The store
    -- checks this first (to name the override in the way) with the host's row locked; the constraint holds it
    -- whatever the code does. Its GiST index serves the "overrides touching these dates" queries.
    CONSTRAINT host_overrides_no_shared_dates
        EXCLUDE USING gist (host_id WITH =, daterange(from_date, to_date, '[]') WITH &&)
);
