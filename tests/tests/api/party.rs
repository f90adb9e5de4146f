//! Party building over HTTP, on both backends: an approval moves the coverage from the day decided while a
//! past day's figures stay as they were, drillable to the organizations behind them; an organization's
//! own update waits for staff; instructors see their assigned organizations only, while the term runs, and
//! are evaluated after it; other divisions see nothing; bad input names the field; the demo history
//! gives the case study's 2021.

use chrono::{Days, NaiveDate};
use domain::api::{
    ApprovalDecisionRequest, AssignRequest, EvaluationRequest, NewApprovalRequest, NewPartyBatchRequest,
    NewPartyRecordRequest, NewVisitRequest, RecordDecisionRequest,
};
use domain::party::{ApprovalStatus, Due, PartyInfo, PartyOrgKind, Rating, RecordStatus};
use domain::policy::Role;
use reqwest::StatusCode;
use sheguan::store::accounts::ScopeIds;
use tests::{ApiResult, Backend, TestApp, on_both_backends};

use crate::inspection::{World, today, world};

on_both_backends!(
    an_approval_moves_the_coverage_from_its_day_and_a_past_day_stays_as_it_was,
    an_organizations_update_waits_for_staff_and_other_divisions_see_nothing,
    instructors_see_their_assigned_organizations_only_and_are_evaluated_after_the_term,
    bad_input_is_refused_naming_the_field,
    the_demo_history_gives_the_case_studys_2021,
);

const PASSWORD: &str = "party-test-password-1";

fn days_ago(n: u64) -> NaiveDate {
    today() - Days::new(n)
}

fn functional(organization_id: i64, applied_on: NaiveDate) -> NewApprovalRequest {
    NewApprovalRequest {
        organization_id,
        kind: PartyOrgKind::Functional,
        members: 1,
        joint_with: Vec::new(),
        applied_on,
        approving_body: "中共合肥市社会组织综合委员会".into(),
    }
}

fn entity(members: u32, approved_on: NaiveDate) -> PartyInfo {
    PartyInfo {
        kind: PartyOrgKind::Entity,
        members,
        approved_on: Some(approved_on),
        approving_body: Some("中共芜湖市社会组织综合委员会".into()),
        ..PartyInfo::nothing()
    }
}

/// The status and the first field named by a refusal.
fn refusal<T: std::fmt::Debug>(result: ApiResult<T>) -> (StatusCode, String, String) {
    let (status, error) = result.unwrap_err();
    let field = error
        .error
        .fields
        .first()
        .map(|f| f.field.clone())
        .unwrap_or_default();
    (status, field, error.error.message)
}

