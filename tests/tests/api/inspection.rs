//! The annual inspection over HTTP, on both backends: the bureau opens a year, an organization keeps a
//! draft and submits, staff in scope judge or return it and record follow-ups; the deadline's rule marks
//! the missing 未报送; scope and bad input.

use chrono::{Datelike, Duration, NaiveDate};
use domain::api::{CycleInput, FollowUpInput, ReportInput, ReviewReportRequest, SaveReportRequest};
use domain::division::DivisionCode;
use domain::inspection::{FollowUpKind, InspectionResult, Officer, ReportStage};
use domain::policy::Role;
use domain::registry::credit_code::{CreditCategory, CreditCode};
use domain::registry::organization::Level;
use reqwest::StatusCode;
use sheguan::store::accounts::ScopeIds;
use sheguan::store::registry::organizations::OrganizationSeed;
use tests::{Backend, TestApp, on_both_backends};

on_both_backends!(
    an_organization_files_its_report_and_sees_its_result,
    staff_return_a_report_and_record_follow_ups_with_working_day_deadlines,
    after_the_deadline_the_missing_reports_are_not_filed_once,
    other_divisions_and_other_organizations_do_not_see_a_report,
    bad_cycles_reports_and_verdicts_are_refused_naming_the_field,
    a_report_export_above_the_inline_limit_runs_as_a_job,
);

/// The cells of the first sheet of an .xlsx workbook, as text.
fn sheet_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    range
        .rows()
        .map(|row| row.iter().map(|cell| cell.to_string()).collect())
        .collect()
}

async fn a_report_export_above_the_inline_limit_runs_as_a_job(backend: Backend) {
    let world = world_with(backend, |c| c.jobs.inline_export_rows = 0).await;
    open_last_year(&world).await;
    world
        .org_a
        .save_my_report(last_year(), &complete_report())
        .await
        .unwrap();
    let answer = world.admin.export_reports(&format!("year={}", last_year())).await;
    assert_eq!(answer.status(), StatusCode::ACCEPTED);
    let job: domain::api::Job = answer.json().await.unwrap();
    assert_eq!(job.kind, domain::jobs::JobKind::InspectionExport);
    let done = world.admin.wait_for_job(job.id).await;
    assert_eq!(done.status, domain::jobs::JobStatus::Done, "{:?}", done.error);
    assert_eq!(done.summary.as_deref(), Some("共 1 行"));
    let file = world.admin.get(&done.download.expect("a download link")).await;
    let rows = sheet_rows(&file.bytes().await.unwrap());
    assert_eq!(rows.len(), 3, "caption, header and the one report");
    assert_eq!(rows[1][0], "编号");
}

const PASSWORD: &str = "annual-test-password-1";

/// The application with two organizations (肥东县 under 合肥, and 芜湖) and a user per role.
pub(crate) struct World {
    pub app: TestApp,
    pub admin: TestApp,
    pub hefei: TestApp,
    pub wuhu: TestApp,
    pub org_a: TestApp,
    pub org_b: TestApp,
    pub org_a_id: i64,
    pub org_b_id: i64,
}

pub(crate) async fn world(backend: Backend) -> World {
    world_with(backend, |_| {}).await
}

/// As [`world`], letting the test adjust the configuration first.
pub(crate) async fn world_with(backend: Backend, adjust: impl FnOnce(&mut sheguan::config::Config)) -> World {
    let app = tests::spawn_app_with(backend, adjust).await;
    let seeds: Vec<OrganizationSeed> = [
        ("肥东县年检测试协会", "county", "340122"),
        ("芜湖市年检测试协会", "city", "340200"),
    ]
    .iter()
    .enumerate()
    .map(|(i, (name, level, division))| OrganizationSeed {
        credit_code: CreditCode::generate(CreditCategory::SocialGroup, division, 700 + i as u64)
            .as_str()
            .to_owned(),
        name: (*name).to_owned(),
        kind: "social_group".to_owned(),
        level: (*level).to_owned(),
        division_code: (*division).to_owned(),
        founded_on: NaiveDate::from_ymd_opt(2010, 3, 1),
        ..Default::default()
    })
    .collect();
    let ids = app.insert_organizations(&seeds).await;
    let scope = |division: Option<&str>, organization: Option<i64>| ScopeIds {
        division_code: division.and_then(|d| DivisionCode::parse(d).ok()),
        organization_id: organization,
        ..ScopeIds::default()
    };
    World {
        admin: user(&app, "admin", Role::BureauAdmin, scope(None, None)).await,
        hefei: user(&app, "hefei", Role::LocalStaff, scope(Some("340100"), None)).await,
        wuhu: user(&app, "wuhu", Role::LocalStaff, scope(Some("340200"), None)).await,
        org_a: user(&app, "org-a", Role::OrgUser, scope(None, Some(ids[0]))).await,
        org_b: user(&app, "org-b", Role::OrgUser, scope(None, Some(ids[1]))).await,
        org_a_id: ids[0],
        org_b_id: ids[1],
        app,
    }
}

