//! Tests of the organization types and the status rules.

use super::*;

#[test]
fn each_kind_has_the_credit_code_category_digit_of_gb_32100() {
    assert_eq!(OrgKind::SocialGroup.credit_category_digit(), '1');
    assert_eq!(OrgKind::SocialService.credit_category_digit(), '2');
    assert_eq!(OrgKind::Foundation.credit_category_digit(), '3');
    for kind in OrgKind::ALL {
        assert_eq!(
            OrgKind::from_credit_category_digit(kind.credit_category_digit()),
            Some(kind)
        );
    }
    assert_eq!(OrgKind::from_credit_category_digit('9'), None);
}

/// Every labelled enum's key is its serde form and every value parses back from its key and both labels.
fn assert_labels_round_trip<T>(
    all: &[T],
    key: fn(T) -> &'static str,
    zh: fn(T) -> &'static str,
    en: fn(T) -> &'static str,
    parse: fn(&str) -> Result<T, UnknownLabel>,
) where
    T: Copy + PartialEq + std::fmt::Debug + Serialize,
{
    for &value in all {
        assert_eq!(serde_json::to_value(value).unwrap(), key(value), "{value:?}");
        assert_eq!(parse(key(value)), Ok(value));
        assert_eq!(parse(zh(value)), Ok(value));
        assert_eq!(parse(&en(value).to_uppercase()), Ok(value));
        assert_eq!(parse(&format!(" {} ", zh(value))), Ok(value));
    }
}

#[test]
fn every_enum_parses_its_key_and_both_labels_and_serializes_as_its_key() {
    assert_labels_round_trip(
        &OrgKind::ALL,
        OrgKind::key,
        OrgKind::label_zh,
        OrgKind::label_en,
        OrgKind::parse,
    );
    assert_labels_round_trip(
        &Category::ALL,
        Category::key,
        Category::label_zh,
        Category::label_en,
        Category::parse,
    );
    assert_labels_round_trip(
        &EmergingIndustry::ALL,
        EmergingIndustry::key,
        EmergingIndustry::label_zh,
        EmergingIndustry::label_en,
        EmergingIndustry::parse,
    );
    assert_labels_round_trip(
        &Level::ALL,
        Level::key,
        Level::label_zh,
        Level::label_en,
        Level::parse,
    );
    assert_labels_round_trip(
        &OrgStatus::ALL,
        OrgStatus::key,
        OrgStatus::label_zh,
        OrgStatus::label_en,
        OrgStatus::parse,
    );
    assert_labels_round_trip(
        &CreditList::ALL,
        CreditList::key,
        CreditList::label_zh,
        CreditList::label_en,
        CreditList::parse,
    );
    assert_labels_round_trip(
        &ListingReason::ALL,
        ListingReason::key,
        ListingReason::label_zh,
        ListingReason::label_en,
        ListingReason::parse,
    );
}

