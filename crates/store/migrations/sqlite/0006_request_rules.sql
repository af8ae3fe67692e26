-- Respect for the host's time (issue 4): the host's request rules, expiry and reminders of requests, the
-- waitlist for full hosts, and in-app notifications.

-- The host's strictness about incoming requests, kept apart from the availability policy (host_policies) so
-- the slot engine's inputs stay as they are. No row means the defaults, which are what a new host gets.
CREATE TABLE host_request_rules (
    account_id        INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    -- 'warn': a request with etiquette findings is sent and the host sees them; 'block': it is refused.
    etiquette_mode    TEXT    NOT NULL DEFAULT 'warn' CHECK (etiquette_mode IN ('warn', 'block')),
    -- Prepared questions a request must bring.
    min_questions     INTEGER NOT NULL DEFAULT 3 CHECK (min_questions BETWEEN 1 AND 10),
    -- A request sent while the host is full: a waitlist entry, or a kind refusal with suggestions.
    overflow          TEXT    NOT NULL DEFAULT 'waitlist' CHECK (overflow IN ('waitlist', 'decline')),
    -- A pending request expires after this many days without an answer.
    expiry_days       INTEGER NOT NULL DEFAULT 14 CHECK (expiry_days BETWEEN 1 AND 60),
    -- Open (pending or waitlisted) requests one seeker may have at a time, before no-shows reduce it.
    max_open_requests INTEGER NOT NULL DEFAULT 3 CHECK (max_open_requests BETWEEN 1 AND 20),
    -- The window the host commits to answer in, shown on their page.
    response_days     INTEGER NOT NULL DEFAULT 7 CHECK (response_days BETWEEN 1 AND 30)
);

-- Fixed when the request is sent (from the host's expiry_days then), so changing the setting later never
-- shortens a request already waiting. Existing requests get the default 14 days.
ALTER TABLE requests ADD COLUMN expires_at INTEGER;
UPDATE requests SET expires_at = created_at + 14 * 86400;
-- Set when the host was reminded at half-time: the reminder task sends at most one per request.
ALTER TABLE requests ADD COLUMN reminded_at INTEGER;
-- What the etiquette check found at send time (JSON array of {text, rule, suggestion}), shown to the host.
ALTER TABLE requests ADD COLUMN findings TEXT NOT NULL DEFAULT '[]'
    CHECK (json_valid(findings) AND json_type(findings) = 'array');
-- The expiry and reminder tasks scan pending requests by deadline.
CREATE INDEX requests_pending_by_expiry ON requests (expires_at) WHERE status = 'pending';

-- Seekers who asked a full host. Nothing is dropped: a waitlisted request waits here with the seeker's
-- prepared purpose and questions (to prefill the composer when they are offered an opening), and a refusal
-- of a host in decline mode is recorded too ('declined_full'), so the host can count demand.
CREATE TABLE waitlist (
    id               INTEGER PRIMARY KEY,
    host_id          INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    seeker_id        INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- waiting: in line; offered: the first in line was offered an opening until offer_expires_at;
    -- used: they sent a request with it; lapsed: the offer ran out unused; left: the seeker left the list;
    -- declined_full: a host in decline mode was full (never in line).
    status           TEXT    NOT NULL CHECK (status IN ('waiting', 'offered', 'used', 'lapsed', 'left', 'declined_full')),
    length_minutes   INTEGER NOT NULL CHECK (length_minutes IN (15, 20, 30, 45)),
    purpose          TEXT    NOT NULL,
    topics           TEXT    NOT NULL CHECK (json_valid(topics) AND json_type(topics) = 'array'),
    questions        TEXT    NOT NULL CHECK (json_valid(questions) AND json_type(questions) = 'array'),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    offered_at       INTEGER,
    offer_expires_at INTEGER,
    CHECK (seeker_id <> host_id),
    CHECK ((status = 'offered') <= (offer_expires_at IS NOT NULL))
);
-- One place in one host's line per seeker.
CREATE UNIQUE INDEX waitlist_one_active_entry ON waitlist (host_id, seeker_id) WHERE status IN ('waiting', 'offered');
-- The line of a host, first come first served.
CREATE INDEX waitlist_line ON waitlist (host_id, created_at, id) WHERE status IN ('waiting', 'offered');
CREATE INDEX waitlist_by_seeker ON waitlist (seeker_id, created_at);

-- In-app notifications: what email says, also shown on /notifications, with a link to act on it.
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- What it is about (e.g. 'request_expired'), for filtering and tests.
    kind       TEXT    NOT NULL CHECK (length(kind) > 0),
    text       TEXT    NOT NULL CHECK (length(text) > 0),
    -- A path inside the site ('/requests/12'), or empty.
    link       TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    read_at    INTEGER,
    -- Set by callers that might notify twice (a task run by two workers): the second insert is ignored.
    dedupe_key TEXT    UNIQUE
);
CREATE INDEX notifications_by_account ON notifications (account_id, created_at);
