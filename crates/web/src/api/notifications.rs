//! In-app notifications: `GET /api/v1/me/notifications` and `POST /api/v1/me/notifications/read`.

use axum::Json;
use axum::extract::State;
use coffeechat_store::NotificationRecord;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::ApiJson;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, ErrorBody};

/// The caller's newest notifications.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NotificationsView {
    /// How many are unread.
    pub unread: u32,
    /// Newest first, at most 50.
    pub items: Vec<NotificationView>,
}

/// One notice.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NotificationView {
    pub id: i64,
    /// What it is about, e.g. `request_sent`, `request_expired`, `waitlist_offered`.
    #[schema(example = "request_expired")]
    pub kind: String,
    pub text: String,
    /// A path on the site to act on it, or empty.
    #[schema(example = "/requests/12")]
    pub link: String,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub read_at: Option<Timestamp>,
}

impl From<&NotificationRecord> for NotificationView {
    fn from(record: &NotificationRecord) -> Self {
        NotificationView {
            id: record.id.0,
            kind: record.kind.clone(),
            text: record.text.clone(),
            link: record.link.clone(),
            created_at: record.created_at,
            read_at: record.read_at,
        }
    }
}

/// Which notifications to mark read.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct MarkReadBody {
    /// Ids of the caller's notifications; empty or absent: all of them.
    #[serde(default)]
    pub ids: Vec<i64>,
}

/// How many notifications changed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MarkedView {
    pub marked: u64,
    pub unread: u32,
}

/// The caller's newest notifications and their unread count.
#[utoipa::path(
    get,
    path = "/me/notifications",
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's notifications", body = NotificationsView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
    )
)]
pub async fn my_notifications(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
) -> Result<Json<NotificationsView>, ApiError> {
    let list = state.services.notifications(me.id, 50).await?;
    Ok(Json(NotificationsView { unread: list.unread, items: list.items.iter().map(NotificationView::from).collect() }))
}

/// Marks the caller's notifications read: the listed ones, or all.
#[utoipa::path(
    post,
    path = "/me/notifications/read",
    tag = "accounts",
    security(("bearer" = [])),
    request_body = MarkReadBody,
    responses(
        (status = 200, description = "Marked", body = MarkedView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 422, description = "Too many ids", body = ErrorBody),
    )
)]
pub async fn mark_read(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiJson(body): ApiJson<MarkReadBody>,
) -> Result<Json<MarkedView>, ApiError> {
    if body.ids.len() > 500 {
        return Err(ApiError::invalid(coffeechat_domain::FieldErrors::single("ids", "mark at most 500 at a time")));
    }
    let marked = state.services.mark_notifications_read(me.id, &body.ids).await?;
    let unread = state.services.unread_notifications(me.id).await?;
    Ok(Json(MarkedView { marked, unread }))
}
