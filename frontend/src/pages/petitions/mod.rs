//! 信访 — petitions (`DOMAIN.md` §7.2, §12). Anyone petitions online without an account and looks the
//! progress up with the receipt number (`online`); staff keep the petition list with its time limits
//! (`list`), take each petition from acceptance to a written reply and closure (`petition`), and raise a
//! clue of an illegal organization or a penalty case from it (`raised`).

mod list;
mod online;
mod petition;
mod raised;

use domain::petitions::DeadlineStatus;
use leptos::prelude::*;

use crate::i18n::use_i18n;

pub use list::PetitionsPage;
pub use online::{OnlinePetitionPage, PetitionProgressPage};
pub use petition::PetitionPage;

/// 逾期 / 临期 as a badge, like the registration matters' queue; nothing while on time.
fn deadline_badge(deadline: Option<DeadlineStatus>) -> Option<impl IntoView> {
    let i18n = use_i18n();
    let status = deadline?;
    let class = match status {
        DeadlineStatus::Overdue => "badge badge--danger",
        DeadlineStatus::NearDue => "badge badge--warn",
        DeadlineStatus::OnTime => return None,
    };
    Some(view! { <span class=class data-testid="deadline">{move || i18n.label(status)}</span> })
}
