//! A signed-in user's own conversations: the dashboard, the host's inbox, a request and an interview in
//! full, the form posts that move them along (accept, decline, withdraw, cancel) and the .ics download.
//!
//! Every form works without JavaScript (Post/Redirect/Get with a flash; a refused action re-renders the
//! page it came from with the reason, status 409 or 422). With htmx, the inbox's accept and decline forms
//! swap just their request card. Who may see or do what is decided by the services: a request or interview
//! that is not the viewer's is answered with the same 404 page as one that does not exist.

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use coffeechat_domain::{
    AccountId, CancelReason, DeclineReason, FieldErrors, InterviewId, InterviewStatus, RequestId, RequestStatus,
};
use coffeechat_service::{Account, InterviewRecord, Party, RequestRecord, ServiceError};
use coffeechat_store::WaitlistStatus;
use jiff::Timestamp;
use serde::Deserialize;
use tower_sessions::Session;

use crate::AppState;
use crate::auth::SessionUser;
use crate::display::{format_instant, format_minutes, format_span};
use crate::error::PageError;
use crate::pages::{
    FlashKind, HostUser, Layout, is_htmx, parse_id, redirect_with_flash, render, render_with_status, sentence,
};

/// How many answered requests the inbox lists under the pending ones.
const RECENT_ANSWERED: usize = 20;

/// Routes of this module, merged by [`crate::pages::router`].
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dashboard", get(dashboard))
        .route("/inbox", get(inbox))
        .route("/requests/{id}", get(request_page))
        .route("/requests/{id}/accept", post(accept))
        .route("/requests/{id}/decline", post(decline))
        .route("/requests/{id}/withdraw", post(withdraw))
        .route("/interviews/{id}", get(interview_page))
        .route("/interviews/{id}/cancel", post(cancel))
        .route("/interviews/{id}/ics", get(interview_ics))
}

// ---------------------------------------------------------------------------------------------------------
// View models: everything a template shows, already formatted (times name their zone).

/// One interview in a dashboard list.
#[derive(Debug, Clone)]
pub struct InterviewRow {
    pub id: i64,
    /// The other participant's name.
    pub other_name: String,
    /// "You host" or "You asked", so a user with both roles knows which side they are on.
    pub side: &'static str,
    /// Start to end in the viewer's zone, zone named.
    pub when: String,
    pub length: String,
    /// `scheduled`, `past` or `cancelled` (also the CSS modifier of the status badge).
    pub status: &'static str,
    pub status_label: &'static str,
}

impl InterviewRow {
    fn new(interview: &InterviewRecord, me: &Account, now: Timestamp) -> Self {
        let is_host = interview.host.id == me.id;
        let (status, status_label) = interview_status(interview, now);
        InterviewRow {
            id: interview.id.0,
            other_name: other_party(interview, me.id).name.clone(),
            side: if is_host { "You host" } else { "You asked" },
            when: format_span(interview.start, interview.end, &me.time_zone),
            length: format_minutes(u32::from(interview.length.minutes())),
            status,
            status_label,
        }
    }
}

/// The other participant of `interview`, as `viewer` (one of the two) sees it.
pub(crate) fn other_party(interview: &InterviewRecord, viewer: AccountId) -> &Party {
    if interview.host.id == viewer { &interview.seeker } else { &interview.host }
}

fn interview_status(interview: &InterviewRecord, now: Timestamp) -> (&'static str, &'static str) {
    match interview.status {
        InterviewStatus::Cancelled => ("cancelled", "Cancelled"),
        InterviewStatus::Scheduled if interview.end <= now => ("past", "Took place"),
        InterviewStatus::Scheduled => ("scheduled", "Scheduled"),
    }
}

/// A proposed start, as a radio button of the accept form.
#[derive(Debug, Clone)]
pub struct SlotChoice {
    /// RFC 3339, the form value the services expect.
    pub value: String,
    /// Start to end in the viewer's zone, zone named.
    pub label: String,
    /// Already in the past: shown, but no longer choosable.
    pub passed: bool,
    /// Checked when the form is re-rendered after a refusal.
    pub checked: bool,
}

