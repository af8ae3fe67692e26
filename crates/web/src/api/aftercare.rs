//! After the conversation, over the API: the interview's agenda and clock (part of `GET /interviews/{id}`),
//! the seeker's thank-you note, the host's debrief, talent-pool consent, no-shows, follow-up invitations and
//! the host's talent pool.

use axum::Json;
use axum::extract::State;
use coffeechat_domain::InterviewId;
use coffeechat_domain::aftercare::DebriefInput;
use coffeechat_service::InterviewDetail;
use coffeechat_store::TalentPoolEntry;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::{ApiJson, ApiPath};
use super::models::InterviewView;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, ErrorBody};

/// One block of the interview's running order.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AgendaItemView {
    /// `hello`, `question`, `conversation`, `if_time_allows` or `wrap_up`.
    pub kind: String,
    #[schema(example = "How did you move from teaching into data work?")]
    pub label: String,
    /// Minutes it is given (0 for questions asked only if time allows).
    pub minutes: u16,
    #[schema(value_type = String, format = DateTime)]
    pub starts_at: Timestamp,
}

/// The seeker's thank-you note.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ThanksView {
    pub sent: bool,
    pub message: Option<String>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub sent_at: Option<Timestamp>,
}

/// A recorded no-show.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NoShowView {
    /// Who did not come: `seeker` or `host`.
    pub who: String,
    #[schema(value_type = String, format = DateTime)]
    pub reported_at: Timestamp,
}

/// The host's debrief (shown to the host only).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DebriefView {
    pub prepared: bool,
    pub used_time_well: bool,
    pub meet_again: bool,
    pub refer_to: Option<String>,
    pub keep_in_mind: bool,
    #[schema(value_type = String, format = DateTime)]
    pub written_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

/// The seeker's answer to "may the host keep you in mind for roles?".
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ConsentView {
    #[schema(value_type = String, format = DateTime)]
    pub asked_at: Timestamp,
    /// Null while unanswered; false when refused or withdrawn.
    pub given: Option<bool>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub answered_at: Option<Timestamp>,
}

/// What the caller may do now.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AftercareActions {
    pub thank: bool,
    pub debrief: bool,
    pub answer_consent: bool,
    pub report_no_show: bool,
    pub invite_follow_up: bool,
}

/// One interview with its running order, its clock and what happened after it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InterviewDetailView {
    #[serde(flatten)]
    pub interview: InterviewView,
    /// `upcoming`, `in_progress`, `ended` or `cancelled`.
    pub phase: String,
    /// Hello, the seeker's questions time-boxed to the length, and the wrap-up; minutes add up to the length.
    pub agenda: Vec<AgendaItemView>,
    /// When to start wrapping up: five minutes before the end.
    #[schema(value_type = String, format = DateTime)]
    pub wrap_up_at: Timestamp,
    pub thanks: ThanksView,
    pub no_show: Option<NoShowView>,
    /// The host's debrief; null for the seeker, and until written.
    pub debrief: Option<DebriefView>,
    /// Present once the host asked to keep the seeker in mind.
    pub talent_consent: Option<ConsentView>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub follow_up_invited_at: Option<Timestamp>,
    pub actions: AftercareActions,
}

impl InterviewDetailView {
    pub fn new(detail: &InterviewDetail, viewer: &coffeechat_service::Account) -> Self {
        let aftercare = &detail.aftercare;
        InterviewDetailView {
            interview: InterviewView::new(&detail.interview, viewer),
            phase: detail.phase.as_str().to_owned(),
            agenda: detail
                .agenda
                .items
                .iter()
                .map(|item| AgendaItemView {
                    kind: item.kind.as_str().to_owned(),
                    label: item.label.clone(),
                    minutes: item.minutes,
                    starts_at: item.starts_at,
                })
                .collect(),
            wrap_up_at: detail.agenda.wrap_up_at,
            thanks: ThanksView {
                sent: aftercare.thanks.is_some(),
                message: aftercare.thanks.as_ref().map(|note| note.message.clone()),
                sent_at: aftercare.thanks.as_ref().map(|note| note.sent_at),
            },
            no_show: aftercare.no_show.as_ref().map(|no_show| NoShowView {
                who: no_show.absent.as_str().to_owned(),
                reported_at: no_show.reported_at,
            }),
            debrief: aftercare.debrief.as_ref().filter(|_| detail.is_host()).map(|record| DebriefView {
                prepared: record.debrief.prepared,
                used_time_well: record.debrief.used_time_well,
                meet_again: record.debrief.meet_again,
                refer_to: record.debrief.refer_to.clone(),
                keep_in_mind: record.debrief.keep_in_mind,
                written_at: record.written_at,
                updated_at: record.updated_at,
            }),
            talent_consent: aftercare.consent.map(|consent| ConsentView {
                asked_at: consent.asked_at,
                given: consent.given,
                answered_at: consent.answered_at,
            }),
            follow_up_invited_at: aftercare.follow_up_invited_at,
            actions: AftercareActions {
                thank: detail.can_thank(),
                debrief: detail.can_debrief(),
                answer_consent: detail.can_answer_consent(),
                report_no_show: detail.can_report_no_show(),
                invite_follow_up: detail.can_invite_follow_up(),
            },
        }
    }
}

