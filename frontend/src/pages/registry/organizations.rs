//! The registry: a filtered, searchable list held in the URL, and one organization's record — profile,
//! certificate data, timeline, matters and audit trail; to staff, a revoked or deregistered organization
//! still acting is filed as an illegal-organization case from here.

use domain::api::{OrganizationDetail, OrganizationQuery, OrganizationSummary, Page as ResultPage};
use domain::policy::{STAFF, STAFF_OR_ORG};
use domain::registry::organization::{Category, CreditList, Level, OrgKind, OrgStatus};
use leptos::prelude::*;
use leptos_router::components::A;

use super::standing::OrganizationStanding;
use crate::api;
use crate::components::export::ExportButton;
use crate::components::field::EnumSelect;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::components::pager::Pager;
use crate::format::format_time;
use crate::i18n::{I18n, use_i18n};
use crate::pages::penalties::PenaltyDecisions;
use crate::routes::{Page, RaisedFrom, non_empty, use_id_param, use_url_query};

#[component]
pub fn OrganizationsPage() -> impl IntoView {
    view! { <RequireAuth roles=STAFF_OR_ORG><OrganizationList /></RequireAuth> }
}

#[component]
fn OrganizationList() -> impl IntoView {
    let i18n = use_i18n();
    let session = crate::session::use_session();
    // The filters live in the URL, so back, forward and reload keep them.
    let (query, navigate_to) = use_url_query::<OrganizationQuery>();
    let organizations = LocalResource::new(move || {
        let query = query.get();
        async move { api::list_organizations(&query).await }
    });
    // A new filter starts again from the first page.
    let apply = Callback::new(move |next: OrganizationQuery| {
        navigate_to.run(OrganizationQuery { page: None, ..next });
    });
    let (search, set_search) = signal(String::new());
    Effect::new(move |_| set_search.set(query.get().q.unwrap_or_default()));
    view! {
        <section class="page">
            <h1>{move || i18n.t("registry.title")}</h1>
            <p class="lead">{move || i18n.t("registry.lead")}</p>
            <div class="form-actions">
                <ExportButton href=Signal::derive(move || api::organizations_export_url(&query.get()))
                    label="registry.export" testid="registry-export" />
                <Show when=move || crate::session::STAFF_VIEWS && session.role_untracked().is_some_and(|r| r.is_staff())>
                    <A href=Page::ImportOrganizations.path() attr:class="button" attr:data-testid="registry-import">{move || i18n.t("registry.import")}</A>
                </Show>
            </div>
            <form class="filters" role="search" on:submit=move |ev| {
                ev.prevent_default();
                apply.run(OrganizationQuery { q: non_empty(search.get_untracked()), ..query.get_untracked() });
            }>
                <label class="field field--grow">
                    <span>{move || i18n.t("registry.search")}</span>
                    <input type="search" name="q" maxlength="50" data-testid="registry-search"
                        placeholder=move || i18n.t("registry.search_placeholder")
                        prop:value=search on:input=move |ev| set_search.set(event_target_value(&ev)) />
                </label>
                <EnumSelect label="registry.kind" name="kind" values=&OrgKind::ALL selected=Signal::derive(move || query.get().kind)
                    on_change=move |v| apply.run(OrganizationQuery { kind: v, ..query.get_untracked() }) />
                <EnumSelect label="registry.category" name="category" values=&Category::ALL selected=Signal::derive(move || query.get().category)
                    on_change=move |v| apply.run(OrganizationQuery { category: v, ..query.get_untracked() }) />
                <EnumSelect label="registry.level" name="level" values=&Level::ALL selected=Signal::derive(move || query.get().level)
                    on_change=move |v| apply.run(OrganizationQuery { level: v, ..query.get_untracked() }) />
                <EnumSelect label="registry.status" name="status" values=&OrgStatus::ALL selected=Signal::derive(move || query.get().status)
                    on_change=move |v| apply.run(OrganizationQuery { status: v, ..query.get_untracked() }) />
                <EnumSelect label="registry.credit_list" name="credit_list" values=&CreditList::ALL selected=Signal::derive(move || query.get().credit_list)
                    on_change=move |v| apply.run(OrganizationQuery { credit_list: v, ..query.get_untracked() }) />
                <label class="field">
                    <span>{move || i18n.t("registry.sort")}</span>
                    <select name="sort" on:change=move |ev| {
                        apply.run(OrganizationQuery { sort: non_empty(event_target_value(&ev)), ..query.get_untracked() });
                    }>
                        {[("name", "registry.sort.name"), ("-founded_on", "registry.sort.founded"), ("credit_code", "registry.sort.code")]
                            .into_iter()
                            .map(|(value, key)| view! {
                                <option value=value selected=move || query.get().sort.as_deref().unwrap_or("name") == value>
                                    {move || i18n.t(key)}
                                </option>
                            })
                            .collect_view()}
                    </select>
                </label>
                <button type="submit" class="button button--primary">{move || i18n.t("common.search")}</button>
            </form>
            <Async resource=organizations let:page>
                <OrganizationResults page query />
            </Async>
        </section>
    }
}

