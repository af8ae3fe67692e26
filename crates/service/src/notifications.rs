//! In-app notifications: every step that emails someone also leaves a short notice on their
//! `/notifications` page, and steps without email (a waitlist offer reminder, a no-show) can notify too.
//!
//! [`Services::notify`] is the one way in for every feature. Like queuing mail, notifying never fails the
//! change it reports: the change has already happened, so a failure is logged and swallowed.

use coffeechat_domain::AccountId;
use coffeechat_store::{NewNotification, NotificationId, NotificationRecord};

use crate::{Result, Services};

/// Longest notice text kept; longer texts are cut at a character boundary with an ellipsis.
const MAX_TEXT_CHARS: usize = 500;

/// A notice as the store keeps it: one line, not empty, not overlong.
fn notice_text(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= MAX_TEXT_CHARS {
        return one_line;
    }
    let mut cut: String = one_line.chars().take(MAX_TEXT_CHARS - 1).collect();
    cut.push('…');
    cut
}

/// A link kept only when it is a path inside the site, so a notice can never send a user elsewhere.
fn site_path(link: &str) -> String {
    let link = link.trim();
    if link.starts_with('/') && !link.starts_with("//") { link.to_owned() } else { String::new() }
}

/// A user's notifications page: the newest notices and how many are unread.
#[derive(Debug, Clone)]
pub struct NotificationList {
    pub items: Vec<NotificationRecord>,
    pub unread: u32,
}

impl Services {
    /// Leaves an in-app notice for `account`: `kind` says what it is about (`request_expired`), `text` is one
    /// sentence, `link` a path inside the site (anything else is dropped). Never fails the caller.
    pub async fn notify(&self, account: AccountId, kind: &str, text: &str, link: &str) {
        self.notify_once(account, kind, text, link, None).await;
    }

    /// [`notify`](Self::notify) with a dedupe key: a second notice with the same key is ignored, so a task run
    /// by two workers (or retried) notifies once.
    pub async fn notify_once(&self, account: AccountId, kind: &str, text: &str, link: &str, key: Option<String>) {
        let Some(notification) = self.notice(account, kind, text, link, key) else { return };
        if let Err(error) = self.store.add_notification(notification).await {
            tracing::error!(%error, kind, account = %account, "could not store a notification for a saved change");
        }
    }

    /// The notice [`Services::notify_once`] stores, for a change that stores it in its own transaction; `None`
    /// (logged) when the text is empty.
    pub(crate) fn notice(
        &self,
        account: AccountId,
        kind: &str,
        text: &str,
        link: &str,
        key: Option<String>,
    ) -> Option<NewNotification> {
        let text = notice_text(text);
        if text.is_empty() {
            tracing::warn!(kind, "empty notification text; not stored");
            return None;
        }
        Some(NewNotification {
            account_id: account,
            kind: kind.to_owned(),
            text,
            link: site_path(link),
            created_at: self.now(),
            dedupe_key: key,
        })
    }

    /// The account's newest notifications (at most `limit`, 0 meaning 50) and its unread count.
    ///
    /// # Errors
    /// Store failures.
    pub async fn notifications(&self, account: AccountId, limit: u32) -> Result<NotificationList> {
        let limit = if limit == 0 { 50 } else { limit };
        let items = self.store.notifications(account, limit).await?;
        let unread = self.store.unread_notifications(account).await?;
        Ok(NotificationList { items, unread })
    }

    /// How many of the account's notifications are unread (the navigation's badge).
    ///
    /// # Errors
    /// Store failures.
    pub async fn unread_notifications(&self, account: AccountId) -> Result<u32> {
        Ok(self.store.unread_notifications(account).await?)
    }

    /// Marks the listed notifications of the account read, or all of them when `ids` is empty; returns how many
    /// changed. Ids of other accounts' notifications change nothing.
    ///
    /// # Errors
    /// Store failures.
    pub async fn mark_notifications_read(&self, account: AccountId, ids: &[i64]) -> Result<u64> {
        let ids: Vec<NotificationId> = ids.iter().copied().map(NotificationId).collect();
        Ok(self.store.mark_notifications_read(account, &ids, self.now()).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_one_line_and_bounded() {
        assert_eq!(notice_text("  two\n lines "), "two lines");
        let long = "x".repeat(MAX_TEXT_CHARS + 20);
        assert_eq!(notice_text(&long).chars().count(), MAX_TEXT_CHARS);
    }

    #[test]
    fn only_site_paths_are_links() {
        assert_eq!(site_path("/requests/3"), "/requests/3");
        assert_eq!(site_path("https://evil.example"), "");
        assert_eq!(site_path("//evil.example/x"), "");
    }
}
