//! The contribution ledger over HTTP, on both backends: idempotent reporting, review and locking,
//! corrections, masking and the audited full view, the duplicate-child flag, bad input and evidence files.

use chrono::{Datelike, NaiveDate};
use domain::api::{
    ApiError, AuditRecord, Contribution, ContributionInput, ContributionTotals, CreateContributionRequest,
    DuplicateRecipient, Page, RecipientFull, RecipientInput,
};
use domain::contributions::{AdmissionKind, ContributionKind};
use domain::division::DivisionCode;
use domain::policy::Role;
use domain::registry::credit_code::{CreditCategory, CreditCode};
use domain::resident_id::ResidentId;
use reqwest::StatusCode;
use sheguan::store::accounts::ScopeIds;
use sheguan::store::registry::organizations::OrganizationSeed;
use tests::{Backend, TestApp, decode, on_both_backends};

on_both_backends!(
    submitting_the_same_contribution_ten_times_at_once_records_it_once,
    the_same_idempotency_key_with_another_body_is_refused_and_records_nothing,
    a_verified_entry_is_locked_and_its_correction_replaces_it_in_the_totals,
    a_returned_entry_is_edited_and_resubmitted,
    recipients_are_masked_in_lists_and_exports_and_each_full_view_is_audited,
    a_child_funded_by_two_organizations_is_flagged_to_the_bureau_and_to_neither_organization,
    bad_amounts_dates_and_id_numbers_are_refused_naming_the_field_and_nothing_is_stored,
    oversized_or_disguised_evidence_is_refused_and_real_evidence_is_served_only_in_scope,
    staff_review_only_their_own_division_and_other_entries_are_not_found,
    the_totals_rollup_always_equals_the_ledger_summed_directly,
    reseal_moves_every_recipient_to_the_current_key_so_the_retired_one_can_go,
);

const PASSWORD: &str = "ledger-test-password-1";

/// The application with three organizations (one in 肥东县 under 合肥, one in 芜湖, one provincial) and a
/// user per role.
struct Ledger {
    app: TestApp,
    admin: TestApp,
    hefei: TestApp,
    wuhu: TestApp,
    org_a: TestApp,
    org_b: TestApp,
    org_a_id: i64,
}

async fn ledger(backend: Backend) -> Ledger {
    ledger_with(backend, |_| {}).await
}

async fn ledger_with(backend: Backend, adjust: impl FnOnce(&mut sheguan::config::Config)) -> Ledger {
    let app = tests::spawn_app_with(backend, adjust).await;
    let orgs = [
        (
            "肥东县助学促进会",
            CreditCategory::SocialGroup,
            "county",
            "340122",
        ),
        (
            "芜湖市乡村振兴协会",
            CreditCategory::SocialGroup,
            "city",
            "340200",
        ),
        (
            "安徽省助学基金会",
            CreditCategory::Foundation,
            "provincial",
            "340000",
        ),
    ];
    let seeds: Vec<OrganizationSeed> = orgs
        .iter()
        .enumerate()
        .map(|(i, (name, category, level, division))| OrganizationSeed {
            credit_code: CreditCode::generate(*category, division, 500 + i as u64)
                .as_str()
                .to_owned(),
            name: (*name).to_owned(),
            kind: if *category == CreditCategory::Foundation {
                "foundation"
            } else {
                "social_group"
            }
            .to_owned(),
            level: (*level).to_owned(),
            division_code: (*division).to_owned(),
            ..Default::default()
        })
        .collect();
    let ids = app.insert_organizations(&seeds).await;
    let admin = user(&app, "admin", Role::BureauAdmin, ScopeIds::default()).await;
    let hefei = user(&app, "hefei", Role::LocalStaff, division("340100")).await;
    let wuhu = user(&app, "wuhu", Role::LocalStaff, division("340200")).await;
    let org_a = user(&app, "org-a", Role::OrgUser, organization(ids[0])).await;
    let org_b = user(&app, "org-b", Role::OrgUser, organization(ids[1])).await;
    Ledger {
        app,
        admin,
        hefei,
        wuhu,
        org_a,
        org_b,
        org_a_id: ids[0],
    }
}