async fn an_approval_moves_the_coverage_from_its_day_and_a_past_day_stays_as_it_was(backend: Backend) {
    let World {
        admin,
        hefei,
        wuhu,
        org_a_id,
        org_b_id,
        ..
    } = world(backend).await;
    let before = hefei.party_coverage("").await.unwrap();
    assert_eq!((before.total.in_scope, before.total.covered), (1, 0));
    assert_eq!(before.total.division_code, "340100");

    let filed = hefei
        .create_party_approval(&functional(org_a_id, days_ago(10)))
        .await
        .unwrap();
    assert_eq!(filed.status, ApprovalStatus::Pending);
    let approve = ApprovalDecisionRequest {
        approve: true,
        decided_on: days_ago(2),
        note: None,
    };
    let approved = hefei.decide_party_approval(filed.id, &approve).await.unwrap();
    assert_eq!(
        (approved.status, approved.decided_on),
        (ApprovalStatus::Approved, Some(days_ago(2)))
    );
    let again = hefei.decide_party_approval(filed.id, &approve).await;
    assert_eq!(refusal(again).0, StatusCode::CONFLICT);

    let now = hefei.party_coverage("").await.unwrap();
    assert_eq!((now.total.in_scope, now.total.covered), (1, 1));
    assert_eq!(now.total.coverage(), Some(100.0));
    let county = &now.rows[0];
    assert_eq!((county.division_code.as_str(), county.covered), ("340122", 1));
    let past = hefei
        .party_coverage(&format!("on={}", days_ago(5)))
        .await
        .unwrap();
    assert_eq!((past.total.in_scope, past.total.covered), (1, 0));
    let province = admin.party_coverage("level=county").await.unwrap();
    assert_eq!((province.total.in_scope, province.total.covered), (1, 1));
    assert_eq!(
        admin
            .party_coverage("level=provincial")
            .await
            .unwrap()
            .total
            .in_scope,
        0
    );

    let covered = admin
        .coverage_organizations("cohort=covered&division=340100")
        .await
        .unwrap();
    assert_eq!(covered.total, 1);
    assert_eq!(
        (covered.items[0].organization_id, covered.items[0].kind),
        (org_a_id, PartyOrgKind::Functional)
    );
    let in_scope = admin.coverage_organizations("cohort=in_scope").await.unwrap();
    assert_eq!(
        in_scope.total,
        admin.party_coverage("").await.unwrap().total.in_scope
    );
    let earlier = admin
        .coverage_organizations(&format!("cohort=covered&on={}", days_ago(5)))
        .await
        .unwrap();
    assert_eq!(earlier.total, 0);

    // Staff record an entity branch from yesterday: the formation rate counts it from then.
    let record = NewPartyRecordRequest {
        effective_on: days_ago(1),
        info: entity(5, days_ago(1)),
    };
    let recorded = wuhu.create_party_record(org_b_id, &record).await.unwrap();
    assert_eq!(recorded.status, RecordStatus::Confirmed);
    let formation = wuhu.party_coverage("").await.unwrap();
    assert_eq!((formation.total.entity, formation.total.eligible), (1, 1));
    let day_before = wuhu.party_coverage(&format!("on={}", days_ago(2))).await.unwrap();
    assert_eq!((day_before.total.entity, day_before.total.eligible), (0, 0));
    let profile = wuhu
        .party_profile(org_b_id, &format!("on={}", days_ago(2)))
        .await
        .unwrap();
    assert_eq!(profile.current.kind, PartyOrgKind::NoBranch);
    assert_eq!(
        wuhu.party_profile(org_b_id, "").await.unwrap().current.kind,
        PartyOrgKind::Entity
    );
}

async fn an_organizations_update_waits_for_staff_and_other_divisions_see_nothing(backend: Backend) {
    let World {
        hefei,
        wuhu,
        org_a,
        org_a_id,
        org_b_id,
        ..
    } = world(backend).await;
    let update = NewPartyRecordRequest {
        effective_on: days_ago(3),
        info: PartyInfo {
            members: 2,
            liaison: Some("王建华".into()),
            trade_union: true,
            ..PartyInfo::nothing()
        },
    };
    let reported = org_a.create_party_record(org_a_id, &update).await.unwrap();
    assert_eq!(reported.status, RecordStatus::Pending);
    assert!(
        !org_a
            .party_profile(org_a_id, "")
            .await
            .unwrap()
            .current
            .trade_union
    );
    assert_eq!(
        refusal(org_a.party_profile(org_b_id, "").await).0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        refusal(org_a.create_party_record(org_b_id, &update).await).0,
        StatusCode::NOT_FOUND
    );

    assert_eq!(wuhu.list_party_records("").await.unwrap().total, 0);
    assert_eq!(
        refusal(wuhu.party_profile(org_a_id, "").await).0,
        StatusCode::NOT_FOUND
    );
    let confirm = RecordDecisionRequest {
        confirm: true,
        note: None,
    };
    assert_eq!(
        refusal(wuhu.decide_party_record(reported.id, &confirm).await).0,
        StatusCode::NOT_FOUND
    );
    let wuhu_orgs = wuhu.coverage_organizations("").await.unwrap();
    assert!(wuhu_orgs.items.iter().all(|o| o.organization_id != org_a_id));
    assert_eq!(
        refusal(org_a.list_party_records("").await).0,
        StatusCode::FORBIDDEN
    );

    let queue = hefei.list_party_records("").await.unwrap();
    assert_eq!((queue.total, queue.items[0].id), (1, reported.id));
    let no_reason = RecordDecisionRequest {
        confirm: false,
        note: None,
    };
    let (status, field, message) = refusal(hefei.decide_party_record(reported.id, &no_reason).await);
    assert_eq!(
        (status, field.as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "note")
    );
    assert!(message.contains("退回理由"), "{message}");
    let confirmed = hefei.decide_party_record(reported.id, &confirm).await.unwrap();
    assert_eq!(confirmed.status, RecordStatus::Confirmed);
    assert_eq!(
        refusal(hefei.decide_party_record(reported.id, &confirm).await).0,
        StatusCode::CONFLICT
    );
    let profile = org_a.party_profile(org_a_id, "").await.unwrap();
    assert!(profile.current.trade_union);
    assert_eq!(profile.current.liaison.as_deref(), Some("王建华"));
    assert_eq!(profile.history.len(), 1);
}

