//! The party figures, on both backends: approvals, coverage at the year's end, the latest batch and the
//! evaluations, created through the API in this year and the last, each figure checked against a count
//! made here and against its records, for the province and for one city.

use chrono::{Datelike, NaiveDate};
use domain::api::{
    ApprovalDecisionRequest, AssignRequest, Dashboard, EvaluationRequest, NewApprovalRequest,
    NewPartyBatchRequest, NewPartyRecordRequest,
};
use domain::dashboard::FigureKey;
use domain::party::{PartyInfo, PartyOrgKind, Rating};
use domain::policy::Role;
use domain::registry::credit_code::{CreditCategory, CreditCode};
use sheguan::store::accounts::ScopeIds;
use sheguan::store::registry::organizations::OrganizationSeed;
use tests::dashboard::figure;
use tests::{Backend, TestApp, on_both_backends, spawn_app};

on_both_backends!(the_party_figures_count_the_years_approvals_coverage_batches_and_evaluations);

const PASSWORD: &str = "dashboard-party-2026";

fn today() -> NaiveDate {
    sheguan::state::today()
}

fn on(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a valid day")
}

fn organization(
    serial: u64,
    level: &str,
    division: &str,
    founded_on: NaiveDate,
    status: &str,
) -> OrganizationSeed {
    OrganizationSeed {
        credit_code: CreditCode::generate(CreditCategory::SocialGroup, division, serial)
            .as_str()
            .to_owned(),
        name: format!("党建看板测试{serial}号协会"),
        kind: "social_group".to_owned(),
        level: level.to_owned(),
        division_code: division.to_owned(),
        categories: "other".to_owned(),
        founded_on: Some(founded_on),
        status: Some(status.to_owned()),
        ..Default::default()
    }
}

/// An application filed and decided by the bureau; its id.
async fn approval(
    admin: &TestApp,
    organization_id: i64,
    kind: PartyOrgKind,
    applied_on: NaiveDate,
    decided: Option<(bool, NaiveDate)>,
) -> i64 {
    let filed = admin
        .create_party_approval(&NewApprovalRequest {
            organization_id,
            kind,
            members: 5,
            joint_with: Vec::new(),
            applied_on,
            approving_body: "中共安徽省社会组织综合委员会".into(),
        })
        .await
        .unwrap();
    if let Some((approve, decided_on)) = decided {
        let note = (!approve).then(|| "党员人数不足".to_owned());
        let decision = ApprovalDecisionRequest {
            approve,
            decided_on,
            note,
        };
        admin.decide_party_approval(filed.id, &decision).await.unwrap();
    }
    filed.id
}

/// A batch numbered `number` with its term, each instructor assigned the organizations given.
async fn batch(
    admin: &TestApp,
    number: i64,
    term: (NaiveDate, NaiveDate),
    assigned: &[(i64, Vec<i64>)],
) -> i64 {
    let created = admin
        .create_party_batch(&NewPartyBatchRequest {
            number,
            term_start: term.0,
            term_end: term.1,
        })
        .await
        .unwrap();
    for (instructor, organization_ids) in assigned {
        let body = AssignRequest {
            organization_ids: organization_ids.clone(),
        };
        admin
            .assign_party_instructor(created.id, *instructor, &body)
            .await
            .unwrap();
    }
    created.id
}

async fn evaluate(admin: &TestApp, batch_id: i64, instructor: i64, rating: Rating) {
    let body = EvaluationRequest {
        rating,
        reasons: "履职尽责".into(),
        evaluated_on: today(),
    };
    admin
        .evaluate_party_instructor(batch_id, instructor, &body)
        .await
        .unwrap();
}

/// The ids of a figure's records, sorted, after checking that a count's records add up to it.
async fn record_ids(app: &TestApp, dashboard: &Dashboard, key: FigureKey) -> Vec<i64> {
    let figure = figure(dashboard, key);
    let records = app.all_figure_records(figure).await;
    let expected = figure.numerator.unwrap_or(figure.value);
    assert_eq!(
        records.len() as i64,
        expected,
        "{key:?}: the records add up to the figure"
    );
    let path = figure.records.as_deref().unwrap();
    let page = app.figure_records(path).await.unwrap();
    assert_eq!(page.total as i64, expected, "{key:?}: the total is the figure");
    let mut ids: Vec<i64> = records.iter().map(|r| r.id).collect();
    ids.sort_unstable();
    ids
}

fn sorted(mut ids: Vec<i64>) -> Vec<i64> {
    ids.sort_unstable();
    ids
}

/// (value, previous) of a figure.
fn values(dashboard: &Dashboard, key: FigureKey) -> (i64, i64) {
    let figure = figure(dashboard, key);
    (figure.value, figure.previous)
}