fn division(code: &str) -> ScopeIds {
    ScopeIds {
        division_code: DivisionCode::parse(code).ok(),
        ..ScopeIds::default()
    }
}

fn organization(id: i64) -> ScopeIds {
    ScopeIds {
        organization_id: Some(id),
        ..ScopeIds::default()
    }
}

/// A client of its own, signed in as a new account.
async fn user(app: &TestApp, username: &str, role: Role, scope: ScopeIds) -> TestApp {
    app.add_account(username, role, scope, PASSWORD).await;
    app.signed_in_with(username, PASSWORD).await
}

/// The server's today (China, UTC+8), which entries are dated and checked by.
fn today() -> NaiveDate {
    sheguan::state::today()
}

/// A report of `kind` on `date` with nothing else filled in.
fn report(kind: ContributionKind, date: NaiveDate, amount_fen: i64) -> CreateContributionRequest {
    CreateContributionRequest {
        entry: ContributionInput {
            kind,
            date,
            amount_fen,
            people: None,
            expo_role: None,
            village_code: None,
            description: String::new(),
            corrects_id: None,
            recipients: Vec::new(),
        },
        draft: false,
    }
}

fn funds(amount_fen: i64) -> CreateContributionRequest {
    let mut body = report(ContributionKind::RuralFunds, today(), amount_fen);
    body.entry.description = "村道修缮".to_owned();
    body
}

fn child(serial: u32) -> ResidentId {
    ResidentId::generate("340122", NaiveDate::from_ymd_opt(2006, 3, 1).unwrap(), serial)
}

fn scholarship(recipients: &[(&str, &ResidentId)]) -> CreateContributionRequest {
    let mut body = report(ContributionKind::Scholarship, today(), 0);
    body.entry.recipients = recipients
        .iter()
        .map(|(name, id)| RecipientInput {
            name: (*name).to_owned(),
            id_number: id.as_str().to_owned(),
            school: "安徽大学".to_owned(),
            admission: AdmissionKind::Undergraduate,
            amount_fen: 500_000,
            year: today().year(),
        })
        .collect();
    body
}

async fn entry_count(app: &TestApp) -> i64 {
    app.store
        .list_contributions(
            &sheguan::store::Visibility::All,
            &Default::default(),
            domain::paging::PageRequest::new(Some(1), Some(1)).unwrap(),
        )
        .await
        .unwrap()
        .1 as i64
}

fn field_of(error: &ApiError) -> Vec<&str> {
    error.error.fields.iter().map(|f| f.field.as_str()).collect()
}

async fn the_same_idempotency_key_with_another_body_is_refused_and_records_nothing(backend: Backend) {
    let ledger = ledger(backend).await;
    let key = "phone-outbox-reused";
    let (status, first) = ledger
        .org_a
        .create_contribution_with_key(&funds(100_000), key)
        .await
        .unwrap();
    assert_eq!(status, StatusCode::CREATED);

    // The same request again — even written differently (its keys in alphabetical order, as a JSON map
    // writes them, not in the order of the struct's fields) — is the first entry.
    let reordered = serde_json::to_value(funds(100_000)).unwrap();
    let text = serde_json::to_string(&reordered).unwrap();
    assert_ne!(text, serde_json::to_string(&funds(100_000)).unwrap());
    let response = ledger
        .org_a
        .create_contribution_response(&reordered, Some(key))
        .await;
    let status = response.status();
    let again: Contribution = decode(response).await.unwrap();
    assert_eq!((status, again.id), (StatusCode::OK, first.id));

    // Another amount, another description, a draft instead of a report: each is refused with 409.
    let mut other_description = funds(100_000);
    other_description.entry.description = "另一件事".to_owned();
    let mut draft = funds(100_000);
    draft.draft = true;
    for body in [funds(100_001), other_description, draft] {
        let (status, error) = ledger
            .org_a
            .create_contribution_with_key(&body, key)
            .await
            .unwrap_err();
        assert_eq!(status, StatusCode::CONFLICT, "{body:?}");
        assert_eq!(field_of(&error), ["Idempotency-Key"]);
        assert!(
            error.error.message.contains("内容不同"),
            "{}",
            error.error.message
        );
    }
    assert_eq!(entry_count(&ledger.app).await, 1, "nothing more was recorded");

    // The key belongs to the organization: another organization may use the same one for its own report.
    let (status, theirs) = ledger
        .org_b
        .create_contribution_with_key(&funds(100_001), key)
        .await
        .unwrap();
    assert_eq!(status, StatusCode::CREATED);
    assert_ne!(theirs.id, first.id);
    // Without a key, nothing is compared: two reports are two entries.
    ledger.org_a.create_contribution(&funds(100_000)).await.unwrap();
    assert_eq!(entry_count(&ledger.app).await, 3);
}

