//! The demo data set: a few provincial and city organizations and one account per role, all with the
//! password `sheguan-demo` (or `SHEGUAN_DEMO_PASSWORD`). Loaded only with `--demo`, never twice.

use domain::auth::Role;
use domain::credit_code::{CreditCategory, CreditCode};
use domain::division::DivisionCode;

use crate::auth::password;
use crate::store::Store;
use crate::store::accounts::{NewUser, ScopeIds};
use crate::store::organizations::OrganizationSeed;
use crate::store::{Actor, AuditEntry};

pub const DEFAULT_PASSWORD: &str = "sheguan-demo";

/// The demo accounts, in the order `cargo xtask run` prints them.
pub const ACCOUNTS: [(&str, &str, Role); 5] = [
    ("demo-admin", "省局管理员（演示）", Role::BureauAdmin),
    ("demo-hefei", "合肥市民政局（演示）", Role::LocalStaff),
    ("demo-wuhu", "芜湖市民政局（演示）", Role::LocalStaff),
    ("demo-instructor", "党建指导员（演示）", Role::Instructor),
    ("demo-org", "社会组织用户（演示）", Role::OrgUser),
];

/// (name, kind, category, level, division)
const ORGANIZATIONS: [(&str, &str, CreditCategory, &str, &str); 8] = [
    (
        "安徽省乡村振兴促进会",
        "social_group",
        CreditCategory::SocialGroup,
        "provincial",
        "340000",
    ),
    (
        "安徽省人工智能产业协会",
        "social_group",
        CreditCategory::SocialGroup,
        "provincial",
        "340000",
    ),
    (
        "安徽省慈善与社会福利基金会",
        "foundation",
        CreditCategory::Foundation,
        "provincial",
        "340000",
    ),
    (
        "安徽省新材料产业商会",
        "social_group",
        CreditCategory::SocialGroup,
        "provincial",
        "340000",
    ),
    (
        "合肥市养老服务协会",
        "social_group",
        CreditCategory::SocialGroup,
        "city",
        "340100",
    ),
    (
        "肥东县青少年发展中心",
        "social_service",
        CreditCategory::SocialService,
        "county",
        "340122",
    ),
    (
        "芜湖市志愿服务联合会",
        "social_group",
        CreditCategory::SocialGroup,
        "city",
        "340200",
    ),
    (
        "芜湖市鸠江区社区服务中心",
        "social_service",
        CreditCategory::SocialService,
        "county",
        "340207",
    ),
];

/// The credit code of 安徽省乡村振兴促进会, the organization of the demo organization user.
pub fn demo_org_credit_code() -> String {
    let (_, _, category, _, division) = ORGANIZATIONS[0];
    CreditCode::generate(category, division, 10_000)
        .as_str()
        .to_owned()
}

pub fn demo_password() -> String {
    std::env::var("SHEGUAN_DEMO_PASSWORD")
        .ok()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| DEFAULT_PASSWORD.to_owned())
}

pub async fn load(store: &Store) -> anyhow::Result<()> {
    let organizations: Vec<OrganizationSeed> = ORGANIZATIONS
        .iter()
        .enumerate()
        .map(|(i, (name, kind, category, level, division))| OrganizationSeed {
            credit_code: CreditCode::generate(*category, division, 10_000 + i as u64)
                .as_str()
                .to_owned(),
            name: (*name).to_owned(),
            kind: (*kind).to_owned(),
            level: (*level).to_owned(),
            division_code: (*division).to_owned(),
            ..Default::default()
        })
        .collect();
    store.insert_organizations(&organizations).await?;
    let mut org_ids = Vec::new();
    for org in &organizations {
        if let Some(id) = store.organization_id_by_credit_code(&org.credit_code).await? {
            org_ids.push(id);
        }
    }

    let password_hash = password::hash(demo_password()).await?;
    let system = Actor {
        user_id: None,
        name: "system".to_owned(),
        role: None,
        client_addr: "seed".to_owned(),
    };
    for (username, display_name, role) in ACCOUNTS {
        if store.find_user_for_login(username).await?.is_some() {
            continue;
        }
        let scope = match username {
            "demo-hefei" => ScopeIds {
                division_code: DivisionCode::parse("340100").ok(),
                ..Default::default()
            },
            "demo-wuhu" => ScopeIds {
                division_code: DivisionCode::parse("340200").ok(),
                ..Default::default()
            },
            "demo-org" => ScopeIds {
                organization_id: org_ids.first().copied(),
                ..Default::default()
            },
            "demo-instructor" => ScopeIds {
                organization_ids: org_ids.iter().take(4).copied().collect(),
                ..Default::default()
            },
            _ => ScopeIds::default(),
        };
        let user = NewUser {
            username: username.to_owned(),
            display_name: display_name.to_owned(),
            phone: None,
            password_hash: password_hash.clone(),
            role,
            scope,
            must_change_password: false,
            is_demo: true,
        };
        store
            .create_user(&user, |id| AuditEntry {
                actor: &system,
                entity_type: "user",
                entity_id: id.to_string(),
                action: "create",
                before: None,
                after: Some(serde_json::json!({ "username": username, "role": role, "demo": true })),
                reason: Some("演示数据".to_owned()),
            })
            .await?;
    }
    let divisions = super::parse_divisions()?;
    let taken = ORGANIZATIONS.iter().map(|o| o.0.to_owned()).collect();
    super::registry::load(store, &divisions, &taken).await?;
    tracing::info!("demo data set loaded");
    Ok(())
}
