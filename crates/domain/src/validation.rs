//! Field-level validation errors, collected so a form can show every problem at once.

use std::collections::BTreeMap;
use std::fmt;

/// Messages keyed by the name of the field they are about (`"email"`, `"windows[2].end"`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct FieldErrors(BTreeMap<String, String>);

impl FieldErrors {
    /// No errors yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// One error for one field.
    pub fn single(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    /// Records a problem with `field`; the first message for a field wins.
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.entry(field.into()).or_insert_with(|| message.into());
    }

    /// Runs a parser, recording its error under `field` and giving back the value when it succeeded.
    pub fn check<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(message) => {
                self.add(field, message);
                None
            }
        }
    }

    /// Merges errors of a nested value, prefixing its field names.
    pub fn extend_prefixed(&mut self, prefix: &str, other: FieldErrors) {
        for (field, message) in other.0 {
            self.add(format!("{prefix}{field}"), message);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The message for one field, if any.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    pub fn into_map(self) -> BTreeMap<String, String> {
        self.0
    }

    /// `Ok(value)` when nothing was recorded, else the errors.
    pub fn into_result<T>(self, value: impl FnOnce() -> T) -> Result<T, FieldErrors> {
        if self.is_empty() { Ok(value()) } else { Err(self) }
    }
}

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for (field, message) in &self.0 {
            if !first {
                f.write_str("; ")?;
            }
            first = false;
            write!(f, "{field}: {message}")?;
        }
        Ok(())
    }
}

/// Trims `value` and checks it is non-empty and at most `max` characters.
pub(crate) fn required_text(value: &str, max: usize) -> Result<String, String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err("is required".into());
    }
    optional_text(trimmed, max)
}

/// Trims `value` and checks it is at most `max` characters (empty is fine).
pub(crate) fn optional_text(value: &str, max: usize) -> Result<String, String> {
    let trimmed = value.trim();
    if trimmed.chars().count() > max {
        return Err(format!("must be at most {max} characters"));
    }
    Ok(trimmed.to_owned())
}

/// Trims each entry, drops empty ones and duplicates (case-insensitively), and bounds count and length.
pub(crate) fn text_list(values: &[String], max_items: usize, max_len: usize) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for value in values {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            continue;
        }
        if trimmed.chars().count() > max_len {
            return Err(format!("each entry must be at most {max_len} characters"));
        }
        if !out.iter().any(|seen| seen.eq_ignore_ascii_case(trimmed)) {
            out.push(trimmed.to_owned());
        }
    }
    if out.len() > max_items {
        return Err(format!("at most {max_items} entries"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_message_for_a_field_wins() {
        let mut errors = FieldErrors::new();
        errors.add("email", "is required");
        errors.add("email", "is malformed");
        assert_eq!(errors.get("email"), Some("is required"));
        assert_eq!(errors.to_string(), "email: is required");
    }

    #[test]
    fn text_lists_are_trimmed_and_deduplicated() {
        let list = text_list(&[" SQL ".into(), "".into(), "sql".into(), "Python".into()], 5, 20).unwrap();
        assert_eq!(list, vec!["SQL", "Python"]);
        assert!(text_list(&["a".into(), "b".into()], 1, 20).is_err());
        assert!(text_list(&["abcdef".into()], 3, 5).is_err());
    }

    #[test]
    fn required_text_rejects_blank() {
        assert!(required_text("   ", 10).is_err());
        assert_eq!(required_text(" hi ", 10).unwrap(), "hi");
        assert!(required_text("hello world", 5).is_err());
    }
}
