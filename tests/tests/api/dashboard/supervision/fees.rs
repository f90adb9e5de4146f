//! Fee inspections of the year's campaigns, by the fee module's rules.

use domain::api::{FeeItemInput, NewFeeCampaignRequest, RecordInspectionRequest};
use domain::dashboard::FigureKey;
use domain::fees::{Disposition, FeeFinding};
use domain::money::Fen;
use domain::policy::Role;
use sheguan::store::accounts::ScopeIds;
use tests::dashboard::figure;
use tests::{Backend, TestApp, on_both_backends};

use super::{check_count, dashboard, organizations, year};
use crate::inspection::{last_year, today, world};

on_both_backends!(fee_inspections_count_by_the_fee_modules_rules);

/// A fee item of `income` a year paid by `payers`, disposed of so (a reduction to a quarter).
fn fee(income: i64, payers: i64, disposition: Option<Disposition>) -> FeeItemInput {
    FeeItemInput {
        name: "会费".into(),
        basis: "会员大会决议".into(),
        standard_fen: Fen::new(200_000),
        annual_income_fen: Fen::new(income),
        payers,
        findings: disposition.map_or_else(Vec::new, |_| vec![FeeFinding::FeeWithoutService]),
        disposition,
        new_standard_fen: (disposition == Some(Disposition::Reduce)).then(|| Fen::new(50_000)),
    }
}

/// A campaign of `year` over every association, drawn with `inspector` alone; its inspections' ids by
/// association.
async fn drawn_campaign(inspector: &TestApp, inspector_id: i64, year: i32) -> Vec<(i64, i64)> {
    let request = NewFeeCampaignRequest {
        year,
        title: format!("{year}年涉企收费检查"),
        division_code: "340000".into(),
        levels: vec![],
        checklist: FeeFinding::ALL.to_vec(),
        sample_size: 10,
        inspectors_per_association: 1,
        inspector_ids: vec![inspector_id],
    };
    let id = inspector.create_fee_campaign(&request).await.unwrap().campaign.id;
    inspector.draw_fee_campaign(id, None).await.unwrap();
    let drawn = inspector
        .list_fee_inspections(&format!("campaign_id={id}&per_page=100"))
        .await
        .unwrap();
    drawn.items.iter().map(|i| (i.organization_id, i.id)).collect()
}

async fn record(inspector: &TestApp, inspection: i64, items: Vec<FeeItemInput>) {
    let violation = items
        .iter()
        .any(|i| i.disposition == Some(Disposition::Investigate));
    let body = RecordInspectionRequest {
        inspected_on: today(),
        summary: "查阅收费文件".into(),
        items,
        rule_broken: violation.then(|| "《社会团体登记管理条例》第三十条".to_owned()),
    };
    inspector.record_fee_inspection(inspection, &body).await.unwrap();
}

async fn fee_inspections_count_by_the_fee_modules_rules(backend: Backend) {
    let world = world(backend).await;
    let ids = organizations(
        &world,
        &[
            ("合肥市收费看板测试协会", "city", "340100"),
            ("芜湖市收费看板测试协会", "city", "340200"),
            ("安徽省收费看板测试协会", "provincial", "340000"),
        ],
    )
    .await;
    let password = "dashboard-fees-password-1";
    let inspector_id = world
        .app
        .add_account("dash-inspector", Role::BureauAdmin, ScopeIds::default(), password)
        .await;
    let inspector = world.app.signed_in_with("dash-inspector", password).await;
    let now = drawn_campaign(&inspector, inspector_id, year()).await;
    let inspection =
        |drawn: &[(i64, i64)], organization: i64| drawn.iter().find(|(o, _)| *o == organization).unwrap().1;
    let (hefei, wuhu, provincial) = (
        inspection(&now, ids[0]),
        inspection(&now, ids[1]),
        inspection(&now, ids[2]),
    );
    let removing = vec![
        fee(1_000_000, 30, Some(Disposition::Cancel)),
        fee(400_000, 40, Some(Disposition::Reduce)),
        fee(90_000, 50, Some(Disposition::Publish)),
    ];
    record(&inspector, hefei, removing).await;
    record(
        &inspector,
        wuhu,
        vec![fee(100, 1, Some(Disposition::Investigate))],
    )
    .await;
    record(&inspector, provincial, vec![fee(0, 0, None)]).await;
    let before = drawn_campaign(&inspector, inspector_id, last_year()).await;
    record(
        &inspector,
        inspection(&before, ids[0]),
        vec![fee(500, 7, Some(Disposition::Cancel))],
    )
    .await;

    let all = dashboard(&world.admin, None).await;
    check_count(
        &world.admin,
        &all,
        FigureKey::FeeInspected,
        &[hefei, wuhu, provincial],
        1,
    )
    .await;
    check_count(&world.admin, &all, FigureKey::FeeViolations, &[wuhu], 0).await;
    check_count(&world.admin, &all, FigureKey::FeesStandardized, &[hefei], 1).await;
    // Cancelled: the income; reduced from 2,000 to 500 yuan: three quarters of it.
    let burden = figure(&all, FigureKey::FeeBurdenRemoved);
    assert_eq!((burden.value, burden.previous), (1_000_000 + 300_000, 500));
    let records = world.admin.all_figure_records(burden).await;
    assert_eq!(
        records.iter().map(|r| (r.id, r.amount)).collect::<Vec<_>>(),
        vec![(hefei, Some(1_300_000))]
    );
    // The same members pay the association's fees: the most payers of an item whose burden is removed.
    let benefited = figure(&all, FigureKey::FeeEnterprisesBenefited);
    assert_eq!((benefited.value, benefited.previous), (40, 7));
    let city = dashboard(&world.admin, Some("340100")).await;
    check_count(&world.admin, &city, FigureKey::FeeInspected, &[hefei], 1).await;
    assert_eq!(figure(&city, FigureKey::FeeBurdenRemoved).value, 1_300_000);
    assert_eq!(figure(&city, FigureKey::FeeViolations).value, 0);
}
