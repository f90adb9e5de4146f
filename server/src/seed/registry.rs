//! The demo registry: about 35,000 organizations over the province, its 16 cities and their counties, with
//! names built from division names, fields of work and organizational forms, and a few hundred registration
//! matters in every state (some overdue). Deterministic, so a restart inserts nothing twice.

use std::collections::HashSet;

use chrono::{Datelike, Duration, NaiveDate, Utc};
use domain::registry::credit_code::{CreditCategory, CreditCode};
use domain::registry::matter::{Channel, MatterKind, MatterState};
use serde_json::json;

use crate::state::{RegistryPolicy, today};
use crate::store::reference::DivisionRecord;
use crate::store::registry::matters::NewMatter;
use crate::store::registry::organizations::OrganizationSeed;
use crate::store::{Actor, Store};

/// Organizations registered by the province itself.
const PROVINCIAL: usize = 2_000;
/// Per city (its own registrations), and per county.
const PER_CITY: usize = 560;
const PER_COUNTY: usize = 200;
/// Demo matters.
const MATTERS: usize = 420;
/// The case study's year: industry associations founded in it (all levels), and social service institutions
/// registered from 营改非 (350+), which the registry is topped up to.
const CASE_YEAR: i32 = 2021;
const AIM_NEW_ASSOCIATIONS: usize = 222;
const AIM_CONVERSIONS: usize = 356;

/// Fields of work: (word, emerging industry key if an industry association in it belongs to one).
const FIELDS: [(&str, Option<&str>); 48] = [
    ("养老服务", None),
    ("青少年发展", None),
    ("志愿服务", None),
    ("社区服务", None),
    ("慈善", None),
    ("教育发展", None),
    ("文化艺术", None),
    ("体育", None),
    ("书法", None),
    ("摄影", None),
    ("围棋", None),
    ("乡村振兴", None),
    ("残疾人服务", None),
    ("妇女儿童发展", None),
    ("老年体育", None),
    ("红十字", None),
    ("环境保护", None),
    ("消费者权益", None),
    ("法律服务", None),
    ("心理健康", None),
    ("家庭教育", None),
    ("农业技术", None),
    ("茶叶", Some("green_food")),
    ("绿色食品", Some("green_food")),
    ("粮食行业", Some("green_food")),
    ("人工智能", Some("artificial_intelligence")),
    ("软件和信息服务", Some("next_generation_it")),
    ("集成电路", Some("next_generation_it")),
    ("新材料", Some("new_materials")),
    ("光伏", Some("new_energy")),
    ("节能环保", Some("new_energy")),
    ("新能源汽车", Some("intelligent_vehicles")),
    ("智能网联汽车", Some("intelligent_vehicles")),
    ("高端装备制造", Some("high_end_equipment")),
    ("机器人", Some("high_end_equipment")),
    ("智能家电", Some("smart_appliances")),
    ("生物医药", Some("life_and_health")),
    ("医疗器械", Some("life_and_health")),
    ("数字创意", Some("digital_creativity")),
    ("动漫游戏", Some("digital_creativity")),
    ("建筑业", None),
    ("物流", None),
    ("旅游", None),
    ("餐饮", None),
    ("电子商务", None),
    ("中医药", None),
    ("徽菜", None),
    ("民营企业", None),
];

const QUALIFIERS: [&str; 6] = ["", "青年", "老年", "女性", "退役军人", "大学生"];

/// (suffix, kind, category for a field without an emerging industry)
const FORMS: [(&str, &str, CreditCategory, &str); 9] = [
    (
        "协会",
        "social_group",
        CreditCategory::SocialGroup,
        "industry_association",
    ),
    (
        "商会",
        "social_group",
        CreditCategory::SocialGroup,
        "industry_association",
    ),
    ("学会", "social_group", CreditCategory::SocialGroup, "science"),
    ("研究会", "social_group", CreditCategory::SocialGroup, "science"),
    ("促进会", "social_group", CreditCategory::SocialGroup, "other"),
    ("联合会", "social_group", CreditCategory::SocialGroup, "other"),
    (
        "服务中心",
        "social_service",
        CreditCategory::SocialService,
        "community_service",
    ),
    (
        "发展中心",
        "social_service",
        CreditCategory::SocialService,
        "community_service",
    ),
    ("基金会", "foundation", CreditCategory::Foundation, "charity"),
];

