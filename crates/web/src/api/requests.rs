//! Requests for a conversation: `/api/v1/requests` and the host's and seeker's actions on one.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use coffeechat_domain::RequestId;
use coffeechat_service::RequestOutcome;

use super::etiquette::FindingView;
use super::extract::{ApiJson, ApiPath};
use super::models::{
    AcceptBody, DeclineBody, HostFullView, InterviewView, NewRequestBody, RequestView, SentRequestView, SuggestionView,
    WaitlistEntryView, WaitlistedView,
};
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, ErrorBody};

/// Sends a request to a host (seekers only), through the host's rules: the preparation gate, the etiquette
/// check, once-is-enough, one open request per host and the open-request limit; then, when the host is full
/// (paused, or no free slot in their horizon, or others in line first), the host's overflow setting: a place on
/// the waitlist (202) or a kind refusal with similar hosts (409). Every 422 names its field and starts its
/// message with the rule (`min_questions`, `purpose_required`, `topics_from_bank`, `length_offered`,
/// `once_is_enough`, `one_pending_per_host`, `open_request_limit`, or an etiquette rule in block mode).
#[utoipa::path(
    post,
    path = "/requests",
    tag = "requests",
    security(("bearer" = [])),
    request_body = NewRequestBody,
    responses(
        (status = 201, description = "Sent; the host decides. `findings`: what the etiquette check found (the host sees them too)", body = SentRequestView),
        (status = 202, description = "The host is full and keeps a waitlist: the seeker is in line", body = WaitlistedView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The caller is not a seeker", body = ErrorBody),
        (status = 409, description = "The host is full and declines at once (`rule: host_full`), with up to 3 similar hosts who have time now", body = HostFullView),
        (status = 422, description = "A rule or field refuses it: too few questions, an empty purpose, topics outside the question bank, a length over the host's, etiquette findings in block mode, once is enough, a second open request to the host, the open-request limit, an unknown host, a slot that is not free, ...", body = ErrorBody),
    )
)]
pub async fn create_request(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiJson(body): ApiJson<NewRequestBody>,
) -> Result<Response, ApiError> {
    let zone = me.time_zone.clone();
    Ok(match state.services.send_request(&me, body.into(), &zone).await? {
        RequestOutcome::Sent { request, findings } => {
            let location = format!("/api/v1/requests/{}", request.id);
            let view = SentRequestView {
                request: RequestView::new(&request, &me),
                findings: findings.into_iter().map(FindingView::from).collect(),
            };
            (StatusCode::CREATED, [(header::LOCATION, location)], Json(view)).into_response()
        }
        RequestOutcome::Waitlisted { entry, next_opening } => {
            let position = entry.position.unwrap_or(1);
            let view = WaitlistedView {
                status: "waitlisted".to_owned(),
                waitlist_id: entry.id.0,
                position,
                host: WaitlistEntryView::from(&entry).host,
                next_opening,
                message: format!(
                    "{} is full for now. You are number {position} on their waitlist; when it is your turn, an \
                     opening is kept for you for 48 hours.",
                    entry.host.name
                ),
            };
            (StatusCode::ACCEPTED, Json(view)).into_response()
        }
        RequestOutcome::HostFull(full) => {
            let view = HostFullView {
                error: full.message,
                field: "host".to_owned(),
                rule: "host_full".to_owned(),
                next_opening: full.next_opening,
                suggestions: full.suggestions.iter().map(SuggestionView::from).collect(),
            };
            (StatusCode::CONFLICT, Json(view)).into_response()
        }
    })
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
