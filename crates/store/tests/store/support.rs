//! A fresh store per test on each database under test, and small builders for the rows stories need.
//!
//! Stories run on every backend: `for backend in backends() { let store = backend.fresh_store().await; … }`.
//! SQLite always; PostgreSQL when `COFFEECHAT_TEST_POSTGRES_URL` names a server (an admin URL: the user must be
//! allowed to create databases). Each PostgreSQL story gets a database of its own, `coffeechat_test_<unix
//! seconds>_<random>`, created from that URL and dropped when the story ends, whether it passed or panicked;
//! databases left behind by a killed run are swept by the next run once they are an hour old (never younger
//! ones, which may belong to a test binary running right now).

use std::fmt;
use std::io::Write;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Once};

use coffeechat_domain::{
    AccountId, Email, Handle, HostPolicy, HostProfile, HostProfileInput, MeetingLength, PolicyInput, RequestId, Roles,
    TimeZoneName, WindowInput,
};
use coffeechat_store::{
    AcceptBooking, Account, CapKind, CapPeriod, NewAccount, NewRequestRecord, RequestRecord, Store,
};
use jiff::{SignedDuration, Timestamp};
use sqlx::postgres::PgConnectOptions;
use sqlx::{AssertSqlSafe, ConnectOptions, Connection, PgConnection};

/// The variable naming the PostgreSQL server (an admin URL) the stories also run on.
pub const POSTGRES_URL_VARIABLE: &str = "COFFEECHAT_TEST_POSTGRES_URL";
/// Prefix of every database the tests create; nothing else on the server is ever touched.
const DATABASE_PREFIX: &str = "coffeechat_test_";
/// A test database older than this is left over from a killed run.
const STALE_AFTER_SECONDS: i64 = 3600;

/// A database the stories run on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    /// With the admin URL to create databases through.
    Postgres {
        admin_url: String,
    },
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres { .. } => "PostgreSQL",
        })
    }
}

/// SQLite, and PostgreSQL when [`POSTGRES_URL_VARIABLE`] is set (else says once, on the terminal, that those
/// stories are skipped).
pub fn backends() -> Vec<Backend> {
    let mut backends = vec![Backend::Sqlite];
    match postgres_admin_url() {
        Some(admin_url) => backends.push(Backend::Postgres { admin_url }),
        None => skipped_notice(),
    }
    backends
}

/// The PostgreSQL admin URL, when PostgreSQL stories run.
pub fn postgres_admin_url() -> Option<String> {
    std::env::var(POSTGRES_URL_VARIABLE).ok().map(|url| url.trim().to_owned()).filter(|url| !url.is_empty())
}

fn skipped_notice() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // Straight to the process's stderr: the test harness captures `eprintln!` of passing tests.
        let _ = writeln!(std::io::stderr(), "PostgreSQL story tests skipped: {POSTGRES_URL_VARIABLE} is not set");
    });
}

impl Backend {
    /// A migrated store on a new, empty database of this backend.
    pub async fn fresh_store(&self) -> TestStore {
        // Captured by the harness and shown with a failure, so the last line names the failing backend.
        eprintln!("story on {self}");
        match self {
            Backend::Sqlite => fresh_store().await,
            Backend::Postgres { admin_url } => {
                let database = TestDatabase::create(admin_url).await;
                let store = coffeechat_store::open(&database.url).await.unwrap();
                store.migrate().await.unwrap();
                TestStore { store, database: Database::Postgres(Box::new(database)) }
            }
        }
    }
}

/// A migrated store on its own database, and what keeps that database alive.
pub struct TestStore {
    pub store: Arc<dyn Store>,
    /// Deleted when the test ends (after the store, declared above, has let go of it).
    database: Database,
}

enum Database {
    Sqlite(#[allow(dead_code, reason = "held for its Drop, which deletes the directory")] tempfile::TempDir),
    Postgres(Box<TestDatabase>),
}

impl TestStore {
    /// The database's URL, for looking behind the store's back (PostgreSQL only).
    pub fn postgres_url(&self) -> Option<&str> {
        match &self.database {
            Database::Postgres(database) => Some(&database.url),
            Database::Sqlite(_) => None,
        }
    }
}

impl std::ops::Deref for TestStore {
    type Target = dyn Store;

