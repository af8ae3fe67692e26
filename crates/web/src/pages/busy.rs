//! `/settings/calendars` ("Calendars"): a host's own calendars whose events block their time. Upload an `.ics`
//! file (a multipart form), add a feed URL, see how each calendar's last import went in plain words, refresh
//! one now, or remove it. Plain forms throughout, so it all works without JavaScript.
//!
//! Both forms post to their own address; a refused one re-renders the page with status 422, its values kept
//! and the message beside its input (the file itself cannot be kept: browsers never pre-fill file inputs).

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Form, Multipart, Path, State};
use axum::http::Uri;
use axum::response::Response;
use axum::routing::{get, post};
use coffeechat_domain::{FieldErrors, TimeZoneName};
use coffeechat_service::{Account, BusyCalendarId, BusyCalendarKind, BusyCalendarRecord, ImportStatus, ServiceError};
use tower_sessions::Session;

use crate::AppState;
use crate::display::format_instant;
use crate::error::PageError;
use crate::pages::forms::{FormErrors, refused_form};
use crate::pages::{FlashKind, FormFields, HostUser, Layout, parse_id, redirect_with_flash, render, sentence};

const PAGE: &str = "/settings/calendars";

/// Routes of this module, merged by [`crate::pages::router`]. The upload route takes bodies up to an upload's
/// size; the others keep the application's small limit.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/settings/calendars/upload", post(upload))
        .layer(DefaultBodyLimit::max(crate::UPLOAD_BODY_LIMIT_BYTES))
        .route(PAGE, get(calendars_page))
        .route("/settings/calendars/feed", post(add_feed))
        .route("/settings/calendars/{id}/refresh", post(refresh))
        .route("/settings/calendars/{id}/delete", post(delete))
}

/// Which form a page shows its messages on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Active {
    None,
    Upload,
    Feed,
}

/// The forms' values, as typed.
#[derive(Debug, Clone, Default)]
struct Forms {
    upload_name: String,
    feed_url: String,
    feed_name: String,
}

/// One calendar as listed.
#[derive(Debug, Clone)]
pub struct CalendarItem {
    pub id: i64,
    pub name: String,
    /// "Uploaded file" or "Feed from calendar.example.org".
    pub source: String,
    /// `ok`, `error` or `pending`, for the badge's style.
    pub status: &'static str,
    /// "OK", "Import failed", "Not imported yet".
    pub status_label: &'static str,
    /// The failure in words (a sentence), when the last attempt failed.
    pub error: Option<String>,
    /// "12 busy times in the coming months".
    pub blocks: String,
    /// When it was last checked, zone named; `None` before the first attempt.
    pub checked: Option<String>,
    /// When it is checked again, zone named.
    pub next_check: String,
    pub is_feed: bool,
}

impl CalendarItem {
    fn new(calendar: &BusyCalendarRecord, zone: &TimeZoneName) -> Self {
        let source = match (calendar.kind, calendar.url.as_deref()) {
            (BusyCalendarKind::Feed, Some(url)) => {
                let host = url.split("://").nth(1).and_then(|rest| rest.split(['/', '?', '#']).next()).unwrap_or(url);
                format!("Feed from {host}")
            }
            _ => "Uploaded file".to_owned(),
        };
        let (status, status_label) = match calendar.last_status {
            Some(ImportStatus::Ok) => ("ok", "OK"),
            Some(ImportStatus::Error) => ("error", "Import failed"),
            None => ("pending", "Not imported yet"),
        };
        let blocks = match calendar.blocks {
            1 => "1 busy time in the coming months".to_owned(),
            count => format!("{count} busy times in the coming months"),
        };
        CalendarItem {
            id: calendar.id.0,
            name: calendar.name.clone(),
            source,
            status,
            status_label,
            error: calendar.last_error.as_deref().map(sentence),
            blocks,
            checked: calendar.last_fetched_at.map(|at| format_instant(at, zone)),
            next_check: format_instant(calendar.next_fetch_at, zone),
            is_feed: calendar.kind == BusyCalendarKind::Feed,
        }
    }
}

#[derive(Template)]
#[template(path = "settings/calendars.html")]
struct CalendarsPage {
    layout: Layout,
    /// The host's zone: all-day events block whole days in it.
    host_zone: String,
    calendars: Vec<CalendarItem>,
    forms: Forms,
    active: Active,
    /// The messages of the `active` form (both forms have a `name`, each with an input of its own).
    errors: FormErrors,
    max_upload_mib: usize,
}

impl CalendarsPage {
    /// The message for `field` of `form`, naming the field.
    fn error_for(&self, form: Active, field: &str) -> Option<String> {
        if self.active != form {
            return None;
        }
        self.errors.message(field)
    }
}

