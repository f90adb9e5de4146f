//! My account: who I am and where I may act, change my password, two-step verification, my recent
//! sign-ins.

use domain::api::ChangePasswordRequest;
use domain::{accounts::check_password, policy::Scope};
use leptos::prelude::*;

use crate::api;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::format::format_time;
use crate::i18n::{I18n, use_i18n};
use crate::pages::accounts::security::TwoStepVerification;
use crate::session::use_session;

#[component]
pub fn AccountPage() -> impl IntoView {
    view! {
        <RequireAuth>
            <Profile />
            <ChangePassword />
            <TwoStepVerification />
            <RecentLogins />
        </RequireAuth>
    }
}

pub fn scope_text(i18n: &I18n, scope: &Scope) -> String {
    match scope {
        Scope::Province => i18n.t("auth.scope.province"),
        Scope::Division { name, code } => format!("{name}（{code}）"),
        Scope::Organization { name, .. } => name.clone(),
        Scope::Organizations { ids } => {
            i18n.t_with("auth.scope.organizations", &[("count", ids.len().to_string())])
        }
    }
}

#[component]
fn Profile() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    move || {
        session.user().map(|me| {
            let role = me.role;
            view! {
                <section class="page">
                    <h1>{move || i18n.t("account.title")}</h1>
                    <dl class="facts" data-testid="account-profile">
                        <dt>{move || i18n.t("auth.username")}</dt><dd>{me.username.clone()}</dd>
                        <dt>{move || i18n.t("account.name")}</dt><dd>{me.display_name.clone()}</dd>
                        <dt>{move || i18n.t("account.role")}</dt><dd>{move || i18n.label(role)}</dd>
                        <dt>{move || i18n.t("account.scope")}</dt><dd>{scope_text(&i18n, &me.scope)}</dd>
                    </dl>
                </section>
            }
        })
    }
}

#[component]
fn ChangePassword() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let (current, set_current) = signal(String::new());
    let (new, set_new) = signal(String::new());
    let (confirm, set_confirm) = signal(String::new());
    let (done, set_done) = signal(false);
    // The same rules the server applies, as the user types (the server also checks a list of common passwords).
    let new_error = move || {
        let new = new.get();
        let username = session.user().map(|u| u.username).unwrap_or_default();
        (!new.is_empty())
            .then(|| check_password(&new, &username).err().map(|e| e.to_string()))
            .flatten()
    };
    let confirm_error =
        move || (!confirm.get().is_empty() && confirm.get() != new.get()).then(|| i18n.t("account.mismatch"));
    let change = Action::new_local(move |request: &ChangePasswordRequest| {
        let request = request.clone();
        async move { api::change_password(&request).await }
    });
    let server_error = move |field: &'static str| {
        change.value().get().and_then(|r| r.err()).and_then(|e| match e {
            api::Error::Api { error, .. } => error.field_message(field).map(str::to_owned),
            other => (field == "new_password").then(|| other.message(&i18n)),
        })
    };
    Effect::new(move |_| {
        if let Some(Ok(me)) = change.value().get() {
            session.set(Some(me));
            set_done.set(true);
            set_current.set(String::new());
            set_new.set(String::new());
            set_confirm.set(String::new());
        }
    });
    view! {
        <section class="page">
            <h2>{move || i18n.t("account.change_password")}</h2>
            {move || session.user().filter(|u| u.must_change_password).map(|_| view! {
                <p class="notice notice--error" role="alert">{move || i18n.t("auth.must_change")}</p>
            })}
            {move || done.get().then(|| view! { <p class="notice notice--ok" role="status" data-testid="password-changed">{move || i18n.t("account.changed")}</p> })}
            <form
                class="stack"
                on:submit=move |ev| {
                    ev.prevent_default();
                    set_done.set(false);
                    if new_error().is_none() && confirm_error().is_none() {
                        change.dispatch(ChangePasswordRequest { current_password: current.get_untracked(), new_password: new.get_untracked() });
                    }
                }
            >
                <label class="field">
                    <span>{move || i18n.t("account.current_password")}</span>
                    <input name="current_password" type="password" autocomplete="current-password" required
                        prop:value=current on:input=move |ev| set_current.set(event_target_value(&ev)) />
                    {move || server_error("current_password").map(|m| view! { <small class="field__error">{m}</small> })}
                </label>
                <label class="field">
                    <span>{move || i18n.t("account.new_password")}</span>
                    <input name="new_password" type="password" autocomplete="new-password" required minlength="10"
                        prop:value=new on:input=move |ev| set_new.set(event_target_value(&ev)) />
                    {move || new_error().or_else(|| server_error("new_password")).map(|m| view! { <small class="field__error">{m}</small> })}
                </label>
                <label class="field">
                    <span>{move || i18n.t("account.confirm_password")}</span>
                    <input name="confirm_password" type="password" autocomplete="new-password" required
                        prop:value=confirm on:input=move |ev| set_confirm.set(event_target_value(&ev)) />
                    {move || confirm_error().map(|m| view! { <small class="field__error">{m}</small> })}
                </label>
                <button type="submit" class="button button--primary button--block" disabled=move || change.pending().get()>
                    {move || i18n.t("account.save_password")}
                </button>
            </form>
        </section>
    }
}

#[component]
fn RecentLogins() -> impl IntoView {
    let i18n = use_i18n();
    let logins = LocalResource::new(api::list_my_logins);
    view! {
        <section class="page">
            <h2>{move || i18n.t("account.recent_logins")}</h2>
            <Async resource=logins let:events>
                <ul class="plain-list" data-testid="recent-logins">
                    {events.into_iter().map(|e| {
                        let outcome_key = match e.outcome.as_str() {
                            "success" => "account.outcome.success",
                            "locked" => "account.outcome.locked",
                            "second_factor" => "account.outcome.second_factor",
                            _ => "account.outcome.failure",
                        };
                        view! {
                            <li>
                                <strong>{format_time(e.at)}</strong>
                                " · "{move || i18n.t(outcome_key)}" · "<code>{e.client_addr}</code>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </Async>
        </section>
    }
}
