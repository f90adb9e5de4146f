//! What an operator watches besides requests (`metrics.rs`): the pool, and the backlogs of the two
//! queues that other systems or servers drain — the 双公示 outbox and the job queue.

use crate::store::{Store, on_pool};

/// The outbox's statuses that are still waiting for the platform.
const PUBLICATION_BACKLOG: [&str; 3] = ["pending", "sent", "failed"];
/// The job queue's statuses that are not history yet.
const JOB_BACKLOG: [&str; 2] = ["queued", "running"];

/// The figures at one scrape; every status is present, zero when no row has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gauges {
    pub pool_busy: u64,
    pub pool_idle: u64,
    pub publication: Vec<(String, i64)>,
    pub jobs: Vec<(String, i64)>,
}

impl Store {
    /// The pool's connections and the backlogs by status (two grouped counts over indexed status columns).
    pub async fn operational_gauges(&self) -> Result<Gauges, sqlx::Error> {
        on_pool!(self, pool => {
            let (size, idle) = (u64::from(pool.size()), pool.num_idle() as u64);
            let publication: Vec<(String, i64)> = sqlx::query_as(
                "SELECT status, COUNT(*) FROM publication_items
                 WHERE status IN ('pending', 'sent', 'failed') GROUP BY status",
            )
            .fetch_all(pool).await?;
            let jobs: Vec<(String, i64)> = sqlx::query_as(
                "SELECT status, COUNT(*) FROM jobs WHERE status IN ('queued', 'running') GROUP BY status",
            )
            .fetch_all(pool).await?;
            Ok(Gauges {
                pool_busy: size.saturating_sub(idle),
                pool_idle: idle,
                publication: every_status(&PUBLICATION_BACKLOG, publication),
                jobs: every_status(&JOB_BACKLOG, jobs),
            })
        })
    }
}

/// `counted` with a zero for each of `statuses` that no row has, in `statuses`' order.
fn every_status(statuses: &[&str], counted: Vec<(String, i64)>) -> Vec<(String, i64)> {
    statuses
        .iter()
        .map(|status| {
            let count = counted.iter().find(|(s, _)| s == status).map_or(0, |(_, n)| *n);
            ((*status).to_owned(), count)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_status_no_row_has_counts_zero() {
        let counted = vec![("failed".to_owned(), 3)];
        assert_eq!(
            super::every_status(&super::PUBLICATION_BACKLOG, counted),
            vec![
                ("pending".to_owned(), 0),
                ("sent".to_owned(), 0),
                ("failed".to_owned(), 3)
            ]
        );
    }
}
