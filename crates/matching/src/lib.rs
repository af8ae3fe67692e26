//! Exact cohort matching for Coffeechat: which seeker talks to which host, so that the total relevance score is
//! as high as possible.
//!
//! Seekers want a few interviews each (their *demand*), hosts give a few (their *capacity*), and each allowed
//! (seeker, host) pair has an integer score in `1..=100` and can be used at most once. [`solve`] returns a
//! matching with the maximum total score: exact (not a greedy approximation), deterministic, and returned with
//! integer LP duals that prove it optimal ([`Duals::check`]). Seekers and hosts may stay partly or fully
//! unmatched; a pair that would lower the total is never forced. Pairs that must never happen (already met,
//! declined, same employer) are simply left out of the instance.
//!
//! The crate is pure: no I/O beyond parsing and writing the text formats of the benchmark (see [`text`]).
//! It also holds what the scores are made of: [`relevance`] (a score in 1..=100 with its reasons in words, for one
//! seeker and one host) and the [`Vocabulary`] that normalises role and skill names ("JS" is "JavaScript").
//! DESIGN.md explains the algorithm (cost-scaling min-cost flow) and why it is exact.
//!
//! ```
//! use coffeechat_matching::{AllowedPair, Instance, solve};
//!
//! // Seeker 0 wants one interview and prefers host 0; seeker 1 can only meet host 0. Host 0 gives one.
//! let pairs = [
//!     AllowedPair { seeker: 0, host: 0, score: 10 },
//!     AllowedPair { seeker: 0, host: 1, score: 1 },
//!     AllowedPair { seeker: 1, host: 0, score: 1 },
//! ];
//! let instance = Instance::new(vec![1, 1], vec![1, 1], pairs)?;
//! let solution = solve(&instance);
//! // The maximum total is 10 (seeker 0 with host 0), not the two-interview matching worth 2.
//! assert_eq!(solution.total_score, 10);
//! assert_eq!(solution.duals.check(&instance, &solution.pairs)?, 10);
//! # Ok::<(), coffeechat_matching::MatchingError>(())
//! ```

mod certificate;
mod instance;
mod relevance;
mod solver;
pub mod text;
mod vocabulary;

pub use certificate::{Duals, check_feasible};
pub use instance::{AllowedPair, Instance, MAX_SCORE};
pub use relevance::{HostFacts, Relevance, SeekerFacts, relevance, same_employer};
pub use solver::{MatchedPair, Progress, Solution, solve, solve_with_progress};
pub use vocabulary::{STANDARD_TSV, Vocabulary};

/// Everything that can go wrong in this crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MatchingError {
    /// A text file (instance or assignment) is malformed; `line` is 1-based.
    #[error("line {line}: {problem}")]
    Parse { line: u64, problem: String },
    /// An instance built in memory breaks a rule (id out of range, score out of range, pair twice).
    #[error("invalid instance: {0}")]
    Invalid(String),
    /// A matching breaks a demand, a capacity, or uses a pair that is not allowed.
    #[error("infeasible matching: {0}")]
    Infeasible(String),
    /// Duals that do not prove a matching optimal.
    #[error("not proven optimal: {0}")]
    NotOptimal(String),
}
