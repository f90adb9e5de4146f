//! The audit log: written in the transaction of the change, append-only in the database, browsed and
//! exported by administrators.

use chrono::TimeDelta;
use domain::api::{CreateUserRequest, ErrorCode};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use tests::{Backend, Db, on_both_backends, spawn_demo_app};

use super::{actions, assert_refused, audit_rows, local_staff};

on_both_backends!(
    a_refused_write_leaves_no_audit_row_and_a_committed_one_always_has_one,
    a_change_whose_audit_row_cannot_be_written_does_not_happen,
    the_database_refuses_to_change_or_delete_audit_rows,
    the_audit_log_is_filtered_by_actor_action_entity_and_date,
    the_audit_export_is_a_csv_with_a_bom_a_header_and_the_matching_rows,
    a_malformed_audit_date_is_refused_naming_the_field,
);

fn with_phone(username: &str, phone: &str) -> CreateUserRequest {
    CreateUserRequest {
        phone: Some(phone.to_owned()),
        ..local_staff(username, "340200")
    }
}

async fn a_refused_write_leaves_no_audit_row_and_a_committed_one_always_has_one(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let admin = app.signed_in_as("demo-admin").await;
    admin
        .create_user(&with_phone("zhao.lei", "13812345678"))
        .await
        .unwrap();
    let rows_before = admin.list_audit("").await.unwrap().total;

    let same_name = admin.create_user(&with_phone("zhao.lei", "13900000000")).await;
    // Passes the handler's checks; the database's unique index refuses it inside the transaction.
    let same_phone = admin.create_user(&with_phone("qian.feng", "13812345678")).await;

    let (status, error) = same_name.unwrap_err();
    assert_eq!(
        (status, error.error.code),
        (StatusCode::CONFLICT, ErrorCode::Conflict)
    );
    assert!(error.field_message("username").is_some(), "{error:?}");
    let (status, error) = same_phone.unwrap_err();
    assert_eq!(
        (status, error.error.code),
        (StatusCode::CONFLICT, ErrorCode::Conflict)
    );
    assert!(error.field_message("phone").is_some(), "{error:?}");
    assert_eq!(admin.list_audit("").await.unwrap().total, rows_before);
    assert_eq!(admin.list_users("q=qian").await.unwrap().total, 0);
    for user in admin.list_users("per_page=100").await.unwrap().items {
        let query = format!("entity_type=user&entity_id={}&action=create", user.id);
        assert_eq!(
            admin.list_audit(&query).await.unwrap().total,
            1,
            "{} has its creation audited",
            user.username
        );
    }
}

/// Makes the database refuse to record `action` in the audit log, as a full disk or a bug would.
async fn refuse_audit_of(db: &Db, action: &str) {
    let statements = match db {
        Db::Sqlite(_) => vec![format!(
            "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log WHEN NEW.action = '{action}'
             BEGIN SELECT RAISE(ABORT, 'audit refused'); END"
        )],
        Db::Postgres(_) => vec![
            format!(
                "CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN IF NEW.action = '{action}' THEN RAISE EXCEPTION 'audit refused'; END IF; RETURN NEW; END $$"
            ),
            "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log
             FOR EACH ROW EXECUTE FUNCTION refuse_audit()"
                .to_owned(),
        ],
    };
    for statement in statements {
        db.execute(&statement).await.unwrap();
    }
}

async fn a_change_whose_audit_row_cannot_be_written_does_not_happen(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let admin = app.signed_in_as("demo-admin").await;
    let wuhu = app.signed_in_as("demo-wuhu").await;
    let id = wuhu.me().await.unwrap().user_id;
    refuse_audit_of(&app.db().await, "disable").await;

    let result = admin.disable_user(id, "调离岗位").await;

    assert_refused(result, StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal);
    assert!(
        !admin.find_user(id).await.unwrap().disabled,
        "the change was rolled back"
    );
    assert_eq!(
        wuhu.me().await.unwrap().username,
        "demo-wuhu",
        "and its session kept"
    );
}

async fn the_database_refuses_to_change_or_delete_audit_rows(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let db = app.db().await;
    let rows = db.count("SELECT COUNT(*) FROM audit_log").await;
    let first_row_blanks = "SELECT COUNT(*) FROM audit_log WHERE id = 1 AND after_json IS NULL";
    let blank_before = db.count(first_row_blanks).await;
    let mut tampering = vec![
        "UPDATE audit_log SET action = 'tampered'",
        "UPDATE audit_log SET after_json = NULL WHERE id = 1",
        "DELETE FROM audit_log WHERE id = 1",
        "DELETE FROM audit_log",
    ];
    if matches!(db, Db::Postgres(_)) {
        tampering.push("TRUNCATE audit_log");
    }

    for statement in tampering {
        let error = db
            .execute(statement)
            .await
            .expect_err(&format!("{statement} must fail"));
        assert!(error.to_string().contains("append-only"), "{statement}: {error}");
    }

    assert!(rows >= 5, "the demo accounts' creation is logged");
    assert_eq!(db.count("SELECT COUNT(*) FROM audit_log").await, rows);
    assert_eq!(
        db.count("SELECT COUNT(*) FROM audit_log WHERE action = 'tampered'")
            .await,
        0
    );
    assert_eq!(
        db.count(first_row_blanks).await,
        blank_before,
        "row 1 is unchanged"
    );
}

