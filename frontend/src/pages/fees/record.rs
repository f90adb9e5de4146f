//! The record of an inspection, on a phone: the date and what was checked, then each fee item — name,
//! basis, standard and annual income in 元, payers — with the findings of the campaign's checklist and a
//! disposition (a new standard when reduced; the rule broken when referred for a penalty). What the
//! dispositions remove is computed by the server from the items.

use domain::api::{FeeItemInput, RecordInspectionRequest};
use domain::fees::{Disposition, FeeFinding};
use domain::money::Fen;
use leptos::prelude::*;

use crate::api;
use crate::components::load::Async;
use crate::format::today;
use crate::i18n::{I18n, use_i18n};

/// One fee item as typed.
#[derive(Debug, Clone, Default, PartialEq)]
struct Draft {
    name: String,
    basis: String,
    standard: String,
    income: String,
    payers: String,
    findings: Vec<FeeFinding>,
    disposition: Option<Disposition>,
    new_standard: String,
}

impl Draft {
    /// The item to send, or the sentence saying which number of item `n` is not one.
    fn to_input(&self, i18n: I18n, n: usize) -> Result<FeeItemInput, String> {
        let money = |raw: &str, key: &str| {
            Fen::from_yuan_str(raw.trim())
                .map_err(|_| i18n.t_with("fees.bad_amount", &[("n", n.to_string()), ("what", i18n.t(key))]))
        };
        let payers = self.payers.trim().parse::<i64>().map_err(|_| {
            i18n.t_with(
                "fees.bad_amount",
                &[("n", n.to_string()), ("what", i18n.t("fees.payers"))],
            )
        })?;
        let reduce = self.disposition == Some(Disposition::Reduce);
        Ok(FeeItemInput {
            name: self.name.clone(),
            basis: self.basis.clone(),
            standard_fen: money(&self.standard, "fees.standard")?,
            annual_income_fen: money(&self.income, "fees.income")?,
            payers,
            findings: self.findings.clone(),
            disposition: self.disposition,
            new_standard_fen: if reduce {
                Some(money(&self.new_standard, "fees.new_standard")?)
            } else {
                None
            },
        })
    }
}

#[component]
pub(super) fn RecordForm(id: i64, campaign: i64, recorded: Callback<()>) -> impl IntoView {
    let detail = LocalResource::new(move || async move { api::find_fee_campaign(campaign).await });
    view! {
        <Async resource=detail let:d>
            <Form id checklist=d.campaign.checklist recorded />
        </Async>
    }
}

#[component]
fn Form(id: i64, checklist: Vec<FeeFinding>, recorded: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let on = RwSignal::new(today().to_string());
    let summary = RwSignal::new(String::new());
    let rule_broken = RwSignal::new(String::new());
    let items: RwSignal<Vec<(u32, RwSignal<Draft>)>> =
        RwSignal::new(vec![(0, RwSignal::new(Draft::default()))]);
    let next_key = StoredValue::new(1_u32);
    let local_error = RwSignal::new(None::<String>);
    let submit = Action::new_local(move |body: &RecordInspectionRequest| {
        let body = body.clone();
        async move { api::record_fee_inspection(id, &body).await }
    });
    Effect::new(move |_| {
        if submit.value().with(|r| r.as_ref().is_some_and(Result::is_ok)) {
            recorded.run(());
        }
    });
    let investigates = move || {
        items.with(|list| {
            list.iter()
                .any(|(_, d)| d.with(|d| d.disposition == Some(Disposition::Investigate)))
        })
    };
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let drafts: Vec<Draft> =
            items.with_untracked(|list| list.iter().map(|(_, d)| d.get_untracked()).collect());
        let parsed: Result<Vec<FeeItemInput>, String> = drafts
            .iter()
            .enumerate()
            .map(|(i, d)| d.to_input(i18n, i + 1))
            .collect();
        let Ok(inspected_on) = on.get_untracked().parse() else {
            local_error.set(Some(i18n.t("fees.bad_date")));
            return;
        };
        match parsed {
            Ok(items) => {
                local_error.set(None);
                submit.dispatch(RecordInspectionRequest {
                    inspected_on,
                    summary: summary.get_untracked(),
                    items,
                    rule_broken: crate::routes::non_empty(rule_broken.get_untracked()),
                });
            }
            Err(message) => local_error.set(Some(message)),
        }
    };
    let checklist = StoredValue::new(checklist);
    view! {
        <form class="stack" data-testid="record-form" on:submit=send>
            <h2>{move || i18n.t("fees.record_title")}</h2>
            <label class="field">
                <span>{move || i18n.t("fees.inspected_on")}</span>
                <input type="date" name="inspected_on" prop:value=on on:input=move |ev| on.set(event_target_value(&ev)) />
            </label>
            <label class="field">
                <span>{move || i18n.t("fees.summary")}</span>
                <textarea name="summary" rows="3" prop:value=summary on:input=move |ev| summary.set(event_target_value(&ev))></textarea>
            </label>
            <For each=move || items.get() key=|(key, _)| *key let:entry>
                <ItemFields n=Signal::derive(move || items.with(|l| l.iter().position(|(k, _)| *k == entry.0).unwrap_or(0) + 1))
                    draft=entry.1 checklist=checklist.get_value()
                    on_remove=Callback::new(move |()| items.update(|l| l.retain(|(k, _)| *k != entry.0))) />
            </For>
            <button type="button" class="button" data-testid="add-item" on:click=move |_| {
                let key = next_key.get_value();
                next_key.set_value(key + 1);
                items.update(|l| l.push((key, RwSignal::new(Draft::default()))));
            }>{move || i18n.t("fees.add_item")}</button>
            <Show when=investigates>
                <label class="field">
                    <span>{move || i18n.t("fees.rule_broken")}</span>
                    <input name="rule_broken" prop:value=rule_broken on:input=move |ev| rule_broken.set(event_target_value(&ev)) />
                </label>
            </Show>
            {move || local_error.get().map(|m| view! { <p class="notice notice--error" role="alert">{m}</p> })}
            {move || submit.value().get().and_then(Result::err).map(|e| view! { <p class="notice notice--error" role="alert">{e.message(&i18n)}</p> })}
            <button type="submit" class="button button--primary button--block" data-testid="record"
                disabled=move || submit.pending().get()>{move || i18n.t("fees.record")}</button>
        </form>
    }
}

