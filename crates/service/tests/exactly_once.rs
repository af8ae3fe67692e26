//! Jobs exactly once across workers: two `Services`, each on its own connection pool to one database (two
//! `coffeechat worker` processes, in effect), run every task of [`Worker::standard`] at the same moment, several
//! rounds over, and every effect happens once: one offer per waitlist opening, one fetch per due feed, one
//! thank-you reminder, one host reminder and one expiry notice per request (mail and in-app), each message
//! delivered once, and each old message pruned once. On SQLite, and on PostgreSQL when
//! `COFFEECHAT_TEST_POSTGRES_URL` is set (else skipped with a printed reason).

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod support;

use std::collections::HashMap;
use std::str::FromStr as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use coffeechat_domain::{HostProfileInput, NewRequestInput, PolicyInput};
use coffeechat_service::{
    Account, BusyFeedSettings, FixedClock, MailError, MailTransport, RequestOutcome, Services, Worker,
};
use coffeechat_store::{OutboxMessage, PostgresStore, SqliteStore, Store};
use jiff::{SignedDuration, Timestamp};
use sqlx::postgres::PgConnectOptions;
use sqlx::{AssertSqlSafe, ConnectOptions as _, Connection as _};
use support::{NOW, sign_up_input, ts, window};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

/// Every task `Worker::standard` runs is raced by this test; a new task must be added here (and raced below).
const COVERED_TASKS: [&str; 7] = [
    "send-mail",
    "prune-sent-mail",
    "refresh-busy-feeds",
    "promote-waitlist",
    "expire-requests",
    "remind-hosts",
    "remind-thanks",
];
/// Rounds of each race: a claimed job must also stay claimed when the task runs again.
const ROUNDS: usize = 3;
const POSTGRES_URL_VARIABLE: &str = "COFFEECHAT_TEST_POSTGRES_URL";
/// Shared with the store tests, whose sweep drops databases a killed run left behind.
const DATABASE_PREFIX: &str = "coffeechat_test_";

// ---------------------------------------------------------------------------------------------
// Two workers' views of one database.

