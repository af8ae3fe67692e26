//! "People to talk to" for a seeker: the seeker profile form (`/settings/seeker-profile`) and the recommendations
//! page (`/recommendations`), hosts ranked by relevance with their reasons, and apart the relevant hosts who are
//! full for now with their next opening. Both pages work without JavaScript.

use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::Uri;
use axum::response::Response;
use axum::routing::get;
use coffeechat_domain::{FieldErrors, SeekerProfile, SeekerProfileInput};
use coffeechat_service::{Account, DEFAULT_RECOMMENDATIONS, Recommendation, ServiceError};
use tower_sessions::Session;

use crate::AppState;
use crate::auth::SessionUser;
use crate::display::format_instant;
use crate::error::PageError;
use crate::pages::forms::{FormErrors, refused_form, split_list};
use crate::pages::{FlashKind, FormFields, Layout, redirect_with_flash, render};

/// Routes of this module, merged by [`crate::pages::router`].
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/settings/seeker-profile", get(profile_page).post(save_profile))
        .route("/recommendations", get(recommendations_page))
}

/// One entry per line (job titles and phrases may hold commas).
fn split_lines(raw: &str) -> Vec<String> {
    raw.lines().map(str::trim).filter(|line| !line.is_empty()).map(str::to_owned).collect()
}

/// Only seekers have a seeker profile and recommendations; others get the error page that says so (403).
fn require_seeker(me: &Account) -> Result<(), PageError> {
    if me.roles.seeker {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(
            "recommendations are for seekers: add the seeker role in Settings → Account to get them".into(),
        )
        .into())
    }
}

// ---------------------------------------------------------------------------------------------------------
// The seeker profile form.

/// The form's values, as typed.
#[derive(Debug, Clone, Default)]
pub struct SeekerProfileForm {
    /// One per line.
    pub target_roles: String,
    /// Comma-separated.
    pub target_industries: String,
    pub current_role: String,
    /// One per line.
    pub previous_roles: String,
    pub current_employer: String,
    /// Comma-separated.
    pub skills: String,
    /// Comma-separated.
    pub languages: String,
    pub region: String,
    pub remote_ok: bool,
    /// One per line.
    pub learn_topics: String,
}

impl SeekerProfileForm {
    /// A first profile: everything empty, video calls welcome (as in the domain's default).
    fn blank() -> Self {
        SeekerProfileForm { remote_ok: SeekerProfileInput::default().remote_ok, ..SeekerProfileForm::default() }
    }

    fn from_profile(profile: &SeekerProfile) -> Self {
        SeekerProfileForm {
            target_roles: profile.target_roles.join("\n"),
            target_industries: profile.target_industries.join(", "),
            current_role: profile.current_role.clone(),
            previous_roles: profile.previous_roles.join("\n"),
            current_employer: profile.current_employer.clone(),
            skills: profile.skills.join(", "),
            languages: profile.languages.join(", "),
            region: profile.region.clone(),
            remote_ok: profile.remote_ok,
            learn_topics: profile.learn_topics.join("\n"),
        }
    }

    fn from_fields(fields: &FormFields) -> Self {
        SeekerProfileForm {
            target_roles: fields.text("target_roles").to_owned(),
            target_industries: fields.text("target_industries").to_owned(),
            current_role: fields.text("current_role").to_owned(),
            previous_roles: fields.text("previous_roles").to_owned(),
            current_employer: fields.text("current_employer").to_owned(),
            skills: fields.text("skills").to_owned(),
            languages: fields.text("languages").to_owned(),
            region: fields.text("region").to_owned(),
            // An unticked checkbox is simply not sent.
            remote_ok: fields.is_checked("remote_ok"),
            learn_topics: fields.text("learn_topics").to_owned(),
        }
    }

    fn to_input(&self) -> SeekerProfileInput {
        SeekerProfileInput {
            target_roles: split_lines(&self.target_roles),
            target_industries: split_list(&self.target_industries),
            current_role: self.current_role.clone(),
            previous_roles: split_lines(&self.previous_roles),
            current_employer: self.current_employer.clone(),
            skills: split_list(&self.skills),
            languages: split_list(&self.languages),
            region: self.region.clone(),
            remote_ok: self.remote_ok,
            learn_topics: split_lines(&self.learn_topics),
        }
    }
}

/// The form's fields, in the order it shows them.
const PROFILE_FIELDS: [&str; 10] = [
    "target_roles",
    "target_industries",
    "current_role",
    "previous_roles",
    "current_employer",
    "skills",
    "languages",
    "region",
    "remote_ok",
    "learn_topics",
];

fn profile_label(field: &str) -> String {
    match field {
        "target_roles" => "Roles you are aiming for",
        "target_industries" => "Industries you are aiming for",
        "current_role" => "What you do now",
        "previous_roles" => "Earlier roles",
        "current_employer" => "Current employer",
        "skills" => "Skills",
        "languages" => "Languages",
        "region" => "Region",
        "remote_ok" => "Video calls",
        "learn_topics" => "What you want to learn",
        other => other,
    }
    .to_owned()
}

