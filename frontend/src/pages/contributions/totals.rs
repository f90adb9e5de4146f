//! The ledger's totals: an organization's own by kind and year, the province's by year and city (each
//! city's total links to the entries behind it).

use chrono::Datelike;
use domain::api::LedgerQuery;
use leptos::prelude::*;

use crate::api;
use crate::components::load::Async;
use crate::i18n::use_i18n;
use crate::outbox::use_outbox;

/// The organization's totals, read again whenever the outbox has delivered an entry.
#[component]
pub(super) fn MyTotals() -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    let totals = LocalResource::new(move || {
        let _ = outbox.last_sent();
        api::contribution_totals("kind,year")
    });
    view! {
        <h2>{move || i18n.t("contributions.totals")}</h2>
        <Async resource=totals let:t>
            <p><strong>{t.amount_fen.format_wan_yi()}</strong></p>
            <table class="table"><tbody>
                {t.groups.into_iter().map(|g| view! {
                    <tr><td>{g.year}</td><td>{g.kind.map(|k| i18n.label(k))}</td>
                        <td class="num">{g.amount_fen.format_wan_yi()}</td><td class="num">{g.entries}</td></tr>
                }).collect_view()}
            </tbody></table>
        </Async>
    }
}

#[component]
pub(super) fn ProvinceTotals() -> impl IntoView {
    let i18n = use_i18n();
    let totals = LocalResource::new(|| api::contribution_totals("year,city"));
    let this_year = crate::format::today().year();
    view! {
        <section class="page">
            <h2>{move || i18n.t("contributions.totals_by_city")}</h2>
            <Async resource=totals let:t>
                <p><strong>{t.amount_fen.format_wan_yi()}</strong></p>
                <table class="table" data-testid="province-totals"><tbody>
                    {t.groups.into_iter().filter(|g| g.year.is_some_and(|y| y >= this_year - 1)).map(|g| {
                        let href = crate::routes::Page::Contributions.with_query(&LedgerQuery {
                            counted: Some(true), year: g.year, city_code: g.city_code.clone(), ..Default::default() });
                        view! {
                            <tr><td>{g.year}</td><td><a href=href>{g.city_name.or(g.city_code)}</a></td>
                                <td class="num">{g.amount_fen.format_wan_yi()}</td><td class="num">{g.entries}</td></tr>
                        }
                    }).collect_view()}
                </tbody></table>
            </Async>
        </section>
    }
}
