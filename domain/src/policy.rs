//! 权限 — roles, role sets, scopes and the signed-in principal: who may call what, and see which records.
//!
//! Who may call what is decided here, once, for the server and the browser alike: the server's extractors
//! check the role sets, the browser only uses them to hide what would be refused anyway. Which records a
//! principal's scope reaches is applied by the server's `store::Visibility`, built from [`Scope`].

use serde::{Deserialize, Serialize};

use crate::division::DivisionCode;
use crate::label::labelled_enum;

labelled_enum! {
    /// 角色 — what a user does in the system (`DOMAIN.md` §1).
    pub enum Role ("角色") keys_only {
        /// 省社会组织管理局管理员 — provincial bureau, the whole province.
        BureauAdmin => "bureau_admin", "省局管理员", "Bureau administrator";
        /// 市县民政工作人员 — city or county civil-affairs staff, one division and its children.
        LocalStaff => "local_staff", "市县工作人员", "City/county staff";
        /// 社会组织用户 — bound to exactly one organization.
        OrgUser => "org_user", "社会组织用户", "Organization user";
        /// 党建指导员 — party-building instructor, the organizations assigned to them.
        Instructor => "instructor", "党建指导员", "Party-building instructor";
    }
}

impl Role {
    /// Civil-affairs staff: the bureau and the cities and counties.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::BureauAdmin | Role::LocalStaff)
    }
}

/// A named set of roles: who may call an endpoint or open a page.
///
/// Declared once, here. The server's extractors (`Auth<Staff>` reads [`STAFF`]), the OpenAPI document's
/// `security` entries (written with the set's name and expanded to its roles), the browser's guards
/// (`<RequireAuth roles=STAFF>`) and its menu all read these constants, so they cannot disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoleSet {
    /// The set's name, as OpenAPI `security` entries name it before expansion (e.g. `Staff`).
    pub name: &'static str,
    pub roles: &'static [Role],
}

impl RoleSet {
    /// Whether `role` is in the set.
    pub fn allows(self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// The set named `name`, among [`ROLE_SETS`].
    pub fn named(name: &str) -> Option<RoleSet> {
        ROLE_SETS.into_iter().find(|set| set.name == name)
    }
}

/// Anyone signed in.
pub const ANY_ROLE: RoleSet = RoleSet {
    name: "AnyRole",
    roles: &Role::ALL,
};
/// Civil-affairs staff: the bureau and the cities and counties.
pub const STAFF: RoleSet = RoleSet {
    name: "Staff",
    roles: &[Role::BureauAdmin, Role::LocalStaff],
};
/// Provincial bureau administrators only.
pub const BUREAU_ONLY: RoleSet = RoleSet {
    name: "BureauOnly",
    roles: &[Role::BureauAdmin],
};
/// Organization users only (acting for their own organization).
pub const ORG_USERS: RoleSet = RoleSet {
    name: "OrgUsers",
    roles: &[Role::OrgUser],
};
/// Staff, and organization users acting for their own organization.
pub const STAFF_OR_ORG: RoleSet = RoleSet {
    name: "StaffOrOrg",
    roles: &[Role::BureauAdmin, Role::LocalStaff, Role::OrgUser],
};
/// Party-building instructors, and the staff who supervise them.
pub const STAFF_OR_INSTRUCTOR: RoleSet = RoleSet {
    name: "StaffOrInstructor",
    roles: &[Role::BureauAdmin, Role::LocalStaff, Role::Instructor],
};

/// Party-building instructors only (their workspace and visits).
pub const INSTRUCTORS: RoleSet = RoleSet {
    name: "Instructors",
    roles: &[Role::Instructor],
};

/// Every named role set.
pub const ROLE_SETS: [RoleSet; 7] = [
    ANY_ROLE,
    STAFF,
    BUREAU_ONLY,
    ORG_USERS,
    STAFF_OR_ORG,
    STAFF_OR_INSTRUCTOR,
    INSTRUCTORS,
];

/// 权限范围 — the part of the world a user may see and change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Scope {
    /// The whole province (bureau administrators).
    Province,
    /// A city or county and everything inside it (local staff).
    Division { code: DivisionCode, name: String },
    /// One organization (organization users).
    Organization { id: i64, name: String },
    /// The organizations assigned to an instructor.
    Organizations { ids: Vec<i64> },
}

/// Who is signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Principal {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub scope: Scope,
    /// An initial or reset password must be changed before anything else.
    pub must_change_password: bool,
    /// Signs in with a second factor (TOTP).
    #[serde(default)]
    pub second_factor: bool,
    /// Staff must turn on two-step verification before anything else (`--require-staff-second-factor`).
    #[serde(default)]
    pub must_enrol_second_factor: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_sets_have_distinct_names_and_are_found_by_them() {
        for set in ROLE_SETS {
            assert_eq!(RoleSet::named(set.name), Some(set));
            assert!(!set.roles.is_empty(), "{}", set.name);
        }
        assert!(STAFF.allows(Role::LocalStaff) && !STAFF.allows(Role::OrgUser));
    }
}
