//! Two-step verification (TOTP): enrolment, the sign-in's second step, the lockout it shares with
//! passwords, codes that work once, recovery codes, turning it off, the bureau's reset, and the server's
//! requirement for staff. Codes are computed from the secret enrolment returns, with the same algorithm.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::Utc;
use domain::accounts::totp;
use domain::api::ErrorCode;
use domain::policy::Role;
use reqwest::StatusCode;
use sheguan::store::accounts::ScopeIds;
use tests::{Backend, TestApp, on_both_backends, spawn_app, spawn_app_with};

use super::{GOOD_PASSWORD, actions, assert_refused, audit_rows};

on_both_backends!(
    a_clerk_enrols_and_then_signs_in_with_a_code_that_works_once,
    wrong_codes_count_in_the_password_lockout,
    turning_it_off_needs_the_password_and_the_bureau_can_reset_it,
    staff_must_enrol_when_the_server_requires_it_except_demo_accounts,
    a_key_rotation_reseals_the_secrets_and_codes_still_sign_in,
);

/// A local staff account of 合肥 signing in with `GOOD_PASSWORD`, and its id.
async fn clerk(app: &TestApp, username: &str) -> (TestApp, i64) {
    let scope = ScopeIds {
        division_code: Some(domain::division::DivisionCode::parse("340100").unwrap()),
        ..ScopeIds::default()
    };
    let id = app
        .add_account(username, Role::LocalStaff, scope, GOOD_PASSWORD)
        .await;
    (app.signed_in_with(username, GOOD_PASSWORD).await, id)
}

/// The code of the time step `steps` from now.
fn code(secret: &[u8], steps: i64) -> String {
    totp::code_at(secret, Utc::now().timestamp() + steps * totp::STEP_SECONDS)
}

/// A code that is none of the three current ones.
fn wrong_code(secret: &[u8]) -> String {
    let current: Vec<String> = (-1..=1).map(|s| code(secret, s)).collect();
    (0..)
        .map(|n| format!("{:06}", 123_456 + n))
        .find(|c| !current.contains(c))
        .unwrap()
}

/// Enrols `client` and confirms with the current code: the secret and the recovery codes.
async fn enrol(client: &TestApp) -> (Vec<u8>, Vec<String>) {
    let enrolment = client.start_second_factor().await.unwrap();
    let secret = totp::base32_decode(&enrolment.secret).unwrap();
    let codes = client
        .confirm_second_factor(&code(&secret, 0))
        .await
        .unwrap()
        .codes;
    (secret, codes)
}

