//! 退信 — staff record a registered letter to an organization's domicile that came back unsigned: the
//! evidence behind the "unreachable" signal, and (two of them 20–60 days apart) behind a listing.

use domain::api::{OrganizationSummary, ReturnedLetterRequest};
use leptos::prelude::*;

use crate::api;
use crate::components::organization_picker::OrganizationPicker;
use crate::i18n::use_i18n;

#[component]
pub(super) fn ReturnedLetterForm() -> impl IntoView {
    let i18n = use_i18n();
    let chosen = RwSignal::new(None::<OrganizationSummary>);
    let sent_on = RwSignal::new(String::new());
    let returned_on = RwSignal::new(crate::format::today().to_string());
    let note = RwSignal::new(String::new());
    // Sent before it came back, and back by today.
    let request = move || {
        let organization_id = chosen.get()?.id;
        let sent_on: chrono::NaiveDate = sent_on.get().parse().ok()?;
        let returned_on: chrono::NaiveDate = returned_on.get().parse().ok()?;
        (sent_on <= returned_on && returned_on <= crate::format::today()).then(|| ReturnedLetterRequest {
            organization_id,
            sent_on,
            returned_on,
            note: note.get().trim().to_owned(),
        })
    };
    let record = Action::new_local(move |body: &ReturnedLetterRequest| {
        let body = body.clone();
        async move { api::record_letter(&body).await }
    });
    view! {
        <details class="fold" data-testid="returned-letter">
            <summary>{move || i18n.t("dormant.letter_title")}</summary>
            <form class="stack" on:submit=move |ev| {
                ev.prevent_default();
                if let Some(body) = untrack(request) { record.dispatch(body); }
            }>
                <OrganizationPicker chosen />
                <label class="field">
                    <span>{move || i18n.t("dormant.sent_on")}</span>
                    <input type="date" name="sent_on" prop:value=sent_on on:input=move |ev| sent_on.set(event_target_value(&ev)) />
                </label>
                <label class="field">
                    <span>{move || i18n.t("dormant.returned_on")}</span>
                    <input type="date" name="returned_on" prop:value=returned_on on:input=move |ev| returned_on.set(event_target_value(&ev)) />
                </label>
                <label class="field">
                    <span>{move || i18n.t("dormant.note")}</span>
                    <input name="note" maxlength="200" prop:value=note on:input=move |ev| note.set(event_target_value(&ev)) />
                </label>
                <p class="field__hint">{move || i18n.t("dormant.letter_hint")}</p>
                <button type="submit" class="button button--primary" data-testid="record-letter"
                    disabled=move || request().is_none() || record.pending().get()>
                    {move || i18n.t("dormant.record_letter")}
                </button>
                {move || record.value().get().map(|answer| match answer {
                    Ok(letter) => view! {
                        <p class="notice notice--ok" role="status">
                            {move || i18n.t_with("dormant.letter_recorded", &[("date", letter.returned_on.to_string())])}
                        </p>
                    }.into_any(),
                    Err(e) => view! { <p class="notice notice--error" role="alert">{e.message(&i18n)}</p> }.into_any(),
                })}
            </form>
        </details>
    }
}