#[component]
fn OrganizationResults(
    page: ResultPage<OrganizationSummary>,
    query: Memo<OrganizationQuery>,
) -> impl IntoView {
    let i18n = use_i18n();
    let total = page.total;
    if page.items.is_empty() {
        return view! { <p class="notice">{move || i18n.t("registry.empty")}</p> }.into_any();
    }
    let href_for = move |n: u32| {
        Page::Organizations.with_query(&OrganizationQuery {
            page: Some(n),
            ..query.get_untracked()
        })
    };
    view! {
        <p class="count" data-testid="registry-total">{move || i18n.t_with("common.total", &[("total", total.to_string())])}</p>
        <table class="list-table" data-testid="registry-table">
            <thead><tr>
                <th>{move || i18n.t("registry.col.name")}</th>
                <th>{move || i18n.t("registry.col.code")}</th>
                <th>{move || i18n.t("registry.kind")}</th>
                <th>{move || i18n.t("registry.col.authority")}</th>
                <th>{move || i18n.t("registry.status")}</th>
            </tr></thead>
            <tbody>{page.items.into_iter().map(|o| organization_row(i18n, o)).collect_view()}</tbody>
        </table>
        <Pager page=page.page per_page=page.per_page total href_for />
    }
    .into_any()
}

fn organization_row(i18n: I18n, o: OrganizationSummary) -> impl IntoView {
    let (kind, status, list) = (o.kind, o.status, o.credit_list);
    view! {
        <tr>
            <td class="list-table__title" data-label=move || i18n.t("registry.col.name")>
                <A href=Page::organization(o.id)>{o.name}</A>
            </td>
            <td data-label=move || i18n.t("registry.col.code")><code>{o.credit_code}</code></td>
            <td data-label=move || i18n.t("registry.kind")>{move || i18n.label(kind)}</td>
            <td data-label=move || i18n.t("registry.col.authority")>{o.division_name}</td>
            <td data-label=move || i18n.t("registry.status")>
                {move || i18n.label(status)}
                {list.map(|l| view! { <span class="badge badge--warn">{move || i18n.label(l)}</span> })}
            </td>
        </tr>
    }
}

#[component]
pub fn OrganizationPage() -> impl IntoView {
    view! { <RequireAuth roles=STAFF_OR_ORG><OrganizationRecord /></RequireAuth> }
}

#[component]
fn OrganizationRecord() -> impl IntoView {
    let id = use_id_param();
    let detail = LocalResource::new(move || {
        let id = id.get();
        async move { api::find_organization(id).await }
    });
    view! {
        <section class="page">
            <Async resource=detail let:found>
                <OrganizationView detail=found />
            </Async>
        </section>
    }
}

fn row(i18n: I18n, key: &'static str, value: String) -> impl IntoView {
    view! { <dt>{move || i18n.t(key)}</dt><dd>{value}</dd> }
}

