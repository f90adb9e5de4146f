//! A new campaign (the bureau): the year and title, which associations are eligible (a division and its
//! levels), the checklist, how many to draw, and the inspector pool from the staff accounts.

use domain::api::{NewFeeCampaignRequest, UserQuery};
use domain::fees::FeeFinding;
use domain::policy::{BUREAU_ONLY, Role};
use domain::registry::organization::Level;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::format::today;
use crate::i18n::use_i18n;
use crate::routes::Page;

#[component]
pub fn NewFeeCampaignPage() -> impl IntoView {
    view! { <RequireAuth roles=BUREAU_ONLY><NewCampaign /></RequireAuth> }
}

/// The staff accounts that may sit in a pool: the bureau's and the cities' and counties' (first 100 each).
async fn staff_accounts() -> api::Result<Vec<(i64, String)>> {
    let mut staff = Vec::new();
    for role in [Role::BureauAdmin, Role::LocalStaff] {
        let query = UserQuery {
            role: Some(role.key().to_owned()),
            per_page: Some(100),
            ..Default::default()
        };
        let page = api::list_users(&query).await?;
        staff.extend(
            page.items
                .into_iter()
                .filter(|u| !u.disabled)
                .map(|u| (u.id, u.display_name)),
        );
    }
    Ok(staff)
}

#[component]
fn NewCampaign() -> impl IntoView {
    use chrono::Datelike;
    let i18n = use_i18n();
    let year = RwSignal::new(today().year().to_string());
    let title = RwSignal::new(String::new());
    let division = RwSignal::new(domain::division::PROVINCE_CODE.to_owned());
    let levels = RwSignal::new(Vec::<Level>::new());
    let checklist = RwSignal::new(FeeFinding::ALL.to_vec());
    let sample = RwSignal::new("100".to_owned());
    let per = RwSignal::new("2".to_owned());
    let pool = RwSignal::new(Vec::<i64>::new());
    let divisions = LocalResource::new(|| async { api::list_divisions().await });
    let staff = LocalResource::new(|| async { staff_accounts().await });
    let create = Action::new_local(move |body: &NewFeeCampaignRequest| {
        let body = body.clone();
        async move { api::create_fee_campaign(&body).await }
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(created)) = create.value().get() {
            navigate(&Page::fee_campaign(created.campaign.id), Default::default());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(NewFeeCampaignRequest {
            year: year.get_untracked().trim().parse().unwrap_or_default(),
            title: title.get_untracked(),
            division_code: division.get_untracked(),
            levels: levels.get_untracked(),
            checklist: checklist.get_untracked(),
            sample_size: sample.get_untracked().trim().parse().unwrap_or_default(),
            inspectors_per_association: per.get_untracked().trim().parse().unwrap_or_default(),
            inspector_ids: pool.get_untracked(),
        });
    };
    let number = move |key: &'static str, name: &'static str, value: RwSignal<String>| {
        view! {
            <label class="field">
                <span>{move || i18n.t(key)}</span>
                <input name=name type="number" inputmode="numeric" prop:value=value
                    on:input=move |ev| value.set(event_target_value(&ev)) />
            </label>
        }
    };
    view! {
        <section class="page page--narrow">
            <h1>{move || i18n.t("fees.new_campaign")}</h1>
            <form class="stack" data-testid="campaign-form" on:submit=submit>
                {number("fees.year", "year", year)}
                <label class="field">
                    <span>{move || i18n.t("fees.campaign_title")}</span>
                    <input name="title" prop:value=title on:input=move |ev| title.set(event_target_value(&ev)) />
                </label>
                <Async resource=divisions let:tree>
                    <label class="field">
                        <span>{move || i18n.t("fees.division")}</span>
                        <select name="division_code" on:change=move |ev| division.set(event_target_value(&ev))>
                            <option value=tree.province_code.clone()>{move || i18n.t("fees.whole_province")}</option>
                            {tree.cities.into_iter().map(|c| view! { <option value=c.code>{c.name}</option> }).collect_view()}
                        </select>
                    </label>
                </Async>
                <fieldset class="choices">
                    <legend>{move || i18n.t("fees.levels_hint")}</legend>
                    <div class="checks">{toggles(&Level::ALL, levels)}</div>
                </fieldset>
                <fieldset class="choices">
                    <legend>{move || i18n.t("fees.checklist")}</legend>
                    {toggles(&FeeFinding::ALL, checklist)}
                </fieldset>
                {number("fees.sample_size", "sample_size", sample)}
                {number("fees.per_association", "inspectors_per_association", per)}
                <fieldset class="choices" data-testid="pool">
                    <legend>{move || i18n.t("fees.pool")}</legend>
                    <Async resource=staff let:accounts>
                        {accounts.into_iter().map(|(id, name)| view! {
                            // A person's name is data, not a label: a <bdi>, not the labels' <span>.
                            <label class="check">
                                <input type="checkbox" name="pool" value=id.to_string()
                                    prop:checked=move || pool.with(|p| p.contains(&id))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        pool.update(|p| { p.retain(|x| *x != id); if on { p.push(id); } });
                                    } />
                                <bdi>{name}</bdi>
                            </label>
                        }).collect_view()}
                    </Async>
                </fieldset>
                {move || create.value().get().and_then(Result::err).map(|e| view! { <p class="notice notice--error" role="alert">{e.message(&i18n)}</p> })}
                <button type="submit" class="button button--primary button--block" data-testid="create-campaign"
                    disabled=move || create.pending().get()>{move || i18n.t("fees.create")}</button>
            </form>
        </section>
    }
}

/// A checkbox per value of a labelled enum, bound to the chosen values.
fn toggles<T>(values: &'static [T], chosen: RwSignal<Vec<T>>) -> impl IntoView + use<T>
where
    T: domain::label::Labelled + PartialEq + Send + Sync,
{
    let i18n = use_i18n();
    values
        .iter()
        .copied()
        .map(|value| {
            view! {
                <label class="choice">
                    <input type="checkbox" value=value.key() prop:checked=move || chosen.with(|c| c.contains(&value))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|c| { c.retain(|x| *x != value); if on { c.push(value); } });
                        } />
                    <span>{move || i18n.label(value)}</span>
                </label>
            }
        })
        .collect_view()
}
