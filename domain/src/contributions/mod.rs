//! 贡献台账 — the contribution ledger (`DOMAIN.md` §10): what organizations give, its kinds, the
//! quantities each kind needs, the checks on an entry and its review workflow.
//!
//! The browser runs [`ContributionInput::validate`] as the user types and the server runs it again on
//! the request's first line, so both say the same thing in the same words.

pub mod api;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::label::labelled_enum;
use crate::money::Fen;
use crate::resident_id::ResidentId;

/// The earliest year an entry may be dated: the ledger starts with the 2015 poverty-alleviation campaign.
pub const EARLIEST_YEAR: i32 = 2015;

/// The largest amount one entry may carry: 100亿元. Anything above is a typing mistake, not a gift.
pub const MAX_AMOUNT: Fen = Fen::new(10_000_000_000 * 100);

/// The largest number of people one entry may count.
pub const MAX_PEOPLE: u32 = 1_000_000;

/// The most scholarship recipients one entry may list.
pub const MAX_RECIPIENTS: usize = 500;

labelled_enum! {
    /// 贡献类型 — the kinds of contribution, with the API keys used as written here.
    pub enum ContributionKind ("贡献类型") keys_only {
        /// 帮扶资金 — rural-aid funds.
        RuralFunds => "rural_funds", "帮扶资金", "Rural-aid funds";
        /// 帮扶物资 — goods, valued in 元.
        RuralGoods => "rural_goods", "帮扶物资", "Goods";
        /// 帮扶项目 — projects.
        Project => "project", "帮扶项目", "Projects";
        /// 消费帮扶 — consumption assistance (buying rural produce).
        Consumption => "consumption", "消费帮扶", "Consumption assistance";
        /// 就业/培训 — jobs found and people trained.
        Employment => "employment", "就业/培训", "Jobs and training";
        /// 助学 — scholarships, with their recipients.
        Scholarship => "scholarship", "助学", "Scholarships";
        /// 会展 — expos hosted or joined.
        Expo => "expo", "会展", "Expos";
        /// 招商引资 — investment facilitated.
        Investment => "investment", "招商引资", "Investment facilitated";
    }
}

/// What an entry of a kind must state besides its date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindNeeds {
    /// The amount must be above zero (otherwise zero is allowed, e.g. an expo joined at no cost).
    pub positive_amount: bool,
    /// A count of people (就业/培训 人次).
    pub people: bool,
    /// Whether the organization hosted or joined (会展).
    pub expo_role: bool,
    /// A list of scholarship recipients; the amount is their total.
    pub recipients: bool,
}

impl ContributionKind {
    pub fn needs(self) -> KindNeeds {
        let base = KindNeeds {
            positive_amount: false,
            people: false,
            expo_role: false,
            recipients: false,
        };
        match self {
            ContributionKind::RuralFunds
            | ContributionKind::RuralGoods
            | ContributionKind::Consumption
            | ContributionKind::Investment => KindNeeds {
                positive_amount: true,
                ..base
            },
            ContributionKind::Project => base,
            ContributionKind::Employment => KindNeeds { people: true, ..base },
            ContributionKind::Scholarship => KindNeeds {
                recipients: true,
                ..base
            },
            ContributionKind::Expo => KindNeeds {
                expo_role: true,
                ..base
            },
        }
    }
}

labelled_enum! {
    /// 会展角色 — whether the organization hosted the expo or took part in it.
    pub enum ExpoRole ("会展角色") keys_only {
        /// 主办 — hosted.
        Hosted => "hosted", "主办", "Hosted";
        /// 参展 — joined.
        Joined => "joined", "参展", "Joined";
    }
}

labelled_enum! {
    /// 录取类型 — the study a scholarship recipient was admitted to.
    pub enum AdmissionKind ("录取类型") keys_only {
        /// 本科 — undergraduate.
        Undergraduate => "undergraduate", "本科", "Undergraduate";
        /// 专科 — college (vocational).
        College => "college", "专科", "College (vocational)";
    }
}

labelled_enum! {
    /// 状态 — where an entry is in its review.
    pub enum ContributionStatus ("状态") keys_only {
        /// 草稿 — saved, not yet sent for review.
        Draft => "draft", "草稿", "Draft";
        /// 待核实 — waiting for staff.
        Submitted => "submitted", "待核实", "Awaiting verification";
        /// 已核实 — verified by staff; locked.
        Verified => "verified", "已核实", "Verified";
        /// 已退回 — returned by staff with a reason; the organization edits and resubmits.
        Returned => "returned", "已退回", "Returned";
    }
}

/// Why a status change or an edit is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("已核实的记录已锁定，不能修改；如需更正，请新建一条更正记录")]
    Locked,
    #[error("该记录正在核实中，不能修改")]
    UnderReview,
    #[error("只有草稿或已退回的记录可以提交")]
    NotSubmittable,
    #[error("只有待核实的记录可以核实或退回")]
    NotUnderReview,
}