#[derive(Template)]
#[template(path = "matching/seeker_profile.html")]
struct SeekerProfilePage {
    layout: Layout,
    form: SeekerProfileForm,
    errors: FormErrors,
    /// Industries hosts list, offered as suggestions.
    industries: Vec<String>,
    /// Whether a profile was saved before (the page then links to the recommendations).
    saved: bool,
}

async fn profile_page(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
    uri: Uri,
) -> Result<Response, PageError> {
    require_seeker(&me)?;
    let saved = state.services.seeker_profile(&me).await?;
    let form = saved.as_ref().map_or_else(SeekerProfileForm::blank, SeekerProfileForm::from_profile);
    let page = profile_view(&state, &session, &me, &uri, form, saved.is_some(), FieldErrors::new()).await?;
    Ok(render(&page))
}

async fn save_profile(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
    uri: Uri,
    Form(fields): Form<FormFields>,
) -> Result<Response, PageError> {
    require_seeker(&me)?;
    let form = SeekerProfileForm::from_fields(&fields);
    match state.services.put_seeker_profile(&me, form.to_input()).await {
        Ok(_) => {
            let message = "Seeker profile saved. Here are the people it suggests you talk to.";
            Ok(redirect_with_flash(&session, FlashKind::Success, message, "/recommendations").await)
        }
        Err(error) => {
            refused_form(error, async |errors| {
                let saved = state.services.seeker_profile(&me).await?.is_some();
                profile_view(&state, &session, &me, &uri, form, saved, errors).await
            })
            .await
        }
    }
}

async fn profile_view(
    state: &AppState,
    session: &Session,
    me: &Account,
    uri: &Uri,
    form: SeekerProfileForm,
    saved: bool,
    errors: FieldErrors,
) -> Result<SeekerProfilePage, PageError> {
    let industries = state.services.industries().await?;
    Ok(SeekerProfilePage {
        layout: Layout::new(session, Some(me), uri).await,
        errors: FormErrors::new(errors, &PROFILE_FIELDS, profile_label, "Your seeker profile wasn't saved yet"),
        form,
        industries,
        saved,
    })
}

// ---------------------------------------------------------------------------------------------------------
// Recommendations.

/// A recommended host as a card.
#[derive(Debug, Clone)]
pub struct RecommendationCard {
    pub name: String,
    pub handle: String,
    pub headline: String,
    /// "Product manager at Fernwood Apps · Software".
    pub work: String,
    pub score: u8,
    pub reasons: Vec<String>,
    /// "Next free: Tue 3 Mar 2026, 08:00 (Europe/London)", or for a full host when they open again.
    pub when: String,
}

impl RecommendationCard {
    fn new(recommendation: &Recommendation, zone: &coffeechat_domain::TimeZoneName, full: bool) -> Self {
        let profile = &recommendation.host.profile;
        let mut work = profile.role.clone();
        if !profile.employer.is_empty() {
            work.push_str(" at ");
            work.push_str(&profile.employer);
        }
        work.push_str(" · ");
        work.push_str(&profile.industry);
        let when = match (full, recommendation.next_free, recommendation.next_opening) {
            (false, Some(next), _) => format!("First free time: {}", format_instant(next, zone)),
            (true, _, Some(opening)) => format!("Opens again from {}", format_instant(opening, zone)),
            (true, _, None) => "No opening in the next three months yet".to_owned(),
            (false, None, _) => String::new(),
        };
        RecommendationCard {
            name: profile.name.clone(),
            handle: profile.handle.as_str().to_owned(),
            headline: profile.headline.clone(),
            work,
            score: recommendation.score,
            reasons: recommendation.reasons.clone(),
            when,
        }
    }
}

#[derive(Template)]
#[template(path = "matching/recommendations.html")]
struct RecommendationsPage {
    layout: Layout,
    /// False until the seeker saves a profile: the page then asks for one.
    has_profile: bool,
    available: Vec<RecommendationCard>,
    later: Vec<RecommendationCard>,
}

async fn recommendations_page(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
    uri: Uri,
) -> Result<Response, PageError> {
    require_seeker(&me)?;
    let layout = Layout::new(&session, Some(&me), &uri).await;
    if state.services.seeker_profile(&me).await?.is_none() {
        return Ok(render(&RecommendationsPage { layout, has_profile: false, available: vec![], later: vec![] }));
    }
    let found = state.services.recommendations(&me, DEFAULT_RECOMMENDATIONS).await?;
    let zone = &me.time_zone;
    Ok(render(&RecommendationsPage {
        layout,
        has_profile: true,
        available: found.available.iter().map(|r| RecommendationCard::new(r, zone, false)).collect(),
        later: found.later.iter().map(|r| RecommendationCard::new(r, zone, true)).collect(),
    }))
}
