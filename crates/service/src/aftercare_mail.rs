//! The emails of interview aftercare: the thank-you reminder, the note itself, the talent-pool consent request
//! and answer, a recorded no-show and a follow-up invitation. Plain text, times in the reader's zone and named, each with a
//! dedupe key `interview:{id}:{event}:{host|seeker}` so a step retried (or a task run by two workers) mails once.

use coffeechat_domain::Role;
use coffeechat_domain::request_rules::NO_SHOW_STEP;
use coffeechat_domain::time_text::format_span;
use coffeechat_store::NewOutboxMessage;

use crate::site::SiteSettings;
use crate::{InterviewRecord, Party};

/// The closing of every aftercare email.
const SIGNATURE: &str = "—\nCoffeechat: informational interviews between job seekers and working professionals.\n\
You receive this email because you took part in the conversation it is about.";

/// User text set off in a body, so it cannot pass for Coffeechat's own words.
fn quoted(text: &str) -> String {
    text.lines().map(|line| format!("    {line}")).collect::<Vec<_>>().join("\n")
}

/// One line, no control characters (names are user text).
fn subject(text: &str) -> String {
    let one_line: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    one_line.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn message(
    kind: &str,
    to: &Party,
    role: Role,
    interview: &InterviewRecord,
    subject_text: &str,
    body: String,
) -> NewOutboxMessage {
    NewOutboxMessage {
        kind: kind.to_owned(),
        recipient_email: to.email.clone(),
        recipient_name: to.name.clone(),
        subject: subject(subject_text),
        body_text: format!("{body}\n\n{SIGNATURE}\n"),
        body_html: None,
        calendar: None,
        dedupe_key: Some(format!("interview:{}:{kind}:{}", interview.id, role.as_str())),
        tokens: Vec::new(),
    }
}

fn when(interview: &InterviewRecord, reader: &Party) -> String {
    format_span(interview.start, interview.end, &reader.time_zone)
}

fn page(site: &SiteSettings, interview: &InterviewRecord) -> String {
    site.link(&format!("/interviews/{}", interview.id))
}

/// To the seeker, soon after the end: a short thank-you within a day.
pub(crate) fn thanks_reminder(site: &SiteSettings, interview: &InterviewRecord) -> NewOutboxMessage {
    let seeker = &interview.seeker;
    let body = format!(
        "Hello {},\n\nYour conversation with {} ({}) is over. {} gave you their time; a short thank-you within a day \
         means a lot. Say what you took away and what you will do next.\n\nWrite your note here (it reaches them \
         through Coffeechat):\n{}",
        seeker.name,
        interview.host.name,
        when(interview, seeker),
        interview.host.name,
        page(site, interview)
    );
    message(
        "thanks_reminder",
        seeker,
        Role::Seeker,
        interview,
        &format!("Say thank you to {}", interview.host.name),
        body,
    )
}

/// To the host: the seeker's note, quoted.
pub(crate) fn thanks_sent(site: &SiteSettings, interview: &InterviewRecord, note: &str) -> NewOutboxMessage {
    let host = &interview.host;
    let body = format!(
        "Hello {},\n\n{} thanks you for your conversation ({}). In their words:\n\n{}\n\nThe conversation's page, \
         with your two-minute debrief:\n{}",
        host.name,
        interview.seeker.name,
        when(interview, host),
        quoted(note),
        page(site, interview)
    );
    message("thanks_sent", host, Role::Host, interview, &format!("A thank-you from {}", interview.seeker.name), body)
}

/// To the seeker: the host would like to keep them in mind for roles, which needs their yes.
pub(crate) fn consent_request(site: &SiteSettings, interview: &InterviewRecord) -> NewOutboxMessage {
    let seeker = &interview.seeker;
    let body = format!(
        "Hello {},\n\nAfter your conversation ({}), {} would like to keep you in mind for roles. They will only see \
         you in their talent pool if you agree, and you can withdraw at any time.\n\nAnswer here:\n{}",
        seeker.name,
        when(interview, seeker),
        interview.host.name,
        page(site, interview)
    );
    message(
        "talent_consent_request",
        seeker,
        Role::Seeker,
        interview,
        &format!("{} would like to keep you in mind", interview.host.name),
        body,
    )
}

/// To the host: the seeker agreed to be kept in mind for roles.
pub(crate) fn consent_given(site: &SiteSettings, interview: &InterviewRecord) -> NewOutboxMessage {
    let host = &interview.host;
    let body = format!(
        "Hello {},\n\n{} agreed that you may keep them in mind for roles, after your conversation ({}). They are in \
         your talent pool, with your debrief notes, for as long as they agree:\n{}",
        host.name,
        interview.seeker.name,
        when(interview, host),
        site.link("/talent-pool")
    );
    message(
        "talent_consent_given",
        host,
        Role::Host,
        interview,
        &format!("{} joined your talent pool", interview.seeker.name),
        body,
    )
}

/// To the seeker the host reported absent: what was recorded, what it changes, and what to do if it is wrong.
pub(crate) fn seeker_no_show(site: &SiteSettings, interview: &InterviewRecord, no_shows: u32) -> NewOutboxMessage {
    let seeker = &interview.seeker;
    let body = format!(
        "Hello {},\n\n{} recorded that you did not come to your conversation ({}).\n\nHosts give their time for \
         free, so missed meetings count: each one lowers the number of open requests you may have at a time by \
         {NO_SHOW_STEP} (never below one). Missed meetings recorded so far: {no_shows}.\n\nIf something came up, \
         a short apology to the host helps. The conversation's page:\n{}",
        seeker.name,
        interview.host.name,
        when(interview, seeker),
        page(site, interview)
    );
    message("no_show_recorded", seeker, Role::Seeker, interview, "A missed conversation was recorded", body)
}

/// To the host the seeker reported absent.
pub(crate) fn host_no_show(site: &SiteSettings, interview: &InterviewRecord) -> NewOutboxMessage {
    let host = &interview.host;
    let body = format!(
        "Hello {},\n\n{} recorded that you did not come to your conversation ({}). If something came up, a short \
         note to them helps; you can offer a new time from your calendar.\n\nThe conversation's page:\n{}",
        host.name,
        interview.seeker.name,
        when(interview, host),
        page(site, interview)
    );
    message("no_show_recorded", host, Role::Host, interview, "A missed conversation was recorded", body)
}

/// To the seeker: the host invites them to talk again.
pub(crate) fn follow_up_invited(site: &SiteSettings, interview: &InterviewRecord) -> NewOutboxMessage {
    let seeker = &interview.seeker;
    let body = format!(
        "Hello {},\n\n{} would be glad to talk with you again after your conversation ({}). Send them a new request \
         with what you would like to go into next:\n{}",
        seeker.name,
        interview.host.name,
        when(interview, seeker),
        site.link(&format!("/h/{}", interview.host_handle.as_str()))
    );
    message(
        "follow_up_invited",
        seeker,
        Role::Seeker,
        interview,
        &format!("{} invites you to a follow-up conversation", interview.host.name),
        body,
    )
}
