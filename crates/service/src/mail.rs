//! The emails Coffeechat sends, composed as outbox messages: a request sent (to the host), declined (to the
//! seeker, with the kind message), withdrawn (to the host), and an interview booked, moved or cancelled (to
//! both, with an iCalendar REQUEST or CANCEL attached and inline).
//!
//! Every message is plain text (no HTML part, so nothing here builds markup by hand). Every time is written in
//! the recipient's own zone and names it. Calendar-bearing messages carry a dedupe key
//! `interview:{id}:seq:{sequence}:{host|seeker}` and request notices `request:{id}:{event}:{host|seeker}`, so a
//! notice queued twice for the same change is sent once.
//!
//! The state changes themselves live in `requests.rs`, `interviews.rs` and `calendar.rs`; they call the
//! `notify_*` methods here right after the change commits (a reschedule queues its notices inside its own
//! transaction instead). A failure to queue is logged as an error and does not undo the change.

use std::fmt::Write as _;

use coffeechat_domain::time_text::format_span;
use coffeechat_domain::{AccountId, Role};
use coffeechat_schedule::ics::{CalendarEvent, Method};
use coffeechat_store::{CalendarMethod, CalendarPart, FollowUps, NewActionToken, NewNotification, NewOutboxMessage};
use jiff::Timestamp;

use crate::calendar::{CalendarCopy, PartyLinks};
use crate::site::SiteSettings;
use crate::{InterviewRecord, Party, RequestRecord, Services};
use coffeechat_store::WaitlistEntry;

/// A subject line: one line, no control characters (names and purposes are user text).
fn subject(text: &str) -> String {
    let one_line: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    one_line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// User text set off in a body: every line indented, so it cannot pass for Coffeechat's own words.
fn quoted(text: &str) -> String {
    text.lines().map(|line| format!("    {line}")).collect::<Vec<_>>().join("\n")
}

/// Who a message goes to and in which role.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Recipient<'a> {
    pub party: &'a Party,
    pub role: Role,
}

impl<'a> Recipient<'a> {
    pub(crate) fn both(host: &'a Party, seeker: &'a Party) -> [Recipient<'a>; 2] {
        [Recipient { party: host, role: Role::Host }, Recipient { party: seeker, role: Role::Seeker }]
    }
}

/// The closing every email shares: where the message comes from and why the reader got it.
const SIGNATURE: &str = "—\nCoffeechat: informational interviews between job seekers and working professionals.\n\
You receive this email because you take part in the conversation it is about.";

/// A message to `to` with a plain-text body.
fn message(kind: &str, to: &Party, subject_text: &str, body: String, dedupe_key: String) -> NewOutboxMessage {
    NewOutboxMessage {
        kind: kind.to_owned(),
        recipient_email: to.email.clone(),
        recipient_name: to.name.clone(),
        subject: subject(subject_text),
        body_text: body,
        body_html: None,
        calendar: None,
        dedupe_key: Some(dedupe_key),
        tokens: Vec::new(),
    }
}

/// Who did something, as the reader of a message about it calls them.
fn actor_name<'a>(actor: AccountId, interview: &'a InterviewRecord, reader: &Party) -> &'a str {
    if actor == reader.id {
        "You"
    } else if actor == interview.host.id {
        &interview.host.name
    } else {
        &interview.seeker.name
    }
}

// ---------------------------------------------------------------------------------------------------------
// Requests.

/// To the host: someone asks for a conversation, with what they prepared and their times in the host's zone.
pub(crate) fn request_sent(site: &SiteSettings, request: &RequestRecord) -> NewOutboxMessage {
    let host = &request.host;
    let mut body = format!(
        "Hello {},\n\n{} asks you for a {}-minute conversation about your work.\n\nWhat they hope to learn:\n{}\n",
        host.name,
        request.seeker.name,
        request.length.minutes(),
        quoted(&request.purpose)
    );
    if !request.topics.is_empty() {
        let _ = write!(body, "\nTopics: {}\n", request.topics.join(", "));
    }
    if !request.questions.is_empty() {
        body.push_str("\nQuestions they prepared:\n");
        for (number, question) in request.questions.iter().enumerate() {
            let _ = writeln!(body, "    {}. {}", number + 1, question.replace(['\r', '\n'], " "));
        }
    }
    let _ = write!(body, "\nTimes they proposed, in your time zone ({}):\n", host.time_zone.as_str());
    for &start in &request.proposed_starts {
        let end = crate::availability::shifted(start, request.length.span());
        let _ = writeln!(body, "  - {}", format_span(start, end, &host.time_zone));
    }
    let _ = write!(
        body,
        "\nAccept one of these times, or decline kindly with a reason:\n{}\n\n{SIGNATURE}\n",
        site.link(&format!("/requests/{}", request.id))
    );
    message(
        "request_sent",
        host,
        &format!("{} asks you for a conversation", request.seeker.name),
        body,
        format!("request:{}:sent:{}", request.id, Role::Host.as_str()),
    )
}

