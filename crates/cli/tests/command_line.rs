//! The real `coffeechat` binary, run as a user runs it: settings precedence (flag > environment >
//! config file > default) and clear, non-zero failures for bad input, never a panic.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use std::process::{Command, Output};

use common::TempDir;

const VARIABLES: &[&str] = &[
    "COFFEECHAT_DB",
    "COFFEECHAT_BIND",
    "COFFEECHAT_CONFIG",
    "COFFEECHAT_LOG_FORMAT",
    "COFFEECHAT_SECURE_COOKIES",
    "COFFEECHAT_PUBLIC_URL",
    "COFFEECHAT_DEMO",
    "RUST_LOG",
];

/// Runs the binary with `args` and exactly the Coffeechat variables in `env` (the test's own are removed).
fn coffeechat(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_coffeechat"));
    command.args(args);
    for variable in VARIABLES {
        command.env_remove(variable);
    }
    command.envs(env.iter().copied());
    command.output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The value of `key` in `coffeechat config` output, with its source comment.
fn setting<'a>(output: &'a str, key: &str) -> &'a str {
    output
        .lines()
        .find_map(|line| line.strip_prefix(&format!("{key} = ")))
        .unwrap_or_else(|| panic!("no {key} in:\n{output}"))
}

fn write_config(dir: &TempDir, text: &str) -> String {
    let path = dir.file("coffeechat.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn flag_beats_env_beats_file_beats_default() {
    let dir = TempDir::new("precedence");
    let config = write_config(
        &dir,
        "db = \"file.db\"\nbind = \"127.0.0.1:9001\"\nlog_format = \"json\"\nsecure_cookies = true\n\
         public_url = \"https://chat.example.org/\"\n",
    );

    let defaults = coffeechat(&["config"], &[]);
    assert!(defaults.status.success(), "{}", stderr(&defaults));
    let out = stdout(&defaults);
    assert_eq!(setting(&out, "db"), "\"./coffeechat.db\"  # default");
    assert_eq!(setting(&out, "bind"), "\"127.0.0.1:8080\"  # default");
    assert_eq!(setting(&out, "log_format"), "\"text\"  # default");
    assert_eq!(setting(&out, "secure_cookies"), "false  # default");

    // The file (named by the environment) beats the defaults.
    let from_file = coffeechat(&["config"], &[("COFFEECHAT_CONFIG", &config)]);
    assert!(from_file.status.success(), "{}", stderr(&from_file));
    let out = stdout(&from_file);
    assert_eq!(setting(&out, "db"), "\"file.db\"  # config file");
    assert_eq!(setting(&out, "bind"), "\"127.0.0.1:9001\"  # config file");
    assert_eq!(setting(&out, "log_format"), "\"json\"  # config file");
    assert_eq!(setting(&out, "secure_cookies"), "true  # config file");
    assert_eq!(setting(&out, "public_url"), "\"https://chat.example.org\"  # config file");

    // The environment beats the file.
    let env = [
        ("COFFEECHAT_CONFIG", config.as_str()),
        ("COFFEECHAT_DB", "env.db"),
        ("COFFEECHAT_BIND", "127.0.0.1:9002"),
        ("COFFEECHAT_LOG_FORMAT", "text"),
        ("COFFEECHAT_SECURE_COOKIES", "false"),
    ];
    let from_env = coffeechat(&["config"], &env);
    assert!(from_env.status.success(), "{}", stderr(&from_env));
    let out = stdout(&from_env);
    assert_eq!(setting(&out, "db"), "\"env.db\"  # flag or environment");
    assert_eq!(setting(&out, "bind"), "\"127.0.0.1:9002\"  # flag or environment");
    assert_eq!(setting(&out, "log_format"), "\"text\"  # flag or environment");
    assert_eq!(setting(&out, "secure_cookies"), "false  # flag or environment");
    assert_eq!(setting(&out, "public_url"), "\"https://chat.example.org\"  # config file");

    // Flags beat the environment.
    let from_flags = coffeechat(
        &["config", "--db", "flag.db", "--bind", "127.0.0.1:9003", "--log-format", "json", "--secure-cookies"],
        &env,
    );
    assert!(from_flags.status.success(), "{}", stderr(&from_flags));
    let out = stdout(&from_flags);
    assert_eq!(setting(&out, "db"), "\"flag.db\"  # flag or environment");
    assert_eq!(setting(&out, "bind"), "\"127.0.0.1:9003\"  # flag or environment");
    assert_eq!(setting(&out, "log_format"), "\"json\"  # flag or environment");
    assert_eq!(setting(&out, "secure_cookies"), "true  # flag or environment");

    // Global options may also come before the subcommand.
    let before = coffeechat(&["--db", "early.db", "config"], &[]);
    assert_eq!(setting(&stdout(&before), "db"), "\"early.db\"  # flag or environment");
}

#[test]
fn boolean_variables_accept_the_usual_spellings() {
    for value in ["1", "yes", "true", "on", "0", "no", "false", "off"] {
        let output = coffeechat(&["config"], &[("COFFEECHAT_SECURE_COOKIES", value), ("COFFEECHAT_DEMO", value)]);
        assert!(output.status.success(), "{value}: {}", stderr(&output));
        let expected = if ["1", "yes", "true", "on"].contains(&value) { "true" } else { "false" };
        assert_eq!(setting(&stdout(&output), "secure_cookies"), format!("{expected}  # flag or environment"));
    }
}

/// Runs a command that must fail: non-zero exit, the message on stderr, and no panic.
fn fails_with(args: &[&str], env: &[(&str, &str)], message: &str) {
    let output = coffeechat(args, env);
    let err = stderr(&output);
    assert!(!output.status.success(), "{args:?} succeeded");
    assert!(err.contains(message), "{args:?}: expected {message:?} in stderr:\n{err}");
    assert!(!err.contains("panicked"), "{args:?} panicked:\n{err}");
}

#[test]
fn bad_input_is_a_clear_error_not_a_panic() {
    let dir = TempDir::new("bad-input");
    let db = dir.file("never.db");

    fails_with(&["serve", "--db", &db, "--bind", "localhost"], &[], "invalid bind address 'localhost'");
    fails_with(&["serve", "--db", &db], &[("COFFEECHAT_BIND", "127.0.0.1:http")], "invalid bind address");
    fails_with(&["serve", "--db", &db, "--public-url", "chat.example.org"], &[], "invalid public URL");
    fails_with(&["serve", "--log-format", "xml"], &[], "invalid value 'xml'");

    let missing = dir.file("missing.toml");
    fails_with(&["serve", "--db", &db, "--config", &missing], &[], "cannot use config file");

    let broken = write_config(&dir, "bind = \"127.0.0.1:8080\"\ndb = \n");
    fails_with(&["migrate", "--config", &broken], &[], "cannot use config file");

    let typo = write_config(&dir, "bnd = \"127.0.0.1:8080\"\n");
    fails_with(&["migrate", "--config", &typo], &[], "bnd");

    let wrong_type = write_config(&dir, "secure_cookies = \"maybe\"\n");
    fails_with(&["serve", "--config", &wrong_type], &[], "cannot use config file");

    let bad_bind_in_file = write_config(&dir, "bind = \"not-an-address\"\n");
    fails_with(&["serve", "--db", &db, "--config", &bad_bind_in_file], &[], "(from config file)");

    fails_with(&["migrate", "--db", &db], &[("RUST_LOG", "coffeechat=loud")], "invalid RUST_LOG");
    assert!(!std::path::Path::new(&db).exists(), "nothing was created by the failed commands");
}

#[test]
fn an_unreachable_or_malformed_postgres_url_is_a_clear_error() {
    // Nothing listens on port 1: the connection is refused at once.
    let unreachable = "postgres://coffee:s3cret@127.0.0.1:1/coffeechat";
    let output = coffeechat(&["migrate", "--db", unreachable], &[]);
    let err = stderr(&output);
    assert!(!output.status.success());
    assert!(err.contains("postgres://coffee:***@127.0.0.1:1/coffeechat"), "{err}");
    assert!(!err.contains("s3cret"), "the password is never printed: {err}");
    assert!(!err.contains("panicked"), "{err}");
    fails_with(&["serve", "--bind", "127.0.0.1:0", "--db", "postgresql://127.0.0.1:1/x"], &[], "cannot open database");
    fails_with(&["migrate", "--db", "postgres://"], &[], "cannot open database");
}

#[test]
fn migrate_and_demo_work_on_a_fresh_file() {
    let dir = TempDir::new("migrate-demo");
    let db = dir.file("fresh.db");
    let migrate = coffeechat(&["migrate", "--db", &db], &[]);
    assert!(migrate.status.success(), "{}", stderr(&migrate));
    assert!(stderr(&migrate).contains("database is up to date"));

    let demo = coffeechat(&["demo", "--log-format", "json"], &[("COFFEECHAT_DB", &db)]);
    assert!(demo.status.success(), "{}", stderr(&demo));
    let log = stderr(&demo);
    let loaded = log
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .find(|event| event["message"].as_str().is_some_and(|m| m.starts_with("loaded demo data")))
        .unwrap_or_else(|| panic!("no summary in:\n{log}"));
    assert!(loaded["message"].as_str().unwrap().contains("30 hosts"));

    let again = coffeechat(&["demo", "--db", &db], &[]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(stderr(&again).contains("demo data already present"));
}
