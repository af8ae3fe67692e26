//! Date overrides: stored per host, never two sharing a date, found by date range, deleted only by their host.

use coffeechat_domain::{DateOverride, OverrideInput, TimeRangeInput};
use coffeechat_store::{AddedOverride, OverrideId, OverrideRecord};
use jiff::civil::date;

use crate::support::{at, backends, host};

fn day_off(from: &str, to: &str) -> DateOverride {
    OverrideInput { from: from.into(), to: to.into(), windows: vec![] }.validate().unwrap()
}

fn hours(on: &str, windows: &[(&str, &str)]) -> DateOverride {
    let windows =
        windows.iter().map(|(start, end)| TimeRangeInput { start: (*start).into(), end: (*end).into() }).collect();
    OverrideInput { from: on.into(), to: String::new(), windows }.validate().unwrap()
}

fn added(result: AddedOverride) -> OverrideRecord {
    match result {
        AddedOverride::Added(record) => record,
        AddedOverride::Overlaps(other) => panic!("unexpected overlap with {other:?}"),
    }
}

#[tokio::test]
async fn overrides_are_stored_listed_by_date_and_read_back_whole() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let priya = host(&*store, "priya-data").await;
        let christmas = day_off("2030-12-24", "2031-01-02");
        let late_day = hours("2030-12-10", &[("17:00", "18:00"), ("07:00", "07:45")]);
        let created = at("2030-11-01T10:00:00Z");

        let holiday = added(store.add_override(priya.id, &christmas, created).await.unwrap());
        let special = added(store.add_override(priya.id, &late_day, created).await.unwrap());
        assert_eq!((holiday.host_id, holiday.created_at), (priya.id, created));
        assert_ne!(holiday.id, special.id);

        let all = store.overrides(priya.id).await.unwrap();
        assert_eq!(all, vec![special.clone(), holiday.clone()], "by first date");
        assert_eq!(all[0].date_override.windows[0].start_text(), "07:00", "windows come back sorted");
        assert!(all[1].date_override.is_day_off());

        // A range sees the overrides covering any of its dates, including one that starts before it.
        let new_year = store.overrides_between(priya.id, date(2031, 1, 1), date(2031, 1, 31)).await.unwrap();
        assert_eq!(new_year, vec![christmas.clone()]);
        let december = store.overrides_between(priya.id, date(2030, 12, 1), date(2030, 12, 24)).await.unwrap();
        assert_eq!(december, vec![late_day.clone(), christmas.clone()]);
        assert!(store.overrides_between(priya.id, date(2030, 12, 11), date(2030, 12, 23)).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn an_override_sharing_a_date_with_another_is_refused_naming_the_first_one() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let priya = host(&*store, "priya-data").await;
        let created = at("2030-11-01T10:00:00Z");
        let trip = added(store.add_override(priya.id, &day_off("2030-12-01", "2030-12-05"), created).await.unwrap());
        let later = added(store.add_override(priya.id, &day_off("2030-12-08", "2030-12-09"), created).await.unwrap());

        // Touching both: the earlier one is named.
        let result = store.add_override(priya.id, &day_off("2030-12-05", "2030-12-08"), created).await.unwrap();
        assert_eq!(result, AddedOverride::Overlaps(trip.clone()));
        // Same single date.
        let result = store.add_override(priya.id, &hours("2030-12-09", &[("09:00", "10:00")]), created).await.unwrap();
        assert_eq!(result, AddedOverride::Overlaps(later));
        // Adjacent dates are fine, and another host's dates never clash.
        added(store.add_override(priya.id, &day_off("2030-12-06", "2030-12-07"), created).await.unwrap());
        let omar = host(&*store, "omar-bank").await;
        added(store.add_override(omar.id, &day_off("2030-12-01", "2030-12-31"), created).await.unwrap());
        assert_eq!(store.overrides(priya.id).await.unwrap().len(), 3);
    }
}

#[tokio::test]
async fn overrides_of_many_hosts_come_in_one_call() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let priya = host(&*store, "priya-data").await;
        let omar = host(&*store, "omar-bank").await;
        let lena = host(&*store, "lena-law").await;
        let created = at("2030-11-01T10:00:00Z");
        added(store.add_override(priya.id, &day_off("2030-12-01", "2030-12-01"), created).await.unwrap());
        added(store.add_override(omar.id, &day_off("2030-12-02", "2030-12-03"), created).await.unwrap());
        added(store.add_override(lena.id, &day_off("2031-02-01", "2031-02-01"), created).await.unwrap());

        let found = store
            .overrides_for_hosts(&[priya.id, omar.id, lena.id], date(2030, 12, 1), date(2030, 12, 31))
            .await
            .unwrap();
        let hosts: Vec<_> = found.iter().map(|(host, _)| *host).collect();
        assert_eq!(hosts, vec![priya.id, omar.id]);
        assert!(store.overrides_for_hosts(&[], date(2030, 12, 1), date(2030, 12, 31)).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn only_the_host_deletes_their_override() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let priya = host(&*store, "priya-data").await;
        let omar = host(&*store, "omar-bank").await;
        let record = added(
            store
                .add_override(priya.id, &day_off("2030-12-01", "2030-12-01"), at("2030-11-01T10:00:00Z"))
                .await
                .unwrap(),
        );

        assert!(!store.delete_override(omar.id, record.id).await.unwrap(), "not Omar's");
        assert_eq!(store.overrides(priya.id).await.unwrap().len(), 1);
        assert!(store.delete_override(priya.id, record.id).await.unwrap());
        assert!(store.overrides(priya.id).await.unwrap().is_empty());
        assert!(!store.delete_override(priya.id, record.id).await.unwrap(), "already gone");
        assert!(!store.delete_override(priya.id, OverrideId(9999)).await.unwrap());
    }
}

#[tokio::test]
async fn an_override_for_a_missing_account_is_not_found() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let result = store
            .add_override(
                coffeechat_domain::AccountId(4242),
                &day_off("2030-12-01", "2030-12-01"),
                at("2030-11-01T10:00:00Z"),
            )
            .await;
        assert!(matches!(result, Err(coffeechat_store::StoreError::NotFound)), "{result:?}");
    }
}
