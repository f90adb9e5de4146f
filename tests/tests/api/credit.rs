//! The credit lists over HTTP, on both backends: an organization that did not report is on the abnormal
//! list the day after the deadline and in the public list, objects, explains, and is removed after
//! rectifying; hand-made listings, scope and bad input.

use chrono::Duration;
use domain::api::{NewListingRequest, ObjectionDecisionRequest, RemovalDecisionRequest};
use domain::credit::{CreditList, ListingEnd, ListingReason, ObjectionStatus, RemovalDecision};
use domain::registry::organization::CreditList as RegistryList;
use reqwest::StatusCode;
use tests::{Backend, on_both_backends};

use crate::inspection::{complete_report, last_year, open_last_year, pass_deadline, today, world};

on_both_backends!(
    a_missing_report_lists_the_organization_which_objects_and_is_removed_after_rectifying,
    staff_list_by_hand_only_for_reasons_the_rules_do_not_cover,
    two_years_on_the_abnormal_list_move_an_organization_to_the_serious_list_once,
);

async fn a_missing_report_lists_the_organization_which_objects_and_is_removed_after_rectifying(
    backend: Backend,
) {
    let world = world(backend).await;
    open_last_year(&world).await;
    pass_deadline(&world, 1).await;
    world.app.store.apply_credit_rules(today()).await.unwrap();

    let mine = world.org_a.list_listings("").await.unwrap();
    assert_eq!(mine.total, 1);
    let listing = &mine.items[0];
    assert_eq!(
        (listing.list, listing.reason),
        (CreditList::Abnormal, ListingReason::AnnualReportMissing)
    );
    assert_eq!(listing.decided_on, today(), "listed the day after the deadline");
    let notice = world
        .org_a
        .find_listing(listing.id)
        .await
        .unwrap()
        .notice
        .unwrap();
    assert!(notice.contains(&listing.notice_number) && notice.contains("异议"));
    let registry = world
        .hefei
        .list_organizations("credit_list=abnormal")
        .await
        .unwrap();
    assert_eq!(
        registry.items.iter().map(|o| o.id).collect::<Vec<_>>(),
        [world.org_a_id]
    );
    assert_eq!(registry.items[0].credit_list, Some(RegistryList::Abnormal));
    let public = world
        .app
        .public_credit_list("list=abnormal&q=肥东县")
        .await
        .unwrap();
    assert_eq!(public.total, 1);
    assert!(!public.items[0].objection_pending);

    // Objection: the public list shows it pending until staff decide.
    assert_eq!(
        world
            .org_b
            .file_objection(listing.id, "已按时报送")
            .await
            .unwrap_err()
            .0,
        StatusCode::NOT_FOUND
    );
    world
        .org_a
        .file_objection(listing.id, "报告已于截止日前通过邮寄报送")
        .await
        .unwrap();
    assert!(
        world
            .app
            .public_credit_list("list=abnormal&q=肥东县")
            .await
            .unwrap()
            .items[0]
            .objection_pending
    );
    let dismissed = ObjectionDecisionRequest {
        decision: ObjectionStatus::Dismissed,
        reasons: "未查到邮寄记录".into(),
    };
    assert_eq!(
        world
            .wuhu
            .decide_objection(listing.id, &dismissed)
            .await
            .unwrap_err()
            .0,
        StatusCode::NOT_FOUND
    );
    world
        .hefei
        .decide_objection(listing.id, &dismissed)
        .await
        .unwrap();
    world
        .org_a
        .set_explanation(listing.id, "我会已补报年度工作报告")
        .await
        .unwrap();
    let explained = world
        .app
        .public_credit_list("list=abnormal&q=肥东县")
        .await
        .unwrap();
    assert_eq!(
        explained.items[0].explanation.as_deref(),
        Some("我会已补报年度工作报告")
    );
    // The public registry lookup shows the same current listing, nothing personal.
    let lookup = world
        .app
        .lookup_organizations("肥东县年检测试协会")
        .await
        .unwrap();
    let shown = &lookup.items[0].listings;
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].notice_number, listing.notice_number);
    assert_eq!(shown[0].reason, listing.reason);
    assert_eq!(shown[0].decided_on, listing.decided_on);
    assert!(!shown[0].objection_pending);
    assert_eq!(shown[0].explanation.as_deref(), Some("我会已补报年度工作报告"));
    let json = world
        .app
        .lookup_organizations_response("肥东县年检测试协会")
        .await
        .text()
        .await
        .unwrap();
    assert!(!json.contains("legal_representative") && !json.contains("contact_phone"));

    // Removal: refused without rectification, then granted after the report is filed.
    let empty = world.org_a.apply_for_removal(listing.id, " ").await.unwrap_err();
    assert!(empty.1.field_message("rectification").is_some());
    let not_yet = world
        .org_a
        .apply_for_removal(listing.id, "已整改")
        .await
        .unwrap_err();
    assert!(
        not_yet
            .1
            .field_message("rectification")
            .unwrap()
            .contains("尚未补报")
    );
    world
        .org_a
        .save_my_report(last_year(), &complete_report())
        .await
        .unwrap();
    let applied = world
        .org_a
        .apply_for_removal(listing.id, "已补报年度工作报告")
        .await
        .unwrap();
    let removal = applied.removal.unwrap();
    assert!(removal.decide_by > removal.applied_on);
    let grant = RemovalDecisionRequest {
        decision: RemovalDecision::Grant,
        reasons: String::new(),
    };
    let removed = world.hefei.decide_removal(listing.id, &grant).await.unwrap();
    assert_eq!((removed.current, removed.end), (false, Some(ListingEnd::Removed)));
    assert_eq!(
        world
            .app
            .public_credit_list("list=abnormal&q=肥东县")
            .await
            .unwrap()
            .total,
        0
    );
    assert!(
        world
            .hefei
            .list_organizations("credit_list=abnormal")
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert_eq!(
        world
            .hefei
            .decide_removal(listing.id, &grant)
            .await
            .unwrap_err()
            .0,
        StatusCode::CONFLICT
    );
    // The rules do not list it again for the same report.
    assert_eq!(
        world
            .app
            .store
            .apply_credit_rules(today())
            .await
            .unwrap()
            .listed_report_missing,
        0
    );
}

