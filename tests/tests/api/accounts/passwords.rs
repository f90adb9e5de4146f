//! The password policy and the change an initial or reset password requires.

use domain::api::ErrorCode;
use domain::policy::{Role, Scope};
use reqwest::StatusCode;
use tests::{Backend, demo_password, on_both_backends, spawn_demo_app};

use super::{GOOD_PASSWORD, assert_refused, local_staff};

on_both_backends!(
    a_new_account_must_change_its_temporary_password_before_anything_else,
    weak_new_passwords_are_refused_naming_new_password,
    a_wrong_current_password_is_refused_naming_current_password,
    changing_my_password_ends_my_other_sessions_but_not_this_one,
);

async fn a_new_account_must_change_its_temporary_password_before_anything_else(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let admin = app.signed_in_as("demo-admin").await;
    let issued = admin
        .create_user(&local_staff("wang.wei", "340200"))
        .await
        .unwrap();
    let wang = app.another_client();

    let me = wang.login("wang.wei", &issued.temporary_password).await.unwrap();

    assert_eq!(issued.temporary_password.chars().count(), 16);
    assert!(issued.user.must_change_password);
    assert!(me.must_change_password);
    assert_eq!(me.role, Role::LocalStaff);
    assert!(matches!(&me.scope, Scope::Division { name, .. } if name == "芜湖市"));
    // Only what the change itself needs answers; every other protected route says why it does not.
    assert!(wang.me().await.unwrap().must_change_password);
    assert_eq!(wang.my_logins().await.unwrap()[0].outcome, "success");
    for path in ["/api/v1/users", "/api/v1/audit"] {
        let result = wang.get_json::<serde_json::Value>(path).await;
        assert_refused(result, StatusCode::FORBIDDEN, ErrorCode::PasswordChangeRequired);
    }
    assert!(wang.list_villages("").await.is_ok(), "public routes stay public");

    let changed = wang
        .change_password(&issued.temporary_password, GOOD_PASSWORD)
        .await
        .unwrap();

    assert!(!changed.must_change_password);
    assert!(!wang.me().await.unwrap().must_change_password);
    // From now on the role decides: local staff may not list accounts.
    assert_refused(
        wang.list_users("").await,
        StatusCode::FORBIDDEN,
        ErrorCode::Forbidden,
    );
    let again = app.another_client();
    assert_refused(
        again.login("wang.wei", &issued.temporary_password).await,
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthorized,
    );
    assert!(
        !again
            .login("wang.wei", GOOD_PASSWORD)
            .await
            .unwrap()
            .must_change_password
    );
    let rows = super::audit_rows(&admin, "actor=wang.wei&action=change_password").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].entity_id, issued.user.id.to_string());
}

async fn weak_new_passwords_are_refused_naming_new_password(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let wuhu = app.signed_in_as("demo-wuhu").await;
    let weak = [
        ("short-1", "至少"),
        ("password123", "常见"),
        ("qwertyuiop", "常见"),
        ("aaaaaaaaaaaa", "常见"),
        ("my-Demo-Wuhu-2026", "用户名"),
    ];

    for (password, reason) in weak {
        let (status, error) = wuhu
            .change_password(&demo_password(), password)
            .await
            .unwrap_err();

        assert_eq!(
            (status, error.error.code),
            (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Validation)
        );
        let message = error
            .field_message("new_password")
            .unwrap_or_else(|| panic!("{error:?}"));
        assert!(message.contains(reason), "{password}: {message}");
    }
    let (_, same) = wuhu
        .change_password(&demo_password(), &demo_password())
        .await
        .unwrap_err();
    assert!(same.field_message("new_password").unwrap().contains("相同"));
    // Nothing changed: the old password still signs in.
    app.another_client()
        .login("demo-wuhu", &demo_password())
        .await
        .unwrap();
}

async fn a_wrong_current_password_is_refused_naming_current_password(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let hefei = app.signed_in_as("demo-hefei").await;

    let (status, error) = hefei
        .change_password("not-my-password", GOOD_PASSWORD)
        .await
        .unwrap_err();

    assert_eq!(
        (status, error.error.code),
        (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Validation)
    );
    assert!(error.field_message("current_password").is_some(), "{error:?}");
    assert!(error.field_message("new_password").is_none());
    hefei.me().await.unwrap();
    app.another_client()
        .login("demo-hefei", &demo_password())
        .await
        .unwrap();
}

async fn changing_my_password_ends_my_other_sessions_but_not_this_one(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let phone = app.signed_in_as("demo-org").await;
    let desk = app.signed_in_as("demo-org").await;

    desk.change_password(&demo_password(), GOOD_PASSWORD)
        .await
        .unwrap();

    assert_eq!(desk.me().await.unwrap().username, "demo-org");
    assert_refused(
        phone.me().await,
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthorized,
    );
    assert_refused(
        app.another_client().login("demo-org", &demo_password()).await,
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthorized,
    );
    app.another_client()
        .login("demo-org", GOOD_PASSWORD)
        .await
        .unwrap();
}
