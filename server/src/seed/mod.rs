//! Data the server loads by itself: the reference data (always) and the demo data set (with `--demo`).

pub mod annual;
mod annual_records;
pub mod demo;
pub mod enforcement;
mod enforcement_cases;
pub mod fees;
pub mod pairing;
pub mod party;
mod party_batches;
pub mod publication;
pub mod registry;
pub mod registry_history;

use anyhow::Context;

use crate::store::Store;
use crate::store::reference::{DivisionRecord, VillageRecord};

/// Anhui's divisions and villages, compiled into the binary so that a server needs no data files.
/// Provenance: `data/anhui/README.md`.
const DIVISIONS_CSV: &str = include_str!("../../../data/anhui/divisions.csv");
const VILLAGES_CSV: &str = include_str!("../../../data/anhui/villages.csv");

/// Loads the reference data set unless it is already complete.
pub async fn load_reference_data(store: &Store) -> anyhow::Result<()> {
    let divisions = parse_divisions()?;
    let villages = parse_villages()?;
    let counts = store.reference_counts().await?;
    if counts.villages == villages.len() as u64 && counts.divisions == divisions.len() as u64 {
        return Ok(());
    }
    store.insert_reference_data(&divisions, &villages).await?;
    tracing::info!(
        divisions = divisions.len(),
        villages = villages.len(),
        "reference data loaded"
    );
    Ok(())
}

/// Loads the demo data set (organizations, one account per role, the 百社进百村 round) unless it is there
/// already.
pub async fn load_demo_data(store: &Store) -> anyhow::Result<()> {
    demo::load(store).await?;
    pairing::load(store, &demo::demo_org_credit_code()).await
}

/// The province itself (the registering division of provincial organizations), then its cities and counties.
pub(crate) fn parse_divisions() -> anyhow::Result<Vec<DivisionRecord>> {
    let province = DivisionRecord {
        code: domain::division::PROVINCE_CODE.to_owned(),
        name: "安徽省".to_owned(),
        level: "province".to_owned(),
        parent_code: "000000".to_owned(),
        longitude: 117.283042,
        latitude: 31.86119,
        coord_source: "province".to_owned(),
    };
    let rows: Result<Vec<DivisionRecord>, _> = csv::Reader::from_reader(DIVISIONS_CSV.as_bytes())
        .deserialize()
        .collect();
    Ok(std::iter::once(province)
        .chain(rows.context("divisions.csv")?)
        .collect())
}

fn parse_villages() -> anyhow::Result<Vec<VillageRecord>> {
    let rows = csv::Reader::from_reader(VILLAGES_CSV.as_bytes())
        .deserialize()
        .collect::<Result<_, _>>();
    rows.context("villages.csv")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_reference_data_is_complete() {
        let divisions = parse_divisions().unwrap();
        assert_eq!(divisions.iter().filter(|d| d.level == "city").count(), 16);
        assert_eq!(divisions.iter().filter(|d| d.level == "county").count(), 119);
        let villages = parse_villages().unwrap();
        assert_eq!(villages.len(), 18_334);
        assert_eq!(villages.iter().filter(|v| v.kind == "village").count(), 13_360);
    }
}
