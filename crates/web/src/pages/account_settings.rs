//! `/settings/account`: the settings every user has — name, the time zone times are shown in, and roles
//! (a seeker can start hosting, a host can start asking). Roles are added here, never removed: requests and
//! interviews hang on them.

use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::Uri;
use axum::response::Response;
use axum::routing::get;
use coffeechat_domain::FieldErrors;
use coffeechat_service::{Account, AccountSettingsInput};
use tower_sessions::Session;

use crate::AppState;
use crate::auth::SessionUser;
use crate::display::{ZoneOption, zone_options};
use crate::error::PageError;
use crate::pages::forms::{FormErrors, refused_form};
use crate::pages::{FlashKind, FormFields, Layout, redirect_with_flash, render};

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

/// The form's fields, in the order it shows them.
const FIELDS: [&str; 3] = ["name", "time_zone", "roles"];

fn label(field: &str) -> String {
    match field {
        "name" => "Name",
        "time_zone" => "Time zone",
        "roles" => "Roles",
        other => other,
    }
    .to_owned()
}

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
    errors: FormErrors,
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
        errors: FormErrors::new(errors, &FIELDS, label, "Your account wasn't saved yet"),
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
            let next = if updated.roles.host && !me.roles.host { "/settings/profile" } else { "/settings/account" };
            Ok(redirect_with_flash(&session, FlashKind::Success, message, next).await)
        }
        Err(error) => {
            refused_form(error, async |errors| Ok(view(&state, &session, &me, &uri, form, errors).await)).await
        }
    }
}
