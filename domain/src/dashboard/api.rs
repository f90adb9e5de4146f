//! Wire types of the dashboard and the annual work report (`/api/v1/dashboard`, `/api/v1/reports/annual`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::{IntoParams, ToSchema};

use crate::dashboard::{Area, FigureKey, Unit};

/// The query of `GET /dashboard` and `GET /public/dashboard`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(IntoParams))]
pub struct DashboardQuery {
    /// The year (e.g. 2021); the current year when absent.
    pub year: Option<i32>,
    /// A city's division code (`340100`): only records registered in it and its counties. Local staff see
    /// their own division whatever they ask.
    pub city: Option<String>,
}

/// One figure of the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Figure {
    /// The fixed key, e.g. `supervision.dormant_identified`.
    pub key: FigureKey,
    pub area: Area,
    /// What the figure is, in Chinese.
    pub label: String,
    /// Which records it counts, in Chinese (the one definition, from `domain::dashboard`).
    pub definition: String,
    pub unit: Unit,
    /// As of the end of the year: a count, a whole percent, or fen.
    pub value: i64,
    /// The same figure for the year before.
    pub previous: i64,
    /// For a percent: the records counted and the records they are a share of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numerator: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denominator: Option<i64>,
    /// The API path that lists the records behind the figure; for a count its `total` equals `value`.
    /// Absent on the public page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub records: Option<String>,
    /// The figure this one is a part of (`其中…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_of: Option<FigureKey>,
}

/// `GET /dashboard`: the year's figures, by area in the report's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Dashboard {
    pub year: i32,
    /// The city the figures are limited to, if any.
    pub city: Option<String>,
    /// Its name (合肥市), or the province's.
    pub place: String,
    pub figures: Vec<Figure>,
}

/// The query of `GET /dashboard/records`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(IntoParams))]
pub struct FigureRecordsQuery {
    /// The figure's key.
    pub key: String,
    pub year: Option<i32>,
    pub city: Option<String>,
    /// `true`: the records of the year before (the figure's `previous`).
    #[serde(default)]
    pub previous: Option<bool>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// One record behind a figure: enough to recognise it, and the app page that opens it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FigureRecord {
    /// The record's own id in its module.
    pub id: i64,
    /// The organization or body it is about.
    pub title: String,
    /// A credit code, a document number, a batch number …
    pub code: Option<String>,
    /// The date that put it in the year.
    pub date: Option<NaiveDate>,
    /// A short description (kind, stage, rating) in Chinese.
    pub detail: String,
    /// What it adds to a money figure, in fen; or people counted.
    pub amount: Option<i64>,
    /// The app page of the record (`/organizations/12`), when there is one.
    pub link: Option<String>,
}

/// A section of the annual work report: one of the four areas (四度四员).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct WorkReportSection {
    pub area: Area,
    /// `（一）党建工作显著增强`.
    pub heading: String,
    /// The brand line of the area (`提升政治"高度"，当好党建工作"组织员"`).
    pub motto: String,
    /// Sentences generated from the figures, each ending in `。`.
    pub sentences: Vec<String>,
    /// The figures the sentences cite.
    pub figures: Vec<FigureKey>,
}

/// `GET /reports/annual/{year}`: the annual work report (年度工作总结).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct WorkReport {
    pub year: i32,
    pub city: Option<String>,
    pub place: String,
    pub title: String,
    /// The opening paragraph.
    pub summary: String,
    pub sections: Vec<WorkReportSection>,
}
