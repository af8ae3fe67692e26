//! The exact solver: cost-scaling push–relabel (Goldberg) on the matching network, in the "double push" form
//! Goldberg and Kennedy use for assignment problems, followed by an exact optimality certificate.
//!
//! The network (see DESIGN.md for why this one): every seeker `s` supplies `demand[s]` units; a unit travels
//! over a pair arc `s → h` (capacity 1, cost −score) and then `h → sink` (capacity `capacity[h]` in total), or
//! straight over the seeker's discard arc `s → sink` (cost 0: an interview not given). The sink absorbs the
//! total demand. A min-cost flow is a max-score matching.
//!
//! Prices are kept in the auction's terms, scaled by `scale` (`> number of nodes`, so that ε = 1 is exact):
//! `value[s]` is what seeker `s` still expects to gain per unit, `price[h]` is host `h`'s price, `sink_level` is
//! the sink's potential. With `profit(s, h) = score·scale − price[h]` and `profit(s, discard) = sink_level`,
//! ε-optimality reads: a seeker never passes over an option worth more than `value + ε`, keeps no pair worth
//! less than `value − ε`, and a host holds no seeker whose bid `score·scale − value[s]` is below `price − ε`.
//!
//! One phase (`refine`) keeps the flow and the prices, drops only the pairs that break the tighter ε, and lets
//! every seeker with units left bid for its best options; a host that goes over its capacity raises its price
//! and pushes back its lowest bidder, who bids again. The sink, a node of huge degree, is only touched in bulk:
//! hosts through a lazy heap, discarding seekers a whole value level at a time. After a phase whose ε is below one score point, [`Solver::certify`] looks for integer potentials that prove
//! the current assignment optimal (a label-correcting shortest-path pass over the residual graph); when it
//! finds them the solver stops early, and those potentials are the dual certificate returned with the answer.

use std::cmp::Reverse;
use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BinaryHeap, VecDeque};

use crate::Instance;
use crate::certificate::Duals;

/// The factor ε shrinks by from one phase to the next.
const ALPHA: i64 = 8;

/// Candidate options remembered per seeker between bids.
const CACHE: usize = 8;

/// Marks a seeker's "no interview" option in a list of best options.
const DISCARD: u32 = u32::MAX;

/// One interview of an optimal matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MatchedPair {
    pub seeker: u32,
    pub host: u32,
    pub score: u8,
}

/// An optimal matching, its total, and the dual certificate that proves it optimal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Solution {
    /// Sorted by seeker, then host.
    pub pairs: Vec<MatchedPair>,
    pub total_score: u64,
    /// Integer LP duals satisfying complementary slackness with `pairs` (see [`Duals::check`]).
    pub duals: Duals,
}

/// What the solver reports as it goes, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// 1-based number of the scaling phase about to run.
    pub phase: u32,
    /// The phase's ε in score points (the last phases run below 1).
    pub epsilon: f64,
}

/// Solves `instance` exactly: the returned matching has the maximum total score.
///
/// Deterministic: the same instance gives the same pairs, in the same order.
pub fn solve(instance: &Instance) -> Solution {
    solve_with_progress(instance, |_| {})
}

/// [`solve`], calling `progress` before each scaling phase.
pub fn solve_with_progress(instance: &Instance, mut progress: impl FnMut(Progress)) -> Solution {
    let mut solver = Solver::new(instance);
    let max_score = instance.pair_scores().iter().copied().max().unwrap_or(0);
    let mut phase = 0;
    let mut duals = None;
    if max_score > 0 {
        let mut epsilon = (i64::from(max_score) * solver.scale / ALPHA).max(1);
        loop {
            phase += 1;
            progress(Progress { phase, epsilon: epsilon as f64 / solver.scale as f64 });
            solver.refine(epsilon);
            if epsilon == 1 {
                // ε = 1 < scale / nodes: optimal by the scaling theorem, so the certificate search converges
                // (the budget only guards against a bug turning into a hang: the caller's check then fails).
                let budget = 256 * (instance.pair_count() as u64 + solver.node_count() as u64);
                duals = solver.certify(budget);
                break;
            }
            if epsilon < solver.scale {
                let budget = 2 * (instance.pair_count() as u64 + solver.node_count() as u64);
                if let Some(found) = solver.certify(budget) {
                    duals = Some(found);
                    break;
                }
            }
            epsilon = (epsilon / ALPHA).max(1);
        }
    }
    let duals = duals.unwrap_or_else(|| Duals::zero(instance));
    let pairs = solver.pairs();
    let total_score = pairs.iter().map(|pair| u64::from(pair.score)).sum();
    Solution { pairs, total_score, duals }
}

