//! Programs: the creator is an admin, members join in roles (once each), invitations are found by their hash,
//! rounds keep their people, options, proposal and the admin's pins and forbids, and are published once.

use coffeechat_domain::{ProgramKind, ProgramRole, RequestId, RoundOptions};
use coffeechat_store::{
    Conflict, ConstraintKind, NewProgramInvitation, NewProgramRecord, NewRoundRecord, ProposedPair, RoundConstraint,
    RoundHost, RoundProposal, RoundSeeker, RoundStatus, StoreError, UnmatchedSeeker,
};

use crate::support::{at, backends, host, seeker};

#[tokio::test]
async fn a_program_has_its_creator_as_admin_and_members_join_once_per_role() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let admin = seeker(&*store, "admin@example.org").await;
        let sam = seeker(&*store, "sam@example.org").await;
        let priya = host(&*store, "priya-data").await;
        let created = at("2030-11-01T10:00:00Z");

        let program = store
            .create_program(&NewProgramRecord {
                name: "Spring cohort".into(),
                kind: ProgramKind::CareerCentre,
                created_by: admin.id,
                created_at: created,
            })
            .await
            .unwrap();
        assert_eq!(
            (program.name.as_str(), program.kind, program.created_at),
            ("Spring cohort", ProgramKind::CareerCentre, created)
        );
        assert_eq!(store.program(program.id).await.unwrap(), Some(program.clone()));

        assert!(store.add_program_member(program.id, sam.id, ProgramRole::Seeker, created).await.unwrap());
        assert!(!store.add_program_member(program.id, sam.id, ProgramRole::Seeker, created).await.unwrap(), "once");
        assert!(store.add_program_member(program.id, priya.id, ProgramRole::Host, created).await.unwrap());
        assert!(store.add_program_member(program.id, admin.id, ProgramRole::Seeker, created).await.unwrap());

        let members = store.program_members(program.id).await.unwrap();
        let roles: Vec<(ProgramRole, i64)> = members.iter().map(|member| (member.role, member.account_id.0)).collect();
        assert_eq!(
            roles,
            vec![
                (ProgramRole::Admin, admin.id.0),
                (ProgramRole::Host, priya.id.0),
                (ProgramRole::Seeker, admin.id.0),
                (ProgramRole::Seeker, sam.id.0)
            ]
        );
        assert_eq!(members[1].handle.as_ref().map(|handle| handle.as_str()), Some("priya-data"));
        assert_eq!(members[3].handle, None);

        let mine = store.programs_of(admin.id).await.unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].roles, vec![ProgramRole::Admin, ProgramRole::Seeker]);
        assert!(store.programs_of(priya.id).await.unwrap()[0].roles == vec![ProgramRole::Host]);

        let missing = store
            .add_program_member(coffeechat_domain::ProgramId(program.id.0 + 99), sam.id, ProgramRole::Seeker, created)
            .await;
        assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
    }
}

#[tokio::test]
async fn invitations_are_found_by_the_hash_of_their_token_only() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let admin = seeker(&*store, "admin@example.org").await;
        let created = at("2030-11-01T10:00:00Z");
        let program = store
            .create_program(&NewProgramRecord {
                name: "Northwind mentors".into(),
                kind: ProgramKind::Employer,
                created_by: admin.id,
                created_at: created,
            })
            .await
            .unwrap();
        let invitation = store
            .create_program_invitation(&NewProgramInvitation {
                program_id: program.id,
                token_hash: "ab".repeat(32),
                role: Some(ProgramRole::Host),
                created_by: admin.id,
                created_at: created,
            })
            .await
            .unwrap();
        let found = store.program_invitation(&"ab".repeat(32)).await.unwrap().unwrap();
        assert_eq!(found, invitation);
        assert_eq!((found.program.id, found.role), (program.id, Some(ProgramRole::Host)));
        assert_eq!(store.program_invitation(&"cd".repeat(32)).await.unwrap(), None);
    }
}

