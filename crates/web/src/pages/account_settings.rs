//! `/settings/account`: the settings every user has — name, the time zone times are shown in, and roles
//! (a seeker can start hosting, a host can start asking). Roles are added here, never removed: requests and
//! interviews hang on them.

use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use coffeechat_domain::FieldErrors;
use coffeechat_service::{Account, AccountSettingsInput, ServiceError};
use tower_sessions::Session;

use crate::AppState;
use crate::auth::SessionUser;
use crate::display::{ZoneOption, zone_options};
use crate::error::PageError;
use crate::pages::{ErrorLink, FlashKind, FormFields, Layout, error_links, field_message, render, set_flash, unprocessable};

/// Routes of this module, merged by [`crate::pages::router`].
pub fn router() -> Router<AppState> {
    Router::new().route("/settings/account", get(account_page).post(save_account))
}

/// The form's values, as typed.
#[derive(Debug, Clone)]
struct AccountForm {
    name: String,
    time_zone: String,
    host: bool,
    seeker: bool,
}

impl AccountForm {
    fn from_account(account: &Account) -> Self {
        AccountForm {
            name: account.name.clone(),
            time_zone: account.time_zone.as_str().to_owned(),
            host: account.roles.host,
            seeker: account.roles.seeker,
        }
    }

    /// Roles the account already has stay ticked: the form cannot remove them.
    fn from_fields(fields: &FormFields, me: &Account) -> Self {
        let roles = fields.all("roles");
        let ticked = |role: &str| roles.iter().any(|chosen| chosen == role);
        AccountForm {
            name: fields.text("name").to_owned(),
            time_zone: fields.text("time_zone").to_owned(),
            host: me.roles.host || ticked("host"),
            seeker: me.roles.seeker || ticked("seeker"),
        }
    }

    fn to_input(&self) -> AccountSettingsInput {
        let mut roles = Vec::new();
        if self.host {
            roles.push("host".to_owned());
        }
        if self.seeker {
            roles.push("seeker".to_owned());
        }
        AccountSettingsInput { name: self.name.clone(), time_zone: self.time_zone.clone(), roles }
    }
}

const FIELDS: [(&str, &str, &str); 3] =
    [("name", "Name", "field-name"), ("time_zone", "Time zone", "field-time-zone"), ("roles", "Roles", "field-roles")];

#[derive(Template)]
#[template(path = "settings/account.html")]
struct AccountPage {
    layout: Layout,
    email: String,
    form: AccountForm,
    zones: Vec<ZoneOption>,
    /// Whether the account had each role before this form, so a held role shows as held, not as a choice.
    had_host: bool,
    had_seeker: bool,
    errors: FieldErrors,
    summary: Vec<ErrorLink>,
}

impl AccountPage {
    fn error_for(&self, field: &str) -> Option<String> {
        let label = FIELDS.iter().find(|(name, _, _)| *name == field).map_or(field, |(_, label, _)| label);
        self.errors.get(field).map(|message| field_message(label, message))
    }

    fn unsaved(&self) -> &'static str {
        "Your account wasn't saved yet"
    }
}

async fn view(
    state: &AppState,
    session: &Session,
    me: &Account,
    uri: &Uri,
    form: AccountForm,
    errors: FieldErrors,
) -> AccountPage {
    AccountPage {
        layout: Layout::new(session, Some(me), uri).await,
        email: me.email.as_str().to_owned(),
        zones: zone_options(&form.time_zone, state.services.now()),
        form,
        had_host: me.roles.host,
        had_seeker: me.roles.seeker,
        summary: error_links(&errors, &FIELDS),
        errors,
    }
}

async fn account_page(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
    uri: Uri,
) -> Response {
    let form = AccountForm::from_account(&me);
    render(&view(&state, &session, &me, &uri, form, FieldErrors::new()).await)
}

async fn save_account(
    State(state): State<AppState>,
    session: Session,
    SessionUser(me): SessionUser,
    uri: Uri,
    Form(fields): Form<FormFields>,
) -> Result<Response, PageError> {
    let form = AccountForm::from_fields(&fields, &me);
    match state.services.update_account(&me, form.to_input()).await {
        Ok(updated) => {
            let message = if updated.roles.host && !me.roles.host {
                "Saved. You're a host now: set up your profile and availability to be listed."
            } else {
                "Saved."
            };
            set_flash(&session, FlashKind::Success, message).await;
            let next = if updated.roles.host && !me.roles.host { "/settings/profile" } else { "/settings/account" };
            Ok(Redirect::to(next).into_response())
        }
        Err(ServiceError::Invalid(errors)) => Ok(unprocessable(&view(&state, &session, &me, &uri, form, errors).await)),
        Err(other) => Err(other.into()),
    }
}
