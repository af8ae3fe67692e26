//! The meeting and after, as pages: the interview page's clock, agenda and aftercare panel (built here, shown
//! by `account/interview.html`), the form posts behind it (thanks, debrief, consent, no-show, follow-up), and
//! the host's talent pool at `/talent-pool`.
//!
//! Every form is a plain post answered by a redirect with a flash message; a refused one re-renders the
//! interview page with the message beside the form and a 4xx status. The live countdown is `app.js` reading the
//! `<time datetime>` elements: without JavaScript the page still shows every time, in both zones.

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use axum::routing::{get, post};
use coffeechat_domain::aftercare::{DebriefInput, MAX_REFER_TO_CHARS, MAX_THANKS_CHARS};
use coffeechat_domain::agenda::AgendaKind;
use coffeechat_domain::{InterviewId, TimeZoneName};
use coffeechat_service::{Account, InterviewDetail, InterviewPhase, ServiceError};
use coffeechat_store::Absentee;
use jiff::Timestamp;
use serde::Deserialize;
use tower_sessions::Session;

use crate::AppState;
use crate::auth::SessionUser;
use crate::display::{format_instant, format_minutes, format_span, format_time};
use crate::error::PageError;
use crate::pages::{FlashKind, FormFields, HostUser, Layout, parse_id, redirect_with_flash, render, sentence};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/interviews/{id}/thanks", post(thanks))
        .route("/interviews/{id}/debrief", post(debrief))
        .route("/interviews/{id}/consent", post(consent))
        .route("/interviews/{id}/no-show", post(no_show))
        .route("/interviews/{id}/follow-up", post(follow_up))
        .route("/talent-pool", get(talent_pool))
}

/// The start and end as one participant sees them.
#[derive(Debug, Clone)]
pub struct ZoneRow {
    /// `"Your time"`, `"Priya Raman's time"`.
    pub label: String,
    /// The span, zone named.
    pub span: String,
    /// `"Wrap-up cue (your time)"`.
    pub wrap_up_label: String,
    /// The wrap-up cue in that zone, zone named.
    pub wrap_up: String,
}

/// One agenda block as the page lists it.
#[derive(Debug, Clone)]
pub struct AgendaRow {
    pub kind: &'static str,
    pub label: String,
    /// `"09:02"` in the viewer's zone (named in the list's caption).
    pub starts: String,
    pub starts_iso: String,
    /// `"4 minutes"`, or `"if time allows"`.
    pub minutes: String,
}

/// What was typed into a refused form, and what was wrong, shown beside that form.
#[derive(Debug, Clone, Default)]
pub struct AftercareFeedback {
    pub thanks_typed: Option<String>,
    pub thanks_error: Option<String>,
    pub debrief_typed: Option<DebriefInput>,
    pub debrief_error: Option<String>,
    /// A refusal that belongs to no field (a rule, a conflict): shown at the top of the page.
    pub problem: Option<String>,
}

/// The debrief form's values: the saved answers, or what was just typed.
#[derive(Debug, Clone, Default)]
pub struct DebriefFormValues {
    pub prepared: bool,
    pub used_time_well: bool,
    pub meet_again: bool,
    pub refer_to: String,
    pub keep_in_mind: bool,
}

/// Everything the interview page shows about the clock and the aftercare.
#[derive(Debug, Clone)]
pub struct AftercarePanel {
    pub id: i64,
    pub phase: &'static str,
    pub viewer_is_host: bool,
    pub other_name: String,
    pub seeker_name: String,
    pub host_name: String,
    pub host_handle: String,
    /// The viewer's zone first, then the other participant's (when it differs).
    pub zones: Vec<ZoneRow>,
    pub start_iso: String,
    pub end_iso: String,
    pub wrap_up_iso: String,
    /// Start, wrap-up and end in the viewer's zone, without the zone (the clock's sentence names it).
    pub start_time: String,
    pub wrap_up_time: String,
    pub end_time: String,
    pub viewer_zone: String,
    /// The live clock is shown while the conversation is scheduled.
    pub show_clock: bool,
    pub agenda: Vec<AgendaRow>,
    /// The aftercare sections are shown once the conversation has started.
    pub show_after: bool,
    pub thanks_message: Option<String>,
    pub thanks_sent_at: Option<String>,
    pub can_thank: bool,
    pub thanks_typed: String,
    pub thanks_error: Option<String>,
    pub thanks_max: usize,
    pub can_debrief: bool,
    pub debrief_saved_at: Option<String>,
    pub debrief: DebriefFormValues,
    pub debrief_error: Option<String>,
    pub refer_to_max: usize,
    /// For the host: what the seeker answered about the talent pool; for the seeker: the question's state.
    pub consent_asked: bool,
    pub consent_given: Option<bool>,
    pub can_answer_consent: bool,
    pub no_show_text: Option<String>,
    pub can_report_no_show: bool,
    /// `"seeker"` or `"host"`: whom the viewer may report.
    pub report_who: &'static str,
    pub can_invite_follow_up: bool,
    pub follow_up_invited_at: Option<String>,
}

