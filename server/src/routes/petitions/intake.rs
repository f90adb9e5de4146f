//! Intake: staff register a petition; anyone submits one online and gets a receipt number, with which the
//! progress (never the content) can be looked up without an account.

use axum::extract::State;
use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use domain::api::{
    NewPetitionRequest, OnlinePetitionRequest, Petition, PetitionProgress, PetitionReceipt, PetitionerInput,
};
use domain::illegal::required_text;
use domain::petitions::PetitionChannel;
use domain::privacy::{mask_name, mask_phone};
use domain::registry::registration::check_phone;
use domain::resident_id::ResidentId;
use rand::RngCore;
use serde_json::json;

use super::{limits, to_api};
use crate::auth::session::hash_token;
use crate::auth::{Auth, ClientInfo, Staff};
use crate::crypto::DataKeys;
use crate::error::{AppJson, AppPath, Error, Result};
use crate::routes::illegal::public::{limit, public_actor};
use crate::routes::illegal::{division_in, refused};
use crate::state::{AppState, today};
use crate::store::petitions::{NewPetition, SealedPetitioner};
use crate::store::{Actor, AuditEntry, Visibility};

/// Checks the petitioner and seals it: name required, phone and ID number checked when given.
pub(crate) fn seal_petitioner(keys: &DataKeys, input: &PetitionerInput) -> Result<SealedPetitioner> {
    let name = required_text("petitioner.name", "信访人姓名", &input.name, 50).map_err(refused)?;
    let phone = input.phone.trim();
    if !phone.is_empty() {
        check_phone(phone)
            .map_err(|m| Error::invalid("petitioner.phone", format!("{m}（petitioner.phone）")))?;
    }
    let id_number = match input.id_number.trim() {
        "" => None,
        raw => Some(ResidentId::parse(raw).map_err(|e| {
            Error::invalid(
                "petitioner.id_number",
                format!("身份证号（petitioner.id_number）：{e}"),
            )
        })?),
    };
    let id_text = id_number
        .as_ref()
        .map(|id| id.as_str().to_owned())
        .unwrap_or_default();
    let seal_ref = crate::crypto::seal_ref();
    let at = |column| crate::crypto::Context::new("petitions", column, &seal_ref);
    let sealed = keys.seal(&name, at("name_cipher"));
    let phone_cipher = keys.seal(phone, at("phone_cipher")).ciphertext;
    let id_number_cipher = keys.seal(&id_text, at("id_number_cipher")).ciphertext;
    Ok(SealedPetitioner {
        seal_ref: seal_ref.clone(),
        key_id: sealed.key_id,
        name_cipher: sealed.ciphertext,
        phone_cipher,
        id_number_cipher,
        name_masked: mask_name(&name),
        phone_masked: mask_phone(phone),
        id_number_masked: id_number.map(|id| id.masked()).unwrap_or_default(),
    })
}

/// The audit row of an intake: the masked petitioner only.
fn intake_audit<'a>(actor: &'a Actor, id: i64, new: &NewPetition) -> AuditEntry<'a> {
    AuditEntry {
        actor,
        entity_type: "petition",
        entity_id: id.to_string(),
        action: "create",
        before: None,
        after: Some(json!({
            "channel": new.channel, "received_on": new.received_on, "petitioner": new.petitioner.name_masked,
            "division_code": new.division_code, "organization_id": new.organization_id,
        })),
        reason: None,
    }
}

