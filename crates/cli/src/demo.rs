//! Demo data: thirty hosts across ten industries, about a hundred seekers, and a history of requests
//! and interviews in every state, so a new user sees a working product on the first run.
//!
//! The data is deterministic: names, profiles and policies come from fixed lists (module `people`), and every
//! choice is drawn from a [`ChaCha8Rng`] with a fixed seed. Only the dates move: they are placed relative
//! to `now`, so the demo always has upcoming slots and interviews as well as past history.
//!
//! Everything is written through the [`Store`] trait, the way the application writes it: each time is a
//! real slot of the host's policy found by the slot engine, bookings go through
//! [`Store::accept_request`] with the host's buffer and caps, so the demo never holds two
//! overlapping interviews or a month over its cap. Past history is booked as of its own date (the store
//! does not check the clock), and cancelled interviews free their time again.
//!
//! Loading is idempotent: when the first demo account already exists the loader does nothing. A load
//! interrupted halfway leaves partial data that a second run does not complete; delete the database file
//! and load again.

mod aftercare;
mod matching;
mod people;
mod programs;
mod request_rules;

use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

use anyhow::{Context as _, anyhow};
use coffeechat_domain::{
    AccountId, DeclineReason, Email, HostPolicy, HostProfileInput, MeetingLength, PolicyInput, RequestId, Roles,
    TimeZoneName, Weekday, WindowInput,
};
use coffeechat_schedule::{Busy, Slot, SlotSearch, free_slots, month_bounds};
use coffeechat_store::{AcceptBooking, Account, NewAccount, NewRequestRecord, RequestChange, RequestRecord, Store};
use jiff::{SignedDuration, Timestamp};
use rand::seq::{IndexedRandom as _, SliceRandom as _};
use rand::{Rng as _, SeedableRng as _};
use rand_chacha::ChaCha8Rng;

use people::{Availability, HostSpec};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "coffeechat-demo";
/// A host with a busy inbox: pending requests, upcoming and past interviews.
pub const DEMO_HOST_LOGIN: &str = "maya.okafor@demo.coffeechat.test";
/// A seeker with a request or interview in every state.
pub const DEMO_SEEKER_LOGIN: &str = "sam.lee@demo.coffeechat.test";
/// The domain of every demo address (`.test` is reserved: no mail can ever be delivered there).
pub const DEMO_EMAIL_DOMAIN: &str = "demo.coffeechat.test";
/// How many seekers are drawn from the name lists, besides the featured seeker.
const GENERATED_SEEKERS: usize = 99;
/// Changing the seed changes every name and time the demo draws.
const SEED: u64 = 0x00C0_FFEE_C4A7;
/// How far back the history reaches.
const HISTORY_DAYS: i64 = 84;

/// What a load wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoSummary {
    /// The demo data was there already; nothing was written.
    pub already_present: bool,
    pub hosts: usize,
    pub industries: usize,
    /// Accounts with the seeker role (a host who also seeks counts here too).
    pub seekers: usize,
    pub pending: usize,
    pub accepted: usize,
    pub declined: usize,
    pub withdrawn: usize,
    pub expired: usize,
    pub interviews_upcoming: usize,
    pub interviews_past: usize,
    pub interviews_cancelled: usize,
}

impl DemoSummary {
    pub fn requests(&self) -> usize {
        self.pending + self.accepted + self.declined + self.withdrawn + self.expired
    }

    pub fn interviews(&self) -> usize {
        self.interviews_upcoming + self.interviews_past + self.interviews_cancelled
    }
}

impl fmt::Display for DemoSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.already_present {
            return f.write_str("demo data already present");
        }
        write!(
            f,
            "{} hosts in {} industries, {} seekers, {} requests ({} pending, {} accepted, {} declined, {} withdrawn, \
             {} expired), {} interviews ({} upcoming, {} past, {} cancelled)",
            self.hosts,
            self.industries,
            self.seekers,
            self.requests(),
            self.pending,
            self.accepted,
            self.declined,
            self.withdrawn,
            self.expired,
            self.interviews(),
            self.interviews_upcoming,
            self.interviews_past,
            self.interviews_cancelled,
        )
    }
}

