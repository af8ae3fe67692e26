//! The JSON shapes of the API: request bodies (`…Body`, converted into the domain's inputs, which do the
//! validation) and responses (`…View`, built from the service's records). Field names are the contract's.

use coffeechat_domain::{
    HostPolicy, HostProfile, NewRequestInput, PolicyInput, RequestRules, RequestRulesInput, Role, WindowInput,
};
use coffeechat_service::{
    Account, AccountSettingsInput, HostListing, HostOutlook, InterviewRecord, Party, RequestRecord, SignUpInput,
    SlotList,
};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Sign-up.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SignUpBody {
    #[schema(example = "ada@example.org")]
    pub email: String,
    /// 8 to 128 characters.
    #[schema(example = "correct horse battery")]
    pub password: String,
    #[schema(example = "Ada Lovelace")]
    pub name: String,
    /// One or both of `host` and `seeker`.
    #[schema(example = json!(["seeker"]))]
    pub roles: Vec<String>,
    /// IANA zone the user sees times in.
    #[schema(example = "Europe/London")]
    pub time_zone: String,
}

impl From<SignUpBody> for SignUpInput {
    fn from(body: SignUpBody) -> Self {
        SignUpInput {
            email: body.email,
            password: body.password,
            name: body.name,
            roles: body.roles,
            time_zone: body.time_zone,
        }
    }
}

/// The caller's own changes to their account (`PUT /api/v1/me`).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AccountSettingsBody {
    #[schema(example = "Ada Lovelace")]
    pub name: String,
    /// IANA zone the user sees times in.
    #[schema(example = "Europe/London")]
    pub time_zone: String,
    /// The full set of roles wanted: roles can be added, not removed.
    #[schema(example = json!(["seeker", "host"]))]
    pub roles: Vec<String>,
}

impl From<AccountSettingsBody> for AccountSettingsInput {
    fn from(body: AccountSettingsBody) -> Self {
        AccountSettingsInput { name: body.name, time_zone: body.time_zone, roles: body.roles }
    }
}

/// An account (the caller's own, or the one just created).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AccountView {
    pub id: i64,
    pub email: String,
    pub name: String,
    /// `host` and/or `seeker`.
    pub roles: Vec<String>,
    pub time_zone: String,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
}

impl From<&Account> for AccountView {
    fn from(account: &Account) -> Self {
        AccountView {
            id: account.id.0,
            email: account.email.as_str().to_owned(),
            name: account.name.clone(),
            roles: account.roles.to_vec().into_iter().map(|role| Role::as_str(role).to_owned()).collect(),
            time_zone: account.time_zone.as_str().to_owned(),
            created_at: account.created_at,
        }
    }
}

/// Credentials exchanged for an API token.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct TokenBody {
    #[schema(example = "ada@example.org")]
    pub email: String,
    #[schema(example = "correct horse battery")]
    pub password: String,
}

/// A new API token: send it as `Authorization: Bearer <token>`. Only its hash is stored, so it is shown once.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TokenView {
    pub token: String,
    /// Always `Bearer`.
    pub token_type: String,
}

/// A host's profile.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HostProfileView {
    pub handle: String,
    pub name: String,
    pub headline: String,
    pub role: String,
    pub employer: String,
    pub industry: String,
    pub skills: Vec<String>,
    pub topics: Vec<String>,
    pub career_path: String,
}

impl From<&HostProfile> for HostProfileView {
    fn from(profile: &HostProfile) -> Self {
        HostProfileView {
            handle: profile.handle.as_str().to_owned(),
            name: profile.name.clone(),
            headline: profile.headline.clone(),
            role: profile.role.clone(),
            employer: profile.employer.clone(),
            industry: profile.industry.clone(),
            skills: profile.skills.clone(),
            topics: profile.topics.clone(),
            career_path: profile.career_path.clone(),
        }
    }
}

/// A weekly window of availability in the host's wall-clock time.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Window {
    /// `mon` .. `sun`.
    #[schema(example = "mon")]
    pub weekday: String,
    /// `HH:MM`, 24-hour.
    #[schema(example = "07:30")]
    pub start: String,
    /// `HH:MM`, after `start`.
    #[schema(example = "08:30")]
    pub end: String,
}