async fn staff_list_by_hand_only_for_reasons_the_rules_do_not_cover(backend: Backend) {
    let world = world(backend).await;
    let by_hand = NewListingRequest {
        organization_id: world.org_b_id,
        reason: ListingReason::AnnualReportMissing,
        decided_on: today(),
        event: "未报送年度工作报告".into(),
    };
    let refused = world.wuhu.create_listing(&by_hand).await.unwrap_err();
    assert!(
        refused
            .1
            .field_message("reason")
            .unwrap()
            .contains("不能手工列入")
    );
    let unreachable = NewListingRequest {
        reason: ListingReason::Unreachable,
        ..by_hand.clone()
    };
    let unproven = world.wuhu.create_listing(&unreachable).await.unwrap_err();
    assert!(unproven.1.field_message("reason").unwrap().contains("退信"));
    let fine = NewListingRequest {
        reason: ListingReason::LargeFine,
        event: "皖民罚〔2025〕3号".into(),
        ..by_hand
    };
    assert_eq!(
        world.hefei.create_listing(&fine).await.unwrap_err().0,
        StatusCode::NOT_FOUND
    );
    let listed = world.wuhu.create_listing(&fine).await.unwrap();
    assert_eq!(listed.list, CreditList::Serious);
    assert_eq!(
        world.org_a.find_listing(listed.id).await.unwrap_err().0,
        StatusCode::NOT_FOUND
    );
    let future = NewListingRequest {
        decided_on: today() + Duration::days(1),
        ..fine
    };
    assert!(
        world
            .wuhu
            .create_listing(&future)
            .await
            .unwrap_err()
            .1
            .field_message("decided_on")
            .is_some()
    );
    // From the serious list one may apply only after two years.
    let early = world
        .org_b
        .apply_for_removal(listed.id, "已缴纳罚款")
        .await
        .unwrap_err();
    assert_eq!(early.0, StatusCode::CONFLICT);
}

async fn two_years_on_the_abnormal_list_move_an_organization_to_the_serious_list_once(backend: Backend) {
    let world = world(backend).await;
    open_last_year(&world).await;
    pass_deadline(&world, 1).await;
    world.app.store.apply_credit_rules(today()).await.unwrap();
    let later = today() + Duration::days(2 * 366);
    let moved = world.app.store.apply_credit_rules(later).await.unwrap();
    assert_eq!(moved.moved_to_serious, 2);
    assert_eq!(
        world
            .app
            .store
            .apply_credit_rules(later)
            .await
            .unwrap()
            .moved_to_serious,
        0
    );
    let serious = world.admin.list_listings("list=serious").await.unwrap();
    assert_eq!(serious.total, 2);
    assert!(
        serious
            .items
            .iter()
            .all(|l| l.reason == ListingReason::AbnormalForTwoYears)
    );
    let ended = world.admin.list_listings("state=ended").await.unwrap();
    assert!(
        ended
            .items
            .iter()
            .all(|l| l.end == Some(ListingEnd::MovedToSerious))
    );
}
