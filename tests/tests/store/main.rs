//! The store suite: every store method, on SQLite always and on PostgreSQL when `TEST_POSTGRES_URL` is set.

use domain::division::DivisionCode;
use domain::paging::PageRequest;
use domain::registry::credit_code::{CreditCategory, CreditCode};
use domain::villages::VillageKind;
use sheguan::store::registry::organizations::OrganizationSeed;
use sheguan::store::registry::{OrgFilter, OrgSort};
use sheguan::store::{Store, VillageFilter, Visibility};

use tests::{Backend, Db, TestDatabase, on_both_backends};

mod schema;

/// A migrated store with the reference data loaded, and the database that must outlive it.
async fn store(backend: &Backend) -> (Store, TestDatabase) {
    let database = TestDatabase::create(backend).await;
    let store = Store::connect(&database.url).await.unwrap();
    store.migrate().await.unwrap();
    sheguan::seed::load_reference_data(&store).await.unwrap();
    (store, database)
}

on_both_backends!(
    reference_data_is_loaded_once_however_often_it_is_loaded,
    migrations_can_run_twice,
    villages_filter_by_city_county_kind_and_name,
    village_pages_do_not_overlap,
    a_registry_change_by_any_writer_is_in_the_next_list,
    the_audit_chain_names_the_first_row_changed_behind_the_applications_back,
);

async fn reference_data_is_loaded_once_however_often_it_is_loaded(backend: Backend) {
    let (store, _db) = store(&backend).await;

    sheguan::seed::load_reference_data(&store).await.unwrap();
    let counts = store.reference_counts().await.unwrap();

    assert_eq!(
        (counts.cities, counts.counties, counts.villages),
        (16, 119, 18_334)
    );
}

async fn migrations_can_run_twice(backend: Backend) {
    let (store, _db) = store(&backend).await;

    store.migrate().await.unwrap();

    store.ping().await.unwrap();
}

