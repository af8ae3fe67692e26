//! Matching for one seeker: their seeker profile (`/api/v1/me/seeker-profile`) and the hosts recommended to them
//! with reasons (`/api/v1/me/recommendations`, and `/later` for hosts who are full for now). Also the shapes of a
//! host's background, which the host-profile endpoints carry beside the public profile.

use axum::Json;
use axum::extract::State;
use coffeechat_domain::{
    HostBackground, HostBackgroundInput, HostProfile, HostProfileInput, SeekerProfile, SeekerProfileInput,
};
use coffeechat_service::{DEFAULT_RECOMMENDATIONS, Recommendation};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::extract::{ApiJson, ApiQuery};
use super::models::HostProfileView;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, ErrorBody};

/// What matching knows of a host beyond the public profile, as the host-profile endpoints show it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct HostBackgroundFields {
    /// Earlier roles, oldest first (at most 10).
    #[schema(example = json!(["Secondary-school maths teacher", "Data analyst"]))]
    pub previous_roles: Vec<String>,
    /// Languages the host can hold a conversation in (at most 8).
    #[schema(example = json!(["English", "Tamil"]))]
    pub languages: Vec<String>,
    /// A broad region, e.g. `Europe`.
    #[schema(example = "Europe")]
    pub region: String,
    /// One of `early-career`, `mid-career`, `senior`, `leadership`, `executive`, or empty.
    #[schema(example = "senior")]
    pub seniority: String,
}

impl From<&HostBackground> for HostBackgroundFields {
    fn from(background: &HostBackground) -> Self {
        HostBackgroundFields {
            previous_roles: background.previous_roles.clone(),
            languages: background.languages.clone(),
            region: background.region.clone(),
            seniority: background.seniority.as_str().to_owned(),
        }
    }
}

/// A host's profile as the host writes it: the public profile and, optionally, their background.
///
/// The fields are spelled out rather than flattened from a shared profile struct: serde reads flattened fields
/// through a buffer, which would turn a wrongly typed field into a 400 about the whole body instead of a 422
/// naming the field.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct HostProfileWithBackgroundBody {
    /// Unique, 3–30 of `a-z`, `0-9`, `-`; the public page is `/h/{handle}`.
    #[schema(example = "priya-data")]
    pub handle: String,
    #[schema(example = "Priya Raman")]
    pub name: String,
    #[serde(default)]
    #[schema(example = "Data scientist who used to teach maths")]
    pub headline: String,
    /// Current job title.
    #[schema(example = "Senior data scientist")]
    pub role: String,
    #[serde(default)]
    #[schema(example = "Northwind Health")]
    pub employer: String,
    #[schema(example = "Healthcare")]
    pub industry: String,
    #[serde(default)]
    pub skills: Vec<String>,
    /// What the host is glad to talk about.
    #[serde(default)]
    pub topics: Vec<String>,
    /// A short account of how they got where they are.
    #[serde(default)]
    pub career_path: String,
    /// Earlier roles, oldest first (at most 10).
    #[serde(default)]
    #[schema(example = json!(["Secondary-school maths teacher", "Data analyst"]))]
    pub previous_roles: Vec<String>,
    /// Languages the host can hold a conversation in (at most 8).
    #[serde(default)]
    #[schema(example = json!(["English", "Tamil"]))]
    pub languages: Vec<String>,
    /// A broad region, e.g. `Europe`.
    #[serde(default)]
    #[schema(example = "Europe")]
    pub region: String,
    /// One of `early-career`, `mid-career`, `senior`, `leadership`, `executive`, or empty.
    #[serde(default)]
    #[schema(example = "senior")]
    pub seniority: String,
}

impl HostProfileWithBackgroundBody {
    /// The two parts, each validated by the domain.
    pub fn into_inputs(self) -> (HostProfileInput, HostBackgroundInput) {
        let background = HostBackgroundInput {
            previous_roles: self.previous_roles,
            languages: self.languages,
            region: self.region,
            seniority: self.seniority,
        };
        let profile = HostProfileInput {
            handle: self.handle,
            name: self.name,
            headline: self.headline,
            role: self.role,
            employer: self.employer,
            industry: self.industry,
            skills: self.skills,
            topics: self.topics,
            career_path: self.career_path,
        };
        (profile, background)
    }
}

/// A host's profile with their background.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HostProfileWithBackgroundView {
    #[serde(flatten)]
    pub profile: HostProfileView,
    #[serde(flatten)]
    pub background: HostBackgroundFields,
}

impl HostProfileWithBackgroundView {
    pub fn new(profile: &HostProfile, background: &HostBackground) -> Self {
        Self { profile: HostProfileView::from(profile), background: HostBackgroundFields::from(background) }
    }
}

