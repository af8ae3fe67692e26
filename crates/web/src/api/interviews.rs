//! Interviews: `/api/v1/interviews`, cancelling one, and its calendar file.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use coffeechat_domain::InterviewId;

use super::aftercare::InterviewDetailView;
use super::extract::{ApiJson, ApiPath};
use super::models::{CancelBody, InterviewView};
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, ErrorBody};

/// The caller's interviews, as seeker and as host, by start time.
#[utoipa::path(
    get,
    path = "/interviews",
    tag = "interviews",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's interviews", body = Vec<InterviewView>),
        (status = 401, description = "Not authenticated", body = ErrorBody),
    )
)]
pub async fn list_interviews(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
) -> Result<Json<Vec<InterviewView>>, ApiError> {
    let interviews = state.services.interviews(&me).await?;
    Ok(Json(interviews.iter().map(|interview| InterviewView::new(interview, &me)).collect()))
}

/// One interview (visible to its seeker and its host only), with its agenda, wrap-up time and aftercare.
#[utoipa::path(
    get,
    path = "/interviews/{id}",
    tag = "interviews",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Interview id")),
    responses(
        (status = 200, description = "The interview", body = InterviewDetailView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 404, description = "No such interview, or not the caller's", body = ErrorBody),
    )
)]
pub async fn interview(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<InterviewDetailView>, ApiError> {
    let detail = state.services.interview_detail(&me, InterviewId(id)).await?;
    Ok(Json(InterviewDetailView::new(&detail, &me)))
}

/// Cancels a scheduled interview with a reason (either side).
#[utoipa::path(
    post,
    path = "/interviews/{id}/cancel",
    tag = "interviews",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Interview id")),
    request_body = CancelBody,
    responses(
        (status = 200, description = "Cancelled", body = InterviewView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 404, description = "No such interview, or not the caller's", body = ErrorBody),
        (status = 409, description = "Already cancelled", body = ErrorBody),
        (status = 422, description = "The reason is empty or too long", body = ErrorBody),
    )
)]
pub async fn cancel(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<CancelBody>,
) -> Result<Json<InterviewView>, ApiError> {
    let interview = state.services.cancel_interview(&me, InterviewId(id), &body.reason).await?;
    Ok(Json(InterviewView::new(&interview, &me)))
}

/// The interview as an iCalendar file (UTC times, a stable UID, ORGANIZER and ATTENDEE); a cancelled
/// interview gives a cancellation that removes the event from calendars.
#[utoipa::path(
    get,
    path = "/interviews/{id}/ics",
    tag = "interviews",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Interview id")),
    responses(
        (status = 200, description = "RFC 5545 calendar", content_type = "text/calendar", body = String),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 404, description = "No such interview, or not the caller's", body = ErrorBody),
    )
)]
pub async fn ics(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<impl IntoResponse, ApiError> {
    let calendar = state.services.interview_ics(&me, InterviewId(id)).await?;
    let disposition = format!("attachment; filename=\"coffeechat-interview-{id}.ics\"");
    Ok((
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
        calendar,
    ))
}
