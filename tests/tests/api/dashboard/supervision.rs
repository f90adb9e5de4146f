//! The supervision figures, on both backends: records of each module created through the API in this
//! year and the year before (moved there in the database where the API dates by today), with records that
//! must not count beside them; every figure is checked against a count made here, the year before, its
//! records, and a city's dashboard.

use chrono::{Datelike, Duration, NaiveDate};
use domain::api::{
    CaseStep, Dashboard, FeeItemInput, FileMatterRequest, FollowUpInput, MarkPublishedRequest,
    NewBatchRequest, NewFeeCampaignRequest, NewPenaltyRequest, PenaltyDecisionInput, PenaltyStep,
    PublicReportRequest, RecordInspectionRequest,
};
use domain::dashboard::FigureKey;
use domain::fees::{Disposition, FeeFinding};
use domain::illegal::IllegalStep;
use domain::inspection::FollowUpKind;
use domain::money::Fen;
use domain::penalties::PenaltyKind;
use domain::policy::Role;
use domain::publication::DecisionKind;
use domain::registry::credit_code::{CreditCategory, CreditCode};
use domain::registry::matter::{MatterAction, MatterKind};
use sheguan::store::accounts::ScopeIds;
use sheguan::store::registry::organizations::OrganizationSeed;
use tests::dashboard::figure;
use tests::{Backend, TestApp, on_both_backends};

use crate::inspection::{World, last_year, open_last_year, pass_deadline, today, world};

on_both_backends!(
    illegal_organizations_count_by_their_batches_and_bans,
    dormant_cases_count_as_the_case_counts_do,
    provincial_decisions_and_their_publication_on_time_count_from_the_records,
    organizations_missing_the_inspection_count_once_per_follow_up_kind,
    fee_inspections_count_by_the_fee_modules_rules,
);

fn year() -> i32 {
    today().year()
}

/// A day of last year (the 1st of June).
fn last_year_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(last_year(), 6, 1).unwrap()
}

/// Organizations added to the world: `(name, level, division)`; their ids.
async fn organizations(world: &World, rows: &[(&str, &str, &str)]) -> Vec<i64> {
    let seeds: Vec<OrganizationSeed> = rows
        .iter()
        .enumerate()
        .map(|(i, (name, level, division))| OrganizationSeed {
            credit_code: CreditCode::generate(CreditCategory::SocialGroup, division, 400 + i as u64)
                .as_str()
                .to_owned(),
            name: (*name).to_owned(),
            kind: "social_group".to_owned(),
            level: (*level).to_owned(),
            division_code: (*division).to_owned(),
            categories: "industry_association".to_owned(),
            founded_on: NaiveDate::from_ymd_opt(2012, 5, 1),
            ..Default::default()
        })
        .collect();
    world.app.insert_organizations(&seeds).await
}

async fn sql(world: &World, statement: &str) {
    world.app.db().await.execute(statement).await.unwrap();
}

/// This year's dashboard, of the province or of 合肥.
async fn dashboard(app: &TestApp, city: Option<&str>) -> Dashboard {
    let city = city.map(|c| format!("&city={c}")).unwrap_or_default();
    app.dashboard(&format!("year={}{city}", year())).await.unwrap()
}

/// A count figure is the number of `ids`, its records are exactly they (total equal to the value), and
/// the year before it was `previous`.
async fn check_count(app: &TestApp, dashboard: &Dashboard, key: FigureKey, ids: &[i64], previous: i64) {
    let figure = figure(dashboard, key);
    assert_eq!(figure.value, ids.len() as i64, "{key:?}");
    assert_eq!(figure.previous, previous, "{key:?} the year before");
    let records = app.all_figure_records(figure).await;
    let mut listed: Vec<i64> = records.iter().map(|r| r.id).collect();
    listed.sort_unstable();
    let mut expected = ids.to_vec();
    expected.sort_unstable();
    assert_eq!(listed, expected, "{key:?} records");
    let page = app
        .figure_records(figure.records.as_deref().unwrap())
        .await
        .unwrap();
    assert_eq!(page.total, figure.value as u64, "{key:?} total");
    assert!(records.iter().all(|r| r.link.is_some()), "{key:?} links");
}

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
    for action in [
        MatterAction::Accept,
        MatterAction::StartReview,
        MatterAction::Approve,
    ] {
        world.admin.act_on_matter(matter, &action).await.unwrap();
    }
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
