//! What each kind of job does. Exports write their file with the module that owns the records
//! (`routes/<module>/…export`); the daily jobs call the store.

use chrono::Utc;
use domain::jobs::JobKind;

use super::export::ExportParams;
use super::{Ended, Progress};
use crate::routes;
use crate::state::AppState;
use crate::store::jobs::{ClaimedJob, JobOutcome};

/// Runs `job` to its outcome, reporting progress on the way.
pub(super) async fn run(state: &AppState, job: &ClaimedJob, progress: &Progress) -> anyhow::Result<Ended> {
    let outcome = match job.kind {
        // An import stores its rows and its end in one transaction of its own.
        JobKind::OrganizationsImportCheck | JobKind::OrganizationsImport => {
            return routes::run_import(state, job, progress).await;
        }
        JobKind::ContributionsExport
        | JobKind::OrganizationsExport
        | JobKind::AuditExport
        | JobKind::InspectionExport
        | JobKind::FeesExport
        | JobKind::PublicationExport => {
            let params: ExportParams = serde_json::from_value(job.params.clone())?;
            let file = routes::write_export(state, job.kind, &params, progress).await?;
            let expires_at = Utc::now() + state.jobs.settings.keep_files;
            JobOutcome {
                summary: Some(format!("共 {} 行", file.rows)),
                file: Some((file.name, file.path.keep()?, expires_at)),
                result: None,
            }
        }
        JobKind::PurgeSessions => {
            let now = Utc::now();
            let idle_cutoff = now - crate::auth::session::IDLE_TIMEOUT;
            let purged = state.store.purge_sessions(now, idle_cutoff).await?;
            summary(format!("删除过期会话 {purged} 个"))
        }
        JobKind::CreditRules => {
            let done = state.store.apply_credit_rules(crate::state::today()).await?;
            summary(format!(
                "关闭年检周期 {} 个，未报送 {} 份；列入活动异常名录：未报年报 {} 个、逾期未整改 {} 个；移入严重违法失信名单 {} 个",
                done.cycles_closed,
                done.reports_not_filed,
                done.listed_report_missing,
                done.listed_rectification_overdue,
                done.moved_to_serious
            ))
        }
        JobKind::DormantScan => {
            let done = state.store.scan_dormant(crate::state::today()).await?;
            summary(format!(
                "有疑似信号的社会组织 {} 个，新提出候选 {} 个（待工作人员确认）",
                done.flagged, done.proposed
            ))
        }
        JobKind::PublicationPush => summary(routes::publication::push::run(state, progress).await?),
        JobKind::PurgeDownloads => {
            let purged = state.store.purge_expired_job_files(Utc::now()).await?;
            summary(format!("删除过期下载文件 {purged} 个"))
        }
    };
    Ok(Ended::With(outcome))
}

fn summary(text: String) -> JobOutcome {
    JobOutcome {
        summary: Some(text),
        ..JobOutcome::default()
    }
}
