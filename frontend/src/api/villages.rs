//! 村（居）委会 — divisions and villages (public).

use domain::api::{Agreement, DivisionTree, Page, Village, VillageQuery};

use super::{Result, get};
use crate::routes::with_query;

/// `GET /api/v1/divisions`
pub async fn list_divisions() -> Result<DivisionTree> {
    get("/api/v1/divisions").await
}

/// `GET /api/v1/villages`
pub async fn list_villages(query: &VillageQuery) -> Result<Page<Village>> {
    get(&with_query("/api/v1/villages", query)).await
}

/// `GET /api/v1/villages/{code}/societies`
pub async fn list_village_societies(code: &str) -> Result<Vec<Agreement>> {
    get(&format!("/api/v1/villages/{code}/societies")).await
}

/// `GET /api/v1/villages/{code}`
pub async fn find_village(code: &str) -> Result<Village> {
    get(&format!("/api/v1/villages/{code}")).await
}
