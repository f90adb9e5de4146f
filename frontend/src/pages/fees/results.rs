//! A campaign's results, counted by the server from the recorded items: the totals, by city and by
//! disposition, and the export.

use domain::api::{CampaignResults, ResultLine};
use leptos::prelude::*;

use crate::api;
use crate::components::export::ExportButton;
use crate::components::load::Async;
use crate::i18n::{I18n, use_i18n};

#[component]
pub(super) fn Results(id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let results = LocalResource::new(move || async move { api::fee_campaign_results(id).await });
    view! {
        <h2>{move || i18n.t("fees.results")}</h2>
        <div class="ledger-actions">
            <ExportButton href=api::fee_export_url(id) label="fees.export" testid="fees-export" />
        </div>
        <Async resource=results let:r>
            <ResultTables results=r />
        </Async>
    }
}

#[component]
fn ResultTables(results: CampaignResults) -> impl IntoView {
    let i18n = use_i18n();
    let t = results.totals.clone();
    let drawn = results.drawn;
    view! {
        <ul class="cards" data-testid="fees-totals">
            <li class="card"><strong>{t.inspected}" / "{drawn}</strong><p>{move || i18n.t("fees.col.inspected")}</p></li>
            <li class="card"><strong>{t.violations}</strong><p>{move || i18n.t("fees.col.violations")}</p></li>
            <li class="card"><strong>{t.standardized}</strong><p>{move || i18n.t("fees.col.standardized")}</p></li>
            <li class="card"><strong data-testid="burden-total">{t.burden_removed_fen.format_wan_yi()}</strong><p>{move || i18n.t("fees.col.burden")}</p></li>
            <li class="card"><strong>{t.enterprises_benefited}</strong><p>{move || i18n.t("fees.col.enterprises")}</p></li>
        </ul>
        <h3>{move || i18n.t("fees.by_city")}</h3>
        <table class="list-table" data-testid="fees-by-city">
            <thead><tr>
                <th>{move || i18n.t("fees.col.city")}</th>
                <th>{move || i18n.t("fees.col.inspected")}</th>
                <th>{move || i18n.t("fees.col.violations")}</th>
                <th>{move || i18n.t("fees.col.standardized")}</th>
                <th>{move || i18n.t("fees.col.burden")}</th>
                <th>{move || i18n.t("fees.col.enterprises")}</th>
            </tr></thead>
            <tbody>
                {results.by_city.into_iter().map(|c| line_row(i18n, c.division_name, &c.line)).collect_view()}
                {line_row(i18n, i18n.t("fees.total"), &t)}
            </tbody>
        </table>
        <h3>{move || i18n.t("fees.by_disposition")}</h3>
        <table class="list-table" data-testid="fees-by-disposition">
            <thead><tr>
                <th>{move || i18n.t("fees.col.disposition")}</th>
                <th>{move || i18n.t("fees.col.items")}</th>
                <th>{move || i18n.t("fees.col.associations")}</th>
                <th>{move || i18n.t("fees.col.burden")}</th>
                <th>{move || i18n.t("fees.col.enterprises")}</th>
            </tr></thead>
            <tbody>
                {results.by_disposition.into_iter().map(|d| {
                    let disposition = d.disposition;
                    view! {
                        <tr>
                            <td class="list-table__title">{move || i18n.label(disposition)}</td>
                            <td data-label=move || i18n.t("fees.col.items")>{d.items}</td>
                            <td data-label=move || i18n.t("fees.col.associations")>{d.associations}</td>
                            <td data-label=move || i18n.t("fees.col.burden")>{d.burden_removed_fen.format_yuan()}</td>
                            <td data-label=move || i18n.t("fees.col.enterprises")>{d.enterprises_benefited}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

fn line_row(i18n: I18n, name: String, l: &ResultLine) -> impl IntoView + use<> {
    let l = l.clone();
    view! {
        <tr>
            <td class="list-table__title">{name}</td>
            <td data-label=move || i18n.t("fees.col.inspected")>{l.inspected}</td>
            <td data-label=move || i18n.t("fees.col.violations")>{l.violations}</td>
            <td data-label=move || i18n.t("fees.col.standardized")>{l.standardized}</td>
            <td data-label=move || i18n.t("fees.col.burden")>{l.burden_removed_fen.format_yuan()}</td>
            <td data-label=move || i18n.t("fees.col.enterprises")>{l.enterprises_benefited}</td>
        </tr>
    }
}
