//! Staff: what a petition raised — clues of illegal organizations, and penalty cases against the
//! registered organization it concerns — with the actions that raise more through the cases' own forms
//! (`/illegal?petition=`, `/penalties?petition=&organization=`), opened prefilled.

use domain::api::{IllegalCaseQuery, PenaltyQuery, Petition};
use domain::petitions::PetitionStage;
use leptos::prelude::*;

use crate::api;
use crate::components::load::Async;
use crate::i18n::use_i18n;
use crate::routes::{Page, RaisedFrom};

#[component]
pub(super) fn RaisedCases(petition: Petition) -> impl IntoView {
    let i18n = use_i18n();
    let id = petition.id;
    let clues = LocalResource::new(move || {
        let query = IllegalCaseQuery {
            petition_id: Some(id),
            ..Default::default()
        };
        async move { api::list_illegal_cases(&query).await }
    });
    let penalties = LocalResource::new(move || {
        let query = PenaltyQuery {
            petition_id: Some(id),
            ..Default::default()
        };
        async move { api::list_penalties(&query).await }
    });
    let from = RaisedFrom {
        petition: Some(id),
        organization: None,
    };
    let raise_clue = Page::IllegalCases.with_query(&from);
    // A penalty case is against the registered organization the petition concerns; a declined petition
    // raises nothing.
    let raises = petition.stage != PetitionStage::Declined;
    let raise_penalty = petition.organization_id.map(|organization| {
        Page::Penalties.with_query(&RaisedFrom {
            organization: Some(organization),
            ..from
        })
    });
    view! {
        <h2>{move || i18n.t("petitions.raised")}</h2>
        {raises.then(|| view! {
            <div class="form-actions">
                <a class="button" href=raise_clue data-testid="raise-clue">{move || i18n.t("petitions.raise_clue")}</a>
                {raise_penalty.map(|href| view! {
                    <a class="button" href=href data-testid="raise-penalty">{move || i18n.t("petitions.raise_penalty")}</a>
                })}
            </div>
        })}
        <Async resource=clues let:page>
            <ul class="record-list" data-testid="raised-clues">
                {page.items.into_iter().map(|c| view! {
                    <li class="record">
                        <div class="record__head">
                            <a href=Page::illegal_case(c.id)><strong>{c.name}</strong></a>
                            <span class="badge">{move || i18n.label(c.stage)}</span>
                        </div>
                        <div class="record__meta"><span>{move || i18n.t("petitions.raised_clue")}</span></div>
                    </li>
                }).collect_view()}
            </ul>
        </Async>
        <Async resource=penalties let:page>
            <ul class="record-list" data-testid="raised-penalties">
                {page.items.into_iter().map(|c| view! {
                    <li class="record">
                        <div class="record__head">
                            <a href=Page::penalty(c.id)><strong>{c.organization_name}</strong></a>
                            <span class="badge">{move || i18n.label(c.stage)}</span>
                        </div>
                        <div class="record__meta"><span>{move || i18n.t("petitions.raised_penalty")}</span></div>
                    </li>
                }).collect_view()}
            </ul>
        </Async>
    }
}