async fn instructor(app: &TestApp, username: &str) -> (i64, TestApp) {
    let id = app
        .add_account(username, Role::Instructor, ScopeIds::default(), PASSWORD)
        .await;
    (id, app.signed_in_with(username, PASSWORD).await)
}

async fn instructors_see_their_assigned_organizations_only_and_are_evaluated_after_the_term(
    backend: Backend,
) {
    let World {
        app,
        admin,
        hefei,
        org_a_id,
        org_b_id,
        ..
    } = world(backend).await;
    let (a_id, a) = instructor(&app, "instructor-a").await;
    let (b_id, _b) = instructor(&app, "instructor-b").await;
    assert_eq!(
        refusal(a.party_profile(org_a_id, "").await).0,
        StatusCode::NOT_FOUND
    );

    let term = NewPartyBatchRequest {
        number: 9,
        term_start: days_ago(30),
        term_end: today() + Days::new(300),
    };
    assert_eq!(
        refusal(hefei.create_party_batch(&term).await).0,
        StatusCode::FORBIDDEN
    );
    let batch = admin.create_party_batch(&term).await.unwrap();
    let (status, field, _) = refusal(admin.create_party_batch(&term).await);
    assert_eq!((status, field.as_str()), (StatusCode::CONFLICT, "number"));
    assert!(
        admin
            .list_party_instructors()
            .await
            .unwrap()
            .iter()
            .any(|i| i.user_id == a_id)
    );

    let detail = admin
        .assign_party_instructor(
            batch.id,
            a_id,
            &AssignRequest {
                organization_ids: vec![org_a_id],
            },
        )
        .await
        .unwrap();
    assert_eq!(detail.batch.organizations, 1);
    assert_eq!(detail.instructors[0].organizations[0].id, org_a_id);
    let taken = admin
        .assign_party_instructor(
            batch.id,
            b_id,
            &AssignRequest {
                organization_ids: vec![org_a_id],
            },
        )
        .await;
    assert_eq!(refusal(taken).0, StatusCode::CONFLICT);
    assert_eq!(
        refusal(
            admin
                .assign_party_instructor(
                    batch.id,
                    org_a_id + 1000,
                    &AssignRequest {
                        organization_ids: vec![org_a_id]
                    }
                )
                .await
        )
        .0,
        StatusCode::NOT_FOUND
    );

    assert_eq!(
        a.party_profile(org_a_id, "").await.unwrap().organization_id,
        org_a_id
    );
    assert_eq!(
        refusal(a.party_profile(org_b_id, "").await).0,
        StatusCode::NOT_FOUND
    );
    let workspace = a.party_workspace().await.unwrap();
    assert_eq!(workspace.organizations.len(), 1);
    assert!(workspace.organizations[0].due.contains(&Due::Visit));
    assert!(workspace.organizations[0].due.contains(&Due::Establish));
    let visit = |organization_id, visited_on, note: &str| NewVisitRequest {
        organization_id,
        visited_on,
        note: note.into(),
    };
    let elsewhere = a.create_party_visit(&visit(org_b_id, today(), "走访")).await;
    assert_eq!(refusal(elsewhere).0, StatusCode::NOT_FOUND);
    let (status, field, _) = refusal(
        a.create_party_visit(&visit(org_a_id, today() + Days::new(1), "走访"))
            .await,
    );
    assert_eq!(
        (status, field.as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "visited_on")
    );
    let (_, field, message) = refusal(a.create_party_visit(&visit(org_a_id, today(), " ")).await);
    assert!(field == "note" && message.contains("走访指导内容"), "{message}");
    let logged = a
        .create_party_visit(&visit(org_a_id, today(), "指导落实三会一课"))
        .await
        .unwrap();
    assert_eq!((logged.batch_number, logged.organization_id), (9, org_a_id));
    let workspace = a.party_workspace().await.unwrap();
    assert_eq!(
        (
            workspace.organizations[0].visits,
            workspace.organizations[0].last_visit
        ),
        (1, Some(today()))
    );
    assert!(!workspace.organizations[0].due.contains(&Due::Visit));
    assert_eq!(workspace.terms[0].visits, 1);
    assert_eq!(refusal(admin.party_workspace().await).0, StatusCode::FORBIDDEN);

    let evaluation = EvaluationRequest {
        rating: Rating::Excellent,
        reasons: "履职尽责".into(),
        evaluated_on: today(),
    };
    assert_eq!(
        refusal(admin.evaluate_party_instructor(batch.id, a_id, &evaluation).await).0,
        StatusCode::CONFLICT
    );

    // A batch whose term ends today: assigned, then evaluated once.
    let ending = NewPartyBatchRequest {
        number: 8,
        term_start: days_ago(400),
        term_end: today(),
    };
    let ended = admin.create_party_batch(&ending).await.unwrap();
    admin
        .assign_party_instructor(
            ended.id,
            b_id,
            &AssignRequest {
                organization_ids: vec![org_b_id],
            },
        )
        .await
        .unwrap();
    let blank = EvaluationRequest {
        reasons: "".into(),
        ..evaluation.clone()
    };
    let (_, field, _) = refusal(admin.evaluate_party_instructor(ended.id, b_id, &blank).await);
    assert_eq!(field, "reasons");
    let rated = admin
        .evaluate_party_instructor(ended.id, b_id, &evaluation)
        .await
        .unwrap();
    assert_eq!((rated.batch.evaluated, rated.batch.excellent), (1, 1));
    assert_eq!(
        rated.instructors[0].evaluation.as_ref().map(|e| e.rating),
        Some(Rating::Excellent)
    );
    assert_eq!(
        refusal(admin.evaluate_party_instructor(ended.id, b_id, &evaluation).await).0,
        StatusCode::CONFLICT
    );
    let listed = hefei.list_party_batches().await.unwrap();
    assert_eq!(listed.iter().map(|b| b.number).collect::<Vec<_>>(), vec![9, 8]);
    // Hefei staff see batch 9's assignment in their division, not batch 8's in Wuhu.
    assert!(hefei.party_batch(ended.id).await.unwrap().instructors.is_empty());
}

