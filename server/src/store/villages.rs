//! Villages: the paged, filtered, searchable list.

use domain::api::Village;
use domain::division::DivisionCode;
use domain::paging::PageRequest;
use domain::villages::VillageKind;

use super::{Store, like_pattern, on_pool};

/// A validated village filter; every part is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VillageFilter {
    pub city: Option<DivisionCode>,
    pub county: Option<DivisionCode>,
    pub kind: Option<VillageKind>,
    /// A part of the name.
    pub name: Option<String>,
}

#[derive(Debug, sqlx::FromRow)]
struct VillageRow {
    code: String,
    name: String,
    kind: String,
    township_code: String,
    township_name: String,
    county_code: String,
    county_name: String,
    city_code: String,
    city_name: String,
}

impl From<VillageRow> for Village {
    fn from(row: VillageRow) -> Self {
        Village {
            code: row.code,
            name: row.name,
            // The column has a CHECK constraint on exactly these values.
            kind: VillageKind::parse(&row.kind).unwrap_or(VillageKind::Other),
            township_code: row.township_code,
            township_name: row.township_name,
            county_code: row.county_code,
            county_name: row.county_name,
            city_code: row.city_code,
            city_name: row.city_name,
        }
    }
}

const VILLAGE_FILTER: &str = "WHERE ($1 IS NULL OR v.city_code = $1)
      AND ($2 IS NULL OR v.county_code = $2)
      AND ($3 IS NULL OR v.kind = $3)
      AND ($4 IS NULL OR v.name LIKE $4 ESCAPE '\\')";

const SELECT_VILLAGE: &str = "SELECT v.code, v.name, v.kind, v.township_code, v.township_name,
        v.county_code, c.name AS county_name, v.city_code, p.name AS city_name
    FROM villages v
    JOIN divisions c ON c.code = v.county_code
    JOIN divisions p ON p.code = v.city_code";

impl Store {
    /// One village (or community) by its 12-digit code.
    pub async fn find_village(&self, code: &str) -> Result<Option<Village>, sqlx::Error> {
        let sql = format!("{SELECT_VILLAGE} WHERE v.code = $1");
        let row: Option<VillageRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(code).fetch_optional(pool).await?);
        Ok(row.map(Village::from))
    }

    /// One page of the villages that match `filter`, in code order, and how many match in all.
    pub async fn list_villages(
        &self,
        filter: &VillageFilter,
        page: PageRequest,
    ) -> Result<(Vec<Village>, u64), sqlx::Error> {
        let city = filter.city.as_ref().map(DivisionCode::as_str);
        let county = filter.county.as_ref().map(DivisionCode::as_str);
        let kind = filter.kind.map(VillageKind::key);
        let name = filter.name.as_deref().map(like_pattern);
        let list_sql = format!("{SELECT_VILLAGE} {VILLAGE_FILTER} ORDER BY v.code LIMIT $5 OFFSET $6");
        let count_sql = format!("SELECT COUNT(*) FROM villages v {VILLAGE_FILTER}");
        on_pool!(self, pool => {
            let rows: Vec<VillageRow> = sqlx::query_as(&list_sql)
                .bind(city)
                .bind(county)
                .bind(kind)
                .bind(name.as_deref())
                .bind(page.limit())
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            let (total,): (i64,) = sqlx::query_as(&count_sql)
                .bind(city)
                .bind(county)
                .bind(kind)
                .bind(name.as_deref())
                .fetch_one(pool)
                .await?;
            Ok((rows.into_iter().map(Village::from).collect(), total as u64))
        })
    }
}
