//! 涉企收费检查 — fee inspections of business associations (双随机一公开): the campaigns (staff), a new
//! campaign (the bureau), one campaign with its draw, re-run, results and export (`campaign`, `results`),
//! the inspections — an inspector's own, or an association's findings — (here), one inspection with the
//! phone form its drawn inspectors record it with (`inspection`, `record`), and the published draw that
//! anyone may read (`draw`).

mod campaign;
mod draw;
mod inspection;
mod new_campaign;
mod record;
mod results;

use domain::api::{CampaignQuery, FeeCampaign, FeeInspection, InspectionQuery};
use domain::fees::{CampaignStage, InspectionStage};
use domain::policy::{BUREAU_ONLY, ORG_USERS, STAFF, STAFF_OR_ORG};
use leptos::prelude::*;

use crate::api;
use crate::components::field::EnumSelect;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::components::pager::Pager;
use crate::i18n::{I18n, use_i18n};
use crate::routes::{Page, use_url_query};
use crate::session::use_session;

pub use campaign::FeeCampaignPage;
pub use draw::FeeDrawPage;
pub use inspection::FeeInspectionPage;
pub use new_campaign::NewFeeCampaignPage;

/// `/fees`: the campaigns, newest year first (staff); an association's user sees its inspections instead.
#[component]
pub fn FeeCampaignsPage() -> impl IntoView {
    let session = use_session();
    view! {
        <RequireAuth roles=STAFF_OR_ORG>
            {move || if session.has_role_untracked(ORG_USERS) {
                view! { <Inspections /> }.into_any()
            } else {
                view! { <RequireAuth roles=STAFF><Campaigns /></RequireAuth> }.into_any()
            }}
        </RequireAuth>
    }
}

#[component]
fn Campaigns() -> impl IntoView {
    let i18n = use_i18n();
    let bureau = use_session().has_role_untracked(BUREAU_ONLY);
    let (query, navigate_to) = use_url_query::<CampaignQuery>();
    let campaigns = LocalResource::new(move || {
        let query = query.get();
        async move { api::list_fee_campaigns(&query).await }
    });
    view! {
        <section class="page">
            <h1>{move || i18n.t("fees.title")}</h1>
            <p class="lead">{move || i18n.t("fees.lead")}</p>
            <div class="ledger-actions">
                {bureau.then(|| view! {
                    <a class="button button--primary" href=Page::NewFeeCampaign.path() data-testid="new-campaign">{move || i18n.t("fees.new_campaign")}</a>
                })}
                <a class="button" href=Page::FeeInspections.with_query(&InspectionQuery { mine: Some(true), ..Default::default() })
                    data-testid="my-inspections">{move || i18n.t("fees.my_inspections")}</a>
            </div>
            <form class="filters" on:submit=|ev| ev.prevent_default()>
                <label class="field">
                    <span>{move || i18n.t("fees.year")}</span>
                    <input name="year" type="number" inputmode="numeric"
                        prop:value=move || query.get().year.map(|y| y.to_string()).unwrap_or_default()
                        on:change=move |ev| navigate_to.run(CampaignQuery {
                            year: event_target_value(&ev).trim().parse().ok(),
                            page: None,
                            ..query.get_untracked()
                        }) />
                </label>
            </form>
            <Async resource=campaigns let:page>
                {
                    let total = page.total;
                    let href_for = move |n: u32| Page::FeeCampaigns.with_query(&CampaignQuery { page: Some(n), ..query.get_untracked() });
                    view! {
                        <p class="count">{move || i18n.t_with("common.total", &[("total", total.to_string())])}</p>
                        <ul class="record-list" data-testid="campaigns">
                            {page.items.into_iter().map(|c| campaign_card(i18n, c)).collect_view()}
                        </ul>
                        <Pager page=page.page per_page=page.per_page total href_for />
                    }
                }
            </Async>
        </section>
    }
}

fn campaign_card(i18n: I18n, c: FeeCampaign) -> impl IntoView {
    let stage = c.stage;
    view! {
        <li class="record" data-testid="campaign">
            <div class="record__head">
                <a href=Page::fee_campaign(c.id)><strong>{c.title.clone()}</strong></a>
                <span class=stage_badge(stage)>{move || i18n.label(stage)}</span>
            </div>
            <div class="record__meta">
                <span>{c.division_name.clone()}</span>
                <span>{move || i18n.t_with("fees.sample", &[("count", c.sample_size.to_string())])}</span>
                <span>{move || i18n.t_with("fees.progress", &[("recorded", c.recorded.to_string()), ("drawn", c.drawn.to_string())])}</span>
            </div>
        </li>
    }
}

