//! Server-rendered HTML pages: the router that gathers every page module, and the pieces every page shares.
//!
//! # How a page is built (P1 and P2 use the same recipe)
//!
//! * Every page template `{% extends "base.html" %}` and fills the blocks `title` and `content`.
//! * Every page struct has a field named **`layout`** of type [`Layout`]; `base.html` reads the navigation,
//!   the signed-in user and the flash message from it. Build it with [`Layout::new`] in the handler:
//!
//!   ```ignore
//!   async fn dashboard(session: Session, SessionUser(me): SessionUser, uri: Uri) -> Result<impl IntoResponse, PageError> {
//!       let layout = Layout::new(&session, Some(&me), &uri).await;
//!       Ok(WebTemplate(DashboardPage { layout, /* … */ }))
//!   }
//!   ```
//!
//! * **Flash messages** (Post/Redirect/Get): after a successful form POST answer [`redirect_with_flash`] with a
//!   [`FlashKind`], a sentence and the next page (303). [`Layout::new`] on the next page takes the message out
//!   of the session, so it is shown exactly once. The message lives in the user's session (key [`FLASH_KEY`]),
//!   so it survives the redirect and never appears in a URL.
//! * **Forms with errors** re-render the same template with status 422 ([`forms::refused_form`], or
//!   [`unprocessable`]), each field's message next to its input and every typed value kept; [`forms`] holds
//!   what the settings forms share for that.
//! * **Host-only pages** take [`HostUser`] instead of [`SessionUser`]: anyone else gets the friendly
//!   "this part is for hosts" page (403) and the handler never runs.
//! * **Ids in paths** are read with [`parse_id`]: anything but a number is a page that does not exist.
//! * **Times** are formatted with [`crate::display`], which always names the zone.
//! * **Forms with repeated fields** (checkbox groups, lists): take `Form<FormFields>` (or `Query<FormFields>`),
//!   which keeps every `name=value` pair in order; plain `serde_urlencoded` structs cannot read repeated names.
//! * **Error pages**: return [`crate::error::PageError`]; it renders `error.html` through [`error_page`].
//! * **htmx**: a handler that serves a fragment checks [`is_htmx`] and renders the template's block
//!   (askama `#[template(..., block = "…")]`) instead of the whole page.

use askama::Template;
use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Redirect, Response};
use coffeechat_domain::{FieldErrors, TimeZoneName};
use coffeechat_service::Account;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use crate::AppState;
use crate::auth::SessionUser;
use crate::error::PageError;

pub mod account;
pub mod account_settings;
pub mod aftercare;
pub mod auth;
pub mod busy;
pub mod calendar;
pub mod forms;
pub mod matching;
pub mod notifications;
pub mod overrides;
pub mod programs;
pub mod public;
pub mod settings;

/// All HTML routes. Merged into the application by [`crate::app`].
pub fn router() -> Router<crate::AppState> {
    Router::new()
        .merge(public::router())
        .merge(notifications::router())
        .merge(auth::router())
        .merge(account::router())
        .merge(aftercare::router())
        .merge(settings::router())
        .merge(matching::router())
        .merge(account_settings::router())
        .merge(calendar::router())
        .merge(overrides::router())
        .merge(programs::router())
        .merge(busy::router())
}

/// Session key under which a pending flash message is kept until the next page shows it.
pub const FLASH_KEY: &str = "flash";

/// Session key of the time zone a visitor picked on a host page, so other pages can reuse it.
pub const VIEWER_ZONE_KEY: &str = "viewer_zone";

/// How a flash message is styled and announced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FlashKind {
    /// Something the user asked for happened.
    Success,
    /// Neutral information (e.g. "you are already logged in").
    Info,
    /// Something went wrong but the user was redirected anyway.
    Error,
}

impl FlashKind {
    /// CSS modifier used by `base.html` (`flash-success`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            FlashKind::Success => "success",
            FlashKind::Info => "info",
            FlashKind::Error => "error",
        }
    }
}

/// A one-time message shown at the top of the next page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    pub kind: FlashKind,
    pub message: String,
}

/// The signed-in user as the layout needs them (no email, no ids).
#[derive(Debug, Clone)]
pub struct LayoutUser {
    pub name: String,
    pub is_host: bool,
    pub is_seeker: bool,
    pub time_zone: TimeZoneName,
}

