//! The registry's search index: the fields that the registry filters, searches and sorts on, for every
//! organization, held in memory in each sort order. A search or filtered listing over the ~35,000
//! organizations of a province, with its total, is then one pass over a few megabytes instead of a table
//! scan per request and another for the count (`cargo xtask bench registry`).
//!
//! The database stays the truth. Triggers bump `registry_generation` in the same transaction as every
//! insert, update or delete on `organizations` (migration 0009); each read asks for the generation (one
//! primary-key read) and rebuilds the index when it differs from the one the index was built at. So a
//! change is seen by the very next request, on this server and on every other server on the database.

use std::sync::{Arc, RwLock};

use chrono::NaiveDate;
use domain::credit_code::CreditCode;

use super::registry::{OrgFilter, OrgScope, OrgSort};
use super::{Store, on_pool};

/// The index, shared by every clone of a [`Store`].
#[derive(Debug, Default)]
pub(crate) struct RegistryIndex {
    snapshot: RwLock<Arc<Snapshot>>,
    /// One rebuild at a time; the others wait for it and use its result.
    rebuilding: tokio::sync::Mutex<()>,
}

/// The organizations as of one generation.
#[derive(Debug, Default)]
struct Snapshot {
    /// `None` until first built.
    generation: Option<i64>,
    entries: Vec<Entry>,
    /// Positions in `entries` by (name, id), (founding date, id) and (credit code, id).
    by_name: Vec<u32>,
    by_founded: Vec<u32>,
    by_code: Vec<u32>,
}

/// One organization's searchable fields, as stored (the enums' keys).
#[derive(Debug, sqlx::FromRow)]
struct Entry {
    id: i64,
    name: String,
    credit_code: String,
    kind: String,
    level: String,
    status: String,
    division_code: String,
    /// Comma-separated category keys.
    categories: String,
    emerging_industry: Option<String>,
    credit_list: Option<String>,
    founded_on: Option<NaiveDate>,
}

/// What `q` asks for.
enum Search {
    Any,
    /// A whole, valid credit code: that organization only.
    CreditCode(String),
    /// A part of the name (ASCII letters in any case) or of the credit code.
    Text {
        name: String,
        code: String,
    },
}

impl Search {
    fn new(q: Option<&str>) -> Self {
        match q {
            None => Search::Any,
            Some(q) => match CreditCode::parse(q) {
                Ok(code) => Search::CreditCode(code.as_str().to_owned()),
                Err(_) => Search::Text {
                    name: q.to_ascii_lowercase(),
                    code: q.to_uppercase(),
                },
            },
        }
    }

    fn matches(&self, e: &Entry) -> bool {
        match self {
            Search::Any => true,
            Search::CreditCode(code) => e.credit_code == *code,
            Search::Text { name, code } => {
                contains_ascii_folded(&e.name, name) || e.credit_code.contains(code.as_str())
            }
        }
    }
}

/// Whether `haystack` contains `needle` (already lower-case), ASCII letters compared in any case, as
/// SQLite's `LIKE` does.
fn contains_ascii_folded(haystack: &str, needle: &str) -> bool {
    if haystack.bytes().any(|b| b.is_ascii_uppercase()) {
        haystack.to_ascii_lowercase().contains(needle)
    } else {
        haystack.contains(needle)
    }
}

/// A division condition: `3401%` (a prefix: the city and its counties) or `340104` (exactly).
fn in_division(code: &str, pattern: &str) -> bool {
    match pattern.strip_suffix('%') {
        Some(prefix) => code.starts_with(prefix),
        None => code == pattern,
    }
}

fn matches(e: &Entry, scope: &OrgScope, filter: &OrgFilter, search: &Search) -> bool {
    scope
        .division_pattern
        .as_deref()
        .is_none_or(|p| in_division(&e.division_code, p))
        && scope.organization_id.is_none_or(|id| e.id == id)
        && filter.kind.is_none_or(|k| e.kind == k.key())
        && filter
            .category
            .is_none_or(|c| e.categories.split(',').any(|key| key == c.key()))
        && filter
            .emerging_industry
            .is_none_or(|i| e.emerging_industry.as_deref() == Some(i.key()))
        && filter.level.is_none_or(|l| e.level == l.key())
        && filter
            .division_pattern
            .as_deref()
            .is_none_or(|p| in_division(&e.division_code, p))
        && filter.status.is_none_or(|s| e.status == s.key())
        && match filter.credit_list.as_deref() {
            None => true,
            Some("none") => e.credit_list.is_none(),
            Some(list) => e.credit_list.as_deref() == Some(list),
        }
        && search.matches(e)
}

