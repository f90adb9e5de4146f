//! The registry and registration matters through the API, on both backends: scoping, the whole story of a
//! change application, validation, and the public lookup.

use chrono::NaiveDate;
use domain::api::{
    ApiError, FileMatterRequest, MatterDetail, MatterSummary, OrganizationDetail, OrganizationSummary, Page,
    ProfileChanges, PublicLookup, ResubmitRequest,
};
use domain::auth::Role;
use domain::credit_code::{CreditCategory, CreditCode};
use domain::division::DivisionCode;
use domain::matter::{DeadlineStatus, MatterKind, MatterState};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sheguan::store::accounts::{NewUser, ScopeIds};
use sheguan::store::organizations::OrganizationSeed;
use sheguan::store::{Actor, AuditEntry};
use tests::{ApiResult, Backend, TestApp, decode, on_both_backends, spawn_app};

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
    let app = spawn_app(backend).await;
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
    app.store.insert_organizations(&seeds).await.unwrap();
    let mut ids = Vec::new();
    for seed in &seeds {
        ids.push(
            app.store
                .organization_id_by_credit_code(&seed.credit_code)
                .await
                .unwrap()
                .unwrap(),
        );
    }
    let hash = sheguan::auth::password::hash(PASSWORD.to_owned()).await.unwrap();
    let system = Actor {
        user_id: None,
        name: "system".to_owned(),
        role: None,
        client_addr: "test".to_owned(),
    };
    let users = [
        ("admin", Role::BureauAdmin, ScopeIds::default()),
        (
            "hefei",
            Role::LocalStaff,
            ScopeIds {
                division_code: DivisionCode::parse("340100").ok(),
                ..Default::default()
            },
        ),
        (
            "wuhu",
            Role::LocalStaff,
            ScopeIds {
                division_code: DivisionCode::parse("340200").ok(),
                ..Default::default()
            },
        ),
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
        let user = NewUser {
            username: username.to_owned(),
            display_name: username.to_owned(),
            phone: None,
            password_hash: hash.clone(),
            role,
            scope,
            must_change_password: false,
            is_demo: false,
        };
        app.store
            .create_user(&user, |id| AuditEntry {
                actor: &system,
                entity_type: "user",
                entity_id: id.to_string(),
                action: "create",
                before: None,
                after: None,
                reason: None,
            })
            .await
            .unwrap();
    }
    World {
        provincial: ids[0],
        shushan: ids[1],
        wuhu: ids[2],
        app,
    }
}

/// A signed-in client of its own.
struct Session<'a> {
    app: &'a TestApp,
    client: reqwest::Client,
}

