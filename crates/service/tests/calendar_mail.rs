//! Email and calendar output end to end: who is told about each change and in which zone, the iTIP sequence of
//! one interview (checked by Python's `icalendar` too), rescheduling, single-purpose links and the private feed.

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod mail_support;
mod support;

use std::path::Path;
use std::process::Command;

use coffeechat_domain::{InterviewStatus, RequestId};
use coffeechat_service::{SecretKey, ServiceError, Services, SiteSettings};
use coffeechat_store::{CalendarMethod, LinkAction, OutboxMessage};
use mail_support::{PUBLIC_URL, THU_0900, TUE_0900, WED_0900, WED_0930, World, link_after, new_request};
use support::ts;

/// The unfolded value of the first `name` property in an .ics text.
fn property(ics: &str, name: &str) -> String {
    let unfolded = ics.replace("\r\n ", "");
    unfolded
        .split("\r\n")
        .find_map(|line| line.strip_prefix(name).and_then(|rest| rest.strip_prefix(':')))
        .unwrap_or_else(|| panic!("no {name} in\n{ics}"))
        .to_owned()
}

fn calendar_of(message: &OutboxMessage) -> (CalendarMethod, String) {
    let calendar = message.calendar.clone().unwrap_or_else(|| panic!("{} carries no calendar", message.kind));
    (calendar.method, calendar.ics)
}

