//! A matching problem: seekers with demands, hosts with capacities, and the allowed pairs with their scores.
//!
//! The pairs are kept per seeker in compressed rows (one offset per seeker, then host ids and scores in two
//! flat arrays), sorted by host. That is the only adjacency the solver needs, and it costs five bytes per pair:
//! the largest generated instance (30 million pairs) fits in about 150 MB.

use crate::MatchingError;

/// Scores are integers in `1..=MAX_SCORE`; the solver's exactness argument scales them, so the bound matters.
pub const MAX_SCORE: u8 = 100;

/// One allowed (seeker, host) pair and its score, as given to [`Instance::new`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AllowedPair {
    pub seeker: u32,
    pub host: u32,
    pub score: u8,
}

/// A validated instance: every id in range, every score in `1..=100`, no pair twice.
///
/// Forbidden pairs (people who already met, a host who declined the seeker, same employer) are simply not
/// listed: the solver can only use pairs it is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    demands: Vec<u8>,
    capacities: Vec<u8>,
    /// `row_starts[s]..row_starts[s + 1]` are seeker `s`'s pairs in `pair_hosts` / `pair_scores`.
    row_starts: Vec<u32>,
    pair_hosts: Vec<u32>,
    pair_scores: Vec<u8>,
}

impl Instance {
    /// Builds an instance from per-seeker demands, per-host capacities and the allowed pairs in any order.
    ///
    /// A demand or capacity of 0 is allowed (that person takes no part this round).
    ///
    /// # Errors
    /// [`MatchingError::Invalid`] naming the first pair with an id out of range, a score outside `1..=100`, or a
    /// pair listed twice, or saying that there are more pairs than the solver can index (2³² − 1).
    pub fn new(
        demands: Vec<u8>,
        capacities: Vec<u8>,
        pairs: impl IntoIterator<Item = AllowedPair>,
    ) -> Result<Self, MatchingError> {
        let seekers = demands.len();
        let hosts = capacities.len();
        check_sizes(seekers, hosts)?;
        let mut sorted: Vec<AllowedPair> = pairs.into_iter().collect();
        if u32::try_from(sorted.len()).is_err() {
            return Err(MatchingError::Invalid(format!("{} pairs is more than the solver supports", sorted.len())));
        }
        for pair in &sorted {
            check_pair(pair.seeker, pair.host, pair.score, seekers, hosts).map_err(MatchingError::Invalid)?;
        }
        sorted.sort_unstable_by_key(|pair| (pair.seeker, pair.host));
        if let Some(twice) = sorted.windows(2).find(|w| (w[0].seeker, w[0].host) == (w[1].seeker, w[1].host)) {
            return Err(MatchingError::Invalid(format!(
                "pair (seeker {}, host {}) is listed twice",
                twice[0].seeker, twice[0].host
            )));
        }
        let mut row_starts = vec![0u32; seekers + 1];
        for pair in &sorted {
            row_starts[pair.seeker as usize + 1] += 1;
        }
        for s in 0..seekers {
            row_starts[s + 1] += row_starts[s];
        }
        Ok(Self {
            demands,
            capacities,
            row_starts,
            pair_hosts: sorted.iter().map(|pair| pair.host).collect(),
            pair_scores: sorted.iter().map(|pair| pair.score).collect(),
        })
    }

    /// Assembles an instance from rows the caller has already validated (the text parser checks ids, scores,
    /// order and duplicates line by line, with line numbers, and builds the rows directly).
    pub(crate) fn from_validated_rows(
        demands: Vec<u8>,
        capacities: Vec<u8>,
        row_starts: Vec<u32>,
        pair_hosts: Vec<u32>,
        pair_scores: Vec<u8>,
    ) -> Self {
        debug_assert_eq!(row_starts.len(), demands.len() + 1);
        debug_assert_eq!(pair_hosts.len(), pair_scores.len());
        Self { demands, capacities, row_starts, pair_hosts, pair_scores }
    }

    pub fn seeker_count(&self) -> usize {
        self.demands.len()
    }

    pub fn host_count(&self) -> usize {
        self.capacities.len()
    }

    pub fn pair_count(&self) -> usize {
        self.pair_hosts.len()
    }

    /// How many interviews each seeker wants at most.
    pub fn demands(&self) -> &[u8] {
        &self.demands
    }

    /// How many interviews each host gives at most.
    pub fn capacities(&self) -> &[u8] {
        &self.capacities
    }

