//! The demo registry's decided matters of the case year and the year before, over the generated
//! organizations, so that the dashboard's registration figures count rows a user can open:
//!
//! - every provincial organization founded in the year has its establishment approved on its founding day;
//! - provincial organizations now deregistered had their deregistration approved in a year rolled for each;
//! - changes, board re-elections and filings of provincial organizations in normal standing make up the
//!   rest of the provincial authority's year (a few of them refused), on top of the matters the other
//!   generators decided (the licensing decisions of `publication.rs`) — so it runs after them;
//! - every social service institution founded in the year, at any level, came from a 营改非 registration
//!   approved on its founding day (there are fewer of them than the case study's figure; the registry's
//!   generator, which other figures depend on, is left as it is).
//!
//! The generator decides only what was decided when; the figures are counted by the application (the
//! dashboard's own count says how many are still to make). It aims at the case study's 2021.
//! Deterministic; a year already complete is left alone, so a restart inserts nothing.

use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc};
use domain::dashboard::FigureKey;
use domain::registry::matter::{Channel, MatterKind, MatterState};
use serde_json::json;

use super::party::{day, roll};
use crate::state::RegistryPolicy;
use crate::store::dashboard::Period;
use crate::store::inspection::SeedOrganization;
use crate::store::registry::matters::NewMatter;
use crate::store::{Actor, Store};

/// The case study's year, and the provincial matters it decided (办结省级登记事项).
const CASE_YEAR: i32 = 2021;
const AIM_PROVINCIAL: usize = 971;
/// The year before, as a share of the case year (per mille).
const PREVIOUS_PER_MILLE: usize = 920;
/// Of the changes, re-elections and filings: changes and re-elections (per mille), the rest filings.
const CHANGES_PER_MILLE: u64 = 380;
const RE_ELECTIONS_PER_MILLE: u64 = 270;
/// Refused among them (per mille).
const REFUSED_PER_MILLE: u64 = 30;
/// Deregistrations are spread over this many years up to the case year.
const DEREGISTRATION_YEARS: u64 = 10;

/// Loads the decided matters of the case year and the year before, unless the year has its count.
pub async fn load(store: &Store) -> anyhow::Result<()> {
    let organizations = store.seed_organizations().await?;
    let policy = RegistryPolicy::default();
    let mut matters = Vec::new();
    for (year, per_mille) in [(CASE_YEAR - 1, PREVIOUS_PER_MILLE), (CASE_YEAR, 1000)] {
        let aim = AIM_PROVINCIAL * per_mille / 1000;
        let period = Period::new(year, "").expect("a year of the demo");
        let decided = store
            .figure(FigureKey::ProvincialMattersCompleted, &period)
            .await?
            .value;
        let missing = aim.saturating_sub(usize::try_from(decided).unwrap_or(0));
        if missing == 0 {
            continue;
        }
        matters.extend(provincial(&organizations, year, missing, &policy));
        matters.extend(conversions(&organizations, year, &policy));
    }
    if matters.is_empty() {
        return Ok(());
    }
    let system = Actor {
        user_id: None,
        name: "system".to_owned(),
        role: None,
        client_addr: "seed".to_owned(),
    };
    store.insert_matters(&matters, &system).await?;
    tracing::info!(matters = matters.len(), "demo registration history loaded");
    Ok(())
}

fn founded_in(org: &SeedOrganization, year: i32) -> bool {
    org.founded_on.is_some_and(|f| f.year() == year)
}

