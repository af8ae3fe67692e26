//! The caller's date overrides (`/api/v1/me/overrides`): days with other hours, days off, trips.
//!
//! The shapes live here rather than in [`super::models`] because nothing else uses them.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use coffeechat_domain::{OverrideInput, TimeRangeInput};
use coffeechat_store::{OverrideId, OverrideRecord};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::{ApiJson, ApiPath};
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, ErrorBody};

/// Hours on an overridden day, in the host's wall-clock time.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Hours {
    /// `HH:MM`, 24-hour.
    #[schema(example = "10:00")]
    pub start: String,
    /// `HH:MM`, after `start`.
    #[schema(example = "12:00")]
    pub end: String,
}

/// A new override: for every date from `from` to `to` (inclusive, the host's own calendar dates), `windows`
/// replace the weekly windows. An empty `windows` list means the host is off on those dates.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct OverrideBody {
    /// First date, `YYYY-MM-DD`.
    #[schema(example = "2026-12-24")]
    pub from: String,
    /// Last date, `YYYY-MM-DD`, not before `from` and at most a year after it; absent or empty: `from` only.
    #[serde(default)]
    #[schema(example = "2027-01-02")]
    pub to: String,
    /// The hours on those dates (non-overlapping); `[]` for days off.
    #[schema(example = json!([]))]
    pub windows: Vec<Hours>,
}

impl From<OverrideBody> for OverrideInput {
    fn from(body: OverrideBody) -> Self {
        OverrideInput {
            from: body.from,
            to: body.to,
            windows: body
                .windows
                .into_iter()
                .map(|hours| TimeRangeInput { start: hours.start, end: hours.end })
                .collect(),
        }
    }
}

/// A stored override.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OverrideView {
    pub id: i64,
    /// First date, `YYYY-MM-DD`.
    #[schema(example = "2026-12-24")]
    pub from: String,
    /// Last date, `YYYY-MM-DD` (equal to `from` for a single day).
    #[schema(example = "2027-01-02")]
    pub to: String,
    /// Sorted by start; empty: the host is off on these dates.
    pub windows: Vec<Hours>,
}

impl From<&OverrideRecord> for OverrideView {
    fn from(record: &OverrideRecord) -> Self {
        let date_override = &record.date_override;
        OverrideView {
            id: record.id.0,
            from: date_override.from.to_string(),
            to: date_override.to.to_string(),
            windows: date_override
                .windows
                .iter()
                .map(|window| Hours { start: window.start_text(), end: window.end_text() })
                .collect(),
        }
    }
}

/// The caller's date overrides, by first date.
#[utoipa::path(
    get,
    path = "/me/overrides",
    tag = "hosts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's overrides", body = Vec<OverrideView>),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The caller is not a host", body = ErrorBody),
    )
)]
pub async fn list_overrides(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
) -> Result<Json<Vec<OverrideView>>, ApiError> {
    let overrides = state.services.overrides(&me).await?;
    Ok(Json(overrides.iter().map(OverrideView::from).collect()))
}

/// Adds a date override: other hours on some dates, or days off.
#[utoipa::path(
    post,
    path = "/me/overrides",
    tag = "hosts",
    security(("bearer" = [])),
    request_body = OverrideBody,
    responses(
        (status = 201, description = "Stored; slots on those dates follow it at once", body = OverrideView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The caller is not a host", body = ErrorBody),
        (status = 422, description = "A field is invalid: a date that does not parse, `to` before `from`, hours ending before they start, or dates overlapping another override (named in the message of `from`)", body = ErrorBody),
    )
)]
pub async fn add_override(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiJson(body): ApiJson<OverrideBody>,
) -> Result<impl IntoResponse, ApiError> {
    let record = state.services.add_override(&me, body.into()).await?;
    Ok((StatusCode::CREATED, Json(OverrideView::from(&record))))
}

/// Removes one of the caller's overrides; the weekly windows apply again on its dates.
#[utoipa::path(
    delete,
    path = "/me/overrides/{id}",
    tag = "hosts",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Override id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The caller is not a host", body = ErrorBody),
        (status = 404, description = "No such override of the caller's", body = ErrorBody),
    )
)]
pub async fn delete_override(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    state.services.delete_override(&me, OverrideId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
