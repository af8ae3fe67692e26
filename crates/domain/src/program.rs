//! Programs (an employer, a career centre, an agency) that match a cohort of seekers with hosts in rounds: their
//! names and kinds, members' roles, and the settings of a matching round, each parsed with the field it came from.
//!
//! ```
//! use coffeechat_domain::{NewProgramInput, ProgramKind, RoundInput};
//!
//! let program = NewProgramInput { name: " Spring cohort ".into(), kind: "career_centre".into() }.validate().unwrap();
//! assert_eq!((program.name.as_str(), program.kind), ("Spring cohort", ProgramKind::CareerCentre));
//!
//! let round = RoundInput { fairness_weight: Some(40.0), max_host_share: Some(0.25), ..RoundInput::default() };
//! let plan = round.validate().unwrap();
//! assert_eq!(plan.options.max_host_share_permille, Some(250));
//! // No host gets more than ceil(0.25 × the interviews wanted): 3 when 10 are wanted.
//! assert_eq!(plan.options.host_share_cap(10), Some(3));
//! ```

use std::fmt;

use crate::validation::required_text;
use crate::{AccountId, FieldErrors};

macro_rules! program_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

program_id!(
    /// A program.
    ProgramId
);
program_id!(
    /// One matching round of a program.
    RoundId
);

/// What kind of organisation runs a program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProgramKind {
    Employer,
    CareerCentre,
    Agency,
}

impl ProgramKind {
    pub const ALL: [ProgramKind; 3] = [ProgramKind::Employer, ProgramKind::CareerCentre, ProgramKind::Agency];

    /// The API's name: `"employer"`, `"career_centre"`, `"agency"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProgramKind::Employer => "employer",
            ProgramKind::CareerCentre => "career_centre",
            ProgramKind::Agency => "agency",
        }
    }

    /// For people: `"Career centre"`.
    pub fn label(self) -> &'static str {
        match self {
            ProgramKind::Employer => "Employer",
            ProgramKind::CareerCentre => "Career centre",
            ProgramKind::Agency => "Agency",
        }
    }

    /// # Errors
    /// A message listing the kinds when `raw` is none of them.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == raw)
            .ok_or_else(|| "must be one of employer, career_centre, agency".to_owned())
    }
}

/// What a member does in a program. One account may hold several roles (an admin who also hosts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProgramRole {
    /// Invites members and runs rounds; the program's creator is one.
    Admin,
    Host,
    Seeker,
}

impl ProgramRole {
    pub const ALL: [ProgramRole; 3] = [ProgramRole::Admin, ProgramRole::Host, ProgramRole::Seeker];

    pub fn as_str(self) -> &'static str {
        match self {
            ProgramRole::Admin => "admin",
            ProgramRole::Host => "host",
            ProgramRole::Seeker => "seeker",
        }
    }

    /// # Errors
    /// A message when `raw` is not a role.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        Self::ALL
            .into_iter()
            .find(|role| role.as_str() == raw)
            .ok_or_else(|| "must be admin, host or seeker".to_owned())
    }

    /// The role an invitation may give: `"host"` or `"seeker"` (admins are never invited by link).
    ///
    /// # Errors
    /// A message when `raw` is anything else.
    pub fn parse_invited(raw: &str) -> Result<Self, String> {
        match raw.trim() {
            "host" => Ok(ProgramRole::Host),
            "seeker" => Ok(ProgramRole::Seeker),
            _ => Err("must be host or seeker".to_owned()),
        }
    }
}

/// The most characters a program's name may have.
pub const PROGRAM_NAME_MAX: usize = 120;

/// A program as submitted (API names), before validation.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct NewProgramInput {
    pub name: String,
    /// `"employer"`, `"career_centre"` or `"agency"`.
    pub kind: String,
}

/// A program's validated name and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProgram {
    pub name: String,
    pub kind: ProgramKind,
}

impl NewProgramInput {
    /// # Errors
    /// `name` (empty or too long) and `kind` (not one of the kinds).
    pub fn validate(&self) -> Result<NewProgram, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", required_text(&self.name, PROGRAM_NAME_MAX));
        let kind = errors.check("kind", ProgramKind::parse(&self.kind));
        match (name, kind) {
            (Some(name), Some(kind)) => Ok(NewProgram { name, kind }),
            _ => Err(errors),
        }
    }
}

