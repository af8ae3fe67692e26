//! The plain-text formats of the matching benchmark (`shared/bench/matching/README.md`).
//!
//! An instance is
//!
//! ```text
//! N M E
//! demand[0]            N lines, each 1..=3
//! capacity[0]          M lines, each 1..=8
//! seeker host score    E lines, sorted by (seeker, host), no pair twice, score 1..=100
//! ```
//!
//! with 0-based ids, integers separated by one space and lines ending with `\n` (a `\r` before it and blank
//! lines at the very end are tolerated). An assignment has one `seeker host` line per interview, in any order.
//!
//! Every mistake is reported with its 1-based line number and what was expected there. The pair lines, which
//! are nearly all of a large file, are parsed by a tight loop over the bytes, split across threads; any line
//! that loop does not like is handed to a careful line parser that says precisely what is wrong.

use std::io::{self, Write};
use std::ops::Range;

use crate::instance::{check_pair, check_sizes};
use crate::{Instance, MAX_SCORE, MatchedPair, MatchingError};

/// Demands in the text format are `1..=MAX_DEMAND`.
pub const MAX_DEMAND: u8 = 3;
/// Capacities in the text format are `1..=MAX_CAPACITY`.
pub const MAX_CAPACITY: u8 = 8;

/// Below this many bytes of pair lines, one thread parses them all.
const PARALLEL_THRESHOLD: usize = 4 << 20;

/// Parses an instance, using up to `threads` threads (at most 8) for the pair lines.
///
/// # Errors
/// [`MatchingError::Parse`] with the line number: a header that is not three integers, a demand outside
/// `1..=3`, a capacity outside `1..=8`, a pair line without exactly three integers, an id out of range, a score
/// outside `1..=100`, pairs out of order or listed twice, fewer lines than announced, or anything after them.
pub fn parse_instance(text: &[u8], threads: usize) -> Result<Instance, MatchingError> {
    // Each part keeps a per-seeker count array, so a few parts are enough (two cores here).
    parse_in_parts(text, |body| if body.len() < PARALLEL_THRESHOLD { 1 } else { threads.clamp(1, 8) })
}

/// [`parse_instance`] with the number of parts for the pair lines chosen by `parts` from their bytes.
fn parse_in_parts(text: &[u8], parts: impl Fn(&[u8]) -> usize) -> Result<Instance, MatchingError> {
    let mut cursor = Cursor { text, at: 0, line: 1 };
    let header = cursor.next_line().ok_or_else(|| parse_error(1, "the file is empty: expected `N M E`"))?;
    let [seekers, hosts, pairs] = parse_fields::<3>(header, 1, "`N M E`")?;
    let count = |value: i64, what: &str| {
        usize::try_from(value).map_err(|_| parse_error(1, format!("{what} is {value}, must not be negative")))
    };
    let (seekers, hosts, pairs) = (count(seekers, "N")?, count(hosts, "M")?, count(pairs, "E")?);
    check_sizes(seekers, hosts).map_err(|error| parse_error(1, error.to_string()))?;
    if u32::try_from(pairs).is_err() {
        return Err(parse_error(1, format!("E = {pairs} is more pairs than the solver supports")));
    }
    let demands = cursor.read_counts(seekers, "demand of seeker", MAX_DEMAND)?;
    let capacities = cursor.read_counts(hosts, "capacity of host", MAX_CAPACITY)?;

    let first_pair_line = cursor.line;
    let body = &text[cursor.at..];
    let chunks = split_at_lines(body, parts(body));
    let shape = Shape { seekers, hosts };
    let parsed: Vec<Result<Chunk, ChunkError>> = if chunks.len() == 1 {
        vec![parse_chunk(body, shape, true)]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = chunks
                .iter()
                .enumerate()
                .map(|(index, range)| {
                    let slice = &body[range.clone()];
                    let is_last = index + 1 == chunks.len();
                    scope.spawn(move || parse_chunk(slice, shape, is_last))
                })
                .collect();
            handles
                .into_iter()
                .map(|handle| handle.join().unwrap_or(Err(ChunkError { line: 0, problem: ChunkProblem::Crashed })))
                .collect()
        })
    };

    // Stitch the chunks: line numbers and pair indexes of later chunks continue those of earlier ones.
    let mut row_counts = vec![0u32; seekers + 1];
    let mut pair_hosts: Vec<u32> = Vec::new();
    let mut pair_scores: Vec<u8> = Vec::new();
    let mut lines_before = 0u64;
    let mut previous: Option<(u32, u32)> = None;
    for result in parsed {
        let line_of = |relative: u64| first_pair_line + lines_before + relative;
        let chunk = match result {
            Ok(chunk) => chunk,
            Err(ChunkError { line, problem }) => {
                let pair_index = lines_before + line;
                return Err(if pair_index >= pairs as u64 && !matches!(problem, ChunkProblem::Crashed) {
                    trailing_error(line_of(line), pairs)
                } else {
                    parse_error(line_of(line), problem.describe())
                });
            }
        };
        if let (Some(before), Some(first)) = (previous, chunk.first)
            && first <= before
            && lines_before < pairs as u64
        {
            return Err(order_error(line_of(0), before, first));
        }
        if chunk.first.is_some() {
            previous = chunk.last;
        }
        for (total, part) in row_counts.iter_mut().zip(&chunk.row_counts) {
            *total += part;
        }
        if pair_hosts.is_empty() {
            pair_hosts = chunk.hosts;
            pair_scores = chunk.scores;
        } else {
            pair_hosts.extend_from_slice(&chunk.hosts);
            pair_scores.extend_from_slice(&chunk.scores);
        }
        lines_before += chunk.lines;
    }
    let found = pair_hosts.len();
    if found < pairs {
        return Err(parse_error(
            first_pair_line + found as u64,
            format!("the file ends after {found} of the {pairs} pairs announced on line 1"),
        ));
    }
    if found > pairs {
        let line = first_pair_line + pairs as u64;
        return Err(trailing_error(line, pairs));
    }
    // row_counts[s + 1] held seeker s's pair count; running sums turn the array into row starts.
    let mut running = 0u32;
    for slot in row_counts.iter_mut() {
        running += *slot;
        *slot = running;
    }
    Ok(Instance::from_validated_rows(demands, capacities, row_counts, pair_hosts, pair_scores))
}

