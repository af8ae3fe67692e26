//! Requests for a conversation: `/api/v1/requests` and the host's and seeker's actions on one.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use coffeechat_domain::RequestId;

use super::extract::{ApiJson, ApiPath};
use super::models::{AcceptBody, DeclineBody, InterviewView, NewRequestBody, RequestView};
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, ErrorBody};

/// Sends a request to a host (seekers only).
#[utoipa::path(
    post,
    path = "/requests",
    tag = "requests",
    security(("bearer" = [])),
    request_body = NewRequestBody,
    responses(
        (status = 201, description = "Sent; the host decides", body = RequestView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The caller is not a seeker", body = ErrorBody),
        (status = 409, description = "The host is not accepting requests", body = ErrorBody),
        (status = 422, description = "A field is invalid: unknown host, a length the host does not offer, a slot that is not free, an empty purpose, ...", body = ErrorBody),
    )
)]
pub async fn create_request(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiJson(body): ApiJson<NewRequestBody>,
) -> Result<impl IntoResponse, ApiError> {
    let request = state.services.create_request(&me, body.into()).await?;
    let location = format!("/api/v1/requests/{}", request.id);
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(RequestView::new(&request, &me))))
}

/// The caller's requests, as seeker and as host, newest first.
#[utoipa::path(
    get,
    path = "/requests",
    tag = "requests",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's requests", body = Vec<RequestView>),
        (status = 401, description = "Not authenticated", body = ErrorBody),
    )
)]
pub async fn list_requests(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
) -> Result<Json<Vec<RequestView>>, ApiError> {
    let requests = state.services.requests(&me).await?;
    Ok(Json(requests.iter().map(|request| RequestView::new(request, &me)).collect()))
}

/// One request (visible to its seeker and its host only).
#[utoipa::path(
    get,
    path = "/requests/{id}",
    tag = "requests",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Request id")),
    responses(
        (status = 200, description = "The request", body = RequestView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 404, description = "No such request, or not the caller's", body = ErrorBody),
    )
)]
pub async fn request(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<RequestView>, ApiError> {
    let request = state.services.request(&me, RequestId(id)).await?;
    Ok(Json(RequestView::new(&request, &me)))
}

/// Accepts one of the proposed slots (the host only): the interview is booked atomically, so of several
/// accepts of overlapping slots exactly one succeeds.
#[utoipa::path(
    post,
    path = "/requests/{id}/accept",
    tag = "requests",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Request id")),
    request_body = AcceptBody,
    responses(
        (status = 201, description = "Accepted: the new interview", body = InterviewView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The caller is the seeker", body = ErrorBody),
        (status = 404, description = "No such request, or not the caller's", body = ErrorBody),
        (status = 409, description = "The slot is no longer free (another interview or busy time), its day, week or month is full of interviews, or the request is no longer pending; other pending requests never block an acceptance", body = ErrorBody),
        (status = 422, description = "`start` is not one of the proposed starts", body = ErrorBody),
    )
)]
pub async fn accept(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AcceptBody>,
) -> Result<impl IntoResponse, ApiError> {
    let interview = state.services.accept(&me, RequestId(id), &body.start).await?;
    let location = format!("/api/v1/interviews/{}", interview.id);
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(InterviewView::new(&interview, &me))))
}

/// Declines a pending request with a reason (the host only).
#[utoipa::path(
    post,
    path = "/requests/{id}/decline",
    tag = "requests",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Request id")),
    request_body = DeclineBody,
    responses(
        (status = 200, description = "Declined", body = RequestView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The caller is the seeker", body = ErrorBody),
        (status = 404, description = "No such request, or not the caller's", body = ErrorBody),
        (status = 409, description = "The request is no longer pending", body = ErrorBody),
        (status = 422, description = "Unknown reason, or a message too long", body = ErrorBody),
    )
)]
pub async fn decline(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<DeclineBody>,
) -> Result<Json<RequestView>, ApiError> {
    let request = state.services.decline(&me, RequestId(id), &body.reason, &body.message).await?;
    Ok(Json(RequestView::new(&request, &me)))
}

/// Withdraws a pending request (the seeker only). No body.
#[utoipa::path(
    post,
    path = "/requests/{id}/withdraw",
    tag = "requests",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Request id")),
    responses(
        (status = 200, description = "Withdrawn", body = RequestView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The caller is the host", body = ErrorBody),
        (status = 404, description = "No such request, or not the caller's", body = ErrorBody),
        (status = 409, description = "The request is no longer pending", body = ErrorBody),
    )
)]
pub async fn withdraw(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<RequestView>, ApiError> {
    let request = state.services.withdraw(&me, RequestId(id)).await?;
    Ok(Json(RequestView::new(&request, &me)))
}
