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
use domain::registry::credit_code::CreditCode;
use domain::registry::organization::{Category, EmergingIndustry, Level, OrgKind, OrgStatus};
use memchr::memmem;

use super::{OrgFilter, OrgSort};
use crate::store::{Store, Visibility, on_pool};

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
    /// Every name with ASCII letters in lower case, and every credit code, searched in one pass each.
    names: Texts,
    codes: Texts,
    /// Positions in `entries` by (name, id), (founding date, id) and (credit code, id).
    by_name: Vec<u32>,
    by_founded: Vec<u32>,
    by_code: Vec<u32>,
}

/// One organization's filter fields, compact: a pass over 35,000 of them takes a fraction of a millisecond.
#[derive(Debug)]
struct Entry {
    id: i64,
    kind: Option<OrgKind>,
    level: Option<Level>,
    status: Option<OrgStatus>,
    /// The six-digit division code as a number.
    division: u32,
    /// Bit i set: the organization has category `Category::ALL[i]`.
    categories: u64,
    emerging_industry: Option<EmergingIndustry>,
    credit_list: Option<Box<str>>,
}

/// A row as loaded.
#[derive(Debug, sqlx::FromRow)]
struct Row {
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

/// Strings laid end to end, each followed by a newline (which none contains), so that one substring
/// search over the whole buffer finds every string that contains the needle.
#[derive(Debug, Default)]
struct Texts {
    buffer: String,
    /// Where each string starts; one more at the end.
    starts: Vec<u32>,
}

impl Texts {
    fn new<'a>(texts: impl Iterator<Item = &'a str>) -> Self {
        let mut all = Texts::default();
        for text in texts {
            all.starts.push(all.buffer.len() as u32);
            all.buffer.push_str(text);
            all.buffer.push('\n');
        }
        all.starts.push(all.buffer.len() as u32);
        all
    }

    fn get(&self, i: usize) -> &str {
        &self.buffer[self.starts[i] as usize..self.starts[i + 1] as usize - 1]
    }

    /// Marks in `hits` every string that contains `needle`.
    fn mark(&self, needle: &str, hits: &mut [bool]) {
        if needle.is_empty() || needle.contains('\n') {
            return;
        }
        let mut i = 0;
        for at in memmem::find_iter(self.buffer.as_bytes(), needle.as_bytes()) {
            // Matches come in order: move on to the string that holds this one.
            while self.starts[i + 1] as usize <= at {
                i += 1;
            }
            hits[i] = true;
        }
    }
}

// `Entry::categories` holds one bit per category.
const _: () = assert!(Category::ALL.len() <= 64);

fn category_bits(keys: &str) -> u64 {
    keys.split(',')
        .filter_map(|key| Category::ALL.iter().position(|c| c.key() == key))
        .fold(0, |bits, i| bits | 1 << i)
}

/// A division condition as numbers: `3401%` or the prefix `3401` → codes whose first four digits are 3401;
/// `340104` → that one.
#[derive(Debug, Clone, Copy)]
struct DivisionRange {
    divisor: u32,
    value: u32,
}

impl DivisionRange {
    fn new(pattern: &str) -> Option<Self> {
        let digits = pattern.strip_suffix('%').unwrap_or(pattern);
        let value = digits.parse().ok()?;
        let divisor = 10_u32.checked_pow(6_u32.checked_sub(digits.len() as u32)?)?;
        Some(DivisionRange { divisor, value })
    }

    fn contains(self, division: u32) -> bool {
        division / self.divisor == self.value
    }
}

/// A request's visibility and filter, made ready to test against entries.
struct Query<'a> {
    divisions: Vec<Option<DivisionRange>>,
    /// The only organizations visible, sorted (for a binary search), or `None` when organizations do not
    /// limit.
    organizations: Option<Vec<i64>>,
    filter: &'a OrgFilter,
    categories: u64,
    /// For a search: which entries it found.
    found: Option<Vec<bool>>,
}

impl<'a> Query<'a> {
    fn new(snapshot: &Snapshot, visibility: &Visibility, filter: &'a OrgFilter) -> Self {
        let scope = match visibility {
            Visibility::Division(prefix) => Some(prefix.as_str()),
            _ => None,
        };
        let divisions = scope
            .into_iter()
            .chain(filter.division_pattern.as_deref())
            // A pattern that is not a division matches nothing, as `LIKE` would.
            .map(DivisionRange::new)
            .collect();
        let organizations = visibility.organization_ids().map(|ids| {
            let mut ids = ids.to_vec();
            ids.sort_unstable();
            ids
        });
        let found = filter.q.as_deref().map(|q| snapshot.search(q));
        Query {
            divisions,
            organizations,
            filter,
            categories: filter.category.map_or(0, |c| category_bits(c.key())),
            found,
        }
    }