/// Loads the demo data unless it is already there.
///
/// # Errors
/// A store error, or a demo record the domain rejects (a bug in the fixed lists, caught by the tests).
pub async fn load_demo(store: &Arc<dyn Store>, now: Timestamp) -> anyhow::Result<DemoSummary> {
    let marker = parse_email(DEMO_HOST_LOGIN)?;
    if store.credentials(&marker).await.context("looking for existing demo data")?.is_some() {
        tracing::info!("demo data already present ({DEMO_HOST_LOGIN} exists); not loading it again");
        return Ok(DemoSummary { already_present: true, ..DemoSummary::default() });
    }
    tracing::info!("loading demo data");
    // argon2 is deliberately slow, so all demo accounts share one hash, computed off the async threads.
    let password_hash = tokio::task::spawn_blocking(|| coffeechat_service::hash_password(DEMO_PASSWORD))
        .await
        .context("hashing the demo password")?
        .context("hashing the demo password")?;
    let mut loader = Loader::new(store.clone(), now, password_hash);
    loader.create_hosts().await?;
    loader.create_seekers().await?;
    for index in 0..loader.hosts.len() {
        loader
            .write_history(index)
            .await
            .with_context(|| format!("demo history of {}", people::HOSTS[index].handle))?;
    }
    aftercare::load(store, now, &marker, &parse_email(DEMO_SEEKER_LOGIN)?).await.context("demo aftercare")?;
    matching::load(&loader).await.context("demo matching profiles")?;
    programs::load(&loader).await.context("demo program")?;
    request_rules::load(&loader).await.context("demo request rules")?;
    let summary = loader.summary;
    tracing::info!("loaded demo data: {summary}");
    tracing::info!("demo logins (password \"{DEMO_PASSWORD}\"): host {DEMO_HOST_LOGIN}, seeker {DEMO_SEEKER_LOGIN}");
    Ok(summary)
}

/// How a demo request ends up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Accepted, and the conversation took place.
    Met,
    /// Accepted, then cancelled before its (past) date.
    CancelledEarlier,
    Upcoming,
    /// Accepted, then cancelled; its date is still ahead.
    UpcomingCancelled,
    Pending,
    Declined,
    Withdrawn,
    Expired,
}

/// The featured seeker's requests: one of each kind, with hosts a visitor is likely to open.
const FEATURED_SEEKER_SCRIPT: &[(&str, Outcome)] = &[
    ("maya-okafor", Outcome::Pending),
    ("diego-fernandez", Outcome::Upcoming),
    ("hannah-becker", Outcome::Met),
    ("grace-mensah", Outcome::Declined),
    ("kenji-watanabe", Outcome::Withdrawn),
    ("aisha-rahman", Outcome::Expired),
    ("priya-nair", Outcome::UpcomingCancelled),
    ("chloe-martin", Outcome::CancelledEarlier),
];

#[derive(Debug)]
struct DemoHost {
    spec: &'static HostSpec,
    account: Account,
    policy: HostPolicy,
    /// Active interviews booked so far, for the slot engine.
    busy: Vec<Busy>,
}

#[derive(Debug)]
struct DemoSeeker {
    account: Account,
    /// How they introduce themselves in a request.
    background: &'static str,
}

/// The host behind [`DEMO_HOST_LOGIN`], given a fuller inbox than the others.
const FEATURED_HOST_HANDLE: &str = "maya-okafor";
/// Index of the featured seeker in `Loader::seekers`.
const FEATURED: usize = 0;

#[derive(Debug)]
struct Loader {
    store: Arc<dyn Store>,
    now: Timestamp,
    password_hash: String,
    rng: ChaCha8Rng,
    hosts: Vec<DemoHost>,
    seekers: Vec<DemoSeeker>,
    /// Seekers in the order requests are handed out (everyone but the featured seeker).
    rotation: Vec<usize>,
    next_in_rotation: usize,
    /// Decline reasons are taken in turn, so each appears.
    next_decline: usize,
    summary: DemoSummary,
}

impl Loader {
    fn new(store: Arc<dyn Store>, now: Timestamp, password_hash: String) -> Self {
        Self {
            store,
            now,
            password_hash,
            rng: ChaCha8Rng::seed_from_u64(SEED),
            hosts: Vec::new(),
            seekers: Vec::new(),
            rotation: Vec::new(),
            next_in_rotation: 0,
            next_decline: 0,
            summary: DemoSummary::default(),
        }
    }

