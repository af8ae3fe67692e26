//! `/settings/overrides` ("Days off & special hours"): a host lists their date overrides, adds one (a single
//! day or a range; off, or other hours) and removes one. Plain forms, so it all works without JavaScript.
//!
//! The add form posts back to the page; a refused form is re-rendered with status 422, every typed value
//! kept and each message beside its input. Hours rows are named like the domain's fields (`windows[1].end`),
//! and the domain's messages are mapped back onto the rows the host filled in, blank rows being skipped.

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::Uri;
use axum::response::Response;
use axum::routing::{get, post};
use coffeechat_domain::{FieldErrors, OverrideInput, TimeRangeInput};
use coffeechat_service::{Account, ServiceError, describe_override};
use coffeechat_store::{OverrideId, OverrideRecord};
use tower_sessions::Session;

use crate::AppState;
use crate::display::format_civil_date;
use crate::error::PageError;
use crate::pages::forms::{FormErrors, every_problem, refused_form};
use crate::pages::{FlashKind, FormFields, HostUser, Layout, parse_id, redirect_with_flash, render};

/// Rows of hours offered by the add form: more than any special day needs.
const HOURS_ROWS: usize = 3;

/// Routes of this module, merged by [`crate::pages::router`].
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/settings/overrides", get(overrides_page).post(add_override))
        .route("/settings/overrides/{id}/delete", post(delete_override))
}

/// One row of hours, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HoursRow {
    pub start: String,
    pub end: String,
}

impl HoursRow {
    fn is_blank(&self) -> bool {
        self.start.trim().is_empty() && self.end.trim().is_empty()
    }
}

/// The add form's values, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverrideForm {
    pub from: String,
    pub to: String,
    /// "Off" (true) or "other hours" (false).
    pub off: bool,
    /// Always [`HOURS_ROWS`] rows, blank ones included.
    pub hours: Vec<HoursRow>,
}

impl Default for OverrideForm {
    fn default() -> Self {
        OverrideForm { from: String::new(), to: String::new(), off: true, hours: vec![HoursRow::default(); HOURS_ROWS] }
    }
}

impl OverrideForm {
    fn from_fields(fields: &FormFields) -> Self {
        let hours = (0..HOURS_ROWS)
            .map(|index| HoursRow {
                start: fields.text(&format!("windows[{index}].start")).to_owned(),
                end: fields.text(&format!("windows[{index}].end")).to_owned(),
            })
            .collect();
        OverrideForm {
            from: fields.text("from").to_owned(),
            to: fields.text("to").to_owned(),
            off: fields.text("kind") != "hours",
            hours,
        }
    }

    /// The domain's input, the row each of its windows came from, and what the form itself finds wrong.
    fn to_input(&self) -> (OverrideInput, Vec<usize>, FieldErrors) {
        let mut errors = FieldErrors::new();
        let (rows, windows): (Vec<usize>, Vec<TimeRangeInput>) = if self.off {
            (Vec::new(), Vec::new())
        } else {
            self.hours
                .iter()
                .enumerate()
                .filter(|(_, row)| !row.is_blank())
                .map(|(index, row)| (index, TimeRangeInput { start: row.start.clone(), end: row.end.clone() }))
                .unzip()
        };
        if !self.off && windows.is_empty() {
            errors.add("windows", "give the hours you are free on these dates, or choose “Off”");
        }
        (OverrideInput { from: self.from.clone(), to: self.to.clone(), windows }, rows, errors)
    }
}

/// The domain names the `i`-th window it was given; the page names the row it came from.
fn errors_on_rows(errors: FieldErrors, rows: &[usize]) -> FieldErrors {
    let mut mapped = FieldErrors::new();
    for (field, message) in errors.iter() {
        let renamed = field
            .strip_prefix("windows[")
            .and_then(|rest| rest.split_once(']'))
            .and_then(|(index, part)| Some((rows.get(index.parse::<usize>().ok()?)?, part)))
            .map(|(row, part)| format!("windows[{row}]{part}"));
        mapped.add(renamed.unwrap_or_else(|| field.to_owned()), message);
    }
    mapped
}

fn label(field: &str) -> String {
    if let Some(rest) = field.strip_prefix("windows[")
        && let Some((index, part)) = rest.split_once("].")
        && let Ok(index) = index.parse::<usize>()
    {
        let part = if part == "start" { "start" } else { "end" };
        return format!("The {part} of hours row {}", index + 1);
    }
    match field {
        "from" => "First day",
        "to" => "Last day",
        "windows" => "Hours",
        other => other,
    }
    .to_owned()
}

/// The form's fields in the order it shows them.
fn form_fields() -> Vec<String> {
    let mut fields = vec!["from".to_owned(), "to".to_owned(), "windows".to_owned()];
    for index in 0..HOURS_ROWS {
        fields.extend(["start", "end"].map(|part| format!("windows[{index}].{part}")));
    }
    fields
}

/// A row of hours as rendered, with its messages.
#[derive(Debug, Clone)]
pub struct HoursRowView {
    pub index: usize,
    pub start: String,
    pub end: String,
    pub start_error: Option<String>,
    pub end_error: Option<String>,
}

/// A stored override as listed.
#[derive(Debug, Clone)]
pub struct OverrideItem {
    pub id: i64,
    /// `Thu 24 Dec 2026` or `Thu 24 Dec 2026 – Sat 2 Jan 2027`.
    pub dates: String,
    /// `Off`, or `07:00–07:45, 17:00–18:00`.
    pub hours: String,
    /// The whole override in words, for the remove button's accessible name.
    pub summary: String,
}