/// A new client that gave the right password and waits for its second step.
async fn waiting(app: &TestApp, username: &str) -> TestApp {
    let client = app.another_client();
    assert_refused(
        client.login(username, GOOD_PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        ErrorCode::SecondFactorRequired,
    );
    client
}

async fn a_clerk_enrols_and_then_signs_in_with_a_code_that_works_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let (clerk, _) = clerk(&app, "zhou.clerk").await;
    assert!(!clerk.second_factor().await.unwrap().enabled);

    let started = clerk
        .post_json("/api/v1/auth/second-factor/enrolment", &serde_json::json!({}))
        .await;
    assert_eq!(started.headers()["cache-control"], "no-store");
    let enrolment: domain::api::SecondFactorEnrolment = started.json().await.unwrap();
    assert_eq!(enrolment.secret.len(), 32, "160 bits in base32");
    assert!(enrolment.uri.starts_with(&format!(
        "otpauth://totp/Sheguan:zhou.clerk?secret={}&issuer=Sheguan",
        enrolment.secret
    )));
    // The same URI as a QR code for the app to scan: an SVG image, black on white.
    let svg = enrolment
        .qr_code
        .strip_prefix("data:image/svg+xml;base64,")
        .map(|b| STANDARD.decode(b).expect("base64"))
        .map(|svg| String::from_utf8(svg).expect("UTF-8"))
        .expect("an SVG in a data URI");
    let root = svg.find("<svg ").expect("an <svg> element");
    assert!(svg[root..].contains(r#"xmlns="http://www.w3.org/2000/svg""#));
    assert!(svg.ends_with("</svg>"));
    assert!(svg.contains(r##"fill="#fff""##) && svg.contains(r##"fill="#000""##));
    let secret = totp::base32_decode(&enrolment.secret).unwrap();
    // Not on until a code confirms it.
    let status = clerk.second_factor().await.unwrap();
    assert!(status.pending && !status.enabled);
    assert_refused(
        clerk.confirm_second_factor(&wrong_code(&secret)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    );
    let confirmed_with = code(&secret, 0);
    let recovery = clerk.confirm_second_factor(&confirmed_with).await.unwrap().codes;
    assert_eq!(recovery.len(), 10);
    let status = clerk.second_factor().await.unwrap();
    assert!(status.enabled && !status.pending && status.recovery_codes_left == 10);
    assert!(clerk.me().await.unwrap().second_factor);

    // The password alone opens no session.
    let first = waiting(&app, "zhou.clerk").await;
    assert_refused(
        first.me().await,
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthorized,
    );
    // The code that confirmed the enrolment is spent; the next one signs in.
    assert_refused(
        first.login_second_factor(&confirmed_with).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    );
    let next = code(&secret, 1);
    let me = first.login_second_factor(&next).await.unwrap();
    assert_eq!(me.username, "zhou.clerk");
    assert!(first.me().await.is_ok());
    // Replayed within its window, it is refused.
    let second = waiting(&app, "zhou.clerk").await;
    assert_refused(
        second.login_second_factor(&next).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    );
    // A recovery code signs in once.
    second
        .login_second_factor(&recovery[0].to_uppercase())
        .await
        .unwrap();
    let third = waiting(&app, "zhou.clerk").await;
    assert_refused(
        third.login_second_factor(&recovery[0]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    );
    assert_eq!(clerk.second_factor().await.unwrap().recovery_codes_left, 9);
    // Without a password step there is nothing to complete.
    assert_refused(
        app.another_client().login_second_factor(&recovery[1]).await,
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthorized,
    );

    let admin = admin(&app).await;
    let rows = audit_rows(&admin, "actor=zhou.clerk").await;
    let done = actions(&rows);
    for action in [
        "second_factor_enrolment_started",
        "second_factor_enabled",
        "login_second_factor_required",
        "login_second_factor_failed",
    ] {
        assert!(done.contains(&action), "{action} in {done:?}");
    }
    let logged = serde_json::to_string(&rows).unwrap();
    assert!(!logged.contains(&enrolment.secret) && !logged.contains(&recovery[0]));
}

async fn wrong_codes_count_in_the_password_lockout(backend: Backend) {
    let app = spawn_app(backend).await;
    let (clerk, _) = clerk(&app, "wu.clerk").await;
    let (secret, _) = enrol(&clerk).await;
    let client = waiting(&app, "wu.clerk").await;
    let wrong = wrong_code(&secret);
    for _ in 0..5 {
        assert_refused(
            client.login_second_factor(&wrong).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
        );
    }
    // Locked: the right code is not even judged, nor a password.
    assert_refused(
        client.login_second_factor(&code(&secret, 1)).await,
        StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::RateLimited,
    );
    assert_refused(
        app.another_client().login("wu.clerk", GOOD_PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::RateLimited,
    );
}

async fn turning_it_off_needs_the_password_and_the_bureau_can_reset_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let (clerk, id) = clerk(&app, "zheng.clerk").await;
    let (secret, recovery) = enrol(&clerk).await;
    assert_refused(
        clerk.start_second_factor().await,
        StatusCode::CONFLICT,
        ErrorCode::Conflict,
    );

    // New recovery codes replace the old ones.
    let renewed = clerk.new_recovery_codes(&recovery[0]).await.unwrap().codes;
    assert_eq!(renewed.len(), 10);
    let client = waiting(&app, "zheng.clerk").await;
    assert_refused(
        client.login_second_factor(&recovery[1]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    );

    let refused = clerk.disable_second_factor("not-the-password", &renewed[0]).await;
    assert_refused(refused, StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Validation);
    assert_refused(
        clerk
            .disable_second_factor(GOOD_PASSWORD, &wrong_code(&secret))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Validation,
    );
    let status = clerk
        .disable_second_factor(GOOD_PASSWORD, &renewed[0])
        .await
        .unwrap();
    assert!(!status.enabled);
    app.another_client()
        .login("zheng.clerk", GOOD_PASSWORD)
        .await
        .unwrap();

    // On again, and the phone is lost: the bureau resets it.
    enrol(&clerk).await;
    waiting(&app, "zheng.clerk").await;
    let admin = admin(&app).await;
    let reset = admin.reset_second_factor(id, "手机丢失").await.unwrap();
    assert!(!reset.second_factor);
    app.another_client()
        .login("zheng.clerk", GOOD_PASSWORD)
        .await
        .unwrap();
    let rows = audit_rows(&admin, &format!("entity_type=user&entity_id={id}")).await;
    let reset_row = rows.iter().find(|r| r.action == "reset_second_factor").unwrap();
    assert_eq!(reset_row.reason.as_deref(), Some("手机丢失"));
    assert!(actions(&rows).contains(&"second_factor_disabled"));
    // Only the bureau resets.
    assert_refused(
        clerk.reset_second_factor(id, "").await,
        StatusCode::FORBIDDEN,
        ErrorCode::Forbidden,
    );
}

async fn staff_must_enrol_when_the_server_requires_it_except_demo_accounts(backend: Backend) {
    let app = spawn_app_with(backend, |c| {
        c.demo = true;
        c.require_staff_second_factor = true;
    })
    .await;
    // Demo accounts in demo mode keep signing in with the published password.
    let demo = app.signed_in_as("demo-hefei").await;
    assert!(!demo.me().await.unwrap().must_enrol_second_factor);
    assert!(demo.get("/api/v1/organizations").await.status().is_success());

    let (clerk, _) = clerk(&app, "qian.clerk").await;
    assert!(clerk.me().await.unwrap().must_enrol_second_factor);
    assert!(clerk.second_factor().await.unwrap().required);
    let refused = clerk.get("/api/v1/organizations").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let error: domain::api::ApiError = refused.json().await.unwrap();
    assert_eq!(error.error.code, ErrorCode::SecondFactorEnrolmentRequired);

    enrol(&clerk).await;
    assert!(!clerk.me().await.unwrap().must_enrol_second_factor);
    assert!(clerk.get("/api/v1/organizations").await.status().is_success());
}

/// A bureau administrator (not a demo account) signed in.
async fn admin(app: &TestApp) -> TestApp {
    let username = format!("admin.{}", uuid::Uuid::new_v4().simple());
    app.add_account(&username, Role::BureauAdmin, ScopeIds::default(), GOOD_PASSWORD)
        .await;
    app.signed_in_with(&username, GOOD_PASSWORD).await
}

async fn a_key_rotation_reseals_the_secrets_and_codes_still_sign_in(backend: Backend) {
    // Base64 of 32 bytes of 1, 2 and 3.
    let old = "k1:AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
    let new = "k2:AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=";
    let matching = "AwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM=";
    let app = spawn_app_with(backend, |c| {
        c.keys.data_key = Some(old.to_owned());
        c.keys.match_key = Some(matching.to_owned());
    })
    .await;
    let (clerk, id) = clerk(&app, "wu.clerk").await;
    let (secret, _) = enrol(&clerk).await;
    let db = app.db().await;
    let under =
        |key: &str| format!("SELECT COUNT(*) FROM user_totp WHERE user_id = {id} AND key_id = '{key}'");
    assert_eq!(db.count(&under("k1")).await, 1);

    let rotated =
        sheguan::crypto::DataKeys::from_config(Some(new), Some(old), Some(matching), false).unwrap();
    assert_eq!(sheguan::cli::reseal_totp(&app.store, &rotated).await.unwrap(), 1);
    assert_eq!(db.count(&under("k2")).await, 1);
    assert_eq!(
        sheguan::cli::reseal_totp(&app.store, &rotated).await.unwrap(),
        0,
        "nothing left under the retired key"
    );
    assert_eq!(
        db.count("SELECT COUNT(*) FROM audit_log WHERE entity_type = 'user_totp' AND action = 'reseal'")
            .await,
        1
    );

    // A server with the new key alone (the old one gone) still checks the clerk's codes.
    let after = app
        .another_server_with(|c| {
            c.keys.data_key = Some(new.to_owned());
            c.keys.data_keys_retired = None;
        })
        .await;
    let client = waiting(&after, "wu.clerk").await;
    let me = client.login_second_factor(&code(&secret, 1)).await.unwrap();
    assert_eq!(me.username, "wu.clerk");
}
