//! Matching profiles: seeker profiles and host backgrounds round-trip, listed hosts come with their backgrounds,
//! the pairs matching must exclude (met, declined, in touch) are found, and the directory search understands
//! the vocabulary ("JS" finds a JavaScript host).

use coffeechat_domain::{
    DeclineReason, HostBackground, HostBackgroundInput, HostProfileInput, SeekerProfile, SeekerProfileInput, Seniority,
};
use coffeechat_store::{HostSearch, PairFact, RequestChange, StoreError};

use crate::support::{at, backends, booking, host, host_with_profile, profile, request, seeker};

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn seeker_profile() -> SeekerProfile {
    SeekerProfileInput {
        target_roles: strings(&["UX researcher"]),
        target_industries: strings(&["Software"]),
        current_role: "Primary school teacher".into(),
        previous_roles: strings(&["Teaching assistant"]),
        current_employer: "Hillside School".into(),
        skills: strings(&["Interviewing"]),
        languages: strings(&["English", "Spanish"]),
        region: "Europe".into(),
        remote_ok: false,
        learn_topics: strings(&["usability testing"]),
    }
    .validate()
    .unwrap()
}

fn background() -> HostBackground {
    HostBackgroundInput {
        previous_roles: strings(&["Secondary school teacher", "Research assistant"]),
        languages: strings(&["English", "Spanish"]),
        region: "Europe".into(),
        seniority: "leadership".into(),
    }
    .validate()
    .unwrap()
}

#[tokio::test]
async fn a_seeker_profile_round_trips_and_can_be_replaced() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let sam = seeker(&*store, "sam@example.org").await;
        assert_eq!(store.seeker_profile(sam.id).await.unwrap(), None);
        let first = seeker_profile();
        store.put_seeker_profile(sam.id, &first, at("2030-03-01T09:00:00Z")).await.unwrap();
        assert_eq!(store.seeker_profile(sam.id).await.unwrap(), Some(first.clone()));

        let second = SeekerProfile { remote_ok: true, skills: vec![], region: String::new(), ..first };
        store.put_seeker_profile(sam.id, &second, at("2030-03-02T09:00:00Z")).await.unwrap();
        assert_eq!(store.seeker_profile(sam.id).await.unwrap(), Some(second.clone()));

        let other = seeker(&*store, "ola@example.org").await;
        let profiles = store.seeker_profiles(&[other.id, sam.id]).await.unwrap();
        assert_eq!(profiles, [(sam.id, second)]);
        assert!(store.seeker_profiles(&[]).await.unwrap().is_empty());

        let nobody = coffeechat_domain::AccountId(999_999);
        let missing = store.put_seeker_profile(nobody, &seeker_profile(), at("2030-03-02T09:00:00Z")).await;
        assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
    }
}

