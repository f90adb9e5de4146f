//! `<DivisionSelect>`: a list filter on a division — a city, or one of its counties — whose code goes in
//! the URL (`division=340100`); the lists of the annual cycle filter by it.

use leptos::prelude::*;

use crate::api;
use crate::i18n::use_i18n;
use crate::pages::villages::list::loaded_cities;

/// A select of every city and its counties (grouped under the city), "all" first.
#[component]
pub fn DivisionSelect(
    /// The locale key of the label.
    label: &'static str,
    #[prop(into)] selected: Signal<Option<String>>,
    #[prop(into)] on_change: Callback<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let divisions = LocalResource::new(api::list_divisions);
    let option = move |code: String, name: String| {
        let chosen = code.clone();
        view! {
            <option value=code selected=move || selected.with(|s| s.as_deref() == Some(chosen.as_str()))>{name}</option>
        }
    };
    view! {
        <label class="field">
            <span>{move || i18n.t(label)}</span>
            <select name="division" on:change=move |ev| on_change.run(crate::routes::non_empty(event_target_value(&ev)))>
                <option value="" selected=move || selected.with(Option::is_none)>{move || i18n.t("common.all")}</option>
                {move || loaded_cities(divisions).into_iter().map(|city| view! {
                    <optgroup label=city.name.clone()>
                        {option(city.code.clone(), city.name.clone())}
                        {city.counties.into_iter().map(|county| option(county.code, county.name)).collect_view()}
                    </optgroup>
                }).collect_view()}
            </select>
        </label>
    }
}
