//! Divisions and villages: the reference data every module points at, and the envelope of list queries.

use domain::api::ErrorCode;
use domain::villages::VillageKind;
use reqwest::StatusCode;
use tests::{Backend, on_both_backends, spawn_app};

on_both_backends!(
    the_division_tree_has_sixteen_cities_and_their_counties,
    villages_are_filtered_by_county_and_searched_by_name,
    villages_are_filtered_by_kind_and_paged_with_a_total,
    wildcards_in_a_village_search_match_literally,
);
async fn the_division_tree_has_sixteen_cities_and_their_counties(backend: Backend) {
    let app = spawn_app(backend).await;

    let tree = app.list_divisions().await.unwrap();

    assert_eq!(tree.province_code, "340000");
    assert_eq!(tree.cities.len(), 16);
    assert_eq!(tree.cities.iter().map(|c| c.counties.len()).sum::<usize>(), 119);
    let hefei = tree.cities.iter().find(|c| c.name == "合肥市").expect("合肥市");
    assert!(
        hefei
            .counties
            .iter()
            .any(|c| c.code == "340122" && c.name == "肥东县")
    );
    assert!(hefei.counties.iter().all(|c| c.code.starts_with("3401")));
}

async fn villages_are_filtered_by_county_and_searched_by_name(backend: Backend) {
    let app = spawn_app(backend).await;

    let page = app
        .list_villages("city=340100&county=340122&q=%E5%BA%97")
        .await
        .unwrap();

    assert!(page.total > 0);
    assert_eq!(page.items.len() as u64, page.total.min(20));
    for village in &page.items {
        assert!(village.name.contains('店'), "{}", village.name);
        assert_eq!(village.county_name, "肥东县");
        assert_eq!(village.city_name, "合肥市");
    }
    assert!(page.items.iter().any(|v| v.name == "半店社区村民委员会"));
}

async fn villages_are_filtered_by_kind_and_paged_with_a_total(backend: Backend) {
    let app = spawn_app(backend).await;

    let all = app.list_villages("kind=village&per_page=100").await.unwrap();
    let third = app
        .list_villages("kind=village&per_page=100&page=3")
        .await
        .unwrap();

    assert_eq!(all.total, 13_360);
    assert_eq!(all.items.len(), 100);
    assert!(all.items.iter().all(|v| v.kind == VillageKind::Village));
    assert_eq!(third.page, 3);
    assert_eq!(third.total, 13_360);
    assert!(
        third.items[0].code > all.items[99].code,
        "pages follow code order"
    );
}

async fn wildcards_in_a_village_search_match_literally(backend: Backend) {
    let app = spawn_app(backend).await;

    let percent = app.list_villages("q=%25").await.unwrap();
    let underscore = app.list_villages("q=_").await.unwrap();

    assert_eq!(percent.total, 0);
    assert_eq!(underscore.total, 0);
}

#[tokio::test]
async fn an_oversized_page_is_refused_naming_per_page() {
    let app = spawn_app(Backend::Sqlite).await;

    let (status, error) = app.list_villages("per_page=500").await.unwrap_err();

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error.error.code, ErrorCode::Validation);
    assert!(error.field_message("per_page").unwrap().contains("1 到 100"));
}

#[tokio::test]
async fn an_unreadable_query_parameter_answers_400_in_the_envelope() {
    let app = spawn_app(Backend::Sqlite).await;

    let (status, error) = app.list_villages("page=abc").await.unwrap_err();

    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error.error.code, ErrorCode::BadRequest);
    assert!(error.field_message("page").is_some());
}

#[tokio::test]
async fn a_county_code_in_the_city_filter_is_refused() {
    let app = spawn_app(Backend::Sqlite).await;

    let (status, error) = app.list_villages("city=340122").await.unwrap_err();

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error.field_message("city").unwrap().contains("城市"));
}
