//! What an approval does: the registry change (an organization's fields and status, or a new registration)
//! with its before and after for the audit log, and the licensing decision's content in Chinese.

use domain::api::FileMatterRequest;
use domain::privacy::mask_phone;
use domain::registry::credit_code::CreditCategory;
use domain::registry::matter::MatterKind;
use domain::registry::organization::{OrgKind, OrgStatus, Registration, StatusAction};
use domain::registry::registration::{
    Application, NewOrganization, ValidChanges, check_application, level_of,
};
use serde_json::{Value, json};

use super::{kind_of, payload_of, validation};
use crate::error::{Error, Result};
use crate::routes::registry::organizations::visible_organization;
use crate::state::AppState;
use crate::store::Visibility;
use crate::store::registry::OrganizationRow;
use crate::store::registry::matters::MatterRow;
use crate::store::registry::steps::{Approval, NewRegistration};

/// The changes as the audit log and the decision show them: only the changed fields, phone masked.
pub(super) fn changes_json(c: &ValidChanges) -> Value {
    let mut map = serde_json::Map::new();
    let mut put = |key: &str, value: Option<String>| {
        if let Some(v) = value {
            map.insert(key.to_owned(), Value::String(v));
        }
    };
    put("name", c.name.clone());
    put("domicile", c.domicile.clone());
    put("legal_representative", c.legal_representative.clone());
    put("business_scope", c.business_scope.clone());
    put(
        "registered_funds_fen",
        c.registered_funds.map(|f| f.as_i64().to_string()),
    );
    put("contact_phone", c.contact_phone.as_deref().map(mask_phone));
    put("supervisory_unit", c.supervisory_unit.clone());
    Value::Object(map)
}

/// The current values of the fields `c` changes, phone masked.
fn before_json(row: &OrganizationRow, c: &ValidChanges) -> Value {
    let mut map = serde_json::Map::new();
    let mut put = |changed: bool, key: &str, value: Option<String>| {
        if changed {
            map.insert(key.to_owned(), value.map_or(Value::Null, Value::String));
        }
    };
    put(c.name.is_some(), "name", Some(row.name.clone()));
    put(c.domicile.is_some(), "domicile", row.domicile.clone());
    put(
        c.legal_representative.is_some(),
        "legal_representative",
        row.legal_representative.clone(),
    );
    put(
        c.business_scope.is_some(),
        "business_scope",
        row.business_scope.clone(),
    );
    put(
        c.registered_funds.is_some(),
        "registered_funds_fen",
        row.registered_funds_fen.map(|f| f.to_string()),
    );
    put(
        c.contact_phone.is_some(),
        "contact_phone",
        row.contact_phone.as_deref().map(mask_phone),
    );
    put(
        c.supervisory_unit.is_some(),
        "supervisory_unit",
        row.supervisory_unit.clone(),
    );
    Value::Object(map)
}

/// The decision's content in Chinese: 准予变更登记：住所变更为……
fn changes_text(c: &ValidChanges) -> String {
    let parts: Vec<String> = [
        ("名称", c.name.clone()),
        ("住所", c.domicile.clone()),
        ("法定代表人", c.legal_representative.clone()),
        ("业务范围", c.business_scope.clone()),
        ("注册资金", c.registered_funds.map(|f| f.format_yuan())),
        ("联系电话", c.contact_phone.as_deref().map(mask_phone)),
        ("业务主管单位", c.supervisory_unit.clone()),
    ]
    .into_iter()
    .filter_map(|(label, value)| value.map(|v| format!("{label}变更为「{v}」")))
    .collect();
    parts.join("；")
}

/// The registry change an approval makes, and the decision's content.
pub(super) async fn approval_for(
    state: &AppState,
    visibility: &Visibility,
    row: &MatterRow,
) -> Result<(Approval, String)> {
    let kind = kind_of(row);
    let payload = payload_of(state, row)?;
    let request = FileMatterRequest {
        kind,
        organization_id: row.organization_id,
        changes: payload.changes,
        establishment: payload.establishment,
        note: row.note.clone(),
    };
    let Application {
        changes,
        new_organization,
        ..
    } = check_application(&request).map_err(validation)?;
    match new_organization {
        Some(new) => Ok(registration(kind, &new, changes)),
        None => {
            let id = row.organization_id.unwrap_or_default();
            let org = visible_organization(state, visibility, id).await?;
            update(kind, &org, &row.note, changes)
        }
    }
}

/// A new organization from an approved establishment (or 营改非).
fn registration(kind: MatterKind, new: &NewOrganization, changes: ValidChanges) -> (Approval, String) {
    let org_kind = new.classification.kind();
    let registration = NewRegistration {
        category: match org_kind {
            OrgKind::SocialGroup => CreditCategory::SocialGroup,
            OrgKind::SocialService => CreditCategory::SocialService,
            OrgKind::Foundation => CreditCategory::Foundation,
        },
        kind: org_kind.key(),
        level: level_of(&new.division).key(),
        categories: new
            .classification
            .categories()
            .map(|c| c.key())
            .collect::<Vec<_>>()
            .join(","),
        emerging_industry: new.classification.emerging_industry().map(|e| e.key()),
    };
    let content = format!(
        "准予{}：{}，登记类型{}，法定代表人{}，住所{}，注册资金{}",
        kind.label_zh(),
        changes.name.clone().unwrap_or_default(),
        org_kind.label_zh(),
        changes.legal_representative.clone().unwrap_or_default(),
        changes.domicile.clone().unwrap_or_default(),
        changes
            .registered_funds
            .map(|f| f.format_yuan())
            .unwrap_or_default(),
    );
    let after = changes_json(&changes);
    let approval = Approval::Register {
        registration,
        changes,
        after,
    };
    (approval, content)
}

/// A change to an existing organization: its fields, its status (deregistration), or a filing.
fn update(
    kind: MatterKind,
    org: &OrganizationRow,
    note: &str,
    changes: ValidChanges,
) -> Result<(Approval, String)> {
    let (status, action, content) = match kind {
        MatterKind::Deregistration => {
            let current = OrgStatus::parse(&org.status).unwrap_or(OrgStatus::Normal);
            let next = current
                .apply(StatusAction::Deregister, Registration::Registered)
                .map_err(|e| Error::Conflict {
                    message: e.to_string(),
                    fields: Vec::new(),
                })?;
            (Some(next), "deregister", format!("准予注销登记：{note}"))
        }
        MatterKind::ReElection => {
            let text = changes_text(&changes);
            let separator = if text.is_empty() { "" } else { "；" };
            (None, "re_election", format!("换届备案：{note}{separator}{text}"))
        }
        MatterKind::Filing => (None, "filing", format!("准予备案：{note}")),
        _ => (
            None,
            "change",
            format!("准予变更登记：{}", changes_text(&changes)),
        ),
    };
    let mut before = before_json(org, &changes);
    let mut after = changes_json(&changes);
    if let Some(status) = status {
        before["status"] = json!(org.status);
        after["status"] = json!(status.key());
    }
    let approval = Approval::Update {
        organization_id: org.id,
        changes,
        status,
        action,
        before,
        after,
    };
    Ok((approval, content))
}
