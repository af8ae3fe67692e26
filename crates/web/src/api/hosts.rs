//! The caller's host profile and policy (`/api/v1/me/...`), the directory (`/api/v1/hosts`), a host's
//! public profile and free slots.

use axum::Json;
use axum::extract::State;
use coffeechat_domain::{FieldErrors, TimeZoneName};
use coffeechat_service::{DirectoryQuery, SlotQuery};
use jiff::civil::Date;

use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::matching::{HostProfileWithBackgroundBody, HostProfileWithBackgroundView};
use super::models::{HostDetailView, HostView, HostsQuery, Policy, SlotView, SlotsQuery};
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, ErrorBody};

/// The caller's host profile.
#[utoipa::path(
    get,
    path = "/me/host-profile",
    tag = "hosts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's profile", body = HostProfileWithBackgroundView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The caller is not a host", body = ErrorBody),
        (status = 404, description = "No profile yet: PUT one", body = ErrorBody),
    )
)]
pub async fn my_host_profile(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
) -> Result<Json<HostProfileWithBackgroundView>, ApiError> {
    match state.services.host_profile(&me).await? {
        Some(profile) => {
            let background = state.services.host_background(&me).await?;
            Ok(Json(HostProfileWithBackgroundView::new(&profile, &background)))
        }
        None => Err(ApiError::not_found("you have no host profile yet; PUT one to this address")),
    }
}

/// Creates or replaces the caller's host profile.
#[utoipa::path(
    put,
    path = "/me/host-profile",
    tag = "hosts",
    security(("bearer" = [])),
    request_body = HostProfileWithBackgroundBody,
    responses(
        (status = 200, description = "The stored profile", body = HostProfileWithBackgroundView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The caller is not a host", body = ErrorBody),
        (status = 422, description = "A field is invalid, or the handle is taken", body = ErrorBody),
    )
)]
pub async fn put_my_host_profile(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiJson(body): ApiJson<HostProfileWithBackgroundBody>,
) -> Result<Json<HostProfileWithBackgroundView>, ApiError> {
    let (profile, background) = body.into_inputs();
    let (profile, background) = state.services.put_host_profile_with_background(&me, profile, background).await?;
    Ok(Json(HostProfileWithBackgroundView::new(&profile, &background)))
}

/// The caller's policy (a starter policy until they set one).
#[utoipa::path(
    get,
    path = "/me/policy",
    tag = "hosts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's policy", body = Policy),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The caller is not a host", body = ErrorBody),
    )
)]
pub async fn my_policy(State(state): State<AppState>, ApiUser(me): ApiUser) -> Result<Json<Policy>, ApiError> {
    let policy = state.services.policy(&me).await?;
    let rules = state.services.request_rules(&me).await?;
    Ok(Json(Policy::with_rules(&policy, &rules)))
}

/// Replaces the caller's policy.
#[utoipa::path(
    put,
    path = "/me/policy",
    tag = "hosts",
    security(("bearer" = [])),
    request_body = Policy,
    responses(
        (status = 200, description = "The stored policy", body = Policy),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The caller is not a host", body = ErrorBody),
        (status = 422, description = "A field is invalid (unknown zone, a window ending before it starts, overlapping windows, cap outside 1–100, `etiquette_mode` not warn/block, `min_questions` outside 1–10, `overflow` not waitlist/decline, `expiry_days` outside 1–60, ...); nothing is changed", body = ErrorBody),
    )
)]
pub async fn put_my_policy(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiJson(body): ApiJson<Policy>,
) -> Result<Json<Policy>, ApiError> {
    let rules = body.rules_input();
    let (policy, rules) = state.services.put_policy_and_rules(&me, body.into(), rules).await?;
    Ok(Json(Policy::with_rules(&policy, &rules)))
}

/// The directory: hosts matching a text search and filters, best match first.
#[utoipa::path(
    get,
    path = "/hosts",
    tag = "hosts",
    params(HostsQuery),
    responses(
        (status = 200, description = "Matching hosts", body = Vec<HostView>),
        (status = 400, description = "Malformed query", body = ErrorBody),
    )
)]
pub async fn list_hosts(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<HostsQuery>,
) -> Result<Json<Vec<HostView>>, ApiError> {
    let listings = state
        .services
        .directory(DirectoryQuery {
            text: query.q,
            industry: query.industry,
            skill: query.skill,
            has_free_slots: query.has_free_slots.unwrap_or(false),
            limit: query.limit.unwrap_or(0).min(100),
        })
        .await?;
    Ok(Json(listings.iter().map(HostView::from).collect()))
}