    async fn create_account(&self, name: &str, email: &str, zone: &str, roles: &[&str]) -> anyhow::Result<Account> {
        let account = NewAccount {
            email: parse_email(email)?,
            name: name.to_owned(),
            roles: Roles::parse(roles).map_err(|e| anyhow!("demo roles of {email}: {e}"))?,
            time_zone: TimeZoneName::parse(zone).map_err(|e| anyhow!("demo time zone of {email}: {e}"))?,
            password_hash: self.password_hash.clone(),
        };
        self.store.create_account(account).await.with_context(|| format!("creating demo account {email}"))
    }

    async fn create_hosts(&mut self) -> anyhow::Result<()> {
        let mut industries = HashSet::new();
        for spec in people::HOSTS {
            let email = format!("{}@{DEMO_EMAIL_DOMAIN}", spec.email);
            let roles: &[&str] = if spec.also_seeker.is_some() { &["host", "seeker"] } else { &["host"] };
            let account = self.create_account(spec.name, &email, spec.zone, roles).await?;
            let profile = HostProfileInput {
                handle: spec.handle.into(),
                name: spec.name.into(),
                headline: spec.headline.into(),
                role: spec.role.into(),
                employer: spec.employer.into(),
                industry: spec.industry.into(),
                skills: spec.skills.iter().map(|s| (*s).to_owned()).collect(),
                topics: spec.topics.iter().map(|s| (*s).to_owned()).collect(),
                career_path: spec.career_path.into(),
            }
            .validate()
            .map_err(|errors| anyhow!("demo profile of {}: {errors}", spec.handle))?;
            let policy = policy_of(spec)?;
            self.store.put_host_profile(account.id, &profile).await.with_context(|| format!("profile of {email}"))?;
            self.store.put_host_policy(account.id, &policy).await.with_context(|| format!("policy of {email}"))?;
            industries.insert(spec.industry);
            if let Some(background) = spec.also_seeker {
                self.seekers.push(DemoSeeker { account: account.clone(), background });
            }
            self.hosts.push(DemoHost { spec, account, policy, busy: Vec::new() });
        }
        self.summary.hosts = self.hosts.len();
        self.summary.industries = industries.len();
        Ok(())
    }

    async fn create_seekers(&mut self) -> anyhow::Result<()> {
        let (name, local, zone, background) = people::FEATURED_SEEKER;
        let featured = self.create_account(name, &format!("{local}@{DEMO_EMAIL_DOMAIN}"), zone, &["seeker"]).await?;
        self.seekers.insert(FEATURED, DemoSeeker { account: featured, background });

        let mut taken: HashSet<String> = people::HOSTS.iter().map(|h| h.email.to_owned()).collect();
        taken.insert(local.to_owned());
        let mut created = 0;
        while created < GENERATED_SEEKERS {
            let first = pick(&mut self.rng, people::SEEKER_FIRST_NAMES)?;
            let last = pick(&mut self.rng, people::SEEKER_LAST_NAMES)?;
            let local = format!("{}.{}", first.to_ascii_lowercase(), last.to_ascii_lowercase());
            if !taken.insert(local.clone()) {
                continue;
            }
            let zone = pick(&mut self.rng, people::SEEKER_ZONES)?;
            let background = pick(&mut self.rng, people::SEEKER_BACKGROUNDS)?;
            let email = format!("{local}@{DEMO_EMAIL_DOMAIN}");
            let account = self.create_account(&format!("{first} {last}"), &email, zone, &["seeker"]).await?;
            self.seekers.push(DemoSeeker { account, background });
            created += 1;
        }
        self.summary.seekers = self.seekers.len();
        self.rotation = (0..self.seekers.len()).filter(|&index| index != FEATURED).collect();
        self.rotation.shuffle(&mut self.rng);
        Ok(())
    }

    /// The next seeker in the rotation who has not asked this host yet and is not the host.
    fn next_seeker(&mut self, host: AccountId, asked: &HashSet<usize>) -> Option<usize> {
        let count = self.rotation.len();
        for offset in 0..count {
            let position = (self.next_in_rotation + offset) % count;
            let seeker = self.rotation[position];
            if !asked.contains(&seeker) && self.seekers[seeker].account.id != host {
                // Swap the chosen seeker to the front of what is left, so the ones skipped for this host
                // keep their turn and every seeker gets a request in the first pass.
                self.rotation.swap(position, self.next_in_rotation % count);
                self.next_in_rotation = (self.next_in_rotation + 1) % count;
                return Some(seeker);
            }
        }
        None
    }

