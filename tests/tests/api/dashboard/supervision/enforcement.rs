//! Illegal organizations (by their batches and bans) and dormant cases (as the case counts count them).

use chrono::Duration;
use domain::api::{CaseStep, NewBatchRequest, PublicReportRequest};
use domain::dashboard::FigureKey;
use domain::illegal::IllegalStep;
use tests::{Backend, on_both_backends};

use super::{check_count, dashboard, last_year_day, organizations, sql, year};
use crate::inspection::{World, today, world};

on_both_backends!(
    illegal_organizations_count_by_their_batches_and_bans,
    dormant_cases_count_as_the_case_counts_do,
);

fn public_report(name: &str, division: &str) -> PublicReportRequest {
    PublicReportRequest {
        name: name.into(),
        division_code: division.into(),
        address: "某写字楼 3 楼".into(),
        activities: "以协会名义收取会费、颁发证书".into(),
        contact: None,
    }
}

/// A reported body under investigation; its case id.
async fn investigated(world: &World, name: &str, division: &str) -> i64 {
    world
        .app
        .another_client()
        .report_illegal_organization(&public_report(name, division))
        .await
        .unwrap();
    let clues = world
        .admin
        .list_illegal_cases(&format!("stage=clue&name={name}"))
        .await
        .unwrap();
    let id = clues.items.iter().find(|c| c.name == name).unwrap().id;
    let step = IllegalStep::Investigate {
        on: today(),
        note: "立案调查".into(),
    };
    world.admin.step_illegal_case(id, &step).await.unwrap();
    id
}

async fn illegal_organizations_count_by_their_batches_and_bans(backend: Backend) {
    let world = world(backend).await;
    let old = investigated(&world, "中华国学促进会安徽分会", "340122").await;
    let hefei = investigated(&world, "世界华人企业家联合会合肥办事处", "340104").await;
    let wuhu = investigated(&world, "国际养生文化研究院芜湖分院", "340202").await;
    let _unpublished = investigated(&world, "全球健康产业联盟", "340122").await;
    let publish = |ids: Vec<i64>| NewBatchRequest {
        case_ids: ids,
        published_on: today(),
    };
    let first = world.admin.publish_batch(&publish(vec![old])).await.unwrap();
    sql(
        &world,
        &format!(
            "UPDATE illegal_batches SET published_on = '{}' WHERE number = {}",
            last_year_day(),
            first.number
        ),
    )
    .await;
    let second = world
        .admin
        .publish_batch(&publish(vec![hefei, wuhu]))
        .await
        .unwrap();
    let ban = IllegalStep::Ban {
        on: today(),
        decision_number: format!("皖民取字〔{}〕1号", year()),
    };
    world.admin.step_illegal_case(hefei, &ban).await.unwrap();

    let all = dashboard(&world.admin, None).await;
    check_count(&world.admin, &all, FigureKey::IllegalPublished, &[hefei, wuhu], 1).await;
    check_count(&world.admin, &all, FigureKey::IllegalBatches, &[second.number], 1).await;
    check_count(&world.admin, &all, FigureKey::IllegalBanned, &[hefei], 0).await;
    let city = dashboard(&world.admin, Some("340100")).await;
    check_count(&world.admin, &city, FigureKey::IllegalPublished, &[hefei], 1).await;
    check_count(
        &world.admin,
        &city,
        FigureKey::IllegalBatches,
        &[second.number],
        1,
    )
    .await;
    check_count(&world.admin, &city, FigureKey::IllegalBanned, &[hefei], 0).await;
}

async fn dormant_cases_count_as_the_case_counts_do(backend: Backend) {
    let world = world(backend).await;
    organizations(
        &world,
        &[
            ("合肥市僵尸测试协会甲", "city", "340100"),
            ("合肥市僵尸测试协会乙", "city", "340100"),
            ("芜湖市僵尸测试协会丙", "city", "340200"),
            ("芜湖市僵尸测试协会丁", "city", "340200"),
        ],
    )
    .await;
    world.app.store.scan_dormant(today()).await.unwrap();
    let cases = world
        .admin
        .list_cases("stage=candidate&per_page=100")
        .await
        .unwrap();
    let case_of = |name: &str| {
        cases
            .items
            .iter()
            .find(|c| c.organization_name.contains(name))
            .unwrap()
            .id
    };
    let (confirmed, observed, interviewed, dismissed, earlier) = (
        case_of("协会甲"),
        case_of("协会乙"),
        case_of("协会丙"),
        case_of("协会丁"),
        case_of("肥东县年检测试协会"),
    );
    let confirm = CaseStep::Confirm { note: String::new() };
    let interview = CaseStep::Interview {
        interviewee: "法定代表人".into(),
        on: today(),
        outcome: "承认长期未开展活动".into(),
    };
    let order = CaseStep::OrderRectification {
        deadline: today() + Duration::days(30),
        requirements: "恢复活动".into(),
    };
    let observe = CaseStep::KeepUnderObservation {
        note: "已恢复活动".into(),
    };
    for (id, steps) in [
        (confirmed, vec![&confirm]),
        (observed, vec![&confirm, &interview, &order, &observe]),
        (interviewed, vec![&confirm, &interview]),
        (earlier, vec![&confirm]),
    ] {
        for step in steps {
            world.admin.step_case(id, step).await.unwrap();
        }
    }
    let dismiss = CaseStep::Dismiss {
        reason: "仍在开展活动".into(),
    };
    world.admin.step_case(dismissed, &dismiss).await.unwrap();
    sql(
        &world,
        &format!(
            "UPDATE dormant_cases SET confirmed_on = '{}' WHERE id = {earlier}",
            last_year_day()
        ),
    )
    .await;

    let all = dashboard(&world.admin, None).await;
    check_count(
        &world.admin,
        &all,
        FigureKey::DormantIdentified,
        &[confirmed, observed, interviewed],
        1,
    )
    .await;
    check_count(&world.admin, &all, FigureKey::DormantRemediated, &[observed], 0).await;
    check_count(
        &world.admin,
        &all,
        FigureKey::DormantInRectification,
        &[confirmed, interviewed],
        1,
    )
    .await;
    let counts = world
        .admin
        .case_counts(&format!("from={}-01-01&to={}-12-31", year(), year()))
        .await
        .unwrap();
    assert_eq!(
        (
            counts.total.identified,
            counts.total.remediated,
            counts.total.in_rectification
        ),
        (3, 1, 2),
        "the dashboard agrees with the case counts"
    );
    let city = dashboard(&world.admin, Some("340100")).await;
    check_count(
        &world.admin,
        &city,
        FigureKey::DormantIdentified,
        &[confirmed, observed],
        1,
    )
    .await;
    check_count(&world.admin, &city, FigureKey::DormantRemediated, &[observed], 0).await;
    check_count(
        &world.admin,
        &city,
        FigureKey::DormantInRectification,
        &[confirmed],
        1,
    )
    .await;
}
