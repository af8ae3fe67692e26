-- Coffeechat's initial SQLite schema.
--
-- Conventions used throughout:
-- * Instants are INTEGER unix seconds (UTC): they sort and compare exactly, and the application never
--   needs sub-second precision. The store converts them to and from jiff::Timestamp at its edge.
-- * Lists (skills, topics, questions, proposed times, policy windows) are JSON arrays in TEXT columns,
--   checked with json_valid/json_type so that a bad write fails here instead of at read time.
-- * Enumerations are TEXT with a CHECK listing the values the domain crate knows, so a typo in code
--   cannot store a state the state machines do not have.
-- * Booleans are INTEGER 0/1 with a CHECK, since SQLite has no boolean type.

-- A person using Coffeechat: a host, a seeker, or both.
CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    -- Login name. Email::parse trims and lower-cases, so plain UNIQUE is case-insensitive in effect;
    -- the CHECK keeps hand-written rows from breaking that assumption.
    email         TEXT    NOT NULL UNIQUE CHECK (email = lower(email)),
    -- argon2id PHC string; never the password itself.
    password_hash TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    -- The two roles as flags; an account always has at least one (Roles::parse refuses none).
    is_host       INTEGER NOT NULL CHECK (is_host IN (0, 1)),
    is_seeker     INTEGER NOT NULL CHECK (is_seeker IN (0, 1)),
    -- IANA zone the user sees times in by default (validated by TimeZoneName::parse on read).
    time_zone     TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    CHECK (is_host = 1 OR is_seeker = 1)
);

-- API bearer tokens. Only a SHA-256 of the token is kept, so a leaked database leaks no usable token.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    -- Looked up on every API call, hence UNIQUE (which also indexes it).
    token_hash   TEXT    NOT NULL UNIQUE,
    -- Tokens die with their account.
    account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    -- Refreshed at most once a minute, so a busy client does not turn every read into a write.
    last_used_at INTEGER
);
CREATE INDEX api_tokens_by_account ON api_tokens (account_id);

