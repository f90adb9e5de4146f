//! The demo 百社进百村 round: "2026年百社进百村" over five counties, a few dozen societies joined (the demo
//! organization user's 安徽省乡村振兴促进会 among them) and the needs of a few hundred villages, about one in
//! ten a priority village. Loaded after the demo organizations and accounts; skipped once the round exists.

use domain::api::RoundRules;
use domain::pairing::round::PriorityClass;
use domain::pairing::{Need, Weights};
use domain::registry::credit_code::{CreditCategory, CreditCode};

use crate::store::pairing::{Membership, NewRound, RoundVillageFilter};
use crate::store::registry::organizations::OrganizationSeed;
use crate::store::{Actor, AuditEntry, Store, Visibility};

pub const ROUND_NAME: &str = "2026年百社进百村";

/// 长丰县, 金寨县, 岳西县, 临泉县, 萧县 (肥东县 has only village committees classed as communities).
const COUNTIES: [&str; 5] = ["340121", "341524", "340828", "341221", "341322"];
/// Villages with needs recorded per county.
const VILLAGES_PER_COUNTY: i64 = 60;

/// (city code, city name) where the extra demo societies are registered.
const CITIES: [(&str, &str); 8] = [
    ("340100", "合肥市"),
    ("340200", "芜湖市"),
    ("340300", "蚌埠市"),
    ("340800", "安庆市"),
    ("341200", "阜阳市"),
    ("341300", "宿州市"),
    ("341500", "六安市"),
    ("341800", "宣城市"),
];
const THEMES: [&str; 4] = [
    "乡村教育促进会",
    "农业产业发展协会",
    "医疗卫生志愿者协会",
    "乡村养老互助协会",
];
/// A society's home county, one per city above.
const HOME_COUNTIES: [&str; 8] = [
    "340122", "340207", "340321", "340828", "341221", "341322", "341524", "341881",
];

/// A deterministic number from a text, for demo values that look varied but never change.
fn spread(text: &str, salt: u64) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325_u64 ^ salt, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn weights(key: &str, strong: usize) -> Weights {
    Need::ALL
        .iter()
        .enumerate()
        .filter_map(|(i, &need)| {
            let base = (spread(key, i as u64) % 4) as i64;
            let weight = if i % 4 == strong % 4 || i == strong {
                base + 6
            } else {
                base
            };
            (weight > 0).then_some((need, weight.min(10)))
        })
        .collect()
}

pub async fn load(store: &Store, demo_org_credit_code: &str) -> anyhow::Result<()> {
    if store.find_round_by_name(ROUND_NAME).await?.is_some() {
        return Ok(());
    }
    let system = Actor {
        user_id: None,
        name: "system".to_owned(),
        role: None,
        client_addr: "seed".to_owned(),
    };
    let entry = |entity_type: &'static str, entity_id: String, action: &'static str| AuditEntry {
        actor: &system,
        entity_type,
        entity_id,
        action,
        before: None,
        after: None,
        reason: Some("演示数据".to_owned()),
    };
    let new = NewRound {
        name: ROUND_NAME.to_owned(),
        counties: COUNTIES.iter().map(|c| (*c).to_owned()).collect(),
        rules: RoundRules::default(),
        created_by: "省局管理员（演示）".to_owned(),
    };
    let round_id = store
        .open_round(&new, |id| entry("pairing_round", id.to_string(), "open"))
        .await?;

    let mut societies: Vec<(String, String)> = vec![(demo_org_credit_code.to_owned(), "340122".to_owned())];
    let mut seeds = Vec::new();
    for (c, (city, city_name)) in CITIES.iter().enumerate() {
        for (t, theme) in THEMES.iter().enumerate() {
            let serial = 20_000 + (c * THEMES.len() + t) as u64;
            let code = CreditCode::generate(CreditCategory::SocialGroup, city, serial)
                .as_str()
                .to_owned();
            seeds.push(OrganizationSeed {
                credit_code: code.clone(),
                name: format!("{city_name}{theme}"),
                kind: "social_group".to_owned(),
                level: "city".to_owned(),
                division_code: (*city).to_owned(),
                categories: "charity".to_owned(),
                founded_on: chrono::NaiveDate::from_ymd_opt(2016 + (c % 8) as i32, 1 + (t % 12) as u32, 8),
                domicile: Some(format!("{city_name}人民路{}号", 10 + t)),
                business_scope: Some("乡村振兴帮扶、公益服务、社会组织交流合作".to_owned()),
                ..Default::default()
            });
            societies.push((code, HOME_COUNTIES[c].to_owned()));
        }
    }
    store.insert_organizations(&seeds).await?;
    for (i, (credit_code, home_county)) in societies.iter().enumerate() {
        let Some(organization_id) = store.organization_id_by_credit_code(credit_code).await? else {
            continue;
        };
        let membership = Membership {
            capabilities: weights(credit_code, i),
            capacity: 3 + (spread(credit_code, 99) % 6) as i64,
            home_county: home_county.clone(),
            funds_fen: 10_000_000 * (1 + (spread(credit_code, 7) % 20) as i64),
        };
        let audit = entry("pairing_society", format!("{round_id}/{organization_id}"), "join");
        store
            .join_round(round_id, organization_id, &membership, &audit)
            .await?;
    }

    for county in COUNTIES {
        let filter = RoundVillageFilter {
            county: Some(county.to_owned()),
            ..Default::default()
        };
        let (villages, _) = store
            .round_villages(round_id, &filter, &Visibility::All, VILLAGES_PER_COUNTY, 0)
            .await?;
        for village in villages {
            let roll = spread(&village.code, 3);
            let priority = match roll % 30 {
                0 => Some(PriorityClass::FormerlyPoor),
                1 => Some(PriorityClass::WeakCollective),
                2 if county == "341524" || county == "341221" => Some(PriorityClass::KeyCounty),
                _ => None,
            };
            let needs = weights(&village.code, (roll % 8) as usize);
            let audit = entry(
                "pairing_village_needs",
                format!("{round_id}/{}", village.code),
                "record",
            );
            store
                .record_village_needs(round_id, &village.code, &needs, priority, &audit)
                .await?;
        }
    }
    tracing::info!(
        round = ROUND_NAME,
        societies = societies.len(),
        "demo pairing round loaded"
    );
    Ok(())
}
