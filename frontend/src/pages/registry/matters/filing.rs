//! Filing a new matter.

use domain::api::FileMatterRequest;
use domain::policy::STAFF_OR_ORG;
use domain::registry::matter::MatterKind;
use domain::registry::registration::{check_application, registers_new_organization};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::application::{ApplicationFields, Draft, problem_for};
use crate::api;
use crate::components::guard::RequireAuth;
use crate::i18n::use_i18n;
use crate::routes::Page;
use crate::session::use_session;

#[component]
pub fn NewMatterPage() -> impl IntoView {
    view! { <RequireAuth roles=STAFF_OR_ORG><FilingForm /></RequireAuth> }
}

/// The filing form: the fields the chosen kind needs, each checked as it is typed with the rules the
/// server applies. Staff may file for any organization in their scope and register new ones (成立登记,
/// 营改非); an organization user files for its own organization.
#[component]
fn FilingForm() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let draft = Draft::new(MatterKind::Change);
    let (organization, set_organization) = signal(String::new());
    let organization_id = move || match session.user_untracked().map(|u| u.scope) {
        Some(domain::policy::Scope::Organization { id, .. }) => Some(id),
        _ => organization.get().trim().parse().ok(),
    };
    let problems = Memo::new(move |_| {
        check_application(&draft.request(organization_id()))
            .err()
            .unwrap_or_default()
    });
    let file = Action::new_local(move |body: &FileMatterRequest| {
        let body = body.clone();
        async move { api::file_matter(&body).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(detail)) = file.value().get() {
            navigate(&Page::matter(detail.matter.id), Default::default());
        }
    });
    let is_staff = move || session.role_untracked().is_some_and(|r| r.is_staff());
    let kinds = move || {
        if is_staff() {
            MatterKind::ALL.to_vec()
        } else {
            vec![
                MatterKind::Change,
                MatterKind::ReElection,
                MatterKind::Filing,
                MatterKind::Deregistration,
            ]
        }
    };
    view! {
        <section class="page">
            <h1>{move || i18n.t("matters.file")}</h1>
            <form class="stack" data-testid="filing-form" on:submit=move |ev| {
                ev.prevent_default();
                if problems.get_untracked().is_empty() {
                    file.dispatch(draft.request(organization_id()));
                }
            }>
                <label class="field">
                    <span>{move || i18n.t("matters.kind")}</span>
                    <select name="kind" on:change=move |ev| {
                        if let Ok(k) = MatterKind::parse(&event_target_value(&ev)) { draft.kind.set(k); }
                    }>
                        {move || kinds()
                            .into_iter()
                            .map(|k| view! { <option value=k.key() selected=move || draft.kind.get() == k>{move || i18n.label(k)}</option> })
                            .collect_view()}
                    </select>
                </label>
                <p class="lead">{move || i18n.t(&format!("matters.hint.{}", draft.kind.get().key()))}</p>
                <Show when=move || is_staff() && !registers_new_organization(draft.kind.get())>
                    <label class="field">
                        <span>{move || i18n.t("matters.organization_id")}</span>
                        <input name="organization_id" inputmode="numeric" prop:value=organization
                            on:input=move |ev| set_organization.set(event_target_value(&ev)) />
                        {problem_for(problems, "organization_id")}
                    </label>
                </Show>
                <ApplicationFields draft problems />
                {move || file.value().get().and_then(Result::err).map(|e| view! { <p class="notice notice--error" role="alert">{e.message(&i18n)}</p> })}
                <button type="submit" class="button button--primary" data-testid="file-matter"
                    disabled=move || !problems.get().is_empty() || file.pending().get()>
                    {move || i18n.t("matters.submit")}
                </button>
            </form>
        </section>
    }
}
