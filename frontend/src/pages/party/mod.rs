//! 党建 — party building pages. Staff: the coverage and formation rates by day, level and division with
//! the organizations behind every number (`coverage`), the approvals and updates waiting for them
//! (`queues`), an organization's party record (`profile`), the instructors' batches (`batches`). An
//! instructor: their workspace (`workspace`). An organization user: their own party record.

mod batches;
mod coverage;
mod profile;
mod queues;
mod workspace;

use domain::api::CoverageQuery;
use domain::api::PartyOrgRef;
use domain::party::PartyOrgKind;
use domain::policy::STAFF;
use leptos::prelude::*;

use crate::api;
use crate::components::guard::RequireAuth;
use crate::i18n::use_i18n;
use crate::routes::Page;

pub use batches::{BatchPage, BatchesPage};
pub use coverage::PartyOrganizationsPage;
pub use profile::PartyProfilePage;
pub use workspace::WorkspacePage;

/// Staff's party-building page: the rates, then what waits for them.
#[component]
pub fn PartyPage() -> impl IntoView {
    let i18n = use_i18n();
    // Bumped by every decision, so that the rates are read again and move with it.
    let decided = RwSignal::new(0_u32);
    view! {
        <RequireAuth roles=STAFF>
            <section class="page">
                <h1>{move || i18n.t("party.title")}</h1>
                <p class="form-actions">
                    <a class="button" href=Page::PartyBatches.path() data-testid="party-batches-link">{move || i18n.t("party.batches")}</a>
                </p>
                <coverage::CoverageTable decided />
                <queues::ApprovalQueue decided />
                <queues::RecordQueue decided />
            </section>
        </RequireAuth>
    }
}

/// The badge of a party organization's kind: green for a branch, amber for none.
fn kind_badge(kind: PartyOrgKind) -> impl IntoView {
    let i18n = use_i18n();
    let class = if domain::party::has_party_organization(kind) {
        "badge badge--ok"
    } else {
        "badge badge--warn"
    };
    view! { <span class=class>{move || i18n.label(kind)}</span> }
}

/// A search over the organizations in the caller's scope; `on_pick` receives the one tapped.
#[component]
fn OrgPicker(#[prop(into)] on_pick: Callback<PartyOrgRef>, testid: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let words = RwSignal::new(String::new());
    let found = LocalResource::new(move || {
        let q = words.get();
        async move {
            if q.trim().chars().count() < 2 {
                return Ok(Vec::new());
            }
            let query = CoverageQuery {
                q: Some(q),
                per_page: Some(8),
                ..Default::default()
            };
            api::coverage_organizations(&query).await.map(|page| page.items)
        }
    });
    view! {
        <div class="field" data-testid=testid>
            <label class="field">
                <span>{move || i18n.t("party.find_organization")}</span>
                <input type="search" name="organization_search" prop:value=move || words.get()
                    placeholder=move || i18n.t("party.find_placeholder")
                    on:input=move |ev| words.set(event_target_value(&ev)) />
            </label>
            <div class="chips">
                {move || found.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|org| {
                    let picked = PartyOrgRef { id: org.organization_id, name: org.name.clone() };
                    view! {
                        <button type="button" class="chip" data-testid="picker-result"
                            on:click=move |_| { on_pick.run(picked.clone()); words.set(String::new()); }>
                            {org.name.clone()}
                        </button>
                    }
                }).collect_view()}
            </div>
        </div>
    }
}

/// A percentage to show (`55.0%`), or a dash when nothing is counted.
fn percent_text(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_owned(), |r| format!("{r:.1}%"))
}
