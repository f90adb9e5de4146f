//! `<OrganizationPicker>`: staff find an organization by a part of its name or credit code and pick it
//! (listing one by hand, recording a returned letter). It sits inside the caller's form: Enter in the
//! search field searches instead of sending the form.

use domain::api::{OrganizationQuery, OrganizationSummary};
use leptos::prelude::*;

use crate::api;
use crate::i18n::use_i18n;
use crate::routes::non_empty;

/// How many matches are offered.
const MATCHES: u32 = 5;

#[component]
pub fn OrganizationPicker(chosen: RwSignal<Option<OrganizationSummary>>) -> impl IntoView {
    let i18n = use_i18n();
    let search = RwSignal::new(String::new());
    let find = Action::new_local(move |q: &String| {
        let query = OrganizationQuery {
            q: Some(q.clone()),
            per_page: Some(MATCHES),
            ..Default::default()
        };
        async move { api::list_organizations(&query).await }
    });
    let run = move || {
        if let Some(q) = non_empty(search.get_untracked()) {
            find.dispatch(q);
        }
    };
    view! {
        <div class="stack" data-testid="organization-picker">
            <label class="field">
                <span>{move || i18n.t("common.picker_find_organization")}</span>
                <input type="search" name="organization" maxlength="50" prop:value=search
                    on:input=move |ev| search.set(event_target_value(&ev))
                    on:keydown=move |ev| if ev.key() == "Enter" { ev.prevent_default(); run(); } />
            </label>
            <button type="button" class="button" data-testid="picker-search" on:click=move |_| run()>
                {move || i18n.t("common.search")}
            </button>
            {move || find.value().get().map(|found| match found {
                Ok(page) if page.items.is_empty() => view! { <p class="notice">{move || i18n.t("common.picker_none_found")}</p> }.into_any(),
                Ok(page) => view! {
                    <ul class="plain-list" data-testid="picker-matches">
                        {page.items.into_iter().map(|o| {
                            let name = format!("{} {}", o.name, o.credit_code);
                            view! { <li><button type="button" class="link-button" on:click=move |_| chosen.set(Some(o.clone()))>{name}</button></li> }
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Err(e) => view! { <p class="notice notice--error" role="alert">{e.message(&i18n)}</p> }.into_any(),
            })}
            <p data-testid="picker-chosen">
                {move || chosen.get().map(|o| o.name).unwrap_or_else(|| i18n.t("common.picker_none_chosen"))}
            </p>
        </div>
    }
}