async fn submitting_the_same_contribution_ten_times_at_once_records_it_once(backend: Backend) {
    let ledger = ledger(backend).await;
    let body = funds(123_456);

    let requests = (0..10).map(|_| {
        ledger
            .org_a
            .create_contribution_with_key(&body, "phone-outbox-0001")
    });
    let answers: Vec<(StatusCode, Contribution)> = futures::future::join_all(requests)
        .await
        .into_iter()
        .map(|answer| answer.unwrap())
        .collect();

    let ids: Vec<i64> = answers.iter().map(|(_, c)| c.id).collect();
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
    assert_eq!(
        answers.iter().filter(|(s, _)| *s == StatusCode::CREATED).count(),
        1
    );
    assert_eq!(entry_count(&ledger.app).await, 1);
    // The same key from another organization is another entry.
    let (status, other) = ledger
        .org_b
        .create_contribution_with_key(&body, "phone-outbox-0001")
        .await
        .unwrap();
    assert_eq!(status, StatusCode::CREATED);
    assert_ne!(other.id, ids[0]);
}

async fn a_verified_entry_is_locked_and_its_correction_replaces_it_in_the_totals(backend: Backend) {
    let ledger = ledger(backend).await;
    let entry = ledger.org_a.create_contribution(&funds(100_000)).await.unwrap();
    let verified: Contribution = ledger.hefei.verify_contribution(entry.id).await.unwrap();
    assert_eq!(verified.status.key(), "verified");

    let (status, _) = ledger
        .org_a
        .update_contribution(entry.id, &report(ContributionKind::RuralFunds, today(), 1))
        .await
        .unwrap_err();
    assert_eq!(status, StatusCode::CONFLICT);

    let mut correction = funds(90_000);
    correction.entry.corrects_id = Some(entry.id);
    let correction = ledger.org_a.create_contribution(&correction).await.unwrap();
    assert_eq!(correction.corrects_id, Some(entry.id));
    let totals: ContributionTotals = ledger.org_a.contribution_totals("by=kind").await.unwrap();
    assert_eq!(
        totals.amount_fen.as_i64(),
        100_000,
        "the original counts until the correction is verified"
    );

    ledger.admin.verify_contribution(correction.id).await.unwrap();
    let totals: ContributionTotals = ledger.org_a.contribution_totals("by=kind").await.unwrap();
    assert_eq!(totals.amount_fen.as_i64(), 90_000);
    assert_eq!(totals.entries, 1);
    let original: Contribution = ledger.org_a.find_contribution(entry.id).await.unwrap();
    assert_eq!(original.superseded_by, Some(correction.id));
    let audit: Page<AuditRecord> = ledger
        .admin
        .list_audit(&format!("entity_type=contribution&entity_id={}", correction.id))
        .await
        .unwrap();
    let actions: Vec<&str> = audit.items.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(actions, ["verify", "create"]);
}

