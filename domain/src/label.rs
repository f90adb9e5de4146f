//! 标签 — the one way to declare an enum that users read: its wire key, its Chinese and English labels,
//! every value in order, and a parser that reads any of the three.
//!
//! `labelled_enum!` declares the enum and implements [`Labelled`]; the browser shows `label_zh` or
//! `label_en` by the chosen language and the server writes `label_zh` into exports. A test walks
//! every labelled enum and checks that both labels are present and that the English one has no Chinese.

/// An enum whose values users read, in Chinese and in English.
pub trait Labelled: Copy + Sized + 'static {
    /// What a value is, in Chinese (e.g. 登记类型), for error messages.
    const WHAT: &'static str;
    /// Every value, in the order forms and filters list them.
    fn all() -> &'static [Self];
    /// The snake_case key used on the wire and in the database.
    fn key(self) -> &'static str;
    fn label_zh(self) -> &'static str;
    fn label_en(self) -> &'static str;
}

/// Why a string names none of an enum's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("无法识别的{what}：「{value}」")]
pub struct UnknownLabel {
    /// What was being read, in Chinese (e.g. 登记类型).
    pub what: &'static str,
    pub value: String,
}

/// Declares an enum of fixed values with its key, Chinese and English labels, `ALL` and `parse`.
///
/// The key is matched as a token tree, not a `literal` fragment: a fragment reaches a derive wrapped in an
/// invisible group, which serde reads through but utoipa's `ToSchema` does not — the OpenAPI document
/// then listed the variants' Rust names (`Drawn`) instead of the keys the API sends (`drawn`).
///
/// Every enum the user reads is declared with it, so that each has both labels and reads and parses the same way.
/// `parse` reads a key or either label (spreadsheets carry labels); an enum read only from the wire and the
/// database is declared `keys_only`, and its `parse` then reads exactly a key and answers an `Option`.
macro_rules! labelled_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident ($what:literal) keys_only {
            $(
                $(#[$variant_meta:meta])*
                $variant:ident => $key:tt, $zh:literal, $en:literal;
            )+
        }
    ) => {
        $crate::label::labelled_enum! {
            @declare
            $(#[$meta])*
            pub enum $name ($what) {
                $( $(#[$variant_meta])* $variant => $key, $zh, $en; )+
            }
        }

        impl $name {
            /// The value whose key is exactly `raw`.
            pub fn parse(raw: &str) -> Option<$name> {
                Self::ALL.into_iter().find(|v| v.key() == raw)
            }
        }
    };
    (
        $(#[$meta:meta])*
        pub enum $name:ident ($what:literal) {
            $(
                $(#[$variant_meta:meta])*
                $variant:ident => $key:tt, $zh:literal, $en:literal;
            )+
        }
    ) => {
        $crate::label::labelled_enum! {
            @declare
            $(#[$meta])*
            pub enum $name ($what) {
                $( $(#[$variant_meta])* $variant => $key, $zh, $en; )+
            }
        }

        impl $name {
            /// Reads a key, a Chinese label or an English label (in any case), ignoring surrounding blanks:
            /// forms send keys, while spreadsheets imported by staff carry labels.
            pub fn parse(raw: &str) -> Result<$name, $crate::label::UnknownLabel> {
                let raw = raw.trim();
                Self::ALL
                    .into_iter()
                    .find(|v| v.key() == raw || v.label_zh() == raw || v.label_en().eq_ignore_ascii_case(raw))
                    .ok_or_else(|| $crate::label::UnknownLabel { what: $what, value: raw.to_owned() })
            }
        }
    };
    (
        @declare
        $(#[$meta:meta])*
        pub enum $name:ident ($what:literal) {
            $(
                $(#[$variant_meta:meta])*
                $variant:ident => $key:tt, $zh:literal, $en:literal;
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[derive(serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $(
                $(#[$variant_meta])*
                #[serde(rename = $key)]
                $variant,
            )+
        }

        impl $name {
            /// Every value, in the order forms and filters list them.
            pub const ALL: [$name; [$($key),+].len()] = [$($name::$variant),+];

            /// The snake_case key used on the wire and in the database (the same as serde's).
            pub fn key(self) -> &'static str {
                match self {
                    $($name::$variant => $key,)+
                }
            }

            pub fn label_zh(self) -> &'static str {
                match self {
                    $($name::$variant => $zh,)+
                }
            }

            pub fn label_en(self) -> &'static str {
                match self {
                    $($name::$variant => $en,)+
                }
            }
        }

        impl $crate::label::Labelled for $name {
            const WHAT: &'static str = $what;
            fn all() -> &'static [Self] {
                &Self::ALL
            }
            fn key(self) -> &'static str {
                $name::key(self)
            }
            fn label_zh(self) -> &'static str {
                $name::label_zh(self)
            }
            fn label_en(self) -> &'static str {
                $name::label_en(self)
            }
        }

        /// Shows the Chinese label, the one users read.
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label_zh())
            }
        }
    };
}

pub(crate) use labelled_enum;

#[cfg(test)]
mod tests {
    use super::Labelled;

    fn is_cjk(c: char) -> bool {
        matches!(c, '\u{2e80}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{ff00}'..='\u{ffef}')
    }

    /// Both labels present, the English one without Chinese, keys distinct and each its serde form.
    fn check<T: Labelled + std::fmt::Debug + serde::Serialize>() -> usize {
        let mut keys = std::collections::BTreeSet::new();
        for &value in T::all() {
            assert!(
                !value.label_zh().trim().is_empty(),
                "{} {value:?}: no Chinese label",
                T::WHAT
            );
            let en = value.label_en();
            assert!(!en.trim().is_empty(), "{} {value:?}: no English label", T::WHAT);
            assert!(
                !en.chars().any(is_cjk),
                "{} {value:?}: Chinese in the English label {en}",
                T::WHAT
            );
            assert!(keys.insert(value.key()), "{} {value:?}: key used twice", T::WHAT);
            assert_eq!(
                serde_json::to_value(value).unwrap(),
                value.key(),
                "{} {value:?}",
                T::WHAT
            );
        }
        T::all().len()
    }

    #[test]
    fn every_labelled_enum_has_both_labels_and_no_chinese_in_english() {
        use crate::accounts::audit::{AuditAction, AuditEntity};
        use crate::calendar::DayKind;
        use crate::contributions::{AdmissionKind, ContributionKind, ContributionStatus, ExpoRole};
        use crate::credit::{EventKind, ListingEnd, ObjectionStatus};
        use crate::dashboard::{Area, FigureKey, Unit};
        use crate::dormant::{CaseStage, DormantSignal};
        use crate::fees::{CampaignStage, Disposition, FeeFinding, InspectionStage};
        use crate::illegal::{Agency, ClueSource, IllegalStage};
        use crate::inspection::{FollowUpKind, InspectionResult, ReportStage};
        use crate::jobs::{JobKind, JobStatus};
        use crate::pairing::Need;
        use crate::pairing::round::{AgreementStatus, PriorityClass, RoundStatus};
        use crate::party::{ApprovalStatus, Cohort, Due, PartyOrgKind, Rating, RecordSource, RecordStatus};
        use crate::penalties::{PenaltyKind, PenaltyStage};
        use crate::petitions::{PetitionChannel, PetitionStage, Satisfaction};
        use crate::policy::Role;
        use crate::publication::{DecisionKind, PublicationStatus};
        use crate::registry::matter::{
            ActionKind, Channel, DeadlineStatus, Hand, MatterKind, MatterStage, Party,
        };
        use crate::registry::organization::{
            Category, CreditList, EmergingIndustry, Level, ListingReason, OrgKind, OrgStatus, Registration,
            RemovalDecision, StatusAction,
        };
        use crate::villages::VillageKind;

        let counted = [
            check::<JobKind>(),
            check::<JobStatus>(),
            check::<Role>(),
            check::<AuditAction>(),
            check::<AuditEntity>(),
            check::<DayKind>(),
            check::<VillageKind>(),
            check::<Need>(),
            check::<PriorityClass>(),
            check::<RoundStatus>(),
            check::<AgreementStatus>(),
            check::<ContributionKind>(),
            check::<ContributionStatus>(),
            check::<ExpoRole>(),
            check::<AdmissionKind>(),
            check::<MatterKind>(),
            check::<MatterStage>(),
            check::<Party>(),
            check::<Channel>(),
            check::<ActionKind>(),
            check::<Hand>(),
            check::<DeadlineStatus>(),
            check::<OrgKind>(),
            check::<Category>(),
            check::<EmergingIndustry>(),
            check::<Level>(),
            check::<OrgStatus>(),
            check::<StatusAction>(),
            check::<Registration>(),
            check::<CreditList>(),
            check::<ListingReason>(),
            check::<RemovalDecision>(),
            check::<ReportStage>(),
            check::<InspectionResult>(),
            check::<FollowUpKind>(),
            check::<EventKind>(),
            check::<ListingEnd>(),
            check::<ObjectionStatus>(),
            check::<DormantSignal>(),
            check::<CaseStage>(),
            check::<ClueSource>(),
            check::<Agency>(),
            check::<IllegalStage>(),
            check::<PetitionChannel>(),
            check::<PetitionStage>(),
            check::<Satisfaction>(),
            check::<PenaltyStage>(),
            check::<PenaltyKind>(),
            check::<PartyOrgKind>(),
            check::<RecordStatus>(),
            check::<RecordSource>(),
            check::<ApprovalStatus>(),
            check::<Rating>(),
            check::<Cohort>(),
            check::<Due>(),
            check::<DecisionKind>(),
            check::<PublicationStatus>(),
            check::<FeeFinding>(),
            check::<Area>(),
            check::<Unit>(),
            check::<FigureKey>(),
            check::<Disposition>(),
            check::<CampaignStage>(),
            check::<InspectionStage>(),
        ];
        assert!(counted.iter().all(|&n| n > 0));
    }

    /// Every `labelled_enum!` in the crate is in the list above: count the declarations in the sources.
    #[test]
    fn the_walk_covers_every_labelled_enum() {
        let sources = [
            include_str!("accounts/audit.rs"),
            include_str!("calendar.rs"),
            include_str!("contributions/mod.rs"),
            include_str!("credit/mod.rs"),
            include_str!("dashboard/mod.rs"),
            include_str!("dormant/mod.rs"),
            include_str!("fees/mod.rs"),
            include_str!("illegal/mod.rs"),
            include_str!("inspection/mod.rs"),
            include_str!("jobs/mod.rs"),
            include_str!("pairing/mod.rs"),
            include_str!("pairing/round.rs"),
            include_str!("party/mod.rs"),
            include_str!("penalties/mod.rs"),
            include_str!("petitions/mod.rs"),
            include_str!("policy.rs"),
            include_str!("publication/mod.rs"),
            include_str!("registry/matter.rs"),
            include_str!("registry/organization.rs"),
            include_str!("registry/organization/credit.rs"),
            include_str!("villages/mod.rs"),
        ];
        let declared: usize = sources
            .iter()
            .map(|s| s.matches("\nlabelled_enum! {").count())
            .sum();
        assert_eq!(
            declared, 64,
            "a labelled enum was added or removed: update the walk above"
        );
    }
}