/// Where a host sends a unit it cannot keep.
#[derive(Debug, Clone, Copy)]
enum HostMove {
    /// Pass it on to the sink: the host takes one more interview.
    ToSink,
    /// Push back the holder in this slot.
    Evict(usize),
}

#[derive(Debug)]
struct Solver<'a> {
    instance: &'a Instance,
    /// Costs are `-score * scale`; `scale` exceeds the number of nodes, so ε = 1 is optimal.
    scale: i64,
    epsilon: i64,

    value: Vec<i64>,
    /// Seeker `s`'s current hosts live in `taken_hosts[taken_start[s]..][..taken_count[s]]`.
    taken_start: Vec<usize>,
    taken_count: Vec<u8>,
    taken_hosts: Vec<u32>,
    taken_scores: Vec<u8>,
    discarded: Vec<u8>,

    price: Vec<i64>,
    /// Units host `h` passes to the sink; `holder_count[h] - sink_flow[h]` is its excess (or deficit).
    sink_flow: Vec<u8>,
    /// Host `h`'s holders live in `holder_seekers[holder_start[h]..][..holder_count[h]]` (room for capacity + 1).
    holder_start: Vec<usize>,
    /// `u16`: a host with capacity 255 briefly holds 256 seekers.
    holder_count: Vec<u16>,
    holder_seekers: Vec<u32>,
    holder_scores: Vec<u8>,

    sink_level: i64,
    sink_inflow: i64,
    total_demand: i64,

    active: VecDeque<u32>,
    queued: Vec<bool>,
    /// Hosts passing flow to the sink, by price (lowest first); entries may be stale and are checked on use.
    flowing_hosts: BinaryHeap<Reverse<(i64, u32)>>,
    /// Seekers with discarded units, filed by their value when filed. Values cluster on a few levels (a
    /// seeker that discards sits just below the sink's level), so whole levels are handled at once.
    discarders: BTreeMap<i64, Vec<u32>>,
    /// The value seeker `s` is filed under in `discarders`, or `i64::MIN`; other entries of `s` are stale.
    filed_value: Vec<i64>,
    /// While filed: an upper bound on the profit of the seeker's best unused host (prices only rise, and a
    /// seeker that loses a host rebids and is filed again).
    filed_bound: Vec<i64>,
    /// Seeker `s`'s cached best options are `cache_hosts[s * CACHE..][..cache_len[s]]`; every option outside
    /// has profit at most `cache_floor[s]`.
    cache_hosts: Vec<u32>,
    cache_scores: Vec<u8>,
    cache_len: Vec<u8>,
    cache_floor: Vec<i64>,
    /// Scratch list of a seeker's best options: (profit, host or DISCARD, score).
    best: Vec<(i64, u32, u8)>,
}

