//! Administrators manage accounts: disable, enable, reset the password, change role and scope — each
//! change audited, personal fields masked.

use domain::api::{AuditRecord, ErrorCode, ScopeInput, UpdateUserRequest};
use domain::policy::{Role, Scope};
use reqwest::StatusCode;
use serde_json::json;
use tests::{Backend, TestApp, demo_password, on_both_backends, spawn_demo_app};

use super::{GOOD_PASSWORD, actions, assert_refused, audit_rows, local_staff};

on_both_backends!(
    disabling_an_account_ends_its_session_and_refuses_its_sign_in_until_enabled,
    a_reset_password_must_be_changed_again_at_the_next_sign_in,
    a_phone_number_is_masked_in_answers_and_in_the_audit_log,
    changing_an_account_s_role_or_scope_ends_its_sessions_and_is_audited,
    an_administrator_can_neither_disable_nor_demote_themselves,
);

/// The audit rows about the account `id`, newest first.
async fn rows_about(admin: &TestApp, id: i64) -> Vec<AuditRecord> {
    audit_rows(admin, &format!("entity_type=user&entity_id={id}")).await
}

#[track_caller]
fn assert_by_admin(row: &AuditRecord) {
    assert_eq!(row.actor_name, "demo-admin", "{row:?}");
    assert_eq!(row.actor_role, Some(Role::BureauAdmin));
    assert_eq!(row.entity_type, "user");
}

async fn disabling_an_account_ends_its_session_and_refuses_its_sign_in_until_enabled(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let admin = app.signed_in_as("demo-admin").await;
    let wuhu = app.signed_in_as("demo-wuhu").await;
    let id = wuhu.me().await.unwrap().user_id;

    let disabled = admin.disable_user(id, "调离岗位").await.unwrap();

    assert!(disabled.disabled);
    assert_refused(wuhu.me().await, StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized);
    let (status, refused) = app
        .another_client()
        .login("demo-wuhu", &demo_password())
        .await
        .unwrap_err();
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        refused.error.message, "用户名或密码错误",
        "says no more than a wrong password"
    );

    let enabled = admin.enable_user(id, "回到岗位").await.unwrap();

    assert!(!enabled.disabled);
    app.another_client()
        .login("demo-wuhu", &demo_password())
        .await
        .unwrap();
    let rows = rows_about(&admin, id).await;
    assert_eq!(actions(&rows)[..2], ["enable", "disable"]);
    let (enable, disable) = (&rows[0], &rows[1]);
    assert_by_admin(enable);
    assert_by_admin(disable);
    assert_eq!(disable.before, Some(json!({ "disabled": false })));
    assert_eq!(disable.after, Some(json!({ "disabled": true })));
    assert_eq!(disable.reason.as_deref(), Some("调离岗位"));
    assert_eq!(enable.before, Some(json!({ "disabled": true })));
    assert_eq!(enable.after, Some(json!({ "disabled": false })));
    assert_eq!(enable.reason.as_deref(), Some("回到岗位"));
}

async fn a_reset_password_must_be_changed_again_at_the_next_sign_in(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let admin = app.signed_in_as("demo-admin").await;
    let hefei = app.signed_in_as("demo-hefei").await;
    let id = hefei.me().await.unwrap().user_id;

    let issued = admin.reset_password(id, "忘记密码").await.unwrap();

    assert!(issued.user.must_change_password);
    assert_ne!(issued.temporary_password, demo_password());
    assert_refused(
        hefei.me().await,
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthorized,
    );
    let again = app.another_client();
    assert_refused(
        again.login("demo-hefei", &demo_password()).await,
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthorized,
    );
    assert!(
        again
            .login("demo-hefei", &issued.temporary_password)
            .await
            .unwrap()
            .must_change_password
    );
    assert_refused(
        again.get_json::<serde_json::Value>("/api/v1/audit").await,
        StatusCode::FORBIDDEN,
        ErrorCode::PasswordChangeRequired,
    );
    again
        .change_password(&issued.temporary_password, GOOD_PASSWORD)
        .await
        .unwrap();
    assert!(!again.me().await.unwrap().must_change_password);

    let rows = rows_about(&admin, id).await;
    assert_eq!(actions(&rows)[..2], ["change_password", "reset_password"]);
    let reset = &rows[1];
    assert_by_admin(reset);
    assert_eq!(reset.before, Some(json!({ "must_change_password": false })));
    assert_eq!(reset.after, Some(json!({ "must_change_password": true })));
    assert_eq!(reset.reason.as_deref(), Some("忘记密码"));
    assert_eq!(rows[0].actor_name, "demo-hefei");
    let log = serde_json::to_string(&audit_rows(&admin, "").await).unwrap();
    assert!(
        !log.contains(&issued.temporary_password),
        "no password in the audit log"
    );
    assert!(!log.contains(GOOD_PASSWORD));
}

