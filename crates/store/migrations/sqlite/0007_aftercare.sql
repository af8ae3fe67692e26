-- Interview aftercare (issue 4): the seeker's thank-you note and its reminder, a recorded no-show, the host's
-- debrief with the seeker's talent-pool consent, and the host's follow-up invitation. One row per interview,
-- written the first time any of these happens.
CREATE TABLE interview_aftercare (
    interview_id         INTEGER PRIMARY KEY REFERENCES interviews (id) ON DELETE CASCADE,
    -- The seeker's thank-you note: at most one per interview.
    thanks_message       TEXT,
    thanks_sent_at       INTEGER,
    -- Set when the seeker was reminded to say thanks: the reminder task sends at most one per interview.
    thanks_reminded_at   INTEGER,
    -- Who did not come ('seeker' or 'host'), reported by the other party; at most one report per interview.
    no_show_of           TEXT CHECK (no_show_of IN ('seeker', 'host')),
    no_show_reported_by  INTEGER REFERENCES accounts (id),
    no_show_reported_at  INTEGER,
    -- When the host invited the seeker to a follow-up conversation (once per interview).
    follow_up_invited_at INTEGER,
    -- The host's debrief: all set or none.
    prepared             INTEGER CHECK (prepared IN (0, 1)),
    used_time_well       INTEGER CHECK (used_time_well IN (0, 1)),
    meet_again           INTEGER CHECK (meet_again IN (0, 1)),
    -- A colleague the host would refer the seeker to (a name or an address), or none.
    refer_to             TEXT,
    keep_in_mind         INTEGER CHECK (keep_in_mind IN (0, 1)),
    debriefed_at         INTEGER,
    debrief_updated_at   INTEGER,
    -- "Keep in mind for roles" only counts with the seeker's consent, asked when the host first ticks it.
    -- consent: NULL while unanswered, 1 given, 0 refused or withdrawn.
    consent_asked_at     INTEGER,
    consent              INTEGER CHECK (consent IN (0, 1)),
    consent_answered_at  INTEGER,
    CHECK ((thanks_message IS NULL) = (thanks_sent_at IS NULL)),
    CHECK ((no_show_of IS NULL) = (no_show_reported_by IS NULL AND no_show_reported_at IS NULL)),
    CHECK ((no_show_of IS NULL) = (no_show_reported_at IS NULL)),
    CHECK ((debriefed_at IS NULL) = (prepared IS NULL)),
    CHECK ((debriefed_at IS NULL) = (used_time_well IS NULL)),
    CHECK ((debriefed_at IS NULL) = (meet_again IS NULL)),
    CHECK ((debriefed_at IS NULL) = (keep_in_mind IS NULL)),
    CHECK ((debriefed_at IS NULL) = (debrief_updated_at IS NULL)),
    CHECK ((consent IS NULL) = (consent_answered_at IS NULL)),
    CHECK (consent IS NULL OR consent_asked_at IS NOT NULL)
);
-- A seeker's no-shows and a host's talent pool are read through the interviews' indexes by seeker and by
-- host, then this table's primary key.
-- The thanks reminder scans interviews by end.
CREATE INDEX interviews_by_end ON interviews (end_at) WHERE status = 'scheduled';
