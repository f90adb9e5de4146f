//! 社会组织 — the kinds, categories, levels and statuses of social organizations, and the rules for moving
//! between statuses and on and off the credit lists.
//!
//! Every enum here is declared with [`labelled_enum!`](crate::label): a wire key, both labels, `ALL` and
//! `parse`, which reads a key or either label.

mod credit;

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::division::DivisionLevel;
pub use crate::label::UnknownLabel;
use crate::label::labelled_enum;

pub use credit::{
    ABNORMAL_MONTHS_BEFORE_SERIOUS, CreditList, CreditStanding, Listing, ListingEvent, ListingReason,
    REMOVAL_DECISION_WORKING_DAYS, RemovalApplication, RemovalDecision, SERIOUS_MONTHS_BEFORE_REMOVAL,
    check_letter_interval,
};

labelled_enum! {
    /// 登记类型 — the kind an organization is registered as.
    pub enum OrgKind ("登记类型") {
        /// 社会团体 — a membership association.
        SocialGroup => "social_group", "社会团体", "Social group";
        /// 社会服务机构 — a social service institution (formerly 民办非企业单位).
        SocialService => "social_service", "社会服务机构", "Social service institution";
        /// 基金会 — a foundation.
        Foundation => "foundation", "基金会", "Foundation";
    }
}

impl OrgKind {
    /// The second character of the unified social credit code (登记管理机关类别 `5` = civil affairs is the
    /// first): `1` 社会团体, `2` 民办非企业单位/社会服务机构, `3` 基金会.
    pub fn credit_category_digit(self) -> char {
        match self {
            OrgKind::SocialGroup => '1',
            OrgKind::SocialService => '2',
            OrgKind::Foundation => '3',
        }
    }

    /// The kind a credit code's second character stands for; `9` (other) and anything else stand for none.
    pub fn from_credit_category_digit(digit: char) -> Option<OrgKind> {
        OrgKind::ALL
            .iter()
            .copied()
            .find(|kind| kind.credit_category_digit() == digit)
    }
}

labelled_enum! {
    /// 分类 — category tags; an organization carries one or more.
    pub enum Category ("分类") {
        /// 行业协会商会 — industry association or chamber of commerce.
        IndustryAssociation => "industry_association", "行业协会商会",
            "Industry association or chamber of commerce";
        /// 公益慈善类 — charity.
        Charity => "charity", "公益慈善类", "Charity";
        /// 科技类 — science and technology.
        Science => "science", "科技类", "Science and technology";
        /// 城乡社区服务类 — urban and rural community service.
        CommunityService => "community_service", "城乡社区服务类", "Urban and rural community service";
        /// 其他 — none of the above.
        Other => "other", "其他", "Other";
    }
}

labelled_enum! {
    /// 十大新兴产业 — the province's ten emerging industries; only industry associations belong to one.
    pub enum EmergingIndustry ("新兴产业") {
        NextGenerationIt => "next_generation_it", "新一代信息技术", "Next-generation information technology";
        ArtificialIntelligence => "artificial_intelligence", "人工智能", "Artificial intelligence";
        NewMaterials => "new_materials", "新材料", "New materials";
        NewEnergy => "new_energy", "新能源和节能环保", "New energy, energy saving and environmental protection";
        IntelligentVehicles => "intelligent_vehicles", "新能源汽车和智能网联汽车",
            "New-energy and intelligent connected vehicles";
        HighEndEquipment => "high_end_equipment", "高端装备制造", "High-end equipment manufacturing";
        SmartAppliances => "smart_appliances", "智能家电", "Smart home appliances";
        LifeAndHealth => "life_and_health", "生命健康", "Life and health";
        GreenFood => "green_food", "绿色食品", "Green food";
        DigitalCreativity => "digital_creativity", "数字创意", "Digital creativity";
    }
}

labelled_enum! {
    /// 登记级别 — the level of the registering authority.
    pub enum Level ("登记级别") {
        /// 省级 — registered by the provincial bureau.
        Provincial => "provincial", "省级", "Provincial";
        /// 市级 — registered by a city's civil-affairs bureau.
        City => "city", "市级", "City";
        /// 县级 — registered by a county's civil-affairs bureau.
        County => "county", "县级", "County";
    }
}

