//! Sessions: the cookie, rotation at sign-in, sign-out, the idle and absolute limits, and the refusal of
//! forged cross-site requests.

use chrono::{TimeDelta, Utc};
use domain::api::ErrorCode;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE, ORIGIN, SET_COOKIE};
use tests::{Backend, TestApp, decode, demo_password, on_both_backends, spawn_app_with, spawn_demo_app};

use super::{assert_refused, local_staff};

on_both_backends!(
    a_forged_cross_site_post_is_refused_and_changes_nothing,
    same_origin_json_passes_the_forgery_defence,
    the_session_cookie_is_http_only_strict_and_new_at_each_sign_in,
    after_logout_the_old_session_cookie_is_refused,
    a_session_idle_for_more_than_thirty_minutes_has_ended,
    a_session_ends_twelve_hours_after_sign_in_however_active,
    with_secure_cookies_the_session_cookie_is_secure_and_host_only,
);

/// The status `path` answers to a client presenting only the session cookie `token`.
async fn status_with_cookie(app: &TestApp, token: &str, path: &str) -> StatusCode {
    reqwest::Client::new()
        .get(app.url(path))
        .header(COOKIE, format!("sheguan_session={token}"))
        .send()
        .await
        .unwrap()
        .status()
}

async fn a_forged_cross_site_post_is_refused_and_changes_nothing(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let admin = app.signed_in_as("demo-admin").await;
    let users = admin.list_users("").await.unwrap().total;
    let audit = admin.list_audit("").await.unwrap().total;
    let form = "application/x-www-form-urlencoded";
    let new_user = r#"{"username":"mallory","display_name":"M","role":"bureau_admin"}"#;

    // What a page on another site can make the browser send with the user's cookie.
    let forgeries = [
        ("/api/v1/auth/logout", form, Some("http://evil.example"), ""),
        (
            "/api/v1/users",
            form,
            Some("http://evil.example"),
            "username=mallory&role=bureau_admin",
        ),
        ("/api/v1/auth/logout", "text/plain", None, ""),
        ("/api/v1/users", "text/plain", None, new_user),
        (
            "/api/v1/users",
            "application/json",
            Some("http://evil.example"),
            new_user,
        ),
        ("/api/v1/users", "multipart/form-data; boundary=x", None, "--x--"),
    ];
    for (path, content_type, origin, body) in forgeries {
        let mut request = admin
            .client
            .post(admin.url(path))
            .header(CONTENT_TYPE, content_type)
            .body(body);
        if let Some(origin) = origin {
            request = request.header(ORIGIN, origin);
        }

        let result = decode::<serde_json::Value>(request.send().await.unwrap()).await;

        assert_refused(result, StatusCode::FORBIDDEN, ErrorCode::Forbidden);
    }
    let cross_site = admin
        .client
        .post(admin.url("/api/v1/auth/logout"))
        .header("sec-fetch-site", "cross-site")
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);

    assert_eq!(
        admin.me().await.unwrap().username,
        "demo-admin",
        "still signed in"
    );
    assert_eq!(admin.list_users("").await.unwrap().total, users);
    assert_eq!(admin.list_audit("").await.unwrap().total, audit);
}

async fn same_origin_json_passes_the_forgery_defence(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let admin = app.signed_in_as("demo-admin").await;
    let origin = format!("http://127.0.0.1:{}", app.port);

    let created = admin
        .client
        .post(admin.url("/api/v1/users"))
        .header(ORIGIN, &origin)
        .header("sec-fetch-site", "same-origin")
        .json(&local_staff("zhou.min", "340200"))
        .send()
        .await
        .unwrap();
    let signed_out = admin
        .client
        .post(admin.url("/api/v1/auth/logout"))
        .header(ORIGIN, &origin)
        .header("sec-fetch-site", "same-origin")
        .header(CONTENT_TYPE, "application/json")
        .send()
        .await
        .unwrap();

    assert_eq!(created.status(), StatusCode::OK);
    assert_eq!(signed_out.status(), StatusCode::NO_CONTENT);
    assert_refused(
        admin.me().await,
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthorized,
    );
}