/// Interviews a seeker may want in one round.
pub const MAX_WANTED: i64 = 3;
/// The most interviews a host may give in one round (no monthly cap is larger).
pub const MAX_ROUND_CAPACITY: i64 = 100;
/// The fairness weight's range: a percentage.
pub const MAX_FAIRNESS_WEIGHT: u8 = 100;

/// One seeker of a round as submitted: an account id and how many interviews they want (default: the round's).
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Deserialize)]
pub struct RoundSeekerInput {
    pub id: i64,
    #[serde(default)]
    pub wanted: Option<i64>,
}

/// One host of a round as submitted: an account id and, optionally, fewer interviews than their remaining cap.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Deserialize)]
pub struct RoundHostInput {
    pub id: i64,
    #[serde(default)]
    pub capacity: Option<i64>,
}

/// A new round as submitted. Omitted lists mean every seeker (host) member of the program.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
pub struct RoundInput {
    pub seekers: Option<Vec<RoundSeekerInput>>,
    pub hosts: Option<Vec<RoundHostInput>>,
    /// Interviews each seeker wants when their entry (or the whole list) does not say: 1 to 3, default 1.
    pub default_wanted: Option<i64>,
    /// 0 to 100 (a percentage, whole numbers): how strongly seekers with fewer past interviews are favoured.
    pub fairness_weight: Option<f64>,
    /// More than 0, at most 1: the largest share of the round's interviews one host may take.
    pub max_host_share: Option<f64>,
}

/// The options that shape a round's scores and capacities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RoundOptions {
    /// 0–100.
    pub fairness_weight: u8,
    /// The host share cap in thousandths (1–1000), or no cap.
    pub max_host_share_permille: Option<u16>,
}

impl RoundOptions {
    /// The most interviews one host may give when seekers want `total_wanted` in all: ceil(share × total wanted),
    /// at least 1. The share is of what is *wanted*, not of what ends up matched: the matched total is only known
    /// after solving, and capping by it would make the cap depend on the answer it shapes. Integer arithmetic, so
    /// the same round always gives the same cap.
    pub fn host_share_cap(&self, total_wanted: u32) -> Option<u32> {
        self.max_host_share_permille.map(|permille| (u32::from(permille) * total_wanted).div_ceil(1000).max(1))
    }

    /// A seeker's edge score with the fairness weight applied, and the points the weight added.
    ///
    /// With weight `w` (0–100), half of it, `h = w / 2`, is set aside for fairness: relevance `r` (1–100) is
    /// scaled into `1..=100 − h` (rounded, at least 1) and a seeker gets `h × (most − theirs) / most` points
    /// (rounded down) for having had fewer interviews than the most experienced seeker of the round. The sum
    /// stays in `1..=100`, as the solver needs. With `w = 0` the score is the relevance itself.
    pub fn weighted_score(&self, relevance: u8, interviews_had: u32, most_interviews: u32) -> (u8, u8) {
        let half = u32::from(self.fairness_weight.min(MAX_FAIRNESS_WEIGHT) / 2);
        let relevance = u32::from(relevance.clamp(1, 100));
        let scaled = ((relevance * (100 - half) + 50) / 100).max(1);
        let bonus =
            (half * (most_interviews - interviews_had.min(most_interviews))).checked_div(most_interviews).unwrap_or(0);
        let score = (scaled + bonus).min(100);
        (u8::try_from(score).unwrap_or(100), u8::try_from(bonus).unwrap_or(0))
    }
}

/// A validated round request: who takes part (or everyone) and the options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundPlan {
    /// Seekers and interviews wanted, or `None` for every seeker member.
    pub seekers: Option<Vec<(AccountId, u8)>>,
    /// Hosts and the capacity they ask for (`None`: their remaining monthly cap), or `None` for every host member.
    pub hosts: Option<Vec<(AccountId, Option<u8>)>>,
    /// Interviews wanted by seekers who do not say (1–3).
    pub default_wanted: u8,
    pub options: RoundOptions,
}