/// A host's availability policy (the same shape is read and written).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Policy {
    /// IANA zone the windows are in.
    #[schema(example = "Europe/London")]
    pub time_zone: String,
    /// Offered meeting lengths: any of 15, 20, 30, 45.
    #[schema(example = json!([20, 30]))]
    pub lengths_minutes: Vec<i64>,
    /// Several per weekday are fine; windows of one day must not overlap.
    pub windows: Vec<Window>,
    /// At most this many interviews start in one calendar month of the host's zone (1–100).
    #[schema(example = 4)]
    pub monthly_cap: i64,
    /// Free minutes kept before and after every interview (0–120).
    #[schema(example = 10)]
    pub buffer_minutes: i64,
    /// No slot starts sooner than this many hours from now (0–720).
    #[schema(example = 48)]
    pub min_notice_hours: i64,
    /// No slot starts later than this many days from now (1–365).
    #[schema(example = 30)]
    pub horizon_days: i64,
    /// Whether the host takes requests at all.
    pub accepting: bool,
    /// At most this many interviews start on one local day (1–20); null: no daily cap.
    #[serde(default)]
    #[schema(example = 2)]
    pub daily_cap: Option<i64>,
    /// At most this many interviews start in one local week (1–100); null: no weekly cap.
    #[serde(default)]
    pub weekly_cap: Option<i64>,
    /// `mon` .. `sun`: the day weeks start on, for the weekly cap. Default `mon`.
    #[serde(default = "default_week_start")]
    #[schema(example = "mon")]
    pub week_start: String,
    /// Minutes between possible slot starts: 5, 10, 15 or 30; null: the meeting length.
    #[serde(default)]
    pub slot_increment_minutes: Option<i64>,
    /// A pending request keeps its proposed slots from others for this many hours (0–168). Default 24.
    #[serde(default = "default_hold_hours")]
    #[schema(example = 24)]
    pub hold_hours: i64,
    /// Whether pending requests count towards the caps. Default false.
    #[serde(default)]
    pub count_pending: bool,
    /// Moving an interview needs at least this many hours' notice (0–720). Default 24.
    #[serde(default = "default_reschedule_notice_hours")]
    #[schema(example = 24)]
    pub reschedule_notice_hours: i64,
    /// Request rules (issue 4). On PUT, a rules field left out keeps its current value; responses always carry
    /// them. `warn`: a request with etiquette findings is sent and the host sees them; `block`: it is refused
    /// with the findings. Default `warn`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "warn", pattern = "^(warn|block)$")]
    pub etiquette_mode: Option<String>,
    /// Prepared questions a request must bring (1–10). Default 3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = 3, minimum = 1, maximum = 10)]
    pub min_questions: Option<i64>,
    /// A request sent while the host is full (paused, or no free slot in the horizon): `waitlist` puts the
    /// seeker in line (202), `decline` refuses kindly at once with up to 3 similar hosts who have time (409).
    /// Default `waitlist`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "waitlist", pattern = "^(waitlist|decline)$")]
    pub overflow: Option<String>,
    /// A pending request expires after this many days without an answer (1–60); the host is reminded once at
    /// half-time. Default 14.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = 14, minimum = 1, maximum = 60)]
    pub expiry_days: Option<i64>,
    /// Open (pending or waitlisted) requests a seeker may have at once (1–20), reduced by one per missed
    /// meeting of theirs, never below 1. Default 3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = 3, minimum = 1, maximum = 20)]
    pub max_open_requests: Option<i64>,
    /// The window the host commits to answer in, in days (1–30), shown on their page. Default 7.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = 7, minimum = 1, maximum = 30)]
    pub response_days: Option<i64>,
}

impl Policy {
    /// The policy and the request rules, as `/api/v1/me/policy` answers.
    pub fn with_rules(policy: &HostPolicy, rules: &RequestRules) -> Self {
        let rules = RequestRulesInput::from(rules);
        Policy {
            etiquette_mode: rules.etiquette_mode,
            min_questions: rules.min_questions,
            overflow: rules.overflow,
            expiry_days: rules.expiry_days,
            max_open_requests: rules.max_open_requests,
            response_days: rules.response_days,
            ..Policy::from(policy)
        }
    }

    /// The request-rules part of a body.
    pub fn rules_input(&self) -> RequestRulesInput {
        RequestRulesInput {
            etiquette_mode: self.etiquette_mode.clone(),
            min_questions: self.min_questions,
            overflow: self.overflow.clone(),
            expiry_days: self.expiry_days,
            max_open_requests: self.max_open_requests,
            response_days: self.response_days,
        }
    }
}

