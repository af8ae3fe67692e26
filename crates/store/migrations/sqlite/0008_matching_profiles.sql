-- Matching profiles (issue 5): what recommendations and program rounds need to say who should talk to whom.

-- A host's background beyond the public profile. Existing hosts start with empty lists and blanks, which
-- matching reads as "not said".
-- Earlier roles, oldest first (JSON array of strings); the free-text career_path story stays as it is.
ALTER TABLE host_profiles ADD COLUMN previous_roles TEXT NOT NULL DEFAULT '[]'
    CHECK (json_valid(previous_roles) AND json_type(previous_roles) = 'array');
-- Languages the host can hold a conversation in (JSON array of strings).
ALTER TABLE host_profiles ADD COLUMN languages TEXT NOT NULL DEFAULT '[]'
    CHECK (json_valid(languages) AND json_type(languages) = 'array');
-- A broad region ("Europe"), compared after vocabulary normalisation.
ALTER TABLE host_profiles ADD COLUMN region TEXT NOT NULL DEFAULT '';
-- Seniority::as_str; '' when not said.
ALTER TABLE host_profiles ADD COLUMN seniority TEXT NOT NULL DEFAULT ''
    CHECK (seniority IN ('', 'early-career', 'mid-career', 'senior', 'leadership', 'executive'));

-- Earlier roles are part of a host's story, so the directory search finds them: they are indexed with the
-- career story (same column, same weight), which keeps the FTS table's shape and its bm25 weights.
DROP TRIGGER host_profiles_search_insert;
DROP TRIGGER host_profiles_search_update;

CREATE TRIGGER host_profiles_search_insert AFTER INSERT ON host_profiles BEGIN
    INSERT INTO host_search (rowid, name, headline, role, employer, industry, skills, topics, career_path)
    VALUES (
        new.account_id, new.name, new.headline, new.role, new.employer, new.industry,
        (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(new.skills)),
        (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(new.topics)),
        new.career_path || ' ' || (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(new.previous_roles))
    );
END;

CREATE TRIGGER host_profiles_search_update AFTER UPDATE ON host_profiles BEGIN
    DELETE FROM host_search WHERE rowid = old.account_id;
    INSERT INTO host_search (rowid, name, headline, role, employer, industry, skills, topics, career_path)
    VALUES (
        new.account_id, new.name, new.headline, new.role, new.employer, new.industry,
        (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(new.skills)),
        (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(new.topics)),
        new.career_path || ' ' || (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(new.previous_roles))
    );
END;

-- A seeker's matching profile: private, read only by recommendations and program rounds. One per account.
CREATE TABLE seeker_profiles (
    account_id        INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    -- JSON arrays of strings; SeekerProfileInput::validate bounds their counts and lengths.
    target_roles      TEXT    NOT NULL CHECK (json_valid(target_roles) AND json_type(target_roles) = 'array'),
    target_industries TEXT    NOT NULL
                              CHECK (json_valid(target_industries) AND json_type(target_industries) = 'array'),
    -- Current job title, as in host_profiles (CURRENT_ROLE is an SQL keyword); '' for students and people
    -- between jobs.
    role              TEXT    NOT NULL,
    previous_roles    TEXT    NOT NULL CHECK (json_valid(previous_roles) AND json_type(previous_roles) = 'array'),
    -- Hosts working there are never suggested to this seeker.
    employer          TEXT    NOT NULL,
    skills            TEXT    NOT NULL CHECK (json_valid(skills) AND json_type(skills) = 'array'),
    languages         TEXT    NOT NULL CHECK (json_valid(languages) AND json_type(languages) = 'array'),
    region            TEXT    NOT NULL,
    -- 1: happy to talk by video with someone far away.
    remote_ok         INTEGER NOT NULL CHECK (remote_ok IN (0, 1)),
    learn_topics      TEXT    NOT NULL CHECK (json_valid(learn_topics) AND json_type(learn_topics) = 'array'),
    updated_at        INTEGER NOT NULL
);