impl RoundInput {
    /// # Errors
    /// Every field that breaks a rule: `seekers[i].wanted` (1–3), `seekers[i].id` (twice), `hosts[i].capacity`
    /// (0–100), `hosts[i].id` (twice), `default_wanted` (1–3), `fairness_weight` (a whole number 0–100),
    /// `max_host_share` (more than 0, at most 1).
    pub fn validate(&self) -> Result<RoundPlan, FieldErrors> {
        let mut errors = FieldErrors::new();
        let default_wanted = errors.check("default_wanted", wanted(self.default_wanted.unwrap_or(1))).unwrap_or(1);
        let seekers = self.seekers.as_ref().map(|seekers| {
            let mut out: Vec<(AccountId, u8)> = Vec::with_capacity(seekers.len());
            for (index, seeker) in seekers.iter().enumerate() {
                if out.iter().any(|(id, _)| id.0 == seeker.id) {
                    errors.add(format!("seekers[{index}].id"), "is listed twice");
                    continue;
                }
                let field = format!("seekers[{index}].wanted");
                if let Some(count) = errors.check(&field, wanted(seeker.wanted.unwrap_or(i64::from(default_wanted)))) {
                    out.push((AccountId(seeker.id), count));
                }
            }
            out
        });
        let hosts = self.hosts.as_ref().map(|hosts| {
            let mut out: Vec<(AccountId, Option<u8>)> = Vec::with_capacity(hosts.len());
            for (index, host) in hosts.iter().enumerate() {
                if out.iter().any(|(id, _)| id.0 == host.id) {
                    errors.add(format!("hosts[{index}].id"), "is listed twice");
                    continue;
                }
                let capacity = match host.capacity {
                    None => Some(None),
                    Some(capacity) => {
                        errors.check(&format!("hosts[{index}].capacity"), round_capacity(capacity)).map(Some)
                    }
                };
                if let Some(capacity) = capacity {
                    out.push((AccountId(host.id), capacity));
                }
            }
            out
        });
        let fairness_weight = errors.check("fairness_weight", fairness_weight(self.fairness_weight));
        let share = errors.check("max_host_share", host_share(self.max_host_share));
        match (fairness_weight, share) {
            (Some(fairness_weight), Some(max_host_share_permille)) if errors.is_empty() => Ok(RoundPlan {
                seekers,
                hosts,
                default_wanted,
                options: RoundOptions { fairness_weight, max_host_share_permille },
            }),
            _ => Err(errors),
        }
    }
}

fn wanted(raw: i64) -> Result<u8, String> {
    u8::try_from(raw)
        .ok()
        .filter(|count| (1..=MAX_WANTED).contains(&i64::from(*count)))
        .ok_or_else(|| format!("must be from 1 to {MAX_WANTED} interviews"))
}

/// A host's capacity in a round: 0 (takes no part) to [`MAX_ROUND_CAPACITY`].
///
/// # Errors
/// A message when it is out of range.
pub fn round_capacity(raw: i64) -> Result<u8, String> {
    u8::try_from(raw)
        .ok()
        .filter(|count| i64::from(*count) <= MAX_ROUND_CAPACITY)
        .ok_or_else(|| format!("must be from 0 to {MAX_ROUND_CAPACITY} interviews"))
}

fn fairness_weight(raw: Option<f64>) -> Result<u8, String> {
    let Some(raw) = raw else { return Ok(0) };
    let message = || "must be a whole number from 0 (off) to 100 (strongest)".to_owned();
    if !raw.is_finite() || raw.fract() != 0.0 || !(0.0..=f64::from(MAX_FAIRNESS_WEIGHT)).contains(&raw) {
        return Err(message());
    }
    // In range and whole, so the conversion is exact.
    format!("{raw:.0}").parse::<u8>().map_err(|_| message())
}

