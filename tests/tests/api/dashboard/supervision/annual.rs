//! Provincial organizations that missed the previous year's inspection, once per kind of follow-up.

use domain::api::FollowUpInput;
use domain::dashboard::FigureKey;
use domain::inspection::FollowUpKind;
use tests::{Backend, on_both_backends};

use super::{check_count, dashboard, organizations};
use crate::inspection::{last_year, open_last_year, pass_deadline, today, world};

on_both_backends!(organizations_missing_the_inspection_count_once_per_follow_up_kind);

async fn organizations_missing_the_inspection_count_once_per_follow_up_kind(backend: Backend) {
    let world = world(backend).await;
    let ids = organizations(
        &world,
        &[
            ("安徽省年检约谈测试协会甲", "provincial", "340000"),
            ("安徽省年检约谈测试协会乙", "provincial", "340000"),
            ("安徽省年检约谈测试协会丙", "provincial", "340000"),
        ],
    )
    .await;
    open_last_year(&world).await;
    pass_deadline(&world, 10).await;
    world.app.store.apply_credit_rules(today()).await.unwrap();
    let missing = world
        .admin
        .list_reports(&format!("year={}&stage=not_filed&per_page=100", last_year()))
        .await
        .unwrap();
    let report_of = |organization: i64| {
        missing
            .items
            .iter()
            .find(|r| r.organization_id == organization)
            .unwrap()
            .id
    };
    let follow_up = |kind: FollowUpKind| FollowUpInput {
        kind,
        on: today(),
        interviewee: (kind == FollowUpKind::Interview).then(|| "秘书长".to_owned()),
        working_days: (kind == FollowUpKind::Rectification).then_some(20),
        outcome: "已记录".into(),
    };
    for (organization, kinds) in [
        (ids[0], vec![FollowUpKind::Interview, FollowUpKind::Rectification]),
        (
            ids[1],
            vec![FollowUpKind::Interview, FollowUpKind::Audit, FollowUpKind::Audit],
        ),
        (ids[2], vec![FollowUpKind::PenaltyReferral]),
        (world.org_a_id, vec![FollowUpKind::Interview, FollowUpKind::Audit]),
    ] {
        for kind in kinds {
            world
                .admin
                .add_follow_up(report_of(organization), &follow_up(kind))
                .await
                .unwrap();
        }
    }

    let all = dashboard(&world.admin, None).await;
    check_count(
        &world.admin,
        &all,
        FigureKey::AnnualMissingInterviewed,
        &[ids[0], ids[1]],
        0,
    )
    .await;
    check_count(
        &world.admin,
        &all,
        FigureKey::AnnualMissingPenalized,
        &[ids[0], ids[2]],
        0,
    )
    .await;
    check_count(&world.admin, &all, FigureKey::AnnualMissingAudited, &[ids[1]], 0).await;
    let city = dashboard(&world.admin, Some("340100")).await;
    check_count(&world.admin, &city, FigureKey::AnnualMissingInterviewed, &[], 0).await;
}
