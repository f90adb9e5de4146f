//! The enforcement casework's demo history (`DOMAIN.md` §7): illegal-organization clues and cases since
//! 2021 with their steps and agencies, published in numbered batches — 2021's five batches carry the case
//! study's 20 suspected illegal organizations, one of them banned —; petitions received over the last two
//! years, most replied to and closed, some overdue or near due today (`enforcement_cases.rs`); penalty cases
//! with their decisions, revocations among them, so that the registry and the credit lists follow.
//!
//! The generator decides only what people did and when; every record goes through the store's own
//! functions and every step through the domain's rules (`IllegalStep::apply`, `PetitionStep::apply`,
//! `PenaltyStep::apply`), so each effect — a stage, a due date, a batch number, a decision's number, a
//! revocation, a listing — follows from records as it does in use. Deterministic; loaded once (the first
//! batch marks it loaded).

use std::time::Instant;

use anyhow::Context;
use chrono::{Datelike, Days, NaiveDate};
use domain::api::IllegalStep;
use domain::calendar::WorkCalendar;
use domain::illegal::{Agency, ClueSource};
use serde_json::json;

use super::enforcement_cases;
use crate::crypto::DataKeys;
use crate::state::today;
use crate::store::illegal::{NewClue, NewStep};
use crate::store::{Actor, AuditEntry, Store, Visibility};

/// The case study's year: 20 suspected illegal organizations published in 5 batches, 1 banned.
const CASE_STUDY_YEAR: i32 = 2021;
/// 2021's batches: the day each was published.
const BATCHES_2021: [(u32, u32); 5] = [(3, 26), (5, 28), (8, 13), (10, 22), (12, 17)];

/// Where the bodies acted (county-level divisions of Anhui).
const PLACES: [&str; 14] = [
    "340102", "340104", "340111", "340122", "340202", "340302", "340404", "340503", "340802", "341102",
    "341202", "341302", "341502", "341602",
];
const PREFIXES: [&str; 6] = ["中华", "中国", "华夏", "国际", "全球", "亚太"];
const THEMES: [&str; 10] = [
    "国学文化",
    "慈善救助",
    "养生保健",
    "收藏文化",
    "书画艺术",
    "非遗传承",
    "乡村振兴",
    "企业家",
    "红色文化",
    "教育发展",
];
const SUFFIXES: [&str; 5] = [
    "研究院安徽分院",
    "联合会安徽工作委员会",
    "促进会皖办事处",
    "协会安徽分会",
    "发展中心安徽站",
];
const ACTIVITIES: [&str; 5] = [
    "以全国性社会组织名义发展会员、收取会费并颁发牌匾",
    "举办评比表彰活动，向参评单位收取费用",
    "以“养老项目”名义向老年人推销产品、吸收资金",
    "冠以“中华”“国际”字样开展培训、颁发证书",
    "设立“分支机构”，对外招募“理事”“副会长”并收费",
];

/// Loads the history unless a batch exists already. `keys` seal the petitioners.
pub async fn load(store: &Store, keys: &DataKeys) -> anyhow::Result<()> {
    if !store.illegal_batches().await?.is_empty() {
        return Ok(());
    }
    let started = Instant::now();
    let today = today();
    let calendar = WorkCalendar::mainland_china();
    let seed = Seed {
        store,
        actor: Actor {
            user_id: None,
            name: "system".to_owned(),
            role: None,
            client_addr: "seed".to_owned(),
        },
        today,
    };
    let illegal = seed.illegal_history().await.context("illegal organizations")?;
    let petitions = enforcement_cases::petitions(store, keys, &seed.actor, today, &calendar)
        .await
        .context("petitions")?;
    let penalties = enforcement_cases::penalties(store, &seed.actor, today)
        .await
        .context("penalties")?;
    tracing::info!(
        illegal,
        petitions,
        penalties,
        ms = started.elapsed().as_millis() as u64,
        "demo enforcement casework loaded"
    );
    Ok(())
}

