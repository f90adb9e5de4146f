//! The national registry: organizations over every province in proportion to its people (5% registered by
//! the province, 25% by its cities, 70% by its counties; a municipality's by the city and its districts),
//! with real-looking names (`names.rs`), valid credit codes, founding dates that grow year on year,
//! statuses, sealed phones, each one's first timeline line, and the credit listings of a few percent.

use chrono::{Datelike, NaiveDate};
use domain::registry::credit_code::{CreditCategory, CreditCode};
use domain::registry::organization::{CreditList, ListingReason, OrgKind};
use sheguan::crypto::DataKeys;
use sheguan::store::registry::phones::phone_context;
use sqlx::{Connection, PgConnection};

use crate::bulk::{self, Copy};
use crate::names::{self, Naming};
use crate::nation::{PROVINCES, Places};
use crate::random::{Dice, share_out};

/// The last day of the data set: founding dates and ledger entries end here.
pub fn last_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).expect("a valid date")
}

/// What the ledger needs to know of an organization (its id is its position + 1).
pub struct OrgFacts {
    /// Its registering division, a position in `Places::all`.
    pub place: u32,
    pub founded: NaiveDate,
    /// How much it reports, relative to the others.
    pub weight: f32,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    Provincial,
    City,
    County,
}

impl Level {
    fn key(self) -> &'static str {
        match self {
            Level::Provincial => "provincial",
            Level::City => "city",
            Level::County => "county",
        }
    }
}

/// Which divisions register how many organizations, at which level.
fn plan(places: &Places, orgs: usize, dice: &mut Dice) -> Vec<(usize, Level, usize)> {
    let people: Vec<f64> = places.provinces.iter().map(|p| p.province.population).collect();
    let mut plan = Vec::new();
    for (province, n) in places.provinces.iter().zip(share_out(orgs, &people)) {
        let municipality = province.cities.len() == 1 && places.all[province.cities[0].0].name == "市辖区";
        let (own, by_cities) = if municipality { (0.25, 0.0) } else { (0.05, 0.25) };
        let levels = share_out(n, &[own, by_cities, 1.0 - own - by_cities]);
        plan.push((province.own, Level::Provincial, levels[0]));
        let city_weights: Vec<f64> = province
            .cities
            .iter()
            .map(|(_, counties)| counties.len() as f64 + 1.0)
            .collect();
        for ((city, _), n) in province.cities.iter().zip(share_out(levels[1], &city_weights)) {
            plan.push((*city, Level::City, n));
        }
        let counties: Vec<usize> = province
            .cities
            .iter()
            .flat_map(|(_, c)| c.iter().copied())
            .collect();
        let county_weights: Vec<f64> = counties.iter().map(|_| 0.4 + 1.2 * dice.unit()).collect();
        for (county, n) in counties.iter().zip(share_out(levels[2], &county_weights)) {
            plan.push((*county, Level::County, n));
        }
    }
    plan
}

/// The founding date: registrations a year grew by 13% a year from 1988 to their peak in 2017 and have
/// fallen by 7% a year since (the registry's real shape); the day uniform.
fn founded(dice: &mut Dice) -> NaiveDate {
    let years: Vec<f64> = (1988..=2026)
        .map(|y| 1.13_f64.powi(y.min(2017) - 1988) * 0.93_f64.powi((y - 2017).max(0)))
        .collect();
    let year = 1988 + dice.weighted(&years) as i32;
    let first = NaiveDate::from_ymd_opt(year, 1, 1).expect("a valid date");
    let days = if year == last_day().year() {
        last_day().ordinal0()
    } else {
        364
    };
    first + chrono::Days::new(dice.below(days as usize + 1) as u64)
}

fn kind_mix(level: Level) -> [f64; 3] {
    match level {
        Level::Provincial => [0.60, 0.30, 0.10],
        Level::City => [0.45, 0.53, 0.02],
        Level::County => [0.38, 0.615, 0.005],
    }
}

const KINDS: [OrgKind; 3] = [OrgKind::SocialGroup, OrgKind::SocialService, OrgKind::Foundation];

/// The names a division's organizations get: its standard bodies first, then invented ones, each unique in
/// the registry (a name taken twice is drawn again, at last under a town of the place).
fn names_for(
    dice: &mut Dice,
    prefix: &str,
    level: Level,
    count: usize,
    taken: &mut std::collections::HashSet<String>,
) -> Vec<Naming> {
    let share = match level {
        Level::Provincial => 0.95,
        Level::City => 0.85,
        Level::County => 0.7,
    };
    let mut made: Vec<Naming> = names::standard(dice, prefix, share)
        .into_iter()
        .filter(|n| taken.insert(n.name.clone()))
        .take(count)
        .collect();
    while made.len() < count {
        let kind = KINDS[dice.weighted(&kind_mix(level))];
        let mut naming = names::invent(dice, prefix, kind);
        let mut tries = 0;
        while !taken.insert(naming.name.clone()) {
            tries += 1;
            let place = if tries > 20 {
                format!(
                    "{prefix}{}{}镇",
                    dice.char_of("东西南北安宁永新长平清河"),
                    dice.char_of("阳州平安江川山城源")
                )
            } else {
                prefix.to_owned()
            };
            naming = names::invent(dice, &place, kind);
        }
        assert!(
            names::is_valid(&naming),
            "generated an invalid classification: {}",
            naming.name
        );
        made.push(naming);
    }
    made
}

