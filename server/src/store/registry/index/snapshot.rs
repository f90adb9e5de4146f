//! The index's data: every organization's filter fields, its name and credit code laid end to end for
//! substring search (the names with where each pair of characters occurs, `grams.rs`), and its position in
//! each sort order — built once, then patched row by row.
//!
//! Positions are stable: a changed organization's old entry is marked dead and its new state appended,
//! so nothing moves but the three sort orders, which take one binary search and one `memmove` each. When
//! a quarter of the entries are dead, [`Snapshot::compact`] drops them in one pass (no sorting).

use std::collections::HashSet;

use super::grams::Grams;
use super::positions::Positions;
use super::texts::{Found, Marks, Matched, SORTED_AT_MOST, Texts};
use chrono::NaiveDate;
use domain::registry::credit_code::CreditCode;
use domain::registry::organization::{Category, CreditList, EmergingIndustry, Level, OrgKind, OrgStatus};

use crate::store::Visibility;
use crate::store::registry::{OrgFilter, OrgSort};

/// The organizations as of one generation.
#[derive(Debug, Default)]
pub(super) struct Snapshot {
    /// `None` until first built.
    pub(super) generation: Option<i64>,
    /// By position; a changed or removed organization's old entry stays, dead, until compaction.
    entries: Vec<Entry>,
    /// Every name with ASCII letters in lower case, and every credit code, by position.
    names: Texts,
    codes: Texts,
    /// Live positions by (name, id), (founding date, id) and (credit code, id).
    by_name: Vec<u32>,
    by_founded: Vec<u32>,
    by_code: Vec<u32>,
    /// An array that a patch merges an order into (its contents mean nothing).
    spare: Vec<u32>,
    /// Each live organization's position.
    positions: Positions,
}

/// One organization's filter fields, compact: 32 bytes, so that a pass over 900,000 of them reads 29 MB.
#[derive(Debug)]
struct Entry {
    id: i64,
    /// Bit i set: the organization has category `Category::ALL[i]`.
    categories: u64,
    /// The six-digit division code as a number.
    division: u32,
    founded_on: Option<NaiveDate>,
    kind: Option<OrgKind>,
    level: Option<Level>,
    status: Option<OrgStatus>,
    emerging_industry: Option<EmergingIndustry>,
    credit_list: Option<CreditList>,
    live: bool,
}

/// A row as loaded.
#[derive(Debug, sqlx::FromRow)]
pub(super) struct Row {
    pub(super) id: i64,
    pub(super) name: String,
    pub(super) credit_code: String,
    pub(super) kind: String,
    pub(super) level: String,
    pub(super) status: String,
    pub(super) division_code: String,
    /// Comma-separated category keys.
    pub(super) categories: String,
    pub(super) emerging_industry: Option<String>,
    /// The current listing's list, read from the records (`store/credit/`).
    pub(super) credit_list: Option<String>,
    pub(super) founded_on: Option<NaiveDate>,
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

/// The credit-list condition: any, none, or one list (a list that does not exist matches nothing).
#[derive(Debug, Clone, Copy)]
enum ListCondition {
    Any,
    Is(Option<CreditList>),
    Nothing,
}

/// A request's visibility and filter, made ready to test against entries.
struct Query<'a> {
    divisions: Vec<Option<DivisionRange>>,
    /// The only organizations visible, sorted (for a binary search), or `None` when organizations do not
    /// limit.
    organizations: Option<Vec<i64>>,
    filter: &'a OrgFilter,
    categories: u64,
    list: ListCondition,
    /// For a search: what it found.
    found: Option<Found>,
}

impl<'a> Query<'a> {
    fn new(snapshot: &Snapshot, visibility: &Visibility, filter: &'a OrgFilter) -> Self {
        let divisions = visibility
            .division_prefix()
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
        let list = match filter.credit_list.as_deref() {
            None => ListCondition::Any,
            Some("none") => ListCondition::Is(None),
            Some(key) => {
                CreditList::parse(key).map_or(ListCondition::Nothing, |l| ListCondition::Is(Some(l)))
            }
        };
        Query {
            divisions,
            organizations,
            filter,
            categories: filter.category.map_or(0, |c| category_bits(c.key())),
            list,
            found: filter.q.as_deref().map(|q| snapshot.search(q)),
        }
    }

    /// Whether `e` passes the filter (a search's finding apart: see `found`).
    fn matches(&self, e: &Entry) -> bool {
        let f = self.filter;
        e.live
            && self
                .divisions
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
            && match self.list {
                ListCondition::Any => true,
                ListCondition::Is(list) => e.credit_list == list,
                ListCondition::Nothing => false,
            }
    }
}