fn default_week_start() -> String {
    "mon".to_owned()
}

fn default_hold_hours() -> i64 {
    24
}

fn default_reschedule_notice_hours() -> i64 {
    24
}

impl From<Policy> for PolicyInput {
    fn from(body: Policy) -> Self {
        PolicyInput {
            time_zone: body.time_zone,
            lengths_minutes: body.lengths_minutes,
            windows: body
                .windows
                .into_iter()
                .map(|window| WindowInput { weekday: window.weekday, start: window.start, end: window.end })
                .collect(),
            monthly_cap: body.monthly_cap,
            buffer_minutes: body.buffer_minutes,
            min_notice_hours: body.min_notice_hours,
            horizon_days: body.horizon_days,
            accepting: body.accepting,
            daily_cap: body.daily_cap,
            weekly_cap: body.weekly_cap,
            week_start: body.week_start,
            slot_increment_minutes: body.slot_increment_minutes,
            hold_hours: body.hold_hours,
            count_pending: body.count_pending,
            reschedule_notice_hours: body.reschedule_notice_hours,
        }
    }
}

impl From<&HostPolicy> for Policy {
    fn from(policy: &HostPolicy) -> Self {
        Policy {
            time_zone: policy.time_zone.as_str().to_owned(),
            lengths_minutes: lengths_minutes(policy),
            windows: policy
                .windows
                .iter()
                .map(|window| Window {
                    weekday: window.weekday.as_str().to_owned(),
                    start: window.start_text(),
                    end: window.end_text(),
                })
                .collect(),
            monthly_cap: i64::from(policy.monthly_cap),
            buffer_minutes: i64::from(policy.buffer_minutes),
            min_notice_hours: i64::from(policy.min_notice_hours),
            horizon_days: i64::from(policy.horizon_days),
            accepting: policy.accepting,
            daily_cap: policy.daily_cap.map(i64::from),
            weekly_cap: policy.weekly_cap.map(i64::from),
            week_start: policy.week_start.as_str().to_owned(),
            slot_increment_minutes: policy.slot_increment_minutes.map(i64::from),
            hold_hours: i64::from(policy.hold_hours),
            count_pending: policy.count_pending,
            reschedule_notice_hours: i64::from(policy.reschedule_notice_hours),
            etiquette_mode: None,
            min_questions: None,
            overflow: None,
            expiry_days: None,
            max_open_requests: None,
            response_days: None,
        }
    }
}

fn lengths_minutes(policy: &HostPolicy) -> Vec<i64> {
    policy.lengths.iter().map(|length| i64::from(length.minutes())).collect()
}

/// A host as the public sees them: the profile, what they offer and when they are next free. No private fields.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HostView {
    pub handle: String,
    pub name: String,
    pub headline: String,
    pub role: String,
    pub employer: String,
    pub industry: String,
    pub skills: Vec<String>,
    pub topics: Vec<String>,
    pub career_path: String,
    /// The host's IANA zone.
    pub time_zone: String,
    /// Meeting lengths the host offers.
    pub lengths_minutes: Vec<i64>,
    /// Whether the host takes requests.
    pub accepting: bool,
    /// The first free slot in the next 14 days (shortest length), if any.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub next_free_slot: Option<Timestamp>,
    /// The host's current month is at its cap.
    pub month_full: bool,
    /// The public page.
    #[schema(example = "/h/priya-data")]
    pub page: String,
}

impl HostView {
    fn new(profile: &HostProfile, policy: &HostPolicy, next_free_slot: Option<Timestamp>, month_full: bool) -> Self {
        let profile_view = HostProfileView::from(profile);
        HostView {
            page: format!("/h/{}", profile_view.handle),
            handle: profile_view.handle,
            name: profile_view.name,
            headline: profile_view.headline,
            role: profile_view.role,
            employer: profile_view.employer,
            industry: profile_view.industry,
            skills: profile_view.skills,
            topics: profile_view.topics,
            career_path: profile_view.career_path,
            time_zone: policy.time_zone.as_str().to_owned(),
            lengths_minutes: lengths_minutes(policy),
            accepting: policy.accepting,
            next_free_slot,
            month_full,
        }
    }
}

