//! "Who should I talk to?": hosts ranked for one seeker by relevance, each with its reasons in words, leaving out
//! hosts the seeker has met (unless invited back), who declined them, who work at their employer, or whom they are
//! already in touch with. Hosts with no free slot left this month are listed apart with their next opening.
//!
//! The pair rules and the fact conversions are shared with program rounds ([`Services::pair_exclusions`],
//! [`seeker_facts`], [`host_facts`]).

use std::collections::HashSet;

use coffeechat_domain::{AccountId, HostBackground, SeekerProfile};
use coffeechat_matching::{HostFacts, SeekerFacts, Vocabulary, relevance, same_employer};
use coffeechat_store::MatchingHost;
use jiff::Timestamp;

use crate::seeker_profile::require_seeker;
use crate::{Account, Host, Result, ServiceError, Services};

/// Hosts per list when the caller does not say, and the most one call returns.
pub const DEFAULT_RECOMMENDATIONS: u32 = 10;
pub const MAX_RECOMMENDATIONS: u32 = 50;
/// How many of the best-scored hosts are checked for room, per recommendation asked for.
const EXAMINED_PER_RECOMMENDATION: usize = 5;

/// One recommended host.
#[derive(Debug, Clone)]
pub struct Recommendation {
    pub host: Host,
    pub background: HostBackground,
    /// Relevance, 1..=100.
    pub score: u8,
    /// Why, strongest first ("works as a data scientist, your target role").
    pub reasons: Vec<String>,
    /// Their first free slot (at their shortest length), for hosts with room this month (their zone's month).
    pub next_free: Option<Timestamp>,
    /// For hosts full for now: where their next opening begins (the start of a later month, or the day of a
    /// free slot), when one is in sight.
    pub next_opening: Option<Timestamp>,
}

/// Recommendations for one seeker: hosts with room now, and the best hosts who are full for now.
#[derive(Debug, Clone, Default)]
pub struct Recommendations {
    /// Best first.
    pub available: Vec<Recommendation>,
    /// Best first; each with its next opening when one is in sight.
    pub later: Vec<Recommendation>,
}

/// Why a seeker and a host must not be paired (or not now).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairExclusion {
    /// They had a conversation, and the host has not invited the seeker back.
    AlreadyMet,
    /// The host declined a request of the seeker.
    Declined,
    /// A request is pending, or a conversation is coming up.
    InTouch,
}

impl PairExclusion {
    /// In words, for an admin or a test.
    pub fn describe(self) -> &'static str {
        match self {
            PairExclusion::AlreadyMet => "already met",
            PairExclusion::Declined => "the host declined a request from this seeker",
            PairExclusion::InTouch => "already in touch (a pending request or an upcoming conversation)",
        }
    }
}

/// The pairs that must not be suggested, for a set of seekers.
#[derive(Debug, Clone, Default)]
pub struct PairExclusions {
    met: HashSet<(AccountId, AccountId)>,
    declined: HashSet<(AccountId, AccountId)>,
    in_touch: HashSet<(AccountId, AccountId)>,
    /// Met pairs the host invited back: allowed again, and worth saying.
    invited_back: HashSet<(AccountId, AccountId)>,
}

impl PairExclusions {
    /// Why `seeker` and `host` must not be paired, if they must not.
    pub fn why_excluded(&self, seeker: AccountId, host: AccountId) -> Option<PairExclusion> {
        let pair = (seeker, host);
        if self.declined.contains(&pair) {
            Some(PairExclusion::Declined)
        } else if self.met.contains(&pair) && !self.invited_back.contains(&pair) {
            Some(PairExclusion::AlreadyMet)
        } else if self.in_touch.contains(&pair) {
            Some(PairExclusion::InTouch)
        } else {
            None
        }
    }

    /// Whether the host invited the seeker to a follow-up after they met.
    pub fn invited_back(&self, seeker: AccountId, host: AccountId) -> bool {
        self.invited_back.contains(&(seeker, host))
    }
}

