//! A seeker's matching profile: where they are, where they want to go, and what they want to learn. It is private
//! (only recommendations and program rounds read it).

use crate::validation::{FieldErrors, optional_text, text_list};

/// A validated seeker profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SeekerProfile {
    /// Roles they would like to hold ("Data scientist", "UX researcher").
    pub target_roles: Vec<String>,
    pub target_industries: Vec<String>,
    /// Empty for students and people between jobs.
    pub current_role: String,
    pub previous_roles: Vec<String>,
    /// Hosts who work there are never recommended to them.
    pub current_employer: String,
    pub skills: Vec<String>,
    pub languages: Vec<String>,
    /// A broad region ("Europe", "West Africa").
    pub region: String,
    /// Happy to talk by video with someone far away.
    pub remote_ok: bool,
    /// What they hope to learn, in short phrases ("usability testing", "portfolio reviews").
    pub learn_topics: Vec<String>,
}

/// A seeker profile as submitted by a form or the API, before validation.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(default)]
pub struct SeekerProfileInput {
    pub target_roles: Vec<String>,
    pub target_industries: Vec<String>,
    pub current_role: String,
    pub previous_roles: Vec<String>,
    pub current_employer: String,
    pub skills: Vec<String>,
    pub languages: Vec<String>,
    pub region: String,
    pub remote_ok: bool,
    pub learn_topics: Vec<String>,
}

impl Default for SeekerProfileInput {
    fn default() -> Self {
        Self {
            target_roles: Vec::new(),
            target_industries: Vec::new(),
            current_role: String::new(),
            previous_roles: Vec::new(),
            current_employer: String::new(),
            skills: Vec::new(),
            languages: Vec::new(),
            region: String::new(),
            // Most conversations happen by video; saying no is the exception.
            remote_ok: true,
            learn_topics: Vec::new(),
        }
    }
}

impl SeekerProfileInput {
    /// Checks lengths and counts, and that the seeker says where they want to go: at least one target role or
    /// target industry (without one, no host can be recommended for a reason).
    ///
    /// # Errors
    /// Every field that breaks a rule, with its message.
    pub fn validate(&self) -> Result<SeekerProfile, FieldErrors> {
        let mut errors = FieldErrors::new();
        let target_roles = errors.check("target_roles", text_list(&self.target_roles, 5, 100));
        let target_industries = errors.check("target_industries", text_list(&self.target_industries, 5, 60));
        let current_role = errors.check("current_role", optional_text(&self.current_role, 100));
        let previous_roles = errors.check("previous_roles", text_list(&self.previous_roles, 10, 100));
        let current_employer = errors.check("current_employer", optional_text(&self.current_employer, 100));
        let skills = errors.check("skills", text_list(&self.skills, 20, 40));
        let languages = errors.check("languages", text_list(&self.languages, 8, 40));
        let region = errors.check("region", optional_text(&self.region, 60));
        let learn_topics = errors.check("learn_topics", text_list(&self.learn_topics, 10, 100));
        if let (Some(roles), Some(industries)) = (&target_roles, &target_industries)
            && roles.is_empty()
            && industries.is_empty()
        {
            errors.add("target_roles", "name at least one role or industry you would like to move into");
        }
        match (
            target_roles,
            target_industries,
            current_role,
            previous_roles,
            current_employer,
            skills,
            languages,
            region,
            learn_topics,
        ) {
            (
                Some(target_roles),
                Some(target_industries),
                Some(current_role),
                Some(previous_roles),
                Some(current_employer),
                Some(skills),
                Some(languages),
                Some(region),
                Some(learn_topics),
            ) if errors.is_empty() => Ok(SeekerProfile {
                target_roles,
                target_industries,
                current_role,
                previous_roles,
                current_employer,
                skills,
                languages,
                region,
                remote_ok: self.remote_ok,
                learn_topics,
            }),
            _ => Err(errors),
        }
    }
}

impl From<&SeekerProfile> for SeekerProfileInput {
    fn from(profile: &SeekerProfile) -> Self {
        Self {
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
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    fn input() -> SeekerProfileInput {
        SeekerProfileInput {
            target_roles: strings(&["UX researcher", " ux researcher "]),
            current_role: " Primary school teacher ".into(),
            skills: strings(&["Interviewing", ""]),
            region: "Europe".into(),
            learn_topics: strings(&["usability testing"]),
            ..SeekerProfileInput::default()
        }
    }

    #[test]
    fn a_profile_validates_trims_and_round_trips() {
        let profile = input().validate().unwrap();
        assert_eq!(profile.target_roles, ["UX researcher"]);
        assert_eq!(profile.current_role, "Primary school teacher");
        assert_eq!(profile.skills, ["Interviewing"]);
        assert!(profile.remote_ok);
        assert_eq!(SeekerProfileInput::from(&profile).validate().unwrap(), profile);
    }

    #[test]
    fn a_target_is_required() {
        let errors = SeekerProfileInput::default().validate().unwrap_err();
        assert!(errors.get("target_roles").unwrap().contains("at least one"));
        let industry_only =
            SeekerProfileInput { target_industries: strings(&["Healthcare"]), ..SeekerProfileInput::default() };
        assert!(industry_only.validate().is_ok());
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = SeekerProfileInput {
            target_roles: (0..6).map(|i| format!("role {i}")).collect(),
            current_role: "r".repeat(101),
            current_employer: "e".repeat(101),
            skills: strings(&[&"s".repeat(41)]),
            languages: (0..9).map(|i| format!("language {i}")).collect(),
            region: "x".repeat(61),
            learn_topics: (0..11).map(|i| format!("topic {i}")).collect(),
            ..input()
        };
        let errors = bad.validate().unwrap_err();
        for field in
            ["target_roles", "current_role", "current_employer", "skills", "languages", "region", "learn_topics"]
        {
            assert!(errors.get(field).is_some(), "{field}");
        }
    }
}
