//! The registry and registration matters through the API, on both backends: scoping, the whole story of a
//! change application, validation, and the public lookup.

use chrono::NaiveDate;
use domain::api::{
    FileMatterRequest, MatterDetail, MatterSummary, OrganizationDetail, OrganizationSummary, Page,
    ProfileChanges, PublicLookup, ResubmitRequest,
};
use domain::division::DivisionCode;
use domain::policy::Role;
use domain::registry::credit_code::{CreditCategory, CreditCode};
use domain::registry::matter::{ActionKind, DeadlineStatus, MatterAction, MatterKind, MatterState};
use reqwest::StatusCode;
use sheguan::store::accounts::ScopeIds;
use sheguan::store::registry::organizations::OrganizationSeed;
use tests::{Backend, TestApp, on_both_backends, spawn_app};

const PASSWORD: &str = "registry-test-2026";

/// The registry the tests start from, and who signs in.
struct World {
    app: TestApp,
    provincial: i64,
    shushan: i64,
    wuhu: i64,
}

fn org(
    name: &str,
    kind: &str,
    category: CreditCategory,
    level: &str,
    division: &str,
    serial: u64,
) -> OrganizationSeed {
    OrganizationSeed {
        credit_code: CreditCode::generate(category, division, serial)
            .as_str()
            .to_owned(),
        name: name.to_owned(),
        kind: kind.to_owned(),
        level: level.to_owned(),
        division_code: division.to_owned(),
        categories: "community_service".to_owned(),
        legal_representative: Some("王建国".to_owned()),
        contact_phone: Some("13912345678".to_owned()),
        domicile: Some("安徽省合肥市蜀山区长江西路 100 号".to_owned()),
        business_scope: Some("养老服务、培训、交流".to_owned()),
        registered_funds_fen: Some(3_000_000),
        founded_on: NaiveDate::from_ymd_opt(2015, 6, 1),
        ..Default::default()
    }
}

async fn world(backend: Backend) -> World {
    world_on(spawn_app(backend).await).await
}

/// The world on a server of the test's making (its own keys).
async fn world_on(app: TestApp) -> World {
    let seeds = [
        org(
            "安徽省乡村振兴促进会",
            "social_group",
            CreditCategory::SocialGroup,
            "provincial",
            "340000",
            1,
        ),
        org(
            "合肥市蜀山区养老服务协会",
            "social_group",
            CreditCategory::SocialGroup,
            "county",
            "340104",
            2,
        ),
        org(
            "芜湖市青少年发展基金会",
            "foundation",
            CreditCategory::Foundation,
            "city",
            "340200",
            3,
        ),
    ];
    let ids = app.insert_organizations(&seeds).await;
    let division = |code: &str| ScopeIds {
        division_code: DivisionCode::parse(code).ok(),
        ..Default::default()
    };
    let users = [
        ("admin", Role::BureauAdmin, ScopeIds::default()),
        ("hefei", Role::LocalStaff, division("340100")),
        ("hefei-chief", Role::LocalStaff, division("340100")),
        ("wuhu", Role::LocalStaff, division("340200")),
        (
            "shushan-org",
            Role::OrgUser,
            ScopeIds {
                organization_id: Some(ids[1]),
                ..Default::default()
            },
        ),
    ];
    for (username, role, scope) in users {
        app.add_account(username, role, scope, PASSWORD).await;
    }
    World {
        provincial: ids[0],
        shushan: ids[1],
        wuhu: ids[2],
        app,
    }
}

impl World {
    /// A client of its own, signed in as `username`.
    async fn sign_in(&self, username: &str) -> TestApp {
        self.app.signed_in_with(username, PASSWORD).await
    }
}

/// The status, content type and bytes of a file download.
async fn download(response: reqwest::Response) -> (StatusCode, String, Vec<u8>) {
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, content_type, response.bytes().await.unwrap().to_vec())
}

/// An application of `kind` by the signed-in organization.
fn application(kind: MatterKind, changes: ProfileChanges, note: &str) -> FileMatterRequest {
    FileMatterRequest {
        kind,
        organization_id: None,
        changes,
        establishment: None,
        note: note.to_owned(),
    }
}

fn names(page: &Page<OrganizationSummary>) -> Vec<&str> {
    page.items.iter().map(|o| o.name.as_str()).collect()
}

