//! 按时公示率 — the on-time rate of a period (a year or a month) per division, computed by the server from
//! the outbox, and the late items with their delay in working days. Period and division live in the URL.

use domain::api::{OnTimeQuery, OnTimeReport, OnTimeRow};
use domain::policy::STAFF;
use leptos::prelude::*;
use leptos_router::components::A;

use super::status_badges;
use crate::api;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::i18n::{I18n, use_i18n};
use crate::pages::villages::list::loaded_cities;
use crate::routes::{Page, non_empty, use_url_query};

#[component]
pub fn OnTimePage() -> impl IntoView {
    view! { <RequireAuth roles=STAFF><OnTime /></RequireAuth> }
}

#[component]
fn OnTime() -> impl IntoView {
    let i18n = use_i18n();
    let (query, apply) = use_url_query::<OnTimeQuery>();
    let report = LocalResource::new(move || {
        let query = query.get();
        async move { api::publication_on_time(&query).await }
    });
    let divisions = LocalResource::new(api::list_divisions);
    let (period, set_period) = signal(String::new());
    Effect::new(move |_| set_period.set(query.get().period.unwrap_or_default()));
    view! {
        <section class="page">
            <p><a href=Page::Publication.path()>{move || i18n.t("publication.back")}</a></p>
            <h1>{move || i18n.t("publication.on_time")}</h1>
            <p class="lead">{move || i18n.t("publication.on_time_lead")}</p>
            <form class="filters" on:submit=move |ev| {
                ev.prevent_default();
                apply.run(OnTimeQuery { period: non_empty(period.get_untracked()), ..query.get_untracked() });
            }>
                <label class="field">
                    <span>{move || i18n.t("publication.period")}</span>
                    <input type="text" name="period" inputmode="numeric" maxlength="7" data-testid="on-time-period"
                        placeholder=move || i18n.t("publication.period_placeholder")
                        prop:value=period on:input=move |ev| set_period.set(event_target_value(&ev)) />
                </label>
                <label class="field">
                    <span>{move || i18n.t("publication.division")}</span>
                    <select name="division" on:change=move |ev| {
                        apply.run(OnTimeQuery { division: non_empty(event_target_value(&ev)), ..query.get_untracked() });
                    }>
                        <option value="" selected=move || query.get().division.is_none()>{move || i18n.t("common.all")}</option>
                        {move || loaded_cities(divisions).into_iter().map(|city| {
                            let code = city.code.clone();
                            view! {
                                <option value=city.code selected=move || query.get().division.as_ref() == Some(&code)>{city.name}</option>
                            }
                        }).collect_view()}
                    </select>
                </label>
                <button type="submit" class="button button--primary">{move || i18n.t("common.search")}</button>
            </form>
            <Async resource=report let:found>
                <Report report=found />
            </Async>
        </section>
    }
}

#[component]
fn Report(report: OnTimeReport) -> impl IntoView {
    let i18n = use_i18n();
    let OnTimeReport {
        period,
        rows,
        total,
        late,
    } = report;
    let late_total = total.late;
    let (decided, shown) = (total.decided.to_string(), rate(&total));
    let summary = move || {
        let values = [
            ("period", period.clone()),
            ("decided", decided.clone()),
            ("rate", shown.clone()),
        ];
        i18n.t_with("publication.rate_summary", &values)
    };
    view! {
        <p class="count" data-testid="on-time-total">{summary}</p>
        <table class="list-table" data-testid="on-time-table">
            <thead><tr>
                <th>{move || i18n.t("publication.division")}</th>
                <th>{move || i18n.t("publication.col.decided_count")}</th>
                <th>{move || i18n.t("publication.col.on_time")}</th>
                <th>{move || i18n.t("publication.col.late")}</th>
                <th>{move || i18n.t("publication.col.not_due")}</th>
                <th>{move || i18n.t("publication.col.rate")}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|row| rate_row(i18n, row, false)).collect_view()}
                {rate_row(i18n, total, true)}
            </tbody>
        </table>
        <h2>{move || i18n.t_with("publication.late_list", &[("total", late_total.to_string())])}</h2>
        {if late.is_empty() {
            view! { <p class="notice">{move || i18n.t("publication.none_late")}</p> }.into_any()
        } else {
            view! {
                <ul class="plain-list" data-testid="on-time-late">
                    {late.into_iter().map(|item| {
                        let badges = status_badges(i18n, &item);
                        let due = item.due_on.to_string();
                        let due = move || i18n.t_with("publication.due_on", &[("day", due.clone())]);
                        view! {
                            <li>
                                <A href=Page::publication(item.id)>{item.document_number}</A>
                                " · "{item.organization_name}" · "{due}" "{badges}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

/// The rate as a percentage with one decimal, or a dash while nothing's outcome is known.
fn rate(row: &OnTimeRow) -> String {
    row.rate
        .map_or_else(|| "—".to_owned(), |r| format!("{:.1}%", r * 100.0))
}

fn rate_row(i18n: I18n, row: OnTimeRow, total: bool) -> impl IntoView {
    let shown = rate(&row);
    let class = if total { "list-table__total" } else { "" };
    let name = row.division_name;
    let name = move || {
        if total {
            i18n.t("publication.total")
        } else {
            name.clone()
        }
    };
    view! {
        <tr class=class>
            <td class="list-table__title" data-label=move || i18n.t("publication.division")>{name}</td>
            <td data-label=move || i18n.t("publication.col.decided_count")>{row.decided}</td>
            <td data-label=move || i18n.t("publication.col.on_time")>{row.on_time}</td>
            <td data-label=move || i18n.t("publication.col.late")>{row.late}</td>
            <td data-label=move || i18n.t("publication.col.not_due")>{row.not_due}</td>
            <td data-label=move || i18n.t("publication.col.rate")>{shown}</td>
        </tr>
    }
}
