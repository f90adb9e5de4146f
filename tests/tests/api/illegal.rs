//! Illegal organizations over HTTP, on both backends: someone reports a body without signing in; staff
//! investigate it with another agency; the bureau publishes it in the next numbered batch; the public finds
//! it; it is banned and its registry status becomes 取缔. Evidence files under the ledger's rules. Scope, the
//! registry's rules and bad input.

use domain::api::{IllegalStep, NewBatchRequest, NewIllegalCaseRequest, PublicReportRequest};
use domain::illegal::{Agency, ClueSource, IllegalStage};
use domain::registry::organization::OrgStatus;
use reqwest::StatusCode;
use tests::{Backend, on_both_backends};

use crate::inspection::{today, world};

on_both_backends!(
    someone_reports_a_body_staff_investigate_publish_and_ban_it,
    a_revoked_organization_still_acting_is_banned_in_the_registry,
    cases_of_another_division_are_not_found,
    bad_reports_steps_and_batches_are_refused_naming_the_field,
    evidence_files_go_to_staff_in_scope_only_and_every_download_is_audited,
);

fn report(name: &str) -> PublicReportRequest {
    PublicReportRequest {
        name: name.into(),
        division_code: "340122".into(),
        address: "肥东县店埠镇某写字楼 3 楼".into(),
        activities: "以“中华国学促进会”名义收取会费、颁发证书".into(),
        contact: Some("13812345678".into()),
    }
}

async fn someone_reports_a_body_staff_investigate_publish_and_ban_it(backend: Backend) {
    let world = world(backend).await;
    let public = world.app.another_client();
    let received = public
        .report_illegal_organization(&report("中华国学促进会安徽分会"))
        .await
        .unwrap();
    assert_eq!(received.received_on, today());

    let clues = world.hefei.list_illegal_cases("stage=clue").await.unwrap();
    assert_eq!(clues.total, 1);
    let clue = &clues.items[0];
    assert_eq!(clue.source, ClueSource::PublicReport);
    assert_eq!(
        clue.reporter_contact.as_deref(),
        Some("138****5678"),
        "the contact is masked"
    );

    let id = clue.id;
    let investigate = IllegalStep::Investigate {
        on: today(),
        note: "举报线索基本属实，立案调查".into(),
    };
    world.hefei.step_illegal_case(id, &investigate).await.unwrap();
    let joint = IllegalStep::Record {
        on: today(),
        agencies: vec![Agency::MarketRegulation, Agency::PublicSecurity],
        description: "会同市场监管、公安部门现场检查，查获收费票据".into(),
    };
    let case = world.hefei.step_illegal_case(id, &joint).await.unwrap();
    assert_eq!(case.stage, IllegalStage::Investigating);
    assert_eq!(
        case.steps.len(),
        3,
        "the report, the investigation and the joint inspection"
    );
    assert_eq!(
        case.steps[2].agencies,
        vec![Agency::MarketRegulation, Agency::PublicSecurity]
    );

    let batch = NewBatchRequest {
        case_ids: vec![id],
        published_on: today(),
    };
    let refused = world.hefei.publish_batch(&batch).await.unwrap_err();
    assert_eq!(
        refused.0,
        StatusCode::FORBIDDEN,
        "the province's one series is the bureau's"
    );
    let published = world.admin.publish_batch(&batch).await.unwrap();
    assert_eq!((published.number, published.cases), (1, 1));
    assert_eq!(published.title, "涉嫌非法社会组织名单（第1批）");

    let found = public.public_illegal_organizations("q=国学促进会").await.unwrap();
    assert_eq!(found.items.len(), 1);
    assert_eq!(found.items[0].batch_number, 1);
    assert_eq!(found.items[0].division_name, "肥东县");
    assert_eq!(found.items[0].stage, IllegalStage::Published);
    assert_eq!(found.batches[0].number, 1);
    let by_batch = public.public_illegal_organizations("batch=1").await.unwrap();
    assert_eq!(by_batch.items.len(), 1);
    let raw = public
        .get("/api/v1/public/illegal-organizations?batch=1")
        .await
        .text()
        .await
        .unwrap();
    assert!(!raw.contains("138"), "no reporter on the public list: {raw}");

    let ban = IllegalStep::Ban {
        on: today(),
        decision_number: "皖民取字〔2026〕1号".into(),
    };
    let banned = world.hefei.step_illegal_case(id, &ban).await.unwrap();
    assert_eq!(
        (banned.stage, banned.body_status),
        (IllegalStage::Banned, OrgStatus::Banned)
    );
    let found = public.public_illegal_organizations("q=国学促进会").await.unwrap();
    assert_eq!(found.items[0].stage, IllegalStage::Banned);
    let audit = world.admin.list_audit("entity_type=illegal_case").await.unwrap();
    assert_eq!(audit.total, 4, "the report and three steps");
    assert!(
        !serde_json::to_string(&audit.items)
            .unwrap()
            .contains("13812345678")
    );
}

