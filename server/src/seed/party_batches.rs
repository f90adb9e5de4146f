//! The instructors' batches of the party-building demo history: a pool of instructor accounts, seven
//! numbered batches of two-year terms — the third evaluated in July of the case year (10 instructors, 8
//! rated 优秀), the fifth dispatched that year (12 instructors, 50 organizations), the seventh running now
//! with `demo-instructor` among its instructors — each instructor's organizations, visits every month or
//! two, and the evaluations of every batch whose term has ended.

use chrono::{Datelike, Days, NaiveDate};
use domain::party::{Rating, Term};
use domain::policy::Role;

use super::party::{day, roll};
use crate::auth::password;
use crate::store::accounts::{NewUser, ScopeIds};
use crate::store::inspection::SeedOrganization;
use crate::store::party::seed::SeedBatch;
use crate::store::{Actor, AuditEntry, Store};

/// (number, term start, term end or `None` for "the end of next year", instructors, organizations, pool
/// offset, 优秀 aimed at when the generator would otherwise roll the ratings).
type Plan = (
    i64,
    NaiveDate,
    Option<NaiveDate>,
    usize,
    usize,
    usize,
    Option<usize>,
);

/// The batches. The third and the fifth carry the case study's figures.
fn plans(today: NaiveDate) -> [Plan; 7] {
    [
        (1, day(2016, 7, 1), Some(day(2018, 6, 30)), 8, 30, 0, None),
        (2, day(2018, 7, 1), Some(day(2020, 6, 30)), 9, 36, 8, None),
        (3, day(2019, 7, 1), Some(day(2021, 6, 30)), 10, 40, 17, Some(8)),
        (4, day(2020, 7, 1), Some(day(2022, 6, 30)), 11, 44, 27, None),
        (5, day(2021, 7, 1), Some(day(2023, 6, 30)), 12, 50, 0, None),
        (6, day(2023, 7, 1), Some(day(2025, 6, 30)), 12, 48, 12, None),
        (7, day(today.year(), 1, 1), None, 11, 44, 24, None),
    ]
}

/// The instructor accounts the batches draw on (besides `demo-instructor`).
const POOL: usize = 38;

const NOTES: [&str; 8] = [
    "指导落实“三会一课”制度，检查会议记录",
    "讲授专题党课，组织学习党的创新理论",
    "指导支部换届选举准备工作",
    "了解党员发展和组织关系情况，督促按期缴纳党费",
    "指导组建工会、共青团组织，扩大党的工作覆盖",
    "协助制定年度党建工作计划",
    "调研党建与业务融合情况，提出改进建议",
    "指导开展主题党日活动",
];

/// The batches with everything that happened in them.
pub async fn batches(
    store: &Store,
    organizations: &[SeedOrganization],
    today: NaiveDate,
) -> anyhow::Result<Vec<SeedBatch>> {
    let pool = instructor_pool(store).await?;
    let demo_instructor = store.find_user_for_login("demo-instructor").await?.map(|u| u.id);
    // The demo instructor keeps the organizations its account was given; nobody else gets them now.
    let demo_orgs = match demo_instructor {
        Some(id) => store.instructor_organizations(id).await?,
        None => Vec::new(),
    };
    let mut candidates: Vec<&SeedOrganization> = organizations
        .iter()
        .filter(|o| o.level == "provincial" && o.status == "normal" && !demo_orgs.contains(&o.id))
        .collect();
    let mut batches = Vec::new();
    for (number, start, end, instructors, count, offset, excellent) in plans(today) {
        let end = end.unwrap_or(day(today.year() + 1, 12, 31));
        let term = Term { start, end };
        candidates.sort_by_key(|o| roll(o.id, 100 + number as u64));
        let mut people: Vec<i64> = pool.iter().skip(offset).take(instructors).copied().collect();
        let mut assignments: Vec<(i64, i64, String)> = candidates
            .iter()
            .take(count)
            .enumerate()
            .map(|(i, o)| (people[i % people.len()], o.id, o.division_code.clone()))
            .collect();
        if end >= today
            && let Some(id) = demo_instructor
        {
            people.push(id);
            for org in organizations.iter().filter(|o| demo_orgs.contains(&o.id)) {
                assignments.push((id, org.id, org.division_code.clone()));
            }
        }
        let visits = visits(&assignments, term, today);
        let evaluations = if end < today {
            evaluations(&people, term, excellent)
        } else {
            Vec::new()
        };
        batches.push(SeedBatch {
            number,
            term,
            assignments,
            visits,
            evaluations,
        });
    }
    Ok(batches)
}

