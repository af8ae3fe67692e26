//! The web layer's two error types: [`ApiError`] answers JSON, [`PageError`] answers an HTML page.
//!
//! Both are built from a [`ServiceError`] through one mapping, [`classify`], so an API client and a
//! browser always get the same status for the same failure. Internal errors are logged with their
//! cause and shown to the user only as a generic sentence.

use std::collections::BTreeMap;

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use coffeechat_domain::FieldErrors;
use coffeechat_service::ServiceError;
use coffeechat_store::StoreError;

/// What users see instead of the details of an internal failure.
pub const INTERNAL_MESSAGE: &str = "something went wrong on our side; please try again later";

/// The HTTP status and machine-readable error code of a service failure.
///
/// This is the single place where service failures meet HTTP, shared by the API and the pages.
pub fn classify(error: &ServiceError) -> (StatusCode, &'static str) {
    match error {
        ServiceError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
        ServiceError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
        ServiceError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
        ServiceError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
        ServiceError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
        // The service maps these store errors itself; kept here so that a path that forgets cannot become a 500.
        ServiceError::Store(StoreError::Taken { .. }) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
        ServiceError::Store(StoreError::NotFound) => (StatusCode::NOT_FOUND, "not_found"),
        ServiceError::Store(StoreError::Conflict(_)) => (StatusCode::CONFLICT, "conflict"),
        ServiceError::Store(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
    }
}

/// The message shown for a service failure, and its field messages; internal causes are logged, not shown.
fn describe(error: &ServiceError, status: StatusCode) -> (String, FieldErrors) {
    if status == StatusCode::INTERNAL_SERVER_ERROR {
        tracing::error!(error = %error, "internal error while handling a request");
        return (INTERNAL_MESSAGE.to_owned(), FieldErrors::new());
    }
    match error {
        ServiceError::Invalid(fields) => (format!("invalid input: {fields}"), fields.clone()),
        ServiceError::Store(StoreError::Taken { field }) => {
            (error.to_string(), FieldErrors::single(*field, "is already taken"))
        }
        other => (other.to_string(), FieldErrors::new()),
    }
}

/// The JSON body of every API error: `{"error": {"code": "...", "message": "...", "fields": {...}}}`.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Machine-readable: `bad_request`, `unauthorized`, `forbidden`, `not_found`, `conflict`, `invalid`,
    /// `payload_too_large`, `internal`.
    #[schema(example = "invalid")]
    pub code: String,
    /// A sentence for people.
    #[schema(example = "invalid input: purpose: is required")]
    pub message: String,
    /// Field name (as in the request body or query) → what is wrong with it. Empty when no field is to blame.
    pub fields: BTreeMap<String, String>,
}

/// An error answered as JSON by the API.
#[derive(Debug, Clone)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    fields: FieldErrors,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self { status, code, message: message.into(), fields: FieldErrors::new() }
    }

    /// 400: the request cannot be read at all (malformed JSON, a wrong content type).
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// 401: no valid credentials.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    /// 403: authenticated, but not allowed.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    /// 404: missing or not visible to the caller.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// 422: well-formed but invalid input; every entry names a field.
    pub fn invalid(fields: FieldErrors) -> Self {
        let message = format!("invalid input: {fields}");
        Self { status: StatusCode::UNPROCESSABLE_ENTITY, code: "invalid", message, fields }
    }

    /// 413: the body is larger than the server accepts.
    pub fn payload_too_large() -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "the request body is too large")
    }

    /// 500: a failure that is ours; the message never carries details.
    pub fn internal() -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", INTERNAL_MESSAGE)
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn code(&self) -> &'static str {
        self.code
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn fields(&self) -> &FieldErrors {
        &self.fields
    }

    /// The JSON body this error is answered with.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: self.code.to_owned(),
                message: self.message.clone(),
                fields: self.fields.clone().into_map(),
            },
        }
    }
}

impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> Self {
        let (status, code) = classify(&error);
        let (message, fields) = describe(&error, status);
        Self { status, code, message, fields }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return ApiError::payload_too_large();
        }
        ApiError::bad_request(rejection.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::bad_request(rejection.body_text())
    }
}

impl From<PathRejection> for ApiError {
    /// A path segment that does not parse (`/requests/abc`) names nothing that exists.
    fn from(_: PathRejection) -> Self {
        ApiError::not_found("no such resource")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(self.body())).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// An error answered with an HTML error page.
#[derive(Debug, Clone)]
pub struct PageError {
    status: StatusCode,
    message: String,
}

impl PageError {
    /// A page with this status and sentence.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self { status, message: message.into() }
    }

    /// 404 with the usual sentence.
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "We could not find that page.")
    }

    /// 403 with the reason.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }

    /// 500, logging `cause` (never shown).
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error while rendering a page");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, INTERNAL_MESSAGE)
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    /// The page's heading: what happened, in plain words.
    pub fn title(&self) -> &'static str {
        match self.status {
            StatusCode::NOT_FOUND => "Page not found",
            StatusCode::FORBIDDEN => "Not allowed",
            StatusCode::UNAUTHORIZED => "Please log in",
            StatusCode::CONFLICT => "This has changed in the meantime",
            StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST => "Please check what you entered",
            status if status.is_server_error() => "Something went wrong",
            _ => "Something is not right",
        }
    }
}

impl From<ServiceError> for PageError {
    fn from(error: ServiceError) -> Self {
        let (status, _) = classify(&error);
        let (message, _) = describe(&error, status);
        Self { status, message }
    }
}

impl From<tower_sessions::session::Error> for PageError {
    fn from(error: tower_sessions::session::Error) -> Self {
        PageError::internal(error)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        // The shared error page (`templates/error.html`), rendered by the pages module.
        crate::pages::error_page(self.status, self.title(), &self.message)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use super::*;

    #[test]
    fn service_errors_keep_their_status_in_both_error_types() {
        let cases = [
            (ServiceError::Invalid(FieldErrors::single("purpose", "is required")), StatusCode::UNPROCESSABLE_ENTITY),
            (ServiceError::Unauthorized, StatusCode::UNAUTHORIZED),
            (ServiceError::Forbidden("hosts only".into()), StatusCode::FORBIDDEN),
            (ServiceError::NotFound("request"), StatusCode::NOT_FOUND),
            (ServiceError::Conflict("slot taken".into()), StatusCode::CONFLICT),
            (ServiceError::Store(StoreError::Corrupt("bad row".into())), StatusCode::INTERNAL_SERVER_ERROR),
        ];
        for (error, status) in cases {
            let (page_status, _) = classify(&error);
            assert_eq!(page_status, status);
            assert_eq!(ApiError::from(error).status(), status);
        }
    }

    #[test]
    fn field_errors_travel_into_the_body_and_internal_details_do_not() {
        let api = ApiError::from(ServiceError::Invalid(FieldErrors::single("purpose", "is required")));
        assert_eq!(api.code(), "invalid");
        assert_eq!(api.body().error.fields.get("purpose").map(String::as_str), Some("is required"));

        let internal = ApiError::from(ServiceError::Store(StoreError::Corrupt("secret table xyz".into())));
        assert_eq!(internal.code(), "internal");
        assert!(!internal.message().contains("xyz"));
        assert!(internal.fields().is_empty());
    }
}
