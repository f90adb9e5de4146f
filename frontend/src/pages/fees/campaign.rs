//! One campaign: what it draws from, the draw (the bureau), its re-run by anyone on the staff, the drawn
//! list, the results by city and disposition with the export, and closing it.

use domain::api::{DrawRequest, DrawVerification, FeeCampaignDetail, InspectionQuery};
use domain::fees::CampaignStage;
use domain::policy::{BUREAU_ONLY, STAFF};
use leptos::prelude::*;

use super::results::Results;
use super::{inspection_card, stage_badge};
use crate::api;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::components::pager::Pager;
use crate::format::format_time;
use crate::i18n::{I18n, use_i18n};
use crate::routes::{Page, non_empty, use_id_param, use_url_query};
use crate::session::use_session;

type Draw = Action<Option<String>, api::Result<FeeCampaignDetail>>;
type Verify = Action<(), api::Result<DrawVerification>>;

#[component]
pub fn FeeCampaignPage() -> impl IntoView {
    view! { <RequireAuth roles=STAFF><Campaign /></RequireAuth> }
}

#[component]
fn Campaign() -> impl IntoView {
    let i18n = use_i18n();
    let bureau = use_session().has_role_untracked(BUREAU_ONLY);
    let id = use_id_param();
    let detail = LocalResource::new(move || {
        let id = id.get();
        async move { api::find_fee_campaign(id).await }
    });
    let draw: Draw = Action::new_local(move |seed: &Option<String>| {
        let (id, seed) = (id.get_untracked(), seed.clone());
        async move { api::draw_fee_campaign(id, &DrawRequest { seed }).await }
    });
    let verify: Verify = Action::new_local(move |_: &()| {
        let id = id.get_untracked();
        async move { api::verify_fee_draw(id).await }
    });
    let close = Action::new_local(move |_: &()| {
        let id = id.get_untracked();
        async move { api::close_fee_campaign(id).await }
    });
    Effect::new(move |_| {
        let done = draw.value().with(|r| r.as_ref().is_some_and(Result::is_ok))
            || verify.value().with(|r| r.as_ref().is_some_and(Result::is_ok))
            || close.value().with(|r| r.as_ref().is_some_and(Result::is_ok));
        if done {
            detail.refetch();
        }
    });
    let failure = move || {
        draw.value()
            .get()
            .and_then(Result::err)
            .or_else(|| close.value().get().and_then(Result::err))
            .or_else(|| verify.value().get().and_then(Result::err))
    };
    view! {
        <section class="page">
            <p><a href=Page::FeeCampaigns.path()>{move || i18n.t("fees.back")}</a></p>
            {move || failure().map(|e| view! { <p class="notice notice--error" role="alert">{e.message(&i18n)}</p> })}
            <Async resource=detail let:d>
                {
                    let stage = d.campaign.stage;
                    let campaign_id = d.campaign.id;
                    view! {
                        <Facts detail=d.clone() />
                        {(stage == CampaignStage::Open && bureau).then(|| view! { <DrawForm draw /> })}
                        {(stage != CampaignStage::Open).then(|| view! {
                            <Verification detail=d.clone() verify />
                            <Results id=campaign_id />
                            <DrawnList id=campaign_id />
                        })}
                        {(stage == CampaignStage::Drawn && bureau).then(|| view! {
                            <div class="form-actions">
                                <button type="button" class="button" data-testid="close-campaign"
                                    on:click=move |_| {
                                        let sure = web_sys::window()
                                            .and_then(|w| w.confirm_with_message(&i18n.t("fees.close_confirm")).ok())
                                            .unwrap_or(false);
                                        if sure { close.dispatch(()); }
                                    }>{move || i18n.t("fees.close")}</button>
                            </div>
                        })}
                    }
                }
            </Async>
        </section>
    }
}