/// A thank-you note to the host.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ThanksBody {
    #[schema(example = "Thank you for your time yesterday: the advice on portfolios was exactly what I needed.")]
    pub message: String,
}

/// The host's debrief: four yes/no answers and an optional colleague.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DebriefBody {
    /// The seeker came prepared.
    pub prepared: bool,
    /// The time was used well.
    pub used_time_well: bool,
    /// The host would meet them again.
    pub meet_again: bool,
    /// A colleague to refer them to (a name or an address), or null.
    #[serde(default)]
    #[schema(example = "Lena Fischer, lena@example.org")]
    pub refer_to: Option<String>,
    /// Keep them in mind for roles: asks the seeker's consent; only consenting seekers enter the talent pool.
    pub keep_in_mind: bool,
}

/// The seeker's answer about the talent pool.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ConsentBody {
    /// true: the host may keep you in mind for roles; false: refuse, or withdraw an earlier yes.
    pub consent: bool,
}

/// Who did not come.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NoShowBody {
    /// `seeker` or `host`: always the other side.
    #[schema(example = "seeker")]
    pub who: String,
}

/// One consenting seeker in the host's talent pool.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TalentPoolEntryView {
    pub seeker_id: i64,
    pub name: String,
    pub email: String,
    /// The conversation the debrief belongs to (the latest with this seeker).
    pub interview_id: i64,
    #[schema(value_type = String, format = DateTime)]
    pub interview_start: Timestamp,
    pub debrief: DebriefView,
    #[schema(value_type = String, format = DateTime)]
    pub consented_at: Timestamp,
}

impl From<&TalentPoolEntry> for TalentPoolEntryView {
    fn from(entry: &TalentPoolEntry) -> Self {
        let record = &entry.debrief;
        TalentPoolEntryView {
            seeker_id: entry.seeker_id.0,
            name: entry.seeker_name.clone(),
            email: entry.seeker_email.as_str().to_owned(),
            interview_id: entry.interview_id.0,
            interview_start: entry.interview_start,
            debrief: DebriefView {
                prepared: record.debrief.prepared,
                used_time_well: record.debrief.used_time_well,
                meet_again: record.debrief.meet_again,
                refer_to: record.debrief.refer_to.clone(),
                keep_in_mind: record.debrief.keep_in_mind,
                written_at: record.written_at,
                updated_at: record.updated_at,
            },
            consented_at: entry.consented_at,
        }
    }
}

/// The seeker thanks the host, once, after a conversation that took place.
#[utoipa::path(
    post,
    path = "/interviews/{id}/thanks",
    tag = "aftercare",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Interview id")),
    request_body = ThanksBody,
    responses(
        (status = 200, description = "Sent; the host gets it by email", body = InterviewDetailView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The caller is the host", body = ErrorBody),
        (status = 404, description = "No such interview, or not the caller's", body = ErrorBody),
        (status = 409, description = "A note was already sent", body = ErrorBody),
        (status = 422, description = "`interview`: interview_not_held (cancelled, not yet over, or missed); `message`: blank or too long", body = ErrorBody),
    )
)]
pub async fn thanks(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ThanksBody>,
) -> Result<Json<InterviewDetailView>, ApiError> {
    let detail = state.services.send_thanks(&me, InterviewId(id), &body.message).await?;
    Ok(Json(InterviewDetailView::new(&detail, &me)))
}

