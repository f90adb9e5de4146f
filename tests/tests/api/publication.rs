//! The publication of decisions (双公示) over HTTP, on both backends, against a fake platform in-process:
//! a matter approved today is pushed, fails once, is retried and counts on time, and nothing is sent
//! twice; a platform that confirms the publication's date makes it acknowledged; a penalty decided on the
//! Friday before 清明 is due after the holiday, one item is marked published by hand and the other is late
//! by its working days; several servers pushing at once send each item once; the export is the
//! platform's item list; scope and bad input; the demo's 2021 history.

use chrono::NaiveDate;
use domain::api::{
    FileMatterRequest, MarkPublishedRequest, NewPenaltyRequest, PenaltyDecisionInput, PenaltyStep,
    ProfileChanges,
};
use domain::calendar::WorkCalendar;
use domain::jobs::JobStatus;
use domain::penalties::PenaltyKind;
use domain::policy::Role;
use domain::publication::{DecisionKind, PublicationStatus, due_on};
use domain::registry::matter::{MatterAction, MatterKind};
use reqwest::StatusCode;
use tests::publication::FakePlatform;
use tests::{Backend, TestApp, on_both_backends};

use crate::inspection::{World, today, world_with};

on_both_backends!(
    a_matter_approved_today_is_pushed_fails_once_is_retried_and_counts_on_time,
    a_publication_the_platform_confirms_reads_acknowledged_on_its_day,
    a_penalty_on_the_friday_before_qingming_is_due_after_it_and_late_ones_are_listed,
    servers_pushing_at_once_send_each_item_once,
    other_divisions_do_not_see_an_item_and_bad_input_is_refused_naming_the_field,
    the_demo_publishes_the_case_years_decisions_on_time_once,
);

/// 清明 2026 is Saturday 4 to Monday 6 April; Friday the 3rd is the day before.
fn friday_before_qingming() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 4, 3).unwrap()
}

async fn world_pushing_to(backend: Backend, platform: &FakePlatform) -> World {
    let url = platform.url.clone();
    world_with(backend, move |c| c.publication_endpoint = Some(url)).await
}

/// The organization of `world.org_a` files a change of domicile; 合肥 staff accept and review it today, the
/// bureau approves it.
/// The licensing decision's number.
async fn approved_matter(world: &World) -> String {
    let filed = world
        .org_a
        .file_matter(&FileMatterRequest {
            kind: MatterKind::Change,
            organization_id: None,
            changes: ProfileChanges {
                domicile: Some("安徽省合肥市肥东县店埠镇公示路 7 号".to_owned()),
                ..Default::default()
            },
            establishment: None,
            note: "搬迁".to_owned(),
        })
        .await
        .unwrap();
    let id = filed.matter.id;
    for action in [MatterAction::Accept, MatterAction::StartReview] {
        world.hefei.act_on_matter(id, &action).await.unwrap();
    }
    // Whoever reviewed a matter may not decide it: the bureau approves.
    let approved = world
        .app
        .approver()
        .await
        .act_on_matter(id, &MatterAction::Approve)
        .await
        .unwrap();
    approved.decision.expect("a licensing decision").document_number
}

/// A warning decided on `on` by `staff` against `organization_id`; its document number.
async fn warning(staff: &TestApp, organization_id: i64, on: NaiveDate) -> String {
    let case = staff
        .create_penalty(&NewPenaltyRequest {
            organization_id,
            filed_on: on,
            facts: "超出章程规定的宗旨和业务范围开展活动".into(),
            evidence: "活动通知、现场照片".into(),
            rule_broken: "《社会团体登记管理条例》第三十条".into(),
            petition_id: None,
        })
        .await
        .unwrap();
    let notify = PenaltyStep::Notify {
        on,
        proposed: vec![PenaltyKind::Warning],
        content: "拟给予警告，你单位有权陈述、申辩，并可在五日内要求听证。".into(),
    };
    staff.step_penalty(case.id, &notify).await.unwrap();
    let decide = PenaltyStep::Decide(PenaltyDecisionInput {
        on,
        kinds: vec![PenaltyKind::Warning],
        fine_fen: None,
        confiscated_fen: None,
        suspend_until: None,
        content: "依据《社会团体登记管理条例》第三十条，给予警告。".into(),
    });
    let decided = staff.step_penalty(case.id, &decide).await.unwrap();
    decided.decision.expect("a decision").document_number
}