async fn the_session_cookie_is_http_only_strict_and_new_at_each_sign_in(backend: Backend) {
    let app = spawn_demo_app(backend).await;

    let response = app.login_response("demo-wuhu", &demo_password()).await;
    let set_cookie = response.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    let first = app.session_cookie().unwrap();
    app.login("demo-wuhu", &demo_password()).await.unwrap();
    let second = app.session_cookie().unwrap();

    assert!(set_cookie.starts_with("sheguan_session="), "{set_cookie}");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set_cookie.contains(attribute), "{attribute} in {set_cookie}");
    }
    assert!(!set_cookie.contains("Secure"), "secure cookies are off in tests");
    assert_eq!(first.len(), 43);
    assert_ne!(first, second, "a new session at each sign-in");
    assert_eq!(
        status_with_cookie(&app, &first, "/api/v1/auth/me").await,
        StatusCode::UNAUTHORIZED,
        "the session presented at sign-in is closed"
    );
    assert_eq!(app.me().await.unwrap().username, "demo-wuhu");
}

async fn after_logout_the_old_session_cookie_is_refused(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let client = app.signed_in_as("demo-org").await;
    let token = client.session_cookie().unwrap();

    client.logout().await.unwrap();

    assert_eq!(client.session_cookie(), None, "the cookie is removed");
    assert_refused(
        client.me().await,
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthorized,
    );
    assert_eq!(
        status_with_cookie(&app, &token, "/api/v1/auth/me").await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.db().await.count("SELECT COUNT(*) FROM sessions").await, 0);
    let admin = app.signed_in_as("demo-admin").await;
    let rows = super::audit_rows(&admin, "actor=demo-org&action=logout").await;
    assert_eq!(rows.len(), 1);
}

async fn a_session_idle_for_more_than_thirty_minutes_has_ended(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let client = app.signed_in_as("demo-hefei").await;
    let db = app.db().await;
    let idle_since = |minutes| Utc::now() - TimeDelta::minutes(minutes);

    db.execute_at("UPDATE sessions SET last_seen_at = $1", idle_since(29))
        .await
        .unwrap();
    client.me().await.unwrap();
    let (_, last_seen) = db
        .timestamps("SELECT created_at, last_seen_at FROM sessions")
        .await[0];
    assert!(
        Utc::now() - last_seen < TimeDelta::minutes(1),
        "a request renews the session"
    );

    db.execute_at("UPDATE sessions SET last_seen_at = $1", idle_since(31))
        .await
        .unwrap();
    assert_refused(
        client.me().await,
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthorized,
    );
}

async fn a_session_ends_twelve_hours_after_sign_in_however_active(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let client = app.signed_in_as("demo-instructor").await;
    let db = app.db().await;

    let (created, expires) = db.timestamps("SELECT created_at, expires_at FROM sessions").await[0];
    let lifetime = expires - created;
    assert!(
        (lifetime - TimeDelta::hours(12)).abs() < TimeDelta::seconds(5),
        "{lifetime}"
    );

    client.me().await.unwrap();
    db.execute_at(
        "UPDATE sessions SET expires_at = $1",
        Utc::now() - TimeDelta::seconds(1),
    )
    .await
    .unwrap();
    assert_refused(
        client.me().await,
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthorized,
    );
}

async fn with_secure_cookies_the_session_cookie_is_secure_and_host_only(backend: Backend) {
    let app = spawn_app_with(backend, |c| {
        c.demo = true;
        c.secure_cookies = true;
    })
    .await;

    let response = app.login_response("demo-admin", &demo_password()).await;

    assert_eq!(response.status(), StatusCode::OK);
    let set_cookie = response.headers()[SET_COOKIE].to_str().unwrap();
    assert!(set_cookie.starts_with("__Host-sheguan_session="), "{set_cookie}");
    for attribute in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set_cookie.contains(attribute), "{attribute} in {set_cookie}");
    }
    assert!(!set_cookie.contains("Domain"), "{set_cookie}");
}