/// To the seeker: the host declined, with the host's own words or the reason's kind default message.
pub(crate) fn request_declined(site: &SiteSettings, request: &RequestRecord) -> NewOutboxMessage {
    let seeker = &request.seeker;
    let words = request
        .decline_message
        .clone()
        .filter(|message| !message.trim().is_empty())
        .or_else(|| request.decline_reason.map(|reason| reason.kind_message().to_owned()))
        .unwrap_or_else(|| "Thank you for asking. I can't take this conversation.".to_owned());
    let body = format!(
        "Hello {},\n\n{} can't take your request for a conversation this time. In their words:\n\n{}\n\n\
         A no is about their calendar, not about you. Other people are happy to talk about their work:\n{}\n\n\
         {SIGNATURE}\n",
        seeker.name,
        request.host.name,
        quoted(&words),
        site.link("/hosts")
    );
    message(
        "request_declined",
        seeker,
        &format!("{} can't take your request this time", request.host.name),
        body,
        format!("request:{}:declined:{}", request.id, Role::Seeker.as_str()),
    )
}

/// To the host: the seeker took their request back, so its times are free again.
pub(crate) fn request_withdrawn(site: &SiteSettings, request: &RequestRecord) -> NewOutboxMessage {
    let host = &request.host;
    let body = format!(
        "Hello {},\n\n{} withdrew their request for a conversation; there is nothing for you to do. \
         The times they proposed are free again.\n\nYour other requests: {}\n\n{SIGNATURE}\n",
        host.name,
        request.seeker.name,
        site.link("/inbox")
    );
    message(
        "request_withdrawn",
        host,
        &format!("{} withdrew their request", request.seeker.name),
        body,
        format!("request:{}:withdrawn:{}", request.id, Role::Host.as_str()),
    )
}

// ---------------------------------------------------------------------------------------------------------
// Interviews.

/// What an interview message carries besides its text: the calendar and the reader's own links.
pub(crate) struct InterviewMail<'a> {
    pub interview: &'a InterviewRecord,
    pub to: Recipient<'a>,
    pub calendar: &'a CalendarCopy,
    /// The reader's reschedule and cancel links, with the tokens to store (none for a cancellation).
    pub links: Option<(PartyLinks, Vec<NewActionToken>)>,
    pub interview_url: String,
}

impl InterviewMail<'_> {
    fn other(&self) -> &Party {
        match self.to.role {
            Role::Host => &self.interview.seeker,
            Role::Seeker => &self.interview.host,
        }
    }

    fn when(&self) -> String {
        format_span(self.interview.start, self.interview.end, &self.to.party.time_zone)
    }

    fn finish(self, kind: &str, subject_text: &str, mut body: String, method: Method) -> NewOutboxMessage {
        let (method, ics) = match method {
            Method::Cancel => (CalendarMethod::Cancel, self.calendar.ics(self.interview, Method::Cancel)),
            Method::Publish => (CalendarMethod::Publish, self.calendar.ics(self.interview, Method::Publish)),
            Method::Request => (CalendarMethod::Request, self.calendar.ics(self.interview, Method::Request)),
        };
        let mut tokens = Vec::new();
        if let Some((links, new_tokens)) = self.links {
            let _ = write!(
                body,
                "\nNeed another time? Choose a new one here:\n{}\n\nCan't make it? Cancel here (you'll be asked why):\n{}\n\n\
                 These two links work once, only for you, and only until the conversation changes; please don't \
                 forward this email.\n",
                links.reschedule, links.cancel
            );
            tokens = new_tokens;
        }
        let _ = write!(body, "\n{SIGNATURE}\n");
        NewOutboxMessage {
            kind: kind.to_owned(),
            recipient_email: self.to.party.email.clone(),
            recipient_name: self.to.party.name.clone(),
            subject: subject(subject_text),
            body_text: body,
            body_html: None,
            calendar: Some(CalendarPart { method, ics }),
            dedupe_key: Some(format!(
                "interview:{}:seq:{}:{}",
                self.interview.id,
                self.interview.ical_sequence,
                self.to.role.as_str()
            )),
            tokens,
        }
    }
}