async fn hefei_staff_cannot_read_a_wuhu_organization_and_an_org_user_sees_only_its_own(backend: Backend) {
    let world = world(backend).await;
    let hefei = world.sign_in("hefei").await;
    let org_user = world.sign_in("shushan-org").await;
    let admin = world.sign_in("admin").await;

    let (status, error) = hefei.find_organization(world.wuhu).await.unwrap_err();
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error.error.message, "未找到该社会组织");
    let provincial = hefei.find_organization(world.provincial).await;
    assert_eq!(
        provincial.unwrap_err().0,
        StatusCode::NOT_FOUND,
        "province-level orgs are the bureau's"
    );
    let listed: Page<OrganizationSummary> = hefei.list_organizations("").await.unwrap();
    assert_eq!(names(&listed), ["合肥市蜀山区养老服务协会"]);
    assert_eq!(listed.total, 1);

    let own: Page<OrganizationSummary> = org_user.list_organizations("").await.unwrap();
    assert_eq!(names(&own), ["合肥市蜀山区养老服务协会"]);
    let other = org_user.find_organization(world.wuhu).await;
    assert_eq!(other.unwrap_err().0, StatusCode::NOT_FOUND);

    let all: Page<OrganizationSummary> = admin.list_organizations("sort=-name").await.unwrap();
    assert_eq!(all.total, 3);
    let foundations: Page<OrganizationSummary> = admin.list_organizations("kind=foundation").await.unwrap();
    assert_eq!(names(&foundations), ["芜湖市青少年发展基金会"]);
    let by_code = admin
        .list_organizations(&format!("q={}", &all.items[0].credit_code[..12].to_lowercase()))
        .await
        .unwrap();
    assert!(by_code.total >= 1);
    let bad = admin.list_organizations("level=galaxy").await.unwrap_err();
    assert_eq!(
        (bad.0, bad.1.error.fields[0].field.as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "level")
    );
}

async fn a_change_returned_for_completion_resubmitted_and_approved_shows_in_the_registry(backend: Backend) {
    let world = world(backend).await;
    let org_user = world.sign_in("shushan-org").await;
    let hefei = world.sign_in("hefei").await;

    // The organization files a change of domicile.
    let changes = ProfileChanges {
        domicile: Some("安徽省合肥市蜀山区黄山路 8 号".to_owned()),
        ..Default::default()
    };
    let filed = org_user
        .file_matter(&application(MatterKind::Change, changes, "搬迁办公场所"))
        .await
        .unwrap();
    let id = filed.matter.id;
    assert_eq!(filed.matter.state, MatterState::Submitted);
    assert_eq!(filed.matter.organization_id, Some(world.shushan));

    // Staff return it: the lease is missing.
    let returned = hefei
        .act_on_matter(
            id,
            &MatterAction::Return {
                missing: vec!["新住所租赁合同".to_owned()],
            },
        )
        .await
        .unwrap();
    assert_eq!(
        returned.matter.state,
        MatterState::Returned {
            missing: vec!["新住所租赁合同".to_owned()]
        }
    );
    let seen: MatterDetail = org_user.find_matter(id).await.unwrap();
    assert!(matches!(seen.matter.state, MatterState::Returned { .. }));

    // The applicant completes it, adding the new registered funds.
    let resubmitted = org_user
        .resubmit_matter(
            id,
            &ResubmitRequest {
                changes: ProfileChanges {
                    domicile: Some("安徽省合肥市蜀山区黄山路 8 号".to_owned()),
                    registered_funds: Some("50,000".to_owned()),
                    contact_phone: Some("13955123456".to_owned()),
                    ..Default::default()
                },
                establishment: None,
                note: "搬迁办公场所，已附租赁合同".to_owned(),
            },
        )
        .await
        .unwrap();
    assert_eq!(resubmitted.matter.state, MatterState::Submitted);
    // The application's phone is shown masked and stored sealed, not in the application's JSON.
    assert_eq!(resubmitted.changes.contact_phone.as_deref(), Some("139****3456"));
    let in_clear = "SELECT COUNT(*) FROM matters WHERE payload_json LIKE '%13955123456%' OR phone_in_clear";
    assert_eq!(world.app.db().await.count(in_clear).await, 0);

    // Staff accept (the time limit starts), review and approve.
    let accepted = hefei.act_on_matter(id, &MatterAction::Accept).await.unwrap();
    assert!(accepted.matter.due_on.is_some());
    assert!(
        accepted
            .matter
            .deadline
            .is_some_and(|d| d != DeadlineStatus::Overdue)
    );
    let queue: Page<MatterSummary> = hefei.list_matters("").await.unwrap();
    assert_eq!(queue.items.iter().map(|m| m.id).collect::<Vec<_>>(), [id]);
    let reviewed = hefei.act_on_matter(id, &MatterAction::StartReview).await.unwrap();

    // Separation of duties: the reviewer is not offered the decision and is refused it, naming why, with
    // nothing written; the bureau decides.
    assert!(
        reviewed.matter.next_actions.is_empty(),
        "{:?}",
        reviewed.matter.next_actions
    );
    let db = world.app.db().await;
    let audit_rows = "SELECT COUNT(*) FROM audit_log";
    let rows_before = db.count(audit_rows).await;
    let (status, refused) = hefei.act_on_matter(id, &MatterAction::Approve).await.unwrap_err();
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        refused.error.message.contains("您审查了本事项"),
        "{}",
        refused.error.message
    );
    let reject = MatterAction::Reject {
        reasons: vec!["材料不全".to_owned()],
    };
    assert_eq!(
        hefei.act_on_matter(id, &reject).await.unwrap_err().0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        db.count(audit_rows).await,
        rows_before,
        "a refusal writes nothing"
    );
    let admin = world.sign_in("admin").await;
    let waiting: MatterDetail = admin.find_matter(id).await.unwrap();
    assert_eq!(waiting.matter.state, MatterState::UnderReview);
    assert_eq!(
        waiting.matter.next_actions,
        [ActionKind::Approve, ActionKind::Reject]
    );
    let approved = admin.act_on_matter(id, &MatterAction::Approve).await.unwrap();
    assert_eq!(approved.matter.state, MatterState::Approved);
    let decision = approved.decision.expect("a licensing decision");
    assert!(decision.document_number.starts_with("皖社许〔") && decision.document_number.ends_with("〕1号"));
    assert!(decision.content.contains("黄山路 8 号"), "{}", decision.content);

    // The registry shows the change, its audit trail, its timeline and the decision.
    let detail: OrganizationDetail = org_user.find_organization(world.shushan).await.unwrap();
    assert_eq!(
        detail.organization.domicile.as_deref(),
        Some("安徽省合肥市蜀山区黄山路 8 号")
    );
    assert_eq!(detail.organization.registered_funds_fen, Some(5_000_000));
    // The new phone is shown masked and stored sealed: no row holds it in clear.
    assert_eq!(detail.organization.contact_phone.as_deref(), Some("139****3456"));
    let clear = "SELECT COUNT(*) FROM organizations WHERE contact_phone IS NOT NULL
                 OR phone_cipher LIKE '%13955123456%' OR phone_cipher NOT LIKE 'v2:%'";
    assert_eq!(db.count(clear).await, 0);
    assert_eq!(detail.certificate.registered_funds, "50,000.00元");
    let change = detail
        .audit
        .iter()
        .find(|a| a.action == "change")
        .expect("an audit row for the change");
    // The organization sees which office acted, not the clerk's name.
    assert_eq!(change.actor_name, domain::policy::Role::BureauAdmin.label_zh());
    assert_eq!(
        change.before.as_ref().unwrap()["domicile"],
        "安徽省合肥市蜀山区长江西路 100 号"
    );
    assert!(
        detail
            .timeline
            .iter()
            .any(|e| e.kind == "change" && e.matter_id == Some(id))
    );
    assert_eq!(detail.decisions.len(), 1);
    assert_eq!(detail.matters[0].state, MatterState::Approved);
    let history: MatterDetail = org_user.find_matter(id).await.unwrap();
    let steps: Vec<&str> = history.history.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        steps,
        [
            "matter_submit",
            "matter_return",
            "matter_submit",
            "matter_accept",
            "matter_start_review",
            "change"
        ]
    );

    // Anyone can find it.
    let found = world.app.lookup_organizations("蜀山区养老").await.unwrap();
    assert_eq!(found.items.len(), 1);
    assert_eq!(found.items[0].registering_authority, "蜀山区民政局");
}