/// What `base.html` needs on every page. Every page struct embeds it as the field `layout`.
#[derive(Debug, Clone)]
pub struct Layout {
    /// `None` for visitors: the header then offers "Log in" and "Sign up".
    pub user: Option<LayoutUser>,
    /// The message left by the previous request, if any (taken out of the session: shown once).
    pub flash: Option<Flash>,
    /// The zone times are shown in when a page has no better choice: the user's own zone, else the zone
    /// a visitor picked earlier, else `None` (pages then fall back to the host's zone or UTC).
    pub viewer_zone: Option<TimeZoneName>,
    /// Path of the current page, so the navigation can mark the current entry with `aria-current`.
    pub path: String,
}

impl Layout {
    /// Builds the layout for a page and consumes the pending flash message.
    ///
    /// Session failures are logged and treated as "no flash": a page must never fail because a
    /// decorative message could not be read.
    pub async fn new(session: &Session, user: Option<&Account>, uri: &Uri) -> Self {
        let flash = take_flash(session).await;
        let remembered_zone = remembered_zone(session).await;
        let user = user.map(|account| LayoutUser {
            name: account.name.clone(),
            is_host: account.roles.host,
            is_seeker: account.roles.seeker,
            time_zone: account.time_zone.clone(),
        });
        let viewer_zone = user.as_ref().map(|u| u.time_zone.clone()).or(remembered_zone);
        Layout { user, flash, viewer_zone, path: uri.path().to_owned() }
    }

    /// A layout with no session behind it, for error pages rendered outside a handler.
    pub fn anonymous(path: &str) -> Self {
        Layout { user: None, flash: None, viewer_zone: None, path: path.to_owned() }
    }

    /// `true` when `prefix` is the current page or a parent of it; used for `aria-current` in the navigation.
    pub fn is_current(&self, prefix: &str) -> bool {
        self.path == prefix || self.path.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('/'))
    }

    pub fn is_host(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.is_host)
    }

    pub fn is_seeker(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.is_seeker)
    }
}

/// Leaves a message for the next page this session sees (call it right before a 303 redirect).
///
/// A failure to store it is logged and otherwise ignored: the action the message reports has already happened.
pub async fn set_flash(session: &Session, kind: FlashKind, message: impl Into<String>) {
    let flash = Flash { kind, message: message.into() };
    if let Err(error) = session.insert(FLASH_KEY, flash).await {
        tracing::warn!(%error, "could not store a flash message");
    }
}

/// Post/Redirect/Get: leaves `message` for the next page, then sends the browser to `to` (303 See Other).
pub async fn redirect_with_flash(session: &Session, kind: FlashKind, message: impl Into<String>, to: &str) -> Response {
    set_flash(session, kind, message).await;
    Redirect::to(to).into_response()
}

/// Takes the pending flash message out of the session (so it is shown once).
pub async fn take_flash(session: &Session) -> Option<Flash> {
    match session.remove::<Flash>(FLASH_KEY).await {
        Ok(flash) => flash,
        Err(error) => {
            tracing::warn!(%error, "could not read a flash message");
            None
        }
    }
}

/// Remembers the zone a visitor chose, so later pages show times in it too.
pub async fn remember_zone(session: &Session, zone: &TimeZoneName) {
    if let Err(error) = session.insert(VIEWER_ZONE_KEY, zone.as_str()).await {
        tracing::warn!(%error, "could not remember the viewer's time zone");
    }
}

async fn remembered_zone(session: &Session) -> Option<TimeZoneName> {
    match session.get::<String>(VIEWER_ZONE_KEY).await {
        Ok(name) => name.and_then(|name| TimeZoneName::parse(&name).ok()),
        Err(error) => {
            tracing::warn!(%error, "could not read the remembered time zone");
            None
        }
    }
}

/// The signed-in user of a host-only page.
///
/// Rejects a visitor like [`SessionUser`] does (to the login page), and a user without the host role with the
/// friendly "this part is for hosts" page (403), which says what hosting is and how to start.
#[derive(Debug, Clone)]
pub struct HostUser(pub Account);

impl FromRequestParts<AppState> for HostUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let SessionUser(me) = SessionUser::from_request_parts(parts, state).await?;
        if me.roles.host {
            return Ok(HostUser(me));
        }
        let session = Session::from_request_parts(parts, state).await.map_err(IntoResponse::into_response)?;
        Err(not_a_host(&session, &me, &parts.uri).await)
    }
}

