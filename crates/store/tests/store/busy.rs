//! Busy calendars: adding, listing, import attempts replacing (or keeping) blocks, claiming due feeds.

use coffeechat_domain::AccountId;
use coffeechat_store::{
    BusyBlock, BusyCalendarKind, BusyCalendarSource, ImportAttempt, ImportOutcome, ImportStatus, NewBusyCalendar,
    StoreError,
};

use crate::support::{at, backends, host, minutes};

fn feed(host: AccountId, name: &str, next: &str) -> NewBusyCalendar {
    NewBusyCalendar {
        host_id: host,
        name: name.into(),
        source: BusyCalendarSource::Feed { url: format!("https://calendar.example.org/{name}.ics") },
        next_fetch_at: at(next),
        created_at: at("2030-03-01T08:00:00Z"),
    }
}

fn block(start: &str, length_minutes: i64) -> BusyBlock {
    BusyBlock { start: at(start), end: at(start) + minutes(length_minutes) }
}

fn imported(blocks: Vec<BusyBlock>, etag: Option<&str>) -> ImportAttempt {
    ImportAttempt {
        outcome: ImportOutcome::Imported { blocks, etag: etag.map(str::to_owned), last_modified: None },
        at: at("2030-03-01T09:00:00Z"),
        next_fetch_at: at("2030-03-01T09:30:00Z"),
    }
}

#[tokio::test]
async fn an_upload_keeps_its_text_and_a_feed_its_url() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let ada = host(&*store, "ada").await;
        let upload = store
            .add_busy_calendar(NewBusyCalendar {
                host_id: ada.id,
                name: "Work export".into(),
                source: BusyCalendarSource::Upload { text: "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".into() },
                next_fetch_at: at("2030-03-02T08:00:00Z"),
                created_at: at("2030-03-01T08:00:00Z"),
            })
            .await
            .unwrap();
        assert_eq!(upload.kind, BusyCalendarKind::Upload);
        assert_eq!(upload.url, None);
        assert_eq!(upload.last_status, None);
        assert_eq!(upload.blocks, 0);
        assert_eq!(
            store.busy_calendar_text(upload.id).await.unwrap().as_deref(),
            Some("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
        );

        let feed = store.add_busy_calendar(feed(ada.id, "team", "2030-03-01T08:00:00Z")).await.unwrap();
        assert_eq!(feed.kind, BusyCalendarKind::Feed);
        assert_eq!(feed.url.as_deref(), Some("https://calendar.example.org/team.ics"));
        assert_eq!(store.busy_calendar_text(feed.id).await.unwrap(), None);

        let listed = store.busy_calendars(ada.id).await.unwrap();
        assert_eq!(listed.iter().map(|calendar| calendar.id).collect::<Vec<_>>(), [upload.id, feed.id]);
        assert_eq!(store.busy_calendar(feed.id).await.unwrap(), Some(feed));

        // A host that does not exist cannot own a calendar.
        let orphan = store.add_busy_calendar(self::feed(AccountId(9999), "x", "2030-03-01T08:00:00Z")).await;
        assert!(matches!(orphan, Err(StoreError::NotFound)), "{orphan:?}");
    }
}

