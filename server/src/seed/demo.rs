//! The demo data set: a few provincial and city organizations and an account per role (two of the
//! bureau), all with the password `sheguan-demo` (or `SHEGUAN_DEMO_PASSWORD`). Loaded only with `--demo`,
//! never twice.

use domain::division::DivisionCode;
use domain::policy::Role;
use domain::registry::credit_code::{CreditCategory, CreditCode};

use crate::auth::password;
use crate::store::Store;
use crate::store::accounts::{NewUser, ScopeIds};
use crate::store::registry::organizations::OrganizationSeed;
use crate::store::{Actor, AuditEntry};

pub const DEFAULT_PASSWORD: &str = "sheguan-demo";

/// The demo accounts, in the order `cargo xtask run` prints them.
/// Two bureau accounts, so that a matter one of them reviews can be decided by the other (whoever filed or
/// reviewed a matter may not decide it).
pub const ACCOUNTS: [(&str, &str, Role); 6] = [
    ("demo-admin", "省局管理员（演示）", Role::BureauAdmin),
    ("demo-approver", "省局审批人（演示）", Role::BureauAdmin),
    ("demo-hefei", "合肥市民政局（演示）", Role::LocalStaff),
    ("demo-wuhu", "芜湖市民政局（演示）", Role::LocalStaff),
    ("demo-instructor", "党建指导员（演示）", Role::Instructor),
    ("demo-org", "社会组织用户（演示）", Role::OrgUser),
];