const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
const GIVEN: &str =
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国志文斌宇浩然晨阳思雨欣怡子涵梓轩";
const STREETS: [&str; 8] = [
    "长江路",
    "淮河路",
    "黄山路",
    "人民路",
    "建设路",
    "解放路",
    "文化路",
    "和平路",
];

/// A small deterministic generator (SplitMix64): the same demo set on every machine.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick(&mut self, text: &str) -> char {
        let chars: Vec<char> = text.chars().collect();
        let _ = &text;
        chars[self.below(chars.len())]
    }
}

fn person(dice: &mut Dice) -> String {
    let mut name = String::new();
    name.push(dice.pick(SURNAMES));
    name.push(dice.pick(GIVEN));
    if dice.below(3) > 0 {
        name.push(dice.pick(GIVEN));
    }
    name
}

/// The demo organizations: provincial ones first, then each city's and each county's.
pub fn organizations(divisions: &[DivisionRecord], taken: &HashSet<String>) -> Vec<OrganizationSeed> {
    let mut dice = Dice(20_260_101);
    let mut names: HashSet<String> = taken.clone();
    let mut rows = Vec::with_capacity(36_000);
    let mut serial = 100_000u64;
    let plan = divisions.iter().map(|d| {
        let count = match d.level.as_str() {
            "province" => PROVINCIAL,
            "city" => PER_CITY,
            _ => PER_COUNTY,
        };
        (d, count)
    });
    for (division, count) in plan {
        let (prefix, level) = prefix_and_level(division, divisions);
        let mut made = 0;
        let mut attempts = 0;
        while made < count && attempts < count * 20 {
            attempts += 1;
            let (field, industry) = FIELDS[dice.below(FIELDS.len())];
            let qualifier = if dice.below(4) == 0 {
                QUALIFIERS[dice.below(QUALIFIERS.len())]
            } else {
                ""
            };
            let (suffix, kind, category, default_category) = FORMS[dice.below(FORMS.len())];
            let name = format!("{prefix}{qualifier}{field}{suffix}");
            if !names.insert(name.clone()) {
                continue;
            }
            made += 1;
            serial += 1;
            let association = default_category == "industry_association";
            let (categories, emerging) = match (association, industry) {
                (true, Some(key)) => ("industry_association".to_owned(), Some(key.to_owned())),
                (true, None) if field.ends_with("行业") || field.ends_with("业") => {
                    ("industry_association".to_owned(), None)
                }
                (true, None) => ("community_service".to_owned(), None),
                (false, _) => (default_category.to_owned(), None),
            };
            let founded = NaiveDate::from_ymd_opt(1995, 1, 1).unwrap_or_default()
                + Duration::days(dice.below(10_900) as i64);
            let funds_yuan = match kind {
                "foundation" => 2_000_000 + dice.below(80) as i64 * 100_000,
                _ => 30_000 + dice.below(200) as i64 * 10_000,
            };
            // Credit listings are not rolled here: they follow from the annual cycle's records
            // (`seed/annual.rs`), revoked organizations included.
            let status = match dice.below(1000) {
                0..=19 => "deregistered",
                20..=29 => "revoked",
                _ => "normal",
            };
            rows.push(OrganizationSeed {
                credit_code: CreditCode::generate(category, &division.code, serial)
                    .as_str()
                    .to_owned(),
                kind: kind.to_owned(),
                level: level.to_owned(),
                division_code: division.code.clone(),
                categories,
                emerging_industry: emerging,
                supervisory_unit: (dice.below(3) == 0)
                    .then(|| format!("{}{}", division.name, "科学技术协会")),
                legal_representative: Some(person(&mut dice)),
                founded_on: Some(founded),
                registered_funds_fen: Some(funds_yuan * 100),
                domicile: Some(format!(
                    "{prefix}{}{}号",
                    STREETS[dice.below(STREETS.len())],
                    1 + dice.below(300)
                )),
                business_scope: Some(format!("{field}领域的交流合作、业务培训、咨询服务、公益活动")),
                contact_phone: Some(format!(
                    "1{}{:09}",
                    3 + dice.below(7),
                    dice.next() % 1_000_000_000
                )),
                status: Some(status.to_owned()),
                name,
            });
        }
    }
    let extra = case_year_foundings(divisions, &rows, &mut dice, &mut names, serial);
    rows.extend(extra);
    rows
}