/// What a demo case ends as, after its batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    /// Still on the published list.
    Suspected,
    Banned,
    Dissuaded,
    /// Stopped acting: closed.
    Closed,
}

struct Seed<'a> {
    store: &'a Store,
    actor: Actor,
    today: NaiveDate,
}

impl Seed<'_> {
    /// Every year's cases and batches since the case study; how many cases.
    async fn illegal_history(&self) -> anyhow::Result<usize> {
        let mut serial = 0usize;
        // 2021: 4 cases a batch; the first batch's first case is the year's one ban.
        for (batch, (month, day)) in BATCHES_2021.iter().enumerate() {
            let published = date(CASE_STUDY_YEAR, *month, *day);
            let fates = (0..4).map(|i| match (batch, i) {
                (0, 0) => Fate::Banned,
                (4, 3) | (3, 3) => Fate::Suspected,
                (_, 2) => Fate::Closed,
                _ => Fate::Dissuaded,
            });
            self.batch(published, fates.collect(), &mut serial).await?;
        }
        // Clues of 2021 that proved to be no illegal organization.
        for i in 0..6 {
            let on = date(CASE_STUDY_YEAR, 2 + i, 10);
            let id = self.clue(&mut serial, on).await?;
            let reason = "经核查，该单位系依法登记的民办非企业单位，活动未超出登记业务范围".to_owned();
            self.step(
                id,
                IllegalStep::Close {
                    on: on + Days::new(20),
                    reason,
                },
            )
            .await?;
        }
        // One batch a year since, each with its outcomes; the last year's still partly open.
        for year in CASE_STUDY_YEAR + 1..self.today.year() {
            let fates = vec![
                if year % 2 == 1 {
                    Fate::Banned
                } else {
                    Fate::Dissuaded
                },
                Fate::Dissuaded,
                Fate::Suspected,
            ];
            self.batch(date(year, 6, 18), fates, &mut serial).await?;
        }
        // This year: fresh reports by the public and cases under investigation in Hefei and Wuhu.
        for (i, division) in ["340104", "340111", "340202"].into_iter().enumerate() {
            let on = self.today - Days::new(40 + 9 * i as u64);
            let id = self
                .clue_in(&mut serial, on, division, ClueSource::Agency)
                .await?;
            self.investigate(id, on).await?;
        }
        for (i, division) in ["340102", "340122"].into_iter().enumerate() {
            let on = self.today - Days::new(3 + 2 * i as u64);
            self.clue_in(&mut serial, on, division, ClueSource::PublicReport)
                .await?;
        }
        Ok(serial)
    }

    /// Four or three cases investigated with other agencies, published as the next batch on `published`,
    /// then each taken to its fate.
    async fn batch(&self, published: NaiveDate, fates: Vec<Fate>, serial: &mut usize) -> anyhow::Result<()> {
        let mut ids = Vec::new();
        for i in 0..fates.len() {
            let on = published - Days::new(75 - 6 * i as u64);
            let id = self.clue(serial, on).await?;
            self.investigate(id, on).await?;
            ids.push(id);
        }
        let by = self.actor.name.clone();
        let audit = |number: i64| AuditEntry {
            actor: &self.actor,
            entity_type: "illegal_batch",
            entity_id: number.to_string(),
            action: "publish",
            before: None,
            after: Some(json!({ "case_ids": ids, "published_on": published })),
            reason: None,
        };
        let number = self
            .store
            .publish_batch(&ids, published, &by, audit)
            .await
            .map_err(|e| anyhow::anyhow!("batch of {published}: {e}"))?;
        for (i, (id, fate)) in ids.iter().zip(fates).enumerate() {
            let on = (published + Days::new(30 + 7 * i as u64)).min(self.today);
            let step = match fate {
                Fate::Suspected => continue,
                Fate::Banned => IllegalStep::Ban {
                    on,
                    decision_number: format!("皖民取字〔{}〕{number}号", on.year()),
                },
                Fate::Dissuaded => IllegalStep::Dissuade {
                    on,
                    note: "约谈负责人，责令停止以社会组织名义活动；已注销网站和公众号，退还所收费用"
                        .to_owned(),
                },
                Fate::Closed => IllegalStep::Close {
                    on,
                    reason: "经回访，已停止活动、解散人员，未发现继续活动".to_owned(),
                },
            };
            self.step(*id, step).await?;
        }
        Ok(())
    }

    /// A clue in the next place, from a source that varies.
    async fn clue(&self, serial: &mut usize, on: NaiveDate) -> anyhow::Result<i64> {
        let division = PLACES[*serial % PLACES.len()];
        let source = [
            ClueSource::PublicReport,
            ClueSource::Agency,
            ClueSource::Petition,
            ClueSource::PublicReport,
            ClueSource::Inspection,
        ][*serial % 5];
        self.clue_in(serial, on, division, source).await
    }

    async fn clue_in(
        &self,
        serial: &mut usize,
        on: NaiveDate,
        division: &str,
        source: ClueSource,
    ) -> anyhow::Result<i64> {
        let n = *serial;
        *serial += 1;
        let name = format!(
            "{}{}{}",
            PREFIXES[n % PREFIXES.len()],
            THEMES[(n / 2 + n) % THEMES.len()],
            SUFFIXES[(n / 3) % SUFFIXES.len()]
        );
        let new = NewClue {
            name,
            division_code: division.to_owned(),
            address: format!(
                "{}商务楼 {} 层",
                ["金融港", "创新大厦", "财富广场", "国际商城"][n % 4],
                3 + n % 18
            ),
            activities: ACTIVITIES[n % ACTIVITIES.len()].to_owned(),
            evidence: "宣传册、收费收据、微信公众号截图".to_owned(),
            source,
            organization_id: None,
            petition_id: None,
            contact: None,
            recorded_by: self.actor.name.clone(),
        };
        let audit = |id: i64| AuditEntry {
            actor: &self.actor,
            entity_type: "illegal_case",
            entity_id: id.to_string(),
            action: "create",
            before: None,
            after: Some(
                json!({ "name": new.name, "division_code": new.division_code, "source": new.source }),
            ),
            reason: None,
        };
        Ok(self.store.insert_clue(&new, on, audit).await?)
    }

    /// The clue becomes a case, and a joint inspection with other agencies is recorded.
    async fn investigate(&self, id: i64, on: NaiveDate) -> anyhow::Result<()> {
        let note = "线索具体、指向明确，立案调查".to_owned();
        self.step(
            id,
            IllegalStep::Investigate {
                on: on + Days::new(5),
                note,
            },
        )
        .await?;
        let agencies = match id % 3 {
            0 => vec![Agency::MarketRegulation, Agency::PublicSecurity],
            1 => vec![Agency::Cyberspace, Agency::MarketRegulation],
            _ => vec![Agency::PublicSecurity, Agency::Finance],
        };
        let description = "会同有关部门现场检查活动场所，调取收费凭证和宣传材料，询问负责人".to_owned();
        let step = IllegalStep::Record {
            on: on + Days::new(19),
            agencies,
            description,
        };
        self.step(id, step).await
    }

    /// Takes `step` on case `id` as staff would: checked against the case's stage, recorded with its audit row.
    async fn step(&self, id: i64, step: IllegalStep) -> anyhow::Result<()> {
        let row = self
            .store
            .illegal_row(id, &Visibility::All)
            .await?
            .context("the case just recorded")?;
        let to = step
            .apply(row.stage(), self.today)
            .map_err(|e| anyhow::anyhow!("case {id}: {e}"))?;
        let audit = AuditEntry {
            actor: &self.actor,
            entity_type: "illegal_case",
            entity_id: id.to_string(),
            action: "step",
            before: Some(json!({ "stage": row.stage() })),
            after: Some(json!({ "stage": to, "step": step })),
            reason: None,
        };
        let new = NewStep::for_step(&step, to);
        self.store
            .step_illegal_case(&row, &new, &self.actor.name, &audit)
            .await?;
        Ok(())
    }
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a calendar date")
}
