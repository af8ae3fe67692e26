//! A host's settings: the public profile (`/settings/profile`) and the availability policy
//! (`/settings/policy`, with a weekly-windows editor that works without JavaScript).
//!
//! The forms post back to their own page. Validation is the domain's (through the services): a refused
//! form is re-rendered with status 422, every typed value kept and each message beside its input, using
//! the domain's field names (`windows[2].end`) as the inputs' names so messages land on the right row.
//! Posts are read as [`FormFields`] (every `name=value` pair in order), since checkbox lists repeat a name
//! and window rows carry their index in the name.
//!
//! The pages take [`HostUser`]: a user without the host role gets the friendly "this part is for hosts" page
//! (403) instead of a form.

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use coffeechat_domain::{
    FieldErrors, HostBackground, HostBackgroundInput, HostPolicy, HostProfile, HostProfileInput, MeetingLength,
    PolicyInput, RequestRules, RequestRulesInput, SLOT_INCREMENTS, Seniority, Weekday,
};
use coffeechat_service::Account;
use tower_sessions::Session;

use crate::AppState;
use crate::auth::SessionUser;
use crate::display::{ZoneOption, zone_options};
use crate::error::PageError;
use crate::pages::forms::{FormErrors, every_problem, refused_form, split_list};
use crate::pages::{FlashKind, FormFields, HostUser, Layout, redirect_with_flash, render, unprocessable};

/// Topics offered as checkboxes on the profile form; hosts can add their own beside them.
pub const SUGGESTED_TOPICS: [&str; 9] = [
    "Career path",
    "A day in the role",
    "Skills and training",
    "Culture and work environment",
    "Advancement",
    "Benefits",
    "The hiring process in general",
    "Industry trends",
    "How people succeed",
];

/// Empty window rows offered below the saved ones, so windows can be added without JavaScript.
const BLANK_WINDOW_ROWS: usize = 3;

/// Window rows beyond this index are ignored: no real week needs more, and it bounds what a post can allocate.
const MAX_WINDOW_ROWS: usize = 100;

/// Routes of this module, merged by [`crate::pages::router`].
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/settings", get(settings_home))
        .route("/settings/profile", get(profile_page).post(save_profile))
        .route("/settings/policy", get(policy_page).post(save_policy))
        .route("/settings/policy/window-row", get(window_row))
}

/// Hosts start at their profile; everyone else has only the account tab.
async fn settings_home(SessionUser(me): SessionUser) -> Redirect {
    Redirect::to(if me.roles.host { "/settings/profile" } else { "/settings/account" })
}

// ---------------------------------------------------------------------------------------------------------
// Reading posted forms.

// ---------------------------------------------------------------------------------------------------------
// Profile.

/// The profile form's values, as typed.
#[derive(Debug, Clone, Default)]
pub struct ProfileForm {
    pub handle: String,
    pub name: String,
    pub headline: String,
    pub role: String,
    pub employer: String,
    pub industry: String,
    /// Comma-separated.
    pub skills: String,
    /// Ticked suggestions.
    pub topics: Vec<String>,
    /// Topics of the host's own, comma-separated.
    pub other_topics: String,
    pub career_path: String,
    /// Earlier roles, one per line (a job title may hold a comma).
    pub previous_roles: String,
    /// Comma-separated.
    pub languages: String,
    pub region: String,
    /// `Seniority::as_str`.
    pub seniority: String,
}

impl ProfileForm {
    /// A first profile: only the account's name is known.
    fn blank(me: &Account) -> Self {
        ProfileForm { name: me.name.clone(), ..ProfileForm::default() }
    }

    fn from_profile(profile: &HostProfile, background: &HostBackground) -> Self {
        let (suggested, own): (Vec<&String>, Vec<&String>) =
            profile.topics.iter().partition(|topic| suggested_topic(topic).is_some());
        ProfileForm {
            handle: profile.handle.as_str().to_owned(),
            name: profile.name.clone(),
            headline: profile.headline.clone(),
            role: profile.role.clone(),
            employer: profile.employer.clone(),
            industry: profile.industry.clone(),
            skills: profile.skills.join(", "),
            topics: suggested.into_iter().filter_map(|topic| suggested_topic(topic)).map(str::to_owned).collect(),
            other_topics: own.into_iter().map(String::as_str).collect::<Vec<_>>().join(", "),
            career_path: profile.career_path.clone(),
            previous_roles: background.previous_roles.join("\n"),
            languages: background.languages.join(", "),
            region: background.region.clone(),
            seniority: background.seniority.as_str().to_owned(),
        }
    }