/// A seeker's matching profile: private, read by recommendations and program rounds only.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct SeekerProfileBody {
    /// Roles you would like to hold (at most 5). At least one target role or target industry is required.
    #[schema(example = json!(["UX researcher"]))]
    pub target_roles: Vec<String>,
    /// Industries you would like to work in (at most 5).
    #[schema(example = json!(["Software"]))]
    pub target_industries: Vec<String>,
    /// What you do now; empty for students and people between jobs.
    #[schema(example = "Primary school teacher")]
    pub current_role: String,
    /// Earlier roles (at most 10).
    #[schema(example = json!(["Teaching assistant"]))]
    pub previous_roles: Vec<String>,
    /// Hosts who work there are never recommended to you.
    #[schema(example = "Hillside Primary School")]
    pub current_employer: String,
    /// At most 20.
    #[schema(example = json!(["Interviewing", "Statistics"]))]
    pub skills: Vec<String>,
    /// Languages you can hold a conversation in (at most 8).
    #[schema(example = json!(["English", "Spanish"]))]
    pub languages: Vec<String>,
    /// A broad region, e.g. `Europe`.
    #[schema(example = "Europe")]
    pub region: String,
    /// Happy to talk by video with someone far away (default true).
    pub remote_ok: bool,
    /// What you hope to learn, in short phrases (at most 10).
    #[schema(example = json!(["usability testing", "building a portfolio"]))]
    pub learn_topics: Vec<String>,
}

impl Default for SeekerProfileBody {
    fn default() -> Self {
        SeekerProfileBody::from(&SeekerProfileInput::default())
    }
}

impl From<&SeekerProfileInput> for SeekerProfileBody {
    fn from(input: &SeekerProfileInput) -> Self {
        SeekerProfileBody {
            target_roles: input.target_roles.clone(),
            target_industries: input.target_industries.clone(),
            current_role: input.current_role.clone(),
            previous_roles: input.previous_roles.clone(),
            current_employer: input.current_employer.clone(),
            skills: input.skills.clone(),
            languages: input.languages.clone(),
            region: input.region.clone(),
            remote_ok: input.remote_ok,
            learn_topics: input.learn_topics.clone(),
        }
    }
}

impl From<&SeekerProfile> for SeekerProfileBody {
    fn from(profile: &SeekerProfile) -> Self {
        SeekerProfileBody::from(&SeekerProfileInput::from(profile))
    }
}

impl From<SeekerProfileBody> for SeekerProfileInput {
    fn from(body: SeekerProfileBody) -> Self {
        SeekerProfileInput {
            target_roles: body.target_roles,
            target_industries: body.target_industries,
            current_role: body.current_role,
            previous_roles: body.previous_roles,
            current_employer: body.current_employer,
            skills: body.skills,
            languages: body.languages,
            region: body.region,
            remote_ok: body.remote_ok,
            learn_topics: body.learn_topics,
        }
    }
}

/// A recommended host, as much as a seeker needs to decide whether to look closer.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RecommendedHostView {
    pub handle: String,
    pub name: String,
    pub headline: String,
    pub role: String,
    pub employer: String,
    pub industry: String,
    pub previous_roles: Vec<String>,
    pub languages: Vec<String>,
    pub region: String,
    /// Their public page, where their free slots are.
    #[schema(example = "/h/priya-data")]
    pub page: String,
}

/// A host recommended to the caller, with the relevance score and its reasons.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RecommendationView {
    pub host: RecommendedHostView,
    /// Relevance, 1 to 100.
    #[schema(example = 76)]
    pub score: u8,
    /// Why, strongest first.
    #[schema(example = json!(["works as a data scientist, your target role", "shares SQL and statistics"]))]
    pub reasons: Vec<String>,
    /// The host's first free slot (shortest length).
    #[schema(value_type = Option<String>, format = DateTime)]
    pub next_free_slot: Option<Timestamp>,
}

/// A relevant host who has no free slot now, with when they open again.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LaterRecommendationView {
    pub host: RecommendedHostView,
    /// Relevance, 1 to 100.
    pub score: u8,
    /// Why, strongest first.
    pub reasons: Vec<String>,
    /// Where the host's next opening begins (the start of a month, or the day of a free slot), if one is in
    /// sight within about three months.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub next_opening: Option<Timestamp>,
}

