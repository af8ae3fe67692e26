//! Scale-out proof: real `coffeechat serve --no-worker` processes sharing one database race 200 accepts, over
//! overlapping slots of one host and across the monthly cap of another. On PostgreSQL two processes share a fresh
//! database (skipped, with a printed reason, without `COFFEECHAT_TEST_POSTGRES_URL`); on SQLite one process serves
//! them all. Every answer is a 201 or a 409 naming why, no two interviews overlap, no cap is exceeded, and the
//! number of winners is exactly what the slots and the cap allow.
//!
//! Hosts, their profiles and policies, and every request go through the HTTP API. Seekers' accounts and tokens
//! are written through the store: 200 argon2 hashes would cost the test ten seconds and prove nothing here.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod common;

use std::collections::{BTreeMap, HashSet, VecDeque};
use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};
use std::str::FromStr as _;
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use coffeechat_domain::{AccountId, Email, InterviewStatus, Roles, TimeZoneName};
use coffeechat_store::{NewAccount, Store};
use common::TempDir;
use jiff::Timestamp;
use jiff::civil::Date;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::Digest as _;
use sqlx::postgres::PgConnectOptions;
use sqlx::{AssertSqlSafe, ConnectOptions as _, Connection as _};

/// Accepts fired at once, half at each host.
const ACCEPTS: usize = 200;
/// Days of the overlap host whose four slots all conflict with each other: one winner per day.
const CONTESTED_DAYS: usize = 4;
/// The cap host's monthly cap: its winners, however many non-overlapping requests race.
const MONTHLY_CAP: usize = 5;
const OVERLAP_BUFFER_MINUTES: i64 = 10;
/// The variable naming the PostgreSQL server (an admin URL: the user may create databases).
const POSTGRES_URL_VARIABLE: &str = "COFFEECHAT_TEST_POSTGRES_URL";
/// Shared with the store tests, whose sweep drops databases a killed run left behind.
const DATABASE_PREFIX: &str = "coffeechat_test_";

/// Every setting the binary reads from the environment, removed so the test's own environment cannot leak in.
const VARIABLES: &[&str] = &[
    "COFFEECHAT_DB",
    "COFFEECHAT_BIND",
    "COFFEECHAT_CONFIG",
    "COFFEECHAT_DEMO",
    "COFFEECHAT_SMTP_URL",
    "COFFEECHAT_MAIL_FROM",
    "COFFEECHAT_MAIL_DIR",
    "COFFEECHAT_NO_WORKER",
    "COFFEECHAT_SECRET_KEY_FILE",
    "COFFEECHAT_PUBLIC_URL",
    "COFFEECHAT_LOG_FORMAT",
    "COFFEECHAT_SECURE_COOKIES",
    "RUST_LOG",
];

fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_coffeechat"));
    for variable in VARIABLES {
        command.env_remove(variable);
    }
    command
}

// ---------------------------------------------------------------------------------------------
// Processes and databases, cleaned up by Drop whether the test passes or panics.

/// A running `coffeechat serve` process, killed when dropped.
struct ServerProcess {
    child: Child,
    base: String,
    /// The last lines the process logged, shown when an assertion fails.
    log: Arc<Mutex<VecDeque<String>>>,
}