/// How a field is named before its message ("The feed address must start with http://…").
fn label(field: &str) -> String {
    match field {
        "calendar" => "The file",
        "url" => "The feed address",
        "name" => "The name",
        _ => "This",
    }
    .to_owned()
}

/// The messages of `active`'s form, the summary's links going to that form's inputs.
fn form_errors(active: Active, errors: FieldErrors) -> FormErrors {
    let (fields, unsaved): (&[(&str, &str)], _) = match active {
        Active::Upload => {
            (&[("calendar", "field-calendar"), ("name", "field-upload-name")], "Your file wasn't imported")
        }
        Active::Feed => (&[("url", "field-url"), ("name", "field-feed-name")], "Your feed wasn't added"),
        Active::None => (&[], "Your file wasn't imported"),
    };
    FormErrors::with_ids(errors, fields, label, unsaved)
}

async fn view(
    state: &AppState,
    session: &Session,
    me: &Account,
    uri: &Uri,
    forms: Forms,
    active: Active,
    errors: FieldErrors,
) -> Result<CalendarsPage, PageError> {
    let policy = state.services.policy(me).await?;
    let calendars = state.services.busy_calendars(me).await?;
    Ok(CalendarsPage {
        layout: Layout::new(session, Some(me), uri).await,
        host_zone: policy.time_zone.as_str().to_owned(),
        calendars: calendars.iter().map(|calendar| CalendarItem::new(calendar, &me.time_zone)).collect(),
        forms,
        active,
        errors: form_errors(active, errors),
        max_upload_mib: coffeechat_service::MAX_UPLOAD_BYTES / (1024 * 1024),
    })
}

async fn calendars_page(
    State(state): State<AppState>,
    session: Session,
    HostUser(me): HostUser,
    uri: Uri,
) -> Result<Response, PageError> {
    let page = view(&state, &session, &me, &uri, Forms::default(), Active::None, FieldErrors::new()).await?;
    Ok(render(&page))
}

/// What an import brought, for the flash message.
fn outcome_message(calendar: &BusyCalendarRecord) -> (FlashKind, String) {
    match (calendar.last_status, calendar.last_error.as_deref()) {
        (Some(ImportStatus::Error), Some(error)) => (
            FlashKind::Error,
            format!(
                "\u{201c}{}\u{201d} could not be imported: {}. Busy times from its last good import still count.",
                calendar.name,
                error.trim_end_matches('.')
            ),
        ),
        _ => (
            FlashKind::Success,
            format!(
                "\u{201c}{}\u{201d} imported: {} busy {} in the coming months now block your free times.",
                calendar.name,
                calendar.blocks,
                if calendar.blocks == 1 { "time" } else { "times" }
            ),
        ),
    }
}

/// Re-renders the page with `errors` on `active`'s form, or passes on any other failure.
async fn refused(
    state: &AppState,
    session: &Session,
    me: &Account,
    uri: &Uri,
    forms: Forms,
    active: Active,
    error: ServiceError,
) -> Result<Response, PageError> {
    if let ServiceError::Conflict(message) = error {
        return Ok(redirect_with_flash(session, FlashKind::Error, sentence(&message), PAGE).await);
    }
    refused_form(error, async |errors| view(state, session, me, uri, forms, active, errors).await).await
}

async fn upload(
    State(state): State<AppState>,
    session: Session,
    HostUser(me): HostUser,
    uri: Uri,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let mut forms = Forms::default();
    let mut file: Option<Vec<u8>> = None;
    let mut problem: Option<String> = None;
    match multipart {
        Ok(mut multipart) => loop {
            match multipart.next_field().await {
                Ok(Some(field)) => {
                    let name = field.name().unwrap_or_default().to_owned();
                    match field.bytes().await {
                        Ok(bytes) if name == "calendar" => file = Some(bytes.to_vec()),
                        Ok(bytes) if name == "name" => forms.upload_name = String::from_utf8_lossy(&bytes).into_owned(),
                        Ok(_) => {}
                        Err(error) => {
                            problem = Some(read_problem(error.status()));
                            break;
                        }
                    }
                }
                Ok(None) => break,
                Err(error) => {
                    problem = Some(read_problem(error.status()));
                    break;
                }
            }
        },
        Err(_) => problem = Some("could not be read: send the form from this page".to_owned()),
    }
    let file = match (problem, file) {
        (Some(problem), _) => Err(problem),
        (None, Some(file)) if !file.is_empty() => Ok(file),
        (None, _) => Err("is required: choose an .ics file exported from your calendar".to_owned()),
    };
    let result = match file {
        Ok(file) => {
            let name = Some(forms.upload_name.as_str()).filter(|name| !name.trim().is_empty());
            state.services.upload_busy_calendar(&me, name, &file).await
        }
        Err(problem) => Err(ServiceError::Invalid(FieldErrors::single("calendar", problem))),
    };
    match result {
        Ok(calendar) => {
            let (kind, message) = outcome_message(&calendar);
            Ok(redirect_with_flash(&session, kind, message, PAGE).await)
        }
        Err(error) => refused(&state, &session, &me, &uri, forms, Active::Upload, error).await,
    }
}

