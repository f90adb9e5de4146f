//! The app shell: header with the brand, navigation for what the user may use, the account menu and the
//! language switch; the main region.

use domain::policy::{BUREAU_ONLY, INSTRUCTORS, ORG_USERS, STAFF, STAFF_OR_ORG, Scope};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};
use wasm_bindgen::JsCast;

use crate::api;
use crate::i18n::use_i18n;
use crate::routes::{API_DOCS_PATH, Page, link_rel};
use crate::session::use_session;

#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let logout = Action::new_local(move |_: &()| async move { api::logout().await });
    Effect::new(move |_| {
        if logout.value().get().is_some() {
            session.set(None);
            navigate(Page::Home.path(), Default::default());
        }
    });
    // On a phone the menu scrolls sideways: bring the current page's entry into view after each navigation.
    let nav = NodeRef::<leptos::html::Nav>::new();
    let location = use_location();
    Effect::new(move |_| {
        location.pathname.track();
        // The signed-in user's entries appear once the session has loaded.
        session.role();
        request_animation_frame(move || {
            let Some(nav) = nav.get_untracked() else { return };
            let current = nav
                .query_selector("a[aria-current='page']")
                .ok()
                .flatten()
                .and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(current) = current {
                let centred = current.offset_left() - (nav.client_width() - current.offset_width()) / 2;
                nav.set_scroll_left(centred.max(0));
            }
        });
    });
    let is_admin = move || session.has_role(BUREAU_ONLY);
    let reads_registry = move || session.has_role(STAFF_OR_ORG);
    let is_org = move || session.has_role(ORG_USERS);
    let is_staff = move || session.has_role(STAFF);
    let is_instructor = move || session.has_role(INSTRUCTORS);
    // An organization user's own party record.
    let own_party = move || match session.user().map(|me| me.scope) {
        Some(Scope::Organization { id, .. }) => Page::party_organization(id),
        _ => Page::Party.path().to_owned(),
    };
    let signed_in = move || session.role().is_some();
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
            <nav class="app-nav" node_ref=nav aria-label=move || i18n.t("nav.menu")>
                <A href=Page::Home.path() exact=true>{move || i18n.t("nav.home")}</A>
                <A href=Page::Villages.path()>{move || i18n.t("nav.villages")}</A>
                <A href=Page::Lookup.path()>{move || i18n.t("nav.lookup")}</A>
                <Show when=reads_registry>
                    <A href=Page::Organizations.path() attr:rel=link_rel(Page::Organizations.path())>{move || i18n.t("nav.registry")}</A>
                    <A href=Page::Matters.path() attr:rel=link_rel(Page::Matters.path())>{move || i18n.t("nav.matters")}</A>
                    <A href=Page::Rounds.path() attr:rel=link_rel(Page::Rounds.path())>{move || i18n.t("nav.rounds")}</A>
                    <A href=Page::Contributions.path() attr:rel=link_rel(Page::Contributions.path())>
                        {move || i18n.t("nav.contributions")}
                        {outbox_badge()}
                    </A>
                    <A href=Page::Inspection.path() attr:rel=link_rel(Page::Inspection.path()) attr:data-testid="nav-inspection">{move || i18n.t("inspection.nav")}</A>
                    <A href=Page::CreditListings.path() attr:rel=link_rel(Page::CreditListings.path()) attr:data-testid="nav-credit">{move || i18n.t("credit.nav")}</A>
                </Show>
                <Show when=is_staff>
                    <A href=Page::Dashboard.path() attr:rel=link_rel(Page::Dashboard.path()) attr:data-testid="nav-dashboard">{move || i18n.t("nav.dashboard")}</A>
                </Show>
                <Show when=is_staff>
                    <A href=Page::Dormant.path() attr:rel=link_rel(Page::Dormant.path()) attr:data-testid="nav-dormant">{move || i18n.t("dormant.nav")}</A>
                    <A href=Page::FeeCampaigns.path() attr:rel=link_rel(Page::FeeCampaigns.path()) attr:data-testid="nav-fees">{move || i18n.t("nav.fees")}</A>
                </Show>
                <Show when=is_staff>
                    <A href=Page::Publication.path() attr:rel=link_rel(Page::Publication.path()) attr:data-testid="nav-publication">{move || i18n.t("nav.publication")}</A>
                </Show>
                <Show when=is_staff>
                    <A href=Page::IllegalCases.path() attr:rel=link_rel(Page::IllegalCases.path()) attr:data-testid="nav-illegal">{move || i18n.t("nav.illegal")}</A>
                    <A href=Page::Petitions.path() attr:rel=link_rel(Page::Petitions.path()) attr:data-testid="nav-petitions">{move || i18n.t("nav.petitions")}</A>
                    <A href=Page::Penalties.path() attr:rel=link_rel(Page::Penalties.path()) attr:data-testid="nav-penalties">{move || i18n.t("nav.penalties")}</A>
                </Show>
                <Show when=is_org>
                    <A href=Page::MyPairings.path() attr:rel=link_rel(Page::MyPairings.path())>{move || i18n.t("nav.my_pairings")}</A>
                    <A href=own_party attr:rel=move || link_rel(&own_party()) attr:data-testid="nav-my-party">{move || i18n.t("nav.my_party")}</A>
                </Show>
                <Show when=is_staff>
                    <A href=Page::Party.path() attr:rel=link_rel(Page::Party.path()) attr:data-testid="nav-party">{move || i18n.t("nav.party")}</A>
                </Show>
                <Show when=is_instructor>
                    <A href=Page::PartyWorkspace.path() attr:rel=link_rel(Page::PartyWorkspace.path()) attr:data-testid="nav-workspace">{move || i18n.t("nav.workspace")}</A>
                </Show>
                <Show when=signed_in>
                    <A href=Page::Jobs.path() attr:rel=link_rel(Page::Jobs.path()) attr:data-testid="nav-jobs">{move || i18n.t("nav.jobs")}</A>
                </Show>
                <Show when=is_admin>
                    <A href=Page::Users.path() attr:rel=link_rel(Page::Users.path())>{move || i18n.t("nav.users")}</A>
                    <A href=Page::Audit.path() attr:rel=link_rel(Page::Audit.path())>{move || i18n.t("nav.audit")}</A>
                </Show>
                <a href=API_DOCS_PATH rel="external">{move || i18n.t("nav.api")}</a>
                <span class="app-nav__spacer"></span>
                {move || match session.user() {
                    Some(me) => view! {
                        <A href=Page::Account.path() attr:rel=link_rel(Page::Account.path()) attr:class="app-nav__user" attr:data-testid="nav-account">{me.display_name}</A>
                        <button type="button" class="app-nav__button" data-testid="logout" on:click=move |_| { logout.dispatch(()); }>
                            {move || i18n.t("nav.logout")}
                        </button>
                    }.into_any(),
                    None => view! {
                        <A href=Page::Login.path() attr:data-testid="nav-login">{move || i18n.t("nav.login")}</A>
                    }.into_any(),
                }}
            </nav>
        </header>
        <main id="main" class="app-main">{children()}</main>
    }
}

/// How many reports wait in the outbox to be sent.
#[cfg(feature = "organization")]
fn outbox_badge() -> impl IntoView {
    let i18n = use_i18n();
    let outbox = crate::outbox::use_outbox();
    move || {
        (outbox.count() > 0).then(|| view! {
            <span class="badge badge--warn" data-testid="outbox-badge" title=move || i18n.t("contributions.outbox_badge")>{outbox.count()}</span>
        })
    }
}

/// The public bundle has no outbox: a user who reports signs in, which loads the organization bundle.
#[cfg(not(feature = "organization"))]
fn outbox_badge() -> impl IntoView {}
