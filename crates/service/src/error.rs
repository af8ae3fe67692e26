//! The one error type of the services, with the mapping from store errors.

use coffeechat_domain::FieldErrors;
use coffeechat_store::StoreError;

/// Why an operation failed. Each variant corresponds to one kind of answer the web layer gives.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Bad input; each entry names the API field. → HTTP 422
    #[error("invalid input: {0}")]
    Invalid(FieldErrors),
    /// Wrong email/password or missing/invalid credentials. → 401
    #[error("email or password is wrong")]
    Unauthorized,
    /// Authenticated but not allowed (e.g. not a host; a seeker trying to accept). → 403
    #[error("{0}")]
    Forbidden(String),
    /// Missing, or not visible to the caller (never reveal existence). → 404. The string names the thing:
    /// `"request"`, `"interview"`, `"host"`.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// State or time conflict (slot taken, cap reached, no longer pending). → 409
    #[error("{0}")]
    Conflict(String),
    /// Anything else (database down, corrupt row, a failing random source). → 500, logged, never shown.
    #[error(transparent)]
    Store(StoreError),
}

pub type Result<T, E = ServiceError> = std::result::Result<T, E>;

impl ServiceError {
    /// Bad input in one field.
    pub(crate) fn invalid(field: &str, message: impl Into<String>) -> Self {
        ServiceError::Invalid(FieldErrors::single(field, message))
    }

    /// A failure outside the store that is still "ours, not the user's" (hashing, a panicked worker thread).
    /// It travels in the catch-all variant so that callers have one kind of internal error to log.
    pub(crate) fn internal(what: impl std::fmt::Display) -> Self {
        ServiceError::Store(StoreError::Corrupt(format!("internal: {what}")))
    }
}

impl From<FieldErrors> for ServiceError {
    fn from(errors: FieldErrors) -> Self {
        ServiceError::Invalid(errors)
    }
}

impl From<StoreError> for ServiceError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Taken { field } => ServiceError::invalid(field, "is already taken"),
            StoreError::NotFound => ServiceError::NotFound("record"),
            StoreError::Conflict(conflict) => ServiceError::Conflict(conflict.to_string()),
            other => ServiceError::Store(other),
        }
    }
}

impl From<coffeechat_domain::Error> for ServiceError {
    fn from(error: coffeechat_domain::Error) -> Self {
        match error {
            coffeechat_domain::Error::Invalid(errors) => ServiceError::Invalid(errors),
            // A transition the state machine refuses means the record moved on: a conflict, with the domain's words.
            transition @ coffeechat_domain::Error::Transition { .. } => ServiceError::Conflict(transition.to_string()),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use coffeechat_store::Conflict;

    use super::*;

    #[test]
    fn store_errors_map_to_what_the_user_did_wrong() {
        match ServiceError::from(StoreError::Taken { field: "handle" }) {
            ServiceError::Invalid(fields) => assert_eq!(fields.get("handle"), Some("is already taken")),
            other => panic!("expected Invalid, got {other:?}"),
        }
        assert!(matches!(ServiceError::from(StoreError::NotFound), ServiceError::NotFound("record")));
        match ServiceError::from(StoreError::Conflict(Conflict::SlotTaken)) {
            ServiceError::Conflict(message) => assert_eq!(message, Conflict::SlotTaken.to_string()),
            other => panic!("expected Conflict, got {other:?}"),
        }
        assert!(matches!(
            ServiceError::from(StoreError::Corrupt("bad row".into())),
            ServiceError::Store(StoreError::Corrupt(_))
        ));
    }

    #[test]
    fn refused_transitions_are_conflicts_in_the_domains_words() {
        let error = coffeechat_domain::RequestStatus::Declined.accept().unwrap_err();
        match ServiceError::from(error) {
            ServiceError::Conflict(message) => assert_eq!(message, "cannot accept a declined request"),
            other => panic!("expected Conflict, got {other:?}"),
        }
    }
}