    fn from_fields(fields: &FormFields) -> Self {
        ProfileForm {
            handle: fields.text("handle").to_owned(),
            name: fields.text("name").to_owned(),
            headline: fields.text("headline").to_owned(),
            role: fields.text("role").to_owned(),
            employer: fields.text("employer").to_owned(),
            industry: fields.text("industry").to_owned(),
            skills: fields.text("skills").to_owned(),
            topics: fields.all("topics"),
            other_topics: fields.text("other_topics").to_owned(),
            career_path: fields.text("career_path").to_owned(),
            previous_roles: fields.text("previous_roles").to_owned(),
            languages: fields.text("languages").to_owned(),
            region: fields.text("region").to_owned(),
            seniority: fields.text("seniority").to_owned(),
        }
    }

    fn to_background_input(&self) -> HostBackgroundInput {
        HostBackgroundInput {
            previous_roles: self
                .previous_roles
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            languages: split_list(&self.languages),
            region: self.region.clone(),
            seniority: self.seniority.clone(),
        }
    }

    fn seniority_choices(&self) -> Vec<SeniorityChoice> {
        Seniority::ALL
            .iter()
            .map(|level| SeniorityChoice {
                value: level.as_str(),
                label: level.label(),
                selected: level.as_str() == self.seniority.trim(),
            })
            .collect()
    }

    fn to_input(&self) -> HostProfileInput {
        let mut topics: Vec<String> = self.topics.clone();
        topics.extend(split_list(&self.other_topics));
        HostProfileInput {
            handle: self.handle.clone(),
            name: self.name.clone(),
            headline: self.headline.clone(),
            role: self.role.clone(),
            employer: self.employer.clone(),
            industry: self.industry.clone(),
            skills: split_list(&self.skills),
            topics,
            career_path: self.career_path.clone(),
        }
    }

    fn topic_choices(&self) -> Vec<TopicChoice> {
        SUGGESTED_TOPICS
            .iter()
            .enumerate()
            .map(|(index, topic)| TopicChoice {
                value: topic,
                id: format!("topic-{index}"),
                checked: self.topics.iter().any(|chosen| chosen.trim().eq_ignore_ascii_case(topic)),
            })
            .collect()
    }
}

/// The suggested spelling of `topic` when it is one of the suggestions.
fn suggested_topic(topic: &str) -> Option<&'static str> {
    SUGGESTED_TOPICS.iter().copied().find(|suggested| suggested.eq_ignore_ascii_case(topic.trim()))
}

/// A seniority level as an option of the select.
#[derive(Debug, Clone)]
pub struct SeniorityChoice {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

/// A suggested topic as a checkbox.
#[derive(Debug, Clone)]
pub struct TopicChoice {
    pub value: &'static str,
    pub id: String,
    pub checked: bool,
}

fn profile_label(field: &str) -> String {
    match field {
        "handle" => "Handle",
        "name" => "Name",
        "headline" => "Headline",
        "role" => "Current role",
        "employer" => "Employer",
        "industry" => "Industry",
        "skills" => "Skills",
        "topics" => "Topics",
        "career_path" => "Career path",
        "previous_roles" => "Earlier roles",
        "languages" => "Languages",
        "region" => "Region",
        "seniority" => "Seniority",
        other => other,
    }
    .to_owned()
}

#[derive(Template)]
#[template(path = "settings/profile.html")]
struct ProfilePage {
    layout: Layout,
    form: ProfileForm,
    topics: Vec<TopicChoice>,
    seniorities: Vec<SeniorityChoice>,
    errors: FormErrors,
    /// The saved handle, for the link to the public page (none before the first save).
    saved_handle: Option<String>,
    /// Industries other hosts use, offered as suggestions.
    industries: Vec<String>,
}

/// The profile form's fields, in the order the form shows them.
const PROFILE_FIELDS: [&str; 13] = [
    "handle",
    "name",
    "headline",
    "role",
    "employer",
    "industry",
    "skills",
    "career_path",
    "previous_roles",
    "languages",
    "region",
    "seniority",
    "topics",
];

async fn profile_page(
    State(state): State<AppState>,
    session: Session,
    HostUser(me): HostUser,
    uri: Uri,
) -> Result<Response, PageError> {
    let saved = state.services.host_profile(&me).await?;
    let background = state.services.host_background(&me).await?;
    let form = saved
        .as_ref()
        .map_or_else(|| ProfileForm::blank(&me), |profile| ProfileForm::from_profile(profile, &background));
    let page = profile_view(&state, &session, &me, &uri, form, saved.as_ref(), FieldErrors::new()).await?;
    Ok(render(&page))
}

async fn save_profile(
    State(state): State<AppState>,
    session: Session,
    HostUser(me): HostUser,
    uri: Uri,
    Form(fields): Form<FormFields>,
) -> Result<Response, PageError> {
    let form = ProfileForm::from_fields(&fields);
    match state.services.put_host_profile_with_background(&me, form.to_input(), form.to_background_input()).await {
        Ok((profile, _)) => {
            let message = format!("Profile saved. Your public page is /h/{}.", profile.handle);
            Ok(redirect_with_flash(&session, FlashKind::Success, message, "/settings/profile").await)
        }
        Err(error) => {
            refused_form(error, async |errors| {
                let saved = state.services.host_profile(&me).await?;
                profile_view(&state, &session, &me, &uri, form, saved.as_ref(), errors).await
            })
            .await
        }
    }
}

async fn profile_view(
    state: &AppState,
    session: &Session,
    me: &Account,
    uri: &Uri,
    form: ProfileForm,
    saved: Option<&HostProfile>,
    errors: FieldErrors,
) -> Result<ProfilePage, PageError> {
    let industries = state.services.industries().await?;
    Ok(ProfilePage {
        layout: Layout::new(session, Some(me), uri).await,
        topics: form.topic_choices(),
        seniorities: form.seniority_choices(),
        errors: FormErrors::new(errors, &PROFILE_FIELDS, profile_label, "Your profile wasn't saved yet"),
        form,
        saved_handle: saved.map(|profile| profile.handle.as_str().to_owned()),
        industries,
    })
}

// ---------------------------------------------------------------------------------------------------------
// Policy.

/// One row of the weekly-windows editor, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WindowRow {
    pub weekday: String,
    pub start: String,
    pub end: String,
}