impl Level {
    /// The level of an authority from the level of its division code.
    pub fn of_division(level: DivisionLevel) -> Level {
        match level {
            DivisionLevel::Province => Level::Provincial,
            DivisionLevel::City => Level::City,
            DivisionLevel::County => Level::County,
        }
    }
}

/// Why a combination of kind, categories and emerging industry was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClassificationError {
    #[error("请至少选择一个分类")]
    NoCategory,
    #[error("「其他」不能与别的分类同时选择")]
    OtherWithOthers,
    #[error("行业协会商会应登记为社会团体，不能是{0}")]
    AssociationNotASocialGroup(OrgKind),
    #[error("只有行业协会商会可以选择所属新兴产业")]
    IndustryWithoutAssociation,
}

/// 分类信息 — an organization's kind, its category tags and, for an industry association, the emerging
/// industry it belongs to, checked together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "ClassificationFields")]
pub struct Classification {
    kind: OrgKind,
    categories: BTreeSet<Category>,
    #[serde(skip_serializing_if = "Option::is_none")]
    emerging_industry: Option<EmergingIndustry>,
}

/// The unchecked shape of a [`Classification`], as JSON carries it.
#[derive(Deserialize)]
struct ClassificationFields {
    kind: OrgKind,
    categories: Vec<Category>,
    #[serde(default)]
    emerging_industry: Option<EmergingIndustry>,
}

impl TryFrom<ClassificationFields> for Classification {
    type Error = ClassificationError;
    fn try_from(fields: ClassificationFields) -> Result<Self, Self::Error> {
        Classification::new(fields.kind, fields.categories, fields.emerging_industry)
    }
}

impl Classification {
    /// Checks the combination: at least one category; 其他 alone; industry associations are social groups
    /// (行业协会商会 register as 社会团体); only an industry association may name an emerging industry.
    pub fn new(
        kind: OrgKind,
        categories: impl IntoIterator<Item = Category>,
        emerging_industry: Option<EmergingIndustry>,
    ) -> Result<Classification, ClassificationError> {
        let categories: BTreeSet<Category> = categories.into_iter().collect();
        if categories.is_empty() {
            return Err(ClassificationError::NoCategory);
        }
        if categories.contains(&Category::Other) && categories.len() > 1 {
            return Err(ClassificationError::OtherWithOthers);
        }
        let association = categories.contains(&Category::IndustryAssociation);
        if association && kind != OrgKind::SocialGroup {
            return Err(ClassificationError::AssociationNotASocialGroup(kind));
        }
        if emerging_industry.is_some() && !association {
            return Err(ClassificationError::IndustryWithoutAssociation);
        }
        Ok(Classification {
            kind,
            categories,
            emerging_industry,
        })
    }

    pub fn kind(&self) -> OrgKind {
        self.kind
    }

    pub fn categories(&self) -> impl Iterator<Item = Category> + '_ {
        self.categories.iter().copied()
    }

    pub fn has(&self, category: Category) -> bool {
        self.categories.contains(&category)
    }

    pub fn emerging_industry(&self) -> Option<EmergingIndustry> {
        self.emerging_industry
    }
}

labelled_enum! {
    /// 登记状态 — where an organization stands with its registration.
    pub enum OrgStatus ("登记状态") {
        /// 正常 — registered and in good standing; for an unregistered body, not yet dealt with.
        Normal => "normal", "正常", "Normal";
        /// 撤销 — registration revoked as a sanction (撤销登记).
        Revoked => "revoked", "撤销", "Revoked";
        /// 注销 — registration ended at the organization's request (注销登记).
        Deregistered => "deregistered", "注销", "Deregistered";
        /// 取缔 — an illegal organization banned; never a lawfully registered one.
        Banned => "banned", "取缔", "Banned";
    }
}

labelled_enum! {
    /// 登记情况 — whether a body was ever registered. Unregistered bodies acting as social organizations are
    /// illegal organizations (非法社会组织) and can only be banned.
    pub enum Registration ("登记情况") {
        Registered => "registered", "已登记", "Registered";
        Unregistered => "unregistered", "未登记", "Unregistered";
    }
}

labelled_enum! {
    /// 处理决定 — the decisions that change an organization's status.
    pub enum StatusAction ("处理决定") {
        /// 撤销登记 — revocation, an administrative penalty. It also puts the organization on the serious
        /// list: record [`ListingReason::RegistrationRevoked`] on its credit standing.
        Revoke => "revoke", "撤销登记", "Revoke registration";
        /// 注销登记 — deregistration, at the organization's request or after dormancy remediation.
        Deregister => "deregister", "注销登记", "Deregister";
        /// 取缔 — banning an illegal organization.
        Ban => "ban", "取缔", "Ban";
    }
}

