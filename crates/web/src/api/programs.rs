//! Programs and their matching rounds: `/api/v1/programs`, invitations, and rounds (propose, pin, forbid,
//! release, re-solve, publish).
//!
//! A program is visible to its members only (404 for anyone else); invitations and rounds are for its admins
//! (403 for other members).

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use coffeechat_domain::{AccountId, NewProgramInput, ProgramId, RoundHostInput, RoundId, RoundInput, RoundSeekerInput};
use coffeechat_service::{ProgramDetail, Published, RoundDetail};
use coffeechat_store::{ConstraintKind, ProgramMembership, RoundRecord};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::{ApiJson, ApiPath, parse_json};
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, ErrorBody};

/// A new program; the caller becomes its admin.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ProgramBody {
    #[schema(example = "Spring career-change cohort")]
    pub name: String,
    /// `employer`, `career_centre` or `agency`.
    #[schema(example = "career_centre")]
    pub kind: String,
}

/// A program and the caller's roles in it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProgramView {
    pub id: i64,
    pub name: String,
    /// `employer`, `career_centre` or `agency`.
    pub kind: String,
    /// The caller's roles: `admin`, `host`, `seeker`.
    pub roles: Vec<String>,
    /// RFC 3339, UTC.
    pub created_at: String,
}

impl From<&ProgramMembership> for ProgramView {
    fn from(membership: &ProgramMembership) -> Self {
        let program = &membership.program;
        ProgramView {
            id: program.id.0,
            name: program.name.clone(),
            kind: program.kind.as_str().to_owned(),
            roles: membership.roles.iter().map(|role| role.as_str().to_owned()).collect(),
            created_at: program.created_at.to_string(),
        }
    }
}

/// A member in one role.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MemberView {
    /// Account id: what rounds name seekers and hosts by.
    pub id: i64,
    pub name: String,
    /// `admin`, `host` or `seeker`.
    pub role: String,
    /// Their host page handle, when they host.
    pub handle: Option<String>,
}

/// A round as listed on its program.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RoundSummaryView {
    pub id: i64,
    /// `proposed` or `published`.
    pub status: String,
    pub pairs: usize,
    pub total_score: u64,
    pub unmatched: usize,
    pub created_at: String,
}

impl From<&RoundRecord> for RoundSummaryView {
    fn from(round: &RoundRecord) -> Self {
        RoundSummaryView {
            id: round.id.0,
            status: round.status.as_str().to_owned(),
            pairs: round.proposal.pairs.len(),
            total_score: round.proposal.total_score,
            unmatched: round.proposal.unmatched.len(),
            created_at: round.created_at.to_string(),
        }
    }
}

/// A program with its members and (for admins) its rounds.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProgramDetailView {
    #[serde(flatten)]
    pub program: ProgramView,
    /// By role (admins, hosts, seekers), then name.
    pub members: Vec<MemberView>,
    /// Newest first; empty for members who are not admins.
    pub rounds: Vec<RoundSummaryView>,
}

impl From<&ProgramDetail> for ProgramDetailView {
    fn from(detail: &ProgramDetail) -> Self {
        let membership = ProgramMembership { program: detail.program.clone(), roles: detail.my_roles.clone() };
        ProgramDetailView {
            program: ProgramView::from(&membership),
            members: detail
                .members
                .iter()
                .map(|member| MemberView {
                    id: member.account_id.0,
                    name: member.name.clone(),
                    role: member.role.as_str().to_owned(),
                    handle: member.handle.as_ref().map(|handle| handle.as_str().to_owned()),
                })
                .collect(),
            rounds: detail.rounds.iter().map(RoundSummaryView::from).collect(),
        }
    }
}

/// Optional body of a new invitation.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct InvitationBody {
    /// `host` or `seeker`; absent: whoever joins takes part in the roles their account has.
    #[serde(default)]
    #[schema(example = "seeker")]
    pub role: Option<String>,
}