fn host_view(recommendation: &Recommendation) -> RecommendedHostView {
    let profile = &recommendation.host.profile;
    RecommendedHostView {
        handle: profile.handle.as_str().to_owned(),
        name: profile.name.clone(),
        headline: profile.headline.clone(),
        role: profile.role.clone(),
        employer: profile.employer.clone(),
        industry: profile.industry.clone(),
        previous_roles: recommendation.background.previous_roles.clone(),
        languages: recommendation.background.languages.clone(),
        region: recommendation.background.region.clone(),
        page: format!("/h/{}", profile.handle),
    }
}

impl From<&Recommendation> for RecommendationView {
    fn from(recommendation: &Recommendation) -> Self {
        RecommendationView {
            host: host_view(recommendation),
            score: recommendation.score,
            reasons: recommendation.reasons.clone(),
            next_free_slot: recommendation.next_free,
        }
    }
}

impl From<&Recommendation> for LaterRecommendationView {
    fn from(recommendation: &Recommendation) -> Self {
        LaterRecommendationView {
            host: host_view(recommendation),
            score: recommendation.score,
            reasons: recommendation.reasons.clone(),
            next_opening: recommendation.next_opening,
        }
    }
}

/// How many recommendations to return.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecommendationsQuery {
    /// At most this many hosts (1–50, default 10).
    pub limit: Option<u32>,
}

/// The caller's seeker profile.
#[utoipa::path(
    get,
    path = "/me/seeker-profile",
    tag = "matching",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's seeker profile", body = SeekerProfileBody),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The caller is not a seeker", body = ErrorBody),
        (status = 404, description = "No profile yet: PUT one", body = ErrorBody),
    )
)]
pub async fn my_seeker_profile(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
) -> Result<Json<SeekerProfileBody>, ApiError> {
    match state.services.seeker_profile(&me).await? {
        Some(profile) => Ok(Json(SeekerProfileBody::from(&profile))),
        None => Err(ApiError::not_found("you have no seeker profile yet; PUT one to this address")),
    }
}

/// Creates or replaces the caller's seeker profile.
#[utoipa::path(
    put,
    path = "/me/seeker-profile",
    tag = "matching",
    security(("bearer" = [])),
    request_body = SeekerProfileBody,
    responses(
        (status = 200, description = "The stored profile", body = SeekerProfileBody),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The caller is not a seeker", body = ErrorBody),
        (status = 422, description = "A field is invalid (too long, too many entries, no target role or industry)", body = ErrorBody),
    )
)]
pub async fn put_my_seeker_profile(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiJson(body): ApiJson<SeekerProfileBody>,
) -> Result<Json<SeekerProfileBody>, ApiError> {
    let profile = state.services.put_seeker_profile(&me, body.into()).await?;
    Ok(Json(SeekerProfileBody::from(&profile)))
}

/// Hosts with a free slot now, best match first, each with its reasons. Leaves out hosts the caller has met
/// (unless invited back), hosts who declined them, hosts at their current employer and hosts they are already in
/// touch with.
#[utoipa::path(
    get,
    path = "/me/recommendations",
    tag = "matching",
    security(("bearer" = [])),
    params(RecommendationsQuery),
    responses(
        (status = 200, description = "Recommended hosts, best first", body = Vec<RecommendationView>),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The caller is not a seeker", body = ErrorBody),
        (status = 409, description = "The caller has no seeker profile yet", body = ErrorBody),
        (status = 422, description = "`limit` is outside 1–50", body = ErrorBody),
    )
)]
pub async fn recommendations(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiQuery(query): ApiQuery<RecommendationsQuery>,
) -> Result<Json<Vec<RecommendationView>>, ApiError> {
    let found = state.services.recommendations(&me, query.limit.unwrap_or(DEFAULT_RECOMMENDATIONS)).await?;
    Ok(Json(found.available.iter().map(RecommendationView::from).collect()))
}

/// Relevant hosts who are full for now, best match first, each with its reasons and next opening.
#[utoipa::path(
    get,
    path = "/me/recommendations/later",
    tag = "matching",
    security(("bearer" = [])),
    params(RecommendationsQuery),
    responses(
        (status = 200, description = "Full hosts worth asking later, best first", body = Vec<LaterRecommendationView>),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The caller is not a seeker", body = ErrorBody),
        (status = 409, description = "The caller has no seeker profile yet", body = ErrorBody),
        (status = 422, description = "`limit` is outside 1–50", body = ErrorBody),
    )
)]
pub async fn later_recommendations(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiQuery(query): ApiQuery<RecommendationsQuery>,
) -> Result<Json<Vec<LaterRecommendationView>>, ApiError> {
    let found = state.services.recommendations(&me, query.limit.unwrap_or(DEFAULT_RECOMMENDATIONS)).await?;
    Ok(Json(found.later.iter().map(LaterRecommendationView::from).collect()))
}
