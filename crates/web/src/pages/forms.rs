//! What the settings forms share: the id of a field's input, a refused form's messages (beside each input and
//! in the summary at the top of the page), and the answer to a refused post (the form again, status 422).
//!
//! A form page keeps a [`FormErrors`] in its field `errors`. Its template reads `errors.message("name")` beside
//! each input and includes `settings/error_summary.html`, which lists `errors.summary` under `errors.unsaved`;
//! `templates/macros.html` renders a whole number field (label, hint, input and message) from its name.

use askama::Template;
use axum::response::Response;
use coffeechat_domain::FieldErrors;
use coffeechat_service::ServiceError;

use crate::error::PageError;
use crate::pages::{ErrorLink, error_links, field_message, unprocessable};

/// An HTML id for a field name: `windows[2].end` → `field-windows-2-end`.
pub fn field_id(name: &str) -> String {
    let mut id = String::from("field-");
    let mut last_dash = true;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
            last_dash = false;
        } else if !last_dash {
            id.push('-');
            last_dash = true;
        }
    }
    id.trim_end_matches('-').to_owned()
}

/// How a form names a field before its message: `"monthly_cap"` → `"Monthly limit"`.
pub type Labels = fn(&str) -> String;

/// A form's messages as its page shows them: each beside its input, and all of them in a summary whose links
/// jump to the inputs. Empty when the form was not refused.
#[derive(Debug, Clone)]
pub struct FormErrors {
    errors: FieldErrors,
    labels: Labels,
    /// The summary's heading, saying what did not happen: `"Your profile wasn't saved yet"`.
    pub unsaved: &'static str,
    /// Every message in the order of the form, each linking to its input.
    pub summary: Vec<ErrorLink>,
}

impl FormErrors {
    /// `fields` are the form's field names in the order it shows them, each input's id being [`field_id`].
    pub fn new(errors: FieldErrors, fields: &[impl AsRef<str>], labels: Labels, unsaved: &'static str) -> Self {
        let ids: Vec<(&str, String)> = fields.iter().map(|field| (field.as_ref(), field_id(field.as_ref()))).collect();
        let fields: Vec<(&str, &str)> = ids.iter().map(|(field, id)| (*field, id.as_str())).collect();
        Self::with_ids(errors, &fields, labels, unsaved)
    }

    /// Like [`FormErrors::new`] for inputs with ids of their own: `fields` are `(field name, input id)`.
    pub fn with_ids(errors: FieldErrors, fields: &[(&str, &str)], labels: Labels, unsaved: &'static str) -> Self {
        let labelled: Vec<(&str, String, &str)> =
            fields.iter().map(|(field, id)| (*field, labels(field), *id)).collect();
        let links: Vec<(&str, &str, &str)> =
            labelled.iter().map(|(field, label, id)| (*field, label.as_str(), *id)).collect();
        FormErrors { summary: error_links(&errors, &links), errors, labels, unsaved }
    }

    /// The message for `field`, naming it: `"Handle is already taken."`.
    pub fn message(&self, field: &str) -> Option<String> {
        self.errors.get(field).map(|message| field_message(&(self.labels)(field), message))
    }
}

/// The problems the form itself found (a number that is not a number) together with the domain's rules for
/// the fields that did parse (`validated`), so that a refused form shows every problem at once.
pub fn every_problem<T>(mut form_errors: FieldErrors, validated: Result<T, FieldErrors>) -> FieldErrors {
    if let Err(domain_errors) = validated {
        form_errors.extend_prefixed("", domain_errors);
    }
    form_errors
}

/// The answer to a post the services refused: when they named fields, the form again (`form_again` renders
/// it with their messages) with status 422; any other failure becomes its error page.
///
/// # Errors
/// The [`PageError`] of a failure that is not about the form's fields, or of rendering the form again.
pub async fn refused_form<T: Template>(
    error: ServiceError,
    form_again: impl AsyncFnOnce(FieldErrors) -> Result<T, PageError>,
) -> Result<Response, PageError> {
    match error {
        ServiceError::Invalid(errors) => Ok(unprocessable(&form_again(errors).await?)),
        other => Err(other.into()),
    }
}

/// `"SQL, statistics ,"` → `["SQL", "statistics"]`: a comma-separated form field as a list.
pub(crate) fn split_list(raw: &str) -> Vec<String> {
    raw.split(',').map(str::trim).filter(|item| !item.is_empty()).map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(field: &str) -> String {
        match field {
            "monthly_cap" => "Monthly limit".to_owned(),
            other => other.to_owned(),
        }
    }

    #[test]
    fn messages_name_their_field_and_the_summary_links_to_its_input() {
        let errors = FormErrors::new(
            FieldErrors::single("monthly_cap", "must be a whole number"),
            &["time_zone", "monthly_cap"],
            label,
            "Not saved",
        );
        assert_eq!(errors.message("monthly_cap").as_deref(), Some("Monthly limit must be a whole number."));
        assert_eq!(errors.message("time_zone"), None);
        assert_eq!(errors.summary.len(), 1);
        assert_eq!(errors.summary[0].href, "#field-monthly-cap");

        let own_ids = FormErrors::with_ids(
            FieldErrors::single("name", "is too long"),
            &[("name", "field-feed-name")],
            label,
            "Not added",
        );
        assert_eq!(own_ids.summary[0].href, "#field-feed-name");
    }

    #[test]
    fn the_forms_own_problems_come_with_the_domains() {
        let mut domain = FieldErrors::new();
        domain.add("horizon_days", "must be between 1 and 365");
        let every = every_problem(FieldErrors::single("monthly_cap", "is required"), Err::<(), _>(domain));
        assert_eq!((every.get("monthly_cap"), every.get("horizon_days").is_some()), (Some("is required"), true));
        assert_eq!(every_problem(FieldErrors::new(), Ok(())).iter().count(), 0);
    }
}