/// The campaign's title, scope, checklist and pool, and its seed once drawn.
#[component]
fn Facts(detail: FeeCampaignDetail) -> impl IntoView {
    let i18n = use_i18n();
    let c = detail.campaign;
    let stage = c.stage;
    let levels = c.levels.clone();
    let checklist = c.checklist.clone();
    let pool: Vec<String> = detail.pool.iter().map(|p| p.name.clone()).collect();
    view! {
        <h1>{c.title.clone()}" "<span class=stage_badge(stage) data-testid="campaign-stage">{move || i18n.label(stage)}</span></h1>
        <dl class="ledger-entry">
            <dt>{move || i18n.t("fees.year")}</dt><dd>{c.year}</dd>
            <dt>{move || i18n.t("fees.division")}</dt><dd>{c.division_name.clone()}</dd>
            <dt>{move || i18n.t("fees.levels")}</dt>
            <dd>{move || if levels.is_empty() { i18n.t("common.all") } else { i18n.labels(&levels) }}</dd>
            <dt>{move || i18n.t("fees.checklist")}</dt><dd>{move || i18n.labels(&checklist)}</dd>
            <dt>{move || i18n.t("fees.sample_size")}</dt><dd>{c.sample_size}</dd>
            <dt>{move || i18n.t("fees.per_association")}</dt><dd>{c.inspectors_per_association}</dd>
            <dt>{move || i18n.t("fees.pool")}</dt><dd>{pool.join("、")}</dd>
            {c.seed.clone().map(|seed| view! {
                <dt>{move || i18n.t("fees.seed")}</dt><dd><code data-testid="seed">{seed}</code></dd>
                <dt>{move || i18n.t("fees.eligible")}</dt><dd>{c.eligible.unwrap_or_default()}</dd>
                <dt>{move || i18n.t("fees.drawn")}</dt><dd data-testid="drawn-count">{c.drawn}</dd>
            })}
            {c.drawn_at.map(|at| view! {
                <dt>{move || i18n.t("fees.drawn_at")}</dt>
                <dd>{format_time(at)}" · "{c.drawn_by.clone().unwrap_or_default()}</dd>
            })}
        </dl>
    }
}

/// The bureau's draw: from a seed chosen in public, or a random one.
#[component]
fn DrawForm(draw: Draw) -> impl IntoView {
    let i18n = use_i18n();
    let seed = RwSignal::new(String::new());
    view! {
        <form class="stack" data-testid="draw-form" on:submit=move |ev| {
            ev.prevent_default();
            draw.dispatch(non_empty(seed.get_untracked()));
        }>
            <h2>{move || i18n.t("fees.draw_title")}</h2>
            <p class="lead">{move || i18n.t("fees.draw_lead")}</p>
            <label class="field">
                <span>{move || i18n.t("fees.seed_optional")}</span>
                <input name="seed" inputmode="latin" maxlength="16" prop:value=seed
                    on:input=move |ev| seed.set(event_target_value(&ev)) />
            </label>
            <button type="submit" class="button button--primary" data-testid="draw"
                disabled=move || draw.pending().get()>{move || i18n.t("fees.draw")}</button>
        </form>
    }
}

/// The re-run of the draw and who ran it, and the link to the published draw.
#[component]
fn Verification(detail: FeeCampaignDetail, verify: Verify) -> impl IntoView {
    let i18n = use_i18n();
    let id = detail.campaign.id;
    view! {
        <h2>{move || i18n.t("fees.verify_title")}</h2>
        <p class="lead">{move || i18n.t("fees.verify_lead")}</p>
        <div class="form-actions">
            <button type="button" class="button button--primary" data-testid="verify"
                disabled=move || verify.pending().get()
                on:click=move |_| { verify.dispatch(()); }>{move || i18n.t("fees.verify")}</button>
            <a class="button" href=Page::fee_draw(id) data-testid="published-link">{move || i18n.t("fees.published")}</a>
        </div>
        {move || verify.value().get().and_then(Result::ok).map(|v| verdict(i18n, &v))}
        <ul class="plain-list" data-testid="verifications">
            {detail.verifications.into_iter().map(|v| {
                let same = v.same;
                let class = if same { "badge badge--ok" } else { "badge badge--danger" };
                view! {
                    <li>
                        <span class=class>
                            {move || i18n.t(if same { "fees.same" } else { "fees.different" })}
                        </span>
                        " "{v.verified_by}" · "{format_time(v.verified_at)}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

fn verdict(i18n: I18n, v: &DrawVerification) -> impl IntoView + use<> {
    let (class, key) = if v.same {
        ("notice notice--ok", "fees.verified_same")
    } else {
        ("notice notice--error", "fees.verified_different")
    };
    let args = [("count", v.drawn.to_string()), ("seed", v.seed.clone())];
    view! { <p class=class role="status" data-testid="verdict">{i18n.t_with(key, &args)}</p> }
}

/// The drawn associations in draw order, a page at a time (the page in the URL).
#[component]
fn DrawnList(id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let (query, _) = use_url_query::<InspectionQuery>();
    let list = LocalResource::new(move || {
        let query = InspectionQuery {
            campaign_id: Some(id),
            ..query.get()
        };
        async move { api::list_fee_inspections(&query).await }
    });
    view! {
        <h2>{move || i18n.t("fees.drawn_list")}</h2>
        <Async resource=list let:page>
            {
                let total = page.total;
                let href_for = move |n: u32| crate::routes::with_query(&Page::fee_campaign(id), &InspectionQuery { page: Some(n), ..query.get_untracked() });
                view! {
                    <ul class="record-list" data-testid="drawn-list">
                        {page.items.into_iter().map(|i| inspection_card(i18n, i)).collect_view()}
                    </ul>
                    <Pager page=page.page per_page=page.per_page total href_for />
                }
            }
        </Async>
    }
}