    /// How each host's requests end up: a random mix, plus the featured seeker's script.
    fn plan(&mut self, spec: &HostSpec) -> Vec<(Outcome, Option<usize>)> {
        let mut plan: Vec<(Outcome, Option<usize>)> = FEATURED_SEEKER_SCRIPT
            .iter()
            .filter(|(handle, _)| *handle == spec.handle)
            .map(|(_, outcome)| (*outcome, Some(FEATURED)))
            .collect();
        let featured_host = spec.handle == FEATURED_HOST_HANDLE;
        let accepting = spec.availability != Availability::Paused;
        let rng = &mut self.rng;
        let counts = [
            (Outcome::Met, if featured_host { 4 } else { rng.random_range(2..=5) }),
            (Outcome::CancelledEarlier, rng.random_range(0..=1)),
            (Outcome::Upcoming, if featured_host { 2 } else { rng.random_range(1..=3) }),
            (Outcome::UpcomingCancelled, usize::from(rng.random_bool(0.3))),
            (
                Outcome::Pending,
                if !accepting {
                    0
                } else if featured_host {
                    3
                } else {
                    rng.random_range(1..=3)
                },
            ),
            (Outcome::Declined, if featured_host || !accepting { 2 } else { rng.random_range(0..=2) }),
            (Outcome::Withdrawn, rng.random_range(0..=1)),
            (Outcome::Expired, usize::from(rng.random_bool(0.4))),
        ];
        for (outcome, count) in counts {
            plan.extend(std::iter::repeat_n((outcome, None), count));
        }
        plan
    }

    async fn write_history(&mut self, index: usize) -> anyhow::Result<()> {
        let spec = self.hosts[index].spec;
        let host_id = self.hosts[index].account.id;
        let mut asked = HashSet::new();
        if spec.availability == Availability::MonthFull {
            self.fill_current_month(index, &mut asked).await?;
        }
        for (outcome, seeker) in self.plan(spec) {
            let seeker = match seeker {
                Some(seeker) => seeker,
                None => match self.next_seeker(host_id, &asked) {
                    Some(seeker) => seeker,
                    None => continue,
                },
            };
            asked.insert(seeker);
            self.write_request(index, seeker, outcome).await?;
        }
        Ok(())
    }

    /// Books the host's current month (host zone) up to its cap, with past and upcoming conversations.
    async fn fill_current_month(&mut self, index: usize, asked: &mut HashSet<usize>) -> anyhow::Result<()> {
        let host = &self.hosts[index];
        let (month_start, month_end) = month_bounds(&host.policy.time_zone, self.now);
        let cap = usize::try_from(host.policy.monthly_cap).unwrap_or(usize::MAX);
        let host_id = host.account.id;
        loop {
            let host = &self.hosts[index];
            let booked = host.busy.iter().filter(|b| b.start >= month_start && b.start < month_end).count();
            if booked >= cap {
                return Ok(());
            }
            let length = pick(&mut self.rng, &host.policy.lengths)?;
            let history = history_policy(&host.policy);
            let mut candidates =
                slots(&history, &host.busy, length, month_start, self.now - SignedDuration::from_hours(1), month_start);
            candidates.extend(slots(&accepting(&host.policy), &host.busy, length, self.now, month_end, self.now));
            let Some(slot) = candidates.choose(&mut self.rng).copied() else {
                tracing::warn!(host = host.spec.handle, "no slot left to fill the demo month");
                return Ok(());
            };
            let Some(seeker) = self.next_seeker(host_id, asked) else { return Ok(()) };
            asked.insert(seeker);
            let outcome = if slot.start < self.now { Outcome::Met } else { Outcome::Upcoming };
            self.book(index, seeker, length, slot.start, &candidates, outcome).await?;
        }
    }