impl<'a> Solver<'a> {
    fn new(instance: &'a Instance) -> Self {
        let seekers = instance.seeker_count();
        let hosts = instance.host_count();
        let mut taken_start = Vec::with_capacity(seekers + 1);
        let mut next = 0usize;
        for &demand in instance.demands() {
            taken_start.push(next);
            next += usize::from(demand);
        }
        taken_start.push(next);
        let mut holder_start = Vec::with_capacity(hosts + 1);
        let mut next_holder = 0usize;
        for &capacity in instance.capacities() {
            holder_start.push(next_holder);
            next_holder += usize::from(capacity) + 1;
        }
        holder_start.push(next_holder);
        Self {
            instance,
            scale: (seekers + hosts + 2) as i64,
            epsilon: 1,
            value: vec![0; seekers],
            taken_count: vec![0; seekers],
            taken_hosts: vec![0; next],
            taken_scores: vec![0; next],
            taken_start,
            discarded: vec![0; seekers],
            price: vec![0; hosts],
            sink_flow: vec![0; hosts],
            holder_count: vec![0; hosts],
            holder_seekers: vec![0; next_holder],
            holder_scores: vec![0; next_holder],
            holder_start,
            sink_level: 0,
            sink_inflow: 0,
            total_demand: instance.demands().iter().map(|&d| i64::from(d)).sum(),
            active: VecDeque::with_capacity(seekers),
            queued: vec![false; seekers],
            flowing_hosts: BinaryHeap::new(),
            discarders: BTreeMap::new(),
            filed_value: vec![i64::MIN; seekers],
            filed_bound: vec![i64::MAX; seekers],
            cache_hosts: vec![0; seekers * CACHE],
            cache_scores: vec![0; seekers * CACHE],
            cache_len: vec![0; seekers],
            // An empty cache with floor +∞ is never trusted, so the first bid fills it.
            cache_floor: vec![i64::MAX; seekers],
            best: Vec::new(),
        }
    }

    fn node_count(&self) -> usize {
        self.instance.seeker_count() + self.instance.host_count() + 1
    }

    /// One scaling phase: from an ε-optimal flow for the previous ε, an (ε = `epsilon`)-optimal flow.
    fn refine(&mut self, epsilon: i64) {
        self.epsilon = epsilon;
        self.flowing_hosts.clear();
        self.discarders.clear();
        self.filed_value.fill(i64::MIN);
        self.active.clear();
        // Goldberg's refine: keep the flow and fix only the arcs that break the tighter ε. A host priced above
        // the sink's level must pass its whole capacity on (any shortfall becomes a deficit bidders fill); one
        // priced below must pass nothing (its holders become excess it pushes back).
        for host in 0..self.instance.host_count() {
            let reduced = self.price[host] + self.sink_level;
            let capacity = self.instance.capacities()[host];
            if reduced > epsilon && self.sink_flow[host] < capacity {
                self.sink_inflow += i64::from(capacity - self.sink_flow[host]);
                self.sink_flow[host] = capacity;
            } else if reduced < -epsilon && self.sink_flow[host] > 0 {
                self.sink_inflow -= i64::from(self.sink_flow[host]);
                self.sink_flow[host] = 0;
            }
            if self.sink_flow[host] > 0 {
                self.flowing_hosts.push(Reverse((self.price[host], host as u32)));
            }
        }
        // Each seeker takes the lowest value its options allow (its best unused option's profit − ε), and drops
        // the interviews that are now worth too little at that value.
        for seeker in 0..self.instance.seeker_count() as u32 {
            self.reprice_seeker(seeker);
        }
        for host in 0..self.instance.host_count() as u32 {
            if self.holder_count[host as usize] > u16::from(self.sink_flow[host as usize]) {
                self.settle_host(host);
            }
        }
        loop {
            while let Some(seeker) = self.active.pop_front() {
                self.queued[seeker as usize] = false;
                self.discharge_seeker(seeker);
            }
            if self.sink_inflow > self.total_demand {
                self.discharge_sink();
            } else {
                break;
            }
        }
    }