/// What the host wrote when declining, as the seeker reads it.
#[derive(Debug, Clone)]
pub struct DeclineText {
    pub reason_label: &'static str,
    pub kind_message: &'static str,
    pub host_message: Option<String>,
}

/// One entry of the decline form's reason list.
#[derive(Debug, Clone)]
pub struct ReasonOption {
    pub value: &'static str,
    pub label: &'static str,
    /// What the seeker will read for this reason.
    pub kind_message: &'static str,
    pub selected: bool,
}

/// A request as one party sees it, with the actions that party may take and the outcome of the last
/// attempt (field messages, a conflict, or a success notice for htmx swaps).
#[derive(Debug, Clone)]
pub struct RequestView {
    pub id: i64,
    pub seeker_name: String,
    pub host_name: String,
    pub host_handle: String,
    pub viewer_is_host: bool,
    pub length: String,
    pub purpose: String,
    pub topics: Vec<String>,
    pub questions: Vec<String>,
    pub slots: Vec<SlotChoice>,
    /// The zone the slots are shown in (the viewer's).
    pub zone: String,
    pub sent: String,
    pub updated: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub decline: Option<DeclineText>,
    pub interview_id: Option<i64>,
    /// The host may accept or decline.
    pub can_answer: bool,
    /// The seeker may withdraw.
    pub can_withdraw: bool,
    pub reasons: Vec<ReasonOption>,
    /// What the host typed in the decline message box.
    pub typed_message: String,
    /// Messages of a refused accept or decline, by form field (`start`, `reason`, `message`).
    pub errors: FieldErrors,
    /// Why the last action was refused when it is not about one field (the time was taken meanwhile).
    pub problem: Option<String>,
    /// Confirmation shown in place after an htmx action.
    pub notice: Option<String>,
    /// Where the forms of this card send the user back to (`inbox` or `request`).
    pub from: &'static str,
    /// The level of the card's title: 2 on the request's own page, 3 inside the inbox's sections.
    pub heading_level: u8,
}

impl RequestView {
    fn new(request: &RequestRecord, me: &Account, now: Timestamp, from: ReturnTo) -> Self {
        let viewer_is_host = request.host.id == me.id;
        let zone = &me.time_zone;
        let pending = request.status == RequestStatus::Pending;
        let slots = request
            .proposed_starts
            .iter()
            .map(|start| SlotChoice {
                value: start.to_string(),
                label: format_span(*start, *start + request.length.span(), zone),
                passed: *start <= now,
                checked: false,
            })
            .collect();
        let decline = request.decline_reason.map(|reason| DeclineText {
            reason_label: reason.label(),
            kind_message: reason.kind_message(),
            host_message: request.decline_message.clone().filter(|message| !message.trim().is_empty()),
        });
        RequestView {
            id: request.id.0,
            seeker_name: request.seeker.name.clone(),
            host_name: request.host.name.clone(),
            host_handle: request.host_handle.as_str().to_owned(),
            viewer_is_host,
            length: format_minutes(u32::from(request.length.minutes())),
            purpose: request.purpose.clone(),
            topics: request.topics.clone(),
            questions: request.questions.clone(),
            slots,
            zone: zone.as_str().to_owned(),
            sent: format_instant(request.created_at, zone),
            updated: format_instant(request.updated_at, zone),
            status: request.status.as_str(),
            status_label: request_status_label(request.status),
            decline,
            interview_id: request.interview_id.map(|id| id.0),
            can_answer: viewer_is_host && pending,
            can_withdraw: !viewer_is_host && pending,
            reasons: reason_options(None),
            typed_message: String::new(),
            errors: FieldErrors::new(),
            problem: None,
            notice: None,
            from: from.as_str(),
            heading_level: if from == ReturnTo::Request { 2 } else { 3 },
        }
    }

    /// Keeps what the host chose or typed and shows why the action was refused.
    fn with_feedback(mut self, feedback: ActionFeedback) -> Self {
        for slot in &mut self.slots {
            slot.checked = slot.value == feedback.start;
        }
        let chosen_reason = DeclineReason::parse(&feedback.reason).ok();
        self.reasons = reason_options(chosen_reason);
        self.typed_message = feedback.message;
        self.errors = feedback.errors;
        self.problem = feedback.problem;
        self
    }