async fn a_revoked_organization_still_acting_is_banned_in_the_registry(backend: Backend) {
    let world = world(backend).await;
    let clue = |organization_id| NewIllegalCaseRequest {
        name: "肥东县年检测试协会".into(),
        division_code: "340122".into(),
        address: String::new(),
        activities: "撤销登记后仍以协会名义开展活动".into(),
        source: ClueSource::Inspection,
        evidence: "活动通知、收费收据".into(),
        organization_id: Some(organization_id),
        petition_id: None,
    };
    let normal = world
        .hefei
        .create_illegal_case(&clue(world.org_a_id))
        .await
        .unwrap_err();
    assert_eq!(normal.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        normal
            .1
            .field_message("organization_id")
            .is_some_and(|m| m.contains("状态正常")),
        "a lawful organization is not a case: {normal:?}"
    );
    let db = world.app.db().await;
    db.execute(&format!(
        "UPDATE organizations SET status = 'revoked' WHERE id = {}",
        world.org_a_id
    ))
    .await
    .unwrap();
    let case = world
        .hefei
        .create_illegal_case(&clue(world.org_a_id))
        .await
        .unwrap();
    assert_eq!(case.stage, IllegalStage::Clue);
    let investigate = IllegalStep::Investigate {
        on: today(),
        note: "核实仍在活动".into(),
    };
    world
        .hefei
        .step_illegal_case(case.id, &investigate)
        .await
        .unwrap();
    let ban = IllegalStep::Ban {
        on: today(),
        decision_number: "皖民取字〔2026〕2号".into(),
    };
    world.hefei.step_illegal_case(case.id, &ban).await.unwrap();
    let org = world.hefei.find_organization(world.org_a_id).await.unwrap();
    assert_eq!(org.organization.summary.status, OrgStatus::Banned);
    assert!(org.timeline.iter().any(|e| e.summary.contains("取缔")));
}

async fn cases_of_another_division_are_not_found(backend: Backend) {
    let world = world(backend).await;
    world
        .app
        .another_client()
        .report_illegal_organization(&report("肥东县某某联合会"))
        .await
        .unwrap();
    let id = world.hefei.list_illegal_cases("").await.unwrap().items[0].id;
    assert_eq!(world.wuhu.list_illegal_cases("").await.unwrap().total, 0);
    assert_eq!(
        world.wuhu.find_illegal_case(id).await.unwrap_err().0,
        StatusCode::NOT_FOUND
    );
    let close = IllegalStep::Close {
        on: today(),
        reason: "x".into(),
    };
    assert_eq!(
        world.wuhu.step_illegal_case(id, &close).await.unwrap_err().0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        world.org_a.list_illegal_cases("").await.unwrap_err().0,
        StatusCode::FORBIDDEN
    );
    let elsewhere = NewIllegalCaseRequest {
        name: "某某研究会".into(),
        division_code: "340122".into(),
        address: String::new(),
        activities: "未登记开展活动".into(),
        source: ClueSource::Agency,
        evidence: String::new(),
        organization_id: None,
        petition_id: None,
    };
    let refused = world.wuhu.create_illegal_case(&elsewhere).await.unwrap_err();
    assert!(refused.1.field_message("division_code").is_some());
}

