//! `/api/v1/organizations`: the registry, scoped — local staff see their division's organizations, the
//! bureau sees all, an organization user only its own; anything else answers 404.

use axum::extract::State;
use domain::api::{
    Certificate, OrganizationDetail, OrganizationProfile, OrganizationQuery, OrganizationSummary, Page,
};
use domain::division::{DivisionCode, DivisionLevel};
use domain::paging::PageRequest;
use domain::registry::organization::{Category, EmergingIndustry, Level, OrgKind, OrgStatus};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Auth, StaffOrOrg};
use crate::error::{AppJson, AppPath, AppQuery, Error, Result};
use crate::routes::registry::matters::matter_summary;
use crate::state::{AppState, today};
use crate::store::registry::matters::{MatterFilter, MatterStates};
use crate::store::registry::{OrgFilter, OrgSort, OrganizationRow};
use crate::store::visibility::division_prefix;
use crate::store::{AuditFilter, Visibility};

/// The longest search text worth running.
const MAX_QUERY_CHARS: usize = 50;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_organizations))
        .routes(routes!(find_organization))
}

/// The organization with this id, if `visibility` covers it; 404 otherwise, also when it exists out of
/// scope. Every lookup of one organization goes through here.
pub(crate) async fn visible_organization(
    state: &AppState,
    visibility: &Visibility,
    id: i64,
) -> Result<OrganizationRow> {
    state
        .store
        .find_organization(visibility, id)
        .await?
        .ok_or_else(|| Error::not_found("社会组织"))
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

fn parse_with<T, E>(
    raw: Option<String>,
    field: &str,
    label: &str,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Result<Option<T>> {
    non_empty(raw)
        .map(|raw| {
            parse(&raw).map_err(|_| Error::invalid(field, format!("{label}（{field}）取值无效：{raw}")))
        })
        .transpose()
}

/// A division of `level` given by its code.
fn division_at(level: DivisionLevel) -> impl Fn(&str) -> Result<DivisionCode, ()> {
    move |raw| match DivisionCode::parse(raw) {
        Ok(code) if code.level() == level => Ok(code),
        _ => Err(()),
    }
}

/// The sort order (`name`, `founded_on`, `credit_code`; `-` first for descending).
fn sort_of(raw: Option<String>) -> Result<(OrgSort, bool)> {
    let raw = non_empty(raw).unwrap_or_else(|| "name".to_owned());
    let (descending, key) = match raw.strip_prefix('-') {
        Some(key) => (true, key),
        None => (false, raw.as_str()),
    };
    let sort = match key {
        "name" => OrgSort::Name,
        "founded_on" => OrgSort::FoundedOn,
        "credit_code" => OrgSort::CreditCode,
        _ => {
            return Err(Error::invalid(
                "sort",
                "排序（sort）须为 name、founded_on 或 credit_code，可加前缀 - 表示倒序",
            ));
        }
    };
    Ok((sort, descending))
}

/// The registry's filter and sort from the list's (and the export's) query.
pub(crate) fn org_filter(query: OrganizationQuery) -> Result<(OrgFilter, OrgSort, bool)> {
    let city = parse_with(query.city, "city", "城市", division_at(DivisionLevel::City))?;
    let county = parse_with(query.county, "county", "县区", division_at(DivisionLevel::County))?;
    // `3401%`: a city and its counties; `340104%`: one county.
    let division_pattern = county.or(city).map(|code| format!("{}%", division_prefix(&code)));
    let credit_list = parse_with(query.credit_list, "credit_list", "信用名单", |raw| match raw {
        "abnormal" | "serious" | "none" => Ok(raw.to_owned()),
        _ => Err(()),
    })?;
    let q = non_empty(query.q);
    if q.as_ref().is_some_and(|q| q.chars().count() > MAX_QUERY_CHARS) {
        return Err(Error::invalid(
            "q",
            format!("搜索词（q）不能超过 {MAX_QUERY_CHARS} 个字"),
        ));
    }
    let (sort, descending) = sort_of(query.sort)?;
    let filter = OrgFilter {
        kind: parse_with(query.kind, "kind", "登记类型", OrgKind::parse)?,
        category: parse_with(query.category, "category", "分类", Category::parse)?,
        emerging_industry: parse_with(
            query.emerging_industry,
            "emerging_industry",
            "新兴产业",
            EmergingIndustry::parse,
        )?,
        level: parse_with(query.level, "level", "登记级别", Level::parse)?,
        division_pattern,
        status: parse_with(query.status, "status", "登记状态", OrgStatus::parse)?,
        credit_list,
        q,
    };
    Ok((filter, sort, descending))
}

/// The registry: filter by kind, category, emerging industry, level, city or county, status and credit
/// list; search a name or credit code; sort by name, founding date or credit code; paged with the total.
#[utoipa::path(get, path = "/organizations", tag = "registry", params(OrganizationQuery),
    security(("session" = ["StaffOrOrg"])),
    responses((status = 200, body = Page<OrganizationSummary>), (status = 422, body = domain::api::ApiError)))]