pub(super) fn stage_badge(stage: CampaignStage) -> &'static str {
    match stage {
        CampaignStage::Open => "badge badge--warn",
        CampaignStage::Drawn => "badge badge--ok",
        CampaignStage::Closed => "badge",
    }
}

/// `/fees/inspections`: an inspector's inspections (`mine=true`), a division's, or an association's own.
#[component]
pub fn FeeInspectionsPage() -> impl IntoView {
    view! { <RequireAuth roles=STAFF_OR_ORG><Inspections /></RequireAuth> }
}

#[component]
fn Inspections() -> impl IntoView {
    let i18n = use_i18n();
    let is_org = use_session().has_role_untracked(ORG_USERS);
    let (query, navigate_to) = use_url_query::<InspectionQuery>();
    let apply =
        Callback::new(move |next: InspectionQuery| navigate_to.run(InspectionQuery { page: None, ..next }));
    let inspections = LocalResource::new(move || {
        let query = query.get();
        async move { api::list_fee_inspections(&query).await }
    });
    let title = if is_org {
        "fees.own_title"
    } else {
        "fees.inspections_title"
    };
    view! {
        <section class="page">
            <h1>{move || i18n.t(title)}</h1>
            <form class="filters" on:submit=|ev| ev.prevent_default()>
                <EnumSelect label="fees.inspection_stage" name="stage" values=&InspectionStage::ALL
                    selected=Signal::derive(move || query.get().stage)
                    on_change=move |stage| apply.run(InspectionQuery { stage, ..query.get_untracked() }) />
                {(!is_org).then(|| view! {
                    <label class="choice">
                        <input type="checkbox" name="mine" data-testid="mine" prop:checked=move || query.with(|q| q.mine == Some(true))
                            on:change=move |ev| apply.run(InspectionQuery {
                                mine: event_target_checked(&ev).then_some(true),
                                ..query.get_untracked()
                            }) />
                        <span>{move || i18n.t("fees.mine")}</span>
                    </label>
                })}
            </form>
            <Async resource=inspections let:page>
                {
                    let total = page.total;
                    let href_for = move |n: u32| Page::FeeInspections.with_query(&InspectionQuery { page: Some(n), ..query.get_untracked() });
                    view! {
                        <p class="count">{move || i18n.t_with("common.total", &[("total", total.to_string())])}</p>
                        <ul class="record-list" data-testid="inspections">
                            {page.items.into_iter().map(|i| inspection_card(i18n, i)).collect_view()}
                        </ul>
                        <Pager page=page.page per_page=page.per_page total href_for />
                    }
                }
            </Async>
        </section>
    }
}

/// One inspection in a list: the association, its place in the draw, the inspectors, what it removed.
pub(super) fn inspection_card(i18n: I18n, i: FeeInspection) -> impl IntoView {
    let stage = i.stage;
    let inspectors: Vec<String> = i.inspectors.iter().map(|x| x.name.clone()).collect();
    let burden = i.burden_removed_fen;
    let badge = if stage == InspectionStage::Recorded {
        "badge badge--ok"
    } else {
        "badge badge--warn"
    };
    view! {
        <li class="record" data-testid="inspection">
            <div class="record__head">
                <small class="record__id">"#"{i.draw_order}</small>
                <a href=Page::fee_inspection(i.id)><strong>{i.organization_name.clone()}</strong></a>
                <span class=badge>{move || i18n.label(stage)}</span>
            </div>
            <div class="record__meta">
                <span>{i.campaign_title.clone()}</span>
                <span>{move || i18n.t_with("fees.inspectors_are", &[("names", inspectors.join("、"))])}</span>
                {(stage == InspectionStage::Recorded).then(|| view! {
                    <span data-testid="inspection-burden">{move || i18n.t_with("fees.burden_is", &[("amount", burden.format_yuan())])}</span>
                })}
            </div>
        </li>
    }
}