/// `aim` more matters the provincial authority decided in `year`.
fn provincial(
    organizations: &[SeedOrganization],
    year: i32,
    aim: usize,
    policy: &RegistryPolicy,
) -> Vec<NewMatter> {
    let provincial: Vec<&SeedOrganization> =
        organizations.iter().filter(|o| o.level == "provincial").collect();
    let mut matters: Vec<NewMatter> = provincial
        .iter()
        .filter(|o| founded_in(o, year))
        .filter_map(|o| Some(decided(o, MatterKind::Establishment, true, o.founded_on?, policy)))
        .collect();
    let first_year = i64::from(CASE_YEAR) - DEREGISTRATION_YEARS as i64 + 1;
    matters.extend(
        provincial
            .iter()
            .filter(|o| o.status == "deregistered" && o.founded_on.is_some_and(|f| f.year() < year))
            .filter(|o| first_year + (roll(o.id, 11) % DEREGISTRATION_YEARS) as i64 == i64::from(year))
            .map(|o| {
                decided(
                    o,
                    MatterKind::Deregistration,
                    true,
                    day_in(year, roll(o.id, 12)),
                    policy,
                )
            }),
    );
    let standing: Vec<&&SeedOrganization> = provincial
        .iter()
        .filter(|o| o.status == "normal" && o.founded_on.is_some_and(|f| f.year() < year))
        .collect();
    if standing.is_empty() {
        return matters;
    }
    let salt = year as u64 * 1_000;
    for n in 0..aim.saturating_sub(matters.len()) as i64 {
        let org = standing[(roll(n, salt) % standing.len() as u64) as usize];
        let kind = match roll(n, salt + 1) % 1000 {
            r if r < CHANGES_PER_MILLE => MatterKind::Change,
            r if r < CHANGES_PER_MILLE + RE_ELECTIONS_PER_MILLE => MatterKind::ReElection,
            _ => MatterKind::Filing,
        };
        let approved = roll(n, salt + 2) % 1000 >= REFUSED_PER_MILLE;
        matters.push(decided(
            org,
            kind,
            approved,
            day_in(year, roll(n, salt + 3)),
            policy,
        ));
    }
    matters
}

/// The 营改非 registrations of the year: the social service institutions founded in it.
fn conversions(organizations: &[SeedOrganization], year: i32, policy: &RegistryPolicy) -> Vec<NewMatter> {
    organizations
        .iter()
        .filter(|o| o.kind == "social_service" && founded_in(o, year))
        .filter_map(|o| {
            Some(decided(
                o,
                MatterKind::ForProfitConversion,
                true,
                o.founded_on?,
                policy,
            ))
        })
        .collect()
}

/// A day of `year` picked by `r`.
fn day_in(year: i32, r: u64) -> NaiveDate {
    let first = day(year, 1, 1);
    let days = (day(year + 1, 1, 1) - first).num_days() as u64;
    first + Days::new(r % days)
}

/// 10:00 in China on `on`.
fn morning(on: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&on.and_hms_opt(2, 0, 0).unwrap_or_default())
}

/// A matter of `org` approved (or refused) on `on`, accepted a fortnight before.
fn decided(
    org: &SeedOrganization,
    kind: MatterKind,
    approved: bool,
    on: NaiveDate,
    policy: &RegistryPolicy,
) -> NewMatter {
    let state = if approved {
        MatterState::Approved
    } else {
        MatterState::Rejected {
            reasons: vec!["申请材料与实际情况不符".to_owned()],
        }
    };
    let accepted_on = on - Days::new(14);
    let (changes, note) = match kind {
        MatterKind::Change => (json!({ "domicile": format!("{}新址", org.name) }), "变更住所"),
        MatterKind::ReElection => (json!({}), "理事会换届选举"),
        MatterKind::Filing => (json!({}), "章程核准备案"),
        MatterKind::Deregistration => (json!({}), "业务主管单位同意注销"),
        MatterKind::Establishment => (json!({ "name": org.name }), "成立登记"),
        MatterKind::ForProfitConversion => (json!({ "name": org.name }), "营利性机构转为民办非企业单位"),
    };
    NewMatter {
        kind: kind.key(),
        organization_id: Some(org.id),
        organization_name: org.name.clone(),
        division_code: org.division_code.clone(),
        state: state.key(),
        state_json: json!(state).to_string(),
        channel: Channel::Standard.key(),
        payload_json: json!({ "changes": changes }).to_string(),
        note: note.to_owned(),
        filed_by: None,
        filed_at: morning(accepted_on - Days::new(3)),
        accepted_on: Some(accepted_on),
        due_on: Some(
            policy
                .limits
                .due_date(accepted_on, kind, Channel::Standard, &policy.calendar),
        ),
        decided_at: Some(morning(on)),
    }
}