impl OverrideItem {
    fn new(record: &OverrideRecord) -> Self {
        let date_override = &record.date_override;
        let dates = if date_override.from == date_override.to {
            format_civil_date(date_override.from)
        } else {
            format!("{} – {}", format_civil_date(date_override.from), format_civil_date(date_override.to))
        };
        let hours = date_override.hours_text().unwrap_or_else(|| "Off".to_owned());
        OverrideItem { id: record.id.0, dates, hours, summary: describe_override(date_override) }
    }
}

#[derive(Template)]
#[template(path = "settings/overrides.html")]
struct OverridesPage {
    layout: Layout,
    /// The host's zone: dates and hours are read in it.
    zone: String,
    /// Overrides whose last day is today or later, by first day.
    upcoming: Vec<OverrideItem>,
    /// Overrides that are over, most recent first.
    past: Vec<OverrideItem>,
    form: OverrideForm,
    rows: Vec<HoursRowView>,
    errors: FormErrors,
}

async fn view(
    state: &AppState,
    session: &Session,
    me: &Account,
    uri: &Uri,
    form: OverrideForm,
    errors: FieldErrors,
) -> Result<OverridesPage, PageError> {
    let policy = state.services.policy(me).await?;
    let today = state.services.now().to_zoned(policy.time_zone.zone().clone()).date();
    let (mut past, upcoming): (Vec<OverrideRecord>, Vec<OverrideRecord>) =
        state.services.overrides(me).await?.into_iter().partition(|record| record.date_override.to < today);
    past.reverse();
    let errors = FormErrors::new(errors, &form_fields(), label, "Your override wasn't added yet");
    let rows = form
        .hours
        .iter()
        .enumerate()
        .map(|(index, row)| HoursRowView {
            index,
            start: row.start.clone(),
            end: row.end.clone(),
            start_error: errors.message(&format!("windows[{index}].start")),
            end_error: errors.message(&format!("windows[{index}].end")),
        })
        .collect();
    Ok(OverridesPage {
        layout: Layout::new(session, Some(me), uri).await,
        zone: policy.time_zone.as_str().to_owned(),
        upcoming: upcoming.iter().map(OverrideItem::new).collect(),
        past: past.iter().map(OverrideItem::new).collect(),
        form,
        rows,
        errors,
    })
}

async fn overrides_page(
    State(state): State<AppState>,
    session: Session,
    HostUser(me): HostUser,
    uri: Uri,
) -> Result<Response, PageError> {
    let page = view(&state, &session, &me, &uri, OverrideForm::default(), FieldErrors::new()).await?;
    Ok(render(&page))
}

async fn add_override(
    State(state): State<AppState>,
    session: Session,
    HostUser(me): HostUser,
    uri: Uri,
    Form(fields): Form<FormFields>,
) -> Result<Response, PageError> {
    let form = OverrideForm::from_fields(&fields);
    let (input, rows, errors) = form.to_input();
    let result = if errors.is_empty() {
        state.services.add_override(&me, input).await
    } else {
        Err(ServiceError::Invalid(every_problem(errors, input.validate())))
    };
    match result {
        Ok(record) => {
            let message =
                format!("Added: {}. Your free times follow it from now on.", describe_override(&record.date_override));
            Ok(redirect_with_flash(&session, FlashKind::Success, message, "/settings/overrides").await)
        }
        Err(error) => {
            refused_form(error, async |errors| {
                view(&state, &session, &me, &uri, form, errors_on_rows(errors, &rows)).await
            })
            .await
        }
    }
}

async fn delete_override(
    State(state): State<AppState>,
    session: Session,
    HostUser(me): HostUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let (kind, message) = match state.services.delete_override(&me, OverrideId(id)).await {
        Ok(()) => (FlashKind::Success, "Removed. Your weekly hours apply on those dates again."),
        // A second click, or another tab: the outcome the host wanted is already there.
        Err(ServiceError::NotFound(_)) => (FlashKind::Info, "That override had already been removed."),
        Err(other) => return Err(other.into()),
    };
    Ok(redirect_with_flash(&session, kind, message, "/settings/overrides").await)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> FormFields {
        FormFields::from(pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect::<Vec<_>>())
    }

    #[test]
    fn off_ignores_the_hours_and_hours_skip_blank_rows() {
        let off = OverrideForm::from_fields(&fields(&[
            ("from", "2026-12-24"),
            ("to", ""),
            ("kind", "off"),
            ("windows[0].start", "10:00"),
            ("windows[0].end", "11:00"),
        ]));
        let (input, rows, errors) = off.to_input();
        assert!(input.windows.is_empty() && rows.is_empty() && errors.is_empty());
        assert_eq!(off.hours[0].start, "10:00", "typed hours are kept for a re-render");

        let hours = OverrideForm::from_fields(&fields(&[
            ("from", "2026-12-24"),
            ("kind", "hours"),
            ("windows[1].start", "10:00"),
            ("windows[1].end", "09:00"),
            ("windows[2].start", "14:00"),
            ("windows[2].end", "15:00"),
        ]));
        let (input, rows, errors) = hours.to_input();
        assert_eq!(rows, [1, 2]);
        assert!(errors.is_empty());
        let domain = input.validate().unwrap_err();
        assert!(domain.get("windows[0].end").is_some());
        let on_rows = errors_on_rows(domain, &rows);
        assert!(on_rows.get("windows[1].end").is_some(), "{on_rows}");
        assert_eq!(label("windows[1].end"), "The end of hours row 2");
    }

    #[test]
    fn other_hours_need_at_least_one_row() {
        let form = OverrideForm::from_fields(&fields(&[("from", "2026-12-24"), ("kind", "hours")]));
        let (_, _, errors) = form.to_input();
        assert!(errors.get("windows").is_some());
    }
}