#[track_caller]
fn conflict<T: std::fmt::Debug>(result: Result<T, ServiceError>) -> String {
    match result {
        Err(ServiceError::Conflict(message)) => message,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

#[tokio::test]
async fn every_change_mails_the_people_it_concerns_in_their_own_zones() {
    let world = World::new().await;
    let host = world.host().await;
    let seeker = world.seeker().await;
    let services = &world.services;

    let request = services.create_request(&seeker, new_request(&[TUE_0900, WED_0900])).await.unwrap();
    let to_host = world.mail_to("priya@example.org").await;
    assert_eq!(to_host.len(), 1);
    let sent = &to_host[0];
    assert_eq!((sent.kind.as_str(), sent.recipient_name.as_str()), ("request_sent", "Priya Raman"));
    assert_eq!(sent.subject, "Sam Seeker asks you for a conversation");
    assert!(sent.body_text.contains("Tue 3 Mar 2026, 09:00–09:30 (Asia/Kolkata)"), "{}", sent.body_text);
    assert!(sent.body_text.contains("Wed 4 Mar 2026, 09:00–09:30 (Asia/Kolkata)"), "{}", sent.body_text);
    assert!(sent.body_text.contains(&format!("{PUBLIC_URL}/requests/{}", request.id)), "{}", sent.body_text);
    assert!(sent.body_text.contains("What did your first year look like?"));
    assert!(sent.calendar.is_none() && sent.body_html.is_none());
    assert_eq!(sent.dedupe_key.as_deref(), Some(format!("request:{}:sent:host", request.id).as_str()));

    let interview = services.accept(&host, request.id, TUE_0900).await.unwrap();
    let to_seeker = world.mail_to("sam@example.org").await;
    assert_eq!(to_seeker.len(), 1);
    let invitation = &to_seeker[0];
    assert_eq!(invitation.kind, "interview_booked");
    // 03:30 UTC on Tuesday is still Monday evening in New York, and the seeker reads it that way.
    assert!(invitation.subject.contains("Mon 2 Mar 2026, 22:30–23:00 (America/New_York)"), "{}", invitation.subject);
    assert!(invitation.body_text.contains("Priya Raman accepted your request"), "{}", invitation.body_text);
    let (method, ics) = calendar_of(invitation);
    assert_eq!(method, CalendarMethod::Request);
    assert_eq!(property(&ics, "METHOD"), "REQUEST");
    assert_eq!(property(&ics, "UID"), interview.ical_uid);
    assert_eq!(property(&ics, "SEQUENCE"), "0");
    assert_eq!(property(&ics, "DTSTART"), "20260303T033000Z");
    assert_eq!(invitation.dedupe_key.as_deref(), Some(format!("interview:{}:seq:0:seeker", interview.id).as_str()));
    let host_copy = world.mail_to("priya@example.org").await.pop().unwrap();
    assert_eq!(host_copy.kind, "interview_booked");
    assert!(host_copy.body_text.contains("You accepted Sam Seeker's request"), "{}", host_copy.body_text);
    assert!(host_copy.body_text.contains("Tue 3 Mar 2026, 09:00–09:30 (Asia/Kolkata)"), "{}", host_copy.body_text);
    // Each side gets its own pair of links; nobody gets the other's.
    let links = |message: &OutboxMessage| {
        (link_after(&message.body_text, "another time"), link_after(&message.body_text, "Cancel here"))
    };
    let (seeker_move, seeker_cancel) = links(invitation);
    let (host_move, host_cancel) = links(&host_copy);
    let all = [&seeker_move, &seeker_cancel, &host_move, &host_cancel];
    for (index, link) in all.iter().enumerate() {
        assert_eq!(all.iter().filter(|other| other == &link).count(), 1, "link {index} repeats");
    }

    let cancelled = services.cancel_interview(&seeker, interview.id, "My train is cancelled").await.unwrap();
    let notice = world.mail_to("priya@example.org").await.pop().unwrap();
    assert_eq!(notice.kind, "interview_cancelled");
    assert!(notice.body_text.contains("Sam Seeker cancelled"), "{}", notice.body_text);
    assert!(notice.body_text.contains("My train is cancelled"));
    assert!(!notice.body_text.contains("/links/"), "a cancelled interview offers no links");
    let (method, ics) = calendar_of(&notice);
    assert_eq!(
        (method, property(&ics, "METHOD"), property(&ics, "STATUS")),
        (CalendarMethod::Cancel, "CANCEL".into(), "CANCELLED".into())
    );
    assert_eq!(property(&ics, "UID"), interview.ical_uid);
    assert_eq!(property(&ics, "SEQUENCE"), cancelled.ical_sequence.to_string());
    assert!(cancelled.ical_sequence > interview.ical_sequence);
    let seeker_notice = world.mail_to("sam@example.org").await.pop().unwrap();
    assert!(seeker_notice.body_text.contains("You cancelled"), "{}", seeker_notice.body_text);

    // A decline tells the seeker kindly; a withdrawal tells the host.
    let declined_request = services.create_request(&seeker, new_request(&[WED_0930])).await.unwrap();
    services.decline(&host, declined_request.id, "timing", "").await.unwrap();
    let declined = world.mail_to("sam@example.org").await.pop().unwrap();
    assert_eq!(declined.kind, "request_declined");
    assert!(declined.body_text.contains("None of the proposed times work for me"), "{}", declined.body_text);
    let withdrawn_request = services.create_request(&seeker, new_request(&[THU_0900])).await.unwrap();
    services.withdraw(&seeker, withdrawn_request.id).await.unwrap();
    let withdrawn = world.mail_to("priya@example.org").await.pop().unwrap();
    assert_eq!(withdrawn.kind, "request_withdrawn");
    assert!(withdrawn.body_text.contains("Sam Seeker withdrew"), "{}", withdrawn.body_text);
    assert_eq!(world.outbox().await.len(), 1 + 2 + 2 + 2 + 1 + 1);
}

#[tokio::test]
async fn rescheduling_moves_the_event_under_the_same_uid_for_both_sides() {
    let world = World::new().await;
    let (host, seeker, interview) = world.booked(THU_0900).await;
    let services = &world.services;

    let choice = services.reschedule_choice(&seeker, interview.id).await.unwrap();
    assert_eq!(choice.blocked, None);
    assert_eq!(choice.deadline, ts("2026-03-04T03:30:00Z"), "24 hours before the current start");
    let starts: Vec<_> = choice.slots.iter().map(|slot| slot.start).collect();
    assert!(starts.contains(&ts(WED_0930)), "{starts:?}");
    assert!(starts.contains(&ts("2026-03-05T04:00:00Z")), "its own old time does not block the next slot");
    assert!(!starts.contains(&ts(THU_0900)), "the current time is not offered as a new one");

    let same = services.reschedule_interview(&seeker, interview.id, THU_0900).await;
    assert!(matches!(same, Err(ServiceError::Invalid(_))), "{same:?}");
    assert!(matches!(
        services.reschedule_interview(&seeker, interview.id, "soon").await,
        Err(ServiceError::Invalid(_))
    ));
    let outside = conflict(services.reschedule_interview(&seeker, interview.id, "2026-03-04T12:00:00Z").await);
    assert!(outside.contains("outside the host's hours"), "{outside}");
    let stranger = world.sign_up("eve@example.org", "Eve", &["seeker"], "UTC").await;
    assert!(matches!(
        services.reschedule_interview(&stranger, interview.id, WED_0930).await,
        Err(ServiceError::NotFound("interview"))
    ));

    // Half an hour later, overlapping its own old time: allowed.
    let moved = services.reschedule_interview(&seeker, interview.id, "2026-03-05T03:45:00Z").await;
    assert!(matches!(moved, Err(ServiceError::Conflict(_))), "off the slot grid: {moved:?}");
    let moved = services.reschedule_interview(&seeker, interview.id, "2026-03-05T04:00:00Z").await.unwrap();
    assert_eq!(
        (moved.start, moved.ical_uid.as_str(), moved.ical_sequence),
        (ts("2026-03-05T04:00:00Z"), interview.ical_uid.as_str(), 1)
    );
    assert_eq!(moved.status, InterviewStatus::Scheduled);

    let host_notice = world.mail_to("priya@example.org").await.pop().unwrap();
    assert_eq!(host_notice.kind, "interview_rescheduled");
    assert!(host_notice.body_text.contains("Sam Seeker moved your conversation"), "{}", host_notice.body_text);
    assert!(host_notice.body_text.contains("Thu 5 Mar 2026, 09:30–10:00 (Asia/Kolkata)"), "{}", host_notice.body_text);
    assert!(host_notice.body_text.contains("(It was Thu 5 Mar 2026, 09:00–09:30 (Asia/Kolkata).)"));
    let (method, ics) = calendar_of(&host_notice);
    assert_eq!(
        (method, property(&ics, "SEQUENCE"), property(&ics, "UID")),
        (CalendarMethod::Request, "1".into(), interview.ical_uid.clone())
    );
    assert_eq!(property(&ics, "DTSTART"), "20260305T040000Z");
    let seeker_notice = world.mail_to("sam@example.org").await.pop().unwrap();
    assert!(seeker_notice.body_text.contains("You moved"), "{}", seeker_notice.body_text);
    assert!(
        seeker_notice.body_text.contains("Wed 4 Mar 2026, 23:00–23:30 (America/New_York)"),
        "{}",
        seeker_notice.body_text
    );

    // Another interview's time is not free; within the host's notice nothing moves any more.
    let other_seeker = world.sign_up("bo@example.org", "Bo", &["seeker"], "Europe/Berlin").await;
    let other = services.create_request(&other_seeker, new_request(&[WED_0900])).await.unwrap();
    services.accept(&host, other.id, WED_0900).await.unwrap();
    let taken = conflict(services.reschedule_interview(&host, interview.id, WED_0900).await);
    assert!(taken.contains("no longer free") || taken.contains("booked"), "{taken}");
    world.clock.set(ts("2026-03-04T05:00:00Z"));
    let late = conflict(services.reschedule_interview(&host, interview.id, "2026-03-06T03:30:00Z").await);
    assert!(late.contains("24 hours before it starts"), "{late}");
    assert!(services.reschedule_choice(&host, interview.id).await.unwrap().blocked.is_some());
}

#[tokio::test]
async fn links_act_once_for_their_party_and_stop_working_once_the_interview_changes() {
    let world = World::new().await;
    let (_host, _seeker, interview) = world.booked(THU_0900).await;
    let services = &world.services;
    let invitation = world.mail_to("sam@example.org").await.pop().unwrap();
    let seeker_cancel = link_after(&invitation.body_text, "Cancel here");
    let host_invitation = world.mail_to("priya@example.org").await.pop().unwrap();
    let host_move = link_after(&host_invitation.body_text, "another time");

    // Looking at a link changes nothing.
    let before = world.outbox().await.len();
    let preview = services.action_link(&seeker_cancel).await.unwrap();
    assert_eq!(
        (preview.action, preview.actor.name.as_str(), preview.problem.clone()),
        (LinkAction::Cancel, "Sam Seeker", None)
    );
    let preview = services.action_link(&host_move).await.unwrap();
    assert_eq!((preview.action, preview.actor.name.as_str()), (LinkAction::Reschedule, "Priya Raman"));
    assert!(!preview.slots.is_empty());
    assert_eq!(world.outbox().await.len(), before);
    assert_eq!(world.store.interview(interview.id).await.unwrap().unwrap().ical_sequence, 0);

    // A link does only its own action, and unknown tokens are not found.
    assert!(matches!(
        services.reschedule_with_link(&seeker_cancel, WED_0930).await,
        Err(ServiceError::NotFound("link"))
    ));
    assert!(matches!(services.cancel_with_link(&host_move, "x").await, Err(ServiceError::NotFound("link"))));
    assert!(matches!(services.action_link("made-up-token").await, Err(ServiceError::NotFound("link"))));

    // The host moves it through their link, without logging in; it is recorded as the host's move.
    let moved = services.reschedule_with_link(&host_move, WED_0930).await.unwrap();
    assert_eq!((moved.start, moved.ical_sequence), (ts(WED_0930), 1));
    let seeker_notice = world.mail_to("sam@example.org").await.pop().unwrap();
    assert!(seeker_notice.body_text.contains("Priya Raman moved"), "{}", seeker_notice.body_text);
    // Used, so it never works again; and the seeker's old link died with the change.
    assert!(conflict(services.reschedule_with_link(&host_move, THU_0900).await).contains("already been used"));
    let stale = services.action_link(&seeker_cancel).await.unwrap();
    assert!(stale.problem.unwrap().contains("changed since"));
    assert!(conflict(services.cancel_with_link(&seeker_cancel, "Sorry").await).contains("changed since"));

    // The link in the newest email works, once.
    let fresh_cancel = link_after(&seeker_notice.body_text, "Cancel here");
    assert!(matches!(services.cancel_with_link(&fresh_cancel, "  ").await, Err(ServiceError::Invalid(_))));
    let cancelled = services.cancel_with_link(&fresh_cancel, "Something came up").await.unwrap();
    assert_eq!(cancelled.status, InterviewStatus::Cancelled);
    assert_eq!(cancelled.cancelled_by, Some(cancelled.seeker.id));
    assert!(conflict(services.cancel_with_link(&fresh_cancel, "again").await).contains("already been used"));
}

#[tokio::test]
async fn the_private_feed_lists_every_interview_and_can_be_regenerated_and_revoked() {
    let world = World::new().await;
    let (host, seeker, first) = world.booked(THU_0900).await;
    let services = &world.services;
    let second = services.create_request(&seeker, new_request(&[WED_0930])).await.unwrap();
    let second = services.accept(&host, second.id, WED_0930).await.unwrap();
    services.cancel_interview(&host, second.id, "Double-booked, sorry").await.unwrap();

    assert_eq!(services.existing_feed_url(&seeker).await.unwrap(), None);
    let url = services.feed_url(&seeker).await.unwrap();
    assert_eq!(services.feed_url(&seeker).await.unwrap(), url, "the same URL every time it is shown");
    let token = url.strip_prefix(&format!("{PUBLIC_URL}/feeds/")).unwrap().strip_suffix(".ics").unwrap().to_owned();
    let feed = services.feed_calendar(&token).await.unwrap();
    assert_eq!(property(&feed, "METHOD"), "PUBLISH");
    assert_eq!(feed.matches("BEGIN:VEVENT").count(), 2);
    assert!(feed.contains(&format!("UID:{}", first.ical_uid)));
    assert!(feed.contains("STATUS:CONFIRMED") && feed.contains("STATUS:CANCELLED"));
    assert!(feed.contains("DTSTART:20260305T033000Z"), "UTC times");

    let fresh = services.regenerate_feed(&seeker).await.unwrap();
    assert_ne!(fresh, url);
    assert!(matches!(services.feed_calendar(&token).await, Err(ServiceError::NotFound("feed"))));
    // Another server key cannot show the stored URL again, so it issues a new one.
    let rekeyed = Services::with_clock(world.store.clone(), world.clock.clone())
        .with_site(SiteSettings::new(PUBLIC_URL, SecretKey::random()));
    assert_eq!(rekeyed.existing_feed_url(&seeker).await.unwrap(), None);
    assert_ne!(rekeyed.feed_url(&seeker).await.unwrap(), fresh);

    assert!(services.revoke_feed(&seeker).await.unwrap());
    assert!(!services.revoke_feed(&seeker).await.unwrap());
    assert_eq!(services.existing_feed_url(&seeker).await.unwrap(), None);
}

#[tokio::test]
async fn invite_reschedule_and_cancel_pass_pythons_icalendar() {
    let world = World::new().await;
    let (host, seeker, interview) = world.booked(THU_0900).await;
    let services = &world.services;
    services.reschedule_interview(&host, interview.id, WED_0930).await.unwrap();
    services.cancel_interview(&seeker, interview.id, "Found a job; thank you!").await.unwrap();
    let feed_url = services.feed_url(&seeker).await.unwrap();
    let feed_token = feed_url.rsplit('/').next().unwrap().trim_end_matches(".ics");

    let calendars: Vec<(CalendarMethod, String)> =
        world.mail_to("sam@example.org").await.iter().map(calendar_of).collect();
    let methods: Vec<CalendarMethod> = calendars.iter().map(|(method, _)| *method).collect();
    assert_eq!(methods, [CalendarMethod::Request, CalendarMethod::Request, CalendarMethod::Cancel]);
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (name, (_, ics)) in ["invite.ics", "reschedule.ics", "cancel.ics"].iter().zip(&calendars) {
        files.push(write(dir.path(), name, ics));
    }
    files.push(write(dir.path(), "feed.ics", &services.feed_calendar(feed_token).await.unwrap()));
    files.push(write(dir.path(), "download.ics", &services.interview_ics(&seeker, interview.id).await.unwrap()));
    check_with_python(&files);
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

/// Runs `ical_check.py` on the files. Without Python or its `icalendar` package the check is skipped with a
/// printed reason, except under CI (`CI` set), where `.ci/run` installs it and a missing package is a failure.
fn check_with_python(files: &[String]) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ical_check.py");
    let in_ci = std::env::var_os("CI").is_some_and(|value| !value.is_empty());
    let output = match Command::new("python3").arg(&script).args(files).output() {
        Ok(output) => output,
        Err(error) => {
            assert!(!in_ci, "CI must have python3 for the icalendar check: {error}");
            eprintln!("skipped the icalendar check: python3 cannot be run ({error})");
            return;
        }
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    if output.status.code() == Some(3) {
        assert!(!in_ci, "CI must have the Python package icalendar (.ci/run installs it): {stderr}");
        eprintln!("skipped the icalendar check: {stderr}");
        return;
    }
    assert!(output.status.success(), "ical_check.py refused Coffeechat's calendars:\n{stderr}");
    println!("{}", String::from_utf8_lossy(&output.stdout));
}

#[tokio::test]
async fn nothing_is_queued_for_changes_that_were_refused() {
    let world = World::new().await;
    let host = world.host().await;
    let seeker = world.seeker().await;
    let request = world.services.create_request(&seeker, new_request(&[TUE_0900])).await.unwrap();
    let before = world.outbox().await.len();
    assert!(world.services.accept(&host, request.id, WED_0900).await.is_err());
    assert!(world.services.withdraw(&host, request.id).await.is_err());
    assert!(world.services.decline(&host, RequestId(999), "timing", "").await.is_err());
    assert_eq!(world.outbox().await.len(), before);
}