    /// True when some slot can still be chosen (so the accept form is worth showing).
    pub fn has_open_slot(&self) -> bool {
        self.slots.iter().any(|slot| !slot.passed)
    }
}

fn reason_options(selected: Option<DeclineReason>) -> Vec<ReasonOption> {
    DeclineReason::ALL
        .into_iter()
        .map(|reason| ReasonOption {
            value: reason.as_str(),
            label: reason.label(),
            kind_message: reason.kind_message(),
            selected: selected == Some(reason),
        })
        .collect()
}

fn request_status_label(status: RequestStatus) -> &'static str {
    match status {
        RequestStatus::Pending => "Waiting for an answer",
        RequestStatus::Accepted => "Accepted",
        RequestStatus::Declined => "Declined",
        RequestStatus::Withdrawn => "Withdrawn",
        RequestStatus::Expired => "Expired without an answer",
    }
}

/// What the user sent with a refused action, to show it again with the reason.
#[derive(Debug, Clone, Default)]
struct ActionFeedback {
    start: String,
    reason: String,
    message: String,
    errors: FieldErrors,
    problem: Option<String>,
}

/// A step the dashboard suggests next.
#[derive(Debug, Clone)]
pub struct NextStep {
    pub text: String,
    pub href: String,
    pub link_text: &'static str,
}

// ---------------------------------------------------------------------------------------------------------
// Page templates.

#[derive(Template)]
#[template(path = "account/dashboard.html")]
struct DashboardPage {
    layout: Layout,
    zone: String,
    upcoming: Vec<InterviewRow>,
    past: Vec<InterviewRow>,
    is_seeker: bool,
    my_requests: Vec<RequestView>,
    next_steps: Vec<NextStep>,
    /// The seeker's places in hosts' lines.
    waitlist: Vec<WaitlistRow>,
    /// Missed conversations recorded against the seeker (they lower the open-request allowance).
    no_shows: u32,
}

#[derive(Template)]
#[template(path = "account/inbox.html")]
struct InboxPage {
    layout: Layout,
    zone: String,
    pending: Vec<RequestView>,
    answered: Vec<RequestView>,
}

/// One request card on its own, for htmx swaps in the inbox.
#[derive(Template)]
#[template(path = "account/request_card.html")]
struct RequestCardFragment {
    card: RequestView,
}

#[derive(Template)]
#[template(path = "account/request.html")]
struct RequestPage {
    layout: Layout,
    card: RequestView,
    /// What the etiquette check found when it was sent (shown to the host, muted).
    findings: Vec<FindingLine>,
    /// While pending: when it expires unanswered, in the viewer's zone.
    expires: Option<String>,
}

/// One etiquette finding as the host reads it.
#[derive(Debug, Clone)]
pub struct FindingLine {
    pub text: String,
    pub rule: &'static str,
    pub suggestion: String,
}

/// A waitlist place on the seeker's dashboard.
#[derive(Debug, Clone)]
pub struct WaitlistRow {
    pub id: i64,
    pub host_name: String,
    pub host_handle: String,
    pub position: u32,
    /// When an opening is kept for the seeker: until when (their zone), and the composer link.
    pub offer: Option<(String, String)>,
}

/// The interview page's view of one interview.
#[derive(Debug, Clone)]
pub struct InterviewView {
    pub id: i64,
    pub request_id: i64,
    pub host_name: String,
    pub host_handle: String,
    pub seeker_name: String,
    pub viewer_is_host: bool,
    pub other_name: String,
    pub length: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub purpose: String,
    pub topics: Vec<String>,
    pub questions: Vec<String>,
    pub cancel_reason: Option<String>,
    /// "you", or the other participant's name.
    pub cancelled_by: Option<String>,
    pub can_cancel: bool,
}