impl Snapshot {
    fn build(generation: i64, entries: Vec<Entry>) -> Self {
        let positions = || (0..entries.len() as u32).collect::<Vec<_>>();
        let at = |i: &u32| &entries[*i as usize];
        let mut by_name = positions();
        by_name.sort_unstable_by(|a, b| (&at(a).name, at(a).id).cmp(&(&at(b).name, at(b).id)));
        let mut by_founded = positions();
        by_founded.sort_unstable_by_key(|i| (at(i).founded_on, at(i).id));
        let mut by_code = positions();
        by_code.sort_unstable_by(|a, b| (&at(a).credit_code, at(a).id).cmp(&(&at(b).credit_code, at(b).id)));
        Snapshot {
            generation: Some(generation),
            entries,
            by_name,
            by_founded,
            by_code,
        }
    }

    fn order(&self, sort: OrgSort) -> &[u32] {
        match sort {
            OrgSort::Name => &self.by_name,
            OrgSort::FoundedOn => &self.by_founded,
            OrgSort::CreditCode => &self.by_code,
        }
    }

    /// The ids of the matching organizations in order, `limit` from `offset`, and how many match in all.
    fn select(
        &self,
        scope: &OrgScope,
        filter: &OrgFilter,
        sort: OrgSort,
        descending: bool,
        offset: usize,
        limit: usize,
    ) -> (Vec<i64>, u64) {
        let search = Search::new(filter.q.as_deref());
        let order = self.order(sort);
        let walk: Box<dyn Iterator<Item = &u32>> = if descending {
            Box::new(order.iter().rev())
        } else {
            Box::new(order.iter())
        };
        let (mut ids, mut total) = (Vec::new(), 0_u64);
        for &i in walk {
            let entry = &self.entries[i as usize];
            if matches(entry, scope, filter, &search) {
                if total >= offset as u64 && ids.len() < limit {
                    ids.push(entry.id);
                }
                total += 1;
            }
        }
        (ids, total)
    }

    /// The public lookup: name contains `q` or the credit code is `q`, by name, at most `limit`.
    fn lookup(&self, q: &str, limit: usize) -> Vec<i64> {
        let name = q.to_ascii_lowercase();
        let code = q.to_uppercase();
        self.by_name
            .iter()
            .map(|&i| &self.entries[i as usize])
            .filter(|e| e.credit_code == code || contains_ascii_folded(&e.name, &name))
            .take(limit)
            .map(|e| e.id)
            .collect()
    }
}

impl RegistryIndex {
    fn snapshot(&self) -> Arc<Snapshot> {
        Arc::clone(&self.snapshot.read().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Store {
    /// The index as of the database's current generation, rebuilt first if anything changed.
    async fn registry_snapshot(&self) -> Result<Arc<Snapshot>, sqlx::Error> {
        let index = &self.registry_index;
        let current = self.registry_generation().await?;
        let snapshot = index.snapshot();
        if snapshot.generation == Some(current) {
            return Ok(snapshot);
        }
        let _one_at_a_time = index.rebuilding.lock().await;
        let snapshot = index.snapshot();
        if snapshot.generation.is_some_and(|g| g >= current) {
            return Ok(snapshot);
        }
        // The generation first: should a write land between the two reads, the index is rebuilt again
        // at the next request, never left stale.
        let generation = self.registry_generation().await?;
        let entries: Vec<Entry> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, name, credit_code, kind, level, status, division_code, categories,
                        emerging_industry, credit_list, founded_on
                 FROM organizations",
            )
            .fetch_all(pool)
            .await?
        });
        let built = tokio::task::spawn_blocking(move || Arc::new(Snapshot::build(generation, entries)))
            .await
            .map_err(|e| sqlx::Error::Protocol(format!("building the registry index: {e}")))?;
        *index.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Arc::clone(&built);
        Ok(built)
    }

    async fn registry_generation(&self) -> Result<i64, sqlx::Error> {
        let (generation,): (i64,) = on_pool!(self, pool => {
            sqlx::query_as("SELECT generation FROM registry_generation WHERE id = 1")
                .fetch_one(pool)
                .await?
        });
        Ok(generation)
    }

    /// The ids of the organizations in `scope` that match `filter`, in order, `limit` from `offset`, and
    /// how many match in all.
    pub(crate) async fn registry_select(
        &self,
        scope: &OrgScope,
        filter: &OrgFilter,
        sort: OrgSort,
        descending: bool,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<i64>, u64), sqlx::Error> {
        let snapshot = self.registry_snapshot().await?;
        let (offset, limit) = (offset.max(0) as usize, limit.max(0) as usize);
        Ok(snapshot.select(scope, filter, sort, descending, offset, limit))
    }