    /// Phase start for one seeker: sets its value from its unused options and pushes back every unit that
    /// breaks the new ε at that value; a seeker left with units to place becomes active.
    fn reprice_seeker(&mut self, seeker: u32) {
        let s = seeker as usize;
        let demand = self.instance.demands()[s];
        if demand == 0 {
            return;
        }
        let mut best_unused = if self.discarded[s] < demand { self.sink_level } else { i64::MIN };
        let range = self.instance.row(seeker);
        for at in range {
            let host = self.instance.pair_hosts()[at];
            let profit = i64::from(self.instance.pair_scores()[at]) * self.scale - self.price[host as usize];
            if profit > best_unused && !self.holds(seeker, host) {
                best_unused = profit;
            }
        }
        if best_unused == i64::MIN {
            // Every option is in use: only upper bounds apply; the current value is kept, lowered to them.
            let mut value = self.value[s];
            let start = self.taken_start[s];
            for slot in start..start + self.taken_count[s] as usize {
                let profit =
                    i64::from(self.taken_scores[slot]) * self.scale - self.price[self.taken_hosts[slot] as usize];
                value = value.min(profit + self.epsilon);
            }
            if self.discarded[s] > 0 {
                value = value.min(self.sink_level + self.epsilon);
            }
            self.value[s] = value;
        } else {
            self.value[s] = best_unused - self.epsilon;
        }
        let floor = self.value[s] - self.epsilon;
        let start = self.taken_start[s];
        let mut slot = start;
        while slot < start + self.taken_count[s] as usize {
            let host = self.taken_hosts[slot];
            let profit = i64::from(self.taken_scores[slot]) * self.scale - self.price[host as usize];
            if profit < floor {
                self.release(seeker, host);
                self.drop_holder(host, seeker);
            } else {
                slot += 1;
            }
        }
        if self.discarded[s] > 0 && self.sink_level < floor {
            self.sink_inflow -= i64::from(self.discarded[s]);
            self.discarded[s] = 0;
        }
        if self.discarded[s] > 0 {
            self.file_discarder(seeker);
        }
        if self.seeker_excess(seeker) > 0 {
            self.activate(seeker);
        }
    }

    /// Removes `seeker` from `host`'s holders (the host is left with a deficit that later bids fill).
    fn drop_holder(&mut self, host: u32, seeker: u32) {
        let h = host as usize;
        let start = self.holder_start[h];
        let count = self.holder_count[h] as usize;
        if let Some(at) = self.holder_seekers[start..start + count].iter().position(|&s| s == seeker) {
            self.holder_seekers[start + at] = self.holder_seekers[start + count - 1];
            self.holder_scores[start + at] = self.holder_scores[start + count - 1];
            self.holder_count[h] -= 1;
        }
    }

    fn seeker_excess(&self, seeker: u32) -> u8 {
        let s = seeker as usize;
        self.instance.demands()[s] - self.taken_count[s] - self.discarded[s]
    }

    fn activate(&mut self, seeker: u32) {
        if !self.queued[seeker as usize] {
            self.queued[seeker as usize] = true;
            self.active.push_back(seeker);
        }
    }

    fn holds(&self, seeker: u32, host: u32) -> bool {
        let start = self.taken_start[seeker as usize];
        self.taken_hosts[start..start + self.taken_count[seeker as usize] as usize].contains(&host)
    }

    /// Places all of a seeker's unplaced units on its best options (relabel + push, CSA's double push).
    fn discharge_seeker(&mut self, seeker: u32) {
        loop {
            let units = self.seeker_excess(seeker) as usize;
            if units == 0 {
                return;
            }
            // The k + 1 best options; the discard option has unlimited room, so it fills every slot at first.
            let mut best = std::mem::take(&mut self.best);
            if !self.select_from_cache(seeker, units, &mut best) {
                self.refill_cache(seeker);
                if !self.select_from_cache(seeker, units, &mut best) {
                    self.select_by_scan(seeker, units, &mut best);
                }
            }
            // After the pushes the best option left is the (k+1)-th: the seeker's value drops to just below it,
            // which makes its bids as high as ε-optimality allows.
            self.value[seeker as usize] = best[units].0 - self.epsilon;
            for &(_, host, score) in &best[..units] {
                if host == DISCARD {
                    self.discarded[seeker as usize] += 1;
                    self.sink_inflow += 1;
                } else {
                    let slot = self.taken_start[seeker as usize] + self.taken_count[seeker as usize] as usize;
                    self.taken_hosts[slot] = host;
                    self.taken_scores[slot] = score;
                    self.taken_count[seeker as usize] += 1;
                    self.host_accept(host, seeker, score);
                }
            }
            self.best = best;
            if self.discarded[seeker as usize] > 0 {
                self.file_discarder(seeker);
            }
        }
    }

