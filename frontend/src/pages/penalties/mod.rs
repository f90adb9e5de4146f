//! 行政处罚 — administrative penalties (`DOMAIN.md` §7.4): the cases in scope and a new case (`list`), one
//! case from the notice through the statement and hearing to the decision or a drop (`case`), and an
//! organization's decisions on its profile (`decisions`).

mod case;
mod decisions;
mod list;

use domain::penalties::PenaltyStage;
use leptos::prelude::*;

use crate::i18n::use_i18n;

pub use case::PenaltyPage;
pub use decisions::PenaltyDecisions;
pub use list::PenaltiesPage;

fn stage_badge(stage: PenaltyStage) -> impl IntoView {
    let i18n = use_i18n();
    let class = match stage {
        PenaltyStage::Decided => "badge badge--danger",
        PenaltyStage::Noticed => "badge badge--warn",
        PenaltyStage::Dropped => "badge badge--ok",
        PenaltyStage::Filed => "badge",
    };
    view! { <span class=class data-testid="stage">{move || i18n.label(stage)}</span> }
}