async fn an_invalid_application_answers_422_naming_the_field_and_stores_nothing(backend: Backend) {
    let world = world(backend).await;
    let org_user = world.sign_in("shushan-org").await;
    let changes = ProfileChanges {
        registered_funds: Some("三万".to_owned()),
        contact_phone: Some("123".to_owned()),
        ..Default::default()
    };
    let (status, error) = org_user
        .file_matter(&application(MatterKind::Change, changes, ""))
        .await
        .unwrap_err();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = error.error.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["changes.registered_funds", "changes.contact_phone"]);
    assert!(error.error.fields[0].message.contains("注册资金"));
    let empty = org_user
        .file_matter(&application(MatterKind::Change, ProfileChanges::default(), ""))
        .await
        .unwrap_err();
    assert_eq!(empty.1.error.fields[0].field, "changes");
    let mine: Page<MatterSummary> = org_user.list_matters("state=all").await.unwrap();
    assert_eq!(mine.total, 0);
    let hefei = world.sign_in("hefei").await;
    let refused = hefei
        .act_on_matter(1, &MatterAction::Return { missing: vec![] })
        .await
        .unwrap_err();
    assert_eq!(refused.0, StatusCode::NOT_FOUND);
}

async fn the_public_lookup_shows_nothing_personal_and_limits_each_client(backend: Backend) {
    let world = world(backend).await;
    let response = world.app.lookup_organizations_response("协会").await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    for personal in [
        "王建国",
        "139",
        "legal_representative",
        "contact_phone",
        "domicile",
        "长江西路",
    ] {
        assert!(!text.contains(personal), "the lookup shows {personal}: {text}");
    }
    let found: PublicLookup = serde_json::from_str(&text).unwrap();
    assert_eq!(found.items[0].name, "合肥市蜀山区养老服务协会");
    let short = world.app.lookup_organizations("协").await;
    assert_eq!(short.unwrap_err().1.error.fields[0].field, "q");
    let mut last = StatusCode::OK;
    for _ in 0..40 {
        last = world.app.lookup_organizations_response("基金会").await.status();
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    let _ = world.wuhu;
}

async fn a_rejection_records_its_decision_and_a_deregistration_cannot_change_the_name(backend: Backend) {
    let world = world(backend).await;
    let org_user = world.sign_in("shushan-org").await;
    let hefei = world.sign_in("hefei").await;
    let rename = ProfileChanges {
        name: Some("合肥市蜀山区颐养协会".to_owned()),
        ..Default::default()
    };
    let mixed = org_user
        .file_matter(&application(
            MatterKind::Deregistration,
            rename,
            "会员大会决议解散",
        ))
        .await
        .unwrap_err();
    assert_eq!(mixed.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(mixed.1.error.fields[0].field, "changes.name");
    assert!(
        mixed.1.error.fields[0]
            .message
            .starts_with("注销登记不能同时变更名称")
    );

    // Staff file it for the organization; the bureau accepts and reviews it. Neither the clerk who filed it
    // nor the reviewer may decide it: a third account does.
    let filed = hefei
        .file_matter(&FileMatterRequest {
            organization_id: Some(world.shushan),
            ..application(
                MatterKind::Deregistration,
                ProfileChanges::default(),
                "会员大会决议解散",
            )
        })
        .await
        .unwrap();
    let id = filed.matter.id;
    let admin = world.sign_in("admin").await;
    admin.act_on_matter(id, &MatterAction::Accept).await.unwrap();
    admin.act_on_matter(id, &MatterAction::StartReview).await.unwrap();
    let reasons = MatterAction::Reject {
        reasons: vec!["未完成清算审计".to_owned()],
    };
    let (status, by_filer) = hefei.act_on_matter(id, &reasons).await.unwrap_err();
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        by_filer.error.message.contains("您提交了本事项"),
        "{}",
        by_filer.error.message
    );
    let by_reviewer = admin.act_on_matter(id, &MatterAction::Approve).await.unwrap_err();
    assert!(
        by_reviewer.1.error.message.contains("您审查了本事项"),
        "{by_reviewer:?}"
    );
    let chief = world.sign_in("hefei-chief").await;
    let rejected = chief
        .act_on_matter(
            id,
            &MatterAction::Reject {
                reasons: vec!["未完成清算审计".to_owned(), String::new()],
            },
        )
        .await
        .unwrap();
    let decision = rejected.decision.expect("a 不予许可 decision");
    assert_eq!(decision.content, "不予许可（注销登记）：未完成清算审计");
    assert!(decision.document_number.starts_with("皖社许〔"));
    let detail: OrganizationDetail = hefei.find_organization(world.shushan).await.unwrap();
    assert_eq!(
        detail.organization.summary.status,
        domain::registry::organization::OrgStatus::Normal,
        "a rejection changes nothing"
    );
    assert_eq!(detail.decisions.len(), 1);
}

/// The import template's header, as a CSV line.
fn csv_header() -> String {
    domain::registry::import::COLUMNS
        .iter()
        .map(|c| c.header)
        .collect::<Vec<_>>()
        .join(",")
}

/// A CSV line in the template's column order from the first columns given.
fn csv_line(cells: &[&str]) -> String {
    let mut all: Vec<String> = cells.iter().map(|c| (*c).to_owned()).collect();
    all.resize(domain::registry::import::COLUMNS.len(), String::new());
    all.join(",")
}

fn code(category: CreditCategory, division: &str, serial: u64) -> String {
    CreditCode::generate(category, division, serial)
        .as_str()
        .to_owned()
}

/// Two good organizations, in the template's column order.
fn good_rows() -> Vec<String> {
    vec![
        csv_line(&[
            "合肥市包河区社区养老服务中心",
            &code(CreditCategory::SocialService, "340111", 101),
            "民办非企业单位",
            "城乡社区服务类",
            "",
            "340111",
            "正常",
            "李红",
            "2019/3/15",
            "100000",
            "合肥市包河区徽州大道 9 号",
            "居家养老服务",
            "0551-63456789",
        ]),
        csv_line(&[
            "合肥市人工智能产业协会",
            &code(CreditCategory::SocialGroup, "340100", 102),
            "社会团体",
            "行业协会商会",
            "人工智能",
            "340100",
        ]),
    ]
}

fn csv_file(lines: &[String]) -> String {
    let mut text = csv_header();
    for line in lines {
        text.push_str("\r\n");
        text.push_str(line);
    }
    text.push_str("\r\n");
    text
}

async fn a_clean_file_is_checked_then_imported_with_its_audit_trail(backend: Backend) {
    let world = world(backend).await;
    let admin = world.sign_in("admin").await;
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend_from_slice(csv_file(&good_rows()).as_bytes());

    let report = admin.check_import("名录.csv", bytes.clone()).await.unwrap();
    assert_eq!((report.rows, report.valid), (2, 2), "{:?}", report.problems);
    assert!(report.problems.is_empty());
    assert_eq!(report.imported, 0, "a dry run stores nothing");
    assert_eq!(world.app.store.count_organizations().await.unwrap(), 3);

    let done = admin
        .import_organizations("名录.csv", bytes.clone())
        .await
        .unwrap();
    assert_eq!(done.imported, 2);
    assert_eq!(world.app.store.count_organizations().await.unwrap(), 5);
    let found: Page<OrganizationSummary> = admin.list_organizations("q=人工智能产业").await.unwrap();
    assert_eq!(found.total, 1);
    let detail: OrganizationDetail = admin.find_organization(found.items[0].id).await.unwrap();
    assert_eq!(
        detail.organization.summary.emerging_industry,
        Some(domain::registry::organization::EmergingIndustry::ArtificialIntelligence)
    );
    assert_eq!(
        detail.organization.summary.level,
        domain::registry::organization::Level::City
    );
    assert!(
        detail
            .audit
            .iter()
            .any(|a| a.action == "import" && a.actor_name == "admin")
    );
    assert!(detail.timeline.iter().any(|e| e.kind == "imported"));
    let center: Page<OrganizationSummary> = admin.list_organizations("q=社区养老服务中心").await.unwrap();
    let center: OrganizationDetail = admin.find_organization(center.items[0].id).await.unwrap();
    assert_eq!(center.organization.registered_funds_fen, Some(10_000_000));
    assert_eq!(
        center.organization.summary.founded_on,
        NaiveDate::from_ymd_opt(2019, 3, 15)
    );

    // The same file again: every row is now a duplicate of the registry.
    let again = admin.check_import("名录.csv", bytes).await.unwrap();
    assert_eq!(again.valid, 0);
    assert_eq!(again.problems.len(), 4);
    assert_eq!(again.problems[0].message, "该统一社会信用代码已在登记名录中");
}

async fn bad_rows_are_listed_by_row_column_and_reason_and_a_commit_stores_nothing(backend: Backend) {
    let world = world(backend).await;
    let admin = world.sign_in("admin").await;
    let mut lines = good_rows();
    let foundation = code(CreditCategory::Foundation, "340200", 103);
    lines.push(csv_line(&[
        "芜湖市教育发展基金会",
        &foundation,
        "社会团体",
        "公益慈善类",
        "",
        "340200",
    ]));
    let mut typo = code(CreditCategory::SocialGroup, "340100", 104);
    let last = typo.pop().unwrap();
    typo.push(if last == '0' { '1' } else { '0' });
    lines.push(csv_line(&[
        "合肥市摄影家协会",
        &typo,
        "社会团体",
        "其他",
        "",
        "340100",
        "",
        "",
        "2020-02-30",
    ]));
    lines.push(csv_line(&[
        "合肥市书法家有限公司",
        &code(CreditCategory::SocialGroup, "340100", 105),
        "社会团体",
        "文化类",
        "",
        "999999",
    ]));
    lines.push(String::new());
    lines.push(lines[0].clone());
    let bytes = csv_file(&lines).into_bytes();

    let report = admin.check_import("bad.csv", bytes.clone()).await.unwrap();
    assert_eq!((report.rows, report.valid), (6, 2));
    let seen: Vec<(u32, &str, &str)> = report
        .problems
        .iter()
        .map(|p| (p.row, p.column.as_str(), p.message.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            (
                4,
                "统一社会信用代码",
                "第 2 位机构类别“3”与登记类型「社会团体」不符（应为 1）"
            ),
            (5, "统一社会信用代码", "第 18 位校验码不符，请核对是否输错"),
            (5, "成立日期", "成立日期「2020-02-30」无法识别，应如 2015-06-01"),
            (
                6,
                "名称",
                "名称应以协会、商会、学会、研究会、促进会、联合会、基金会、服务中心等组织形式结尾"
            ),
            (
                6,
                "分类",
                "分类「文化类」无效，应为行业协会商会、公益慈善类、科技类、城乡社区服务类或其他"
            ),
            (6, "登记管理机关代码", "「999999」不是安徽省的行政区划代码"),
            (8, "统一社会信用代码", "与第 2 行的统一社会信用代码重复"),
            (8, "名称", "与第 2 行的名称重复"),
        ]
    );

    let (status, error) = admin.import_organizations("bad.csv", bytes).await.unwrap_err();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error.error.fields.len(), 8);
    assert_eq!(error.error.fields[0].field, "rows[4].统一社会信用代码");
    assert!(
        error
            .error
            .message
            .starts_with("导入未执行，没有保存任何记录：共 8 处问题")
    );
    assert_eq!(
        world.app.store.count_organizations().await.unwrap(),
        3,
        "nothing of the good rows was stored either"
    );
    let imports = world
        .app
        .store
        .audit_before(
            &sheguan::store::AuditFilter {
                action: Some("import".to_owned()),
                ..Default::default()
            },
            None,
            10,
        )
        .await
        .unwrap();
    assert!(imports.is_empty(), "a refused import leaves no audit row");
}

