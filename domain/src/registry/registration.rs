//! 登记申请 — what an application for a registration matter must contain, checked field by field.
//!
//! The browser runs these checks as the user types and the server runs them again on the first line of
//! the handler; both report every bad field at once, in Chinese, under the field's wire name.

use crate::api::{FieldError, FileMatterRequest, NewOrganizationInput, ProfileChanges};
use crate::division::DivisionCode;
use crate::money::Fen;
use crate::registry::matter::MatterKind;
use crate::registry::organization::{Classification, OrgKind};

/// The longest name a registration accepts (names are Chinese; counted in characters).
pub const MAX_NAME_CHARS: usize = 50;
/// The longest free text (domicile, business scope, note).
pub const MAX_TEXT_CHARS: usize = 500;

/// The endings a social organization's name takes (社会组织名称的组织形式).
pub const NAME_SUFFIXES: [&str; 14] = [
    "协会",
    "商会",
    "学会",
    "研究会",
    "促进会",
    "联合会",
    "联谊会",
    "基金会",
    "服务中心",
    "中心",
    "研究院",
    "服务社",
    "学校",
    "医院",
];

/// A checked set of profile changes: only the fields to change, each valid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidChanges {
    pub name: Option<String>,
    pub domicile: Option<String>,
    pub legal_representative: Option<String>,
    pub business_scope: Option<String>,
    pub registered_funds: Option<Fen>,
    pub contact_phone: Option<String>,
    pub supervisory_unit: Option<String>,
}

impl ValidChanges {
    pub fn is_empty(&self) -> bool {
        *self == ValidChanges::default()
    }

    /// The fields set, as (wire name, Chinese label).
    fn present(&self) -> Vec<(&'static str, &'static str)> {
        [
            ("name", "名称", self.name.is_some()),
            ("domicile", "住所", self.domicile.is_some()),
            (
                "legal_representative",
                "法定代表人",
                self.legal_representative.is_some(),
            ),
            ("business_scope", "业务范围", self.business_scope.is_some()),
            ("registered_funds", "注册资金", self.registered_funds.is_some()),
            ("contact_phone", "联系电话", self.contact_phone.is_some()),
            (
                "supervisory_unit",
                "业务主管单位",
                self.supervisory_unit.is_some(),
            ),
        ]
        .into_iter()
        .filter(|(_, _, present)| *present)
        .map(|(field, label, _)| (field, label))
        .collect()
    }

    /// Back to the wire shape, normalized (trimmed; funds in plain 元).
    pub fn to_input(&self) -> ProfileChanges {
        ProfileChanges {
            name: self.name.clone(),
            domicile: self.domicile.clone(),
            legal_representative: self.legal_representative.clone(),
            business_scope: self.business_scope.clone(),
            registered_funds: self
                .registered_funds
                .map(|f| format!("{}.{:02}", f.as_i64() / 100, f.as_i64() % 100)),
            contact_phone: self.contact_phone.clone(),
            supervisory_unit: self.supervisory_unit.clone(),
        }
    }
}

/// A checked application: the kind, the changes, the new organization (establishment and 营改非 only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    pub kind: MatterKind,
    pub changes: ValidChanges,
    pub new_organization: Option<NewOrganization>,
    pub note: String,
}

/// A new organization's classification and registering division.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrganization {
    pub classification: Classification,
    pub division: DivisionCode,
}

fn error(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.to_owned(),
        message: message.into(),
    }
}

fn text(
    raw: &Option<String>,
    field: &str,
    label: &str,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let value = raw.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
    if value.chars().count() > max {
        errors.push(error(field, format!("{label}不能超过 {max} 个字")));
        return None;
    }
    Some(value.to_owned())
}

/// Checks an organization's name: Chinese, at most 50 characters, ending in an organizational form.
pub fn check_name(name: &str) -> Result<(), String> {
    let name = name.trim();
    if name.chars().count() < 4 {
        return Err("名称至少 4 个字".to_owned());
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(format!("名称不能超过 {MAX_NAME_CHARS} 个字"));
    }
    if !NAME_SUFFIXES.iter().any(|s| name.ends_with(s)) {
        return Err(
            "名称应以协会、商会、学会、研究会、促进会、联合会、基金会、服务中心等组织形式结尾".to_owned(),
        );
    }
    Ok(())
}