/// The host's two-minute debrief, after a conversation that took place (sending it again replaces it).
#[utoipa::path(
    post,
    path = "/interviews/{id}/debrief",
    tag = "aftercare",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Interview id")),
    request_body = DebriefBody,
    responses(
        (status = 200, description = "Saved; ticking keep_in_mind asks the seeker's consent", body = InterviewDetailView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The caller is the seeker", body = ErrorBody),
        (status = 404, description = "No such interview, or not the caller's", body = ErrorBody),
        (status = 422, description = "`interview`: interview_not_held; `refer_to`: too long", body = ErrorBody),
    )
)]
pub async fn debrief(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<DebriefBody>,
) -> Result<Json<InterviewDetailView>, ApiError> {
    let input = DebriefInput {
        prepared: body.prepared,
        used_time_well: body.used_time_well,
        meet_again: body.meet_again,
        refer_to: body.refer_to,
        keep_in_mind: body.keep_in_mind,
    };
    let detail = state.services.save_debrief(&me, InterviewId(id), &input).await?;
    Ok(Json(InterviewDetailView::new(&detail, &me)))
}

/// The seeker answers whether the host may keep them in mind for roles (or withdraws a yes).
#[utoipa::path(
    post,
    path = "/interviews/{id}/consent",
    tag = "aftercare",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Interview id")),
    request_body = ConsentBody,
    responses(
        (status = 200, description = "Answered", body = InterviewDetailView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The caller is the host", body = ErrorBody),
        (status = 404, description = "No such interview, or not the caller's", body = ErrorBody),
        (status = 422, description = "`consent`: the host never asked", body = ErrorBody),
    )
)]
pub async fn consent(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ConsentBody>,
) -> Result<Json<InterviewDetailView>, ApiError> {
    let detail = state.services.answer_talent_consent(&me, InterviewId(id), body.consent).await?;
    Ok(Json(InterviewDetailView::new(&detail, &me)))
}

/// Records that the other side did not come (once, after the start).
#[utoipa::path(
    post,
    path = "/interviews/{id}/no-show",
    tag = "aftercare",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Interview id")),
    request_body = NoShowBody,
    responses(
        (status = 200, description = "Recorded; the other side is told", body = InterviewDetailView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 404, description = "No such interview, or not the caller's", body = ErrorBody),
        (status = 409, description = "A no-show or a thank-you note was already recorded", body = ErrorBody),
        (status = 422, description = "`who`: not the other side; `interview`: interview_not_started or interview_not_held", body = ErrorBody),
    )
)]
pub async fn no_show(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NoShowBody>,
) -> Result<Json<InterviewDetailView>, ApiError> {
    let detail = state.services.report_no_show(&me, InterviewId(id), &body.who).await?;
    Ok(Json(InterviewDetailView::new(&detail, &me)))
}

/// The host invites the seeker to a follow-up conversation (once per conversation).
#[utoipa::path(
    post,
    path = "/interviews/{id}/follow-up",
    tag = "aftercare",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Interview id")),
    responses(
        (status = 200, description = "Invited; the seeker is told", body = InterviewDetailView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The caller is the seeker", body = ErrorBody),
        (status = 404, description = "No such interview, or not the caller's", body = ErrorBody),
        (status = 409, description = "Already invited after this conversation", body = ErrorBody),
        (status = 422, description = "`interview`: interview_not_held", body = ErrorBody),
    )
)]
pub async fn follow_up(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<InterviewDetailView>, ApiError> {
    let detail = state.services.invite_follow_up(&me, InterviewId(id)).await?;
    Ok(Json(InterviewDetailView::new(&detail, &me)))
}

/// The host's talent pool: seekers they keep in mind who consented, with the debrief notes.
#[utoipa::path(
    get,
    path = "/me/talent-pool",
    tag = "aftercare",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Consenting seekers, latest conversation first", body = Vec<TalentPoolEntryView>),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "The caller is not a host", body = ErrorBody),
    )
)]
pub async fn talent_pool(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
) -> Result<Json<Vec<TalentPoolEntryView>>, ApiError> {
    let entries = state.services.talent_pool(&me).await?;
    Ok(Json(entries.iter().map(TalentPoolEntryView::from).collect()))
}
