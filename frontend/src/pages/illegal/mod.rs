//! 非法社会组织 — illegal organizations (`DOMAIN.md` §7.1). The public reports a body and reads the
//! published batches without an account (`public`); staff work clues and cases in their division
//! (`cases`: the list and a new clue; `case`: one case, its steps, agencies, evidence files and outcome);
//! the bureau assembles and publishes the numbered batches (`batches`).

mod batches;
mod case;
mod cases;
mod public;

use domain::illegal::IllegalStage;
use leptos::prelude::*;

use crate::i18n::use_i18n;

pub use batches::IllegalBatchesPage;
pub use case::IllegalCasePage;
pub use cases::IllegalCasesPage;
pub use public::{PublicIllegalPage, ReportIllegalPage};

/// A case's stage as a badge: red once banned, green once settled otherwise, amber while published.
fn stage_badge(stage: IllegalStage) -> impl IntoView {
    let i18n = use_i18n();
    let class = match stage {
        IllegalStage::Banned => "badge badge--danger",
        IllegalStage::Published => "badge badge--warn",
        IllegalStage::Dissuaded | IllegalStage::Registered | IllegalStage::Closed => "badge badge--ok",
        IllegalStage::Clue | IllegalStage::Investigating => "badge",
    };
    view! { <span class=class data-testid="stage">{move || i18n.label(stage)}</span> }
}