/// Visits every 40 to 80 days through the term (up to yesterday).
fn visits(
    assignments: &[(i64, i64, String)],
    term: Term,
    today: NaiveDate,
) -> Vec<(i64, i64, String, NaiveDate, String)> {
    let last = term.end.min(today - Days::new(1));
    let mut visits = Vec::new();
    for (instructor, org, division) in assignments {
        let mut r = roll(*org, *instructor as u64);
        let mut on = term.start + Days::new(5 + r % 30);
        while on <= last {
            let note = NOTES[(r % NOTES.len() as u64) as usize].to_owned();
            visits.push((*instructor, *org, division.clone(), on, note));
            r = roll(r as i64, 7);
            on = on + Days::new(40 + r % 41);
        }
    }
    visits
}

/// Ratings a fortnight after the term: `excellent` of them 优秀 and the rest 合格 when aimed at, rolled
/// otherwise (mostly 优秀 or 合格, now and then 不合格).
fn evaluations(
    people: &[i64],
    term: Term,
    excellent: Option<usize>,
) -> Vec<(i64, Rating, String, NaiveDate)> {
    let on = term.end + Days::new(15);
    people
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let rating = match excellent {
                Some(n) if i < n => Rating::Excellent,
                Some(_) => Rating::Qualified,
                None => match roll(*id, term.start.num_days_from_ce() as u64) % 10 {
                    0..6 => Rating::Excellent,
                    6..9 => Rating::Qualified,
                    _ => Rating::Unqualified,
                },
            };
            let reasons = match rating {
                Rating::Excellent => "履职尽责，指导所联系社会组织规范开展组织生活，工作成效显著",
                Rating::Qualified => "能够按要求开展走访指导，完成任期工作任务",
                Rating::Unqualified => "走访指导次数不足，未完成任期工作任务",
            };
            (*id, rating, reasons.to_owned(), on)
        })
        .collect()
}

/// The pool of instructor accounts (`instructor-01` …), created once with the demo password.
async fn instructor_pool(store: &Store) -> anyhow::Result<Vec<i64>> {
    let system = Actor {
        user_id: None,
        name: "system".to_owned(),
        role: None,
        client_addr: "seed".to_owned(),
    };
    let mut hash = None;
    let mut ids = Vec::with_capacity(POOL);
    for i in 1..=POOL {
        let username = format!("instructor-{i:02}");
        if let Some(user) = store.find_user_for_login(&username).await? {
            ids.push(user.id);
            continue;
        }
        let password_hash = match &hash {
            Some(hash) => String::clone(hash),
            None => hash
                .insert(password::hash(super::demo::demo_password()).await?)
                .clone(),
        };
        let display_name = format!("{}（党建指导员）", name_of(i));
        let user = NewUser {
            username: username.clone(),
            display_name,
            phone: None,
            password_hash,
            role: Role::Instructor,
            scope: ScopeIds::default(),
            must_change_password: false,
            is_demo: true,
        };
        let id = store
            .create_user(&user, |id| AuditEntry {
                actor: &system,
                entity_type: "user",
                entity_id: id.to_string(),
                action: "create",
                before: None,
                after: Some(
                    serde_json::json!({ "username": username, "role": Role::Instructor, "demo": true }),
                ),
                reason: Some("演示数据".to_owned()),
            })
            .await?;
        ids.push(id);
    }
    Ok(ids)
}

/// A Chinese name for pool member `i`.
fn name_of(i: usize) -> String {
    const SURNAMES: [&str; 19] = [
        "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何",
        "高", "林",
    ];
    const GIVEN: [&str; 13] = [
        "建国", "晓燕", "志刚", "文华", "红梅", "立新", "春雷", "玉兰", "振华", "海涛", "丽萍", "国平",
        "雪梅",
    ];
    let r = roll(i as i64, 9);
    format!(
        "{}{}",
        SURNAMES[i % SURNAMES.len()],
        GIVEN[(r % GIVEN.len() as u64) as usize]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_case_years_batches_are_as_aimed() {
        let plans = plans(day(2026, 12, 6));
        let third = plans.iter().find(|p| p.0 == 3).unwrap();
        assert_eq!((third.3, third.6), (10, Some(8)));
        assert_eq!(third.2.map(|end| end + Days::new(15)), Some(day(2021, 7, 15)));
        let fifth = plans.iter().find(|p| p.0 == 5).unwrap();
        assert_eq!((fifth.1.year(), fifth.3, fifth.4), (2021, 12, 50));
        // Overlapping terms never share an instructor.
        for a in &plans {
            for b in &plans {
                let (a_end, b_end) = (a.2.unwrap_or(day(2027, 12, 31)), b.2.unwrap_or(day(2027, 12, 31)));
                if a.0 < b.0 && b.1 <= a_end && a.1 <= b_end {
                    let (a_ids, b_ids) = (a.5..a.5 + a.3, b.5..b.5 + b.3);
                    assert!(
                        a_ids.end <= b_ids.start || b_ids.end <= a_ids.start,
                        "{} and {}",
                        a.0,
                        b.0
                    );
                }
            }
        }
        assert!(plans.iter().all(|p| p.5 + p.3 <= POOL));
    }
}
