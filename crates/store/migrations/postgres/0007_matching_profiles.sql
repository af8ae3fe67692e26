-- Matching profiles (issue 5): what recommendations and program rounds need to say who should talk to whom.

-- A host's background beyond the public profile. Existing hosts start with empty lists and blanks, which
-- matching reads as "not said".
ALTER TABLE host_profiles
    -- Earlier roles, oldest first; the free-text career_path story stays as it is.
    ADD COLUMN previous_roles JSONB NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(previous_roles) = 'array'),
    -- Languages the host can hold a conversation in.
    ADD COLUMN languages      JSONB NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(languages) = 'array'),
    -- A broad region ("Europe"), compared after vocabulary normalisation.
    ADD COLUMN region         TEXT  NOT NULL DEFAULT '',
    -- Seniority::as_str; '' when not said.
    ADD COLUMN seniority      TEXT  NOT NULL DEFAULT ''
        CHECK (seniority IN ('', 'early-career', 'mid-career', 'senior', 'leadership', 'executive'));

-- Earlier roles are part of a host's story, so the directory search finds them, at the career story's weight
-- (D). A generated column's expression cannot be altered before PostgreSQL 17, so the search document is
-- dropped (with its index) and added again, computed for every existing profile.
ALTER TABLE host_profiles DROP COLUMN search;
ALTER TABLE host_profiles ADD COLUMN search TSVECTOR GENERATED ALWAYS AS (
    setweight(to_tsvector('coffeechat_search'::regconfig, name), 'A')
    || setweight(to_tsvector('coffeechat_search'::regconfig, headline), 'A')
    || setweight(to_tsvector('coffeechat_search'::regconfig, role), 'B')
    || setweight(jsonb_to_tsvector('coffeechat_search'::regconfig, skills, '["string"]'), 'B')
    || setweight(jsonb_to_tsvector('coffeechat_search'::regconfig, topics, '["string"]'), 'B')
    || setweight(to_tsvector('coffeechat_search'::regconfig, employer), 'C')
    || setweight(to_tsvector('coffeechat_search'::regconfig, industry), 'C')
    || setweight(to_tsvector('coffeechat_search'::regconfig, career_path), 'D')
    || setweight(jsonb_to_tsvector('coffeechat_search'::regconfig, previous_roles, '["string"]'), 'D')
) STORED;
CREATE INDEX host_profiles_search ON host_profiles USING gin (search);

-- A seeker's matching profile: private, read only by recommendations and program rounds. One per account.
CREATE TABLE seeker_profiles (
    account_id        BIGINT      PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    -- Lists of strings; SeekerProfileInput::validate bounds their counts and lengths.
    target_roles      JSONB       NOT NULL CHECK (jsonb_typeof(target_roles) = 'array'),
    target_industries JSONB       NOT NULL CHECK (jsonb_typeof(target_industries) = 'array'),
    -- Current job title, as in host_profiles (CURRENT_ROLE is an SQL keyword); '' for students and people
    -- between jobs.
    role              TEXT        NOT NULL,
    previous_roles    JSONB       NOT NULL CHECK (jsonb_typeof(previous_roles) = 'array'),
    -- Hosts working there are never suggested to this seeker.
    employer          TEXT        NOT NULL,
    skills            JSONB       NOT NULL CHECK (jsonb_typeof(skills) = 'array'),
    languages         JSONB       NOT NULL CHECK (jsonb_typeof(languages) = 'array'),
    region            TEXT        NOT NULL,
    -- Happy to talk by video with someone far away.
    remote_ok         BOOLEAN     NOT NULL,
    learn_topics      JSONB       NOT NULL CHECK (jsonb_typeof(learn_topics) = 'array'),
    updated_at        TIMESTAMPTZ NOT NULL
);