impl World {
    async fn sign_in(&self, username: &str) -> Session<'_> {
        let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
        let response = client
            .post(self.app.url("/api/v1/auth/login"))
            .json(&json!({ "username": username, "password": PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{username} signs in");
        Session {
            app: &self.app,
            client,
        }
    }
}

impl Session<'_> {
    async fn get<T: serde::de::DeserializeOwned>(&self, path: &str) -> ApiResult<T> {
        decode(self.client.get(self.app.url(path)).send().await.unwrap()).await
    }

    async fn post<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        body: &impl serde::Serialize,
    ) -> ApiResult<T> {
        decode(
            self.client
                .post(self.app.url(path))
                .json(body)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    async fn act(&self, matter: i64, action: Value) -> ApiResult<MatterDetail> {
        self.post(&format!("/api/v1/matters/{matter}/actions"), &action)
            .await
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

    let (status, error) = hefei
        .get::<OrganizationDetail>(&format!("/api/v1/organizations/{}", world.wuhu))
        .await
        .unwrap_err();
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error.error.message, "未找到该社会组织");
    let provincial = hefei
        .get::<OrganizationDetail>(&format!("/api/v1/organizations/{}", world.provincial))
        .await;
    assert_eq!(
        provincial.unwrap_err().0,
        StatusCode::NOT_FOUND,
        "province-level orgs are the bureau's"
    );
    let listed: Page<OrganizationSummary> = hefei.get("/api/v1/organizations").await.unwrap();
    assert_eq!(names(&listed), ["合肥市蜀山区养老服务协会"]);
    assert_eq!(listed.total, 1);

    let own: Page<OrganizationSummary> = org_user.get("/api/v1/organizations").await.unwrap();
    assert_eq!(names(&own), ["合肥市蜀山区养老服务协会"]);
    let other = org_user
        .get::<OrganizationDetail>(&format!("/api/v1/organizations/{}", world.wuhu))
        .await;
    assert_eq!(other.unwrap_err().0, StatusCode::NOT_FOUND);

    let all: Page<OrganizationSummary> = admin.get("/api/v1/organizations?sort=-name").await.unwrap();
    assert_eq!(all.total, 3);
    let foundations: Page<OrganizationSummary> =
        admin.get("/api/v1/organizations?kind=foundation").await.unwrap();
    assert_eq!(names(&foundations), ["芜湖市青少年发展基金会"]);
    let by_code: Page<OrganizationSummary> = admin
        .get(&format!(
            "/api/v1/organizations?q={}",
            &all.items[0].credit_code[..12].to_lowercase()
        ))
        .await
        .unwrap();
    assert!(by_code.total >= 1);
    let bad = admin
        .get::<Page<OrganizationSummary>>("/api/v1/organizations?level=galaxy")
        .await
        .unwrap_err();
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
    let filed: MatterDetail = org_user
        .post(
            "/api/v1/matters",
            &FileMatterRequest {
                kind: MatterKind::Change,
                organization_id: None,
                changes: ProfileChanges {
                    domicile: Some("安徽省合肥市蜀山区黄山路 8 号".to_owned()),
                    ..Default::default()
                },
                establishment: None,
                note: "搬迁办公场所".to_owned(),
            },
        )
        .await
        .unwrap();
    let id = filed.matter.id;
    assert_eq!(filed.matter.state, MatterState::Submitted);
    assert_eq!(filed.matter.organization_id, Some(world.shushan));

    // Staff return it: the lease is missing.
    let returned = hefei
        .act(id, json!({ "action": "return", "missing": ["新住所租赁合同"] }))
        .await
        .unwrap();
    assert_eq!(
        returned.matter.state,
        MatterState::Returned {
            missing: vec!["新住所租赁合同".to_owned()]
        }
    );
    let seen: MatterDetail = org_user.get(&format!("/api/v1/matters/{id}")).await.unwrap();
    assert!(matches!(seen.matter.state, MatterState::Returned { .. }));

    // The applicant completes it, adding the new registered funds.
    let resubmitted: MatterDetail = org_user
        .post(
            &format!("/api/v1/matters/{id}/resubmit"),
            &ResubmitRequest {
                changes: ProfileChanges {
                    domicile: Some("安徽省合肥市蜀山区黄山路 8 号".to_owned()),
                    registered_funds: Some("50,000".to_owned()),
                    ..Default::default()
                },
                establishment: None,
                note: "搬迁办公场所，已附租赁合同".to_owned(),
            },
        )
        .await
        .unwrap();
    assert_eq!(resubmitted.matter.state, MatterState::Submitted);

    // Staff accept (the time limit starts), review and approve.
    let accepted = hefei.act(id, json!({ "action": "accept" })).await.unwrap();
    assert!(accepted.matter.due_on.is_some());
    assert!(
        accepted
            .matter
            .deadline
            .is_some_and(|d| d != DeadlineStatus::Overdue)
    );
    let queue: Page<MatterSummary> = hefei.get("/api/v1/matters").await.unwrap();
    assert_eq!(queue.items.iter().map(|m| m.id).collect::<Vec<_>>(), [id]);
    hefei.act(id, json!({ "action": "start_review" })).await.unwrap();
    let approved = hefei.act(id, json!({ "action": "approve" })).await.unwrap();
    assert_eq!(approved.matter.state, MatterState::Approved);
    let decision = approved.decision.expect("a licensing decision");
    assert!(decision.document_number.starts_with("皖社许〔") && decision.document_number.ends_with("〕1号"));
    assert!(decision.content.contains("黄山路 8 号"), "{}", decision.content);

    // The registry shows the change, its audit trail, its timeline and the decision.
    let detail: OrganizationDetail = org_user
        .get(&format!("/api/v1/organizations/{}", world.shushan))
        .await
        .unwrap();
    assert_eq!(
        detail.organization.domicile.as_deref(),
        Some("安徽省合肥市蜀山区黄山路 8 号")
    );
    assert_eq!(detail.organization.registered_funds_fen, Some(5_000_000));
    assert_eq!(detail.certificate.registered_funds, "50,000.00元");
    let change = detail
        .audit
        .iter()
        .find(|a| a.action == "change")
        .expect("an audit row for the change");
    assert_eq!(change.actor_name, "hefei");
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
    let history: MatterDetail = org_user.get(&format!("/api/v1/matters/{id}")).await.unwrap();
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
    let found: PublicLookup = decode(world.app.get("/api/v1/public/organizations?q=蜀山区养老").await)
        .await
        .unwrap();
    assert_eq!(found.items.len(), 1);
    assert_eq!(found.items[0].registering_authority, "蜀山区民政局");
}

async fn an_invalid_application_answers_422_naming_the_field_and_stores_nothing(backend: Backend) {
    let world = world(backend).await;
    let org_user = world.sign_in("shushan-org").await;
    let (status, error): (StatusCode, ApiError) = org_user
        .post::<MatterDetail>(
            "/api/v1/matters",
            &json!({ "kind": "change", "changes": { "registered_funds": "三万", "contact_phone": "123" } }),
        )
        .await
        .unwrap_err();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = error.error.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["changes.registered_funds", "changes.contact_phone"]);
    assert!(error.error.fields[0].message.contains("注册资金"));
    let empty = org_user
        .post::<MatterDetail>("/api/v1/matters", &json!({ "kind": "change" }))
        .await
        .unwrap_err();
    assert_eq!(empty.1.error.fields[0].field, "changes");
    let mine: Page<MatterSummary> = org_user.get("/api/v1/matters?state=all").await.unwrap();
    assert_eq!(mine.total, 0);
    let hefei = world.sign_in("hefei").await;
    let refused = hefei
        .act(1, json!({ "action": "return", "missing": [] }))
        .await
        .unwrap_err();
    assert_eq!(refused.0, StatusCode::NOT_FOUND);
}

async fn the_public_lookup_shows_nothing_personal_and_limits_each_client(backend: Backend) {
    let world = world(backend).await;
    let response = world.app.get("/api/v1/public/organizations?q=协会").await;
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
    let short = decode::<PublicLookup>(world.app.get("/api/v1/public/organizations?q=协").await).await;
    assert_eq!(short.unwrap_err().1.error.fields[0].field, "q");
    let mut last = StatusCode::OK;
    for _ in 0..40 {
        last = world
            .app
            .get("/api/v1/public/organizations?q=基金会")
            .await
            .status();
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    let _ = world.wuhu;
}

on_both_backends!(
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
    let demo_org = app.store.find_user_for_login("demo-org").await.unwrap().unwrap();
    let own = app
        .store
        .find_organization(demo_org.organization_id.unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(own.name, "安徽省乡村振兴促进会");
}

mod demo {
    use super::*;
    on_both_backends!(the_demo_registry_spans_the_province_and_loads_only_once);
}