/// An invitation link.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InvitationView {
    /// `{site}/join/{token}`: a page where a signed-in user joins (or signs up, then joins). Only the token's
    /// hash is stored, so the link cannot be shown again: keep it.
    #[schema(example = "http://127.0.0.1:8080/join/0sVh3…")]
    pub url: String,
    pub role: Option<String>,
}

/// A seeker of a new round.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub struct RoundSeekerBody {
    /// Account id of a seeker member.
    pub id: i64,
    /// Interviews wanted this round, 1–3 (default: `default_wanted`).
    #[serde(default)]
    pub wanted: Option<i64>,
}

/// A host of a new round.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub struct RoundHostBody {
    /// Account id of a host member.
    pub id: i64,
    /// Interviews to give this round; default and maximum: the host's remaining monthly cap.
    #[serde(default)]
    pub capacity: Option<i64>,
}

/// A new matching round. Omitted lists mean every seeker (host) member of the program; hosts without a host
/// profile yet are left out then (listing one of them is a 422).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct RoundBody {
    pub seekers: Option<Vec<RoundSeekerBody>>,
    pub hosts: Option<Vec<RoundHostBody>>,
    /// Interviews wanted by seekers who do not say, 1–3 (default 1).
    #[schema(example = 2)]
    pub default_wanted: Option<i64>,
    /// 0 (off, default) to 100, whole numbers: favours seekers who have had fewer interviews. Half of the weight
    /// is set aside from relevance and given back in proportion to how far a seeker is below the round's most
    /// experienced seeker (integer arithmetic; every score stays in 1–100).
    #[schema(example = 30)]
    pub fairness_weight: Option<f64>,
    /// More than 0, at most 1 (absent: no cap): no host gets more than ceil(share × the interviews wanted in the
    /// round). The share is of what is wanted, not of what ends up matched, so it is a plain capacity cap and the
    /// result stays an exact optimum.
    #[schema(example = 0.25)]
    pub max_host_share: Option<f64>,
}

impl From<RoundBody> for RoundInput {
    fn from(body: RoundBody) -> Self {
        RoundInput {
            seekers: body.seekers.map(|seekers| {
                seekers.into_iter().map(|seeker| RoundSeekerInput { id: seeker.id, wanted: seeker.wanted }).collect()
            }),
            hosts: body.hosts.map(|hosts| {
                hosts.into_iter().map(|host| RoundHostInput { id: host.id, capacity: host.capacity }).collect()
            }),
            default_wanted: body.default_wanted,
            fairness_weight: body.fairness_weight,
            max_host_share: body.max_host_share,
        }
    }
}

/// A pair of a round to pin, forbid or release.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
pub struct PairBody {
    /// Seeker's account id.
    pub seeker: i64,
    /// Host's account id.
    pub host: i64,
}

/// One pair of a proposal.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PairView {
    /// Seeker's account id.
    pub seeker: i64,
    /// Host's account id.
    pub host: i64,
    pub seeker_name: String,
    pub host_name: String,
    pub host_handle: Option<String>,
    /// Relevance with the fairness weight applied, 1–100: what the solver maximised.
    pub score: u8,
    /// Why this pair, in words (relevance first, then fairness).
    pub reasons: Vec<String>,
    /// Forced in by an admin.
    pub pinned: bool,
}

/// A seeker who got fewer interviews than wanted.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UnmatchedView {
    pub seeker: i64,
    pub seeker_name: String,
    pub wanted: u8,
    pub matched: u8,
    /// No host with capacity left, or every candidate host excluded (met, declined, same employer, forbidden).
    pub why: String,
}

/// An admin's decision about a pair.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ConstraintView {
    pub seeker: i64,
    pub host: i64,
    /// `pin` or `forbid`.
    pub kind: String,
}

/// A seeker taking part.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RoundSeekerView {
    pub id: i64,
    pub name: String,
    pub wanted: u8,
    /// Interviews that took place before the round (what fairness favours the fewest of).
    pub interviews_had: u32,
}

