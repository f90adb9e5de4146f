//! Divisions and villages: loading the reference data set and reading the division tree.

use domain::api::{CityNode, CountyNode, DivisionTree};
use domain::division::PROVINCE_CODE;
use sqlx::QueryBuilder;

use super::{Store, on_pool};

/// One row of `divisions.csv`.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, sqlx::FromRow)]
pub struct DivisionRecord {
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent_code: String,
    pub longitude: f64,
    pub latitude: f64,
    pub coord_source: String,
}

/// One row of `villages.csv`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct VillageRecord {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub township_code: String,
    pub township_name: String,
    pub county_code: String,
    pub city_code: String,
}

/// How many reference rows are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReferenceCounts {
    pub cities: u64,
    pub counties: u64,
    pub villages: u64,
}

/// Rows per multi-row INSERT: well under SQLite's limit of 32,766 bound parameters.
const INSERT_CHUNK: usize = 500;

impl Store {
    pub async fn reference_counts(&self) -> Result<ReferenceCounts, sqlx::Error> {
        let (cities, counties, villages): (i64, i64, i64) = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM divisions WHERE level = 'city'),
                        (SELECT COUNT(*) FROM divisions WHERE level = 'county'),
                        (SELECT COUNT(*) FROM villages)",
            )
            .fetch_one(pool)
            .await?
        });
        Ok(ReferenceCounts {
            cities: cities as u64,
            counties: counties as u64,
            villages: villages as u64,
        })
    }

    /// Stores the reference data set in one transaction. Rows already present are left alone, so several
    /// servers starting together on one database load it once.
    pub async fn insert_reference_data(
        &self,
        divisions: &[DivisionRecord],
        villages: &[VillageRecord],
    ) -> Result<(), sqlx::Error> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for chunk in divisions.chunks(INSERT_CHUNK) {
                let mut insert = QueryBuilder::new(
                    "INSERT INTO divisions (code, name, level, parent_code, longitude, latitude, coord_source) ",
                );
                insert.push_values(chunk, |mut row, d| {
                    row.push_bind(&d.code)
                        .push_bind(&d.name)
                        .push_bind(&d.level)
                        .push_bind(&d.parent_code)
                        .push_bind(d.longitude)
                        .push_bind(d.latitude)
                        .push_bind(&d.coord_source);
                });
                insert.push(" ON CONFLICT (code) DO NOTHING");
                insert.build().execute(&mut *tx).await?;
            }
            for chunk in villages.chunks(INSERT_CHUNK) {
                let mut insert = QueryBuilder::new(
                    "INSERT INTO villages (code, name, kind, township_code, township_name, county_code, city_code) ",
                );
                insert.push_values(chunk, |mut row, v| {
                    row.push_bind(&v.code)
                        .push_bind(&v.name)
                        .push_bind(&v.kind)
                        .push_bind(&v.township_code)
                        .push_bind(&v.township_name)
                        .push_bind(&v.county_code)
                        .push_bind(&v.city_code);
                });
                insert.push(" ON CONFLICT (code) DO NOTHING");
                insert.build().execute(&mut *tx).await?;
            }
            tx.commit().await
        })
    }

    /// Every division, cities and counties alike, in code order.
    pub async fn list_divisions(&self) -> Result<Vec<DivisionRecord>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT code, name, level, parent_code, longitude, latitude, coord_source
                 FROM divisions ORDER BY code",
            )
            .fetch_all(pool)
            .await
        })
    }

    /// The province's city → county tree.
    pub async fn division_tree(&self) -> Result<DivisionTree, sqlx::Error> {
        let rows = self.list_divisions().await?;
        let mut cities: Vec<CityNode> = rows
            .iter()
            .filter(|d| d.level == "city")
            .map(|d| CityNode {
                code: d.code.clone(),
                name: d.name.clone(),
                longitude: d.longitude,
                latitude: d.latitude,
                counties: Vec::new(),
            })
            .collect();
        for d in rows.into_iter().filter(|d| d.level == "county") {
            if let Some(city) = cities.iter_mut().find(|c| c.code == d.parent_code) {
                city.counties.push(CountyNode {
                    code: d.code,
                    name: d.name,
                    longitude: d.longitude,
                    latitude: d.latitude,
                    coord_source: d.coord_source,
                });
            }
        }
        Ok(DivisionTree {
            province_code: PROVINCE_CODE.to_owned(),
            cities,
        })
    }
}
