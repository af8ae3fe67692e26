//! Demo request rules (issue 4): a host whose month is full keeps a waitlist (the featured seeker is second in
//! line, so `/dashboard` and the host's page show a position and the next opening), a paused host declines
//! when full (sending to them shows similar hosts with time), the featured host blocks requests that break
//! the etiquette rules, and the featured seeker has in-app notices for the steps of their history.
//!
//! Written through the store, like the rest of the demo, with times relative to `now`.

use anyhow::{Context as _, anyhow};
use coffeechat_domain::{EtiquetteMode, Overflow, RequestRules, RequestStatus};
use coffeechat_schedule::month_bounds;
use coffeechat_store::{NewNotification, NewWaitlistEntry, WaitlistStatus};
use jiff::SignedDuration;

use super::{FEATURED, FEATURED_HOST_HANDLE, Loader};

/// The host with a full month and a waitlist (their month is booked by the history).
const WAITLIST_HOST: &str = "sofia-rossi";
/// The paused host who declines when full.
const DECLINING_HOST: &str = "olivia-chen";
/// Seekers in the waitlist host's line, in order: indexes into the loader's seekers (the featured one second).
const LINE: [usize; 3] = [7, FEATURED, 12];

pub(super) async fn load(loader: &Loader) -> anyhow::Result<()> {
    let store = &loader.store;
    let now = loader.now;
    let host_of = |handle: &str| {
        loader.hosts.iter().find(|host| host.spec.handle == handle).ok_or_else(|| anyhow!("demo host {handle} missing"))
    };

    // Full: the month is at its cap and the host books only within it, so the page says when it opens again.
    let full = host_of(WAITLIST_HOST)?;
    let (_, month_end) = month_bounds(&full.policy.time_zone, now);
    let days_left = month_end.duration_since(now).as_hours() / 24;
    let mut policy = full.policy.clone();
    policy.horizon_days = u32::try_from(days_left.max(1)).unwrap_or(1);
    store.put_host_policy(full.account.id, &policy).await.context("demo full host's policy")?;
    store.put_request_rules(full.account.id, &RequestRules::default()).await?;
    for (place, &seeker_index) in LINE.iter().enumerate() {
        let seeker = loader.seekers.get(seeker_index).ok_or_else(|| anyhow!("demo seeker {seeker_index} missing"))?;
        let (purpose, topics, questions) = (
            format!(
                "I'm {}. I'd like to hear how you got where you are, and what the work is like.",
                seeker.background
            ),
            vec!["Career path".to_owned(), "A day in the role".to_owned()],
            vec![
                "What does a normal week look like for you?".to_owned(),
                "Which part of the job surprised you most when you started?".to_owned(),
                "What would you learn first if you were starting out today?".to_owned(),
            ],
        );
        let hours_ago = i64::try_from(72 - 20 * place).unwrap_or(1);
        let entry = store
            .add_to_waitlist(NewWaitlistEntry {
                host_id: full.account.id,
                seeker_id: seeker.account.id,
                status: WaitlistStatus::Waiting,
                length: *policy.lengths.first().ok_or_else(|| anyhow!("demo host without lengths"))?,
                purpose,
                topics,
                questions,
                at: now - SignedDuration::from_hours(hours_ago),
            })
            .await
            .context("demo waitlist entry")?;
        if seeker_index == FEATURED {
            store
                .add_notification(NewNotification {
                    account_id: seeker.account.id,
                    kind: "waitlist_joined".into(),
                    text: format!(
                        "{} is full for now. You are number {} on the waitlist; when it is your turn, the opening is \
                         kept for you for 48 hours.",
                        full.spec.name,
                        entry.position.unwrap_or(1)
                    ),
                    link: format!("/h/{WAITLIST_HOST}"),
                    created_at: entry.created_at,
                    dedupe_key: Some(format!("waitlist:{}:joined", entry.id)),
                })
                .await?;
        }
    }

    // Paused, and in decline mode: a request is refused at once with similar hosts who have time.
    let declining = host_of(DECLINING_HOST)?;
    let rules = RequestRules { overflow: Overflow::Decline, response_days: 3, ..RequestRules::default() };
    store.put_request_rules(declining.account.id, &rules).await?;

    // The featured host is strict about etiquette and answers within five days.
    let featured = host_of(FEATURED_HOST_HANDLE)?;
    let rules = RequestRules { etiquette_mode: EtiquetteMode::Block, response_days: 5, ..RequestRules::default() };
    store.put_request_rules(featured.account.id, &rules).await?;

    // In-app notices for the featured seeker's answered requests, as the live system would have left them.
    let seeker = loader.seekers.get(FEATURED).ok_or_else(|| anyhow!("featured demo seeker missing"))?;
    for request in store.requests_for(seeker.account.id).await? {
        if request.seeker.id != seeker.account.id {
            continue;
        }
        let (kind, text) = match request.status {
            RequestStatus::Expired => (
                "request_expired",
                format!("Your request to {} expired without an answer. It says nothing about you.", request.host.name),
            ),
            RequestStatus::Declined => (
                "request_declined",
                format!("{} can't take your request this time; their message is on the request.", request.host.name),
            ),
            _ => continue,
        };
        store
            .add_notification(NewNotification {
                account_id: seeker.account.id,
                kind: kind.into(),
                text,
                link: format!("/requests/{}", request.id),
                created_at: request.updated_at,
                dedupe_key: Some(format!("request:{}:{}", request.id, kind.trim_start_matches("request_"))),
            })
            .await?;
    }
    Ok(())
}
