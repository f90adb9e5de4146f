//! The contribution ledger: a phone-first report form with an offline outbox (organizations), their
//! entries and totals; the review queue and the province totals (staff).
//!
//! A report goes through the outbox (`crate::outbox`, IndexedDB) with its evidence files, so nothing typed
//! on a weak signal is lost: the page shows what is waiting and the outbox sends it when it can.

use chrono::{Datelike, NaiveDate};
use domain::api::{Contribution, ContributionInput, CreateContributionRequest, ReviewRequest};
use domain::contributions::{AdmissionKind, ContributionKind, ContributionStatus, ExpoRole, RecipientInput};
use domain::evidence::{EvidenceType, MAX_EVIDENCE_BYTES};
use domain::money::Fen;
use domain::policy::{BUREAU_ONLY, ORG_USERS, Role, STAFF, STAFF_OR_ORG};
use domain::resident_id::ResidentId;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::api;
use crate::components::guard::RequireAuth;
use crate::components::notice::{ErrorNotice, Loading};
use crate::i18n::{I18n, use_i18n};
use crate::outbox::{OutboxFile, QueuedFile, use_outbox};
use crate::session::use_session;

/// The most evidence files one report may carry (the server's limit for one upload).
const MAX_FILES: usize = 5;

/// Reads the files chosen in `input` and checks each as the server will: by content, up to 10 MB.
async fn chosen_files(
    input: Option<web_sys::HtmlInputElement>,
    i18n: I18n,
) -> Result<Vec<QueuedFile>, String> {
    let Some(list) = input.and_then(|i| i.files()) else {
        return Ok(Vec::new());
    };
    if list.length() as usize > MAX_FILES {
        return Err(i18n.t_with(
            "contributions.too_many_files",
            &[("count", MAX_FILES.to_string())],
        ));
    }
    let mut files = Vec::new();
    for index in 0..list.length() {
        let Some(file) = list.get(index) else { continue };
        if file.size() > MAX_EVIDENCE_BYTES as f64 {
            return Err(i18n.t_with("contributions.file_too_large", &[("name", file.name())]));
        }
        let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
            .await
            .map_err(|_| i18n.t_with("contributions.file_unreadable", &[("name", file.name())]))?;
        let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
        let Some(file_type) = EvidenceType::sniff(&bytes) else {
            return Err(i18n.t_with("contributions.file_type", &[("name", file.name())]));
        };
        files.push(QueuedFile {
            file: OutboxFile {
                name: file.name().chars().take(120).collect(),
                content_type: file_type.content_type().to_owned(),
                size: bytes.len() as i64,
            },
            bytes,
        });
    }
    Ok(files)
}

/// An entry in a staff list: the organization (a link to the entry), when, what kind, how much, what for.
fn entry_line(i18n: &I18n, e: &Contribution) -> impl IntoView + use<> {
    view! {
        <a href=crate::routes::Page::contribution(e.id)><strong>{e.organization_name.clone()}</strong></a>
        <span>{e.date.to_string()}" · "{i18n.label(e.kind)}" · "{e.amount_fen.format_yuan()}</span>
        <span>{e.description.clone()}</span>
    }
}

#[component]
pub fn ContributionsPage() -> impl IntoView {
    let session = use_session();
    let query = ledger_query();
    view! {
        <RequireAuth roles=STAFF_OR_ORG>
            {move || if session.role_untracked() == Some(Role::OrgUser) {
                view! { <ReportForm /> <MyLedger /> }.into_any()
            } else if query.get().counted == Some(true) {
                view! { <CountedEntries /> }.into_any()
            } else {
                view! { <ReviewQueue /> <ProvinceTotals /> }.into_any()
            }}
        </RequireAuth>
    }
}

/// Rural aid: the kinds an entry may name the paired village for.
fn is_rural_aid(kind: ContributionKind) -> bool {
    matches!(
        kind,
        ContributionKind::RuralFunds
            | ContributionKind::RuralGoods
            | ContributionKind::Project
            | ContributionKind::Consumption
    )
}

