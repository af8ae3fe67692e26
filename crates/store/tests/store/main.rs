//! Stories about the storage interface, written against `Arc<dyn Store>` only.
//!
//! Every test gets a fresh database from [`support::fresh_store`]; that factory is the one place that
//! knows which implementation is under test, so the PostgreSQL store can later run the same stories.
//! Behaviour specific to SQLite (URLs, hand-edited rows) lives in `sqlite.rs`.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod support;

mod accounts;
mod busy;
mod calendar;
mod caps;
mod concurrency;
mod hosts;
mod interviews;
mod outbox;
mod overrides;
mod requests;
mod sessions;
mod sqlite;
