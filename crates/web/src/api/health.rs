//! `GET /healthz`: whether this instance can serve, for load balancers and uptime checks.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use crate::AppState;

/// The health of the instance.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok`, or `unavailable` when the database cannot be reached.
    pub status: String,
}

/// 200 when the database answers, 503 when it does not.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "health",
    responses(
        (status = 200, description = "The database answers", body = Health),
        (status = 503, description = "The database cannot be reached", body = Health),
    )
)]
pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    match state.services.store().ping().await {
        Ok(()) => (StatusCode::OK, Json(Health { status: "ok".to_owned() })),
        Err(error) => {
            tracing::error!(%error, "health check: the database cannot be reached");
            (StatusCode::SERVICE_UNAVAILABLE, Json(Health { status: "unavailable".to_owned() }))
        }
    }
}
