//! The published draw of a campaign (一公开), for anyone: the seed, how many associations were eligible,
//! and each drawn association with its inspectors, in draw order — with how to re-run it.

use leptos::prelude::*;

use crate::api;
use crate::components::load::Async;
use crate::format::format_time;
use crate::i18n::use_i18n;
use crate::routes::use_id_param;

#[component]
pub fn FeeDrawPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = use_id_param();
    let draw = LocalResource::new(move || {
        let id = id.get();
        async move { api::published_fee_draw(id).await }
    });
    view! {
        <section class="page">
            <Async resource=draw let:d>
                <h1>{d.title.clone()}</h1>
                <p class="lead">{move || i18n.t("fees.published_lead")}</p>
                <dl class="ledger-entry" data-testid="published-draw">
                    <dt>{move || i18n.t("fees.division")}</dt><dd>{d.division_name.clone()}</dd>
                    <dt>{move || i18n.t("fees.seed")}</dt><dd><code data-testid="published-seed">{d.seed.clone()}</code></dd>
                    <dt>{move || i18n.t("fees.eligible")}</dt><dd>{d.eligible}</dd>
                    <dt>{move || i18n.t("fees.drawn")}</dt><dd>{d.associations.len()}</dd>
                    <dt>{move || i18n.t("fees.drawn_at")}</dt><dd>{format_time(d.drawn_at)}</dd>
                </dl>
                <table class="list-table" data-testid="published-list">
                    <thead><tr>
                        <th>{move || i18n.t("fees.draw_order")}</th>
                        <th>{move || i18n.t("fees.association")}</th>
                        <th>{move || i18n.t("fees.credit_code")}</th>
                        <th>{move || i18n.t("fees.inspectors")}</th>
                    </tr></thead>
                    <tbody>
                        {d.associations.into_iter().map(|a| view! {
                            <tr>
                                <td data-label=move || i18n.t("fees.draw_order")>{a.draw_order}</td>
                                <td class="list-table__title">{a.name}</td>
                                <td data-label=move || i18n.t("fees.credit_code")>{a.credit_code}</td>
                                <td data-label=move || i18n.t("fees.inspectors")>{a.inspectors.join("、")}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </Async>
        </section>
    }
}