    /// The `units + 1` best unused options from the seeker's cached candidates, if the cache proves them best:
    /// prices only rise within and across phases, so `cache_floor` (the best profit left out of the cache when
    /// it was filled) still bounds every option outside it.
    fn select_from_cache(&self, seeker: u32, units: usize, best: &mut Vec<(i64, u32, u8)>) -> bool {
        let s = seeker as usize;
        best.clear();
        best.resize(units + 1, (self.sink_level, DISCARD, 0));
        let start = s * CACHE;
        for slot in start..start + self.cache_len[s] as usize {
            let host = self.cache_hosts[slot];
            let score = self.cache_scores[slot];
            let profit = i64::from(score) * self.scale - self.price[host as usize];
            if profit > best[units].0 && !self.holds(seeker, host) {
                insert_sorted(best, (profit, host, score));
            }
        }
        best[units].0 >= self.cache_floor[s]
    }

    /// Rescans a seeker's pairs and caches its `CACHE` best options (held or not) and the best profit left out.
    fn refill_cache(&mut self, seeker: u32) {
        let s = seeker as usize;
        let range = self.instance.row(seeker);
        let mut top = [(i64::MIN, 0u32, 0u8); CACHE + 1];
        let mut len = 0;
        for at in range {
            let host = self.instance.pair_hosts()[at];
            let score = self.instance.pair_scores()[at];
            let profit = i64::from(score) * self.scale - self.price[host as usize];
            if len <= CACHE || profit > top[CACHE].0 {
                let mut slot = len.min(CACHE);
                while slot > 0 && top[slot - 1].0 < profit {
                    top[slot] = top[slot - 1];
                    slot -= 1;
                }
                top[slot] = (profit, host, score);
                len = (len + 1).min(CACHE + 1);
            }
        }
        let kept = len.min(CACHE);
        let start = s * CACHE;
        for (slot, &(_, host, score)) in top[..kept].iter().enumerate() {
            self.cache_hosts[start + slot] = host;
            self.cache_scores[start + slot] = score;
        }
        self.cache_len[s] = kept as u8;
        self.cache_floor[s] = if len > CACHE { top[CACHE].0 } else { i64::MIN };
    }

    /// The `units + 1` best unused options by a full scan (for demands too large for the cache to prove).
    fn select_by_scan(&self, seeker: u32, units: usize, best: &mut Vec<(i64, u32, u8)>) {
        best.clear();
        best.resize(units + 1, (self.sink_level, DISCARD, 0));
        let range = self.instance.row(seeker);
        let hosts = &self.instance.pair_hosts()[range.clone()];
        let scores = &self.instance.pair_scores()[range];
        for (&host, &score) in hosts.iter().zip(scores) {
            let profit = i64::from(score) * self.scale - self.price[host as usize];
            if profit > best[units].0 && !self.holds(seeker, host) {
                insert_sorted(best, (profit, host, score));
            }
        }
    }

    fn host_accept(&mut self, host: u32, seeker: u32, score: u8) {
        let h = host as usize;
        let slot = self.holder_start[h] + self.holder_count[h] as usize;
        self.holder_seekers[slot] = seeker;
        self.holder_scores[slot] = score;
        self.holder_count[h] += 1;
        self.settle_host(host);
    }

    /// Pushes a host's excess on: to the sink if it has room at its price, else back to its lowest bidder,
    /// raising its price first when no arc is admissible.
    fn settle_host(&mut self, host: u32) {
        let h = host as usize;
        while self.holder_count[h] > u16::from(self.sink_flow[h]) {
            let mut lowest = i64::MAX;
            let mut choice = HostMove::ToSink;
            if self.sink_flow[h] < self.instance.capacities()[h] {
                lowest = -self.sink_level;
            }
            let start = self.holder_start[h];
            for slot in start..start + self.holder_count[h] as usize {
                let bid =
                    i64::from(self.holder_scores[slot]) * self.scale - self.value[self.holder_seekers[slot] as usize];
                if bid < lowest {
                    lowest = bid;
                    choice = HostMove::Evict(slot);
                }
            }
            if lowest >= self.price[h] {
                self.price[h] = lowest + self.epsilon;
            }
            match choice {
                HostMove::ToSink => {
                    if self.sink_flow[h] == 0 {
                        self.flowing_hosts.push(Reverse((self.price[h], host)));
                    }
                    self.sink_flow[h] += 1;
                    self.sink_inflow += 1;
                }
                HostMove::Evict(slot) => {
                    let evicted = self.holder_seekers[slot];
                    let last = start + self.holder_count[h] as usize - 1;
                    self.holder_seekers[slot] = self.holder_seekers[last];
                    self.holder_scores[slot] = self.holder_scores[last];
                    self.holder_count[h] -= 1;
                    self.release(evicted, host);
                    self.activate(evicted);
                }
            }
        }
    }

