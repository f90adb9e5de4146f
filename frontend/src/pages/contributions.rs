//! The contribution ledger: a phone-first report form with an offline outbox (organizations), their
//! entries and totals; the review queue and the province totals (staff).
//!
//! The outbox lives in `localStorage` (a JSON list under [`OUTBOX_KEY`]): entries are small, the API is
//! synchronous and needs no extra bindings, and IndexedDB would only pay off for evidence files, which a
//! browser cannot keep in `localStorage` anyway — so files are sent with the entry when it goes out from
//! this page, and an entry queued offline is sent without them (the user adds them from the entry later).

use chrono::{Datelike, NaiveDate, Utc};
use domain::api::{Contribution, ContributionInput, CreateContributionRequest, ReviewRequest};
use domain::auth::Role;
use domain::contribution::{ContributionKind, ExpoRole};
use domain::money::Fen;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api;
use crate::components::guard::RequireAuth;
use crate::components::notice::{ErrorNotice, Loading};
use crate::i18n::{I18n, Lang, use_i18n};
use crate::session::use_session;

const OUTBOX_KEY: &str = "sheguan.contributions.outbox";

/// An entry waiting to be sent, with the key that makes resending it safe.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct OutboxItem {
    key: String,
    request: CreateContributionRequest,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn read_outbox() -> Vec<OutboxItem> {
    storage()
        .and_then(|s| s.get_item(OUTBOX_KEY).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn write_outbox(items: &[OutboxItem]) {
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(items)) {
        let _ = storage.set_item(OUTBOX_KEY, &text);
    }
}

fn new_key() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| format!("t{}", Utc::now().timestamp_millis()))
}

fn kind_label(i18n: &I18n, kind: ContributionKind) -> &'static str {
    if i18n.lang() == Lang::En {
        kind.label_en()
    } else {
        kind.label_zh()
    }
}

/// Sends every waiting entry; keeps those that could not reach the server, drops those it answered
/// (a refusal is shown, an acceptance — first or repeated — removes the item).
async fn flush_outbox(set_outbox: WriteSignal<Vec<OutboxItem>>, set_problem: WriteSignal<Option<String>>) {
    let mut waiting = Vec::new();
    for item in read_outbox() {
        match api::create_contribution(&item.request, &item.key).await {
            Ok(_) => {}
            Err(api::Error::Fetch(_)) => waiting.push(item),
            Err(api::Error::Api { error, .. }) => set_problem.set(Some(error.error.message)),
        }
    }
    write_outbox(&waiting);
    set_outbox.set(waiting);
}

#[component]
pub fn ContributionsPage() -> impl IntoView {
    let session = use_session();
    view! {
        <RequireAuth roles=&[Role::BureauAdmin, Role::LocalStaff, Role::OrgUser]>
            {move || if session.role() == Some(Role::OrgUser) {
                view! { <ReportForm /> <MyLedger /> }.into_any()
            } else {
                view! { <ReviewQueue /> <ProvinceTotals /> }.into_any()
            }}
        </RequireAuth>
    }
}