/// Keeps the database alive for the test, and drops it after (PostgreSQL).
enum Database {
    Sqlite(#[allow(dead_code, reason = "held for its Drop, which deletes the folder")] tempfile::TempDir),
    Postgres { admin: Box<PgConnectOptions>, name: String },
}

impl Drop for Database {
    fn drop(&mut self) {
        let Database::Postgres { admin, name } = self else { return };
        let (admin, name, shown) = (admin.as_ref().clone(), name.clone(), name.clone());
        // A thread of its own: Drop runs inside the test's runtime, which cannot block on a future itself.
        let dropped = std::thread::spawn(move || -> Result<(), String> {
            let runtime =
                tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
            runtime.block_on(async {
                let mut conn = admin.connect().await.map_err(|e| e.to_string())?;
                sqlx::query(AssertSqlSafe(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")))
                    .execute(&mut conn)
                    .await
                    .map_err(|e| e.to_string())?;
                conn.close().await.map_err(|e| e.to_string())
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop test database {shown}");
        }
    }
}

struct Twins {
    /// The first worker's services, also used to set the world up.
    a: Services,
    b: Services,
    clock: Arc<FixedClock>,
    store: Arc<dyn Store>,
    _database: Database,
}

impl Twins {
    fn services(store: Arc<dyn Store>, clock: &Arc<FixedClock>) -> Services {
        Services::with_clock(store, clock.clone())
            .with_busy_feed_settings(BusyFeedSettings { allow_loopback: true, timeout: Duration::from_secs(5) })
    }

    async fn sqlite() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("coffeechat.db").to_str().unwrap().to_owned();
        let first: Arc<dyn Store> = Arc::new(SqliteStore::open(&path).await.unwrap());
        first.migrate().await.unwrap();
        let second: Arc<dyn Store> = Arc::new(SqliteStore::open(&path).await.unwrap());
        Self::new(first, second, Database::Sqlite(dir))
    }

    /// `None` (with the reason printed) when PostgreSQL is not configured.
    async fn postgres() -> Option<Self> {
        let Some(admin_url) = std::env::var(POSTGRES_URL_VARIABLE).ok().filter(|url| !url.trim().is_empty()) else {
            // Straight to the process's stderr: the harness captures `eprintln!` of passing tests.
            let notice = format!("exactly-once on PostgreSQL skipped: {POSTGRES_URL_VARIABLE} is not set\n");
            let _ = std::io::Write::write_all(&mut std::io::stderr(), notice.as_bytes());
            return None;
        };
        let admin = PgConnectOptions::from_str(admin_url.trim()).unwrap();
        let mut conn = admin.connect().await.unwrap();
        let name = format!("{DATABASE_PREFIX}{}_{:016x}", Timestamp::now().as_second(), rand::random::<u64>());
        sqlx::query(AssertSqlSafe(format!("CREATE DATABASE \"{name}\""))).execute(&mut conn).await.unwrap();
        conn.close().await.unwrap();
        let url = admin.clone().database(&name).to_url_lossy().to_string();
        let database = Database::Postgres { admin: Box::new(admin), name };
        let first: Arc<dyn Store> = Arc::new(PostgresStore::open(&url).await.unwrap());
        first.migrate().await.unwrap();
        let second: Arc<dyn Store> = Arc::new(PostgresStore::open(&url).await.unwrap());
        Some(Self::new(first, second, database))
    }

    fn new(first: Arc<dyn Store>, second: Arc<dyn Store>, database: Database) -> Self {
        let clock = Arc::new(FixedClock::new(ts(NOW)));
        let a = Self::services(first.clone(), &clock);
        let b = Self::services(second, &clock);
        Twins { a, b, clock, store: first, _database: database }
    }

    fn at(&self, at: Timestamp) {
        self.clock.set(at);
    }

    async fn outbox(&self) -> Vec<OutboxMessage> {
        self.a.outbox_messages(None, 1000).await.unwrap()
    }

    /// Messages of `kind` in the outbox, by recipient.
    async fn mail(&self, kind: &str) -> HashMap<String, usize> {
        let mut by_recipient = HashMap::new();
        for message in self.outbox().await.into_iter().filter(|message| message.kind == kind) {
            *by_recipient.entry(message.recipient_email.as_str().to_owned()).or_default() += 1;
        }
        by_recipient
    }

    /// `account`'s in-app notices of `kind`.
    async fn notices(&self, account: &Account, kind: &str) -> usize {
        let list = self.a.notifications(account.id, 200).await.unwrap();
        list.items.iter().filter(|notice| notice.kind == kind).count()
    }
}

/// Runs `task` on both workers at once, [`ROUNDS`] times; returns the sum of what the runs reported.
macro_rules! race {
    ($twins:expr, $task:ident) => {{
        let mut total = 0;
        for _ in 0..ROUNDS {
            let (one, two) = tokio::join!($twins.a.$task(), $twins.b.$task());
            total += u64::try_from(one.unwrap()).unwrap() + u64::try_from(two.unwrap()).unwrap();
        }
        total
    }};
}

// ---------------------------------------------------------------------------------------------
// A mail transport and a calendar-feed server that count what they are given.

#[derive(Debug, Default)]
struct CountingTransport {
    delivered: Mutex<Vec<i64>>,
}

#[async_trait::async_trait]
impl MailTransport for CountingTransport {
    async fn deliver(&self, message: &OutboxMessage) -> Result<(), MailError> {
        self.delivered.lock().unwrap().push(message.id.0);
        Ok(())
    }

    fn describe(&self) -> String {
        "a counting transport".to_owned()
    }
}

/// Serves one small calendar on every path of 127.0.0.1 and counts the requests per path.
#[derive(Debug, Clone)]
struct FeedServer {
    base: String,
    fetches: Arc<Mutex<HashMap<String, usize>>>,
}

const CALENDAR: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//exactly-once//EN\r\nBEGIN:VEVENT\r\n\
UID:busy-1@test\r\nDTSTAMP:20260301T000000Z\r\nDTSTART:20260310T120000Z\r\nDTEND:20260310T130000Z\r\n\
SUMMARY:Busy\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

impl FeedServer {
    async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let fetches: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let counted = fetches.clone();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let counted = counted.clone();
                tokio::spawn(async move {
                    let mut head = Vec::new();
                    let mut buffer = [0u8; 1024];
                    while !head.windows(4).any(|end| end == b"\r\n\r\n") {
                        match socket.read(&mut buffer).await {
                            Ok(0) | Err(_) => return,
                            Ok(read) => head.extend_from_slice(&buffer[..read]),
                        }
                    }
                    let head = String::from_utf8_lossy(&head);
                    let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
                    *counted.lock().unwrap().entry(path).or_default() += 1;
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{CALENDAR}",
                        CALENDAR.len()
                    );
                    let _ = socket.write_all(answer.as_bytes()).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        Self { base, fetches }
    }

    fn take_counts(&self) -> HashMap<String, usize> {
        std::mem::take(&mut *self.fetches.lock().unwrap())
    }
}

// ---------------------------------------------------------------------------------------------
// The world: a host with pending requests, an interview and feeds; a paused host with a waitlist.

fn policy(accepting: bool) -> PolicyInput {
    let windows = ["mon", "tue", "wed", "thu", "fri"].iter().map(|day| window(day, "07:30", "08:30")).collect();
    PolicyInput {
        time_zone: "Europe/London".into(),
        lengths_minutes: vec![30],
        windows,
        monthly_cap: 20,
        buffer_minutes: 0,
        min_notice_hours: 24,
        horizon_days: 30,
        accepting,
        ..PolicyInput::default()
    }
}

async fn host(services: &Services, handle: &str, accepting: bool) -> Account {
    let account =
        services.sign_up(sign_up_input(&format!("{handle}@example.org"), "Ama Host", &["host"], "Europe/London")).await;
    let account = account.unwrap();
    let profile = HostProfileInput {
        handle: handle.into(),
        name: "Ama Host".into(),
        headline: "Nurse who became a data analyst".into(),
        role: "Data analyst".into(),
        employer: "Northwind Health".into(),
        industry: "Healthcare".into(),
        skills: vec!["SQL".into()],
        topics: vec!["Moving into data".into()],
        career_path: "Nurse, then analyst.".into(),
    };
    services.put_host_profile(&account, profile).await.unwrap();
    services.put_policy(&account, policy(accepting)).await.unwrap();
    account
}

fn request_to(handle: &str, starts: &[&str]) -> NewRequestInput {
    NewRequestInput {
        host: handle.into(),
        length_minutes: 30,
        proposed_starts: starts.iter().map(|start| (*start).to_owned()).collect(),
        purpose: "I am a nurse thinking about data work and would like to hear how you made the move.".into(),
        topics: vec!["career_path".into()],
        questions: vec![
            "Which skills from nursing helped you most as an analyst?".into(),
            "How did you learn SQL while you were still working shifts?".into(),
            "What does a normal week look like for you now?".into(),
        ],
    }
}

async fn seeker(services: &Services, email: &str) -> Account {
    services.sign_up(sign_up_input(email, "Sam Seeker", &["seeker"], "America/New_York")).await.unwrap()
}

/// The whole story on one backend.
async fn every_job_runs_once(twins: Twins) {
    let start = ts(NOW);
    let feeds = FeedServer::start().await;
    let (a, store) = (&twins.a, &twins.store);

    let names = Worker::standard(a.clone(), Arc::new(CountingTransport::default())).task_names();
    let uncovered: Vec<_> = names.iter().filter(|name| !COVERED_TASKS.contains(name)).collect();
    assert!(uncovered.is_empty(), "worker tasks not raced by this test (add them): {uncovered:?}");

    // Host A: six pending requests (distinct slots: a pending request holds its own), one of them accepted.
    let ama = host(a, "ama-host", true).await;
    let slots = [
        "2026-03-03T07:30:00Z",
        "2026-03-03T08:00:00Z",
        "2026-03-04T07:30:00Z",
        "2026-03-04T08:00:00Z",
        "2026-03-05T07:30:00Z",
        "2026-03-05T08:00:00Z",
    ];
    let mut seekers = Vec::new();
    let mut requests = Vec::new();
    for (index, slot) in slots.iter().enumerate() {
        let seeker = seeker(a, &format!("seeker{index}@example.org")).await;
        requests.push(a.create_request(&seeker, request_to("ama-host", &[slot])).await.unwrap());
        seekers.push(seeker);
    }
    let interview = a.accept(&ama, requests[0].id, slots[0]).await.unwrap();
    for number in 0..3 {
        a.add_busy_feed(&ama, &format!("{}/feed-{number}.ics", feeds.base), None).await.unwrap();
    }
    // Host B is paused: three seekers join the waitlist.
    let bea = host(a, "bea-host", false).await;
    let mut waiting = Vec::new();
    for index in 0..3 {
        let seeker = seeker(a, &format!("waiting{index}@example.org")).await;
        let zone = seeker.time_zone.clone();
        let outcome = a.send_request(&seeker, request_to("bea-host", &[]), &zone).await.unwrap();
        assert!(matches!(outcome, RequestOutcome::Waitlisted { .. }), "{outcome:?}");
        waiting.push(seeker);
    }

    // promote-waitlist: host B resumes (written straight to the store, so only the task can notice) and
    // the first in line is offered the opening once.
    store.put_host_policy(bea.id, &policy(true).validate().unwrap()).await.unwrap();
    assert_eq!(race!(twins, promote_waitlist), 1);
    assert_eq!(twins.mail("waitlist_offered").await.get("waiting0@example.org"), Some(&1));
    assert_eq!(twins.mail("waitlist_offered").await.len(), 1);
    assert_eq!(twins.notices(&waiting[0], "waitlist_offered").await, 1);

    // refresh-busy-feeds: half an hour on, each feed is due and fetched once.
    feeds.take_counts();
    twins.at(start + SignedDuration::from_mins(31));
    assert_eq!(race!(twins, refresh_due_feeds), 3);
    let fetched = feeds.take_counts();
    assert_eq!(fetched.len(), 3, "{fetched:?}");
    assert!(fetched.values().all(|&count| count == 1), "a feed was fetched twice: {fetched:?}");

    // remind-thanks: two hours after the conversation, its seeker is reminded once.
    twins.at(interview.end + SignedDuration::from_hours(2));
    assert_eq!(race!(twins, remind_thanks), 1);
    assert_eq!(twins.mail("thanks_reminder").await.get("seeker0@example.org"), Some(&1));
    assert_eq!(twins.notices(&seekers[0], "thanks_reminder").await, 1);

    // remind-hosts: at half-time of the default 14-day expiry, one reminder per pending request.
    twins.at(start + SignedDuration::from_hours(8 * 24));
    assert_eq!(race!(twins, remind_hosts), 5);
    assert_eq!(twins.mail("request_reminder").await.get("ama-host@example.org"), Some(&5));
    assert_eq!(twins.notices(&ama, "request_reminder").await, 5);

    // expire-requests: past expiry, each pending request expires once and its seeker is told once.
    twins.at(start + SignedDuration::from_hours(15 * 24));
    assert_eq!(race!(twins, expire_requests), 5);
    let expired = twins.mail("request_expired").await;
    assert_eq!(expired.len(), 5, "{expired:?}");
    assert!(expired.values().all(|&count| count == 1), "{expired:?}");
    for seeker in &seekers[1..] {
        assert_eq!(twins.notices(seeker, "request_expired").await, 1, "{}", seeker.email.as_str());
    }
    // The first offer lapsed long ago: it passes, once, to the second in line.
    assert_eq!(race!(twins, promote_waitlist), 1);
    assert_eq!(twins.notices(&waiting[0], "waitlist_lapsed").await, 1);
    assert_eq!(twins.notices(&waiting[1], "waitlist_offered").await, 1);

    // send-mail, and every other task once more: two standard workers at once deliver each message once.
    let queued = twins.outbox().await.len();
    let (first, second) = (Arc::new(CountingTransport::default()), Arc::new(CountingTransport::default()));
    let workers = [Worker::standard(twins.a.clone(), first.clone()), Worker::standard(twins.b.clone(), second.clone())];
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let running: Vec<_> = workers
        .into_iter()
        .map(|worker| {
            let mut stopped = stopped.clone();
            tokio::spawn(worker.run(async move {
                let _ = stopped.wait_for(|stop| *stop).await;
            }))
        })
        .collect();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let counts = twins.a.outbox_counts().await.unwrap();
        if counts.queued == 0 && counts.sending == 0 {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the workers did not send everything: {counts:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    stop.send(true).unwrap();
    for handle in running {
        handle.await.unwrap();
    }
    let mut times_sent: HashMap<i64, usize> = HashMap::new();
    for id in first.delivered.lock().unwrap().iter().chain(second.delivered.lock().unwrap().iter()) {
        *times_sent.entry(*id).or_default() += 1;
    }
    let outbox = twins.outbox().await;
    assert_eq!(outbox.len(), queued, "the workers' second runs of the other tasks queued nothing new");
    assert_eq!(times_sent.len(), outbox.len(), "every message was delivered");
    assert!(times_sent.values().all(|&count| count == 1), "a message was delivered twice: {times_sent:?}");

    // prune-sent-mail: a month on, each sent message is deleted once.
    twins.at(start + SignedDuration::from_hours(50 * 24));
    assert_eq!(race!(twins, prune_sent_mail), u64::try_from(outbox.len()).unwrap());
    assert!(twins.outbox().await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_workers_on_sqlite_run_every_job_exactly_once() {
    every_job_runs_once(Twins::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_workers_on_postgres_run_every_job_exactly_once() {
    let Some(twins) = Twins::postgres().await else { return };
    every_job_runs_once(twins).await;
}
