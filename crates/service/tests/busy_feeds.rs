//! Busy calendars end to end: uploads, feed URLs checked before anything is fetched, and feeds fetched from a
//! tiny HTTP server started by the test on 127.0.0.1 — conditional requests (ETag → 304), size limit, timeout,
//! non-calendar answers, redirects, and the rule that a failed import keeps the previous blocks.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod support;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use coffeechat_domain::{HostProfileInput, PolicyInput};
use coffeechat_service::{
    Account, BusyCalendarRecord, BusyFeedSettings, FixedClock, ImportStatus, ServiceError, Services, SlotQuery,
};
use coffeechat_store::Store;
use jiff::{SignedDuration, Timestamp};
use support::{Fresh, NOW, sign_up_input, ts, window};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

// ---------------------------------------------------------------------------------------------------------
// A tiny HTTP/1.1 server: one answer per path, changeable while the test runs; every request is logged.

#[derive(Debug, Clone)]
enum Answer {
    /// 200 with this body and ETag; 304 when the request's If-None-Match is that ETag.
    Calendar {
        body: String,
        etag: &'static str,
    },
    /// 200 with a body of this many bytes and no Content-Length (read until the connection closes).
    Endless(usize),
    /// 200 with a Content-Length header announcing this many bytes.
    Announced(usize),
    /// Waits this long before answering.
    Slow(Duration),
    /// 200 with this body, whatever it is.
    Text(&'static str),
    Status(u16),
    Redirect(String),
}

#[derive(Debug, Default)]
struct ServerState {
    answers: HashMap<String, Answer>,
    /// (path, If-None-Match) of every request, in order.
    requests: Vec<(String, Option<String>)>,
}

#[derive(Debug, Clone)]
struct FeedServer {
    address: SocketAddr,
    state: Arc<Mutex<ServerState>>,
}

impl FeedServer {
    async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let state: Arc<Mutex<ServerState>> = Arc::default();
        let shared = state.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(serve(socket, shared.clone()));
            }
        });
        Self { address, state }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    fn answer(&self, path: &str, answer: Answer) {
        self.state.lock().unwrap().answers.insert(path.to_owned(), answer);
    }

    fn requests(&self) -> Vec<(String, Option<String>)> {
        self.state.lock().unwrap().requests.clone()
    }
}

