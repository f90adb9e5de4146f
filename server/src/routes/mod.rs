//! The JSON API under `/api/v1`: one folder per module (`accounts`, `registry`, `pairing`,
//! `contributions`, `jobs`; `villages` is one file), each with its `router()`; the shared reference data
//! (`divisions`), health and the API document sit beside them.

mod accounts;
mod contributions;
mod credit;
mod dashboard;
mod divisions;
mod docs;
mod dormant;
mod evidence;
mod fees;
mod health;
mod illegal;
mod inspection;
mod jobs;
pub(crate) mod pairing;
mod party;
mod penalties;
pub(crate) mod petitions;
pub(crate) mod publication;
pub(crate) mod registry;
mod shared_errors;
mod villages;

use axum::Router;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use domain::jobs::JobKind;
use domain::policy::RoleSet;

use crate::jobs::Progress;
use crate::jobs::export::{ExportFile, ExportParams};

use crate::error;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "社管 Sheguan API",
        version = env!("CARGO_PKG_VERSION"),
        description = "社会组织登记管理与百社进百村服务平台的 JSON 接口。错误一律以统一的错误信封返回，见 docs/API.md。"
    ),
    components(schemas(domain::api::ApiError, domain::api::ErrorBody, domain::api::FieldError, domain::api::ErrorCode)),
    modifiers(&SessionCookie)
)]
struct ApiDoc;

/// Declares the session cookie as the API's security scheme. Each operation names the role set that may
/// call it (`security(("session" = ["BureauOnly"]))`, a `domain::policy::RoleSet`'s name, the same set its
/// `Auth<BureauOnly>` extractor checks); the document lists the set's roles as the scheme's scopes. Public
/// operations declare `security(())`.
struct SessionCookie;

impl utoipa::Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::session::SECURE_COOKIE,
                "登录后由服务器设置的会话 Cookie（本机 HTTP 调试时名为 sheguan_session）",
            ))),
        );
    }
}

/// Replaces each role set's name in the operations' `security` scopes with the set's roles.
fn expand_role_sets(openapi: &mut utoipa::openapi::OpenApi) {
    for item in openapi.paths.paths.values_mut() {
        for operation in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            for requirement in operation.security.iter_mut().flatten() {
                *requirement = expanded(requirement);
            }
        }
    }
}

fn expanded(
    requirement: &utoipa::openapi::security::SecurityRequirement,
) -> utoipa::openapi::security::SecurityRequirement {
    let value = serde_json::to_value(requirement).expect("a security requirement serializes");
    let Some(schemes) = value.as_object().filter(|schemes| !schemes.is_empty()) else {
        return requirement.clone();
    };
    let (scheme, names) = schemes.iter().next().expect("one scheme");
    let roles = names.as_array().into_iter().flatten().flat_map(|name| {
        let name = name.as_str().unwrap_or_default();
        let set = RoleSet::named(name)
            .unwrap_or_else(|| panic!("unknown role set {name} in an OpenAPI security entry"));
        set.roles.iter().map(|role| role.key())
    });
    utoipa::openapi::security::SecurityRequirement::new(scheme.clone(), roles)
}

/// The API's routes with their OpenAPI descriptions, before the document is split off.
fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(accounts::router())
        .merge(divisions::router())
        .merge(villages::router())
        .merge(registry::router())
        .merge(pairing::router())
        .merge(contributions::router())
        .merge(inspection::router())
        .merge(credit::router())
        .merge(dormant::router())
        .merge(illegal::router())
        .merge(petitions::router())
        .merge(penalties::router())
        .merge(party::router())
        .merge(fees::router())
        .merge(publication::router())
        .merge(dashboard::router())
        .merge(jobs::router())
}

pub(crate) use registry::files::export::neutralize;
pub(crate) use registry::files::import_job::run as run_import;

