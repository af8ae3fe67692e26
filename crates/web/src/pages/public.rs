//! The pages anyone can read, and the request form a seeker fills in from them: the home page, the
//! host directory (`/hosts`, with an htmx live search), a host's page (`/h/{handle}`, free slots in the
//! viewer's zone) and the request form (`/h/{handle}/request`).
//!
//! Times on these pages are shown in the *viewer's* zone, chosen in this order: the `tz` query parameter,
//! the signed-in user's zone, a zone the visitor picked earlier (kept in the session), and finally the
//! host's own zone. Only in that last case does `app.js` offer the browser's zone, by reloading with
//! `tz` set: the server never guesses from headers.

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::header::VARY;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use coffeechat_domain::etiquette::check_request;
use coffeechat_domain::question_bank::{QuestionTopic, fit_for_length, questions_for};
use coffeechat_domain::request_rules::bank_topic;
use coffeechat_domain::{EtiquetteMode, Overflow};
use coffeechat_domain::{FieldErrors, HostPolicy, HostProfile, NewRequest, NewRequestInput, TimeZoneName};
use coffeechat_service::{
    Account, DirectoryQuery, Host, HostListing, HostOutlook, RequestOutcome, ServiceError, SlotList, SlotQuery,
};
use coffeechat_store::WaitlistStatus;
use jiff::Timestamp;
use tower_sessions::Session;

use super::{
    ErrorLink, FlashKind, FormFields, Layout, error_links, is_htmx, redirect_with_flash, remember_zone, render,
    render_with_status, sentence, set_flash, url_with_query,
};
use crate::AppState;
use crate::auth::{MaybeUser, SessionUser};
use crate::display::{self, DayGroup, ZoneOption};
use crate::error::PageError;

/// How many hosts the home page features.
const FEATURED_HOSTS: u32 = 6;

/// Routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/hosts", get(directory))
        .route("/h/{handle}", get(host_page))
        .route("/h/{handle}/request", get(request_form).post(send_request))
        .route("/h/{handle}/request/compose", post(compose))
        .route("/waitlist/{id}/leave", post(leave_waitlist))
}

// ---------------------------------------------------------------------------------------------------------------
// Shared view pieces

/// One host as a card in the directory and on the home page.
#[derive(Debug, Clone)]
pub struct HostCard {
    pub handle: String,
    pub name: String,
    pub headline: String,
    /// `"Senior data scientist at Northwind Health"`.
    pub role_line: String,
    pub industry: String,
    pub skills: Vec<String>,
    /// What the card says about availability, zone named when it is a time.
    pub availability: String,
    /// `true` when a free slot exists (styles the availability line).
    pub has_free: bool,
}

impl HostCard {
    fn new(listing: &HostListing, viewer_zone: Option<&TimeZoneName>) -> Self {
        let profile = &listing.host.profile;
        let zone = viewer_zone.unwrap_or(&listing.policy.time_zone);
        let availability = if !listing.policy.accepting {
            "Not taking requests at the moment".to_owned()
        } else if let Some(next) = listing.next_free {
            format!("Next free: {}", display::format_instant(next, zone))
        } else if listing.month_full {
            "Month full — no free times in the next two weeks".to_owned()
        } else {
            "No free times in the next two weeks".to_owned()
        };
        HostCard {
            handle: profile.handle.as_str().to_owned(),
            name: profile.name.clone(),
            headline: profile.headline.clone(),
            role_line: role_line(profile),
            industry: profile.industry.clone(),
            skills: profile.skills.clone(),
            availability,
            has_free: listing.policy.accepting && listing.next_free.is_some(),
        }
    }
}

fn role_line(profile: &HostProfile) -> String {
    if profile.employer.is_empty() { profile.role.clone() } else { format!("{} at {}", profile.role, profile.employer) }
}

/// The zone a page shows times in, and how it was chosen.
#[derive(Debug, Clone)]
struct ViewerZone {
    zone: TimeZoneName,
    /// `true` when nobody chose it (the host's zone as a fallback): `app.js` may then offer the browser's zone.
    is_fallback: bool,
    /// A `tz` parameter that is not an IANA zone, to say so on the page.
    rejected: Option<String>,
}

impl ViewerZone {
    /// Picks the zone (see the module docs) and remembers an explicit choice of a visitor in the session.
    async fn resolve(tz: Option<&str>, layout: &Layout, fallback: &TimeZoneName, session: &Session) -> Self {
        let requested = tz.map(str::trim).filter(|tz| !tz.is_empty());
        let mut rejected = None;
        if let Some(raw) = requested {
            match TimeZoneName::parse(raw) {
                Ok(zone) => {
                    if layout.user.is_none() && layout.viewer_zone.as_ref() != Some(&zone) {
                        remember_zone(session, &zone).await;
                    }
                    return ViewerZone { zone, is_fallback: false, rejected: None };
                }
                Err(_) => rejected = Some(raw.to_owned()),
            }
        }
        match &layout.viewer_zone {
            Some(zone) => ViewerZone { zone: zone.clone(), is_fallback: false, rejected },
            None => ViewerZone { zone: fallback.clone(), is_fallback: true, rejected },
        }
    }

    fn notice(&self) -> Option<String> {
        self.rejected.as_ref().map(|raw| {
            format!("“{raw}” is not a time zone we know, so times are shown in {} instead.", self.zone.as_str())
        })
    }
}