/// One scholarship recipient being typed.
#[derive(Debug, Clone, Copy)]
struct RecipientRow {
    key: usize,
    name: RwSignal<String>,
    id_number: RwSignal<String>,
    school: RwSignal<String>,
    admission: RwSignal<AdmissionKind>,
    amount: RwSignal<String>,
    year: RwSignal<String>,
}

impl RecipientRow {
    fn new(key: usize) -> Self {
        Self {
            key,
            name: RwSignal::new(String::new()),
            id_number: RwSignal::new(String::new()),
            school: RwSignal::new(String::new()),
            admission: RwSignal::new(AdmissionKind::Undergraduate),
            amount: RwSignal::new(String::new()),
            year: RwSignal::new(crate::format::today().year().to_string()),
        }
    }

    fn amount_fen(&self) -> Result<Fen, String> {
        Fen::from_yuan_str(&self.amount.get()).map_err(|e| e.to_string())
    }

    fn input(&self) -> Option<RecipientInput> {
        Some(RecipientInput {
            name: self.name.get().trim().to_owned(),
            id_number: self.id_number.get().trim().to_uppercase(),
            school: self.school.get().trim().to_owned(),
            admission: self.admission.get(),
            amount_fen: self.amount_fen().ok()?.as_i64(),
            year: self.year.get().trim().parse().ok()?,
        })
    }
}

