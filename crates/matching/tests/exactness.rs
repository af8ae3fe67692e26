//! The solver against two independent oracles: brute force over every subset of pairs on tiny instances, and
//! a textbook successive-shortest-path min-cost flow (Bellman–Ford) on small ones. Every answer must also be
//! feasible, carry a dual certificate that checks, and come out the same when solved again.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

use coffeechat_matching::{AllowedPair, Instance, MatchedPair, Solution, check_feasible, solve};
use proptest::prelude::*;

/// Checks everything a solution promises and returns its total.
fn checked(instance: &Instance, solution: &Solution) -> u64 {
    assert_eq!(check_feasible(instance, &solution.pairs).unwrap(), solution.total_score);
    assert_eq!(solution.duals.check(instance, &solution.pairs).unwrap(), solution.total_score);
    // Strong duality: the dual objective equals the matching's total.
    assert_eq!(solution.duals.objective(instance), solution.total_score);
    assert!(solution.pairs.is_sorted(), "pairs come sorted by seeker, then host");
    solution.total_score
}

/// The best total over every subset of pairs that respects demands and capacities.
fn brute_force(instance: &Instance) -> u64 {
    let pairs: Vec<AllowedPair> = instance.allowed_pairs().collect();
    assert!(pairs.len() <= 16, "brute force is for tiny instances");
    let mut best = 0;
    for mask in 0u32..(1 << pairs.len()) {
        let mut seeker_load = vec![0u8; instance.seeker_count()];
        let mut host_load = vec![0u8; instance.host_count()];
        let mut total = 0;
        let mut feasible = true;
        for (index, pair) in pairs.iter().enumerate() {
            if mask & (1 << index) != 0 {
                seeker_load[pair.seeker as usize] += 1;
                host_load[pair.host as usize] += 1;
                total += u64::from(pair.score);
                feasible &= seeker_load[pair.seeker as usize] <= instance.demands()[pair.seeker as usize]
                    && host_load[pair.host as usize] <= instance.capacities()[pair.host as usize];
            }
        }
        if feasible {
            best = best.max(total);
        }
    }
    best
}