async fn a_phone_number_is_masked_in_answers_and_in_the_audit_log(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let admin = app.signed_in_as("demo-admin").await;
    let request = domain::api::CreateUserRequest {
        phone: Some("13812345678".to_owned()),
        ..local_staff("zhao.lei", "340200")
    };

    let issued = admin.create_user(&request).await.unwrap();

    assert_eq!(issued.user.phone.as_deref(), Some("138****5678"));
    let id = issued.user.id;
    assert_eq!(
        admin.find_user(id).await.unwrap().phone.as_deref(),
        Some("138****5678")
    );
    let rows = rows_about(&admin, id).await;
    assert_eq!(actions(&rows), ["create"]);
    assert_by_admin(&rows[0]);
    assert_eq!(rows[0].before, None);
    let after = rows[0].after.as_ref().unwrap();
    assert_eq!(after["phone"], "138****5678");
    assert_eq!(after["username"], "zhao.lei");
    assert_eq!(after["role"], "local_staff");
    let log = serde_json::to_string(&audit_rows(&admin, "").await).unwrap();
    let export = admin.export_audit("").await.text().await.unwrap();
    assert!(
        !log.contains("13812345678"),
        "the full number is never in the audit log"
    );
    assert!(!export.contains("13812345678"));
    assert!(export.contains("138****5678"));
    // The number still signs in.
    let by_phone = app.another_client();
    let me = by_phone
        .login("13812345678", &issued.temporary_password)
        .await
        .unwrap();
    assert_eq!(me.username, "zhao.lei");
}

async fn changing_an_account_s_role_or_scope_ends_its_sessions_and_is_audited(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let admin = app.signed_in_as("demo-admin").await;
    let wuhu = app.signed_in_as("demo-wuhu").await;
    let id = wuhu.me().await.unwrap().user_id;
    let change = UpdateUserRequest {
        display_name: "芜湖市民政局（调往合肥）".to_owned(),
        role: Role::LocalStaff,
        scope: ScopeInput {
            division_code: Some("340100".to_owned()),
            ..ScopeInput::default()
        },
    };

    let updated = admin.update_user(id, &change).await.unwrap();

    assert!(matches!(&updated.scope, Scope::Division { name, .. } if name == "合肥市"));
    assert_refused(wuhu.me().await, StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized);
    let me = app.signed_in_as("demo-wuhu").await.me().await.unwrap();
    assert!(matches!(&me.scope, Scope::Division { name, .. } if name == "合肥市"));
    let rows = rows_about(&admin, id).await;
    assert_eq!(rows[0].action, "update");
    assert_by_admin(&rows[0]);
    let (before, after) = (rows[0].before.as_ref().unwrap(), rows[0].after.as_ref().unwrap());
    assert_eq!(before["display_name"], "芜湖市民政局（演示）");
    assert_eq!(before["scope"]["code"], "340200");
    assert_eq!(after["display_name"], "芜湖市民政局（调往合肥）");
    assert_eq!(after["scope"]["division_code"], "340100");

    let (status, error) = admin
        .update_user(
            id,
            &UpdateUserRequest {
                scope: ScopeInput::default(),
                ..change
            },
        )
        .await
        .unwrap_err();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error.field_message("division_code").is_some(), "{error:?}");
}

async fn an_administrator_can_neither_disable_nor_demote_themselves(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let admin = app.signed_in_as("demo-admin").await;
    let id = admin.me().await.unwrap().user_id;

    let (status, error) = admin.disable_user(id, "误操作").await.unwrap_err();

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error.field_message("id").is_some());
    let demote = UpdateUserRequest {
        display_name: "省局管理员".to_owned(),
        role: Role::LocalStaff,
        scope: ScopeInput {
            division_code: Some("340100".to_owned()),
            ..ScopeInput::default()
        },
    };
    let (status, error) = admin.update_user(id, &demote).await.unwrap_err();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error.field_message("role").is_some(), "{error:?}");
    let me = admin.find_user(id).await.unwrap();
    assert_eq!((me.role, me.disabled), (Role::BureauAdmin, false));
    assert_refused(
        admin.find_user(9_999).await,
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
    );
}