fn host_share(raw: Option<f64>) -> Result<Option<u16>, String> {
    let Some(raw) = raw else { return Ok(None) };
    let message = || "must be more than 0 and at most 1 (1 means no cap), e.g. 0.25".to_owned();
    if !raw.is_finite() || raw <= 0.0 || raw > 1.0 {
        return Err(message());
    }
    let permille = format!("{:.0}", raw * 1000.0).parse::<u16>().map_err(|_| message())?;
    if permille == 0 {
        return Err("must be at least 0.001".to_owned());
    }
    Ok(Some(permille))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use super::*;

    #[test]
    fn programs_need_a_name_and_a_known_kind() {
        let errors = NewProgramInput { name: "  ".into(), kind: "school".into() }.validate().unwrap_err();
        assert_eq!(errors.get("name"), Some("is required"));
        assert!(errors.get("kind").unwrap().contains("career_centre"));
        let long = NewProgramInput { name: "x".repeat(PROGRAM_NAME_MAX + 1), kind: "agency".into() };
        assert!(long.validate().unwrap_err().get("name").is_some());
        for kind in ProgramKind::ALL {
            assert_eq!(ProgramKind::parse(kind.as_str()), Ok(kind));
        }
    }

    #[test]
    fn invitations_give_host_or_seeker_only() {
        assert_eq!(ProgramRole::parse_invited("host"), Ok(ProgramRole::Host));
        assert!(ProgramRole::parse_invited("admin").is_err());
        assert_eq!(ProgramRole::parse("admin"), Ok(ProgramRole::Admin));
    }

    #[test]
    fn round_fields_are_named_when_wrong() {
        let input = RoundInput {
            seekers: Some(vec![
                RoundSeekerInput { id: 1, wanted: Some(4) },
                RoundSeekerInput { id: 2, wanted: None },
                RoundSeekerInput { id: 2, wanted: Some(1) },
            ]),
            hosts: Some(vec![RoundHostInput { id: 9, capacity: Some(-1) }]),
            default_wanted: Some(2),
            fairness_weight: Some(12.5),
            max_host_share: Some(0.0),
        };
        let errors = input.validate().unwrap_err();
        for field in ["seekers[0].wanted", "seekers[2].id", "hosts[0].capacity", "fairness_weight", "max_host_share"] {
            assert!(errors.get(field).is_some(), "{field}: {errors}");
        }
        assert!(RoundInput { max_host_share: Some(1.5), ..RoundInput::default() }.validate().is_err());
        assert!(RoundInput { fairness_weight: Some(101.0), ..RoundInput::default() }.validate().is_err());

        let plan = RoundInput {
            seekers: Some(vec![RoundSeekerInput { id: 2, wanted: None }]),
            default_wanted: Some(2),
            fairness_weight: Some(100.0),
            ..RoundInput::default()
        }
        .validate()
        .unwrap();
        assert_eq!(plan.seekers, Some(vec![(AccountId(2), 2)]));
        assert_eq!(plan.hosts, None);
        assert_eq!(plan.options, RoundOptions { fairness_weight: 100, max_host_share_permille: None });
    }

    #[test]
    fn the_host_share_cap_is_a_ceiling_of_what_is_wanted() {
        let options = |permille| RoundOptions { fairness_weight: 0, max_host_share_permille: Some(permille) };
        assert_eq!(options(250).host_share_cap(10), Some(3));
        assert_eq!(options(250).host_share_cap(8), Some(2));
        assert_eq!(options(1).host_share_cap(3), Some(1), "never below one");
        assert_eq!(options(1000).host_share_cap(7), Some(7));
        assert_eq!(RoundOptions::default().host_share_cap(7), None);
    }

    #[test]
    fn fairness_favours_fewer_past_interviews_and_stays_in_range() {
        let off = RoundOptions::default();
        assert_eq!(off.weighted_score(37, 0, 5), (37, 0));
        let full = RoundOptions { fairness_weight: 100, max_host_share_permille: None };
        assert_eq!(full.weighted_score(100, 0, 4), (100, 50));
        assert_eq!(full.weighted_score(100, 4, 4), (50, 0));
        assert_eq!(full.weighted_score(1, 4, 4), (1, 0));
        assert_eq!(full.weighted_score(40, 2, 4), (45, 25));
        assert_eq!(full.weighted_score(40, 0, 0), (20, 0), "nobody has had an interview: no bonus");
        for weight in [0, 1, 33, 99, 100] {
            let options = RoundOptions { fairness_weight: weight, max_host_share_permille: None };
            for relevance in [1, 2, 50, 99, 100] {
                for had in 0..=6 {
                    let (score, _) = options.weighted_score(relevance, had, 6);
                    assert!((1..=100).contains(&score), "{weight} {relevance} {had}");
                }
            }
        }
    }
}