impl WindowRow {
    fn is_blank(&self) -> bool {
        self.weekday.trim().is_empty() && self.start.trim().is_empty() && self.end.trim().is_empty()
    }
}

/// The policy form's values, as typed. Numbers stay text so that a typo is shown back as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyForm {
    pub time_zone: String,
    pub lengths: Vec<String>,
    /// Filled rows only, in the order they were posted (blank and removed rows are dropped).
    pub windows: Vec<WindowRow>,
    pub monthly_cap: String,
    pub buffer_minutes: String,
    pub min_notice_hours: String,
    pub horizon_days: String,
    pub accepting: bool,
    /// Empty: no daily cap.
    pub daily_cap: String,
    /// Empty: no weekly cap.
    pub weekly_cap: String,
    /// `mon` .. `sun`.
    pub week_start: String,
    /// Empty: the meeting length; else 5, 10, 15 or 30.
    pub slot_increment_minutes: String,
    pub hold_hours: String,
    pub count_pending: bool,
    pub reschedule_notice_hours: String,
    /// How many empty rows were posted (the no-JavaScript "add a row" button asks for one more).
    pub blank_rows: usize,
}

impl PolicyForm {
    fn from_policy(policy: &HostPolicy) -> Self {
        let input = PolicyInput::from(policy);
        PolicyForm {
            time_zone: input.time_zone,
            lengths: input.lengths_minutes.iter().map(i64::to_string).collect(),
            windows: input
                .windows
                .into_iter()
                .map(|window| WindowRow { weekday: window.weekday, start: window.start, end: window.end })
                .collect(),
            monthly_cap: input.monthly_cap.to_string(),
            buffer_minutes: input.buffer_minutes.to_string(),
            min_notice_hours: input.min_notice_hours.to_string(),
            horizon_days: input.horizon_days.to_string(),
            accepting: input.accepting,
            daily_cap: input.daily_cap.map(|cap| cap.to_string()).unwrap_or_default(),
            weekly_cap: input.weekly_cap.map(|cap| cap.to_string()).unwrap_or_default(),
            week_start: input.week_start,
            slot_increment_minutes: input.slot_increment_minutes.map(|minutes| minutes.to_string()).unwrap_or_default(),
            hold_hours: input.hold_hours.to_string(),
            count_pending: input.count_pending,
            reschedule_notice_hours: input.reschedule_notice_hours.to_string(),
            blank_rows: 0,
        }
    }