async fn user(app: &TestApp, username: &str, role: Role, scope: ScopeIds) -> TestApp {
    app.add_account(username, role, scope, PASSWORD).await;
    app.signed_in_with(username, PASSWORD).await
}

/// The server's today (China, UTC+8), which its deadlines and decisions are dated by.
pub(crate) fn today() -> NaiveDate {
    sheguan::state::today()
}

pub(crate) fn last_year() -> i32 {
    today().year() - 1
}

/// Opens last year's cycle for the whole province, with the deadline a month away.
pub(crate) async fn open_last_year(world: &World) {
    let cycle = CycleInput {
        year: last_year(),
        deadline: today() + Duration::days(30),
        levels: vec![],
        division_code: "340000".to_owned(),
    };
    world.admin.open_cycle(&cycle).await.unwrap();
}

/// Moves last year's deadline `days` into the past (what time would do).
pub(crate) async fn pass_deadline(world: &World, days: i64) {
    let deadline = today() - Duration::days(days);
    world
        .app
        .db()
        .await
        .execute(&format!(
            "UPDATE inspection_cycles SET deadline = '{deadline}' WHERE year = {}",
            last_year()
        ))
        .await
        .unwrap();
}

pub(crate) fn complete_report() -> SaveReportRequest {
    SaveReportRequest {
        report: ReportInput {
            revenue_fen: 12_000_000,
            expenses_fen: 9_000_000,
            net_assets_fen: 3_000_000,
            activities: "全年开展行业培训 6 场、调研 3 次".to_owned(),
            party_building: "成立功能型党支部，开展主题党日活动".to_owned(),
            member_fees: vec![],
            officers: vec![Officer {
                name: "张三".to_owned(),
                position: "会长".to_owned(),
            }],
        },
        submit: true,
    }
}

async fn an_organization_files_its_report_and_sees_its_result(backend: Backend) {
    let world = world(backend).await;
    open_last_year(&world).await;
    let year = last_year();
    let draft = SaveReportRequest {
        submit: false,
        ..complete_report()
    };
    let saved = world.org_a.save_my_report(year, &draft).await.unwrap();
    assert_eq!(saved.stage, ReportStage::Draft);
    let submitted = world
        .org_a
        .save_my_report(year, &complete_report())
        .await
        .unwrap();
    assert_eq!(submitted.stage, ReportStage::Submitted);
    assert!(!submitted.late);

    let queue = world
        .hefei
        .list_reports(&format!("year={year}&stage=submitted"))
        .await
        .unwrap();
    assert_eq!(queue.total, 1);
    let verdict = ReviewReportRequest {
        result: InspectionResult::BasicallyQualified,
        reasons: "财务制度待完善".to_owned(),
    };
    let reviewed = world.hefei.review_report(submitted.id, &verdict).await.unwrap();
    assert_eq!(reviewed.result, Some(InspectionResult::BasicallyQualified));
    // The same list asked again: its total, counted before the review, is not kept past it.
    let queue = world
        .hefei
        .list_reports(&format!("year={year}&stage=submitted"))
        .await
        .unwrap();
    assert_eq!((queue.items.len(), queue.total), (0, 0));

    let mine = world.org_a.list_reports("").await.unwrap();
    assert_eq!(mine.items.len(), 1);
    assert_eq!(mine.items[0].result, Some(InspectionResult::BasicallyQualified));
    let locked = world
        .org_a
        .save_my_report(year, &complete_report())
        .await
        .unwrap_err();
    assert_eq!(locked.0, StatusCode::CONFLICT);
    let export = world.admin.export_reports(&format!("year={year}")).await;
    assert_eq!(export.status(), StatusCode::OK);
    let rows = sheet_rows(&export.bytes().await.unwrap());
    assert_eq!(rows.len(), 3, "caption, header and the one report");
    assert!(rows[0][0].contains("共 1 条") && rows[0][0].contains(&format!("年度={year}")));
    assert_eq!(rows[2][2], "肥东县年检测试协会");
    assert_eq!(rows[2][6], "基本合格");
    let audit = world.admin.list_audit("entity_type=annual_report").await.unwrap();
    assert_eq!(audit.total, 3, "save, submit and review are each audited");
}

