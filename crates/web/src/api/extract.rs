//! Extractors of the JSON API whose failures are [`ApiError`]s with the contract's body, never axum's
//! plain-text rejections.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{StatusCode, header};
use coffeechat_domain::FieldErrors;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A JSON request body.
///
/// * not `application/json`, not JSON at all, or not a JSON object → 400 `bad_request`;
/// * a missing required field or a value of the wrong type → 422 `invalid`, naming the field
///   (`"purpose"`, `"windows[1].start"`), like every other validation error;
/// * larger than the body limit → 413.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(request.headers().get(header::CONTENT_TYPE)) {
            return Err(ApiError::bad_request("send the body as JSON with 'Content-Type: application/json'"));
        }
        let bytes = Bytes::from_request(request, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::payload_too_large()
            } else {
                ApiError::bad_request(rejection.body_text())
            }
        })?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Reads `bytes` as a `T`, classifying failures as described on [`ApiJson`].
///
/// Every body of the API is a JSON object; anything else is refused up front, because serde would
/// otherwise happily read a struct from an array and blame a field named `[0]`.
pub(crate) fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().find(|byte| !byte.is_ascii_whitespace()) != Some(&b'{') {
        return Err(ApiError::bad_request("the body must be a JSON object"));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = match serde_path_to_error::deserialize(&mut deserializer) {
        Ok(value) => value,
        Err(error) => {
            let path = error.path().to_string();
            let inner = error.into_inner();
            return Err(match inner.classify() {
                serde_json::error::Category::Data => data_error(&path, &inner),
                _ => ApiError::bad_request(format!("the body is not valid JSON: {}", without_position(&inner))),
            });
        }
    };
    deserializer
        .end()
        .map_err(|error| ApiError::bad_request(format!("the body is not valid JSON: {}", without_position(&error))))?;
    Ok(value)
}

/// A well-formed JSON document whose shape is wrong.
fn data_error(path: &str, error: &serde_json::Error) -> ApiError {
    let message = without_position(error);
    if let Some(field) = message.strip_prefix("missing field `").and_then(|rest| rest.strip_suffix('`')) {
        let field = if path == "." { field.to_owned() } else { format!("{path}.{field}") };
        return ApiError::invalid(FieldErrors::single(field, "is required"));
    }
    if path == "." {
        // The document itself is of the wrong kind (an array where an object belongs, say).
        return ApiError::bad_request(format!("the body has the wrong shape: {message}"));
    }
    ApiError::invalid(FieldErrors::single(path, message))
}

/// serde_json's message without the " at line 1 column 42" suffix, which means nothing to most clients.
fn without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rsplit_once(" at line ") {
        Some((message, _)) => message.to_owned(),
        None => text,
    }
}

fn is_json(content_type: Option<&header::HeaderValue>) -> bool {
    let Some(value) = content_type.and_then(|value| value.to_str().ok()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// A path parameter; one that does not parse (`/requests/abc`) is a 404, since it names nothing.
#[derive(Debug, Clone, Copy, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// Query parameters; a malformed query string is a 400.
#[derive(Debug, Clone, Copy, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Body {
        purpose: String,
        #[serde(default)]
        nested: Vec<Inner>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        start: String,
    }

    #[test]
    fn missing_and_mistyped_fields_are_named() {
        let missing = parse_json::<Body>(br#"{}"#).unwrap_err();
        assert_eq!(missing.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(missing.fields().get("purpose"), Some("is required"));

        let nested = parse_json::<Body>(br#"{"purpose": "x", "nested": [{"start": 5}]}"#).unwrap_err();
        assert_eq!(nested.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(nested.fields().get("nested[0].start").is_some(), "{:?}", nested.fields());

        let nested_missing = parse_json::<Body>(br#"{"purpose": "x", "nested": [{}]}"#).unwrap_err();
        assert_eq!(nested_missing.fields().get("nested[0].start"), Some("is required"));
    }

    #[test]
    fn unreadable_documents_are_bad_requests() {
        for body in [&b"{"[..], b"not json", br#"{"purpose": "x"} trailing"#, b"[1, 2]"] {
            let error = parse_json::<Body>(body).unwrap_err();
            assert_eq!(error.status(), StatusCode::BAD_REQUEST, "{}", String::from_utf8_lossy(body));
            assert!(!error.message().contains("line 1"), "{}", error.message());
        }
    }

    #[test]
    fn json_content_types_are_recognised() {
        let check = |value: &'static str| is_json(Some(&header::HeaderValue::from_static(value)));
        assert!(check("application/json"));
        assert!(check("Application/JSON; charset=utf-8"));
        assert!(check("application/problem+json"));
        assert!(!check("text/plain"));
        assert!(!is_json(None));
    }
}
