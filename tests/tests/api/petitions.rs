//! Petitions over HTTP, on both backends: an online petition gets a receipt, is accepted, extended once,
//! replied to and closed — never closed before the reply; the limits run on the working-day calendar (a
//! petition received just before the National Day holiday); petitioners are masked, shown in full to the
//! bureau only and audited; scope and bad input.

use chrono::NaiveDate;
use domain::api::{
    NewIllegalCaseRequest, NewPenaltyRequest, NewPetitionRequest, OnlinePetitionRequest, PetitionStep,
    PetitionerInput,
};
use domain::calendar::WorkCalendar;
use domain::illegal::ClueSource;
use domain::petitions::{DeadlineStatus, PetitionChannel, PetitionStage, Satisfaction};
use domain::resident_id::ResidentId;
use reqwest::StatusCode;
use sheguan::store::petitions::ResealedPetitioner;
use sheguan::store::{Actor, AuditEntry};
use tests::{Backend, on_both_backends};

use crate::inspection::{World, today, world};

on_both_backends!(
    an_online_petition_gets_a_receipt_and_is_accepted_extended_replied_and_closed,
    a_petition_received_before_a_holiday_counts_its_limits_in_working_days,
    petitioners_are_masked_and_shown_in_full_only_to_the_bureau_with_an_audit_row,
    bad_petitions_and_steps_are_refused_naming_the_field,
    a_petition_raises_a_clue_and_a_penalty_case_that_list_under_it,
);

/// A valid ID number (its check digit computed).
fn id_number() -> ResidentId {
    ResidentId::generate("340102", NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(), 12)
}

/// The same number with another check digit.
fn wrong_check_digit() -> String {
    let valid = id_number().as_str().to_owned();
    let last = if valid.ends_with('0') { '1' } else { '0' };
    format!("{}{last}", &valid[..17])
}

fn petitioner() -> PetitionerInput {
    PetitionerInput {
        name: "张小三".into(),
        phone: "13912345678".into(),
        id_number: id_number().as_str().to_owned(),
    }
}

fn letter(received_on: NaiveDate) -> NewPetitionRequest {
    NewPetitionRequest {
        channel: PetitionChannel::Letter,
        received_on,
        petitioner: petitioner(),
        matter: "反映某协会强制入会、收费不开票".into(),
        organization_id: None,
        division_code: Some("340122".into()),
    }
}

async fn staff_petition(world: &World, received_on: NaiveDate) -> i64 {
    world
        .hefei
        .create_petition(&letter(received_on))
        .await
        .unwrap()
        .id
}