/// The purpose and what was prepared, as both sides read it in every interview message.
fn preparation(interview: &InterviewRecord) -> String {
    let mut text = format!("What {} hopes to learn:\n{}\n", interview.seeker.name, quoted(&interview.purpose));
    if !interview.topics.is_empty() {
        let _ = write!(text, "\nTopics: {}\n", interview.topics.join(", "));
    }
    if !interview.questions.is_empty() {
        text.push_str("\nPrepared questions:\n");
        for (number, question) in interview.questions.iter().enumerate() {
            let _ = writeln!(text, "    {}. {}", number + 1, question.replace(['\r', '\n'], " "));
        }
    }
    text
}

/// To either side: the request was accepted and the conversation is booked (METHOD:REQUEST attached).
pub(crate) fn interview_booked(mail: InterviewMail<'_>) -> NewOutboxMessage {
    let other = mail.other().name.clone();
    let when = mail.when();
    let opening = match mail.to.role {
        Role::Host => format!("You accepted {other}'s request. You meet on:"),
        Role::Seeker => format!("{other} accepted your request. You meet on:"),
    };
    let body = format!(
        "Hello {},\n\n{opening}\n\n    {when}\n\n{}\nThe calendar invitation is attached (invite.ics); most mail programs add it \
         to your calendar with one click. The conversation's page, with everything above:\n{}\n",
        mail.to.party.name,
        preparation(mail.interview),
        mail.interview_url
    );
    let subject_text = format!("Booked: conversation with {other}, {when}");
    mail.finish("interview_booked", &subject_text, body, Method::Request)
}

/// To either side: the conversation moved from `previous` to its current time (METHOD:REQUEST, same UID,
/// higher SEQUENCE, so calendars move the event).
pub(crate) fn interview_rescheduled(
    mail: InterviewMail<'_>,
    previous: (Timestamp, Timestamp),
    by: AccountId,
) -> NewOutboxMessage {
    let other = mail.other().name.clone();
    let when = mail.when();
    let was = format_span(previous.0, previous.1, &mail.to.party.time_zone);
    let moved = if by == mail.to.party.id {
        format!("You moved your conversation with {other}")
    } else {
        format!("{} moved your conversation", actor_name(by, mail.interview, mail.to.party))
    };
    let body = format!(
        "Hello {},\n\n{moved} to a new time:\n\n    {when}\n\n(It was {was}.)\n\n\
         The attached calendar update (invite.ics) moves the event in your calendar. The conversation's page:\n{}\n",
        mail.to.party.name, mail.interview_url
    );
    let subject_text = format!("Moved: conversation with {other}, now {when}");
    mail.finish("interview_rescheduled", &subject_text, body, Method::Request)
}

/// To either side: the conversation is off (METHOD:CANCEL, STATUS:CANCELLED, same UID, higher SEQUENCE, so
/// calendars remove the event).
pub(crate) fn interview_cancelled(mail: InterviewMail<'_>) -> NewOutboxMessage {
    let other = mail.other().name.clone();
    let when = mail.when();
    let cancelled = match mail.interview.cancelled_by {
        Some(by) if by == mail.to.party.id => format!("You cancelled your conversation with {other}"),
        Some(by) => format!("{} cancelled your conversation", actor_name(by, mail.interview, mail.to.party)),
        None => format!("Your conversation with {other} was cancelled"),
    };
    let reason = mail.interview.cancel_reason.clone().unwrap_or_default();
    let body = format!(
        "Hello {},\n\n{cancelled}, planned for:\n\n    {when}\n\nThe reason given:\n{}\n\n\
         The attached calendar update (invite.ics) removes the event from your calendar. The conversation's page:\n{}\n",
        mail.to.party.name,
        quoted(&reason),
        mail.interview_url
    );
    let subject_text = format!("Cancelled: conversation with {other}, {when}");
    mail.finish("interview_cancelled", &subject_text, body, Method::Cancel)
}

// ---------------------------------------------------------------------------------------------------------
// Request rules: expiry, the host's half-time reminder, waitlist offers.

