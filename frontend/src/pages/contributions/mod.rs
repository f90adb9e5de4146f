//! The contribution ledger: a phone-first report form with an offline outbox (organizations), their
//! entries and totals; the review queue and the province totals (staff).
//!
//! A report goes through the outbox (`crate::outbox`, IndexedDB) with its evidence files, so nothing typed
//! on a weak signal is lost: the page shows what is waiting and the outbox sends it when it can.
//!
//! The work, one file each: `report` (the form, its kind-specific sections, evidence and the outbox),
//! `ledger` (an organization's own entries, the entries behind a total), `review` (the staff queue),
//! `totals`, `entry` (one entry, its review and correction) and `duplicates`.

mod duplicates;
mod entry;
mod ledger;
mod report;
mod review;
mod totals;

use domain::api::Contribution;
use domain::policy::{Role, STAFF_OR_ORG};
use leptos::prelude::*;

use crate::components::guard::RequireAuth;
use crate::i18n::I18n;
use crate::session::{STAFF_VIEWS, use_session};

pub use duplicates::DuplicatesPage;
pub use entry::ContributionPage;
use ledger::{CountedEntries, MyLedger, ledger_query};
use report::ReportForm;
use review::ReviewQueue;
use totals::ProvinceTotals;

#[component]
pub fn ContributionsPage() -> impl IntoView {
    let session = use_session();
    let query = ledger_query();
    view! {
        <RequireAuth roles=STAFF_OR_ORG>
            {move || if session.role_untracked() == Some(Role::OrgUser) || !STAFF_VIEWS {
                view! { <ReportForm /> <MyLedger /> }.into_any()
            } else if query.get().counted == Some(true) {
                view! { <CountedEntries /> }.into_any()
            } else {
                view! { <ReviewQueue /> <ProvinceTotals /> }.into_any()
            }}
        </RequireAuth>
    }
}

/// An entry in a staff list: the organization (a link to the entry), when, what kind, how much, what for.
fn entry_line(i18n: &I18n, e: &Contribution) -> impl IntoView + use<> {
    view! {
        <a href=crate::routes::Page::contribution(e.id)><strong>{e.organization_name.clone()}</strong></a>
        <span>{e.date.to_string()}" · "{i18n.label(e.kind)}" · "{e.amount_fen.format_yuan()}</span>
        <span>{e.description.clone()}</span>
    }
}

fn status_label(i18n: &I18n, entry: &Contribution) -> &'static str {
    i18n.label(entry.status)
}