    /// Removes `host` from `seeker`'s taken hosts.
    fn release(&mut self, seeker: u32, host: u32) {
        let s = seeker as usize;
        let start = self.taken_start[s];
        let count = self.taken_count[s] as usize;
        if let Some(at) = self.taken_hosts[start..start + count].iter().position(|&h| h == host) {
            self.taken_hosts[start + at] = self.taken_hosts[start + count - 1];
            self.taken_scores[start + at] = self.taken_scores[start + count - 1];
            self.taken_count[s] -= 1;
        }
    }

    /// Files a seeker with discarded units under its current value (once per value).
    ///
    /// Every change to a discarding seeker's hosts goes through a rebid that ends here.
    fn file_discarder(&mut self, seeker: u32) {
        let value = self.value[seeker as usize];
        // The bound is refreshed every time: the seeker may have lost a host since it was filed.
        self.filed_bound[seeker as usize] = self.best_host_bound(seeker);
        if self.filed_value[seeker as usize] != value {
            self.filed_value[seeker as usize] = value;
            self.discarders.entry(value).or_default().push(seeker);
        }
    }

    fn is_filed(&self, seeker: u32, value: i64) -> bool {
        let s = seeker as usize;
        self.discarded[s] > 0 && self.value[s] == value && self.filed_value[s] == value
    }

    /// The highest value under which a seeker with discarded units is filed (stale entries are dropped).
    fn keenest_discard_value(&mut self) -> Option<i64> {
        loop {
            let (&value, seekers) = self.discarders.last_key_value()?;
            let mut live = false;
            let mut dropped = Vec::new();
            if let Some(list) = self.discarders.get(&value) {
                let mut end = list.len();
                while end > 0 {
                    let seeker = list[end - 1];
                    if self.is_filed(seeker, value) {
                        live = true;
                        break;
                    }
                    dropped.push(seeker);
                    end -= 1;
                }
            }
            let _ = seekers;
            for seeker in &dropped {
                if self.filed_value[*seeker as usize] == value {
                    self.filed_value[*seeker as usize] = i64::MIN;
                }
            }
            if let Some(list) = self.discarders.get_mut(&value) {
                list.truncate(list.len() - dropped.len());
                if list.is_empty() {
                    self.discarders.remove(&value);
                }
            }
            if live {
                return Some(value);
            }
        }
    }

    /// The freshest host that passes flow to the sink with the lowest price.
    fn cheapest_flowing_host(&mut self) -> Option<u32> {
        while let Some(&Reverse((key, host))) = self.flowing_hosts.peek() {
            let h = host as usize;
            if self.sink_flow[h] == 0 {
                self.flowing_hosts.pop();
            } else if key != self.price[h] {
                self.flowing_hosts.pop();
                self.flowing_hosts.push(Reverse((self.price[h], host)));
            } else {
                return Some(host);
            }
        }
        None
    }

    /// An upper bound on the profit of the seeker's best unused host, from its cache.
    fn best_host_bound(&self, seeker: u32) -> i64 {
        let s = seeker as usize;
        let mut bound = self.cache_floor[s];
        let start = s * CACHE;
        for slot in start..start + self.cache_len[s] as usize {
            let host = self.cache_hosts[slot];
            if !self.holds(seeker, host) {
                let profit = i64::from(self.cache_scores[slot]) * self.scale - self.price[host as usize];
                bound = bound.max(profit);
            }
        }
        bound
    }

