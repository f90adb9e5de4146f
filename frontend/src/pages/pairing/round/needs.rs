//! Staff record a village's needs and priority class, village by village, county by county.

use std::collections::BTreeMap;

use domain::api::{Round, RoundVillageQuery, VillageNeedsRequest};
use domain::pairing::round::PriorityClass;
use leptos::prelude::*;

use super::weights_form;
use crate::api;
use crate::components::load::Async;
use crate::components::notice::ErrorNotice;
use crate::i18n::use_i18n;

/// Staff choose a village of the round in their scope and record its needs and priority class.
#[component]
pub(super) fn NeedsEditor(round: Round) -> impl IntoView {
    let i18n = use_i18n();
    let id = round.id;
    let county = RwSignal::new(round.counties.first().map(|c| c.code.clone()));
    let page = RwSignal::new(1_u32);
    let villages = LocalResource::new(move || {
        let query = RoundVillageQuery {
            county: county.get(),
            recorded: None,
            page: Some(page.get()),
            per_page: Some(20),
        };
        async move { api::list_round_villages(id, &query).await }
    });
    // The village being edited, as (code, name).
    let selected = RwSignal::new(None::<(String, String)>);
    let needs = RwSignal::new(BTreeMap::new());
    let priority = RwSignal::new(None::<PriorityClass>);
    let save = Action::new_local(move |(code, body): &(String, VillageNeedsRequest)| {
        let (code, body) = (code.clone(), body.clone());
        async move { api::record_village_needs(id, &code, &body).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            villages.refetch();
        }
    });
    let counties = round.counties.clone();
    view! {
        <details class="panel" data-testid="needs-editor">
            <summary>{move || i18n.t("pairing.needs_title")}</summary>
            <label class="field"><span>{move || i18n.t("villages.county")}</span>
                <select name="needs_county" on:change=move |ev| { county.set(Some(event_target_value(&ev))); page.set(1); }>
                    {counties.into_iter().map(|c| view! { <option value=c.code.clone()>{c.name.clone()}</option> }).collect_view()}
                </select>
            </label>
            <Async resource=villages let:list>
                <ul class="record-list">
                    {list.items.into_iter().map(|v| {
                        let picked = (v.code.clone(), v.name.clone());
                        let recorded = v.needs.clone();
                        let class = v.priority_class;
                        let summary = v.needs.clone();
                        let summary = move || match &summary {
                            Some(n) => n.iter().map(|(k, w)| format!("{}{}", i18n.label(*k), w)).collect::<Vec<_>>().join(" "),
                            None => i18n.t("pairing.no_needs"),
                        };
                        view! {
                            <li class="record" data-testid="needs-village">
                                <div class="record__head">
                                    <button type="button" class="link-button" on:click=move |_| {
                                        selected.set(Some(picked.clone()));
                                        needs.set(recorded.clone().unwrap_or_default().iter().map(|(n, w)| (n.key().to_owned(), *w)).collect());
                                        priority.set(class);
                                    }><strong>{v.name.clone()}</strong></button>
                                    {v.priority_class.map(|c| view! { <span class="badge badge--priority">{move || i18n.label(c)}</span> })}
                                </div>
                                <div class="record__meta"><span>{v.township_name.clone()}</span><span>{summary}</span></div>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <nav class="pager">
                    <button type="button" class="button" disabled=move || page.get() <= 1 on:click=move |_| page.update(|p| *p -= 1)>{i18n.t("common.prev")}</button>
                    <span class="pager__status">{move || page.get()}</span>
                    <button type="button" class="button" on:click=move |_| page.update(|p| *p += 1)>{i18n.t("common.next")}</button>
                </nav>
            </Async>
            {move || selected.get().map(|(code, name)| {
                let target = code.clone();
                view! {
                    <form class="form" data-testid="needs-form" on:submit=move |ev| {
                        ev.prevent_default();
                        save.dispatch((target.clone(), VillageNeedsRequest { needs: needs.get_untracked(), priority_class: priority.get_untracked() }));
                    }>
                        <h3>{name}" "<code>{code}</code></h3>
                        {weights_form(needs)}
                        <label class="field"><span>{i18n.t("pairing.priority_class")}</span>
                            <select name="priority_class" on:change=move |ev| priority.set(PriorityClass::parse(&event_target_value(&ev)))>
                                <option value="" selected=move || priority.get().is_none()>{i18n.t("pairing.not_priority")}</option>
                                {PriorityClass::ALL.into_iter().map(|c| view! {
                                    <option value=c.key() selected=move || priority.get() == Some(c)>{move || i18n.label(c)}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        <button type="submit" class="button button--primary" disabled=move || save.pending().get()>{i18n.t("pairing.save")}</button>
                        {move || match save.value().get() {
                            Some(Ok(v)) => Some(view! { <p class="notice" role="status">{i18n.t_with("pairing.needs_saved", &[("name", v.name)])}</p> }.into_any()),
                            Some(Err(error)) => Some(view! { <ErrorNotice error on_retry=move || () /> }.into_any()),
                            None => None,
                        }}
                    </form>
                }
            })}
        </details>
    }
}