/// The supervisory unit (业务主管单位), where the organization has one (most register directly now).
fn supervisor(naming: &Naming, prefix: &str, dice: &mut Dice) -> Option<String> {
    if naming.name.ends_with("学校") {
        Some(format!("{prefix}教育局"))
    } else if naming.name.ends_with("医院") {
        Some(format!("{prefix}卫生健康委员会"))
    } else if naming.categories == "science" {
        Some(format!("{prefix}科学技术协会"))
    } else if naming.categories == "other" && dice.chance(0.5) {
        Some(format!("{prefix}文学艺术界联合会"))
    } else {
        None
    }
}

/// Generates and stores the organizations, their first timeline lines and their credit listings.
pub async fn generate(
    conn: &mut PgConnection,
    places: &Places,
    seed: u64,
    orgs: usize,
    keys: &DataKeys,
) -> anyhow::Result<Vec<OrgFacts>> {
    let mut dice = Dice::new(seed, "organizations");
    let deferred = bulk::defer(conn, "organizations").await?;
    let mut tx = conn.begin().await?;
    // Emptied in the same transaction, so that COPY may write the rows frozen (no later pass over them).
    sqlx::query("TRUNCATE organizations CASCADE")
        .execute(&mut *tx)
        .await?;
    let mut copy = Copy::start_with(
        &mut tx,
        "organizations (id, credit_code, name, kind, level, division_code, status, created_at, updated_at,
            categories, emerging_industry, supervisory_unit, legal_representative, founded_on,
            registered_funds_fen, domicile, business_scope, seal_ref, phone_key_id, phone_cipher, phone_masked)",
        "(FREEZE)",
    )
    .await?;
    let mut taken = std::collections::HashSet::with_capacity(orgs);
    let mut facts = Vec::with_capacity(orgs);
    for (place, level, count) in plan(places, orgs, &mut dice) {
        let division = &places.all[place];
        for naming in names_for(&mut dice, &division.prefix, level, count, &mut taken) {
            let id = facts.len() as i64 + 1;
            let category = match naming.kind {
                OrgKind::SocialGroup => CreditCategory::SocialGroup,
                OrgKind::SocialService => CreditCategory::SocialService,
                OrgKind::Foundation => CreditCategory::Foundation,
            };
            let code = CreditCode::generate(category, &division.code, 2_000_000 + id as u64);
            let status = match dice.below(1000) {
                0..25 => "deregistered",
                25..35 => "revoked",
                _ => "normal",
            };
            let founded = founded(&mut dice);
            let funds_yuan: u64 = match naming.kind {
                OrgKind::Foundation => 2_000_000 + 100_000 * dice.below(480) as u64,
                OrgKind::SocialService => 30_000 + 10_000 * dice.below(300) as u64,
                OrgKind::SocialGroup => 30_000 + 10_000 * dice.below(48) as u64,
            };
            let scope = match naming.kind {
                OrgKind::SocialGroup => {
                    format!("{}领域的交流合作、业务培训、咨询服务、公益活动", naming.field)
                }
                OrgKind::SocialService => format!("提供{}服务", naming.field),
                OrgKind::Foundation => format!("资助{}公益项目", naming.field),
            };
            let seal_ref = format!("{:016x}{:016x}", dice.next(), dice.next());
            let phone = format!("1{}{:09}", 3 + dice.below(7), dice.next() % 1_000_000_000);
            let sealed = keys.seal(&phone, phone_context(&seal_ref));
            let created = format!("{founded} 09:30:00+08");
            let supervisory = supervisor(&naming, &division.prefix, &mut dice);
            let representative = names::person(&mut dice);
            let domicile = names::domicile(&mut dice, &division.prefix);
            copy.row(|r| {
                r.plain(id)
                    .text(code.as_str())
                    .text(&naming.name)
                    .text(naming.kind.key())
                    .text(level.key())
                    .text(&division.code)
                    .text(status)
                    .text(&created)
                    .text(&created)
                    .text(&naming.categories)
                    .opt(naming.emerging_industry)
                    .opt(supervisory.as_deref())
                    .text(&representative)
                    .plain(founded)
                    .plain(funds_yuan * 100)
                    .text(&domicile)
                    .text(&scope)
                    .text(&seal_ref)
                    .text(&sealed.key_id)
                    .text(&sealed.ciphertext)
                    .text(&domain::privacy::mask_phone(&phone));
            })
            .await?;
            let weight = (1.1 * dice.normal()).exp()
                * match status {
                    "normal" => 1.0,
                    _ => 0.3,
                }
                * match naming.kind {
                    OrgKind::Foundation => 3.0,
                    OrgKind::SocialService => 0.8,
                    OrgKind::SocialGroup => 1.0,
                }
                * match level {
                    Level::Provincial => 2.0,
                    Level::City => 1.3,
                    Level::County => 1.0,
                };
            facts.push(OrgFacts {
                place: place as u32,
                founded,
                weight: weight as f32,
            });
        }
    }
    copy.finish().await?;
    tx.commit().await?;
    sqlx::query(
        "SELECT setval(pg_get_serial_sequence('organizations', 'id'), (SELECT MAX(id) FROM organizations))",
    )
    .execute(&mut *conn)
    .await?;
    deferred.restore(conn).await?;
    sqlx::query(
        "INSERT INTO organization_events (organization_id, matter_id, at, kind, summary, actor_name)
         SELECT id, NULL, created_at, 'registered', '登记在册（存量数据导入）', 'system' FROM organizations
         ORDER BY id",
    )
    .execute(&mut *conn)
    .await?;
    let listings = credit_listings(conn, &facts, seed).await?;
    println!(
        "    {} organizations, {listings} credit listings ({} provinces)",
        facts.len(),
        PROVINCES.len()
    );
    Ok(facts)
}

