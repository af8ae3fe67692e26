-- Coffeechat's PostgreSQL schema: accounts, hosts, requests and interviews. It holds the same data as the SQLite
-- schema (migrations/sqlite 0001-0003), in PostgreSQL's own types, and adds what only a server database can
-- guarantee for many application instances at once (the exclusion constraint on interviews).
--
-- Conventions used throughout:
-- * Instants are TIMESTAMPTZ. The application writes whole seconds (as SQLite stores them), so both backends
--   return the same values.
-- * Ids are BIGINT identities; small counts and minutes are INTEGER.
-- * Lists of strings and structured lists (skills, topics, policy windows) are JSONB arrays, checked to be
--   arrays; a request's proposed starts are a TIMESTAMPTZ[] so they compare as instants.
-- * Enumerations are TEXT with a CHECK listing the values the domain crate knows, as in SQLite.
-- * Constraints users can hit are named, because the store maps their names to answers ("this email is
--   already taken", "that time is no longer free").

-- Overlap of time ranges per host needs `=` on a BIGINT inside a GiST index (the interviews' exclusion
-- constraint). Trusted extension: a database owner may create it.
CREATE EXTENSION IF NOT EXISTS btree_gist;
-- Accent folding for the directory search ("Zoë" is found as "zoe"). Trusted extension as well.
CREATE EXTENSION IF NOT EXISTS unaccent;

-- The directory's text search configuration: PostgreSQL's `simple` one (lower-cases, no stemming, no stop
-- words, like SQLite's unicode61 tokenizer) with accents removed first. Both the indexed profiles and the
-- searched words go through it, so they always agree.
CREATE TEXT SEARCH CONFIGURATION coffeechat_search (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION coffeechat_search
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part, numword, numhword,
                      hword_numpart
    WITH unaccent, simple;

-- A person using Coffeechat: a host, a seeker, or both.
CREATE TABLE accounts (
    id            BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Login name. Email::parse trims and lower-cases, so plain UNIQUE is case-insensitive in effect; the
    -- CHECK keeps hand-written rows from breaking that assumption.
    email         TEXT        NOT NULL CHECK (email = lower(email)),
    -- argon2id PHC string; never the password itself.
    password_hash TEXT        NOT NULL,
    name          TEXT        NOT NULL,
    -- The two roles as flags; an account always has at least one (Roles::parse refuses none).
    is_host       BOOLEAN     NOT NULL,
    is_seeker     BOOLEAN     NOT NULL,
    -- IANA zone the user sees times in by default (validated by TimeZoneName::parse on read).
    time_zone     TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    CONSTRAINT accounts_email_key UNIQUE (email),
    CHECK (is_host OR is_seeker)
);

-- API bearer tokens. Only a SHA-256 of the token is kept, so a leaked database leaks no usable token.
CREATE TABLE api_tokens (
    id           BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Looked up on every API call, hence UNIQUE (which also indexes it).
    token_hash   TEXT        NOT NULL UNIQUE,
    -- Tokens die with their account.
    account_id   BIGINT      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL,
    -- Refreshed at most once a minute, so a busy client does not turn every read into a write.
    last_used_at TIMESTAMPTZ
);
CREATE INDEX api_tokens_by_account ON api_tokens (account_id);

-- Browser sessions (tower-sessions records, serialised by the web layer; opaque here). In the database, not
-- in a process, so any instance behind the proxy can serve any request.
CREATE TABLE sessions (
    -- Random session id chosen by the web layer.
    id         TEXT        PRIMARY KEY,
    data       BYTEA       NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
-- The periodic clean-up deletes by expiry.
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- A host's public profile; one per host account.
CREATE TABLE host_profiles (
    -- One profile per account, so the account id is the key.
    account_id  BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    -- Public page name (/h/{handle}); Handle::parse lower-cases, so UNIQUE is case-insensitive in effect.
    handle      TEXT   NOT NULL CHECK (handle = lower(handle)),
    name        TEXT   NOT NULL,
    headline    TEXT   NOT NULL,
    -- Current job title.
    role        TEXT   NOT NULL,
    employer    TEXT   NOT NULL,
    industry    TEXT   NOT NULL,
    -- JSON arrays of strings.
    skills      JSONB  NOT NULL CHECK (jsonb_typeof(skills) = 'array'),
    topics      JSONB  NOT NULL CHECK (jsonb_typeof(topics) = 'array'),
    career_path TEXT   NOT NULL,
    -- The directory's search document, computed by the database from the columns above whenever a profile is
    -- written, so it can never disagree with a committed profile. Weights rank a hit in the name or headline
    -- (A) above one in the role, skills or topics (B), the employer or industry (C), or the career story (D).
    search      TSVECTOR GENERATED ALWAYS AS (
        setweight(to_tsvector('coffeechat_search'::regconfig, name), 'A')
        || setweight(to_tsvector('coffeechat_search'::regconfig, headline), 'A')
        || setweight(to_tsvector('coffeechat_search'::regconfig, role), 'B')
        || setweight(jsonb_to_tsvector('coffeechat_search'::regconfig, skills, '["string"]'), 'B')
        || setweight(jsonb_to_tsvector('coffeechat_search'::regconfig, topics, '["string"]'), 'B')
        || setweight(to_tsvector('coffeechat_search'::regconfig, employer), 'C')
        || setweight(to_tsvector('coffeechat_search'::regconfig, industry), 'C')
        || setweight(to_tsvector('coffeechat_search'::regconfig, career_path), 'D')
    ) STORED,
    CONSTRAINT host_profiles_handle_key UNIQUE (handle)
);
-- Text search over the directory.
CREATE INDEX host_profiles_search ON host_profiles USING gin (search);
-- The directory filters by industry and by a whole skill, both without regard to case.
CREATE INDEX host_profiles_by_industry ON host_profiles (lower(industry));
CREATE INDEX host_profiles_by_skill ON host_profiles USING gin ((lower(skills::text)::jsonb) jsonb_path_ops);

-- A host's availability policy; one per host account. The bounds repeat PolicyInput::validate's so the
-- database refuses what the domain would refuse.
CREATE TABLE host_policies (
    account_id              BIGINT  PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    -- IANA zone the windows are written in.
    time_zone               TEXT    NOT NULL,
    -- Offered lengths in minutes, e.g. [20, 30].
    lengths                 JSONB   NOT NULL CHECK (jsonb_typeof(lengths) = 'array'),
    -- [{"weekday": "mon", "start": "07:30", "end": "08:30"}, ...] in the host's wall-clock time.
    windows                 JSONB   NOT NULL CHECK (jsonb_typeof(windows) = 'array'),
    -- Interviews that may start in one calendar month of the host's zone.
    monthly_cap             INTEGER NOT NULL CHECK (monthly_cap BETWEEN 1 AND 100),
    -- Free time kept before and after each interview.
    buffer_minutes          INTEGER NOT NULL CHECK (buffer_minutes BETWEEN 0 AND 120),
    min_notice_hours        INTEGER NOT NULL CHECK (min_notice_hours BETWEEN 0 AND 720),
    horizon_days            INTEGER NOT NULL CHECK (horizon_days BETWEEN 1 AND 365),
    -- When false the host's page shows no slots and takes no requests.
    accepting               BOOLEAN NOT NULL,
    -- Optional caps per local day and per local week; NULL means no cap of that kind.
    daily_cap               INTEGER CHECK (daily_cap BETWEEN 1 AND 20),
    weekly_cap              INTEGER CHECK (weekly_cap BETWEEN 1 AND 100),
    -- The weekday a week starts on, for the weekly cap.
    week_start              TEXT    NOT NULL DEFAULT 'mon'
                                    CHECK (week_start IN ('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun')),
    -- Minutes between possible slot starts; NULL means "the meeting length".
    slot_increment_minutes  INTEGER CHECK (slot_increment_minutes IN (5, 10, 15, 30)),
    -- How long a pending request keeps its proposed slots from being offered to others.
    hold_hours              INTEGER NOT NULL DEFAULT 24 CHECK (hold_hours BETWEEN 0 AND 168),
    -- Whether pending requests count towards the caps, or only accepted interviews do.
    count_pending           BOOLEAN NOT NULL DEFAULT false,
    -- Minimum notice for moving an interview to another time.
    reschedule_notice_hours INTEGER NOT NULL DEFAULT 24 CHECK (reschedule_notice_hours BETWEEN 0 AND 720)
);

-- A seeker's request for a conversation with a host.
CREATE TABLE requests (
    id              BIGINT        GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seeker_id       BIGINT        NOT NULL REFERENCES accounts (id),
    host_id         BIGINT        NOT NULL REFERENCES accounts (id),
    -- The lengths Coffeechat offers (MeetingLength).
    length_minutes  INTEGER       NOT NULL CHECK (length_minutes IN (15, 20, 30, 45)),
    -- 1 to 3 proposed start instants, in the order the seeker gave them (a flat array without NULLs).
    proposed_starts TIMESTAMPTZ[] NOT NULL CHECK (
        array_ndims(proposed_starts) = 1 AND cardinality(proposed_starts) BETWEEN 1 AND 3
        AND array_position(proposed_starts, NULL) IS NULL
    ),
    -- Required: a host decides on the purpose.
    purpose         TEXT          NOT NULL CHECK (length(trim(purpose)) > 0),
    topics          JSONB         NOT NULL CHECK (jsonb_typeof(topics) = 'array'),
    questions       JSONB         NOT NULL CHECK (jsonb_typeof(questions) = 'array'),
    -- RequestStatus; only 'pending' ever changes, and the store changes it with a conditional UPDATE.
    status          TEXT          NOT NULL DEFAULT 'pending'
                                  CHECK (status IN ('pending', 'accepted', 'declined', 'withdrawn', 'expired')),
    -- DeclineReason, present exactly when the request was declined.
    decline_reason  TEXT          CHECK (decline_reason IN ('no_capacity', 'timing', 'not_my_area', 'other')),
    -- The host's own words, optional (the reason has a kind default message).
    decline_message TEXT,
    created_at      TIMESTAMPTZ   NOT NULL,
    updated_at      TIMESTAMPTZ   NOT NULL,
    -- Nobody books a conversation with themselves.
    CHECK (seeker_id <> host_id),
    CHECK ((status = 'declined') = (decline_reason IS NOT NULL)),
    -- Target of the interviews' composite foreign key, which keeps their copied parties honest.
    UNIQUE (id, seeker_id, host_id)
);
-- "My requests", as seeker and as host, newest first.
CREATE INDEX requests_by_seeker ON requests (seeker_id, created_at);
CREATE INDEX requests_by_host ON requests (host_id, created_at);
-- Pending requests hold their proposed slots and may count towards caps, so every slot search and every cap
-- check reads one host's pending requests. Partial: answered requests, the vast majority, are left out.
CREATE INDEX requests_pending_by_host ON requests (host_id, created_at) WHERE status = 'pending';

-- A conversation with a fixed time: an accepted request.
CREATE TABLE interviews (
    id            BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- One interview per request at most.
    request_id    BIGINT      NOT NULL UNIQUE,
    -- Copied from the request so the overlap and cap checks (and calendars) need no join; the composite
    -- foreign key below guarantees the copies match the request.
    host_id       BIGINT      NOT NULL,
    seeker_id     BIGINT      NOT NULL,
    start_at      TIMESTAMPTZ NOT NULL,
    end_at        TIMESTAMPTZ NOT NULL,
    -- InterviewStatus; only 'scheduled' interviews hold the host's time.
    status        TEXT        NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
    -- Why and by whom it was cancelled; present exactly when cancelled, so the other side is never left
    -- guessing.
    cancel_reason TEXT,
    cancelled_by  BIGINT      REFERENCES accounts (id),
    -- Stable iCalendar UID, so calendar apps update the same event on change and cancellation.
    ical_uid      TEXT        NOT NULL UNIQUE,
    -- iCalendar SEQUENCE, raised on every change.
    ical_sequence INTEGER     NOT NULL DEFAULT 0 CHECK (ical_sequence >= 0),
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    CHECK (end_at > start_at),
    CHECK ((status = 'cancelled') = (cancel_reason IS NOT NULL AND cancelled_by IS NOT NULL)),
    FOREIGN KEY (request_id, seeker_id, host_id) REFERENCES requests (id, seeker_id, host_id),
    -- No two scheduled interviews of one host overlap, whatever the code does and however many instances
    -- write at once. Half-open ranges, so back-to-back interviews are allowed; the host's buffer around an
    -- interview is a policy, checked by the store in the accepting transaction. The constraint's GiST index
    -- also serves every "interviews of this host overlapping a range" query.
    CONSTRAINT interviews_no_overlap
        EXCLUDE USING gist (host_id WITH =, tstzrange(start_at, end_at) WITH &&) WHERE (status = 'scheduled')
);
-- The cap checks count one host's interviews starting in a period; a dashboard lists them by start time.
CREATE INDEX interviews_by_host_start ON interviews (host_id, start_at);
-- A seeker's dashboard.
CREATE INDEX interviews_by_seeker_start ON interviews (seeker_id, start_at);
