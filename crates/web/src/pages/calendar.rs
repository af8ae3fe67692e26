//! Calendar pages: moving an interview to another time, the reschedule and cancel links from emails (which
//! work without logging in), the "Calendar feed" settings tab, and the feed itself at `/feeds/{token}.ics`.
//!
//! Opening a link (GET) only shows what it would do; the form on that page (POST) does it. Link pages and the
//! feed are not cached (`Cache-Control: no-store` / `private`), since their URLs are the credentials.

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use coffeechat_domain::{InterviewId, InterviewStatus, TimeZoneName};
use coffeechat_schedule::Slot;
use coffeechat_service::{Account, InterviewRecord, ServiceError, Services};
use coffeechat_store::LinkAction;
use jiff::Timestamp;
use serde::Deserialize;
use tower_sessions::Session;

use crate::AppState;
use crate::auth::{MaybeUser, SessionUser};
use crate::display::{DayGroup, format_instant, format_minutes, format_span, format_time, group_by_day};
use crate::error::PageError;
use crate::pages::account::other_party;
use crate::pages::{FlashKind, Layout, parse_id, redirect_with_flash, render, render_with_status, sentence};

/// Routes of this module, merged by [`crate::pages::router`].
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/interviews/{id}/reschedule", get(reschedule_page).post(reschedule))
        .route("/links/{token}", get(link_page).post(use_link))
        .route("/settings/feed", get(feed_page).post(issue_feed))
        .route("/settings/feed/revoke", post(revoke_feed))
        .route("/feeds/{file}", get(feed))
}

// ---------------------------------------------------------------------------------------------------------
// The reschedule form, shared by the interview page, its own page and reschedule links.

/// A free time as a radio button.
#[derive(Debug, Clone)]
pub struct SlotRadio {
    /// RFC 3339 instant, the form value.
    pub value: String,
    pub id: String,
    /// `"07:30"`, under a day heading in a fieldset that names the zone.
    pub time: String,
    /// `"Tue 3 Mar 2026, 07:30 (Europe/London)"`, for screen readers.
    pub label: String,
    pub checked: bool,
}

/// What `calendar/reschedule_form.html` shows.
#[derive(Debug, Clone)]
pub struct RescheduleForm {
    /// Where the form posts.
    pub action: String,
    /// The zone the times are shown in.
    pub zone: String,
    pub length: String,
    /// The interview's current time in `zone`.
    pub current: String,
    pub days: Vec<DayGroup<SlotRadio>>,
    /// Why it cannot be moved (then no times are offered).
    pub blocked: Option<String>,
    /// `"Wed 4 Mar 2026, 09:00 (Europe/London)"`: the last moment it can be moved, in `zone` (not shown on
    /// link pages, which are only offered while it can be moved).
    pub deadline: Option<String>,
    /// Why the last attempt was refused.
    pub error: Option<String>,
}

impl RescheduleForm {
    fn new(
        action: String,
        interview: &InterviewRecord,
        slots: &[Slot],
        blocked: Option<String>,
        deadline: Option<Timestamp>,
        zone: &TimeZoneName,
        chosen: Option<&str>,
    ) -> Self {
        let radios = slots.iter().enumerate().map(|(index, slot)| {
            let value = slot.start.to_string();
            let radio = SlotRadio {
                checked: chosen == Some(value.as_str()),
                value,
                id: format!("new-start-{index}"),
                time: format_time(slot.start, zone),
                label: format_instant(slot.start, zone),
            };
            (slot.start, radio)
        });
        let days = group_by_day(radios, zone, |(start, _)| *start)
            .into_iter()
            .map(|group| DayGroup {
                date: group.date,
                label: group.label,
                items: group.items.into_iter().map(|(_, radio)| radio).collect(),
            })
            .collect();
        RescheduleForm {
            action,
            zone: zone.as_str().to_owned(),
            length: format_minutes(u32::from(interview.length.minutes())),
            current: format_span(interview.start, interview.end, zone),
            days,
            blocked: blocked.map(|reason| sentence(&reason)),
            deadline: deadline.map(|deadline| format_instant(deadline, zone)),
            error: None,
        }
    }
}

/// The reschedule form for the interview page: `None` when there is nothing to move (cancelled, or over).
///
/// # Errors
/// A [`PageError`] when the services fail.
pub async fn reschedule_form(
    services: &Services,
    me: &Account,
    interview: &InterviewRecord,
) -> Result<Option<RescheduleForm>, PageError> {
    if interview.status != InterviewStatus::Scheduled || interview.start <= services.now() {
        return Ok(None);
    }
    let choice = services.reschedule_choice(me, interview.id).await?;
    Ok(Some(RescheduleForm::new(
        format!("/interviews/{}/reschedule", interview.id),
        &choice.interview,
        &choice.slots,
        choice.blocked,
        Some(choice.deadline),
        &me.time_zone,
        None,
    )))
}

