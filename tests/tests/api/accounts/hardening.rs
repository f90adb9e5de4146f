//! What a careless operator or a proxy in front must not undo: personal data is never cached, secure mode
//! accepts only the `__Host-` cookie and asks for HTTPS, and behind a trusted proxy the audit log names
//! the real client.

use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, COOKIE, SET_COOKIE, STRICT_TRANSPORT_SECURITY};
use tests::{Backend, demo_password, on_both_backends, spawn_app_with, spawn_demo_app};

use super::audit_rows;

on_both_backends!(
    answers_with_personal_data_are_never_cached,
    secure_mode_takes_only_the_host_cookie_and_sends_hsts,
    behind_a_trusted_proxy_the_audit_log_names_the_client,
    hostile_import_files_get_a_clear_refusal_and_the_server_lives,
    demo_mode_refuses_a_database_that_holds_real_accounts,
    an_organization_sees_which_office_acted_on_its_record_not_who_or_from_where,
);

async fn an_organization_sees_which_office_acted_on_its_record_not_who_or_from_where(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let org = app.signed_in_as("demo-org").await;
    let me = org.me().await.unwrap();
    let domain::policy::Scope::Organization { id, .. } = me.scope else {
        panic!("an organization user")
    };
    let clerk = sheguan::store::Actor {
        user_id: Some(1),
        name: "zhang.clerk".to_owned(),
        role: Some(domain::policy::Role::LocalStaff),
        client_addr: "10.1.2.3".to_owned(),
    };
    app.store
        .record_audit(&sheguan::store::AuditEntry {
            actor: &clerk,
            entity_type: "organization",
            entity_id: id.to_string(),
            action: "update",
            before: None,
            after: None,
            reason: Some("住所变更".to_owned()),
        })
        .await
        .unwrap();

    let seen = org.find_organization(id).await.unwrap();
    let row = seen
        .audit
        .iter()
        .find(|r| r.reason.as_deref() == Some("住所变更"))
        .unwrap();
    assert_eq!(row.actor_name, domain::policy::Role::LocalStaff.label_zh());
    assert!(row.client_addr.is_empty() && row.actor_id.is_none());
    // Staff still see who and from where.
    let admin = app.signed_in_as("demo-admin").await;
    let staff_view = admin.find_organization(id).await.unwrap();
    let row = staff_view
        .audit
        .iter()
        .find(|r| r.reason.as_deref() == Some("住所变更"))
        .unwrap();
    assert_eq!(
        (row.actor_name.as_str(), row.client_addr.as_str()),
        ("zhang.clerk", "10.1.2.3")
    );
}

async fn demo_mode_refuses_a_database_that_holds_real_accounts(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    // A demo database may be restarted in demo mode.
    let again = app.another_server_with(|c| c.demo = true).await;
    assert!(again.get("/readyz").await.status().is_success());
    // An account made on the demo server is a demo account: still no refusal.
    let admin = app.signed_in_as("demo-admin").await;
    admin
        .create_user(&super::local_staff("demo-made-clerk", "340100"))
        .await
        .unwrap();
    let again = app.another_server_with(|c| c.demo = true).await;
    assert!(again.get("/readyz").await.status().is_success());
    // Once it holds a real account, demo mode refuses it, and says why.
    app.add_account(
        "real-clerk",
        domain::policy::Role::BureauAdmin,
        sheguan::store::accounts::ScopeIds::default(),
        "河流-山川-2026",
    )
    .await;
    let entries = app.db().await.count("SELECT COUNT(*) FROM contributions").await;

    let mut config = sheguan::Config::for_database(app.database_url());
    config.demo = true;
    let refused = sheguan::Application::build(config).await.err().expect("refused");

    assert!(refused.to_string().contains("非演示账户"), "{refused}");
    assert_eq!(
        app.db().await.count("SELECT COUNT(*) FROM contributions").await,
        entries
    );
}

