//! The audit log for bureau administrators: filter by actor, entity, action and dates; see each change's
//! before and after; export what the filter selects.

use domain::api::{AuditQuery, AuditRecord};
use domain::policy::Role;
use leptos::prelude::*;

use crate::api;
use crate::components::guard::RequireAuth;
use crate::components::notice::{ErrorNotice, Loading};
use crate::format::format_time;
use crate::i18n::use_i18n;

#[component]
pub fn AuditPage() -> impl IntoView {
    view! {
        <RequireAuth roles=&[Role::BureauAdmin]>
            <AuditLog />
        </RequireAuth>
    }
}

#[component]
fn AuditLog() -> impl IntoView {
    let i18n = use_i18n();
    let query = RwSignal::new(AuditQuery::default());
    let draft = RwSignal::new(AuditQuery::default());
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
            <label class="field">
                <span>{move || i18n.t(label)}</span>
                <input name=name type=kind prop:value=move || draft.with(|d| get(d).unwrap_or_default())
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| set(d, Some(v).filter(|v| !v.is_empty()))) } />
            </label>
        }
    };
    view! {
        <section class="page">
            <h1>{move || i18n.t("audit.title")}</h1>
            <form class="filters" on:submit=move |ev| { ev.prevent_default(); query.set(AuditQuery { page: None, ..draft.get_untracked() }); }>
                {text_field("actor", "audit.actor", "text", |d| d.actor.clone(), |d, v| d.actor = v)}
                {text_field("entity_type", "audit.entity_type", "text", |d| d.entity_type.clone(), |d, v| d.entity_type = v)}
                {text_field("action", "audit.action", "text", |d| d.action.clone(), |d, v| d.action = v)}
                {text_field("from", "audit.from", "date", |d| d.from.clone(), |d, v| d.from = v)}
                {text_field("to", "audit.to", "date", |d| d.to.clone(), |d, v| d.to = v)}
                <button type="submit" class="button button--primary">{move || i18n.t("common.search")}</button>
            </form>
            <p><a class="button" href=move || api::audit_export_url(&query.get()) download="sheguan-audit.csv">{move || i18n.t("audit.export")}</a></p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match rows.await {
                        Ok(page) => {
                            let current = page.page;
                            let more = u64::from(page.page) * u64::from(page.per_page) < page.total;
                            view! {
                                <p class="count">{move || i18n.t_with("common.total", &[("total", page.total.to_string())])}</p>
                                <ul class="record-list" data-testid="audit-list">
                                    {page.items.into_iter().map(audit_row).collect_view()}
                                </ul>
                                <nav class="pager">
                                    <button type="button" class="button" disabled=current <= 1
                                        on:click=move |_| query.update(|q| q.page = Some(current - 1))>{move || i18n.t("common.prev")}</button>
                                    <span class="pager__status">{current}</span>
                                    <button type="button" class="button" disabled=!more
                                        on:click=move |_| query.update(|q| q.page = Some(current + 1))>{move || i18n.t("common.next")}</button>
                                </nav>
                            }.into_any()
                        }
                        Err(error) => view! { <ErrorNotice error on_retry=move || rows.refetch() /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

fn audit_row(r: AuditRecord) -> impl IntoView {
    let i18n = use_i18n();
    let json = |v: Option<serde_json::Value>| v.map(|v| serde_json::to_string_pretty(&v).unwrap_or_default());
    let (before, after) = (json(r.before), json(r.after));
    view! {
        <li class="record" data-testid="audit-row">
            <div class="record__head">
                <strong>{r.action.clone()}</strong>
                <span>{format!("{} #{}", r.entity_type, r.entity_id)}</span>
            </div>
            <div class="record__meta">
                <span>{format_time(r.at)}</span>
                <span>{r.actor_name.clone()}</span>
                {r.actor_role.map(|role| view! { <span>{role.label_zh()}</span> })}
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
