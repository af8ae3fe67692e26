-- Outgoing email, single-purpose reschedule/cancel links, and private calendar feeds (issue 3).

-- Every email Coffeechat sends is first written here, in the same transaction as the change it reports, and a
-- worker sends it later. A failed send is retried with backoff and finally left visible as 'failed', so no
-- message is ever silently dropped. Workers on any number of instances claim messages with
-- `FOR UPDATE SKIP LOCKED`, so each message is handed to exactly one of them.
CREATE TABLE outbox (
    id              BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- What the message is about (e.g. 'request_sent', 'interview_invitation'), for logs and the admin view.
    kind            TEXT        NOT NULL CHECK (length(kind) > 0),
    recipient_email TEXT        NOT NULL CHECK (recipient_email = lower(recipient_email)),
    recipient_name  TEXT        NOT NULL,
    subject         TEXT        NOT NULL,
    -- Every email has a plain-text part; the HTML part is optional.
    body_text       TEXT        NOT NULL,
    body_html       TEXT,
    -- An RFC 5545 calendar sent inline (text/calendar; method=...) and attached as invite.ics.
    ics             TEXT,
    -- The iTIP method of `ics`; it must agree with the METHOD inside it, so it is present exactly with `ics`.
    ics_method      TEXT        CHECK (ics_method IN ('PUBLISH', 'REQUEST', 'CANCEL')),
    -- queued: waiting for `next_attempt_at`; sending: claimed by a worker until `next_attempt_at` (a lease);
    -- sent: done; failed: gave up after the last attempt (shown to operators, never retried by itself).
    status          TEXT        NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
    -- Delivery attempts started so far (a claim counts as one).
    attempts        INTEGER     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- queued: when it may be tried next; sending: when the claim expires and another worker may take it.
    next_attempt_at TIMESTAMPTZ NOT NULL,
    -- Why the last attempt failed, for operators.
    last_error      TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    sent_at         TIMESTAMPTZ,
    -- Set by callers that might queue the same message twice (a retried request): a second insert with the
    -- same key is ignored, so a retry never sends twice. NULLs never collide in a UNIQUE column.
    dedupe_key      TEXT        UNIQUE,
    CHECK ((ics IS NULL) = (ics_method IS NULL)),
    CHECK ((status = 'sent') = (sent_at IS NOT NULL))
);
-- The claim looks for the earliest due message of one status; giving back stale claims scans 'sending'.
CREATE INDEX outbox_by_status_due ON outbox (status, next_attempt_at, id);
-- Pruning deletes old sent messages.
CREATE INDEX outbox_sent_by_time ON outbox (sent_at) WHERE status = 'sent';

-- Links in emails that let either side reschedule or cancel without logging in. Only the SHA-256 of each token
-- is kept: a leaked database holds no working link. A token is bound to one interview, one party and one
-- action, and to the interview's iCalendar SEQUENCE when it was issued: every change of the interview raises
-- the sequence, so a token stops working once the interview changes, whoever changed it.
CREATE TABLE action_tokens (
    token_hash   TEXT        PRIMARY KEY,
    interview_id BIGINT      NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    -- The party the link acts for; cancellations and reschedules are recorded as theirs.
    account_id   BIGINT      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    action       TEXT        NOT NULL CHECK (action IN ('reschedule', 'cancel')),
    -- The interview's ical_sequence the token was issued for.
    sequence     INTEGER     NOT NULL CHECK (sequence >= 0),
    created_at   TIMESTAMPTZ NOT NULL,
    -- Set when the link was used: a used link never works again.
    used_at      TIMESTAMPTZ
);
CREATE INDEX action_tokens_by_interview ON action_tokens (interview_id);
-- The cascade from a deleted account finds its tokens.
CREATE INDEX action_tokens_by_account ON action_tokens (account_id);

-- One private calendar feed per account (/feeds/{token}.ics). The token is derived from the server's secret key
-- and `nonce` (so the owner can be shown the URL again), and only its SHA-256 is kept for the lookup, so the
-- database alone cannot rebuild a working URL. Regenerating replaces the row; revoking deletes it.
CREATE TABLE feed_tokens (
    account_id BIGINT      PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    -- Random per feed; a new nonce is a new URL.
    nonce      TEXT        NOT NULL,
    -- Looked up on every feed fetch, hence UNIQUE (which also indexes it).
    token_hash TEXT        NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL
);