async fn hostile_import_files_get_a_clear_refusal_and_the_server_lives(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let clerk = app.signed_in_as("demo-hefei").await;
    // Two cells, A1 and XFD1048576: a 2 KB file whose sheet declares 17 billion cells.
    let corners = {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "名称").unwrap();
        sheet.write_string(1_048_575, 16_383, "x").unwrap();
        book.save_to_buffer().unwrap()
    };
    // A CSV of four million blank lines and then one row.
    let mut blank_lines = vec![b'\n'; 4_000_000];
    blank_lines.extend_from_slice("名称\n某协会\n".as_bytes());

    for (name, bytes) in [("corners.xlsx", corners), ("blank.csv", blank_lines)] {
        let (status, error) = clerk.check_import(name, bytes).await.unwrap_err();
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(error.field_message("file").is_some(), "{name}: {error:?}");
    }
    // Still serving.
    assert!(clerk.get("/readyz").await.status().is_success());
}

async fn answers_with_personal_data_are_never_cached(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let admin = app.signed_in_as("demo-admin").await;
    let entry = admin.list_contributions("per_page=1").await.unwrap().items[0].id;
    for path in [
        "/api/v1/auth/me".to_owned(),
        "/api/v1/users".to_owned(),
        "/api/v1/audit".to_owned(),
        "/api/v1/organizations".to_owned(),
        format!("/api/v1/contributions/{entry}"),
        format!("/api/v1/contributions/{entry}/recipients/full"),
        "/api/v1/jobs".to_owned(),
    ] {
        let response = admin.get(&path).await;
        assert!(response.status().is_success(), "{path}: {}", response.status());
        let cache = response
            .headers()
            .get(CACHE_CONTROL)
            .map(|v| v.to_str().unwrap().to_owned());
        assert!(
            cache.as_deref().is_some_and(|c| c.contains("no-store")),
            "{path}: Cache-Control {cache:?}"
        );
    }
}

async fn secure_mode_takes_only_the_host_cookie_and_sends_hsts(backend: Backend) {
    let app = spawn_app_with(backend, |c| {
        c.demo = true;
        c.secure_cookies = true;
    })
    .await;
    let login = app.login_response("demo-admin", &demo_password()).await;
    assert_eq!(login.status(), StatusCode::OK);
    assert!(
        login.headers()[STRICT_TRANSPORT_SECURITY]
            .to_str()
            .unwrap()
            .starts_with("max-age=")
    );
    let set = login.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    let (name, rest) = set.split_once('=').unwrap();
    assert_eq!(name, "__Host-sheguan_session");
    let token = rest.split(';').next().unwrap();

    let with = |cookie: String| {
        let client = reqwest::Client::new();
        let url = app.url("/api/v1/auth/me");
        async move {
            client
                .get(url)
                .header(COOKIE, cookie)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(
        with(format!("__Host-sheguan_session={token}")).await,
        StatusCode::OK
    );
    assert_eq!(
        with(format!("sheguan_session={token}")).await,
        StatusCode::UNAUTHORIZED,
        "the plain cookie could have been planted over HTTP"
    );
}

async fn behind_a_trusted_proxy_the_audit_log_names_the_client(backend: Backend) {
    let app = spawn_app_with(backend, |c| {
        c.demo = true;
        c.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    let through_proxy = reqwest::Client::new()
        .post(app.url("/api/v1/auth/login"))
        .header("x-forwarded-for", "6.6.6.6, 203.0.113.9")
        .json(&serde_json::json!({ "username": "demo-org", "password": "not-the-password" }))
        .send()
        .await
        .unwrap();
    assert_eq!(through_proxy.status(), StatusCode::UNAUTHORIZED);
    let admin = app.signed_in_as("demo-admin").await;
    let rows = audit_rows(&admin, "actor=demo-org&action=login_failed").await;
    assert_eq!(
        rows[0].client_addr, "203.0.113.9",
        "the address the proxy saw, not the one the client wrote"
    );

    // Without a trusted proxy the header is the client's own words, and ignored.
    let direct = spawn_demo_app(Backend::Sqlite).await;
    let _ = reqwest::Client::new()
        .post(direct.url("/api/v1/auth/login"))
        .header("x-forwarded-for", "203.0.113.9")
        .json(&serde_json::json!({ "username": "demo-org", "password": "not-the-password" }))
        .send()
        .await
        .unwrap();
    let admin = direct.signed_in_as("demo-admin").await;
    let rows = audit_rows(&admin, "actor=demo-org&action=login_failed").await;
    assert_eq!(rows[0].client_addr, "127.0.0.1");
}
