//! Signing in: lockout after failures, the per-address limit, and demo accounts without `demo`.

use chrono::{TimeDelta, Utc};
use domain::api::ErrorCode;
use reqwest::StatusCode;
use reqwest::header::COOKIE;
use tests::{Backend, TestApp, demo_password, on_both_backends, spawn_app, spawn_demo_app};

use super::{actions, assert_refused, audit_rows};

on_both_backends!(
    five_wrong_passwords_lock_a_username_even_against_the_right_password,
    a_lock_lasts_fifteen_minutes_from_the_fifth_failure_then_lifts,
    a_lockout_answers_an_unknown_username_byte_for_byte_as_a_real_one,
    many_failures_from_one_address_slow_it_down_without_locking_everyone_out,
    forty_parallel_guesses_judge_at_most_five_and_the_address_still_signs_in,
    a_successful_sign_in_is_listed_among_my_recent_sign_ins,
    demo_accounts_exist_and_sign_in_only_when_the_server_runs_with_demo,
);

/// A sign-in answer as the client sees it: the status and the exact body.
async fn answer(app: &TestApp, username: &str, password: &str) -> (StatusCode, Vec<u8>) {
    let response = app.login_response(username, password).await;
    (response.status(), response.bytes().await.unwrap().to_vec())
}

async fn five_wrong_passwords_lock_a_username_even_against_the_right_password(backend: Backend) {
    let app = spawn_demo_app(backend).await;

    // However the name is typed, it is one name.
    for typed in ["demo-wuhu", "Demo-Wuhu", "DEMO-WUHU", " demo-wuhu", "demo-wuhu"] {
        assert_refused(
            app.login(typed, "not-the-password").await,
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthorized,
        );
    }
    let (status, error) = app.login("demo-wuhu", &demo_password()).await.unwrap_err();

    assert_eq!(
        (status, error.error.code),
        (StatusCode::TOO_MANY_REQUESTS, ErrorCode::RateLimited)
    );
    assert!(error.error.message.contains("锁定"), "{}", error.error.message);
    assert!(app.session_cookie().is_none());
    // The lock is on the name, not the address: others still sign in from here.
    app.another_client()
        .login("demo-hefei", &demo_password())
        .await
        .unwrap();
    let admin = app.signed_in_as("demo-admin").await;
    let rows = audit_rows(&admin, "actor=demo-wuhu&entity_type=session").await;
    assert_eq!(
        actions(&rows),
        [
            "login_locked",
            "login_failed_lockout",
            "login_failed",
            "login_failed",
            "login_failed",
            "login_failed"
        ]
    );
    assert!(
        rows.iter()
            .all(|r| r.actor_id.is_none() && r.client_addr == "127.0.0.1")
    );
}