async fn a_returned_entry_is_edited_and_resubmitted(backend: Backend) {
    let ledger = ledger(backend).await;
    let entry = ledger.org_a.create_contribution(&funds(100_000)).await.unwrap();
    let (status, error) = ledger
        .hefei
        .return_contribution(entry.id, None)
        .await
        .unwrap_err();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_of(&error), ["reason"]);
    let returned: Contribution = ledger
        .hefei
        .return_contribution(entry.id, Some("缺少收据照片"))
        .await
        .unwrap();
    assert_eq!(returned.return_reason.as_deref(), Some("缺少收据照片"));

    let resubmitted: Contribution = ledger
        .org_a
        .update_contribution(entry.id, &funds(120_000))
        .await
        .unwrap();
    assert_eq!(resubmitted.status.key(), "submitted");
    assert_eq!(resubmitted.amount_fen.as_i64(), 120_000);
    assert_eq!(resubmitted.return_reason, None);
}

async fn recipients_are_masked_in_lists_and_exports_and_each_full_view_is_audited(backend: Backend) {
    let ledger = ledger(backend).await;
    let id = child(11);
    let entry = ledger
        .org_a
        .create_contribution(&scholarship(&[("张小三", &id)]))
        .await
        .unwrap();
    let full_id = id.as_str().to_owned();

    for viewer in [&ledger.org_a, &ledger.hefei, &ledger.admin] {
        let text = wire_text(viewer.find_contribution_response(entry.id).await).await;
        assert!(!text.contains("张小三") && !text.contains(&full_id), "{text}");
        let detail: Contribution = serde_json::from_str(&text).unwrap();
        assert_eq!(detail.recipients[0].name, "张*三");
        assert_eq!(detail.recipients[0].id_number, id.masked());
        let list = wire_text(viewer.list_contributions_response("").await).await;
        assert!(!list.contains("张小三"));
        let export = viewer.export_contributions("").await;
        assert_eq!(export.status(), StatusCode::OK);
        let bytes = export.bytes().await.unwrap();
        assert!(bytes.starts_with(b"PK"), "an xlsx is a zip");
        let text = unzipped_text(&bytes);
        assert!(text.contains("张*三") && !text.contains("张小三") && !text.contains(&full_id));
    }

    let (status, _) = ledger.hefei.full_recipients(entry.id).await.unwrap_err();
    assert_eq!(status, StatusCode::FORBIDDEN);
    let full: Vec<RecipientFull> = ledger.admin.full_recipients(entry.id).await.unwrap();
    assert_eq!(
        (full[0].name.as_str(), full[0].id_number.as_str()),
        ("张小三", full_id.as_str())
    );
    let audit: Page<AuditRecord> = ledger
        .admin
        .list_audit(&format!("action=view_personal_data&entity_id={}", entry.id))
        .await
        .unwrap();
    assert_eq!(audit.total, 1);
    assert_eq!(audit.items[0].actor_name, "admin");
    assert!(!serde_json::to_string(&audit.items).unwrap().contains(&full_id));
}

/// The body of a successful answer, as the server wrote it.
async fn wire_text(response: reqwest::Response) -> String {
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

/// The text of every XML part of an .xlsx (its shared strings), without a zip library: parts are stored
/// deflated, so inflate them.
fn unzipped_text(bytes: &[u8]) -> String {
    let mut archive = zip_parts(bytes);
    archive.retain(|(name, _)| name.ends_with(".xml"));
    archive.into_iter().map(|(_, text)| text).collect()
}

fn zip_parts(bytes: &[u8]) -> Vec<(String, String)> {
    use std::io::Read;
    let mut parts = Vec::new();
    let mut at = 0;
    while at + 30 <= bytes.len() && bytes[at..at + 4] == [0x50, 0x4b, 0x03, 0x04] {
        let u16_at = |i: usize| u16::from_le_bytes([bytes[i], bytes[i + 1]]) as usize;
        let u32_at =
            |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]) as usize;
        let method = u16_at(at + 8);
        let compressed = u32_at(at + 18);
        let name_len = u16_at(at + 26);
        let extra_len = u16_at(at + 28);
        let name = String::from_utf8_lossy(&bytes[at + 30..at + 30 + name_len]).into_owned();
        let data_at = at + 30 + name_len + extra_len;
        let data = &bytes[data_at..data_at + compressed];
        let mut text = String::new();
        if method == 8 {
            let _ = flate2::read::DeflateDecoder::new(data).read_to_string(&mut text);
        } else {
            text = String::from_utf8_lossy(data).into_owned();
        }
        parts.push((name, text));
        at = data_at + compressed;
    }
    parts
}

