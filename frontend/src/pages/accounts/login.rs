//! Sign in with a username (or phone) and password — and, for an account with two-step verification, a
//! code from the authenticator app or a recovery code; then back to where the user was going.

use domain::api::{ErrorCode, LoginRequest, Me, SecondFactorCode};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api;
use crate::i18n::use_i18n;
use crate::routes::{Page, opens_here};
use crate::session::use_session;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query = use_query_map();
    let navigate = use_navigate();
    let (username, set_username) = signal(String::new());
    let (password, set_password) = signal(String::new());
    let (code, set_code) = signal(String::new());
    let (second_step, set_second_step) = signal(false);
    let (error, set_error) = signal(None::<String>);

    let login = Action::new_local(move |request: &LoginRequest| {
        let request = request.clone();
        async move { api::login(&request).await }
    });
    let verify = Action::new_local(move |request: &SecondFactorCode| {
        let request = request.clone();
        async move { api::login_second_factor(&request).await }
    });
    let pending = move || login.pending().get() || verify.pending().get();
    // The second step's answer once there is one, else the password's.
    Effect::new(move |_| {
        let result: Option<api::Result<Me>> = verify.value().get().or_else(|| login.value().get());
        if let Some(result) = result {
            match result {
                Err(api::Error::Api { error, .. }) if error.error.code == ErrorCode::SecondFactorRequired => {
                    set_second_step.set(true);
                }
                Err(api::Error::Api { error, .. }) if error.field_message("code").is_some() => {
                    set_error.set(error.field_message("code").map(str::to_owned));
                }
                Ok(me) => {
                    let must_change = me.must_change_password || me.must_enrol_second_factor;
                    let me_role = me.role;
                    session.set(Some(me));
                    let next = query
                        .read_untracked()
                        .get("next")
                        .filter(|n| n.starts_with('/') && !n.starts_with("//"));
                    let target = if must_change {
                        Page::Account.path().to_owned()
                    } else {
                        next.unwrap_or_else(|| Page::Home.path().to_owned())
                    };
                    if opens_here(&target, Some(me_role)) {
                        navigate(&target, Default::default());
                    } else {
                        // Signed in on a bundle that is not this user's (`domain::pages`): load theirs.
                        let _ = window().location().assign(&target);
                    }
                }
                Err(e) => set_error.set(Some(e.message(&i18n))),
            }
        }
    });

    view! {
        <section class="page page--narrow">
            <h1>{move || i18n.t("auth.login_title")}</h1>
            {move || if second_step.get() {
                view! {
                    <p class="lead">{move || i18n.t("auth.second_step_lead")}</p>
                    <form
                        class="stack"
                        on:submit=move |ev| {
                            ev.prevent_default();
                            set_error.set(None);
                            verify.dispatch(SecondFactorCode { code: code.get_untracked() });
                        }
                    >
                        <label class="field">
                            <span>{move || i18n.t("auth.code")}</span>
                            <input
                                name="code"
                                inputmode="numeric"
                                autocomplete="one-time-code"
                                autocapitalize="none"
                                required
                                prop:value=code
                                on:input=move |ev| set_code.set(event_target_value(&ev))
                            />
                            <small>{move || i18n.t("auth.code_hint")}</small>
                        </label>
                        {move || error.get().map(|message| view! { <p class="notice notice--error" role="alert" data-testid="login-error">{message}</p> })}
                        <button type="submit" class="button button--primary button--block" disabled=pending>
                            {move || if pending() { i18n.t("auth.signing_in") } else { i18n.t("auth.verify") }}
                        </button>
                    </form>
                }.into_any()
            } else {
                view! {
                    <p class="lead">{move || i18n.t("auth.login_lead")}</p>
                    <form
                        class="stack"
                        on:submit=move |ev| {
                            ev.prevent_default();
                            set_error.set(None);
                            login.dispatch(LoginRequest { username: username.get_untracked(), password: password.get_untracked() });
                        }
                    >
                        <label class="field">
                            <span>{move || i18n.t("auth.username")}</span>
                            <input
                                name="username"
                                autocomplete="username"
                                autocapitalize="none"
                                required
                                prop:value=username
                                on:input=move |ev| set_username.set(event_target_value(&ev))
                            />
                        </label>
                        <label class="field">
                            <span>{move || i18n.t("auth.password")}</span>
                            <input
                                name="password"
                                type="password"
                                autocomplete="current-password"
                                required
                                prop:value=password
                                on:input=move |ev| set_password.set(event_target_value(&ev))
                            />
                        </label>
                        {move || error.get().map(|message| view! { <p class="notice notice--error" role="alert" data-testid="login-error">{message}</p> })}
                        <button type="submit" class="button button--primary button--block" disabled=pending>
                            {move || if pending() { i18n.t("auth.signing_in") } else { i18n.t("auth.login") }}
                        </button>
                    </form>
                }.into_any()
            }}
        </section>
    }
}