#[component]
fn ReportForm() -> impl IntoView {
    let i18n = use_i18n();
    let today = Utc::now().date_naive();
    let (kind, set_kind) = signal(ContributionKind::RuralFunds);
    let (date, set_date) = signal(today.to_string());
    let (amount, set_amount) = signal(String::new());
    let (people, set_people) = signal(String::new());
    let (expo_role, set_expo_role) = signal(None::<ExpoRole>);
    let (description, set_description) = signal(String::new());
    let (touched, set_touched) = signal(false);
    let (outbox, set_outbox) = signal(read_outbox());
    let (problem, set_problem) = signal(None::<String>);
    let (sent, set_sent) = signal(false);
    let file_input = NodeRef::<leptos::html::Input>::new();

    // Send what is waiting now, and whenever the network comes back.
    leptos::task::spawn_local(flush_outbox(set_outbox, set_problem));
    let _online = window_event_listener(leptos::ev::online, move |_| {
        leptos::task::spawn_local(flush_outbox(set_outbox, set_problem));
    });

    // The same checks as the server, as the user types: the amount through `Fen`, the rest through
    // `ContributionInput::validate`.
    let amount_fen = move || {
        let text = amount.get();
        if text.trim().is_empty() {
            Ok(Fen::ZERO)
        } else {
            Fen::from_yuan_str(&text).map_err(|e| e.to_string())
        }
    };
    let input = move || {
        Some(ContributionInput {
            kind: kind.get(),
            date: NaiveDate::parse_from_str(&date.get(), "%Y-%m-%d").ok()?,
            amount_fen: amount_fen().ok()?.as_i64(),
            people: people.get().trim().parse().ok(),
            expo_role: expo_role.get(),
            village_code: None,
            description: description.get(),
            corrects_id: None,
            recipients: Vec::new(),
        })
    };
    let error_of = move |field: &str| -> Option<String> {
        if !touched.get() {
            return None;
        }
        if field == "amount_fen"
            && let Err(message) = amount_fen()
        {
            return Some(message);
        }
        if field == "date" && input().is_none() && amount_fen().is_ok() {
            return Some(i18n.t("contributions.bad_date"));
        }
        input()?
            .validate(Utc::now().date_naive())
            .err()?
            .into_iter()
            .find(|e| e.field == field)
            .map(|e| e.message)
    };
    let valid = move || {
        input()
            .and_then(|i| i.validate(Utc::now().date_naive()).ok())
            .is_some()
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        set_touched.set(true);
        set_sent.set(false);
        let Some(entry) = input().filter(|_| valid()) else {
            return;
        };
        let item = OutboxItem {
            key: new_key(),
            request: CreateContributionRequest { entry, draft: false },
        };
        let mut items = read_outbox();
        items.push(item.clone());
        write_outbox(&items);
        set_outbox.set(items);
        let file = file_input
            .get()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        leptos::task::spawn_local(async move {
            match api::create_contribution(&item.request, &item.key).await {
                Ok(created) => {
                    let rest: Vec<OutboxItem> =
                        read_outbox().into_iter().filter(|i| i.key != item.key).collect();
                    write_outbox(&rest);
                    set_outbox.set(rest);
                    if let Some(file) = file
                        && let Err(e) = api::upload_evidence(created.id, &file).await
                    {
                        set_problem.set(Some(e.message(&i18n)));
                    }
                    set_sent.set(true);
                    set_amount.set(String::new());
                    set_description.set(String::new());
                    set_touched.set(false);
                }
                Err(api::Error::Fetch(_)) => {}
                Err(api::Error::Api { error, .. }) => {
                    let rest: Vec<OutboxItem> =
                        read_outbox().into_iter().filter(|i| i.key != item.key).collect();
                    write_outbox(&rest);
                    set_outbox.set(rest);
                    set_problem.set(Some(error.error.message));
                }
            }
        });
    };

    view! {
        <section class="page report-form">
            <h1>{move || i18n.t("contributions.report_title")}</h1>
            {move || sent.get().then(|| view! { <p class="notice notice--ok" role="status">{move || i18n.t("contributions.sent")}</p> })}
            {move || problem.get().map(|m| view! { <p class="notice notice--error" role="alert">{m}</p> })}
            <form class="stack" on:submit=submit novalidate>
                <label class="field">
                    <span>{move || i18n.t("contributions.kind")}</span>
                    <select name="kind" on:change=move |ev| {
                        if let Some(k) = ContributionKind::parse(&event_target_value(&ev)) { set_kind.set(k) }
                    }>
                        {ContributionKind::ALL.into_iter().map(|k| view! {
                            <option value=k.as_str() selected=move || kind.get() == k>{move || kind_label(&i18n, k)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{move || i18n.t("contributions.date")}</span>
                    <input name="date" type="date" max=today.to_string() prop:value=date
                        on:input=move |ev| { set_date.set(event_target_value(&ev)); set_touched.set(true) } />
                    {move || error_of("date").map(|m| view! { <small class="field__error">{m}</small> })}
                </label>
                <label class="field">
                    <span>{move || i18n.t("contributions.amount")}</span>
                    <input name="amount" type="text" inputmode="decimal" autocomplete="off" placeholder="0.00"
                        prop:value=amount on:input=move |ev| { set_amount.set(event_target_value(&ev)); set_touched.set(true) } />
                    {move || error_of("amount_fen").map(|m| view! { <small class="field__error">{m}</small> })}
                </label>
                {move || kind.get().needs().people.then(|| view! {
                    <label class="field">
                        <span>{move || i18n.t("contributions.people")}</span>
                        <input name="people" type="text" inputmode="numeric" prop:value=people
                            on:input=move |ev| { set_people.set(event_target_value(&ev)); set_touched.set(true) } />
                        {move || error_of("people").map(|m| view! { <small class="field__error">{m}</small> })}
                    </label>
                })}
                {move || kind.get().needs().expo_role.then(|| view! {
                    <fieldset class="field">
                        <legend>{move || i18n.t("contributions.expo_role")}</legend>
                        {[ExpoRole::Hosted, ExpoRole::Joined].into_iter().map(|r| view! {
                            <label class="choice"><input type="radio" name="expo_role" value=r.as_str()
                                on:change=move |_| { set_expo_role.set(Some(r)); set_touched.set(true) } />{r.label_zh()}</label>
                        }).collect_view()}
                        {move || error_of("expo_role").map(|m| view! { <small class="field__error">{m}</small> })}
                    </fieldset>
                })}
                {move || kind.get().needs().recipients.then(|| view! {
                    <p class="notice">{move || i18n.t("contributions.scholarship_hint")}</p>
                })}
                <label class="field">
                    <span>{move || i18n.t("contributions.description")}</span>
                    <textarea name="description" rows="3" prop:value=description
                        on:input=move |ev| set_description.set(event_target_value(&ev))></textarea>
                    {move || error_of("description").map(|m| view! { <small class="field__error">{m}</small> })}
                </label>
                <label class="field">
                    <span>{move || i18n.t("contributions.evidence")}</span>
                    <input node_ref=file_input name="file" type="file" accept="image/*,application/pdf" capture="environment" />
                </label>
                <button type="submit" class="button button--primary button--block">{move || i18n.t("contributions.submit")}</button>
            </form>
            {move || {
                let waiting = outbox.get();
                let count = waiting.len().to_string();
                (!waiting.is_empty()).then(|| view! {
                    <section class="outbox" data-testid="outbox">
                        <h2>{move || i18n.t_with("contributions.outbox", &[("count", count.clone())])}</h2>
                        <ul class="plain-list">
                            {waiting.iter().map(|item| view! {
                                <li>{item.request.entry.date.to_string()}" · "{kind_label(&i18n, item.request.entry.kind)}
                                    " · "{Fen::new(item.request.entry.amount_fen).format_yuan()}</li>
                            }).collect_view()}
                        </ul>
                    </section>
                })
            }}
        </section>
    }
}

fn status_label(i18n: &I18n, entry: &Contribution) -> String {
    i18n.t(&format!("contributions.status.{}", entry.status.as_str()))
}

#[component]
fn MyLedger() -> impl IntoView {
    let i18n = use_i18n();
    let entries =
        LocalResource::new(|| async { api::list_contributions(&api::ContributionQuery::default()).await });
    let totals = LocalResource::new(|| api::contribution_totals("kind,year"));
    view! {
        <section class="page">
            <h2>{move || i18n.t("contributions.totals")}</h2>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match totals.await {
                        Ok(t) => view! {
                            <p><strong>{t.amount_fen.format_wan_yi()}</strong></p>
                            <table class="table"><tbody>
                                {t.groups.into_iter().map(|g| view! {
                                    <tr><td>{g.year}</td><td>{g.kind.map(|k| kind_label(&i18n, k))}</td>
                                        <td class="num">{g.amount_fen.format_wan_yi()}</td><td class="num">{g.entries}</td></tr>
                                }).collect_view()}
                            </tbody></table>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error on_retry=move || totals.refetch() /> }.into_any(),
                    }
                })}
            </Transition>
            <h2>{move || i18n.t("contributions.mine")}</h2>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match entries.await {
                        Ok(page) => view! {
                            <ul class="plain-list" data-testid="my-contributions">
                                {page.items.into_iter().map(|e| view! {
                                    <li>
                                        <strong>{e.date.to_string()}" "{kind_label(&i18n, e.kind)}</strong>
                                        " · "{e.amount_fen.format_yuan()}" · "{status_label(&i18n, &e)}
                                        {e.return_reason.clone().map(|r| view! { <small class="field__error">" "{r}</small> })}
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error on_retry=move || entries.refetch() /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ReviewQueue() -> impl IntoView {
    let i18n = use_i18n();
    let queue = LocalResource::new(|| async {
        let query = api::ContributionQuery {
            queue: Some(true),
            ..Default::default()
        };
        api::list_contributions(&query).await
    });
    let review = Action::new_local(move |(id, verify, reason): &(i64, bool, Option<String>)| {
        let (id, verify, reason) = (*id, *verify, reason.clone());
        async move { api::review_contribution(id, verify, &ReviewRequest { reason }).await }
    });
    Effect::new(move |_| {
        if review.value().get().is_some() {
            queue.refetch();
        }
    });
    view! {
        <section class="page">
            <h1>{move || i18n.t("contributions.queue")}</h1>
            <a class="button" href=api::contributions_export_url() download>{move || i18n.t("contributions.export")}</a>
            {move || review.value().get().and_then(|r| r.err()).map(|e| view! { <p class="notice notice--error" role="alert">{e.message(&i18n)}</p> })}
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match queue.await {
                        Ok(page) => view! {
                            <ul class="plain-list" data-testid="review-queue">
                                {page.items.into_iter().map(|e| {
                                    let id = e.id;
                                    view! {
                                        <li class="stack">
                                            <strong>{e.organization_name.clone()}</strong>
                                            <span>{e.date.to_string()}" · "{kind_label(&i18n, e.kind)}" · "{e.amount_fen.format_yuan()}</span>
                                            <span>{e.description.clone()}</span>
                                            <div class="row">
                                                <button type="button" class="button button--primary"
                                                    on:click=move |_| { review.dispatch((id, true, None)); }>{move || i18n.t("contributions.verify")}</button>
                                                <button type="button" class="button"
                                                    on:click=move |_| {
                                                        let reason = web_sys::window()
                                                            .and_then(|w| w.prompt_with_message(&i18n.t("contributions.return_reason")).ok().flatten());
                                                        if let Some(reason) = reason { review.dispatch((id, false, Some(reason))); }
                                                    }>{move || i18n.t("contributions.return")}</button>
                                            </div>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error on_retry=move || queue.refetch() /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ProvinceTotals() -> impl IntoView {
    let i18n = use_i18n();
    let totals = LocalResource::new(|| api::contribution_totals("year,city"));
    let this_year = Utc::now().year();
    view! {
        <section class="page">
            <h2>{move || i18n.t("contributions.totals_by_city")}</h2>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match totals.await {
                        Ok(t) => view! {
                            <p><strong>{t.amount_fen.format_wan_yi()}</strong></p>
                            <table class="table"><tbody>
                                {t.groups.into_iter().filter(|g| g.year.is_some_and(|y| y >= this_year - 1)).map(|g| {
                                    let href = crate::routes::with_query("/contributions", &api::ContributionQuery {
                                        counted: Some(true), year: g.year, city_code: g.city_code.clone(), ..Default::default() });
                                    view! {
                                        <tr><td>{g.year}</td><td><a href=href>{g.city_name.or(g.city_code)}</a></td>
                                            <td class="num">{g.amount_fen.format_wan_yi()}</td><td class="num">{g.entries}</td></tr>
                                    }
                                }).collect_view()}
                            </tbody></table>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error on_retry=move || totals.refetch() /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
