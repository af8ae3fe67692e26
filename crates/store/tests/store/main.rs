//! Stories about the storage interface, written against `Arc<dyn Store>` only.
//!
//! Every story runs once per backend: `for backend in support::backends()` gives SQLite, and PostgreSQL when
//! `COFFEECHAT_TEST_POSTGRES_URL` is set, and `backend.fresh_store()` a store on a database of its own. That
//! factory is the one place that knows which implementation is under test. Behaviour specific to one backend
//! lives in `sqlite.rs` (URLs, pragmas, hand-edited rows) and `postgres.rs` (constraints, several instances).

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod support;

mod accounts;
mod aftercare;
mod busy;
mod calendar;
mod caps;
mod concurrency;
mod hosts;
mod interviews;
mod matching;
mod ops;
mod outbox;
mod overrides;
mod postgres;
mod programs;
mod request_rules;
mod requests;
mod sessions;
mod sqlite;