/// To the seeker: their request expired unanswered.
pub(crate) fn request_expired(site: &SiteSettings, request: &RequestRecord) -> NewOutboxMessage {
    let seeker = &request.seeker;
    let body = format!(
        "Hello {},\n\nYour request for a conversation with {} expired without an answer. That happens when a \
         calendar is full; it says nothing about you or your questions.\n\nYou can ask again later, or ask \
         someone else in the meantime:\n{}\n\n{SIGNATURE}\n",
        seeker.name,
        request.host.name,
        site.link("/hosts")
    );
    message(
        "request_expired",
        seeker,
        &format!("Your request to {} expired", request.host.name),
        body,
        format!("request:{}:expired:{}", request.id, Role::Seeker.as_str()),
    )
}

/// To the host, once, half-way to expiry: a request still waits for an answer.
pub(crate) fn request_reminder(site: &SiteSettings, request: &RequestRecord, expires: Timestamp) -> NewOutboxMessage {
    let host = &request.host;
    let body = format!(
        "Hello {},\n\n{} is still waiting for an answer to their request for a {}-minute conversation. It \
         expires {} unless you answer; a kind no is better than silence.\n\nAccept or decline:\n{}\n\n\
         {SIGNATURE}\n",
        host.name,
        request.seeker.name,
        request.length.minutes(),
        coffeechat_domain::time_text::format_instant(expires, &host.time_zone),
        site.link(&format!("/requests/{}", request.id))
    );
    message(
        "request_reminder",
        host,
        &format!("{} is waiting for your answer", request.seeker.name),
        body,
        format!("request:{}:reminder:{}", request.id, Role::Host.as_str()),
    )
}

/// To the first seeker in a host's line: an opening is theirs for a while.
pub(crate) fn waitlist_offered(site: &SiteSettings, entry: &WaitlistEntry, until: Timestamp) -> NewOutboxMessage {
    let seeker = &entry.seeker;
    let body = format!(
        "Hello {},\n\nAn opening came up with {} and you are first on their waitlist. It is kept for you until {}: \
         your prepared questions are already in the form, so you only need to pick times and send.\n\n{}\n\n\
         If you no longer need it, do nothing: it passes to the next person in line.\n\n{SIGNATURE}\n",
        seeker.name,
        entry.host.name,
        coffeechat_domain::time_text::format_instant(until, &seeker.time_zone),
        site.link(&waitlist_composer_path(entry))
    );
    message(
        "waitlist_offered",
        seeker,
        &format!("An opening with {} is kept for you", entry.host.name),
        body,
        format!("waitlist:{}:offered", entry.id),
    )
}

/// The composer pre-filled from a waitlist entry.
pub(crate) fn waitlist_composer_path(entry: &WaitlistEntry) -> String {
    format!("/h/{}/request?waitlist={}", entry.host_handle, entry.id)
}

impl Services {
    /// Queues `messages`; a failure is logged, never returned: the change they report has already happened,
    /// and failing the caller's request would only invite a retry that cannot succeed.
    pub(crate) async fn queue_mail(&self, messages: Vec<NewOutboxMessage>) {
        let kinds: Vec<String> = messages.iter().map(|message| message.kind.clone()).collect();
        match self.store.enqueue_messages(messages, self.now()).await {
            Ok(queued) => tracing::debug!(?kinds, queued = queued.len(), "mail queued"),
            Err(error) => tracing::error!(%error, ?kinds, "could not queue mail for a change that was saved"),
        }
    }

    /// Tells the host about a new request.
    pub(crate) async fn notify_request_sent(&self, request: &RequestRecord) {
        let message = request_sent(&self.site, request);
        self.queue_mail(vec![message]).await;
        let text = format!("{} asks you for a {}-minute conversation.", request.seeker.name, request.length.minutes());
        let key = format!("request:{}:sent", request.id);
        self.notify_once(request.host.id, "request_sent", &text, &format!("/requests/{}", request.id), Some(key)).await;
    }

    /// Tells the seeker their request was declined.
    pub(crate) async fn notify_request_declined(&self, request: &RequestRecord) {
        let message = request_declined(&self.site, request);
        self.queue_mail(vec![message]).await;
        let text = format!("{} can't take your request this time; their message is on the request.", request.host.name);
        let key = format!("request:{}:declined", request.id);
        let link = format!("/requests/{}", request.id);
        self.notify_once(request.seeker.id, "request_declined", &text, &link, Some(key)).await;
    }

