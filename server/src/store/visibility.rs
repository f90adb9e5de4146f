//! Which records a caller may see — the one scope every list and every lookup of every module applies.
//!
//! Built once per request from the signed-in [`Principal`] (`Visibility::of`), passed to the store, and
//! applied inside the query: lists never return a record outside it, and a lookup outside it finds nothing,
//! which the routes answer with 404 (never 403, which would confirm that the record exists).

use domain::division::{DivisionCode, DivisionLevel};
use domain::policy::{Principal, Scope};

/// The records a caller may see, by the organization they belong to and the division it is registered in.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Visibility {
    /// Everything: the provincial bureau (and the public views, which show only public fields).
    All,
    /// Records registered in a division and below it, by code prefix: `34` the province, `3401` a city
    /// and its counties, `340104` one county. City and county staff.
    Division(String),
    /// Records of these organizations only: an organization user's own, an instructor's assigned ones
    /// (possibly none).
    Organizations(Vec<i64>),
}

impl Visibility {
    /// What `principal` may see.
    pub fn of(principal: &Principal) -> Self {
        match &principal.scope {
            Scope::Province => Visibility::All,
            Scope::Division { code, .. } => Visibility::Division(division_prefix(code).to_owned()),
            Scope::Organization { id, .. } => Visibility::Organizations(vec![*id]),
            Scope::Organizations { ids } => Visibility::Organizations(ids.clone()),
        }
    }

    /// Whether a record of organization `organization_id` (if it has one), registered in `division_code`,
    /// may be seen.
    pub fn covers(&self, organization_id: Option<i64>, division_code: &str) -> bool {
        match self {
            Visibility::All => true,
            Visibility::Division(prefix) => division_code.starts_with(prefix.as_str()),
            Visibility::Organizations(ids) => organization_id.is_some_and(|id| ids.contains(&id)),
        }
    }

    /// Whether records registered in `division_code` may be seen whatever their organization (staff).
    pub fn covers_division(&self, division_code: &str) -> bool {
        match self {
            Visibility::All => true,
            Visibility::Division(prefix) => division_code.starts_with(prefix.as_str()),
            Visibility::Organizations(_) => false,
        }
    }

    /// The division code prefix records must start with (`3401`), or `None` when divisions do not limit.
    pub fn division_prefix(&self) -> Option<&str> {
        match self {
            Visibility::Division(prefix) => Some(prefix),
            _ => None,
        }
    }

    /// The organizations records must belong to, or `None` when organizations do not limit.
    pub fn organization_ids(&self) -> Option<&[i64]> {
        match self {
            Visibility::Organizations(ids) => Some(ids),
            _ => None,
        }
    }

    /// The one organization an organization user acts for, if this is such a scope.
    pub fn own_organization(&self) -> Option<i64> {
        match self {
            Visibility::Organizations(ids) if ids.len() == 1 => Some(ids[0]),
            _ => None,
        }
    }
}

/// The digits that every code inside `code` starts with: `34`, `3401`, `340104`.
pub fn division_prefix(code: &DivisionCode) -> &str {
    let digits = match code.level() {
        DivisionLevel::Province => 2,
        DivisionLevel::City => 4,
        DivisionLevel::County => 6,
    };
    &code.as_str()[..digits]
}

/// The codes that start with `prefix` (digits) as a half-open range `[from, to)`: `3401` is
/// `["3401", "3402")`, `3409` is `["3409", "341")`; a prefix of nines has no end. A range, unlike
/// `LIKE '3401%'` with a bound pattern, lets both backends seek an index on the column (PostgreSQL's
/// collations order digit strings as bytes do).
pub fn prefix_range(prefix: &str) -> (String, Option<String>) {
    let mut end = prefix.as_bytes().to_vec();
    while let Some(last) = end.pop() {
        if last < b'9' {
            end.push(last + 1);
            return (
                prefix.to_owned(),
                Some(String::from_utf8_lossy(&end).into_owned()),
            );
        }
    }
    (prefix.to_owned(), None)
}

/// Appends ` AND $column >= … AND $column < …`: the division codes under `$prefix` (see [`prefix_range`]).
macro_rules! push_division_prefix {
    ($builder:expr, $column:expr, $prefix:expr) => {{
        let (from, to) = $crate::store::visibility::prefix_range($prefix);
        $builder.push(concat!(" AND ", $column, " >= ")).push_bind(from);
        if let Some(to) = to {
            $builder.push(concat!(" AND ", $column, " < ")).push_bind(to);
        }
    }};
}
pub(crate) use push_division_prefix;

/// Appends ` AND (…)` limiting `$org` (an organization-id column) and `$division` (a division-code column)
/// to `$visibility`, on a `sqlx::QueryBuilder` of either backend.
macro_rules! push_visibility {
    ($builder:expr, $visibility:expr, $org:literal, $division:literal) => {{
        let visibility: &$crate::store::Visibility = $visibility;
        match visibility {
            $crate::store::Visibility::All => {}
            $crate::store::Visibility::Division(prefix) => {
                $crate::store::push_division_prefix!($builder, $division, prefix);
            }
            $crate::store::Visibility::Organizations(ids) if ids.is_empty() => {
                $builder.push(" AND 1 = 0");
            }
            $crate::store::Visibility::Organizations(ids) => {
                $builder.push(concat!(" AND ", $org, " IN ("));
                let mut list = $builder.separated(", ");
                for id in ids {
                    list.push_bind(*id);
                }
                $builder.push(")");
            }
        }
    }};
}
pub(crate) use push_visibility;

#[cfg(test)]
mod tests {
    use super::*;

    fn code(raw: &str) -> DivisionCode {
        DivisionCode::parse(raw).unwrap()
    }

    #[test]
    fn division_staff_see_their_division_and_below_only() {
        let hefei = Visibility::Division(division_prefix(&code("340100")).to_owned());
        assert!(hefei.covers(None, "340122"));
        assert!(hefei.covers(Some(9), "340100"));
        assert!(!hefei.covers(Some(9), "340202"));
        assert_eq!(hefei.division_prefix(), Some("3401"));
        let county = Visibility::Division(division_prefix(&code("340104")).to_owned());
        assert!(county.covers(None, "340104"));
        assert!(!county.covers(None, "340103"));
    }

    #[test]
    fn a_prefix_reads_as_the_range_of_the_codes_under_it() {
        assert_eq!(prefix_range("3401"), ("3401".to_owned(), Some("3402".to_owned())));
        assert_eq!(prefix_range("3409"), ("3409".to_owned(), Some("341".to_owned())));
        assert_eq!(prefix_range("3499"), ("3499".to_owned(), Some("35".to_owned())));
        assert_eq!(prefix_range("99"), ("99".to_owned(), None));
        let (from, to) = prefix_range("3401");
        let to = to.unwrap();
        for code in ["340100", "340104", "340199"] {
            assert!(code >= from.as_str() && code < to.as_str(), "{code}");
        }
        for code in ["340000", "340200", "34"] {
            assert!(!(code >= from.as_str() && code < to.as_str()), "{code}");
        }
    }

    #[test]
    fn organization_scopes_see_their_organizations_only() {
        let own = Visibility::Organizations(vec![7]);
        assert!(own.covers(Some(7), "340100"));
        assert!(!own.covers(Some(8), "340100"));
        assert!(!own.covers(None, "340100"));
        assert!(!own.covers_division("340100"));
        assert_eq!(own.own_organization(), Some(7));
        assert!(!Visibility::Organizations(Vec::new()).covers(Some(1), "340100"));
    }
}
