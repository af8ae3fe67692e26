//! Draining the outbox: claim each due message, hand it to the transport, record the outcome, and retry
//! failures on a widening schedule until the last attempt leaves the message visibly `failed`. Deliveries are
//! counted for `/metrics` (`coffeechat_emails_sent_total`, `coffeechat_emails_failed_total`).

use std::time::Duration;

use coffeechat_store::{OutboxCounts, OutboxMessage, OutboxStatus, StoreError};
use jiff::{SignedDuration, Timestamp};

use crate::availability::shifted;
use crate::transport::MailTransport;
use crate::worker::WorkerControl;
use crate::{Result, Services};

/// Attempts a message gets in all; after the last failure it stays `failed` for an operator to see.
pub const MAX_ATTEMPTS: u32 = 6;

/// The wait after the 1st, 2nd, … failed attempt: about 15 hours from the first try to giving up, long enough
/// to ride out a mail server's maintenance window, short enough that a reply still makes sense.
const RETRY_DELAYS: [SignedDuration; 5] = [
    SignedDuration::from_mins(1),
    SignedDuration::from_mins(5),
    SignedDuration::from_mins(30),
    SignedDuration::from_hours(2),
    SignedDuration::from_hours(12),
];

/// How long a claim lasts: far longer than one SMTP exchange may take (its timeouts are 30 s), so only a worker
/// that stopped mid-send ever lets one run out.
const CLAIM_LEASE: SignedDuration = SignedDuration::from_mins(10);

/// Most messages one run sends, so that one run never monopolises the worker.
const MESSAGES_PER_RUN: usize = 200;

/// How long sent messages are kept: they hold personal text and links nobody needs once delivered.
pub const KEEP_SENT_MESSAGES: Duration = Duration::from_secs(30 * 24 * 3600);

/// The counter of messages handed to the transport.
pub const EMAILS_SENT: &str = "coffeechat_emails_sent_total";
/// The counter of failed delivery attempts, labelled `last_attempt` (`true` when the message is now `failed`).
pub const EMAILS_FAILED: &str = "coffeechat_emails_failed_total";

/// When to try again after `attempts` attempts have failed, or `None` when that was the last one.
pub fn retry_after(attempts: u32) -> Option<SignedDuration> {
    if attempts >= MAX_ATTEMPTS {
        return None;
    }
    let index = usize::try_from(attempts.saturating_sub(1)).unwrap_or(usize::MAX);
    Some(RETRY_DELAYS.get(index).copied().unwrap_or(RETRY_DELAYS[RETRY_DELAYS.len() - 1]))
}

/// What one run of [`Services::send_due_mail`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MailRun {
    pub sent: u32,
    /// Failed attempts that will be retried.
    pub retrying: u32,
    /// Failed attempts that were the last.
    pub failed: u32,
}

impl Services {
    /// Sends every message that is due now (up to 200), through `transport`, one at a time. Claims whose worker
    /// stopped mid-send are given back first.
    ///
    /// # Errors
    /// Only store failures; a transport failure is recorded on its message and retried later.
    pub async fn send_due_mail(&self, transport: &dyn MailTransport) -> Result<MailRun> {
        self.send_due_mail_as(&WorkerControl::new(), transport).await
    }

    /// [`send_due_mail`](Services::send_due_mail) for a worker: its claims carry the worker's id (so that it can
    /// give them back when it stops), and it claims nothing more once the worker is stopping.
    ///
    /// # Errors
    /// Only store failures.
    pub async fn send_due_mail_as(&self, worker: &WorkerControl, transport: &dyn MailTransport) -> Result<MailRun> {
        self.store.release_stale_claims(self.now(), MAX_ATTEMPTS).await?;
        let mut run = MailRun::default();
        for _ in 0..MESSAGES_PER_RUN {
            if worker.is_stopping() {
                break;
            }
            let now = self.now();
            let lease_until = shifted(now, CLAIM_LEASE);
            let Some(message) = self.store.claim_next_message_for(worker.id(), now, lease_until).await? else {
                break;
            };
            match transport.deliver(&message).await {
                Ok(()) => {
                    settled(&message, self.store.mark_message_sent(message.id, self.now()).await)?;
                    tracing::info!(message = %message.id, kind = %message.kind, "mail sent");
                    metrics::counter!(EMAILS_SENT).increment(1);
                    run.sent += 1;
                }
                Err(error) => {
                    let retry_at = retry_after(message.attempts).map(|delay| shifted(self.now(), delay));
                    settled(&message, self.store.mark_message_failed(message.id, &error.to_string(), retry_at).await)?;
                    log_failure(&message, &error.to_string(), retry_at);
                    let last = if retry_at.is_some() { "false" } else { "true" };
                    metrics::counter!(EMAILS_FAILED, "last_attempt" => last).increment(1);
                    if retry_at.is_some() {
                        run.retrying += 1;
                    } else {
                        run.failed += 1;
                    }
                }
            }
        }
        Ok(run)
    }

    /// Deletes messages sent more than 30 days ago; returns how many.
    ///
    /// # Errors
    /// Only store failures.
    pub async fn prune_sent_mail(&self) -> Result<u64> {
        let keep = SignedDuration::try_from(KEEP_SENT_MESSAGES).unwrap_or(SignedDuration::MAX);
        Ok(self.store.delete_sent_messages(shifted(self.now(), -keep)).await?)
    }

    /// How many messages are queued, being sent, sent and failed.
    ///
    /// # Errors
    /// Only store failures.
    pub async fn outbox_counts(&self) -> Result<OutboxCounts> {
        Ok(self.store.outbox_counts().await?)
    }

    /// The newest messages (at most `limit`), optionally of one status: what an operator looks at.
    ///
    /// # Errors
    /// Only store failures.
    pub async fn outbox_messages(&self, status: Option<OutboxStatus>, limit: u32) -> Result<Vec<OutboxMessage>> {
        Ok(self.store.outbox_messages(status, limit).await?)
    }
}

/// The outcome of recording an attempt. A claim that ran out while the message was being sent (another worker
/// took it over) is not this run's failure: the other worker records the outcome.
fn settled(message: &OutboxMessage, recorded: coffeechat_store::Result<()>) -> Result<()> {
    match recorded {
        Ok(()) => Ok(()),
        Err(StoreError::Conflict(_)) => {
            tracing::warn!(message = %message.id, "the claim on this message ran out while it was being sent");
            Ok(())
        }
        Err(error) => Err(error.into()),
    }
}

fn log_failure(message: &OutboxMessage, error: &str, retry_at: Option<Timestamp>) {
    match retry_at {
        Some(retry_at) => tracing::warn!(
            message = %message.id, kind = %message.kind, attempts = message.attempts, %retry_at, error,
            "mail not sent; will retry"
        ),
        None => tracing::error!(
            message = %message.id, kind = %message.kind, attempts = message.attempts, error,
            "mail not sent after the last attempt; it stays failed"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_widen_and_stop_after_the_last_attempt() {
        let delays: Vec<Option<i64>> = (1..=7).map(|n| retry_after(n).map(|d| d.as_secs())).collect();
        assert_eq!(delays, [Some(60), Some(300), Some(1800), Some(7200), Some(43_200), None, None]);
    }
}
