//! The caller's busy calendars (`/api/v1/me/busy-calendars`): an uploaded `.ics` file or an ICS feed URL whose
//! events block the host's time, each with how its last import went.
//!
//! `POST` takes either kind of body, told apart by `Content-Type`: `text/calendar` is an upload (up to
//! [`MAX_UPLOAD_BYTES`](coffeechat_service::MAX_UPLOAD_BYTES)), `application/json` is `{"url", "name"}`. The
//! shapes live here rather than in [`super::models`] because nothing else uses them.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use coffeechat_service::{BusyCalendarId, BusyCalendarRecord, ImportStatus};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{ApiPath, ApiQuery, parse_json};
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, ErrorBody};

/// These routes, with the body limit raised to fit an upload (the rest of the API keeps the small one).
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_busy_calendars, add_busy_calendar))
        .routes(routes!(busy_calendar, delete_busy_calendar))
        .routes(routes!(refresh_busy_calendar))
        .layer(axum::extract::DefaultBodyLimit::max(crate::UPLOAD_BODY_LIMIT_BYTES))
}

/// A feed to subscribe to.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct BusyFeedBody {
    /// The calendar's http(s) address (`webcal://` is read as `https://`). Private and local addresses, and
    /// Coffeechat's own, are refused.
    #[schema(example = "https://calendar.google.com/calendar/ical/priya%40example.org/private-0123abcd/basic.ics")]
    pub url: String,
    /// What to call it; default the address's host.
    #[serde(default)]
    #[schema(example = "Work calendar")]
    pub name: Option<String>,
}

/// Options of an upload.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// What to call an uploaded calendar; default its own name (`X-WR-CALNAME`) or "Uploaded calendar".
    pub name: Option<String>,
}

/// A busy calendar and how its last import went.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BusyCalendarView {
    pub id: i64,
    /// `upload` or `feed`.
    #[schema(example = "feed")]
    pub kind: String,
    #[schema(example = "Work calendar")]
    pub name: String,
    /// The feed's address; `null` for an upload.
    pub url: Option<String>,
    /// `ok`: the last import worked; `error`: it failed (see `last_error`; the blocks of the last import that
    /// worked still count); `pending`: not imported yet.
    #[schema(example = "ok")]
    pub status: String,
    /// What went wrong last time, in plain words; `null` unless `status` is `error`.
    #[schema(example = json!(null))]
    pub last_error: Option<String>,
    /// When it was last fetched (feeds) or read (uploads).
    #[schema(value_type = Option<String>, format = DateTime)]
    pub last_fetched_at: Option<Timestamp>,
    /// When it is fetched or read again.
    #[schema(value_type = String, format = DateTime)]
    pub next_fetch_at: Timestamp,
    /// Busy intervals in the coming months from the last import that worked.
    #[schema(example = 42)]
    pub blocks: u32,
}

impl From<&BusyCalendarRecord> for BusyCalendarView {
    fn from(calendar: &BusyCalendarRecord) -> Self {
        BusyCalendarView {
            id: calendar.id.0,
            kind: calendar.kind.as_str().to_owned(),
            name: calendar.name.clone(),
            url: calendar.url.clone(),
            status: calendar.last_status.map_or("pending", ImportStatus::as_str).to_owned(),
            last_error: calendar.last_error.clone(),
            last_fetched_at: calendar.last_fetched_at,
            next_fetch_at: calendar.next_fetch_at,
            blocks: calendar.blocks,
        }
    }
}

/// The media type of a request, lower-cased, without parameters.
fn essence(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// The caller's busy calendars, oldest first, with their last status.
#[utoipa::path(
    get,
    path = "/me/busy-calendars",
    tag = "busy calendars",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's busy calendars", body = Vec<BusyCalendarView>),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The caller is not a host", body = ErrorBody),
    )
)]
pub async fn list_busy_calendars(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
) -> Result<Json<Vec<BusyCalendarView>>, ApiError> {
    let calendars = state.services.busy_calendars(&me).await?;
    Ok(Json(calendars.iter().map(BusyCalendarView::from).collect()))
}

