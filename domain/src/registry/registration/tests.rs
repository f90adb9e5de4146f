//! The application checks, field by field.

use super::*;

fn change(changes: ProfileChanges) -> FileMatterRequest {
    FileMatterRequest {
        kind: MatterKind::Change,
        organization_id: Some(1),
        changes,
        establishment: None,
        note: String::new(),
    }
}

#[test]
fn a_change_without_any_new_value_is_refused() {
    let errors = check_application(&change(ProfileChanges::default())).unwrap_err();
    assert_eq!(errors[0].field, "changes");
}

#[test]
fn bad_funds_and_phone_are_reported_together_naming_each_field() {
    let errors = check_application(&change(ProfileChanges {
        registered_funds: Some("12,34".into()),
        contact_phone: Some("12345".into()),
        ..Default::default()
    }))
    .unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["changes.registered_funds", "changes.contact_phone"]);
}

#[test]
fn a_valid_change_keeps_only_the_fields_to_change() {
    let app = check_application(&change(ProfileChanges {
        domicile: Some(" 合肥市蜀山区长江西路 1 号 ".into()),
        registered_funds: Some("¥30,000".into()),
        ..Default::default()
    }))
    .unwrap();
    assert_eq!(app.changes.domicile.as_deref(), Some("合肥市蜀山区长江西路 1 号"));
    assert_eq!(app.changes.registered_funds, Fen::from_yuan(30_000));
    assert!(app.changes.name.is_none());
}

#[test]
fn a_deregistration_changes_nothing_and_a_re_election_only_the_legal_representative() {
    let request = |kind| FileMatterRequest {
        kind,
        organization_id: Some(1),
        changes: ProfileChanges {
            name: Some("合肥市养老服务促进会".into()),
            legal_representative: Some("李四".into()),
            ..Default::default()
        },
        establishment: None,
        note: "理事会换届".into(),
    };
    let errors = check_application(&request(MatterKind::Deregistration)).unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["changes.name", "changes.legal_representative"]);
    assert!(
        errors[0].message.starts_with("注销登记不能同时变更名称"),
        "{}",
        errors[0].message
    );
    let errors = check_application(&request(MatterKind::ReElection)).unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["changes.name"]);
    let mut only_representative = request(MatterKind::ReElection);
    only_representative.changes.name = None;
    let app = check_application(&only_representative).unwrap();
    assert_eq!(app.changes.legal_representative.as_deref(), Some("李四"));
}

#[test]
fn names_must_end_in_an_organizational_form() {
    assert!(check_name("合肥市养老服务协会").is_ok());
    assert!(check_name("合肥市养老服务有限公司").is_err());
}