#[derive(Debug, Deserialize)]
struct RescheduleFields {
    #[serde(default)]
    start: String,
}

#[derive(Template)]
#[template(path = "calendar/reschedule.html")]
struct ReschedulePage {
    layout: Layout,
    interview_id: i64,
    other_name: String,
    reschedule: RescheduleForm,
}

fn interview_id(raw: &str) -> Result<InterviewId, PageError> {
    parse_id(raw).map(InterviewId)
}

async fn reschedule_page(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
    uri: Uri,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let interview = state.services.interview(&me, interview_id(&id)?).await?;
    let Some(reschedule) = reschedule_form(&state.services, &me, &interview).await? else {
        return Ok(redirect_with_flash(
            &session,
            FlashKind::Info,
            "This conversation can no longer be moved.",
            &format!("/interviews/{}", interview.id),
        )
        .await);
    };
    let page = ReschedulePage {
        layout: Layout::new(&session, Some(&me), &uri).await,
        interview_id: interview.id.0,
        other_name: other_party(&interview, me.id).name.clone(),
        reschedule,
    };
    Ok(render(&page))
}

async fn reschedule(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
    uri: Uri,
    Path(id): Path<String>,
    Form(fields): Form<RescheduleFields>,
) -> Result<Response, PageError> {
    let id = interview_id(&id)?;
    let (status, problem) = match state.services.reschedule_interview(&me, id, &fields.start).await {
        Ok(moved) => {
            let when = format_span(moved.start, moved.end, &me.time_zone);
            let message = format!("Moved to {when}. You both get an email with the updated calendar entry.");
            return Ok(redirect_with_flash(&session, FlashKind::Success, message, &format!("/interviews/{id}")).await);
        }
        Err(error) => refusal(error, "Choose one of the free times.")?,
    };
    let interview = state.services.interview(&me, id).await?;
    let Some(mut reschedule) = reschedule_form(&state.services, &me, &interview).await? else {
        return Ok(
            redirect_with_flash(&session, FlashKind::Error, sentence(&problem), &format!("/interviews/{id}")).await
        );
    };
    reschedule.error = Some(problem);
    let page = ReschedulePage {
        layout: Layout::new(&session, Some(&me), &uri).await,
        interview_id: id.0,
        other_name: other_party(&interview, me.id).name.clone(),
        reschedule,
    };
    Ok(render_with_status(status, &page))
}

/// A refused form answer: its status and the sentence to show. Errors that are not the user's are returned.
fn refusal(error: ServiceError, when_invalid: &str) -> Result<(StatusCode, String), PageError> {
    match error {
        ServiceError::Invalid(fields) => {
            let detail = fields.iter().next().map(|(_, message)| message.to_owned());
            let message = match detail {
                Some(detail) if detail.starts_with("is ") || detail.starts_with("must ") => {
                    format!("That time {detail}. {when_invalid}")
                }
                Some(detail) => format!("{} {when_invalid}", sentence(&detail)),
                None => when_invalid.to_owned(),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, message))
        }
        ServiceError::Conflict(reason) => {
            Ok((StatusCode::CONFLICT, format!("{} Nothing was changed.", sentence(&reason))))
        }
        other => Err(other.into()),
    }
}

// ---------------------------------------------------------------------------------------------------------
// Links from emails.

#[derive(Template)]
#[template(path = "calendar/link.html")]
struct LinkPage {
    layout: Layout,
    /// `"cancel"` or `"reschedule"`.
    action: &'static str,
    token: String,
    actor_name: String,
    other_name: String,
    interview_id: i64,
    /// In the link holder's zone.
    when: String,
    /// Why the link cannot be used; the page then only explains.
    problem: Option<String>,
    reschedule: Option<RescheduleForm>,
    typed_reason: String,
    reason_error: Option<String>,
    /// Set once the action succeeded.
    done: Option<String>,
}

/// Link pages carry their credential in the address: never cached, never indexed.
fn private_page(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert("x-robots-tag", HeaderValue::from_static("noindex"));
    response
}

#[derive(Debug, Deserialize)]
struct LinkFields {
    #[serde(default)]
    start: String,
    #[serde(default)]
    reason: String,
}