async fn a_child_funded_by_two_organizations_is_flagged_to_the_bureau_and_to_neither_organization(
    backend: Backend,
) {
    let ledger = ledger(backend).await;
    let shared = child(21);
    let only_a = child(23);
    let a = ledger
        .org_a
        .create_contribution(&scholarship(&[("李四", &shared), ("王五", &only_a)]))
        .await
        .unwrap();
    let b = ledger
        .org_b
        .create_contribution(&scholarship(&[("李四", &shared)]))
        .await
        .unwrap();

    let for_bureau: Contribution = ledger.admin.find_contribution(a.id).await.unwrap();
    let flags: Vec<Option<bool>> = for_bureau.recipients.iter().map(|r| r.funded_elsewhere).collect();
    assert_eq!(flags, [Some(true), Some(false)]);
    let duplicates: Vec<DuplicateRecipient> = ledger.admin.duplicate_recipients("").await.unwrap();
    assert_eq!(duplicates.len(), 1);
    assert_eq!(duplicates[0].id_number, shared.masked());
    let mut entries: Vec<i64> = duplicates[0].fundings.iter().map(|f| f.contribution_id).collect();
    entries.sort_unstable();
    assert_eq!(entries, [a.id, b.id]);

    for (org, id) in [(&ledger.org_a, a.id), (&ledger.org_b, b.id)] {
        let detail = wire_text(org.find_contribution_response(id).await).await;
        assert!(!detail.contains("funded_elsewhere"), "{detail}");
        let (status, _) = org.duplicate_recipients("").await.unwrap_err();
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    // Staff of a city see no flag either: the bureau alone compares organizations.
    let detail = wire_text(ledger.hefei.find_contribution_response(a.id).await).await;
    assert!(!detail.contains("funded_elsewhere"));
}

async fn bad_amounts_dates_and_id_numbers_are_refused_naming_the_field_and_nothing_is_stored(
    backend: Backend,
) {
    let ledger = ledger(backend).await;
    let tomorrow = today().succ_opt().unwrap();
    let mut bad_id = scholarship(&[("张三", &child(31))]);
    bad_id.entry.recipients[0].id_number = "340122200603010310".to_owned();
    let before_the_ledger = NaiveDate::from_ymd_opt(2014, 12, 31).unwrap();
    let mut unknown_village = report(ContributionKind::RuralFunds, today(), 100);
    unknown_village.entry.village_code = Some("340122999999".to_owned());
    let cases = [
        (funds(-100), "amount_fen"),
        (funds(10_000_000_000 * 100 + 1), "amount_fen"),
        (report(ContributionKind::RuralFunds, tomorrow, 100), "date"),
        (
            report(ContributionKind::RuralFunds, before_the_ledger, 100),
            "date",
        ),
        (report(ContributionKind::Employment, today(), 0), "people"),
        (bad_id, "recipients[0].id_number"),
        (unknown_village, "village_code"),
    ];
    for (body, field) in cases {
        let (status, error) = ledger.org_a.create_contribution(&body).await.unwrap_err();
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body:?}");
        assert_eq!(field_of(&error), [field], "{body:?}");
    }
    let (_, error) = ledger
        .org_a
        .create_contribution(&funds(10_000_000_000 * 100 + 1))
        .await
        .unwrap_err();
    assert!(error.error.message.contains("亿元"), "{}", error.error.message);
    assert_eq!(entry_count(&ledger.app).await, 0);
}

