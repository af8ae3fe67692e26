//! Log output: events from every crate, filtered by `RUST_LOG` (default `info`), written to stderr as
//! readable lines or, for log collectors, as one JSON object per line.
//!
//! Logs go to stderr so that stdout stays free for output a script may read (`coffeechat config`).

use std::io::IsTerminal as _;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::filter::LevelFilter;

use crate::config::{ConfigError, LogFormat};

/// The filter from `RUST_LOG`, or `info` when it is unset.
///
/// # Errors
/// [`ConfigError::LogFilter`] when `RUST_LOG` is set but is not a valid filter, so a typo is reported
/// instead of silently logging nothing.
pub fn filter_from_env() -> Result<EnvFilter, ConfigError> {
    EnvFilter::builder()
        .with_default_directive(LevelFilter::INFO.into())
        .from_env()
        .map_err(|error| ConfigError::LogFilter(error.to_string()))
}

/// Installs the global subscriber.
///
/// Returns `false` when one was installed already (a test harness, or an application embedding this
/// library): that one keeps receiving the events, which is what its owner wants.
///
/// # Errors
/// [`ConfigError::LogFilter`] for a bad `RUST_LOG`.
pub fn init(format: LogFormat) -> Result<bool, ConfigError> {
    let filter = filter_from_env()?;
    // Colour codes only help a person at a terminal; in files and log collectors they are noise.
    let ansi = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(ansi);
    let installed = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).with_current_span(false).try_init(),
    };
    Ok(installed.is_ok())
}
