//! 两步验证 — one's own second factor on the account page: turn it on (the QR code to scan, the secret to
//! type or the link to open in an authenticator app, then a first code), the recovery codes shown once,
//! new recovery codes, turning it off with the password and a code.

use domain::api::{DisableSecondFactorRequest, RecoveryCodes, SecondFactorCode, SecondFactorEnrolment};
use leptos::prelude::*;

use crate::api;
use crate::components::load::Async;
use crate::i18n::use_i18n;
use crate::session::use_session;

/// What the section shows besides the status: a secret to confirm, or recovery codes to save.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Status,
    Confirm(SecondFactorEnrolment),
    Codes(Vec<String>),
}

#[component]
pub fn TwoStepVerification() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let status = LocalResource::new(api::second_factor_status);
    let (step, set_step) = signal(Step::Status);
    let (code, set_code) = signal(String::new());
    let (password, set_password) = signal(String::new());
    let (error, set_error) = signal(None::<String>);
    let show_error = move |e: api::Error| {
        let message = match &e {
            api::Error::Api { error, .. } => error
                .field_message("code")
                .or_else(|| error.field_message("password"))
                .map(str::to_owned),
            _ => None,
        };
        set_error.set(Some(message.unwrap_or_else(|| e.message(&i18n))));
    };
    // After a change: the status again, and the session (whether staff must still turn it on).
    let refresh = move || {
        set_code.set(String::new());
        set_password.set(String::new());
        set_error.set(None);
        status.refetch();
        leptos::task::spawn_local(async move {
            if let Ok(me) = api::me().await {
                session.set(Some(me));
            }
        });
    };
    let start = Action::new_local(move |_: &()| async move { api::start_second_factor().await });
    let confirm = Action::new_local(move |body: &SecondFactorCode| {
        let body = body.clone();
        async move { api::confirm_second_factor(&body).await }
    });
    let renew = Action::new_local(move |body: &SecondFactorCode| {
        let body = body.clone();
        async move { api::new_recovery_codes(&body).await }
    });
    let disable = Action::new_local(move |body: &DisableSecondFactorRequest| {
        let body = body.clone();
        async move { api::disable_second_factor(&body).await }
    });
    Effect::new(move |_| match start.value().get() {
        Some(Ok(enrolment)) => {
            set_error.set(None);
            set_step.set(Step::Confirm(enrolment));
        }
        Some(Err(e)) => show_error(e),
        None => {}
    });
    let codes_shown = move |result: Option<api::Result<RecoveryCodes>>| match result {
        Some(Ok(RecoveryCodes { codes })) => {
            refresh();
            set_step.set(Step::Codes(codes));
        }
        Some(Err(e)) => show_error(e),
        None => {}
    };
    Effect::new(move |_| codes_shown(confirm.value().get()));
    Effect::new(move |_| codes_shown(renew.value().get()));
    Effect::new(move |_| match disable.value().get() {
        Some(Ok(_)) => refresh(),
        Some(Err(e)) => show_error(e),
        None => {}
    });
    let code_input = move || {
        view! {
            <label class="field">
                <span>{move || i18n.t("security.code")}</span>
                <input name="code" inputmode="numeric" autocomplete="one-time-code" required
                    prop:value=code on:input=move |ev| set_code.set(event_target_value(&ev)) />
            </label>
        }
    };
    let code_body = move || SecondFactorCode {
        code: code.get_untracked(),
    };

    view! {
        <section class="page" data-testid="two-step">
            <h2>{move || i18n.t("security.title")}</h2>
            {move || session.user().filter(|u| u.must_enrol_second_factor).map(|_| view! {
                <p class="notice notice--error" role="alert">{move || i18n.t("security.required")}</p>
            })}
            {move || error.get().map(|m| view! { <p class="notice notice--error" role="alert" data-testid="two-step-error">{m}</p> })}
            {move || match step.get() {
                Step::Codes(codes) => view! {
                    <p class="notice notice--ok" role="status">{move || i18n.t("security.codes_lead")}</p>
                    <ul class="plain-list secret" data-testid="recovery-codes">
                        {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                    </ul>
                    <button type="button" class="button button--block" on:click=move |_| set_step.set(Step::Status)>
                        {move || i18n.t("security.codes_saved")}
                    </button>
                }.into_any(),
                Step::Confirm(enrolment) => view! {
                    <p>{move || i18n.t("security.add_lead")}</p>
                    // Drawn by the server (a data URI the CSP's `img-src data:` allows): no QR encoder here.
                    <img class="qr-code" src=enrolment.qr_code.clone() width="200" height="200"
                        alt=move || i18n.t("security.qr_code") data-testid="totp-qr-code" />
                    <dl class="facts">
                        <dt>{move || i18n.t("security.secret")}</dt>
                        <dd class="secret"><code data-testid="totp-secret">{enrolment.secret.clone()}</code></dd>
                    </dl>
                    <p><a class="button" href=enrolment.uri.clone()>{move || i18n.t("security.open_app")}</a></p>
                    <form class="stack" on:submit=move |ev| {
                        ev.prevent_default();
                        confirm.dispatch(code_body());
                    }>
                        {code_input()}
                        <button type="submit" class="button button--primary button--block" disabled=move || confirm.pending().get()>
                            {move || i18n.t("security.confirm")}
                        </button>
                    </form>
                }.into_any(),
                Step::Status => view! {
                    <Async resource=status let:status>
                        {if status.enabled {
                            view! {
                                <p data-testid="two-step-on">{i18n.t_with("security.on", &[("count", status.recovery_codes_left.to_string())])}</p>
                                <form class="stack" on:submit=move |ev| {
                                    ev.prevent_default();
                                    renew.dispatch(code_body());
                                }>
                                    {code_input()}
                                    <button type="submit" class="button button--block">{move || i18n.t("security.renew")}</button>
                                    <label class="field">
                                        <span>{move || i18n.t("account.current_password")}</span>
                                        <input name="password" type="password" autocomplete="current-password"
                                            prop:value=password on:input=move |ev| set_password.set(event_target_value(&ev)) />
                                    </label>
                                    <button type="button" class="button button--block" on:click=move |_| {
                                        disable.dispatch(DisableSecondFactorRequest { password: password.get_untracked(), code: code.get_untracked() });
                                    }>{move || i18n.t("security.disable")}</button>
                                </form>
                            }.into_any()
                        } else {
                            view! {
                                <p data-testid="two-step-off">{move || i18n.t("security.off")}</p>
                                <button type="button" class="button button--primary button--block" data-testid="two-step-start"
                                    disabled=move || start.pending().get() on:click=move |_| { start.dispatch(()); }>
                                    {move || i18n.t("security.start")}
                                </button>
                            }.into_any()
                        }}
                    </Async>
                }.into_any(),
            }}
        </section>
    }
}