async fn bad_input_is_refused_naming_the_field(backend: Backend) {
    let World { hefei, org_a_id, .. } = world(backend).await;
    let cases: Vec<(PartyInfo, &str, &str)> = vec![
        (entity(2, days_ago(1)), "members", "3 名以上正式党员"),
        (PartyInfo::nothing(), "liaison", "党建联络员"),
        (
            PartyInfo {
                approved_on: None,
                ..entity(3, today())
            },
            "approved_on",
            "批准日期",
        ),
        (
            PartyInfo {
                kind: PartyOrgKind::Joint,
                ..entity(3, today())
            },
            "joint_with",
            "联合党支部",
        ),
    ];
    for (info, expected, words) in cases {
        let body = NewPartyRecordRequest {
            effective_on: today(),
            info,
        };
        let (status, field, message) = refusal(hefei.create_party_record(org_a_id, &body).await);
        assert_eq!(
            (status, field.as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, expected)
        );
        assert!(message.contains(words), "{message}");
    }
    let future = NewPartyRecordRequest {
        effective_on: today() + Days::new(1),
        info: entity(3, today()),
    };
    assert_eq!(
        refusal(hefei.create_party_record(org_a_id, &future).await).1,
        "effective_on"
    );
    let none = NewApprovalRequest {
        kind: PartyOrgKind::NoBranch,
        ..functional(org_a_id, today())
    };
    assert_eq!(refusal(hefei.create_party_approval(&none).await).1, "kind");
    let unknown = functional(org_a_id + 1000, today());
    assert_eq!(
        refusal(hefei.create_party_approval(&unknown).await).1,
        "organization_id"
    );
    let filed = hefei
        .create_party_approval(&functional(org_a_id, today()))
        .await
        .unwrap();
    let refuse = ApprovalDecisionRequest {
        approve: false,
        decided_on: today(),
        note: None,
    };
    assert_eq!(
        refusal(hefei.decide_party_approval(filed.id, &refuse).await).1,
        "note"
    );
    let early = ApprovalDecisionRequest {
        approve: true,
        decided_on: days_ago(1),
        note: None,
    };
    assert_eq!(
        refusal(hefei.decide_party_approval(filed.id, &early).await).1,
        "decided_on"
    );
    for (query, expected) in [
        (format!("on={}", today() + Days::new(1)), "on"),
        ("cohort=everyone".to_owned(), "cohort"),
        ("level=national".to_owned(), "level"),
        ("division=34".to_owned(), "division"),
    ] {
        let (status, field, message) = refusal(
            hefei
                .party_coverage(&query)
                .await
                .map(|_| ())
                .and(hefei.coverage_organizations(&query).await),
        );
        assert_eq!(
            (status, field.as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, expected),
            "{query}: {message}"
        );
    }
}