/// A multipart body that could not be read, in the words shown beside the file input.
fn read_problem(status: axum::http::StatusCode) -> String {
    if status == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        format!("is larger than {} MiB", coffeechat_service::MAX_UPLOAD_BYTES / (1024 * 1024))
    } else {
        "could not be read; try uploading it again".to_owned()
    }
}

async fn add_feed(
    State(state): State<AppState>,
    session: Session,
    HostUser(me): HostUser,
    uri: Uri,
    Form(fields): Form<FormFields>,
) -> Result<Response, PageError> {
    let forms = Forms {
        feed_url: fields.text("url").trim().to_owned(),
        feed_name: fields.text("name").to_owned(),
        ..Forms::default()
    };
    let name = Some(forms.feed_name.as_str()).filter(|name| !name.trim().is_empty());
    match state.services.add_busy_feed(&me, &forms.feed_url, name).await {
        Ok(calendar) => {
            let (kind, message) = outcome_message(&calendar);
            Ok(redirect_with_flash(&session, kind, message, PAGE).await)
        }
        Err(error) => refused(&state, &session, &me, &uri, forms, Active::Feed, error).await,
    }
}

async fn refresh(
    State(state): State<AppState>,
    session: Session,
    HostUser(me): HostUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let (kind, message) = match state.services.refresh_busy_calendar(&me, BusyCalendarId(id)).await {
        Ok(calendar) => outcome_message(&calendar),
        Err(ServiceError::NotFound(_)) => (FlashKind::Info, "That calendar has been removed.".to_owned()),
        Err(other) => return Err(other.into()),
    };
    Ok(redirect_with_flash(&session, kind, message, PAGE).await)
}

async fn delete(
    State(state): State<AppState>,
    session: Session,
    HostUser(me): HostUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let (kind, message) = match state.services.delete_busy_calendar(&me, BusyCalendarId(id)).await {
        Ok(()) => (FlashKind::Success, "Removed. Its events no longer block your time."),
        // A second click, or another tab: the outcome the host wanted is already there.
        Err(ServiceError::NotFound(_)) => (FlashKind::Info, "That calendar had already been removed."),
        Err(other) => return Err(other.into()),
    };
    Ok(redirect_with_flash(&session, kind, message, PAGE).await)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use coffeechat_domain::AccountId;

    use super::*;

    fn record(status: Option<ImportStatus>, error: Option<&str>) -> BusyCalendarRecord {
        BusyCalendarRecord {
            id: BusyCalendarId(3),
            host_id: AccountId(1),
            name: "Work".into(),
            kind: BusyCalendarKind::Feed,
            url: Some("https://calendar.example.org/private/abc.ics?token=1".into()),
            etag: None,
            last_modified: None,
            last_fetched_at: Some("2026-03-02T09:00:00Z".parse().unwrap()),
            last_status: status,
            last_error: error.map(str::to_owned),
            consecutive_failures: 0,
            next_fetch_at: "2026-03-02T09:30:00Z".parse().unwrap(),
            created_at: "2026-03-01T09:00:00Z".parse().unwrap(),
            blocks: 1,
        }
    }

    #[test]
    fn a_calendar_is_described_in_plain_words_with_zones_named() {
        let zone = TimeZoneName::parse("Europe/London").unwrap();
        let item = CalendarItem::new(&record(Some(ImportStatus::Ok), None), &zone);
        assert_eq!(item.source, "Feed from calendar.example.org");
        assert_eq!((item.status, item.status_label), ("ok", "OK"));
        assert_eq!(item.blocks, "1 busy time in the coming months");
        assert_eq!(item.checked.as_deref(), Some("Mon 2 Mar 2026, 09:00 (Europe/London)"));

        let failed = CalendarItem::new(&record(Some(ImportStatus::Error), Some("line 3: DTSTART is wrong")), &zone);
        assert_eq!(failed.error.as_deref(), Some("Line 3: DTSTART is wrong."));
        let (kind, message) = outcome_message(&record(Some(ImportStatus::Error), Some("the host answered 500.")));
        assert_eq!(kind, FlashKind::Error);
        assert!(message.contains("could not be imported: the host answered 500. Busy times"), "{message}");
    }
}