async fn a_matter_approved_today_is_pushed_fails_once_is_retried_and_counts_on_time(backend: Backend) {
    let platform = FakePlatform::start().await;
    platform.fail_next(1);
    let world = world_pushing_to(backend, &platform).await;
    let number = approved_matter(&world).await;

    // The decision's transaction wrote its item, due on the seventh working day.
    let items = world.admin.list_publications("").await.unwrap();
    assert_eq!(items.total, 1);
    let item = &items.items[0];
    assert_eq!(
        (item.kind, item.status),
        (DecisionKind::Licensing, PublicationStatus::Pending)
    );
    assert_eq!(item.document_number, number);
    assert_eq!(item.due_on, due_on(today(), &WorkCalendar::mainland_china()));
    assert_eq!(item.category, "变更登记");

    // The first push fails: the reason is kept and the next attempt waits (30 s).
    let run = world.admin.push_and_wait().await;
    assert_eq!(run.status, JobStatus::Done, "{:?}", run.error);
    let failed = world.admin.find_publication(item.id).await.unwrap();
    assert_eq!(failed.item.status, PublicationStatus::Failed);
    assert_eq!(failed.item.attempts, 1);
    assert!(
        failed.item.last_error.as_deref().unwrap().contains("503"),
        "{:?}",
        failed.item.last_error
    );
    assert!(failed.item.next_attempt_at.is_some());
    assert_eq!(failed.attempts.len(), 1);
    assert_eq!(failed.attempts[0].http_status, Some(503));
    // Pushing again at once sends nothing: the item is not due yet.
    world.admin.push_and_wait().await;
    assert_eq!(platform.requests().len(), 1);

    // Retry now: sent, published today, on time.
    let retry = world.admin.retry_publication(item.id).await.unwrap();
    assert_eq!(world.admin.wait_for_job(retry.id).await.status, JobStatus::Done);
    let sent = world.admin.find_publication(item.id).await.unwrap();
    assert_eq!(sent.item.status, PublicationStatus::Sent);
    assert_eq!((sent.item.attempts, sent.item.published_on), (2, Some(today())));
    assert_eq!(sent.item.late_days, None);
    assert_eq!(sent.attempts.len(), 2);
    let record = platform.published(&number).expect("on the platform");
    assert_eq!(record.party_name, "肥东县年检测试协会");
    assert_eq!(record.authority, "肥东县民政局");
    assert_eq!(record.party_category, "法人及非法人组织");

    // Nothing is sent twice: a retry of a published item is refused, and a push finds nothing due.
    let again = world.admin.retry_publication(item.id).await.unwrap_err();
    assert_eq!(again.0, StatusCode::CONFLICT);
    world.admin.push_and_wait().await;
    let to_number: Vec<_> = platform
        .requests()
        .into_iter()
        .filter(|(k, _)| *k == number)
        .collect();
    assert_eq!(to_number, [(number.clone(), 503), (number.clone(), 200)]);

    // The on-time rate counts it from the outbox.
    let year = today().format("%Y").to_string();
    let report = world
        .hefei
        .publication_on_time(&format!("period={year}"))
        .await
        .unwrap();
    assert_eq!(
        (report.total.decided, report.total.on_time, report.total.late),
        (1, 1, 0)
    );
    assert_eq!(report.total.rate, Some(1.0));
    assert_eq!(report.rows.len(), 1);
    assert_eq!(
        (
            report.rows[0].division_code.as_str(),
            report.rows[0].division_name.as_str()
        ),
        ("340100", "合肥市")
    );
    assert!(report.late.is_empty());
}