async fn the_demo_history_gives_the_case_studys_2021(backend: Backend) {
    let app = tests::spawn_demo_app(backend).await;
    let admin = app.signed_in_as("demo-admin").await;
    let approved = |kind: &str| format!("status=approved&kind={kind}&year=2021&level=provincial&per_page=1");
    assert_eq!(
        admin
            .list_party_approvals(&approved("functional"))
            .await
            .unwrap()
            .total,
        169
    );
    assert_eq!(
        admin
            .list_party_approvals(&approved("entity"))
            .await
            .unwrap()
            .total,
        17
    );
    let end_of_2021 = admin
        .party_coverage("on=2021-12-31&level=provincial")
        .await
        .unwrap();
    let coverage = end_of_2021.total.coverage().unwrap();
    assert!((54.5..=55.5).contains(&coverage), "{coverage}");
    let batches = admin.list_party_batches().await.unwrap();
    let fifth = batches.iter().find(|b| b.number == 5).unwrap();
    assert_eq!((fifth.instructors, fifth.organizations), (12, 50));
    let third = batches.iter().find(|b| b.number == 3).unwrap();
    assert_eq!((third.evaluated, third.excellent), (10, 8));

    let demo = app.signed_in_as("demo-instructor").await;
    let workspace = demo.party_workspace().await.unwrap();
    assert!(!workspace.organizations.is_empty());
    assert!(workspace.terms.iter().any(|t| t.current));
    // A restart loads nothing twice.
    let again = app
        .another_server_with(|c| c.demo = true)
        .await
        .signed_in_as("demo-admin")
        .await;
    assert_eq!(again.list_party_batches().await.unwrap().len(), batches.len());
}