async fn an_online_petition_gets_a_receipt_and_is_accepted_extended_replied_and_closed(backend: Backend) {
    let world = world(backend).await;
    let public = world.app.another_client();
    let online = OnlinePetitionRequest {
        petitioner: petitioner(),
        matter: "某协会以评比达标为名收费".into(),
        division_code: "340122".into(),
    };
    let receipt = public.submit_online_petition(&online).await.unwrap();
    assert!(receipt.receipt.starts_with("XF") && receipt.receipt.len() >= 20);
    let progress = public.petition_progress(&receipt.receipt).await.unwrap();
    assert_eq!(progress.stage, PetitionStage::Received);
    assert_eq!(progress.acceptance_due, receipt.acceptance_due);
    let raw = public
        .get(&format!("/api/v1/public/petitions/{}", receipt.receipt))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !raw.contains("评比达标") && !raw.contains("张"),
        "progress, not content: {raw}"
    );
    let guessed = public
        .petition_progress("XFAAAAAAAAAAAAAAAAAAAA")
        .await
        .unwrap_err();
    assert_eq!(guessed.0, StatusCode::NOT_FOUND);

    let list = world.hefei.list_petitions("channel=online").await.unwrap();
    assert_eq!(list.total, 1);
    let id = list.items[0].id;
    let close = PetitionStep::Close {
        on: today(),
        satisfaction: Satisfaction::Satisfied,
        note: String::new(),
    };
    let unreplied = world.hefei.step_petition(id, &close).await.unwrap_err();
    assert_eq!(unreplied.0, StatusCode::CONFLICT);
    assert!(
        unreplied.1.error.message.contains("书面答复"),
        "{}",
        unreplied.1.error.message
    );

    let accepted = world
        .hefei
        .step_petition(id, &PetitionStep::Accept { on: today() })
        .await
        .unwrap();
    let calendar = WorkCalendar::mainland_china();
    assert_eq!(
        accepted.handling_due,
        Some(calendar.add_working_days(today(), 60))
    );
    let extend = PetitionStep::Extend {
        days: 30,
        reason: "需会同市场监管部门核查收费情况".into(),
    };
    let extended = world.hefei.step_petition(id, &extend).await.unwrap();
    assert_eq!(
        extended.handling_due,
        Some(calendar.add_working_days(today(), 90))
    );
    let again = world.hefei.step_petition(id, &extend).await.unwrap_err();
    assert_eq!(again.0, StatusCode::CONFLICT, "one extension only");
    assert!(
        world.hefei.step_petition(id, &close).await.is_err(),
        "still no reply"
    );

    let reply = PetitionStep::Reply {
        on: today(),
        reply: "经核查，已责令该协会退还违规收费，并依法立案处罚。".into(),
    };
    world.hefei.step_petition(id, &reply).await.unwrap();
    let closed = world.hefei.step_petition(id, &close).await.unwrap();
    assert_eq!(closed.stage, PetitionStage::Closed);
    assert_eq!(closed.satisfaction, Some(Satisfaction::Satisfied));
    assert_eq!((closed.due_on, closed.deadline), (None, None));
    let progress = public.petition_progress(&receipt.receipt).await.unwrap();
    assert_eq!(progress.stage, PetitionStage::Closed);
    assert!(progress.extended && progress.replied_on == Some(today()));
}

async fn a_petition_received_before_a_holiday_counts_its_limits_in_working_days(backend: Backend) {
    let world = world(backend).await;
    // The day before the 2025 National Day and Mid-Autumn holiday (1–8 October).
    let received = NaiveDate::from_ymd_opt(2025, 9, 30).unwrap();
    let petition = world.hefei.create_petition(&letter(received)).await.unwrap();
    let calendar = WorkCalendar::mainland_china();
    assert_eq!(petition.acceptance_due, calendar.add_working_days(received, 15));
    assert_eq!(
        calendar.working_days_between(received, petition.acceptance_due),
        15
    );
    assert!(
        petition.acceptance_due > NaiveDate::from_ymd_opt(2025, 10, 21).unwrap(),
        "15 working days are more than three weeks across the holiday: {}",
        petition.acceptance_due
    );
    assert_eq!(petition.deadline, Some(DeadlineStatus::Overdue), "never accepted");
    let fresh = staff_petition(&world, today()).await;
    let overdue = world.hefei.list_petitions("deadline=overdue").await.unwrap();
    assert_eq!(
        overdue.items.iter().map(|p| p.id).collect::<Vec<_>>(),
        vec![petition.id]
    );
    let near = world.hefei.list_petitions("deadline=near_due").await.unwrap();
    assert!(near.items.iter().all(|p| p.id != petition.id && p.id != fresh));
    let on_time = world.hefei.find_petition(fresh).await.unwrap();
    assert_eq!(on_time.deadline, Some(DeadlineStatus::OnTime));

    let before = PetitionStep::Accept {
        on: received.pred_opt().unwrap(),
    };
    let refused = world.hefei.step_petition(petition.id, &before).await.unwrap_err();
    assert!(
        refused.1.field_message("on").is_some(),
        "accepted before it was received"
    );
}

