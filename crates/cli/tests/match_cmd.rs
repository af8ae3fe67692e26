//! `coffeechat match` run as a user runs it: the benchmark's `key=value` lines, an assignment file that is
//! feasible and optimal, and a message with the line number and a non-zero exit for a bad file.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Output};

use coffeechat_matching::{check_feasible, text};

/// Runs the binary without any Coffeechat settings from the test's environment.
fn coffeechat(args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_coffeechat"));
    command.args(args);
    for (key, _) in std::env::vars() {
        if key.starts_with("COFFEECHAT_") || key == "RUST_LOG" {
            command.env_remove(key);
        }
    }
    command.output().unwrap()
}

fn figures(output: &Output) -> HashMap<String, String> {
    String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .filter_map(|token| token.split_once('='))
        .map(|(key, value)| (key.to_owned(), value.to_owned()))
        .collect()
}

/// Three seekers, three hosts giving one interview each. Seeker 0 (wanting two) would gain most from host 0,
/// but seekers 1 and 2 value their options more, so the optimum is 10 + 9 + 6 = 25: seeker 1 with host 0,
/// seeker 2 with host 1, seeker 0 with host 2.
const INSTANCE: &str = "3 3 7\n2\n1\n1\n1\n1\n1\n0 0 7\n0 1 8\n0 2 6\n1 0 10\n2 0 9\n2 1 9\n2 2 1\n";

fn write(dir: &Path, name: &str, contents: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn solves_prints_the_benchmark_figures_and_writes_the_assignment() {
    let dir = tempfile::tempdir().unwrap();
    let instance_path = write(dir.path(), "cohort.txt", INSTANCE);
    let assignment_path = dir.path().join("cohort.assign").to_string_lossy().into_owned();
    let output = coffeechat(&["match", &instance_path, "-o", &assignment_path]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    // Not a terminal: no spinner, nothing on stderr.
    assert!(output.stderr.is_empty(), "{}", String::from_utf8_lossy(&output.stderr));

    let figures = figures(&output);
    assert_eq!(figures["total_score"], "25");
    assert_eq!(figures["matched_pairs"], "3");
    assert_eq!(figures["optimal"], "certified");
    for key in ["parse_s", "solve_s", "check_s", "total_s"] {
        let seconds: f64 = figures[key].parse().unwrap();
        assert!((0.0..60.0).contains(&seconds), "{key}={seconds}");
    }

    let instance = text::parse_instance(INSTANCE.as_bytes(), 1).unwrap();
    let written = std::fs::read(&assignment_path).unwrap();
    let pairs = text::parse_assignment(&written, &instance).unwrap();
    assert_eq!(check_feasible(&instance, &pairs).unwrap(), 25);
    let used: Vec<(u32, u32)> = pairs.iter().map(|pair| (pair.seeker, pair.host)).collect();
    assert_eq!(used, vec![(0, 2), (1, 0), (2, 1)]);
}

#[test]
fn without_an_output_file_only_the_figures_are_printed() {
    let dir = tempfile::tempdir().unwrap();
    let instance_path = write(dir.path(), "cohort.txt", INSTANCE);
    let output = coffeechat(&["match", &instance_path]);
    assert!(output.status.success());
    assert_eq!(figures(&output)["total_score"], "25");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no file is written");
}

#[test]
fn a_bad_file_names_the_line_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("counts.txt", INSTANCE.replacen("3 3 7", "3 3 8", 1), "line 15: the file ends after 7 of the 8 pairs"),
        ("range.txt", INSTANCE.replace("2 2 1\n", "2 3 1\n"), "line 14: host 3 is out of range"),
        ("twice.txt", INSTANCE.replace("2 2 1\n", "2 1 1\n"), "line 14: pair (seeker 2, host 1) is listed twice"),
        (
            "negative.txt",
            INSTANCE.replacen("1\n1\n1\n1\n1\n", "1\n1\n-1\n1\n1\n", 1),
            "line 5: the capacity of host 0 is -1",
        ),
        ("score.txt", INSTANCE.replace("1 0 10\n", "1 0 101\n"), "line 11: score 101 is out of range 1..=100"),
        ("trailing.txt", format!("{INSTANCE}0 0 1\n"), "line 15: expected the end of the file after the 7 pairs"),
    ];
    for (name, contents, expected) in cases {
        let path = write(dir.path(), name, &contents);
        let output = coffeechat(&["match", &path]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{name} was accepted");
        assert!(stderr.contains(expected), "{name}: {stderr}");
        assert!(stderr.contains(name), "the message names the file: {stderr}");
        assert!(output.stdout.is_empty(), "{name}: no figures for a bad file");
    }
    let output = coffeechat(&["match", &dir.path().join("missing.txt").to_string_lossy()]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot read"));
}