/// Checks a contact phone: an 11-digit mobile, or a landline such as 0551-12345678.
pub fn check_phone(phone: &str) -> Result<(), String> {
    let phone = phone.trim();
    let mobile = phone.len() == 11 && phone.starts_with('1') && phone.bytes().all(|b| b.is_ascii_digit());
    let landline = (7..=20).contains(&phone.len())
        && phone.starts_with('0')
        && phone.bytes().all(|b| b.is_ascii_digit() || b == b'-')
        && phone.bytes().filter(u8::is_ascii_digit).count() >= 10;
    if mobile || landline {
        Ok(())
    } else {
        Err("联系电话应为 11 位手机号或带区号的固定电话（如 0551-12345678）".to_owned())
    }
}

/// Checks the fields to change; every bad field is reported under `changes.<field>`.
pub fn check_changes(input: &ProfileChanges) -> Result<ValidChanges, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = text(&input.name, "changes.name", "名称", MAX_NAME_CHARS, &mut errors);
    if let Some(Err(message)) = name.as_deref().map(check_name) {
        errors.push(error("changes.name", message));
    }
    let domicile = text(
        &input.domicile,
        "changes.domicile",
        "住所",
        MAX_TEXT_CHARS,
        &mut errors,
    );
    let legal_representative = text(
        &input.legal_representative,
        "changes.legal_representative",
        "法定代表人",
        20,
        &mut errors,
    );
    let business_scope = text(
        &input.business_scope,
        "changes.business_scope",
        "业务范围",
        MAX_TEXT_CHARS,
        &mut errors,
    );
    let supervisory_unit = text(
        &input.supervisory_unit,
        "changes.supervisory_unit",
        "业务主管单位",
        MAX_NAME_CHARS,
        &mut errors,
    );
    let registered_funds = match input
        .registered_funds
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        Some(raw) => match Fen::from_yuan_str(raw) {
            Ok(fen) => Some(fen),
            Err(e) => {
                errors.push(error("changes.registered_funds", format!("注册资金：{e}")));
                None
            }
        },
        None => None,
    };
    let contact_phone = text(
        &input.contact_phone,
        "changes.contact_phone",
        "联系电话",
        20,
        &mut errors,
    );
    if let Some(Err(message)) = contact_phone.as_deref().map(check_phone) {
        errors.push(error("changes.contact_phone", message));
    }
    if errors.is_empty() {
        Ok(ValidChanges {
            name,
            domicile,
            legal_representative,
            business_scope,
            registered_funds,
            contact_phone,
            supervisory_unit,
        })
    } else {
        Err(errors)
    }
}

fn check_new_organization(
    kind: MatterKind,
    input: Option<&NewOrganizationInput>,
    errors: &mut Vec<FieldError>,
) -> Option<NewOrganization> {
    let Some(input) = input else {
        errors.push(error("establishment", "成立登记须填写登记类型、分类和登记机关"));
        return None;
    };
    // 营改非 re-registers a tutoring company as a social service institution, whatever was chosen.
    let org_kind = match kind {
        MatterKind::ForProfitConversion => OrgKind::SocialService,
        _ => input.org_kind,
    };
    let classification = match Classification::new(
        org_kind,
        input.categories.iter().copied(),
        input.emerging_industry,
    ) {
        Ok(c) => Some(c),
        Err(e) => {
            errors.push(error("establishment.categories", e.to_string()));
            None
        }
    };
    let division = match DivisionCode::parse(input.division_code.trim()) {
        Ok(code) if code.as_str().starts_with("34") => Some(code),
        _ => {
            errors.push(error(
                "establishment.division_code",
                "登记机关须为安徽省内的 6 位行政区划代码，如 340000、340100、340122",
            ));
            None
        }
    };
    Some(NewOrganization {
        classification: classification?,
        division: division?,
    })
}

