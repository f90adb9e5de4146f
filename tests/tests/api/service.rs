//! The service itself: health, the error envelope of unknown routes, security headers, the API document and
//! the app's bundles.

use domain::api::{ErrorCode, Health};
use reqwest::StatusCode;
use tests::{Backend, TestApp, decode, on_both_backends, spawn_app, spawn_app_with};

on_both_backends!(
    readyz_names_the_database_backend,
    metrics_are_for_the_token_holder_and_count_routes_sign_ins_and_backlogs
);

async fn readyz_names_the_database_backend(backend: Backend) {
    let expected = match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres(_) => "postgres",
    };
    let app = spawn_app(backend).await;

    let health: Health = app.get_json("/readyz").await.unwrap();

    assert_eq!(health.status, "ok");
    assert_eq!(health.database.as_deref(), Some(expected));
    let live: Health = app.get_json("/healthz").await.unwrap();
    assert_eq!(live.status, "ok");
}

#[tokio::test]
async fn unknown_api_routes_and_methods_answer_in_the_envelope() {
    let app = spawn_app(Backend::Sqlite).await;

    let (status, error) = decode::<serde_json::Value>(app.get("/api/v1/nothing-here").await)
        .await
        .unwrap_err();
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error.error.code, ErrorCode::NotFound);

    // As the app sends it (same-origin JSON), or the forgery defence would refuse it first.
    let response = app
        .client
        .delete(app.url("/api/v1/villages"))
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    let (status, error) = decode::<serde_json::Value>(response).await.unwrap_err();
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(error.error.code, ErrorCode::MethodNotAllowed);
}