/// One participant's times; `whose` is `"your"` or `"Priya Raman’s"`.
fn time_zone_row(whose: &str, detail: &InterviewDetail, zone: &TimeZoneName) -> ZoneRow {
    let interview = &detail.interview;
    let mut label = format!("{whose} time");
    if let Some(first) = label.get(..1) {
        label = first.to_uppercase() + &label[1..];
    }
    ZoneRow {
        wrap_up_label: format!("Wrap-up cue ({whose} time)"),
        label,
        span: format_span(interview.start, interview.end, zone),
        wrap_up: format_instant(detail.agenda.wrap_up_at, zone),
    }
}

fn iso(at: Timestamp) -> String {
    at.to_string()
}

impl AftercarePanel {
    pub fn new(detail: &InterviewDetail, me: &Account, feedback: AftercareFeedback) -> Self {
        let interview = &detail.interview;
        let is_host = detail.is_host();
        let (other, other_zone) = if is_host {
            (&interview.seeker.name, &interview.seeker.time_zone)
        } else {
            (&interview.host.name, &interview.host.time_zone)
        };
        let zone = &me.time_zone;
        let mut zones = vec![time_zone_row("your", detail, zone)];
        if other_zone != zone {
            zones.push(time_zone_row(&format!("{other}’s"), detail, other_zone));
        }
        let aftercare = &detail.aftercare;
        let agenda = detail
            .agenda
            .items
            .iter()
            .map(|item| AgendaRow {
                kind: item.kind.as_str(),
                label: item.label.clone(),
                starts: format_time(item.starts_at, zone),
                starts_iso: iso(item.starts_at),
                minutes: if item.kind == AgendaKind::IfTimeAllows {
                    "if time allows".to_owned()
                } else {
                    format_minutes(u32::from(item.minutes))
                },
            })
            .collect();
        let debrief = match (&feedback.debrief_typed, &aftercare.debrief) {
            (Some(typed), _) => DebriefFormValues {
                prepared: typed.prepared,
                used_time_well: typed.used_time_well,
                meet_again: typed.meet_again,
                refer_to: typed.refer_to.clone().unwrap_or_default(),
                keep_in_mind: typed.keep_in_mind,
            },
            (None, Some(saved)) => DebriefFormValues {
                prepared: saved.debrief.prepared,
                used_time_well: saved.debrief.used_time_well,
                meet_again: saved.debrief.meet_again,
                refer_to: saved.debrief.refer_to.clone().unwrap_or_default(),
                keep_in_mind: saved.debrief.keep_in_mind,
            },
            (None, None) => DebriefFormValues::default(),
        };
        let no_show_text = aftercare.no_show.as_ref().map(|no_show| {
            let absent = match no_show.absent {
                Absentee::Seeker if !is_host => "You".to_owned(),
                Absentee::Host if is_host => "You".to_owned(),
                Absentee::Seeker => interview.seeker.name.clone(),
                Absentee::Host => interview.host.name.clone(),
            };
            let verb = if absent == "You" { "were recorded as not coming" } else { "did not come" };
            format!("{absent} {verb} (recorded {}).", format_instant(no_show.reported_at, zone))
        });
        AftercarePanel {
            id: interview.id.0,
            phase: detail.phase.as_str(),
            viewer_is_host: is_host,
            other_name: other.clone(),
            seeker_name: interview.seeker.name.clone(),
            host_name: interview.host.name.clone(),
            host_handle: interview.host_handle.as_str().to_owned(),
            zones,
            start_iso: iso(interview.start),
            end_iso: iso(interview.end),
            wrap_up_iso: iso(detail.agenda.wrap_up_at),
            start_time: format_time(interview.start, zone),
            wrap_up_time: format_time(detail.agenda.wrap_up_at, zone),
            end_time: format_time(interview.end, zone),
            viewer_zone: zone.as_str().to_owned(),
            show_clock: matches!(detail.phase, InterviewPhase::Upcoming | InterviewPhase::InProgress),
            agenda,
            show_after: matches!(detail.phase, InterviewPhase::InProgress | InterviewPhase::Ended),
            thanks_message: aftercare.thanks.as_ref().map(|note| note.message.clone()),
            thanks_sent_at: aftercare.thanks.as_ref().map(|note| format_instant(note.sent_at, zone)),
            can_thank: detail.can_thank(),
            thanks_typed: feedback.thanks_typed.unwrap_or_default(),
            thanks_error: feedback.thanks_error,
            thanks_max: MAX_THANKS_CHARS,
            can_debrief: detail.can_debrief(),
            debrief_saved_at: aftercare.debrief.as_ref().map(|saved| format_instant(saved.updated_at, zone)),
            debrief,
            debrief_error: feedback.debrief_error,
            refer_to_max: MAX_REFER_TO_CHARS,
            consent_asked: aftercare.consent.is_some(),
            consent_given: aftercare.consent.and_then(|consent| consent.given),
            can_answer_consent: detail.can_answer_consent(),
            no_show_text,
            can_report_no_show: detail.can_report_no_show(),
            report_who: detail.other_side().as_str(),
            can_invite_follow_up: detail.can_invite_follow_up(),
            follow_up_invited_at: aftercare.follow_up_invited_at.map(|at| format_instant(at, zone)),
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// Form posts.

/// The answer to a refused aftercare post: the interview page again, the message beside the form (a field
/// error) or at the top (a rule or a conflict), with the matching status. Other failures are error pages.
async fn refused(
    state: &AppState,
    session: &Session,
    me: &Account,
    uri: &Uri,
    id: InterviewId,
    error: ServiceError,
    mut feedback: AftercareFeedback,
) -> Result<Response, PageError> {
    let status = match &error {
        ServiceError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        ServiceError::Conflict(_) => StatusCode::CONFLICT,
        ServiceError::Forbidden(_) => StatusCode::FORBIDDEN,
        _ => return Err(error.into()),
    };
    match error {
        ServiceError::Invalid(fields) => {
            for (field, message) in fields.iter() {
                match field {
                    "message" => feedback.thanks_error = Some(crate::pages::field_message("Your note", message)),
                    "refer_to" => {
                        feedback.debrief_error = Some(crate::pages::field_message("The colleague", message));
                    }
                    "who" => feedback.problem = Some(crate::pages::field_message("Who", message)),
                    // A rule's message starts with its name (`interview_not_held: …`); people read the rest.
                    _ => feedback.problem = Some(sentence(message.split_once(": ").map_or(message, |(_, how)| how))),
                }
            }
        }
        ServiceError::Conflict(message) | ServiceError::Forbidden(message) => {
            feedback.problem = Some(format!("{} Nothing was changed.", sentence(&message)));
        }
        _ => {}
    }
    crate::pages::account::interview_page_response(state, session, me, uri, id, status, feedback).await
}

async fn done(session: &Session, id: InterviewId, message: String, anchor: &str) -> Response {
    redirect_with_flash(session, FlashKind::Success, message, &format!("/interviews/{id}#{anchor}")).await
}

#[derive(Debug, Deserialize)]
struct ThanksForm {
    #[serde(default)]
    message: String,
}

async fn thanks(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
    uri: Uri,
    Path(id): Path<String>,
    Form(form): Form<ThanksForm>,
) -> Result<Response, PageError> {
    let id = InterviewId(parse_id(&id)?);
    match state.services.send_thanks(&me, id, &form.message).await {
        Ok(detail) => {
            let text = format!("Your thank-you note is on its way to {}.", detail.interview.host.name);
            Ok(done(&session, id, text, "thanks-title").await)
        }
        Err(error) => {
            let feedback = AftercareFeedback { thanks_typed: Some(form.message), ..AftercareFeedback::default() };
            refused(&state, &session, &me, &uri, id, error, feedback).await
        }
    }
}

async fn debrief(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
    uri: Uri,
    Path(id): Path<String>,
    Form(form): Form<FormFields>,
) -> Result<Response, PageError> {
    let id = InterviewId(parse_id(&id)?);
    let input = DebriefInput {
        prepared: form.is_checked("prepared"),
        used_time_well: form.is_checked("used_time_well"),
        meet_again: form.is_checked("meet_again"),
        refer_to: Some(form.text("refer_to").to_owned()),
        keep_in_mind: form.is_checked("keep_in_mind"),
    };
    match state.services.save_debrief(&me, id, &input).await {
        Ok(detail) => {
            let mut text = "Your debrief is saved.".to_owned();
            if input.keep_in_mind && detail.aftercare.consent.is_some_and(|consent| consent.given.is_none()) {
                text.push_str(&format!(
                    " {} is asked whether you may keep them in mind; they join your talent pool only if they agree.",
                    detail.interview.seeker.name
                ));
            }
            Ok(done(&session, id, text, "debrief-title").await)
        }
        Err(error) => {
            let feedback = AftercareFeedback { debrief_typed: Some(input), ..AftercareFeedback::default() };
            refused(&state, &session, &me, &uri, id, error, feedback).await
        }
    }
}

#[derive(Debug, Deserialize)]
struct ConsentForm {
    #[serde(default)]
    consent: String,
}

async fn consent(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
    uri: Uri,
    Path(id): Path<String>,
    Form(form): Form<ConsentForm>,
) -> Result<Response, PageError> {
    let id = InterviewId(parse_id(&id)?);
    let given = match form.consent.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            let error = ServiceError::Invalid(coffeechat_domain::FieldErrors::single(
                "consent",
                "choose yes or no: may the host keep you in mind for roles?",
            ));
            return refused(&state, &session, &me, &uri, id, error, AftercareFeedback::default()).await;
        }
    };
    match state.services.answer_talent_consent(&me, id, given).await {
        Ok(detail) => {
            let host = &detail.interview.host.name;
            let text = if given {
                format!("{host} may keep you in mind for roles. You can withdraw this here at any time.")
            } else {
                format!("{host} will not keep you in mind for roles.")
            };
            Ok(done(&session, id, text, "consent-title").await)
        }
        Err(error) => refused(&state, &session, &me, &uri, id, error, AftercareFeedback::default()).await,
    }
}

#[derive(Debug, Deserialize)]
struct NoShowForm {
    #[serde(default)]
    who: String,
}

async fn no_show(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
    uri: Uri,
    Path(id): Path<String>,
    Form(form): Form<NoShowForm>,
) -> Result<Response, PageError> {
    let id = InterviewId(parse_id(&id)?);
    match state.services.report_no_show(&me, id, &form.who).await {
        Ok(detail) => {
            let other = if detail.is_host() { &detail.interview.seeker.name } else { &detail.interview.host.name };
            let text = format!("Recorded: {other} did not come. They are told, and can write to you.");
            Ok(done(&session, id, text, "no-show-title").await)
        }
        Err(error) => refused(&state, &session, &me, &uri, id, error, AftercareFeedback::default()).await,
    }
}

async fn follow_up(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
    uri: Uri,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = InterviewId(parse_id(&id)?);
    match state.services.invite_follow_up(&me, id).await {
        Ok(detail) => {
            let text =
                format!("{} is invited to a follow-up and can send you a new request.", detail.interview.seeker.name);
            Ok(done(&session, id, text, "follow-up-title").await)
        }
        Err(error) => refused(&state, &session, &me, &uri, id, error, AftercareFeedback::default()).await,
    }
}

// ---------------------------------------------------------------------------------------------------------
// The talent pool.

/// One consenting seeker on the talent-pool page.
#[derive(Debug, Clone)]
pub struct PoolRow {
    pub name: String,
    pub email: String,
    pub interview_id: i64,
    pub met: String,
    pub consented: String,
    pub notes: Vec<&'static str>,
    pub refer_to: Option<String>,
}

#[derive(Template)]
#[template(path = "aftercare/talent_pool.html")]
struct TalentPoolPage {
    layout: Layout,
    rows: Vec<PoolRow>,
}

async fn talent_pool(
    State(state): State<AppState>,
    session: Session,
    HostUser(me): HostUser,
    uri: Uri,
) -> Result<Response, PageError> {
    let entries = state.services.talent_pool(&me).await?;
    let zone = &me.time_zone;
    let rows = entries
        .iter()
        .map(|entry| {
            let debrief = &entry.debrief.debrief;
            let notes = [
                (debrief.prepared, "Came prepared"),
                (debrief.used_time_well, "Used the time well"),
                (debrief.meet_again, "You would meet again"),
            ]
            .into_iter()
            .filter_map(|(yes, note)| yes.then_some(note))
            .collect();
            PoolRow {
                name: entry.seeker_name.clone(),
                email: entry.seeker_email.as_str().to_owned(),
                interview_id: entry.interview_id.0,
                met: format_instant(entry.interview_start, zone),
                consented: format_instant(entry.consented_at, zone),
                notes,
                refer_to: debrief.refer_to.clone(),
            }
        })
        .collect();
    let page = TalentPoolPage { layout: Layout::new(&session, Some(&me), &uri).await, rows };
    Ok(render(&page))
}
