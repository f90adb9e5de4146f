//! The supervision figures, on both backends: records of each module created through the API in this
//! year and the year before (moved there in the database where the API dates by today), with records that
//! must not count beside them; every figure is checked against a count made here, the year before, its
//! records, and a city's dashboard.
//!
//! One file per kind of record: illegal and dormant organizations, provincial decisions and their
//! publication, annual-inspection follow-ups, fee inspections.

mod annual;
mod decisions;
mod enforcement;
mod fees;

use chrono::{Datelike, NaiveDate};
use domain::api::Dashboard;
use domain::dashboard::FigureKey;
use domain::registry::credit_code::{CreditCategory, CreditCode};
use sheguan::store::registry::organizations::OrganizationSeed;
use tests::TestApp;
use tests::dashboard::figure;

use crate::inspection::{World, last_year, today};

fn year() -> i32 {
    today().year()
}

/// A day of last year (the 1st of June).
fn last_year_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(last_year(), 6, 1).unwrap()
}

/// Organizations added to the world: `(name, level, division)`; their ids.
async fn organizations(world: &World, rows: &[(&str, &str, &str)]) -> Vec<i64> {
    let seeds: Vec<OrganizationSeed> = rows
        .iter()
        .enumerate()
        .map(|(i, (name, level, division))| OrganizationSeed {
            credit_code: CreditCode::generate(CreditCategory::SocialGroup, division, 400 + i as u64)
                .as_str()
                .to_owned(),
            name: (*name).to_owned(),
            kind: "social_group".to_owned(),
            level: (*level).to_owned(),
            division_code: (*division).to_owned(),
            categories: "industry_association".to_owned(),
            founded_on: NaiveDate::from_ymd_opt(2012, 5, 1),
            ..Default::default()
        })
        .collect();
    world.app.insert_organizations(&seeds).await
}

async fn sql(world: &World, statement: &str) {
    world.app.db().await.execute(statement).await.unwrap();
}

/// This year's dashboard, of the province or of 合肥.
async fn dashboard(app: &TestApp, city: Option<&str>) -> Dashboard {
    let city = city.map(|c| format!("&city={c}")).unwrap_or_default();
    app.dashboard(&format!("year={}{city}", year())).await.unwrap()
}

/// A count figure is the number of `ids`, its records are exactly they (total equal to the value), and
/// the year before it was `previous`.
async fn check_count(app: &TestApp, dashboard: &Dashboard, key: FigureKey, ids: &[i64], previous: i64) {
    let figure = figure(dashboard, key);
    assert_eq!(figure.value, ids.len() as i64, "{key:?}");
    assert_eq!(figure.previous, previous, "{key:?} the year before");
    let records = app.all_figure_records(figure).await;
    let mut listed: Vec<i64> = records.iter().map(|r| r.id).collect();
    listed.sort_unstable();
    let mut expected = ids.to_vec();
    expected.sort_unstable();
    assert_eq!(listed, expected, "{key:?} records");
    let page = app
        .figure_records(figure.records.as_deref().unwrap())
        .await
        .unwrap();
    assert_eq!(page.total, figure.value as u64, "{key:?} total");
    assert!(records.iter().all(|r| r.link.is_some()), "{key:?} links");
}
