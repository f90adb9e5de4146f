//! An organization's penalty decisions, on its profile (`pages/registry/`): staff see each decision's
//! number, date and kinds, linked to its case.

use domain::api::PenaltyQuery;
use leptos::prelude::*;

use crate::api;
use crate::components::load::Async;
use crate::i18n::use_i18n;
use crate::routes::Page;

#[component]
pub fn PenaltyDecisions(organization_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let decided = LocalResource::new(move || {
        let query = PenaltyQuery {
            organization_id: Some(organization_id),
            stage: Some("decided".to_owned()),
            ..Default::default()
        };
        async move { api::list_penalties(&query).await }
    });
    view! {
        <h2>{move || i18n.t("penalties.decisions")}</h2>
        <Async resource=decided let:page>
            {page.items.is_empty().then(|| view! { <p class="count">{move || i18n.t("penalties.no_decisions")}</p> })}
            <ul class="plain-list" data-testid="penalty-decisions">
                {page.items.into_iter().filter_map(|c| c.decision.map(|d| (c.id, d))).map(|(id, d)| {
                    let kinds = d.kinds.clone();
                    view! {
                        <li>
                            <a href=Page::penalty(id)><strong>{d.document_number}</strong></a>
                            " "{d.decided_on.to_string()}" · "{move || i18n.labels(&kinds)}
                            {d.fine_fen.map(|f| view! { " · "{f.format_yuan()} })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </Async>
    }
}
