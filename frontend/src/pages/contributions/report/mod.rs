//! The report form: the fields every entry has, the sections its kind adds (the paired village for rural
//! aid, people, the expo role, scholarship recipients), the evidence files, and the outbox it goes through.
//!
//! The form checks as the user types with the server's own rules: amounts through `Fen`, ID numbers through
//! `ResidentId::parse`, the rest through `ContributionInput::validate`.

mod evidence;
mod outbox;
mod recipients;

use chrono::NaiveDate;
use domain::api::{Agreement, Contribution, ContributionInput};
use domain::contributions::{ContributionKind, ExpoRole};
use domain::money::Fen;
use leptos::prelude::*;

use crate::api;
use crate::components::field::field_error;
use crate::i18n::{I18n, use_i18n};
use crate::outbox::use_outbox;
use evidence::EvidenceField;
use outbox::{OutboxList, OutboxNotices, queue_report};
use recipients::{RecipientRow, Recipients};

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

/// What the form holds, shared by its sections.
#[derive(Debug, Clone, Copy)]
struct Report {
    i18n: I18n,
    corrects_id: Option<i64>,
    kind: RwSignal<ContributionKind>,
    date: RwSignal<String>,
    amount: RwSignal<String>,
    people: RwSignal<String>,
    expo_role: RwSignal<Option<ExpoRole>>,
    village: RwSignal<Option<String>>,
    description: RwSignal<String>,
    recipients: RwSignal<Vec<RecipientRow>>,
    next_key: StoredValue<usize>,
    /// Errors show once the user has typed or tried to send.
    touched: RwSignal<bool>,
    file_error: RwSignal<Option<String>>,
    /// The last report went into the outbox.
    queued: RwSignal<bool>,
}

impl Report {
    /// An empty report, or a correction of `correcting` starting from what it says.
    fn new(i18n: I18n, correcting: Option<&Contribution>) -> Self {
        let today = crate::format::today();
        Self {
            i18n,
            corrects_id: correcting.map(|c| c.id),
            kind: RwSignal::new(correcting.map_or(ContributionKind::RuralFunds, |c| c.kind)),
            date: RwSignal::new(correcting.map_or(today, |c| c.date).to_string()),
            amount: RwSignal::new(correcting.map(|c| c.amount_fen.to_string()).unwrap_or_default()),
            people: RwSignal::new(
                correcting
                    .and_then(|c| c.people)
                    .map(|p| p.to_string())
                    .unwrap_or_default(),
            ),
            expo_role: RwSignal::new(correcting.and_then(|c| c.expo_role)),
            village: RwSignal::new(correcting.and_then(|c| c.village_code.clone())),
            description: RwSignal::new(correcting.map(|c| c.description.clone()).unwrap_or_default()),
            recipients: RwSignal::new(Vec::new()),
            next_key: StoredValue::new(0),
            touched: RwSignal::new(false),
            file_error: RwSignal::new(None),
            queued: RwSignal::new(false),
        }
    }

    fn add_recipient(self) {
        let key = self.next_key.get_value();
        self.next_key.set_value(key + 1);
        self.recipients.update(|rows| rows.push(RecipientRow::new(key)));
    }

    fn amount_fen(self) -> Result<Fen, String> {
        let text = self.amount.get();
        if text.trim().is_empty() {
            Ok(Fen::ZERO)
        } else {
            Fen::from_yuan_str(&text).map_err(|e| e.to_string())
        }
    }

    /// The entry as it will be sent, once every field parses.
    fn input(self) -> Option<ContributionInput> {
        let kind = self.kind.get();
        let needs = kind.needs();
        let recipients = if needs.recipients {
            self.recipients
                .get()
                .iter()
                .map(RecipientRow::input)
                .collect::<Option<Vec<_>>>()?
        } else {
            Vec::new()
        };
        Some(ContributionInput {
            kind,
            date: NaiveDate::parse_from_str(&self.date.get(), "%Y-%m-%d").ok()?,
            amount_fen: self.amount_fen().ok()?.as_i64(),
            people: if needs.people {
                self.people.get().trim().parse().ok()
            } else {
                None
            },
            expo_role: if needs.expo_role {
                self.expo_role.get()
            } else {
                None
            },
            village_code: if is_rural_aid(kind) {
                self.village.get()
            } else {
                None
            },
            description: self.description.get(),
            corrects_id: self.corrects_id,
            recipients,
        })
    }

    /// The message for `field`, once the form has been touched.
    fn error_of(self, field: &str) -> Option<String> {
        if !self.touched.get() {
            return None;
        }
        if field == "amount_fen"
            && let Err(message) = self.amount_fen()
        {
            return Some(message);
        }
        if field == "date" && NaiveDate::parse_from_str(&self.date.get(), "%Y-%m-%d").is_err() {
            return Some(self.i18n.t("contributions.bad_date"));
        }
        self.input()?
            .validate(crate::format::today())
            .err()?
            .into_iter()
            .find(|e| e.field == field)
            .map(|e| e.message)
    }