impl ContributionStatus {
    /// The organization sends a draft, or a returned entry again (resubmission).
    pub fn submit(self) -> Result<ContributionStatus, TransitionError> {
        match self {
            ContributionStatus::Draft | ContributionStatus::Returned => Ok(ContributionStatus::Submitted),
            ContributionStatus::Verified => Err(TransitionError::Locked),
            ContributionStatus::Submitted => Err(TransitionError::NotSubmittable),
        }
    }

    /// Staff confirm a submitted entry.
    pub fn verify(self) -> Result<ContributionStatus, TransitionError> {
        match self {
            ContributionStatus::Submitted => Ok(ContributionStatus::Verified),
            ContributionStatus::Verified => Err(TransitionError::Locked),
            _ => Err(TransitionError::NotUnderReview),
        }
    }

    /// Staff send a submitted entry back, with a reason.
    pub fn return_to_organization(self) -> Result<ContributionStatus, TransitionError> {
        match self {
            ContributionStatus::Submitted => Ok(ContributionStatus::Returned),
            ContributionStatus::Verified => Err(TransitionError::Locked),
            _ => Err(TransitionError::NotUnderReview),
        }
    }

    /// Whether the organization may change the entry's content (and its evidence) now.
    pub fn check_editable(self) -> Result<(), TransitionError> {
        match self {
            ContributionStatus::Draft | ContributionStatus::Returned => Ok(()),
            ContributionStatus::Submitted => Err(TransitionError::UnderReview),
            ContributionStatus::Verified => Err(TransitionError::Locked),
        }
    }
}

/// One invalid field of an entry: the API's field name and what is wrong, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryError {
    pub field: String,
    pub message: String,
}

fn error(field: impl Into<String>, message: impl Into<String>) -> EntryError {
    EntryError {
        field: field.into(),
        message: message.into(),
    }
}

/// Checks an amount: not negative and not beyond [`MAX_AMOUNT`]; `required` also refuses zero.
pub fn check_amount(amount: Fen, required: bool) -> Result<Fen, String> {
    if amount < Fen::ZERO {
        return Err("金额不能为负数".to_owned());
    }
    if amount > MAX_AMOUNT {
        return Err(format!(
            "金额超过单笔上限 {}，请核对是否多输了位数",
            MAX_AMOUNT.format_wan_yi()
        ));
    }
    if required && amount == Fen::ZERO {
        return Err("请填写金额".to_owned());
    }
    Ok(amount)
}

/// Checks an entry's date: from [`EARLIEST_YEAR`] on and not after `today`.
pub fn check_date(date: NaiveDate, today: NaiveDate) -> Result<NaiveDate, String> {
    if date > today {
        return Err("日期不能晚于今天".to_owned());
    }
    if date.year() < EARLIEST_YEAR {
        return Err(format!("日期不能早于 {EARLIEST_YEAR} 年"));
    }
    Ok(date)
}

/// A scholarship recipient as typed (the wire form).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecipientInput {
    pub name: String,
    /// 18-character resident ID number.
    pub id_number: String,
    pub school: String,
    pub admission: AdmissionKind,
    /// In fen.
    pub amount_fen: i64,
    /// The year of admission the scholarship is for.
    pub year: i32,
}

/// A recipient that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub name: String,
    pub id_number: ResidentId,
    pub school: String,
    pub admission: AdmissionKind,
    pub amount: Fen,
    pub year: i32,
}

/// An entry as the organization types it (the wire form of create and update).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContributionInput {
    pub kind: ContributionKind,
    pub date: NaiveDate,
    /// In fen; for scholarships it must equal the recipients' total (or be left 0 to take it).
    #[serde(default)]
    pub amount_fen: i64,
    /// People counted (就业/培训).
    #[serde(default)]
    pub people: Option<u32>,
    /// Hosted or joined (会展).
    #[serde(default)]
    pub expo_role: Option<ExpoRole>,
    /// The 12-digit village the aid went to (optional).
    #[serde(default)]
    pub village_code: Option<String>,
    #[serde(default)]
    pub description: String,
    /// A verified entry of the same organization that this one corrects.
    #[serde(default)]
    pub corrects_id: Option<i64>,
    #[serde(default)]
    pub recipients: Vec<RecipientInput>,
}

/// An entry that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidContribution {
    pub kind: ContributionKind,
    pub date: NaiveDate,
    pub amount: Fen,
    pub people: Option<u32>,
    pub expo_role: Option<ExpoRole>,
    pub village_code: Option<String>,
    pub description: String,
    pub corrects_id: Option<i64>,
    pub recipients: Vec<Recipient>,
}

