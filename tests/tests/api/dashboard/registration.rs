//! The registration figures, on both backends: industry associations founded this year and last, and
//! matters filed and decided through the API (two moved across the new year's midnight in China), each
//! figure checked against a count made here and against its records, for the province and for one city.

use chrono::{Datelike, NaiveDate};
use domain::api::{Dashboard, FileMatterRequest, NewOrganizationInput, ProfileChanges};
use domain::dashboard::FigureKey;
use domain::policy::Role;
use domain::registry::credit_code::{CreditCategory, CreditCode};
use domain::registry::matter::{MatterAction, MatterKind};
use domain::registry::organization::{Category, EmergingIndustry, OrgKind};
use sheguan::store::accounts::ScopeIds;
use sheguan::store::registry::organizations::OrganizationSeed;
use tests::dashboard::figure;
use tests::{Backend, TestApp, on_both_backends, spawn_app};

on_both_backends!(the_registration_figures_count_the_years_new_associations_and_decided_matters);

const PASSWORD: &str = "dashboard-registration-2026";

fn today() -> NaiveDate {
    sheguan::state::today()
}

fn on(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a valid day")
}

/// An organization in the registry: (level, division, categories, emerging industry, founded, status).
type Registered = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    NaiveDate,
    &'static str,
);

fn seed(
    serial: u64,
    (level, division, categories, emerging, founded, status): Registered,
) -> OrganizationSeed {
    OrganizationSeed {
        credit_code: CreditCode::generate(CreditCategory::SocialGroup, division, serial)
            .as_str()
            .to_owned(),
        name: format!("登记看板测试{serial}号协会"),
        kind: "social_group".to_owned(),
        level: level.to_owned(),
        division_code: division.to_owned(),
        categories: categories.to_owned(),
        emerging_industry: emerging.map(str::to_owned),
        founded_on: Some(founded),
        status: Some(status.to_owned()),
        ..Default::default()
    }
}

/// How a matter ends here.
#[derive(Clone, Copy, PartialEq)]
enum Outcome {
    Approved,
    Rejected,
    UnderReview,
}

/// A matter filed, accepted and reviewed by the first bureau account and taken to `outcome` by the second
/// (whoever filed or reviewed a matter may not decide it): its id.
async fn matter(
    (admin, approver): (&TestApp, &TestApp),
    request: FileMatterRequest,
    outcome: Outcome,
) -> i64 {
    let id = admin.file_matter(&request).await.unwrap().matter.id;
    admin.act_on_matter(id, &MatterAction::Accept).await.unwrap();
    admin.act_on_matter(id, &MatterAction::StartReview).await.unwrap();
    let last = match outcome {
        Outcome::Approved => MatterAction::Approve,
        Outcome::Rejected => MatterAction::Reject {
            reasons: vec!["材料不齐全".to_owned()],
        },
        Outcome::UnderReview => return id,
    };
    approver.act_on_matter(id, &last).await.unwrap();
    id
}

/// A matter of an organization in the registry.
fn of(organization_id: i64, kind: MatterKind) -> FileMatterRequest {
    let changes = match kind {
        MatterKind::Change => ProfileChanges {
            domicile: Some("安徽省合肥市政务区天鹅湖路 1 号".to_owned()),
            ..Default::default()
        },
        _ => ProfileChanges::default(),
    };
    FileMatterRequest {
        kind,
        organization_id: Some(organization_id),
        changes,
        establishment: None,
        note: "理事会决议".to_owned(),
    }
}

/// An establishment or 营改非 registering a new organization at `division`.
fn founding(
    kind: MatterKind,
    name: &str,
    division: &str,
    categories: Vec<Category>,
    emerging: Option<EmergingIndustry>,
) -> FileMatterRequest {
    FileMatterRequest {
        kind,
        organization_id: None,
        changes: ProfileChanges {
            name: Some(name.to_owned()),
            legal_representative: Some("李明".to_owned()),
            domicile: Some("安徽省合肥市蜀山区长江西路 100 号".to_owned()),
            business_scope: Some("行业自律、交流、培训".to_owned()),
            registered_funds: Some("30000".to_owned()),
            ..Default::default()
        },
        establishment: Some(NewOrganizationInput {
            // 营改非 registers a social service institution.
            org_kind: match kind {
                MatterKind::ForProfitConversion => OrgKind::SocialService,
                _ => OrgKind::SocialGroup,
            },
            categories,
            emerging_industry: emerging,
            division_code: division.to_owned(),
        }),
        note: String::new(),
    }
}

