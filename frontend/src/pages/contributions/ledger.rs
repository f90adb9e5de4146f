//! The ledger's lists: an organization's own entries (with its totals), and the entries behind a total,
//! from the filter a total's link puts in the URL.

use domain::api::LedgerQuery;
use leptos::prelude::*;

use super::totals::MyTotals;
use super::{entry_line, status_label};
use crate::api;
use crate::components::load::Async;
use crate::i18n::use_i18n;
use crate::outbox::use_outbox;

#[component]
pub(super) fn MyLedger() -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    // Read again whenever the outbox has delivered an entry.
    let entries = LocalResource::new(move || {
        let _ = outbox.last_sent();
        async { api::list_contributions(&LedgerQuery::default()).await }
    });
    view! {
        <section class="page">
            <MyTotals />
            <h2>{move || i18n.t("contributions.mine")}</h2>
            <Async resource=entries let:page>
                <ul class="plain-list" data-testid="my-contributions">
                    {page.items.into_iter().map(|e| view! {
                        <li>
                            <a href=crate::routes::Page::contribution(e.id)><strong>{e.date.to_string()}" "{i18n.label(e.kind)}</strong></a>
                            " · "{e.amount_fen.format_yuan()}" · "{status_label(&i18n, &e)}
                            {e.return_reason.clone().map(|r| view! { <small class="field__error">" "{r}</small> })}
                        </li>
                    }).collect_view()}
                </ul>
            </Async>
        </section>
    }
}

/// The ledger filter in the URL (`?organization_id=…&year=…&city_code=…&counted=true`), so that a total's
/// link, back and reload all work.
pub(super) fn ledger_query() -> Memo<LedgerQuery> {
    let (query, _) = crate::routes::use_url_query::<LedgerQuery>();
    query
}

/// The entries behind a total (verified, not superseded), from a total's link.
#[component]
pub(super) fn CountedEntries() -> impl IntoView {
    let i18n = use_i18n();
    let query = ledger_query();
    let entries = LocalResource::new(move || {
        let query = query.get();
        async move { api::list_contributions(&query).await }
    });
    view! {
        <section class="page">
            <h1>{move || i18n.t("contributions.counted_entries")}</h1>
            <p><a href=crate::routes::Page::Contributions.path()>{move || i18n.t("contributions.back_to_totals")}</a></p>
            <Async resource=entries let:page>
                <p>{move || i18n.t_with("contributions.entry_count", &[("count", page.total.to_string())])}</p>
                <ul class="plain-list" data-testid="counted-entries">
                    {page.items.iter().map(|e| view! { <li class="stack">{entry_line(&i18n, e)}</li> }).collect_view()}
                </ul>
            </Async>
        </section>
    }
}
