//! Dormant organizations over HTTP, on both backends: the nightly scan proposes a candidate with its
//! evidence (once), staff confirm it and take it through interview and rectification to deregistration
//! (an approved 注销登记 matter) or revocation; the organization's status, public lookup and counts follow.

use chrono::Duration;
use domain::api::{CaseStep, FileMatterRequest, ReturnedLetterRequest};
use domain::dormant::{CaseStage, DormantSignal};
use domain::registry::matter::{MatterAction, MatterKind};
use domain::registry::organization::{CreditList, OrgStatus};
use reqwest::StatusCode;
use tests::{Backend, on_both_backends};

use crate::inspection::{today, world};

on_both_backends!(
    a_dormant_candidate_goes_through_interview_and_rectification_to_deregistration,
    a_revocation_ends_the_registration_and_puts_it_on_the_serious_list,
    steps_out_of_order_out_of_scope_or_with_past_deadlines_are_refused,
);

async fn a_dormant_candidate_goes_through_interview_and_rectification_to_deregistration(backend: Backend) {
    let world = world(backend).await;
    let first = world.app.store.scan_dormant(today()).await.unwrap();
    assert_eq!(first.proposed, 2, "no activity for a year: both organizations");
    assert_eq!(
        world.app.store.scan_dormant(today()).await.unwrap().proposed,
        0,
        "idempotent"
    );
    let cases = world.hefei.list_cases("stage=candidate").await.unwrap();
    assert_eq!(cases.total, 1);
    let case = &cases.items[0];
    assert_eq!(case.signals[0].signal, DormantSignal::InactiveForAYear);

    world
        .hefei
        .step_case(case.id, &CaseStep::Confirm { note: String::new() })
        .await
        .unwrap();
    let interview = CaseStep::Interview {
        interviewee: "法定代表人 王五".into(),
        on: today(),
        outcome: "承认长期未开展活动".into(),
    };
    world.hefei.step_case(case.id, &interview).await.unwrap();
    let order = CaseStep::OrderRectification {
        deadline: today() + Duration::days(30),
        requirements: "恢复活动或申请注销".into(),
    };
    let rectifying = world.hefei.step_case(case.id, &order).await.unwrap();
    assert_eq!(rectifying.stage, CaseStage::Rectifying);
    let counts = world.admin.case_counts("").await.unwrap();
    assert_eq!(
        (
            counts.total.identified,
            counts.total.in_rectification,
            counts.candidates
        ),
        (1, 1, 1)
    );

    // A deregistration matter, filed and approved through the registry.
    let filed = world
        .org_a
        .file_matter(&FileMatterRequest {
            kind: MatterKind::Deregistration,
            organization_id: None,
            changes: Default::default(),
            establishment: None,
            note: "会员大会决议注销".into(),
        })
        .await
        .unwrap();
    let matter = filed.matter.id;
    let unapproved = world
        .hefei
        .step_case(case.id, &CaseStep::Deregister { matter_id: matter })
        .await
        .unwrap_err();
    assert!(unapproved.1.field_message("matter_id").is_some());
    for action in [MatterAction::Accept, MatterAction::StartReview] {
        world.hefei.act_on_matter(matter, &action).await.unwrap();
    }
    // Whoever reviewed a matter may not decide it: the bureau approves.
    let approver = world.app.approver().await;
    approver
        .act_on_matter(matter, &MatterAction::Approve)
        .await
        .unwrap();
    let done = world
        .hefei
        .step_case(case.id, &CaseStep::Deregister { matter_id: matter })
        .await
        .unwrap();
    assert_eq!(
        (done.stage, done.matter_id),
        (CaseStage::Deregistered, Some(matter))
    );
    let org = world.hefei.find_organization(world.org_a_id).await.unwrap();
    assert_eq!(org.organization.summary.status, OrgStatus::Deregistered);
    let lookup = world.app.lookup_organizations("肥东县年检").await.unwrap();
    assert_eq!(lookup.items[0].status, OrgStatus::Deregistered);
    let counts = world
        .admin
        .case_counts(&format!("from={}&to={}", today(), today()))
        .await
        .unwrap();
    assert_eq!(
        (
            counts.total.identified,
            counts.total.remediated,
            counts.total.deregistered
        ),
        (1, 1, 1)
    );
    assert_eq!(counts.cities[0].city_code, "340100");
    let audit = world.admin.list_audit("entity_type=dormant_case").await.unwrap();
    assert_eq!(audit.total, 2 + 4, "two proposals and four steps");
}

async fn a_revocation_ends_the_registration_and_puts_it_on_the_serious_list(backend: Backend) {
    let world = world(backend).await;
    world.app.store.scan_dormant(today()).await.unwrap();
    let case = world.wuhu.list_cases("").await.unwrap().items.remove(0);
    for step in [
        CaseStep::Confirm { note: String::new() },
        CaseStep::Interview {
            interviewee: "秘书长".into(),
            on: today(),
            outcome: "无法说明情况".into(),
        },
        CaseStep::OrderRectification {
            deadline: today() + Duration::days(10),
            requirements: "恢复活动".into(),
        },
        CaseStep::Revoke {
            decision_number: "芜民罚〔2025〕8号".into(),
            decided_on: today(),
        },
    ] {
        world.wuhu.step_case(case.id, &step).await.unwrap();
    }
    let revoked = world.wuhu.find_case(case.id).await.unwrap();
    assert!(revoked.public_notice.unwrap().contains("现予公示"));
    let lookup = world.app.lookup_organizations("芜湖市年检").await.unwrap();
    assert_eq!(lookup.items[0].status, OrgStatus::Revoked);
    assert_eq!(lookup.items[0].credit_list, Some(CreditList::Serious));
    assert_eq!(
        world.app.public_credit_list("list=serious").await.unwrap().total,
        1
    );
}

async fn steps_out_of_order_out_of_scope_or_with_past_deadlines_are_refused(backend: Backend) {
    let world = world(backend).await;
    world.app.store.scan_dormant(today()).await.unwrap();
    let case = world.hefei.list_cases("").await.unwrap().items.remove(0);
    assert_eq!(
        world.wuhu.find_case(case.id).await.unwrap_err().0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        world.org_a.list_cases("").await.unwrap_err().0,
        StatusCode::FORBIDDEN
    );
    let skip = world
        .hefei
        .step_case(case.id, &CaseStep::Deregister { matter_id: 1 })
        .await
        .unwrap_err();
    assert_eq!(skip.0, StatusCode::CONFLICT);
    world
        .hefei
        .step_case(case.id, &CaseStep::Confirm { note: String::new() })
        .await
        .unwrap();
    let interview = CaseStep::Interview {
        interviewee: "会长".into(),
        on: today(),
        outcome: "同意整改".into(),
    };
    world.hefei.step_case(case.id, &interview).await.unwrap();
    let past = CaseStep::OrderRectification {
        deadline: today() - Duration::days(1),
        requirements: "整改".into(),
    };
    let refused = world.hefei.step_case(case.id, &past).await.unwrap_err();
    assert_eq!(refused.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .1
            .field_message("deadline")
            .unwrap()
            .contains("应晚于今天")
    );
    let letter = ReturnedLetterRequest {
        organization_id: world.org_a_id,
        sent_on: today(),
        returned_on: today() - Duration::days(1),
        note: String::new(),
    };
    assert!(
        world
            .hefei
            .record_letter(&letter)
            .await
            .unwrap_err()
            .1
            .field_message("returned_on")
            .is_some()
    );
    let bad_stage = world.hefei.list_cases("stage=zombie").await.unwrap_err();
    assert!(bad_stage.1.field_message("stage").is_some());
}
