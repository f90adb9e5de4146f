//! Who may call what: every route as every role, and what each role's scope is.

use domain::api::{ApiError, ErrorCode};
use domain::division::DivisionCode;
use domain::policy::{Role, Scope};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use tests::{Backend, TestApp, demo_account, on_both_backends, spawn_demo_app};

use super::{assert_refused, local_staff};

on_both_backends!(
    every_route_declares_its_roles_and_answers_each_role_accordingly,
    local_staff_see_public_reference_data_but_cannot_read_or_change_accounts,
    each_demo_account_is_scoped_to_its_part_of_the_province,
);

/// Who an operation of the OpenAPI document admits.
#[derive(Debug, Clone, PartialEq)]
enum Access {
    /// `security: [{}]`: anyone, signed in or not.
    Public,
    /// `security: [{"session": [roles…]}]`: a session of one of these roles.
    Roles(Vec<Role>),
}

#[derive(Debug)]
struct Operation {
    method: Method,
    path: String,
    access: Access,
}

impl Operation {
    fn name(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    fn admits(&self, role: Role) -> bool {
        match &self.access {
            Access::Public => true,
            Access::Roles(roles) => roles.contains(&role),
        }
    }
}

/// Every operation of the document with its rule; a route that declares none fails the test.
fn operations(openapi: &Value) -> Vec<Operation> {
    let paths = openapi["paths"]
        .as_object()
        .expect("paths in the OpenAPI document");
    let mut operations = Vec::new();
    for (path, item) in paths {
        for (method, operation) in item.as_object().expect("a path item") {
            let Ok(method) = method.to_uppercase().parse::<Method>() else {
                continue; // `parameters`, `summary`…: not an operation
            };
            let name = format!("{method} {path}");
            operations.push(Operation {
                access: access(&name, operation),
                method,
                path: path.clone(),
            });
        }
    }
    operations
}

fn access(name: &str, operation: &Value) -> Access {
    let requirements = operation
        .get("security")
        .and_then(Value::as_array)
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| {
            panic!(
                "{name}: route without a rule — declare `security(())` (public) or the roles that may call it"
            )
        });
    assert_eq!(requirements.len(), 1, "{name}: one security requirement expected");
    let requirement = requirements[0].as_object().expect("a security requirement");
    if requirement.is_empty() {
        return Access::Public;
    }
    let (scheme, roles) = requirement.iter().next().unwrap();
    assert_eq!(requirement.len(), 1, "{name}: one security scheme expected");
    assert_eq!(scheme, "session", "{name}: unknown security scheme");
    let roles: Vec<Role> = roles
        .as_array()
        .expect("a list of roles")
        .iter()
        .map(|role| {
            let role = role.as_str().expect("a role name");
            Role::parse(role).unwrap_or_else(|| panic!("{name}: unknown role {role}"))
        })
        .collect();
    assert!(
        !roles.is_empty(),
        "{name}: a session rule admits at least one role"
    );
    Access::Roles(roles)
}

/// Calls `operation` on `client` with `{}` for a body; the status, after checking that an error is in
/// the envelope.
async fn call(client: &TestApp, operation: &Operation, path: &str) -> StatusCode {
    let mut request = client.client.request(operation.method.clone(), client.url(path));
    if operation.method != Method::GET {
        request = request.json(&serde_json::json!({}));
    }
    let response = request.send().await.expect("request");
    let status = response.status();
    if !status.is_success() {
        let body = response.bytes().await.unwrap();
        if let Err(e) = serde_json::from_slice::<ApiError>(&body) {
            panic!(
                "{}: {status} not in the error envelope ({e}): {}",
                operation.name(),
                String::from_utf8_lossy(&body)
            );
        }
    }
    status
}

