//! The impact figures, from the verified ledger: a year of entries reported by organizations and verified
//! by the bureau, with entries that must not count beside them, against counts made here.

use chrono::{Datelike, NaiveDate};
use domain::api::{ContributionInput, CreateContributionRequest, RecipientInput};
use domain::contributions::{AdmissionKind, ContributionKind, ExpoRole};
use domain::dashboard::FigureKey;
use domain::division::DivisionCode;
use domain::policy::Role;
use domain::registry::credit_code::{CreditCategory, CreditCode};
use domain::resident_id::ResidentId;
use sheguan::store::accounts::ScopeIds;
use sheguan::store::registry::organizations::OrganizationSeed;
use tests::dashboard::figure;
use tests::{Backend, TestApp, on_both_backends};

on_both_backends!(the_impact_figures_count_verified_entries_of_provincial_organizations_only);

const PASSWORD: &str = "dashboard-test-password-1";

async fn user(app: &TestApp, username: &str, role: Role, scope: ScopeIds) -> TestApp {
    app.add_account(username, role, scope, PASSWORD).await;
    app.signed_in_with(username, PASSWORD).await
}

fn entry(kind: ContributionKind, date: NaiveDate, amount_fen: i64) -> CreateContributionRequest {
    CreateContributionRequest {
        entry: ContributionInput {
            kind,
            date,
            amount_fen,
            people: (kind == ContributionKind::Employment).then_some(3),
            expo_role: (kind == ContributionKind::Expo).then_some(ExpoRole::Hosted),
            village_code: None,
            description: "测试".to_owned(),
            corrects_id: None,
            recipients: Vec::new(),
        },
        draft: false,
    }
}

fn scholarship(date: NaiveDate, children: &[(&str, u32)]) -> CreateContributionRequest {
    let mut body = entry(ContributionKind::Scholarship, date, 0);
    body.entry.recipients = children
        .iter()
        .map(|(name, serial)| RecipientInput {
            name: (*name).to_owned(),
            id_number: ResidentId::generate("340122", NaiveDate::from_ymd_opt(2007, 5, 1).unwrap(), *serial)
                .as_str()
                .to_owned(),
            school: "安徽大学".to_owned(),
            admission: AdmissionKind::Undergraduate,
            amount_fen: 400_000,
            year: date.year(),
        })
        .collect();
    body
}

/// Reports `body` as `org` and, when `verify`, has the bureau verify it; the entry's id.
async fn reported(org: &TestApp, admin: &TestApp, body: &CreateContributionRequest, verify: bool) -> i64 {
    let created = org
        .create_contribution(body)
        .await
        .expect("the entry is recorded");
    if verify {
        admin
            .verify_contribution(created.id)
            .await
            .expect("the entry is verified");
    }
    created.id
}

