//! Divisions in the browser: `<DivisionSelect>`, a list filter on a city or one of its counties whose code
//! goes in the URL (`division=340100`; the annual cycle's lists), and `<DivisionPicker>`, a form's choice of
//! where something is — a city, then optionally one of its counties (the enforcement forms: a report, a
//! petition, a clue).

use leptos::prelude::*;

use crate::api;
use crate::i18n::use_i18n;
use crate::pages::villages::list::loaded_cities;
use crate::routes::non_empty;

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
            <select name="division" on:change=move |ev| on_change.run(non_empty(event_target_value(&ev)))>
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

/// Two selects, city then county; `value` holds the county's code, or the city's while no county is
/// chosen (empty until a city is). `name` prefixes the selects' names (`{name}_city`, `{name}_county`).
/// A value set from outside (a form prefilled from a petition or an organization) shows as chosen.
#[component]
pub fn DivisionPicker(
    /// The locale key of the label.
    label: &'static str,
    name: &'static str,
    value: RwSignal<String>,
    #[prop(optional, into)] error: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let divisions = LocalResource::new(api::list_divisions);
    let city = RwSignal::new(None::<String>);
    // A county's city shares its first four digits (340122 → 340100).
    Effect::new(move |_| {
        let code = value.get();
        if let Some(prefix) = code.get(..4).filter(|_| code.len() == 6) {
            let own = format!("{prefix}00");
            if city.get_untracked().as_deref() != Some(own.as_str()) {
                city.set(Some(own));
            }
        }
    });
    let cities = move || loaded_cities(divisions);
    let counties = move || {
        let chosen = city.get();
        cities()
            .into_iter()
            .find(|c| Some(&c.code) == chosen.as_ref())
            .map(|c| c.counties)
            .unwrap_or_default()
    };
    view! {
        <fieldset class="choices division-picker">
            <legend>{move || i18n.t(label)}</legend>
            <label class="field">
                <span>{move || i18n.t("enforcement.city")}</span>
                <select name=format!("{name}_city") on:change=move |ev| {
                    let chosen = non_empty(event_target_value(&ev));
                    value.set(chosen.clone().unwrap_or_default());
                    city.set(chosen);
                }>
                    <option value="">{move || i18n.t("enforcement.choose_city")}</option>
                    {move || cities().into_iter().map(|c| {
                        let code = c.code.clone();
                        view! { <option value=c.code selected=move || city.get().as_deref() == Some(code.as_str())>{c.name}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{move || i18n.t("enforcement.county")}</span>
                <select name=format!("{name}_county") disabled=move || city.with(Option::is_none) on:change=move |ev| {
                    let county = non_empty(event_target_value(&ev));
                    value.set(county.or_else(|| city.get_untracked()).unwrap_or_default());
                }>
                    <option value="">{move || i18n.t("enforcement.whole_city")}</option>
                    {move || counties().into_iter().map(|c| {
                        let code = c.code.clone();
                        view! { <option value=c.code selected=move || value.with(|v| *v == code)>{c.name}</option> }
                    }).collect_view()}
                </select>
            </label>
            {error.map(|error| crate::components::field::field_error(move || error.get()))}
        </fieldset>
    }
}
