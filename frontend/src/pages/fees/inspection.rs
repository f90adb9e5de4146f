//! One inspection: the association, its drawn inspectors and, once recorded, each fee item with its
//! findings, disposition and the burden it removes. Its drawn inspectors record it here (`record`); the
//! association's own user reads its findings.

use domain::api::{FeeInspection, FeeItem};
use domain::fees::InspectionStage;
use domain::policy::STAFF_OR_ORG;
use leptos::prelude::*;

use super::record::RecordForm;
use crate::api;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::i18n::{I18n, use_i18n};
use crate::routes::{Page, use_id_param};
use crate::session::use_session;

#[component]
pub fn FeeInspectionPage() -> impl IntoView {
    view! { <RequireAuth roles=STAFF_OR_ORG><Inspection /></RequireAuth> }
}

#[component]
fn Inspection() -> impl IntoView {
    let i18n = use_i18n();
    let id = use_id_param();
    let inspection = LocalResource::new(move || {
        let id = id.get();
        async move { api::find_fee_inspection(id).await }
    });
    let recorded = Callback::new(move |()| inspection.refetch());
    let me = use_session().user_untracked().map(|u| u.user_id);
    view! {
        <section class="page">
            <p><a href=Page::FeeInspections.path()>{move || i18n.t("fees.back_to_inspections")}</a></p>
            <Async resource=inspection let:i>
                {
                    let drawn = i.inspectors.iter().any(|x| Some(x.id) == me);
                    let pending = i.stage == InspectionStage::Pending;
                    let campaign = i.campaign_id;
                    view! {
                        <Facts inspection=i.clone() />
                        {(!pending).then(|| view! { <Items items=i.items.clone() /> })}
                        {(pending && drawn).then(|| view! { <RecordForm id=i.id campaign recorded /> })}
                    }
                }
            </Async>
        </section>
    }
}

#[component]
fn Facts(inspection: FeeInspection) -> impl IntoView {
    let i18n = use_i18n();
    let i = inspection;
    let stage = i.stage;
    let inspectors: Vec<String> = i.inspectors.iter().map(|x| x.name.clone()).collect();
    let recorded = stage == InspectionStage::Recorded;
    view! {
        <h1>{i.organization_name.clone()}</h1>
        <dl class="ledger-entry" data-testid="inspection-facts">
            <dt>{move || i18n.t("fees.campaign")}</dt><dd>{i.campaign_title.clone()}</dd>
            <dt>{move || i18n.t("fees.credit_code")}</dt><dd>{i.credit_code.clone()}</dd>
            <dt>{move || i18n.t("fees.draw_order")}</dt><dd>{i.draw_order}</dd>
            <dt>{move || i18n.t("fees.inspectors")}</dt><dd>{inspectors.join("、")}</dd>
            <dt>{move || i18n.t("fees.inspection_stage")}</dt><dd data-testid="inspection-stage">{move || i18n.label(stage)}</dd>
            {i.inspected_on.map(|on| view! { <dt>{move || i18n.t("fees.inspected_on")}</dt><dd>{on.to_string()}</dd> })}
            {i.summary.clone().map(|s| view! { <dt>{move || i18n.t("fees.summary")}</dt><dd>{s}</dd> })}
            {recorded.then(|| view! {
                <dt>{move || i18n.t("fees.col.burden")}</dt>
                <dd data-testid="inspection-burden">{i.burden_removed_fen.format_yuan()}</dd>
                <dt>{move || i18n.t("fees.col.enterprises")}</dt><dd>{i.enterprises_benefited}</dd>
            })}
            {i.penalty_case_id.map(|case| view! {
                <dt>{move || i18n.t("fees.penalty_case")}</dt><dd>{format!("#{case}")}</dd>
            })}
        </dl>
    }
}

/// The recorded fee items, each with its findings, disposition and the burden it removes.
#[component]
fn Items(items: Vec<FeeItem>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h2>{move || i18n.t("fees.items")}</h2>
        <ul class="record-list" data-testid="fee-items">
            {items.into_iter().map(|item| item_card(i18n, item)).collect_view()}
        </ul>
    }
}

fn item_card(i18n: I18n, fee: FeeItem) -> impl IntoView {
    let item = fee.item;
    let findings = item.findings.clone();
    let disposition = item.disposition;
    let burden = fee.burden_removed_fen;
    view! {
        <li class="record" data-testid="fee-item">
            <div class="record__head">
                <strong>{item.name.clone()}</strong>
                {disposition.map(|d| view! { <span class="badge badge--warn">{move || i18n.label(d)}</span> })}
            </div>
            <div class="record__meta">
                <span>{item.basis.clone()}</span>
                <span>{move || i18n.t_with("fees.standard_is", &[("amount", item.standard_fen.format_yuan())])}</span>
                {item.new_standard_fen.map(|n| view! {
                    <span>{move || i18n.t_with("fees.new_standard_is", &[("amount", n.format_yuan())])}</span>
                })}
                <span>{move || i18n.t_with("fees.income_is", &[("amount", item.annual_income_fen.format_yuan())])}</span>
                <span>{move || i18n.t_with("fees.payers_are", &[("count", item.payers.to_string())])}</span>
            </div>
            {(!findings.is_empty()).then(|| view! {
                <p>{move || i18n.t("fees.findings")}": "{move || i18n.labels(&findings)}</p>
            })}
            {(burden.as_i64() > 0).then(|| view! {
                <p><strong>{move || i18n.t_with("fees.burden_is", &[("amount", burden.format_yuan())])}</strong></p>
            })}
        </li>
    }
}