async fn petitioners_are_masked_and_shown_in_full_only_to_the_bureau_with_an_audit_row(backend: Backend) {
    let world = world(backend).await;
    let id = staff_petition(&world, today()).await;
    let listed = world.hefei.list_petitions("").await.unwrap();
    let masked = &listed.items[0];
    assert_eq!(masked.petitioner_name, "张*三");
    assert_eq!(masked.petitioner_phone, "139****5678");
    assert_eq!(masked.petitioner_id_number, id_number().masked());
    assert!(masked.petitioner_id_number.starts_with("340***"));
    let raw = world.hefei.get("/api/v1/petitions").await;
    assert_eq!(raw.headers()["cache-control"], "no-store");

    assert_eq!(
        world.hefei.full_petitioner(id).await.unwrap_err().0,
        StatusCode::FORBIDDEN
    );
    let full = world.admin.full_petitioner(id).await.unwrap();
    assert_eq!(
        (full.name.as_str(), full.phone.as_str(), full.id_number.as_str()),
        ("张小三", "13912345678", id_number().as_str())
    );
    let views = world
        .admin
        .list_audit("entity_type=petition&action=view_personal_data")
        .await
        .unwrap();
    assert_eq!(views.total, 1);
    let everything = world.admin.list_audit("entity_type=petition").await.unwrap();
    let text = serde_json::to_string(&everything.items).unwrap();
    assert!(
        !text.contains("张小三") && !text.contains("13912345678"),
        "the log keeps masks only"
    );
    let db = world.app.db().await;
    assert_eq!(
        db.count("SELECT COUNT(*) FROM petitions WHERE name_cipher = '张小三'")
            .await,
        0,
        "sealed at rest"
    );
    resealing_moves_the_petitioner_to_the_new_key(&world).await;

    assert_eq!(
        world.wuhu.find_petition(id).await.unwrap_err().0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(world.wuhu.list_petitions("").await.unwrap().total, 0);
    let accept = PetitionStep::Accept { on: today() };
    assert_eq!(
        world.wuhu.step_petition(id, &accept).await.unwrap_err().0,
        StatusCode::NOT_FOUND
    );
}

async fn bad_petitions_and_steps_are_refused_naming_the_field(backend: Backend) {
    let world = world(backend).await;
    let nameless = NewPetitionRequest {
        petitioner: PetitionerInput {
            name: " ".into(),
            ..petitioner()
        },
        ..letter(today())
    };
    let refused = world.hefei.create_petition(&nameless).await.unwrap_err();
    assert!(
        refused
            .1
            .field_message("petitioner.name")
            .unwrap()
            .contains("姓名")
    );
    let bad_id = NewPetitionRequest {
        petitioner: PetitionerInput {
            id_number: wrong_check_digit(),
            ..petitioner()
        },
        ..letter(today())
    };
    let refused = world.hefei.create_petition(&bad_id).await.unwrap_err();
    assert!(refused.1.field_message("petitioner.id_number").is_some());
    let bad_phone = OnlinePetitionRequest {
        petitioner: PetitionerInput {
            phone: "12345".into(),
            ..petitioner()
        },
        matter: "反映问题".into(),
        division_code: "340122".into(),
    };
    let refused = world
        .app
        .another_client()
        .submit_online_petition(&bad_phone)
        .await
        .unwrap_err();
    assert!(refused.1.field_message("petitioner.phone").is_some());
    let future = letter(today().succ_opt().unwrap());
    assert!(
        world
            .hefei
            .create_petition(&future)
            .await
            .unwrap_err()
            .1
            .field_message("received_on")
            .is_some()
    );

    let id = staff_petition(&world, today()).await;
    world
        .hefei
        .step_petition(id, &PetitionStep::Accept { on: today() })
        .await
        .unwrap();
    let too_long = PetitionStep::Extend {
        days: 31,
        reason: "复杂".into(),
    };
    let refused = world.hefei.step_petition(id, &too_long).await.unwrap_err();
    assert!(refused.1.field_message("days").unwrap().contains("30"));
    let silent = PetitionStep::Reply {
        on: today(),
        reply: String::new(),
    };
    assert!(
        world
            .hefei
            .step_petition(id, &silent)
            .await
            .unwrap_err()
            .1
            .field_message("reply")
            .is_some()
    );
}

/// The store's half of `sheguan keys reseal` for petitions: rows under other keys are found and moved once.
async fn resealing_moves_the_petitioner_to_the_new_key(world: &World) {
    let store = &world.app.store;
    let rows = store
        .petitions_sealed_under_other_keys("k2", 0, 10)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    let resealed = ResealedPetitioner {
        id: row.id,
        old_key_id: row.key_id.clone(),
        old_seal_ref: row.seal_ref.clone(),
        seal_ref: row.seal_ref.clone().expect("a new petition is bound to its row"),
        key_id: "k2".into(),
        name_cipher: row.name_cipher.clone(),
        phone_cipher: row.phone_cipher.clone(),
        id_number_cipher: row.id_number_cipher.clone(),
    };
    let actor = Actor {
        user_id: None,
        name: "sheguan keys reseal".into(),
        role: None,
        client_addr: "cli".into(),
    };
    let audit = AuditEntry {
        actor: &actor,
        entity_type: "petitions",
        entity_id: row.id.to_string(),
        action: "reseal",
        before: None,
        after: None,
        reason: None,
    };
    assert_eq!(
        store
            .reseal_petitioners(std::slice::from_ref(&resealed), &audit)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store.reseal_petitioners(&[resealed], &audit).await.unwrap(),
        0,
        "moved once"
    );
    assert!(
        store
            .petitions_sealed_under_other_keys("k2", 0, 10)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn a_petition_raises_a_clue_and_a_penalty_case_that_list_under_it(backend: Backend) {
    let world = world(backend).await;
    let about_org_a = NewPetitionRequest {
        organization_id: Some(world.org_a_id),
        division_code: None,
        ..letter(today())
    };
    let petition = world.hefei.create_petition(&about_org_a).await.unwrap();
    let other = staff_petition(&world, today()).await;
    let clue = |petition_id| NewIllegalCaseRequest {
        name: "肥东县国学研习会".into(),
        division_code: "340122".into(),
        address: String::new(),
        activities: "反映某协会强制入会、收费不开票".into(),
        source: ClueSource::Petition,
        evidence: String::new(),
        organization_id: None,
        petition_id: Some(petition_id),
    };
    let raised = world.hefei.create_illegal_case(&clue(petition.id)).await.unwrap();
    world.hefei.create_illegal_case(&clue(other)).await.unwrap();
    let penalty = NewPenaltyRequest {
        organization_id: world.org_a_id,
        filed_on: today(),
        facts: petition.matter.clone(),
        evidence: "信访材料".into(),
        rule_broken: "《社会团体登记管理条例》第三十条第一款第（六）项".into(),
        petition_id: Some(petition.id),
    };
    let filed = world.hefei.create_penalty(&penalty).await.unwrap();

    let clues = world
        .hefei
        .list_illegal_cases(&format!("petition_id={}", petition.id))
        .await
        .unwrap();
    let penalties = world
        .hefei
        .list_penalties(&format!("petition_id={}", petition.id))
        .await
        .unwrap();

    assert_eq!(clues.items.iter().map(|c| c.id).collect::<Vec<_>>(), [raised.id]);
    assert_eq!(clues.items[0].petition_id, Some(petition.id));
    assert_eq!(
        penalties.items.iter().map(|c| c.id).collect::<Vec<_>>(),
        [filed.id]
    );
    let unknown = world.hefei.create_illegal_case(&clue(999_999)).await.unwrap_err();
    assert_eq!(unknown.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.1.field_message("petition_id").unwrap().contains("信访"));
}