/// How a division's organizations are named (a county's with its city's name first) and their level.
fn prefix_and_level(division: &DivisionRecord, divisions: &[DivisionRecord]) -> (String, &'static str) {
    let prefix = if division.level == "county" {
        let city = divisions.iter().find(|c| c.code == division.parent_code);
        format!("{}{}", city.map_or("", |c| c.name.as_str()), division.name)
    } else {
        division.name.clone()
    };
    let level = match division.level.as_str() {
        "province" => "provincial",
        "city" => "city",
        _ => "county",
    };
    (prefix, level)
}

/// The industry associations and social service institutions (each from a 营改非 registration,
/// `registry_history.rs`) that cities and counties registered in the case year beyond those `rows` has,
/// up to the case study's figures. Appended after the others, so that no other organization changes.
fn case_year_foundings(
    divisions: &[DivisionRecord],
    rows: &[OrganizationSeed],
    dice: &mut Dice,
    names: &mut HashSet<String>,
    mut serial: u64,
) -> Vec<OrganizationSeed> {
    let founded_in_case_year = |o: &&OrganizationSeed| o.founded_on.is_some_and(|f| f.year() == CASE_YEAR);
    let associations = rows
        .iter()
        .filter(founded_in_case_year)
        .filter(|o| o.categories.split(',').any(|c| c == "industry_association"))
        .count();
    let institutions = rows
        .iter()
        .filter(founded_in_case_year)
        .filter(|o| o.kind == "social_service")
        .count();
    let local: Vec<&DivisionRecord> = divisions.iter().filter(|d| d.level != "province").collect();
    let trades: Vec<(&str, Option<&str>)> = FIELDS
        .iter()
        .copied()
        .filter(|(field, industry)| industry.is_some() || field.ends_with('业'))
        .collect();
    let first = NaiveDate::from_ymd_opt(CASE_YEAR, 1, 1).unwrap_or_default();
    let wanted = [
        (AIM_NEW_ASSOCIATIONS.saturating_sub(associations), true),
        (AIM_CONVERSIONS.saturating_sub(institutions), false),
    ];
    let mut extra = Vec::new();
    for (count, association) in wanted {
        let mut made = 0;
        while made < count {
            let division = local[dice.below(local.len())];
            let (prefix, level) = prefix_and_level(division, divisions);
            let (field, industry, suffix) = if association {
                let (field, industry) = trades[dice.below(trades.len())];
                (field, industry, if dice.below(2) == 0 { "协会" } else { "商会" })
            } else {
                (FIELDS[dice.below(22)].0, None, "服务中心")
            };
            let name = format!("{prefix}{field}{suffix}");
            if !names.insert(name.clone()) {
                continue;
            }
            made += 1;
            serial += 1;
            let (kind, category, categories) = if association {
                (
                    "social_group",
                    CreditCategory::SocialGroup,
                    "industry_association",
                )
            } else {
                (
                    "social_service",
                    CreditCategory::SocialService,
                    "community_service",
                )
            };
            extra.push(OrganizationSeed {
                credit_code: CreditCode::generate(category, &division.code, serial)
                    .as_str()
                    .to_owned(),
                name,
                kind: kind.to_owned(),
                level: level.to_owned(),
                division_code: division.code.clone(),
                categories: categories.to_owned(),
                emerging_industry: industry.map(str::to_owned),
                legal_representative: Some(person(dice)),
                founded_on: Some(first + Duration::days(dice.below(365) as i64)),
                registered_funds_fen: Some((30_000 + dice.below(200) as i64 * 10_000) * 100),
                domicile: Some(format!(
                    "{prefix}{}{}号",
                    STREETS[dice.below(STREETS.len())],
                    1 + dice.below(300)
                )),
                business_scope: Some(format!("{field}领域的交流合作、业务培训、咨询服务、公益活动")),
                contact_phone: Some(format!(
                    "1{}{:09}",
                    3 + dice.below(7),
                    dice.next() % 1_000_000_000
                )),
                status: Some("normal".to_owned()),
                ..Default::default()
            });
        }
    }
    extra
}

