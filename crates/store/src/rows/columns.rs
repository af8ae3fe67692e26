//! Column types that read the same value from either database, so one row struct serves both backends.
//!
//! SQLite keeps instants as INTEGER unix seconds, lists as JSON TEXT and dates as `YYYY-MM-DD` TEXT; PostgreSQL
//! keeps TIMESTAMPTZ, JSONB, DATE and TIMESTAMPTZ[]. Each type here decodes both into one raw shape (seconds,
//! JSON text, date text), and the row conversions in [`super`] parse that shape through the domain, reporting
//! a value the domain refuses as [`StoreError::Corrupt`](crate::StoreError::Corrupt) on either backend.
//!
//! Only decoding lives here: each backend binds its own parameter types (SQLite `i64` seconds, PostgreSQL
//! `jiff_sqlx::Timestamp`), which is where the dialects differ anyway.

use jiff::Timestamp;
use serde_json::value::RawValue;
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgTypeInfo, PgValueRef};
use sqlx::sqlite::{SqliteTypeInfo, SqliteValueRef};
use sqlx::types::Json;
use sqlx::{Decode, Postgres, Sqlite, Type};

use super::{json_list, timestamp};
use crate::Result;

/// An instant as whole unix seconds: SQLite's INTEGER as stored, PostgreSQL's TIMESTAMPTZ truncated to the
/// second (the application only ever writes whole seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Seconds(pub(crate) i64);

impl Seconds {
    pub(crate) fn timestamp(self, column: &str) -> Result<Timestamp> {
        timestamp(column, self.0)
    }
}

impl Type<Sqlite> for Seconds {
    fn type_info() -> SqliteTypeInfo {
        <i64 as Type<Sqlite>>::type_info()
    }

    fn compatible(ty: &SqliteTypeInfo) -> bool {
        <i64 as Type<Sqlite>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Sqlite> for Seconds {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
        <i64 as Decode<'r, Sqlite>>::decode(value).map(Seconds)
    }
}

impl Type<Postgres> for Seconds {
    fn type_info() -> PgTypeInfo {
        <jiff_sqlx::Timestamp as Type<Postgres>>::type_info()
    }

    fn compatible(ty: &PgTypeInfo) -> bool {
        <jiff_sqlx::Timestamp as Type<Postgres>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Postgres> for Seconds {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        let instant = <jiff_sqlx::Timestamp as Decode<'r, Postgres>>::decode(value)?;
        Ok(Seconds(instant.to_jiff().as_second()))
    }
}

/// A JSON document as text: SQLite's TEXT as stored, PostgreSQL's JSONB as PostgreSQL prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JsonText(pub(crate) String);

impl JsonText {
    pub(crate) fn list<T: serde::de::DeserializeOwned>(&self, column: &str) -> Result<Vec<T>> {
        json_list(column, &self.0)
    }
}

impl Type<Sqlite> for JsonText {
    fn type_info() -> SqliteTypeInfo {
        <String as Type<Sqlite>>::type_info()
    }

    fn compatible(ty: &SqliteTypeInfo) -> bool {
        <String as Type<Sqlite>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Sqlite> for JsonText {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
        <String as Decode<'r, Sqlite>>::decode(value).map(JsonText)
    }
}

impl Type<Postgres> for JsonText {
    fn type_info() -> PgTypeInfo {
        <Json<serde_json::Value> as Type<Postgres>>::type_info()
    }

    fn compatible(ty: &PgTypeInfo) -> bool {
        <Json<serde_json::Value> as Type<Postgres>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Postgres> for JsonText {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        // Raw, so the text is not parsed into a generic tree only to be parsed again into the domain's types.
        let raw = <Box<RawValue> as Decode<'r, Postgres>>::decode(value)?;
        Ok(JsonText(Box::<str>::from(raw).into_string()))
    }
}

/// A calendar date as `YYYY-MM-DD`: SQLite's TEXT as stored, PostgreSQL's DATE printed that way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DateText(pub(crate) String);

impl Type<Sqlite> for DateText {
    fn type_info() -> SqliteTypeInfo {
        <String as Type<Sqlite>>::type_info()
    }

    fn compatible(ty: &SqliteTypeInfo) -> bool {
        <String as Type<Sqlite>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Sqlite> for DateText {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
        <String as Decode<'r, Sqlite>>::decode(value).map(DateText)
    }
}

impl Type<Postgres> for DateText {
    fn type_info() -> PgTypeInfo {
        <jiff_sqlx::Date as Type<Postgres>>::type_info()
    }

    fn compatible(ty: &PgTypeInfo) -> bool {
        <jiff_sqlx::Date as Type<Postgres>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Postgres> for DateText {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        let date = <jiff_sqlx::Date as Decode<'r, Postgres>>::decode(value)?;
        Ok(DateText(date.to_jiff().strftime("%Y-%m-%d").to_string()))
    }
}

/// A list of instants, in stored order: SQLite's JSON array of unix seconds, PostgreSQL's TIMESTAMPTZ[].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum InstantList {
    /// The JSON text, parsed by [`InstantList::timestamps`] so a bad value is reported as corrupt.
    Json(String),
    Seconds(Vec<i64>),
}

impl InstantList {
    pub(crate) fn timestamps(self, column: &str) -> Result<Vec<Timestamp>> {
        let seconds = match self {
            InstantList::Json(text) => json_list::<i64>(column, &text)?,
            InstantList::Seconds(seconds) => seconds,
        };
        seconds.into_iter().map(|second| timestamp(column, second)).collect()
    }
}

impl Type<Sqlite> for InstantList {
    fn type_info() -> SqliteTypeInfo {
        <String as Type<Sqlite>>::type_info()
    }

    fn compatible(ty: &SqliteTypeInfo) -> bool {
        <String as Type<Sqlite>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Sqlite> for InstantList {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
        <String as Decode<'r, Sqlite>>::decode(value).map(InstantList::Json)
    }
}

impl Type<Postgres> for InstantList {
    fn type_info() -> PgTypeInfo {
        <Vec<jiff_sqlx::Timestamp> as Type<Postgres>>::type_info()
    }

    fn compatible(ty: &PgTypeInfo) -> bool {
        <Vec<jiff_sqlx::Timestamp> as Type<Postgres>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Postgres> for InstantList {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        let instants = <Vec<jiff_sqlx::Timestamp> as Decode<'r, Postgres>>::decode(value)?;
        Ok(InstantList::Seconds(instants.into_iter().map(|instant| instant.to_jiff().as_second()).collect()))
    }
}
