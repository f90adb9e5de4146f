//! The public credit lists: who is on which list now, with the notice number, whether an objection is
//! pending and the organization's explanation — nothing personal.

use domain::api::PublicListing;
use domain::credit::{CreditList, ListingReason};
use sqlx::QueryBuilder;

use crate::store::{Store, on_pool};

#[derive(Debug, sqlx::FromRow)]
struct PublicRow {
    id: i64,
    organization_name: String,
    credit_code: String,
    list: String,
    reason: String,
    decided_on: chrono::NaiveDate,
    objection_status: Option<String>,
    explanation: Option<String>,
}

macro_rules! push_public_where {
    ($qb:expr, $list:expr, $q:expr) => {{
        $qb.push(" WHERE l.ended_on IS NULL AND l.list = ")
            .push_bind($list.key());
        if let Some(q) = $q {
            $qb.push(" AND (o.credit_code = ").push_bind(q.to_owned());
            $qb.push(" OR o.name LIKE ")
                .push_bind(crate::store::like_pattern(q))
                .push(" ESCAPE '\\')");
        }
    }};
}

impl Store {
    /// A page of the organizations currently on `list` (name contains `q`, or code is `q`), newest first.
    pub async fn public_credit_list(
        &self,
        list: CreditList,
        q: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<PublicListing>, u64), sqlx::Error> {
        let select =
            "SELECT l.id, o.name AS organization_name, o.credit_code, l.list, l.reason, l.decided_on,
                l.objection_status, l.explanation
            FROM credit_listings l JOIN organizations o ON o.id = l.organization_id";
        let (rows, total): (Vec<PublicRow>, i64) = on_pool!(self, pool => {
            let mut query = QueryBuilder::new(select);
            push_public_where!(query, list, q);
            query.push(" ORDER BY l.decided_on DESC, l.id DESC LIMIT ").push_bind(limit).push(" OFFSET ").push_bind(offset);
            let rows = query.build_query_as().fetch_all(pool).await?;
            let mut count = QueryBuilder::new("SELECT COUNT(*) FROM credit_listings l JOIN organizations o ON o.id = l.organization_id");
            push_public_where!(count, list, q);
            let (total,): (i64,) = count.build_query_as().fetch_one(pool).await?;
            (rows, total)
        });
        let items = rows
            .into_iter()
            .map(|r| {
                let list = CreditList::parse(&r.list).unwrap_or(CreditList::Abnormal);
                PublicListing {
                    notice_number: domain::credit::notice_number(list, r.decided_on, r.id),
                    organization_name: r.organization_name,
                    credit_code: r.credit_code,
                    list,
                    reason: ListingReason::parse(&r.reason).unwrap_or(ListingReason::OtherAbnormal),
                    decided_on: r.decided_on,
                    objection_pending: r.objection_status.as_deref() == Some("pending"),
                    explanation: r.explanation,
                }
            })
            .collect();
        Ok((items, total as u64))
    }

    /// The current listings of these organizations (the public lookup shows them), by organization.
    pub async fn current_public_listings(
        &self,
        organization_ids: &[i64],
    ) -> Result<Vec<(i64, PublicListing)>, sqlx::Error> {
        if organization_ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<(i64, PublicRow)> = on_pool!(self, pool => {
            let mut query = QueryBuilder::new(
                "SELECT l.organization_id, l.id, o.name AS organization_name, o.credit_code, l.list, l.reason,
                        l.decided_on, l.objection_status, l.explanation
                 FROM credit_listings l JOIN organizations o ON o.id = l.organization_id
                 WHERE l.ended_on IS NULL AND l.organization_id IN (",
            );
            let mut ids = query.separated(", ");
            for id in organization_ids {
                ids.push_bind(*id);
            }
            query.push(")");
            let rows: Vec<OwnedRow> = query.build_query_as().fetch_all(pool).await?;
            rows.into_iter().map(OwnedRow::split).collect()
        });
        Ok(rows
            .into_iter()
            .map(|(org, r)| {
                let list = CreditList::parse(&r.list).unwrap_or(CreditList::Abnormal);
                (
                    org,
                    PublicListing {
                        notice_number: domain::credit::notice_number(list, r.decided_on, r.id),
                        organization_name: r.organization_name,
                        credit_code: r.credit_code,
                        list,
                        reason: ListingReason::parse(&r.reason).unwrap_or(ListingReason::OtherAbnormal),
                        decided_on: r.decided_on,
                        objection_pending: r.objection_status.as_deref() == Some("pending"),
                        explanation: r.explanation,
                    },
                )
            })
            .collect())
    }
}

#[derive(Debug, sqlx::FromRow)]
struct OwnedRow {
    organization_id: i64,
    #[sqlx(flatten)]
    row: PublicRow,
}

impl OwnedRow {
    fn split(self) -> (i64, PublicRow) {
        (self.organization_id, self.row)
    }
}
