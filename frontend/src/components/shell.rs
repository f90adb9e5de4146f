//! The app shell: header with the brand, navigation and the language switch; the main region.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::use_i18n;
use crate::routes::{API_DOCS_PATH, Page};

#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="skip-link" href="#main">{move || i18n.t("app.skip")}</a>
        <header class="app-header">
            <div class="app-header__bar">
                <A href=Page::Home.path() attr:class="brand">
                    <span class="brand__mark" aria-hidden="true">"社"</span>
                    <span class="brand__text">
                        <strong>{move || i18n.t("app.name")}</strong>
                        <small>{move || i18n.t("app.full_name")}</small>
                    </span>
                </A>
                <button
                    type="button"
                    class="lang-switch"
                    aria-label=move || i18n.t("lang.switch_label")
                    on:click=move |_| i18n.toggle()
                >
                    {move || i18n.t("lang.switch")}
                </button>
            </div>
            <nav class="app-nav" aria-label=move || i18n.t("nav.menu")>
                <A href=Page::Home.path() exact=true>{move || i18n.t("nav.home")}</A>
                <A href=Page::Villages.path()>{move || i18n.t("nav.villages")}</A>
                <a href=API_DOCS_PATH rel="external">{move || i18n.t("nav.api")}</a>
            </nav>
        </header>
        <main id="main" class="app-main">{children()}</main>
    }
}
