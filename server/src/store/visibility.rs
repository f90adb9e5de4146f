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

    /// The `LIKE` pattern a division column must match (`3401%`), or `None` when divisions do not limit.
    pub fn division_pattern(&self) -> Option<String> {
        match self {
            Visibility::Division(prefix) => Some(format!("{prefix}%")),
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

/// Appends ` AND (…)` limiting `$org` (an organization-id column) and `$division` (a division-code column)
/// to `$visibility`, on a `sqlx::QueryBuilder` of either backend.
macro_rules! push_visibility {
    ($builder:expr, $visibility:expr, $org:literal, $division:literal) => {{
        let visibility: &$crate::store::Visibility = $visibility;
        match visibility {
            $crate::store::Visibility::All => {}
            $crate::store::Visibility::Division(_) => {
                $builder.push(concat!(" AND ", $division, " LIKE "));
                $builder.push_bind(visibility.division_pattern());
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
        assert_eq!(hefei.division_pattern().as_deref(), Some("3401%"));
        let county = Visibility::Division(division_prefix(&code("340104")).to_owned());
        assert!(county.covers(None, "340104"));
        assert!(!county.covers(None, "340103"));
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