/// A request the API cannot read answers in the envelope, naming what it could not read, with a status
/// the operation's entry in the document lists: a path parameter that is not a number (or past `i64`),
/// and a JSON body past the size limit.
#[tokio::test]
async fn unreadable_paths_and_bodies_answer_in_the_envelope_with_statuses_the_document_lists() {
    let app = spawn_app(Backend::Sqlite).await;
    let password = "河流-山川-2026";
    let scope = sheguan::store::accounts::ScopeIds::default();
    app.add_account("admin", domain::policy::Role::BureauAdmin, scope, password)
        .await;
    let admin = app.signed_in_with("admin", password).await;

    for (path, field) in [
        ("/api/v1/users/abc", "id"),
        ("/api/v1/users/9223372036854775808", "id"),
        ("/api/v1/contributions/1/evidence/1.5", "evidence_id"),
    ] {
        let (status, error) = decode::<serde_json::Value>(admin.get(path).await)
            .await
            .unwrap_err();
        assert_eq!(
            (status, error.error.code),
            (StatusCode::BAD_REQUEST, ErrorCode::BadRequest),
            "{path}"
        );
        assert!(error.field_message(field).is_some(), "{path}: {error:?}");
    }
    let huge = serde_json::json!({ "username": "x".repeat(3 << 20) });
    let (status, error) = decode::<serde_json::Value>(admin.post_json("/api/v1/users", &huge).await)
        .await
        .unwrap_err();
    assert_eq!(
        (status, error.error.code),
        (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::PayloadTooLarge)
    );
    assert!(error.field_message("body").is_some(), "{error:?}");

    let openapi: serde_json::Value = app.get_json("/api/v1/openapi.json").await.unwrap();
    let listed = |path: &str, method: &str, status: &str| {
        openapi["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]["$ref"]
            == "#/components/schemas/ApiError"
    };
    assert!(listed("/api/v1/users/{id}", "get", "400"));
    assert!(listed(
        "/api/v1/contributions/{id}/evidence/{evidence_id}",
        "get",
        "400"
    ));
    assert!(listed("/api/v1/users", "post", "413"));
}

#[tokio::test]
async fn every_response_carries_the_security_headers_and_a_request_id() {
    let app = spawn_app(Backend::Sqlite).await;

    let response = app.get("/api/v1/divisions").await;

    let headers = response.headers();
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'"));
    assert!(!csp.contains("unsafe-inline"));
    assert!(csp.contains("frame-ancestors 'none'"));
    assert!(csp.contains("worker-src 'self'") && csp.contains("manifest-src 'self'"));
    // Images from the app and inline ones (the enrolment's QR code is a data URI), from nowhere else.
    let images = csp
        .split(';')
        .find_map(|d| d.trim().strip_prefix("img-src "))
        .expect("an img-src directive");
    assert!(images.split(' ').any(|s| s == "data:"), "{images}");
    assert!(!images.contains('*') && !images.contains("http"), "{images}");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert!(headers.contains_key("referrer-policy"));
    assert!(!headers["x-request-id"].is_empty());
}

#[tokio::test]
async fn the_openapi_document_and_its_reference_page_describe_the_routes() {
    let app = spawn_app(Backend::Sqlite).await;

    let openapi: serde_json::Value = app.get_json("/api/v1/openapi.json").await.unwrap();
    let page = app.get("/api/docs").await.text().await.unwrap();

    assert_eq!(openapi["info"]["title"], "社管 Sheguan API");
    for path in ["/api/v1/divisions", "/api/v1/villages"] {
        assert!(
            openapi["paths"][path]["get"].is_object(),
            "{path} in the OpenAPI document"
        );
        assert!(page.contains(path), "{path} on the reference page");
    }
    assert!(!page.contains("<script"), "the reference page needs no script");
}

#[tokio::test]
async fn the_app_is_served_with_client_routes_falling_back_to_the_bundle_of_their_page_and_audience() {
    let dist = std::env::temp_dir().join(format!("sheguan-dist-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(dist.join("assets")).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>社管 public</title>",
    )
    .unwrap();
    std::fs::write(
        dist.join("home.html"),
        "<!doctype html><title>社管 public home</title>",
    )
    .unwrap();
    std::fs::write(
        dist.join("organization.html"),
        "<!doctype html><title>社管 organization</title>",
    )
    .unwrap();
    std::fs::write(
        dist.join("workspace.html"),
        "<!doctype html><title>社管 workspace</title>",
    )
    .unwrap();
    std::fs::write(dist.join("assets/app-0123.js"), "console.log('plain')").unwrap();
    std::fs::write(dist.join("assets/app-0123.js.br"), b"brotli bytes").unwrap();
    std::fs::write(dist.join("sw.js"), "self.addEventListener('fetch', () => {});").unwrap();
    std::fs::write(dist.join("manifest.webmanifest"), r#"{"name":"社管"}"#).unwrap();
    let app = spawn_app_with(Backend::Sqlite, |c| {
        c.static_dir = dist.clone();
        c.demo = true;
    })
    .await;
    let page = async |client: &TestApp, path: &str| client.get(path).await.text().await.unwrap();

    let client_route = app.get("/villages?city=340100").await;
    assert_eq!(client_route.status(), StatusCode::OK);
    assert_eq!(client_route.headers()["cache-control"], "no-cache");
    let text = client_route.text().await.unwrap();
    assert!(text.contains("社管 public") && !text.contains("home"), "{text}");
    // A visitor's home page comes already drawn (the public bundle's `home.html`); others' does not.
    assert!(page(&app, "/").await.contains("社管 public home"));
    assert!(page(&app, "/?lang=en").await.contains("社管 public home"));

    // A visitor gets any other page with every page; a session that has ended makes a visitor.
    let workspace_route = app.get("/organizations/12").await;
    assert_eq!(workspace_route.status(), StatusCode::OK);
    assert_eq!(workspace_route.headers()["cache-control"], "no-cache");
    assert!(workspace_route.text().await.unwrap().contains("社管 workspace"));
    let ended = app
        .client
        .get(app.url("/villages"))
        .header("cookie", format!("sheguan_session={}", "t".repeat(43)))
        .send()
        .await
        .unwrap();
    assert!(ended.text().await.unwrap().contains("社管 public"));

    // An organization user gets its pages (and the public ones) in the organization bundle, the rest in
    // the workspace bundle; staff get every page in the workspace bundle.
    let org = app.signed_in_as("demo-org").await;
    for path in ["/", "/contributions", "/contributions/3", "/villages", "/account"] {
        assert!(page(&org, path).await.contains("社管 organization"), "{path}");
    }
    for path in ["/rounds", "/contributions/duplicates", "/admin/users"] {
        assert!(page(&org, path).await.contains("社管 workspace"), "{path}");
    }
    let admin = app.signed_in_as("demo-admin").await;
    for path in ["/villages", "/contributions"] {
        assert!(page(&admin, path).await.contains("社管 workspace"), "{path}");
    }

    let asset = app
        .client
        .get(app.url("/assets/app-0123.js"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(asset.status(), StatusCode::OK);
    assert_eq!(asset.headers()["content-encoding"], "br");
    assert!(
        asset.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );

    // The service worker and the manifest: at the root, with their types, checked on every visit.
    for (path, content_type) in [
        ("/sw.js", "text/javascript; charset=utf-8"),
        ("/manifest.webmanifest", "application/manifest+json"),
    ] {
        let file = app.get(path).await;
        assert_eq!(file.status(), StatusCode::OK, "{path}");
        assert_eq!(file.headers()["content-type"], content_type, "{path}");
        assert_eq!(file.headers()["cache-control"], "no-cache", "{path}");
        assert!(
            !file.text().await.unwrap().contains("<title>"),
            "{path} is not a page"
        );
    }
    // The page the worker keeps for an offline start, at its own path whoever asks.
    let kept = app.get("/organization.html").await;
    assert_eq!(kept.headers()["content-type"], "text/html; charset=utf-8");
    assert_eq!(kept.headers()["cache-control"], "no-cache");
    assert!(kept.text().await.unwrap().contains("社管 organization"));

    let missing_asset = app.get("/assets/nope-1.js").await;
    assert_eq!(missing_asset.status(), StatusCode::NOT_FOUND);
    let _ = std::fs::remove_dir_all(dist);
}

#[tokio::test]
async fn a_backup_taken_while_serving_restores_the_same_records() {
    let app = spawn_app_with(Backend::Sqlite, |c| c.demo = true).await;
    let admin = app.signed_in_as("demo-admin").await;
    let organizations = admin.list_organizations("per_page=1").await.unwrap().total;
    let entries = admin.list_contributions("per_page=1").await.unwrap().total;
    let audit_rows = admin.list_audit("per_page=1").await.unwrap().total;
    let file = std::env::temp_dir().join(format!(
        "sheguan-备份-{}-{}.db",
        std::process::id(),
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
    ));

    // Clients keep writing (sign-ins are audited) while the copy is taken.
    let busy = {
        let app_url = app.address.clone();
        tokio::spawn(async move {
            let client = reqwest::Client::new();
            for _ in 0..20 {
                let _ = client.get(format!("{app_url}/api/v1/divisions")).send().await;
            }
        })
    };
    app.store.backup_to(&file).await.unwrap();
    busy.await.unwrap();
    let again = app.store.backup_to(&file).await.unwrap_err();
    assert!(again.to_string().contains("已存在"), "{again}");

    let url = format!("sqlite://{}", file.display());
    let restored = spawn_app_with(Backend::Sqlite, |c| {
        c.demo = true;
        c.database_url = url.clone();
    })
    .await;
    let admin_again = restored.signed_in_as("demo-admin").await;
    assert_eq!(
        admin_again.list_organizations("per_page=1").await.unwrap().total,
        organizations
    );
    assert_eq!(
        admin_again.list_contributions("per_page=1").await.unwrap().total,
        entries
    );
    assert!(admin_again.list_audit("per_page=1").await.unwrap().total >= audit_rows);
    let chain = restored.store.verify_audit_chain().await.unwrap();
    assert!(chain.holds(), "{chain:?}");
    drop(restored);
    let _ = std::fs::remove_file(&file);
}

/// `GET /metrics`: off without a token, 401 without the right one; the request counters are labelled by
/// the route's pattern (never the raw path), sign-in failures count, and the backlogs are read from the
/// database at each scrape. Counters are the process's, shared with tests running beside this one: the
/// checks are on what this test adds.
async fn metrics_are_for_the_token_holder_and_count_routes_sign_ins_and_backlogs(backend: Backend) {
    let without = spawn_app(backend.clone()).await;
    assert_eq!(without.get("/metrics").await.status(), StatusCode::NOT_FOUND);
    let app = spawn_app_with(backend, |c| c.metrics_token = Some("scrape-token-1".to_owned())).await;
    let scrape = |token: &'static str| {
        let request = app.client.get(app.url("/metrics")).bearer_auth(token);
        async move { request.send().await.expect("a scrape") }
    };
    assert_eq!(app.get("/metrics").await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(scrape("scrape-token-2").await.status(), StatusCode::UNAUTHORIZED);

    let before = scrape("scrape-token-1").await.text().await.unwrap();
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);
    app.get("/api/v1/organizations/987654321").await;
    let login = serde_json::json!({ "username": "no-such-user", "password": "wrong-password-1" });
    assert_eq!(
        app.post_json("/api/v1/auth/login", &login).await.status(),
        StatusCode::UNAUTHORIZED
    );

    let response = scrape("scrape-token-1").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain"),
        "the Prometheus text format"
    );
    let after = response.text().await.unwrap();
    let healthz = r#"http_requests_total{method="GET",route="/healthz",status="200"}"#;
    assert!(
        metric(&after, healthz) >= metric(&before, healthz) + 1.0,
        "{after}"
    );
    assert!(after.contains(r#"route="/api/v1/organizations/{id}""#), "{after}");
    assert!(!after.contains("987654321"), "a raw path is never a label");
    assert!(after.contains("http_request_duration_seconds_bucket{"), "{after}");
    let failures = "sheguan_sign_in_failures_total";
    assert!(
        metric(&after, failures) >= metric(&before, failures) + 1.0,
        "{after}"
    );
    for gauge in [
        r#"sheguan_publication_items{status="pending"} 0"#,
        r#"sheguan_publication_items{status="failed"} 0"#,
        r#"sheguan_jobs{status="queued"} 0"#,
        r#"sheguan_jobs{status="running"} 0"#,
    ] {
        assert!(after.lines().any(|line| line == gauge), "{gauge} in {after}");
    }
    assert!(
        metric(&after, r#"sheguan_db_pool_connections{state="idle"}"#)
            + metric(&after, r#"sheguan_db_pool_connections{state="busy"}"#)
            >= 1.0,
        "the pool holds a connection: {after}"
    );
}

/// The value of the series `series` (name and labels as printed) in a scrape; 0 when absent.
fn metric(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.trim().parse().ok())
        .unwrap_or(0.0)
}