#[tokio::test]
async fn a_successful_import_replaces_the_blocks_and_a_failed_one_keeps_them() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let ada = host(&*store, "ada").await;
        let calendar = store.add_busy_calendar(feed(ada.id, "team", "2030-03-01T08:00:00Z")).await.unwrap();

        let first = vec![block("2030-03-04T09:00:00Z", 60), block("2030-03-05T09:00:00Z", 30)];
        let recorded = store.record_busy_import(calendar.id, imported(first.clone(), Some("\"v1\""))).await.unwrap();
        assert_eq!(recorded.last_status, Some(ImportStatus::Ok));
        assert_eq!(recorded.blocks, 2);
        assert_eq!(recorded.etag.as_deref(), Some("\"v1\""));
        assert_eq!(recorded.last_fetched_at, Some(at("2030-03-01T09:00:00Z")));
        assert_eq!(recorded.next_fetch_at, at("2030-03-01T09:30:00Z"));
        let range = (at("2030-03-01T00:00:00Z"), at("2030-04-01T00:00:00Z"));
        assert_eq!(store.busy_blocks(ada.id, range.0, range.1).await.unwrap(), first);

        // A failure records the error and counts it; the blocks stay.
        let failed = ImportAttempt {
            outcome: ImportOutcome::Failed { error: "the server answered 500 Internal Server Error".into() },
            at: at("2030-03-01T09:30:00Z"),
            next_fetch_at: at("2030-03-01T10:30:00Z"),
        };
        let recorded = store.record_busy_import(calendar.id, failed.clone()).await.unwrap();
        assert_eq!(recorded.last_status, Some(ImportStatus::Error));
        assert_eq!(recorded.last_error.as_deref(), Some("the server answered 500 Internal Server Error"));
        assert_eq!(recorded.consecutive_failures, 1);
        assert_eq!(recorded.etag.as_deref(), Some("\"v1\""), "validators survive a failure");
        assert_eq!(store.record_busy_import(calendar.id, failed).await.unwrap().consecutive_failures, 2);
        assert_eq!(store.busy_blocks(ada.id, range.0, range.1).await.unwrap(), first);

        // Not modified: a success that keeps the blocks.
        let unchanged = ImportAttempt {
            outcome: ImportOutcome::NotModified,
            at: at("2030-03-01T11:00:00Z"),
            next_fetch_at: at("2030-03-01T11:30:00Z"),
        };
        let recorded = store.record_busy_import(calendar.id, unchanged).await.unwrap();
        assert_eq!(
            (recorded.last_status, recorded.last_error, recorded.consecutive_failures),
            (Some(ImportStatus::Ok), None, 0)
        );
        assert_eq!(recorded.blocks, 2);

        // The next import replaces every block, including with none at all.
        let second = vec![block("2030-03-06T14:00:00Z", 45)];
        store.record_busy_import(calendar.id, imported(second.clone(), None)).await.unwrap();
        assert_eq!(store.busy_blocks(ada.id, range.0, range.1).await.unwrap(), second);
        let emptied = store.record_busy_import(calendar.id, imported(Vec::new(), None)).await.unwrap();
        assert_eq!((emptied.blocks, emptied.etag), (0, None));
        assert!(store.busy_blocks(ada.id, range.0, range.1).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn blocks_are_read_across_a_hosts_calendars_and_per_host() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let ada = host(&*store, "ada").await;
        let bob = host(&*store, "bob").await;
        let work = store.add_busy_calendar(feed(ada.id, "work", "2030-03-01T08:00:00Z")).await.unwrap();
        let home = store.add_busy_calendar(feed(ada.id, "home", "2030-03-01T08:00:00Z")).await.unwrap();
        let bobs = store.add_busy_calendar(feed(bob.id, "bobs", "2030-03-01T08:00:00Z")).await.unwrap();
        store.record_busy_import(work.id, imported(vec![block("2030-03-04T09:00:00Z", 60)], None)).await.unwrap();
        store
            .record_busy_import(
                home.id,
                imported(vec![block("2030-03-04T08:00:00Z", 30), block("2030-03-20T08:00:00Z", 30)], None),
            )
            .await
            .unwrap();
        store.record_busy_import(bobs.id, imported(vec![block("2030-03-04T12:00:00Z", 30)], None)).await.unwrap();

        // Overlap, not containment: a block that starts before the range but ends inside it is included.
        let blocks = store.busy_blocks(ada.id, at("2030-03-04T08:15:00Z"), at("2030-03-10T00:00:00Z")).await.unwrap();
        assert_eq!(blocks, [block("2030-03-04T08:00:00Z", 30), block("2030-03-04T09:00:00Z", 60)]);

        let both = store
            .busy_blocks_for_hosts(&[bob.id, ada.id], at("2030-03-04T00:00:00Z"), at("2030-03-05T00:00:00Z"))
            .await
            .unwrap();
        let hosts: Vec<AccountId> = both.iter().map(|(host, _)| *host).collect();
        assert_eq!(hosts, [ada.id, ada.id, bob.id]);
        assert!(
            store
                .busy_blocks_for_hosts(&[], at("2030-03-04T00:00:00Z"), at("2030-03-05T00:00:00Z"))
                .await
                .unwrap()
                .is_empty()
        );

        // Deleting a calendar takes its blocks with it; only its owner can delete it.
        assert!(!store.delete_busy_calendar(bob.id, home.id).await.unwrap());
        assert!(store.delete_busy_calendar(ada.id, home.id).await.unwrap());
        assert!(!store.delete_busy_calendar(ada.id, home.id).await.unwrap());
        let left = store.busy_blocks(ada.id, at("2030-03-01T00:00:00Z"), at("2030-04-01T00:00:00Z")).await.unwrap();
        assert_eq!(left, [block("2030-03-04T09:00:00Z", 60)]);
        // Recording an import for a deleted calendar is refused, not silently resurrected.
        let late = store.record_busy_import(home.id, imported(vec![block("2030-03-04T08:00:00Z", 30)], None)).await;
        assert!(matches!(late, Err(StoreError::NotFound)), "{late:?}");
    }
}

#[tokio::test]
async fn due_calendars_are_claimed_once() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let ada = host(&*store, "ada").await;
        let due = store.add_busy_calendar(feed(ada.id, "due", "2030-03-01T08:00:00Z")).await.unwrap();
        let also_due = store.add_busy_calendar(feed(ada.id, "also-due", "2030-03-01T08:59:00Z")).await.unwrap();
        store.add_busy_calendar(feed(ada.id, "later", "2030-03-01T10:00:00Z")).await.unwrap();

        let now = at("2030-03-01T09:00:00Z");
        let lease = at("2030-03-01T09:10:00Z");
        let claimed = store.claim_due_busy_calendars(now, lease, 10).await.unwrap();
        assert_eq!(claimed.iter().map(|calendar| calendar.id).collect::<Vec<_>>(), [due.id, also_due.id]);
        assert!(claimed.iter().all(|calendar| calendar.next_fetch_at == lease));
        // A second worker at the same moment finds nothing left to do.
        assert!(store.claim_due_busy_calendars(now, lease, 10).await.unwrap().is_empty());
        // The limit is respected, earliest first, once the lease runs out.
        let after_lease = store.claim_due_busy_calendars(lease, at("2030-03-01T09:20:00Z"), 1).await.unwrap();
        assert_eq!(after_lease.len(), 1);
    }
}
