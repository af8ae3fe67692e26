//! Host profiles and policies, and the directory: text search, filters, ranking.

use coffeechat_domain::{AccountId, Handle, HostProfileInput};
use coffeechat_store::{HostSearch, StoreError};

use crate::support::{backends, host, host_with_profile, new_account, policy, profile, seeker};

fn text(query: &str) -> HostSearch {
    HostSearch { text: Some(query.into()), ..HostSearch::default() }
}

fn handles(hosts: &[coffeechat_store::Host]) -> Vec<&str> {
    hosts.iter().map(|host| host.profile.handle.as_str()).collect()
}

#[tokio::test]
async fn a_profile_and_a_policy_round_trip_and_can_be_replaced() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let priya = host(&*store, "priya-data").await;
        assert_eq!(store.host_policy(priya.id).await.unwrap(), None);

        let mut edited = profile("priya-data", "Priya Raman", "Healthcare", &["SQL", "Statistics"]);
        edited.career_path = "Teacher, analyst, then data scientist.".into();
        store.put_host_profile(priya.id, &edited).await.unwrap();
        assert_eq!(store.host_profile(priya.id).await.unwrap(), Some(edited.clone()));

        let first = policy(4, 10);
        store.put_host_policy(priya.id, &first).await.unwrap();
        assert_eq!(store.host_policy(priya.id).await.unwrap(), Some(first));
        let second = policy(12, 0);
        store.put_host_policy(priya.id, &second).await.unwrap();
        assert_eq!(store.host_policy(priya.id).await.unwrap(), Some(second.clone()));

        let found = store.host_by_handle(&Handle::parse("Priya-Data").unwrap()).await.unwrap().unwrap();
        assert_eq!(found.account_id, priya.id);
        assert_eq!(found.profile, edited);
        assert_eq!(found.policy, Some(second));
    }
}

#[tokio::test]
async fn the_finer_scheduling_rules_round_trip() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let host_account = host(&*store, "finer-rules").await;
        let mut rules = policy(8, 5);
        rules.daily_cap = Some(2);
        rules.weekly_cap = Some(5);
        rules.week_start = coffeechat_domain::Weekday::Sun;
        rules.slot_increment_minutes = Some(15);
        rules.hold_hours = 72;
        rules.count_pending = true;
        rules.reschedule_notice_hours = 6;
        store.put_host_policy(host_account.id, &rules).await.unwrap();
        assert_eq!(store.host_policy(host_account.id).await.unwrap(), Some(rules.clone()));
        let found = store.host_by_handle(&Handle::parse("finer-rules").unwrap()).await.unwrap().unwrap();
        assert_eq!(found.policy, Some(rules));
    }
}

#[tokio::test]
async fn a_host_without_a_policy_is_found_with_none() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        host(&*store, "no-policy").await;
        let found = store.host_by_handle(&Handle::parse("no-policy").unwrap()).await.unwrap().unwrap();
        assert_eq!(found.policy, None);
        assert!(store.host_by_handle(&Handle::parse("nobody-here").unwrap()).await.unwrap().is_none());
    }
}

#[tokio::test]
async fn a_handle_belongs_to_one_host_and_the_owner_may_keep_it() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let first = host(&*store, "taken-handle").await;
        let second = host(&*store, "other-handle").await;

        let steal = profile("taken-handle", "Someone Else", "Retail", &[]);
        let result = store.put_host_profile(second.id, &steal).await;
        assert!(matches!(result, Err(StoreError::Taken { field: "handle" })), "{result:?}");
        assert_eq!(store.host_profile(second.id).await.unwrap().unwrap().handle.as_str(), "other-handle");

        // Saving one's own profile again with the same handle is an update, not a clash.
        let renamed = profile("taken-handle", "New Name", "Software", &["Rust"]);
        store.put_host_profile(first.id, &renamed).await.unwrap();
        assert_eq!(store.host_profile(first.id).await.unwrap().unwrap().name, "New Name");
    }
}

#[tokio::test]
async fn a_profile_or_policy_for_a_missing_account_is_not_found() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let result = store.put_host_profile(AccountId(77), &profile("ghost-host", "Ghost", "None", &[])).await;
        assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
        let result = store.put_host_policy(AccountId(77), &policy(3, 0)).await;
        assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
    }
}

/// Three hosts with distinct vocabulary, for the search stories.
async fn directory(store: &dyn coffeechat_store::Store) {
    let mut nurse = profile("nina-nurse", "Nina Okafor", "Healthcare", &["Patient care", "Triage"]);
    nurse.headline = "ICU nurse turned health-tech product manager".into();
    nurse.career_path = "Ten years on the ward, then product.".into();
    host_with_profile(store, "nina-nurse", nurse).await;

    let mut data = profile("priya-data", "Priya Raman", "healthcare", &["SQL", "Statistics"]);
    data.headline = "Data scientist at a hospital group".into();
    data.career_path = "Maths teacher who learnt Python and moved into product analytics.".into();
    host_with_profile(store, "priya-data", data).await;

    let mut bank = profile("omar-bank", "Omar Haddad", "Finance", &["Risk", "sql"]);
    bank.headline = "Credit risk modeller".into();
    bank.topics = vec!["Moving from physics to finance".into()];
    host_with_profile(store, "omar-bank", bank).await;
}

#[tokio::test]
async fn without_filters_every_listed_host_comes_sorted_by_name() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        directory(&*store).await;
        // A seeker is not a host, and a host without a profile is not listed.
        seeker(&*store, "just-looking@example.org").await;
        store.create_account(new_account("shy@example.org", "Shy Host", &["host"])).await.unwrap();

        let all = store.search_hosts(&HostSearch::default()).await.unwrap();
        assert_eq!(handles(&all), ["nina-nurse", "omar-bank", "priya-data"]);
    }
}