async fn serve(mut socket: tokio::net::TcpStream, state: Arc<Mutex<ServerState>>) {
    let mut head = Vec::new();
    let mut buffer = [0u8; 1024];
    while !head.windows(4).any(|window| window == b"\r\n\r\n") && head.len() < 16 * 1024 {
        match socket.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(read) => head.extend_from_slice(&buffer[..read]),
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let if_none_match = head
        .lines()
        .find_map(|line| line.split_once(':').filter(|(name, _)| name.eq_ignore_ascii_case("if-none-match")))
        .map(|(_, value)| value.trim().to_owned());
    let answer = {
        let mut state = state.lock().unwrap();
        state.requests.push((path.clone(), if_none_match.clone()));
        state.answers.get(&path).cloned().unwrap_or(Answer::Status(404))
    };
    let response = match answer {
        Answer::Calendar { etag, .. } if if_none_match.as_deref() == Some(etag) => {
            format!("HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\nConnection: close\r\n\r\n").into_bytes()
        }
        Answer::Calendar { body, etag } => format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/calendar; charset=utf-8\r\nETag: {etag}\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
        Answer::Endless(size) => {
            let _ =
                socket.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nConnection: close\r\n\r\n").await;
            let chunk = vec![b'A'; 64 * 1024];
            let mut sent = 0;
            while sent < size {
                if socket.write_all(&chunk).await.is_err() {
                    return;
                }
                sent += chunk.len();
            }
            return;
        }
        Answer::Announced(size) => {
            format!("HTTP/1.1 200 OK\r\nContent-Length: {size}\r\nConnection: close\r\n\r\nBEGIN:VCALENDAR\r\n")
                .into_bytes()
        }
        Answer::Slow(delay) => {
            tokio::time::sleep(delay).await;
            b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec()
        }
        Answer::Text(body) => format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
        Answer::Status(code) => {
            format!("HTTP/1.1 {code} Oops\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").into_bytes()
        }
        Answer::Redirect(location) => {
            format!("HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .into_bytes()
        }
    };
    let _ = socket.write_all(&response).await;
    let _ = socket.shutdown().await;
}

// ---------------------------------------------------------------------------------------------------------
// The services on a fresh database, with a UTC host whose Monday window is 09:00–12:00.

struct World {
    services: Services,
    clock: Arc<FixedClock>,
    store: Arc<dyn Store>,
    _dir: tempfile::TempDir,
}

impl World {
    async fn new(settings: BusyFeedSettings) -> Self {
        let fresh = Fresh::new().await;
        let services = fresh.services().with_busy_feed_settings(settings);
        Self { services, clock: fresh.clock, store: fresh.store, _dir: fresh.dir }
    }

    /// Loopback allowed (the feed server is on 127.0.0.1), fetches limited to one second.
    async fn for_feeds() -> Self {
        Self::new(BusyFeedSettings { allow_loopback: true, timeout: Duration::from_secs(1) }).await
    }

    async fn host(&self) -> Account {
        let host = self.services.sign_up(sign_up_input("priya@example.org", "Priya", &["host"], "UTC")).await.unwrap();
        let profile = HostProfileInput {
            handle: "priya".into(),
            name: "Priya".into(),
            headline: String::new(),
            role: "Analyst".into(),
            employer: String::new(),
            industry: "Health".into(),
            skills: vec![],
            topics: vec![],
            career_path: String::new(),
        };
        self.services.put_host_profile(&host, profile).await.unwrap();
        let policy = PolicyInput {
            time_zone: "UTC".into(),
            lengths_minutes: vec![30],
            windows: vec![window("mon", "09:00", "12:00")],
            monthly_cap: 50,
            buffer_minutes: 15,
            min_notice_hours: 0,
            horizon_days: 60,
            accepting: true,
            ..PolicyInput::default()
        };
        self.services.put_policy(&host, policy).await.unwrap();
        host
    }

    /// Starts of Monday 9 March's free slots.
    async fn monday_slots(&self) -> Vec<String> {
        let query = SlotQuery {
            from: Some(jiff::civil::date(2026, 3, 9)),
            to: Some(jiff::civil::date(2026, 3, 9)),
            ..SlotQuery::default()
        };
        let list = self.services.free_slots("priya", query).await.unwrap();
        list.slots.iter().map(|slot| slot.start.strftime("%H:%M").to_string()).collect()
    }
}

/// A calendar with one busy hour on Monday 9 March at `hour`:00 UTC.
fn calendar(hour: u8) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-CALNAME:Team\r\nBEGIN:VEVENT\r\nUID:meeting@example.org\r\n\
         DTSTART:20260309T{hour:02}0000Z\r\nDTEND:20260309T{:02}0000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        hour + 1
    )
}

fn invalid_field(error: ServiceError) -> (String, String) {
    match error {
        ServiceError::Invalid(fields) => {
            let (field, message) = fields.iter().next().unwrap();
            (field.to_owned(), message.to_owned())
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
}

fn assert_failed(calendar: &BusyCalendarRecord, needle: &str) {
    assert_eq!(calendar.last_status, Some(ImportStatus::Error), "{calendar:?}");
    let error = calendar.last_error.as_deref().unwrap_or_default();
    assert!(error.contains(needle), "expected \"{needle}\" in \"{error}\"");
}

// ---------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn an_uploaded_busy_block_removes_overlapping_slots_with_buffers() {
    let world = World::new(BusyFeedSettings::default()).await;
    let host = world.host().await;
    assert_eq!(world.monday_slots().await, ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]);

    let uploaded = world.services.upload_busy_calendar(&host, None, calendar(10).as_bytes()).await.unwrap();
    assert_eq!(uploaded.name, "Team", "named after X-WR-CALNAME");
    assert_eq!((uploaded.last_status, uploaded.blocks), (Some(ImportStatus::Ok), 1));
    // Busy 10:00–11:00, widened by the 15-minute buffer to 09:45–11:15: 09:30 and 11:00 are too close.
    assert_eq!(world.monday_slots().await, ["09:00", "11:30"]);

    // Removing the calendar frees the time again.
    world.services.delete_busy_calendar(&host, uploaded.id).await.unwrap();
    assert_eq!(world.monday_slots().await.len(), 6);
    let again = world.services.delete_busy_calendar(&host, uploaded.id).await.unwrap_err();
    assert!(matches!(again, ServiceError::NotFound("calendar")), "{again:?}");
}

