//! Signing up, logging in and logging out in the browser.
//!
//! Both forms keep what was typed (never the password) when they are refused. After logging in the user
//! returns to the page that sent them here (`next`), but only when that is a path on this site: an
//! absolute or protocol-relative URL in `next` is ignored, so a link can never bounce a user elsewhere.

use askama::Template;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use coffeechat_domain::FieldErrors;
use coffeechat_service::{Account, ServiceError, SignUpInput};
use tower_sessions::Session;

use super::{FlashKind, FormFields, Layout, render, render_with_status, set_flash, unprocessable};
use crate::AppState;
use crate::auth::{MaybeUser, end_session, start_session};
use crate::display::{self, ZoneOption};
use crate::error::PageError;

/// Routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/signup", get(signup_form).post(signup))
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
}

/// `next` when it is a path on this site that can go in a `Location` header, else `None`.
///
/// Refused: anything not starting with a single `/` (`https://…`, `//evil.example`, `/\evil.example`,
/// which browsers read as another host), and anything with spaces, control or non-ASCII characters.
pub fn safe_next(next: &str) -> Option<&str> {
    let next = next.trim();
    let local = next.starts_with('/') && !next.starts_with("//") && !next.contains('\\');
    (local && next.bytes().all(|byte| byte.is_ascii_graphic())).then_some(next)
}

/// Where a user lands after signing in when no (safe) `next` was given.
fn landing_page(account: &Account) -> &'static str {
    if account.roles.host && !account.roles.seeker { "/dashboard" } else { "/hosts" }
}

// ---------------------------------------------------------------------------------------------------------------
// Sign up

#[derive(Debug, Template)]
#[template(path = "auth/signup.html")]
struct SignupPage {
    layout: Layout,
    email: String,
    name: String,
    host: bool,
    seeker: bool,
    zone_options: Vec<ZoneOption>,
    next: String,
    errors: FieldErrors,
}

impl SignupPage {
    fn blank(layout: Layout, fields: &FormFields, now: jiff::Timestamp) -> Self {
        let role = fields.text("role");
        let zone = layout.viewer_zone.as_ref().map_or("UTC", |zone| zone.as_str()).to_owned();
        SignupPage {
            layout,
            email: String::new(),
            name: String::new(),
            host: role == "host" || role == "both",
            seeker: role != "host",
            zone_options: display::zone_options(&zone, now),
            next: safe_next(fields.text("next")).unwrap_or_default().to_owned(),
            errors: FieldErrors::new(),
        }
    }
}

async fn signup_form(
    State(state): State<AppState>,
    session: Session,
    MaybeUser(user): MaybeUser,
    uri: Uri,
    Query(fields): Query<FormFields>,
) -> Response {
    if user.is_some() {
        return Redirect::to("/dashboard").into_response();
    }
    let layout = Layout::new(&session, None, &uri).await;
    render(&SignupPage::blank(layout, &fields, state.services.now()))
}

async fn signup(
    State(state): State<AppState>,
    session: Session,
    uri: Uri,
    Form(fields): Form<FormFields>,
) -> Result<Response, PageError> {
    let input = SignUpInput {
        email: fields.text("email").trim().to_owned(),
        password: fields.text("password").to_owned(),
        name: fields.text("name").trim().to_owned(),
        roles: fields.all("roles"),
        time_zone: fields.text("time_zone").trim().to_owned(),
    };
    let next = safe_next(fields.text("next")).map(str::to_owned);
    match state.services.sign_up(input.clone()).await {
        Ok(account) => {
            start_session(&session, &account).await?;
            let first_step = if account.roles.host {
                "Welcome to Coffeechat! Start with your host profile, so seekers can find you."
            } else {
                "Welcome to Coffeechat! Find someone whose work you're curious about."
            };
            set_flash(&session, FlashKind::Success, first_step).await;
            let target = next.as_deref().unwrap_or(if account.roles.host { "/settings/profile" } else { "/hosts" });
            Ok(Redirect::to(target).into_response())
        }
        Err(ServiceError::Invalid(errors)) => {
            let layout = Layout::new(&session, None, &uri).await;
            let page = SignupPage {
                layout,
                host: input.roles.iter().any(|role| role == "host"),
                seeker: input.roles.iter().any(|role| role == "seeker"),
                zone_options: display::zone_options(&input.time_zone, state.services.now()),
                email: input.email,
                name: input.name,
                next: next.unwrap_or_default(),
                errors,
            };
            Ok(unprocessable(&page))
        }
        Err(other) => Err(other.into()),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Log in and out

#[derive(Debug, Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    layout: Layout,
    email: String,
    next: String,
    error: Option<String>,
}

async fn login_form(
    session: Session,
    MaybeUser(user): MaybeUser,
    uri: Uri,
    Query(fields): Query<FormFields>,
) -> Response {
    let next = safe_next(fields.text("next"));
    if let Some(account) = &user {
        return Redirect::to(next.unwrap_or(landing_page(account))).into_response();
    }
    let layout = Layout::new(&session, None, &uri).await;
    render(&LoginPage { layout, email: String::new(), next: next.unwrap_or_default().to_owned(), error: None })
}

async fn login(
    State(state): State<AppState>,
    session: Session,
    uri: Uri,
    Form(fields): Form<FormFields>,
) -> Result<Response, PageError> {
    let email = fields.text("email").trim().to_owned();
    let next = safe_next(fields.text("next")).map(str::to_owned);
    match state.services.log_in(&email, fields.text("password")).await {
        Ok(account) => {
            start_session(&session, &account).await?;
            set_flash(&session, FlashKind::Success, format!("Welcome back, {}.", account.name)).await;
            Ok(Redirect::to(next.as_deref().unwrap_or(landing_page(&account))).into_response())
        }
        Err(ServiceError::Unauthorized | ServiceError::Invalid(_)) => {
            let layout = Layout::new(&session, None, &uri).await;
            let page = LoginPage {
                layout,
                email,
                next: next.unwrap_or_default(),
                error: Some("That email and password don't match an account. Check both and try again.".to_owned()),
            };
            Ok(render_with_status(StatusCode::UNAUTHORIZED, &page))
        }
        Err(other) => Err(other.into()),
    }
}

async fn logout(session: Session) -> Result<Response, PageError> {
    end_session(&session).await?;
    set_flash(&session, FlashKind::Info, "You're logged out. See you soon.").await;
    Ok(Redirect::to("/").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(safe_next("/requests/7?tab=new"), Some("/requests/7?tab=new"));
        assert_eq!(safe_next(" /dashboard "), Some("/dashboard"));
        for bad in [
            "",
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "javascript:alert(1)",
            "/path with space",
            "/caf\u{e9}",
            "/a\r\nSet-Cookie: x=1",
        ] {
            assert_eq!(safe_next(bad), None, "{bad:?} must not be followed");
        }
    }
}