/// A platform that answers with its publication date: the item reads acknowledged, published that day.
async fn a_publication_the_platform_confirms_reads_acknowledged_on_its_day(backend: Backend) {
    let platform = FakePlatform::start().await;
    let world = world_pushing_to(backend, &platform).await;
    let number = approved_matter(&world).await;
    let confirmed_on = today();
    platform.confirm_on(confirmed_on);

    let run = world.admin.push_and_wait().await;

    assert_eq!(run.status, JobStatus::Done, "{:?}", run.error);
    let items = world.admin.list_publications("").await.unwrap();
    let detail = world.admin.find_publication(items.items[0].id).await.unwrap();
    let item = &detail.item;
    assert_eq!(item.document_number, number);
    assert_eq!(item.status, PublicationStatus::Acknowledged);
    assert_eq!(item.published_on, Some(confirmed_on));
    assert!(
        item.receipt.as_deref().is_some_and(|r| r.starts_with("XYAH-")),
        "{:?}",
        item.receipt
    );
    assert_eq!(detail.attempts.len(), 1);
    assert!(
        detail.attempts[0].message.contains(&confirmed_on.to_string()),
        "{:?}",
        detail.attempts[0]
    );
    assert!(platform.published(&number).is_some());
}

async fn a_penalty_on_the_friday_before_qingming_is_due_after_it_and_late_ones_are_listed(backend: Backend) {
    // Manual mode: no platform configured.
    let world = world_with(backend, |_| {}).await;
    let friday = friday_before_qingming();
    let hefei_number = warning(&world.hefei, world.org_a_id, friday).await;
    let wuhu_number = warning(&world.wuhu, world.org_b_id, friday).await;
    let items = world
        .admin
        .list_publications("kind=penalty&period=2026-04")
        .await
        .unwrap();
    assert_eq!(items.total, 2);
    let due = NaiveDate::from_ymd_opt(2026, 4, 15).unwrap();
    assert!(
        items.items.iter().all(|i| i.due_on == due),
        "a day later than weekends alone give"
    );
    let id_of = |number: &str| {
        items
            .items
            .iter()
            .find(|i| i.document_number == number)
            .unwrap()
            .id
    };
    let hefei_item = world.admin.find_publication(id_of(&hefei_number)).await.unwrap();
    assert_eq!(hefei_item.item.category, "警告");
    assert!(!hefei_item.push_configured);

    // Without a platform there is nothing to push or retry.
    let push = world.admin.push_publications().await.unwrap_err();
    assert_eq!(push.0, StatusCode::CONFLICT);
    assert_eq!(
        world
            .admin
            .retry_publication(id_of(&hefei_number))
            .await
            .unwrap_err()
            .0,
        StatusCode::CONFLICT
    );

    // 合肥's was uploaded on the 14th: on time. 芜湖's is still unpublished: late.
    let mark = MarkPublishedRequest {
        published_on: NaiveDate::from_ymd_opt(2026, 4, 14).unwrap(),
        note: Some("第 16 批上传".to_owned()),
    };
    let marked = world
        .admin
        .mark_published(id_of(&hefei_number), &mark)
        .await
        .unwrap();
    assert_eq!(marked.item.status, PublicationStatus::Manual);
    assert_eq!(marked.item.late_days, None);
    let twice = world
        .admin
        .mark_published(id_of(&hefei_number), &mark)
        .await
        .unwrap_err();
    assert_eq!(twice.0, StatusCode::CONFLICT);

    let calendar = WorkCalendar::mainland_china();
    let late_days = calendar.working_days_between(due, today());
    let report = world.admin.publication_on_time("period=2026-04").await.unwrap();
    assert_eq!(
        (report.total.decided, report.total.on_time, report.total.late),
        (2, 1, 1)
    );
    assert_eq!(report.total.rate, Some(0.5));
    let rows: Vec<_> = report
        .rows
        .iter()
        .map(|r| (r.division_code.as_str(), r.on_time, r.late))
        .collect();
    assert_eq!(rows, [("340100", 1, 0), ("340200", 0, 1)]);
    assert_eq!(report.late.len(), 1);
    assert_eq!(report.late[0].document_number, wuhu_number);
    assert_eq!(report.late[0].late_days, Some(late_days));
    // The late filter lists the same item; 合肥's counties split 合肥's figures.
    let late = world.admin.list_publications("late=true").await.unwrap();
    assert_eq!(
        late.items.iter().map(|i| &i.document_number).collect::<Vec<_>>(),
        [&wuhu_number]
    );
    let counties = world
        .admin
        .publication_on_time("period=2026&division=340100")
        .await
        .unwrap();
    assert_eq!(
        counties
            .rows
            .iter()
            .map(|r| r.division_code.as_str())
            .collect::<Vec<_>>(),
        ["340122"]
    );

    // The platform's item list, as CSV and as a workbook.
    let csv = world.admin.export_publications("period=2026-04&format=csv").await;
    assert_eq!(csv.status(), StatusCode::OK);
    let text = csv.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "caption, header and two items: {text}");
    assert!(
        lines[1].contains("相对人名称")
            && lines[1].contains("决定文书号")
            && lines[1].contains("数据来源单位")
    );
    assert!(
        lines[2..]
            .iter()
            .any(|l| l.contains(&hefei_number) && l.contains("已手工公示"))
    );
    let xlsx = world.admin.export_publications("period=2026-04").await;
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
}

