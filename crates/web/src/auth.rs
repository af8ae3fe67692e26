//! Who is calling: extractors that turn a bearer token or the session cookie into an [`Account`],
//! and the functions that start and end a browser session.
//!
//! A handler that needs a user takes [`ApiUser`] (JSON API) or [`SessionUser`] (pages) as an argument,
//! so it cannot forget to check: without a valid caller the handler never runs.

use std::convert::Infallible;

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::{HeaderValue, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use coffeechat_domain::AccountId;
use coffeechat_service::Account;
use tower_sessions::Session;

use crate::AppState;
use crate::error::{ApiError, PageError};

/// Session key holding the signed-in account's id.
pub const ACCOUNT_KEY: &str = "account_id";

/// The caller of an API route: `Authorization: Bearer <token>`, or else the browser session.
///
/// Rejects with 401 (JSON). A request that sends an `Authorization` header is judged by it alone:
/// a wrong token is a 401 even when a session cookie is present, so clients learn their token is bad.
#[derive(Debug, Clone)]
pub struct ApiUser(pub Account);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(header) = parts.headers.get(AUTHORIZATION) {
            let token = bearer_token(header)
                .ok_or_else(|| ApiError::unauthorized("the Authorization header must be 'Bearer <token>'"))?;
            return match state.services.account_for_token(token).await? {
                Some(account) => Ok(ApiUser(account)),
                None => Err(ApiError::unauthorized("the bearer token is not valid")),
            };
        }
        match session_account(parts, state).await {
            Ok(Some(account)) => Ok(ApiUser(account)),
            Ok(None) => Err(ApiError::unauthorized(
                "authentication required: send 'Authorization: Bearer <token>' (POST /api/v1/tokens issues one)",
            )),
            Err(error) => {
                tracing::error!(%error, "could not read the session");
                Err(ApiError::internal())
            }
        }
    }
}

/// The signed-in user of a page (session cookie only).
///
/// Rejects a visitor with a 303 redirect to `/login?next=<this page>`.
#[derive(Debug, Clone)]
pub struct SessionUser(pub Account);

impl FromRequestParts<AppState> for SessionUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match session_account(parts, state).await {
            Ok(Some(account)) => Ok(SessionUser(account)),
            Ok(None) => Err(Redirect::to(&login_url(&parts.uri)).into_response()),
            Err(error) => Err(PageError::internal(error).into_response()),
        }
    }
}

/// The signed-in user if there is one; never rejects (public pages show "Log in" or the user's name).
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<Account>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match session_account(parts, state).await {
            Ok(account) => Ok(MaybeUser(account)),
            Err(error) => {
                // A public page still renders for a visitor whose session cannot be read.
                tracing::warn!(%error, "could not read the session; treating the visitor as logged out");
                Ok(MaybeUser(None))
            }
        }
    }
}

/// Signs `account` in on this browser: a fresh session id (so an id planted before login is useless)
/// that remembers the account.
///
/// # Errors
/// A [`PageError`] (500) when the session store fails.
pub async fn start_session(session: &Session, account: &Account) -> Result<(), PageError> {
    session.cycle_id().await?;
    session.insert(ACCOUNT_KEY, account.id).await?;
    Ok(())
}

/// Signs the browser out: deletes the session record and clears the cookie.
///
/// # Errors
/// A [`PageError`] (500) when the session store fails.
pub async fn end_session(session: &Session) -> Result<(), PageError> {
    session.flush().await?;
    Ok(())
}

/// Why the session could not be read.
#[derive(Debug, thiserror::Error)]
enum SessionReadError {
    #[error("session store: {0}")]
    Session(#[from] tower_sessions::session::Error),
    #[error(transparent)]
    Service(#[from] coffeechat_service::ServiceError),
}

/// The account the session cookie belongs to, if any.
async fn session_account(parts: &Parts, state: &AppState) -> Result<Option<Account>, SessionReadError> {
    // Present whenever the session layer is installed (always, through `crate::app`).
    let Some(session) = parts.extensions.get::<Session>() else {
        return Ok(None);
    };
    let Some(id) = session.get::<AccountId>(ACCOUNT_KEY).await? else {
        return Ok(None);
    };
    Ok(state.services.account(id).await?)
}

/// The token of an `Authorization: Bearer <token>` header.
fn bearer_token(header: &HeaderValue) -> Option<&str> {
    let value = header.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// `/login?next=<path and query>`, the page to come back to after logging in.
fn login_url(uri: &Uri) -> String {
    let next = uri.path_and_query().map_or("/", |pq| pq.as_str());
    format!("/login?next={}", percent_encode(next))
}

/// Percent-encodes everything but unreserved characters and `/`, for a query parameter value.
fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use super::*;

    #[test]
    fn bearer_tokens_are_read_case_insensitively_and_trimmed() {
        assert_eq!(bearer_token(&HeaderValue::from_static("Bearer abc123")), Some("abc123"));
        assert_eq!(bearer_token(&HeaderValue::from_static("bearer   abc123 ")), Some("abc123"));
        assert_eq!(bearer_token(&HeaderValue::from_static("Basic abc123")), None);
        assert_eq!(bearer_token(&HeaderValue::from_static("Bearer")), None);
    }

    #[test]
    fn the_login_redirect_keeps_the_page_and_its_query() {
        let uri: Uri = "/requests/7?tab=new&x=a b".replace(' ', "%20").parse().unwrap();
        assert_eq!(login_url(&uri), "/login?next=/requests/7%3Ftab%3Dnew%26x%3Da%2520b");
        assert_eq!(login_url(&Uri::from_static("/dashboard")), "/login?next=/dashboard");
    }
}
