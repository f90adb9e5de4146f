//! The draw's reads and writes: the eligible associations and the conflicts as the draw's input, the
//! drawn inspections written in the draw's transaction, the recorded list read back for a re-run, and
//! the re-runs themselves.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::division::DivisionCode;
use domain::fees::draw::{Candidate, Conflict, DrawInput, Drawn, draw, format_seed};
use domain::registry::organization::Level;
use serde_json::json;
use sqlx::QueryBuilder;

use super::CampaignRow;
use crate::store::visibility::division_prefix;
use crate::store::{Actor, AuditEntry, Store, audited, on_pool};

/// What became of a draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrawOutcome {
    Drawn {
        eligible: usize,
        drawn: usize,
    },
    /// No association is eligible (or none has enough inspectors free of conflicts).
    NothingToDraw,
    /// The campaign was drawn meanwhile.
    AlreadyDrawn,
}

/// A drawn association with the division it is registered in (the inspection's scope).
#[derive(Debug, Clone)]
pub struct DrawnInspection {
    pub drawn: Drawn,
    pub division_code: String,
}

/// How many rows one multi-row insert writes.
const CHUNK: usize = 500;

impl Store {
    /// Draws open campaign `campaign` from `seed` at `drawn_at`: reads the eligible associations and the
    /// pool's conflicts recorded by then, runs `domain::fees::draw::draw` and records the input and the
    /// list with the audit row — the one way the API and the demo data draw.
    pub async fn draw_fee_campaign(
        &self,
        campaign: &CampaignRow,
        seed: u64,
        drawn_at: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<DrawOutcome, sqlx::Error> {
        let prefix = DivisionCode::parse(&campaign.division_code)
            .map(|code| division_prefix(&code).to_owned())
            .unwrap_or_else(|_| campaign.division_code.clone());
        let eligible = self
            .fee_eligible_associations(&prefix, &campaign.levels())
            .await?;
        let input = DrawInput {
            seed,
            associations: eligible.iter().map(|(candidate, _)| candidate.clone()).collect(),
            inspectors: self
                .fee_campaign_pool(campaign.id)
                .await?
                .iter()
                .map(|i| i.id)
                .collect(),
            conflicts: self.fee_conflicts_of(campaign.id, drawn_at).await?,
            count: campaign.sample_size as u32,
            per_association: campaign.inspectors_per_association as u32,
        };
        let drawn = draw(&input);
        if drawn.is_empty() {
            return Ok(DrawOutcome::NothingToDraw);
        }
        let divisions: HashMap<i64, &String> =
            eligible.iter().map(|(c, division)| (c.id, division)).collect();
        let drawn: Vec<DrawnInspection> = drawn
            .into_iter()
            .map(|d| DrawnInspection {
                division_code: divisions
                    .get(&d.association_id)
                    .map_or_else(String::new, |s| (*s).clone()),
                drawn: d,
            })
            .collect();
        let input_json = serde_json::to_string(&input).map_err(|e| sqlx::Error::Encode(e.into()))?;
        let audit = AuditEntry {
            actor,
            entity_type: "fee_campaign",
            entity_id: campaign.id.to_string(),
            action: "draw",
            before: Some(json!({ "stage": "open" })),
            after: Some(json!({
                "stage": "drawn", "seed": format_seed(seed), "eligible": eligible.len(), "drawn": drawn.len(),
                "conflicts_excluded": input.conflicts.len(),
            })),
            reason: None,
        };
        let stored = self
            .record_fee_draw(
                campaign,
                &format_seed(seed),
                &input_json,
                eligible.len(),
                &drawn,
                drawn_at,
                &actor.name,
                &audit,
            )
            .await?;
        Ok(if stored {
            DrawOutcome::Drawn {
                eligible: eligible.len(),
                drawn: drawn.len(),
            }
        } else {
            DrawOutcome::AlreadyDrawn
        })
    }

    /// 行业协会商会 in normal status registered in the division with `prefix` and below, at one of
    /// `levels` (all when empty), keyed by credit code: the draw's eligible list.
    pub async fn fee_eligible_associations(
        &self,
        prefix: &str,
        levels: &[Level],
    ) -> Result<Vec<(Candidate, String)>, sqlx::Error> {
        on_pool!(self, pool => {
            let mut query = QueryBuilder::new(
                "SELECT id, credit_code, division_code FROM organizations
                 WHERE status = 'normal' AND (',' || categories || ',') LIKE '%,industry_association,%'",
            );
            crate::store::push_division_prefix!(query, "division_code", prefix);
            if !levels.is_empty() {
                query.push(" AND level IN (");
                let mut list = query.separated(", ");
                for level in levels {
                    list.push_bind(level.key());
                }
                query.push(")");
            }
            query.push(" ORDER BY credit_code, id");
            let rows: Vec<(i64, String, String)> = query.build_query_as().fetch_all(pool).await?;
            Ok(rows.into_iter().map(|(id, key, division)| (Candidate { key, id }, division)).collect())
        })
    }

    /// The conflicts of interest of the pool's inspectors recorded up to `until`.
    pub async fn fee_conflicts_of(
        &self,
        campaign_id: i64,
        until: DateTime<Utc>,
    ) -> Result<Vec<Conflict>, sqlx::Error> {
        let rows: Vec<(i64, i64)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT f.user_id, f.organization_id FROM fee_conflicts f
             JOIN fee_campaign_pool p ON p.user_id = f.user_id AND p.campaign_id = $1
             WHERE f.recorded_at <= $2 ORDER BY f.user_id, f.organization_id",
        ).bind(campaign_id).bind(until).fetch_all(pool).await?);
        Ok(rows
            .into_iter()
            .map(|(inspector_id, association_id)| Conflict {
                inspector_id,
                association_id,
            })
            .collect())
    }

    /// Writes the draw of open campaign `campaign`: its seed, input and eligible count, and one pending
    /// inspection per drawn association with its inspectors, in one transaction with the audit row.
    /// `false` when the campaign was drawn meanwhile.
    #[allow(clippy::too_many_arguments)]
    async fn record_fee_draw(
        &self,
        campaign: &CampaignRow,
        seed: &str,
        input_json: &str,
        eligible: usize,
        drawn: &[DrawnInspection],
        drawn_at: DateTime<Utc>,
        drawn_by: &str,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        audited!(self, tx => {
            let changed = sqlx::query(
                "UPDATE fee_campaigns SET stage = 'drawn', seed = $2, draw_input = $3, eligible = $4,
                     drawn_at = $5, drawn_by = $6, updated_at = $5
                 WHERE id = $1 AND stage = 'open'",
            )
            .bind(campaign.id).bind(seed).bind(input_json).bind(eligible as i64).bind(drawn_at).bind(drawn_by)
            .execute(&mut *tx).await?.rows_affected();
            if changed == 0 {
                return Ok(false);
            }
            for (chunk_index, chunk) in drawn.chunks(CHUNK).enumerate() {
                let mut insert = QueryBuilder::new(
                    "INSERT INTO fee_inspections (campaign_id, draw_order, organization_id, division_code, stage) ",
                );
                insert.push_values(chunk.iter().enumerate(), |mut row, (i, d)| {
                    row.push_bind(campaign.id)
                        .push_bind((chunk_index * CHUNK + i + 1) as i64)
                        .push_bind(d.drawn.association_id)
                        .push_bind(&d.division_code)
                        .push_bind("pending");
                });
                insert.build().execute(&mut *tx).await?;
            }
            let ids: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT draw_order, id FROM fee_inspections WHERE campaign_id = $1 ORDER BY draw_order",
            )
            .bind(campaign.id).fetch_all(&mut *tx).await?;
            let pairs: Vec<(i64, i64, i64)> = ids
                .iter()
                .zip(drawn)
                .flat_map(|((_, id), d)| {
                    d.drawn.inspector_ids.iter().enumerate().map(move |(p, user)| (*id, *user, p as i64 + 1))
                })
                .collect();
            for chunk in pairs.chunks(CHUNK) {
                let mut insert = QueryBuilder::new(
                    "INSERT INTO fee_inspection_inspectors (inspection_id, user_id, position) ",
                );
                insert.push_values(chunk, |mut row, (inspection, user, position)| {
                    row.push_bind(*inspection).push_bind(*user).push_bind(*position);
                });
                insert.build().execute(&mut *tx).await?;
            }
            true
        }, _ => audit)
    }

    /// The campaign's recorded draw: associations in draw order, each with its inspectors in draw order.
    pub async fn fee_drawn_list(&self, campaign_id: i64) -> Result<Vec<Drawn>, sqlx::Error> {
        let rows: Vec<(i64, Option<i64>)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT i.organization_id, x.user_id FROM fee_inspections i
             LEFT JOIN fee_inspection_inspectors x ON x.inspection_id = i.id
             WHERE i.campaign_id = $1 ORDER BY i.draw_order, x.position",
        ).bind(campaign_id).fetch_all(pool).await?);
        let mut list: Vec<Drawn> = Vec::new();
        for (association_id, inspector) in rows {
            if list.last().map(|d| d.association_id) != Some(association_id) {
                list.push(Drawn {
                    association_id,
                    inspector_ids: Vec::new(),
                });
            }
            if let (Some(last), Some(inspector)) = (list.last_mut(), inspector) {
                last.inspector_ids.push(inspector);
            }
        }
        Ok(list)
    }

    /// The campaign's pending inspections in draw order, each with its association, division and first
    /// drawn inspector (the demo data records them).
    pub async fn fee_pending_inspections(
        &self,
        campaign_id: i64,
    ) -> Result<Vec<(i64, i64, String, i64)>, sqlx::Error> {
        on_pool!(self, pool => sqlx::query_as(
            "SELECT i.id, i.organization_id, i.division_code, x.user_id FROM fee_inspections i
             JOIN fee_inspection_inspectors x ON x.inspection_id = i.id AND x.position = 1
             WHERE i.campaign_id = $1 AND i.stage = 'pending' ORDER BY i.draw_order",
        ).bind(campaign_id).fetch_all(pool).await)
    }

    /// Records a re-run of the draw and its outcome, with its audit row.
    pub async fn record_fee_verification(
        &self,
        campaign_id: i64,
        same: bool,
        drawn: usize,
        verified_by: &str,
        audit: &AuditEntry<'_>,
    ) -> Result<DateTime<Utc>, sqlx::Error> {
        let now = Utc::now();
        audited!(self, tx => {
            sqlx::query(
                "INSERT INTO fee_draw_verifications (campaign_id, same, drawn, verified_by, verified_at)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(campaign_id).bind(same).bind(drawn as i64).bind(verified_by).bind(now)
            .execute(&mut *tx).await?;
            now
        }, _ => audit)
    }

    /// The published draw: (draw order, name, credit code, inspector names in draw order).
    pub async fn fee_published_list(
        &self,
        campaign_id: i64,
    ) -> Result<Vec<(i64, String, String, Vec<String>)>, sqlx::Error> {
        let rows: Vec<(i64, String, String, Option<String>)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT i.draw_order, o.name, o.credit_code, u.display_name FROM fee_inspections i
             JOIN organizations o ON o.id = i.organization_id
             LEFT JOIN fee_inspection_inspectors x ON x.inspection_id = i.id
             LEFT JOIN users u ON u.id = x.user_id
             WHERE i.campaign_id = $1 ORDER BY i.draw_order, x.position",
        ).bind(campaign_id).fetch_all(pool).await?);
        let mut list: Vec<(i64, String, String, Vec<String>)> = Vec::new();
        for (order, name, code, inspector) in rows {
            if list.last().map(|l| l.0) != Some(order) {
                list.push((order, name, code, Vec::new()));
            }
            if let (Some(last), Some(inspector)) = (list.last_mut(), inspector) {
                last.3.push(inspector);
            }
        }
        Ok(list)
    }
}