impl From<&HostListing> for HostView {
    fn from(listing: &HostListing) -> Self {
        HostView::new(&listing.host.profile, &listing.policy, listing.next_free, listing.month_full)
    }
}

/// One host in full: the profile with what a seeker should know before asking — whether the host has room,
/// when the next opening is, how soon they usually answer and what a request must bring.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HostDetailView {
    #[serde(flatten)]
    pub host: HostView,
    /// Paused, or no free slot within the host's horizon: new requests overflow (see `overflow`).
    pub full: bool,
    /// When full: where the first period with room begins (none when paused or nothing opens soon).
    #[schema(value_type = Option<String>, format = DateTime)]
    pub next_opening: Option<Timestamp>,
    /// Median days to answer over recent requests; none for a new host (fewer than 3 answers).
    pub usual_response_days: Option<u32>,
    /// The window the host commits to answer in, in days.
    pub response_days: u32,
    /// Prepared questions a request must bring.
    pub min_questions: u32,
    /// What happens to a request when the host is full: `waitlist` or `decline`.
    pub overflow: String,
    /// Days after which an unanswered request expires.
    pub expiry_days: u32,
}

impl HostDetailView {
    pub fn new(list: &SlotList, outlook: &HostOutlook) -> Self {
        HostDetailView {
            host: HostView::from(list),
            full: outlook.capacity.is_full(),
            next_opening: outlook.capacity.next_opening,
            usual_response_days: match outlook.usual_response {
                coffeechat_domain::request_rules::UsualResponse::NewHost => None,
                coffeechat_domain::request_rules::UsualResponse::WithinDays(days) => Some(days),
            },
            response_days: outlook.rules.response_days,
            min_questions: outlook.rules.min_questions,
            overflow: outlook.rules.overflow.as_str().to_owned(),
            expiry_days: outlook.rules.expiry_days,
        }
    }
}

impl From<&SlotList> for HostView {
    fn from(list: &SlotList) -> Self {
        let next_free = list.slots.first().map(|slot| slot.start);
        HostView::new(&list.host.profile, &list.policy, next_free, list.month_full)
    }
}

/// Directory filters.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HostsQuery {
    /// Text search over name, headline, role, employer, industry, skills, topics and career path.
    pub q: Option<String>,
    /// Exact industry.
    pub industry: Option<String>,
    /// A skill the host lists.
    pub skill: Option<String>,
    /// Only hosts with a free slot in the next 14 days.
    pub has_free_slots: Option<bool>,
    /// At most this many hosts (1–100, default 100).
    pub limit: Option<u32>,
}