#[tokio::test]
async fn an_upload_is_read_again_daily_so_repeating_events_reach_further_ahead() {
    let world = World::new(BusyFeedSettings::default()).await;
    let host = world.host().await;
    let weekly = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:w@example.org\r\nDTSTART:20260309T100000Z\r\n\
                  DURATION:PT1H\r\nRRULE:FREQ=WEEKLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let uploaded = world.services.upload_busy_calendar(&host, Some("Weekly"), weekly.as_bytes()).await.unwrap();
    // Mondays from 9 March up to 400 days after 2 March 2026.
    assert_eq!(uploaded.blocks, 57);
    assert_eq!(world.services.refresh_due_feeds().await.unwrap(), 0, "not due for a day");

    // Sixty days on, the window has moved: past Mondays dropped, new ones added.
    world.clock.set(ts(NOW) + SignedDuration::from_hours(60 * 24));
    assert_eq!(world.services.refresh_due_feeds().await.unwrap(), 1);
    let reread = &world.services.busy_calendars(&host).await.unwrap()[0];
    assert_eq!(reread.last_fetched_at, Some(ts(NOW) + SignedDuration::from_hours(60 * 24)));
    let blocks = world.store.busy_blocks(host.id, Timestamp::MIN, Timestamp::MAX).await.unwrap();
    assert_eq!(blocks.len(), 57);
    assert_eq!(blocks.first().unwrap().start, ts("2026-05-04T10:00:00Z"));
    assert_eq!(blocks.last().unwrap().start, ts("2027-05-31T10:00:00Z"), "reaches 400 days past the new now");
}

