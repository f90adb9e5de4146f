//! Loading and error states, the same on every page.

use leptos::prelude::*;

use crate::api;
use crate::i18n::use_i18n;

/// Shown while data is on its way.
#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="notice notice--loading" role="status">{move || i18n.t("common.loading")}</p> }
}

/// Shown when a request failed: the message in Chinese, each invalid field, and a retry button.
#[component]
pub fn ErrorNotice(error: api::Error, #[prop(into)] on_retry: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let message = error.message(&i18n);
    let fields = match &error {
        api::Error::Api { error, .. } => error.error.fields.clone(),
        api::Error::Fetch(_) => Vec::new(),
    };
    view! {
        <div class="notice notice--error" role="alert">
            <strong>{move || i18n.t("common.error")}</strong>
            <p>{message}</p>
            <ul>
                {fields.into_iter().map(|f| view! { <li><code>{f.field}</code>" "{f.message}</li> }).collect_view()}
            </ul>
            <button type="button" on:click=move |_| on_retry.run(())>{move || i18n.t("common.retry")}</button>
        </div>
    }
}
