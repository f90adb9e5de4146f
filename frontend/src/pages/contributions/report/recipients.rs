//! The scholarship recipients of an entry being typed: one row each, every field checked as it is typed.

use chrono::Datelike;
use domain::contributions::{AdmissionKind, RecipientInput};
use domain::money::Fen;
use domain::resident_id::ResidentId;
use leptos::prelude::*;

use super::Report;
use crate::components::field::field_error;
use crate::i18n::use_i18n;

/// One scholarship recipient being typed.
#[derive(Debug, Clone, Copy)]
pub(super) struct RecipientRow {
    key: usize,
    name: RwSignal<String>,
    id_number: RwSignal<String>,
    school: RwSignal<String>,
    admission: RwSignal<AdmissionKind>,
    amount: RwSignal<String>,
    year: RwSignal<String>,
}

impl RecipientRow {
    pub(super) fn new(key: usize) -> Self {
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

    pub(super) fn input(&self) -> Option<RecipientInput> {
        Some(RecipientInput {
            name: self.name.get().trim().to_owned(),
            id_number: self.id_number.get().trim().to_uppercase(),
            school: self.school.get().trim().to_owned(),
            admission: self.admission.get(),
            amount_fen: self.amount_fen().ok()?.as_i64(),
            year: self.year.get().trim().parse().ok()?,
        })
    }

    /// A field's message: its own parse first (shown as soon as something is typed), then the entry's rules.
    fn error(self, report: Report, index: usize, field: &'static str) -> Option<String> {
        match field {
            "id_number" => {
                let text = self.id_number.get();
                if !text.trim().is_empty()
                    && let Err(e) = ResidentId::parse(text.trim())
                {
                    return Some(e.to_string());
                }
            }
            "amount_fen" if !self.amount.get().trim().is_empty() => {
                if let Err(message) = self.amount_fen() {
                    return Some(message);
                }
            }
            _ => {}
        }
        report.error_of(&format!("recipients[{index}].{field}"))
    }
}

/// The recipients section: the rows, an add button and the section's own message.
#[component]
pub(super) fn Recipients(report: Report) -> impl IntoView {
    let i18n = use_i18n();
    let rows = move || {
        report
            .recipients
            .get()
            .into_iter()
            .enumerate()
            .collect::<Vec<_>>()
    };
    view! {
        <fieldset class="field recipients" data-testid="recipients">
            <legend>{move || i18n.t("contributions.recipients")}</legend>
            {report.error_view("recipients")}
            <For each=rows key=|(index, row): &(usize, RecipientRow)| (*index, row.key)
                children=move |(index, row)| view! { <RecipientFields report index row /> } />
            <button type="button" class="button" data-testid="add-recipient" on:click=move |_| report.add_recipient()>
                {move || i18n.t("contributions.recipient_add")}
            </button>
        </fieldset>
    }
}

/// One recipient's fields and its remove button.
#[component]
fn RecipientFields(report: Report, index: usize, row: RecipientRow) -> impl IntoView {
    let i18n = use_i18n();
    let touched = report.touched;
    let error = move |field: &'static str| field_error(move || row.error(report, index, field));
    view! {
        <div class="recipient stack" data-testid="recipient">
            <strong>{move || i18n.t_with("contributions.recipient_n", &[("n", (index + 1).to_string())])}</strong>
            <label class="field">
                <span>{move || i18n.t("contributions.recipient_name")}</span>
                <input name=format!("recipients[{index}].name") type="text" autocomplete="off" prop:value=row.name
                    on:input=move |ev| { row.name.set(event_target_value(&ev)); touched.set(true) } />
                {error("name")}
            </label>
            <label class="field">
                <span>{move || i18n.t("contributions.recipient_id")}</span>
                <input name=format!("recipients[{index}].id_number") type="text" autocomplete="off" maxlength="18"
                    spellcheck="false" prop:value=row.id_number
                    on:input=move |ev| { row.id_number.set(event_target_value(&ev)); touched.set(true) } />
                {error("id_number")}
            </label>
            <label class="field">
                <span>{move || i18n.t("contributions.recipient_school")}</span>
                <input name=format!("recipients[{index}].school") type="text" prop:value=row.school
                    on:input=move |ev| { row.school.set(event_target_value(&ev)); touched.set(true) } />
                {error("school")}
            </label>
            <label class="field">
                <span>{move || i18n.t("contributions.recipient_admission")}</span>
                <select name=format!("recipients[{index}].admission") on:change=move |ev| {
                    if let Some(a) = AdmissionKind::parse(&event_target_value(&ev)) { row.admission.set(a) }
                }>
                    {[AdmissionKind::Undergraduate, AdmissionKind::College].into_iter().map(|a| view! {
                        <option value=a.key() selected=move || row.admission.get() == a>{move || i18n.label(a)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{move || i18n.t("contributions.recipient_amount")}</span>
                <input name=format!("recipients[{index}].amount") type="text" inputmode="decimal" autocomplete="off"
                    prop:value=row.amount
                    on:input=move |ev| { row.amount.set(event_target_value(&ev)); touched.set(true) } />
                {error("amount_fen")}
            </label>
            <label class="field">
                <span>{move || i18n.t("contributions.recipient_year")}</span>
                <input name=format!("recipients[{index}].year") type="text" inputmode="numeric" prop:value=row.year
                    on:input=move |ev| { row.year.set(event_target_value(&ev)); touched.set(true) } />
                {error("year")}
            </label>
            <button type="button" class="button" on:click=move |_| {
                report.recipients.update(|rows| rows.retain(|r| r.key != row.key));
            }>{move || i18n.t("contributions.recipient_remove")}</button>
        </div>
    }
}