/// A host taking part.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RoundHostView {
    pub id: i64,
    pub name: String,
    /// Interviews they give in this round (at most their remaining monthly cap, before the share cap).
    pub capacity: u8,
}

/// A round and its proposal.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProposalView {
    /// The round's id.
    pub id: i64,
    pub program_id: i64,
    /// `proposed` or `published`.
    pub status: String,
    /// By seeker, then host.
    pub pairs: Vec<PairView>,
    pub total_score: u64,
    pub unmatched: Vec<UnmatchedView>,
    pub constraints: Vec<ConstraintView>,
    /// Pins or forbids changed since this proposal was computed: re-solve before publishing.
    pub stale: bool,
    pub fairness_weight: u8,
    pub max_host_share: Option<f64>,
    pub seekers: Vec<RoundSeekerView>,
    pub hosts: Vec<RoundHostView>,
    /// The requests publishing created.
    pub published_requests: Vec<i64>,
}

impl From<&RoundDetail> for ProposalView {
    fn from(detail: &RoundDetail) -> Self {
        let round = &detail.round;
        let handle = |id: AccountId| {
            detail.people.get(&id).and_then(|person| person.handle.as_ref()).map(|handle| handle.as_str().to_owned())
        };
        ProposalView {
            id: round.id.0,
            program_id: round.program_id.0,
            status: round.status.as_str().to_owned(),
            pairs: round
                .proposal
                .pairs
                .iter()
                .map(|pair| PairView {
                    seeker: pair.seeker.0,
                    host: pair.host.0,
                    seeker_name: detail.name(pair.seeker),
                    host_name: detail.name(pair.host),
                    host_handle: handle(pair.host),
                    score: pair.score,
                    reasons: pair.reasons.clone(),
                    pinned: pair.pinned,
                })
                .collect(),
            total_score: round.proposal.total_score,
            unmatched: round
                .proposal
                .unmatched
                .iter()
                .map(|unmatched| UnmatchedView {
                    seeker: unmatched.seeker.0,
                    seeker_name: detail.name(unmatched.seeker),
                    wanted: unmatched.wanted,
                    matched: unmatched.matched,
                    why: unmatched.why.clone(),
                })
                .collect(),
            constraints: round
                .constraints
                .iter()
                .map(|constraint| ConstraintView {
                    seeker: constraint.seeker.0,
                    host: constraint.host.0,
                    kind: constraint.kind.as_str().to_owned(),
                })
                .collect(),
            stale: round.is_stale(),
            fairness_weight: round.options.fairness_weight,
            max_host_share: round.options.max_host_share_permille.map(|permille| f64::from(permille) / 1000.0),
            seekers: round
                .seekers
                .iter()
                .map(|seeker| RoundSeekerView {
                    id: seeker.id.0,
                    name: detail.name(seeker.id),
                    wanted: seeker.wanted,
                    interviews_had: seeker.interviews_had,
                })
                .collect(),
            hosts: round
                .hosts
                .iter()
                .map(|host| RoundHostView { id: host.id.0, name: detail.name(host.id), capacity: host.capacity })
                .collect(),
            published_requests: round.published_requests.iter().map(|id| id.0).collect(),
        }
    }
}

/// A pair publishing could not send.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SkippedView {
    pub seeker: i64,
    pub host: i64,
    pub why: String,
}

/// What publishing did.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PublishedView {
    /// The pending requests created, one per pair (by host, then seeker).
    pub requests: Vec<i64>,
    pub skipped: Vec<SkippedView>,
    pub round: ProposalView,
}

impl From<&Published> for PublishedView {
    fn from(published: &Published) -> Self {
        PublishedView {
            requests: published.requests.iter().map(|id| id.0).collect(),
            skipped: published
                .skipped
                .iter()
                .map(|skipped| SkippedView { seeker: skipped.seeker.0, host: skipped.host.0, why: skipped.why.clone() })
                .collect(),
            round: ProposalView::from(&published.detail),
        }
    }
}

