//! The store suite: every store method, on SQLite always and on PostgreSQL when `TEST_POSTGRES_URL` is set.

use domain::division::DivisionCode;
use domain::paging::PageRequest;
use domain::village::VillageKind;
use sheguan::store::{Store, VillageFilter};
use tests::{Backend, TestDatabase, on_both_backends};

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
