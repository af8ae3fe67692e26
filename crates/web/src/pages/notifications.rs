//! In-app notifications: `/notifications` lists the newest notices (what each email said, and the steps that
//! have none) with a link to act on each, and marks them read — all of them, or one — with plain form posts.
//! `/notifications/badge` is the unread count htmx loads into the navigation link.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use tower_sessions::Session;

use super::{FlashKind, Layout, is_htmx, redirect_with_flash, render};
use crate::AppState;
use crate::auth::SessionUser;
use crate::display::format_instant;
use crate::error::PageError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(list))
        .route("/notifications/badge", get(badge))
        .route("/notifications/read", post(mark_all_read))
        .route("/notifications/{id}/read", post(mark_one_read))
}

/// One notice as listed.
#[derive(Debug, Clone)]
pub struct NoticeRow {
    pub id: i64,
    pub text: String,
    pub link: String,
    /// In the reader's zone, named.
    pub when: String,
    pub unread: bool,
}

#[derive(Template)]
#[template(path = "notifications/list.html")]
struct NotificationsPage {
    layout: Layout,
    unread: u32,
    items: Vec<NoticeRow>,
}

#[derive(Template)]
#[template(path = "notifications/badge.html")]
struct Badge {
    unread: u32,
}

async fn list(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
    uri: Uri,
) -> Result<Response, PageError> {
    let list = state.services.notifications(me.id, 100).await?;
    let items = list
        .items
        .iter()
        .map(|item| NoticeRow {
            id: item.id.0,
            text: item.text.clone(),
            link: item.link.clone(),
            when: format_instant(item.created_at, &me.time_zone),
            unread: item.read_at.is_none(),
        })
        .collect();
    let page = NotificationsPage { layout: Layout::new(&session, Some(&me), &uri).await, unread: list.unread, items };
    Ok(render(&page))
}

async fn badge(State(state): State<AppState>, SessionUser(me): SessionUser) -> Result<Response, PageError> {
    let unread = state.services.unread_notifications(me.id).await?;
    Ok(render(&Badge { unread }))
}

async fn mark_all_read(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
) -> Result<Response, PageError> {
    let marked = state.services.mark_notifications_read(me.id, &[]).await?;
    let message = match marked {
        0 => "Nothing new to mark.".to_owned(),
        1 => "Marked 1 notification read.".to_owned(),
        n => format!("Marked {n} notifications read."),
    };
    Ok(redirect_with_flash(&session, FlashKind::Success, message, "/notifications").await)
}

/// Marks one read and follows its link (or comes back to the list).
async fn mark_one_read(
    State(state): State<AppState>,
    SessionUser(me): SessionUser,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id: i64 = id.parse().map_err(|_| PageError::not_found())?;
    state.services.mark_notifications_read(me.id, &[id]).await?;
    let list = state.services.notifications(me.id, 100).await?;
    let link = list.items.iter().find(|item| item.id.0 == id).map(|item| item.link.clone()).unwrap_or_default();
    if is_htmx(&headers) {
        return Ok(render(&Badge { unread: list.unread }));
    }
    let to = if link.is_empty() { "/notifications".to_owned() } else { link };
    Ok(Redirect::to(&to).into_response())
}