async fn servers_pushing_at_once_send_each_item_once(backend: Backend) {
    let platform = FakePlatform::start().await;
    platform.answer_after(std::time::Duration::from_millis(150));
    let world = world_pushing_to(backend, &platform).await;
    let mut numbers = Vec::new();
    for _ in 0..3 {
        numbers.push(warning(&world.hefei, world.org_a_id, today()).await);
        numbers.push(warning(&world.wuhu, world.org_b_id, today()).await);
    }
    let url = platform.url.clone();
    let second = world
        .app
        .another_server_with(move |c| c.publication_endpoint = Some(url))
        .await;
    let admin2 = second.signed_in_with("admin", "annual-test-password-1").await;
    let (one, two) = tokio::join!(world.admin.push_publications(), admin2.push_publications());
    let (one, two) = (one.unwrap(), two.unwrap());
    let (one, two) = tokio::join!(world.admin.wait_for_job(one.id), admin2.wait_for_job(two.id));
    assert_eq!((one.status, two.status), (JobStatus::Done, JobStatus::Done));

    let requests = platform.requests();
    for number in &numbers {
        let sent: Vec<_> = requests.iter().filter(|(k, _)| k == number).collect();
        assert_eq!(sent, [&(number.clone(), 200)], "{number} pushed once");
    }
    let sent = world.admin.list_publications("status=sent").await.unwrap();
    assert_eq!(sent.total, 6);
    assert!(sent.items.iter().all(|i| i.attempts == 1));
}