    /// Reads `windows[i].weekday|start|end|remove` rows; a row with `remove` ticked, or with nothing in it,
    /// is dropped, so the `i` of the domain's messages is the position among the rows kept.
    ///
    /// The finer scheduling rules that were not posted at all (a form from before they existed, a script)
    /// keep their `saved` values, so such a post never resets them. `count_pending` is posted as a hidden
    /// `no` followed by the checkbox's `yes`, so an unticked box still says it was on the form.
    fn from_fields(fields: &FormFields, saved: &PolicyForm) -> Self {
        let kept = |name: &str, saved: &str| fields.get(name).unwrap_or(saved).to_owned();
        let count_pending = fields.all("count_pending");
        let mut rows: BTreeMap<usize, (WindowRow, bool)> = BTreeMap::new();
        // Window rows are the one place where the names themselves carry data (the row index).
        for (name, value) in &fields.0 {
            let Some((index, part)) = window_field(name) else { continue };
            if index >= MAX_WINDOW_ROWS {
                continue;
            }
            let (row, removed) = rows.entry(index).or_default();
            match part {
                "weekday" => row.weekday = value.clone(),
                "start" => row.start = value.clone(),
                "end" => row.end = value.clone(),
                "remove" => *removed = true,
                _ => {}
            }
        }
        let blank_rows = rows.values().filter(|(row, removed)| !removed && row.is_blank()).count();
        PolicyForm {
            time_zone: fields.text("time_zone").to_owned(),
            lengths: fields.all("lengths_minutes"),
            windows: rows
                .into_values()
                .filter(|(row, removed)| !removed && !row.is_blank())
                .map(|(row, _)| row)
                .collect(),
            blank_rows,
            monthly_cap: fields.text("monthly_cap").to_owned(),
            buffer_minutes: fields.text("buffer_minutes").to_owned(),
            min_notice_hours: fields.text("min_notice_hours").to_owned(),
            horizon_days: fields.text("horizon_days").to_owned(),
            accepting: fields.is_checked("accepting"),
            daily_cap: kept("daily_cap", &saved.daily_cap),
            weekly_cap: kept("weekly_cap", &saved.weekly_cap),
            week_start: kept("week_start", &saved.week_start),
            slot_increment_minutes: kept("slot_increment_minutes", &saved.slot_increment_minutes),
            hold_hours: kept("hold_hours", &saved.hold_hours),
            count_pending: if count_pending.is_empty() {
                saved.count_pending
            } else {
                count_pending.iter().any(|value| value == "yes")
            },
            reschedule_notice_hours: kept("reschedule_notice_hours", &saved.reschedule_notice_hours),
        }
    }

    /// The domain's input, and the fields that are not even numbers.
    fn to_input(&self) -> (PolicyInput, FieldErrors) {
        let mut errors = FieldErrors::new();
        let mut number = |field: &str, raw: &str| -> i64 {
            match raw.trim().parse::<i64>() {
                Ok(value) => value,
                Err(_) => {
                    let message = if raw.trim().is_empty() {
                        "is required".to_owned()
                    } else {
                        "must be a whole number".to_owned()
                    };
                    errors.add(field, message);
                    // Out of every range, so the domain's check of the same field fails too and adds nothing new.
                    -1
                }
            }
        };
        let lengths_minutes = self.lengths.iter().map(|raw| number("lengths_minutes", raw)).collect();
        let monthly_cap = number("monthly_cap", &self.monthly_cap);
        let buffer_minutes = number("buffer_minutes", &self.buffer_minutes);
        let min_notice_hours = number("min_notice_hours", &self.min_notice_hours);
        let horizon_days = number("horizon_days", &self.horizon_days);
        let hold_hours = number("hold_hours", &self.hold_hours);
        let reschedule_notice_hours = number("reschedule_notice_hours", &self.reschedule_notice_hours);
        // Empty means "none" (no cap; the meeting length as the step).
        let mut optional = |field: &str, raw: &str| -> Option<i64> {
            let raw = raw.trim();
            if raw.is_empty() {
                return None;
            }
            match raw.parse::<i64>() {
                Ok(value) => Some(value),
                Err(_) => {
                    errors.add(field, "must be a whole number, or empty for none");
                    // Out of every range, so the domain's check of the same field fails too and adds nothing new.
                    Some(-1)
                }
            }
        };
        let daily_cap = optional("daily_cap", &self.daily_cap);
        let weekly_cap = optional("weekly_cap", &self.weekly_cap);
        let slot_increment_minutes = optional("slot_increment_minutes", &self.slot_increment_minutes);
        let input = PolicyInput {
            time_zone: self.time_zone.clone(),
            lengths_minutes,
            windows: self
                .windows
                .iter()
                .map(|row| coffeechat_domain::WindowInput {
                    weekday: row.weekday.clone(),
                    start: row.start.clone(),
                    end: row.end.clone(),
                })
                .collect(),
            monthly_cap,
            buffer_minutes,
            min_notice_hours,
            horizon_days,
            accepting: self.accepting,
            daily_cap,
            weekly_cap,
            week_start: self.week_start.clone(),
            slot_increment_minutes,
            hold_hours,
            count_pending: self.count_pending,
            reschedule_notice_hours,
        };
        (input, errors)
    }
}

/// The request rules as typed (issue 4): text, so a typo comes back as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulesForm {
    pub etiquette_mode: String,
    pub min_questions: String,
    pub overflow: String,
    pub expiry_days: String,
    pub max_open_requests: String,
    pub response_days: String,
}

impl RulesForm {
    fn from_rules(rules: &RequestRules) -> Self {
        RulesForm {
            etiquette_mode: rules.etiquette_mode.as_str().to_owned(),
            min_questions: rules.min_questions.to_string(),
            overflow: rules.overflow.as_str().to_owned(),
            expiry_days: rules.expiry_days.to_string(),
            max_open_requests: rules.max_open_requests.to_string(),
            response_days: rules.response_days.to_string(),
        }
    }