/// Which free slots to list; dates are calendar days read in `zone`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SlotsQuery {
    /// First day, `YYYY-MM-DD` (inclusive); default today.
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` (inclusive); default `from` + 14 days; at most 92 days after `from`.
    pub to: Option<String>,
    /// Meeting length in minutes; default the host's shortest.
    pub length: Option<String>,
    /// IANA zone the dates are read in; default the host's zone.
    pub zone: Option<String>,
}

/// A free slot.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SlotView {
    #[schema(value_type = String, format = DateTime, example = "2026-03-03T07:30:00Z")]
    pub start: Timestamp,
    #[schema(value_type = String, format = DateTime, example = "2026-03-03T08:00:00Z")]
    pub end: Timestamp,
}

/// A request for a conversation.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewRequestBody {
    /// The host's handle.
    #[schema(example = "priya-data")]
    pub host: String,
    /// One of the lengths the host offers.
    #[schema(example = 30)]
    pub length_minutes: i64,
    /// 1 to 3 free slots of the host (RFC 3339 instants, as listed by the slots endpoint). May be empty when
    /// the host is full: the request then joins the waitlist (or is declined), as the host chose.
    #[serde(default)]
    #[schema(example = json!(["2026-03-03T07:30:00Z"]))]
    pub proposed_starts: Vec<String>,
    /// Why the seeker wants to talk (required).
    pub purpose: String,
    /// At least one topic of the question bank (`career_path` or its heading, `Career path`).
    #[serde(default)]
    #[schema(example = json!(["career_path"]))]
    pub topics: Vec<String>,
    /// Questions the seeker has prepared: at least the host's `min_questions` (default 3).
    #[serde(default)]
    pub questions: Vec<String>,
}

impl From<NewRequestBody> for NewRequestInput {
    fn from(body: NewRequestBody) -> Self {
        NewRequestInput {
            host: body.host,
            length_minutes: body.length_minutes,
            proposed_starts: body.proposed_starts,
            purpose: body.purpose,
            topics: body.topics,
            questions: body.questions,
        }
    }
}

/// The host side of a request or interview.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HostRef {
    pub handle: String,
    pub name: String,
    pub time_zone: String,
}

/// The seeker side of a request or interview.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SeekerRef {
    pub id: i64,
    pub name: String,
    pub time_zone: String,
}

fn host_ref(party: &Party, handle: &coffeechat_domain::Handle) -> HostRef {
    HostRef {
        handle: handle.as_str().to_owned(),
        name: party.name.clone(),
        time_zone: party.time_zone.as_str().to_owned(),
    }
}

fn seeker_ref(party: &Party) -> SeekerRef {
    SeekerRef { id: party.id.0, name: party.name.clone(), time_zone: party.time_zone.as_str().to_owned() }
}

/// Which side of a request or interview the caller is on.
fn viewer_role(viewer: &Account, seeker: &Party) -> String {
    if viewer.id == seeker.id { "seeker" } else { "host" }.to_owned()
}

/// A request as its seeker and its host see it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RequestView {
    pub id: i64,
    /// `pending`, `accepted`, `declined`, `withdrawn` or `expired`.
    pub status: String,
    pub host: HostRef,
    pub seeker: SeekerRef,
    pub length_minutes: i64,
    #[schema(value_type = Vec<String>)]
    pub proposed_starts: Vec<Timestamp>,
    pub purpose: String,
    pub topics: Vec<String>,
    pub questions: Vec<String>,
    /// When declined: `no_capacity`, `timing`, `not_my_area` or `other`.
    pub decline_reason: Option<String>,
    pub decline_message: Option<String>,
    /// When accepted.
    pub interview_id: Option<i64>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
    /// The caller's side: `seeker` or `host`.
    pub viewer_role: String,
}

impl RequestView {
    pub fn new(record: &RequestRecord, viewer: &Account) -> Self {
        RequestView {
            id: record.id.0,
            status: record.status.as_str().to_owned(),
            host: host_ref(&record.host, &record.host_handle),
            seeker: seeker_ref(&record.seeker),
            length_minutes: i64::from(record.length.minutes()),
            proposed_starts: record.proposed_starts.clone(),
            purpose: record.purpose.clone(),
            topics: record.topics.clone(),
            questions: record.questions.clone(),
            decline_reason: record.decline_reason.map(|reason| reason.as_str().to_owned()),
            decline_message: record.decline_message.clone(),
            interview_id: record.interview_id.map(|id| id.0),
            created_at: record.created_at,
            updated_at: record.updated_at,
            viewer_role: viewer_role(viewer, &record.seeker),
        }
    }
}

/// A request just sent to a host with room (201): the request, and what the etiquette check found (the host
/// sees the same findings; in the host's `warn` mode they do not stop the request).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SentRequestView {
    #[serde(flatten)]
    pub request: RequestView,
    pub findings: Vec<crate::api::etiquette::FindingView>,
}

/// A request to a full host that keeps a waitlist (202): the seeker is in line.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WaitlistedView {
    /// Always `waitlisted`.
    #[schema(example = "waitlisted")]
    pub status: String,
    pub waitlist_id: i64,
    /// 1-based place in the host's line.
    #[schema(example = 2)]
    pub position: u32,
    pub host: HostRef,
    /// Where the first period with room begins (host zone), when known; null when the host paused.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub next_opening: Option<Timestamp>,
    /// What the seeker is told.
    pub message: String,
}

/// A request refused at once because the host is full and chose not to keep a waitlist (409). Recorded, so
/// the host can count it; never silently dropped.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HostFullView {
    /// A kind message: the host is full, and when they open again.
    pub error: String,
    /// Always `host`.
    #[schema(example = "host")]
    pub field: String,
    /// Always `host_full`.
    #[schema(example = "host_full")]
    pub rule: String,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub next_opening: Option<Timestamp>,
    /// Up to 3 hosts with similar experience (same industry, shared skills or topics) who have a free slot now.
    pub suggestions: Vec<SuggestionView>,
}

/// A similar host with time now.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SuggestionView {
    pub handle: String,
    pub name: String,
    pub headline: String,
    /// Their first free slot in the next two weeks.
    #[schema(value_type = String, format = DateTime)]
    pub next_free: Timestamp,
}

impl From<&coffeechat_service::HostSuggestion> for SuggestionView {
    fn from(suggestion: &coffeechat_service::HostSuggestion) -> Self {
        SuggestionView {
            handle: suggestion.handle.clone(),
            name: suggestion.name.clone(),
            headline: suggestion.headline.clone(),
            next_free: suggestion.next_free,
        }
    }
}

/// A waitlist entry as its seeker sees it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WaitlistEntryView {
    pub id: i64,
    /// `waiting`, `offered` (an opening is kept for you until `offer_expires_at`), `used`, `lapsed`, `left`
    /// or `declined_full`.
    #[schema(example = "waiting")]
    pub status: String,
    pub host: HostRef,
    /// 1-based place in line, while waiting or offered.
    pub position: Option<u32>,
    pub length_minutes: i64,
    pub purpose: String,
    pub topics: Vec<String>,
    pub questions: Vec<String>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub offer_expires_at: Option<Timestamp>,
    /// While offered: the composer, pre-filled from this entry.
    pub compose: Option<String>,
}

impl From<&coffeechat_store::WaitlistEntry> for WaitlistEntryView {
    fn from(entry: &coffeechat_store::WaitlistEntry) -> Self {
        let offered = entry.status == coffeechat_store::WaitlistStatus::Offered;
        WaitlistEntryView {
            id: entry.id.0,
            status: entry.status.as_str().to_owned(),
            host: host_ref(&entry.host, &entry.host_handle),
            position: entry.position,
            length_minutes: i64::from(entry.length.minutes()),
            purpose: entry.purpose.clone(),
            topics: entry.topics.clone(),
            questions: entry.questions.clone(),
            created_at: entry.created_at,
            offer_expires_at: entry.offer_expires_at,
            compose: offered.then(|| format!("/h/{}/request?waitlist={}", entry.host_handle, entry.id)),
        }
    }
}

/// The slot the host accepts.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AcceptBody {
    /// One of the request's proposed starts.
    #[schema(example = "2026-03-03T07:30:00Z")]
    pub start: String,
}

/// Why the host declines.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DeclineBody {
    /// `no_capacity`, `timing`, `not_my_area` or `other`.
    #[schema(example = "timing")]
    pub reason: String,
    /// A personal note to the seeker (optional; a kind default is used when empty).
    #[serde(default)]
    pub message: String,
}

/// Why an interview is cancelled (required, so the other side is never left guessing).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CancelBody {
    #[schema(example = "I am ill, sorry; could we find another time?")]
    pub reason: String,
}

/// An interview: an accepted request with a fixed time.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InterviewView {
    pub id: i64,
    pub request_id: i64,
    /// `scheduled` or `cancelled`.
    pub status: String,
    #[schema(value_type = String, format = DateTime)]
    pub start: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub end: Timestamp,
    pub length_minutes: i64,
    pub host: HostRef,
    pub seeker: SeekerRef,
    pub purpose: String,
    pub topics: Vec<String>,
    pub questions: Vec<String>,
    pub cancel_reason: Option<String>,
    /// Who cancelled (an account id), when cancelled.
    pub cancelled_by: Option<i64>,
    /// Where to download the calendar file.
    #[schema(example = "/api/v1/interviews/7/ics")]
    pub ics_url: String,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// The caller's side: `seeker` or `host`.
    pub viewer_role: String,
}

impl InterviewView {
    pub fn new(record: &InterviewRecord, viewer: &Account) -> Self {
        InterviewView {
            id: record.id.0,
            request_id: record.request_id.0,
            status: record.status.as_str().to_owned(),
            start: record.start,
            end: record.end,
            length_minutes: i64::from(record.length.minutes()),
            host: host_ref(&record.host, &record.host_handle),
            seeker: seeker_ref(&record.seeker),
            purpose: record.purpose.clone(),
            topics: record.topics.clone(),
            questions: record.questions.clone(),
            cancel_reason: record.cancel_reason.clone(),
            cancelled_by: record.cancelled_by.map(|id| id.0),
            ics_url: format!("/api/v1/interviews/{}/ics", record.id),
            created_at: record.created_at,
            viewer_role: viewer_role(viewer, &record.seeker),
        }
    }
}