async fn a_gb18030_file_and_an_xlsx_file_import_alike_and_local_staff_stay_in_their_division(
    backend: Backend,
) {
    let world = world(backend).await;
    let hefei = world.sign_in("hefei").await;
    let mut lines = good_rows();
    lines.push(csv_line(&[
        "芜湖市青年创业促进会",
        &code(CreditCategory::SocialGroup, "340200", 106),
        "社会团体",
        "其他",
        "",
        "340200",
    ]));
    let text = csv_file(&lines);
    let (gb, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&gb).is_err(), "the file really is not UTF-8");
    let report = hefei.check_import("gbk.csv", gb.into_owned()).await.unwrap();
    assert_eq!(report.valid, 2, "{:?}", report.problems);
    assert_eq!(report.problems.len(), 1);
    assert_eq!(
        (report.problems[0].row, report.problems[0].column.as_str()),
        (4, "登记管理机关代码")
    );
    assert!(report.problems[0].message.contains("不在您的管辖范围内"));

    // The same two good rows as .xlsx, made from the downloaded template (credit codes as text).
    let (status, content_type, template) = download(hefei.import_template("xlsx").await).await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.contains("spreadsheetml"));
    let header = first_sheet(&template);
    assert_eq!(header[0].join(","), csv_header());
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, title) in header[0].iter().enumerate() {
        sheet.write(0, c as u16, title.as_str()).unwrap();
    }
    for (r, line) in good_rows().iter().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            if c == 9 && !cell.is_empty() {
                sheet.write(r as u32 + 1, c as u16, 100_000.0).unwrap();
            } else if !cell.is_empty() {
                sheet.write(r as u32 + 1, c as u16, cell).unwrap();
            }
        }
    }
    let xlsx = book.save_to_buffer().unwrap();
    let done = hefei.import_organizations("名录.xlsx", xlsx).await.unwrap();
    assert_eq!(done.imported, 2);
    let center: Page<OrganizationSummary> = hefei.list_organizations("q=社区养老服务中心").await.unwrap();
    assert_eq!(center.total, 1, "hefei staff see what they imported");

    let (status, content_type, csv) = download(hefei.import_template("csv").await).await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/csv"));
    assert!(csv.starts_with("\u{feff}名称,统一社会信用代码".as_bytes()));
    let org_user = world.sign_in("shushan-org").await;
    let (status, _) = org_user.check_import("x.csv", csv).await.unwrap_err();
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// The rows of an .xlsx workbook's first sheet, as text.
fn first_sheet(bytes: &[u8]) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    range
        .rows()
        .map(|row| row.iter().map(|c| c.to_string()).collect())
        .collect()
}