async fn bad_reports_steps_and_batches_are_refused_naming_the_field(backend: Backend) {
    let world = world(backend).await;
    let public = world.app.another_client();
    let nameless = public
        .report_illegal_organization(&report(" "))
        .await
        .unwrap_err();
    assert_eq!(nameless.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(nameless.1.field_message("name").unwrap().contains("名称"));
    let nowhere = PublicReportRequest {
        division_code: "999999".into(),
        ..report("某某协会")
    };
    let refused = public.report_illegal_organization(&nowhere).await.unwrap_err();
    assert!(refused.1.field_message("division_code").is_some());
    let short = public.public_illegal_organizations("q=某").await.unwrap_err();
    assert!(short.1.field_message("q").is_some());

    public
        .report_illegal_organization(&report("某某协会"))
        .await
        .unwrap();
    let id = world.hefei.list_illegal_cases("").await.unwrap().items[0].id;
    let ban = IllegalStep::Ban {
        on: today(),
        decision_number: "x".into(),
    };
    let early = world.hefei.step_illegal_case(id, &ban).await.unwrap_err();
    assert_eq!(early.0, StatusCode::CONFLICT);
    assert!(early.1.error.message.contains("线索"));
    let unpublished = NewBatchRequest {
        case_ids: vec![id],
        published_on: today(),
    };
    let refused = world.admin.publish_batch(&unpublished).await.unwrap_err();
    assert_eq!(refused.0, StatusCode::CONFLICT);
    assert!(refused.1.field_message("case_ids").is_some());
    let investigate = IllegalStep::Investigate {
        on: today(),
        note: "立案".into(),
    };
    world.hefei.step_illegal_case(id, &investigate).await.unwrap();
    let alone = IllegalStep::Record {
        on: today(),
        agencies: Vec::new(),
        description: "走访".into(),
    };
    let refused = world.hefei.step_illegal_case(id, &alone).await.unwrap_err();
    assert!(refused.1.field_message("agencies").unwrap().contains("部门"));
    let future = IllegalStep::Close {
        on: today().succ_opt().unwrap(),
        reason: "不属实".into(),
    };
    assert!(
        world
            .hefei
            .step_illegal_case(id, &future)
            .await
            .unwrap_err()
            .1
            .field_message("on")
            .is_some()
    );
    let unregistered = IllegalStep::RegisterLawfully {
        on: today(),
        matter_id: 999,
    };
    let refused = world
        .hefei
        .step_illegal_case(id, &unregistered)
        .await
        .unwrap_err();
    assert!(refused.1.field_message("matter_id").is_some());
}

async fn evidence_files_go_to_staff_in_scope_only_and_every_download_is_audited(backend: Backend) {
    let world = world(backend).await;
    world
        .app
        .another_client()
        .report_illegal_organization(&report("某某书画院"))
        .await
        .unwrap();
    let id = world.hefei.list_illegal_cases("").await.unwrap().items[0].id;

    let (status, error) = world
        .hefei
        .upload_case_evidence(id, vec![("file", "photo.jpg", b"not a photo".to_vec())])
        .await
        .unwrap_err();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error.field_message("file[0]").is_some());
    let mut huge = b"%PDF-1.7\n".to_vec();
    huge.resize(10 * 1024 * 1024 + 1, b' ');
    let (status, _) = world
        .hefei
        .upload_case_evidence(id, vec![("file", "big.pdf", huge)])
        .await
        .unwrap_err();
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(world.hefei.find_illegal_case(id).await.unwrap().files.is_empty());

    let photo = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00office".to_vec();
    let pdf = b"%PDF-1.7\n% receipts".to_vec();
    let stored = world
        .hefei
        .upload_case_evidence(
            id,
            vec![("file", "现场.jpg", photo.clone()), ("file", "票据.pdf", pdf)],
        )
        .await
        .unwrap();
    assert_eq!(stored.len(), 2);
    let case = world.admin.find_illegal_case(id).await.unwrap();
    assert_eq!(case.files.len(), 2);
    assert_eq!(case.files[0].original_name, "现场.jpg");
    let response = world.hefei.case_evidence_file(id, stored[0].id).await;
    assert_eq!(response.headers()["content-type"], "image/jpeg");
    assert_eq!(response.headers()["cache-control"], "private, no-store");
    assert_eq!(response.bytes().await.unwrap().as_ref(), photo.as_slice());
    for outsider in [&world.wuhu, &world.org_a] {
        let status = outsider.case_evidence_file(id, stored[0].id).await.status();
        assert!(
            matches!(status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
            "{status}"
        );
    }
    let (status, _) = world
        .wuhu
        .upload_case_evidence(id, vec![("file", "x.jpg", photo.clone())])
        .await
        .unwrap_err();
    assert_eq!(status, StatusCode::NOT_FOUND);
    let db = world.app.db().await;
    let audited = |action: &str| {
        format!(
            "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'illegal_case' AND action = '{action}' \
             AND entity_id = '{id}'"
        )
    };
    assert_eq!(db.count(&audited("add_evidence")).await, 2);
    assert_eq!(db.count(&audited("download_evidence")).await, 1);

    let close = IllegalStep::Close {
        on: today(),
        reason: "经核查系合法登记的民办非企业单位".into(),
    };
    world.hefei.step_illegal_case(id, &close).await.unwrap();
    let (status, _) = world
        .hefei
        .upload_case_evidence(id, vec![("file", "late.jpg", photo)])
        .await
        .unwrap_err();
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a closed case takes no more evidence"
    );
}
