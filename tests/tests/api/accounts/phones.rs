//! Accounts' phone numbers: sealed at rest, shown masked, still signing in and still one account's each;
//! and one lockout per account whether its username or its number is typed.

use domain::api::{CreateUserRequest, ErrorCode};
use reqwest::StatusCode;
use sheguan::store::Actor;
use sheguan::store::phones::ACCOUNT_PHONES;
use tests::{Backend, Db, on_both_backends, spawn_demo_app};

use super::{actions, assert_refused, audit_rows, local_staff};

on_both_backends!(
    an_account_s_phone_number_is_sealed_at_rest_and_still_signs_in_and_stays_unique,
    a_number_stored_in_clear_before_is_sealed_by_the_pass_and_still_signs_in,
    failures_by_phone_and_by_username_lock_the_account_as_one,
);

const NUMBER: &str = "13812345678";

fn with_phone(username: &str, phone: &str) -> CreateUserRequest {
    CreateUserRequest {
        phone: Some(phone.to_owned()),
        ..local_staff(username, "340200")
    }
}

/// Rows anywhere in the accounts' tables, their sign-in records or the audit log that hold `number`
/// in clear.
async fn rows_in_clear(db: &Db, number: &str) -> i64 {
    let like = format!("'%{number}%'");
    let sql = format!(
        "SELECT (SELECT COUNT(*) FROM users WHERE phone IS NOT NULL OR phone_cipher LIKE {like}
                    OR phone_masked LIKE {like} OR phone_index LIKE {like} OR username LIKE {like})
              + (SELECT COUNT(*) FROM login_events WHERE username LIKE {like})
              + (SELECT COUNT(*) FROM audit_log WHERE actor_name LIKE {like} OR entity_id LIKE {like}
                    OR after_json LIKE {like} OR before_json LIKE {like})"
    );
    db.count(&sql).await
}

async fn an_account_s_phone_number_is_sealed_at_rest_and_still_signs_in_and_stays_unique(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let admin = app.signed_in_as("demo-admin").await;

    let issued = admin.create_user(&with_phone("zhao.lei", NUMBER)).await.unwrap();

    assert_eq!(issued.user.phone.as_deref(), Some("138****5678"));
    let db = app.db().await;
    let sealed = "SELECT COUNT(*) FROM users WHERE phone IS NULL AND phone_cipher LIKE 'v2:%'
                  AND phone_masked = '138****5678' AND LENGTH(phone_index) = 64 AND seal_ref IS NOT NULL";
    assert_eq!(db.count(sealed).await, 1);
    // Signs in by its number, however it is typed — and the attempt is recorded under the account.
    for typed in [NUMBER, "+86 138 1234 5678"] {
        let me = app
            .another_client()
            .login(typed, &issued.temporary_password)
            .await
            .unwrap();
        assert_eq!(me.username, "zhao.lei");
    }
    assert_eq!(rows_in_clear(&db, NUMBER).await, 0, "no number in clear anywhere");
    // Still one account's: another with the same number is refused, naming the field, and not made.
    let (status, error) = admin
        .create_user(&with_phone("qian.feng", NUMBER))
        .await
        .unwrap_err();
    assert_eq!(
        (status, error.error.code),
        (StatusCode::CONFLICT, ErrorCode::Conflict)
    );
    assert_eq!(error.field_message("phone"), Some("手机号已被其他账户使用"));
    assert_eq!(admin.list_users("q=qian").await.unwrap().total, 0);
    // The sealed number opens in its own row only.
    let keys = app.store.data_keys().expect("the server's store seals");
    let row = |column: &str| format!("SELECT {column} FROM users WHERE username = 'zhao.lei'");
    let (key_id, cipher) = (
        db.text(&row("phone_key_id")).await,
        db.text(&row("phone_cipher")).await,
    );
    let own = db.text(&row("seal_ref")).await;
    assert_eq!(
        keys.open(&key_id, &cipher, ACCOUNT_PHONES.context(&own)).unwrap(),
        NUMBER
    );
    assert!(
        keys.open(&key_id, &cipher, ACCOUNT_PHONES.context("another-row"))
            .is_err()
    );
}

async fn a_number_stored_in_clear_before_is_sealed_by_the_pass_and_still_signs_in(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let admin = app.signed_in_as("demo-admin").await;
    let issued = admin.create_user(&with_phone("zhao.lei", NUMBER)).await.unwrap();
    let id = issued.user.id;
    // As every account's number was stored before migration 0028.
    let db = app.db().await;
    let legacy = format!(
        "UPDATE users SET phone = '13900001111', seal_ref = NULL, phone_key_id = NULL, phone_cipher = NULL,
             phone_masked = NULL, phone_index = NULL WHERE id = {id}"
    );
    db.execute(&legacy).await.unwrap();
    // Before the pass (which every start runs before it serves): shown masked, and signs in.
    assert_eq!(
        admin.find_user(id).await.unwrap().phone.as_deref(),
        Some("139****1111")
    );
    let password = &issued.temporary_password;
    app.another_client().login("13900001111", password).await.unwrap();

    let keys = app.store.data_keys().expect("the server's store seals");
    let system = Actor {
        user_id: None,
        name: "test".to_owned(),
        role: None,
        client_addr: "test".to_owned(),
    };
    let sealed = app
        .store
        .seal_phones_in(&ACCOUNT_PHONES, keys, &system, false)
        .await;
    assert_eq!(sealed.unwrap(), 1);
    let again = app
        .store
        .seal_phones_in(&ACCOUNT_PHONES, keys, &system, false)
        .await;
    assert_eq!(again.unwrap(), 0, "nothing left");

    assert_eq!(rows_in_clear(&db, "13900001111").await, 0);
    assert_eq!(
        admin.find_user(id).await.unwrap().phone.as_deref(),
        Some("139****1111")
    );
    let me = app.another_client().login("13900001111", password).await.unwrap();
    assert_eq!(me.username, "zhao.lei");
    let taken = admin.create_user(&with_phone("qian.feng", "13900001111")).await;
    assert_eq!(
        taken.unwrap_err().1.field_message("phone"),
        Some("手机号已被其他账户使用")
    );
    let batches = audit_rows(&admin, "entity_type=users&action=seal_phones").await;
    assert_eq!(actions(&batches), ["seal_phones"], "the batch is audited");
}

async fn failures_by_phone_and_by_username_lock_the_account_as_one(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let admin = app.signed_in_as("demo-admin").await;
    let issued = admin.create_user(&with_phone("zhao.lei", NUMBER)).await.unwrap();
    let password = issued.temporary_password;
    let client = app.another_client();

    // Five wrong passwords, three by number and two by username: the fifth failure of one account.
    for typed in [NUMBER, NUMBER, NUMBER, "zhao.lei", "zhao.lei"] {
        assert_refused(
            client.login(typed, "not-the-password").await,
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthorized,
        );
    }

    // Locked under either name, even against the right password.
    for typed in ["zhao.lei", NUMBER, "zhao.lei"] {
        assert_refused(
            client.login(typed, &password).await,
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::RateLimited,
        );
    }
    let db = app.db().await;
    let counted = "SELECT COUNT(*) FROM login_events WHERE username = 'zhao.lei' AND outcome = 'failure'";
    assert_eq!(db.count(counted).await, 5);
    let rows = audit_rows(&admin, "actor=zhao.lei&entity_type=session").await;
    assert_eq!(
        actions(&rows),
        [
            "login_locked",
            "login_locked",
            "login_locked",
            "login_failed_lockout",
            "login_failed",
            "login_failed",
            "login_failed",
            "login_failed",
        ]
    );
}