    fn matches(&self, position: usize, e: &Entry) -> bool {
        let f = self.filter;
        self.divisions
            .iter()
            .all(|d| d.is_some_and(|d| d.contains(e.division)))
            && self
                .organizations
                .as_ref()
                .is_none_or(|ids| ids.binary_search(&e.id).is_ok())
            && f.kind.is_none_or(|k| e.kind == Some(k))
            && e.categories & self.categories == self.categories
            && f.emerging_industry.is_none_or(|i| e.emerging_industry == Some(i))
            && f.level.is_none_or(|l| e.level == Some(l))
            && f.status.is_none_or(|s| e.status == Some(s))
            && match f.credit_list.as_deref() {
                None => true,
                Some("none") => e.credit_list.is_none(),
                Some(list) => e.credit_list.as_deref() == Some(list),
            }
            && self.found.as_ref().is_none_or(|found| found[position])
    }
}

impl Snapshot {
    fn build(generation: i64, rows: Vec<Row>) -> Self {
        let positions = || (0..rows.len() as u32).collect::<Vec<_>>();
        let at = |i: &u32| &rows[*i as usize];
        let mut by_name = positions();
        by_name.sort_unstable_by(|a, b| (&at(a).name, at(a).id).cmp(&(&at(b).name, at(b).id)));
        let mut by_founded = positions();
        by_founded.sort_unstable_by_key(|i| (at(i).founded_on, at(i).id));
        let mut by_code = positions();
        by_code.sort_unstable_by(|a, b| (&at(a).credit_code, at(a).id).cmp(&(&at(b).credit_code, at(b).id)));
        let folded: Vec<String> = rows.iter().map(|r| r.name.to_ascii_lowercase()).collect();
        let names = Texts::new(folded.iter().map(String::as_str));
        let codes = Texts::new(rows.iter().map(|r| r.credit_code.as_str()));
        let entries = rows
            .into_iter()
            .map(|r| Entry {
                id: r.id,
                kind: OrgKind::parse(&r.kind).ok(),
                level: Level::parse(&r.level).ok(),
                status: OrgStatus::parse(&r.status).ok(),
                division: r.division_code.parse().unwrap_or_default(),
                categories: category_bits(&r.categories),
                emerging_industry: r.emerging_industry.and_then(|i| EmergingIndustry::parse(&i).ok()),
                credit_list: r.credit_list.map(String::into_boxed_str),
            })
            .collect();
        Snapshot {
            generation: Some(generation),
            entries,
            names,
            codes,
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

    /// The position of the organization with this credit code.
    fn with_credit_code(&self, code: &str) -> Option<usize> {
        let k = self
            .by_code
            .partition_point(|&i| self.codes.get(i as usize) < code);
        let i = *self.by_code.get(k)? as usize;
        (self.codes.get(i) == code).then_some(i)
    }

    /// Which entries `q` finds: a whole credit code finds that organization; anything else is looked for
    /// in the names (ASCII letters in any case, as SQLite's `LIKE`) and in the credit codes.
    fn search(&self, q: &str) -> Vec<bool> {
        let mut found = vec![false; self.entries.len()];
        match CreditCode::parse(q) {
            Ok(code) => {
                if let Some(i) = self.with_credit_code(code.as_str()) {
                    found[i] = true;
                }
            }
            Err(_) => {
                self.names.mark(&q.to_ascii_lowercase(), &mut found);
                self.codes.mark(&q.to_uppercase(), &mut found);
            }
        }
        found
    }

    /// The ids of the matching organizations in order, `limit` from `offset`, and how many match in all.
    fn select(
        &self,
        visibility: &Visibility,
        filter: &OrgFilter,
        sort: OrgSort,
        descending: bool,
        offset: usize,
        limit: usize,
    ) -> (Vec<i64>, u64) {
        let query = Query::new(self, visibility, filter);
        let order = self.order(sort);
        let walk: Box<dyn Iterator<Item = &u32>> = if descending {
            Box::new(order.iter().rev())
        } else {
            Box::new(order.iter())
        };
        let (mut ids, mut total) = (Vec::new(), 0_u64);
        for &i in walk {
            let entry = &self.entries[i as usize];
            if query.matches(i as usize, entry) {
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
        let mut found = vec![false; self.entries.len()];
        self.names.mark(&q.to_ascii_lowercase(), &mut found);
        if let Some(i) = self.with_credit_code(&q.to_uppercase()) {
            found[i] = true;
        }
        self.by_name
            .iter()
            .filter(|&&i| found[i as usize])
            .take(limit)
            .map(|&i| self.entries[i as usize].id)
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
        // Asked again: whoever held the lock may have rebuilt it already. Equality, not order: a database
        // restored from a backup can go back to an earlier generation.
        // The generation is read before the rows: should a write land between the two reads, the index is
        // rebuilt again at the next request, never left stale.
        let generation = self.registry_generation().await?;
        let snapshot = index.snapshot();
        if snapshot.generation == Some(generation) {
            return Ok(snapshot);
        }
        let rows: Vec<Row> = on_pool!(self, pool => {
            sqlx::query_as(
                // The credit list is the current listing's, read from the records (`store/credit/`):
                // their triggers bump the generation too.
                "SELECT o.id, o.name, o.credit_code, o.kind, o.level, o.status, o.division_code, o.categories,
                        o.emerging_industry, c.list AS credit_list, o.founded_on
                 FROM organizations o
                 LEFT JOIN (SELECT organization_id, MAX(list) AS list FROM credit_listings
                            WHERE ended_on IS NULL GROUP BY organization_id) c ON c.organization_id = o.id",
            )
            .fetch_all(pool)
            .await?
        });
        let built = tokio::task::spawn_blocking(move || Arc::new(Snapshot::build(generation, rows)))
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

    /// The ids of the organizations in `visibility` that match `filter`, in order, `limit` from `offset`,
    /// and how many match in all.
    pub(crate) async fn registry_select(
        &self,
        visibility: &Visibility,
        filter: &OrgFilter,
        sort: OrgSort,
        descending: bool,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<i64>, u64), sqlx::Error> {
        let snapshot = self.registry_snapshot().await?;
        let (offset, limit) = (offset.max(0) as usize, limit.max(0) as usize);
        Ok(snapshot.select(visibility, filter, sort, descending, offset, limit))
    }

    /// The ids of the public lookup's answer, by name.
    pub(crate) async fn registry_lookup(&self, q: &str, limit: i64) -> Result<Vec<i64>, sqlx::Error> {
        let snapshot = self.registry_snapshot().await?;
        Ok(snapshot.lookup(q, limit.max(0) as usize))
    }
}

#[cfg(test)]
mod tests {
    use domain::registry::organization::{Category, OrgKind, OrgStatus};

    use super::*;

    fn entry(id: i64, name: &str, division: &str, founded: Option<&str>) -> Row {
        Row {
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
        let all = Visibility::All;
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
        let all = Visibility::All;
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
    fn a_search_never_matches_across_two_names() {
        let s = snapshot();
        // "…协会" then "合肥市…" lie end to end in the buffer; the needle would straddle them.
        assert!(s.search("协会合肥").iter().all(|found| !found));
        assert!(s.search("会\n合").iter().all(|found| !found));
        assert_eq!(s.search("围棋协会").iter().filter(|f| **f).count(), 1);
    }

    #[test]
    fn scope_and_filters_narrow_the_list() {
        let s = snapshot();
        let hefei = Visibility::Division("3401".to_owned());
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
            s.select(&Visibility::All, &county, OrgSort::Name, false, 0, 20).0,
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
            s.select(&Visibility::All, &foundations, OrgSort::Name, false, 0, 20)
                .0,
            vec![4]
        );
        let clean = OrgFilter {
            credit_list: Some("none".to_owned()),
            ..OrgFilter::default()
        };
        assert_eq!(
            s.select(&Visibility::All, &clean, OrgSort::Name, false, 0, 20).1,
            3
        );
        let one = Visibility::Organizations(vec![3]);
        assert_eq!(
            s.select(&one, &OrgFilter::default(), OrgSort::Name, false, 0, 20)
                .0,
            vec![3]
        );
        // An instructor's assigned organizations, in any order; none assigned sees nothing.
        let assigned = Visibility::Organizations(vec![4, 1]);
        assert_eq!(
            s.select(&assigned, &OrgFilter::default(), OrgSort::Name, false, 0, 20)
                .0,
            vec![1, 4]
        );
        let none = Visibility::Organizations(Vec::new());
        assert_eq!(
            s.select(&none, &OrgFilter::default(), OrgSort::Name, false, 0, 20),
            (Vec::new(), 0)
        );
    }
}