/// Parses an assignment: one `seeker host` line per interview, ids checked against `instance`, scores looked
/// up there.
///
/// # Errors
/// [`MatchingError::Parse`] with the line number: a line without exactly two integers, an id out of range, or
/// a pair the instance does not allow. (Demands, capacities and repeats are checked by [`crate::check_feasible`].)
pub fn parse_assignment(text: &[u8], instance: &Instance) -> Result<Vec<MatchedPair>, MatchingError> {
    let mut cursor = Cursor { text, at: 0, line: 1 };
    let mut pairs = Vec::new();
    while let Some(line) = cursor.next_line() {
        let number = cursor.line - 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            if cursor.rest_is_blank() {
                break;
            }
            return Err(parse_error(number, "empty line, expected `seeker host`"));
        }
        let [seeker, host] = parse_fields::<2>(line, number, "`seeker host`")?;
        let seeker = u32::try_from(seeker)
            .ok()
            .filter(|&s| (s as usize) < instance.seeker_count())
            .ok_or_else(|| parse_error(number, format!("seeker {seeker} is out of range")))?;
        let host = u32::try_from(host)
            .ok()
            .filter(|&h| (h as usize) < instance.host_count())
            .ok_or_else(|| parse_error(number, format!("host {host} is out of range")))?;
        let score = instance
            .score(seeker, host)
            .ok_or_else(|| parse_error(number, format!("pair (seeker {seeker}, host {host}) is not allowed")))?;
        pairs.push(MatchedPair { seeker, host, score });
    }
    Ok(pairs)
}

/// Writes an assignment: one `seeker host` line per pair.
///
/// # Errors
/// The writer's I/O error.
pub fn write_assignment(out: &mut impl Write, pairs: &[MatchedPair]) -> io::Result<()> {
    let mut line = Vec::with_capacity(24);
    for pair in pairs {
        line.clear();
        push_decimal(&mut line, pair.seeker);
        line.push(b' ');
        push_decimal(&mut line, pair.host);
        line.push(b'\n');
        out.write_all(&line)?;
    }
    Ok(())
}