impl InterviewView {
    fn new(interview: &InterviewRecord, me: &Account, now: Timestamp) -> Self {
        let viewer_is_host = interview.host.id == me.id;
        let (status, status_label) = interview_status(interview, now);
        let cancelled_by = interview.cancelled_by.map(|by| {
            if by == me.id {
                "you".to_owned()
            } else if by == interview.host.id {
                interview.host.name.clone()
            } else {
                interview.seeker.name.clone()
            }
        });
        InterviewView {
            id: interview.id.0,
            request_id: interview.request_id.0,
            host_name: interview.host.name.clone(),
            host_handle: interview.host_handle.as_str().to_owned(),
            seeker_name: interview.seeker.name.clone(),
            viewer_is_host,
            other_name: other_party(interview, me.id).name.clone(),
            length: format_minutes(u32::from(interview.length.minutes())),
            status,
            status_label,
            purpose: interview.purpose.clone(),
            topics: interview.topics.clone(),
            questions: interview.questions.clone(),
            cancel_reason: interview.cancel_reason.clone(),
            cancelled_by,
            // The services refuse once it has started; offering the form then would only lead to a refusal.
            can_cancel: interview.status.is_active() && interview.start > now,
        }
    }
}

#[derive(Template)]
#[template(path = "account/interview.html")]
struct InterviewPage {
    layout: Layout,
    interview: InterviewView,
    typed_reason: String,
    reason_error: Option<String>,
    problem: Option<String>,
    /// The form to move it to another time, while it can be moved.
    reschedule: Option<crate::pages::calendar::RescheduleForm>,
    /// The clock, the agenda and what happens after the conversation.
    aftercare: crate::pages::aftercare::AftercarePanel,
}

// ---------------------------------------------------------------------------------------------------------
// Where a form sends the user back to. A fixed list, never a URL from the form, so it cannot redirect away.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReturnTo {
    Inbox,
    Dashboard,
    Request,
}

impl ReturnTo {
    fn parse(raw: &str) -> Self {
        match raw {
            "inbox" => ReturnTo::Inbox,
            "dashboard" => ReturnTo::Dashboard,
            _ => ReturnTo::Request,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            ReturnTo::Inbox => "inbox",
            ReturnTo::Dashboard => "dashboard",
            ReturnTo::Request => "request",
        }
    }