    async fn write_request(&mut self, index: usize, seeker: usize, outcome: Outcome) -> anyhow::Result<()> {
        let host = &self.hosts[index];
        let length = pick(&mut self.rng, &host.policy.lengths)?;
        let now = self.now;
        match outcome {
            Outcome::Met | Outcome::CancelledEarlier => {
                let history_start = now - days(HISTORY_DAYS);
                let candidates = slots(
                    &history_policy(&host.policy),
                    &host.busy,
                    length,
                    history_start,
                    now - SignedDuration::from_hours(2),
                    history_start,
                );
                if let Some(slot) = candidates.choose(&mut self.rng).copied() {
                    self.book(index, seeker, length, slot.start, &candidates, outcome).await?;
                }
            }
            Outcome::Upcoming | Outcome::UpcomingCancelled => {
                let candidates = slots(&accepting(&host.policy), &host.busy, length, now, now + days(90), now);
                if let Some(slot) = candidates.choose(&mut self.rng).copied() {
                    self.book(index, seeker, length, slot.start, &candidates, outcome).await?;
                }
            }
            Outcome::Pending => {
                let created_at = now - SignedDuration::from_mins(self.rng.random_range(90..=60 * 60));
                // Proposals must be free now, as the service checks them at creation.
                let candidates = slots(&host.policy, &host.busy, length, now, now + days(90), now);
                let proposed = self.choose_proposals(&candidates, None);
                if !proposed.is_empty() {
                    self.create_request(index, seeker, length, proposed, created_at).await?;
                    self.summary.pending += 1;
                }
            }
            Outcome::Declined | Outcome::Withdrawn => {
                let created_at = now - SignedDuration::from_hours(self.rng.random_range(26..=40 * 24));
                let candidates = self.slots_as_of(index, length, created_at);
                let proposed = self.choose_proposals(&candidates, None);
                if proposed.is_empty() {
                    return Ok(());
                }
                let request = self.create_request(index, seeker, length, proposed, created_at).await?;
                let latest = (created_at + days(4)).min(now - SignedDuration::from_mins(5));
                let at = between(&mut self.rng, created_at + SignedDuration::from_mins(30), latest);
                if outcome == Outcome::Declined {
                    let (reason, message) = self.decline_reason(index)?;
                    self.change(request.id, RequestChange::Decline { reason, message }, at).await?;
                    self.summary.declined += 1;
                } else {
                    self.change(request.id, RequestChange::Withdraw, at).await?;
                    self.summary.withdrawn += 1;
                }
            }
            Outcome::Expired => {
                let created_at = now - days(self.rng.random_range(15..=50));
                let candidates = self.slots_as_of(index, length, created_at);
                // Expired requests are the ones whose proposed times all passed without an answer.
                let proposed = self.choose_proposals(&candidates, Some(now - SignedDuration::from_hours(1)));
                let Some(last) = proposed.last().copied() else { return Ok(()) };
                let request = self.create_request(index, seeker, length, proposed, created_at).await?;
                let at = (last + SignedDuration::from_mins(5)).min(now);
                self.change(request.id, RequestChange::Expire, at).await?;
                self.summary.expired += 1;
            }
        }
        Ok(())
    }

    /// Free slots of the host as they were at `at` (over the next three weeks from then).
    fn slots_as_of(&self, index: usize, length: MeetingLength, at: Timestamp) -> Vec<Slot> {
        let host = &self.hosts[index];
        slots(&accepting(&host.policy), &host.busy, length, at, at + days(21), at)
    }

    /// One to three distinct starts among `candidates` (those before `before`, when given), in order.
    fn choose_proposals(&mut self, candidates: &[Slot], before: Option<Timestamp>) -> Vec<Timestamp> {
        let usable: Vec<Timestamp> = candidates
            .iter()
            .map(|slot| slot.start)
            .filter(|start| before.is_none_or(|limit| *start < limit))
            .collect();
        let count = self.rng.random_range(1..=3).min(usable.len());
        let mut chosen: Vec<Timestamp> = usable.choose_multiple(&mut self.rng, count).copied().collect();
        chosen.sort();
        chosen
    }