/// Successive shortest paths with Bellman–Ford on source → seekers → hosts → sink; a path is taken while it
/// has negative cost (raises the total), so this is the maximum-score matching, not the maximum-size one.
fn successive_shortest_paths(instance: &Instance) -> u64 {
    #[derive(Clone, Copy)]
    struct Arc {
        to: usize,
        capacity: i64,
        cost: i64,
    }
    let seekers = instance.seeker_count();
    let hosts = instance.host_count();
    let source = seekers + hosts;
    let sink = source + 1;
    let mut arcs: Vec<Arc> = Vec::new();
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); sink + 1];
    let mut add = |from: usize, to: usize, capacity: i64, cost: i64| {
        out[from].push(arcs.len());
        arcs.push(Arc { to, capacity, cost });
        out[to].push(arcs.len());
        arcs.push(Arc { to: from, capacity: 0, cost: -cost });
    };
    for (seeker, &demand) in instance.demands().iter().enumerate() {
        add(source, seeker, i64::from(demand), 0);
    }
    for (host, &capacity) in instance.capacities().iter().enumerate() {
        add(seekers + host, sink, i64::from(capacity), 0);
    }
    for pair in instance.allowed_pairs() {
        add(pair.seeker as usize, seekers + pair.host as usize, 1, -i64::from(pair.score));
    }
    let mut total = 0;
    loop {
        let mut distance = vec![i64::MAX; sink + 1];
        let mut via = vec![usize::MAX; sink + 1];
        distance[source] = 0;
        for _ in 0..=sink {
            let mut changed = false;
            for node in 0..=sink {
                if distance[node] == i64::MAX {
                    continue;
                }
                for &arc in &out[node] {
                    let Arc { to, capacity, cost } = arcs[arc];
                    if capacity > 0 && distance[node] + cost < distance[to] {
                        distance[to] = distance[node] + cost;
                        via[to] = arc;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        if distance[sink] >= 0 {
            return total;
        }
        let mut node = sink;
        while node != source {
            let arc = via[node];
            arcs[arc].capacity -= 1;
            arcs[arc ^ 1].capacity += 1;
            node = arcs[arc ^ 1].to;
        }
        total += (-distance[sink]) as u64;
    }
}

/// Random instances; narrow score ranges make many ties, the hard case for exactness.
fn instances(max_seekers: usize, max_hosts: usize, density: f64) -> impl Strategy<Value = Instance> {
    instances_with(max_seekers, max_hosts, density, 3, 4)
}

fn instances_with(
    max_seekers: usize,
    max_hosts: usize,
    density: f64,
    max_demand: u8,
    max_capacity: u8,
) -> impl Strategy<Value = Instance> {
    (1..=max_seekers, 1..=max_hosts, prop_oneof![Just(3u8), Just(10u8), Just(100u8)]).prop_flat_map(
        move |(seekers, hosts, top_score)| {
            let demands = proptest::collection::vec(1u8..=max_demand, seekers);
            let capacities = proptest::collection::vec(1u8..=max_capacity, hosts);
            let cells = proptest::collection::vec((proptest::bool::weighted(density), 1..=top_score), seekers * hosts);
            (demands, capacities, cells).prop_map(move |(demands, capacities, cells)| {
                let pairs = cells.iter().enumerate().filter(|(_, (on, _))| *on).map(|(cell, &(_, score))| {
                    AllowedPair { seeker: (cell / hosts) as u32, host: (cell % hosts) as u32, score }
                });
                Instance::new(demands, capacities, pairs).unwrap()
            })
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn tiny_instances_match_brute_force(instance in instances(4, 4, 0.7).prop_filter("≤ 14 pairs", |i| i.pair_count() <= 14)) {
        let solution = solve(&instance);
        prop_assert_eq!(checked(&instance, &solution), brute_force(&instance));
    }

    #[test]
    fn small_instances_match_successive_shortest_paths(instance in instances(25, 10, 0.4)) {
        let solution = solve(&instance);
        prop_assert_eq!(checked(&instance, &solution), successive_shortest_paths(&instance));
        prop_assert_eq!(&solve(&instance), &solution, "solving again gives the same answer");
    }

    #[test]
    fn larger_demands_and_capacities_match_successive_shortest_paths(
        instance in instances_with(15, 8, 0.8, 12, 12)
    ) {
        // Demands beyond what the seekers' option caches can prove exercise the full-scan path.
        let solution = solve(&instance);
        prop_assert_eq!(checked(&instance, &solution), successive_shortest_paths(&instance));
    }
}

#[test]
fn a_generated_cohort_matches_successive_shortest_paths() {
    // A few hundred seekers competing for scarce, unevenly popular hosts, as in the benchmark's generator.
    let mut state: u64 = 0x5eed;
    let mut next = |bound: u64| {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % bound
    };
    for (seekers, hosts) in [(300u32, 60u32), (200, 90)] {
        let demands: Vec<u8> = (0..seekers).map(|_| [1, 1, 1, 2, 2, 3][next(6) as usize]).collect();
        let capacities: Vec<u8> = (0..hosts).map(|_| 1 + next(8) as u8).collect();
        let mut pairs = Vec::new();
        for seeker in 0..seekers {
            let mut chosen = std::collections::BTreeSet::new();
            for _ in 0..12 {
                // Popular hosts (low ids) are drawn far more often.
                let host = (next(u64::from(hosts)) * next(u64::from(hosts)) / u64::from(hosts)) as u32;
                chosen.insert(host);
            }
            for host in chosen {
                pairs.push(AllowedPair { seeker, host, score: (20 + next(40) + next(40)) as u8 });
            }
        }
        let instance = Instance::new(demands, capacities, pairs).unwrap();
        let solution = solve(&instance);
        assert_eq!(checked(&instance, &solution), successive_shortest_paths(&instance));
    }
}

#[test]
fn the_best_total_is_not_the_most_interviews() {
    // The README's example: max score takes A–X alone (10), max cardinality would take A–Y and B–X (2).
    let pairs = [
        AllowedPair { seeker: 0, host: 0, score: 10 },
        AllowedPair { seeker: 0, host: 1, score: 1 },
        AllowedPair { seeker: 1, host: 0, score: 1 },
    ];
    let instance = Instance::new(vec![1, 1], vec![1, 1], pairs).unwrap();
    let solution = solve(&instance);
    assert_eq!(solution.pairs, vec![MatchedPair { seeker: 0, host: 0, score: 10 }]);
    assert_eq!(checked(&instance, &solution), 10);
}

#[test]
fn a_pair_is_used_at_most_once() {
    // One seeker wanting 3 interviews and one host giving 8 can still only meet once.
    let instance = Instance::new(vec![3], vec![8], [AllowedPair { seeker: 0, host: 0, score: 50 }]).unwrap();
    let solution = solve(&instance);
    assert_eq!(solution.pairs.len(), 1);
    assert_eq!(checked(&instance, &solution), 50);
}

#[test]
fn the_largest_demands_and_capacities_work() {
    // 300 seekers wanting up to 255 interviews, hosts giving up to 255: the solver's counters must not wrap.
    let mut pairs = Vec::new();
    for seeker in 0..300u32 {
        for host in 0..4u32 {
            pairs.push(AllowedPair { seeker, host, score: (1 + (seeker * 7 + host * 11) % 100) as u8 });
        }
    }
    let demands: Vec<u8> = (0..300).map(|s| if s % 2 == 0 { 255 } else { 1 }).collect();
    let instance = Instance::new(demands, vec![255, 255, 3, 255], pairs).unwrap();
    let solution = solve(&instance);
    assert_eq!(checked(&instance, &solution), successive_shortest_paths(&instance));
}

#[test]
fn empty_and_degenerate_instances() {
    let empty = Instance::new(vec![], vec![], []).unwrap();
    assert_eq!(checked(&empty, &solve(&empty)), 0);
    let no_pairs = Instance::new(vec![2, 1], vec![3], []).unwrap();
    assert_eq!(checked(&no_pairs, &solve(&no_pairs)), 0);
    // People with demand or capacity 0 take no part.
    let pairs = [AllowedPair { seeker: 0, host: 0, score: 9 }, AllowedPair { seeker: 1, host: 0, score: 7 }];
    let idle = Instance::new(vec![0, 1], vec![1], pairs).unwrap();
    let solution = solve(&idle);
    assert_eq!(solution.pairs, vec![MatchedPair { seeker: 1, host: 0, score: 7 }]);
    assert_eq!(checked(&idle, &solution), 7);
}

#[test]
fn the_answer_does_not_depend_on_the_order_pairs_are_given_in() {
    let mut pairs = Vec::new();
    for seeker in 0..60u32 {
        for host in 0..12u32 {
            if (seeker * 7 + host * 3) % 5 != 0 {
                pairs.push(AllowedPair { seeker, host, score: (1 + (seeker * 13 + host * 29) % 6) as u8 });
            }
        }
    }
    let demands: Vec<u8> = (0..60).map(|s| 1 + (s % 3) as u8).collect();
    let capacities: Vec<u8> = (0..12).map(|h| 1 + (h % 8) as u8).collect();
    let forward = Instance::new(demands.clone(), capacities.clone(), pairs.iter().copied()).unwrap();
    let backward = Instance::new(demands, capacities, pairs.iter().rev().copied()).unwrap();
    let solution = solve(&forward);
    assert_eq!(solve(&backward), solution);
    assert_eq!(checked(&forward, &solution), successive_shortest_paths(&forward));
}
