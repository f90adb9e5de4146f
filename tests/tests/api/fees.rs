//! Fee inspections over HTTP, on both backends: a campaign draws business associations × inspectors from a
//! seed, conflicts excluded, and a second person's re-run gives the same list, which anyone can read; the
//! drawn inspectors record fee items with dispositions (a 查处 opening a penalty case) and the campaign's
//! burden removed is the sum of its items; results and export; scope, roles and bad input.

use chrono::{Duration, NaiveDate};
use domain::api::{FeeItemInput, NewConflictRequest, NewFeeCampaignRequest, RecordInspectionRequest};
use domain::division::DivisionCode;
use domain::fees::{CampaignStage, Disposition, FeeFinding, InspectionStage};
use domain::money::Fen;
use domain::penalties::PenaltyStage;
use domain::policy::Role;
use domain::registry::credit_code::{CreditCategory, CreditCode};
use reqwest::StatusCode;
use sheguan::store::accounts::ScopeIds;
use sheguan::store::registry::organizations::OrganizationSeed;
use tests::{Backend, TestApp, on_both_backends};

use crate::inspection::today;

on_both_backends!(
    a_draw_excludes_conflicts_and_a_second_person_reruns_it_to_the_same_list,
    recorded_dispositions_give_the_campaign_burden_as_the_sum_of_its_items,
    staff_see_their_division_and_only_drawn_inspectors_record,
    bad_campaigns_draws_and_inspections_are_refused_naming_the_field,
    the_demo_history_is_drawn_and_recorded_through_the_app_and_loads_once,
);

const PASSWORD: &str = "fees-test-password-1";

struct World {
    app: TestApp,
    admin: TestApp,
    hefei: TestApp,
    wuhu: TestApp,
    org: TestApp,
    admin_id: i64,
    hefei_id: i64,
    wuhu_id: i64,
    org_user_id: i64,
    /// The eligible associations: two in 合肥, two in 芜湖, one provincial.
    associations: Vec<i64>,
    /// Not eligible: a 学会 and a revoked association.
    ineligible: Vec<i64>,
}

async fn world(backend: Backend) -> World {
    let app = tests::spawn_app(backend).await;
    let rows = [
        (
            "合肥市收费测试协会",
            "city",
            "340100",
            "industry_association",
            "normal",
        ),
        (
            "肥东县收费测试商会",
            "county",
            "340122",
            "industry_association",
            "normal",
        ),
        (
            "芜湖市收费测试协会",
            "city",
            "340200",
            "industry_association",
            "normal",
        ),
        (
            "芜湖市收费测试商会",
            "city",
            "340200",
            "industry_association,other",
            "normal",
        ),
        (
            "安徽省收费测试协会",
            "provincial",
            "340000",
            "industry_association",
            "normal",
        ),
        ("合肥市收费测试学会", "city", "340100", "science", "normal"),
        (
            "合肥市已撤销收费测试协会",
            "city",
            "340100",
            "industry_association",
            "revoked",
        ),
    ];
    let seeds: Vec<OrganizationSeed> = rows
        .iter()
        .enumerate()
        .map(
            |(i, (name, level, division, categories, status))| OrganizationSeed {
                credit_code: CreditCode::generate(CreditCategory::SocialGroup, division, 900 + i as u64)
                    .as_str()
                    .to_owned(),
                name: (*name).to_owned(),
                kind: "social_group".to_owned(),
                level: (*level).to_owned(),
                division_code: (*division).to_owned(),
                categories: (*categories).to_owned(),
                status: Some((*status).to_owned()),
                founded_on: NaiveDate::from_ymd_opt(2012, 5, 1),
                ..Default::default()
            },
        )
        .collect();
    let ids = app.insert_organizations(&seeds).await;
    let scope = |division: Option<&str>, organization: Option<i64>| ScopeIds {
        division_code: division.and_then(|d| DivisionCode::parse(d).ok()),
        organization_id: organization,
        ..ScopeIds::default()
    };
    let admin_id = app
        .add_account("fee-admin", Role::BureauAdmin, scope(None, None), PASSWORD)
        .await;
    let hefei_id = app
        .add_account(
            "fee-hefei",
            Role::LocalStaff,
            scope(Some("340100"), None),
            PASSWORD,
        )
        .await;
    let wuhu_id = app
        .add_account(
            "fee-wuhu",
            Role::LocalStaff,
            scope(Some("340200"), None),
            PASSWORD,
        )
        .await;
    let org_user_id = app
        .add_account("fee-org", Role::OrgUser, scope(None, Some(ids[0])), PASSWORD)
        .await;
    World {
        admin: app.signed_in_with("fee-admin", PASSWORD).await,
        hefei: app.signed_in_with("fee-hefei", PASSWORD).await,
        wuhu: app.signed_in_with("fee-wuhu", PASSWORD).await,
        org: app.signed_in_with("fee-org", PASSWORD).await,
        admin_id,
        hefei_id,
        wuhu_id,
        org_user_id,
        associations: ids[..5].to_vec(),
        ineligible: ids[5..].to_vec(),
        app,
    }
}

