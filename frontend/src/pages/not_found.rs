//! Any path the app does not know; in the public bundle, any page that lives in the workspace bundle.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::use_i18n;
use crate::routes::Page;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page">
            <h1>{move || i18n.t("not_found.title")}</h1>
            <p>{move || i18n.t("not_found.body")}</p>
            <A href=Page::Home.path() attr:class="button">{move || i18n.t("not_found.home")}</A>
        </section>
    }
}

/// The public bundle's fallback: a page of the workspace bundle (`domain::pages`) is loaded in full from
/// the server, which answers it with the workspace bundle; a path neither bundle knows is not found.
#[cfg(not(feature = "workspace"))]
#[component]
pub fn ElsewherePage() -> impl IntoView {
    use domain::pages::{Bundle, bundle_for};
    let path = leptos_router::hooks::use_location().pathname.get_untracked();
    if bundle_for(&path) == Bundle::Public {
        return NotFoundPage().into_any();
    }
    // The router has already put the new address in the history: loading it replaces this bundle.
    let _ = window().location().reload();
    view! { <crate::components::notice::Loading /> }.into_any()
}
