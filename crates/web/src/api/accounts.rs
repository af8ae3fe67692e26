//! `POST /api/v1/accounts`, `POST /api/v1/tokens`, `GET|PUT /api/v1/me`.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;

use super::extract::ApiJson;
use super::models::{AccountSettingsBody, AccountView, SignUpBody, TokenBody, TokenView};
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, ErrorBody};

/// Creates an account (a host, a seeker, or both).
#[utoipa::path(
    post,
    path = "/accounts",
    tag = "accounts",
    request_body = SignUpBody,
    responses(
        (status = 201, description = "Created", body = AccountView),
        (status = 400, description = "Not a JSON object", body = ErrorBody),
        (status = 422, description = "A field is invalid (malformed email, unknown time zone, taken email, ...)", body = ErrorBody),
    )
)]
pub async fn sign_up(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<SignUpBody>,
) -> Result<impl IntoResponse, ApiError> {
    let account = state.services.sign_up(body.into()).await?;
    Ok((StatusCode::CREATED, [(header::LOCATION, "/api/v1/me")], Json(AccountView::from(&account))))
}

/// Exchanges email and password for an API token.
#[utoipa::path(
    post,
    path = "/tokens",
    tag = "accounts",
    request_body = TokenBody,
    responses(
        (status = 201, description = "A new token; send it as `Authorization: Bearer <token>`", body = TokenView),
        (status = 401, description = "Email or password is wrong", body = ErrorBody),
    )
)]
pub async fn issue_token(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<TokenBody>,
) -> Result<impl IntoResponse, ApiError> {
    let token = state.services.issue_api_token(&body.email, &body.password).await?;
    Ok((StatusCode::CREATED, Json(TokenView { token, token_type: "Bearer".to_owned() })))
}

/// The caller's account.
#[utoipa::path(
    get,
    path = "/me",
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's account", body = AccountView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
    )
)]
pub async fn me(ApiUser(me): ApiUser) -> Json<AccountView> {
    Json(AccountView::from(&me))
}

/// Changes the caller's name, time zone and roles (roles can be added, not removed).
#[utoipa::path(
    put,
    path = "/me",
    tag = "accounts",
    security(("bearer" = [])),
    request_body = AccountSettingsBody,
    responses(
        (status = 200, description = "The updated account", body = AccountView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 422, description = "A field is invalid (unknown time zone, a role removed, ...)", body = ErrorBody),
    )
)]
pub async fn update_me(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiJson(body): ApiJson<AccountSettingsBody>,
) -> Result<Json<AccountView>, ApiError> {
    let account = state.services.update_account(&me, body.into()).await?;
    Ok(Json(AccountView::from(&account)))
}