#[tokio::test]
async fn text_search_matches_words_and_prefixes_in_any_field() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        directory(&*store).await;
        assert_eq!(handles(&store.search_hosts(&text("nurse")).await.unwrap()), ["nina-nurse"]);
        // A prefix of a word, in another case; an accent the text does not have.
        assert_eq!(handles(&store.search_hosts(&text("STATIST")).await.unwrap()), ["priya-data"]);
        assert_eq!(handles(&store.search_hosts(&text("phÿsics")).await.unwrap()), ["omar-bank"]);
        assert_eq!(handles(&store.search_hosts(&text("hospital")).await.unwrap()), ["priya-data"]);
        // Every word must match somewhere.
        assert_eq!(handles(&store.search_hosts(&text("product nurse")).await.unwrap()), ["nina-nurse"]);
        assert!(store.search_hosts(&text("nurse finance")).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn a_name_match_ranks_above_a_passing_mention() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let mut mention = profile("mentions-product", "Alex Kim", "Retail", &[]);
        mention.career_path = "Worked in many teams, once near product.".into();
        host_with_profile(&*store, "mentions-product", mention).await;
        let mut focused = profile("product-pat", "Pat Product", "Retail", &["Product discovery"]);
        focused.headline = "Product lead for product teams".into();
        host_with_profile(&*store, "product-pat", focused).await;

        let ranked = store.search_hosts(&text("product")).await.unwrap();
        assert_eq!(handles(&ranked), ["product-pat", "mentions-product"]);
    }
}

#[tokio::test]
async fn the_search_index_follows_profile_edits() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let account =
            host_with_profile(&*store, "changing-host", profile("changing-host", "Sam Lee", "Media", &[])).await;
        assert_eq!(store.search_hosts(&text("media")).await.unwrap().len(), 1);

        let input = HostProfileInput {
            industry: "Aerospace".into(),
            ..HostProfileInput::from(&profile("changing-host", "Sam Lee", "x", &[]))
        };
        store.put_host_profile(account.id, &input.validate().unwrap()).await.unwrap();
        assert!(store.search_hosts(&text("media")).await.unwrap().is_empty());
        assert_eq!(handles(&store.search_hosts(&text("aero")).await.unwrap()), ["changing-host"]);
    }
}

#[tokio::test]
async fn industry_and_skill_filters_ignore_case_and_combine_with_text() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        directory(&*store).await;
        let by_industry = HostSearch { industry: Some("HEALTHCARE".into()), ..HostSearch::default() };
        assert_eq!(handles(&store.search_hosts(&by_industry).await.unwrap()), ["nina-nurse", "priya-data"]);

        let by_skill = HostSearch { skill: Some("Sql".into()), ..HostSearch::default() };
        assert_eq!(handles(&store.search_hosts(&by_skill).await.unwrap()), ["omar-bank", "priya-data"]);
        // Skill means a whole listed skill, not a word inside one.
        let partial = HostSearch { skill: Some("Patient".into()), ..HostSearch::default() };
        assert!(store.search_hosts(&partial).await.unwrap().is_empty());

        let both = HostSearch { skill: Some("sql".into()), industry: Some("finance".into()), ..HostSearch::default() };
        assert_eq!(handles(&store.search_hosts(&both).await.unwrap()), ["omar-bank"]);
        let with_text = HostSearch { text: Some("data".into()), skill: Some("SQL".into()), ..HostSearch::default() };
        assert_eq!(handles(&store.search_hosts(&with_text).await.unwrap()), ["priya-data"]);
        // Blank filters mean "any".
        let blank = HostSearch { text: Some("  ".into()), industry: Some(" ".into()), ..HostSearch::default() };
        assert_eq!(store.search_hosts(&blank).await.unwrap().len(), 3);
    }
}

#[tokio::test]
async fn hostile_search_input_is_treated_as_plain_words() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        directory(&*store).await;
        for input in [
            "\"foo OR",
            "*",
            "nurse*",
            "NOT nurse",
            "nurse AND",
            "(nurse",
            "name:nurse",
            "NEAR(nurse product)",
            "nurse\" OR \"finance",
            "'; DROP TABLE accounts; --",
            "^nurse",
            "\u{0}",
        ] {
            let result = store.search_hosts(&text(input)).await;
            assert!(result.is_ok(), "{input:?} gave {result:?}");
        }
        // Operators are words like any other: "NOT nurse" asks for hosts mentioning both "not" and "nurse".
        assert!(store.search_hosts(&text("NOT nurse")).await.unwrap().is_empty());
        assert_eq!(handles(&store.search_hosts(&text("(nurse")).await.unwrap()), ["nina-nurse"]);
        // Nothing but punctuation is no text filter at all.
        assert_eq!(store.search_hosts(&text("*")).await.unwrap().len(), 3);
    }
}

#[tokio::test]
async fn the_limit_bounds_the_page() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        directory(&*store).await;
        let two = HostSearch { limit: 2, ..HostSearch::default() };
        assert_eq!(handles(&store.search_hosts(&two).await.unwrap()), ["nina-nurse", "omar-bank"]);
        let one = HostSearch { text: Some("healthcare".into()), limit: 1, ..HostSearch::default() };
        assert_eq!(store.search_hosts(&one).await.unwrap().len(), 1);
    }
}

#[tokio::test]
async fn industries_are_listed_once_each_in_order() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        assert!(store.industries().await.unwrap().is_empty());
        directory(&*store).await;
        assert_eq!(store.industries().await.unwrap(), ["Finance", "Healthcare"]);
    }
}