/// The sort orders, each with the key it keeps its positions by.
#[derive(Debug, Clone, Copy)]
enum Order {
    Name,
    Founded,
    Code,
}

impl Order {
    const ALL: [Order; 3] = [Order::Name, Order::Founded, Order::Code];
}

impl From<OrgSort> for Order {
    fn from(sort: OrgSort) -> Self {
        match sort {
            OrgSort::Name => Order::Name,
            OrgSort::FoundedOn => Order::Founded,
            OrgSort::CreditCode => Order::Code,
        }
    }
}

impl Snapshot {
    /// The index of `rows`, as of `generation`.
    #[cfg(test)]
    pub(super) fn build(generation: i64, rows: impl IntoIterator<Item = Row>) -> Self {
        let mut snapshot = Snapshot::default();
        for row in rows {
            snapshot.push(row);
        }
        snapshot.seal(generation);
        snapshot
    }

    /// Appends an organization at the next position, in no sort order yet.
    pub(super) fn push(&mut self, r: Row) -> u32 {
        let position = self.entries.len() as u32;
        self.names.push(&r.name.to_ascii_lowercase());
        self.codes.push(&r.credit_code);
        self.positions.insert(r.id, position);
        self.entries.push(Entry {
            id: r.id,
            categories: category_bits(&r.categories),
            division: r.division_code.parse().unwrap_or_default(),
            founded_on: r.founded_on,
            kind: OrgKind::parse(&r.kind).ok(),
            level: Level::parse(&r.level).ok(),
            status: OrgStatus::parse(&r.status).ok(),
            emerging_industry: r.emerging_industry.and_then(|i| EmergingIndustry::parse(&i).ok()),
            credit_list: r.credit_list.and_then(|l| CreditList::parse(&l).ok()),
            live: true,
        });
        position
    }

    /// Sorts every pushed position into the orders: the end of a build.
    pub(super) fn seal(&mut self, generation: i64) {
        for order in Order::ALL {
            let mut positions: Vec<u32> = (0..self.entries.len() as u32).collect();
            positions.sort_unstable_by(|&a, &b| self.compare(order, a, b));
            *self.order_mut(order) = positions;
        }
        self.names.index_pairs();
        self.generation = Some(generation);
    }

    pub(super) fn len(&self) -> usize {
        self.positions.len()
    }

    /// Whether so many names were added since their pairs were indexed that indexing them again is due.
    pub(super) fn name_pairs_stale(&self) -> bool {
        self.names.pairs_stale()
    }

    /// The names' pairs, built from a shared reference, then installed (see `Texts::install_pairs`).
    pub(super) fn build_name_pairs(&self) -> Grams {
        self.names.build_pairs()
    }

    pub(super) fn install_name_pairs(&mut self, pairs: Grams) -> bool {
        self.names.install_pairs(pairs)
    }

    fn compare(&self, order: Order, a: u32, b: u32) -> std::cmp::Ordering {
        let (ea, eb) = (&self.entries[a as usize], &self.entries[b as usize]);
        match order {
            Order::Name => (self.names.get(a as usize), ea.id).cmp(&(self.names.get(b as usize), eb.id)),
            Order::Founded => (ea.founded_on, ea.id).cmp(&(eb.founded_on, eb.id)),
            Order::Code => (self.codes.get(a as usize), ea.id).cmp(&(self.codes.get(b as usize), eb.id)),
        }
    }

    fn order_mut(&mut self, order: Order) -> &mut Vec<u32> {
        match order {
            Order::Name => &mut self.by_name,
            Order::Founded => &mut self.by_founded,
            Order::Code => &mut self.by_code,
        }
    }

    /// Where `position` belongs among `positions`, sorted by `order` (where it is, when it is there).
    fn place(&self, order: Order, positions: &[u32], position: u32) -> usize {
        positions.partition_point(|&p| self.compare(order, p, position).is_lt())
    }

    /// Brings the index to `generation`: the organizations `changed` since the index's generation are
    /// replaced by their `rows` as they are now, and those among them without a row are gone.
    ///
    /// One pass per order whatever the number of changes: each removed and each added position is
    /// placed by a binary search, then the order is copied once around them.
    pub(super) fn apply(&mut self, generation: i64, changed: &[i64], rows: Vec<Row>) {
        let mut ids: HashSet<i64> = changed.iter().copied().collect();
        ids.extend(rows.iter().map(|r| r.id));
        let removed: Vec<u32> = ids.iter().filter_map(|&id| self.positions.remove(id)).collect();
        let added: Vec<u32> = rows.into_iter().map(|row| self.push(row)).collect();
        // Each order is merged into the spare array, which then takes the old one's place: a patch
        // allocates no array of the registry's size (ten patches a second would churn the allocator).
        let mut spare = std::mem::take(&mut self.spare);
        for order in Order::ALL {
            self.merge(order, self.order(order), &removed, &added, &mut spare);
            std::mem::swap(self.order_mut(order), &mut spare);
        }
        self.spare = spare;
        for &position in &removed {
            self.entries[position as usize].live = false;
        }
        self.generation = Some(generation);
        if self.dead() > self.entries.len() / 4 {
            self.compact();
        }
    }