async fn oversized_or_disguised_evidence_is_refused_and_real_evidence_is_served_only_in_scope(
    backend: Backend,
) {
    let ledger = ledger(backend).await;
    let mut draft = report(ContributionKind::RuralFunds, today(), 100);
    draft.draft = true;
    let entry = ledger.org_a.create_contribution(&draft).await.unwrap();
    assert_eq!(entry.status.key(), "draft");

    let (status, error) = ledger
        .org_a
        .upload_evidence(
            entry.id,
            vec![("file", "receipt.jpg", b"this is not a photo".to_vec())],
        )
        .await
        .unwrap_err();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_of(&error), ["file[0]"]);

    let mut huge = b"%PDF-1.7\n".to_vec();
    huge.resize(10 * 1024 * 1024 + 1, b' ');
    let (status, error) = ledger
        .org_a
        .upload_evidence(entry.id, vec![("file", "big.pdf", huge)])
        .await
        .unwrap_err();
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(field_of(&error), ["file[0]"]);
    let detail: Contribution = ledger.org_a.find_contribution(entry.id).await.unwrap();
    assert_eq!(detail.evidence_count, 0);

    let photo = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00receipt".to_vec();
    let stored = ledger
        .org_a
        .upload_evidence(entry.id, vec![("file", "收据.txt", photo.clone())])
        .await
        .unwrap();
    assert_eq!(stored[0].file_type, domain::evidence::EvidenceType::Jpeg);
    let response = ledger.org_a.evidence_file(entry.id, stored[0].id).await;
    assert_eq!(response.headers()["content-type"], "image/jpeg");
    assert_eq!(response.bytes().await.unwrap().as_ref(), photo.as_slice());
    for outsider in [&ledger.org_b, &ledger.wuhu] {
        let response = outsider.evidence_file(entry.id, stored[0].id).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
    // Each download of a file is in the audit log.
    let db = ledger.app.db().await;
    let downloads = format!(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'download_evidence' AND entity_id = '{}'",
        entry.id
    );
    assert_eq!(db.count(&downloads).await, 1);
    // Once submitted, the entry takes no more evidence.
    ledger.org_a.submit_contribution(entry.id).await.unwrap();
    let (status, _) = ledger
        .org_a
        .upload_evidence(entry.id, vec![("file", "late.jpg", photo.clone())])
        .await
        .unwrap_err();
    assert_eq!(status, StatusCode::CONFLICT);
}

async fn staff_review_only_their_own_division_and_other_entries_are_not_found(backend: Backend) {
    let ledger = ledger(backend).await;
    let in_hefei = ledger.org_a.create_contribution(&funds(100)).await.unwrap();
    let in_wuhu = ledger.org_b.create_contribution(&funds(200)).await.unwrap();

    let queue: Page<Contribution> = ledger.hefei.list_contributions("queue=true").await.unwrap();
    assert_eq!(
        queue.items.iter().map(|c| c.id).collect::<Vec<_>>(),
        [in_hefei.id]
    );
    let (status, _) = ledger.hefei.verify_contribution(in_wuhu.id).await.unwrap_err();
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = ledger.org_b.find_contribution(in_hefei.id).await.unwrap_err();
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = ledger.org_a.verify_contribution(in_hefei.id).await.unwrap_err();
    assert_eq!(status, StatusCode::FORBIDDEN);

    ledger.wuhu.verify_contribution(in_wuhu.id).await.unwrap();
    ledger.hefei.verify_contribution(in_hefei.id).await.unwrap();
    let totals: ContributionTotals = ledger.admin.contribution_totals("by=city").await.unwrap();
    let cities: Vec<(Option<&str>, i64)> = totals
        .groups
        .iter()
        .map(|g| (g.city_code.as_deref(), g.amount_fen.as_i64()))
        .collect();
    assert_eq!(cities, [(Some("340100"), 100), (Some("340200"), 200)]);
    let drill: Page<Contribution> = ledger
        .admin
        .list_contributions("counted=true&city_code=340100")
        .await
        .unwrap();
    assert_eq!(
        drill.items.iter().map(|c| c.id).collect::<Vec<_>>(),
        [in_hefei.id]
    );
    let _ = ledger.org_a_id;
}