fn push_decimal(out: &mut Vec<u8>, mut value: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

fn parse_error(line: u64, problem: impl Into<String>) -> MatchingError {
    MatchingError::Parse { line, problem: problem.into() }
}

fn order_error(line: u64, before: (u32, u32), found: (u32, u32)) -> MatchingError {
    if before == found {
        parse_error(line, format!("pair (seeker {}, host {}) is listed twice", found.0, found.1))
    } else {
        parse_error(
            line,
            format!(
                "pairs must be sorted by seeker, then host: (seeker {}, host {}) comes after (seeker {}, host {})",
                found.0, found.1, before.0, before.1
            ),
        )
    }
}

/// The error for a line after the announced pairs (blank lines at the very end are not reported).
fn trailing_error(line: u64, pairs: usize) -> MatchingError {
    parse_error(line, format!("expected the end of the file after the {pairs} pairs announced on line 1"))
}

#[derive(Debug)]
struct Cursor<'a> {
    text: &'a [u8],
    at: usize,
    /// The 1-based number of the line `next_line` returns next.
    line: u64,
}

impl<'a> Cursor<'a> {
    /// The next line without its `\n` (and `\r`), or `None` at the end of the text.
    fn next_line(&mut self) -> Option<&'a [u8]> {
        if self.at >= self.text.len() {
            return None;
        }
        let rest = &self.text[self.at..];
        let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        self.at += (end + 1).min(rest.len());
        self.line += 1;
        let line = &rest[..end];
        Some(line.strip_suffix(b"\r").unwrap_or(line))
    }

    fn rest_is_blank(&self) -> bool {
        self.text[self.at..].iter().all(u8::is_ascii_whitespace)
    }

    /// Reads `count` lines of one integer each in `1..=max`.
    fn read_counts(&mut self, count: usize, what: &str, max: u8) -> Result<Vec<u8>, MatchingError> {
        let mut values = Vec::with_capacity(count);
        for index in 0..count {
            let line_number = self.line;
            let line = self.next_line().ok_or_else(|| {
                parse_error(line_number, format!("expected the {what} {index}, found the end of the file"))
            })?;
            let value = match line {
                [digit @ b'1'..=b'9'] => i64::from(digit - b'0'),
                _ => parse_fields::<1>(line, line_number, &format!("the {what} {index}"))?[0],
            };
            if !(1..=i64::from(max)).contains(&value) {
                return Err(parse_error(line_number, format!("the {what} {index} is {value}, must be 1..={max}")));
            }
            values.push(value as u8);
        }
        Ok(values)
    }
}

/// Parses a line of exactly `N` integers separated by spaces.
fn parse_fields<const N: usize>(line: &[u8], number: u64, expected: &str) -> Result<[i64; N], MatchingError> {
    let text = String::from_utf8_lossy(line);
    let fields: Vec<&str> = text.split_ascii_whitespace().collect();
    if fields.len() != N {
        let shown = if text.trim().is_empty() { "an empty line".to_owned() } else { format!("`{}`", text.trim()) };
        return Err(parse_error(number, format!("expected {expected} ({N} integers), found {shown}")));
    }
    let mut values = [0i64; N];
    for (value, field) in values.iter_mut().zip(&fields) {
        *value = field
            .parse::<i64>()
            .map_err(|_| parse_error(number, format!("`{field}` is not an integer (expected {expected})")))?;
    }
    Ok(values)
}

#[derive(Debug, Clone, Copy)]
struct Shape {
    seekers: usize,
    hosts: usize,
}

/// The pair lines of one slice of the file.
#[derive(Debug)]
struct Chunk {
    hosts: Vec<u32>,
    scores: Vec<u8>,
    /// `row_counts[s + 1]` = pairs of seeker `s` in this chunk.
    row_counts: Vec<u32>,
    first: Option<(u32, u32)>,
    last: Option<(u32, u32)>,
    /// Pair lines in the chunk (blank lines at the very end of the file are not counted).
    lines: u64,
}

/// A bad line in a chunk; `line` counts from 0 at the chunk's first line.
#[derive(Debug)]
struct ChunkError {
    line: u64,
    problem: ChunkProblem,
}

#[derive(Debug)]
enum ChunkProblem {
    Malformed(String),
    OutOfOrder { before: (u32, u32), found: (u32, u32) },
    Crashed,
}

impl ChunkProblem {
    fn describe(self) -> String {
        match self {
            ChunkProblem::Malformed(message) => message,
            ChunkProblem::OutOfOrder { before, found } => match order_error(0, before, found) {
                MatchingError::Parse { problem, .. } => problem,
                other => other.to_string(),
            },
            ChunkProblem::Crashed => "the parser thread failed".to_owned(),
        }
    }
}