/// What relevance knows of a seeker, from their profile.
pub fn seeker_facts(profile: &SeekerProfile, interviews_had: u32) -> SeekerFacts {
    SeekerFacts {
        target_roles: profile.target_roles.clone(),
        target_industries: profile.target_industries.clone(),
        current_role: profile.current_role.clone(),
        previous_roles: profile.previous_roles.clone(),
        current_employer: profile.current_employer.clone(),
        skills: profile.skills.clone(),
        languages: profile.languages.clone(),
        region: profile.region.clone(),
        remote_ok: profile.remote_ok,
        learn_topics: profile.learn_topics.clone(),
        interviews_had,
    }
}

/// What relevance knows of a host, from their profile and background.
pub fn host_facts(host: &MatchingHost) -> HostFacts {
    let profile = &host.host.profile;
    HostFacts {
        current_role: profile.role.clone(),
        previous_roles: host.background.previous_roles.clone(),
        industry: profile.industry.clone(),
        employer: profile.employer.clone(),
        skills: profile.skills.clone(),
        topics: profile.topics.clone(),
        languages: host.background.languages.clone(),
        region: host.background.region.clone(),
        seniority: host.background.seniority.as_str().to_owned(),
    }
}

impl Services {
    /// The pairs among `seekers` and every host that must not be suggested now: met (unless the host invited the
    /// seeker back), declined, or already in touch.
    ///
    /// # Errors
    /// Only store failures.
    pub async fn pair_exclusions(&self, seekers: &[AccountId]) -> Result<PairExclusions> {
        let now = self.now();
        let (met, declined, open) = tokio::try_join!(
            self.store.met_pairs(seekers, now),
            self.store.declined_pairs(seekers),
            self.store.open_pairs(seekers, now),
        )?;
        let mut exclusions = PairExclusions::default();
        for fact in met {
            // A follow-up invitation made after their latest conversation opens the door again.
            let invited = self.store.follow_up_invited_at(fact.seeker, fact.host).await?;
            if invited.is_some_and(|invited| invited >= fact.at) {
                exclusions.invited_back.insert((fact.seeker, fact.host));
            }
            exclusions.met.insert((fact.seeker, fact.host));
        }
        exclusions.declined.extend(declined.into_iter().map(|fact| (fact.seeker, fact.host)));
        exclusions.in_touch.extend(open.into_iter().map(|fact| (fact.seeker, fact.host)));
        Ok(exclusions)
    }