    /// Seeker `seeker`'s allowed hosts (ascending) and their scores.
    ///
    /// # Panics
    /// If `seeker` is out of range.
    pub fn pairs_of(&self, seeker: u32) -> (&[u32], &[u8]) {
        let range = self.row(seeker);
        (&self.pair_hosts[range.clone()], &self.pair_scores[range])
    }

    /// The score of pair (seeker, host), or `None` when the pair is not allowed (or an id is out of range).
    pub fn score(&self, seeker: u32, host: u32) -> Option<u8> {
        if seeker as usize >= self.seeker_count() {
            return None;
        }
        let (hosts, scores) = self.pairs_of(seeker);
        hosts.binary_search(&host).ok().map(|at| scores[at])
    }

    /// Every allowed pair, by seeker then host.
    pub fn allowed_pairs(&self) -> impl Iterator<Item = AllowedPair> + '_ {
        (0..self.seeker_count() as u32).flat_map(move |seeker| {
            let (hosts, scores) = self.pairs_of(seeker);
            hosts.iter().zip(scores).map(move |(&host, &score)| AllowedPair { seeker, host, score })
        })
    }

    pub(crate) fn row(&self, seeker: u32) -> std::ops::Range<usize> {
        self.row_starts[seeker as usize] as usize..self.row_starts[seeker as usize + 1] as usize
    }

    pub(crate) fn pair_hosts(&self) -> &[u32] {
        &self.pair_hosts
    }

    pub(crate) fn pair_scores(&self) -> &[u8] {
        &self.pair_scores
    }
}

/// Seeker and host ids are `u32`, and the solver's scaled costs must fit: both sides together stay below 2³¹.
pub(crate) fn check_sizes(seekers: usize, hosts: usize) -> Result<(), MatchingError> {
    if seekers.saturating_add(hosts) >= i32::MAX as usize {
        return Err(MatchingError::Invalid(format!(
            "{seekers} seekers and {hosts} hosts are more than the solver supports"
        )));
    }
    Ok(())
}

pub(crate) fn check_pair(seeker: u32, host: u32, score: u8, seekers: usize, hosts: usize) -> Result<(), String> {
    if seeker as usize >= seekers {
        return Err(format!("seeker {seeker} is out of range (there are {seekers} seekers, ids 0..{seekers})"));
    }
    if host as usize >= hosts {
        return Err(format!("host {host} is out of range (there are {hosts} hosts, ids 0..{hosts})"));
    }
    if !(1..=MAX_SCORE).contains(&score) {
        return Err(format!("score {score} is out of range 1..={MAX_SCORE}"));
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use super::*;

    fn pair(seeker: u32, host: u32, score: u8) -> AllowedPair {
        AllowedPair { seeker, host, score }
    }

    #[test]
    fn pairs_in_any_order_become_sorted_rows() {
        let instance = Instance::new(vec![1, 2], vec![1, 1, 1], [pair(1, 2, 5), pair(0, 1, 7), pair(1, 0, 9)]).unwrap();
        assert_eq!(instance.pairs_of(0), (&[1u32][..], &[7u8][..]));
        assert_eq!(instance.pairs_of(1), (&[0u32, 2][..], &[9u8, 5][..]));
        assert_eq!(instance.score(1, 2), Some(5));
        assert_eq!(instance.score(1, 1), None);
        assert_eq!(instance.score(9, 0), None);
        assert_eq!(instance.allowed_pairs().count(), 3);
    }

    #[test]
    fn bad_pairs_are_named() {
        let err = Instance::new(vec![1], vec![1], [pair(1, 0, 5)]).unwrap_err();
        assert!(err.to_string().contains("seeker 1 is out of range"), "{err}");
        let err = Instance::new(vec![1], vec![1], [pair(0, 3, 5)]).unwrap_err();
        assert!(err.to_string().contains("host 3 is out of range"), "{err}");
        let err = Instance::new(vec![1], vec![1], [pair(0, 0, 0)]).unwrap_err();
        assert!(err.to_string().contains("score 0"), "{err}");
        let err = Instance::new(vec![1], vec![1], [pair(0, 0, 101)]).unwrap_err();
        assert!(err.to_string().contains("score 101"), "{err}");
        let err = Instance::new(vec![1], vec![1], [pair(0, 0, 5), pair(0, 0, 6)]).unwrap_err();
        assert!(err.to_string().contains("listed twice"), "{err}");
    }
}