    /// Tells the host a request was withdrawn.
    pub(crate) async fn notify_request_withdrawn(&self, request: &RequestRecord) {
        let message = request_withdrawn(&self.site, request);
        self.queue_mail(vec![message]).await;
        let text = format!("{} withdrew their request for a conversation.", request.seeker.name);
        let key = format!("request:{}:withdrawn", request.id);
        let link = format!("/requests/{}", request.id);
        self.notify_once(request.host.id, "request_withdrawn", &text, &link, Some(key)).await;
    }

    /// Sends both sides the invitation, each with their own reschedule and cancel links.
    /// What a booking records with itself (see [`Store::accept_request_with`]): both sides' invitations, with
    /// their reschedule and cancel links, and both sides' notices.
    ///
    /// [`Store::accept_request_with`]: coffeechat_store::Store::accept_request_with
    pub(crate) fn interview_booked_follow_ups(&self, interview: &InterviewRecord) -> FollowUps {
        let calendar =
            CalendarCopy::new(interview, self.now(), self.site.link(&format!("/interviews/{}", interview.id)));
        let messages = Recipient::both(&interview.host, &interview.seeker)
            .into_iter()
            .map(|to| {
                interview_booked(InterviewMail {
                    interview,
                    to,
                    calendar: &calendar,
                    links: Some(self.party_links(interview, to.party.id)),
                    interview_url: calendar.url.clone(),
                })
            })
            .collect();
        let notifications = self.notices_to_both(interview, "interview_booked", "booked").collect();
        FollowUps { messages, notifications }
    }

    /// Sends both sides the cancellation.
    pub(crate) async fn notify_interview_cancelled(&self, interview: &InterviewRecord) {
        let calendar =
            CalendarCopy::new(interview, self.now(), self.site.link(&format!("/interviews/{}", interview.id)));
        let messages = Recipient::both(&interview.host, &interview.seeker)
            .into_iter()
            .map(|to| {
                interview_cancelled(InterviewMail {
                    interview,
                    to,
                    calendar: &calendar,
                    links: None,
                    interview_url: calendar.url.clone(),
                })
            })
            .collect();
        self.queue_mail(messages).await;
        self.notify_both(interview, "interview_cancelled", "cancelled").await;
    }

    /// The in-app side of an interview notice: each party reads about the other, with the time in their zone.
    async fn notify_both(&self, interview: &InterviewRecord, kind: &str, what: &str) {
        for notice in self.notices_to_both(interview, kind, what) {
            if let Err(error) = self.store.add_notification(notice).await {
                tracing::error!(%error, kind, "could not store a notification for a saved change");
            }
        }
    }

    /// Each party's notice about the other, with the time in the reader's zone.
    fn notices_to_both<'a>(
        &'a self,
        interview: &'a InterviewRecord,
        kind: &'a str,
        what: &'a str,
    ) -> impl Iterator<Item = NewNotification> + 'a {
        let link = format!("/interviews/{}", interview.id);
        [(&interview.host, &interview.seeker), (&interview.seeker, &interview.host)].into_iter().filter_map(
            move |(reader, other)| {
                let when = format_span(interview.start, interview.end, &reader.time_zone);
                let text = format!("Conversation with {} {what}: {when}.", other.name);
                let key = format!("interview:{}:seq:{}:{kind}:{}", interview.id, interview.ical_sequence, reader.id);
                self.notice(reader.id, kind, &text, &link, Some(key))
            },
        )
    }
}

/// One calendar event as the writer wants it, borrowed from the interview and its owned texts.
pub(crate) fn calendar_event<'a>(
    interview: &'a InterviewRecord,
    summary: &'a str,
    description: &'a str,
    stamp: Timestamp,
    url: &'a str,
) -> CalendarEvent<'a> {
    use coffeechat_schedule::ics::{Attendee, EventStatus};
    CalendarEvent {
        uid: &interview.ical_uid,
        sequence: interview.ical_sequence,
        start: interview.start,
        end: interview.end,
        summary,
        description,
        organizer: Attendee { name: &interview.host.name, email: interview.host.email.as_str() },
        attendee: Attendee { name: &interview.seeker.name, email: interview.seeker.email.as_str() },
        status: if interview.status.is_active() { EventStatus::Confirmed } else { EventStatus::Cancelled },
        stamp,
        url: Some(url),
    }
}