/// The profile fields (wire names under `changes`) an application of `kind` may set: every field for a
/// change, an establishment and 营改非; only the new legal representative for a re-election; none for a
/// deregistration or a filing. The form shows these fields and the check refuses the others.
pub fn allows_change(kind: MatterKind, field: &str) -> bool {
    match kind {
        MatterKind::Change | MatterKind::Establishment | MatterKind::ForProfitConversion => true,
        MatterKind::ReElection => field == "legal_representative",
        MatterKind::Deregistration | MatterKind::Filing => false,
    }
}

/// Whether an application of `kind` registers a new organization (and so needs its classification and
/// registering authority).
pub fn registers_new_organization(kind: MatterKind) -> bool {
    matches!(kind, MatterKind::Establishment | MatterKind::ForProfitConversion)
}

/// Checks an application as a whole: the fields its kind needs, each valid.
///
/// - 变更登记: at least one field to change.
/// - 成立登记 and 营改非: the new organization's name, legal representative, domicile, business scope and
///   registered funds, with its classification and registering authority.
/// - 注销登记 and 备案: a note saying why (注销原因) or what is filed (备案内容).
/// - 换届: the result (a note), optionally the new legal representative.
pub fn check_application(request: &FileMatterRequest) -> Result<Application, Vec<FieldError>> {
    let mut errors = Vec::new();
    let changes = check_changes(&request.changes).unwrap_or_else(|e| {
        errors.extend(e);
        ValidChanges::default()
    });
    let note = request.note.trim().to_owned();
    if note.chars().count() > MAX_TEXT_CHARS {
        errors.push(error("note", format!("说明不能超过 {MAX_TEXT_CHARS} 个字")));
    }
    let needs_organization = !matches!(
        request.kind,
        MatterKind::Establishment | MatterKind::ForProfitConversion
    );
    if needs_organization && request.organization_id.is_none() {
        errors.push(error("organization_id", "请选择办理事项的社会组织"));
    }
    let mut new_organization = None;
    match request.kind {
        MatterKind::Change => {
            if errors.is_empty() && changes.is_empty() {
                errors.push(error("changes", "变更登记须至少填写一项变更后的内容"));
            }
        }
        MatterKind::Establishment | MatterKind::ForProfitConversion => {
            let required = [
                ("changes.name", changes.name.is_some(), "名称"),
                (
                    "changes.legal_representative",
                    changes.legal_representative.is_some(),
                    "法定代表人",
                ),
                ("changes.domicile", changes.domicile.is_some(), "住所"),
                (
                    "changes.business_scope",
                    changes.business_scope.is_some(),
                    "业务范围",
                ),
                (
                    "changes.registered_funds",
                    changes.registered_funds.is_some(),
                    "注册资金",
                ),
            ];
            for (field, present, label) in required {
                if !present && !errors.iter().any(|e| e.field == field) {
                    errors.push(error(field, format!("成立登记须填写{label}")));
                }
            }
            new_organization =
                check_new_organization(request.kind, request.establishment.as_ref(), &mut errors);
        }
        MatterKind::Deregistration | MatterKind::Filing | MatterKind::ReElection => {
            for (field, label) in changes.present() {
                if !allows_change(request.kind, field) {
                    errors.push(error(
                        &format!("changes.{field}"),
                        format!(
                            "{}不能同时变更{label}，请另行申请变更登记",
                            request.kind.label_zh()
                        ),
                    ));
                }
            }
            if note.is_empty() {
                let what = match request.kind {
                    MatterKind::Deregistration => "注销原因",
                    MatterKind::Filing => "备案内容",
                    _ => "换届结果",
                };
                errors.push(error("note", format!("请填写{what}")));
            }
        }
    }
    if errors.is_empty() {
        Ok(Application {
            kind: request.kind,
            changes,
            new_organization,
            note,
        })
    } else {
        Err(errors)
    }
}

/// The level of a registering division.
pub fn level_of(division: &DivisionCode) -> crate::registry::organization::Level {
    crate::registry::organization::Level::of_division(division.level())
}

#[cfg(test)]
mod tests;
