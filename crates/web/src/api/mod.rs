//! The JSON API under `/api/v1`, its OpenAPI document at `/api/openapi.json` and a readable page at `/api/docs`.
//!
//! Every handler is thin: it reads its input (through [`extract`], so that every failure has the contract's
//! error body), calls one method of [`coffeechat_service::Services`] and answers with one of the views of
//! [`models`]. The routes and the OpenAPI document come from the same `#[utoipa::path]` annotations, so the
//! document cannot drift from what is served.

pub mod accounts;
pub mod aftercare;
pub mod busy;
pub mod calendar;
pub mod docs;
pub mod etiquette;
pub mod extract;
pub mod health;
pub mod hosts;
pub mod interviews;
pub mod matching;
pub mod models;
pub mod notifications;
pub mod overrides;
pub mod programs;
pub mod requests;
pub mod waitlist;

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::Response;
use axum::response::IntoResponse;
use tower_http::catch_panic::CatchPanicLayer;
use utoipa::OpenApi;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::ApiError;

/// The security scheme name used in the document.
pub const BEARER: &str = "bearer";

/// Top-level information of the OpenAPI document; the paths come from the router.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Coffeechat API",
        description = "Informational interviews: hosts publish a few slots under a policy, seekers send prepared \
requests, hosts accept one proposed slot (an interview) or decline with a reason.\n\n\
Authenticate with `POST /api/v1/tokens` and send `Authorization: Bearer <token>`. Times are RFC 3339 instants in \
UTC (`2026-03-02T14:30:00Z`); `time_zone` fields name the IANA zone a person sees them in. Errors have the body \
`{\"error\": {\"code\", \"message\", \"fields\"}}`, where `fields` maps each bad input field to what is wrong."
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "accounts", description = "Sign up, API tokens, the caller's account"),
        (name = "hosts", description = "Host profiles, policies, the directory and free slots"),
        (name = "requests", description = "Requests for a conversation: send, accept, decline, withdraw"),
        (name = "interviews", description = "Accepted conversations: list, cancel, calendar files"),
        (name = "matching", description = "Seeker profiles and the hosts recommended to a seeker, with reasons"),
        (name = "aftercare", description = "After a conversation: thank-you notes, debriefs, talent-pool consent, no-shows, follow-up invitations"),
        (name = "programs", description = "Programs (employers, career centres, agencies): members, invitation links, and matching rounds solved exactly, reviewed, pinned or forbidden, and published as requests"),
        (name = "calendar", description = "The caller's private calendar feed"),
        (name = "busy calendars", description = "Hosts' own calendars (.ics files and feeds) whose events block their time"),
        (name = "preparation", description = "Writing a good request: the etiquette check and the question bank"),
        (name = "health", description = "Operations: liveness (`/healthz`) and readiness (`/readyz`)")
    ),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail))
)]
struct ApiDoc;

/// Adds the bearer-token security scheme that the annotated operations refer to.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(BEARER, SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// The API routes, paired with the OpenAPI document that describes them.
fn documented_routes() -> OpenApiRouter<AppState> {
    let v1 = OpenApiRouter::new()
        .routes(routes!(accounts::sign_up))
        .routes(routes!(etiquette::check))
        .routes(routes!(etiquette::question_bank))
        .routes(routes!(accounts::issue_token))
        .routes(routes!(accounts::me, accounts::update_me))
        .routes(routes!(hosts::my_host_profile, hosts::put_my_host_profile))
        .routes(routes!(hosts::my_policy, hosts::put_my_policy))
        .routes(routes!(overrides::list_overrides, overrides::add_override))
        .routes(routes!(overrides::delete_override))
        .merge(busy::routes())
        .routes(routes!(matching::my_seeker_profile, matching::put_my_seeker_profile))
        .routes(routes!(matching::recommendations))
        .routes(routes!(matching::later_recommendations))
        .routes(routes!(hosts::list_hosts))
        .routes(routes!(hosts::host))
        .routes(routes!(hosts::slots))
        .routes(routes!(requests::create_request, requests::list_requests))
        .routes(routes!(requests::request))
        .routes(routes!(requests::accept))
        .routes(routes!(requests::decline))
        .routes(routes!(requests::withdraw))
        .routes(routes!(waitlist::my_waitlist))
        .routes(routes!(waitlist::leave_waitlist))
        .routes(routes!(notifications::my_notifications))
        .routes(routes!(notifications::mark_read))
        .routes(routes!(programs::create_program, programs::list_programs))
        .routes(routes!(programs::program))
        .routes(routes!(programs::join))
        .routes(routes!(programs::create_invitation))
        .routes(routes!(programs::create_round))
        .routes(routes!(programs::round))
        .routes(routes!(programs::pin))
        .routes(routes!(programs::forbid))
        .routes(routes!(programs::release))
        .routes(routes!(programs::solve))
        .routes(routes!(programs::publish))
        .routes(routes!(interviews::list_interviews))
        .routes(routes!(interviews::interview))
        .routes(routes!(interviews::cancel))
        .routes(routes!(interviews::ics))
        .routes(routes!(aftercare::thanks))
        .routes(routes!(aftercare::debrief))
        .routes(routes!(aftercare::consent))
        .routes(routes!(aftercare::no_show))
        .routes(routes!(aftercare::follow_up))
        .routes(routes!(aftercare::talent_pool))
        .routes(routes!(calendar::reschedule))
        .routes(routes!(calendar::feed, calendar::regenerate_feed, calendar::revoke_feed));
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", v1)
        .routes(routes!(health::healthz))
        .routes(routes!(health::readyz))
}

/// The OpenAPI document of the API (what `/api/openapi.json` serves).
pub fn openapi() -> utoipa::openapi::OpenApi {
    documented_routes().into_openapi()
}

/// The API's routes: `/api/v1/*`, `/healthz`, `/readyz`, `/api/openapi.json` and `/api/docs`.
pub fn router() -> Router<AppState> {
    let (routes, document) = documented_routes().split_for_parts();
    let document = Arc::new(document);
    routes
        .merge(docs::router(document))
        // Inside the application's HTML catch-panic layer: API clients get the JSON error body instead.
        .layer(CatchPanicLayer::custom(panic_json))
}

fn panic_json(panic: Box<dyn std::any::Any + Send + 'static>) -> Response<Body> {
    crate::log_panic(panic.as_ref());
    ApiError::internal().into_response()
}
