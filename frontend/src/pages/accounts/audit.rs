//! The audit log for bureau administrators: filter by actor, entity, action and dates; see each change's
//! before and after; export what the filter selects.

use domain::accounts::audit::{AuditAction, AuditEntity};
use domain::api::{AuditQuery, AuditRecord};
use domain::label::Labelled;
use domain::policy::BUREAU_ONLY;
use leptos::prelude::*;

use crate::api;
use crate::components::export::ExportButton;
use crate::components::field::TextField;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::format::format_time;
use crate::i18n::{I18n, use_i18n};
use crate::routes::use_url_query;

#[component]
pub fn AuditPage() -> impl IntoView {
    view! {
        <RequireAuth roles=BUREAU_ONLY>
            <AuditLog />
        </RequireAuth>
    }
}

#[component]
fn AuditLog() -> impl IntoView {
    let i18n = use_i18n();
    // The filters live in the URL, so back, forward and reload keep them; the form edits a draft.
    let (query, apply) = use_url_query::<AuditQuery>();
    let draft = RwSignal::new(AuditQuery::default());
    Effect::new(move |_| draft.set(query.get()));
    let rows = LocalResource::new(move || {
        let query = query.get();
        async move { api::list_audit(&query).await }
    });
    let text_field = move |name: &'static str,
                           label: &'static str,
                           kind: &'static str,
                           get: fn(&AuditQuery) -> Option<String>,
                           set: fn(&mut AuditQuery, Option<String>)| {
        view! {
            <TextField label name kind value=Signal::derive(move || draft.with(|d| get(d).unwrap_or_default()))
                on_input=move |v: String| draft.update(|d| set(d, Some(v).filter(|v| !v.is_empty()))) />
        }
    };
    view! {
        <section class="page">
            <h1>{move || i18n.t("audit.title")}</h1>
            <form class="filters" on:submit=move |ev| { ev.prevent_default(); apply.run(AuditQuery { page: None, ..draft.get_untracked() }); }>
                {text_field("actor", "audit.actor", "text", |d| d.actor.clone(), |d, v| d.actor = v)}
                {text_field("entity_type", "audit.entity_type", "text", |d| d.entity_type.clone(), |d, v| d.entity_type = v)}
                {text_field("action", "audit.action", "text", |d| d.action.clone(), |d, v| d.action = v)}
                {text_field("from", "audit.from", "date", |d| d.from.clone(), |d, v| d.from = v)}
                {text_field("to", "audit.to", "date", |d| d.to.clone(), |d, v| d.to = v)}
                <button type="submit" class="button button--primary">{move || i18n.t("common.search")}</button>
            </form>
            <ExportButton href=Signal::derive(move || api::audit_export_url(&query.get())) label="audit.export" testid="audit-export" />
            <Async resource=rows let:page>
                {
                    let current = page.page;
                    let more = u64::from(page.page) * u64::from(page.per_page) < page.total;
                    let to_page = move |page: u32| apply.run(AuditQuery { page: Some(page), ..query.get_untracked() });
                    view! {
                        <p class="count">{move || i18n.t_with("common.total", &[("total", page.total.to_string())])}</p>
                        <ul class="record-list" data-testid="audit-list">
                            {page.items.into_iter().map(audit_row).collect_view()}
                        </ul>
                        <nav class="pager">
                            <button type="button" class="button" disabled=current <= 1
                                on:click=move |_| to_page(current - 1)>{move || i18n.t("common.prev")}</button>
                            <span class="pager__status">{current}</span>
                            <button type="button" class="button" disabled=!more
                                on:click=move |_| to_page(current + 1)>{move || i18n.t("common.next")}</button>
                        </nav>
                    }
                }
            </Async>
        </section>
    }
}

fn audit_row(r: AuditRecord) -> impl IntoView {
    let i18n = use_i18n();
    let json = |v: Option<serde_json::Value>| v.map(|v| serde_json::to_string_pretty(&v).unwrap_or_default());
    let (before, after) = (json(r.before), json(r.after));
    let (action, entity_type, entity_id) = (r.action, r.entity_type, r.entity_id);
    view! {
        <li class="record" data-testid="audit-row">
            <div class="record__head">
                <strong>{move || label_or_key::<AuditAction>(i18n, &action)}</strong>
                <span>{move || format!("{} #{}", label_or_key::<AuditEntity>(i18n, &entity_type), entity_id)}</span>
            </div>
            <div class="record__meta">
                <span>{format_time(r.at)}</span>
                <span>{r.actor_name.clone()}</span>
                {r.actor_role.map(|role| view! { <span>{move || i18n.label(role)}</span> })}
                <code>{r.client_addr.clone()}</code>
            </div>
            {r.reason.map(|reason| view! { <p>{move || i18n.t("audit.reason")}"："{reason}</p> })}
            {(before.is_some() || after.is_some()).then(|| view! {
                <details>
                    <summary>{move || i18n.t("audit.changes")}</summary>
                    {before.map(|b| view! { <h4>{move || i18n.t("audit.before")}</h4><pre>{b}</pre> })}
                    {after.map(|a| view! { <h4>{move || i18n.t("audit.after")}</h4><pre>{a}</pre> })}
                </details>
            })}
        </li>
    }
}

/// The label of a key the log stores as text, or the key itself when it names no known value.
fn label_or_key<T: Labelled>(i18n: I18n, key: &str) -> String {
    T::all()
        .iter()
        .find(|value| value.key() == key)
        .map_or_else(|| key.to_owned(), |&value| i18n.label(value).to_owned())
}