    /// `old` (sorted by `order`) without the positions `removed` and with the positions `added`, into
    /// `merged`.
    fn merge(&self, order: Order, old: &[u32], removed: &[u32], added: &[u32], merged: &mut Vec<u32>) {
        // Every live position is in every order, where its (unique) key puts it.
        let mut drops: Vec<usize> = removed
            .iter()
            .map(|&p| (self.place(order, old, p), p))
            .filter_map(|(at, p)| (old.get(at) == Some(&p)).then_some(at))
            .collect();
        drops.sort_unstable();
        let mut added = added.to_vec();
        added.sort_unstable_by(|&a, &b| self.compare(order, a, b));
        // Each new position goes before the old one at its index; those at one index keep their order.
        let inserts: Vec<(usize, u32)> = added.iter().map(|&p| (self.place(order, old, p), p)).collect();
        merged.clear();
        let (mut drops, mut inserts) = (drops.into_iter().peekable(), inserts.into_iter().peekable());
        let mut copied = 0;
        loop {
            let next = match (drops.peek(), inserts.peek()) {
                (None, None) => break,
                (Some(&d), None) => d,
                (None, Some(&(i, _))) => i,
                (Some(&d), Some(&(i, _))) => d.min(i),
            };
            merged.extend_from_slice(&old[copied..next]);
            copied = next;
            if let Some((_, position)) = inserts.next_if(|&(i, _)| i == next) {
                merged.push(position);
            } else {
                drops.next();
                copied += 1;
            }
        }
        merged.extend_from_slice(&old[copied..]);
    }

    fn dead(&self) -> usize {
        self.entries.len() - self.positions.len()
    }

    /// Drops the dead entries in place, nothing held twice: the live ones move down, the orders keep
    /// their order, the names' pairs are indexed again.
    fn compact(&mut self) {
        let mut moved = vec![Positions::NONE; self.entries.len()];
        let live = self.entries.iter().enumerate().filter(|(_, e)| e.live);
        for (next, (i, _)) in live.enumerate() {
            moved[i] = next as u32;
        }
        let kept = |i: usize| moved[i] != Positions::NONE;
        self.names.retain(kept);
        self.codes.retain(kept);
        self.entries.retain(|e| e.live);
        self.names.index_pairs();
        for order in Order::ALL {
            self.order_mut(order)
                .iter_mut()
                .for_each(|p| *p = moved[*p as usize]);
        }
        self.positions.renumber(&moved);
    }

    fn order(&self, order: Order) -> &[u32] {
        match order {
            Order::Name => &self.by_name,
            Order::Founded => &self.by_founded,
            Order::Code => &self.by_code,
        }
    }

    /// The live position of the organization with this credit code.
    fn with_credit_code(&self, code: &str) -> Option<usize> {
        let k = self
            .by_code
            .partition_point(|&i| self.codes.get(i as usize) < code);
        let i = *self.by_code.get(k)? as usize;
        (self.codes.get(i) == code).then_some(i)
    }

    /// What `q` finds (dead entries too: the caller tests liveness): a whole credit code finds that
    /// organization; anything else is looked for in the names (ASCII letters in any case, as SQLite's
    /// `LIKE`) and, when it could be part of one, in the credit codes.
    fn search(&self, q: &str) -> Found {
        if let Ok(code) = CreditCode::parse(q) {
            return self.find_all(&[], self.with_credit_code(code.as_str()));
        }
        let (lower, upper) = (q.to_ascii_lowercase(), q.to_ascii_uppercase());
        // Credit codes are digits and capital letters: a needle with anything else is in none of them.
        if q.bytes().all(|b| b.is_ascii_alphanumeric()) {
            self.find_all(&[(&self.names, &lower), (&self.codes, &upper)], None)
        } else {
            self.find_all(&[(&self.names, &lower)], None)
        }
    }

