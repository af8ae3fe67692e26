//! Rows of matching profiles (`seeker_profiles`, the background columns of `host_profiles`) and of the pairs
//! matching excludes.

use std::collections::HashMap;

use coffeechat_domain::{AccountId, HostBackground, HostBackgroundInput, SeekerProfile, SeekerProfileInput};
use sqlx::FromRow;

use super::{HostRow, JsonText, Seconds, corrupt};
use crate::{MatchingHost, PairFact, Result};

/// The columns of `seeker_profiles` every query selects.
macro_rules! seeker_profile_columns {
    () => {
        "account_id, target_roles, target_industries, role, previous_roles, employer, skills, languages, region, \
         remote_ok, learn_topics"
    };
}
pub(crate) use seeker_profile_columns;

#[derive(Debug, FromRow)]
pub(crate) struct SeekerProfileRow {
    account_id: i64,
    target_roles: JsonText,
    target_industries: JsonText,
    role: String,
    previous_roles: JsonText,
    employer: String,
    skills: JsonText,
    languages: JsonText,
    region: String,
    remote_ok: bool,
    learn_topics: JsonText,
}

impl SeekerProfileRow {
    pub(crate) fn into_profile(self) -> Result<(AccountId, SeekerProfile)> {
        let input = SeekerProfileInput {
            target_roles: self.target_roles.list("seeker_profiles.target_roles")?,
            target_industries: self.target_industries.list("seeker_profiles.target_industries")?,
            current_role: self.role,
            previous_roles: self.previous_roles.list("seeker_profiles.previous_roles")?,
            current_employer: self.employer,
            skills: self.skills.list("seeker_profiles.skills")?,
            languages: self.languages.list("seeker_profiles.languages")?,
            region: self.region,
            remote_ok: self.remote_ok,
            learn_topics: self.learn_topics.list("seeker_profiles.learn_topics")?,
        };
        let profile = input.validate().map_err(|errors| corrupt("seeker_profiles", errors))?;
        Ok((AccountId(self.account_id), profile))
    }
}

/// A host's background columns of `host_profiles`.
#[derive(Debug, FromRow)]
pub(crate) struct BackgroundRow {
    account_id: i64,
    previous_roles: JsonText,
    languages: JsonText,
    region: String,
    seniority: String,
}

impl BackgroundRow {
    pub(crate) fn into_background(self) -> Result<(AccountId, HostBackground)> {
        let input = HostBackgroundInput {
            previous_roles: self.previous_roles.list("host_profiles.previous_roles")?,
            languages: self.languages.list("host_profiles.languages")?,
            region: self.region,
            seniority: self.seniority,
        };
        let background = input.validate().map_err(|errors| corrupt("host_profiles background", errors))?;
        Ok((AccountId(self.account_id), background))
    }
}

/// One (seeker, host) pair with the instant it is about.
#[derive(Debug, FromRow)]
pub(crate) struct PairRow {
    seeker_id: i64,
    host_id: i64,
    at: Seconds,
}

impl PairRow {
    pub(crate) fn into_fact(self) -> Result<PairFact> {
        Ok(PairFact { seeker: AccountId(self.seeker_id), host: AccountId(self.host_id), at: self.at.timestamp("at")? })
    }
}

pub(crate) fn account_ids(accounts: &[AccountId]) -> Vec<i64> {
    accounts.iter().map(|account| account.0).collect()
}

/// Pairs each listed host with its background (read by account id).
pub(crate) fn join_backgrounds(hosts: Vec<HostRow>, backgrounds: Vec<BackgroundRow>) -> Result<Vec<MatchingHost>> {
    let mut by_host: HashMap<AccountId, HostBackground> =
        backgrounds.into_iter().map(BackgroundRow::into_background).collect::<Result<_>>()?;
    hosts
        .into_iter()
        .map(|row| {
            let host = row.into_host()?;
            let background = by_host.remove(&host.account_id).unwrap_or_default();
            Ok(MatchingHost { host, background })
        })
        .collect()
}

/// One way to spell one part of a directory search: words that must follow each other, the last one a prefix
/// when it is what the user typed ("statist" finds "statistics"); synonyms from the vocabulary match whole
/// words only, so "tech" standing in for "software" does not also find "technical".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SearchSpelling {
    /// Runs of letters and digits only, so no query syntax can ever reach the database.
    pub(crate) words: Vec<String>,
    pub(crate) prefix: bool,
}

/// A directory search as groups of spellings, each group required: every known name ("JS", "product
/// management") widened to its synonyms through the matching vocabulary, every other word alone.
pub(crate) fn search_groups(text: &str) -> Vec<Vec<SearchSpelling>> {
    coffeechat_matching::Vocabulary::standard()
        .search_groups(text)
        .into_iter()
        .map(|group| {
            let mut spellings: Vec<SearchSpelling> = Vec::new();
            for (index, spelling) in group.iter().enumerate() {
                let words: Vec<String> =
                    spelling.iter().flat_map(|word| super::search_words(word)).map(str::to_owned).collect();
                let candidate = SearchSpelling { words, prefix: index == 0 };
                if !candidate.words.is_empty() && !spellings.iter().any(|seen| seen.words == candidate.words) {
                    spellings.push(candidate);
                }
            }
            spellings
        })
        .filter(|group| !group.is_empty())
        .take(super::MAX_SEARCH_TERMS)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_names_widen_to_their_synonyms_and_only_the_typed_one_is_a_prefix() {
        let groups = search_groups("JS statist");
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0][0], SearchSpelling { words: vec!["js".into()], prefix: true });
        assert!(groups[0][1..].iter().all(|spelling| !spelling.prefix));
        assert!(groups[0].contains(&SearchSpelling { words: vec!["javascript".into()], prefix: false }));
        assert_eq!(groups[1], [SearchSpelling { words: vec!["statist".into()], prefix: true }]);
    }

    #[test]
    fn query_syntax_never_survives() {
        for group in search_groups("\"x\" OR (y) NEAR c++ -- : *") {
            for spelling in group {
                assert!(spelling.words.iter().all(|word| word.chars().all(char::is_alphanumeric)), "{spelling:?}");
            }
        }
        assert!(search_groups("* -- ( ) :").is_empty());
        assert_eq!(search_groups(&"word ".repeat(100)).len(), super::super::MAX_SEARCH_TERMS);
    }
}