/// One item's fields, its findings and its disposition.
#[component]
fn ItemFields(
    n: Signal<usize>,
    draft: RwSignal<Draft>,
    checklist: Vec<FeeFinding>,
    on_remove: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = move |key: &'static str,
                     name: &'static str,
                     mode: &'static str,
                     get: fn(&Draft) -> &String,
                     set: fn(&mut Draft, String)| {
        view! {
            <label class="field">
                <span>{move || i18n.t(key)}</span>
                <input name=name inputmode=mode prop:value=move || draft.with(|d| get(d).clone())
                    on:input=move |ev| draft.update(|d| set(d, event_target_value(&ev))) />
            </label>
        }
    };
    let reduce = move || draft.with(|d| d.disposition == Some(Disposition::Reduce));
    view! {
        <fieldset class="choices" data-testid="item-fields">
            <legend>{move || i18n.t_with("fees.item_n", &[("n", n.get().to_string())])}</legend>
            {text("fees.item_name", "name", "text", |d| &d.name, |d, v| d.name = v)}
            {text("fees.basis", "basis", "text", |d| &d.basis, |d, v| d.basis = v)}
            {text("fees.standard", "standard", "decimal", |d| &d.standard, |d, v| d.standard = v)}
            {text("fees.income", "income", "decimal", |d| &d.income, |d, v| d.income = v)}
            {text("fees.payers", "payers", "numeric", |d| &d.payers, |d, v| d.payers = v)}
            <div class="checks">
                {checklist.into_iter().map(|finding| view! {
                    <label class="check">
                        <input type="checkbox" name="finding" value=finding.key()
                            prop:checked=move || draft.with(|d| d.findings.contains(&finding))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                draft.update(|d| {
                                    d.findings.retain(|f| *f != finding);
                                    if on { d.findings.push(finding); }
                                });
                            } />
                        <span>{move || i18n.label(finding)}</span>
                    </label>
                }).collect_view()}
            </div>
            <label class="field">
                <span>{move || i18n.t("fees.disposition")}</span>
                <select name="disposition" on:change=move |ev| {
                    let value = event_target_value(&ev);
                    draft.update(|d| d.disposition = Disposition::parse(&value));
                }>
                    <option value="" selected=move || draft.with(|d| d.disposition.is_none())>{move || i18n.t("fees.no_disposition")}</option>
                    {Disposition::ALL.into_iter().map(|d| view! {
                        <option value=d.key() selected=move || draft.with(|x| x.disposition == Some(d))>{move || i18n.label(d)}</option>
                    }).collect_view()}
                </select>
            </label>
            <Show when=reduce>
                {text("fees.new_standard", "new_standard", "decimal", |d| &d.new_standard, |d, v| d.new_standard = v)}
            </Show>
            <button type="button" class="link-button" on:click=move |_| on_remove.run(())>{move || i18n.t("fees.remove_item")}</button>
        </fieldset>
    }
}