/// Adds a busy calendar: an `.ics` file (`Content-Type: text/calendar`) or a feed (`application/json`
/// `{"url"}`). An upload that cannot be read is refused with the line at fault; a feed is fetched once at
/// once — if that fails the feed is still added, with `status: "error"` and the reason, and retried later.
#[utoipa::path(
    post,
    path = "/me/busy-calendars",
    tag = "busy calendars",
    security(("bearer" = [])),
    params(UploadQuery),
    request_body(
        description = "An iCalendar file (`text/calendar`, up to 1 MiB), or a feed URL (`application/json`)",
        content(
            (String = "text/calendar", example = "BEGIN:VCALENDAR\r\n…\r\nEND:VCALENDAR\r\n"),
            (BusyFeedBody = "application/json")
        )
    ),
    responses(
        (status = 201, description = "Added (and imported, or with the import's error)", body = BusyCalendarView),
        (status = 400, description = "Neither an iCalendar file nor JSON", body = ErrorBody),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The caller is not a host", body = ErrorBody),
        (status = 409, description = "The host already imports the most calendars allowed", body = ErrorBody),
        (status = 413, description = "The body is too large", body = ErrorBody),
        (status = 422, description = "The file cannot be read (`calendar`, with the line), or the URL is refused (`url`)", body = ErrorBody),
    )
)]
pub async fn add_busy_calendar(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiQuery(query): ApiQuery<UploadQuery>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<impl IntoResponse, ApiError> {
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::payload_too_large()
        } else {
            ApiError::bad_request(rejection.body_text())
        }
    })?;
    let kind = essence(&headers);
    let calendar = match kind.as_str() {
        "text/calendar" => state.services.upload_busy_calendar(&me, query.name.as_deref(), &body).await?,
        "application/json" => {
            let feed: BusyFeedBody = parse_json(&body)?;
            let name = feed.name.as_deref().or(query.name.as_deref());
            state.services.add_busy_feed(&me, &feed.url, name).await?
        }
        _ => {
            return Err(ApiError::bad_request(
                "send an iCalendar file with 'Content-Type: text/calendar', or a feed as JSON {\"url\": …} with \
                 'Content-Type: application/json'",
            ));
        }
    };
    let location = format!("/api/v1/me/busy-calendars/{}", calendar.id);
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(BusyCalendarView::from(&calendar))))
}

/// One of the caller's busy calendars.
#[utoipa::path(
    get,
    path = "/me/busy-calendars/{id}",
    tag = "busy calendars",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Busy calendar id")),
    responses(
        (status = 200, description = "The calendar and its last status", body = BusyCalendarView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The caller is not a host", body = ErrorBody),
        (status = 404, description = "No such calendar of the caller's", body = ErrorBody),
    )
)]
pub async fn busy_calendar(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<BusyCalendarView>, ApiError> {
    let calendar = state.services.busy_calendar(&me, BusyCalendarId(id)).await?;
    Ok(Json(BusyCalendarView::from(&calendar)))
}

/// Imports a busy calendar again now (fetches a feed, re-reads an upload). A failure is reported in the
/// calendar's `status` and `last_error`, and its previous busy time keeps counting.
#[utoipa::path(
    post,
    path = "/me/busy-calendars/{id}/refresh",
    tag = "busy calendars",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Busy calendar id")),
    responses(
        (status = 200, description = "Imported again (or with the import's error)", body = BusyCalendarView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The caller is not a host", body = ErrorBody),
        (status = 404, description = "No such calendar of the caller's", body = ErrorBody),
    )
)]
pub async fn refresh_busy_calendar(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<BusyCalendarView>, ApiError> {
    let calendar = state.services.refresh_busy_calendar(&me, BusyCalendarId(id)).await?;
    Ok(Json(BusyCalendarView::from(&calendar)))
}

/// Removes a busy calendar and the busy time it brought.
#[utoipa::path(
    delete,
    path = "/me/busy-calendars/{id}",
    tag = "busy calendars",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Busy calendar id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The caller is not a host", body = ErrorBody),
        (status = 404, description = "No such calendar of the caller's", body = ErrorBody),
    )
)]
pub async fn delete_busy_calendar(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    state.services.delete_busy_calendar(&me, BusyCalendarId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