-- Browser sessions (tower-sessions records, serialised by the web layer; opaque here).
CREATE TABLE sessions (
    -- Random session id chosen by the web layer.
    id         TEXT    PRIMARY KEY NOT NULL,
    data       BLOB    NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
-- The periodic clean-up deletes by expiry.
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- A host's public profile; one per host account.
CREATE TABLE host_profiles (
    -- One profile per account, so the account id is the key.
    account_id  INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    -- Public page name (/h/{handle}); Handle::parse lower-cases, so UNIQUE is case-insensitive in effect.
    handle      TEXT    NOT NULL UNIQUE CHECK (handle = lower(handle)),
    name        TEXT    NOT NULL,
    headline    TEXT    NOT NULL,
    -- Current job title.
    role        TEXT    NOT NULL,
    employer    TEXT    NOT NULL,
    industry    TEXT    NOT NULL,
    -- JSON arrays of strings; the skill filter looks inside `skills` with json_each.
    skills      TEXT    NOT NULL CHECK (json_valid(skills) AND json_type(skills) = 'array'),
    topics      TEXT    NOT NULL CHECK (json_valid(topics) AND json_type(topics) = 'array'),
    career_path TEXT    NOT NULL
);
-- The directory filters by industry without regard to case.
CREATE INDEX host_profiles_by_industry ON host_profiles (industry COLLATE NOCASE);

-- Full-text index of profiles for the directory search. Its rowid is the account id. It is a plain
-- (self-contained) FTS5 table kept in step by the triggers below, which run inside the statement that
-- writes the profile, so the index can never disagree with a committed profile. JSON lists are indexed
-- as space-separated words.
CREATE VIRTUAL TABLE host_search USING fts5 (
    name,
    headline,
    role,
    employer,
    industry,
    skills,
    topics,
    career_path,
    -- Case- and accent-insensitive matching ("Zoë" finds "zoe").
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER host_profiles_search_insert AFTER INSERT ON host_profiles BEGIN
    INSERT INTO host_search (rowid, name, headline, role, employer, industry, skills, topics, career_path)
    VALUES (
        new.account_id, new.name, new.headline, new.role, new.employer, new.industry,
        (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(new.skills)),
        (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(new.topics)),
        new.career_path
    );
END;

CREATE TRIGGER host_profiles_search_update AFTER UPDATE ON host_profiles BEGIN
    DELETE FROM host_search WHERE rowid = old.account_id;
    INSERT INTO host_search (rowid, name, headline, role, employer, industry, skills, topics, career_path)
    VALUES (
        new.account_id, new.name, new.headline, new.role, new.employer, new.industry,
        (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(new.skills)),
        (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(new.topics)),
        new.career_path
    );
END;

CREATE TRIGGER host_profiles_search_delete AFTER DELETE ON host_profiles BEGIN
    DELETE FROM host_search WHERE rowid = old.account_id;
END;

-- A host's availability policy; one per host account. The bounds repeat PolicyInput::validate's so
-- the database refuses what the domain would refuse.
CREATE TABLE host_policies (
    account_id       INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    -- IANA zone the windows are written in.
    time_zone        TEXT    NOT NULL,
    -- JSON array of offered lengths in minutes, e.g. [20, 30].
    lengths          TEXT    NOT NULL CHECK (json_valid(lengths) AND json_type(lengths) = 'array'),
    -- JSON array of {"weekday": "mon", "start": "07:30", "end": "08:30"} in the host's wall-clock time.
    windows          TEXT    NOT NULL CHECK (json_valid(windows) AND json_type(windows) = 'array'),
    -- Interviews that may start in one calendar month of the host's zone.
    monthly_cap      INTEGER NOT NULL CHECK (monthly_cap BETWEEN 1 AND 100),
    -- Free time kept before and after each interview.
    buffer_minutes   INTEGER NOT NULL CHECK (buffer_minutes BETWEEN 0 AND 120),
    min_notice_hours INTEGER NOT NULL CHECK (min_notice_hours BETWEEN 0 AND 720),
    horizon_days     INTEGER NOT NULL CHECK (horizon_days BETWEEN 1 AND 365),
    -- When 0 the host's page shows no slots and takes no requests.
    accepting        INTEGER NOT NULL CHECK (accepting IN (0, 1))
);

-- A seeker's request for a conversation with a host.
CREATE TABLE requests (
    id              INTEGER PRIMARY KEY,
    seeker_id       INTEGER NOT NULL REFERENCES accounts (id),
    host_id         INTEGER NOT NULL REFERENCES accounts (id),
    -- The lengths Coffeechat offers (MeetingLength).
    length_minutes  INTEGER NOT NULL CHECK (length_minutes IN (15, 20, 30, 45)),
    -- JSON array of 1 to 3 proposed start instants (unix seconds).
    proposed_starts TEXT    NOT NULL CHECK (
        json_valid(proposed_starts) AND json_type(proposed_starts) = 'array'
        AND json_array_length(proposed_starts) BETWEEN 1 AND 3
    ),
    -- Required: a host decides on the purpose.
    purpose         TEXT    NOT NULL CHECK (length(trim(purpose)) > 0),
    topics          TEXT    NOT NULL CHECK (json_valid(topics) AND json_type(topics) = 'array'),
    questions       TEXT    NOT NULL CHECK (json_valid(questions) AND json_type(questions) = 'array'),
    -- RequestStatus; only 'pending' ever changes, and the store changes it with a conditional UPDATE.
    status          TEXT    NOT NULL DEFAULT 'pending'
                            CHECK (status IN ('pending', 'accepted', 'declined', 'withdrawn', 'expired')),
    -- DeclineReason, present exactly when the request was declined.
    decline_reason  TEXT    CHECK (decline_reason IN ('no_capacity', 'timing', 'not_my_area', 'other')),
    -- The host's own words, optional (the reason has a kind default message).
    decline_message TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    -- Nobody books a conversation with themselves.
    CHECK (seeker_id <> host_id),
    CHECK ((status = 'declined') = (decline_reason IS NOT NULL)),
    -- Target of the interviews' composite foreign key, which keeps their copied parties honest.
    UNIQUE (id, seeker_id, host_id)
);
-- "My requests", as seeker and as host, newest first.
CREATE INDEX requests_by_seeker ON requests (seeker_id, created_at);
CREATE INDEX requests_by_host ON requests (host_id, created_at);

-- A conversation with a fixed time: an accepted request.
CREATE TABLE interviews (
    id            INTEGER PRIMARY KEY,
    -- One interview per request at most.
    request_id    INTEGER NOT NULL UNIQUE,
    -- Copied from the request so the overlap and cap checks (and calendars) need no join; the
    -- composite foreign key below guarantees the copies match the request.
    host_id       INTEGER NOT NULL,
    seeker_id     INTEGER NOT NULL,
    start_at      INTEGER NOT NULL,
    end_at        INTEGER NOT NULL,
    -- InterviewStatus; only 'scheduled' interviews hold the host's time.
    status        TEXT    NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
    -- Why and by whom it was cancelled; present exactly when cancelled, so the other side is never
    -- left guessing.
    cancel_reason TEXT,
    cancelled_by  INTEGER REFERENCES accounts (id),
    -- Stable iCalendar UID, so calendar apps update the same event on change and cancellation.
    ical_uid      TEXT    NOT NULL UNIQUE,
    -- iCalendar SEQUENCE, raised on every change.
    ical_sequence INTEGER NOT NULL DEFAULT 0 CHECK (ical_sequence >= 0),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    CHECK (end_at > start_at),
    CHECK ((status = 'cancelled') = (cancel_reason IS NOT NULL AND cancelled_by IS NOT NULL)),
    FOREIGN KEY (request_id, seeker_id, host_id) REFERENCES requests (id, seeker_id, host_id)
);
-- The overlap and monthly-cap checks of an accept, and the slot engine's bookings, scan one host's
-- interviews by start time.
CREATE INDEX interviews_by_host_start ON interviews (host_id, start_at);
-- A seeker's dashboard.
CREATE INDEX interviews_by_seeker_start ON interviews (seeker_id, start_at);