/// Why a status or credit-list change is not allowed. Messages are shown to staff as they are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("未经登记的组织不能{action}，应依法取缔")]
    NotRegistered { action: StatusAction },
    #[error("状态为「{status}」的组织不能再{action}")]
    AlreadyClosed { status: OrgStatus, action: StatusAction },
    #[error("依法登记且状态正常的社会组织不能取缔；有违法行为的应撤销登记")]
    BanOfRegistered,
    #[error("该社会组织未列入信用名单")]
    NotListed,
    #[error("该社会组织未列入活动异常名录，不能以「列入活动异常名录满两年」为由列入严重违法失信名单")]
    NotOnAbnormalList,
    #[error("列入活动异常名录尚未满两年（{since} 起算，{until} 届满），不能转入严重违法失信名单")]
    AbnormalPeriodRunning {
        since: chrono::NaiveDate,
        until: chrono::NaiveDate,
    },
    #[error("该社会组织已列入严重违法失信名单，不再列入活动异常名录")]
    AlreadySerious,
    #[error("事件日期 {on} 早于上一次列入事件的日期 {last}")]
    EventOutOfOrder {
        on: chrono::NaiveDate,
        last: chrono::NaiveDate,
    },
    #[error("已有一份 {applied_on} 提出的移出申请尚未决定")]
    RemovalPending { applied_on: chrono::NaiveDate },
    #[error("列入严重违法失信名单满两年（{since} 起算，{until} 届满）后方可申请移出")]
    SeriousPeriodRunning {
        since: chrono::NaiveDate,
        until: chrono::NaiveDate,
    },
    #[error("没有待决定的移出申请")]
    NoRemovalApplication,
    #[error("移出申请日期 {applied_on} 早于本次列入的起算日 {since}")]
    ApplicationBeforeListing {
        applied_on: chrono::NaiveDate,
        since: chrono::NaiveDate,
    },
    #[error("决定日期 {decided_on} 早于申请日期 {applied_on}")]
    DecisionBeforeApplication {
        decided_on: chrono::NaiveDate,
        applied_on: chrono::NaiveDate,
    },
    #[error("两次邮寄专用信函应间隔 20 至 60 日，实际间隔 {days} 日")]
    LetterInterval { days: i64 },
}

impl OrgStatus {
    /// The status after `action`, for a body that is (or is not) registered.
    ///
    /// - 撤销登记 and 注销登记 apply only to a registered organization in normal status: revoking a
    ///   deregistered organization, or deregistering a revoked one, is refused.
    /// - 注销登记 is not blocked by a credit listing, not even the serious list: the listing stays on the
    ///   record after deregistration, and §6 of the domain sends dormant organizations, which are usually
    ///   listed, to 注销 as one of their outcomes.
    /// - 取缔 applies to unregistered bodies, and to a body still acting after its registration was
    ///   revoked or deregistered (then it too is an illegal organization); never to a registered one in
    ///   normal status.
    pub fn apply(
        self,
        action: StatusAction,
        registration: Registration,
    ) -> Result<OrgStatus, TransitionError> {
        match (action, registration, self) {
            (StatusAction::Revoke | StatusAction::Deregister, Registration::Unregistered, _) => {
                Err(TransitionError::NotRegistered { action })
            }
            (StatusAction::Revoke, Registration::Registered, OrgStatus::Normal) => Ok(OrgStatus::Revoked),
            (StatusAction::Deregister, Registration::Registered, OrgStatus::Normal) => {
                Ok(OrgStatus::Deregistered)
            }
            (StatusAction::Ban, Registration::Registered, OrgStatus::Normal) => {
                Err(TransitionError::BanOfRegistered)
            }
            (StatusAction::Ban, _, OrgStatus::Normal | OrgStatus::Revoked | OrgStatus::Deregistered) => {
                Ok(OrgStatus::Banned)
            }
            (_, _, status) => Err(TransitionError::AlreadyClosed { status, action }),
        }
    }

    /// Whether the organization may still act as one: only in normal status.
    pub fn is_active(self) -> bool {
        self == OrgStatus::Normal
    }
}

#[cfg(test)]
mod tests;