/// The province, city and county totals come from the rollup; whatever happens to entries — a bulk load,
/// verification, return, a verified correction — they equal the ledger summed row by row.
async fn the_totals_rollup_always_equals_the_ledger_summed_directly(backend: Backend) {
    use sheguan::store::Visibility;
    use sheguan::store::contributions::{LedgerFilter, TotalsBy};

    let ledger = ledger(backend).await;
    let organizations = ledger.app.store.organization_divisions().await.unwrap();
    let keys = sheguan::crypto::DataKeys::random();
    let seeded = sheguan::seed::demo::generate_contributions(&organizations, &keys, 3_000, 0);
    ledger.app.store.insert_seed_contributions(&seeded).await.unwrap();

    // Through the API: one verified, one returned, one verified and then corrected (the correction verified).
    let a = ledger.org_a.create_contribution(&funds(100_000)).await.unwrap();
    let b = ledger.org_a.create_contribution(&funds(200_000)).await.unwrap();
    let c = ledger.org_b.create_contribution(&funds(300_000)).await.unwrap();
    let _: Contribution = ledger.admin.verify_contribution(a.id).await.unwrap();
    let _: Contribution = ledger
        .admin
        .return_contribution(b.id, Some("缺少票据"))
        .await
        .unwrap();
    let _: Contribution = ledger.admin.verify_contribution(c.id).await.unwrap();
    let mut correction = funds(250_000);
    correction.entry.corrects_id = Some(c.id);
    let fix = ledger.org_b.create_contribution(&correction).await.unwrap();
    let _: Contribution = ledger.admin.verify_contribution(fix.id).await.unwrap();

    let store = &ledger.app.store;
    let scopes = [
        Visibility::All,
        Visibility::Division("3401".to_owned()),
        Visibility::Division("340122".to_owned()),
    ];
    let year = today().year();
    let filters = [
        LedgerFilter::default(),
        LedgerFilter {
            year: Some(year),
            ..Default::default()
        },
        LedgerFilter {
            kind: Some(domain::contributions::ContributionKind::RuralFunds),
            city_code: Some("340200".to_owned()),
            ..Default::default()
        },
    ];
    let dimensions = [
        TotalsBy {
            kind: true,
            city: true,
            ..Default::default()
        },
        TotalsBy {
            kind: true,
            year: true,
            ..Default::default()
        },
        TotalsBy {
            year: true,
            city: true,
            ..Default::default()
        },
        TotalsBy::default(),
    ];
    let mut compared = 0;
    for scope in &scopes {
        for filter in &filters {
            for by in dimensions {
                let rolled = store.rollup_totals(scope, filter, by).await.unwrap();
                let summed = store.ledger_totals(scope, filter, by).await.unwrap();
                assert_eq!(rolled, summed, "{scope:?} {filter:?} {by:?}");
                compared += rolled.len();
            }
        }
    }
    assert!(compared > 100, "the comparison saw real groups: {compared}");

    // The API's province total counts a, and the correction instead of c; not b.
    let totals: ContributionTotals = ledger
        .admin
        .contribution_totals(&format!("by=city&year={year}&kind=rural_funds&city_code=340200"))
        .await
        .unwrap();
    let seeded_wuhu: i64 = seeded
        .iter()
        .filter(|e| {
            e.status == domain::contributions::ContributionStatus::Verified
                && e.date.year() == year
                && e.kind == domain::contributions::ContributionKind::RuralFunds
                && e.division_code.starts_with("3402")
        })
        .map(|e| e.amount.as_i64())
        .sum();
    assert_eq!(totals.amount_fen.as_i64(), seeded_wuhu + 250_000);
}

