//! The form fields every page builds from: a message under a field, a labelled text input bound to a
//! signal, and a select over a labelled domain enum. Markup: `<label class="field"><span>label</span>
//! <input …/><small class="field__error">message</small></label>`.

use domain::label::Labelled;
use leptos::prelude::*;

use crate::i18n::use_i18n;

/// The message under a field, while `message` has one.
pub fn field_error(
    message: impl Fn() -> Option<String> + Send + Sync + 'static,
) -> impl Fn() -> Option<AnyView> + Send + Sync + 'static {
    move || message().map(|m| view! { <small class="field__error">{m}</small> }.into_any())
}

/// A labelled text input: `value` shows what is held, `on_input` receives what is typed; `kind` is the
/// input's `type` and `inputmode` its keyboard (both left out when not given); `error` the message under it.
#[component]
pub fn TextField(
    /// The locale key of the label.
    label: &'static str,
    #[prop(into)] name: String,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] on_input: Callback<String>,
    #[prop(optional)] kind: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional, into)] error: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="field">
            <span>{move || i18n.t(label)}</span>
            <input name=name type=kind inputmode=inputmode prop:value=value
                on:input=move |ev| on_input.run(event_target_value(&ev)) />
            {error.map(|error| field_error(move || error.get()))}
        </label>
    }
}

/// A select over the `values` of a labelled domain enum with an "all" choice first: `selected` is the chosen value's key,
/// `on_change` receives the new key (`None` for "all").
#[component]
pub fn EnumSelect<T: Labelled + Send + Sync>(
    /// The locale key of the label.
    label: &'static str,
    name: &'static str,
    #[prop(into)] selected: Signal<Option<String>>,
    #[prop(into)] on_change: Callback<Option<String>>,
    /// Every value, in order (the enum's `ALL`).
    values: &'static [T],
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="field">
            <span>{move || i18n.t(label)}</span>
            <select name=name on:change=move |ev| on_change.run(crate::routes::non_empty(event_target_value(&ev)))>
                <option value="" selected=move || selected.with(Option::is_none)>{move || i18n.t("common.all")}</option>
                {values.iter().copied().map(|v| view! {
                    <option value=v.key() selected=move || selected.with(|s| s.as_deref() == Some(v.key()))>
                        {move || i18n.label(v)}
                    </option>
                }).collect_view()}
            </select>
        </label>
    }
}