async fn list_organizations(
    State(state): State<AppState>,
    auth: Auth<StaffOrOrg>,
    AppQuery(query): AppQuery<OrganizationQuery>,
) -> Result<AppJson<Page<OrganizationSummary>>> {
    let page = PageRequest::new(query.page, query.per_page)?;
    let (filter, sort, descending) = org_filter(query)?;
    let (rows, total) = state
        .store
        .list_organizations(&auth.visibility(), &filter, sort, descending, page)
        .await?;
    Ok(AppJson(Page {
        items: rows.iter().map(OrganizationRow::summary).collect(),
        total,
        page: page.page(),
        per_page: page.per_page(),
    }))
}

/// The registering authority's name: 安徽省民政厅 for the province, the city's or county's 民政局.
pub(crate) fn registering_authority(row: &OrganizationRow) -> String {
    if row.division_code == domain::division::PROVINCE_CODE {
        "安徽省民政厅".to_owned()
    } else {
        format!("{}民政局", row.division_name)
    }
}

pub(crate) fn profile(row: &OrganizationRow) -> OrganizationProfile {
    OrganizationProfile {
        summary: row.summary(),
        supervisory_unit: row.supervisory_unit.clone(),
        legal_representative: row.legal_representative.clone(),
        registered_funds_fen: row.registered_funds_fen,
        domicile: row.domicile.clone(),
        business_scope: row.business_scope.clone(),
        contact_phone: row.contact_phone.as_deref().map(domain::privacy::mask_phone),
        credit_code_waiver: row.credit_code_waiver.clone(),
    }
}

fn certificate(row: &OrganizationRow) -> Certificate {
    let title = match row.kind() {
        OrgKind::SocialGroup => "社会团体法人登记证书",
        OrgKind::SocialService => "民办非企业单位（社会服务机构）登记证书",
        OrgKind::Foundation => "基金会法人登记证书",
    };
    let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".to_owned());
    Certificate {
        title: title.to_owned(),
        name: row.name.clone(),
        credit_code: row.credit_code.clone(),
        legal_representative: or_dash(&row.legal_representative),
        domicile: or_dash(&row.domicile),
        business_scope: or_dash(&row.business_scope),
        registered_funds: row
            .registered_funds_fen
            .map(|f| domain::money::Fen::new(f).format_yuan())
            .unwrap_or_else(|| "—".to_owned()),
        supervisory_unit: row
            .supervisory_unit
            .clone()
            .unwrap_or_else(|| "无（直接登记）".to_owned()),
        registering_authority: registering_authority(row),
        founded_on: row.founded_on,
    }
}

/// One organization: its profile, certificate data, timeline, matters, licensing decisions and audit trail.
#[utoipa::path(get, path = "/organizations/{id}", tag = "registry", params(("id" = i64, Path)),
    security(("session" = ["StaffOrOrg"])),
    responses((status = 200, body = OrganizationDetail), (status = 404, body = domain::api::ApiError)))]
async fn find_organization(
    State(state): State<AppState>,
    auth: Auth<StaffOrOrg>,
    AppPath(id): AppPath<i64>,
) -> Result<AppJson<OrganizationDetail>> {
    let visibility = auth.visibility();
    let row = visible_organization(&state, &visibility, id).await?;
    let timeline = state.store.organization_timeline(id).await?;
    let audit_filter = AuditFilter {
        entity_type: Some("organization".to_owned()),
        entity_id: Some(id.to_string()),
        ..Default::default()
    };
    let mut audit = state.store.audit_before(&audit_filter, None, 200).await?;
    if auth.user.role == domain::policy::Role::OrgUser {
        // An organization sees what was done to its record and by which office, not staff members'
        // names or their addresses.
        for row in &mut audit {
            if row.actor_role.is_some_and(|r| r != domain::policy::Role::OrgUser) {
                row.actor_name = row
                    .actor_role
                    .map(|r| r.label_zh().to_owned())
                    .unwrap_or_default();
                row.actor_id = None;
            }
            row.client_addr = String::new();
        }
    }
    let decisions = state.store.organization_decisions(id).await?;
    let filter = MatterFilter {
        states: MatterStates::All,
        kind: None,
        organization_id: Some(id),
    };
    let today = today();
    let matters = state
        .store
        .list_matters(&visibility, &filter)
        .await?
        .iter()
        .map(|m| matter_summary(&state, m, today, auth.user.user_id))
        .collect();
    Ok(AppJson(OrganizationDetail {
        organization: profile(&row),
        certificate: certificate(&row),
        timeline,
        audit,
        decisions,
        matters,
    }))
}