    /// A field not posted keeps its saved value (a form from before the rules existed never resets them).
    fn from_fields(fields: &FormFields, saved: &RulesForm) -> Self {
        let kept = |name: &str, saved: &str| fields.get(name).unwrap_or(saved).trim().to_owned();
        RulesForm {
            etiquette_mode: kept("etiquette_mode", &saved.etiquette_mode),
            min_questions: kept("min_questions", &saved.min_questions),
            overflow: kept("overflow", &saved.overflow),
            expiry_days: kept("expiry_days", &saved.expiry_days),
            max_open_requests: kept("max_open_requests", &saved.max_open_requests),
            response_days: kept("response_days", &saved.response_days),
        }
    }

    /// The domain's input, and the fields that are not even numbers.
    fn to_input(&self) -> (RequestRulesInput, FieldErrors) {
        let mut errors = FieldErrors::new();
        let mut number = |field: &str, raw: &str| -> Option<i64> {
            match raw.trim().parse::<i64>() {
                Ok(value) => Some(value),
                Err(_) => {
                    errors.add(field, if raw.trim().is_empty() { "is required" } else { "must be a whole number" });
                    None
                }
            }
        };
        let input = RequestRulesInput {
            etiquette_mode: Some(self.etiquette_mode.clone()),
            min_questions: number("min_questions", &self.min_questions),
            overflow: Some(self.overflow.clone()),
            expiry_days: number("expiry_days", &self.expiry_days),
            max_open_requests: number("max_open_requests", &self.max_open_requests),
            response_days: number("response_days", &self.response_days),
        };
        (input, errors)
    }

    pub fn blocks(&self) -> bool {
        self.etiquette_mode == "block"
    }

    pub fn declines(&self) -> bool {
        self.overflow == "decline"
    }
}

/// `windows[12].start` → `(12, "start")`.
fn window_field(name: &str) -> Option<(usize, &str)> {
    let rest = name.strip_prefix("windows[")?;
    let (index, rest) = rest.split_once(']')?;
    let part = rest.strip_prefix('.')?;
    Some((index.parse().ok()?, part))
}

fn policy_label(field: &str) -> String {
    if let Some((index, part)) = window_field(field) {
        let part = if part == "weekday" { "day" } else { part };
        return format!("The {part} of window {}", index + 1);
    }
    match field {
        "time_zone" => "Time zone",
        "lengths_minutes" => "Lengths",
        "windows" => "Weekly windows",
        "monthly_cap" => "Monthly limit",
        "buffer_minutes" => "Buffer",
        "min_notice_hours" => "Minimum notice",
        "horizon_days" => "Booking horizon",
        "accepting" => "Accepting requests",
        "daily_cap" => "Conversations per day",
        "weekly_cap" => "Conversations per week",
        "week_start" => "First day of the week",
        "slot_increment_minutes" => "Start times",
        "hold_hours" => "Hold",
        "count_pending" => "Counting pending requests",
        "reschedule_notice_hours" => "Notice for rescheduling",
        "etiquette_mode" => "Etiquette check",
        "min_questions" => "Prepared questions",
        "overflow" => "When you are full",
        "expiry_days" => "Requests expire after",
        "max_open_requests" => "Open requests per seeker",
        "response_days" => "Answer within",
        other => other,
    }
    .to_owned()
}

/// A row of the windows table as rendered, with its messages.
#[derive(Debug, Clone)]
pub struct WindowRowView {
    pub index: usize,
    pub weekday: String,
    pub start: String,
    pub end: String,
    pub weekday_error: Option<String>,
    pub start_error: Option<String>,
    pub end_error: Option<String>,
    /// An empty row for adding a window.
    pub blank: bool,
}

impl WindowRowView {
    fn blank(index: usize) -> Self {
        WindowRowView {
            index,
            weekday: String::new(),
            start: String::new(),
            end: String::new(),
            weekday_error: None,
            start_error: None,
            end_error: None,
            blank: true,
        }
    }

    pub fn has_error(&self) -> bool {
        self.weekday_error.is_some() || self.start_error.is_some() || self.end_error.is_some()
    }
}

/// A weekday in the row's select.
#[derive(Debug, Clone, Copy)]
pub struct WeekdayChoice {
    pub value: &'static str,
    pub label: &'static str,
}

/// A meeting length as a checkbox.
#[derive(Debug, Clone)]
pub struct LengthChoice {
    pub minutes: u16,
    pub checked: bool,
}