/// Creates a program; the caller becomes its admin.
#[utoipa::path(
    post,
    path = "/programs",
    tag = "programs",
    security(("bearer" = [])),
    request_body = ProgramBody,
    responses(
        (status = 201, description = "Created; the caller is its admin", body = ProgramView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 422, description = "`name` empty or longer than 120 characters, or `kind` not one of employer, career_centre, agency", body = ErrorBody),
    )
)]
pub async fn create_program(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiJson(body): ApiJson<ProgramBody>,
) -> Result<impl IntoResponse, ApiError> {
    let program = state.services.create_program(&me, NewProgramInput { name: body.name, kind: body.kind }).await?;
    let membership = ProgramMembership { program, roles: vec![coffeechat_domain::ProgramRole::Admin] };
    Ok((StatusCode::CREATED, Json(ProgramView::from(&membership))))
}

/// The programs the caller takes part in, newest first.
#[utoipa::path(
    get,
    path = "/programs",
    tag = "programs",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's programs with their roles", body = Vec<ProgramView>),
        (status = 401, description = "Not authenticated", body = ErrorBody),
    )
)]
pub async fn list_programs(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
) -> Result<Json<Vec<ProgramView>>, ApiError> {
    let programs = state.services.my_programs(&me).await?;
    Ok(Json(programs.iter().map(ProgramView::from).collect()))
}

/// One program: its members and, for admins, its rounds.
#[utoipa::path(
    get,
    path = "/programs/{id}",
    tag = "programs",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Program id")),
    responses(
        (status = 200, description = "The program", body = ProgramDetailView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 404, description = "No such program, or the caller is not a member", body = ErrorBody),
    )
)]
pub async fn program(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ProgramDetailView>, ApiError> {
    let detail = state.services.program(&me, ProgramId(id)).await?;
    Ok(Json(ProgramDetailView::from(&detail)))
}

/// Makes an invitation link (admins only). The body is optional: `{"role": "host"|"seeker"}`.
#[utoipa::path(
    post,
    path = "/programs/{id}/invitations",
    tag = "programs",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Program id")),
    request_body(content = InvitationBody, description = "Optional"),
    responses(
        (status = 201, description = "The link to share", body = InvitationView),
        (status = 400, description = "A body that is not a JSON object", body = ErrorBody),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The caller is a member but not an admin", body = ErrorBody),
        (status = 404, description = "No such program, or the caller is not a member", body = ErrorBody),
        (status = 422, description = "`role` is not host or seeker", body = ErrorBody),
    )
)]
pub async fn create_invitation(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiPath(id): ApiPath<i64>,
    body: Result<Bytes, BytesRejection>,
) -> Result<impl IntoResponse, ApiError> {
    let body = body.map_err(|rejection| ApiError::bad_request(rejection.body_text()))?;
    let body: InvitationBody =
        if body.iter().all(u8::is_ascii_whitespace) { InvitationBody::default() } else { parse_json(&body)? };
    let url = state.services.create_program_invitation(&me, ProgramId(id), body.role.as_deref()).await?;
    let role = body.role.map(|role| role.trim().to_owned()).filter(|role| !role.is_empty());
    Ok((StatusCode::CREATED, Json(InvitationView { url, role })))
}

/// Proposes a matching round (admins only): the exact optimum of total relevance under every capacity and rule.
#[utoipa::path(
    post,
    path = "/programs/{id}/rounds",
    tag = "programs",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Program id")),
    request_body = RoundBody,
    responses(
        (status = 201, description = "The proposal (`id` is the round's)", body = ProposalView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The caller is a member but not an admin", body = ErrorBody),
        (status = 404, description = "No such program, or the caller is not a member", body = ErrorBody),
        (status = 422, description = "A field is wrong: `seekers[i].id` / `hosts[i].id` not a member in that role (or a host without a profile), `seekers[i].wanted` not 1–3, `hosts[i].capacity` not 0–100, `fairness_weight` not a whole number 0–100, `max_host_share` not in (0, 1], or nobody to match", body = ErrorBody),
    )
)]
pub async fn create_round(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RoundBody>,
) -> Result<impl IntoResponse, ApiError> {
    let detail = state.services.propose_round(&me, ProgramId(id), body.into()).await?;
    Ok((StatusCode::CREATED, Json(ProposalView::from(&detail))))
}

