//! The public side, no account needed: the online petition form (网上信访), which shows the receipt number
//! once with the acceptance due date, and the receipt lookup, which shows the progress only.

use domain::api::{OnlinePetitionRequest, PetitionProgress, PetitionerInput};
use leptos::prelude::*;

use crate::api;
use crate::components::division::DivisionPicker;
use crate::components::load::Async;
use crate::components::notice::ErrorNotice;
use crate::i18n::use_i18n;
use crate::routes::{Page, non_empty, use_url_query};

#[component]
pub fn OnlinePetitionPage() -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let id_number = RwSignal::new(String::new());
    let matter = RwSignal::new(String::new());
    let division = RwSignal::new(String::new());
    let submit = Action::new_local(move |body: &OnlinePetitionRequest| {
        let body = body.clone();
        async move { api::submit_online_petition(&body).await }
    });
    let text =
        move |signal: RwSignal<String>| move |ev: leptos::ev::Event| signal.set(event_target_value(&ev));
    // Only a success replaces the form: a refusal leaves it as typed, with the server's message.
    let receipt = Memo::new(move |_| submit.value().get().and_then(Result::ok));
    view! {
        <section class="page page--narrow">
            <h1>{move || i18n.t("petitions.online_title")}</h1>
            <p class="lead">{move || i18n.t("petitions.online_lead")}</p>
            {move || match receipt.get() {
                Some(receipt) => view! {
                    <div class="notice notice--ok secret" role="status" data-testid="receipt">
                        <p><strong>{i18n.t("petitions.receipt_title")}</strong></p>
                        <p><code data-testid="receipt-number">{receipt.receipt.clone()}</code></p>
                        <p>{i18n.t("petitions.receipt_keep")}</p>
                        <p data-testid="acceptance-due">{i18n.t_with("petitions.receipt_due", &[
                            ("received", receipt.received_on.to_string()),
                            ("due", receipt.acceptance_due.to_string()),
                        ])}</p>
                        <a class="button" href=Page::PetitionProgress.with_query(&ReceiptQuery { receipt: Some(receipt.receipt) })>
                            {i18n.t("petitions.progress_title")}
                        </a>
                    </div>
                }.into_any(),
                None => view! {
                    <form class="stack" data-testid="petition-form" on:submit=move |ev| {
                        ev.prevent_default();
                        submit.dispatch(OnlinePetitionRequest {
                            petitioner: PetitionerInput {
                                name: name.get_untracked(),
                                phone: phone.get_untracked(),
                                id_number: id_number.get_untracked(),
                            },
                            matter: matter.get_untracked(),
                            division_code: division.get_untracked(),
                        });
                    }>
                        <label class="field">
                            <span>{move || i18n.t("petitions.name")}</span>
                            <input name="name" autocomplete="name" maxlength="50" prop:value=name on:input=text(name) />
                        </label>
                        <label class="field">
                            <span>{move || i18n.t("petitions.phone")}</span>
                            <input name="phone" type="tel" inputmode="tel" autocomplete="tel" maxlength="20" prop:value=phone on:input=text(phone) />
                        </label>
                        <label class="field">
                            <span>{move || i18n.t("petitions.id_number")}</span>
                            <input name="id_number" maxlength="18" prop:value=id_number on:input=text(id_number) />
                        </label>
                        <DivisionPicker label="petitions.where" name="division" value=division />
                        <label class="field">
                            <span>{move || i18n.t("petitions.matter")}</span>
                            <textarea name="matter" rows="5" maxlength="5000" prop:value=matter on:input=text(matter)></textarea>
                        </label>
                        <p class="field__hint">{move || i18n.t("petitions.privacy")}</p>
                        {move || submit.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error on_retry=move || () /> })}
                        <button type="submit" class="button button--primary" data-testid="send-petition" disabled=move || submit.pending().get()>
                            {move || i18n.t("petitions.send")}
                        </button>
                    </form>
                }.into_any(),
            }}
            <p><a href=Page::PetitionProgress.path()>{move || i18n.t("petitions.progress_title")}</a></p>
        </section>
    }
}

/// The lookup's query in the URL: the receipt number.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReceiptQuery {
    pub receipt: Option<String>,
}

/// 回执查询: the stage and dates of one's own petition, never its content.
#[component]
pub fn PetitionProgressPage() -> impl IntoView {
    let i18n = use_i18n();
    let (query, navigate_to) = use_url_query::<ReceiptQuery>();
    let typed = RwSignal::new(String::new());
    Effect::new(move |_| typed.set(query.get().receipt.unwrap_or_default()));
    view! {
        <section class="page page--narrow">
            <h1>{move || i18n.t("petitions.progress_title")}</h1>
            <p class="lead">{move || i18n.t("petitions.progress_lead")}</p>
            <form class="stack" role="search" on:submit=move |ev| {
                ev.prevent_default();
                navigate_to.run(ReceiptQuery { receipt: non_empty(typed.get_untracked()) });
            }>
                <label class="field">
                    <span>{move || i18n.t("petitions.receipt")}</span>
                    <input name="receipt" autocomplete="off" maxlength="64" prop:value=typed on:input=move |ev| typed.set(event_target_value(&ev)) />
                </label>
                <button type="submit" class="button button--primary">{move || i18n.t("petitions.look_up")}</button>
            </form>
            {move || query.get().receipt.map(|receipt| {
                let progress = LocalResource::new(move || {
                    let receipt = receipt.clone();
                    async move { api::petition_progress(&receipt).await }
                });
                view! { <Async resource=progress let:p><ProgressView progress=p /></Async> }
            })}
        </section>
    }
}

#[component]
fn ProgressView(progress: PetitionProgress) -> impl IntoView {
    let i18n = use_i18n();
    let p = progress;
    let row = move |key: &'static str, value: Option<chrono::NaiveDate>| {
        value.map(|v| view! { <dt>{move || i18n.t(key)}</dt><dd>{v.to_string()}</dd> })
    };
    view! {
        <h2>{move || i18n.t("petitions.progress")}</h2>
        <dl class="facts" data-testid="progress">
            <dt>{move || i18n.t("petitions.stage")}</dt><dd data-testid="progress-stage">{move || i18n.label(p.stage)}</dd>
            {row("petitions.received_on", Some(p.received_on))}
            {row("petitions.acceptance_due", Some(p.acceptance_due))}
            {row("petitions.accepted_on", p.accepted_on)}
            {row("petitions.handling_due", p.handling_due)}
            {p.extended.then(|| view! { <dt>{move || i18n.t("petitions.extended")}</dt><dd>{move || i18n.t("petitions.yes")}</dd> })}
            {row("petitions.replied_on", p.replied_on)}
            {row("petitions.closed_on", p.closed_on)}
        </dl>
    }
}
