//! The provincial authority's licensing and penalty decisions, and the publication of the year's
//! decisions on time.

use chrono::NaiveDate;
use domain::api::{
    FileMatterRequest, MarkPublishedRequest, NewPenaltyRequest, PenaltyDecisionInput, PenaltyStep,
};
use domain::dashboard::FigureKey;
use domain::money::Fen;
use domain::penalties::PenaltyKind;
use domain::policy::Role;
use domain::publication::DecisionKind;
use domain::registry::matter::{MatterAction, MatterKind};
use sheguan::store::accounts::ScopeIds;
use tests::dashboard::figure;
use tests::{Backend, on_both_backends};

use super::{check_count, dashboard, last_year_day, organizations, year};
use crate::inspection::{World, today, world};

on_both_backends!(provincial_decisions_and_their_publication_on_time_count_from_the_records);

/// A penalty case on `organization`, noticed and decided on `on`; its id.
async fn decided(world: &World, organization: i64, on: NaiveDate) -> i64 {
    let case = world
        .admin
        .create_penalty(&NewPenaltyRequest {
            organization_id: organization,
            filed_on: on,
            facts: "未按规定接受年度检查".into(),
            evidence: "年检记录".into(),
            rule_broken: "《社会团体登记管理条例》第三十条".into(),
            petition_id: None,
        })
        .await
        .unwrap();
    let notify = PenaltyStep::Notify {
        on,
        proposed: vec![PenaltyKind::Warning],
        content: "拟给予警告".into(),
    };
    world.admin.step_penalty(case.id, &notify).await.unwrap();
    let decide = PenaltyStep::Decide(PenaltyDecisionInput {
        on,
        kinds: vec![PenaltyKind::Warning],
        fine_fen: None::<Fen>,
        confiscated_fen: None,
        suspend_until: None,
        content: "决定给予警告".into(),
    });
    world.admin.step_penalty(case.id, &decide).await.unwrap();
    case.id
}

/// A deregistration of `organization` filed by its user and approved by the bureau; the matter's id.
async fn approved_deregistration(world: &World, organization: i64) -> i64 {
    let password = "dashboard-org-password-1";
    let scope = ScopeIds {
        organization_id: Some(organization),
        ..ScopeIds::default()
    };
    world
        .app
        .add_account("dash-provincial-org", Role::OrgUser, scope, password)
        .await;
    let user = world.app.signed_in_with("dash-provincial-org", password).await;
    let filed = user
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
    for action in [MatterAction::Accept, MatterAction::StartReview] {
        world.admin.act_on_matter(matter, &action).await.unwrap();
    }
    // Whoever reviewed a matter may not decide it.
    let approver = world.app.approver().await;
    approver
        .act_on_matter(matter, &MatterAction::Approve)
        .await
        .unwrap();
    matter
}

async fn provincial_decisions_and_their_publication_on_time_count_from_the_records(backend: Backend) {
    let world = world(backend).await;
    let ids = organizations(
        &world,
        &[
            ("安徽省决定测试协会甲", "provincial", "340000"),
            ("安徽省决定测试协会乙", "provincial", "340000"),
            ("安徽省决定测试协会丙", "provincial", "340000"),
            ("安徽省决定测试协会丁", "provincial", "340000"),
        ],
    )
    .await;
    let deregistered = approved_deregistration(&world, ids[3]).await;
    let this_year = decided(&world, ids[0], today()).await;
    decided(&world, ids[1], last_year_day()).await;
    decided(&world, world.org_a_id, today()).await;
    let _undecided = world
        .admin
        .create_penalty(&NewPenaltyRequest {
            organization_id: ids[2],
            filed_on: today(),
            facts: "未按规定换届".into(),
            evidence: "章程".into(),
            rule_broken: "《社会团体登记管理条例》第三十条".into(),
            petition_id: None,
        })
        .await
        .unwrap();

    let items = world.admin.list_publications("per_page=100").await.unwrap();
    let item_of = |organization: i64| {
        items
            .items
            .iter()
            .find(|i| i.kind == DecisionKind::Penalty && i.organization_id == Some(organization))
            .unwrap()
            .clone()
    };
    let on_time = item_of(ids[0]);
    world
        .admin
        .mark_published(
            on_time.id,
            &MarkPublishedRequest {
                published_on: today(),
                note: None,
            },
        )
        .await
        .unwrap();
    // The county's decision is not published yet and not due: it counts in neither part of the share.
    let _not_due = item_of(world.org_a_id);
    // Last year's is unpublished past its due day: late.
    let _late = item_of(ids[1]);

    let all = dashboard(&world.admin, None).await;
    check_count(&world.admin, &all, FigureKey::PenaltyDecisions, &[this_year], 1).await;
    let licensing = figure(&all, FigureKey::LicensingDecisions);
    assert_eq!((licensing.value, licensing.previous), (1, 0));
    let records = world.admin.all_figure_records(licensing).await;
    assert_eq!(
        records.iter().map(|r| r.link.clone()).collect::<Vec<_>>(),
        vec![Some(format!("/matters/{deregistered}"))]
    );
    let share = figure(&all, FigureKey::PublicationOnTime);
    assert_eq!(
        (share.value, share.numerator, share.denominator),
        (100, Some(1), Some(1))
    );
    assert_eq!(share.previous, 0, "last year's one decision is late");
    let records = world.admin.all_figure_records(share).await;
    assert_eq!(records.iter().map(|r| r.id).collect::<Vec<_>>(), vec![on_time.id]);
    let report = world
        .admin
        .publication_on_time(&format!("period={}", year()))
        .await
        .unwrap();
    assert_eq!(
        (report.total.on_time, report.total.on_time + report.total.late),
        (1, 1),
        "the dashboard agrees with the on-time report"
    );
    let city = dashboard(&world.admin, Some("340100")).await;
    check_count(&world.admin, &city, FigureKey::PenaltyDecisions, &[], 0).await;
    let share = figure(&city, FigureKey::PublicationOnTime);
    assert_eq!(
        (share.numerator, share.denominator),
        (Some(0), Some(0)),
        "合肥's one item is not due"
    );
}