/// Registers a petition received by letter, visit, phone (or online on the petitioner's behalf). With an
/// organization concerned, its division handles it.
#[utoipa::path(post, path = "/petitions", tag = "petitions", request_body = NewPetitionRequest,
    security(("session" = ["Staff"])),
    responses((status = 201, body = Petition), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn create_petition(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppJson(body): AppJson<NewPetitionRequest>,
) -> Result<(StatusCode, AppJson<Petition>)> {
    let visibility = auth.visibility();
    let today = today();
    if body.received_on > today {
        return Err(Error::invalid(
            "received_on",
            "收到日期（received_on）不能晚于今天",
        ));
    }
    let petitioner = seal_petitioner(&state.settings.keys, &body.petitioner)?;
    let matter = required_text("matter", "信访事项", &body.matter, 5000).map_err(refused)?;
    let division_code = match (body.organization_id, body.division_code.as_deref()) {
        (Some(id), _) => {
            let org = state.store.find_organization(&visibility, id).await?;
            org.ok_or_else(|| Error::invalid("organization_id", "未找到该社会组织（organization_id）"))?
                .division_code
        }
        (None, Some(code)) => division_in(&state, &visibility, "division_code", code).await?,
        (None, None) => {
            return Err(Error::invalid(
                "division_code",
                "请填写承办的行政区划（division_code）或涉及的社会组织",
            ));
        }
    };
    let new = NewPetition {
        channel: body.channel,
        received_on: body.received_on,
        petitioner,
        matter,
        organization_id: body.organization_id,
        division_code,
        receipt_hash: None,
        acceptance_due: limits().acceptance_due(body.received_on, &state.registry.calendar),
        recorded_by: auth.actor().name,
    };
    let actor = auth.actor();
    let id = state
        .store
        .insert_petition(&new, |id| intake_audit(&actor, id, &new))
        .await?;
    let row = state
        .store
        .find_petition(id, &visibility)
        .await?
        .ok_or_else(|| Error::not_found("信访事项"))?;
    Ok((
        StatusCode::CREATED,
        AppJson(to_api(&row, &state.registry.calendar, today)),
    ))
}

/// A new receipt number: `XF` and 120 random bits, so that no one finds another's petition by guessing.
fn new_receipt() -> String {
    let mut bytes = [0u8; 15];
    rand::rng().fill_bytes(&mut bytes);
    format!("XF{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// Submits a petition online without an account. The answer carries the receipt number, shown once: the
/// server keeps only its digest.
#[utoipa::path(post, path = "/public/petitions", tag = "public", request_body = OnlinePetitionRequest,
    security(()),
    responses((status = 201, body = PetitionReceipt), (status = 422, body = domain::api::ApiError),
              (status = 429, body = domain::api::ApiError)))]
pub(super) async fn submit_online_petition(
    State(state): State<AppState>,
    client: ClientInfo,
    AppJson(body): AppJson<OnlinePetitionRequest>,
) -> Result<(StatusCode, AppJson<PetitionReceipt>)> {
    limit(&state, &client)?;
    let petitioner = seal_petitioner(&state.settings.keys, &body.petitioner)?;
    let matter = required_text("matter", "信访事项", &body.matter, 5000).map_err(refused)?;
    let division_code = division_in(&state, &Visibility::All, "division_code", &body.division_code).await?;
    let receipt = new_receipt();
    let received_on = today();
    let new = NewPetition {
        channel: PetitionChannel::Online,
        received_on,
        petitioner,
        matter,
        organization_id: None,
        division_code,
        receipt_hash: Some(hash_token(&receipt)),
        acceptance_due: limits().acceptance_due(received_on, &state.registry.calendar),
        recorded_by: "public".to_owned(),
    };
    let actor = public_actor(&client);
    state
        .store
        .insert_petition(&new, |id| intake_audit(&actor, id, &new))
        .await?;
    let answer = PetitionReceipt {
        receipt,
        received_on,
        acceptance_due: new.acceptance_due,
    };
    Ok((StatusCode::CREATED, AppJson(answer)))
}

/// Where an online petition stands, by its receipt number: the stage and the dates, never the content or
/// the petitioner. Rate-limited, and 404 for any number not issued.
#[utoipa::path(get, path = "/public/petitions/{receipt}", tag = "public", params(("receipt" = String, Path)),
    security(()),
    responses((status = 200, body = PetitionProgress), (status = 404, body = domain::api::ApiError),
              (status = 429, body = domain::api::ApiError)))]
pub(super) async fn petition_progress(
    State(state): State<AppState>,
    client: ClientInfo,
    AppPath(receipt): AppPath<String>,
) -> Result<AppJson<PetitionProgress>> {
    limit(&state, &client)?;
    let receipt = receipt.trim();
    let row = match receipt.len() {
        10..=64 => state.store.petition_by_receipt(&hash_token(receipt)).await?,
        _ => None,
    };
    let row = row.ok_or_else(|| Error::NotFound("未找到该回执编号对应的信访事项".to_owned()))?;
    Ok(AppJson(PetitionProgress {
        stage: row.stage(),
        received_on: row.received_on,
        acceptance_due: row.acceptance_due,
        accepted_on: row.accepted_on,
        handling_due: row.handling_due,
        extended: row.extension_days > 0,
        replied_on: row.replied_on,
        closed_on: row.closed_on,
    }))
}