/// Splits `body` into up to `parts` ranges that end just after a `\n` (or at the end).
fn split_at_lines(body: &[u8], parts: usize) -> Vec<Range<usize>> {
    let mut ranges = Vec::with_capacity(parts);
    let mut start = 0;
    for part in 1..parts {
        let target = (body.len() * part / parts).max(start);
        let end = match body[target..].iter().position(|&b| b == b'\n') {
            Some(at) => target + at + 1,
            None => body.len(),
        };
        if end > start {
            ranges.push(start..end);
            start = end;
        }
    }
    if start < body.len() || ranges.is_empty() {
        ranges.push(start..body.len());
    }
    ranges
}

/// Parses a slice of pair lines: the fast loop reads `digits SP digits SP digits LF`; anything else goes to
/// [`parse_pair_line`] for a lenient second look or a precise error.
/// Blank lines are only tolerated at the end of the last chunk (the end of the file).
fn parse_chunk(text: &[u8], shape: Shape, is_last: bool) -> Result<Chunk, ChunkError> {
    let estimate = text.len() / 12;
    let mut hosts = Vec::with_capacity(estimate);
    let mut scores = Vec::with_capacity(estimate);
    let mut row_counts = vec![0u32; shape.seekers + 1];
    let mut first = None;
    let mut last: Option<(u32, u32)> = None;
    let mut line = 0u64;
    let mut at = 0;
    while at < text.len() {
        let (pair, next) = match fast_pair(text, at) {
            Some(found) => found,
            None => {
                let end = text[at..].iter().position(|&b| b == b'\n').map_or(text.len(), |e| at + e + 1);
                let raw = &text[at..end];
                let blank_tail =
                    raw.iter().all(u8::is_ascii_whitespace) && text[end..].iter().all(u8::is_ascii_whitespace);
                if is_last && blank_tail {
                    break;
                }
                let pair = parse_pair_line(raw)
                    .map_err(|message| ChunkError { line, problem: ChunkProblem::Malformed(message) })?;
                (pair, end)
            }
        };
        let (seeker, host, score) = pair;
        if let Err(message) = check_pair(seeker, host, score, shape.seekers, shape.hosts) {
            return Err(ChunkError { line, problem: ChunkProblem::Malformed(message) });
        }
        if let Some(before) = last {
            if (seeker, host) <= before {
                return Err(ChunkError { line, problem: ChunkProblem::OutOfOrder { before, found: (seeker, host) } });
            }
        } else {
            first = Some((seeker, host));
        }
        last = Some((seeker, host));
        row_counts[seeker as usize + 1] += 1;
        hosts.push(host);
        scores.push(score);
        line += 1;
        at = next;
    }
    Ok(Chunk { hosts, scores, row_counts, first, last, lines: line })
}

/// `seeker host score\n` in the canonical form, or `None`.
#[inline]
fn fast_pair(text: &[u8], at: usize) -> Option<((u32, u32, u8), usize)> {
    let (seeker, at) = fast_number(text, at, b' ')?;
    let (host, at) = fast_number(text, at, b' ')?;
    let (score, at) = fast_number(text, at, b'\n')?;
    let score = u8::try_from(score).ok()?;
    Some(((seeker, host, score), at))
}

/// Up to 9 decimal digits followed by `end`; returns the value and the position after `end`.
#[inline]
fn fast_number(text: &[u8], mut at: usize, end: u8) -> Option<(u32, usize)> {
    let start = at;
    let mut value: u32 = 0;
    while let Some(&byte) = text.get(at) {
        let digit = byte.wrapping_sub(b'0');
        if digit > 9 {
            break;
        }
        value = value * 10 + u32::from(digit);
        at += 1;
        if at - start > 9 {
            return None;
        }
    }
    if at == start || text.get(at) != Some(&end) {
        return None;
    }
    Some((value, at + 1))
}

