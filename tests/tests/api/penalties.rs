//! Administrative penalties over HTTP, on both backends: a case runs from the notice through a hearing
//! request to a revocation that changes the registry (status, serious list, the profile's timeline); a
//! warning lists as abnormal and a second minor penalty within three years as serious; decisions are
//! numbered 皖社罚〔YYYY〕N号 in order; scope and bad input.

use chrono::{Datelike, Duration};
use domain::api::{NewPenaltyRequest, PenaltyDecisionInput, PenaltyStep};
use domain::money::Fen;
use domain::penalties::{PenaltyKind, PenaltyStage};
use domain::registry::organization::{CreditList, ListingReason, OrgStatus};
use reqwest::StatusCode;
use tests::{Backend, TestApp, on_both_backends};

use crate::inspection::{today, world};

on_both_backends!(
    a_case_runs_from_notice_through_a_hearing_to_a_revocation_that_changes_the_registry,
    warnings_list_as_abnormal_and_a_second_minor_penalty_as_serious,
    other_divisions_do_not_see_a_case_and_bad_steps_are_refused_naming_the_field,
);

fn case_for(organization_id: i64) -> NewPenaltyRequest {
    NewPenaltyRequest {
        organization_id,
        filed_on: today(),
        facts: "未经批准设立分支机构并收取会费".into(),
        evidence: "分支机构成立通知、收费凭证 12 份".into(),
        rule_broken: "《社会团体登记管理条例》第三十条第一款第（五）项".into(),
        petition_id: None,
    }
}

fn decision(kinds: Vec<PenaltyKind>, fine: Option<i64>) -> PenaltyStep {
    PenaltyStep::Decide(PenaltyDecisionInput {
        on: today(),
        kinds,
        fine_fen: fine.map(Fen::new),
        confiscated_fen: None,
        suspend_until: None,
        content: "依据《社会团体登记管理条例》第三十条，决定如下。".into(),
    })
}

/// Files a case and serves the notice; the case's id.
async fn noticed(staff: &TestApp, organization_id: i64, proposed: PenaltyKind) -> i64 {
    let case = staff.create_penalty(&case_for(organization_id)).await.unwrap();
    let notify = PenaltyStep::Notify {
        on: today(),
        proposed: vec![proposed],
        content: "拟作出行政处罚，你单位有权陈述、申辩，并可在五日内要求听证。".into(),
    };
    staff.step_penalty(case.id, &notify).await.unwrap();
    case.id
}

async fn a_case_runs_from_notice_through_a_hearing_to_a_revocation_that_changes_the_registry(
    backend: Backend,
) {
    let world = world(backend).await;
    let id = noticed(&world.hefei, world.org_a_id, PenaltyKind::Revocation).await;
    let hearing = PenaltyStep::RequestHearing { on: today() };
    let asked = world.hefei.step_penalty(id, &hearing).await.unwrap();
    assert_eq!(asked.hearing_requested_on, Some(today()));
    let revoke = decision(vec![PenaltyKind::Revocation], None);
    let early = world.hefei.step_penalty(id, &revoke).await.unwrap_err();
    assert_eq!(early.0, StatusCode::CONFLICT);
    assert!(early.1.error.message.contains("听证"));
    let held = PenaltyStep::HoldHearing {
        on: today(),
        record: "当事人对违法事实无异议，请求从轻处罚".into(),
    };
    world.hefei.step_penalty(id, &held).await.unwrap();

    let decided = world.hefei.step_penalty(id, &revoke).await.unwrap();
    assert_eq!(decided.stage, PenaltyStage::Decided);
    let number = decided.decision.as_ref().unwrap().document_number.clone();
    assert_eq!(number, format!("皖社罚〔{}〕1号", today().year()));

    let org = world.hefei.find_organization(world.org_a_id).await.unwrap();
    assert_eq!(org.organization.summary.status, OrgStatus::Revoked);
    assert!(
        org.timeline.iter().any(|e| e.summary.contains(&number)),
        "the profile shows the decision"
    );
    let listings = world
        .admin
        .list_listings(&format!("organization_id={}", world.org_a_id))
        .await
        .unwrap();
    assert_eq!(listings.total, 1);
    assert_eq!(
        (listings.items[0].list, listings.items[0].reason),
        (CreditList::Serious, ListingReason::RegistrationRevoked)
    );
    let on_profile = world
        .hefei
        .list_penalties(&format!("organization_id={}&stage=decided", world.org_a_id))
        .await
        .unwrap();
    assert_eq!(
        on_profile.items[0].decision.as_ref().unwrap().kinds,
        vec![PenaltyKind::Revocation]
    );
    let again = noticed_after_revocation(&world.hefei, world.org_a_id).await;
    assert!(
        again.1.field_message("organization_id").is_some(),
        "a revoked organization is not penalized again"
    );
}

