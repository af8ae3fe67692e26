//! Typed identifiers, so an interview id is never passed where an account id belongs.

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// An account: a host, a seeker, or both.
    AccountId
);
id_type!(
    /// A request for a conversation.
    RequestId
);
id_type!(
    /// A scheduled (or cancelled) conversation.
    InterviewId
);