/// Key rotation: `sheguan keys reseal` re-encrypts every recipient under the current key; a server
/// without the retired key then still shows them in full.
async fn reseal_moves_every_recipient_to_the_current_key_so_the_retired_one_can_go(backend: Backend) {
    // Base64 of 32 bytes of 1, 2 and 3.
    let old = "k1:AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=".to_owned();
    let new = "k2:AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=".to_owned();
    let matching = "AwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM=".to_owned();
    let ledger = ledger_with(backend, |c| {
        c.keys.data_key = Some(old.clone());
        c.keys.match_key = Some(matching.clone());
    })
    .await;
    let first = child(21);
    let second = child(22);
    let entry = ledger
        .org_a
        .create_contribution(&scholarship(&[("王小明", &first), ("李思远", &second)]))
        .await
        .unwrap();

    // Each ciphertext opens in its own row only: copied to the other recipient's row, it does not.
    let store = &ledger.app.store;
    let keys = sheguan::crypto::DataKeys::from_config(Some(&old), None, Some(&matching), false).unwrap();
    let rows = store.contribution_recipients(&[entry.id]).await.unwrap();
    let [a, b] = [&rows[0], &rows[1]];
    assert!(
        rows.iter()
            .all(|r| sheguan::crypto::is_bound(&r.name_cipher) && r.seal_ref.is_some())
    );
    let name_a = keys
        .open(&a.key_id, &a.name_cipher, a.context("name_cipher"))
        .unwrap();
    assert!(
        keys.open(&a.key_id, &a.name_cipher, b.context("name_cipher"))
            .is_err()
    );
    assert!(
        keys.open(&a.key_id, &a.name_cipher, a.context("id_number_cipher"))
            .is_err()
    );
    let db = ledger.app.db().await;
    db.execute(&format!(
        "UPDATE contribution_recipients SET name_cipher = '{}' WHERE id = {}",
        a.name_cipher, b.id
    ))
    .await
    .unwrap();
    let (status, _) = ledger.admin.full_recipients(entry.id).await.unwrap_err();
    assert_eq!(
        status,
        reqwest::StatusCode::INTERNAL_SERVER_ERROR,
        "a copied ciphertext does not open"
    );

    // A row sealed before values were bound to rows (no seal reference) still opens, and is re-sealed.
    let name_b = if name_a == "王小明" {
        "李思远"
    } else {
        "王小明"
    };
    let id_b = if name_a == "王小明" { &second } else { &first };
    db.execute(&format!(
        "UPDATE contribution_recipients SET name_cipher = '{}', id_number_cipher = '{}', seal_ref = NULL
         WHERE id = {}",
        keys.seal_unbound(name_b).ciphertext,
        keys.seal_unbound(id_b.as_str()).ciphertext,
        b.id
    ))
    .await
    .unwrap();
    let full: Vec<RecipientFull> = ledger.admin.full_recipients(entry.id).await.unwrap();
    assert!(
        full.iter()
            .any(|r| r.name == name_b && r.id_number == id_b.as_str()),
        "{full:?}"
    );

    let rotated =
        sheguan::crypto::DataKeys::from_config(Some(&new), Some(&old), Some(&matching), false).unwrap();
    let resealed = sheguan::cli::reseal(&ledger.app.store, &rotated).await.unwrap();
    assert_eq!(resealed, 2);
    let rows = ledger
        .app
        .store
        .contribution_recipients(&[entry.id])
        .await
        .unwrap();
    assert!(rows.iter().all(|r| r.key_id == "k2"), "{rows:?}");
    assert!(
        rows.iter()
            .all(|r| sheguan::crypto::is_bound(&r.id_number_cipher) && r.seal_ref.is_some()),
        "the old row is bound to its row now: {rows:?}"
    );
    assert_eq!(
        sheguan::cli::reseal(&ledger.app.store, &rotated).await.unwrap(),
        0,
        "nothing left"
    );

    // A server that knows only the new key shows them in full; the audit log has the re-sealing.
    let server = ledger
        .app
        .another_server_with(|c| {
            c.keys.data_key = Some(new.clone());
            c.keys.data_keys_retired = None;
            c.keys.match_key = Some(matching.clone());
        })
        .await;
    let admin = server.signed_in_with("admin", PASSWORD).await;
    let full: Vec<RecipientFull> = admin.full_recipients(entry.id).await.unwrap();
    let mut names: Vec<(String, String)> = full.into_iter().map(|r| (r.name, r.id_number)).collect();
    names.sort();
    let mut expected = vec![
        ("李思远".to_owned(), second.as_str().to_owned()),
        ("王小明".to_owned(), first.as_str().to_owned()),
    ];
    expected.sort();
    assert_eq!(names, expected);
    let audit: Page<AuditRecord> = ledger
        .admin
        .list_audit("entity_type=contribution_recipients")
        .await
        .unwrap();
    assert!(
        audit.items.iter().any(|r| r.action == "reseal"),
        "{:?}",
        audit.items
    );
}