/// Writes the file of an export job (or of a small export answered at once) with the module that owns
/// its records.
pub(crate) async fn write_export(
    state: &AppState,
    kind: JobKind,
    params: &ExportParams,
    progress: &Progress,
) -> anyhow::Result<ExportFile> {
    match kind {
        JobKind::ContributionsExport => contributions::export::write(state, params, progress).await,
        JobKind::OrganizationsExport => registry::files::export::write(state, params, progress).await,
        JobKind::AuditExport => accounts::audit::write(state, params, progress).await,
        JobKind::InspectionExport => inspection::export::write(state, params, progress).await,
        JobKind::FeesExport => fees::export::write(state, params, progress).await,
        JobKind::PublicationExport => publication::export::write(state, params, progress).await,
        other => anyhow::bail!("{} is not an export", other.key()),
    }
}

/// `/healthz`, `/readyz` and everything under `/api/v1`, with the OpenAPI document and its reference page.
/// Unknown paths fall through to the caller's fallback (see `web.rs`), which answers `/api/…` in JSON.
pub fn router(state: AppState) -> Router {
    let (api_router, openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", api())
        .split_for_parts();
    let mut openapi = openapi;
    complete(&mut openapi);
    Router::new()
        .merge(health::router())
        .merge(api_router)
        .merge(docs::router(std::sync::Arc::new(openapi)))
        .method_not_allowed_fallback(error::api_method_not_allowed)
        .with_state(state)
}

/// The OpenAPI document, for tools and tests that want it without a server.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut openapi = OpenApiRouter::<AppState>::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", api())
        .split_for_parts()
        .1;
    complete(&mut openapi);
    openapi
}

/// What the document needs beyond the handlers' own entries: each role set's roles, and the error
/// answers of the machinery every handler shares (`shared_errors`).
fn complete(openapi: &mut utoipa::openapi::OpenApi) {
    expand_role_sets(openapi);
    shared_errors::add_shared_errors(openapi);
}

#[cfg(test)]
mod tests {
    use domain::policy::Role;

    #[test]
    fn the_document_lists_roles_not_role_set_names() {
        let document = serde_json::to_value(super::openapi()).expect("the document serializes");
        let mut guarded = 0;
        for (path, item) in document["paths"].as_object().expect("paths") {
            for (method, operation) in item.as_object().expect("an operation map") {
                for requirement in operation["security"].as_array().into_iter().flatten() {
                    for roles in requirement.as_object().expect("a requirement").values() {
                        guarded += 1;
                        for role in roles.as_array().expect("scopes") {
                            let role = role.as_str().expect("a scope");
                            assert!(
                                Role::parse(role).is_some(),
                                "{method} {path}: {role} is not a role"
                            );
                        }
                    }
                }
            }
        }
        assert!(guarded > 50, "only {guarded} guarded operations");
    }

    /// Every value an enum of the document lists, with where it is.
    fn enum_values(value: &serde_json::Value, at: &str, out: &mut Vec<(String, String)>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, inner) in map {
                    if key == "enum" {
                        for v in inner.as_array().into_iter().flatten() {
                            out.push((at.to_owned(), v.as_str().unwrap_or_default().to_owned()));
                        }
                    } else {
                        enum_values(inner, &format!("{at}/{key}"), out);
                    }
                }
            }
            serde_json::Value::Array(items) => {
                for (i, inner) in items.iter().enumerate() {
                    enum_values(inner, &format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
    }

    /// The document lists the keys the API sends (`drawn`, `party.coverage`), not the Rust variants' names
    /// (`Drawn`): the
    /// schemas of labelled enums once did, and every answer carrying one contradicted the document.
    #[test]
    fn the_document_s_enums_list_the_keys_the_api_sends() {
        let document = serde_json::to_value(super::openapi()).expect("the document serializes");
        let roles = &document["components"]["schemas"]["Role"]["enum"];
        let keys: Vec<&str> = Role::ALL.iter().map(|r| r.key()).collect();
        assert_eq!(roles, &serde_json::json!(keys));
        let mut values = Vec::new();
        enum_values(&document, "", &mut values);
        assert!(values.len() > 300, "only {} enum values", values.len());
        for (at, value) in values {
            assert!(
                value
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.'),
                "{at}: {value} is not a wire key"
            );
        }
    }
}