    /// Hosts for the caller to talk to, best first, with their reasons: up to `limit` hosts with a free slot now,
    /// and up to `limit` of the best hosts who are full for now (with their next opening), both found among the
    /// `5 × limit` best-scored hosts. Hosts who are not
    /// taking requests at all, the caller themself, hosts with nothing in common at work, and excluded pairs (see
    /// [`Services::pair_exclusions`], plus hosts at the caller's current employer) are left out.
    ///
    /// # Errors
    /// [`ServiceError::Forbidden`] unless the caller is a seeker; [`ServiceError::Invalid`] (`limit`) outside
    /// 1..=50; [`ServiceError::Conflict`] until the caller has saved a seeker profile.
    pub async fn recommendations(&self, me: &Account, limit: u32) -> Result<Recommendations> {
        require_seeker(me)?;
        if !(1..=MAX_RECOMMENDATIONS).contains(&limit) {
            return Err(ServiceError::invalid("limit", format!("must be 1 to {MAX_RECOMMENDATIONS}")));
        }
        let profile = self.store.seeker_profile(me.id).await?.ok_or_else(|| {
            ServiceError::Conflict(
                "save your seeker profile first (what you do now, where you want to go): it is what \
                 recommendations are made from"
                    .into(),
            )
        })?;
        let seekers = [me.id];
        let (hosts, exclusions) = tokio::try_join!(
            async { Ok::<_, ServiceError>(self.store.matching_hosts(None).await?) },
            self.pair_exclusions(&seekers)
        )?;
        let vocabulary = Vocabulary::standard();
        let seeker = seeker_facts(&profile, 0);

        let mut ranked: Vec<(MatchingHost, u8, Vec<String>)> = Vec::new();
        for host in hosts {
            let id = host.host.account_id;
            let facts = host_facts(&host);
            if id == me.id || exclusions.why_excluded(me.id, id).is_some() || same_employer(&seeker, &facts, vocabulary)
            {
                continue;
            }
            let found = relevance(&seeker, &facts, vocabulary);
            let invited_back = exclusions.invited_back(me.id, id);
            // A host with nothing in common at work is no recommendation, however free they are (a shared
            // language or region only adds to a host who is relevant already).
            if !found.about_work && !invited_back {
                continue;
            }
            let mut reasons = found.reasons;
            if invited_back {
                reasons.insert(0, "invited you back for a follow-up conversation".to_owned());
            }
            ranked.push((host, found.score, reasons));
        }
        // Best first; equal scores by name, then account, so the order never wobbles.
        ranked.sort_by(|(a, a_score, _), (b, b_score, _)| {
            b_score
                .cmp(a_score)
                .then_with(|| a.host.profile.name.to_lowercase().cmp(&b.host.profile.name.to_lowercase()))
                .then_with(|| a.host.account_id.cmp(&b.host.account_id))
        });

        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let mut found = Recommendations::default();
        // Capacity costs a few queries per host, so it is asked only of the best: until both lists are full, and
        // of at most a few times as many hosts as asked for.
        for (host, score, reasons) in ranked.into_iter().take(limit.saturating_mul(EXAMINED_PER_RECOMMENDATION)) {
            if found.available.len() >= limit && found.later.len() >= limit {
                break;
            }
            let policy = self.effective_policy(&host.host).await?;
            let capacity = self.capacity_of(host.host.account_id, &policy).await?;
            if capacity.paused {
                continue;
            }
            // "Room now" means a free slot before the host's month ends: a host whose first free time is next
            // month is full for now, and opens again at the start of that month.
            let zone = &policy.time_zone;
            let (this_month, month_end) = coffeechat_schedule::month_bounds(zone, self.now());
            let (next_free, next_opening) = match capacity.next_free {
                Some(free) if free < month_end => (Some(free), None),
                Some(free) => {
                    let (opening_month, _) = coffeechat_schedule::month_bounds(zone, free);
                    (None, Some(opening_month.max(this_month)))
                }
                None => (None, capacity.next_opening),
            };
            let MatchingHost { host, background } = host;
            let recommendation = Recommendation { host, background, score, reasons, next_free, next_opening };
            if next_free.is_none() {
                if found.later.len() < limit {
                    found.later.push(recommendation);
                }
            } else if found.available.len() < limit {
                found.available.push(recommendation);
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decline_outweighs_an_invitation_and_an_invitation_reopens_a_meeting() {
        let (seeker, host, other) = (AccountId(1), AccountId(2), AccountId(3));
        let mut exclusions = PairExclusions::default();
        assert_eq!(exclusions.why_excluded(seeker, host), None);
        exclusions.met.insert((seeker, host));
        assert_eq!(exclusions.why_excluded(seeker, host), Some(PairExclusion::AlreadyMet));
        exclusions.invited_back.insert((seeker, host));
        assert_eq!(exclusions.why_excluded(seeker, host), None);
        assert!(exclusions.invited_back(seeker, host));
        exclusions.in_touch.insert((seeker, host));
        assert_eq!(exclusions.why_excluded(seeker, host), Some(PairExclusion::InTouch));
        exclusions.declined.insert((seeker, host));
        assert_eq!(exclusions.why_excluded(seeker, host), Some(PairExclusion::Declined));
        assert_eq!(exclusions.why_excluded(seeker, other), None);
        assert_eq!(exclusions.why_excluded(host, seeker), None);
    }

    #[test]
    fn facts_carry_every_field_relevance_reads() {
        let profile = coffeechat_domain::SeekerProfileInput {
            target_roles: vec!["PM".into()],
            current_employer: "Acme".into(),
            remote_ok: false,
            ..coffeechat_domain::SeekerProfileInput::default()
        }
        .validate()
        .unwrap_or_default();
        let facts = seeker_facts(&profile, 4);
        assert_eq!(facts.target_roles, ["PM"]);
        assert_eq!((facts.current_employer.as_str(), facts.remote_ok, facts.interviews_had), ("Acme", false, 4));
    }
}