#[component]
fn OrganizationView(detail: OrganizationDetail) -> impl IntoView {
    let i18n = use_i18n();
    let OrganizationDetail {
        organization,
        certificate,
        timeline,
        audit,
        decisions,
        matters,
    } = detail;
    let summary = organization.summary;
    let (kind, status) = (summary.kind, summary.status);
    // Penalty cases are staff records (`GET /penalties` is for staff): their decisions show to staff.
    let staff = crate::session::STAFF_VIEWS && crate::session::use_session().has_role_untracked(STAFF);
    let dash = |v: Option<String>| v.unwrap_or_else(|| "—".to_owned());
    // Registration ended, yet still acting as a social organization: an illegal organization's case.
    let still_acting = (staff && matches!(status, OrgStatus::Revoked | OrgStatus::Deregistered)).then(|| {
        Page::IllegalCases.with_query(&RaisedFrom {
            petition: None,
            organization: Some(summary.id),
        })
    });
    view! {
        <h1 data-testid="organization-name">{summary.name.clone()}</h1>
        <p class="lead">
            {move || i18n.label(kind)} " · "
            {move || i18n.label(status)}
            {summary.credit_list.map(|l| view! { <span class="badge badge--warn">{move || i18n.label(l)}</span> })}
        </p>
        {still_acting.map(|href| view! {
            <p><a class="button" href=href data-testid="still-acting">{move || i18n.t("illegal.still_acting_case")}</a></p>
        })}
        <h2>{move || i18n.t("registry.certificate")}</h2>
        <div class="certificate" data-testid="certificate">
            <h3>{certificate.title}</h3>
            <dl class="facts">
                {row(i18n, "registry.col.name", certificate.name)}
                {row(i18n, "registry.col.code", certificate.credit_code)}
                {row(i18n, "registry.legal_representative", certificate.legal_representative)}
                {row(i18n, "registry.domicile", certificate.domicile)}
                {row(i18n, "registry.business_scope", certificate.business_scope)}
                {row(i18n, "registry.registered_funds", certificate.registered_funds)}
                {row(i18n, "registry.supervisory_unit", certificate.supervisory_unit)}
                {row(i18n, "registry.col.authority", certificate.registering_authority)}
                {row(i18n, "registry.founded_on", dash(certificate.founded_on.map(|d| d.to_string())))}
            </dl>
        </div>
        <h2>{move || i18n.t("registry.profile")}</h2>
        <dl class="facts">
            {row(i18n, "registry.contact_phone", dash(organization.contact_phone))}
            {row(i18n, "registry.col.division", format!("{} {}", summary.division_name, summary.division_code))}
            {row(i18n, "registry.categories", i18n.labels(&summary.categories))}
        </dl>
        <OrganizationStanding organization_id=summary.id />
        <h2>{move || i18n.t("registry.matters")}</h2>
        <ul class="timeline">
            {matters.into_iter().map(|m| {
                let (kind, state) = (m.kind, m.state.stage());
                view! { <li><A href=Page::matter(m.id)>{move || format!("#{} {} · {}", m.id, i18n.label(kind), i18n.label(state))}</A></li> }
            }).collect_view()}
        </ul>
        <h2>{move || i18n.t("registry.decisions")}</h2>
        <ul class="timeline" data-testid="decisions">
            {decisions.into_iter().map(|d| view! {
                <li><strong>{d.document_number}</strong>" "{d.decided_on.to_string()}<br />{d.content}</li>
            }).collect_view()}
        </ul>
        {staff.then(|| view! { <PenaltyDecisions organization_id=summary.id /> })}
        <h2>{move || i18n.t("registry.timeline")}</h2>
        <ol class="timeline" data-testid="timeline">
            {timeline.into_iter().map(|e| view! {
                <li><time>{format_time(e.at)}</time>" "<span>{e.summary}</span>" — "{e.actor_name}</li>
            }).collect_view()}
        </ol>
        <h2>{move || i18n.t("registry.audit")}</h2>
        <ol class="timeline" data-testid="organization-audit">
            {audit.into_iter().map(|a| view! {
                <li>
                    <time>{format_time(a.at)}</time>" "{a.actor_name}" · "{a.action}
                    <br /><code>{a.before.map(|v| v.to_string()).unwrap_or_default()}" → "{a.after.map(|v| v.to_string()).unwrap_or_default()}</code>
                </li>
            }).collect_view()}
        </ol>
    }
}