impl ServerProcess {
    /// Starts `coffeechat serve --no-worker` on a port the OS picks and waits until it listens.
    fn start(db: &str, dir: &TempDir) -> Self {
        let mut child = binary()
            .args(["serve", "--db", db, "--bind", "127.0.0.1:0", "--no-worker"])
            .args(["--secret-key-file", &dir.file("secret.key"), "--mail-dir", &dir.file("mail")])
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(VecDeque::new()));
        let (listening, address) = mpsc::channel();
        let kept = log.clone();
        // The pipe must be drained for the whole run, or a chatty server would block on a full pipe.
        std::thread::spawn(move || {
            let mut listening = Some(listening);
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some(rest) = line.split("listening on http://").nth(1)
                    && let Some(sender) = listening.take()
                {
                    let _ = sender.send(rest.split_whitespace().next().unwrap_or_default().to_owned());
                }
                let mut kept = kept.lock().unwrap();
                kept.push_back(line);
                if kept.len() > 100 {
                    kept.pop_front();
                }
            }
        });
        let mut server = ServerProcess { child, base: String::new(), log };
        match address.recv_timeout(Duration::from_secs(30)) {
            Ok(address) => server.base = format!("http://{address}"),
            Err(_) => panic!("coffeechat serve did not start listening:\n{}", server.logs()),
        }
        server
    }

    fn logs(&self) -> String {
        self.log.lock().unwrap().iter().cloned().collect::<Vec<_>>().join("\n")
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A PostgreSQL database made for one test and dropped after it.
struct PostgresDatabase {
    admin: PgConnectOptions,
    name: String,
    url: String,
}

impl PostgresDatabase {
    /// A fresh database, or `None` (with the reason printed) when PostgreSQL is not configured.
    async fn create() -> Option<Self> {
        let Some(admin_url) = std::env::var(POSTGRES_URL_VARIABLE).ok().filter(|url| !url.trim().is_empty()) else {
            // Straight to the process's stderr: the harness captures `eprintln!` of passing tests.
            let _ = std::io::Write::write_all(
                &mut std::io::stderr(),
                format!("scale-out on PostgreSQL skipped: {POSTGRES_URL_VARIABLE} is not set\n").as_bytes(),
            );
            return None;
        };
        let admin = PgConnectOptions::from_str(admin_url.trim()).unwrap();
        let mut conn = admin
            .connect()
            .await
            .unwrap_or_else(|error| panic!("{POSTGRES_URL_VARIABLE} is set but its server cannot be reached: {error}"));
        let name = format!("{DATABASE_PREFIX}{}_{:016x}", Timestamp::now().as_second(), rand::random::<u64>());
        // The name is ours (digits and hex): the identifier quotes are all the quoting it needs.
        sqlx::query(AssertSqlSafe(format!("CREATE DATABASE \"{name}\""))).execute(&mut conn).await.unwrap();
        conn.close().await.unwrap();
        let url = admin.clone().database(&name).to_url_lossy().to_string();
        Some(PostgresDatabase { admin, name, url })
    }
}

impl Drop for PostgresDatabase {
    fn drop(&mut self) {
        let (admin, name) = (self.admin.clone(), self.name.clone());
        // A thread of its own: Drop may run inside the test's runtime, which cannot block on a future itself.
        // FORCE ends the connections of server processes that are still going away.
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
        match dropped {
            Ok(Ok(())) => {}
            Ok(Err(error)) => eprintln!("could not drop test database {}: {error}", self.name),
            Err(_) => eprintln!("dropping test database {} panicked", self.name),
        }
    }
}

fn migrate(db: &str) {
    let output = binary().args(["migrate", "--db", db]).output().unwrap();
    assert!(output.status.success(), "coffeechat migrate failed: {}", String::from_utf8_lossy(&output.stderr));
}

// ---------------------------------------------------------------------------------------------
// The API, as a client sees it.

async fn call(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> (StatusCode, Value) {
    let mut request = client.request(method, url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

async fn post(client: &reqwest::Client, url: &str, token: Option<&str>, body: &Value) -> (StatusCode, Value) {
    call(client, reqwest::Method::POST, url, token, Some(body)).await
}

/// Signs a host up, gives them a profile and `policy`; returns their token and account id.
async fn host(client: &reqwest::Client, base: &str, handle: &str, policy: &Value) -> (String, AccountId) {
    let email = format!("{handle}@example.org");
    let password = "a long enough password";
    let body = json!({"email": email, "password": password, "name": "Priya Raman", "roles": ["host"],
        "time_zone": policy["time_zone"]});
    let (status, account) = post(client, &format!("{base}/api/v1/accounts"), None, &body).await;
    assert_eq!(status, StatusCode::CREATED, "{account}");
    let (status, token) =
        post(client, &format!("{base}/api/v1/tokens"), None, &json!({"email": email, "password": password})).await;
    assert_eq!(status, StatusCode::CREATED, "{token}");
    let token = token["token"].as_str().unwrap().to_owned();
    let profile = json!({
        "handle": handle,
        "name": "Priya Raman",
        "headline": "Data scientist who used to teach maths",
        "role": "Senior data scientist",
        "employer": "Northwind Health",
        "industry": "Healthcare",
        "skills": ["SQL", "statistics"],
        "topics": ["Moving from teaching to data"],
        "career_path": "Teacher, then analyst, then data scientist."
    });
    for (path, body) in [("host-profile", &profile), ("policy", policy)] {
        let url = format!("{base}/api/v1/me/{path}");
        let (status, reply) = call(client, reqwest::Method::PUT, &url, Some(&token), Some(body)).await;
        assert_eq!(status, StatusCode::OK, "PUT {path}: {reply}");
    }
    (token, AccountId(account["id"].as_i64().unwrap()))
}

fn every_day(start: &str, end: &str) -> Value {
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .map(|weekday| json!({"weekday": weekday, "start": start, "end": end}))
        .collect()
}

/// 09:00–10:00 London every day, 30 minutes, 10 minutes of buffer, a start every 10 minutes: the four starts
/// of a day (09:00 … 09:30) all conflict with each other. No holds, so that many requests may propose one time.
fn overlap_policy() -> Value {
    json!({
        "time_zone": "Europe/London",
        "lengths_minutes": [30],
        "windows": every_day("09:00", "10:00"),
        "monthly_cap": 100,
        "buffer_minutes": OVERLAP_BUFFER_MINUTES,
        "min_notice_hours": 24,
        "horizon_days": 30,
        "accepting": true,
        "slot_increment_minutes": 10,
        "hold_hours": 0
    })
}

/// 08:00–20:00 New York every day, 20 minutes back to back: plenty of separate slots, and a cap of five a month.
fn cap_policy() -> Value {
    json!({
        "time_zone": "America/New_York",
        "lengths_minutes": [20],
        "windows": every_day("08:00", "20:00"),
        "monthly_cap": MONTHLY_CAP,
        "buffer_minutes": 0,
        "min_notice_hours": 24,
        "horizon_days": 60,
        "accepting": true
    })
}

/// The host's free slots (start, end) between today and `days` days ahead, as the slots endpoint lists them.
async fn slots(client: &reqwest::Client, base: &str, handle: &str, days: i64) -> Vec<(Timestamp, Timestamp)> {
    let today = Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date();
    let to = today.checked_add(jiff::Span::new().days(days)).unwrap();
    let url = format!("{base}/api/v1/hosts/{handle}/slots?from={today}&to={to}");
    let (status, list) = call(client, reqwest::Method::GET, &url, None, None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list.as_array()
        .unwrap()
        .iter()
        .map(|slot| (slot["start"].as_str().unwrap().parse().unwrap(), slot["end"].as_str().unwrap().parse().unwrap()))
        .collect()
}

fn local_date(at: Timestamp, zone: &str) -> Date {
    at.in_tz(zone).unwrap().date()
}

/// Seekers written straight to the store with one precomputed hash and a token each (see the module docs).
async fn seekers(store: &Arc<dyn Store>, count: usize) -> Vec<String> {
    let password_hash = coffeechat_service::hash_password("a long enough password").unwrap();
    let mut tokens = Vec::with_capacity(count);
    for index in 0..count {
        let account = store
            .create_account(NewAccount {
                email: Email::parse(&format!("seeker{index}@example.org")).unwrap(),
                name: format!("Seeker {index}"),
                roles: Roles::parse(&["seeker"]).unwrap(),
                time_zone: TimeZoneName::parse("America/Chicago").unwrap(),
                password_hash: password_hash.clone(),
            })
            .await
            .unwrap();
        let token = format!("scale-out-seeker-{index}-{:016x}", rand::random::<u64>());
        let digest: String = sha2::Sha256::digest(token.as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect();
        store.create_api_token(account.id, &digest).await.unwrap();
        tokens.push(token);
    }
    tokens
}

/// A prepared request (three questions, a clear purpose) for one proposed start; returns its id.
async fn request(client: &reqwest::Client, base: &str, seeker: &str, handle: &str, start: Timestamp) -> i64 {
    let body = json!({
        "host": handle,
        "length_minutes": if handle == "overlap-host" { 30 } else { 20 },
        "proposed_starts": [start.to_string()],
        "purpose": "I teach maths and want to learn how you moved into data science and what the work is like.",
        "topics": ["career_path"],
        "questions": [
            "Which skills mattered most in your first year as a data scientist?",
            "How did you explain your teaching experience when you applied for analyst roles?",
            "What does a typical week look like for you now, between meetings and analysis?"
        ]
    });
    let (status, reply) = post(client, &format!("{base}/api/v1/requests"), Some(seeker), &body).await;
    assert_eq!(status, StatusCode::CREATED, "request to {handle} at {start}: {reply}");
    reply["id"].as_i64().unwrap()
}

/// One accept of the storm.
struct Accept {
    server: usize,
    host: &'static str,
    request: i64,
    start: Timestamp,
}

/// Sets two hosts up, sends 200 requests, fires 200 accepts at once over `servers` and checks the outcome.
async fn race_accepts(servers: &[ServerProcess], store: &Arc<dyn Store>) {
    let began = Instant::now();
    // reqwest is built without a TLS provider of its own and panics without a default, even for plain http.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::new();
    let base = |index: usize| servers[index % servers.len()].base.as_str();
    let logs = || servers.iter().map(ServerProcess::logs).collect::<Vec<_>>().join("\n-----\n");

    let (overlap_token, overlap_id) = host(&client, base(0), "overlap-host", &overlap_policy()).await;
    let (cap_token, cap_id) = host(&client, base(1), "cap-host", &cap_policy()).await;

    // The overlap host: the first days on which all four starts are free, each start proposed by many seekers.
    let mut by_day: BTreeMap<Date, Vec<Timestamp>> = BTreeMap::new();
    for (start, _) in slots(&client, base(0), "overlap-host", 14).await {
        by_day.entry(local_date(start, "Europe/London")).or_default().push(start);
    }
    let days: Vec<Vec<Timestamp>> =
        by_day.into_values().filter(|starts| starts.len() == 4).take(CONTESTED_DAYS).collect();
    assert_eq!(days.len(), CONTESTED_DAYS, "the overlap host offers too few full days");
    // The cap host: separate slots, all in one month of the host's zone (the first month with enough of them).
    let mut by_month: BTreeMap<(i16, i8), Vec<Timestamp>> = BTreeMap::new();
    for (start, _) in slots(&client, base(1), "cap-host", 45).await {
        let date = local_date(start, "America/New_York");
        by_month.entry((date.year(), date.month())).or_default().push(start);
    }
    let month = by_month.into_values().find(|starts| starts.len() >= ACCEPTS / 2).expect("a month with enough slots");

    let tokens = seekers(store, ACCEPTS).await;
    let mut plan: Vec<(usize, &'static str, Timestamp)> = Vec::with_capacity(ACCEPTS);
    for index in 0..ACCEPTS / 2 {
        let day = &days[index % CONTESTED_DAYS];
        plan.push((2 * index, "overlap-host", day[(index / CONTESTED_DAYS) % day.len()]));
        plan.push((2 * index + 1, "cap-host", month[index]));
    }
    // Requests are sent eight at a time, alternating between the servers.
    let tokens = Arc::new(tokens);
    let bases: Arc<Vec<String>> = Arc::new(servers.iter().map(|server| server.base.clone()).collect());
    let gate = Arc::new(tokio::sync::Semaphore::new(8));
    let mut sending = tokio::task::JoinSet::new();
    for (index, handle, start) in plan {
        let (client, tokens, bases, gate) = (client.clone(), tokens.clone(), bases.clone(), gate.clone());
        sending.spawn(async move {
            let _permit = gate.acquire().await.unwrap();
            let server = index % bases.len();
            let id = request(&client, &bases[server], &tokens[index], handle, start).await;
            Accept { server, host: handle, request: id, start }
        });
    }
    let mut accepts = Vec::with_capacity(ACCEPTS);
    while let Some(accept) = sending.join_next().await {
        accepts.push(accept.unwrap());
    }
    let set_up = began.elapsed();

    // The storm: every accept waits at the barrier, then all go at once, spread over the servers.
    let barrier = Arc::new(tokio::sync::Barrier::new(ACCEPTS));
    let mut storm = tokio::task::JoinSet::new();
    for accept in accepts {
        let client = client.clone();
        let barrier = barrier.clone();
        let url = format!("{}/api/v1/requests/{}/accept", servers[accept.server].base, accept.request);
        let token = if accept.host == "overlap-host" { overlap_token.clone() } else { cap_token.clone() };
        storm.spawn(async move {
            barrier.wait().await;
            let (status, body) = post(&client, &url, Some(&token), &json!({"start": accept.start.to_string()})).await;
            (accept, status, body)
        });
    }
    let mut winners: BTreeMap<&str, Vec<Timestamp>> = BTreeMap::new();
    let mut answered_by = vec![0; servers.len()];
    while let Some(outcome) = storm.join_next().await {
        let (accept, status, body) = outcome.unwrap();
        answered_by[accept.server] += 1;
        match status {
            StatusCode::CREATED => {
                assert_eq!(body["status"], "scheduled", "{body}");
                winners.entry(accept.host).or_default().push(accept.start);
            }
            StatusCode::CONFLICT => {
                assert_eq!(body["error"]["code"], "conflict", "{body}");
                let message = body["error"]["message"].as_str().unwrap_or_default();
                let why = if accept.host == "overlap-host" { "no longer free" } else { "month is already full" };
                assert!(message.contains(why), "a 409 from {} must say '{why}': {body}", accept.host);
            }
            other => panic!("accept of request {} answered {other}: {body}\n{}", accept.request, logs()),
        }
    }
    let stormed = began.elapsed() - set_up;
    assert!(answered_by.iter().all(|&count| count == ACCEPTS / servers.len()), "{answered_by:?}");

    // Winners: one per contested day, and exactly the cap at the cap host.
    let overlap_winners = winners.remove("overlap-host").unwrap_or_default();
    let won_days: HashSet<Date> = overlap_winners.iter().map(|&start| local_date(start, "Europe/London")).collect();
    assert_eq!(overlap_winners.len(), CONTESTED_DAYS, "{overlap_winners:?}");
    assert_eq!(won_days.len(), CONTESTED_DAYS, "one winner per contested day: {overlap_winners:?}");
    assert_eq!(winners.remove("cap-host").unwrap_or_default().len(), MONTHLY_CAP);

    // The database agrees: no overlap (buffers included) and no cap exceeded, whoever wrote the rows.
    for (host, buffer, cap) in [(overlap_id, OVERLAP_BUFFER_MINUTES, CONTESTED_DAYS), (cap_id, 0, MONTHLY_CAP)] {
        let interviews: Vec<_> = store
            .interviews_for(host)
            .await
            .unwrap()
            .into_iter()
            .filter(|interview| interview.status == InterviewStatus::Scheduled)
            .collect();
        assert_eq!(interviews.len(), cap, "scheduled interviews of host {host:?}");
        let buffer = jiff::SignedDuration::from_mins(buffer);
        for (index, one) in interviews.iter().enumerate() {
            for other in &interviews[index + 1..] {
                let apart = one.end.checked_add(buffer).unwrap() <= other.start
                    || other.end.checked_add(buffer).unwrap() <= one.start;
                assert!(apart, "interviews {} and {} overlap", one.id, other.id);
            }
        }
    }
    // And so does the API: the hosts' own lists.
    for (token, expected) in [(&overlap_token, CONTESTED_DAYS), (&cap_token, MONTHLY_CAP)] {
        let url = format!("{}/api/v1/interviews", base(0));
        let (status, list) = call(&client, reqwest::Method::GET, &url, Some(token), None).await;
        assert_eq!(status, StatusCode::OK, "{list}");
        let scheduled = list.as_array().unwrap().iter().filter(|interview| interview["status"] == "scheduled");
        assert_eq!(scheduled.count(), expected);
    }
    // Straight to stderr, so `--nocapture` is not needed to see how long the parts took.
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!(
            "scale-out over {} process(es): set-up {set_up:.1?}, {ACCEPTS} accepts in {stormed:.1?}\n",
            servers.len()
        )
        .as_bytes(),
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_processes_on_postgres_race_200_accepts_without_double_booking_or_exceeding_a_cap() {
    let Some(database) = PostgresDatabase::create().await else { return };
    migrate(&database.url);
    let dir = TempDir::new("scale-out-pg");
    let store = coffeechat::open_store(&database.url).await.unwrap();
    // One process first, so that it alone creates the shared key file.
    let first = ServerProcess::start(&database.url, &dir);
    let second = ServerProcess::start(&database.url, &dir);
    let servers = [first, second];
    race_accepts(&servers, &store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_process_on_sqlite_races_200_accepts_without_double_booking_or_exceeding_a_cap() {
    let dir = TempDir::new("scale-out-sqlite");
    let db = dir.file("coffeechat.db");
    migrate(&db);
    let store = coffeechat::open_store(&db).await.unwrap();
    let servers = [ServerProcess::start(&db, &dir)];
    race_accepts(&servers, &store).await;
}
