//! The public side, no account needed: the report form (举报非法社会组织) and the published lists of
//! suspected illegal organizations by batch (涉嫌非法社会组织名单 第N批) with a search by name.

use domain::api::{PublicIllegalList, PublicIllegalQuery, PublicReportRequest};
use leptos::prelude::*;

use super::stage_badge;
use crate::api;
use crate::components::division::DivisionPicker;
use crate::components::load::Async;
use crate::components::notice::ErrorNotice;
use crate::i18n::use_i18n;
use crate::routes::{Page, non_empty, use_url_query};

/// 举报非法社会组织: anyone reports a body acting as a social organization without registration.
#[component]
pub fn ReportIllegalPage() -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let division = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let activities = RwSignal::new(String::new());
    let contact = RwSignal::new(String::new());
    let report = Action::new_local(move |body: &PublicReportRequest| {
        let body = body.clone();
        async move { api::report_illegal_organization(&body).await }
    });
    let text =
        move |signal: RwSignal<String>| move |ev: leptos::ev::Event| signal.set(event_target_value(&ev));
    // Only a success replaces the form: a refusal leaves it as typed, with the server's message.
    let received = Memo::new(move |_| report.value().get().and_then(Result::ok));
    view! {
        <section class="page page--narrow">
            <h1>{move || i18n.t("illegal.report_title")}</h1>
            <p class="lead">{move || i18n.t("illegal.report_lead")}</p>
            {move || match received.get() {
                Some(received) => view! {
                    <div class="notice notice--ok" role="status" data-testid="report-received">
                        <p>{i18n.t_with("illegal.report_received", &[("date", received.received_on.to_string())])}</p>
                        <a href=Page::PublicIllegal.path()>{i18n.t("illegal.public_title")}</a>
                    </div>
                }.into_any(),
                None => view! {
                    <form class="stack" data-testid="report-form" on:submit=move |ev| {
                        ev.prevent_default();
                        report.dispatch(PublicReportRequest {
                            name: name.get_untracked(),
                            division_code: division.get_untracked(),
                            address: address.get_untracked(),
                            activities: activities.get_untracked(),
                            contact: non_empty(contact.get_untracked()),
                        });
                    }>
                        <label class="field">
                            <span>{move || i18n.t("illegal.body_name")}</span>
                            <input name="name" maxlength="100" prop:value=name on:input=text(name) />
                        </label>
                        <DivisionPicker label="illegal.where" name="division" value=division />
                        <label class="field">
                            <span>{move || i18n.t("illegal.address")}</span>
                            <input name="address" maxlength="200" prop:value=address on:input=text(address) />
                        </label>
                        <label class="field">
                            <span>{move || i18n.t("illegal.activities")}</span>
                            <textarea name="activities" rows="4" maxlength="2000" prop:value=activities on:input=text(activities)></textarea>
                        </label>
                        <label class="field">
                            <span>{move || i18n.t("illegal.contact")}</span>
                            <input name="contact" inputmode="tel" maxlength="50" prop:value=contact on:input=text(contact) />
                            <small class="field__hint">{move || i18n.t("illegal.contact_hint")}</small>
                        </label>
                        {move || report.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error on_retry=move || () /> })}
                        <button type="submit" class="button button--primary" data-testid="send-report" disabled=move || report.pending().get()>
                            {move || i18n.t("illegal.send_report")}
                        </button>
                    </form>
                }.into_any(),
            }}
        </section>
    }
}

/// 涉嫌非法社会组织名单: the published batches, one batch's organizations, or a search by name; the filter
/// lives in the URL.
#[component]
pub fn PublicIllegalPage() -> impl IntoView {
    let i18n = use_i18n();
    let (query, navigate_to) = use_url_query::<PublicIllegalQuery>();
    let list = LocalResource::new(move || {
        let query = query.get();
        async move { api::public_illegal_organizations(&query).await }
    });
    let search = RwSignal::new(String::new());
    Effect::new(move |_| search.set(query.get().q.unwrap_or_default()));
    view! {
        <section class="page">
            <h1>{move || i18n.t("illegal.public_title")}</h1>
            <p class="lead">{move || i18n.t("illegal.public_lead")}</p>
            <form class="filters" role="search" on:submit=move |ev| {
                ev.prevent_default();
                navigate_to.run(PublicIllegalQuery { q: non_empty(search.get_untracked()), batch: None });
            }>
                <label class="field field--grow">
                    <span>{move || i18n.t("illegal.search")}</span>
                    <input type="search" name="q" maxlength="50" data-testid="illegal-search"
                        placeholder=move || i18n.t("illegal.search_placeholder")
                        prop:value=search on:input=move |ev| search.set(event_target_value(&ev)) />
                </label>
                <button type="submit" class="button button--primary">{move || i18n.t("common.search")}</button>
            </form>
            <Async resource=list let:found>
                <PublicResults found query=query.get_untracked() />
            </Async>
            <p><a href=Page::ReportIllegal.path()>{move || i18n.t("illegal.report_title")}</a></p>
        </section>
    }
}

#[component]
fn PublicResults(found: PublicIllegalList, query: PublicIllegalQuery) -> impl IntoView {
    let i18n = use_i18n();
    let chosen = query.batch;
    let batches = found
        .batches
        .into_iter()
        .map(|b| {
            let href = Page::PublicIllegal.with_query(&PublicIllegalQuery {
                batch: Some(b.number),
                q: None,
            });
            let class = if chosen == Some(b.number) {
                "chip chip--on"
            } else {
                "chip"
            };
            view! {
                <a class=class href=href data-testid="batch-link">
                    {move || i18n.t_with("illegal.batch_n", &[("n", b.number.to_string())])}
                    " · "{b.published_on.to_string()}" · "
                    {move || i18n.t_with("illegal.batch_count", &[("count", b.cases.to_string())])}
                </a>
            }
        })
        .collect_view();
    let heading = match (&query.q, chosen) {
        (Some(q), _) => i18n.t_with("illegal.results_for", &[("q", q.clone())]),
        (None, Some(n)) => i18n.t_with("illegal.batch_title", &[("n", n.to_string())]),
        (None, None) => i18n.t("illegal.latest"),
    };
    let empty = found.items.is_empty();
    view! {
        <h2>{move || i18n.t("illegal.batches")}</h2>
        <p class="chips" data-testid="batches">{batches}</p>
        <h2>{heading}</h2>
        {empty.then(|| view! { <p class="notice">{move || i18n.t("illegal.none_found")}</p> })}
        <ul class="record-list" data-testid="public-illegal">
            {found.items.into_iter().map(|o| view! {
                <li class="record">
                    <div class="record__head">
                        <strong>{o.name}</strong>
                        {stage_badge(o.stage)}
                    </div>
                    <div class="record__meta">
                        <span>{move || i18n.t_with("illegal.batch_n", &[("n", o.batch_number.to_string())])}" · "{o.published_on.to_string()}</span>
                        <span>{o.division_name}</span>
                        <span>{o.address}</span>
                    </div>
                    <p class="record__text">{o.activities}</p>
                </li>
            }).collect_view()}
        </ul>
        {found.truncated.then(|| view! { <p class="count">{move || i18n.t("illegal.truncated")}</p> })}
    }
}
