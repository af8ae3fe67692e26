//! The caller's waitlist places: `GET /api/v1/me/waitlist` and `DELETE /api/v1/me/waitlist/{id}` (leave).

use axum::Json;
use axum::extract::State;

use super::extract::ApiPath;
use super::models::WaitlistEntryView;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, ErrorBody};

/// The caller's waitlist entries, newest first: places in line (with their position), open offers (with the
/// composer link), and past entries.
#[utoipa::path(
    get,
    path = "/me/waitlist",
    tag = "requests",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's waitlist entries", body = Vec<WaitlistEntryView>),
        (status = 401, description = "Not authenticated", body = ErrorBody),
    )
)]
pub async fn my_waitlist(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
) -> Result<Json<Vec<WaitlistEntryView>>, ApiError> {
    let entries = state.services.my_waitlist(&me).await?;
    Ok(Json(entries.iter().map(WaitlistEntryView::from).collect()))
}

/// Leaves a host's waitlist; an opening kept for the caller passes to the next in line.
#[utoipa::path(
    delete,
    path = "/me/waitlist/{id}",
    tag = "requests",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Waitlist entry id")),
    responses(
        (status = 200, description = "Left the line", body = WaitlistEntryView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 404, description = "No such entry, or not the caller's", body = ErrorBody),
        (status = 409, description = "The entry is no longer in line", body = ErrorBody),
    )
)]
pub async fn leave_waitlist(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<WaitlistEntryView>, ApiError> {
    let entry = state.services.leave_waitlist(&me, id).await?;
    Ok(Json(WaitlistEntryView::from(&entry)))
}