/// The credit listings: every revoked organization on the serious list, a few percent of the others on the
/// abnormal list (some already removed) or the serious list, with their events and timeline lines.
async fn credit_listings(conn: &mut PgConnection, facts: &[OrgFacts], seed: u64) -> anyhow::Result<u64> {
    let mut dice = Dice::new(seed, "credit listings");
    let statuses: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, status, division_code FROM organizations ORDER BY id")
            .fetch_all(&mut *conn)
            .await?;
    let abnormal = [
        (ListingReason::OtherAbnormal, 2.0),
        (ListingReason::Unreachable, 1.0),
        (ListingReason::NoPartyOrganization, 1.0),
    ];
    let serious = [
        (ListingReason::LargeFine, 1.0),
        (ListingReason::DishonestDebtor, 1.0),
        (ListingReason::OtherSerious, 1.0),
    ];
    let first = NaiveDate::from_ymd_opt(2022, 1, 1).expect("a valid date");
    let span = (last_day() - first).num_days() as usize;
    let mut copy = Copy::start(
        conn,
        "credit_listings (id, organization_id, division_code, list, reason, event_kind, event_summary,
            decided_on, period_start, decided_by, ended_on, end_kind, created_at, updated_at)",
    )
    .await?;
    let mut id = 0_i64;
    for (organization, status, division) in &statuses {
        let roll = dice.unit();
        let (reason, ended) = match status.as_str() {
            "revoked" => (ListingReason::RegistrationRevoked, false),
            "normal" if roll < 0.025 => (reason_of(&mut dice, &abnormal), false),
            "normal" if roll < 0.028 => (reason_of(&mut dice, &serious), false),
            "normal" if roll < 0.043 => (reason_of(&mut dice, &abnormal), true),
            _ => continue,
        };
        id += 1;
        let founded = facts[*organization as usize - 1].founded;
        let decided = (first + chrono::Days::new(dice.below(span) as u64)).max(founded);
        let ended_on = ended.then(|| decided + chrono::Days::new(90 + dice.below(300) as u64));
        let ended_on = ended_on.filter(|d| *d <= last_day());
        let summary = format!("{}（登记管理机关决定）", reason.label_zh());
        let at = format!("{decided} 10:00:00+08");
        copy.row(|r| {
            r.plain(id)
                .plain(organization)
                .text(division)
                .text(reason.list().key())
                .text(reason.key())
                .text("staff_decision")
                .text(&summary)
                .plain(decided)
                .plain(decided)
                .text("登记管理机关")
                .opt_plain(ended_on)
                .opt(ended_on.map(|_| "removed"))
                .text(&at)
                .text(&at);
        })
        .await?;
    }
    let listings = copy.finish().await?;
    sqlx::query("SELECT setval(pg_get_serial_sequence('credit_listings', 'id'), GREATEST($1, 1))")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let labels: Vec<String> = CreditList::ALL
        .iter()
        .map(|l| format!("WHEN '{}' THEN '{}'", l.key(), l.label_zh()))
        .collect();
    let reasons: Vec<String> = ListingReason::ALL
        .iter()
        .map(|r| format!("WHEN '{}' THEN '{}'", r.key(), r.label_zh()))
        .collect();
    sqlx::query(
        "INSERT INTO credit_listing_events (listing_id, reason, event_kind, event_id, on_date, summary)
         SELECT id, reason, event_kind, NULL, decided_on, event_summary FROM credit_listings ORDER BY id",
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query(&format!(
        "INSERT INTO organization_events (organization_id, matter_id, at, kind, summary, actor_name)
         SELECT organization_id, NULL, created_at, 'credit_listing',
                '列入' || CASE list {} END || '：' || CASE reason {} END, '登记管理机关'
         FROM credit_listings ORDER BY id",
        labels.join(" "),
        reasons.join(" ")
    ))
    .execute(&mut *conn)
    .await?;
    Ok(listings)
}

fn reason_of(dice: &mut Dice, reasons: &[(ListingReason, f64)]) -> ListingReason {
    let weights: Vec<f64> = reasons.iter().map(|(_, w)| *w).collect();
    reasons[dice.weighted(&weights)].0
}