/// A host's public profile.
#[utoipa::path(
    get,
    path = "/hosts/{handle}",
    tag = "hosts",
    params(("handle" = String, Path, description = "The host's handle")),
    responses(
        (status = 200, description = "The host", body = HostDetailView),
        (status = 404, description = "No host has this handle", body = ErrorBody),
    )
)]
pub async fn host(
    State(state): State<AppState>,
    ApiPath(handle): ApiPath<String>,
) -> Result<Json<HostDetailView>, ApiError> {
    // The slot listing carries the profile, the effective policy and the next free slot; the outlook adds room,
    // response time and the host's request rules.
    let host = state.services.host(&handle).await?;
    let (list, outlook) = tokio::try_join!(
        state.services.free_slots_of(host.clone(), SlotQuery::default()),
        state.services.host_outlook_of(host, None),
    )?;
    Ok(Json(HostDetailView::new(&list, &outlook)))
}

/// A host's free slots: the weekly windows, or on overridden dates the override's hours (none on a day off), minus
/// booked interviews and the times pending requests hold (with buffers), minus minimum notice, within the
/// horizon, stepped by the host's slot increment, and none in a day, week or month (host zone) whose cap is
/// reached.
#[utoipa::path(
    get,
    path = "/hosts/{handle}/slots",
    tag = "hosts",
    params(("handle" = String, Path, description = "The host's handle"), SlotsQuery),
    responses(
        (status = 200, description = "Free slots in start order", body = Vec<SlotView>),
        (status = 404, description = "No host has this handle", body = ErrorBody),
        (status = 422, description = "A bad date, length or zone (the field is named)", body = ErrorBody),
    )
)]
pub async fn slots(
    State(state): State<AppState>,
    ApiPath(handle): ApiPath<String>,
    ApiQuery(query): ApiQuery<SlotsQuery>,
) -> Result<Json<Vec<SlotView>>, ApiError> {
    let query = parse_slot_query(query)?;
    let list = state.services.free_slots(&handle, query).await?;
    Ok(Json(list.slots.iter().map(|slot| SlotView { start: slot.start, end: slot.end }).collect()))
}

/// Reads the query's text into typed values, naming each parameter that does not parse.
fn parse_slot_query(query: SlotsQuery) -> Result<SlotQuery, ApiError> {
    let mut errors = FieldErrors::new();
    let mut date = |field: &str, raw: Option<String>| {
        let raw = raw.filter(|raw| !raw.trim().is_empty())?;
        errors.check(field, raw.trim().parse::<Date>().map_err(|_| format!("'{raw}' is not a date; use YYYY-MM-DD")))
    };
    let from = date("from", query.from);
    let to = date("to", query.to);
    let length_minutes = query.length.filter(|raw| !raw.trim().is_empty()).and_then(|raw| {
        errors.check("length", raw.trim().parse::<i64>().map_err(|_| format!("'{raw}' is not a number of minutes")))
    });
    let zone =
        query.zone.filter(|raw| !raw.trim().is_empty()).and_then(|raw| errors.check("zone", TimeZoneName::parse(&raw)));
    if errors.is_empty() { Ok(SlotQuery { from, to, length_minutes, zone }) } else { Err(ApiError::invalid(errors)) }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use super::*;

    #[test]
    fn every_unreadable_slot_parameter_is_named() {
        let error = parse_slot_query(SlotsQuery {
            from: Some("2026-13-01".into()),
            to: Some("soon".into()),
            length: Some("half an hour".into()),
            zone: Some("Mars/Olympus".into()),
        })
        .unwrap_err();
        for field in ["from", "to", "length", "zone"] {
            assert!(error.fields().get(field).is_some(), "{field} should be named: {:?}", error.fields());
        }
    }

    #[test]
    fn empty_parameters_mean_the_defaults() {
        let query = parse_slot_query(SlotsQuery {
            from: Some(String::new()),
            to: None,
            length: Some("30".into()),
            zone: Some("Europe/London".into()),
        })
        .unwrap();
        assert_eq!(query.from, None);
        assert_eq!(query.length_minutes, Some(30));
        assert_eq!(query.zone.map(|zone| zone.as_str().to_owned()).as_deref(), Some("Europe/London"));
    }
}