#[tokio::test]
async fn an_upload_that_does_not_parse_is_refused_and_nothing_is_stored() {
    let world = World::new(BusyFeedSettings::default()).await;
    let host = world.host().await;
    let error = world.services.upload_busy_calendar(&host, Some("Work"), b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n").await;
    let (field, message) = invalid_field(error.unwrap_err());
    assert_eq!(field, "calendar");
    assert!(message.contains("line 2") && message.contains("cut off"), "{message}");
    let too_big = vec![b'x'; coffeechat_service::MAX_UPLOAD_BYTES + 1];
    let (field, message) = invalid_field(world.services.upload_busy_calendar(&host, None, &too_big).await.unwrap_err());
    assert_eq!(field, "calendar");
    assert!(message.contains("larger than 1 MiB"), "{message}");
    assert!(world.services.busy_calendars(&host).await.unwrap().is_empty());
}

#[tokio::test]
async fn feed_urls_must_be_public_http_addresses_of_someone_else() {
    let world = World::new(BusyFeedSettings::default()).await;
    let host = world.host().await;
    let cases = [
        ("file:///etc/passwd", "http:// or https://"),
        ("ftp://calendar.example.org/team.ics", "http:// or https://"),
        ("http://localhost/team.ics", "this server itself"),
        ("http://127.0.0.1:4000/team.ics", "loopback"),
        ("http://10.0.0.1/team.ics", "private network address (10.0.0.1)"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        // The services' site address (the local default, http://127.0.0.1:8080).
        ("http://127.0.0.1:8080/feeds/secret.ics", "Coffeechat itself"),
        ("not a url", "web address"),
    ];
    for (url, needle) in cases {
        let (field, message) = invalid_field(world.services.add_busy_feed(&host, url, None).await.unwrap_err());
        assert_eq!(field, "url", "{url}");
        assert!(message.contains(needle), "{url}: {message}");
    }
    assert!(world.services.busy_calendars(&host).await.unwrap().is_empty());

    // Even where loopback is allowed (tests), the site itself is refused.
    let loopback = World::for_feeds().await;
    let host = loopback.host().await;
    let (_, message) =
        invalid_field(loopback.services.add_busy_feed(&host, "http://127.0.0.1:8080/x.ics", None).await.unwrap_err());
    assert!(message.contains("Coffeechat itself"), "{message}");
}

#[tokio::test]
async fn a_feed_is_fetched_conditionally_and_a_304_keeps_its_blocks() {
    let server = FeedServer::start().await;
    server.answer("/team.ics", Answer::Calendar { body: calendar(10), etag: "\"v1\"" });
    let world = World::for_feeds().await;
    let host = world.host().await;

    let added = world.services.add_busy_feed(&host, &server.url("/team.ics"), None).await.unwrap();
    assert_eq!((added.last_status, added.blocks), (Some(ImportStatus::Ok), 1));
    assert_eq!(added.name, "127.0.0.1", "named after the host when no name is given");
    assert_eq!(added.etag.as_deref(), Some("\"v1\""));
    assert_eq!(added.next_fetch_at, ts(NOW) + SignedDuration::from_mins(30));
    assert_eq!(world.monday_slots().await, ["09:00", "11:30"]);

    // Not due yet: the worker leaves it alone.
    assert_eq!(world.services.refresh_due_feeds().await.unwrap(), 0);
    // Half an hour later it is fetched again, with If-None-Match, and the 304 keeps the blocks.
    world.clock.set(ts(NOW) + SignedDuration::from_mins(31));
    assert_eq!(world.services.refresh_due_feeds().await.unwrap(), 1);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].1, None);
    assert_eq!(requests[1].1.as_deref(), Some("\"v1\""));
    let calendars = world.services.busy_calendars(&host).await.unwrap();
    assert_eq!((calendars[0].last_status, calendars[0].blocks), (Some(ImportStatus::Ok), 1));
    assert_eq!(calendars[0].last_fetched_at, Some(ts(NOW) + SignedDuration::from_mins(31)));
    assert_eq!(world.monday_slots().await, ["09:00", "11:30"]);

    // A changed calendar (new ETag) replaces the blocks.
    server.answer("/team.ics", Answer::Calendar { body: calendar(9), etag: "\"v2\"" });
    let refreshed = world.services.refresh_busy_calendar(&host, added.id).await.unwrap();
    assert_eq!(refreshed.etag.as_deref(), Some("\"v2\""));
    assert_eq!(world.monday_slots().await, ["10:30", "11:00", "11:30"]);
}

#[tokio::test]
async fn a_feed_named_by_host_name_goes_through_the_checking_resolver() {
    let server = FeedServer::start().await;
    server.answer("/team.ics", Answer::Calendar { body: calendar(10), etag: "\"v1\"" });
    let world = World::for_feeds().await;
    let host = world.host().await;
    let url = format!("http://localhost:{}/team.ics", server.address.port());
    let added = world.services.add_busy_feed(&host, &url, None).await.unwrap();
    assert_eq!((added.last_status, added.blocks), (Some(ImportStatus::Ok), 1), "{added:?}");
    assert_eq!(added.name, "localhost");
}

