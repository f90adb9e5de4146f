//! Any path the app does not know; in the smaller bundles, any page that lives in another bundle; a page
//! whose code cannot be fetched without the network.

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

/// A page that cannot open without the network: this bundle does not hold it, or its code (a chunk) was
/// never fetched on this device and the network is gone.
#[component]
pub fn NeedsNetwork() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page" data-testid="needs-network">
            <p class="notice notice--error" role="alert">{move || i18n.t("common.network_error")}</p>
            <A href=Page::Home.path() attr:class="button">{move || i18n.t("not_found.home")}</A>
        </section>
    }
}

/// The fallback of the smaller bundles: a page this bundle does not hold (`domain::pages`) is loaded in
/// full from the server, which answers it with the bundle that holds it; a path no bundle knows is not
/// found.
///
/// With no network the service worker answers every page with the organization bundle, which would load
/// such a page again and again: a page loaded in full once already is not loaded again, and the user is
/// told it needs the network.
#[cfg(not(feature = "workspace"))]
#[component]
pub fn ElsewherePage() -> impl IntoView {
    use crate::routes::BUNDLE;
    let path = leptos_router::hooks::use_location().pathname.get_untracked();
    if BUNDLE.holds(&path) {
        return NotFoundPage().into_any();
    }
    if RELOADED_FOR.with_borrow_mut(Option::take).as_deref() == Some(path.as_str()) {
        return NeedsNetwork().into_any();
    }
    if let Some(storage) = session_storage() {
        let _ = storage.set_item(RELOADING, &path);
    }
    // The router has already put the new address in the history: loading it replaces this bundle.
    let _ = window().location().reload();
    view! { <crate::components::notice::Loading /> }.into_any()
}

/// Where `ElsewherePage` notes, for the next page load, the path it loaded in full.
const RELOADING: &str = "sheguan.reloading";

thread_local! {
    /// This page load's path when the previous page load loaded it in full (read once at start).
    static RELOADED_FOR: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Reads and forgets the path the previous page load loaded in full, kept when it is this page's: called
/// once as the app starts, in every bundle, so that the note never outlives the load it was for.
pub fn note_reloaded() {
    let Some(storage) = session_storage() else { return };
    let path = storage.get_item(RELOADING).ok().flatten();
    let _ = storage.remove_item(RELOADING);
    let here = window().location().pathname().ok();
    RELOADED_FOR.set(path.filter(|path| Some(path) == here.as_ref()));
}

fn session_storage() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}