    /// The sink received more than the total demand: push units back along admissible arcs (a host passes one
    /// interview fewer on, or a seeker takes back a discarded unit), and lower the sink's level when there is
    /// none.
    ///
    /// A seeker whose every host is worth no more than discarding would only discard the unit again: for it the
    /// push, its relabel and its push back are done at once, by lowering its value to just below the sink's
    /// level (the flow does not change). That spares a rebid for each of the many seekers sitting on one level.
    fn discharge_sink(&mut self) {
        while self.sink_inflow > self.total_demand {
            let host = self.cheapest_flowing_host();
            let host_reduced = host.map(|h| self.price[h as usize] + self.sink_level);
            let keenest = self.keenest_discard_value();
            let seeker_reduced = keenest.map(|value| self.sink_level - value);
            if let (Some(h), Some(reduced)) = (host, host_reduced)
                && reduced < 0
                && seeker_reduced.is_none_or(|other| reduced <= other)
            {
                let units = (self.sink_inflow - self.total_demand).min(i64::from(self.sink_flow[h as usize]));
                self.sink_flow[h as usize] -= units as u8;
                self.sink_inflow -= units;
                self.settle_host(h);
                continue;
            }
            if let (Some(value), Some(reduced)) = (keenest, seeker_reduced)
                && reduced < 0
            {
                self.return_discards(value);
                continue;
            }
            let highest = host.map(|h| -self.price[h as usize]).max(keenest);
            let Some(highest) = highest else {
                // Unreachable while the flow balances: an excess at the sink came over some arc.
                return;
            };
            self.sink_level = highest - self.epsilon;
        }
    }

    /// Pushes the sink's excess back to the seekers filed under `value` (all admissible), until it runs out.
    fn return_discards(&mut self, value: i64) {
        let Some(mut list) = self.discarders.remove(&value) else {
            return;
        };
        let lowered = self.sink_level - self.epsilon;
        let mut relevelled = self.discarders.remove(&lowered).unwrap_or_default();
        let mut keep = Vec::new();
        while let Some(seeker) = list.pop() {
            if !self.is_filed(seeker, value) {
                if self.filed_value[seeker as usize] == value {
                    self.filed_value[seeker as usize] = i64::MIN;
                }
                continue;
            }
            if self.sink_inflow <= self.total_demand {
                keep.push(seeker);
                break;
            }
            let s = seeker as usize;
            if self.filed_bound[s] > self.sink_level {
                let units = (self.sink_inflow - self.total_demand).min(i64::from(self.discarded[s]));
                self.discarded[s] -= units as u8;
                self.sink_inflow -= units;
                self.activate(seeker);
                if self.discarded[s] > 0 {
                    keep.push(seeker);
                } else {
                    self.filed_value[s] = i64::MIN;
                }
            } else {
                self.value[s] = lowered;
                self.filed_value[s] = lowered;
                relevelled.push(seeker);
            }
        }
        keep.reverse();
        list.extend(keep);
        if !list.is_empty() {
            // Hand the list back without copying it: it can be long, and the sink may return here often.
            match self.discarders.entry(value) {
                Entry::Vacant(slot) => {
                    slot.insert(list);
                }
                Entry::Occupied(mut slot) => slot.get_mut().extend(list),
            }
        }
        if !relevelled.is_empty() {
            self.discarders.insert(lowered, relevelled);
        }
    }