/// Shown instead of the inbox and the host settings to someone who does not host.
#[derive(Template)]
#[template(path = "account/not_a_host.html")]
struct NotAHostPage {
    layout: Layout,
}

/// The friendly 403 page for host-only pages: what hosting is and how to get there.
async fn not_a_host(session: &Session, me: &Account, uri: &Uri) -> Response {
    let page = NotAHostPage { layout: Layout::new(session, Some(me), uri).await };
    render_with_status(StatusCode::FORBIDDEN, &page)
}

/// Ids in paths are numbers; anything else is a page that does not exist (never axum's plain-text 400).
///
/// # Errors
/// A 404 [`PageError`] when `raw` is not a number.
pub fn parse_id(raw: &str) -> Result<i64, PageError> {
    raw.parse::<i64>().map_err(|_| PageError::not_found())
}

/// `true` when htmx sent the request (and a fragment, not a whole page, should be returned).
pub fn is_htmx(headers: &HeaderMap) -> bool {
    headers.get("hx-request").is_some_and(|value| value.as_bytes() == b"true")
        && headers.get("hx-history-restore-request").is_none()
}

/// Form or query fields in submission order, repeated names kept (`topics=a&topics=b`).
///
/// Reading a value never fails: a missing field reads as `""` or an empty list, and the domain's
/// validation then names what is missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct FormFields(Vec<(String, String)>);

impl FormFields {
    /// The first value of `name`, if sent.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// The first value of `name`, or `""`.
    pub fn text(&self, name: &str) -> &str {
        self.get(name).unwrap_or_default()
    }

    /// Every value sent under `name`, in order (a checkbox group, repeated inputs).
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(key, _)| key == name).map(|(_, value)| value.clone()).collect()
    }

    /// `true` when a checkbox named `name` was ticked (browsers omit unticked ones).
    pub fn is_checked(&self, name: &str) -> bool {
        self.get(name).is_some_and(|value| !matches!(value, "" | "0" | "false" | "off"))
    }
}

impl From<Vec<(String, String)>> for FormFields {
    fn from(pairs: Vec<(String, String)>) -> Self {
        FormFields(pairs)
    }
}

/// The page shown for an error status (`templates/error.html`).
#[derive(Debug, Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub layout: Layout,
    pub status: u16,
    pub heading: String,
    pub message: String,
}

/// An HTML error page with this status; `message` is shown as is (callers never pass internal details).
pub fn error_page(status: StatusCode, heading: &str, message: &str) -> Response {
    let page = ErrorPage {
        layout: Layout::anonymous(""),
        status: status.as_u16(),
        heading: heading.to_owned(),
        message: sentence(message),
    };
    match page.render() {
        Ok(body) => (status, Html(body)).into_response(),
        Err(error) => {
            tracing::error!(%error, "error page rendering failed");
            (status, format!("{heading}\n\n{message}\n")).into_response()
        }
    }
}

/// `path?name=value&…` with names and values percent-encoded, for links built in handlers.
pub fn url_with_query(path: &str, pairs: &[(&str, &str)]) -> String {
    let mut url = path.to_owned();
    for (index, (name, value)) in pairs.iter().enumerate() {
        url.push(if index == 0 { '?' } else { '&' });
        url.push_str(&percent_encode(name));
        url.push('=');
        url.push_str(&percent_encode(value));
    }
    url
}

/// Percent-encodes everything except unreserved characters (RFC 3986) and `/` and `:`, which are safe in
/// a query value and keep zone names and instants readable in the address bar.
fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~' | b'/' | b':') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A message from a lower layer as a sentence: first letter upper-case, ending with a full stop.
pub fn sentence(message: &str) -> String {
    let message = message.trim();
    let mut chars = message.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let mut out: String = first.to_uppercase().chain(chars).collect();
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// A field's error message as shown next to it: `"Email must look like name@example.org."`.
///
/// Domain messages are either predicates about the field (`"is required"`, `"must be …"`), which read well
/// after the field's label, or whole statements (`"propose at least one slot"`), shown as a sentence.
/// Templates call it as `{{ crate::pages::field_message("Email", message) }}`.
pub fn field_message(label: &str, message: &str) -> String {
    const PREDICATES: [&str; 6] = ["is ", "must ", "may ", "has ", "should ", "cannot "];
    let message = message.trim();
    if PREDICATES.iter().any(|predicate| message.starts_with(predicate)) {
        sentence(&format!("{label} {message}"))
    } else {
        sentence(message)
    }
}

/// One line of a form's error summary: a link to the field and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorLink {
    /// `#id` of the input to jump to.
    pub href: String,
    pub text: String,
}