/// A round and its current proposal (admins only).
#[utoipa::path(
    get,
    path = "/programs/{id}/rounds/{round}",
    tag = "programs",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Program id"), ("round" = i64, Path, description = "Round id")),
    responses(
        (status = 200, description = "The round", body = ProposalView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The caller is a member but not an admin", body = ErrorBody),
        (status = 404, description = "No such program or round, or the caller is not a member", body = ErrorBody),
    )
)]
pub async fn round(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiPath((id, round)): ApiPath<(i64, i64)>,
) -> Result<Json<ProposalView>, ApiError> {
    let detail = state.services.round(&me, ProgramId(id), RoundId(round)).await?;
    Ok(Json(ProposalView::from(&detail)))
}

async fn constrain(
    state: &AppState,
    me: &coffeechat_service::Account,
    (id, round): (i64, i64),
    pair: PairBody,
    kind: Option<ConstraintKind>,
) -> Result<Json<ProposalView>, ApiError> {
    let detail = state.services.constrain_pair(me, ProgramId(id), RoundId(round), pair.seeker, pair.host, kind).await?;
    Ok(Json(ProposalView::from(&detail)))
}

/// Pins a pair: the next solve forces it in. A pin that cannot hold is refused at once.
#[utoipa::path(
    post,
    path = "/programs/{id}/rounds/{round}/pin",
    tag = "programs",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Program id"), ("round" = i64, Path, description = "Round id")),
    request_body = PairBody,
    responses(
        (status = 200, description = "Pinned; the proposal is `stale` until re-solved", body = ProposalView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The caller is a member but not an admin", body = ErrorBody),
        (status = 404, description = "No such program or round, or the caller is not a member", body = ErrorBody),
        (status = 409, description = "The round is published", body = ErrorBody),
        (status = 422, description = "`seeker` / `host` not in the round, or `pin` naming why the pin cannot hold (already met, declined, same employer, more pins than wanted or than the host gives)", body = ErrorBody),
    )
)]
pub async fn pin(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiPath(ids): ApiPath<(i64, i64)>,
    ApiJson(pair): ApiJson<PairBody>,
) -> Result<Json<ProposalView>, ApiError> {
    constrain(&state, &me, ids, pair, Some(ConstraintKind::Pin)).await
}

/// Forbids a pair: the next solve leaves it out (replacing a pin of it).
#[utoipa::path(
    post,
    path = "/programs/{id}/rounds/{round}/forbid",
    tag = "programs",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Program id"), ("round" = i64, Path, description = "Round id")),
    request_body = PairBody,
    responses(
        (status = 200, description = "Forbidden; the proposal is `stale` until re-solved", body = ProposalView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The caller is a member but not an admin", body = ErrorBody),
        (status = 404, description = "No such program or round, or the caller is not a member", body = ErrorBody),
        (status = 409, description = "The round is published", body = ErrorBody),
        (status = 422, description = "`seeker` / `host` not in the round", body = ErrorBody),
    )
)]
pub async fn forbid(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiPath(ids): ApiPath<(i64, i64)>,
    ApiJson(pair): ApiJson<PairBody>,
) -> Result<Json<ProposalView>, ApiError> {
    constrain(&state, &me, ids, pair, Some(ConstraintKind::Forbid)).await
}

