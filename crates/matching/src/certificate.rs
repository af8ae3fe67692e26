//! Checking a matching, and proving it optimal with LP duals.
//!
//! The linear program of the problem (x = 1 when a pair is used):
//!
//! ```text
//! max Σ score·x   subject to   Σ_h x[s,h] ≤ demand[s],   Σ_s x[s,h] ≤ capacity[h],   0 ≤ x ≤ 1
//! ```
//!
//! Its dual gives every seeker a value `u ≥ 0`, every host a price `v ≥ 0`, and every pair a surplus
//! `z = max(0, score − u − v)`. A matching and duals prove each other optimal (their objectives are equal) when
//! complementary slackness holds:
//! - a pair not used has `u + v ≥ score` (no surplus is left on the table),
//! - a used pair has `u + v ≤ score`,
//! - a seeker with `u > 0` has all the interviews it wants, a host with `v > 0` gives all it can.
//!
//! These checks take one pass over the pairs, so the command-line tool can afford them on every run.

use crate::{Instance, MatchedPair, MatchingError};

/// Integer dual values: one per seeker, one per host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duals {
    pub seekers: Vec<u32>,
    pub hosts: Vec<u32>,
}

impl Duals {
    pub(crate) fn new(seekers: Vec<u32>, hosts: Vec<u32>) -> Self {
        Self { seekers, hosts }
    }

    /// All zero: the certificate of the empty matching when no pair exists.
    pub(crate) fn zero(instance: &Instance) -> Self {
        Self { seekers: vec![0; instance.seeker_count()], hosts: vec![0; instance.host_count()] }
    }

    /// The dual objective: `Σ demand·u + Σ capacity·v + Σ max(0, score − u − v)` over all allowed pairs.
    pub fn objective(&self, instance: &Instance) -> u64 {
        let mut total: u64 = 0;
        for (&demand, &value) in instance.demands().iter().zip(&self.seekers) {
            total += u64::from(demand) * u64::from(value);
        }
        for (&capacity, &price) in instance.capacities().iter().zip(&self.hosts) {
            total += u64::from(capacity) * u64::from(price);
        }
        for pair in instance.allowed_pairs() {
            let covered = u64::from(self.seekers[pair.seeker as usize]) + u64::from(self.hosts[pair.host as usize]);
            total += u64::from(pair.score).saturating_sub(covered);
        }
        total
    }

    /// Checks that `pairs` is a feasible matching of `instance` and that these duals prove it optimal
    /// (complementary slackness); returns the matching's total score.
    ///
    /// # Errors
    /// [`MatchingError::Infeasible`] or [`MatchingError::NotOptimal`] saying which condition fails first.
    pub fn check(&self, instance: &Instance, pairs: &[MatchedPair]) -> Result<u64, MatchingError> {
        if self.seekers.len() != instance.seeker_count() || self.hosts.len() != instance.host_count() {
            return Err(MatchingError::NotOptimal("the duals do not match the instance's size".into()));
        }
        let total = check_feasible(instance, pairs)?;
        let (seeker_load, host_load) = loads(instance, pairs);
        let mut used: Vec<(u32, u32)> = pairs.iter().map(|pair| (pair.seeker, pair.host)).collect();
        if !used.is_sorted() {
            used.sort_unstable();
        }
        // One merge per seeker of its allowed hosts (ascending) with its used hosts (ascending).
        let mut next_used = 0;
        for seeker in 0..instance.seeker_count() as u32 {
            let (hosts, scores) = instance.pairs_of(seeker);
            let value = u64::from(self.seekers[seeker as usize]);
            for (&host, &score) in hosts.iter().zip(scores) {
                while next_used < used.len() && used[next_used] < (seeker, host) {
                    next_used += 1;
                }
                let is_used = used.get(next_used) == Some(&(seeker, host));
                let covered = value + u64::from(self.hosts[host as usize]);
                if is_used && covered > u64::from(score) {
                    return Err(MatchingError::NotOptimal(format!(
                        "used pair (seeker {seeker}, host {host}) has u + v = {covered} > score {score}"
                    )));
                }
                if !is_used && covered < u64::from(score) {
                    return Err(MatchingError::NotOptimal(format!(
                        "unused pair (seeker {seeker}, host {host}) has u + v = {covered} < score {score}"
                    )));
                }
            }
        }
        for (seeker, (&value, &demand)) in self.seekers.iter().zip(instance.demands()).enumerate() {
            if value > 0 && seeker_load[seeker] < u32::from(demand) {
                return Err(MatchingError::NotOptimal(format!(
                    "seeker {seeker} has value {value} but only {} of {demand} interviews",
                    seeker_load[seeker]
                )));
            }
        }
        for (host, (&price, &capacity)) in self.hosts.iter().zip(instance.capacities()).enumerate() {
            if price > 0 && host_load[host] < u32::from(capacity) {
                return Err(MatchingError::NotOptimal(format!(
                    "host {host} has price {price} but gives only {} of {capacity} interviews",
                    host_load[host]
                )));
            }
        }
        Ok(total)
    }
}

/// Checks that `pairs` only uses allowed pairs, none twice, within every demand and capacity, and that each
/// pair's score is the instance's; returns the total score.
///
/// # Errors
/// [`MatchingError::Infeasible`] naming the first violation.
pub fn check_feasible(instance: &Instance, pairs: &[MatchedPair]) -> Result<u64, MatchingError> {
    let mut seen = pairs.iter().map(|pair| (pair.seeker, pair.host)).collect::<Vec<_>>();
    seen.sort_unstable();
    if let Some(twice) = seen.windows(2).find(|w| w[0] == w[1]) {
        return Err(MatchingError::Infeasible(format!(
            "pair (seeker {}, host {}) is used twice",
            twice[0].0, twice[0].1
        )));
    }
    let mut total = 0;
    for pair in pairs {
        match instance.score(pair.seeker, pair.host) {
            Some(score) if score == pair.score => total += u64::from(score),
            Some(score) => {
                return Err(MatchingError::Infeasible(format!(
                    "pair (seeker {}, host {}) has score {score}, not {}",
                    pair.seeker, pair.host, pair.score
                )));
            }
            None => {
                return Err(MatchingError::Infeasible(format!(
                    "pair (seeker {}, host {}) is not allowed",
                    pair.seeker, pair.host
                )));
            }
        }
    }
    let (seeker_load, host_load) = loads(instance, pairs);
    for (seeker, (&load, &demand)) in seeker_load.iter().zip(instance.demands()).enumerate() {
        if load > u32::from(demand) {
            return Err(MatchingError::Infeasible(format!("seeker {seeker} has {load} interviews > demand {demand}")));
        }
    }
    for (host, (&load, &capacity)) in host_load.iter().zip(instance.capacities()).enumerate() {
        if load > u32::from(capacity) {
            return Err(MatchingError::Infeasible(format!("host {host} has {load} interviews > capacity {capacity}")));
        }
    }
    Ok(total)
}

/// Interviews per seeker and per host; pairs with ids out of range are skipped (the caller rejects them).
fn loads(instance: &Instance, pairs: &[MatchedPair]) -> (Vec<u32>, Vec<u32>) {
    let mut seeker_load = vec![0u32; instance.seeker_count()];
    let mut host_load = vec![0u32; instance.host_count()];
    for pair in pairs {
        if let (Some(s), Some(h)) = (seeker_load.get_mut(pair.seeker as usize), host_load.get_mut(pair.host as usize)) {
            *s += 1;
            *h += 1;
        }
    }
    (seeker_load, host_load)
}