#[tokio::test]
async fn a_failed_fetch_keeps_the_previous_blocks_and_says_why() {
    let server = FeedServer::start().await;
    server.answer("/team.ics", Answer::Calendar { body: calendar(10), etag: "\"v1\"" });
    let world = World::for_feeds().await;
    let host = world.host().await;
    let added = world.services.add_busy_feed(&host, &server.url("/team.ics"), Some("Team")).await.unwrap();
    assert_eq!(added.blocks, 1);

    let failures = [
        (Answer::Text("<!DOCTYPE html><html><body>Please sign in</body></html>"), "not an iCalendar file"),
        (Answer::Endless(3 * 1024 * 1024), "larger than 2 MiB"),
        (Answer::Announced(5 * 1024 * 1024), "larger than 2 MiB"),
        (Answer::Slow(Duration::from_secs(5)), "did not answer within 1 second"),
        (Answer::Status(404), "no calendar at that address (404"),
        (Answer::Status(500), "answered 500"),
        (
            Answer::Redirect("http://10.0.0.1/team.ics".into()),
            "redirected elsewhere, and that address must not point at a private network",
        ),
        (
            Answer::Text("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:tomorrow\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"),
            "line 3",
        ),
    ];
    for (failures_so_far, (answer, needle)) in failures.into_iter().enumerate() {
        server.answer("/team.ics", answer);
        let refreshed = world.services.refresh_busy_calendar(&host, added.id).await.unwrap();
        assert_failed(&refreshed, needle);
        assert_eq!(refreshed.blocks, 1, "the previous blocks stay after: {needle}");
        assert_eq!(refreshed.consecutive_failures, u32::try_from(failures_so_far).unwrap() + 1);
        assert_eq!(refreshed.etag.as_deref(), Some("\"v1\""), "validators stay for the next conditional fetch");
        assert_eq!(world.monday_slots().await, ["09:00", "11:30"], "busy time still counts after: {needle}");
    }
    // Failures back off: after eight in a row the next attempt waits the longest (12 hours).
    let calendars = world.services.busy_calendars(&host).await.unwrap();
    assert_eq!(calendars[0].next_fetch_at, ts(NOW) + SignedDuration::from_hours(12));

    // A good answer again clears the error.
    server.answer("/team.ics", Answer::Calendar { body: calendar(10), etag: "\"v3\"" });
    let recovered = world.services.refresh_busy_calendar(&host, added.id).await.unwrap();
    assert_eq!(
        (recovered.last_status, recovered.last_error, recovered.consecutive_failures),
        (Some(ImportStatus::Ok), None, 0)
    );
}

#[tokio::test]
async fn a_feed_that_fails_at_first_is_still_added_and_retried_by_the_worker() {
    let server = FeedServer::start().await;
    server.answer("/later.ics", Answer::Status(503));
    let world = World::for_feeds().await;
    let host = world.host().await;
    let added = world.services.add_busy_feed(&host, &server.url("/later.ics"), None).await.unwrap();
    assert_failed(&added, "answered 503");
    assert_eq!(added.blocks, 0);

    server.answer("/later.ics", Answer::Calendar { body: calendar(10), etag: "\"a\"" });
    world.clock.set(ts(NOW) + SignedDuration::from_mins(30));
    assert_eq!(world.services.refresh_due_feeds().await.unwrap(), 1);
    let calendars = world.services.busy_calendars(&host).await.unwrap();
    assert_eq!((calendars[0].last_status, calendars[0].blocks), (Some(ImportStatus::Ok), 1));

    // The same address twice is refused; another host's calendar is not visible.
    let (field, _) =
        invalid_field(world.services.add_busy_feed(&host, &server.url("/later.ics"), None).await.unwrap_err());
    assert_eq!(field, "url");
    let store_view = world.store.busy_calendars(host.id).await.unwrap();
    assert_eq!(store_view.len(), 1);
}

#[tokio::test]
async fn only_hosts_import_calendars() {
    let world = World::new(BusyFeedSettings::default()).await;
    let seeker = world.services.sign_up(sign_up_input("sam@example.org", "Sam", &["seeker"], "UTC")).await.unwrap();
    let error = world.services.upload_busy_calendar(&seeker, None, calendar(10).as_bytes()).await.unwrap_err();
    assert!(matches!(error, ServiceError::Forbidden(_)), "{error:?}");
    assert!(matches!(world.services.busy_calendars(&seeker).await.unwrap_err(), ServiceError::Forbidden(_)));
}