    /// Sends a request for `start` and has the host accept it as of a time before `start`; then, for the
    /// cancelled outcomes, cancels it. `candidates` supplies the other times the seeker proposed.
    async fn book(
        &mut self,
        index: usize,
        seeker: usize,
        length: MeetingLength,
        start: Timestamp,
        candidates: &[Slot],
        outcome: Outcome,
    ) -> anyhow::Result<()> {
        let now = self.now;
        let policy = self.hosts[index].policy.clone();
        let upcoming = start > now;
        let created_at = if upcoming {
            now - SignedDuration::from_hours(self.rng.random_range(6..=6 * 24))
        } else {
            start - policy.min_notice() - SignedDuration::from_hours(self.rng.random_range(12..=10 * 24))
        };
        // The seeker proposed up to two other times close to the one the host took.
        let nearby: Vec<Timestamp> = candidates
            .iter()
            .map(|slot| slot.start)
            .filter(|other| *other != start && other.duration_since(start).abs() <= days(7))
            .collect();
        let others = self.rng.random_range(0..=2);
        let mut proposed: Vec<Timestamp> = nearby.choose_multiple(&mut self.rng, others).copied().collect();
        proposed.push(start);
        proposed.sort();
        let request = self.create_request(index, seeker, length, proposed, created_at).await?;

        let answered = created_at + SignedDuration::from_mins(self.rng.random_range(20..=36 * 60));
        let accepted_at =
            answered.min(start - SignedDuration::from_hours(1)).min(now - SignedDuration::from_mins(1)).max(created_at);
        let end = start + length.span();
        let interview = self
            .store
            .accept_request(AcceptBooking {
                request_id: request.id,
                start,
                end,
                conflict_from: start - policy.buffer(),
                conflict_to: end + policy.buffer(),
                caps: coffeechat_service::cap_periods(&policy, start),
                // Only interviews count when a host accepts, as in the service.
                count_pending: false,
                at: accepted_at,
            })
            .await
            .with_context(|| format!("booking {start} with {}", self.hosts[index].spec.handle))?;
        self.summary.accepted += 1;

        if matches!(outcome, Outcome::CancelledEarlier | Outcome::UpcomingCancelled) {
            let by_host = self.rng.random_bool(0.5);
            let (by, reasons) = if by_host {
                (self.hosts[index].account.id, people::HOST_CANCEL_REASONS)
            } else {
                (self.seekers[seeker].account.id, people::SEEKER_CANCEL_REASONS)
            };
            let reason = pick(&mut self.rng, reasons)?;
            let latest = (start - SignedDuration::from_hours(1)).min(now - SignedDuration::from_mins(1));
            let at = between(&mut self.rng, accepted_at + SignedDuration::from_mins(10), latest);
            self.store
                .cancel_interview(interview.id, by, reason, at)
                .await
                .with_context(|| format!("cancelling the demo interview at {start}"))?;
            self.summary.interviews_cancelled += 1;
        } else {
            self.hosts[index].busy.push(Busy { start, end });
            if upcoming {
                self.summary.interviews_upcoming += 1;
            } else {
                self.summary.interviews_past += 1;
            }
        }
        Ok(())
    }

    async fn create_request(
        &mut self,
        index: usize,
        seeker: usize,
        length: MeetingLength,
        proposed_starts: Vec<Timestamp>,
        created_at: Timestamp,
    ) -> anyhow::Result<RequestRecord> {
        let spec = self.hosts[index].spec;
        let (purpose, topics, questions) = self.request_text(spec, self.seekers[seeker].background)?;
        let record = NewRequestRecord {
            seeker_id: self.seekers[seeker].account.id,
            host_id: self.hosts[index].account.id,
            length,
            proposed_starts,
            purpose,
            topics,
            questions,
            created_at,
            expires_at: created_at
                .checked_add(coffeechat_domain::RequestRules::default().expiry())
                .unwrap_or(created_at),
        };
        self.store.create_request(record).await.with_context(|| format!("creating a demo request to {}", spec.handle))
    }

    async fn change(&self, request: RequestId, change: RequestChange, at: Timestamp) -> anyhow::Result<()> {
        self.store
            .change_request(request, change, at)
            .await
            .with_context(|| format!("changing demo request {request}"))?;
        Ok(())
    }

    fn decline_reason(&mut self, index: usize) -> anyhow::Result<(DeclineReason, String)> {
        let reason = if self.hosts[index].spec.availability == Availability::Paused {
            DeclineReason::NoCapacity
        } else {
            let reason = DeclineReason::ALL[self.next_decline % DeclineReason::ALL.len()];
            self.next_decline += 1;
            reason
        };
        let note = pick(&mut self.rng, people::DECLINE_NOTES)?;
        Ok((reason, note.to_owned()))
    }

