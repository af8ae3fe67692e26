//! A host's public profile: who they are and what they are glad to talk about.

use std::fmt;

use crate::validation::{FieldErrors, optional_text, required_text, text_list};

/// The unique, URL-safe name of a host's public page (`/h/{handle}`).
#[derive(Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Handle(String);

impl Handle {
    /// Lower-cases and checks: 3–30 characters of `a-z`, `0-9` and `-`, starting with a letter,
    /// not ending with `-`, no `--`.
    ///
    /// # Errors
    /// A message saying which of those rules is broken.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let handle = raw.trim().to_ascii_lowercase();
        let len = handle.chars().count();
        if len == 0 {
            return Err("is required".into());
        }
        if !(3..=30).contains(&len) {
            return Err("must be 3 to 30 characters".into());
        }
        if !handle.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
            return Err("may contain only letters a-z, digits and '-'".into());
        }
        if !handle.starts_with(|c: char| c.is_ascii_lowercase()) {
            return Err("must start with a letter".into());
        }
        if handle.ends_with('-') || handle.contains("--") {
            return Err("must not end with '-' or contain '--'".into());
        }
        Ok(Self(handle))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Handle({})", self.0)
    }
}

impl fmt::Display for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A validated host profile.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HostProfile {
    pub handle: Handle,
    pub name: String,
    pub headline: String,
    /// Current job title.
    pub role: String,
    pub employer: String,
    pub industry: String,
    pub skills: Vec<String>,
    /// What the host is glad to talk about.
    pub topics: Vec<String>,
    /// A short account of how they got where they are.
    pub career_path: String,
}

/// A host profile as submitted by a form or the API, before validation.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct HostProfileInput {
    pub handle: String,
    pub name: String,
    pub headline: String,
    pub role: String,
    pub employer: String,
    pub industry: String,
    pub skills: Vec<String>,
    pub topics: Vec<String>,
    pub career_path: String,
}

impl HostProfileInput {
    /// # Errors
    /// Every field that breaks a rule, with its message.
    pub fn validate(&self) -> Result<HostProfile, FieldErrors> {
        let mut errors = FieldErrors::new();
        let handle = errors.check("handle", Handle::parse(&self.handle));
        let name = errors.check("name", required_text(&self.name, 100));
        let headline = errors.check("headline", optional_text(&self.headline, 140));
        let role = errors.check("role", required_text(&self.role, 100));
        let employer = errors.check("employer", optional_text(&self.employer, 100));
        let industry = errors.check("industry", required_text(&self.industry, 60));
        let skills = errors.check("skills", text_list(&self.skills, 20, 40));
        let topics = errors.check("topics", text_list(&self.topics, 12, 60));
        let career_path = errors.check("career_path", optional_text(&self.career_path, 2000));
        match (handle, name, headline, role, employer, industry, skills, topics, career_path) {
            (
                Some(handle),
                Some(name),
                Some(headline),
                Some(role),
                Some(employer),
                Some(industry),
                Some(skills),
                Some(topics),
                Some(career_path),
            ) if errors.is_empty() => {
                Ok(HostProfile { handle, name, headline, role, employer, industry, skills, topics, career_path })
            }
            _ => Err(errors),
        }
    }
}

impl From<&HostProfile> for HostProfileInput {
    fn from(profile: &HostProfile) -> Self {
        Self {
            handle: profile.handle.as_str().to_owned(),
            name: profile.name.clone(),
            headline: profile.headline.clone(),
            role: profile.role.clone(),
            employer: profile.employer.clone(),
            industry: profile.industry.clone(),
            skills: profile.skills.clone(),
            topics: profile.topics.clone(),
            career_path: profile.career_path.clone(),
        }
    }
}

/// How far into their career a host is, as seekers filter and read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Seniority {
    /// Not said.
    #[default]
    Unspecified,
    EarlyCareer,
    MidCareer,
    Senior,
    Leadership,
    Executive,
}

impl Seniority {
    /// Every value, in the order a form lists them.
    pub const ALL: [Seniority; 6] = [
        Seniority::Unspecified,
        Seniority::EarlyCareer,
        Seniority::MidCareer,
        Seniority::Senior,
        Seniority::Leadership,
        Seniority::Executive,
    ];

    /// The stored and API form (`""` when not said).
    pub fn as_str(self) -> &'static str {
        match self {
            Seniority::Unspecified => "",
            Seniority::EarlyCareer => "early-career",
            Seniority::MidCareer => "mid-career",
            Seniority::Senior => "senior",
            Seniority::Leadership => "leadership",
            Seniority::Executive => "executive",
        }
    }

    /// How a page names it.
    pub fn label(self) -> &'static str {
        match self {
            Seniority::Unspecified => "Not said",
            Seniority::EarlyCareer => "Early career (0–3 years)",
            Seniority::MidCareer => "Mid-career",
            Seniority::Senior => "Senior",
            Seniority::Leadership => "Leads a team",
            Seniority::Executive => "Executive",
        }
    }

    /// # Errors
    /// A message listing the accepted values.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|value| value.as_str() == raw).ok_or_else(|| {
            "must be one of early-career, mid-career, senior, leadership, executive (or empty)".to_owned()
        })
    }
}