async fn the_export_writes_every_matching_row_with_the_count_and_neutralizes_formulas(backend: Backend) {
    let world = world(backend).await;
    let mut seeds = Vec::new();
    for i in 0..130u64 {
        let mut seed = org(
            &format!("合肥市第{i}社区服务中心"),
            "social_service",
            CreditCategory::SocialService,
            "city",
            "340100",
            1000 + i,
        );
        if i == 0 {
            seed.name = "=HYPERLINK(\"http://x\")服务中心".to_owned();
            seed.business_scope = Some("+1 养老".to_owned());
            seed.legal_representative = Some("@张三".to_owned());
        }
        seeds.push(seed);
    }
    world.app.store.insert_organizations(&seeds).await.unwrap();
    let hefei = world.sign_in("hefei").await;
    let (status, content_type, bytes) = download(
        hefei
            .export_organizations("kind=social_service&sort=name&page=3")
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.contains("spreadsheetml"));
    let rows = first_sheet(&bytes);
    assert!(
        rows[0][0].starts_with("社会组织名录：共 130 条（筛选条件：登记类型=social_service"),
        "{}",
        rows[0][0]
    );
    assert_eq!(rows[1][0], "名称");
    assert_eq!(rows[1][1], "统一社会信用代码");
    assert_eq!(rows.len(), 132, "every matching row, not one page");
    let formula = rows
        .iter()
        .find(|r| r[0].contains("HYPERLINK"))
        .expect("the formula-like name");
    assert_eq!(formula[0], "'=HYPERLINK(\"http://x\")服务中心");
    assert_eq!(formula[10], "'@张三");
    assert_eq!(formula[14], "'+1 养老");
    assert!(
        rows.iter()
            .skip(2)
            .all(|r| r[6] == "合肥市民政局" && r[1].len() == 18)
    );
    // Scope: the Wuhu foundation is not in Hefei's export, nor the province's organization.
    let all = first_sheet(&download(hefei.export_organizations("").await).await.2);
    assert!(
        all[0][0].starts_with("社会组织名录：共 131 条（筛选条件：全部"),
        "{}",
        all[0][0]
    );
    let bad = download(hefei.export_organizations("level=galaxy").await).await;
    assert_eq!(bad.0, StatusCode::UNPROCESSABLE_ENTITY);
}

