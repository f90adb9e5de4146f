//! Registration matters: the staff queue (or an organization's own matters) with overdue and near-due
//! badges, one matter with its history and the next steps, and the filing form that checks as you type.
//!
//! The work, one file each: the list (here), `record` (one matter, its steps and resubmission),
//! `application` (the fields an application needs, checked as typed) and `filing` (a new matter).

mod application;
mod filing;
mod record;

use domain::api::{MatterQuery, MatterSummary};
use domain::policy::STAFF_OR_ORG;
use domain::registry::matter::DeadlineStatus;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::i18n::use_i18n;
use crate::routes::Page;
use crate::session::use_session;

pub use filing::NewMatterPage;
pub use record::MatterPage;

fn deadline_badge(status: Option<DeadlineStatus>) -> Option<(&'static str, &'static str)> {
    match status? {
        DeadlineStatus::Overdue => Some(("badge badge--danger", "matters.overdue")),
        DeadlineStatus::NearDue => Some(("badge badge--warn", "matters.near_due")),
        DeadlineStatus::OnTime => None,
    }
}

#[component]
pub fn MattersPage() -> impl IntoView {
    view! { <RequireAuth roles=STAFF_OR_ORG><MatterList /></RequireAuth> }
}

#[component]
fn MatterList() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let matters = LocalResource::new(|| async move {
        api::list_matters(&MatterQuery {
            per_page: Some(100),
            ..Default::default()
        })
        .await
    });
    let is_staff = move || session.role_untracked().is_some_and(|r| r.is_staff());
    view! {
        <section class="page">
            <h1>{move || if is_staff() { i18n.t("matters.queue_title") } else { i18n.t("matters.mine_title") }}</h1>
            <p><A href=Page::NewMatter.path() attr:class="button button--primary">{move || i18n.t("matters.file")}</A></p>
            <Async resource=matters let:page>
                {if page.items.is_empty() {
                    Either::Left(view! { <p class="notice">{move || i18n.t("matters.empty")}</p> })
                } else {
                    Either::Right(view! {
                        <p class="count">{move || i18n.t_with("common.total", &[("total", page.total.to_string())])}</p>
                        <ul class="cards" data-testid="matters">{page.items.into_iter().map(matter_card).collect_view()}</ul>
                    })
                }}
            </Async>
        </section>
    }
}

fn matter_card(m: MatterSummary) -> impl IntoView {
    let i18n = use_i18n();
    let kind = m.kind;
    let state = m.state.clone();
    let channel = m.channel;
    let badge = deadline_badge(m.deadline);
    view! {
        <li class="card">
            <A href=Page::matter(m.id)><strong>{format!("#{} {}", m.id, m.organization_name)}</strong></A>
            <p>
                {move || i18n.label(kind)} " · "
                {move || i18n.label(state.stage())}
                {(channel == domain::registry::matter::Channel::Green).then(|| view! { <span class="badge badge--ok">{move || i18n.label(channel)}</span> })}
                {badge.map(|(class, key)| view! { <span class=class>{move || i18n.t(key)}</span> })}
            </p>
            {m.due_on.map(|due| view! { <p>{move || i18n.t_with("matters.due_on", &[("date", due.to_string())])}</p> })}
        </li>
    }
}