    fn deref(&self) -> &Self::Target {
        self.store.as_ref()
    }
}

/// A SQLite store on a new, migrated database file.
pub async fn fresh_store() -> TestStore {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("coffeechat.db");
    let store = coffeechat_store::open(path.to_str().unwrap()).await.unwrap();
    store.migrate().await.unwrap();
    TestStore { store, database: Database::Sqlite(dir) }
}

/// A PostgreSQL database created for one test and dropped with it.
struct TestDatabase {
    admin: PgConnectOptions,
    name: String,
    url: String,
}

impl TestDatabase {
    async fn create(admin_url: &str) -> TestDatabase {
        let admin = PgConnectOptions::from_str(admin_url).unwrap();
        let mut conn = admin
            .connect()
            .await
            .unwrap_or_else(|error| panic!("{POSTGRES_URL_VARIABLE} is set but its server cannot be reached: {error}"));
        static SWEPT: AtomicBool = AtomicBool::new(false);
        if !SWEPT.swap(true, Ordering::SeqCst) {
            sweep_stale_databases(&mut conn).await;
        }
        let name = format!("{DATABASE_PREFIX}{}_{:016x}", Timestamp::now().as_second(), rand::random::<u64>());
        // The name is ours (digits and hex), so it needs no quoting beyond the identifier quotes.
        sqlx::query(AssertSqlSafe(format!("CREATE DATABASE \"{name}\""))).execute(&mut conn).await.unwrap();
        conn.close().await.unwrap();
        let url = admin.clone().database(&name).to_url_lossy().to_string();
        TestDatabase { admin, name, url }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let (admin, name) = (self.admin.clone(), self.name.clone());
        // On a thread of its own: Drop runs inside the test's runtime, which cannot block on a future itself.
        // FORCE ends connections the store's pool may still be closing.
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

/// Drops test databases of runs that were killed before they could drop their own.
async fn sweep_stale_databases(conn: &mut PgConnection) {
    let names: Vec<String> = sqlx::query_scalar("SELECT datname FROM pg_database WHERE starts_with(datname, $1)")
        .bind(DATABASE_PREFIX)
        .fetch_all(&mut *conn)
        .await
        .unwrap();
    let now = Timestamp::now().as_second();
    for name in names {
        let created = name
            .strip_prefix(DATABASE_PREFIX)
            .and_then(|rest| rest.split('_').next())
            .and_then(|seconds| seconds.parse::<i64>().ok());
        if created.is_some_and(|created| now - created > STALE_AFTER_SECONDS) {
            let dropped = sqlx::query(AssertSqlSafe(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")))
                .execute(&mut *conn)
                .await;
            if let Err(error) = dropped {
                eprintln!("could not drop stale test database {name}: {error}");
            }
        }
    }
}

pub fn at(rfc3339: &str) -> Timestamp {
    rfc3339.parse().unwrap()
}

pub fn minutes(n: i64) -> SignedDuration {
    SignedDuration::from_mins(n)
}

pub fn new_account(email: &str, name: &str, roles: &[&str]) -> NewAccount {
    NewAccount {
        email: Email::parse(email).unwrap(),
        name: name.into(),
        roles: Roles::parse(roles).unwrap(),
        time_zone: TimeZoneName::parse("Europe/Berlin").unwrap(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
    }
}

pub async fn seeker(store: &dyn Store, email: &str) -> Account {
    store.create_account(new_account(email, &format!("Seeker {email}"), &["seeker"])).await.unwrap()
}

pub fn profile(handle: &str, name: &str, industry: &str, skills: &[&str]) -> HostProfile {
    HostProfileInput {
        handle: handle.into(),
        name: name.into(),
        headline: format!("{name} talks about {industry}"),
        role: "Engineer".into(),
        employer: "Acme".into(),
        industry: industry.into(),
        skills: skills.iter().map(|s| (*s).to_owned()).collect(),
        topics: vec!["Career changes".into()],
        career_path: "School, then work.".into(),
    }
    .validate()
    .unwrap()
}

pub fn policy(monthly_cap: i64, buffer_minutes: i64) -> HostPolicy {
    PolicyInput {
        time_zone: "America/New_York".into(),
        lengths_minutes: vec![20, 30],
        windows: vec![WindowInput { weekday: "mon".into(), start: "07:30".into(), end: "08:30".into() }],
        monthly_cap,
        buffer_minutes,
        min_notice_hours: 24,
        horizon_days: 30,
        accepting: true,
        ..PolicyInput::default()
    }
    .validate()
    .unwrap()
}

/// A host account with a profile (and no policy).
pub async fn host_with_profile(store: &dyn Store, handle: &str, profile: HostProfile) -> Account {
    let account =
        store.create_account(new_account(&format!("{handle}@example.org"), &profile.name, &["host"])).await.unwrap();
    assert_eq!(profile.handle, Handle::parse(handle).unwrap());
    store.put_host_profile(account.id, &profile).await.unwrap();
    account
}

pub async fn host(store: &dyn Store, handle: &str) -> Account {
    host_with_profile(store, handle, profile(handle, &format!("Host {handle}"), "Software", &["Rust"])).await
}

pub async fn request(
    store: &dyn Store,
    seeker: AccountId,
    host: AccountId,
    starts: &[Timestamp],
    created_at: Timestamp,
) -> RequestRecord {
    store
        .create_request(NewRequestRecord {
            seeker_id: seeker,
            host_id: host,
            length: MeetingLength::Min30,
            proposed_starts: starts.to_vec(),
            purpose: "Learn how you moved into data work".into(),
            topics: vec!["Data".into(), "Career change".into()],
            questions: vec!["What surprised you?".into()],
            created_at,
            expires_at: created_at.checked_add(jiff::SignedDuration::from_hours(14 * 24)).unwrap_or(created_at),
        })
        .await
        .unwrap()
}

/// An acceptance of a 30-minute slot at `start` with the given buffer and cap; the month is March 2030 (UTC).
pub fn booking(request: RequestId, start: Timestamp, buffer: i64, monthly_cap: u32) -> AcceptBooking {
    let end = start + minutes(30);
    AcceptBooking {
        request_id: request,
        start,
        end,
        conflict_from: start - minutes(buffer),
        conflict_to: end + minutes(buffer),
        caps: vec![CapPeriod {
            kind: CapKind::Month,
            from: at("2030-03-01T00:00:00Z"),
            to: at("2030-04-01T00:00:00Z"),
            cap: monthly_cap,
        }],
        count_pending: false,
        at: at("2030-02-20T12:00:00Z"),
    }
}