fn campaign(pool: Vec<i64>, per: u32, sample: u32) -> NewFeeCampaignRequest {
    NewFeeCampaignRequest {
        year: 2025,
        title: "2025年全省行业协会商会涉企收费检查".into(),
        division_code: "340000".into(),
        levels: vec![],
        checklist: FeeFinding::ALL.to_vec(),
        sample_size: sample,
        inspectors_per_association: per,
        inspector_ids: pool,
    }
}

fn fee(name: &str, income: i64, payers: i64, disposition: Option<Disposition>) -> FeeItemInput {
    FeeItemInput {
        name: name.into(),
        basis: "会员大会决议".into(),
        standard_fen: Fen::new(200_000),
        annual_income_fen: Fen::new(income),
        payers,
        findings: disposition.map_or_else(Vec::new, |_| vec![FeeFinding::FeeWithoutService]),
        disposition,
        new_standard_fen: (disposition == Some(Disposition::Reduce)).then(|| Fen::new(50_000)),
    }
}

fn record(items: Vec<FeeItemInput>) -> RecordInspectionRequest {
    RecordInspectionRequest {
        inspected_on: today(),
        summary: "查阅收费文件、财务凭证和会员名册".into(),
        items,
        rule_broken: None,
    }
}

async fn a_draw_excludes_conflicts_and_a_second_person_reruns_it_to_the_same_list(backend: Backend) {
    let w = world(backend).await;
    let wuhu_association = w.associations[2];
    let conflict = NewConflictRequest {
        inspector_id: w.wuhu_id,
        organization_id: wuhu_association,
        reason: "曾任该协会副会长".into(),
    };
    w.admin.create_fee_conflict(&conflict).await.unwrap();
    let again = w.admin.create_fee_conflict(&conflict).await.unwrap_err();
    assert_eq!(again.0, StatusCode::CONFLICT);

    let pool = vec![w.admin_id, w.hefei_id, w.wuhu_id];
    let first = w
        .admin
        .create_fee_campaign(&campaign(pool.clone(), 2, 10))
        .await
        .unwrap();
    assert_eq!(first.campaign.stage, CampaignStage::Open);
    let drawn = w
        .admin
        .draw_fee_campaign(first.campaign.id, Some("00000000075bcd15"))
        .await
        .unwrap();
    assert_eq!(drawn.campaign.stage, CampaignStage::Drawn);
    assert_eq!((drawn.campaign.eligible, drawn.campaign.drawn), (Some(5), 5));
    let list = w
        .admin
        .list_fee_inspections(&format!("campaign_id={}&per_page=50", first.campaign.id))
        .await
        .unwrap();
    assert_eq!(list.total, 5);
    for inspection in &list.items {
        assert!(!w.ineligible.contains(&inspection.organization_id));
        assert_eq!(inspection.inspectors.len(), 2);
        if inspection.organization_id == wuhu_association {
            assert!(
                inspection.inspectors.iter().all(|i| i.id != w.wuhu_id),
                "the conflict is excluded"
            );
        }
    }
    let twice = w
        .admin
        .draw_fee_campaign(first.campaign.id, None)
        .await
        .unwrap_err();
    assert_eq!(twice.0, StatusCode::CONFLICT);

    let verified = w.hefei.verify_fee_draw(first.campaign.id).await.unwrap();
    assert!(verified.same, "the re-run gives the recorded list");
    assert_eq!((verified.seed.as_str(), verified.drawn), ("00000000075bcd15", 5));
    let detail = w.wuhu.find_fee_campaign(first.campaign.id).await.unwrap();
    assert_eq!(detail.verifications[0].verified_by, "fee-hefei");

    // The same inputs and seed in a second campaign draw the same list in the same order.
    let second = w.admin.create_fee_campaign(&campaign(pool, 2, 10)).await.unwrap();
    w.admin
        .draw_fee_campaign(second.campaign.id, Some("00000000075bcd15"))
        .await
        .unwrap();
    let anyone = w.app.another_client();
    let published = |id| anyone.published_fee_draw(id);
    let (a, b) = (
        published(first.campaign.id).await.unwrap(),
        published(second.campaign.id).await.unwrap(),
    );
    let names = |d: &domain::api::PublishedDraw| {
        d.associations
            .iter()
            .map(|a| (a.credit_code.clone(), a.inspectors.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&a), names(&b));
    assert_eq!(a.associations.len(), 5);
    assert!(a.associations[0].inspectors.iter().all(|name| !name.is_empty()));
    let open = w
        .admin
        .create_fee_campaign(&campaign(vec![w.admin_id], 1, 1))
        .await
        .unwrap();
    assert_eq!(
        anyone.published_fee_draw(open.campaign.id).await.unwrap_err().0,
        StatusCode::NOT_FOUND
    );
}

async fn recorded_dispositions_give_the_campaign_burden_as_the_sum_of_its_items(backend: Backend) {
    let w = world(backend).await;
    let created = w
        .admin
        .create_fee_campaign(&campaign(vec![w.admin_id, w.hefei_id], 2, 10))
        .await
        .unwrap();
    let id = created.campaign.id;
    w.admin.draw_fee_campaign(id, None).await.unwrap();
    let list = w
        .admin
        .list_fee_inspections(&format!("campaign_id={id}&per_page=50"))
        .await
        .unwrap();
    let of = |org: i64| list.items.iter().find(|i| i.organization_id == org).unwrap().id;
    let (own, other) = (of(w.associations[0]), of(w.associations[2]));

    let mut investigated = fee("达标评比费", 400_000, 20, Some(Disposition::Investigate));
    investigated.findings = vec![FeeFinding::AwardsAndRatings];
    let mut first = record(vec![
        fee("会费", 2_000_000, 10, Some(Disposition::Reduce)),
        fee("培训费", 1_000_000, 40, Some(Disposition::Cancel)),
        fee("资料费", 50_000, 90, Some(Disposition::Publish)),
        investigated,
    ]);
    first.rule_broken = Some("《社会团体登记管理条例》第三十条".into());
    let recorded = w.admin.record_fee_inspection(own, &first).await.unwrap();
    assert_eq!(recorded.stage, InspectionStage::Recorded);
    let burdens: Vec<i64> = recorded
        .items
        .iter()
        .map(|i| i.burden_removed_fen.as_i64())
        .collect();
    assert_eq!(
        burdens,
        vec![1_500_000, 1_000_000, 0, 0],
        "reduce removes the part above the new standard"
    );
    assert_eq!(recorded.enterprises_benefited, 40);
    let case = w
        .admin
        .find_penalty(recorded.penalty_case_id.expect("a penalty case"))
        .await
        .unwrap();
    assert_eq!(case.stage, PenaltyStage::Filed);
    assert!(case.facts.contains("达标评比费"));
    let twice = w
        .hefei
        .record_fee_inspection(own, &record(vec![fee("会费", 1, 1, None)]))
        .await
        .unwrap_err();
    assert_eq!(twice.0, StatusCode::CONFLICT);
    w.hefei
        .record_fee_inspection(
            other,
            &record(vec![fee("会议费", 300_000, 12, Some(Disposition::Cancel))]),
        )
        .await
        .unwrap();

    let results = w.admin.fee_campaign_results(id).await.unwrap();
    let mut items_sum = 0;
    for inspection in [own, other] {
        let found = w.admin.find_fee_inspection(inspection).await.unwrap();
        items_sum += found
            .items
            .iter()
            .map(|i| i.burden_removed_fen.as_i64())
            .sum::<i64>();
    }
    assert_eq!(results.totals.burden_removed_fen.as_i64(), items_sum);
    assert_eq!(items_sum, 2_800_000);
    assert_eq!(
        (
            results.totals.inspected,
            results.totals.violations,
            results.totals.standardized
        ),
        (2, 1, 2)
    );
    assert_eq!(results.totals.enterprises_benefited, 52);
    let city_sum: i64 = results
        .by_city
        .iter()
        .map(|c| c.line.burden_removed_fen.as_i64())
        .sum();
    assert_eq!(city_sum, items_sum);
    let cancel = results
        .by_disposition
        .iter()
        .find(|d| d.disposition == Disposition::Cancel)
        .unwrap();
    assert_eq!(
        (
            cancel.items,
            cancel.associations,
            cancel.burden_removed_fen.as_i64()
        ),
        (2, 2, 1_300_000)
    );

    let mine = w.org.list_fee_inspections("").await.unwrap();
    assert_eq!(mine.total, 1, "the association sees its own inspection");
    assert_eq!(w.org.find_fee_inspection(own).await.unwrap().items.len(), 4);
    assert_eq!(
        w.org.find_fee_inspection(other).await.unwrap_err().0,
        StatusCode::NOT_FOUND
    );
    assert!(w.org_user_id > 0);

    let export = w.hefei.export_fee_campaign(id).await;
    assert_eq!(export.status(), StatusCode::OK);
    assert!(
        export.bytes().await.unwrap().starts_with(b"PK"),
        "an .xlsx workbook"
    );

    let closed = w.admin.close_fee_campaign(id).await.unwrap();
    assert_eq!(closed.campaign.stage, CampaignStage::Closed);
    let pending = list
        .items
        .iter()
        .find(|i| i.id != own && i.id != other)
        .unwrap()
        .id;
    let late = w
        .admin
        .record_fee_inspection(pending, &record(vec![fee("会费", 1, 1, None)]))
        .await
        .unwrap_err();
    assert_eq!(late.0, StatusCode::CONFLICT);
}

async fn staff_see_their_division_and_only_drawn_inspectors_record(backend: Backend) {
    let w = world(backend).await;
    let created = w
        .admin
        .create_fee_campaign(&campaign(vec![w.admin_id], 1, 10))
        .await
        .unwrap();
    let id = created.campaign.id;
    w.admin.draw_fee_campaign(id, None).await.unwrap();
    let hefei = w
        .hefei
        .list_fee_inspections(&format!("campaign_id={id}"))
        .await
        .unwrap();
    assert_eq!(hefei.total, 2, "合肥 and 肥东");
    assert!(hefei.items.iter().all(|i| i.division_code.starts_with("3401")));
    let in_hefei = hefei.items[0].id;
    assert_eq!(
        w.wuhu.find_fee_inspection(in_hefei).await.unwrap_err().0,
        StatusCode::NOT_FOUND
    );
    let not_drawn = w
        .hefei
        .record_fee_inspection(in_hefei, &record(vec![fee("会费", 1, 1, None)]))
        .await;
    assert_eq!(not_drawn.unwrap_err().0, StatusCode::FORBIDDEN);
    w.admin
        .record_fee_inspection(
            in_hefei,
            &record(vec![fee("会费", 9, 1, Some(Disposition::Cancel))]),
        )
        .await
        .unwrap();
    w.admin
        .record_fee_inspection(
            w.admin
                .list_fee_inspections(&format!("campaign_id={id}&division=340200"))
                .await
                .unwrap()
                .items[0]
                .id,
            &record(vec![fee("会费", 7, 1, Some(Disposition::Cancel))]),
        )
        .await
        .unwrap();
    let hefei_results = w.hefei.fee_campaign_results(id).await.unwrap();
    assert_eq!(
        (
            hefei_results.totals.burden_removed_fen.as_i64(),
            hefei_results.drawn
        ),
        (9, 2)
    );
    assert_eq!(
        w.admin
            .fee_campaign_results(id)
            .await
            .unwrap()
            .totals
            .burden_removed_fen
            .as_i64(),
        16
    );
    let mine = w
        .admin
        .list_fee_inspections(&format!("campaign_id={id}&mine=true"))
        .await
        .unwrap();
    assert_eq!(mine.total, 5);
    assert_eq!(
        w.hefei
            .create_fee_campaign(&campaign(vec![w.hefei_id], 1, 1))
            .await
            .unwrap_err()
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.hefei.draw_fee_campaign(id, None).await.unwrap_err().0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.org.list_fee_campaigns("").await.unwrap_err().0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.org.verify_fee_draw(id).await.unwrap_err().0,
        StatusCode::FORBIDDEN
    );
}

async fn bad_campaigns_draws_and_inspections_are_refused_naming_the_field(backend: Backend) {
    let w = world(backend).await;
    let refused = |field: &'static str| {
        move |error: (StatusCode, domain::api::ApiError)| {
            assert_eq!(error.0, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {error:?}");
            let message = error
                .1
                .field_message(field)
                .unwrap_or_else(|| panic!("{field}: {error:?}"));
            let name = field.rsplit('.').next().unwrap_or(field);
            assert!(
                message.contains(name) && message.chars().any(|c| c > '\u{2e80}'),
                "{message}"
            );
        }
    };
    let pool = vec![w.admin_id];
    let mut no_checklist = campaign(pool.clone(), 1, 3);
    no_checklist.checklist.clear();
    refused("checklist")(w.admin.create_fee_campaign(&no_checklist).await.unwrap_err());
    refused("inspector_ids")(
        w.admin
            .create_fee_campaign(&campaign(vec![w.org_user_id], 1, 3))
            .await
            .unwrap_err(),
    );
    refused("sample_size")(
        w.admin
            .create_fee_campaign(&campaign(pool.clone(), 1, 0))
            .await
            .unwrap_err(),
    );
    let mut nowhere = campaign(pool.clone(), 1, 3);
    nowhere.division_code = "999999".into();
    refused("division_code")(w.admin.create_fee_campaign(&nowhere).await.unwrap_err());

    let mut narrow = campaign(pool, 1, 10);
    narrow.checklist = vec![FeeFinding::FeeWithoutService];
    let id = w.admin.create_fee_campaign(&narrow).await.unwrap().campaign.id;
    refused("seed")(w.admin.draw_fee_campaign(id, Some("xyz")).await.unwrap_err());
    w.admin.draw_fee_campaign(id, None).await.unwrap();
    let inspection = w
        .admin
        .list_fee_inspections(&format!("campaign_id={id}"))
        .await
        .unwrap()
        .items[0]
        .id;
    let mut undisposed = fee("会费", 1, 1, Some(Disposition::Cancel));
    undisposed.disposition = None;
    refused("items[0].disposition")(attempt(&w.admin, inspection, record(vec![undisposed])).await);
    let mut off_list = fee("会费", 1, 1, Some(Disposition::Cancel));
    off_list.findings = vec![FeeFinding::ForcedExpos];
    refused("items[0].findings")(attempt(&w.admin, inspection, record(vec![off_list])).await);
    let investigate = fee("评比费", 1, 1, Some(Disposition::Investigate));
    refused("rule_broken")(attempt(&w.admin, inspection, record(vec![investigate])).await);
    let mut tomorrow = record(vec![fee("会费", 1, 1, None)]);
    tomorrow.inspected_on = today() + Duration::days(1);
    refused("inspected_on")(attempt(&w.admin, inspection, tomorrow).await);
    refused("items")(attempt(&w.admin, inspection, record(vec![])).await);
    let unchanged = w.admin.find_fee_inspection(inspection).await.unwrap();
    assert_eq!(
        (unchanged.stage, unchanged.items.len()),
        (InspectionStage::Pending, 0),
        "nothing half-written"
    );
}

/// Records `body` on inspection `id` expecting a refusal.
async fn attempt(
    app: &TestApp,
    id: i64,
    body: RecordInspectionRequest,
) -> (StatusCode, domain::api::ApiError) {
    app.record_fee_inspection(id, &body).await.unwrap_err()
}

async fn the_demo_history_is_drawn_and_recorded_through_the_app_and_loads_once(backend: Backend) {
    let app = tests::spawn_demo_app(backend).await;
    let admin = app.signed_in_with("demo-admin", &tests::demo_password()).await;
    let campaigns = admin.list_fee_campaigns("").await.unwrap();
    assert_eq!(campaigns.total, 2, "last year's and this year's");
    assert_eq!(campaigns.items[0].stage, CampaignStage::Open);
    let last = &campaigns.items[1];
    assert_eq!((last.stage, last.drawn), (CampaignStage::Drawn, 12));
    assert!(last.recorded > 0 && last.recorded < 12, "{}", last.recorded);
    assert!(admin.verify_fee_draw(last.id).await.unwrap().same);
    let results = admin.fee_campaign_results(last.id).await.unwrap();
    assert_eq!(results.totals.inspected, last.recorded);
    let items = app
        .store
        .fee_campaign_items(last.id, &sheguan::store::Visibility::All, 0)
        .await
        .unwrap();
    let sum: i64 = items.iter().map(|i| i.item.burden_removed_fen).sum();
    assert_eq!(results.totals.burden_removed_fen.as_i64(), sum);
    sheguan::seed::fees::load(&app.store, 5_000).await.unwrap();
    assert_eq!(
        admin.list_fee_campaigns("").await.unwrap().total,
        2,
        "loaded once"
    );
}