mod files {
    use super::*;
    on_both_backends!(
        a_rejection_records_its_decision_and_a_deregistration_cannot_change_the_name,
        a_clean_file_is_checked_then_imported_with_its_audit_trail,
        bad_rows_are_listed_by_row_column_and_reason_and_a_commit_stores_nothing,
        a_gb18030_file_and_an_xlsx_file_import_alike_and_local_staff_stay_in_their_division,
        the_export_writes_every_matching_row_with_the_count_and_neutralizes_formulas,
    );
}

/// Contact phones are sealed at rest, bound to their row, and shown masked; a phone stored in clear before
/// (migration 0025) is sealed by the pass every start runs, and a sealed phone copied to another
/// organization does not open there.
async fn contact_phones_are_sealed_at_rest_and_shown_masked(backend: Backend) {
    let world = world(backend).await;
    let db = world.app.db().await;
    let sealed = "SELECT COUNT(*) FROM organizations WHERE contact_phone IS NULL AND phone_cipher LIKE 'v2:%'
                  AND phone_masked = '139****5678' AND phone_cipher NOT LIKE '%5678%'";
    assert_eq!(
        db.count(sealed).await,
        3,
        "the seeded phones are sealed as they are inserted"
    );
    let admin = world.sign_in("admin").await;
    let shown = admin.find_organization(world.wuhu).await.unwrap();
    assert_eq!(shown.organization.contact_phone.as_deref(), Some("139****5678"));

    // A phone left in clear, as before the migration, is sealed by the pass (once) and still shown masked.
    let legacy = format!(
        "UPDATE organizations SET contact_phone = '13800001111', seal_ref = NULL, phone_key_id = NULL,
             phone_cipher = NULL, phone_masked = NULL WHERE id = {}",
        world.wuhu
    );
    db.execute(&legacy).await.unwrap();
    let store = &world.app.store;
    let keys = store.data_keys().expect("the server's store seals");
    let actor = sheguan::store::Actor {
        user_id: None,
        name: "test".to_owned(),
        role: None,
        client_addr: "test".to_owned(),
    };
    assert_eq!(store.seal_phones(keys, &actor, false).await.unwrap(), 1);
    assert_eq!(
        store.seal_phones(keys, &actor, false).await.unwrap(),
        0,
        "nothing left"
    );
    assert_eq!(
        db.count("SELECT COUNT(*) FROM organizations WHERE contact_phone IS NOT NULL")
            .await,
        0
    );
    let shown = admin.find_organization(world.wuhu).await.unwrap();
    assert_eq!(shown.organization.contact_phone.as_deref(), Some("138****1111"));

    // The ciphertext opens in its own row only: copied to another organization's, it does not.
    let of = |id: i64, column: &str| format!("SELECT {column} FROM organizations WHERE id = {id}");
    let cipher = db.text(&of(world.wuhu, "phone_cipher")).await;
    let key_id = db.text(&of(world.wuhu, "phone_key_id")).await;
    let own = db.text(&of(world.wuhu, "seal_ref")).await;
    let other = db.text(&of(world.shushan, "seal_ref")).await;
    let at = |seal_ref| sheguan::crypto::Context::new("organizations", "phone_cipher", seal_ref);
    assert_eq!(keys.open(&key_id, &cipher, at(&own)).unwrap(), "13800001111");
    assert!(keys.open(&key_id, &cipher, at(&other)).is_err());
}