/// Releases a pair: forgets its pin or forbid.
#[utoipa::path(
    post,
    path = "/programs/{id}/rounds/{round}/release",
    tag = "programs",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Program id"), ("round" = i64, Path, description = "Round id")),
    request_body = PairBody,
    responses(
        (status = 200, description = "Released; the proposal is `stale` until re-solved", body = ProposalView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The caller is a member but not an admin", body = ErrorBody),
        (status = 404, description = "No such program or round, or the caller is not a member", body = ErrorBody),
        (status = 409, description = "The round is published", body = ErrorBody),
        (status = 422, description = "`seeker` / `host` not in the round", body = ErrorBody),
    )
)]
pub async fn release(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiPath(ids): ApiPath<(i64, i64)>,
    ApiJson(pair): ApiJson<PairBody>,
) -> Result<Json<ProposalView>, ApiError> {
    constrain(&state, &me, ids, pair, None).await
}

/// Re-solves the round with its pins and forbids and the latest meetings, declines and profiles.
#[utoipa::path(
    post,
    path = "/programs/{id}/rounds/{round}/solve",
    tag = "programs",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Program id"), ("round" = i64, Path, description = "Round id")),
    responses(
        (status = 200, description = "The new proposal", body = ProposalView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The caller is a member but not an admin", body = ErrorBody),
        (status = 404, description = "No such program or round, or the caller is not a member", body = ErrorBody),
        (status = 409, description = "The round is published", body = ErrorBody),
        (status = 422, description = "`pin`: a pin no longer holds (e.g. they met meanwhile); release it", body = ErrorBody),
    )
)]
pub async fn solve(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiPath((id, round)): ApiPath<(i64, i64)>,
) -> Result<Json<ProposalView>, ApiError> {
    let detail = state.services.solve_round(&me, ProgramId(id), RoundId(round)).await?;
    Ok(Json(ProposalView::from(&detail)))
}

/// Publishes the round, once: each pair becomes a pending request from the seeker to the host, with up to three
/// proposed times in the host's free time.
#[utoipa::path(
    post,
    path = "/programs/{id}/rounds/{round}/publish",
    tag = "programs",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Program id"), ("round" = i64, Path, description = "Round id")),
    responses(
        (status = 200, description = "Published: the requests created and the pairs that could not be sent", body = PublishedView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The caller is a member but not an admin", body = ErrorBody),
        (status = 404, description = "No such program or round, or the caller is not a member", body = ErrorBody),
        (status = 409, description = "Already published, or pins/forbids changed since the last solve", body = ErrorBody),
    )
)]
pub async fn publish(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiPath((id, round)): ApiPath<(i64, i64)>,
) -> Result<Json<PublishedView>, ApiError> {
    let published = state.services.publish_round(&me, ProgramId(id), RoundId(round)).await?;
    Ok(Json(PublishedView::from(&published)))
}

/// The token of an invitation link, or the whole link.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct JoinBody {
    #[schema(example = "http://127.0.0.1:8080/join/0sVh3…")]
    pub token: String,
}

/// Joins a program through its invitation link (what the `/join/{token}` page does for a browser).
#[utoipa::path(
    post,
    path = "/programs/join",
    tag = "programs",
    security(("bearer" = [])),
    request_body = JoinBody,
    responses(
        (status = 200, description = "Joined (joining twice changes nothing); the caller's roles in it", body = ProgramView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "A link for hosts, and the caller does not host", body = ErrorBody),
        (status = 404, description = "No such invitation", body = ErrorBody),
    )
)]
pub async fn join(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiJson(body): ApiJson<JoinBody>,
) -> Result<Json<ProgramView>, ApiError> {
    let token = body.token.trim().trim_end_matches('/').rsplit('/').next().unwrap_or_default().to_owned();
    let joined = state.services.join_program(&me, &token).await?;
    let roles = state
        .services
        .my_programs(&me)
        .await?
        .into_iter()
        .find(|membership| membership.program.id == joined.program.id)
        .map(|membership| membership.roles)
        .unwrap_or_default();
    Ok(Json(ProgramView::from(&ProgramMembership { program: joined.program, roles })))
}