#[tokio::test]
async fn a_round_keeps_its_proposal_and_constraints_and_is_published_once() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let admin = seeker(&*store, "admin@example.org").await;
        let sam = seeker(&*store, "sam@example.org").await;
        let priya = host(&*store, "priya-data").await;
        let created = at("2030-11-01T10:00:00Z");
        let program = store
            .create_program(&NewProgramRecord {
                name: "Spring cohort".into(),
                kind: ProgramKind::Agency,
                created_by: admin.id,
                created_at: created,
            })
            .await
            .unwrap();
        let proposal = RoundProposal {
            pairs: vec![ProposedPair {
                seeker: sam.id,
                host: priya.id,
                score: 42,
                reasons: vec!["works as a data scientist, your target role".into()],
                pinned: false,
            }],
            total_score: 42,
            unmatched: vec![UnmatchedSeeker { seeker: admin.id, wanted: 2, matched: 0, why: "no host left".into() }],
        };
        let round = store
            .create_round(&NewRoundRecord {
                program_id: program.id,
                options: RoundOptions { fairness_weight: 30, max_host_share_permille: Some(250) },
                seekers: vec![
                    RoundSeeker { id: sam.id, wanted: 1, interviews_had: 2 },
                    RoundSeeker { id: admin.id, wanted: 2, interviews_had: 0 },
                ],
                hosts: vec![RoundHost { id: priya.id, capacity: 1 }],
                proposal: proposal.clone(),
                created_by: admin.id,
                created_at: created,
            })
            .await
            .unwrap();
        assert_eq!(round.status, RoundStatus::Proposed);
        assert_eq!(round.proposal, proposal);
        assert_eq!(round.options.max_host_share_permille, Some(250));
        assert_eq!(round.seekers[0].interviews_had, 2);
        assert!(!round.is_stale());
        assert_eq!(store.round(round.id).await.unwrap(), Some(round.clone()));

        // A pin, then a forbid of the same pair, replaces it; each change raises the version.
        let later = at("2030-11-01T11:00:00Z");
        assert_eq!(
            store.set_round_constraint(round.id, sam.id, priya.id, Some(ConstraintKind::Pin), later).await.unwrap(),
            1
        );
        assert_eq!(
            store.set_round_constraint(round.id, sam.id, priya.id, Some(ConstraintKind::Forbid), later).await.unwrap(),
            2
        );
        let changed = store.round(round.id).await.unwrap().unwrap();
        assert_eq!(
            changed.constraints,
            vec![RoundConstraint { seeker: sam.id, host: priya.id, kind: ConstraintKind::Forbid }]
        );
        assert!(changed.is_stale());

        // A stale proposal is not published.
        let refused = store.publish_round(round.id, later).await;
        assert!(matches!(refused, Err(StoreError::Conflict(Conflict::StateChanged))), "{refused:?}");
        store.save_round_proposal(round.id, &RoundProposal::default(), 2, later).await.unwrap();
        let solved = store.round(round.id).await.unwrap().unwrap();
        assert!(!solved.is_stale());
        assert_eq!((solved.proposal.total_score, solved.solved_at), (0, later));

        store.publish_round(round.id, later).await.unwrap();
        let again = store.publish_round(round.id, later).await;
        assert!(matches!(again, Err(StoreError::Conflict(Conflict::StateChanged))), "published once: {again:?}");
        let pin = store.set_round_constraint(round.id, sam.id, priya.id, None, later).await;
        assert!(matches!(pin, Err(StoreError::Conflict(Conflict::StateChanged))), "frozen once published: {pin:?}");
        store.record_round_requests(round.id, &[RequestId(7), RequestId(9)]).await.unwrap();
        let published = store.round(round.id).await.unwrap().unwrap();
        assert_eq!((published.status, published.published_at), (RoundStatus::Published, Some(later)));
        assert_eq!(published.published_requests, vec![RequestId(7), RequestId(9)]);

        let listed = store.rounds_of(program.id).await.unwrap();
        assert_eq!(listed, vec![published]);
        assert!(store.round(coffeechat_domain::RoundId(round.id.0 + 50)).await.unwrap().is_none());
    }
}

#[tokio::test]
async fn two_publishers_at_once_claim_a_round_once() {
    for backend in backends() {
        let store = backend.fresh_store().await;
        let admin = seeker(&*store, "admin@example.org").await;
        let created = at("2030-11-01T10:00:00Z");
        let program = store
            .create_program(&NewProgramRecord {
                name: "Race".into(),
                kind: ProgramKind::Agency,
                created_by: admin.id,
                created_at: created,
            })
            .await
            .unwrap();
        let round = store
            .create_round(&NewRoundRecord {
                program_id: program.id,
                options: RoundOptions::default(),
                seekers: vec![],
                hosts: vec![],
                proposal: RoundProposal::default(),
                created_by: admin.id,
                created_at: created,
            })
            .await
            .unwrap();
        let (first, second) =
            tokio::join!(store.publish_round(round.id, created), store.publish_round(round.id, created));
        let won = [&first, &second].iter().filter(|result| result.is_ok()).count();
        assert_eq!(won, 1, "{first:?} {second:?}");
        for result in [first, second] {
            if let Err(error) = result {
                assert!(matches!(error, StoreError::Conflict(Conflict::StateChanged)), "{error:?}");
            }
        }
    }
}
