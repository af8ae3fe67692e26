//! Interview aftercare: thanks (once, and one reminder), no-shows (once, counted per seeker), the debrief with
//! the talent-pool consent it asks for, and follow-up invitations.

use coffeechat_domain::{AccountId, InterviewId};
use coffeechat_store::{Absentee, Conflict, Debrief, InterviewRecord, StoreError};
use jiff::Timestamp;

use crate::support::{TestStore, at, backends, booking, host, minutes, request, seeker};

async fn booked(store: &TestStore, host: AccountId, seeker: AccountId, start: Timestamp) -> InterviewRecord {
    let pending = request(&**store, seeker, host, &[start], at("2030-02-01T00:00:00Z")).await;
    store.accept_request(booking(pending.id, start, 0, 100)).await.unwrap()
}

fn debrief(keep_in_mind: bool) -> Debrief {
    Debrief {
        prepared: true,
        used_time_well: true,
        meet_again: false,
        refer_to: Some("Lena Fischer".to_owned()),
        keep_in_mind,
    }
}

#[tokio::test]
async fn a_thank_you_note_is_recorded_once_and_stops_the_reminder() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let ada = seeker(&*store, "ada@example.org").await;
        let priya = host(&*store, "priya-data").await;
        let first = booked(&store, priya.id, ada.id, at("2030-03-04T12:00:00Z")).await;
        let second = booked(&store, priya.id, ada.id, at("2030-03-05T12:00:00Z")).await;
        assert_eq!(store.aftercare(first.id).await.unwrap(), coffeechat_store::AftercareRecord::empty(first.id));

        let window = (at("2030-03-04T00:00:00Z"), at("2030-03-06T00:00:00Z"));
        assert_eq!(store.thanks_reminders_due(window.0, window.1).await.unwrap(), vec![first.id, second.id]);

        let sent = at("2030-03-04T13:00:00Z");
        store.record_thanks(first.id, "Thank you for the hour.", sent).await.unwrap();
        let again = store.record_thanks(first.id, "Thanks again", sent).await;
        assert!(matches!(again, Err(StoreError::Conflict(Conflict::StateChanged))), "{again:?}");
        let thanks = store.aftercare(first.id).await.unwrap().thanks.unwrap();
        assert_eq!((thanks.message.as_str(), thanks.sent_at), ("Thank you for the hour.", sent));
        let missing = store.record_thanks(InterviewId(999), "hi", sent).await;
        assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");

        assert_eq!(store.thanks_reminders_due(window.0, window.1).await.unwrap(), vec![second.id]);
        assert!(store.mark_thanks_reminded(second.id, sent).await.unwrap());
        assert!(!store.mark_thanks_reminded(second.id, sent + minutes(5)).await.unwrap());
        assert_eq!(store.aftercare(second.id).await.unwrap().thanks_reminded_at, Some(sent));
        assert!(store.thanks_reminders_due(window.0, window.1).await.unwrap().is_empty());

        let both = store.aftercare_of(&[first.id, second.id, InterviewId(999)]).await.unwrap();
        assert_eq!(both.iter().map(|record| record.interview_id).collect::<Vec<_>>(), vec![first.id, second.id]);
        assert!(store.aftercare_of(&[]).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn no_shows_are_recorded_once_and_counted_per_seeker() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let ada = seeker(&*store, "ada@example.org").await;
        let ben = seeker(&*store, "ben@example.org").await;
        let priya = host(&*store, "priya-data").await;
        let first = booked(&store, priya.id, ada.id, at("2030-03-04T12:00:00Z")).await;
        let second = booked(&store, priya.id, ada.id, at("2030-03-05T12:00:00Z")).await;
        let bens = booked(&store, priya.id, ben.id, at("2030-03-06T12:00:00Z")).await;
        assert_eq!(store.no_shows_of_seeker(ada.id).await.unwrap(), 0);

        let reported = at("2030-03-04T12:20:00Z");
        store.record_no_show(first.id, Absentee::Seeker, priya.id, reported).await.unwrap();
        let twice = store.record_no_show(first.id, Absentee::Host, ada.id, reported).await;
        assert!(matches!(twice, Err(StoreError::Conflict(Conflict::StateChanged))), "{twice:?}");
        let no_show = store.aftercare(first.id).await.unwrap().no_show.unwrap();
        assert_eq!((no_show.absent, no_show.reported_by, no_show.reported_at), (Absentee::Seeker, priya.id, reported));

        // A host who did not come does not count against the seeker.
        store.record_no_show(second.id, Absentee::Host, ada.id, reported).await.unwrap();
        store.record_no_show(bens.id, Absentee::Seeker, priya.id, reported).await.unwrap();
        assert_eq!(store.no_shows_of_seeker(ada.id).await.unwrap(), 1);
        assert_eq!(store.no_shows_of_seeker(ben.id).await.unwrap(), 1);
        assert_eq!(store.no_shows_of_seeker(priya.id).await.unwrap(), 0);

        // No thanks reminder after a no-show.
        let due = store.thanks_reminders_due(at("2030-03-04T00:00:00Z"), at("2030-03-07T00:00:00Z")).await.unwrap();
        assert!(due.is_empty(), "{due:?}");
    }
}