/// (name, kind, category, level, division)
pub(crate) const ORGANIZATIONS: [(&str, &str, CreditCategory, &str, &str); 8] = [
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

/// How many entries are generated and inserted at a time (one transaction each): memory stays small and
/// each multi-row insert is large.
pub const LEDGER_BATCH: usize = 50_000;

/// Generates `count` ledger entries over the last ten years for every organization in the database
/// (whoever added them), with scholarships whose recipients are sealed under `keys`. A few children are
/// funded by two organizations in one year, so the duplicate check has something to find. Runs once.
/// The count comes from `--demo-ledger-entries` (`SHEGUAN_DEMO_LEDGER_ENTRIES`).
pub async fn load_contributions(
    store: &Store,
    keys: &crate::crypto::DataKeys,
    count: usize,
) -> anyhow::Result<()> {
    if count == 0 || store.has_seed_contributions().await? {
        return Ok(());
    }
    let organizations = store.organization_divisions().await?;
    if organizations.is_empty() {
        return Ok(());
    }
    let started = std::time::Instant::now();
    tracing::info!(
        entries = count,
        "loading the demo ledger: once per database, about a minute per million entries"
    );
    for first in (0..count).step_by(LEDGER_BATCH) {
        let batch = LEDGER_BATCH.min(count - first);
        let entries = generate_contributions(&organizations, keys, batch, first);
        store.insert_seed_contributions(&entries).await?;
        tracing::info!(loaded = first + batch, of = count, "demo ledger");
    }
    store.analyze().await?;
    tracing::info!(
        entries = count,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "demo ledger loaded"
    );
    Ok(())
}

/// `count` generated entries, numbered from `first` (so that several batches can be generated).
pub fn generate_contributions(
    organizations: &[(i64, String)],
    keys: &crate::crypto::DataKeys,
    count: usize,
    first: usize,
) -> Vec<crate::store::contributions::SeedContribution> {
    use chrono::{Datelike, Days, NaiveDate};
    use domain::contributions::{AdmissionKind, ContributionKind, ContributionStatus, ExpoRole};
    use domain::money::Fen;
    use domain::resident_id::ResidentId;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    use crate::crypto::Context;
    use crate::store::contributions::{SealedRecipient, SeedContribution};

    const SCHOOLS: [&str; 6] = [
        "安徽大学",
        "合肥工业大学",
        "安徽医科大学",
        "安徽师范大学",
        "合肥职业技术学院",
        "安徽工业经济职业技术学院",
    ];
    const SURNAMES: [&str; 8] = ["张", "王", "李", "刘", "陈", "杨", "黄", "吴"];
    const GIVEN: [&str; 8] = ["小明", "思远", "雨桐", "子涵", "浩然", "欣怡", "俊杰", "梓萱"];

    let mut rng = StdRng::seed_from_u64(20_150_101 + first as u64);
    let today = crate::state::today();
    let start = NaiveDate::from_ymd_opt(today.year() - 9, 1, 1).unwrap_or(today);
    let span = (today - start).num_days().max(1) as u64;
    (first..first + count)
        .map(|n| {
            let (organization_id, division_code) =
                organizations[rng.random_range(0..organizations.len())].clone();
            let date = start + Days::new(rng.random_range(0..span));
            let kind = ContributionKind::ALL[match rng.random_range(0..100) {
                0..30 => 0,
                30..45 => 1,
                45..55 => 2,
                55..70 => 3,
                70..82 => 4,
                82..88 => 5,
                88..94 => 6,
                _ => 7,
            }];
            let status = match rng.random_range(0..100) {
                0..85 => ContributionStatus::Verified,
                85..95 => ContributionStatus::Submitted,
                95..98 => ContributionStatus::Returned,
                _ => ContributionStatus::Draft,
            };
            let mut recipients = Vec::new();
            let (amount, people, expo_role) = match kind {
                ContributionKind::Scholarship => {
                    for _ in 0..rng.random_range(1..4) {
                        // A small pool of children per year, so that some are funded by two organizations.
                        let serial = rng.random_range(0..40u32);
                        let born =
                            NaiveDate::from_ymd_opt(date.year() - 18, 1 + serial % 12, 1 + serial % 28)
                                .unwrap_or(start);
                        let id = ResidentId::generate("340122", born, serial * 7);
                        let name = format!(
                            "{}{}",
                            SURNAMES[serial as usize % 8],
                            GIVEN[(serial as usize / 8) % 8]
                        );
                        let seal_ref = crate::crypto::seal_ref();
                        let at = |column| Context::new("contribution_recipients", column, &seal_ref);
                        let sealed_name = keys.seal(&name, at("name_cipher"));
                        let id_number_cipher = keys.seal(id.as_str(), at("id_number_cipher")).ciphertext;
                        let amount = Fen::new(rng.random_range(2_000..10_000) * 100);
                        recipients.push(SealedRecipient {
                            seal_ref: seal_ref.clone(),
                            key_id: sealed_name.key_id,
                            name_cipher: sealed_name.ciphertext,
                            id_number_cipher,
                            name_masked: domain::privacy::mask_name(&name),
                            id_number_masked: id.masked(),
                            id_hash: keys.match_digest(id.as_str()),
                            school: SCHOOLS[serial as usize % SCHOOLS.len()].to_owned(),
                            admission: if serial % 3 == 0 {
                                AdmissionKind::College
                            } else {
                                AdmissionKind::Undergraduate
                            },
                            amount,
                            year: date.year(),
                        });
                    }
                    recipients.dedup_by(|a, b| a.id_hash == b.id_hash);
                    let total = Fen::checked_sum(recipients.iter().map(|r| r.amount)).unwrap_or_default();
                    (total, Some(recipients.len() as i64), None)
                }
                ContributionKind::Employment => (
                    Fen::new(rng.random_range(0..5_000_000)),
                    Some(rng.random_range(5..300)),
                    None,
                ),
                ContributionKind::Expo => {
                    let role = if rng.random_bool(0.3) {
                        ExpoRole::Hosted
                    } else {
                        ExpoRole::Joined
                    };
                    (Fen::new(rng.random_range(0..20_000_000)), None, Some(role))
                }
                ContributionKind::Investment => {
                    (Fen::new(rng.random_range(1_000_000..5_000_000_000)), None, None)
                }
                _ => (Fen::new(rng.random_range(100_000..50_000_000)), None, None),
            };
            SeedContribution {
                organization_id,
                division_code,
                kind,
                date,
                amount,
                people,
                expo_role,
                status,
                description: format!("{}（演示数据）", kind.label_zh()),
                seed_key: format!("seed-{n}"),
                recipients,
            }
        })
        .collect()
}