    /// The positions of the strings that contain their needle, in each `(texts, needle)`, and `also`.
    fn find_all(&self, searches: &[(&Texts, &str)], also: Option<usize>) -> Found {
        let mut few = Vec::new();
        let mut many: Option<Marks> = None;
        let mut add = |i: u32| match &mut many {
            Some(marks) => marks.set(i as usize),
            None if few.len() < SORTED_AT_MOST => few.push(i),
            None => {
                let mut marks = Marks::new(self.entries.len());
                few.drain(..).chain([i]).for_each(|j| marks.set(j as usize));
                many = Some(marks);
            }
        };
        for (texts, needle) in searches {
            texts.find(needle, &mut add);
        }
        if let Some(i) = also {
            add(i as u32);
        }
        match many {
            Some(marks) => Found::Many(marks),
            None => {
                few.sort_unstable();
                few.dedup();
                Found::Few(few)
            }
        }
    }

    /// The ids of the matching organizations in order, `limit` from `offset`, and how many match in all.
    pub(super) fn select(
        &self,
        visibility: &Visibility,
        filter: &OrgFilter,
        sort: OrgSort,
        descending: bool,
        offset: usize,
        limit: usize,
    ) -> (Vec<i64>, u64) {
        let query = Query::new(self, visibility, filter);
        let matched = match &query.found {
            // A search that found few: the filter is tested on those alone.
            Some(Found::Few(found)) => Matched::Listed(
                found
                    .iter()
                    .copied()
                    .filter(|&i| query.matches(&self.entries[i as usize]))
                    .collect(),
            ),
            // One pass in position order, which reads the entries as they lie in memory, marks the matches
            // and counts them. Walking a sort order instead would jump about the entries (a cache miss each
            // at 900,000 organizations); the walk for the page reads only the marks.
            found => {
                let searched = match found {
                    Some(Found::Many(marks)) => Some(marks),
                    _ => None,
                };
                let mut marks = Marks::new(self.entries.len());
                let mut total = 0_u64;
                for (i, entry) in self.entries.iter().enumerate() {
                    if query.matches(entry) && searched.is_none_or(|found| found.has(i)) {
                        marks.set(i);
                        total += 1;
                    }
                }
                Matched::Marked(marks, total)
            }
        };
        self.page(matched, sort, descending, offset, limit)
    }

    /// The ids of `matched` in order, `limit` from `offset`, and how many there are.
    fn page(
        &self,
        matched: Matched,
        sort: OrgSort,
        descending: bool,
        offset: usize,
        limit: usize,
    ) -> (Vec<i64>, u64) {
        let order = Order::from(sort);
        let (marks, total) = match matched {
            Matched::Listed(mut positions) if positions.len() <= SORTED_AT_MOST => {
                let total = positions.len() as u64;
                positions.sort_unstable_by(|&a, &b| {
                    let ordering = self.compare(order, a, b);
                    if descending { ordering.reverse() } else { ordering }
                });
                let ids = positions
                    .iter()
                    .skip(offset)
                    .take(limit)
                    .map(|&i| self.entries[i as usize].id)
                    .collect();
                return (ids, total);
            }
            Matched::Listed(positions) => {
                let mut marks = Marks::new(self.entries.len());
                for &i in &positions {
                    marks.set(i as usize);
                }
                (marks, positions.len() as u64)
            }
            Matched::Marked(marks, total) => (marks, total),
        };
        let mut ids = Vec::with_capacity(limit.min(total as usize));
        if total <= offset as u64 || limit == 0 {
            return (ids, total);
        }
        let positions = self.order(order);
        let walk: Box<dyn Iterator<Item = &u32>> = if descending {
            Box::new(positions.iter().rev())
        } else {
            Box::new(positions.iter())
        };
        for &i in walk.filter(|&&i| marks.has(i as usize)).skip(offset) {
            ids.push(self.entries[i as usize].id);
            if ids.len() == limit {
                break;
            }
        }
        (ids, total)
    }

    /// The public lookup: name contains `q` or the credit code is `q`, by name, at most `limit`.
    pub(super) fn lookup(&self, q: &str, limit: usize) -> Vec<i64> {
        let by_code = self.with_credit_code(&q.to_ascii_uppercase());
        let matched = match self.find_all(&[(&self.names, &q.to_ascii_lowercase())], by_code) {
            Found::Few(found) => Matched::Listed(
                found
                    .into_iter()
                    .filter(|&i| self.entries[i as usize].live)
                    .collect(),
            ),
            // The walk over `by_name`, which holds live positions only, leaves the dead ones out.
            Found::Many(marks) => Matched::Marked(marks, u64::MAX),
        };
        self.page(matched, OrgSort::Name, false, 0, limit).0
    }
}

#[cfg(test)]
#[path = "snapshot_tests.rs"]
mod tests;