async fn noticed_after_revocation(
    staff: &TestApp,
    organization_id: i64,
) -> (StatusCode, domain::api::ApiError) {
    staff
        .create_penalty(&case_for(organization_id))
        .await
        .unwrap_err()
}

async fn warnings_list_as_abnormal_and_a_second_minor_penalty_as_serious(backend: Backend) {
    let world = world(backend).await;
    let first = noticed(&world.wuhu, world.org_b_id, PenaltyKind::Warning).await;
    let statement = PenaltyStep::Statement {
        on: today(),
        opinion: "已整改，请求免予处罚".into(),
    };
    world.wuhu.step_penalty(first, &statement).await.unwrap();
    let warned = world
        .wuhu
        .step_penalty(first, &decision(vec![PenaltyKind::Warning], None))
        .await
        .unwrap();
    assert!(warned.statement.is_some());
    let listings = world
        .admin
        .list_listings(&format!("organization_id={}", world.org_b_id))
        .await
        .unwrap();
    assert_eq!(
        (listings.items[0].list, listings.items[0].reason),
        (CreditList::Abnormal, ListingReason::MinorPenalty),
        "the listing says it follows from the penalty"
    );
    let notice = world
        .admin
        .find_listing(listings.items[0].id)
        .await
        .unwrap()
        .notice;
    assert!(
        notice.as_deref().is_some_and(|n| n.contains("行政处罚")),
        "{notice:?}"
    );

    let second = noticed(&world.wuhu, world.org_b_id, PenaltyKind::Fine).await;
    let fined = world
        .wuhu
        .step_penalty(second, &decision(vec![PenaltyKind::Fine], Some(1_000_000)))
        .await
        .unwrap();
    assert_eq!(
        fined.decision.unwrap().document_number,
        format!("皖社罚〔{}〕2号", today().year())
    );
    let listings = world
        .admin
        .list_listings(&format!("organization_id={}", world.org_b_id))
        .await
        .unwrap();
    assert_eq!(
        (listings.items[0].list, listings.items[0].reason),
        (CreditList::Serious, ListingReason::RepeatedPenalties)
    );
    let org = world.wuhu.find_organization(world.org_b_id).await.unwrap();
    assert_eq!(
        org.organization.summary.status,
        OrgStatus::Normal,
        "a fine does not end the registration"
    );
}

async fn other_divisions_do_not_see_a_case_and_bad_steps_are_refused_naming_the_field(backend: Backend) {
    let world = world(backend).await;
    let refused = world
        .wuhu
        .create_penalty(&case_for(world.org_a_id))
        .await
        .unwrap_err();
    assert!(refused.1.field_message("organization_id").is_some());
    let blank = NewPenaltyRequest {
        rule_broken: " ".into(),
        ..case_for(world.org_a_id)
    };
    let refused = world.hefei.create_penalty(&blank).await.unwrap_err();
    assert!(
        refused
            .1
            .field_message("rule_broken")
            .unwrap()
            .contains("违反的规定")
    );

    let case = world
        .hefei
        .create_penalty(&case_for(world.org_a_id))
        .await
        .unwrap();
    assert_eq!(
        world.wuhu.find_penalty(case.id).await.unwrap_err().0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(world.wuhu.list_penalties("").await.unwrap().total, 0);
    assert_eq!(
        world.org_a.list_penalties("").await.unwrap_err().0,
        StatusCode::FORBIDDEN
    );
    let undecided = world
        .hefei
        .step_penalty(case.id, &decision(vec![PenaltyKind::Warning], None))
        .await
        .unwrap_err();
    assert_eq!(undecided.0, StatusCode::CONFLICT, "no decision without a notice");

    let id = noticed(&world.hefei, world.org_a_id, PenaltyKind::Fine).await;
    let no_amount = world
        .hefei
        .step_penalty(id, &decision(vec![PenaltyKind::Fine], None))
        .await
        .unwrap_err();
    assert!(no_amount.1.field_message("fine_fen").unwrap().contains("罚款"));
    let nothing = world
        .hefei
        .step_penalty(id, &decision(Vec::new(), None))
        .await
        .unwrap_err();
    assert!(nothing.1.field_message("kinds").is_some());
    let late = PenaltyStep::RequestHearing {
        on: today() + Duration::days(1),
    };
    assert!(
        world
            .hefei
            .step_penalty(id, &late)
            .await
            .unwrap_err()
            .1
            .field_message("on")
            .is_some()
    );
    let unheld = PenaltyStep::HoldHearing {
        on: today(),
        record: "x".into(),
    };
    assert_eq!(
        world.hefei.step_penalty(id, &unheld).await.unwrap_err().0,
        StatusCode::CONFLICT
    );
}
