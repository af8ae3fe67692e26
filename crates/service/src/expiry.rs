//! Response expectations: requests expire after the host's `expiry_days` without an answer (the seeker is
//! told), the host is reminded once at half-time, and the host's page shows how quickly they usually answer.
//!
//! Both tasks claim their requests in the store with one conditional update each, so two workers running
//! them at once expire, or remind about, every request exactly once; the mail they queue carries dedupe keys
//! as a second guard.

use coffeechat_domain::AccountId;
use coffeechat_domain::request_rules::UsualResponse;
use jiff::SignedDuration;

use crate::availability::shifted;
use crate::mail::{request_expired, request_reminder};
use crate::{Result, Services};

/// How often the worker expires requests and sends half-time reminders.
pub const EXPIRY_INTERVAL: std::time::Duration = std::time::Duration::from_secs(300);
/// Requests handled per claim; a run claims again until none are due.
const BATCH: u32 = 100;
/// How far back the usual response time looks.
pub const RESPONSE_HISTORY: SignedDuration = SignedDuration::from_hours(90 * 24);

impl Services {
    /// The task `expire-requests`: expires pending requests past their deadline and tells each seeker (email
    /// and in-app). Returns how many expired.
    ///
    /// # Errors
    /// Store failures.
    pub async fn expire_requests(&self) -> Result<u32> {
        let mut expired = 0;
        loop {
            let ids = self.store.expire_due_requests(self.now(), BATCH).await?;
            if ids.is_empty() {
                return Ok(expired);
            }
            for id in ids {
                expired += 1;
                let Some(request) = self.store.request(id).await? else { continue };
                tracing::info!(request = %id, "request expired");
                self.queue_mail(vec![request_expired(&self.site, &request)]).await;
                let text = format!(
                    "Your request to {} expired without an answer. It says nothing about you: ask again later, or \
                     ask someone else.",
                    request.host.name
                );
                let key = Some(format!("request:{id}:expired"));
                self.notify_once(request.seeker.id, "request_expired", &text, &format!("/requests/{id}"), key).await;
                // A pending request may have counted towards the host's caps.
                self.promote_waitlist_of(request.host.id).await;
            }
        }
    }

    /// The task `remind-hosts`: one reminder per request, at half its time to expiry (email and in-app).
    /// Returns how many reminders it sent.
    ///
    /// # Errors
    /// Store failures.
    pub async fn remind_hosts(&self) -> Result<u32> {
        let mut reminded = 0;
        loop {
            let ids = self.store.claim_due_reminders(self.now(), BATCH).await?;
            if ids.is_empty() {
                return Ok(reminded);
            }
            for id in ids {
                reminded += 1;
                let Some(request) = self.store.request(id).await? else { continue };
                let deadlines = self.store.request_deadlines(id).await?;
                let expires = deadlines.expires_at.unwrap_or_else(|| {
                    shifted(request.created_at, coffeechat_domain::RequestRules::default().expiry())
                });
                self.queue_mail(vec![request_reminder(&self.site, &request, expires)]).await;
                let text = format!(
                    "{} is still waiting for your answer; the request expires {}.",
                    request.seeker.name,
                    coffeechat_domain::time_text::format_instant(expires, &request.host.time_zone)
                );
                let key = Some(format!("request:{id}:reminder"));
                self.notify_once(request.host.id, "request_reminder", &text, &format!("/requests/{id}"), key).await;
            }
        }
    }

    /// How quickly the host usually answers: the median time to accept or decline over the last 90 days,
    /// or "new host" with fewer than three answers.
    ///
    /// # Errors
    /// Store failures.
    pub async fn usual_response(&self, host: AccountId) -> Result<UsualResponse> {
        let since = shifted(self.now(), -RESPONSE_HISTORY);
        Ok(UsualResponse::from_delays(&self.store.answer_delays(host, since).await?))
    }
}