/// What matching needs of a host beyond the public profile: the roles they held before (their career path as a
/// list; the story stays in [`HostProfile::career_path`]), the languages they speak, their region and seniority.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct HostBackground {
    /// Earlier roles, oldest first ("Secondary-school teacher", "Customer success").
    pub previous_roles: Vec<String>,
    pub languages: Vec<String>,
    /// A broad region ("Europe", "West Africa"); matched after vocabulary normalisation.
    pub region: String,
    pub seniority: Seniority,
}

/// A host background as submitted, before validation.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct HostBackgroundInput {
    pub previous_roles: Vec<String>,
    pub languages: Vec<String>,
    pub region: String,
    pub seniority: String,
}

impl HostBackgroundInput {
    /// # Errors
    /// Every field that breaks a rule, with its message.
    pub fn validate(&self) -> Result<HostBackground, FieldErrors> {
        let mut errors = FieldErrors::new();
        let previous_roles = errors.check("previous_roles", text_list(&self.previous_roles, 10, 100));
        let languages = errors.check("languages", text_list(&self.languages, 8, 40));
        let region = errors.check("region", optional_text(&self.region, 60));
        let seniority = errors.check("seniority", Seniority::parse(&self.seniority));
        match (previous_roles, languages, region, seniority) {
            (Some(previous_roles), Some(languages), Some(region), Some(seniority)) if errors.is_empty() => {
                Ok(HostBackground { previous_roles, languages, region, seniority })
            }
            _ => Err(errors),
        }
    }
}

impl From<&HostBackground> for HostBackgroundInput {
    fn from(background: &HostBackground) -> Self {
        Self {
            previous_roles: background.previous_roles.clone(),
            languages: background.languages.clone(),
            region: background.region.clone(),
            seniority: background.seniority.as_str().to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> HostProfileInput {
        HostProfileInput {
            handle: "Priya-Data".into(),
            name: "Priya Raman".into(),
            headline: "Data scientist who used to teach maths".into(),
            role: "Senior data scientist".into(),
            employer: "Northwind Health".into(),
            industry: "Healthcare".into(),
            skills: vec!["SQL".into(), "statistics".into()],
            topics: vec!["Career path".into()],
            career_path: "Teacher, then analyst, then data scientist.".into(),
        }
    }

    #[test]
    fn a_complete_profile_validates_and_lowercases_the_handle() {
        let profile = input().validate().unwrap();
        assert_eq!(profile.handle.as_str(), "priya-data");
        assert_eq!(HostProfileInput::from(&profile).validate().unwrap(), profile);
    }

    #[test]
    fn handles_follow_their_rules() {
        for bad in ["ab", "1abc", "abc-", "a--b", "has space", "ünï", &"a".repeat(31)] {
            assert!(Handle::parse(bad).is_err(), "{bad:?} should be rejected");
        }
        assert!(Handle::parse("ok-handle-2").is_ok());
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = HostProfileInput { handle: "x".into(), name: " ".into(), industry: String::new(), ..input() };
        let errors = bad.validate().unwrap_err();
        assert!(errors.get("handle").is_some());
        assert!(errors.get("name").is_some());
        assert!(errors.get("industry").is_some());
        assert!(errors.get("role").is_none());
    }

    #[test]
    fn a_background_validates_and_round_trips() {
        let input = HostBackgroundInput {
            previous_roles: vec![" Teacher ".into(), "teacher".into(), "Analyst".into()],
            languages: vec!["English".into(), "Spanish".into()],
            region: " Europe ".into(),
            seniority: "Senior".into(),
        };
        let background = input.validate().unwrap();
        assert_eq!(background.previous_roles, ["Teacher", "Analyst"]);
        assert_eq!((background.region.as_str(), background.seniority), ("Europe", Seniority::Senior));
        assert_eq!(HostBackgroundInput::from(&background).validate().unwrap(), background);
        assert_eq!(HostBackgroundInput::default().validate().unwrap(), HostBackground::default());
    }

    #[test]
    fn a_bad_background_names_its_fields() {
        let bad = HostBackgroundInput {
            previous_roles: vec!["x".repeat(101)],
            languages: (0..9).map(|i| format!("language {i}")).collect(),
            region: "r".repeat(61),
            seniority: "intern".into(),
        };
        let errors = bad.validate().unwrap_err();
        for field in ["previous_roles", "languages", "region", "seniority"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
    }
}
