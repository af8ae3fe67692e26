//! `GET /healthz` and `GET /readyz`, for load balancers, orchestrators and uptime checks.
//!
//! `/healthz` says the process is alive and answering; it does no database work, so a slow or restarting
//! database never gets healthy instances killed. `/readyz` says whether this instance should get traffic: the
//! database answers and its migrations are exactly this binary's (none pending, none newer).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use crate::AppState;

/// Whether the process is alive.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Health {
    /// Always `ok`.
    pub status: String,
}

/// Whether the instance is ready for traffic, and if not, why.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Readiness {
    /// `ready`, or `unavailable`.
    pub status: String,
    /// Why it is not ready (absent when ready).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// 200 whenever the process answers: liveness, no database work.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "health",
    responses((status = 200, description = "The process is alive", body = Health))
)]
pub async fn healthz() -> Json<Health> {
    Json(Health { status: "ok".to_owned() })
}

/// 200 when the database answers and its migrations are this binary's; 503 with the reason otherwise.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "health",
    responses(
        (status = 200, description = "Ready for traffic", body = Readiness),
        (status = 503, description = "The database cannot be reached, or its migrations are not this binary's",
         body = Readiness),
    )
)]
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Readiness>) {
    let status = match state.services.store().migration_status().await {
        Ok(status) => status,
        Err(error) => {
            tracing::error!(%error, "readiness check: the database cannot be reached");
            return unavailable("the database cannot be reached".to_owned());
        }
    };
    if let Err(newer) = status.refuse_newer() {
        return unavailable(newer.to_string());
    }
    if !status.pending.is_empty() {
        let pending: Vec<String> = status.pending.iter().map(i64::to_string).collect();
        return unavailable(format!(
            "the database lacks migration(s) {}: run coffeechat migrate (or start coffeechat serve)",
            pending.join(", ")
        ));
    }
    (StatusCode::OK, Json(Readiness { status: "ready".to_owned(), reason: None }))
}

fn unavailable(reason: String) -> (StatusCode, Json<Readiness>) {
    (StatusCode::SERVICE_UNAVAILABLE, Json(Readiness { status: "unavailable".to_owned(), reason: Some(reason) }))
}
