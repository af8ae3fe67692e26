//! Demo aftercare: what happened after the past conversations of the featured host (Maya) and seeker (Sam).
//! Most seekers thanked their host, a few have not yet; Maya wrote debriefs, keeps one seeker in mind who
//! agreed (her talent pool), waits for another's answer, invited one to a follow-up, and recorded one
//! no-show. Written through the store with times relative to each conversation's end, like the rest of the
//! demo, and deterministic: the choices follow the order of the conversations.

use std::collections::BTreeSet;
use std::sync::Arc;

use anyhow::Context as _;
use coffeechat_domain::Email;
use coffeechat_store::{Absentee, Debrief, Store};
use jiff::{SignedDuration, Timestamp};

/// Thank-you notes the demo seekers send, in turn.
const NOTES: [&str; 3] = [
    "Thank you for your time. Hearing how you weighed your first move made my own choice clearer; I have \
     written to the two people you mentioned.",
    "Thanks a lot for your time and your honesty about the hard parts of the job. I am redoing my portfolio as \
     you suggested and will start with the smaller project.",
    "Thank you! Your advice to talk to people in the role before taking another course saved me months. I will \
     let you know how the next conversations go.",
];

/// Colleagues Maya refers seekers to, in turn (demo addresses cannot receive mail).
const REFERRALS: [&str; 2] = ["Jonas Weber, jonas.weber@demo.coffeechat.test", "Aisha Bello"];

/// Writes the aftercare of the featured accounts' past conversations.
///
/// # Errors
/// A store error.
pub(super) async fn load(store: &Arc<dyn Store>, now: Timestamp, host: &Email, seeker: &Email) -> anyhow::Result<()> {
    let mut past = Vec::new();
    let mut seen = BTreeSet::new();
    for email in [host, seeker] {
        let Some((account, _)) = store.credentials(email).await.context("demo aftercare account")? else {
            continue;
        };
        for interview in store.interviews_for(account.id).await.context("demo aftercare interviews")? {
            if interview.status.is_active() && interview.end <= now && seen.insert(interview.id) {
                past.push(interview);
            }
        }
    }
    past.sort_by_key(|interview| (interview.start, interview.id));
    let host_id = store.credentials(host).await?.map(|(account, _)| account.id);
    let seeker_id = store.credentials(seeker).await?.map(|(account, _)| account.id);

    let mut no_show_done = false;
    let mut pool_done = false;
    let mut waiting_done = false;
    let mut follow_up_done = false;
    for (index, interview) in past.iter().enumerate() {
        let after = |minutes: i64| interview.end + SignedDuration::from_mins(minutes);
        let hosted_by_maya = Some(interview.host.id) == host_id;
        // One seeker other than Sam missed their conversation with Maya.
        if !no_show_done && hosted_by_maya && Some(interview.seeker.id) != seeker_id && index % 4 == 3 {
            store.record_no_show(interview.id, Absentee::Seeker, interview.host.id, after(-20)).await?;
            no_show_done = true;
            continue;
        }
        // Every third conversation has no note yet, so both states are on show.
        if index % 3 != 2 {
            store.record_thanks(interview.id, NOTES[index % NOTES.len()], after(180)).await?;
        } else {
            store.mark_thanks_reminded(interview.id, after(60)).await?;
        }
        if !hosted_by_maya {
            continue;
        }
        let keep_in_mind = !pool_done || !waiting_done;
        let debrief = Debrief {
            prepared: index % 4 != 1,
            used_time_well: true,
            meet_again: index % 2 == 0,
            refer_to: (index % 2 == 0).then(|| REFERRALS[index / 2 % REFERRALS.len()].to_owned()),
            keep_in_mind,
        };
        store.save_debrief(interview.id, &debrief, after(10)).await?;
        if !pool_done {
            store.set_talent_consent(interview.id, true, after(24 * 60)).await?;
            pool_done = true;
        } else if !waiting_done {
            waiting_done = true;
        } else if !follow_up_done {
            store.record_follow_up_invite(interview.id, after(15)).await?;
            follow_up_done = true;
        }
    }
    tracing::info!(past = past.len(), "demo aftercare written");
    Ok(())
}