/// The careful reading of one pair line (with its `\n`, if any).
fn parse_pair_line(raw: &[u8]) -> Result<(u32, u32, u8), String> {
    let line = raw.strip_suffix(b"\n").unwrap_or(raw);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let [seeker, host, score] = match parse_fields::<3>(line, 0, "`seeker host score`") {
        Ok(values) => values,
        Err(MatchingError::Parse { problem, .. }) => return Err(problem),
        Err(other) => return Err(other.to_string()),
    };
    let seeker = u32::try_from(seeker).map_err(|_| format!("seeker {seeker} is out of range"))?;
    let host = u32::try_from(host).map_err(|_| format!("host {host} is out of range"))?;
    let score = u8::try_from(score)
        .ok()
        .filter(|s| (1..=MAX_SCORE).contains(s))
        .ok_or_else(|| format!("score {score} is out of range 1..={MAX_SCORE}"))?;
    Ok((seeker, host, score))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use super::*;

    const GOOD: &str = "2 3 4\n1\n3\n1\n8\n2\n0 0 10\n0 2 100\n1 1 1\n1 2 55\n";

    fn error(text: &str) -> (u64, String) {
        match parse_instance(text.as_bytes(), 1).unwrap_err() {
            MatchingError::Parse { line, problem } => (line, problem),
            other => panic!("expected a parse error, got {other}"),
        }
    }

    #[test]
    fn a_good_file_parses() {
        let instance = parse_instance(GOOD.as_bytes(), 1).unwrap();
        assert_eq!(instance.demands(), &[1, 3]);
        assert_eq!(instance.capacities(), &[1, 8, 2]);
        assert_eq!(instance.pairs_of(0), (&[0u32, 2][..], &[10u8, 100][..]));
        assert_eq!(instance.pairs_of(1), (&[1u32, 2][..], &[1u8, 55][..]));
        // Windows line ends and trailing blank lines are tolerated.
        let crlf = GOOD.replace('\n', "\r\n") + "\n\n";
        assert_eq!(parse_instance(crlf.as_bytes(), 1).unwrap(), instance);
        // Extra spaces go through the careful parser.
        let spaced = GOOD.replace("1 2 55", "1  2 55 ");
        assert_eq!(parse_instance(spaced.as_bytes(), 1).unwrap(), instance);
    }

    #[test]
    fn any_number_of_parts_gives_the_same_instance() {
        let mut head = String::new();
        let mut body = String::new();
        let mut pairs = 0;
        for seeker in 0..300 {
            head.push_str(&format!("{}\n", 1 + seeker % 3));
            for host in (seeker % 7..50).step_by(3) {
                body.push_str(&format!("{seeker} {host} {}\n", 1 + (seeker * host) % 100));
                pairs += 1;
            }
        }
        for host in 0..50 {
            head.push_str(&format!("{}\n", 1 + host % 8));
        }
        let text = format!("300 50 {pairs}\n{head}{body}");
        let one = parse_instance(text.as_bytes(), 4).unwrap();
        assert_eq!(one.pair_count(), pairs);
        for parts in [2, 3, 8, 1000] {
            assert_eq!(parse_in_parts(text.as_bytes(), |_| parts).unwrap(), one, "{parts} parts");
        }
        // A mistake in a later part is reported with its line number in the whole file.
        let last_line = text.trim_end().rsplit('\n').next().unwrap().to_owned();
        let bad = text.replace(&last_line, "299 50 1");
        let line = 1 + 300 + 50 + pairs as u64;
        for parts in [1, 2, 7] {
            let err = parse_in_parts(bad.as_bytes(), |_| parts).unwrap_err();
            assert_eq!(
                err,
                MatchingError::Parse {
                    line,
                    problem: "host 50 is out of range (there are 50 hosts, ids 0..50)".into()
                }
            );
        }
        // A blank line in the middle is an error even where a part ends.
        let lines: Vec<&str> = text.lines().collect();
        let middle = 1 + 300 + 50 + pairs / 2;
        let holed = lines[..middle].join("\n") + "\n\n" + &lines[middle..].join("\n") + "\n";
        for parts in [1, 2, 3] {
            let err = parse_in_parts(holed.as_bytes(), |_| parts).unwrap_err();
            assert!(matches!(err, MatchingError::Parse { line, .. } if line == middle as u64 + 1), "{err}");
        }
    }

    #[test]
    fn header_mistakes() {
        assert_eq!(error(""), (1, "the file is empty: expected `N M E`".into()));
        assert_eq!(error("2 3\n").0, 1);
        assert!(error("2 3\n").1.contains("expected `N M E` (3 integers), found `2 3`"));
        assert!(error("2 x 4\n").1.contains("`x` is not an integer"));
        assert!(error("-2 3 4\n").1.contains("N is -2, must not be negative"));
    }

    #[test]
    fn count_mistakes() {
        let (line, problem) = error("2 3 4\n1\n");
        assert_eq!(line, 3);
        assert!(problem.contains("expected the demand of seeker 1, found the end of the file"), "{problem}");
        let (line, problem) = error("2 3 4\n1\n4\n");
        assert_eq!(line, 3);
        assert!(problem.contains("the demand of seeker 1 is 4, must be 1..=3"), "{problem}");
        let (line, problem) = error("2 3 4\n1\n1\n1\n-1\n");
        assert_eq!(line, 5);
        assert!(problem.contains("the capacity of host 1 is -1, must be 1..=8"), "{problem}");
        let (line, problem) = error("2 3 4\n1\n1\n1\n9\n");
        assert_eq!((line, problem.contains("is 9, must be 1..=8")), (5, true));
        let (line, problem) = error("2 3 4\n1\n1\n1\n1 1\n");
        assert_eq!(line, 5);
        assert!(problem.contains("found `1 1`"), "{problem}");
    }

    #[test]
    fn pair_mistakes() {
        let with = |line: &str| GOOD.replace("1 1 1\n", &format!("{line}\n"));
        assert_eq!(error(&with("2 1 1")), (9, "seeker 2 is out of range (there are 2 seekers, ids 0..2)".into()));
        assert_eq!(error(&with("1 3 1")), (9, "host 3 is out of range (there are 3 hosts, ids 0..3)".into()));
        assert_eq!(error(&with("1 1 0")), (9, "score 0 is out of range 1..=100".into()));
        assert_eq!(error(&with("1 1 101")), (9, "score 101 is out of range 1..=100".into()));
        assert_eq!(error(&with("1 1 -5")), (9, "score -5 is out of range 1..=100".into()));
        assert_eq!(error(&with("-1 1 5")), (9, "seeker -1 is out of range".into()));
        assert!(error(&with("1 1")).1.contains("expected `seeker host score` (3 integers), found `1 1`"));
        assert!(error(&with("1 1 1 1")).1.contains("found `1 1 1 1`"));
        assert!(error(&with("1 one 1")).1.contains("`one` is not an integer"));
        assert_eq!(error(&with("")).0, 9);
        assert_eq!(error(&with("0 2 7")), (9, "pair (seeker 0, host 2) is listed twice".into()));
        let (line, problem) = error(&with("0 1 7"));
        assert_eq!(line, 9);
        assert!(problem.contains("(seeker 0, host 1) comes after (seeker 0, host 2)"), "{problem}");
    }

    #[test]
    fn wrong_pair_counts() {
        let short = GOOD.replace("2 3 4", "2 3 5");
        assert_eq!(error(&short), (11, "the file ends after 4 of the 5 pairs announced on line 1".into()));
        let long = GOOD.replace("2 3 4", "2 3 3");
        assert_eq!(error(&long), (10, "expected the end of the file after the 3 pairs announced on line 1".into()));
        let garbage = format!("{GOOD}trailing words\n");
        assert_eq!(error(&garbage), (11, "expected the end of the file after the 4 pairs announced on line 1".into()));
    }

    #[test]
    fn assignments_round_trip() {
        let instance = parse_instance(GOOD.as_bytes(), 1).unwrap();
        let pairs = vec![MatchedPair { seeker: 0, host: 2, score: 100 }, MatchedPair { seeker: 1, host: 1, score: 1 }];
        let mut written = Vec::new();
        write_assignment(&mut written, &pairs).unwrap();
        assert_eq!(String::from_utf8(written.clone()).unwrap(), "0 2\n1 1\n");
        assert_eq!(parse_assignment(&written, &instance).unwrap(), pairs);
        let err = parse_assignment(b"0 2\n0 1\n", &instance).unwrap_err();
        assert_eq!(err, MatchingError::Parse { line: 2, problem: "pair (seeker 0, host 1) is not allowed".into() });
        let err = parse_assignment(b"0 2\n\n1 1\n", &instance).unwrap_err();
        assert!(matches!(err, MatchingError::Parse { line: 2, .. }), "{err}");
        let err = parse_assignment(b"5 1\n", &instance).unwrap_err();
        assert!(err.to_string().contains("seeker 5 is out of range"), "{err}");
    }
}
