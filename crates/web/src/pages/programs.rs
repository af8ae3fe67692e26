//! Program pages: `/programs` (mine, and a form to create one), `/programs/{id}` (members by role; for admins an
//! invitation link generator, the rounds and a "new round" form), `/programs/{id}/rounds/{round}` (the admin's
//! review: pairs with who, why and score, totals, unmatched seekers and why, pin/forbid per pair, a "pin a pair"
//! form, re-solve and publish) and `/join/{token}` (join through a link, or log in / sign up first).
//!
//! Plain forms posting back with Post/Redirect/Get, so everything works without JavaScript. A new invitation
//! link is kept in the session until the program page has shown it once: only its hash is stored.

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::Uri;
use axum::response::Response;
use axum::routing::{get, post};
use coffeechat_domain::{FieldErrors, NewProgramInput, ProgramId, ProgramKind, ProgramRole, RoundId, RoundInput};
use coffeechat_service::{Account, ProgramDetail, RoundDetail, ServiceError};
use coffeechat_store::{ConstraintKind, RoundStatus};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use crate::AppState;
use crate::auth::{MaybeUser, SessionUser};
use crate::display::format_instant;
use crate::error::PageError;
use crate::pages::forms::{FormErrors, refused_form};
use crate::pages::{FlashKind, FormFields, Layout, parse_id, redirect_with_flash, render, sentence, url_with_query};

/// Session key of an invitation link made a moment ago, shown once by the program page.
const NEW_LINK_KEY: &str = "program_invitation_link";

/// Routes of this module, merged by [`crate::pages::router`].
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/programs", get(programs_page).post(create_program))
        .route("/programs/{id}", get(program_page))
        .route("/programs/{id}/invitations", post(create_invitation))
        .route("/programs/{id}/rounds", post(create_round))
        .route("/programs/{id}/rounds/{round}", get(round_page))
        .route("/programs/{id}/rounds/{round}/{action}", post(round_action))
        .route("/join/{token}", get(join_page).post(join))
}

// ---------------------------------------------------------------------------------------------------------
// /programs

/// One of my programs as listed.
#[derive(Debug, Clone)]
pub struct ProgramItem {
    pub id: i64,
    pub name: String,
    pub kind: &'static str,
    /// `"admin, seeker"`.
    pub roles: String,
}

/// The create form, as typed.
#[derive(Debug, Clone, Default)]
pub struct ProgramForm {
    pub name: String,
    pub kind: String,
}