async fn the_audit_log_is_filtered_by_actor_action_entity_and_date(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    // The demo seed acted as demo-admin too (the fee inspections it drew it for): what follows is this test's.
    let started = chrono::Utc::now() - TimeDelta::milliseconds(1);
    let admin = app.signed_in_as("demo-admin").await;
    let id = admin
        .create_user(&local_staff("sun.li", "340100"))
        .await
        .unwrap()
        .user
        .id;
    admin.disable_user(id, "测试").await.unwrap();
    let _ = app.another_client().login("demo-org", "not-the-password").await;
    let all = audit_rows(&admin, "").await;

    let since_started = |rows: Vec<domain::api::AuditRecord>| -> Vec<domain::api::AuditRecord> {
        rows.into_iter().filter(|r| r.at >= started).collect()
    };
    let by_admin = since_started(audit_rows(&admin, "actor=demo-admin").await);
    let by_admin_upper = since_started(audit_rows(&admin, "actor=DEMO-ADMIN").await);
    let by_system = audit_rows(&admin, "actor=system&entity_type=user&action=create").await;
    let disables = audit_rows(&admin, "action=disable").await;
    let about_user = audit_rows(&admin, &format!("entity_type=user&entity_id={id}")).await;
    let failures = audit_rows(&admin, "entity_type=session&action=login_failed").await;

    assert!(by_admin.iter().all(|r| r.actor_name == "demo-admin"));
    assert_eq!(actions(&by_admin), ["disable", "create", "login"]);
    assert_eq!(by_admin_upper, by_admin);
    // The six demo logins (the party seed adds a pool of instructors beside them).
    let seeded_accounts = by_system.iter().filter(|r| {
        r.entity_type == "user"
            && r.action == "create"
            && r.after
                .as_ref()
                .is_some_and(|a| a["username"].as_str().is_some_and(|u| u.starts_with("demo-")))
    });
    assert_eq!(
        seeded_accounts.count(),
        6,
        "the demo accounts were created by the seed"
    );
    assert_eq!(disables.len(), 1);
    assert_eq!(disables[0].entity_id, id.to_string());
    assert_eq!(actions(&about_user), ["disable", "create"]);
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].actor_name, "demo-org");

    // The demo seed writes more rows than one page holds: compare with the total, not the page.
    let total = admin.list_audit("").await.unwrap().total;
    let first = all.iter().map(|r| r.at.date_naive()).min().unwrap();
    let last = all.iter().map(|r| r.at.date_naive()).max().unwrap();
    let day = TimeDelta::days(1);
    let within = admin
        .list_audit(&format!("from={first}&to={last}"))
        .await
        .unwrap();
    let after = admin.list_audit(&format!("from={}", last + day)).await.unwrap();
    let before = admin.list_audit(&format!("to={}", first - day)).await.unwrap();
    assert_eq!(within.total, total);
    assert_eq!((after.total, before.total), (0, 0));
    let page = admin.list_audit("per_page=2&page=2").await.unwrap();
    assert_eq!(page.items, all[2..4]);
    assert_eq!(page.total, total);
}

async fn the_audit_export_is_a_csv_with_a_bom_a_header_and_the_matching_rows(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let admin = app.signed_in_as("demo-admin").await;
    // A name a spreadsheet would run as a formula.
    let _ = app.another_client().login("=1+2", "not-the-password").await;
    let users = admin.list_audit("entity_type=user").await.unwrap().total;

    let response = admin.export_audit("entity_type=user").await;
    let formula = admin.export_audit("action=login_failed").await;

    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        response.headers()[CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let bytes = response.bytes().await.unwrap();
    assert_eq!(bytes[..3], [0xEF, 0xBB, 0xBF], "a BOM, for Excel and WPS");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with(&format!("审计日志：共 {users} 条（筛选条件：对象类型=user")),
        "the file says what it holds: {}",
        lines[0]
    );
    assert_eq!(
        lines[1],
        "编号,时间,操作人,角色,来源地址,对象类型,对象编号,操作,变更前,变更后,原因"
    );
    assert_eq!(lines.len() as u64 - 2, users);
    assert!(lines[2..].iter().all(|line| line.contains(",user,")));
    assert!(
        lines
            .iter()
            .any(|line| line.contains("system") && line.contains("演示数据"))
    );
    let formula = formula.text().await.unwrap();
    assert!(formula.contains(",'=1+2,"), "{formula}");
    assert!(!formula.contains(",=1+2,"));
}

async fn a_malformed_audit_date_is_refused_naming_the_field(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let admin = app.signed_in_as("demo-admin").await;

    let bad_from = admin.list_audit("from=2026-13-01").await;
    let bad_to = admin.export_audit("to=2026-02-30").await;
    let reversed = admin.list_audit("from=2026-03-02&to=2026-03-01").await;

    let (status, error) = bad_from.unwrap_err();
    assert_eq!(
        (status, error.error.code),
        (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Validation)
    );
    assert!(error.field_message("from").unwrap().contains("YYYY-MM-DD"));
    let (status, error) = tests::decode::<serde_json::Value>(bad_to).await.unwrap_err();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error.field_message("to").is_some(), "{error:?}");
    let (_, error) = reversed.unwrap_err();
    assert!(error.field_message("to").is_some(), "{error:?}");
}