    /// Looks for integer potentials under which no residual arc has a negative reduced cost (unscaled scores).
    /// Their existence proves the current flow optimal. `budget` caps the work (arcs examined): with a negative
    /// cycle the corrections would go on for ever, so running out of budget means "not proven yet".
    fn certify(&self, budget: u64) -> Option<Duals> {
        let seekers = self.instance.seeker_count();
        let hosts = self.instance.host_count();
        let sink = seekers + hosts;
        let scale = self.scale;
        // Node order: seekers, hosts, sink; potential = price in the push–relabel convention, unscaled.
        let mut potential: Vec<i64> = Vec::with_capacity(sink + 1);
        potential.extend(self.value.iter().map(|&v| v.div_euclid(scale)));
        potential.extend(self.price.iter().map(|&p| (-p).div_euclid(scale)));
        potential.push(self.sink_level.div_euclid(scale));

        let mut queue: VecDeque<u32> = (0..(seekers + hosts) as u32).collect();
        let mut queued = vec![true; sink + 1];
        queued[sink] = false;
        let mut sink_lowered = true;
        let mut work: u64 = 0;
        let demands = self.instance.demands();
        let capacities = self.instance.capacities();
        loop {
            while let Some(node) = queue.pop_front() {
                let node = node as usize;
                queued[node] = false;
                let here = potential[node];
                let mut lower = |target: usize, cost: i64, potential: &mut Vec<i64>, queue: &mut VecDeque<u32>| {
                    let bound = here + cost;
                    if bound < potential[target] {
                        potential[target] = bound;
                        if target == sink {
                            sink_lowered = true;
                        } else if !queued[target] {
                            queued[target] = true;
                            queue.push_back(target as u32);
                        }
                    }
                };
                if node < seekers {
                    let seeker = node as u32;
                    let range = self.instance.row(seeker);
                    work += range.len() as u64;
                    for at in range {
                        let host = self.instance.pair_hosts()[at];
                        if !self.holds(seeker, host) {
                            let cost = -i64::from(self.instance.pair_scores()[at]);
                            lower(seekers + host as usize, cost, &mut potential, &mut queue);
                        }
                    }
                    if self.discarded[node] < demands[node] {
                        lower(sink, 0, &mut potential, &mut queue);
                    }
                } else {
                    let h = node - seekers;
                    let start = self.holder_start[h];
                    for slot in start..start + self.holder_count[h] as usize {
                        let cost = i64::from(self.holder_scores[slot]);
                        lower(self.holder_seekers[slot] as usize, cost, &mut potential, &mut queue);
                    }
                    if self.sink_flow[h] < capacities[h] {
                        lower(sink, 0, &mut potential, &mut queue);
                    }
                    work += 1 + self.holder_count[h] as u64;
                }
                if work > budget {
                    return None;
                }
            }
            if !sink_lowered {
                break;
            }
            sink_lowered = false;
            // The sink's residual arcs lead back to hosts that pass it flow and seekers that discard.
            let level = potential[sink];
            work += (seekers + hosts) as u64;
            for h in 0..hosts {
                if self.sink_flow[h] > 0 && level < potential[seekers + h] {
                    potential[seekers + h] = level;
                    if !queued[seekers + h] {
                        queued[seekers + h] = true;
                        queue.push_back((seekers + h) as u32);
                    }
                }
            }
            for s in 0..seekers {
                if self.discarded[s] > 0 && level < potential[s] {
                    potential[s] = level;
                    if !queued[s] {
                        queued[s] = true;
                        queue.push_back(s as u32);
                    }
                }
            }
            if work > budget {
                return None;
            }
        }
        // LP duals relative to the sink: seeker value u = π(s) − π(sink), host price v = π(sink) − π(h), both
        // clamped at 0 (a clamp only happens where no constraint binds it from above, see DESIGN.md).
        let level = potential[sink];
        let seeker_duals = (0..seekers).map(|s| clamp_dual(potential[s] - level)).collect();
        let host_duals = (0..hosts).map(|h| clamp_dual(level - potential[seekers + h])).collect();
        Some(Duals::new(seeker_duals, host_duals))
    }

    fn pairs(&self) -> Vec<MatchedPair> {
        let mut pairs = Vec::new();
        for seeker in 0..self.instance.seeker_count() as u32 {
            let start = self.taken_start[seeker as usize];
            let count = self.taken_count[seeker as usize] as usize;
            let first = pairs.len();
            for slot in start..start + count {
                pairs.push(MatchedPair { seeker, host: self.taken_hosts[slot], score: self.taken_scores[slot] });
            }
            pairs[first..].sort_unstable();
        }
        pairs
    }
}

/// Inserts `option` into `best` (sorted by profit, highest first, earlier entries first among equals), dropping
/// the last entry; the caller has checked that `option` beats it.
fn insert_sorted(best: &mut [(i64, u32, u8)], option: (i64, u32, u8)) {
    let mut at = best.len() - 1;
    while at > 0 && best[at - 1].0 < option.0 {
        best[at] = best[at - 1];
        at -= 1;
    }
    best[at] = option;
}

fn clamp_dual(value: i64) -> u32 {
    u32::try_from(value.max(0)).unwrap_or(u32::MAX)
}