    /// Purpose, topics and questions, in the seeker's voice, about this host's field.
    fn request_text(
        &mut self,
        host: &HostSpec,
        background: &str,
    ) -> anyhow::Result<(String, Vec<String>, Vec<String>)> {
        let industry = match host.industry {
            "Public sector" => "the public sector".to_owned(),
            "Nonprofit" => "the nonprofit sector".to_owned(),
            "Energy" => "the energy sector".to_owned(),
            "Design & media" => "design and media".to_owned(),
            other => other.to_lowercase(),
        };
        let role = lower_first(host.role);
        let article = if role.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
        let topic = pick(&mut self.rng, host.topics)?;
        let purpose = match self.rng.random_range(0..5) {
            0 => format!(
                "I'm {background} and I'm weighing a move into {industry}. I'd like to understand what your work \
                 as {article} {role} involves day to day, and how you got there."
            ),
            1 => format!(
                "I'm {background}. Your path is close to the one I'm considering, and a short conversation with \
                 you would help me decide before I commit to a course."
            ),
            2 => format!(
                "I'm {background}. I'd like to ask you about \"{topic}\": I've read what I can find online, but \
                 I'd value hearing it from someone doing the work."
            ),
            3 => format!(
                "I'm {background} and I'm applying for roles in {industry} soon. I'm not asking for a referral; \
                 I want to learn what the job is like beyond the job adverts."
            ),
            _ => format!(
                "I'm {background}. I'm trying to work out which of my skills carry over into {industry} and which \
                 gaps I'd need to close first."
            ),
        };
        let topic_count = self.rng.random_range(1..=2);
        let topics = host.topics.choose_multiple(&mut self.rng, topic_count).map(|t| (*t).to_owned()).collect();
        let mut questions: Vec<String> = people::industry_questions(host.industry)
            .choose(&mut self.rng)
            .map(|q| (*q).to_owned())
            .into_iter()
            .collect();
        let general_count = self.rng.random_range(1..=3);
        questions
            .extend(people::GENERAL_QUESTIONS.choose_multiple(&mut self.rng, general_count).map(|q| (*q).to_owned()));
        Ok((purpose, topics, questions))
    }
}

fn parse_email(raw: &str) -> anyhow::Result<Email> {
    Email::parse(raw).map_err(|e| anyhow!("demo email {raw}: {e}"))
}

fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: &[T]) -> anyhow::Result<T> {
    items.choose(rng).copied().ok_or_else(|| anyhow!("a demo list is empty"))
}

fn days(count: i64) -> SignedDuration {
    SignedDuration::from_hours(24 * count)
}