impl ValidContribution {
    pub fn year(&self) -> i32 {
        self.date.year()
    }
}

impl ContributionInput {
    /// Every check that needs no database, all at once so the form can show every problem.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidContribution, Vec<EntryError>> {
        let needs = self.kind.needs();
        let mut errors = Vec::new();
        if let Err(message) = check_date(self.date, today) {
            errors.push(error("date", message));
        }
        let recipients = self.validate_recipients(needs, today, &mut errors);
        let amount = if needs.recipients && self.amount_fen == 0 {
            // A scholarship's amount is its recipients' total unless the form states it.
            Fen::checked_sum(recipients.iter().map(|r| r.amount)).unwrap_or(Fen::new(i64::MAX))
        } else {
            Fen::new(self.amount_fen)
        };
        if let Err(message) = check_amount(amount, needs.positive_amount) {
            errors.push(error("amount_fen", message));
        } else if needs.recipients && !recipients.is_empty() {
            let total = Fen::checked_sum(recipients.iter().map(|r| r.amount));
            if total != Some(amount) {
                errors.push(error("amount_fen", "金额应等于各受助学生金额之和"));
            }
        }
        let people = match (needs.people, self.people) {
            (true, None | Some(0)) => {
                errors.push(error("people", "请填写人数（人次）"));
                None
            }
            (_, Some(n)) if n > MAX_PEOPLE => {
                errors.push(error("people", "人数超出合理范围，请核对"));
                None
            }
            (_, people) => people,
        };
        if needs.expo_role && self.expo_role.is_none() {
            errors.push(error("expo_role", "请选择主办或参展"));
        }
        let village_code = self
            .village_code
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        if let Some(code) = village_code
            && (code.len() != 12 || !code.bytes().all(|b| b.is_ascii_digit()))
        {
            errors.push(error("village_code", "村（社区）代码应为 12 位数字"));
        }
        let description = self.description.trim();
        if description.chars().count() > 2000 {
            errors.push(error("description", "说明不超过 2000 个字"));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidContribution {
            kind: self.kind,
            date: self.date,
            amount,
            people: if needs.recipients {
                Some(recipients.len() as u32)
            } else {
                people
            },
            expo_role: if needs.expo_role { self.expo_role } else { None },
            village_code: village_code.map(str::to_owned),
            description: description.to_owned(),
            corrects_id: self.corrects_id,
            recipients,
        })
    }

    fn validate_recipients(
        &self,
        needs: KindNeeds,
        today: NaiveDate,
        errors: &mut Vec<EntryError>,
    ) -> Vec<Recipient> {
        if !needs.recipients {
            if !self.recipients.is_empty() {
                errors.push(error("recipients", "只有助学记录可以填写受助学生"));
            }
            return Vec::new();
        }
        if self.recipients.is_empty() {
            errors.push(error("recipients", "请至少填写一名受助学生"));
        }
        if self.recipients.len() > MAX_RECIPIENTS {
            errors.push(error(
                "recipients",
                format!("一条记录最多 {MAX_RECIPIENTS} 名受助学生"),
            ));
        }
        let mut valid = Vec::with_capacity(self.recipients.len());
        for (i, r) in self.recipients.iter().enumerate() {
            let field = |name: &str| format!("recipients[{i}].{name}");
            let before = errors.len();
            let name = r.name.trim();
            if name.is_empty() || name.chars().count() > 30 {
                errors.push(error(field("name"), "请填写学生姓名（不超过 30 个字）"));
            }
            let id = ResidentId::parse_on(&r.id_number, today);
            if let Err(e) = &id {
                errors.push(error(field("id_number"), e.to_string()));
            }
            let school = r.school.trim();
            if school.is_empty() || school.chars().count() > 60 {
                errors.push(error(field("school"), "请填写录取学校（不超过 60 个字）"));
            }
            if let Err(message) = check_amount(Fen::new(r.amount_fen), true) {
                errors.push(error(field("amount_fen"), message));
            }
            if r.year < EARLIEST_YEAR || r.year > today.year() {
                errors.push(error(
                    field("year"),
                    format!("资助年度应在 {EARLIEST_YEAR} 年至今年之间"),
                ));
            }
            if let (Ok(id_number), true) = (id, errors.len() == before) {
                if valid.iter().any(|v: &Recipient| v.id_number == id_number) {
                    errors.push(error(field("id_number"), "同一名学生在本记录中重复填写"));
                    continue;
                }
                valid.push(Recipient {
                    name: name.to_owned(),
                    id_number,
                    school: school.to_owned(),
                    admission: r.admission,
                    amount: Fen::new(r.amount_fen),
                    year: r.year,
                });
            }
        }
        valid
    }
}

#[cfg(test)]
mod tests;