#[tokio::test]
async fn a_host_background_round_trips_and_comes_with_listed_hosts() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let nina = host(&*store, "nina-ux").await;
        let omar = host(&*store, "omar-bank").await;
        assert_eq!(store.host_background(nina.id).await.unwrap(), Some(HostBackground::default()));
        store.put_host_background(nina.id, &background()).await.unwrap();
        assert_eq!(store.host_background(nina.id).await.unwrap(), Some(background()));
        assert_eq!(store.host_background(nina.id).await.unwrap().unwrap().seniority, Seniority::Leadership);

        // Saving the public profile again leaves the background alone.
        store.put_host_profile(nina.id, &profile("nina-ux", "Nina", "Software", &["User research"])).await.unwrap();
        assert_eq!(store.host_background(nina.id).await.unwrap(), Some(background()));

        let sam = seeker(&*store, "sam@example.org").await;
        assert_eq!(store.host_background(sam.id).await.unwrap(), None);
        assert!(matches!(store.put_host_background(sam.id, &background()).await, Err(StoreError::NotFound)));

        let all = store.matching_hosts(None).await.unwrap();
        let listed: Vec<_> = all.iter().map(|m| (m.host.account_id, m.background.clone())).collect();
        assert_eq!(listed, [(nina.id, background()), (omar.id, HostBackground::default())]);
        assert_eq!(all[0].host.profile.skills, ["User research"]);
        let only = store.matching_hosts(Some(&[omar.id, sam.id])).await.unwrap();
        assert_eq!(only.iter().map(|m| m.host.account_id).collect::<Vec<_>>(), [omar.id]);
        assert!(store.matching_hosts(Some(&[])).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn met_declined_and_open_pairs_are_found_per_seeker() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let (met, declined, pending, upcoming, untouched) = (
            host(&*store, "met-host").await,
            host(&*store, "declined-host").await,
            host(&*store, "pending-host").await,
            host(&*store, "upcoming-host").await,
            host(&*store, "untouched-host").await,
        );
        let sam = seeker(&*store, "sam@example.org").await;
        let ola = seeker(&*store, "ola@example.org").await;
        let sent = at("2030-02-20T09:00:00Z");

        // Met: an interview that started before "now" (2030-03-10).
        let asked = request(&*store, sam.id, met.id, &[at("2030-03-04T12:30:00Z")], sent).await;
        store.accept_request(booking(asked.id, at("2030-03-04T12:30:00Z"), 0, 5)).await.unwrap();
        // Upcoming: an interview after "now".
        let later = request(&*store, sam.id, upcoming.id, &[at("2030-03-18T12:30:00Z")], sent).await;
        store.accept_request(booking(later.id, at("2030-03-18T12:30:00Z"), 0, 5)).await.unwrap();
        // A cancelled meeting is no meeting.
        let cancelled = request(&*store, ola.id, met.id, &[at("2030-03-05T12:30:00Z")], sent).await;
        let interview = store.accept_request(booking(cancelled.id, at("2030-03-05T12:30:00Z"), 0, 5)).await.unwrap();
        store.cancel_interview(interview.id, ola.id, "Sick", at("2030-03-01T09:00:00Z")).await.unwrap();
        // Declined, and a withdrawn request that says nothing.
        let refused = request(&*store, sam.id, declined.id, &[at("2030-03-06T12:30:00Z")], sent).await;
        let decline = RequestChange::Decline { reason: DeclineReason::NotMyArea, message: String::new() };
        store.change_request(refused.id, decline, at("2030-02-21T09:00:00Z")).await.unwrap();
        let withdrawn = request(&*store, sam.id, untouched.id, &[at("2030-03-06T12:30:00Z")], sent).await;
        store.change_request(withdrawn.id, RequestChange::Withdraw, sent).await.unwrap();
        // Pending.
        request(&*store, sam.id, pending.id, &[at("2030-03-20T12:30:00Z")], sent).await;

        let now = at("2030-03-10T00:00:00Z");
        let seekers = [sam.id, ola.id];
        let pair =
            |host: &coffeechat_store::Account, when: &str| PairFact { seeker: sam.id, host: host.id, at: at(when) };
        assert_eq!(store.met_pairs(&seekers, now).await.unwrap(), [pair(&met, "2030-03-04T12:30:00Z")]);
        assert_eq!(store.declined_pairs(&seekers).await.unwrap(), [pair(&declined, "2030-02-21T09:00:00Z")]);
        let mut open = store.open_pairs(&seekers, now).await.unwrap();
        open.sort_by_key(|fact| fact.host);
        let mut expected = vec![pair(&pending, "2030-02-20T09:00:00Z"), pair(&upcoming, "2030-02-20T09:00:00Z")];
        expected.sort_by_key(|fact| fact.host);
        assert_eq!(open, expected);
        assert!(store.met_pairs(&[ola.id], now).await.unwrap().is_empty());
        assert!(store.met_pairs(&[], now).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn the_directory_search_understands_synonyms_and_earlier_roles() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let js = HostProfileInput {
            role: "Frontend engineer".into(),
            ..HostProfileInput::from(&profile("jo-frontend", "Jo Park", "Software", &["JavaScript", "CSS"]))
        };
        host_with_profile(&*store, "jo-frontend", js.validate().unwrap()).await;
        let pm = HostProfileInput {
            role: "Senior product manager".into(),
            ..HostProfileInput::from(&profile("pat-product", "Pat Kim", "Software", &["Roadmapping"]))
        };
        let pat = host_with_profile(&*store, "pat-product", pm.validate().unwrap()).await;
        host(&*store, "rust-only").await;
        let text = |query: &str| HostSearch { text: Some(query.into()), ..HostSearch::default() };
        let handles = |hosts: Vec<coffeechat_store::Host>| {
            hosts.into_iter().map(|host| host.profile.handle.as_str().to_owned()).collect::<Vec<_>>()
        };

        assert_eq!(handles(store.search_hosts(&text("JS")).await.unwrap()), ["jo-frontend"]);
        assert_eq!(handles(store.search_hosts(&text("ecmascript")).await.unwrap()), ["jo-frontend"]);
        assert_eq!(handles(store.search_hosts(&text("PM")).await.unwrap()), ["pat-product"]);
        assert_eq!(handles(store.search_hosts(&text("product management")).await.unwrap()), ["pat-product"]);
        // The typed word stays a prefix; synonyms are whole words.
        assert_eq!(handles(store.search_hosts(&text("javascr")).await.unwrap()), ["jo-frontend"]);
        assert!(store.search_hosts(&text("JS roadmapping")).await.unwrap().is_empty());

        // Earlier roles are searchable once the background is saved.
        assert!(store.search_hosts(&text("teacher")).await.unwrap().is_empty());
        store.put_host_background(pat.id, &background()).await.unwrap();
        assert_eq!(handles(store.search_hosts(&text("teaching")).await.unwrap()), ["pat-product"]);
        assert_eq!(handles(store.search_hosts(&text("secondary teacher")).await.unwrap()), ["pat-product"]);
    }
}