/// One choice of meeting length.
#[derive(Debug, Clone)]
pub struct LengthOption {
    pub minutes: u16,
    pub selected: bool,
}

fn length_options(policy: &HostPolicy, selected: u16) -> Vec<LengthOption> {
    policy
        .lengths
        .iter()
        .map(|length| LengthOption { minutes: length.minutes(), selected: length.minutes() == selected })
        .collect()
}

/// `"15, 20 or 30 minutes"`.
fn lengths_text(policy: &HostPolicy) -> String {
    let minutes: Vec<String> = policy.lengths.iter().map(|length| length.minutes().to_string()).collect();
    match minutes.split_last() {
        Some((last, [])) => format!("{last} minutes"),
        Some((last, rest)) => format!("{} or {last} minutes", rest.join(", ")),
        None => "no lengths".to_owned(),
    }
}

/// Free slots of a host, falling back to the host's shortest length when the requested one is not offered.
/// Returns the list and a notice when the requested length was replaced.
async fn slots_with_fallback(
    state: &AppState,
    host: &Host,
    requested_length: Option<&str>,
    zone: Option<TimeZoneName>,
) -> Result<(SlotList, Option<String>), PageError> {
    let parsed = requested_length.map(str::trim).filter(|raw| !raw.is_empty()).map(str::parse::<i64>);
    let query = |length_minutes| SlotQuery { length_minutes, zone: zone.clone(), ..SlotQuery::default() };
    match parsed {
        None => Ok((state.services.free_slots_of(host.clone(), query(None)).await?, None)),
        Some(Err(_)) => {
            let list = state.services.free_slots_of(host.clone(), query(None)).await?;
            let notice = format!("Showing {}-minute times.", list.length.minutes());
            Ok((list, Some(notice)))
        }
        Some(Ok(minutes)) => match state.services.free_slots_of(host.clone(), query(Some(minutes))).await {
            Ok(list) => Ok((list, None)),
            Err(ServiceError::Invalid(errors)) if errors.get("length").is_some() => {
                let list = state.services.free_slots_of(host.clone(), query(None)).await?;
                let notice = format!(
                    "{} doesn't offer {minutes}-minute conversations, so {}-minute times are shown.",
                    list.host.profile.name,
                    list.length.minutes()
                );
                Ok((list, Some(notice)))
            }
            Err(error) => Err(error.into()),
        },
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Home

#[derive(Debug, Template)]
#[template(path = "public/home.html")]
struct HomePage {
    layout: Layout,
    hosts: Vec<HostCard>,
}

async fn home(State(state): State<AppState>, session: Session, MaybeUser(user): MaybeUser, uri: Uri) -> Response {
    let layout = Layout::new(&session, user.as_ref(), &uri).await;
    let featured = DirectoryQuery { has_free_slots: true, limit: FEATURED_HOSTS, ..DirectoryQuery::default() };
    // The home page must render even when the directory cannot be read: it then simply features nobody.
    let listings = match state.services.directory(featured).await {
        Ok(listings) => listings,
        Err(error) => {
            tracing::error!(%error, "could not load featured hosts");
            Vec::new()
        }
    };
    let hosts = listings.iter().map(|listing| HostCard::new(listing, layout.viewer_zone.as_ref())).collect();
    render(&HomePage { layout, hosts })
}

// ---------------------------------------------------------------------------------------------------------------
// Directory

#[derive(Debug, Clone)]
pub struct IndustryOption {
    pub name: String,
    pub selected: bool,
}

#[derive(Debug, Template)]
#[template(path = "public/hosts.html", blocks = ["results"])]
struct DirectoryPage {
    layout: Layout,
    q: String,
    skill: String,
    free: bool,
    /// The `tz` parameter as given, carried along so live searches keep the zone.
    tz: String,
    industries: Vec<IndustryOption>,
    hosts: Vec<HostCard>,
    /// `"Times are shown in Europe/London."`, or a note that each host's own zone is used.
    zone_note: String,
    /// The viewer's zone is known (else `app.js` may reload the page with the browser's zone).
    zone_known: bool,
    /// `true` when some filter is set (the empty-result message then suggests clearing them).
    filtered: bool,
    /// Rendering only the results for htmx: the count then travels out of band to its live region.
    fragment: bool,
}

impl DirectoryPage {
    fn count_text(&self) -> String {
        match self.hosts.len() {
            0 => "No one matches.".to_owned(),
            1 => "1 person found.".to_owned(),
            n => format!("{n} people found."),
        }
    }
}

async fn directory(
    State(state): State<AppState>,
    session: Session,
    MaybeUser(user): MaybeUser,
    uri: Uri,
    headers: HeaderMap,
    Query(fields): Query<FormFields>,
) -> Result<Response, PageError> {
    let layout = Layout::new(&session, user.as_ref(), &uri).await;
    let q = fields.text("q").trim().to_owned();
    let industry = fields.text("industry").trim().to_owned();
    let skill = fields.text("skill").trim().to_owned();
    let free = fields.is_checked("free");
    let tz = fields.text("tz").trim().to_owned();

    let zone = match TimeZoneName::parse(&tz) {
        Ok(zone) => {
            if layout.user.is_none() && layout.viewer_zone.as_ref() != Some(&zone) {
                remember_zone(&session, &zone).await;
            }
            Some(zone)
        }
        Err(_) => layout.viewer_zone.clone(),
    };
    let non_empty = |value: &str| (!value.is_empty()).then(|| value.to_owned());
    let query = DirectoryQuery {
        text: non_empty(&q),
        industry: non_empty(&industry),
        skill: non_empty(&skill),
        has_free_slots: free,
        limit: 0,
    };
    let listings = state.services.directory(query).await?;
    let hosts = listings.iter().map(|listing| HostCard::new(listing, zone.as_ref())).collect();
    let mut industry_names = state.services.industries().await?;
    if !industry.is_empty() && !industry_names.iter().any(|name| name.eq_ignore_ascii_case(&industry)) {
        // Keep an unknown choice visible, so the form shows what was actually searched for.
        industry_names.insert(0, industry.clone());
    }
    let industries = industry_names
        .into_iter()
        .map(|name| IndustryOption { selected: name.eq_ignore_ascii_case(&industry), name })
        .collect();
    let zone_note = match &zone {
        Some(zone) => format!("Times are shown in {}.", zone.as_str()),
        None => "Times are shown in each host's own time zone.".to_owned(),
    };
    let zone_known = zone.is_some();
    let filtered = !q.is_empty() || !industry.is_empty() || !skill.is_empty() || free;
    let fragment = is_htmx(&headers);
    let page =
        DirectoryPage { layout, q, skill, free, tz, industries, hosts, zone_note, zone_known, filtered, fragment };

    let mut response = if fragment { render(&page.as_results()) } else { render(&page) };
    // The same URL answers a whole page or a fragment depending on this header: caches must keep both.
    response.headers_mut().insert(VARY, HeaderValue::from_static("HX-Request"));
    Ok(response)
}

// ---------------------------------------------------------------------------------------------------------------
// Host page

/// A free slot as a link to the request form.
#[derive(Debug, Clone)]
pub struct SlotLink {
    /// `"07:30"` (the day heading and the caption name date and zone).
    pub time: String,
    /// Accessible name: `"Request Tue 3 Mar 2026, 07:30 (Europe/London), 30 minutes"`.
    pub label: String,
    pub href: String,
}

/// The host's policy in words.
#[derive(Debug, Clone)]
pub struct PolicySummary {
    pub time_zone: String,
    pub lengths: String,
    /// `"Mon–Fri 07:30–08:30, 17:00–18:00"`, in the host's zone.
    pub windows: Vec<String>,
    pub monthly_cap: u32,
    pub min_notice: String,
    pub horizon_days: u32,
    pub accepting: bool,
}

impl PolicySummary {
    fn new(policy: &HostPolicy) -> Self {
        PolicySummary {
            time_zone: policy.time_zone.as_str().to_owned(),
            lengths: lengths_text(policy),
            windows: display::summarise_windows(&policy.windows),
            monthly_cap: policy.monthly_cap,
            min_notice: match policy.min_notice_hours {
                0 => "no notice".to_owned(),
                1 => "1 hour".to_owned(),
                hours if hours % 24 == 0 && hours >= 48 => format!("{} days", hours / 24),
                hours => format!("{hours} hours"),
            },
            horizon_days: policy.horizon_days,
            accepting: policy.accepting,
        }
    }
}

#[derive(Debug, Template)]
#[template(path = "public/host.html")]
struct HostPage {
    layout: Layout,
    handle: String,
    name: String,
    headline: String,
    role_line: String,
    industry: String,
    skills: Vec<String>,
    topics: Vec<String>,
    career_path: Vec<String>,
    /// Earlier roles, oldest first, ending with the current one: the path a career changer can follow.
    earlier_roles: Vec<String>,
    languages: Vec<String>,
    region: String,
    policy: PolicySummary,
    month_full: bool,
    /// The viewer is this host: no request links.
    is_self: bool,
    /// Slots are links to the request form (visitors are sent to log in first; host-only accounts cannot ask).
    can_request: bool,
    zone: String,
    zone_offset: String,
    zone_is_fallback: bool,
    zone_options: Vec<ZoneOption>,
    lengths: Vec<LengthOption>,
    length: u16,
    days: Vec<DayGroup<SlotLink>>,
    notices: Vec<String>,
    outlook: OutlookView,
}

/// What a seeker should know before asking: room, response time, rules, their own place in line.
#[derive(Debug, Clone, Default)]
pub struct OutlookView {
    /// `"Next opening: from Wed 1 Apr 2026 (Europe/London)"` or "not taking requests for now", when full.
    pub full_notice: Option<String>,
    /// A request now would overflow: to the waitlist (`true`) or a refusal with suggestions (`false`).
    pub full_for_viewer: bool,
    /// Not taking requests at all (rather than booked up).
    pub paused: bool,
    pub keeps_waitlist: bool,
    /// `"Usually answers within 2 days"` or the new-host line.
    pub usual_response: String,
    pub response_days: u32,
    pub min_questions: u32,
    pub expiry_days: u32,
    pub blocks_etiquette: bool,
    /// The viewer's place in line.
    pub place: Option<PlaceView>,
}

/// The viewer's place in a host's line.
#[derive(Debug, Clone)]
pub struct PlaceView {
    pub id: i64,
    pub position: u32,
    /// While an opening is kept for them: until when (viewer's zone) and the composer link.
    pub offer: Option<(String, String)>,
}

impl OutlookView {
    fn new(outlook: &HostOutlook, viewer_zone: &TimeZoneName) -> Self {
        let host_zone = &outlook.policy.time_zone;
        let name = &outlook.host.profile.name;
        let full_notice = if outlook.capacity.paused {
            Some(format!("{name} is not taking requests for now."))
        } else if outlook.capacity.is_full() {
            Some(match outlook.capacity.next_opening {
                Some(at) => {
                    format!("Next opening: from {} ({})", display::format_date(at, host_zone), host_zone.as_str())
                }
                None => format!("{name} has no free times for now."),
            })
        } else {
            None
        };
        let place = outlook.place.as_ref().map(|entry| PlaceView {
            id: entry.id.0,
            position: entry.position.unwrap_or(1),
            offer: entry.offer_expires_at.filter(|_| entry.status == WaitlistStatus::Offered).map(|until| {
                (
                    display::format_instant(until, viewer_zone),
                    format!("/h/{}/request?waitlist={}", entry.host_handle, entry.id),
                )
            }),
        });
        OutlookView {
            full_notice,
            full_for_viewer: outlook.full_for_viewer,
            paused: outlook.capacity.paused,
            keeps_waitlist: outlook.rules.overflow == Overflow::Waitlist,
            usual_response: outlook.usual_response.text(),
            response_days: outlook.rules.response_days,
            min_questions: outlook.rules.min_questions,
            expiry_days: outlook.rules.expiry_days,
            blocks_etiquette: outlook.rules.etiquette_mode == EtiquetteMode::Block,
            place,
        }
    }
}

#[derive(Debug, Default, serde::Deserialize)]
struct HostPageQuery {
    tz: Option<String>,
    length: Option<String>,
}

async fn host_page(
    State(state): State<AppState>,
    session: Session,
    MaybeUser(user): MaybeUser,
    uri: Uri,
    Path(handle): Path<String>,
    Query(query): Query<HostPageQuery>,
) -> Result<Response, PageError> {
    let layout = Layout::new(&session, user.as_ref(), &uri).await;
    let host = state.services.host_to_show(&handle).await?;
    let host_zone = match &host.policy {
        Some(policy) => policy.time_zone.clone(),
        None => state.services.account(host.account_id).await?.map_or_else(TimeZoneName::utc, |a| a.time_zone),
    };
    let viewer = ViewerZone::resolve(query.tz.as_deref(), &layout, &host_zone, &session).await;
    let (list, length_notice) =
        slots_with_fallback(&state, &host, query.length.as_deref(), Some(viewer.zone.clone())).await?;

    let profile = &list.host.profile;
    let handle = profile.handle.as_str().to_owned();
    let length = list.length.minutes();
    let zone = &list.zone;
    let length_text = display::format_minutes(u32::from(length));
    let links = list.slots.iter().map(|slot| {
        let href = url_with_query(
            &format!("/h/{handle}/request"),
            &[("length", &length.to_string()), ("start", &slot.start.to_string()), ("tz", zone.as_str())],
        );
        SlotLink {
            time: display::format_time(slot.start, zone),
            label: format!("Request {}, {length_text}", display::format_instant(slot.start, zone)),
            href,
        }
    });
    let starts: Vec<Timestamp> = list.slots.iter().map(|slot| slot.start).collect();
    let days = regroup(display::group_by_day(starts.iter().copied().zip(links), zone, |(start, _)| *start));
    let notices = viewer.notice().into_iter().chain(length_notice).collect();
    let is_self = user.as_ref().is_some_and(|me: &Account| me.id == list.host.account_id);
    let can_request = !is_self && user.as_ref().is_none_or(|me| me.roles.seeker);
    let outlook = state.services.host_outlook_of(host, user.as_ref()).await?;
    let outlook = OutlookView::new(&outlook, zone);
    let background = state.services.public_background(&list.host).await?;

    let page = HostPage {
        handle,
        name: profile.name.clone(),
        headline: profile.headline.clone(),
        role_line: role_line(profile),
        industry: profile.industry.clone(),
        skills: profile.skills.clone(),
        topics: profile.topics.clone(),
        career_path: paragraphs(&profile.career_path),
        earlier_roles: background.previous_roles,
        languages: background.languages,
        region: background.region,
        policy: PolicySummary::new(&list.policy),
        month_full: list.month_full,
        is_self,
        can_request,
        zone: zone.as_str().to_owned(),
        zone_offset: display::format_offset(zone, state.services.now()),
        zone_is_fallback: viewer.is_fallback,
        zone_options: display::zone_options(zone.as_str(), state.services.now()),
        lengths: length_options(&list.policy, length),
        length,
        days,
        notices,
        outlook,
        layout,
    };
    Ok(render(&page))
}

/// Drops the grouping key from grouped pairs.
fn regroup<T>(groups: Vec<DayGroup<(Timestamp, T)>>) -> Vec<DayGroup<T>> {
    groups
        .into_iter()
        .map(|group| DayGroup {
            date: group.date,
            label: group.label,
            items: group.items.into_iter().map(|(_, item)| item).collect(),
        })
        .collect()
}

/// Free text split into paragraphs at blank lines (single line breaks stay inside a paragraph).
fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(|paragraph| paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|paragraph| !paragraph.is_empty())
        .collect()
}

// ---------------------------------------------------------------------------------------------------------------
// Request form

/// A free slot as a checkbox of the request form.
#[derive(Debug, Clone)]
pub struct SlotChoice {
    /// RFC 3339 instant, the form value.
    pub value: String,
    pub id: String,
    /// `"07:30"` (under a day heading in a fieldset naming the zone).
    pub time: String,
    /// `"Tue 3 Mar 2026, 07:30 (Europe/London)"`, for screen readers.
    pub label: String,
    pub checked: bool,
}

/// A question-bank topic as a checkbox of the composer.
#[derive(Debug, Clone)]
pub struct TopicChoice {
    /// The heading (`"Career path"`), also the form value: the bank knows both names.
    pub name: String,
    pub description: &'static str,
    pub id: String,
    pub checked: bool,
}

/// One suggested question under a chosen topic, with an "add" button.
#[derive(Debug, Clone)]
pub struct BankSuggestion {
    pub text: &'static str,
    /// How to make it one's own.
    pub adapt: &'static str,
    /// Already in the seeker's list: no button.
    pub added: bool,
}

/// The bank's questions for one chosen topic.
#[derive(Debug, Clone)]
pub struct BankSection {
    pub title: &'static str,
    pub id: String,
    pub suggestions: Vec<BankSuggestion>,
}

/// A sentence the etiquette check would flag, as the composer's check step shows it.
#[derive(Debug, Clone)]
pub struct CheckedSentence {
    pub text: String,
    pub rule: &'static str,
    pub why: &'static str,
    pub suggestion: String,
}

/// A similar host with time now (decline mode's refusal).
#[derive(Debug, Clone)]
pub struct SuggestedHost {
    pub handle: String,
    pub name: String,
    pub headline: String,
    /// Their first free slot, in the viewer's zone.
    pub next_free: String,
}

#[derive(Debug, Template)]
#[template(path = "public/request.html")]
struct RequestPage {
    layout: Layout,
    handle: String,
    host_name: String,
    accepting: bool,
    month_full: bool,
    zone: String,
    lengths: Vec<LengthOption>,
    length: u16,
    days: Vec<DayGroup<SlotChoice>>,
    purpose: String,
    topics: Vec<TopicChoice>,
    /// What the host says they are glad to talk about (a hint for choosing topics).
    host_topics: Vec<String>,
    questions: String,
    question_count: usize,
    bank: Vec<BankSection>,
    /// How the questions fit the length (3–4 minutes each).
    fit_message: String,
    fits: bool,
    min_questions: u32,
    /// The "check my request" step ran: its findings (empty: all clear).
    checked: Option<Vec<CheckedSentence>>,
    /// The host is full for this seeker: what sending does instead (join the waitlist, or not sent).
    overflow_notice: Option<String>,
    /// Sending now joins the waitlist (no times needed).
    joins_waitlist: bool,
    /// The request came from a waitlist offer (kept so the form says so).
    from_offer: bool,
    errors: FieldErrors,
    /// A problem not tied to one field (host full, once is enough, …).
    form_error: Option<String>,
    /// Decline mode's similar hosts with time now.
    suggestions: Vec<SuggestedHost>,
    notices: Vec<String>,
}

impl RequestPage {
    /// How many proposed times may be chosen, for the form's hint.
    fn max_proposals(&self) -> usize {
        NewRequest::MAX_PROPOSALS
    }

    /// The error summary, in the order of the form.
    fn error_summary(&self) -> Vec<ErrorLink> {
        // "host" problems are explained by `form_error`.
        let mut errors = FieldErrors::new();
        for (field, message) in self.errors.iter().filter(|(field, _)| *field != "host") {
            errors.add(field, message);
        }
        error_links(
            &errors,
            &[
                ("length_minutes", "Length", "length"),
                ("proposed_starts", "Times", "slot-choices"),
                ("purpose", "Purpose", "purpose"),
                ("topics", "Topics", "topics"),
                ("questions", "Questions", "questions"),
            ],
        )
    }
}

/// What the seeker typed, kept across a failed submission and every composer step.
#[derive(Debug, Default)]
struct RequestDraft {
    length: Option<String>,
    tz: Option<String>,
    starts: Vec<String>,
    purpose: String,
    topics: Vec<String>,
    questions: String,
}

impl RequestDraft {
    /// From a link (`length`, `start`, `tz`) or from the request form itself submitted with GET by its
    /// "show times for this length" button, so nothing typed is lost when the length changes without JS.
    fn from_query(fields: &FormFields) -> Self {
        let mut draft = RequestDraft::from_form(fields);
        if let Some(length) = fields.get("length") {
            draft.length = Some(length.to_owned());
        }
        draft.starts.extend(fields.all("start"));
        draft
    }

    fn from_form(fields: &FormFields) -> Self {
        RequestDraft {
            length: fields.get("length_minutes").map(str::to_owned),
            tz: fields.get("tz").map(str::to_owned),
            starts: fields.all("proposed_starts"),
            purpose: fields.text("purpose").to_owned(),
            topics: fields.all("topics"),
            questions: fields.text("questions").to_owned(),
        }
    }

    /// From a waitlist entry: what the seeker prepared when they joined the line.
    fn from_entry(entry: &coffeechat_store::WaitlistEntry) -> Self {
        RequestDraft {
            length: Some(entry.length.minutes().to_string()),
            tz: None,
            starts: Vec::new(),
            purpose: entry.purpose.clone(),
            topics: entry.topics.clone(),
            questions: entry.questions.join("\n"),
        }
    }

    /// The chosen topics as the bank names them (unknown ones are left for the service to name).
    fn bank_topics(&self) -> Vec<QuestionTopic> {
        let mut topics = Vec::new();
        for topic in self.topics.iter().filter_map(|raw| bank_topic(raw).ok()) {
            if !topics.contains(&topic) {
                topics.push(topic);
            }
        }
        topics
    }

    /// One question per non-empty line.
    fn question_list(&self) -> Vec<String> {
        self.questions.lines().map(str::trim).filter(|line| !line.is_empty()).map(str::to_owned).collect()
    }

    /// Adds a question from the bank (once).
    fn add_question(&mut self, question: &str) {
        let question = question.trim();
        if question.is_empty() || self.question_list().iter().any(|existing| existing == question) {
            return;
        }
        let mut lines = self.question_list();
        lines.push(question.to_owned());
        self.questions = lines.join("\n");
    }

    fn chosen_instants(&self) -> Vec<Timestamp> {
        self.starts.iter().filter_map(|raw| raw.trim().parse().ok()).collect()
    }

    fn length_minutes(&self) -> i64 {
        self.length.as_deref().and_then(|raw| raw.trim().parse().ok()).unwrap_or_default()
    }

    fn input(&self, handle: &str) -> NewRequestInput {
        NewRequestInput {
            host: handle.to_owned(),
            length_minutes: self.length_minutes(),
            proposed_starts: self.starts.clone(),
            purpose: self.purpose.clone(),
            topics: self.topics.clone(),
            questions: self.question_list(),
        }
    }
}

fn require_seeker(me: &Account) -> Result<(), PageError> {
    if me.roles.seeker {
        Ok(())
    } else {
        Err(PageError::forbidden(
            "Requests are sent from a seeker account, and this account is set up for hosting only.",
        ))
    }
}

/// Why a submission was refused, or what a composer step found.
#[derive(Debug, Default)]
struct FormProblems {
    errors: FieldErrors,
    form_error: Option<String>,
    suggestions: Vec<SuggestedHost>,
    /// The "check my request" step's findings.
    checked: Option<Vec<CheckedSentence>>,
    from_offer: bool,
}

/// Builds the request page for `draft` (a fresh one from the query, a composer step, or a failed submission).
async fn request_page(
    state: &AppState,
    session: &Session,
    me: &Account,
    uri: &Uri,
    handle: &str,
    draft: &RequestDraft,
    problems: FormProblems,
) -> Result<RequestPage, PageError> {
    let FormProblems { errors, form_error, suggestions, checked, from_offer } = problems;
    let errors = without_rule_names(&errors);
    let layout = Layout::new(session, Some(me), uri).await;
    let host = state.services.host(handle).await?;
    if host.account_id == me.id {
        return Err(PageError::forbidden("This is your own page: requests come to you from seekers."));
    }
    let host_zone = host.policy.as_ref().map_or_else(|| me.time_zone.clone(), |policy| policy.time_zone.clone());
    let viewer = ViewerZone::resolve(draft.tz.as_deref(), &layout, &host_zone, session).await;
    let (list, length_notice) =
        slots_with_fallback(state, &host, draft.length.as_deref(), Some(viewer.zone.clone())).await?;
    let outlook = state.services.host_outlook_of(host, Some(me)).await?;
    let zone = &list.zone;
    let chosen = draft.chosen_instants();
    // A full host's times are kept for those in line: none are offered to choose.
    let free = if outlook.full_for_viewer { &[][..] } else { &list.slots[..] };
    let choices = free.iter().map(|slot| {
        let choice = SlotChoice {
            value: slot.start.to_string(),
            id: format!("slot-{}", slot.start.as_second()),
            time: display::format_time(slot.start, zone),
            label: display::format_instant(slot.start, zone),
            checked: chosen.contains(&slot.start),
        };
        (slot.start, choice)
    });
    let days = regroup(display::group_by_day(choices, zone, |(start, _)| *start));

    let mut notices: Vec<String> = viewer.notice().into_iter().chain(length_notice).collect();
    let gone = chosen.iter().filter(|start| !free.iter().any(|slot| slot.start == **start)).count();
    if gone > 0 && errors.is_empty() && !outlook.full_for_viewer {
        notices.push(if gone == 1 {
            "The time you picked is no longer free; please choose another.".to_owned()
        } else {
            "Some of the times you picked are no longer free; please choose again.".to_owned()
        });
    }

    let profile = &list.host.profile;
    let keeps_waitlist = outlook.rules.overflow == Overflow::Waitlist;
    let overflow_notice = outlook.full_for_viewer.then(|| {
        let opening = OutlookView::new(&outlook, zone)
            .full_notice
            .unwrap_or_else(|| format!("Others are waiting for {}'s next opening.", profile.name));
        // A paused host's notice already says so; a booked-up one is "full" first.
        let lead =
            if outlook.capacity.paused { opening } else { format!("{} is full for now. {opening}", profile.name) };
        if keeps_waitlist {
            format!(
                "{lead} Prepare your request as usual: sending it puts you on the waitlist, and when it is your turn \
                 the opening is kept for you for 48 hours."
            )
        } else {
            format!(
                "{lead} They don't keep a waitlist, so a request can't be sent until then; sending shows you similar \
                 people who have time now."
            )
        }
    });

    let picked = draft.bank_topics();
    let topics = QuestionTopic::ALL
        .iter()
        .map(|topic| TopicChoice {
            name: topic.title().to_owned(),
            description: topic.description(),
            id: format!("topic-{}", topic.as_str()),
            checked: picked.contains(topic),
        })
        .collect();
    let have = draft.question_list();
    let bank = picked
        .iter()
        .map(|&topic| BankSection {
            title: topic.title(),
            id: format!("bank-{}", topic.as_str()),
            suggestions: questions_for(topic)
                .iter()
                .map(|question| BankSuggestion {
                    text: question.text,
                    adapt: question.adapt,
                    added: have.iter().any(|existing| existing == question.text),
                })
                .collect(),
        })
        .collect();
    let fit = fit_for_length(have.len(), list.length.minutes());

    Ok(RequestPage {
        layout,
        handle: profile.handle.as_str().to_owned(),
        host_name: profile.name.clone(),
        // A full host's form stays open: sending waitlists, or shows similar hosts (decline mode).
        accepting: list.policy.accepting || outlook.full_for_viewer,
        month_full: list.month_full,
        zone: zone.as_str().to_owned(),
        lengths: length_options(&list.policy, list.length.minutes()),
        length: list.length.minutes(),
        days,
        purpose: draft.purpose.clone(),
        topics,
        host_topics: profile.topics.clone(),
        questions: draft.questions.clone(),
        question_count: have.len(),
        bank,
        fit_message: fit.message,
        fits: fit.fits,
        min_questions: outlook.rules.min_questions,
        checked,
        joins_waitlist: outlook.full_for_viewer && keeps_waitlist,
        overflow_notice,
        from_offer,
        errors,
        form_error,
        suggestions,
        notices,
    })
}

async fn request_form(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
    uri: Uri,
    Path(handle): Path<String>,
    Query(fields): Query<FormFields>,
) -> Result<Response, PageError> {
    require_seeker(&me)?;
    let mut problems = FormProblems::default();
    let draft = match fields.get("waitlist").and_then(|id| id.trim().parse::<i64>().ok()) {
        Some(id) => {
            let entry = state.services.waitlist_entry(&me, id).await?;
            problems.from_offer = entry.status == WaitlistStatus::Offered;
            RequestDraft::from_entry(&entry)
        }
        None => RequestDraft::from_query(&fields),
    };
    let page = request_page(&state, &session, &me, &uri, &handle, &draft, problems).await?;
    Ok(render(&page))
}

/// A composer step without sending: add a question from the bank, refresh the bank for the chosen topics, or
/// check the request sentence by sentence. The whole page comes back (htmx swaps just the composer part).
async fn compose(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
    uri: Uri,
    Path(handle): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, PageError> {
    require_seeker(&me)?;
    let mut draft = RequestDraft::from_form(&fields);
    if let Some(question) = fields.get("add_question") {
        draft.add_question(question);
    }
    let mut problems = FormProblems::default();
    if fields.get("step") == Some("check") {
        let minutes = u16::try_from(draft.length_minutes()).ok();
        let findings = check_request(&draft.purpose, &draft.question_list(), minutes);
        problems.checked = Some(
            findings
                .into_iter()
                .map(|finding| CheckedSentence {
                    text: finding.text,
                    rule: finding.rule.title(),
                    why: finding.rule.host_view(),
                    suggestion: finding.suggestion,
                })
                .collect(),
        );
    }
    let page = request_page(&state, &session, &me, &uri, &handle, &draft, problems).await?;
    Ok(render(&page))
}

async fn send_request(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
    uri: Uri,
    Path(handle): Path<String>,
    Form(fields): Form<FormFields>,
) -> Result<Response, PageError> {
    require_seeker(&me)?;
    let draft = RequestDraft::from_form(&fields);
    // Refused times are named in the zone the form showed them in.
    let zone = form_zone(&me.time_zone, draft.tz.as_deref());
    let failure = match state.services.send_request(&me, draft.input(&handle), &zone).await {
        Ok(RequestOutcome::Sent { request, findings }) => {
            let mut message = format!(
                "Your request is on its way to {}. You'll see their answer here and on your dashboard.",
                request.host.name
            );
            if !findings.is_empty() {
                message.push_str(" The host will also see the etiquette check's notes on it.");
            }
            set_flash(&session, FlashKind::Success, message).await;
            return Ok(Redirect::to(&format!("/requests/{}", request.id)).into_response());
        }
        Ok(RequestOutcome::Waitlisted { entry, .. }) => {
            let message = format!(
                "{} is full for now, so you are on their waitlist: number {}. When it is your turn, the opening is \
                 kept for you for 48 hours and you'll be told.",
                entry.host.name,
                entry.position.unwrap_or(1)
            );
            set_flash(&session, FlashKind::Success, message).await;
            return Ok(Redirect::to(&format!("/h/{}", entry.host_handle)).into_response());
        }
        Ok(RequestOutcome::HostFull(full)) => {
            let suggestions = full
                .suggestions
                .iter()
                .map(|host| SuggestedHost {
                    handle: host.handle.clone(),
                    name: host.name.clone(),
                    headline: host.headline.clone(),
                    next_free: display::format_instant(host.next_free, &zone),
                })
                .collect();
            let problems = FormProblems { form_error: Some(full.message), suggestions, ..FormProblems::default() };
            let page = request_page(&state, &session, &me, &uri, &handle, &draft, problems).await?;
            return Ok(render_with_status(StatusCode::CONFLICT, &page));
        }
        Err(error) => error,
    };
    let (status, problems) = match failure {
        ServiceError::Invalid(errors) => {
            let form_error =
                without_rule_names(&errors).get("host").map(|message| format!("This host can't be asked: {message}."));
            (StatusCode::UNPROCESSABLE_ENTITY, FormProblems { errors, form_error, ..FormProblems::default() })
        }
        ServiceError::Conflict(message) => {
            (StatusCode::CONFLICT, FormProblems { form_error: Some(sentence(&message)), ..FormProblems::default() })
        }
        other => return Err(other.into()),
    };
    let page = request_page(&state, &session, &me, &uri, &handle, &draft, problems).await?;
    Ok(render_with_status(status, &page))
}

/// Field messages as a person reads them: the API's messages start with the rule's name
/// (`min_questions: …`), which the form leaves out.
fn without_rule_names(errors: &FieldErrors) -> FieldErrors {
    let mut plain = FieldErrors::new();
    for (field, message) in errors.iter() {
        let stripped = message
            .split_once(": ")
            .filter(|(rule, _)| rule.contains('_') && rule.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
        plain.add(field, stripped.map_or(message, |(_, rest)| rest));
    }
    plain
}

/// Leaves a host's waitlist from the host page or the dashboard.
async fn leave_waitlist(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id: i64 = id.trim().parse().map_err(|_| PageError::not_found())?;
    let entry = state.services.leave_waitlist(&me, id).await?;
    let message = format!("You left {}'s waitlist.", entry.host.name);
    Ok(redirect_with_flash(&session, FlashKind::Success, message, "/dashboard").await)
}

/// The zone the request form showed times in: its `tz`, else the seeker's own.
fn form_zone(account_zone: &TimeZoneName, tz: Option<&str>) -> TimeZoneName {
    tz.and_then(|tz| TimeZoneName::parse(tz).ok()).unwrap_or_else(|| account_zone.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn career_paths_split_into_paragraphs_at_blank_lines() {
        let text = "Taught maths for six years.\nThen analytics.\n\n\n  Now data science.  ";
        assert_eq!(paragraphs(text), vec!["Taught maths for six years. Then analytics.", "Now data science."]);
        assert!(paragraphs("   ").is_empty());
    }

    #[test]
    fn drafts_keep_what_was_typed_and_split_lists() {
        let fields = FormFields::from(vec![
            ("length_minutes".to_owned(), "30".to_owned()),
            ("proposed_starts".to_owned(), "2026-03-03T07:30:00Z".to_owned()),
            ("proposed_starts".to_owned(), "not a time".to_owned()),
            ("topics".to_owned(), "Career path".to_owned()),
            ("topics".to_owned(), "career_path".to_owned()),
            ("topics".to_owned(), "salary".to_owned()),
            ("questions".to_owned(), "First?\r\n\r\n  Second?  \n".to_owned()),
        ]);
        let mut draft = RequestDraft::from_form(&fields);
        assert_eq!(draft.bank_topics(), vec![QuestionTopic::CareerPath], "both names, once; unknown ones left out");
        assert_eq!(draft.question_list(), vec!["First?", "Second?"]);
        assert_eq!(draft.chosen_instants().len(), 1);
        assert_eq!(draft.starts.len(), 2, "the unreadable value is kept for the service to name");
        draft.add_question(" Third? ");
        draft.add_question("First?");
        assert_eq!(draft.question_list(), vec!["First?", "Second?", "Third?"], "added once, at the end");
    }

    #[test]
    fn rule_names_are_left_out_of_form_messages() {
        let mut errors = FieldErrors::new();
        errors.add("questions", "min_questions: this host asks for at least 3");
        errors.add("purpose", "this host asks you to revise before sending: pitching: “x” — y");
        let plain = without_rule_names(&errors);
        assert_eq!(plain.get("questions"), Some("this host asks for at least 3"));
        assert!(plain.get("purpose").unwrap_or_default().starts_with("this host asks you to revise"));
    }

    #[test]
    fn refused_times_are_named_in_the_forms_zone() {
        let tokyo = form_zone(&TimeZoneName::utc(), Some("Asia/Tokyo"));
        assert_eq!(tokyo.as_str(), "Asia/Tokyo");
        assert_eq!(form_zone(&tokyo, Some("Mars/Olympus")).as_str(), "Asia/Tokyo", "an unknown zone falls back");
        assert_eq!(form_zone(&tokyo, None).as_str(), "Asia/Tokyo");
    }

    #[test]
    fn lengths_read_as_a_list() {
        let mut policy = HostPolicy::starter(TimeZoneName::utc());
        assert_eq!(lengths_text(&policy), "20 or 30 minutes");
        policy.lengths.truncate(1);
        assert_eq!(lengths_text(&policy), "20 minutes");
    }
}