async fn a_lock_lasts_fifteen_minutes_from_the_fifth_failure_then_lifts(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let db = app.db().await;
    let minutes_ago = |minutes| Utc::now() - TimeDelta::minutes(minutes);
    let set_fifth = "UPDATE login_events SET at = $1 WHERE id = (SELECT MAX(id) FROM login_events)";
    let set_first_four = "UPDATE login_events SET at = $1 WHERE id < (SELECT MAX(id) FROM login_events)";
    for _ in 0..5 {
        let _ = app.login("demo-wuhu", "not-the-password").await;
    }

    // The first four failures sixteen minutes ago, the fifth two: locked until the fifth is fifteen.
    db.execute_at(set_first_four, minutes_ago(16)).await.unwrap();
    db.execute_at(set_fifth, minutes_ago(2)).await.unwrap();
    let (still_locked, _) = app.login("demo-wuhu", &demo_password()).await.unwrap_err();
    db.execute_at("UPDATE login_events SET at = $1", minutes_ago(16))
        .await
        .unwrap();
    let lifted = app.login("demo-wuhu", &demo_password()).await;

    assert_eq!(still_locked, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(lifted.unwrap().username, "demo-wuhu");
}

async fn a_lockout_answers_an_unknown_username_byte_for_byte_as_a_real_one(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let mut real = Vec::new();
    let mut unknown = Vec::new();

    for _ in 0..5 {
        real.push(answer(&app, "demo-wuhu", "not-the-password").await);
        unknown.push(answer(&app, "demo-nobody", "not-the-password").await);
    }
    real.push(answer(&app, "demo-wuhu", &demo_password()).await);
    unknown.push(answer(&app, "demo-nobody", &demo_password()).await);

    let statuses: Vec<StatusCode> = real.iter().map(|(status, _)| *status).collect();
    assert_eq!(statuses[..5], [StatusCode::UNAUTHORIZED; 5]);
    assert_eq!(statuses[5], StatusCode::TOO_MANY_REQUESTS);
    for (step, (real, unknown)) in real.iter().zip(&unknown).enumerate() {
        assert_eq!(
            real,
            unknown,
            "attempt {}: {} vs {}",
            step + 1,
            String::from_utf8_lossy(&real.1),
            String::from_utf8_lossy(&unknown.1)
        );
    }
    let admin = app.signed_in_as("demo-admin").await;
    let rows = audit_rows(&admin, "actor=demo-nobody").await;
    assert_eq!(actions(&rows)[..2], ["login_locked", "login_failed_lockout"]);
    assert_eq!(rows.len(), 6);
}

async fn many_failures_from_one_address_slow_it_down_without_locking_everyone_out(backend: Backend) {
    let app = spawn_demo_app(backend).await;

    // Thirty names, one wrong guess each, from one address (a campus behind NAT, a proxy): no name is
    // locked, and the address is slowed down — not shut.
    for n in 0..30 {
        assert_refused(
            app.login(&format!("guess-{n}"), "not-the-password").await,
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthorized,
        );
    }
    let started = std::time::Instant::now();
    let hefei = app.login("demo-hefei", &demo_password()).await;
    let waited = started.elapsed();

    assert_eq!(hefei.unwrap().username, "demo-hefei");
    assert!(
        waited >= sheguan::auth::lockout::client_delay(30),
        "the 31st attempt from the address waits its turn ({waited:?})"
    );
    let db = app.db().await;
    assert_eq!(
        db.count("SELECT COUNT(*) FROM audit_log WHERE action = 'login_rate_limited'")
            .await,
        0
    );
}

async fn forty_parallel_guesses_judge_at_most_five_and_the_address_still_signs_in(backend: Backend) {
    let app = spawn_demo_app(backend).await;

    let guesses = (0..40).map(|_| {
        let client = app.another_client();
        async move {
            client
                .login_response("demo-wuhu", "not-the-password")
                .await
                .status()
        }
    });
    let statuses = futures::future::join_all(guesses).await;

    let judged = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((judged, refused), (5, 35), "{statuses:?}");
    // The name stays locked against the right password; the address is not: the bureau signs in.
    let (locked, _) = app.login("demo-wuhu", &demo_password()).await.unwrap_err();
    assert_eq!(locked, StatusCode::TOO_MANY_REQUESTS);
    app.another_client()
        .login("demo-admin", &demo_password())
        .await
        .unwrap();
}

async fn a_successful_sign_in_is_listed_among_my_recent_sign_ins(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let _ = app.login("demo-org", "not-the-password").await;

    let me = app.login("demo-org", &demo_password()).await.unwrap();
    let logins = app.my_logins().await.unwrap();

    assert_eq!(me.username, "demo-org");
    let outcomes: Vec<&str> = logins.iter().map(|l| l.outcome.as_str()).collect();
    assert_eq!(outcomes, ["success", "failure"]);
    assert!(logins.iter().all(|l| l.client_addr == "127.0.0.1"));
}

async fn demo_accounts_exist_and_sign_in_only_when_the_server_runs_with_demo(backend: Backend) {
    let plain = spawn_app(backend.clone()).await;
    assert_refused(
        plain.login("demo-admin", &demo_password()).await,
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthorized,
    );
    assert_eq!(plain.db().await.count("SELECT COUNT(*) FROM users").await, 0);

    let demo = spawn_demo_app(backend).await;
    let admin = demo.signed_in_as("demo-admin").await;
    let token = admin.session_cookie().unwrap();
    // The same database, served without demo: the accounts are there but refused, sessions included.
    let without_demo = demo.another_server_with(|c| c.demo = false).await;

    assert_refused(
        without_demo.login("demo-admin", &demo_password()).await,
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthorized,
    );
    let response = without_demo
        .client
        .get(without_demo.url("/api/v1/auth/me"))
        .header(COOKIE, format!("sheguan_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        without_demo
            .db()
            .await
            .count("SELECT COUNT(*) FROM users WHERE is_demo AND username LIKE 'demo-%'")
            .await,
        sheguan::seed::demo::ACCOUNTS.len() as i64
    );
    assert_eq!(
        without_demo
            .db()
            .await
            .count("SELECT COUNT(*) FROM users WHERE NOT is_demo")
            .await,
        0,
        "every account of the demo set (the instructors' pool too) is a demo account"
    );
    admin.me().await.unwrap();
}