/// The report form; with `correcting`, a correction of that verified entry (same kind, linked to it).
#[component]
fn ReportForm(#[prop(optional)] correcting: Option<Contribution>) -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    let today = crate::format::today();
    let corrects_id = correcting.as_ref().map(|c| c.id);
    let (kind, set_kind) = signal(
        correcting
            .as_ref()
            .map_or(ContributionKind::RuralFunds, |c| c.kind),
    );
    let (date, set_date) = signal(correcting.as_ref().map_or(today, |c| c.date).to_string());
    let (amount, set_amount) = signal(
        correcting
            .as_ref()
            .map(|c| c.amount_fen.to_string())
            .unwrap_or_default(),
    );
    let (people, set_people) = signal(
        correcting
            .as_ref()
            .and_then(|c| c.people)
            .map(|p| p.to_string())
            .unwrap_or_default(),
    );
    let (expo_role, set_expo_role) = signal(correcting.as_ref().and_then(|c| c.expo_role));
    let (village, set_village) = signal(correcting.as_ref().and_then(|c| c.village_code.clone()));
    let (description, set_description) = signal(
        correcting
            .as_ref()
            .map(|c| c.description.clone())
            .unwrap_or_default(),
    );
    let recipients = RwSignal::new(Vec::<RecipientRow>::new());
    let next_key = StoredValue::new(0usize);
    let add_recipient = move || {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        recipients.update(|rows| rows.push(RecipientRow::new(key)));
    };
    let (touched, set_touched) = signal(false);
    let (file_error, set_file_error) = signal(None::<String>);
    let (queued, set_queued) = signal(false);
    let file_input = NodeRef::<leptos::html::Input>::new();
    // The villages the organization is paired with (百社进百村 agreements), for rural aid.
    let pairings = LocalResource::new(|| async { api::list_my_pairings().await.unwrap_or_default() });

    // The same checks as the server, as the user types: amounts through `Fen`, ID numbers through
    // `ResidentId::parse`, the rest through `ContributionInput::validate`.
    let amount_fen = move || {
        let text = amount.get();
        if text.trim().is_empty() {
            Ok(Fen::ZERO)
        } else {
            Fen::from_yuan_str(&text).map_err(|e| e.to_string())
        }
    };
    let input = move || {
        let kind = kind.get();
        let recipient_inputs = if kind.needs().recipients {
            recipients
                .get()
                .iter()
                .map(RecipientRow::input)
                .collect::<Option<Vec<_>>>()?
        } else {
            Vec::new()
        };
        Some(ContributionInput {
            kind,
            date: NaiveDate::parse_from_str(&date.get(), "%Y-%m-%d").ok()?,
            amount_fen: amount_fen().ok()?.as_i64(),
            people: if kind.needs().people {
                people.get().trim().parse().ok()
            } else {
                None
            },
            expo_role: if kind.needs().expo_role {
                expo_role.get()
            } else {
                None
            },
            village_code: if is_rural_aid(kind) { village.get() } else { None },
            description: description.get(),
            corrects_id,
            recipients: recipient_inputs,
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
        if field == "date" && NaiveDate::parse_from_str(&date.get(), "%Y-%m-%d").is_err() {
            return Some(i18n.t("contributions.bad_date"));
        }
        input()?
            .validate(crate::format::today())
            .err()?
            .into_iter()
            .find(|e| e.field == field)
            .map(|e| e.message)
    };
    // A recipient's field: its own parse first (shown as soon as something is typed), then the entry's rules.
    let recipient_error = move |index: usize, row: RecipientRow, field: &'static str| -> Option<String> {
        match field {
            "id_number" => {
                let text = row.id_number.get();
                if !text.trim().is_empty()
                    && let Err(e) = ResidentId::parse(text.trim())
                {
                    return Some(e.to_string());
                }
            }
            "amount_fen" if !row.amount.get().trim().is_empty() => {
                if let Err(message) = row.amount_fen() {
                    return Some(message);
                }
            }
            _ => {}
        }
        error_of(&format!("recipients[{index}].{field}"))
    };
    let valid = move || {
        input()
            .and_then(|i| i.validate(crate::format::today()).ok())
            .is_some()
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        set_touched.set(true);
        set_queued.set(false);
        let Some(entry) = input().filter(|_| valid()) else {
            return;
        };
        let element = file_input
            .get_untracked()
            .map(|e| e.unchecked_into::<web_sys::HtmlInputElement>());
        leptos::task::spawn_local(async move {
            let files = match chosen_files(element.clone(), i18n).await {
                Ok(files) => files,
                Err(message) => {
                    set_file_error.set(Some(message));
                    return;
                }
            };
            set_file_error.set(None);
            let request = CreateContributionRequest { entry, draft: false };
            match outbox.add(request, files).await {
                Ok(()) => {
                    set_queued.set(true);
                    set_amount.set(String::new());
                    set_people.set(String::new());
                    set_description.set(String::new());
                    recipients.set(Vec::new());
                    set_touched.set(false);
                    if let Some(element) = element {
                        element.set_value("");
                    }
                }
                Err(message) => set_file_error.set(Some(
                    i18n.t_with("contributions.outbox_unavailable", &[("reason", message)]),
                )),
            }
        });
    };

    let recipient_rows = move || recipients.get().into_iter().enumerate().collect::<Vec<_>>();
    let recipient_view = move |(index, row): (usize, RecipientRow)| {
        view! {
            <div class="recipient stack" data-testid="recipient">
                <strong>{move || i18n.t_with("contributions.recipient_n", &[("n", (index + 1).to_string())])}</strong>
                <label class="field">
                    <span>{move || i18n.t("contributions.recipient_name")}</span>
                    <input name=format!("recipients[{index}].name") type="text" autocomplete="off" prop:value=row.name
                        on:input=move |ev| { row.name.set(event_target_value(&ev)); set_touched.set(true) } />
                    {move || recipient_error(index, row, "name").map(|m| view! { <small class="field__error">{m}</small> })}
                </label>
                <label class="field">
                    <span>{move || i18n.t("contributions.recipient_id")}</span>
                    <input name=format!("recipients[{index}].id_number") type="text" autocomplete="off" maxlength="18"
                        spellcheck="false" prop:value=row.id_number
                        on:input=move |ev| { row.id_number.set(event_target_value(&ev)); set_touched.set(true) } />
                    {move || recipient_error(index, row, "id_number").map(|m| view! { <small class="field__error">{m}</small> })}
                </label>
                <label class="field">
                    <span>{move || i18n.t("contributions.recipient_school")}</span>
                    <input name=format!("recipients[{index}].school") type="text" prop:value=row.school
                        on:input=move |ev| { row.school.set(event_target_value(&ev)); set_touched.set(true) } />
                    {move || recipient_error(index, row, "school").map(|m| view! { <small class="field__error">{m}</small> })}
                </label>
                <label class="field">
                    <span>{move || i18n.t("contributions.recipient_admission")}</span>
                    <select name=format!("recipients[{index}].admission") on:change=move |ev| {
                        if let Some(a) = AdmissionKind::parse(&event_target_value(&ev)) { row.admission.set(a) }
                    }>
                        {[AdmissionKind::Undergraduate, AdmissionKind::College].into_iter().map(|a| view! {
                            <option value=a.as_str() selected=move || row.admission.get() == a>{move || i18n.label(a)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{move || i18n.t("contributions.recipient_amount")}</span>
                    <input name=format!("recipients[{index}].amount") type="text" inputmode="decimal" autocomplete="off"
                        prop:value=row.amount
                        on:input=move |ev| { row.amount.set(event_target_value(&ev)); set_touched.set(true) } />
                    {move || recipient_error(index, row, "amount_fen").map(|m| view! { <small class="field__error">{m}</small> })}
                </label>
                <label class="field">
                    <span>{move || i18n.t("contributions.recipient_year")}</span>
                    <input name=format!("recipients[{index}].year") type="text" inputmode="numeric" prop:value=row.year
                        on:input=move |ev| { row.year.set(event_target_value(&ev)); set_touched.set(true) } />
                    {move || recipient_error(index, row, "year").map(|m| view! { <small class="field__error">{m}</small> })}
                </label>
                <button type="button" class="button" on:click=move |_| {
                    recipients.update(|rows| rows.retain(|r| r.key != row.key));
                }>{move || i18n.t("contributions.recipient_remove")}</button>
            </div>
        }
    };

    let title = if corrects_id.is_some() {
        "contributions.correction_title"
    } else {
        "contributions.report_title"
    };
    view! {
        <section class="page report-form">
            <h1>{move || i18n.t(title)}</h1>
            {corrects_id.map(|id| view! {
                <p class="notice">{move || i18n.t_with("contributions.correction_hint", &[("id", id.to_string())])}</p>
            })}
            {move || (queued.get() && outbox.count() == 0 && outbox.last_sent().is_some()).then(|| view! {
                <p class="notice notice--ok" role="status" data-testid="report-sent">{move || i18n.t("contributions.sent")}</p>
            })}
            {move || outbox.unavailable().map(|m| view! { <p class="notice notice--error" role="alert">{i18n.t_with("contributions.outbox_unavailable", &[("reason", m)])}</p> })}
            <form class="stack" on:submit=submit novalidate>
                <label class="field">
                    <span>{move || i18n.t("contributions.kind")}</span>
                    <select name="kind" disabled=corrects_id.is_some() on:change=move |ev| {
                        if let Some(k) = ContributionKind::parse(&event_target_value(&ev)) {
                            set_kind.set(k);
                            if k.needs().recipients && recipients.with_untracked(Vec::is_empty) {
                                add_recipient();
                            }
                        }
                    }>
                        {ContributionKind::ALL.into_iter().map(|k| view! {
                            <option value=k.as_str() selected=move || kind.get() == k>{move || i18n.label(k)}</option>
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
                    <span>{move || if kind.get().needs().recipients { i18n.t("contributions.amount_scholarship") } else { i18n.t("contributions.amount") }}</span>
                    <input name="amount" type="text" inputmode="decimal" autocomplete="off" placeholder="0.00"
                        prop:value=amount on:input=move |ev| { set_amount.set(event_target_value(&ev)); set_touched.set(true) } />
                    {move || error_of("amount_fen").map(|m| view! { <small class="field__error">{m}</small> })}
                </label>
                {move || is_rural_aid(kind.get()).then(|| view! {
                    <label class="field">
                        <span>{move || i18n.t("contributions.village")}</span>
                        <select name="village_code" on:change=move |ev| {
                            let code = event_target_value(&ev);
                            set_village.set((!code.is_empty()).then_some(code));
                        }>
                            <option value="" selected=move || village.get().is_none()>{move || i18n.t("contributions.village_none")}</option>
                            {move || pairings.get().map(|agreements| agreements.into_iter().map(|a| {
                                let code = a.village_code.clone();
                                let selected = move || village.get().as_deref() == Some(code.as_str());
                                view! {
                                    <option value=a.village_code.clone() selected=selected>
                                        {format!("{} · {}（{}）", a.round_name, a.village_name, a.county_name)}
                                    </option>
                                }
                            }).collect_view())}
                        </select>
                        {move || error_of("village_code").map(|m| view! { <small class="field__error">{m}</small> })}
                    </label>
                })}
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
                                prop:checked=move || expo_role.get() == Some(r)
                                on:change=move |_| { set_expo_role.set(Some(r)); set_touched.set(true) } />{move || i18n.label(r)}</label>
                        }).collect_view()}
                        {move || error_of("expo_role").map(|m| view! { <small class="field__error">{m}</small> })}
                    </fieldset>
                })}
                {move || kind.get().needs().recipients.then(|| view! {
                    <fieldset class="field recipients" data-testid="recipients">
                        <legend>{move || i18n.t("contributions.recipients")}</legend>
                        {move || error_of("recipients").map(|m| view! { <small class="field__error">{m}</small> })}
                        <For each=recipient_rows key=|(index, row): &(usize, RecipientRow)| (*index, row.key) children=recipient_view />
                        <button type="button" class="button" data-testid="add-recipient" on:click=move |_| add_recipient()>
                            {move || i18n.t("contributions.recipient_add")}
                        </button>
                    </fieldset>
                })}
                <label class="field">
                    <span>{move || i18n.t("contributions.description")}</span>
                    <textarea name="description" rows="3" prop:value=description
                        on:input=move |ev| set_description.set(event_target_value(&ev))></textarea>
                    {move || error_of("description").map(|m| view! { <small class="field__error">{m}</small> })}
                </label>
                <label class="field">
                    <span>{move || i18n.t("contributions.evidence")}</span>
                    <input node_ref=file_input name="file" type="file" multiple accept="image/*,application/pdf" capture="environment"
                        on:change=move |_| set_file_error.set(None) />
                    {move || file_error.get().map(|m| view! { <small class="field__error" role="alert">{m}</small> })}
                </label>
                <button type="submit" class="button button--primary button--block">{move || i18n.t("contributions.submit")}</button>
            </form>
            <OutboxList />
        </section>
    }
}

/// What is waiting in the outbox: each entry, its files, and why it has not gone yet.
#[component]
fn OutboxList() -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    move || {
        let waiting = outbox.items();
        (!waiting.is_empty()).then(|| {
            let count = waiting.len().to_string();
            view! {
                <section class="outbox" data-testid="outbox" aria-live="polite">
                    <h2>{move || i18n.t_with("contributions.outbox", &[("count", count.clone())])}</h2>
                    {move || outbox.is_sending().then(|| view! { <p class="outbox__state">{move || i18n.t("contributions.outbox_sending")}</p> })}
                    <ul class="plain-list">
                        {waiting.into_iter().map(|item| {
                            let entry = &item.request.entry;
                            let files = item.files.len().to_string();
                            let key = item.key.clone();
                            view! {
                                <li data-testid="outbox-item">
                                    {entry.date.to_string()}" · "{i18n.label(entry.kind)}" · "
                                    {Fen::new(entry.amount_fen).format_yuan()}
                                    {(!item.files.is_empty()).then(|| view! {
                                        " · "{i18n.t_with("contributions.outbox_files", &[("count", files)])}
                                    })}
                                    {item.refused.map(|message| view! {
                                        <small class="field__error">" "{message}</small>
                                        <button type="button" class="button" on:click=move |_| {
                                            let key = key.clone();
                                            leptos::task::spawn_local(async move { outbox.discard(&key).await });
                                        }>{move || i18n.t("contributions.outbox_discard")}</button>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            }
        })
    }
}

fn status_label(i18n: &I18n, entry: &Contribution) -> &'static str {
    i18n.label(entry.status)
}

#[component]
fn MyLedger() -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    // Read again whenever the outbox has delivered an entry.
    let entries = LocalResource::new(move || {
        let _ = outbox.last_sent();
        async { api::list_contributions(&domain::api::LedgerQuery::default()).await }
    });
    let totals = LocalResource::new(move || {
        let _ = outbox.last_sent();
        api::contribution_totals("kind,year")
    });
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
                                    <tr><td>{g.year}</td><td>{g.kind.map(|k| i18n.label(k))}</td>
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
                                        <a href=crate::routes::Page::contribution(e.id)><strong>{e.date.to_string()}" "{i18n.label(e.kind)}</strong></a>
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

/// The ledger filter in the URL (`?organization_id=…&year=…&city_code=…&counted=true`), so that a total's
/// link, back and reload all work.
fn ledger_query() -> Memo<domain::api::LedgerQuery> {
    let query = leptos_router::hooks::use_query_map();
    Memo::new(move |_| {
        let q = query.read();
        let text = |name: &str| q.get(name).and_then(crate::routes::non_empty);
        domain::api::LedgerQuery {
            kind: text("kind"),
            year: text("year").and_then(|y| y.parse().ok()),
            city_code: text("city_code"),
            organization_id: text("organization_id").and_then(|id| id.parse().ok()),
            counted: text("counted").map(|c| c == "true"),
            page: text("page").and_then(|p| p.parse().ok()),
            ..Default::default()
        }
    })
}

/// The entries behind a total (verified, not superseded), from a total's link.
#[component]
fn CountedEntries() -> impl IntoView {
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
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match entries.await {
                        Ok(page) => view! {
                            <p>{move || i18n.t_with("contributions.entry_count", &[("count", page.total.to_string())])}</p>
                            <ul class="plain-list" data-testid="counted-entries">
                                {page.items.iter().map(|e| view! { <li class="stack">{entry_line(&i18n, e)}</li> }).collect_view()}
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
    let session = use_session();
    let filter = ledger_query();
    let queue = LocalResource::new(move || {
        let query = domain::api::LedgerQuery {
            queue: Some(true),
            organization_id: filter.get().organization_id,
            ..Default::default()
        };
        async move { api::list_contributions(&query).await }
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
            <div class="ledger-actions">
                <a class="button" href=api::contributions_export_url() download>{move || i18n.t("contributions.export")}</a>
                {move || session.has_role_untracked(BUREAU_ONLY).then(|| view! {
                    <a class="button" href=crate::routes::Page::ContributionDuplicates.path() data-testid="duplicates-link">{move || i18n.t("contributions.duplicates_title")}</a>
                })}
            </div>
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
                                            {entry_line(&i18n, &e)}
                                            <div class="ledger-actions">
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
    let this_year = crate::format::today().year();
    view! {
        <section class="page">
            <h2>{move || i18n.t("contributions.totals_by_city")}</h2>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match totals.await {
                        Ok(t) => view! {
                            <p><strong>{t.amount_fen.format_wan_yi()}</strong></p>
                            <table class="table" data-testid="province-totals"><tbody>
                                {t.groups.into_iter().filter(|g| g.year.is_some_and(|y| y >= this_year - 1)).map(|g| {
                                    let href = crate::routes::Page::Contributions.with_query(&domain::api::LedgerQuery {
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

/// One entry: its content, recipients (masked; in full for the bureau, audited), evidence and review;
/// the review buttons for staff, a correction form for the organization once it is verified.
#[component]
pub fn ContributionPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let id = crate::routes::use_id_param();
    let entry = LocalResource::new(move || {
        let id = id.get();
        async move { api::find_contribution(id).await }
    });
    let review = Action::new_local(move |(verify, reason): &(bool, Option<String>)| {
        let (verify, reason, id) = (*verify, reason.clone(), id.get_untracked());
        async move { api::review_contribution(id, verify, &ReviewRequest { reason }).await }
    });
    Effect::new(move |_| {
        if review.value().get().is_some_and(|r| r.is_ok()) {
            entry.refetch();
        }
    });
    let full = Action::new_local(move |_: &()| {
        let id = id.get_untracked();
        async move { api::full_recipients(id).await }
    });
    let (correcting, set_correcting) = signal(false);
    view! {
        <RequireAuth roles=STAFF_OR_ORG>
            <section class="page">
                <p><a href=crate::routes::Page::Contributions.path()>{move || i18n.t("contributions.back_to_ledger")}</a></p>
                {move || review.value().get().and_then(|r| r.err()).map(|e| view! { <p class="notice notice--error" role="alert">{e.message(&i18n)}</p> })}
                <Transition fallback=Loading>
                    {move || Suspend::new(async move {
                        match entry.await {
                            Ok(e) => {
                                let id = e.id;
                                let is_staff = session.has_role_untracked(STAFF);
                                let is_admin = session.has_role_untracked(BUREAU_ONLY);
                                let is_org = session.has_role_untracked(ORG_USERS);
                                let reviewable = is_staff && e.status == ContributionStatus::Submitted;
                                let correctable = is_org
                                    && e.status == ContributionStatus::Verified && e.superseded_by.is_none();
                                let has_recipients = !e.recipients.is_empty();
                                let for_correction = e.clone();
                                view! {
                                    <h1>{i18n.label(e.kind)}" · "{e.amount_fen.format_yuan()}</h1>
                                    <dl class="ledger-entry" data-testid="contribution">
                                        <dt>{move || i18n.t("contributions.organization")}</dt><dd>{e.organization_name.clone()}</dd>
                                        <dt>{move || i18n.t("contributions.date")}</dt><dd>{e.date.to_string()}</dd>
                                        <dt>{move || i18n.t("contributions.status")}</dt><dd data-testid="contribution-status">{status_label(&i18n, &e)}</dd>
                                        {e.return_reason.clone().map(|r| view! { <dt>{move || i18n.t("contributions.return_reason_label")}</dt><dd>{r}</dd> })}
                                        {e.people.map(|p| view! { <dt>{move || i18n.t("contributions.people")}</dt><dd>{p}</dd> })}
                                        {e.village_name.clone().map(|v| view! { <dt>{move || i18n.t("contributions.village")}</dt><dd>{v}</dd> })}
                                        {e.corrects_id.map(|c| view! {
                                            <dt>{move || i18n.t("contributions.corrects")}</dt>
                                            <dd><a href=crate::routes::Page::contribution(c)>{format!("#{c}")}</a></dd>
                                        })}
                                        {e.superseded_by.map(|c| view! {
                                            <dt>{move || i18n.t("contributions.superseded_by")}</dt>
                                            <dd><a href=crate::routes::Page::contribution(c)>{format!("#{c}")}</a></dd>
                                        })}
                                        <dt>{move || i18n.t("contributions.description")}</dt><dd>{e.description.clone()}</dd>
                                    </dl>
                                    {has_recipients.then(|| view! {
                                        <h2>{move || i18n.t("contributions.recipients")}</h2>
                                        <ul class="plain-list" data-testid="recipients-masked">
                                            {e.recipients.iter().map(|r| view! {
                                                <li>
                                                    {r.name.clone()}" · "{r.id_number.clone()}" · "{r.school.clone()}" · "
                                                    {i18n.label(r.admission)}" · "{r.amount_fen.format_yuan()}" · "{r.year}
                                                    {(r.funded_elsewhere == Some(true)).then(|| view! {
                                                        " "<span class="badge badge--danger">{move || i18n.t("contributions.funded_elsewhere")}</span>
                                                    })}
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                        {is_admin.then(|| view! {
                                            <button type="button" class="button" data-testid="view-full" on:click=move |_| { full.dispatch(()); }>
                                                {move || i18n.t("contributions.view_full")}
                                            </button>
                                            <p class="field__hint">{move || i18n.t("contributions.view_full_audited")}</p>
                                            {move || full.value().get().map(|answer| match answer {
                                                Ok(list) => view! {
                                                    <ul class="plain-list" data-testid="recipients-full">
                                                        {list.into_iter().map(|r| view! {
                                                            <li>{r.name}" · "{r.id_number}" · "{r.school}</li>
                                                        }).collect_view()}
                                                    </ul>
                                                }.into_any(),
                                                Err(error) => view! { <p class="notice notice--error" role="alert">{error.message(&i18n)}</p> }.into_any(),
                                            })}
                                        })}
                                    })}
                                    {(!e.evidence.is_empty()).then(|| view! {
                                        <h2>{move || i18n.t("contributions.evidence_files")}</h2>
                                        <ul class="plain-list" data-testid="evidence">
                                            {e.evidence.iter().map(|f| view! {
                                                <li><a href=api::evidence_url(id, f.id) rel="noopener" target="_blank">
                                                    {if f.original_name.is_empty() { format!("#{}", f.id) } else { f.original_name.clone() }}
                                                </a></li>
                                            }).collect_view()}
                                        </ul>
                                    })}
                                    {reviewable.then(|| view! {
                                        <div class="ledger-actions">
                                            <button type="button" class="button button--primary" data-testid="verify"
                                                on:click=move |_| { review.dispatch((true, None)); }>{move || i18n.t("contributions.verify")}</button>
                                            <button type="button" class="button" on:click=move |_| {
                                                let reason = web_sys::window()
                                                    .and_then(|w| w.prompt_with_message(&i18n.t("contributions.return_reason")).ok().flatten());
                                                if let Some(reason) = reason { review.dispatch((false, Some(reason))); }
                                            }>{move || i18n.t("contributions.return")}</button>
                                        </div>
                                    })}
                                    {correctable.then(|| view! {
                                        <button type="button" class="button" data-testid="correct" on:click=move |_| set_correcting.update(|c| *c = !*c)>
                                            {move || i18n.t("contributions.correct")}
                                        </button>
                                        {move || correcting.get().then(|| view! { <ReportForm correcting=for_correction.clone() /> })}
                                    })}
                                }.into_any()
                            }
                            Err(error) => view! { <ErrorNotice error on_retry=move || entry.refetch() /> }.into_any(),
                        }
                    })}
                </Transition>
            </section>
        </RequireAuth>
    }
}

/// Children funded by two organizations in one year, for bureau staff: masked, each funding linked to its
/// entry. No organization sees this.
#[component]
pub fn DuplicatesPage() -> impl IntoView {
    let i18n = use_i18n();
    let this_year = crate::format::today().year();
    let (year, set_year) = signal(this_year);
    let duplicates = LocalResource::new(move || {
        let year = year.get();
        async move { api::duplicate_recipients(Some(year)).await }
    });
    view! {
        <RequireAuth roles=BUREAU_ONLY>
            <section class="page">
                <h1>{move || i18n.t("contributions.duplicates_title")}</h1>
                <p>{move || i18n.t("contributions.duplicates_hint")}</p>
                <label class="field">
                    <span>{move || i18n.t("contributions.year")}</span>
                    <select name="year" on:change=move |ev| {
                        if let Ok(y) = event_target_value(&ev).parse() { set_year.set(y) }
                    }>
                        {(0..10).map(|back| {
                            let y = this_year - back;
                            view! { <option value=y.to_string() selected=move || year.get() == y>{y}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <Transition fallback=Loading>
                    {move || Suspend::new(async move {
                        match duplicates.await {
                            Ok(list) if list.is_empty() => view! { <p class="notice">{move || i18n.t("contributions.duplicates_none")}</p> }.into_any(),
                            Ok(list) => view! {
                                <ul class="plain-list" data-testid="duplicates">
                                    {list.into_iter().map(|d| view! {
                                        <li class="stack">
                                            <strong>{d.name}" · "{d.id_number}" · "{d.year}</strong>
                                            <ul class="plain-list">
                                                {d.fundings.into_iter().map(|f| view! {
                                                    <li><a href=crate::routes::Page::contribution(f.contribution_id)>
                                                        {f.organization_name}" · "{f.amount_fen.format_yuan()}
                                                    </a></li>
                                                }).collect_view()}
                                            </ul>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any(),
                            Err(error) => view! { <ErrorNotice error on_retry=move || duplicates.refetch() /> }.into_any(),
                        }
                    })}
                </Transition>
            </section>
        </RequireAuth>
    }
}