async fn the_impact_figures_count_verified_entries_of_provincial_organizations_only(backend: Backend) {
    let app = tests::spawn_app(backend).await;
    let orgs = [
        ("安徽省助学促进会", "provincial", "340000"),
        ("安徽省商会联合会", "provincial", "340000"),
        ("合肥市会展协会", "city", "340100"),
    ];
    let seeds: Vec<OrganizationSeed> = orgs
        .iter()
        .enumerate()
        .map(|(i, (name, level, division))| OrganizationSeed {
            credit_code: CreditCode::generate(CreditCategory::SocialGroup, division, 700 + i as u64)
                .as_str()
                .to_owned(),
            name: (*name).to_owned(),
            kind: "social_group".to_owned(),
            level: (*level).to_owned(),
            division_code: (*division).to_owned(),
            ..Default::default()
        })
        .collect();
    let ids = app.insert_organizations(&seeds).await;
    let admin = user(&app, "admin", Role::BureauAdmin, ScopeIds::default()).await;
    let org = |i: usize| ScopeIds {
        organization_id: Some(ids[i]),
        ..ScopeIds::default()
    };
    let (a, b, c) = (
        user(&app, "org-a", Role::OrgUser, org(0)).await,
        user(&app, "org-b", Role::OrgUser, org(1)).await,
        user(&app, "org-c", Role::OrgUser, org(2)).await,
    );
    let hefei = user(
        &app,
        "hefei",
        Role::LocalStaff,
        ScopeIds {
            division_code: DivisionCode::parse("340100").ok(),
            ..ScopeIds::default()
        },
    )
    .await;

    let today = sheguan::state::today();
    let year = today.year();
    let this_year = NaiveDate::from_ymd_opt(year, 1, 15).unwrap().min(today);
    let last_year = NaiveDate::from_ymd_opt(year - 1, 6, 1).unwrap();

    // Counted: provincial, verified, of the year.
    let expo = reported(&a, &admin, &entry(ContributionKind::Expo, this_year, 0), true).await;
    let investment = reported(
        &a,
        &admin,
        &entry(ContributionKind::Investment, this_year, 1_000_000),
        true,
    )
    .await;
    let funds = reported(
        &b,
        &admin,
        &entry(ContributionKind::RuralFunds, this_year, 300_000),
        true,
    )
    .await;
    let goods = reported(
        &a,
        &admin,
        &entry(ContributionKind::RuralGoods, this_year, 200_000),
        true,
    )
    .await;
    let s1 = reported(&a, &admin, &scholarship(this_year, &[("张小明", 11)]), true).await;
    // The same child again (from another organization) is one student.
    let s2 = reported(
        &b,
        &admin,
        &scholarship(this_year, &[("张小明", 11), ("李小红", 12)]),
        true,
    )
    .await;
    // Not counted: waiting for verification, another kind, a city organization, the year before.
    reported(&a, &admin, &entry(ContributionKind::Expo, this_year, 0), false).await;
    reported(
        &a,
        &admin,
        &entry(ContributionKind::Employment, this_year, 0),
        true,
    )
    .await;
    reported(&c, &admin, &entry(ContributionKind::Expo, this_year, 0), true).await;
    reported(
        &c,
        &admin,
        &entry(ContributionKind::Investment, this_year, 9_000_000),
        true,
    )
    .await;
    reported(
        &a,
        &admin,
        &entry(ContributionKind::Investment, last_year, 500_000),
        true,
    )
    .await;

    let dashboard = admin.dashboard(&format!("year={year}")).await.unwrap();
    assert_eq!((dashboard.year, dashboard.place.as_str()), (year, "安徽省"));
    let value = |key| figure(&dashboard, key).value;
    assert_eq!(value(FigureKey::Expos), 1);
    assert_eq!(value(FigureKey::Investment), 1_000_000);
    assert_eq!(figure(&dashboard, FigureKey::Investment).previous, 500_000);
    assert_eq!(value(FigureKey::RuralAidProvincial), 500_000);
    assert_eq!(value(FigureKey::ScholarshipStudents), 2);
    assert_eq!(value(FigureKey::ScholarshipOrganizations), 2);

    // The records behind each figure are exactly the entries counted.
    let ids_of = |records: Vec<domain::api::FigureRecord>| {
        let mut ids: Vec<i64> = records.iter().map(|r| r.id).collect();
        ids.sort();
        ids
    };
    let expos = admin
        .all_figure_records(figure(&dashboard, FigureKey::Expos))
        .await;
    assert_eq!(ids_of(expos.clone()), vec![expo]);
    assert_eq!(
        expos[0].link.as_deref(),
        Some(format!("/contributions/{expo}").as_str())
    );
    let aid = admin
        .all_figure_records(figure(&dashboard, FigureKey::RuralAidProvincial))
        .await;
    let mut expected = vec![funds, goods];
    expected.sort();
    assert_eq!(ids_of(aid.clone()), expected);
    assert_eq!(aid.iter().filter_map(|r| r.amount).sum::<i64>(), 500_000);
    let investments = admin
        .all_figure_records(figure(&dashboard, FigureKey::Investment))
        .await;
    assert_eq!(ids_of(investments), vec![investment]);
    let students = admin
        .all_figure_records(figure(&dashboard, FigureKey::ScholarshipStudents))
        .await;
    assert_eq!(students.len(), 2);
    assert!(
        students
            .iter()
            .all(|s| !s.title.contains("小明") && !s.title.contains("小红")),
        "names are masked"
    );
    let organizations = admin
        .all_figure_records(figure(&dashboard, FigureKey::ScholarshipOrganizations))
        .await;
    assert_eq!(ids_of(organizations), vec![ids[0], ids[1]]);
    assert!(s1 != s2);

    // The year before shows only its own entry; a city's dashboard has no provincial entries.
    let before = admin.dashboard(&format!("year={}", year - 1)).await.unwrap();
    assert_eq!(figure(&before, FigureKey::Investment).value, 500_000);
    assert_eq!(figure(&before, FigureKey::Expos).value, 0);
    let hefei_view = hefei.dashboard(&format!("year={year}&city=340200")).await;
    assert_eq!(hefei_view.unwrap_err().0, reqwest::StatusCode::NOT_FOUND);
    let hefei_view = hefei.dashboard(&format!("year={year}")).await.unwrap();
    assert_eq!(
        (hefei_view.city.as_deref(), hefei_view.place.as_str()),
        (Some("340100"), "合肥市")
    );
    assert_eq!(figure(&hefei_view, FigureKey::Expos).value, 0);

    // The report says the same figures; the public page shows aggregates without records.
    let report = admin.annual_work_report(year, "").await.unwrap();
    let impact: String = report.sections[3].sentences.concat();
    assert!(impact.contains("会展活动1场次"), "{impact}");
    assert!(impact.contains("2家社会组织为2名"), "{impact}");
    let public = app.public_dashboard(&format!("year={year}")).await.unwrap();
    assert!(public.figures.iter().all(|f| f.records.is_none()));
    assert_eq!(figure(&public, FigureKey::Expos).value, 1);
}