async fn staff_return_a_report_and_record_follow_ups_with_working_day_deadlines(backend: Backend) {
    let world = world(backend).await;
    open_last_year(&world).await;
    let report = world
        .org_a
        .save_my_report(last_year(), &complete_report())
        .await
        .unwrap();
    let returned = world
        .hefei
        .return_report(report.id, "净资产与上年不衔接")
        .await
        .unwrap();
    assert_eq!(returned.stage, ReportStage::Returned);
    assert_eq!(returned.reasons.as_deref(), Some("净资产与上年不衔接"));
    let again = world
        .org_a
        .save_my_report(last_year(), &complete_report())
        .await
        .unwrap();
    assert_eq!(again.stage, ReportStage::Submitted);

    let order = FollowUpInput {
        kind: FollowUpKind::Rectification,
        on: NaiveDate::from_ymd_opt(2025, 9, 30).unwrap(),
        interviewee: None,
        working_days: Some(5),
        outcome: "限期补齐财务报表".to_owned(),
    };
    let recorded = world.hefei.add_follow_up(report.id, &order).await.unwrap();
    // 2025-10-01…08 is the National Day holiday: five working days from 09-30 end on 10-14 (10-11 is 调休).
    assert_eq!(recorded.due_on, NaiveDate::from_ymd_opt(2025, 10, 14));
    let interview = FollowUpInput {
        kind: FollowUpKind::Interview,
        interviewee: Some("秘书长 李四".into()),
        working_days: None,
        on: today(),
        ..order
    };
    world.hefei.add_follow_up(report.id, &interview).await.unwrap();
    let detail = world.org_a.find_report(report.id).await.unwrap();
    assert_eq!(detail.follow_ups.len(), 2);
    let outside = world.wuhu.add_follow_up(report.id, &interview).await.unwrap_err();
    assert_eq!(outside.0, StatusCode::NOT_FOUND);
}

async fn after_the_deadline_the_missing_reports_are_not_filed_once(backend: Backend) {
    let world = world(backend).await;
    open_last_year(&world).await;
    let draft = SaveReportRequest {
        submit: false,
        ..complete_report()
    };
    world.org_a.save_my_report(last_year(), &draft).await.unwrap();
    pass_deadline(&world, 3).await;
    let first = world.app.store.apply_credit_rules(today()).await.unwrap();
    assert_eq!(first.cycles_closed, 1);
    assert_eq!(first.reports_not_filed, 2, "org A's draft and org B's nothing");
    assert_eq!(first.listed_report_missing, 2);
    let second = world.app.store.apply_credit_rules(today()).await.unwrap();
    assert_eq!(second, Default::default(), "the second run changes nothing");
    let missing = world
        .admin
        .list_reports(&format!("year={}&result=not_inspected", last_year()))
        .await
        .unwrap();
    assert_eq!(missing.total, 2);
    // 补报: still filed after the deadline, marked late.
    let late = world
        .org_b
        .save_my_report(last_year(), &complete_report())
        .await
        .unwrap();
    assert_eq!(late.stage, ReportStage::Submitted);
    assert!(late.late);
}

