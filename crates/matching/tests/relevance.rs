//! Relevance over random profiles: always in `1..=100`, deterministic, and blind to the order of every list.

use coffeechat_matching::{HostFacts, SeekerFacts, Vocabulary, relevance, same_employer};
use proptest::prelude::*;

/// Names drawn partly from the vocabulary (with their synonyms) so that components actually fire.
const NAMES: &[&str] = &[
    "JS",
    "JavaScript",
    "PM",
    "product manager",
    "teacher",
    "Secondary school teacher",
    "data scientist",
    "Senior data scientist",
    "SQL",
    "stats",
    "statistics",
    "Spanish",
    "Español",
    "English",
    "Europe",
    "EU",
    "nurse",
    "ICU nurse",
    "Software",
    "tech",
    "Healthcare",
    "UX researcher",
    "user research",
    "usability testing",
    "Python",
    "",
    "  ",
    "Florist",
    "C++",
    "c#",
];

fn name() -> impl Strategy<Value = String> {
    prop::sample::select(NAMES).prop_map(str::to_owned)
}

fn names() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(name(), 0..5)
}

fn seeker() -> impl Strategy<Value = SeekerFacts> {
    ((names(), names(), name(), names(), name()), (names(), names(), name(), any::<bool>(), names(), 0u32..10))
        .prop_map(
            |(
                (target_roles, target_industries, current_role, previous_roles, current_employer),
                (skills, languages, region, remote_ok, learn_topics, interviews_had),
            )| SeekerFacts {
                target_roles,
                target_industries,
                current_role,
                previous_roles,
                current_employer,
                skills,
                languages,
                region,
                remote_ok,
                learn_topics,
                interviews_had,
            },
        )
}

fn host() -> impl Strategy<Value = HostFacts> {
    ((name(), names(), name(), name(), names()), (names(), names(), name(), name())).prop_map(
        |((current_role, previous_roles, industry, employer, skills), (topics, languages, region, seniority))| {
            HostFacts { current_role, previous_roles, industry, employer, skills, topics, languages, region, seniority }
        },
    )
}

fn reversed(mut list: Vec<String>) -> Vec<String> {
    list.reverse();
    list
}

proptest! {
    #[test]
    fn scores_stay_in_range_and_repeat(seeker in seeker(), host in host()) {
        let vocab = Vocabulary::standard();
        let first = relevance(&seeker, &host, vocab);
        prop_assert!((1..=100).contains(&first.score));
        prop_assert_eq!(&first, &relevance(&seeker, &host, vocab));
        prop_assert_eq!(same_employer(&seeker, &host, vocab), same_employer(&seeker, &host, vocab));
    }

    #[test]
    fn the_order_of_lists_changes_nothing(seeker in seeker(), host in host()) {
        let vocab = Vocabulary::standard();
        let shuffled_seeker = SeekerFacts {
            target_roles: reversed(seeker.target_roles.clone()),
            target_industries: reversed(seeker.target_industries.clone()),
            previous_roles: reversed(seeker.previous_roles.clone()),
            skills: reversed(seeker.skills.clone()),
            languages: reversed(seeker.languages.clone()),
            learn_topics: reversed(seeker.learn_topics.clone()),
            ..seeker.clone()
        };
        let shuffled_host = HostFacts {
            previous_roles: reversed(host.previous_roles.clone()),
            skills: reversed(host.skills.clone()),
            topics: reversed(host.topics.clone()),
            languages: reversed(host.languages.clone()),
            ..host.clone()
        };
        prop_assert_eq!(relevance(&seeker, &host, vocab), relevance(&shuffled_seeker, &shuffled_host, vocab));
    }

    #[test]
    fn normalising_twice_changes_nothing(text in "[A-Za-z+#./ -]{0,40}") {
        let vocab = Vocabulary::standard();
        let once = vocab.normalise(&text);
        prop_assert_eq!(vocab.normalise(&once), once);
    }
}