async fn villages_filter_by_city_county_kind_and_name(backend: Backend) {
    let (store, _db) = store(&backend).await;
    let code = |c: &str| Some(DivisionCode::parse(c).unwrap());

    let (in_city, city_total) = store
        .list_villages(
            &VillageFilter {
                city: code("340100"),
                ..Default::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    let (communities, _) = store
        .list_villages(
            &VillageFilter {
                county: code("340102"),
                kind: Some(VillageKind::Community),
                ..Default::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    let (named, named_total) = store
        .list_villages(
            &VillageFilter {
                name: Some("凤凰".to_owned()),
                ..Default::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();

    assert!(city_total > 1000);
    assert!(in_city.iter().all(|v| v.city_code == "340100"));
    assert!(!communities.is_empty());
    assert!(
        communities
            .iter()
            .all(|v| v.county_code == "340102" && v.kind == VillageKind::Community)
    );
    assert!(named_total >= named.len() as u64 && !named.is_empty());
    assert!(named.iter().all(|v| v.name.contains("凤凰")));
}

async fn village_pages_do_not_overlap(backend: Backend) {
    let (store, _db) = store(&backend).await;
    let filter = VillageFilter {
        county: Some(DivisionCode::parse("340122").unwrap()),
        ..Default::default()
    };

    let (first, total) = store
        .list_villages(&filter, PageRequest::new(Some(1), Some(50)).unwrap())
        .await
        .unwrap();
    let (second, _) = store
        .list_villages(&filter, PageRequest::new(Some(2), Some(50)).unwrap())
        .await
        .unwrap();

    assert!(total > 100);
    assert_eq!(first.len(), 50);
    assert!(first.last().unwrap().code < second.first().unwrap().code);
}

/// The registry's in-memory index never answers from before a change: a second server on the same
/// database (or any SQL at all) renames or removes an organization, and the first server's next list
/// shows it.
async fn a_registry_change_by_any_writer_is_in_the_next_list(backend: Backend) {
    let (first, database) = store(&backend).await;
    let second = Store::connect(&database.url).await.unwrap();
    let code = CreditCode::generate(CreditCategory::SocialGroup, "340104", 7);
    second
        .insert_organizations(&[OrganizationSeed {
            credit_code: code.as_str().to_owned(),
            name: "合肥市蜀山区围棋协会".to_owned(),
            kind: "social_group".to_owned(),
            level: "county".to_owned(),
            division_code: "340104".to_owned(),
            categories: "other".to_owned(),
            emerging_industry: None,
            supervisory_unit: None,
            legal_representative: None,
            founded_on: None,
            registered_funds_fen: None,
            domicile: None,
            business_scope: None,
            contact_phone: None,
            status: None,
        }])
        .await
        .unwrap();
    let names = |q: &str| {
        let filter = OrgFilter {
            q: Some(q.to_owned()),
            ..OrgFilter::default()
        };
        let first = first.clone();
        async move {
            let (rows, total) = first
                .list_organizations(
                    &Visibility::All,
                    &filter,
                    OrgSort::Name,
                    false,
                    PageRequest::default(),
                )
                .await
                .unwrap();
            assert_eq!(rows.len() as u64, total);
            rows.into_iter().map(|r| r.name).collect::<Vec<_>>()
        }
    };
    assert_eq!(names("围棋").await, ["合肥市蜀山区围棋协会"]);
    let built = first.registry_index_updates();

    // The changed row alone is read and patched in: no table scan.
    let sql = Db::connect(&database.url).await;
    sql.execute(
        "UPDATE organizations SET name = '合肥市蜀山区棋类运动协会' WHERE name = '合肥市蜀山区围棋协会'",
    )
    .await
    .unwrap();
    assert!(names("围棋").await.is_empty(), "the old name is gone at once");
    assert_eq!(names("棋类").await, ["合肥市蜀山区棋类运动协会"]);
    let found = first.lookup_organizations(code.as_str(), 10).await.unwrap();
    assert_eq!(found.len(), 1, "the public lookup finds it by its credit code");
    let patched = first.registry_index_updates();
    assert_eq!(
        (patched.rebuilds, patched.patches),
        (built.rebuilds, built.patches + 1),
        "one patch, no rebuild"
    );

    // A change to a field the index does not read (the domicile) logs nothing and moves nothing.
    sql.execute("UPDATE organizations SET domicile = '合肥市蜀山区黄山路 1 号'")
        .await
        .unwrap();
    assert_eq!(names("棋类").await.len(), 1);
    assert_eq!(first.registry_index_updates(), patched);

    // A server further behind than the log reaches rebuilds from the table.
    sql.execute(
        "UPDATE organizations SET name = '合肥市蜀山区国际象棋协会' WHERE name = '合肥市蜀山区棋类运动协会'",
    )
    .await
    .unwrap();
    sql.execute("UPDATE registry_generation SET kept_from = generation")
        .await
        .unwrap();
    assert_eq!(names("象棋").await, ["合肥市蜀山区国际象棋协会"]);
    assert_eq!(first.registry_index_updates().rebuilds, patched.rebuilds + 1);

    // A database restored from a backup may carry an earlier generation than the index has seen.
    sql.execute(
        "UPDATE organizations SET name = '合肥市蜀山区象棋协会' WHERE name = '合肥市蜀山区国际象棋协会'",
    )
    .await
    .unwrap();
    sql.execute("UPDATE registry_generation SET generation = 1")
        .await
        .unwrap();
    assert_eq!(names("象棋").await, ["合肥市蜀山区象棋协会"]);

    sql.execute("DELETE FROM organization_events").await.unwrap();
    sql.execute("DELETE FROM organizations").await.unwrap();
    assert!(
        names("棋类").await.is_empty(),
        "a removed organization is gone at once"
    );
}

async fn the_audit_chain_names_the_first_row_changed_behind_the_applications_back(backend: Backend) {
    use sheguan::store::{Actor, AuditEntry};
    let (store, database) = store(&backend).await;
    let actor = Actor {
        user_id: None,
        name: "审计测试".to_owned(),
        role: None,
        client_addr: "127.0.0.1".to_owned(),
    };
    // Parallel appends take turns on the chain's head: every row links to the one before it.
    let appends = (0..20).map(|i| {
        let (store, actor) = (store.clone(), actor.clone());
        tokio::spawn(async move {
            let entry = AuditEntry {
                actor: &actor,
                entity_type: "organization",
                entity_id: i.to_string(),
                action: "update",
                before: Some(serde_json::json!({ "name": "甲" })),
                after: Some(serde_json::json!({ "name": format!("乙{i}") })),
                reason: Some("测试".to_owned()),
            };
            store.record_audit(&entry).await.unwrap()
        })
    });
    for append in appends.collect::<Vec<_>>() {
        append.await.unwrap();
    }
    let report = store.verify_audit_chain().await.unwrap();
    assert!(report.holds(), "{report:?}");
    assert_eq!(report.verified, 20);

    // Someone with the database in hand lifts the append-only guard and edits the 8th row.
    let db = Db::connect(&database.url).await;
    let guard_off = match backend {
        Backend::Sqlite => "DROP TRIGGER audit_log_no_update",
        Backend::Postgres(_) => "ALTER TABLE audit_log DISABLE TRIGGER USER",
    };
    db.execute(guard_off).await.unwrap();
    let eighth = db
        .count("SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 7")
        .await;
    db.execute(&format!("UPDATE audit_log SET reason = '无' WHERE id = {eighth}"))
        .await
        .unwrap();
    let report = store.verify_audit_chain().await.unwrap();
    assert_eq!(report.broken.map(|(id, _)| id), Some(eighth));
    assert_eq!(report.verified, 7);

    // Put back, the log holds again; cutting off the last row shows at the head.
    db.execute(&format!(
        "UPDATE audit_log SET reason = '测试' WHERE id = {eighth}"
    ))
    .await
    .unwrap();
    assert!(store.verify_audit_chain().await.unwrap().holds());
    if matches!(backend, Backend::Sqlite) {
        db.execute("DROP TRIGGER audit_log_no_delete").await.unwrap();
    }
    db.execute("DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)")
        .await
        .unwrap();
    let report = store.verify_audit_chain().await.unwrap();
    assert!(report.broken.is_some_and(|(_, why)| why.contains("末尾")));
}