async fn other_divisions_and_other_organizations_do_not_see_a_report(backend: Backend) {
    let world = world(backend).await;
    open_last_year(&world).await;
    let report = world
        .org_a
        .save_my_report(last_year(), &complete_report())
        .await
        .unwrap();
    assert_eq!(
        world.wuhu.find_report(report.id).await.unwrap_err().0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        world.org_b.find_report(report.id).await.unwrap_err().0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(world.wuhu.list_reports("").await.unwrap().total, 0);
    assert_eq!(world.org_b.list_reports("").await.unwrap().total, 0);
    let verdict = ReviewReportRequest {
        result: InspectionResult::Qualified,
        reasons: String::new(),
    };
    assert_eq!(
        world.wuhu.review_report(report.id, &verdict).await.unwrap_err().0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        world
            .org_a
            .review_report(report.id, &verdict)
            .await
            .unwrap_err()
            .0,
        StatusCode::FORBIDDEN
    );
    let cycle = CycleInput {
        year: last_year() - 1,
        deadline: today(),
        levels: vec![],
        division_code: "340000".into(),
    };
    assert_eq!(
        world.hefei.open_cycle(&cycle).await.unwrap_err().0,
        StatusCode::FORBIDDEN
    );
    // An organization sees the cycles it reports in: a county organization not a cycle of city-level ones.
    let city_only = CycleInput {
        year: last_year() - 1,
        deadline: today() + Duration::days(30),
        levels: vec![Level::City],
        division_code: "340000".into(),
    };
    world.admin.open_cycle(&city_only).await.unwrap();
    let years = |cycles: Vec<domain::api::InspectionCycle>| cycles.iter().map(|c| c.year).collect::<Vec<_>>();
    assert_eq!(years(world.org_a.list_cycles().await.unwrap()), [last_year()]);
    assert_eq!(
        years(world.org_b.list_cycles().await.unwrap()),
        [last_year(), last_year() - 1]
    );
    assert_eq!(years(world.wuhu.list_cycles().await.unwrap()).len(), 2);
    assert_eq!(world.admin.list_reports("").await.unwrap().total, 1);
}

async fn bad_cycles_reports_and_verdicts_are_refused_naming_the_field(backend: Backend) {
    let world = world(backend).await;
    // A report for a year not opened.
    let unopened = world
        .org_a
        .save_my_report(last_year(), &complete_report())
        .await
        .unwrap_err();
    assert_eq!(unopened.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unopened.1.field_message("year").unwrap().contains("尚未开启"));
    // A deadline in the past.
    let past = CycleInput {
        year: last_year(),
        deadline: today() - Duration::days(1),
        levels: vec![],
        division_code: "340000".into(),
    };
    let refused = world.admin.open_cycle(&past).await.unwrap_err();
    assert_eq!(refused.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .1
            .field_message("deadline")
            .unwrap()
            .contains("不能早于今天")
    );
    open_last_year(&world).await;
    let twice = CycleInput {
        deadline: today(),
        ..past
    };
    assert_eq!(
        world.admin.open_cycle(&twice).await.unwrap_err().0,
        StatusCode::CONFLICT
    );
    // A submission without its sections.
    let empty = SaveReportRequest {
        report: ReportInput::default(),
        submit: true,
    };
    let incomplete = world.org_a.save_my_report(last_year(), &empty).await.unwrap_err();
    assert!(incomplete.1.field_message("officers").is_some());
    // 未参检 is the rule's, and 不合格 needs reasons.
    let report = world
        .org_a
        .save_my_report(last_year(), &complete_report())
        .await
        .unwrap();
    let by_hand = ReviewReportRequest {
        result: InspectionResult::NotInspected,
        reasons: String::new(),
    };
    assert!(
        world
            .hefei
            .review_report(report.id, &by_hand)
            .await
            .unwrap_err()
            .1
            .field_message("result")
            .is_some()
    );
    let bare = ReviewReportRequest {
        result: InspectionResult::Unqualified,
        reasons: " ".into(),
    };
    assert!(
        world
            .hefei
            .review_report(report.id, &bare)
            .await
            .unwrap_err()
            .1
            .field_message("reasons")
            .is_some()
    );
    let stage = world.hefei.list_reports("stage=finished").await.unwrap_err();
    assert!(stage.1.field_message("stage").is_some());
}
