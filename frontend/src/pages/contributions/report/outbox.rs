//! A report goes into the outbox (IndexedDB) with its files; the outbox sends it when it can. Here: the
//! submit handler, the notices about the outbox, and the list of what is waiting.

use domain::api::CreateContributionRequest;
use domain::money::Fen;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::Report;
use super::evidence::chosen_files;
use crate::i18n::use_i18n;
use crate::outbox::{Outbox, use_outbox};
use crate::session::use_session;

/// The form's submit: check, read the chosen files, put the report with them into the outbox, clear.
pub(super) fn queue_report(
    ev: leptos::ev::SubmitEvent,
    report: Report,
    outbox: Outbox,
    file_input: NodeRef<leptos::html::Input>,
) {
    ev.prevent_default();
    let i18n = report.i18n;
    report.touched.set(true);
    report.queued.set(false);
    let Some(entry) = report.input().filter(|_| report.valid()) else {
        return;
    };
    let element = file_input
        .get_untracked()
        .map(|e| e.unchecked_into::<web_sys::HtmlInputElement>());
    leptos::task::spawn_local(async move {
        let files = match chosen_files(element.clone(), i18n).await {
            Ok(files) => files,
            Err(message) => {
                report.file_error.set(Some(message));
                return;
            }
        };
        report.file_error.set(None);
        let request = CreateContributionRequest { entry, draft: false };
        match outbox.add(request, files).await {
            Ok(()) => {
                report.clear();
                if let Some(element) = element {
                    element.set_value("");
                }
            }
            Err(message) => report.file_error.set(Some(
                i18n.t_with("contributions.outbox_unavailable", &[("reason", message)]),
            )),
        }
    });
}

/// "Sent" once the outbox has delivered the report just queued; why the outbox cannot keep reports; that
/// the app opened with no network (reports wait on this device).
#[component]
pub(super) fn OutboxNotices(queued: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    let session = use_session();
    view! {
        {move || session.is_offline().then(|| view! {
            <p class="notice" role="status" data-testid="offline-start">{move || i18n.t("contributions.offline_start")}</p>
        })}
        {move || (queued.get() && outbox.count() == 0 && outbox.last_sent().is_some()).then(|| view! {
            <p class="notice notice--ok" role="status" data-testid="report-sent">{move || i18n.t("contributions.sent")}</p>
        })}
        {move || outbox.unavailable().map(|m| view! { <p class="notice notice--error" role="alert">{i18n.t_with("contributions.outbox_unavailable", &[("reason", m)])}</p> })}
    }
}

/// What is waiting in the outbox: each entry, its files, and why it has not gone yet.
#[component]
pub(super) fn OutboxList() -> impl IntoView {
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
