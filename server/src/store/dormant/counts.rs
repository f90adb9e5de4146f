//! 处置统计 — counts of the cases confirmed in a period, by city and stage: identified, remediated (an
//! outcome reached) and still in rectification, always computed from the cases themselves.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use domain::api::{CaseCount, CaseCounts};
use domain::dormant::CaseStage;
use sqlx::QueryBuilder;

use crate::store::{Store, Visibility, on_pool, push_visibility};

fn empty(city_code: &str, city_name: &str) -> CaseCount {
    CaseCount {
        city_code: city_code.to_owned(),
        city_name: city_name.to_owned(),
        identified: 0,
        remediated: 0,
        in_rectification: 0,
        observation: 0,
        deregistered: 0,
        revoked: 0,
    }
}

fn add(count: &mut CaseCount, stage: CaseStage, n: u64) {
    if !stage.is_identified() {
        return;
    }
    count.identified += n;
    if stage.is_remediated() {
        count.remediated += n;
    } else {
        count.in_rectification += n;
    }
    match stage {
        CaseStage::Observation => count.observation += n,
        CaseStage::Deregistered => count.deregistered += n,
        CaseStage::Revoked => count.revoked += n,
        _ => {}
    }
}

/// Per stage and city counts, the cities' names, and the candidates.
type CountRows = (Vec<(String, String, i64)>, Vec<(String, String)>, i64);

impl Store {
    /// The counts of cases `visibility` covers that were confirmed between `from` and `to` (both included,
    /// either open), by city, with the total and the candidates waiting.
    pub async fn case_counts(
        &self,
        visibility: &Visibility,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<CaseCounts, sqlx::Error> {
        let (rows, names, candidates): CountRows = on_pool!(self, pool => {
            let mut query = QueryBuilder::new(
                "SELECT c.city_code, c.stage, COUNT(*) FROM dormant_cases c WHERE c.confirmed_on IS NOT NULL",
            );
            push_visibility!(query, visibility, "c.organization_id", "c.division_code");
            if let Some(from) = from {
                query.push(" AND c.confirmed_on >= ").push_bind(from);
            }
            if let Some(to) = to {
                query.push(" AND c.confirmed_on <= ").push_bind(to);
            }
            query.push(" GROUP BY c.city_code, c.stage");
            let rows = query.build_query_as().fetch_all(pool).await?;
            let names = sqlx::query_as("SELECT code, name FROM divisions WHERE level IN ('province', 'city')")
                .fetch_all(pool).await?;
            let mut waiting = QueryBuilder::new("SELECT COUNT(*) FROM dormant_cases c WHERE c.stage = 'candidate'");
            push_visibility!(waiting, visibility, "c.organization_id", "c.division_code");
            let (candidates,): (i64,) = waiting.build_query_as().fetch_one(pool).await?;
            (rows, names, candidates)
        });
        let names: BTreeMap<String, String> = names.into_iter().collect();
        let mut cities: BTreeMap<String, CaseCount> = BTreeMap::new();
        let mut total = empty("340000", "合计");
        for (city, stage, n) in rows {
            let Some(stage) = CaseStage::parse(&stage) else {
                continue;
            };
            let name = names.get(&city).map_or("", String::as_str);
            add(
                cities.entry(city.clone()).or_insert_with(|| empty(&city, name)),
                stage,
                n as u64,
            );
            add(&mut total, stage, n as u64);
        }
        Ok(CaseCounts {
            from,
            to,
            cities: cities.into_values().collect(),
            total,
            candidates: candidates as u64,
        })
    }
}