async fn the_party_figures_count_the_years_approvals_coverage_batches_and_evaluations(backend: Backend) {
    let app = spawn_app(backend).await;
    let year = today().year();
    let last = year - 1;
    // Provincial organizations p[0..4] founded long ago, p[4] founded this year, p[5] deregistered; c[0] a
    // county organization in Hefei, c[1] a city one in Wuhu.
    let long_ago = on(2010, 3, 1);
    let seeds = [
        organization(11, "provincial", "340000", long_ago, "normal"),
        organization(12, "provincial", "340000", long_ago, "normal"),
        organization(13, "provincial", "340000", long_ago, "normal"),
        organization(14, "provincial", "340000", long_ago, "normal"),
        organization(15, "provincial", "340000", on(year, 5, 1), "normal"),
        organization(16, "provincial", "340000", long_ago, "deregistered"),
        organization(17, "county", "340122", long_ago, "normal"),
        organization(18, "city", "340200", long_ago, "normal"),
    ];
    let ids = app.insert_organizations(&seeds).await;
    let (p, c) = (&ids[..6], &ids[6..]);
    app.add_account("admin", Role::BureauAdmin, ScopeIds::default(), PASSWORD)
        .await;
    let admin = app.signed_in_with("admin", PASSWORD).await;

    // Approvals: one last year, one applied last year and approved this year, an entity branch, a
    // refusal, one pending, and a county organization's (not provincial).
    let functional_last = approval(
        &admin,
        p[0],
        PartyOrgKind::Functional,
        on(last, 3, 1),
        Some((true, on(last, 3, 10))),
    )
    .await;
    let functional_this = approval(
        &admin,
        p[1],
        PartyOrgKind::Functional,
        on(last, 12, 20),
        Some((true, on(year, 1, 5))),
    )
    .await;
    let entity_this = approval(
        &admin,
        p[2],
        PartyOrgKind::Entity,
        on(year, 2, 1),
        Some((true, on(year, 2, 10))),
    )
    .await;
    approval(
        &admin,
        p[3],
        PartyOrgKind::Functional,
        on(year, 3, 1),
        Some((false, on(year, 3, 5))),
    )
    .await;
    approval(&admin, p[3], PartyOrgKind::Functional, on(year, 3, 20), None).await;
    approval(
        &admin,
        c[0],
        PartyOrgKind::Functional,
        on(year, 4, 1),
        Some((true, on(year, 4, 2))),
    )
    .await;
    // p[0]'s branch is dissolved this year: a liaison only from June.
    let dissolved = NewPartyRecordRequest {
        effective_on: on(year, 6, 1),
        info: PartyInfo {
            liaison: Some("张联络".into()),
            ..PartyInfo::nothing()
        },
    };
    admin.create_party_record(p[0], &dissolved).await.unwrap();

    // Instructors and batches: two ended today (evaluated), one running, one not started.
    let mut instructors = Vec::new();
    for name in [
        "instructor-a",
        "instructor-b",
        "instructor-c",
        "instructor-d",
        "instructor-e",
    ] {
        instructors.push(
            app.add_account(name, Role::Instructor, ScopeIds::default(), PASSWORD)
                .await,
        );
    }
    let [a, b, i_c, d, e] = instructors[..] else {
        unreachable!()
    };
    let first = batch(
        &admin,
        1,
        (on(last, 3, 1), today()),
        &[(a, vec![p[0], c[0]]), (b, vec![p[1]])],
    )
    .await;
    let second = batch(
        &admin,
        2,
        (on(year, 2, 1), today()),
        &[(i_c, vec![c[0]]), (d, vec![c[1]])],
    )
    .await;
    let running = (on(year, 6, 1), on(year + 1, 6, 1));
    let third = batch(&admin, 3, running, &[(a, vec![p[2]]), (d, vec![p[3], c[0]])]).await;
    batch(
        &admin,
        4,
        (on(year + 1, 2, 1), on(year + 2, 1, 31)),
        &[(e, vec![p[0]])],
    )
    .await;
    evaluate(&admin, first, a, Rating::Excellent).await;
    evaluate(&admin, first, b, Rating::Qualified).await;
    evaluate(&admin, second, i_c, Rating::Excellent).await;
    evaluate(&admin, second, d, Rating::Unqualified).await;
    // The API dates an evaluation on the term's last day at the earliest; b's is moved to last year, as if
    // the term had ended then.
    let moved = format!(
        "UPDATE party_evaluations SET evaluated_on = '{}' WHERE batch_id = {first} AND instructor_id = {b}",
        on(last, 12, 31)
    );
    assert_eq!(app.db().await.execute(&moved).await.unwrap(), 1);

    // Counted here: what each figure should be, this year and last.
    let dashboard = admin.dashboard(&format!("year={year}")).await.unwrap();
    assert_eq!(values(&dashboard, FigureKey::FunctionalBranchesApproved), (1, 1));
    assert_eq!(values(&dashboard, FigureKey::EntityBranchesApproved), (1, 0));
    assert_eq!(
        record_ids(&admin, &dashboard, FigureKey::FunctionalBranchesApproved).await,
        [functional_this]
    );
    assert_eq!(
        record_ids(&admin, &dashboard, FigureKey::EntityBranchesApproved).await,
        [entity_this]
    );
    let last_dashboard = admin.dashboard(&format!("year={last}")).await.unwrap();
    assert_eq!(
        record_ids(&admin, &last_dashboard, FigureKey::FunctionalBranchesApproved).await,
        [functional_last]
    );

    // Coverage at this year's end: p[1] and p[2] of p[0..5] (p[0] dissolved, p[5] deregistered); at last
    // year's end p[0] of p[0..4] (p[4] not founded yet).
    let coverage = figure(&dashboard, FigureKey::CoverageProvincial);
    assert_eq!((coverage.numerator, coverage.denominator), (Some(2), Some(5)));
    assert_eq!((coverage.value, coverage.previous), (40, 25));
    assert_eq!(
        record_ids(&admin, &dashboard, FigureKey::CoverageProvincial).await,
        sorted(vec![p[1], p[2]])
    );
    let last_coverage = figure(&last_dashboard, FigureKey::CoverageProvincial);
    assert_eq!(
        (last_coverage.numerator, last_coverage.denominator),
        (Some(1), Some(4))
    );

    // The latest batch started by this year's end is the third (the fourth starts next year); by last
    // year's end, the first.
    assert_eq!(values(&dashboard, FigureKey::InstructorsLatestBatch), (2, 2));
    assert_eq!(values(&dashboard, FigureKey::OrganizationsLatestBatch), (3, 3));
    assert_eq!(
        record_ids(&admin, &dashboard, FigureKey::InstructorsLatestBatch).await,
        sorted(vec![a, d])
    );
    assert_eq!(
        record_ids(&admin, &dashboard, FigureKey::OrganizationsLatestBatch).await,
        sorted(vec![p[2], p[3], c[0]])
    );
    assert_eq!(
        record_ids(&admin, &last_dashboard, FigureKey::OrganizationsLatestBatch).await,
        sorted(vec![p[0], p[1], c[0]])
    );
    let third_records = admin
        .all_figure_records(figure(&dashboard, FigureKey::OrganizationsLatestBatch))
        .await;
    assert!(
        third_records
            .iter()
            .all(|r| r.link.as_deref() == Some(&*format!("/party/organizations/{}", r.id)))
    );
    let instructor_records = admin
        .all_figure_records(figure(&dashboard, FigureKey::InstructorsLatestBatch))
        .await;
    assert!(
        instructor_records
            .iter()
            .all(|r| r.link.as_deref() == Some(&*format!("/party/batches/{third}")))
    );

    // Evaluated this year: a, c and d (b's moved to last year); 优秀: a and c.
    assert_eq!(values(&dashboard, FigureKey::InstructorsEvaluated), (3, 1));
    assert_eq!(values(&dashboard, FigureKey::InstructorsExcellent), (2, 0));
    assert_eq!(
        record_ids(&admin, &dashboard, FigureKey::InstructorsEvaluated).await,
        sorted(vec![a, i_c, d])
    );
    assert_eq!(
        record_ids(&admin, &dashboard, FigureKey::InstructorsExcellent).await,
        sorted(vec![a, i_c])
    );
    assert_eq!(
        record_ids(&admin, &last_dashboard, FigureKey::InstructorsEvaluated).await,
        [b]
    );

    // Hefei: no provincial organization; the third batch's d at c[0]; a and c evaluated after a term with
    // an organization there.
    let hefei = admin
        .dashboard(&format!("year={year}&city=340100"))
        .await
        .unwrap();
    assert_eq!(values(&hefei, FigureKey::FunctionalBranchesApproved), (0, 0));
    let hefei_coverage = figure(&hefei, FigureKey::CoverageProvincial);
    assert_eq!((hefei_coverage.value, hefei_coverage.denominator), (0, Some(0)));
    assert_eq!(
        record_ids(&admin, &hefei, FigureKey::InstructorsLatestBatch).await,
        [d]
    );
    assert_eq!(
        record_ids(&admin, &hefei, FigureKey::OrganizationsLatestBatch).await,
        [c[0]]
    );
    assert_eq!(
        record_ids(&admin, &hefei, FigureKey::InstructorsExcellent).await,
        sorted(vec![a, i_c])
    );
    assert_eq!(values(&hefei, FigureKey::InstructorsEvaluated), (2, 0));
}
