//! Calendar endpoints: moving an interview (`POST /interviews/{id}/reschedule`) and the caller's private
//! calendar feed (`GET|POST|DELETE /me/feed`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use coffeechat_domain::InterviewId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::{ApiJson, ApiPath};
use super::models::InterviewView;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, ErrorBody};

/// The new start of an interview.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RescheduleBody {
    /// A free slot of the host for the interview's length (see `GET /hosts/{handle}/slots`), RFC 3339.
    #[schema(example = "2026-03-04T07:30:00Z")]
    pub start: String,
}

/// The caller's private calendar feed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FeedView {
    /// Subscribe to this address in a calendar app. It lists all the caller's interviews (cancelled ones as
    /// `STATUS:CANCELLED`) as one `METHOD:PUBLISH` calendar with UTC times. Anyone with it can read them.
    #[schema(example = "https://coffeechat.example/feeds/kq3…Zp.ics")]
    pub url: String,
}

/// Moves a scheduled interview to another free slot of the host (either side). The new start must be a free
/// slot (the interview's own current time never blocks it), and the move must happen at least the host's
/// `reschedule_notice_hours` before the current start. The calendar UID stays and its SEQUENCE rises; both
/// sides get the update by email.
#[utoipa::path(
    post,
    path = "/interviews/{id}/reschedule",
    tag = "interviews",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Interview id")),
    request_body = RescheduleBody,
    responses(
        (status = 200, description = "Moved", body = InterviewView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 404, description = "No such interview, or not the caller's", body = ErrorBody),
        (status = 409, description = "Cancelled, too close to its start, the time is not free, or it changed meanwhile", body = ErrorBody),
        (status = 422, description = "`start` is not an instant, or is the current time", body = ErrorBody),
    )
)]
pub async fn reschedule(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RescheduleBody>,
) -> Result<Json<InterviewView>, ApiError> {
    let interview = state.services.reschedule_interview(&me, InterviewId(id), &body.start).await?;
    Ok(Json(InterviewView::new(&interview, &me)))
}

/// The caller's private calendar feed URL, created on the first request.
#[utoipa::path(
    get,
    path = "/me/feed",
    tag = "calendar",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The feed URL", body = FeedView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
    )
)]
pub async fn feed(State(state): State<AppState>, ApiUser(me): ApiUser) -> Result<Json<FeedView>, ApiError> {
    Ok(Json(FeedView { url: state.services.feed_url(&me).await? }))
}

/// Replaces the caller's feed URL with a new one; the old URL stops working at once.
#[utoipa::path(
    post,
    path = "/me/feed",
    tag = "calendar",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The new feed URL", body = FeedView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
    )
)]
pub async fn regenerate_feed(State(state): State<AppState>, ApiUser(me): ApiUser) -> Result<Json<FeedView>, ApiError> {
    Ok(Json(FeedView { url: state.services.regenerate_feed(&me).await? }))
}

/// Revokes the caller's feed URL (a later `GET` creates a new one).
#[utoipa::path(
    delete,
    path = "/me/feed",
    tag = "calendar",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Revoked (or there was none)"),
        (status = 401, description = "Not authenticated", body = ErrorBody),
    )
)]
pub async fn revoke_feed(State(state): State<AppState>, ApiUser(me): ApiUser) -> Result<StatusCode, ApiError> {
    state.services.revoke_feed(&me).await?;
    Ok(StatusCode::NO_CONTENT)
}