/// The error summary shown at the top of a refused form, in the order of `fields`
/// (`(field name, label, input id)`). Errors of fields not listed are shown last, linked to the form.
pub fn error_links(errors: &FieldErrors, fields: &[(&str, &str, &str)]) -> Vec<ErrorLink> {
    let mut links: Vec<ErrorLink> = fields
        .iter()
        .filter_map(|(field, label, id)| {
            errors.get(field).map(|message| ErrorLink { href: format!("#{id}"), text: field_message(label, message) })
        })
        .collect();
    for (field, message) in errors.iter() {
        if !fields.iter().any(|(known, _, _)| *known == field) {
            links.push(ErrorLink { href: "#main".to_owned(), text: sentence(message) });
        }
    }
    links
}

/// Renders a template into an HTML response with the given status.
///
/// Use it for 422 re-renders of forms; for plain 200 pages `askama_web::WebTemplate` does the same.
/// A render failure (a bug, never user input) is logged and answered with a 500 page.
pub fn render_with_status<T: Template>(status: StatusCode, template: &T) -> Response {
    match template.render() {
        Ok(body) => (status, Html(body)).into_response(),
        Err(error) => {
            tracing::error!(%error, "template rendering failed");
            error_page(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong", crate::error::INTERNAL_MESSAGE)
        }
    }
}

/// A form page re-rendered with field messages: status 422 Unprocessable Content.
pub fn unprocessable<T: Template>(template: &T) -> Response {
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, template)
}

/// Renders a template with status 200.
pub fn render<T: Template>(template: &T) -> Response {
    render_with_status(StatusCode::OK, template)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_fields_keep_repeated_names_in_order() {
        let fields = FormFields::from(vec![
            ("topics".to_owned(), "a".to_owned()),
            ("free".to_owned(), "on".to_owned()),
            ("topics".to_owned(), "b".to_owned()),
            ("off".to_owned(), "0".to_owned()),
        ]);
        assert_eq!(fields.all("topics"), vec!["a", "b"]);
        assert_eq!(fields.text("topics"), "a");
        assert_eq!(fields.text("missing"), "");
        assert!(fields.is_checked("free"));
        assert!(!fields.is_checked("off"));
        assert!(!fields.is_checked("missing"));
    }

    #[test]
    fn links_encode_what_would_change_meaning() {
        assert_eq!(
            url_with_query("/h/ada/request", &[("start", "2026-03-03T07:30:00Z"), ("tz", "Etc/GMT+5")]),
            "/h/ada/request?start=2026-03-03T07:30:00Z&tz=Etc/GMT%2B5"
        );
        assert_eq!(url_with_query("/hosts", &[("q", "a&b c")]), "/hosts?q=a%26b%20c");
        assert_eq!(url_with_query("/hosts", &[]), "/hosts");
    }

    #[test]
    fn field_messages_name_the_field_when_they_need_to() {
        assert_eq!(field_message("Email", "must look like name@example.org"), "Email must look like name@example.org.");
        assert_eq!(field_message("Times", "propose at least one slot"), "Propose at least one slot.");
    }

    #[test]
    fn error_summaries_follow_the_form_order() {
        let mut errors = FieldErrors::new();
        errors.add("questions", "at most 12 entries");
        errors.add("purpose", "is required");
        errors.add("mystery", "something else");
        let links = error_links(&errors, &[("purpose", "Purpose", "purpose"), ("questions", "Questions", "questions")]);
        let texts: Vec<&str> = links.iter().map(|link| link.text.as_str()).collect();
        assert_eq!(texts, vec!["Purpose is required.", "At most 12 entries.", "Something else."]);
        assert_eq!(links[0].href, "#purpose");
    }

    #[test]
    fn messages_become_sentences() {
        assert_eq!(sentence("request not found"), "Request not found.");
        assert_eq!(sentence("Done!"), "Done!");
        assert_eq!(sentence("  "), "");
    }

    #[test]
    fn the_current_page_and_its_children_are_current() {
        let layout = Layout::anonymous("/settings/policy");
        assert!(layout.is_current("/settings"));
        assert!(!layout.is_current("/set"));
        assert!(Layout::anonymous("/hosts").is_current("/hosts"));
    }
}