async fn every_route_declares_its_roles_and_answers_each_role_accordingly(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let admin = app.signed_in_as("demo-admin").await;
    // `{id}` is a spare account: the walk disables and resets it, not an account it signs in as.
    let spare = admin
        .create_user(&local_staff("walk.spare", "340200"))
        .await
        .unwrap()
        .user
        .id;
    let openapi: Value = app.get_json("/api/v1/openapi.json").await.unwrap();
    let operations = operations(&openapi);
    let mut readers = Vec::new();
    for role in Role::ALL {
        readers.push((role, app.signed_in_as(demo_account(role)).await));
    }

    assert!(
        operations.iter().any(|o| o.path == "/api/v1/users/{id}/disable"),
        "the walk sees the account routes"
    );
    for operation in &operations {
        // `{id}` is the spare account; any other parameter (a run, a village code, a file) gets `1`:
        // a listed role may then meet a 404, never a 401 or 403.
        let path = fill_other_parameters(&operation.path.replace("{id}", &spare.to_string()));
        assert!(
            !path.contains('{'),
            "{}: fill its path parameters",
            operation.name()
        );

        let anonymous = call(&app.another_client(), operation, &path).await;
        match operation.access {
            Access::Public => assert!(
                !matches!(anonymous, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN),
                "{}: public, yet {anonymous} for an anonymous caller",
                operation.name()
            ),
            Access::Roles(_) => assert_eq!(
                anonymous,
                StatusCode::UNAUTHORIZED,
                "{}: anonymous caller",
                operation.name()
            ),
        }

        for (role, reader) in &readers {
            // A call that changes state (signing out, above all) gets a session of its own.
            let status = if operation.method == Method::GET {
                call(reader, operation, &path).await
            } else {
                let caller = app.signed_in_as(demo_account(*role)).await;
                call(&caller, operation, &path).await
            };
            if operation.admits(*role) {
                assert!(
                    !matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN),
                    "{}: {role:?} is admitted, yet {status}",
                    operation.name()
                );
            } else {
                assert_eq!(
                    status,
                    StatusCode::FORBIDDEN,
                    "{}: {role:?} is not admitted",
                    operation.name()
                );
            }
        }
    }
}

async fn local_staff_see_public_reference_data_but_cannot_read_or_change_accounts(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let hefei = app.signed_in_as("demo-hefei").await;
    let admin_id = app.signed_in_as("demo-admin").await.me().await.unwrap().user_id;
    let accounts = app
        .signed_in_as("demo-admin")
        .await
        .list_users("")
        .await
        .unwrap()
        .total;

    let villages = hefei.list_villages("city=340100").await.unwrap();
    let divisions = hefei.list_divisions().await.unwrap();

    assert!(villages.total > 0);
    assert_eq!(divisions.cities.len(), 16);
    let forbidden =
        |result: Result<_, _>| assert_refused(result, StatusCode::FORBIDDEN, ErrorCode::Forbidden);
    forbidden(hefei.list_users("").await.map(drop));
    forbidden(hefei.find_user(admin_id).await.map(drop));
    forbidden(
        hefei
            .create_user(&local_staff("hefei.friend", "340100"))
            .await
            .map(drop),
    );
    forbidden(hefei.disable_user(admin_id, "越权").await.map(drop));
    forbidden(hefei.reset_password(admin_id, "越权").await.map(drop));
    forbidden(hefei.list_audit("").await.map(drop));
    let admin = app.signed_in_as("demo-admin").await;
    let users = admin.list_users("").await.unwrap();
    assert_eq!(users.total, accounts, "no account was created");
    assert!(users.items.iter().all(|u| !u.disabled && !u.must_change_password));
}

async fn each_demo_account_is_scoped_to_its_part_of_the_province(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let division = |code: &str, name: &str| Scope::Division {
        code: DivisionCode::parse(code).unwrap(),
        name: name.to_owned(),
    };

    let admin = app.signed_in_as("demo-admin").await.me().await.unwrap();
    let hefei = app.signed_in_as("demo-hefei").await.me().await.unwrap();
    let wuhu = app.signed_in_as("demo-wuhu").await.me().await.unwrap();
    let org = app.signed_in_as("demo-org").await.me().await.unwrap();
    let instructor = app.signed_in_as("demo-instructor").await.me().await.unwrap();

    assert_eq!((admin.role, admin.scope), (Role::BureauAdmin, Scope::Province));
    assert_eq!(
        (hefei.role, hefei.scope),
        (Role::LocalStaff, division("340100", "合肥市"))
    );
    assert_eq!(
        (wuhu.role, wuhu.scope),
        (Role::LocalStaff, division("340200", "芜湖市"))
    );
    assert_eq!(org.role, Role::OrgUser);
    let Scope::Organization { id: org_id, name } = org.scope else {
        panic!("demo-org is scoped to one organization: {:?}", org.scope);
    };
    assert_eq!(name, "安徽省乡村振兴促进会");
    assert_eq!(instructor.role, Role::Instructor);
    let Scope::Organizations { ids } = instructor.scope else {
        panic!(
            "demo-instructor is scoped to organizations: {:?}",
            instructor.scope
        );
    };
    assert_eq!(ids.len(), 4);
    assert!(ids.contains(&org_id));
}

/// Replaces every `{name}` left in a path with `1`.
fn fill_other_parameters(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        match rest[start..].find('}') {
            Some(end) => {
                out.push('1');
                rest = &rest[start + end + 1..];
            }
            None => {
                rest = &rest[start..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}