#[test]
fn an_unknown_label_names_what_was_being_read() {
    let error = OrgKind::parse("有限公司").unwrap_err();
    assert_eq!(error.to_string(), "无法识别的登记类型：「有限公司」");
    assert!(serde_json::from_str::<OrgKind>(r#""company""#).is_err());
}

#[test]
fn there_are_ten_emerging_industries_with_the_provinces_names() {
    let names: Vec<_> = EmergingIndustry::ALL.iter().map(|i| i.label_zh()).collect();
    assert_eq!(
        names,
        [
            "新一代信息技术",
            "人工智能",
            "新材料",
            "新能源和节能环保",
            "新能源汽车和智能网联汽车",
            "高端装备制造",
            "智能家电",
            "生命健康",
            "绿色食品",
            "数字创意"
        ]
    );
}

#[test]
fn the_level_follows_the_registering_divisions_level() {
    assert_eq!(Level::of_division(DivisionLevel::Province), Level::Provincial);
    assert_eq!(Level::of_division(DivisionLevel::City), Level::City);
    assert_eq!(Level::of_division(DivisionLevel::County), Level::County);
}

#[test]
fn an_industry_association_in_an_emerging_industry_is_accepted() {
    let classification = Classification::new(
        OrgKind::SocialGroup,
        [Category::IndustryAssociation, Category::Science],
        Some(EmergingIndustry::ArtificialIntelligence),
    )
    .unwrap();
    assert!(classification.has(Category::IndustryAssociation));
    assert_eq!(
        classification.emerging_industry(),
        Some(EmergingIndustry::ArtificialIntelligence)
    );
    let json = serde_json::to_string(&classification).unwrap();
    assert_eq!(
        json,
        concat!(
            r#"{"kind":"social_group","categories":["industry_association","science"],"#,
            r#""emerging_industry":"artificial_intelligence"}"#
        )
    );
    assert_eq!(
        serde_json::from_str::<Classification>(&json).unwrap(),
        classification
    );
}

#[test]
fn only_an_industry_association_may_name_an_emerging_industry() {
    let error = Classification::new(
        OrgKind::Foundation,
        [Category::Charity],
        Some(EmergingIndustry::GreenFood),
    );
    assert_eq!(error, Err(ClassificationError::IndustryWithoutAssociation));
    let json = r#"{"kind":"social_service","categories":["science"],"emerging_industry":"new_materials"}"#;
    let error = serde_json::from_str::<Classification>(json).unwrap_err();
    assert!(
        error.to_string().contains("只有行业协会商会可以选择所属新兴产业"),
        "{error}"
    );
}

#[test]
fn an_industry_association_must_be_a_social_group() {
    assert_eq!(
        Classification::new(OrgKind::Foundation, [Category::IndustryAssociation], None),
        Err(ClassificationError::AssociationNotASocialGroup(
            OrgKind::Foundation
        ))
    );
}

#[test]
fn a_classification_needs_a_category_and_other_stands_alone() {
    assert_eq!(
        Classification::new(OrgKind::SocialGroup, [], None),
        Err(ClassificationError::NoCategory)
    );
    assert_eq!(
        Classification::new(OrgKind::SocialGroup, [Category::Other, Category::Charity], None),
        Err(ClassificationError::OtherWithOthers)
    );
}

#[test]
fn a_registered_organization_in_normal_status_can_be_revoked_or_deregistered() {
    let registered = Registration::Registered;
    assert_eq!(
        OrgStatus::Normal.apply(StatusAction::Revoke, registered),
        Ok(OrgStatus::Revoked)
    );
    assert_eq!(
        OrgStatus::Normal.apply(StatusAction::Deregister, registered),
        Ok(OrgStatus::Deregistered)
    );
}

#[test]
fn revoking_a_deregistered_organization_is_refused() {
    let error = OrgStatus::Deregistered
        .apply(StatusAction::Revoke, Registration::Registered)
        .unwrap_err();
    assert_eq!(
        error,
        TransitionError::AlreadyClosed {
            status: OrgStatus::Deregistered,
            action: StatusAction::Revoke
        }
    );
    assert_eq!(error.to_string(), "状态为「注销」的组织不能再撤销登记");
    assert!(
        OrgStatus::Revoked
            .apply(StatusAction::Deregister, Registration::Registered)
            .is_err()
    );
    assert!(
        OrgStatus::Revoked
            .apply(StatusAction::Revoke, Registration::Registered)
            .is_err()
    );
}

#[test]
fn a_registered_organization_in_normal_status_cannot_be_banned() {
    let error = OrgStatus::Normal
        .apply(StatusAction::Ban, Registration::Registered)
        .unwrap_err();
    assert_eq!(error, TransitionError::BanOfRegistered);
}

#[test]
fn an_unregistered_body_can_only_be_banned() {
    let unregistered = Registration::Unregistered;
    assert_eq!(
        OrgStatus::Normal.apply(StatusAction::Ban, unregistered),
        Ok(OrgStatus::Banned)
    );
    let error = OrgStatus::Normal
        .apply(StatusAction::Revoke, unregistered)
        .unwrap_err();
    assert_eq!(error.to_string(), "未经登记的组织不能撤销登记，应依法取缔");
    assert!(
        OrgStatus::Normal
            .apply(StatusAction::Deregister, unregistered)
            .is_err()
    );
    assert!(OrgStatus::Banned.apply(StatusAction::Ban, unregistered).is_err());
}

#[test]
fn a_body_still_acting_after_revocation_can_be_banned() {
    assert_eq!(
        OrgStatus::Revoked.apply(StatusAction::Ban, Registration::Registered),
        Ok(OrgStatus::Banned)
    );
    assert_eq!(
        OrgStatus::Deregistered.apply(StatusAction::Ban, Registration::Registered),
        Ok(OrgStatus::Banned)
    );
    assert!(!OrgStatus::Banned.is_active());
}