/// The contact phone in a matter's application is sealed beside it, not kept in its JSON, and shown
/// masked; an application stored with its phone in clear (before migration 0028) is sealed by the pass every
/// start runs, and its approval still writes the phone to the registry.
async fn a_matter_s_contact_phone_is_sealed_at_rest_and_reaches_the_registry(backend: Backend) {
    let world = world(backend).await;
    let org_user = world.sign_in("shushan-org").await;
    let changes = ProfileChanges {
        contact_phone: Some("13955123456".to_owned()),
        ..Default::default()
    };
    let filed = org_user
        .file_matter(&application(MatterKind::Change, changes, "更换联系电话"))
        .await
        .unwrap();
    let id = filed.matter.id;
    assert_eq!(filed.changes.contact_phone.as_deref(), Some("139****3456"));
    let db = world.app.db().await;
    let clear = |number: &str| {
        format!(
            "SELECT COUNT(*) FROM matters WHERE payload_json LIKE '%{number}%' OR phone_cipher LIKE '%{number}%'
                 OR phone_in_clear"
        )
    };
    assert_eq!(db.count(&clear("13955123456")).await, 0);
    let sealed = format!("SELECT COUNT(*) FROM matters WHERE id = {id} AND phone_cipher LIKE 'v2:%'");
    assert_eq!(db.count(&sealed).await, 1);

    // As every application was stored before migration 0028 (which marked it).
    let legacy = format!(
        "UPDATE matters SET payload_json = '{{\"changes\":{{\"contact_phone\":\"13800002222\"}},\"establishment\":null}}',
             seal_ref = NULL, phone_key_id = NULL, phone_cipher = NULL, phone_in_clear = TRUE WHERE id = {id}"
    );
    db.execute(&legacy).await.unwrap();
    let seen = org_user.find_matter(id).await.unwrap();
    assert_eq!(seen.changes.contact_phone.as_deref(), Some("138****2222"));
    let store = &world.app.store;
    let keys = store.data_keys().expect("the server's store seals");
    let actor = sheguan::store::Actor {
        user_id: None,
        name: "test".to_owned(),
        role: None,
        client_addr: "test".to_owned(),
    };
    assert_eq!(store.seal_matter_phones(keys, &actor, false).await.unwrap(), 1);
    assert_eq!(
        store.seal_matter_phones(keys, &actor, false).await.unwrap(),
        0,
        "nothing left"
    );
    assert_eq!(db.count(&clear("13800002222")).await, 0);
    assert_eq!(db.count(&sealed).await, 1);
    let seen = org_user.find_matter(id).await.unwrap();
    assert_eq!(seen.changes.contact_phone.as_deref(), Some("138****2222"));

    // Approved, the phone reaches the registry, sealed there too.
    let hefei = world.sign_in("hefei").await;
    hefei.act_on_matter(id, &MatterAction::Accept).await.unwrap();
    hefei.act_on_matter(id, &MatterAction::StartReview).await.unwrap();
    let admin = world.sign_in("admin").await;
    admin.act_on_matter(id, &MatterAction::Approve).await.unwrap();
    let detail = admin.find_organization(world.shushan).await.unwrap();
    assert_eq!(detail.organization.contact_phone.as_deref(), Some("138****2222"));
    let registry = "SELECT COUNT(*) FROM organizations WHERE contact_phone IS NOT NULL
                    OR phone_cipher LIKE '%13800002222%'";
    assert_eq!(db.count(registry).await, 0);
}