/// A choice of the step between slot start times.
#[derive(Debug, Clone)]
pub struct IncrementChoice {
    /// Empty for "the meeting length".
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// "The meeting length", then every step the domain allows; the typed value is selected.
fn increment_choices(selected: &str) -> Vec<IncrementChoice> {
    let selected = selected.trim();
    let length = IncrementChoice {
        value: String::new(),
        label: "One meeting length apart (the usual)".to_owned(),
        selected: selected.is_empty(),
    };
    let steps = SLOT_INCREMENTS.into_iter().map(|minutes| IncrementChoice {
        value: minutes.to_string(),
        label: format!("Every {minutes} minutes"),
        selected: selected == minutes.to_string(),
    });
    std::iter::once(length).chain(steps).collect()
}

fn weekday_choices() -> Vec<WeekdayChoice> {
    Weekday::ALL.into_iter().map(|day| WeekdayChoice { value: day.as_str(), label: day.label() }).collect()
}

/// One empty window row, appended by the htmx "add a row" button.
#[derive(Template)]
#[template(path = "settings/window_row.html")]
struct WindowRowFragment {
    row: WindowRowView,
    weekdays: Vec<WeekdayChoice>,
}

/// htmx's "add a row": the button sends the rows on the page (`hx-include`), so the new row takes the
/// next free index and the posted form stays a dense `windows[0..n]`.
async fn window_row(_: HostUser, Query(fields): Query<FormFields>) -> Response {
    let next =
        fields.0.iter().filter_map(|(name, _)| window_field(name)).map(|(index, _)| index + 1).max().unwrap_or(0);
    if next >= MAX_WINDOW_ROWS {
        return StatusCode::NO_CONTENT.into_response();
    }
    render(&WindowRowFragment { row: WindowRowView::blank(next), weekdays: weekday_choices() })
}

#[derive(Template)]
#[template(path = "settings/policy.html")]
struct PolicyPage {
    layout: Layout,
    form: PolicyForm,
    rows: Vec<WindowRowView>,
    zones: Vec<ZoneOption>,
    weekdays: Vec<WeekdayChoice>,
    lengths: Vec<LengthChoice>,
    increments: Vec<IncrementChoice>,
    errors: FormErrors,
    /// The host's handle, for the link to the page that shows the resulting slots.
    handle: Option<String>,
    rules: RulesForm,
}

/// The policy form's fields in the order the form shows them, with `rows` window rows.
fn policy_fields(rows: usize) -> Vec<String> {
    let mut fields = vec!["time_zone".to_owned(), "windows".to_owned()];
    for index in 0..rows {
        fields.extend(["weekday", "start", "end"].map(|part| format!("windows[{index}].{part}")));
    }
    fields.extend(
        [
            "lengths_minutes",
            "slot_increment_minutes",
            "monthly_cap",
            "weekly_cap",
            "week_start",
            "daily_cap",
            "buffer_minutes",
            "min_notice_hours",
            "horizon_days",
            "hold_hours",
            "count_pending",
            "reschedule_notice_hours",
            "accepting",
            "min_questions",
            "etiquette_mode",
            "overflow",
            "max_open_requests",
            "response_days",
            "expiry_days",
        ]
        .map(str::to_owned),
    );
    fields
}

async fn policy_page(
    State(state): State<AppState>,
    session: Session,
    HostUser(me): HostUser,
    uri: Uri,
) -> Result<Response, PageError> {
    let policy = state.services.policy(&me).await?;
    let form = PolicyForm::from_policy(&policy);
    let rules = RulesForm::from_rules(&state.services.request_rules(&me).await?);
    let page = policy_view(&state, &session, &me, &uri, (form, rules), FieldErrors::new(), BLANK_WINDOW_ROWS).await?;
    Ok(render(&page))
}

async fn save_policy(
    State(state): State<AppState>,
    session: Session,
    HostUser(me): HostUser,
    uri: Uri,
    Form(fields): Form<FormFields>,
) -> Result<Response, PageError> {
    let saved = PolicyForm::from_policy(&state.services.policy(&me).await?);
    let form = PolicyForm::from_fields(&fields, &saved);
    let current_rules = state.services.request_rules(&me).await?;
    let saved_rules = RulesForm::from_rules(&current_rules);
    let rules = RulesForm::from_fields(&fields, &saved_rules);
    if fields.get("add_row").is_some() {
        // The no-JavaScript "add a row": show the form again as typed, one empty row more, nothing saved.
        let blank_rows = form.blank_rows.max(BLANK_WINDOW_ROWS) + 1;
        let page = policy_view(&state, &session, &me, &uri, (form, rules), FieldErrors::new(), blank_rows).await?;
        return Ok(render(&page));
    }
    let (input, mut errors) = form.to_input();
    let (rules_input, rules_errors) = rules.to_input();
    errors.extend_prefixed("", rules_errors);
    if !errors.is_empty() {
        // Every problem at once: the rules' own bounds too (fields that were not numbers keep their message).
        if let Err(rule_problems) = rules_input.apply(&current_rules) {
            errors.extend_prefixed("", rule_problems);
        }
        let errors = every_problem(errors, input.validate());
        let page = policy_view(&state, &session, &me, &uri, (form, rules), errors, BLANK_WINDOW_ROWS).await?;
        return Ok(unprocessable(&page));
    }
    match state.services.put_policy_and_rules(&me, input, rules_input).await {
        Ok((policy, _)) => {
            let message = if policy.accepting {
                format!(
                    "Availability saved. Free slots now show on your page for the next {} days.",
                    policy.horizon_days
                )
            } else {
                "Availability saved. You are not taking requests for now, so your page shows no free slots.".to_owned()
            };
            Ok(redirect_with_flash(&session, FlashKind::Success, message, "/settings/policy").await)
        }
        Err(error) => {
            refused_form(error, async |errors| {
                policy_view(&state, &session, &me, &uri, (form, rules), errors, BLANK_WINDOW_ROWS).await
            })
            .await
        }
    }
}

async fn policy_view(
    state: &AppState,
    session: &Session,
    me: &Account,
    uri: &Uri,
    (form, rules): (PolicyForm, RulesForm),
    errors: FieldErrors,
    blank_rows: usize,
) -> Result<PolicyPage, PageError> {
    let handle = state.services.host_profile(me).await?.map(|profile| profile.handle.as_str().to_owned());
    let errors =
        FormErrors::new(errors, &policy_fields(form.windows.len()), policy_label, "Your availability wasn't saved yet");
    let message = |index: usize, part: &str| errors.message(&format!("windows[{index}].{part}"));
    let filled = form.windows.iter().enumerate().map(|(index, row)| WindowRowView {
        index,
        weekday: row.weekday.clone(),
        start: row.start.clone(),
        end: row.end.clone(),
        weekday_error: message(index, "weekday"),
        start_error: message(index, "start"),
        end_error: message(index, "end"),
        blank: false,
    });
    let blanks = (form.windows.len()..form.windows.len() + blank_rows.min(MAX_WINDOW_ROWS)).map(WindowRowView::blank);
    let rows = filled.chain(blanks).collect();
    let lengths = MeetingLength::ALL
        .into_iter()
        .map(|length| LengthChoice {
            minutes: length.minutes(),
            checked: form.lengths.iter().any(|raw| raw.trim() == length.minutes().to_string()),
        })
        .collect();
    Ok(PolicyPage {
        layout: Layout::new(session, Some(me), uri).await,
        zones: zone_options(&form.time_zone, state.services.now()),
        weekdays: weekday_choices(),
        lengths,
        increments: increment_choices(&form.slot_increment_minutes),
        rows,
        errors,
        form,
        handle,
        rules,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::forms::field_id;

    fn fields(pairs: &[(&str, &str)]) -> FormFields {
        FormFields::from(pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect::<Vec<_>>())
    }

    /// The starter policy as the form shows it, standing for what the host saved before.
    fn starter() -> PolicyForm {
        PolicyForm::from_policy(&HostPolicy::starter(coffeechat_domain::TimeZoneName::utc()))
    }

    #[test]
    fn the_finer_rules_are_read_from_the_form_and_empty_caps_mean_none() {
        let form = PolicyForm::from_fields(
            &fields(&[
                ("time_zone", "Australia/Sydney"),
                ("lengths_minutes", "30"),
                ("monthly_cap", "8"),
                ("buffer_minutes", "10"),
                ("min_notice_hours", "24"),
                ("horizon_days", "30"),
                ("daily_cap", "2"),
                ("weekly_cap", " "),
                ("week_start", "sun"),
                ("slot_increment_minutes", "15"),
                ("hold_hours", "12"),
                ("count_pending", "no"),
                ("count_pending", "yes"),
                ("reschedule_notice_hours", "6"),
            ]),
            &starter(),
        );
        let (input, errors) = form.to_input();
        assert!(errors.is_empty(), "{errors}");
        let policy = input.validate().unwrap_or_else(|errors| panic!("{errors}"));
        assert_eq!((policy.daily_cap, policy.weekly_cap), (Some(2), None));
        assert_eq!(policy.week_start, Weekday::Sun);
        assert_eq!(policy.slot_increment_minutes, Some(15));
        assert_eq!((policy.hold_hours, policy.count_pending, policy.reschedule_notice_hours), (12, true, 6));

        // Unticked: only the hidden "no" arrives.
        let unticked = PolicyForm::from_fields(
            &fields(&[("count_pending", "no")]),
            &PolicyForm { count_pending: true, ..starter() },
        );
        assert!(!unticked.count_pending);
        // Not on the form at all: the saved values stay.
        let saved = PolicyForm { daily_cap: "3".into(), count_pending: true, week_start: "sun".into(), ..starter() };
        let old_form = PolicyForm::from_fields(&fields(&[("monthly_cap", "4")]), &saved);
        assert_eq!(
            (old_form.daily_cap.as_str(), old_form.count_pending, old_form.week_start.as_str()),
            ("3", true, "sun")
        );
    }

    #[test]
    fn a_cap_that_is_not_a_number_is_named() {
        let form =
            PolicyForm::from_fields(&fields(&[("daily_cap", "two"), ("slot_increment_minutes", "7")]), &starter());
        let (input, errors) = form.to_input();
        assert_eq!(errors.get("daily_cap"), Some("must be a whole number, or empty for none"));
        let domain = input.validate().unwrap_err();
        assert!(domain.get("slot_increment_minutes").is_some(), "{domain}");
        assert_eq!(policy_label("daily_cap"), "Conversations per day");
        let choices = increment_choices("15");
        assert!(choices.iter().any(|choice| choice.value == "15" && choice.selected));
        assert!(choices.first().is_some_and(|choice| choice.value.is_empty() && !choice.selected));
    }

    #[test]
    fn window_rows_drop_blank_and_removed_ones_and_keep_their_order() {
        let form = PolicyForm::from_fields(
            &fields(&[
                ("windows[0].weekday", "mon"),
                ("windows[0].start", "07:30"),
                ("windows[0].end", "08:30"),
                ("windows[1].weekday", "tue"),
                ("windows[1].start", "09:00"),
                ("windows[1].end", "10:00"),
                ("windows[1].remove", "on"),
                ("windows[2].weekday", ""),
                ("windows[2].start", ""),
                ("windows[2].end", ""),
                ("windows[3].weekday", "fri"),
                ("windows[3].start", "17:00"),
                ("windows[3].end", ""),
                ("windows[100000].start", "01:00"),
                ("accepting", "yes"),
            ]),
            &starter(),
        );
        assert_eq!(form.windows.len(), 2);
        assert_eq!(form.windows[0].weekday, "mon");
        assert_eq!(form.windows[1], WindowRow { weekday: "fri".into(), start: "17:00".into(), end: String::new() });
        assert!(form.accepting);
    }

    #[test]
    fn numbers_that_are_not_numbers_are_named_and_the_rest_still_validates() {
        let form = PolicyForm::from_fields(
            &fields(&[
                ("time_zone", "Europe/London"),
                ("lengths_minutes", "20"),
                ("monthly_cap", "lots"),
                ("buffer_minutes", "10"),
                ("min_notice_hours", ""),
                ("horizon_days", "30"),
            ]),
            &starter(),
        );
        let (input, errors) = form.to_input();
        assert_eq!(errors.get("monthly_cap"), Some("must be a whole number"));
        assert_eq!(errors.get("min_notice_hours"), Some("is required"));
        assert_eq!(input.lengths_minutes, vec![20]);
        assert!(!input.accepting);
    }

    #[test]
    fn a_saved_policy_round_trips_through_the_form() {
        let mut policy =
            HostPolicy::starter(coffeechat_domain::TimeZoneName::parse("Asia/Kolkata").expect("a known zone"));
        policy.daily_cap = Some(2);
        policy.weekly_cap = Some(5);
        policy.week_start = Weekday::Sun;
        policy.slot_increment_minutes = Some(10);
        policy.hold_hours = 0;
        policy.count_pending = true;
        policy.reschedule_notice_hours = 72;
        let form = PolicyForm::from_policy(&policy);
        let (input, errors) = form.to_input();
        assert!(errors.is_empty());
        assert_eq!(input.validate(), Ok(policy));
    }

    #[test]
    fn field_names_become_ids_and_labels() {
        assert_eq!(field_id("windows[2].end"), "field-windows-2-end");
        assert_eq!(field_id("monthly_cap"), "field-monthly-cap");
        assert_eq!(policy_label("windows[2].end"), "The end of window 3");
        assert_eq!(policy_label("windows[0].weekday"), "The day of window 1");
        assert_eq!(window_field("windows[x].end"), None);
    }

    #[test]
    fn profile_topics_split_into_suggestions_and_the_hosts_own() {
        let form = ProfileForm::from_fields(&fields(&[
            ("topics", "Career path"),
            ("topics", "Benefits"),
            ("other_topics", " remote work, , mentoring "),
            ("skills", "SQL, statistics,"),
        ]));
        let input = form.to_input();
        assert_eq!(input.topics, vec!["Career path", "Benefits", "remote work", "mentoring"]);
        assert_eq!(input.skills, vec!["SQL", "statistics"]);
        let choices = form.topic_choices();
        assert!(choices.iter().find(|c| c.value == "Benefits").is_some_and(|c| c.checked));
        assert!(choices.iter().find(|c| c.value == "Industry trends").is_some_and(|c| !c.checked));
    }
}