async fn link_view(
    state: &AppState,
    session: &Session,
    user: Option<&Account>,
    uri: &Uri,
    token: &str,
    typed: &LinkFields,
) -> Result<LinkPage, PageError> {
    let link = state.services.action_link(token).await?;
    let interview = &link.interview;
    let zone = &link.actor.time_zone;
    let other = other_party(interview, link.actor.id);
    let reschedule = (link.action == LinkAction::Reschedule && link.problem.is_none()).then(|| {
        let chosen = Some(typed.start.as_str()).filter(|start| !start.is_empty());
        RescheduleForm::new(format!("/links/{token}"), interview, &link.slots, None, None, zone, chosen)
    });
    Ok(LinkPage {
        layout: Layout::new(session, user, uri).await,
        action: link.action.as_str(),
        token: token.to_owned(),
        actor_name: link.actor.name.clone(),
        other_name: other.name.clone(),
        interview_id: interview.id.0,
        when: format_span(interview.start, interview.end, zone),
        problem: link.problem.map(|problem| sentence(&problem)),
        reschedule,
        typed_reason: typed.reason.clone(),
        reason_error: None,
        done: None,
    })
}

async fn link_page(
    State(state): State<AppState>,
    session: Session,
    MaybeUser(user): MaybeUser,
    uri: Uri,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let empty = LinkFields { start: String::new(), reason: String::new() };
    let page = link_view(&state, &session, user.as_ref(), &uri, &token, &empty).await?;
    Ok(private_page(render(&page)))
}

async fn use_link(
    State(state): State<AppState>,
    session: Session,
    MaybeUser(user): MaybeUser,
    uri: Uri,
    Path(token): Path<String>,
    Form(fields): Form<LinkFields>,
) -> Result<Response, PageError> {
    let preview = state.services.action_link(&token).await?;
    let zone = preview.actor.time_zone.clone();
    let outcome = match preview.action {
        LinkAction::Cancel => state.services.cancel_with_link(&token, &fields.reason).await.map(|cancelled| {
            format!(
                "The conversation planned for {} is cancelled. You both get an email, and the calendar entry is removed.",
                format_span(cancelled.start, cancelled.end, &zone)
            )
        }),
        LinkAction::Reschedule => state.services.reschedule_with_link(&token, &fields.start).await.map(|moved| {
            format!(
                "The conversation is moved to {}. You both get an email with the updated calendar entry.",
                format_span(moved.start, moved.end, &zone)
            )
        }),
    };
    let mut page = link_view(&state, &session, user.as_ref(), &uri, &token, &fields).await?;
    let status = match outcome {
        Ok(done) => {
            page.done = Some(done);
            page.problem = None;
            page.reschedule = None;
            StatusCode::OK
        }
        Err(ServiceError::Invalid(errors)) if preview.action == LinkAction::Cancel => {
            page.reason_error = errors.iter().next().map(|(_, message)| message.to_owned());
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(error) => {
            let (status, problem) = refusal(error, "Choose one of the free times.")?;
            match page.reschedule.as_mut() {
                Some(form) => form.error = Some(problem),
                None => page.problem = Some(problem),
            }
            status
        }
    };
    Ok(private_page(render_with_status(status, &page)))
}

// ---------------------------------------------------------------------------------------------------------
// The calendar feed.

#[derive(Template)]
#[template(path = "calendar/feed.html")]
struct FeedPage {
    layout: Layout,
    url: Option<String>,
}

async fn feed_page(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
    uri: Uri,
) -> Result<Response, PageError> {
    let url = state.services.existing_feed_url(&me).await?;
    let page = FeedPage { layout: Layout::new(&session, Some(&me), &uri).await, url };
    Ok(private_page(render(&page)))
}

async fn issue_feed(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
) -> Result<Response, PageError> {
    let had_one = state.services.existing_feed_url(&me).await?.is_some();
    state.services.regenerate_feed(&me).await?;
    let message = if had_one {
        "Your calendar feed has a new address. The old one no longer works: update it in your calendar app."
    } else {
        "Your calendar feed is ready. Copy its address into your calendar app."
    };
    Ok(redirect_with_flash(&session, FlashKind::Success, message, "/settings/feed").await)
}

async fn revoke_feed(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
) -> Result<Response, PageError> {
    let message = if state.services.revoke_feed(&me).await? {
        "Your calendar feed is turned off; its address no longer works."
    } else {
        "You had no calendar feed."
    };
    Ok(redirect_with_flash(&session, FlashKind::Success, message, "/settings/feed").await)
}

/// `GET /feeds/{token}.ics`: the calendar, for calendar apps (no session; the token is the credential).
async fn feed(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(token) = file.strip_suffix(".ics") else {
        return (StatusCode::NOT_FOUND, "no such calendar feed\n").into_response();
    };
    match state.services.feed_calendar(token).await {
        Ok(calendar) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8")),
                // Calendar apps poll; a few minutes of private caching is plenty and never shared.
                (header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=300")),
                (header::HeaderName::from_static("x-robots-tag"), HeaderValue::from_static("noindex")),
            ],
            calendar,
        )
            .into_response(),
        // Plain text, not a page: the reader is a calendar app.
        Err(ServiceError::NotFound(_)) => (StatusCode::NOT_FOUND, "no such calendar feed\n").into_response(),
        Err(error) => PageError::from(error).into_response(),
    }
}