/// A few hundred matters in every state, some of them overdue, over the first organizations of `sample`.
pub fn matters(sample: &[(i64, String, String, Option<String>)], policy: &RegistryPolicy) -> Vec<NewMatter> {
    let mut dice = Dice(7);
    let today = today();
    let kinds = [
        MatterKind::Change,
        MatterKind::ReElection,
        MatterKind::Filing,
        MatterKind::Deregistration,
    ];
    sample
        .iter()
        .take(MATTERS)
        .enumerate()
        .map(|(i, (id, name, division, emerging))| {
            let kind = kinds[i % kinds.len()];
            let channel = if emerging.is_some() {
                Channel::Green
            } else {
                Channel::Standard
            };
            let state = match i % 7 {
                0 => MatterState::Submitted,
                1 => MatterState::Returned {
                    missing: vec!["理事会决议".to_owned(), "法定代表人身份证明".to_owned()],
                },
                2 | 3 => MatterState::Accepted,
                4 => MatterState::UnderReview,
                5 => MatterState::Approved,
                _ => MatterState::Rejected {
                    reasons: vec!["申请材料与实际情况不符".to_owned()],
                },
            };
            // Some accepted matters long ago (overdue), some recently (on time or near due).
            let days_ago = if i % 3 == 0 {
                25 + dice.below(20)
            } else {
                dice.below(12)
            } as i64;
            let accepted_on = state.is_timed().then(|| today - Duration::days(days_ago));
            let due_on = accepted_on.map(|a| policy.limits.due_date(a, kind, channel, &policy.calendar));
            let (changes, note) = match kind {
                MatterKind::Change => (
                    json!({ "domicile": format!("{name}新址 {} 号", 1 + dice.below(99)) }),
                    "变更住所".to_owned(),
                ),
                MatterKind::ReElection => (json!({}), "第三届理事会换届选举".to_owned()),
                MatterKind::Filing => (json!({}), "章程核准备案".to_owned()),
                _ => (json!({}), "业务主管单位同意注销".to_owned()),
            };
            NewMatter {
                kind: kind.key(),
                organization_id: Some(*id),
                organization_name: name.clone(),
                division_code: division.clone(),
                state: state.key(),
                state_json: json!(state).to_string(),
                channel: channel.key(),
                payload_json: json!({ "changes": changes }).to_string(),
                note,
                filed_by: None,
                filed_at: Utc::now() - Duration::days(days_ago + 3),
                accepted_on,
                due_on,
                decided_at: state.is_decided().then(|| Utc::now() - Duration::days(days_ago)),
            }
        })
        .collect()
}

/// Loads the demo registry unless it is there already.
pub async fn load(
    store: &Store,
    divisions: &[DivisionRecord],
    taken: &HashSet<String>,
) -> anyhow::Result<()> {
    if store.count_organizations().await? < 30_000 {
        let rows = organizations(divisions, taken);
        store.insert_organizations(&rows).await?;
        tracing::info!(organizations = rows.len(), "demo registry loaded");
    }
    if store.count_matters().await? == 0 {
        let sample = store.organization_sample(MATTERS as i64).await?;
        let system = Actor {
            user_id: None,
            name: "system".to_owned(),
            role: None,
            client_addr: "seed".to_owned(),
        };
        store
            .insert_matters(&matters(&sample, &RegistryPolicy::default()), &system)
            .await?;
    }
    Ok(())
}