async fn other_divisions_do_not_see_an_item_and_bad_input_is_refused_naming_the_field(backend: Backend) {
    let platform = FakePlatform::start().await;
    let world = world_pushing_to(backend, &platform).await;
    approved_matter(&world).await;
    let id = world.hefei.list_publications("").await.unwrap().items[0].id;

    // Another division's staff: 404 and an empty list; organizations: 403; local staff run nothing.
    assert_eq!(
        world.wuhu.find_publication(id).await.unwrap_err().0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(world.wuhu.list_publications("").await.unwrap().total, 0);
    assert_eq!(world.wuhu.publication_on_time("").await.unwrap().total.decided, 0);
    assert_eq!(
        world.org_a.list_publications("").await.unwrap_err().0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        world.hefei.retry_publication(id).await.unwrap_err().0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        world.hefei.push_publications().await.unwrap_err().0,
        StatusCode::FORBIDDEN
    );
    let mark = |on: NaiveDate, note: &str| MarkPublishedRequest {
        published_on: on,
        note: Some(note.to_owned()),
    };
    let hefei_marks = world
        .hefei
        .mark_published(id, &mark(today(), ""))
        .await
        .unwrap_err();
    assert_eq!(hefei_marks.0, StatusCode::FORBIDDEN);

    let field = |e: (StatusCode, domain::api::ApiError)| {
        assert_eq!(e.0, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", e.1);
        e.1.error.fields[0].field.clone()
    };
    for (query, name) in [
        ("status=lost", "status"),
        ("kind=grant", "kind"),
        ("period=2021-13", "period"),
        ("period=21", "period"),
        ("division=34", "division"),
    ] {
        assert_eq!(
            field(world.admin.list_publications(query).await.unwrap_err()),
            name,
            "{query}"
        );
    }
    assert_eq!(
        field(
            world
                .admin
                .publication_on_time("period=spring")
                .await
                .unwrap_err()
        ),
        "period"
    );
    let tomorrow = today().succ_opt().unwrap();
    let before = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    assert_eq!(
        field(
            world
                .admin
                .mark_published(id, &mark(tomorrow, ""))
                .await
                .unwrap_err()
        ),
        "published_on"
    );
    assert_eq!(
        field(
            world
                .admin
                .mark_published(id, &mark(before, ""))
                .await
                .unwrap_err()
        ),
        "published_on"
    );
    let long = "批".repeat(201);
    assert_eq!(
        field(
            world
                .admin
                .mark_published(id, &mark(today(), &long))
                .await
                .unwrap_err()
        ),
        "note"
    );
    let pdf = world.admin.export_publications("format=pdf").await;
    assert_eq!(pdf.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        world.admin.find_publication(id + 1000).await.unwrap_err().0,
        StatusCode::NOT_FOUND
    );
    // Nothing was changed by the refusals.
    let item = world.admin.find_publication(id).await.unwrap().item;
    assert_eq!((item.status, item.attempts), (PublicationStatus::Pending, 0));
    assert!(platform.requests().is_empty());
}

async fn the_demo_publishes_the_case_years_decisions_on_time_once(backend: Backend) {
    let app = tests::spawn_demo_app(backend).await;
    let admin = app.signed_in_as(tests::demo_account(Role::BureauAdmin)).await;
    let report = admin.publication_on_time("period=2021").await.unwrap();
    // The case year's 382 licensing decisions and the demo's penalty decisions of that year, all on time.
    let licensing = admin
        .list_publications("period=2021&kind=licensing&per_page=1")
        .await
        .unwrap()
        .total;
    assert_eq!(licensing, 382);
    assert!(report.total.decided >= licensing);
    assert_eq!(
        (report.total.on_time, report.total.late),
        (report.total.decided, 0)
    );
    assert_eq!(report.total.rate, Some(1.0));
    assert!(report.rows.len() > 1, "several divisions");
    let first = admin
        .list_publications("period=2021-01&per_page=1")
        .await
        .unwrap();
    let detail = admin.find_publication(first.items[0].id).await.unwrap();
    assert_eq!(detail.item.status, PublicationStatus::Acknowledged);
    assert_eq!(detail.attempts.len(), 1);
    // A restart on the same database adds nothing.
    let again = app.another_server_with(|c| c.demo = true).await;
    let decided = report.total.decided;
    let admin = again.signed_in_as(tests::demo_account(Role::BureauAdmin)).await;
    let report = admin.publication_on_time("period=2021").await.unwrap();
    assert_eq!(report.total.decided, decided);
}