/// Key rotation: `sheguan keys reseal` moves every sealed phone — organizations', accounts' and matters'
/// — to the current key, so that a server without the retired key shows them all and still signs in by
/// phone (the index does not depend on the data key).
async fn keys_reseal_moves_every_phone_to_the_current_key_so_the_retired_one_can_go(backend: Backend) {
    // Base64 of 32 bytes of 1, 2 and 3.
    let old = "k1:AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
    let new = "k2:AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=";
    let matching = "AwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM=";
    let keyed = |keys: &mut sheguan::config::Keys, data: &str, retired: Option<&str>| {
        keys.data_key = Some(data.to_owned());
        keys.data_keys_retired = retired.map(str::to_owned);
        keys.match_key = Some(matching.to_owned());
    };
    let app = tests::spawn_app_with(backend, |c| keyed(&mut c.keys, old, None)).await;
    let world = world_on(app).await;
    let admin = world.sign_in("admin").await;
    let mut request = domain::api::CreateUserRequest {
        username: "zhao.lei".to_owned(),
        display_name: "赵磊".to_owned(),
        phone: Some("13812345678".to_owned()),
        role: Role::BureauAdmin,
        scope: Default::default(),
    };
    let issued = admin.create_user(&request).await.unwrap();
    let org_user = world.sign_in("shushan-org").await;
    let changes = ProfileChanges {
        contact_phone: Some("13955123456".to_owned()),
        ..Default::default()
    };
    let matter = org_user
        .file_matter(&application(MatterKind::Change, changes, "更换联系电话"))
        .await
        .unwrap();
    let db = world.app.db().await;
    let under = |key: &str| {
        format!(
            "SELECT (SELECT COUNT(*) FROM organizations WHERE phone_key_id = '{key}')
                  + (SELECT COUNT(*) FROM users WHERE phone_key_id = '{key}')
                  + (SELECT COUNT(*) FROM matters WHERE phone_key_id = '{key}')"
        )
    };
    assert_eq!(db.count(&under("k1")).await, 3 + 1 + 1);

    let mut keys = sheguan::config::Keys::default();
    keyed(&mut keys, new, Some(old));
    let reseal = sheguan::cli::KeyArgs {
        database_url: world.app.database_url().to_owned(),
        keys,
    };
    let command = sheguan::cli::Command::Keys(sheguan::cli::KeysCommand::Reseal(reseal));
    sheguan::cli::run(command).await.unwrap();

    assert_eq!(db.count(&under("k1")).await, 0);
    assert_eq!(db.count(&under("k2")).await, 3 + 1 + 1);
    let rows =
        "SELECT COUNT(*) FROM audit_log WHERE action = 'seal_phones' AND actor_name = 'sheguan keys reseal'";
    assert_eq!(db.count(rows).await, 3, "a batch of each table, audited");
    // A server without the retired key opens every phone and signs in by phone.
    let after = world
        .app
        .another_server_with(|c| keyed(&mut c.keys, new, None))
        .await;
    let me = after
        .login("13812345678", &issued.temporary_password)
        .await
        .unwrap();
    assert_eq!(me.username, "zhao.lei");
    let admin = after.signed_in_with("admin", PASSWORD).await;
    let shown = admin.find_matter(matter.matter.id).await.unwrap();
    assert_eq!(shown.changes.contact_phone.as_deref(), Some("139****3456"));
    let org = admin.find_organization(world.wuhu).await.unwrap();
    assert_eq!(org.organization.contact_phone.as_deref(), Some("139****5678"));
    // And the number is still one account's.
    request.username = "qian.feng".to_owned();
    let taken = admin.create_user(&request).await.unwrap_err();
    assert_eq!(taken.1.field_message("phone"), Some("手机号已被其他账户使用"));
}

on_both_backends!(
    keys_reseal_moves_every_phone_to_the_current_key_so_the_retired_one_can_go,
    a_matter_s_contact_phone_is_sealed_at_rest_and_reaches_the_registry,
    contact_phones_are_sealed_at_rest_and_shown_masked,
    hefei_staff_cannot_read_a_wuhu_organization_and_an_org_user_sees_only_its_own,
    a_change_returned_for_completion_resubmitted_and_approved_shows_in_the_registry,
    an_invalid_application_answers_422_naming_the_field_and_stores_nothing,
    the_public_lookup_shows_nothing_personal_and_limits_each_client,
);

async fn the_demo_registry_spans_the_province_and_loads_only_once(backend: Backend) {
    let app = tests::spawn_app_with(backend, |config| config.demo = true).await;
    let before = app.store.count_organizations().await.unwrap();
    assert!((34_000..37_000).contains(&before), "{before} organizations");
    let matters = app.store.count_matters().await.unwrap();
    assert!(matters >= 300, "{matters} matters");
    sheguan::seed::load_demo_data(&app.store).await.unwrap();
    assert_eq!(app.store.count_organizations().await.unwrap(), before);
    assert_eq!(app.store.count_matters().await.unwrap(), matters);
    let demo_org = app.signed_in_as("demo-org").await;
    let own = demo_org.list_organizations("").await.unwrap();
    assert_eq!(
        names(&own),
        ["安徽省乡村振兴促进会"],
        "the demo organization user's own"
    );
}

mod demo {
    use super::*;
    on_both_backends!(the_demo_registry_spans_the_province_and_loads_only_once);
}
