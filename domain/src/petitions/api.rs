//! Wire types of petitions (`/api/v1/petitions/…`) and of the online form and receipt lookup
//! (`/api/v1/public/petitions`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::petitions::{DeadlineStatus, PetitionChannel, PetitionStage, Satisfaction};

pub use crate::petitions::PetitionStep;

/// The petitioner as typed (name, phone, ID number): personal data, sealed at rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PetitionerInput {
    pub name: String,
    #[serde(default)]
    pub phone: String,
    /// 身份证号, optional (a letter may not carry one).
    #[serde(default)]
    pub id_number: String,
}

/// `POST /petitions`: a petition staff register (letter, visit, phone, or online on someone's behalf).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewPetitionRequest {
    pub channel: PetitionChannel,
    pub received_on: NaiveDate,
    pub petitioner: PetitionerInput,
    /// 信访事项: what the petition asks.
    pub matter: String,
    /// The organization concerned, if any (its division then handles it).
    #[serde(default)]
    pub organization_id: Option<i64>,
    /// The handling division when no organization is named.
    #[serde(default)]
    pub division_code: Option<String>,
}

/// `POST /public/petitions`: the online form, without an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OnlinePetitionRequest {
    pub petitioner: PetitionerInput,
    pub matter: String,
    /// Where the matter is: a 6-digit division code of Anhui.
    pub division_code: String,
}

/// The online petitioner's receipt: the number to look the progress up with (shown once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PetitionReceipt {
    pub receipt: String,
    pub received_on: NaiveDate,
    pub acceptance_due: NaiveDate,
}

/// `GET /public/petitions/{receipt}`: where the petition stands — the progress, not the content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PetitionProgress {
    pub stage: PetitionStage,
    pub received_on: NaiveDate,
    pub acceptance_due: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    pub handling_due: Option<NaiveDate>,
    pub extended: bool,
    pub replied_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
}

/// A petition on the petition list (信访清单), the petitioner masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Petition {
    pub id: i64,
    pub channel: PetitionChannel,
    pub stage: PetitionStage,
    pub received_on: NaiveDate,
    /// 张*三.
    pub petitioner_name: String,
    /// 138****5678.
    pub petitioner_phone: String,
    /// 340***********1234, or empty.
    pub petitioner_id_number: String,
    pub matter: String,
    pub organization_id: Option<i64>,
    pub organization_name: Option<String>,
    pub division_code: String,
    pub acceptance_due: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    pub handling_due: Option<NaiveDate>,
    pub extension_days: u32,
    pub extension_reason: Option<String>,
    pub decline_reason: Option<String>,
    pub replied_on: Option<NaiveDate>,
    pub reply: Option<String>,
    pub closed_on: Option<NaiveDate>,
    pub satisfaction: Option<Satisfaction>,
    pub close_note: Option<String>,
    /// The current time limit (acceptance, then handling), none once replied or declined.
    pub due_on: Option<NaiveDate>,
    /// Where it stands against `due_on` today.
    pub deadline: Option<DeadlineStatus>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `GET /petitions/{id}/petitioner`: the petitioner in full (bureau only, each view audited).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PetitionerFull {
    pub name: String,
    pub phone: String,
    pub id_number: String,
}

/// The query of `GET /petitions`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct PetitionQuery {
    pub stage: Option<String>,
    pub channel: Option<String>,
    /// `overdue` or `near_due`: the flagged ones.
    pub deadline: Option<String>,
    pub division: Option<String>,
    pub organization_id: Option<i64>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}