/// A kind as a radio button.
#[derive(Debug, Clone)]
pub struct KindOption {
    pub value: &'static str,
    pub label: &'static str,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "programs/list.html")]
struct ProgramsPage {
    layout: Layout,
    programs: Vec<ProgramItem>,
    form: ProgramForm,
    kinds: Vec<KindOption>,
    errors: FormErrors,
}

fn program_label(field: &str) -> String {
    match field {
        "name" => "Name",
        "kind" => "Kind",
        other => other,
    }
    .to_owned()
}

async fn programs_view(
    state: &AppState,
    session: &Session,
    me: &Account,
    uri: &Uri,
    form: ProgramForm,
    errors: FieldErrors,
) -> Result<ProgramsPage, PageError> {
    let programs = state
        .services
        .my_programs(me)
        .await?
        .iter()
        .map(|membership| ProgramItem {
            id: membership.program.id.0,
            name: membership.program.name.clone(),
            kind: membership.program.kind.label(),
            roles: membership.roles.iter().map(|role| role.as_str()).collect::<Vec<_>>().join(", "),
        })
        .collect();
    let kinds = ProgramKind::ALL
        .iter()
        .map(|kind| KindOption {
            value: kind.as_str(),
            label: kind.label(),
            checked: form.kind == kind.as_str() || (form.kind.is_empty() && *kind == ProgramKind::CareerCentre),
        })
        .collect();
    let errors = FormErrors::new(errors, &["name", "kind"], program_label, "Your program wasn't created yet");
    Ok(ProgramsPage { layout: Layout::new(session, Some(me), uri).await, programs, form, kinds, errors })
}

async fn programs_page(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
    uri: Uri,
) -> Result<Response, PageError> {
    Ok(render(&programs_view(&state, &session, &me, &uri, ProgramForm::default(), FieldErrors::new()).await?))
}

async fn create_program(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
    uri: Uri,
    Form(fields): Form<FormFields>,
) -> Result<Response, PageError> {
    let form = ProgramForm { name: fields.text("name").to_owned(), kind: fields.text("kind").to_owned() };
    let input = NewProgramInput { name: form.name.clone(), kind: form.kind.clone() };
    match state.services.create_program(&me, input).await {
        Ok(program) => {
            let message = format!("“{}” is ready. Invite hosts and seekers with a link below.", program.name);
            Ok(redirect_with_flash(&session, FlashKind::Success, message, &format!("/programs/{}", program.id)).await)
        }
        Err(error) => {
            refused_form(error, async |errors| programs_view(&state, &session, &me, &uri, form, errors).await).await
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// /programs/{id}

/// A member as listed under their role.
#[derive(Debug, Clone)]
pub struct MemberItem {
    pub name: String,
    pub handle: Option<String>,
}

/// A round as listed.
#[derive(Debug, Clone)]
pub struct RoundItem {
    pub id: i64,
    pub created: String,
    pub status: &'static str,
    pub pairs: usize,
    pub total_score: u64,
    pub unmatched: usize,
}

/// A link made a moment ago.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewLink {
    pub program: i64,
    pub url: String,
    /// "hosts", "seekers" or "anyone".
    pub audience: String,
}

/// The "new round" form, as typed.
#[derive(Debug, Clone)]
pub struct RoundForm {
    pub default_wanted: String,
    pub fairness_weight: String,
    pub max_host_share: String,
}

impl Default for RoundForm {
    fn default() -> Self {
        RoundForm { default_wanted: "1".into(), fairness_weight: "0".into(), max_host_share: String::new() }
    }
}

#[derive(Template)]
#[template(path = "programs/program.html")]
struct ProgramPage {
    layout: Layout,
    id: i64,
    name: String,
    kind: &'static str,
    is_admin: bool,
    my_roles: String,
    admins: Vec<MemberItem>,
    hosts: Vec<MemberItem>,
    seekers: Vec<MemberItem>,
    rounds: Vec<RoundItem>,
    new_link: Option<NewLink>,
    round_form: RoundForm,
    errors: FormErrors,
}

fn round_label(field: &str) -> String {
    match field {
        "default_wanted" => "Interviews per seeker",
        "fairness_weight" => "Fairness weight",
        "max_host_share" => "Largest share for one host",
        "seekers" => "Seekers",
        "hosts" => "Hosts",
        other => other,
    }
    .to_owned()
}

fn members(detail: &ProgramDetail, role: ProgramRole) -> Vec<MemberItem> {
    detail
        .members_in(role)
        .map(|member| MemberItem {
            name: member.name.clone(),
            handle: member.handle.as_ref().map(|handle| handle.as_str().to_owned()),
        })
        .collect()
}

async fn program_view(
    state: &AppState,
    session: &Session,
    me: &Account,
    uri: &Uri,
    id: ProgramId,
    round_form: RoundForm,
    errors: FieldErrors,
) -> Result<ProgramPage, PageError> {
    let detail = state.services.program(me, id).await?;
    let new_link = session.remove::<NewLink>(NEW_LINK_KEY).await?.filter(|link| link.program == id.0);
    let rounds = detail
        .rounds
        .iter()
        .map(|round| RoundItem {
            id: round.id.0,
            created: format_instant(round.created_at, &me.time_zone),
            status: match round.status {
                RoundStatus::Proposed => "Proposed, in review",
                RoundStatus::Published => "Published",
            },
            pairs: round.proposal.pairs.len(),
            total_score: round.proposal.total_score,
            unmatched: round.proposal.unmatched.len(),
        })
        .collect();
    let errors = FormErrors::new(
        errors,
        &["default_wanted", "fairness_weight", "max_host_share", "seekers", "hosts"],
        round_label,
        "The round wasn't proposed yet",
    );
    Ok(ProgramPage {
        layout: Layout::new(session, Some(me), uri).await,
        id: id.0,
        name: detail.program.name.clone(),
        kind: detail.program.kind.label(),
        is_admin: detail.is_admin(),
        my_roles: detail.my_roles.iter().map(|role| role.as_str()).collect::<Vec<_>>().join(", "),
        admins: members(&detail, ProgramRole::Admin),
        hosts: members(&detail, ProgramRole::Host),
        seekers: members(&detail, ProgramRole::Seeker),
        rounds,
        new_link,
        round_form,
        errors,
    })
}

async fn program_page(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
    uri: Uri,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = ProgramId(parse_id(&id)?);
    Ok(render(&program_view(&state, &session, &me, &uri, id, RoundForm::default(), FieldErrors::new()).await?))
}

async fn create_invitation(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
    Path(id): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, PageError> {
    let id = ProgramId(parse_id(&id)?);
    let role = fields.text("role");
    let back = format!("/programs/{id}");
    match state.services.create_program_invitation(&me, id, Some(role)).await {
        Ok(url) => {
            let audience = match role {
                "host" => "hosts",
                "seeker" => "seekers",
                _ => "anyone",
            };
            let link = NewLink { program: id.0, url, audience: audience.to_owned() };
            session.insert(NEW_LINK_KEY, link).await?;
            Ok(redirect_with_flash(&session, FlashKind::Success, "Your invitation link is ready below.", &back).await)
        }
        Err(ServiceError::Invalid(errors)) => {
            let message = errors.iter().map(|(_, message)| sentence(message)).collect::<Vec<_>>().join(" ");
            Ok(redirect_with_flash(&session, FlashKind::Error, format!("No link was made. {message}"), &back).await)
        }
        Err(other) => Err(other.into()),
    }
}

async fn create_round(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
    uri: Uri,
    Path(id): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, PageError> {
    let id = ProgramId(parse_id(&id)?);
    let form = RoundForm {
        default_wanted: fields.text("default_wanted").to_owned(),
        fairness_weight: fields.text("fairness_weight").to_owned(),
        max_host_share: fields.text("max_host_share").to_owned(),
    };
    let (input, mut errors) = round_input(&form);
    let result = if errors.is_empty() {
        state.services.propose_round(&me, id, input).await
    } else {
        if let Err(more) = input.validate() {
            errors.extend_prefixed("", more);
        }
        Err(ServiceError::Invalid(errors))
    };
    match result {
        Ok(detail) => {
            let message = format!(
                "Round proposed: {} pairs, total score {}. Review it, then publish.",
                detail.round.proposal.pairs.len(),
                detail.round.proposal.total_score
            );
            let to = format!("/programs/{id}/rounds/{}", detail.round.id);
            Ok(redirect_with_flash(&session, FlashKind::Success, message, &to).await)
        }
        Err(error) => {
            refused_form(error, async |errors| program_view(&state, &session, &me, &uri, id, form, errors).await).await
        }
    }
}

/// The form's text fields as the domain's input; numbers that do not parse are named.
fn round_input(form: &RoundForm) -> (RoundInput, FieldErrors) {
    let mut errors = FieldErrors::new();
    let mut number = |field: &str, raw: &str| -> Option<f64> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        match raw.replace(',', ".").parse::<f64>() {
            Ok(value) => Some(value),
            Err(_) => {
                errors.add(field, "must be a number");
                None
            }
        }
    };
    let wanted = number("default_wanted", &form.default_wanted);
    let fairness_weight = number("fairness_weight", &form.fairness_weight);
    let max_host_share = number("max_host_share", &form.max_host_share);
    let default_wanted = wanted.map(|wanted| {
        if wanted.fract() == 0.0 && wanted.abs() < 1e6 { format!("{wanted:.0}").parse().unwrap_or(0) } else { 0 }
    });
    let input = RoundInput { seekers: None, hosts: None, default_wanted, fairness_weight, max_host_share };
    (input, errors)
}

// ---------------------------------------------------------------------------------------------------------
// /programs/{id}/rounds/{round}

/// A pair of the proposal as reviewed.
#[derive(Debug, Clone)]
pub struct PairItem {
    pub seeker_id: i64,
    pub host_id: i64,
    pub seeker: String,
    pub host: String,
    pub handle: Option<String>,
    pub score: u8,
    pub reasons: Vec<String>,
    pub pinned: bool,
}

/// A seeker who got fewer interviews than wanted.
#[derive(Debug, Clone)]
pub struct UnmatchedItem {
    pub seeker: String,
    pub wanted: u8,
    pub matched: u8,
    pub why: String,
}

/// A pin or forbid as listed.
#[derive(Debug, Clone)]
pub struct ConstraintItem {
    pub seeker_id: i64,
    pub host_id: i64,
    pub text: String,
}

/// A participant's row in the "who takes part" tables.
#[derive(Debug, Clone)]
pub struct ParticipantRow {
    pub name: String,
    /// Seekers: interviews wanted; hosts: capacity in this round.
    pub limit: u32,
    /// Pairs they have in the proposal.
    pub paired: usize,
    /// Seekers: interviews before the round (what fairness looks at); hosts: unused.
    pub history: u32,
}

/// An option of the "pin a pair" form.
#[derive(Debug, Clone)]
pub struct PersonOption {
    pub id: i64,
    pub label: String,
}

#[derive(Template)]
#[template(path = "programs/round.html")]
struct RoundPage {
    layout: Layout,
    program_id: i64,
    program_name: String,
    round_id: i64,
    published: bool,
    published_at: String,
    stale: bool,
    solved_at: String,
    total_score: u64,
    wanted: u32,
    pairs: Vec<PairItem>,
    unmatched: Vec<UnmatchedItem>,
    constraints: Vec<ConstraintItem>,
    options: String,
    seekers: Vec<PersonOption>,
    hosts: Vec<PersonOption>,
    seeker_rows: Vec<ParticipantRow>,
    host_rows: Vec<ParticipantRow>,
    requests: usize,
}

fn round_page_of(detail: &RoundDetail, layout: Layout, me: &Account) -> RoundPage {
    let round = &detail.round;
    let pairs = round
        .proposal
        .pairs
        .iter()
        .map(|pair| PairItem {
            seeker_id: pair.seeker.0,
            host_id: pair.host.0,
            seeker: detail.name(pair.seeker),
            host: detail.name(pair.host),
            handle: detail
                .people
                .get(&pair.host)
                .and_then(|person| person.handle.as_ref())
                .map(|h| h.as_str().to_owned()),
            score: pair.score,
            reasons: pair.reasons.clone(),
            pinned: pair.pinned,
        })
        .collect();
    let unmatched = round
        .proposal
        .unmatched
        .iter()
        .map(|unmatched| UnmatchedItem {
            seeker: detail.name(unmatched.seeker),
            wanted: unmatched.wanted,
            matched: unmatched.matched,
            why: sentence(&unmatched.why),
        })
        .collect();
    let constraints = round
        .constraints
        .iter()
        .map(|constraint| ConstraintItem {
            seeker_id: constraint.seeker.0,
            host_id: constraint.host.0,
            text: format!(
                "{} {} with {}",
                if constraint.kind == ConstraintKind::Pin { "Pinned:" } else { "Forbidden:" },
                detail.name(constraint.seeker),
                detail.name(constraint.host)
            ),
        })
        .collect();
    let mut options = vec![if round.options.fairness_weight == 0 {
        "no fairness weight".to_owned()
    } else {
        format!("fairness weight {} of 100", round.options.fairness_weight)
    }];
    match round.options.max_host_share_permille {
        Some(permille) => {
            options.push(format!("no host above {}% of the interviews wanted", f64::from(permille) / 10.0))
        }
        None => options.push("no cap on one host's share".to_owned()),
    }
    RoundPage {
        layout,
        program_id: round.program_id.0,
        program_name: detail.program.name.clone(),
        round_id: round.id.0,
        published: round.status == RoundStatus::Published,
        published_at: round.published_at.map(|at| format_instant(at, &me.time_zone)).unwrap_or_default(),
        stale: round.is_stale(),
        solved_at: format_instant(round.solved_at, &me.time_zone),
        total_score: round.proposal.total_score,
        wanted: round.seekers.iter().map(|seeker| u32::from(seeker.wanted)).sum(),
        pairs,
        unmatched,
        constraints,
        options: options.join("; "),
        seekers: round
            .seekers
            .iter()
            .map(|seeker| PersonOption {
                id: seeker.id.0,
                label: format!("{} (wants {})", detail.name(seeker.id), seeker.wanted),
            })
            .collect(),
        hosts: round
            .hosts
            .iter()
            .map(|host| PersonOption {
                id: host.id.0,
                label: format!("{} (gives up to {})", detail.name(host.id), host.capacity),
            })
            .collect(),
        seeker_rows: round
            .seekers
            .iter()
            .map(|seeker| ParticipantRow {
                name: detail.name(seeker.id),
                limit: u32::from(seeker.wanted),
                paired: round.proposal.pairs.iter().filter(|pair| pair.seeker == seeker.id).count(),
                history: seeker.interviews_had,
            })
            .collect(),
        host_rows: round
            .hosts
            .iter()
            .map(|host| ParticipantRow {
                name: detail.name(host.id),
                limit: u32::from(host.capacity),
                paired: round.proposal.pairs.iter().filter(|pair| pair.host == host.id).count(),
                history: 0,
            })
            .collect(),
        requests: round.published_requests.len(),
    }
}

async fn round_page(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
    uri: Uri,
    Path((id, round)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (id, round) = (ProgramId(parse_id(&id)?), RoundId(parse_id(&round)?));
    let detail = state.services.round(&me, id, round).await?;
    Ok(render(&round_page_of(&detail, Layout::new(&session, Some(&me), &uri).await, &me)))
}

/// Pin, forbid, release, solve or publish; every outcome comes back to the review page with a message.
async fn round_action(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
    Path((id, round, action)): Path<(String, String, String)>,
    Form(fields): Form<FormFields>,
) -> Result<Response, PageError> {
    let (id, round) = (ProgramId(parse_id(&id)?), RoundId(parse_id(&round)?));
    let back = format!("/programs/{id}/rounds/{round}");
    let pair = || -> Result<(i64, i64), ServiceError> {
        let mut errors = FieldErrors::new();
        let seeker = fields.text("seeker").trim().parse::<i64>().map_err(|_| errors.add("seeker", "choose a seeker"));
        let host = fields.text("host").trim().parse::<i64>().map_err(|_| errors.add("host", "choose a host"));
        match (seeker, host) {
            (Ok(seeker), Ok(host)) => Ok((seeker, host)),
            _ => Err(ServiceError::Invalid(errors)),
        }
    };
    let constrain = async |kind: Option<ConstraintKind>, done: &str| -> Result<String, ServiceError> {
        let (seeker, host) = pair()?;
        state.services.constrain_pair(&me, id, round, seeker, host, kind).await?;
        Ok(done.to_owned())
    };
    let outcome = match action.as_str() {
        "pin" => constrain(Some(ConstraintKind::Pin), "Pinned. Re-solve to see the round with it.").await,
        "forbid" => constrain(Some(ConstraintKind::Forbid), "Forbidden. Re-solve to see the round without it.").await,
        "release" => constrain(None, "Released. Re-solve to see the round again.").await,
        "solve" => state.services.solve_round(&me, id, round).await.map(|detail| {
            format!(
                "Re-solved: {} pairs, total score {}.",
                detail.round.proposal.pairs.len(),
                detail.round.proposal.total_score
            )
        }),
        "publish" => state.services.publish_round(&me, id, round).await.map(|published| {
            let mut message = format!(
                "Published: {} requests sent; the hosts will find them in their inbox.",
                published.requests.len()
            );
            for skipped in &published.skipped {
                message.push_str(&format!(
                    " Not sent: {} with {} ({}).",
                    published.detail.name(skipped.seeker),
                    published.detail.name(skipped.host),
                    skipped.why
                ));
            }
            message
        }),
        _ => return Err(PageError::not_found()),
    };
    match outcome {
        Ok(message) => Ok(redirect_with_flash(&session, FlashKind::Success, message, &back).await),
        // Refusals a reviewer can act on are shown on the review page; anything else is its error page.
        Err(ServiceError::Invalid(errors)) => {
            let message = errors.iter().map(|(_, message)| sentence(message)).collect::<Vec<_>>().join(" ");
            Ok(redirect_with_flash(&session, FlashKind::Error, message, &back).await)
        }
        Err(ServiceError::Conflict(message)) => {
            Ok(redirect_with_flash(&session, FlashKind::Error, sentence(&message), &back).await)
        }
        Err(other) => Err(other.into()),
    }
}

// ---------------------------------------------------------------------------------------------------------
// /join/{token}

#[derive(Template)]
#[template(path = "programs/join.html")]
struct JoinPage {
    layout: Layout,
    token: String,
    program: String,
    kind: &'static str,
    /// "as a host", "as a seeker", or "in the roles your account has".
    role: &'static str,
    signed_in: bool,
    login_url: String,
    signup_url: String,
}

async fn join_page(
    State(state): State<AppState>,
    session: Session,
    MaybeUser(me): MaybeUser,
    uri: Uri,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let invitation = state.services.program_invitation(&token).await?;
    let here = format!("/join/{token}");
    let role_param = match invitation.role {
        Some(ProgramRole::Host) => "host",
        _ => "seeker",
    };
    Ok(render(&JoinPage {
        layout: Layout::new(&session, me.as_ref(), &uri).await,
        token,
        program: invitation.program.name.clone(),
        kind: invitation.program.kind.label(),
        role: match invitation.role {
            Some(ProgramRole::Host) => "as a host",
            Some(ProgramRole::Seeker) => "as a seeker",
            _ => "in the roles your account has",
        },
        signed_in: me.is_some(),
        login_url: url_with_query("/login", &[("next", &here)]),
        signup_url: url_with_query("/signup", &[("next", &here), ("role", role_param)]),
    }))
}

async fn join(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let joined = state.services.join_program(&me, &token).await?;
    let message = if joined.added.is_empty() {
        format!("You were already part of “{}”.", joined.program.name)
    } else {
        format!("Welcome to “{}”.", joined.program.name)
    };
    Ok(redirect_with_flash(&session, FlashKind::Success, message, &format!("/programs/{}", joined.program.id)).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_round_form_reads_numbers_and_names_what_does_not_parse() {
        let form =
            RoundForm { default_wanted: "2".into(), fairness_weight: "30".into(), max_host_share: "0,25".into() };
        let (input, errors) = round_input(&form);
        assert!(errors.is_empty());
        assert_eq!(
            (input.default_wanted, input.fairness_weight, input.max_host_share),
            (Some(2), Some(30.0), Some(0.25))
        );
        let bad =
            RoundForm { default_wanted: "two".into(), fairness_weight: String::new(), max_host_share: String::new() };
        let (input, errors) = round_input(&bad);
        assert_eq!(errors.get("default_wanted"), Some("must be a number"));
        assert_eq!((input.fairness_weight, input.max_host_share), (None, None));
    }
}