#[tokio::test]
async fn the_talent_pool_holds_only_seekers_who_consented() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let ada = seeker(&*store, "ada@example.org").await;
        let ben = seeker(&*store, "ben@example.org").await;
        let priya = host(&*store, "priya-data").await;
        let adas = booked(&store, priya.id, ada.id, at("2030-03-04T12:00:00Z")).await;
        let bens = booked(&store, priya.id, ben.id, at("2030-03-05T12:00:00Z")).await;

        let written = at("2030-03-04T13:00:00Z");
        let saved = store.save_debrief(adas.id, &debrief(false), written).await.unwrap();
        assert_eq!(saved.debrief.as_ref().unwrap().debrief, debrief(false));
        assert!(saved.consent.is_none(), "consent is asked only when the host keeps the seeker in mind");
        let not_asked = store.set_talent_consent(adas.id, true, written).await;
        assert!(matches!(not_asked, Err(StoreError::Conflict(Conflict::StateChanged))), "{not_asked:?}");

        let edited = at("2030-03-04T13:05:00Z");
        let saved = store.save_debrief(adas.id, &debrief(true), edited).await.unwrap();
        let record = saved.debrief.clone().unwrap();
        assert_eq!((record.written_at, record.updated_at), (written, edited));
        let consent = saved.consent.unwrap();
        assert_eq!((consent.asked_at, consent.given, consent.answered_at), (edited, None, None));
        // Saving again keeps the first time consent was asked.
        let resaved = store.save_debrief(adas.id, &debrief(true), edited + minutes(1)).await.unwrap();
        assert_eq!(resaved.consent.unwrap().asked_at, edited);
        store.save_debrief(bens.id, &debrief(true), edited).await.unwrap();
        assert!(store.talent_pool(priya.id).await.unwrap().is_empty(), "nobody consented yet");

        let consented = at("2030-03-06T09:00:00Z");
        store.set_talent_consent(adas.id, true, consented).await.unwrap();
        store.set_talent_consent(bens.id, false, consented).await.unwrap();
        let pool = store.talent_pool(priya.id).await.unwrap();
        assert_eq!(pool.len(), 1);
        assert_eq!((pool[0].seeker_id, pool[0].interview_id, pool[0].consented_at), (ada.id, adas.id, consented));
        assert_eq!(pool[0].seeker_email.as_str(), "ada@example.org");
        assert_eq!(pool[0].debrief.debrief.refer_to.as_deref(), Some("Lena Fischer"));
        assert!(store.aftercare(adas.id).await.unwrap().in_talent_pool());
        assert!(store.talent_pool(ada.id).await.unwrap().is_empty());

        // Withdrawing consent, or the host unticking "keep in mind", takes the seeker out.
        store.set_talent_consent(adas.id, false, consented + minutes(1)).await.unwrap();
        assert!(store.talent_pool(priya.id).await.unwrap().is_empty());
        store.set_talent_consent(adas.id, true, consented + minutes(2)).await.unwrap();
        assert_eq!(store.talent_pool(priya.id).await.unwrap().len(), 1);
        store.save_debrief(adas.id, &debrief(false), consented + minutes(3)).await.unwrap();
        assert!(store.talent_pool(priya.id).await.unwrap().is_empty());

        let missing = store.save_debrief(InterviewId(999), &debrief(true), written).await;
        assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
    }
}

#[tokio::test]
async fn a_follow_up_invitation_is_recorded_once_per_interview() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let ada = seeker(&*store, "ada@example.org").await;
        let priya = host(&*store, "priya-data").await;
        let other = host(&*store, "other-host").await;
        let first = booked(&store, priya.id, ada.id, at("2030-03-04T12:00:00Z")).await;
        let second = booked(&store, priya.id, ada.id, at("2030-03-11T12:00:00Z")).await;
        assert_eq!(store.follow_up_invited_at(ada.id, priya.id).await.unwrap(), None);

        let invited = at("2030-03-04T13:00:00Z");
        store.record_follow_up_invite(first.id, invited).await.unwrap();
        let twice = store.record_follow_up_invite(first.id, invited + minutes(1)).await;
        assert!(matches!(twice, Err(StoreError::Conflict(Conflict::StateChanged))), "{twice:?}");
        assert_eq!(store.follow_up_invited_at(ada.id, priya.id).await.unwrap(), Some(invited));
        assert_eq!(store.follow_up_invited_at(ada.id, other.id).await.unwrap(), None);
        assert_eq!(store.follow_up_invited_at(priya.id, ada.id).await.unwrap(), None);

        let later = at("2030-03-11T13:00:00Z");
        store.record_follow_up_invite(second.id, later).await.unwrap();
        assert_eq!(store.follow_up_invited_at(ada.id, priya.id).await.unwrap(), Some(later));
        let missing = store.record_follow_up_invite(InterviewId(999), later).await;
        assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
    }
}

#[tokio::test]
async fn racing_notes_and_no_shows_record_one_each() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let ada = seeker(&*store, "ada@example.org").await;
        let priya = host(&*store, "priya-data").await;
        let interview = booked(&store, priya.id, ada.id, at("2030-03-04T12:00:00Z")).await;
        let sent = at("2030-03-04T13:00:00Z");

        let (first, second) = tokio::join!(
            store.record_thanks(interview.id, "Thank you!", sent),
            store.record_thanks(interview.id, "Thanks a lot!", sent)
        );
        assert_eq!([first.is_ok(), second.is_ok()].iter().filter(|ok| **ok).count(), 1, "{first:?} {second:?}");
        let (host_says, seeker_says) = tokio::join!(
            store.record_no_show(interview.id, Absentee::Seeker, priya.id, sent),
            store.record_no_show(interview.id, Absentee::Host, ada.id, sent)
        );
        assert_eq!([host_says.is_ok(), seeker_says.is_ok()].iter().filter(|ok| **ok).count(), 1);
        let record = store.aftercare(interview.id).await.unwrap();
        assert!(record.thanks.is_some() && record.no_show.is_some());
    }
}
