-- Programs (issue 5): an employer, a career centre or an agency that matches a cohort of seekers with hosts.
-- Members join through invitation links; admins run matching rounds, review the proposal, pin or forbid pairs,
-- re-solve and publish (each pair becomes a normal pending request).

CREATE TABLE programs (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL CHECK (length(trim(name)) > 0),
    kind       TEXT    NOT NULL CHECK (kind IN ('employer', 'career_centre', 'agency')),
    -- The creator is the first admin (a row in program_members); kept here for the record.
    created_by INTEGER NOT NULL REFERENCES accounts (id),
    created_at INTEGER NOT NULL
);

-- One row per role: an admin who also hosts has two rows.
CREATE TABLE program_members (
    program_id INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    role       TEXT    NOT NULL CHECK (role IN ('admin', 'host', 'seeker')),
    joined_at  INTEGER NOT NULL,
    PRIMARY KEY (program_id, account_id, role)
);
-- "My programs".
CREATE INDEX program_members_by_account ON program_members (account_id);

-- Invitation links (/join/{token}). Only the SHA-256 of the token is kept, like API tokens: a database dump
-- does not let anyone join. A link may be used by a whole cohort.
CREATE TABLE program_invitations (
    id         INTEGER PRIMARY KEY,
    program_id INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    token_hash TEXT    NOT NULL UNIQUE,
    -- The role it gives; NULL: the roles of the joining account (host, seeker or both).
    role       TEXT    CHECK (role IN ('host', 'seeker')),
    created_by INTEGER NOT NULL REFERENCES accounts (id),
    created_at INTEGER NOT NULL
);

-- A matching round: who took part (seekers with the interviews they want, hosts with their capacity, both
-- fixed when the round was created), the options, and the latest proposal (a JSON document the service
-- computes with the exact solver). Published once; the requests it created are listed.
CREATE TABLE matching_rounds (
    id                      INTEGER PRIMARY KEY,
    program_id              INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    status                  TEXT    NOT NULL CHECK (status IN ('proposed', 'published')),
    fairness_weight         INTEGER NOT NULL CHECK (fairness_weight BETWEEN 0 AND 100),
    -- The largest share of the round one host may take, in thousandths; NULL: no cap.
    max_host_share_permille INTEGER CHECK (max_host_share_permille BETWEEN 1 AND 1000),
    seekers                 TEXT    NOT NULL CHECK (json_valid(seekers) AND json_type(seekers) = 'array'),
    hosts                   TEXT    NOT NULL CHECK (json_valid(hosts) AND json_type(hosts) = 'array'),
    proposal                TEXT    NOT NULL CHECK (json_valid(proposal) AND json_type(proposal) = 'object'),
    published_requests      TEXT    NOT NULL DEFAULT '[]'
                                    CHECK (json_valid(published_requests) AND json_type(published_requests) = 'array'),
    created_by              INTEGER NOT NULL REFERENCES accounts (id),
    created_at              INTEGER NOT NULL,
    -- Raised by every pin or forbid; the proposal records the version it was computed for, so one computed
    -- before the latest change (or while it happened) must be re-solved before it is published.
    constraint_version      INTEGER NOT NULL DEFAULT 0 CHECK (constraint_version >= 0),
    solved_version          INTEGER NOT NULL DEFAULT 0 CHECK (solved_version >= 0),
    solved_at               INTEGER NOT NULL,
    published_at            INTEGER
);
CREATE INDEX matching_rounds_by_program ON matching_rounds (program_id, id);

-- The admin's decisions about pairs of a round: 'pin' forces the pair in, 'forbid' keeps it out.
CREATE TABLE round_constraints (
    round_id   INTEGER NOT NULL REFERENCES matching_rounds (id) ON DELETE CASCADE,
    seeker_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    host_id    INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL CHECK (kind IN ('pin', 'forbid')),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (round_id, seeker_id, host_id)
);