    /// The ids of the public lookup's answer, by name.
    pub(crate) async fn registry_lookup(&self, q: &str, limit: i64) -> Result<Vec<i64>, sqlx::Error> {
        let snapshot = self.registry_snapshot().await?;
        Ok(snapshot.lookup(q, limit.max(0) as usize))
    }
}

#[cfg(test)]
mod tests {
    use domain::organization::{Category, OrgKind, OrgStatus};

    use super::*;

    fn entry(id: i64, name: &str, division: &str, founded: Option<&str>) -> Entry {
        Entry {
            id,
            name: name.to_owned(),
            credit_code: format!("51340000MJ{id:07}X"),
            kind: "social_group".to_owned(),
            level: "county".to_owned(),
            status: "normal".to_owned(),
            division_code: division.to_owned(),
            categories: "industry_association,other".to_owned(),
            emerging_industry: None,
            credit_list: None,
            founded_on: founded.map(|d| d.parse().unwrap()),
        }
    }

    fn snapshot() -> Snapshot {
        let mut foundation = entry(4, "安徽省ABC慈善基金会", "340000", None);
        foundation.kind = "foundation".to_owned();
        foundation.categories = "charity".to_owned();
        foundation.credit_list = Some("abnormal".to_owned());
        Snapshot::build(
            7,
            vec![
                entry(1, "合肥市蜀山区养老服务协会", "340104", Some("2010-05-01")),
                entry(2, "合肥市包河区养老服务中心", "340111", Some("2008-01-01")),
                entry(3, "芜湖市围棋协会", "340200", Some("2015-03-02")),
                foundation,
            ],
        )
    }

    #[test]
    fn a_search_counts_every_match_and_pages_in_order() {
        let s = snapshot();
        let filter = OrgFilter {
            q: Some("养老".to_owned()),
            ..OrgFilter::default()
        };
        let all = OrgScope::default();
        assert_eq!(
            s.select(&all, &filter, OrgSort::Name, false, 0, 20),
            (vec![2, 1], 2)
        );
        assert_eq!(s.select(&all, &filter, OrgSort::Name, true, 0, 1), (vec![1], 2));
        assert_eq!(s.select(&all, &filter, OrgSort::Name, false, 1, 20), (vec![1], 2));
        assert_eq!(
            s.select(&all, &filter, OrgSort::FoundedOn, false, 0, 20),
            (vec![2, 1], 2)
        );
    }

    #[test]
    fn names_match_latin_letters_in_any_case_and_codes_in_part_or_whole() {
        let s = snapshot();
        let all = OrgScope::default();
        let q = |q: &str| OrgFilter {
            q: Some(q.to_owned()),
            ..OrgFilter::default()
        };
        assert_eq!(s.select(&all, &q("abc"), OrgSort::Name, false, 0, 20).0, vec![4]);
        assert_eq!(
            s.select(&all, &q("mj0000003"), OrgSort::Name, false, 0, 20).0,
            vec![3]
        );
        assert_eq!(s.lookup("abc慈善", 10), vec![4]);
        assert!(s.lookup("不存在的名称", 10).is_empty());
    }

    #[test]
    fn scope_and_filters_narrow_the_list() {
        let s = snapshot();
        let hefei = OrgScope {
            division_pattern: Some("3401%".to_owned()),
            organization_id: None,
        };
        assert_eq!(
            s.select(&hefei, &OrgFilter::default(), OrgSort::Name, false, 0, 20)
                .1,
            2
        );
        let county = OrgFilter {
            division_pattern: Some("340104".to_owned()),
            ..OrgFilter::default()
        };
        assert_eq!(
            s.select(&OrgScope::default(), &county, OrgSort::Name, false, 0, 20)
                .0,
            vec![1]
        );
        let foundations = OrgFilter {
            kind: Some(OrgKind::Foundation),
            category: Some(Category::parse("charity").unwrap()),
            credit_list: Some("abnormal".to_owned()),
            status: Some(OrgStatus::parse("normal").unwrap()),
            ..OrgFilter::default()
        };
        assert_eq!(
            s.select(&OrgScope::default(), &foundations, OrgSort::Name, false, 0, 20)
                .0,
            vec![4]
        );
        let clean = OrgFilter {
            credit_list: Some("none".to_owned()),
            ..OrgFilter::default()
        };
        assert_eq!(
            s.select(&OrgScope::default(), &clean, OrgSort::Name, false, 0, 20)
                .1,
            3
        );
        let one = OrgScope {
            division_pattern: None,
            organization_id: Some(3),
        };
        assert_eq!(
            s.select(&one, &OrgFilter::default(), OrgSort::Name, false, 0, 20)
                .0,
            vec![3]
        );
    }
}