    fn path(self, id: RequestId) -> String {
        match self {
            ReturnTo::Inbox => "/inbox".to_owned(),
            ReturnTo::Dashboard => "/dashboard".to_owned(),
            ReturnTo::Request => format!("/requests/{id}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// Dashboard.

async fn dashboard(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
    uri: Uri,
) -> Result<Response, PageError> {
    let services = &state.services;
    let now = services.now();
    let interviews = services.interviews(&me).await?;
    let requests = services.requests(&me).await?;

    let (mut upcoming, mut past): (Vec<&InterviewRecord>, Vec<&InterviewRecord>) =
        interviews.iter().partition(|interview| interview.status.is_active() && interview.end > now);
    upcoming.sort_by_key(|interview| interview.start);
    past.sort_by_key(|interview| std::cmp::Reverse(interview.start));

    let mut mine: Vec<&RequestRecord> = requests.iter().filter(|request| request.seeker.id == me.id).collect();
    // Pending first (they can still be withdrawn), then the newest.
    mine.sort_by_key(|request| (!request.status.is_open(), std::cmp::Reverse(request.created_at)));
    let waiting_for_me = requests.iter().filter(|request| request.host.id == me.id && request.status.is_open()).count();

    let mut next_steps = next_steps(&state, &me, waiting_for_me, &mine, &upcoming).await?;
    if me.roles.host {
        // Demand the host turned away or keeps waiting: nothing is dropped silently.
        let line = services.my_line(&me).await?.len();
        let refused = services.refused_when_full(&me).await?;
        if line > 0 || refused > 0 {
            let mut text = String::new();
            if line > 0 {
                text.push_str(&format!(
                    "{line} {} on your waitlist; when you have room, the first is offered it for 48 hours. ",
                    if line == 1 { "person is" } else { "people are" }
                ));
            }
            if refused > 0 {
                text.push_str(&format!(
                    "{refused} {} refused because you were full in the last 30 days.",
                    if refused == 1 { "request was" } else { "requests were" }
                ));
            }
            next_steps.push(NextStep {
                text: text.trim().to_owned(),
                href: "/settings/policy#request-rules".into(),
                link_text: "Review your request rules",
            });
        }
    }
    let waitlist = services
        .my_waitlist(&me)
        .await?
        .into_iter()
        .filter(|entry| entry.status.is_active())
        .map(|entry| WaitlistRow {
            id: entry.id.0,
            host_name: entry.host.name.clone(),
            host_handle: entry.host_handle.as_str().to_owned(),
            position: entry.position.unwrap_or(1),
            offer: entry.offer_expires_at.filter(|_| entry.status == WaitlistStatus::Offered).map(|until| {
                (
                    format_instant(until, &me.time_zone),
                    format!("/h/{}/request?waitlist={}", entry.host_handle, entry.id),
                )
            }),
        })
        .collect();
    let page = DashboardPage {
        layout: Layout::new(&session, Some(&me), &uri).await,
        zone: me.time_zone.as_str().to_owned(),
        upcoming: upcoming.into_iter().map(|interview| InterviewRow::new(interview, &me, now)).collect(),
        past: past.into_iter().map(|interview| InterviewRow::new(interview, &me, now)).collect(),
        is_seeker: me.roles.seeker,
        my_requests: mine.into_iter().map(|request| RequestView::new(request, &me, now, ReturnTo::Dashboard)).collect(),
        next_steps,
        waitlist,
        no_shows: if me.roles.seeker { services.no_shows_of(&me).await? } else { 0 },
    };
    Ok(render(&page))
}

/// The few things worth doing next: hosts are listed only once they have a profile and a policy.
async fn next_steps(
    state: &AppState,
    me: &Account,
    waiting_for_me: usize,
    my_requests: &[&RequestRecord],
    upcoming: &[&InterviewRecord],
) -> Result<Vec<NextStep>, PageError> {
    let mut steps = Vec::new();
    if me.roles.host {
        if waiting_for_me > 0 {
            let text = if waiting_for_me == 1 {
                "One request is waiting for your answer.".to_owned()
            } else {
                format!("{waiting_for_me} requests are waiting for your answer.")
            };
            steps.push(NextStep { text, href: "/inbox".into(), link_text: "Open your inbox" });
        }
        match state.services.host_profile(me).await? {
            None => {
                steps.push(NextStep {
                    text: "Seekers find you through your host profile: who you are, what you do and what you are \
                           glad to talk about."
                        .into(),
                    href: "/settings/profile".into(),
                    link_text: "Write your profile",
                });
                steps.push(NextStep {
                    text: "Then say when you can meet: your time zone, a few weekly windows and how many \
                           conversations a month suit you."
                        .into(),
                    href: "/settings/policy".into(),
                    link_text: "Set your availability",
                });
            }
            Some(profile) => {
                let handle = profile.handle.as_str();
                let listed = state.services.host(handle).await?;
                match listed.policy {
                    None => steps.push(NextStep {
                        text: "Your profile is ready. Say when you can meet, and your page starts showing free slots."
                            .into(),
                        href: "/settings/policy".into(),
                        link_text: "Set your availability",
                    }),
                    Some(policy) if !policy.accepting => steps.push(NextStep {
                        text: "You are not taking requests at the moment, so your page shows no free slots.".into(),
                        href: "/settings/policy".into(),
                        link_text: "Change your availability",
                    }),
                    Some(_) => steps.push(NextStep {
                        text: "Your public page is live. Share it with people who might want to talk to you.".into(),
                        href: format!("/h/{handle}"),
                        link_text: "See your public page",
                    }),
                }
            }
        }
    }
    if me.roles.seeker {
        if my_requests.is_empty() && upcoming.is_empty() {
            steps.push(NextStep {
                text: "Look for someone whose work interests you, and send a short, prepared request.".into(),
                href: "/hosts".into(),
                link_text: "Find people",
            });
        } else {
            steps.push(NextStep {
                text: "Before a conversation, reread your questions and keep to the agreed length.".into(),
                href: "/hosts".into(),
                link_text: "Find more people",
            });
        }
    }
    Ok(steps)
}

// ---------------------------------------------------------------------------------------------------------
// Inbox.

async fn inbox(
    State(state): State<AppState>,
    session: Session,
    HostUser(me): HostUser,
    uri: Uri,
) -> Result<Response, PageError> {
    let page = inbox_page(&state, &session, &me, &uri, None).await?;
    Ok(render(&page))
}

async fn inbox_page(
    state: &AppState,
    session: &Session,
    me: &Account,
    uri: &Uri,
    feedback: Option<(RequestId, ActionFeedback)>,
) -> Result<InboxPage, PageError> {
    let now = state.services.now();
    let requests = state.services.requests(me).await?;
    let mut feedback = feedback;
    let mut card = |request: &RequestRecord| {
        let view = RequestView::new(request, me, now, ReturnTo::Inbox);
        match feedback.take_if(|(id, _)| *id == request.id) {
            Some((_, feedback)) => view.with_feedback(feedback),
            None => view,
        }
    };
    let mut pending: Vec<&RequestRecord> =
        requests.iter().filter(|request| request.host.id == me.id && request.status.is_open()).collect();
    // Oldest first: they have waited longest.
    pending.sort_by_key(|request| request.created_at);
    let mut answered: Vec<&RequestRecord> =
        requests.iter().filter(|request| request.host.id == me.id && !request.status.is_open()).collect();
    answered.sort_by_key(|request| std::cmp::Reverse(request.updated_at));
    answered.truncate(RECENT_ANSWERED);
    Ok(InboxPage {
        layout: Layout::new(session, Some(me), uri).await,
        zone: me.time_zone.as_str().to_owned(),
        pending: pending.into_iter().map(&mut card).collect(),
        answered: answered.into_iter().map(&mut card).collect(),
    })
}

// ---------------------------------------------------------------------------------------------------------
// One request, and the actions on it.

async fn request_page(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
    uri: Uri,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = RequestId(parse_id(&id)?);
    let request = state.services.request(&me, id).await?;
    let card = RequestView::new(&request, &me, state.services.now(), ReturnTo::Request);
    let findings = if request.host.id == me.id {
        let findings = state.services.request_findings(&me, id).await?;
        findings
            .into_iter()
            .map(|finding| FindingLine {
                text: finding.text,
                rule: finding.rule.title(),
                suggestion: finding.suggestion,
            })
            .collect()
    } else {
        Vec::new()
    };
    let expires = if request.status.is_open() {
        state.services.request_expires_at(&me, id).await?.map(|at| format_instant(at, &me.time_zone))
    } else {
        None
    };
    Ok(render(&RequestPage { layout: Layout::new(&session, Some(&me), &uri).await, card, findings, expires }))
}

#[derive(Debug, Deserialize)]
struct AcceptForm {
    #[serde(default)]
    start: String,
    #[serde(default)]
    from: String,
}

async fn accept(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<AcceptForm>,
) -> Result<Response, PageError> {
    let id = RequestId(parse_id(&id)?);
    let from = ReturnTo::parse(&form.from);
    let origin = ActionOrigin { state: &state, session: &session, me: &me, headers: &headers, id, from };
    let feedback = ActionFeedback { start: form.start.clone(), ..ActionFeedback::default() };
    if form.start.trim().is_empty() {
        let errors = FieldErrors::single("start", "choose one of the proposed times");
        return origin.refused(ActionFeedback { errors, ..feedback }, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    match state.services.accept(&me, id, &form.start).await {
        Ok(interview) => {
            let when = format_instant(interview.start, &me.time_zone);
            let message = format!("You accepted {}'s request: you meet on {when}.", interview.seeker.name);
            if is_htmx(&headers) {
                return card_after_action(&state, &me, id, from, message).await;
            }
            Ok(redirect_with_flash(&session, FlashKind::Success, message, &format!("/interviews/{}", interview.id))
                .await)
        }
        Err(error) => origin.failed(feedback, error).await,
    }
}

#[derive(Debug, Deserialize)]
struct DeclineForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    from: String,
}

async fn decline(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<DeclineForm>,
) -> Result<Response, PageError> {
    let id = RequestId(parse_id(&id)?);
    let from = ReturnTo::parse(&form.from);
    let origin = ActionOrigin { state: &state, session: &session, me: &me, headers: &headers, id, from };
    let feedback =
        ActionFeedback { reason: form.reason.clone(), message: form.message.clone(), ..ActionFeedback::default() };
    match state.services.decline(&me, id, &form.reason, &form.message).await {
        Ok(request) => {
            let message = format!("You declined {}'s request. They will read a kind note.", request.seeker.name);
            if is_htmx(&headers) {
                return card_after_action(&state, &me, id, from, message).await;
            }
            Ok(redirect_with_flash(&session, FlashKind::Success, message, &from.path(id)).await)
        }
        Err(error) => origin.failed(feedback, error).await,
    }
}

#[derive(Debug, Deserialize)]
struct WithdrawForm {
    #[serde(default)]
    from: String,
}

async fn withdraw(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<WithdrawForm>,
) -> Result<Response, PageError> {
    let id = RequestId(parse_id(&id)?);
    let from = ReturnTo::parse(&form.from);
    match state.services.withdraw(&me, id).await {
        Ok(request) => {
            let message = format!("You withdrew your request to {}.", request.host.name);
            Ok(redirect_with_flash(&session, FlashKind::Success, message, &from.path(id)).await)
        }
        // Nothing was typed, so a refusal can travel as a flash on the page the user came from.
        Err(ServiceError::Conflict(_)) if from == ReturnTo::Dashboard => {
            let request = state.services.request(&me, id).await?;
            let message = format!(
                "Your request to {} could not be withdrawn: it is already {}.",
                request.host.name,
                request.status.as_str()
            );
            Ok(redirect_with_flash(&session, FlashKind::Error, message, "/dashboard").await)
        }
        Err(error) => {
            let origin = ActionOrigin { state: &state, session: &session, me: &me, headers: &headers, id, from };
            origin.failed(ActionFeedback::default(), error).await
        }
    }
}

/// Where an action on a request came from, so that a refusal can be shown there.
struct ActionOrigin<'a> {
    state: &'a AppState,
    session: &'a Session,
    me: &'a Account,
    headers: &'a HeaderMap,
    id: RequestId,
    from: ReturnTo,
}

impl ActionOrigin<'_> {
    /// Turns a refused action into the page (or htmx card) that says why; other errors become error pages.
    async fn failed(&self, feedback: ActionFeedback, error: ServiceError) -> Result<Response, PageError> {
        match error {
            ServiceError::Invalid(errors) => {
                self.refused(ActionFeedback { errors, ..feedback }, StatusCode::UNPROCESSABLE_ENTITY).await
            }
            ServiceError::Conflict(reason) => {
                let problem =
                    format!("{} Nothing was changed; the request shows where it stands now.", sentence(&reason));
                self.refused(ActionFeedback { problem: Some(problem), ..feedback }, StatusCode::CONFLICT).await
            }
            other => Err(other.into()),
        }
    }

    /// Re-renders the request where the action came from, keeping what was chosen or typed.
    async fn refused(&self, feedback: ActionFeedback, status: StatusCode) -> Result<Response, PageError> {
        let Self { state, session, me, headers, id, from } = *self;
        if from == ReturnTo::Inbox && !is_htmx(headers) && me.roles.host {
            let page = inbox_page(state, session, me, &Uri::from_static("/inbox"), Some((id, feedback))).await?;
            return Ok(render_with_status(status, &page));
        }
        let request = state.services.request(me, id).await?;
        let card = RequestView::new(&request, me, state.services.now(), from).with_feedback(feedback);
        if is_htmx(headers) {
            return Ok(render_with_status(status, &RequestCardFragment { card }));
        }
        // The layout only uses the path to mark the navigation; the request page has no entry there.
        let layout = Layout::new(session, Some(me), &Uri::from_static("/requests")).await;
        let page = RequestPage { layout, card, findings: Vec::new(), expires: None };
        Ok(render_with_status(status, &page))
    }
}

/// The card of a request after a successful htmx action, with a confirmation in place of a flash.
async fn card_after_action(
    state: &AppState,
    me: &Account,
    id: RequestId,
    from: ReturnTo,
    notice: String,
) -> Result<Response, PageError> {
    let request = state.services.request(me, id).await?;
    let mut card = RequestView::new(&request, me, state.services.now(), from);
    card.notice = Some(notice);
    Ok(render(&RequestCardFragment { card }))
}

// ---------------------------------------------------------------------------------------------------------
// One interview: the page, cancelling, and the calendar file.

async fn interview_page(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
    uri: Uri,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = InterviewId(parse_id(&id)?);
    let feedback = crate::pages::aftercare::AftercareFeedback::default();
    interview_page_response(&state, &session, &me, &uri, id, StatusCode::OK, feedback).await
}

/// The interview page with `status`, showing what a refused aftercare form needs beside it (see
/// `pages/aftercare.rs`).
pub(crate) async fn interview_page_response(
    state: &AppState,
    session: &Session,
    me: &Account,
    uri: &Uri,
    id: InterviewId,
    status: StatusCode,
    mut feedback: crate::pages::aftercare::AftercareFeedback,
) -> Result<Response, PageError> {
    let detail = state.services.interview_detail(me, id).await?;
    let page = InterviewPage {
        layout: Layout::new(session, Some(me), uri).await,
        interview: InterviewView::new(&detail.interview, me, detail.now),
        typed_reason: String::new(),
        reason_error: None,
        problem: feedback.problem.take(),
        reschedule: crate::pages::calendar::reschedule_form(&state.services, me, &detail.interview).await?,
        aftercare: crate::pages::aftercare::AftercarePanel::new(&detail, me, feedback),
    };
    Ok(render_with_status(status, &page))
}

#[derive(Debug, Deserialize)]
struct CancelForm {
    #[serde(default)]
    reason: String,
}

async fn cancel(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
    uri: Uri,
    Path(id): Path<String>,
    Form(form): Form<CancelForm>,
) -> Result<Response, PageError> {
    let id = InterviewId(parse_id(&id)?);
    let (status, reason_error, problem) = match state.services.cancel_interview(&me, id, &form.reason).await {
        Ok(interview) => {
            let other = &other_party(&interview, me.id).name;
            let message = format!("You cancelled the conversation with {other}. They can see your reason.");
            return Ok(redirect_with_flash(&session, FlashKind::Success, message, &format!("/interviews/{id}")).await);
        }
        Err(ServiceError::Invalid(errors)) => {
            // The services name the field `reason`; anything else they report is shown beside it too.
            let message = errors
                .get("reason")
                .map(str::to_owned)
                .or_else(|| errors.iter().next().map(|(_, message)| message.to_owned()))
                .or_else(|| CancelReason::parse(&form.reason).err());
            (StatusCode::UNPROCESSABLE_ENTITY, message, None)
        }
        Err(ServiceError::Conflict(reason)) => {
            (StatusCode::CONFLICT, None, Some(format!("{} Nothing was changed.", sentence(&reason))))
        }
        Err(other) => return Err(other.into()),
    };
    let detail = state.services.interview_detail(&me, id).await?;
    let page = InterviewPage {
        layout: Layout::new(&session, Some(&me), &uri).await,
        interview: InterviewView::new(&detail.interview, &me, detail.now),
        typed_reason: form.reason,
        reason_error,
        problem,
        reschedule: crate::pages::calendar::reschedule_form(&state.services, &me, &detail.interview).await?,
        aftercare: crate::pages::aftercare::AftercarePanel::new(
            &detail,
            &me,
            crate::pages::aftercare::AftercareFeedback::default(),
        ),
    };
    Ok(render_with_status(status, &page))
}

async fn interview_ics(
    State(state): State<AppState>,
    SessionUser(me): SessionUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = InterviewId(parse_id(&id)?);
    let calendar = state.services.interview_ics(&me, id).await?;
    let disposition =
        HeaderValue::try_from(format!("attachment; filename=\"interview-{id}.ics\"")).map_err(PageError::internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8")),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
        ],
        calendar,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn return_targets_are_a_fixed_list() {
        assert_eq!(ReturnTo::parse("inbox").path(RequestId(7)), "/inbox");
        assert_eq!(ReturnTo::parse("dashboard").path(RequestId(7)), "/dashboard");
        assert_eq!(ReturnTo::parse("https://evil.example").path(RequestId(7)), "/requests/7");
    }

    #[test]
    fn ids_that_are_not_numbers_are_not_found() {
        assert_eq!(parse_id("12").ok(), Some(12));
        assert_eq!(parse_id("12abc").err().map(|error| error.status()), Some(StatusCode::NOT_FOUND));
    }
}