/// A random instant in `[from, to)`, or `from` when the range is empty.
fn between(rng: &mut ChaCha8Rng, from: Timestamp, to: Timestamp) -> Timestamp {
    let seconds = to.duration_since(from).as_secs();
    if seconds <= 0 { from } else { from + SignedDuration::from_secs(rng.random_range(0..seconds)) }
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The host's policy with requests open (a paused host was accepting when its history happened).
fn accepting(policy: &HostPolicy) -> HostPolicy {
    HostPolicy { accepting: true, ..policy.clone() }
}

/// The policy as a search from the start of the history sees it: open, no notice, a horizon covering
/// the whole history.
fn history_policy(policy: &HostPolicy) -> HostPolicy {
    HostPolicy { accepting: true, min_notice_hours: 0, horizon_days: 365, ..policy.clone() }
}

fn slots(
    policy: &HostPolicy,
    busy: &[Busy],
    length: MeetingLength,
    from: Timestamp,
    to: Timestamp,
    now: Timestamp,
) -> Vec<Slot> {
    free_slots(&SlotSearch { bookings: busy, ..SlotSearch::new(policy, length, from, to, now) })
}

/// The validated policy of a demo host.
fn policy_of(spec: &HostSpec) -> anyhow::Result<HostPolicy> {
    let mut windows = Vec::new();
    for (day_spec, start, end) in spec.windows {
        for weekday in expand_days(day_spec).map_err(|e| anyhow!("demo windows of {}: {e}", spec.handle))? {
            windows.push(WindowInput { weekday: weekday.as_str().into(), start: (*start).into(), end: (*end).into() });
        }
    }
    PolicyInput {
        time_zone: spec.zone.into(),
        lengths_minutes: spec.lengths.to_vec(),
        windows,
        monthly_cap: spec.monthly_cap,
        buffer_minutes: spec.buffer_minutes,
        min_notice_hours: spec.min_notice_hours,
        horizon_days: spec.horizon_days,
        accepting: spec.availability != Availability::Paused,
        ..PolicyInput::default()
    }
    .validate()
    .map_err(|errors| anyhow!("demo policy of {}: {errors}", spec.handle))
}

/// `"mon-fri"` → Monday to Friday; `"tue,thu"` → Tuesday and Thursday.
fn expand_days(spec: &str) -> Result<Vec<Weekday>, String> {
    let mut days = Vec::new();
    for part in spec.split(',') {
        match part.split_once('-') {
            Some((first, last)) => {
                let (first, last) = (Weekday::parse(first)?, Weekday::parse(last)?);
                days.extend(Weekday::ALL.into_iter().filter(|day| *day >= first && *day <= last));
            }
            None => days.push(Weekday::parse(part)?),
        }
    }
    Ok(days)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]
mod tests {
    use super::*;

    #[test]
    fn day_specs_expand() {
        assert_eq!(expand_days("mon-wed").unwrap(), vec![Weekday::Mon, Weekday::Tue, Weekday::Wed]);
        assert_eq!(expand_days("tue,thu").unwrap(), vec![Weekday::Tue, Weekday::Thu]);
        assert!(expand_days("mon-funday").is_err());
    }

    #[test]
    fn every_demo_host_has_a_valid_profile_and_policy() {
        let mut handles = HashSet::new();
        let mut industries = HashSet::new();
        let mut zones = HashSet::new();
        for spec in people::HOSTS {
            let policy = policy_of(spec).unwrap();
            assert!((2..=8).contains(&policy.monthly_cap), "{}", spec.handle);
            assert!(handles.insert(spec.handle), "duplicate handle {}", spec.handle);
            industries.insert(spec.industry);
            zones.insert(spec.zone);
            parse_email(&format!("{}@{DEMO_EMAIL_DOMAIN}", spec.email)).unwrap();
        }
        assert!(people::HOSTS.len() >= 30);
        assert!(industries.len() >= 8);
        assert!(zones.iter().any(|z| z.starts_with("America/")));
        assert!(zones.iter().any(|z| z.starts_with("Europe/")));
        assert!(zones.iter().any(|z| z.starts_with("Asia/")));
        assert!(zones.iter().any(|z| z.starts_with("Australia/")));
        assert!(people::HOSTS.iter().any(|h| h.availability == Availability::Paused));
        assert!(people::HOSTS.iter().any(|h| h.availability == Availability::MonthFull));
        for (handle, _) in FEATURED_SEEKER_SCRIPT {
            assert!(handles.contains(handle), "scripted host {handle} is not a demo host");
        }
        assert_eq!(format!("{}@{DEMO_EMAIL_DOMAIN}", people::HOSTS[0].email), DEMO_HOST_LOGIN);
        assert_eq!(people::HOSTS[0].handle, FEATURED_HOST_HANDLE);
        assert_eq!(format!("{}@{DEMO_EMAIL_DOMAIN}", people::FEATURED_SEEKER.1), DEMO_SEEKER_LOGIN);
    }

    #[test]
    fn there_are_enough_names_for_the_seekers() {
        assert!(people::SEEKER_FIRST_NAMES.len() * people::SEEKER_LAST_NAMES.len() > 10 * GENERATED_SEEKERS);
        for zone in people::SEEKER_ZONES {
            TimeZoneName::parse(zone).unwrap();
        }
    }

    #[test]
    fn between_stays_in_range() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let from: Timestamp = "2026-03-01T00:00:00Z".parse().unwrap();
        let to = from + SignedDuration::from_hours(5);
        for _ in 0..100 {
            let at = between(&mut rng, from, to);
            assert!(at >= from && at < to);
        }
        assert_eq!(between(&mut rng, to, from), to);
    }
}