    /// The message for `field` under it, as the user types.
    fn error_view(self, field: &'static str) -> impl Fn() -> Option<AnyView> + Send + Sync + 'static {
        field_error(move || self.error_of(field))
    }

    fn valid(self) -> bool {
        self.input()
            .and_then(|i| i.validate(crate::format::today()).ok())
            .is_some()
    }

    /// Empties what one report says once it is in the outbox (the kind, date and village stay).
    fn clear(self) {
        self.queued.set(true);
        self.amount.set(String::new());
        self.people.set(String::new());
        self.description.set(String::new());
        self.recipients.set(Vec::new());
        self.touched.set(false);
    }
}

/// The report form; with `correcting`, a correction of that verified entry (same kind, linked to it).
#[component]
pub(super) fn ReportForm(#[prop(optional)] correcting: Option<Contribution>) -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    let report = Report::new(i18n, correcting.as_ref());
    let file_input = NodeRef::<leptos::html::Input>::new();
    let corrects_id = report.corrects_id;
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
            <OutboxNotices queued=report.queued />
            <form class="stack" on:submit=move |ev| queue_report(ev, report, outbox, file_input) novalidate>
                <CommonFields report />
                <KindSections report />
                <label class="field">
                    <span>{move || i18n.t("contributions.description")}</span>
                    <textarea name="description" rows="3" prop:value=report.description
                        on:input=move |ev| report.description.set(event_target_value(&ev))></textarea>
                    {report.error_view("description")}
                </label>
                <EvidenceField file_input error=report.file_error />
                <button type="submit" class="button button--primary button--block">{move || i18n.t("contributions.submit")}</button>
            </form>
            <OutboxList />
        </section>
    }
}

/// What every entry has: its kind (fixed for a correction), date and amount.
#[component]
fn CommonFields(report: Report) -> impl IntoView {
    let i18n = use_i18n();
    let today = crate::format::today();
    let kind = report.kind;
    view! {
        <label class="field">
            <span>{move || i18n.t("contributions.kind")}</span>
            <select name="kind" disabled=report.corrects_id.is_some() on:change=move |ev| {
                if let Some(k) = ContributionKind::parse(&event_target_value(&ev)) {
                    kind.set(k);
                    if k.needs().recipients && report.recipients.with_untracked(Vec::is_empty) {
                        report.add_recipient();
                    }
                }
            }>
                {ContributionKind::ALL.into_iter().map(|k| view! {
                    <option value=k.key() selected=move || kind.get() == k>{move || i18n.label(k)}</option>
                }).collect_view()}
            </select>
        </label>
        <label class="field">
            <span>{move || i18n.t("contributions.date")}</span>
            <input name="date" type="date" max=today.to_string() prop:value=report.date
                on:input=move |ev| { report.date.set(event_target_value(&ev)); report.touched.set(true) } />
            {report.error_view("date")}
        </label>
        <label class="field">
            <span>{move || if kind.get().needs().recipients { i18n.t("contributions.amount_scholarship") } else { i18n.t("contributions.amount") }}</span>
            <input name="amount" type="text" inputmode="decimal" autocomplete="off" placeholder="0.00"
                prop:value=report.amount on:input=move |ev| { report.amount.set(event_target_value(&ev)); report.touched.set(true) } />
            {report.error_view("amount_fen")}
        </label>
    }
}

/// The sections the kind adds: the paired village (rural aid), people, the expo role, the recipients.
#[component]
fn KindSections(report: Report) -> impl IntoView {
    let kind = report.kind;
    // The villages the organization is paired with (百社进百村 agreements), read once for the form.
    let pairings = LocalResource::new(|| async { api::list_my_pairings().await.unwrap_or_default() });
    view! {
        {move || is_rural_aid(kind.get()).then(|| view! { <VillageField report pairings /> })}
        {move || kind.get().needs().people.then(|| view! { <PeopleField report /> })}
        {move || kind.get().needs().expo_role.then(|| view! { <ExpoRoleField report /> })}
        {move || kind.get().needs().recipients.then(|| view! { <Recipients report /> })}
    }
}

/// The village of one of the organization's pairings, for rural aid.
#[component]
fn VillageField(report: Report, pairings: LocalResource<Vec<Agreement>>) -> impl IntoView {
    let i18n = use_i18n();
    let village = report.village;
    view! {
        <label class="field">
            <span>{move || i18n.t("contributions.village")}</span>
            <select name="village_code" on:change=move |ev| {
                let code = event_target_value(&ev);
                village.set((!code.is_empty()).then_some(code));
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
            {report.error_view("village_code")}
        </label>
    }
}

#[component]
fn PeopleField(report: Report) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="field">
            <span>{move || i18n.t("contributions.people")}</span>
            <input name="people" type="text" inputmode="numeric" prop:value=report.people
                on:input=move |ev| { report.people.set(event_target_value(&ev)); report.touched.set(true) } />
            {report.error_view("people")}
        </label>
    }
}

#[component]
fn ExpoRoleField(report: Report) -> impl IntoView {
    let i18n = use_i18n();
    let expo_role = report.expo_role;
    view! {
        <fieldset class="field">
            <legend>{move || i18n.t("contributions.expo_role")}</legend>
            {[ExpoRole::Hosted, ExpoRole::Joined].into_iter().map(|r| view! {
                <label class="choice"><input type="radio" name="expo_role" value=r.key()
                    prop:checked=move || expo_role.get() == Some(r)
                    on:change=move |_| { expo_role.set(Some(r)); report.touched.set(true) } />{move || i18n.label(r)}</label>
            }).collect_view()}
            {report.error_view("expo_role")}
        </fieldset>
    }
}
