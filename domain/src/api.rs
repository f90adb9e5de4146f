//! The JSON wire types of `/api/v1`: every request and response body, shared by the server and the browser.
//!
//! Each module's wire types live in its folder (`registry/api.rs`, …) and are re-exported here, so that
//! `domain::api::X` names every body. Field names here are the API's field names; `docs/API.md` documents them and the OpenAPI document is
//! generated from them.

use serde::{Deserialize, Serialize};

pub use crate::accounts::api::*;
pub use crate::contributions::api::*;
pub use crate::credit::api::*;
pub use crate::dashboard::api::*;
pub use crate::dormant::api::*;
pub use crate::fees::api::*;
pub use crate::illegal::api::*;
pub use crate::inspection::api::*;
pub use crate::jobs::api::*;
pub use crate::pairing::api::*;
pub use crate::party::api::*;
pub use crate::penalties::api::*;
pub use crate::petitions::api::*;
pub use crate::publication::api::*;
pub use crate::registry::api::*;

use crate::division::DivisionLevel;
use crate::villages::VillageKind;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// The one error envelope: every non-2xx answer of `/api` has this body.
///
/// `{"error":{"code":"validation","message":"…","fields":[{"field":"per_page","message":"…"}]}}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ApiError {
    pub error: ErrorBody,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ErrorBody {
    /// A stable machine-readable code, e.g. `validation`, `not_found`, `unauthorized`.
    pub code: ErrorCode,
    /// A sentence in Chinese for the user.
    pub message: String,
    /// Field-by-field problems, when the request was invalid.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

/// The machine-readable kinds of error. Each maps to one HTTP status (see `docs/API.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: the body is not JSON, or not the JSON this endpoint reads.
    BadRequest,
    /// 401: no valid session.
    Unauthorized,
    /// 403: signed in, but this role may not do this (or a cross-site request).
    Forbidden,
    /// 403: the account must change its initial or reset password first.
    PasswordChangeRequired,
    /// 401: the password was right; the sign-in continues with a code from the authenticator app or a
    /// recovery code (`POST /api/v1/auth/login/second-factor`).
    SecondFactorRequired,
    /// 403: staff must turn on two-step verification first.
    SecondFactorEnrolmentRequired,
    /// 404: no such route or record (or a record outside the caller's scope).
    NotFound,
    /// 405: the route exists but not with this method.
    MethodNotAllowed,
    /// 409: the change conflicts with what is stored (a duplicate, a stale state).
    Conflict,
    /// 413: the upload is too large.
    PayloadTooLarge,
    /// 422: the request was understood but a field is invalid.
    Validation,
    /// 429: too many requests; try again later.
    RateLimited,
    /// 500: something failed on the server; the details are in its log.
    Internal,
    /// 503: a dependency (the database) is not answering.
    Unavailable,
}

/// One invalid field: its name as the client sent it and what is wrong, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            error: ErrorBody {
                code,
                message: message.into(),
                fields: Vec::new(),
            },
        }
    }

    pub fn with_field(mut self, field: impl Into<String>, message: impl Into<String>) -> Self {
        self.error.fields.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
        self
    }

    /// The message for `field`, if the server named it.
    pub fn field_message(&self, field: &str) -> Option<&str> {
        self.error
            .fields
            .iter()
            .find(|f| f.field == field)
            .map(|f| f.message.as_str())
    }
}

/// A page of rows with the total count of rows that match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// `GET /healthz`, `GET /readyz`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Health {
    pub status: String,
    /// The database backend in use: `sqlite` or `postgres` (`/readyz` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
}

/// A city with its county-level units: one node of `GET /api/v1/divisions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CityNode {
    pub code: String,
    pub name: String,
    pub longitude: f64,
    pub latitude: f64,
    pub counties: Vec<CountyNode>,
}

/// A county-level unit (县、县级市、市辖区).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CountyNode {
    pub code: String,
    pub name: String,
    pub longitude: f64,
    pub latitude: f64,
    /// `county` where the centroid is the county's own, `parent_city` where only the city's is known.
    pub coord_source: String,
}

/// `GET /api/v1/divisions`: the province's city → county tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DivisionTree {
    pub province_code: String,
    pub cities: Vec<CityNode>,
}

/// A division as a flat row (used where a single division is named).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Division {
    pub code: String,
    pub name: String,
    pub level: DivisionLevel,
    pub parent_code: String,
}

/// A village- or community-level committee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Village {
    /// The 12-digit statistical code.
    pub code: String,
    pub name: String,
    pub kind: VillageKind,
    pub township_code: String,
    /// 乡镇/街道.
    pub township_name: String,
    pub county_code: String,
    pub county_name: String,
    pub city_code: String,
    pub city_name: String,
}

/// The query of `GET /api/v1/villages`, as the client sends it (all optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct VillageQuery {
    /// City code, e.g. `340100`.
    pub city: Option<String>,
    /// County code, e.g. `340122`.
    pub county: Option<String>,
    /// `village`, `community` or `other`.
    pub kind: Option<String>,
    /// A part of the name (Chinese substring).
    pub q: Option<String>,
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Rows per page, 1–100 (default 20).
    pub per_page: Option<u32>,
}