/// The ids of a count's records, sorted, after checking that they add up to it.
async fn record_ids(app: &TestApp, dashboard: &Dashboard, key: FigureKey) -> Vec<i64> {
    let figure = figure(dashboard, key);
    let records = app.all_figure_records(figure).await;
    assert_eq!(
        records.len() as i64,
        figure.value,
        "{key:?}: the records add up to the figure"
    );
    let page = app
        .figure_records(figure.records.as_deref().unwrap())
        .await
        .unwrap();
    assert_eq!(
        page.total as i64, figure.value,
        "{key:?}: the total is the figure"
    );
    sorted(records.iter().map(|r| r.id).collect())
}

fn sorted(mut ids: Vec<i64>) -> Vec<i64> {
    ids.sort_unstable();
    ids
}

/// A matter as counted here: (id, kind, registering division, outcome, decided this year).
type Counted = (i64, MatterKind, &'static str, Outcome, bool);

/// The provincial matters of `kinds` decided this year (`this`) or last.
fn provincial(matters: &[Counted], kinds: &[MatterKind], this: bool) -> Vec<i64> {
    let ids = matters
        .iter()
        .filter(|(_, kind, division, outcome, year)| {
            kinds.contains(kind) && *division == "340000" && *outcome != Outcome::UnderReview && *year == this
        })
        .map(|m| m.0)
        .collect();
    sorted(ids)
}

/// Moves a matter's decision to an instant, as if decided then (written in UTC as the server stores it,
/// so that SQLite's text compares in order).
async fn decided_at(app: &TestApp, id: i64, instant: &str) {
    let sql = format!("UPDATE matters SET decided_at = '{instant}' WHERE id = {id}");
    assert_eq!(app.db().await.execute(&sql).await.unwrap(), 1);
}

async fn the_registration_figures_count_the_years_new_associations_and_decided_matters(backend: Backend) {
    let app = spawn_app(backend).await;
    let year = today().year();
    let last = year - 1;
    let association = "industry_association";
    let registered: [Registered; 8] = [
        (
            "provincial",
            "340000",
            association,
            Some("new_materials"),
            on(year, 3, 1),
            "normal",
        ),
        (
            "city",
            "340100",
            "industry_association,science",
            None,
            on(year, 5, 1),
            "normal",
        ),
        ("county", "340202", association, None, on(last, 6, 1), "normal"),
        ("provincial", "340000", "science", None, on(year, 2, 1), "normal"),
        (
            "provincial",
            "340000",
            association,
            None,
            on(year, 4, 1),
            "normal",
        ),
        (
            "provincial",
            "340000",
            association,
            Some("green_food"),
            on(last, 12, 31),
            "deregistered",
        ),
        ("provincial", "340000", "charity", None, on(2015, 6, 1), "normal"),
        ("county", "340104", "charity", None, on(2015, 6, 1), "normal"),
    ];
    let seeds: Vec<_> = registered
        .iter()
        .enumerate()
        .map(|(i, r)| seed(100 + i as u64, *r))
        .collect();
    let ids = app.insert_organizations(&seeds).await;
    let (provincial_org, county_org) = (ids[6], ids[7]);
    app.add_account("admin", Role::BureauAdmin, ScopeIds::default(), PASSWORD)
        .await;
    let admin = app.signed_in_with("admin", PASSWORD).await;
    let approver = app.approver().await;
    let hands = (&admin, &approver);

    use MatterKind::*;
    use Outcome::*;
    let mut matters: Vec<Counted> = Vec::new();
    for (kind, outcome) in [
        (Change, Approved),
        (Filing, Approved),
        (ReElection, Rejected),
        (Change, UnderReview),
    ] {
        matters.push((
            matter(hands, of(provincial_org, kind), outcome).await,
            kind,
            "340000",
            outcome,
            true,
        ));
    }
    let emerging = founding(
        Establishment,
        "安徽省新材料产业协会",
        "340000",
        vec![Category::IndustryAssociation],
        Some(EmergingIndustry::NewMaterials),
    );
    matters.push((
        matter(hands, emerging, Approved).await,
        Establishment,
        "340000",
        Approved,
        true,
    ));
    let charity = founding(
        Establishment,
        "安徽省助老服务协会",
        "340000",
        vec![Category::Charity],
        None,
    );
    matters.push((
        matter(hands, charity, Rejected).await,
        Establishment,
        "340000",
        Rejected,
        true,
    ));
    matters.push((
        matter(hands, of(county_org, Change), Approved).await,
        Change,
        "340104",
        Approved,
        true,
    ));
    let conversions = [
        ("安徽省职业技能培训服务中心", "340000", Approved),
        ("合肥市康复护理服务中心", "340100", Approved),
        ("芜湖市家政培训服务中心", "340200", Rejected),
    ];
    for (name, division, outcome) in conversions {
        let request = founding(
            ForProfitConversion,
            name,
            division,
            vec![Category::CommunityService],
            None,
        );
        matters.push((
            matter(hands, request, outcome).await,
            ForProfitConversion,
            division,
            outcome,
            true,
        ));
    }
    // Two filings across the new year's midnight in China (16:00 UTC): 23:30 last year, 00:30 this year.
    for (instant, this) in [
        (format!("{last}-12-31T15:30:00+00:00"), false),
        (format!("{last}-12-31T16:30:00+00:00"), true),
    ] {
        let id = matter(hands, of(provincial_org, Filing), Approved).await;
        decided_at(&app, id, &instant).await;
        matters.push((id, Filing, "340000", Approved, this));
    }
    let deregistered = matter(hands, of(provincial_org, Deregistration), Approved).await;
    matters.push((deregistered, Deregistration, "340000", Approved, true));

    let dashboard = admin.dashboard(&format!("year={year}")).await.unwrap();
    let value = |key| {
        let f = figure(&dashboard, key);
        (f.value, f.previous)
    };

    // New industry associations this year: ids[0], ids[1], ids[4] and the association the approved
    // establishment registered (not the refused one, nor the conversions' institutions); last year ids[2]
    // and ids[5].
    let new = record_ids(&admin, &dashboard, FigureKey::NewIndustryAssociations).await;
    assert_eq!(new.len(), 4);
    assert!([ids[0], ids[1], ids[4]].iter().all(|id| new.contains(id)));
    assert_eq!(value(FigureKey::NewIndustryAssociations), (4, 2));
    let emerging_ids = record_ids(&admin, &dashboard, FigureKey::NewEmergingProvincial).await;
    assert_eq!((emerging_ids.len(), emerging_ids.contains(&ids[0])), (2, true));
    assert_eq!(value(FigureKey::NewEmergingProvincial), (2, 1));

    let five = [Establishment, Change, ReElection, Deregistration, Filing];
    let whole = provincial(&matters, &five, true);
    assert_eq!(
        record_ids(&admin, &dashboard, FigureKey::ProvincialMattersCompleted).await,
        whole
    );
    assert_eq!(
        value(FigureKey::ProvincialMattersCompleted),
        (whole.len() as i64, 1)
    );
    let parts = [
        (FigureKey::ProvincialEstablishments, Establishment),
        (FigureKey::ProvincialChanges, Change),
        (FigureKey::ProvincialReElections, ReElection),
        (FigureKey::ProvincialDeregistrations, Deregistration),
        (FigureKey::ProvincialFilings, Filing),
    ];
    let mut sum = 0;
    for (key, kind) in parts {
        let expected = provincial(&matters, &[kind], true);
        assert_eq!(record_ids(&admin, &dashboard, key).await, expected, "{key:?}");
        assert_eq!(
            value(key),
            (
                expected.len() as i64,
                provincial(&matters, &[kind], false).len() as i64
            )
        );
        sum += expected.len();
    }
    assert_eq!(sum, whole.len(), "the parts add up to the whole");
    assert_eq!(
        (
            value(FigureKey::ProvincialEstablishments),
            value(FigureKey::ProvincialFilings)
        ),
        ((2, 0), (2, 1))
    );

    let converted: Vec<i64> = matters
        .iter()
        .filter(|m| m.1 == ForProfitConversion && m.3 == Approved)
        .map(|m| m.0)
        .collect();
    assert_eq!(
        record_ids(&admin, &dashboard, FigureKey::ForProfitToNonprofit).await,
        sorted(converted)
    );
    let records = admin
        .all_figure_records(figure(&dashboard, FigureKey::ForProfitToNonprofit))
        .await;
    assert!(
        records
            .iter()
            .all(|r| r.link.as_deref() == Some(&*format!("/matters/{}", r.id)))
    );
    // The drill-down shows the decision's date in UTC (`date(decided_at)`), which is China's before 08:00.
    let decided_on = [today().pred_opt(), Some(today())];
    assert!(
        records
            .iter()
            .all(|r| decided_on.contains(&r.date) && r.detail == "营改非（准予登记）")
    );

    // Hefei: ids[1]; its conversion; no provincial matter.
    let hefei = admin
        .dashboard(&format!("year={year}&city=340100"))
        .await
        .unwrap();
    assert_eq!(
        record_ids(&admin, &hefei, FigureKey::NewIndustryAssociations).await,
        [ids[1]]
    );
    assert_eq!(figure(&hefei, FigureKey::NewEmergingProvincial).value, 0);
    assert_eq!(figure(&hefei, FigureKey::ProvincialMattersCompleted).value, 0);
    let hefei_conversion = matters.iter().find(|m| m.2 == "340100").map(|m| m.0);
    assert_eq!(
        record_ids(&admin, &hefei, FigureKey::ForProfitToNonprofit).await,
        Vec::from_iter(hefei_conversion)
    );
}
