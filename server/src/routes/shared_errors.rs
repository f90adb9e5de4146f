//! The error answers every operation can give through the machinery all handlers share, written into the
//! OpenAPI document once rather than on each handler: the session extractor (401, 403), the cross-site
//! guard on state-changing requests (403), the JSON, query and path extractors (400, 413, 422), the
//! records out of reach (404) and the store (500, 503) — each in the error envelope (`ApiError`). A
//! handler's own entry for a status (a 409 that says what conflicts) is kept; this adds what it leaves out.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, ResponseBuilder};

/// When an operation can answer a status, and what it means.
struct Shared {
    status: &'static str,
    description: &'static str,
    applies: fn(&Shape) -> bool,
}

/// What the shared machinery sees of an operation.
struct Shape {
    /// It names a role set (`security(("session" = …))`): the session extractor runs.
    guarded: bool,
    /// POST, PUT, PATCH or DELETE: the cross-site guard runs.
    changes_state: bool,
    body: bool,
    query: bool,
    path: bool,
}

const SHARED: [Shared; 8] = [
    Shared {
        status: "400",
        description: "请求无法读取：请求体不是 JSON 或格式有误，或查询参数、路径参数无法识别（错误信封，尽可能指明字段）",
        applies: |op| op.body || op.query || op.path,
    },
    Shared {
        status: "401",
        description: "未登录，或会话已过期",
        applies: |op| op.guarded,
    },
    Shared {
        status: "403",
        description: "无权执行：角色不在允许之列、须先修改初始密码或开启两步验证；或跨站请求（非同源 JSON）被拒绝",
        applies: |op| op.guarded || op.changes_state,
    },
    Shared {
        status: "404",
        description: "未找到该记录（不在您范围内的记录同样答 404）",
        applies: |op| op.path,
    },
    Shared {
        status: "413",
        description: "请求内容过大",
        applies: |op| op.body,
    },
    Shared {
        status: "422",
        description: "提交的内容有误，逐字段说明",
        applies: |op| op.body || op.query,
    },
    Shared {
        status: "500",
        description: "内部错误（已记录，不透露细节）",
        applies: |_| true,
    },
    Shared {
        status: "503",
        description: "服务暂不可用：数据库无应答",
        applies: |_| true,
    },
];

/// Adds to every operation of `openapi` the shared error answers that apply to it.
pub fn add_shared_errors(openapi: &mut OpenApi) {
    for item in openapi.paths.paths.values_mut() {
        let operations = [
            (false, &mut item.get),
            (true, &mut item.post),
            (true, &mut item.put),
            (true, &mut item.patch),
            (true, &mut item.delete),
        ];
        for (changes_state, operation) in operations {
            if let Some(operation) = operation {
                add_to(operation, changes_state);
            }
        }
    }
}

fn add_to(operation: &mut Operation, changes_state: bool) {
    let parameters = operation.parameters.as_deref().unwrap_or_default();
    let located = |place: ParameterIn| parameters.iter().any(|p| p.parameter_in == place);
    let shape = Shape {
        guarded: guarded(operation),
        changes_state,
        body: operation.request_body.is_some(),
        query: located(ParameterIn::Query),
        path: located(ParameterIn::Path),
    };
    for shared in SHARED.iter().filter(|s| (s.applies)(&shape)) {
        operation
            .responses
            .responses
            .entry(shared.status.to_owned())
            .or_insert_with(|| envelope(shared.description));
    }
}

/// Whether the operation requires a session: a security requirement that names a scheme (public
/// operations declare the empty one).
fn guarded(operation: &Operation) -> bool {
    operation.security.iter().flatten().any(|requirement| {
        serde_json::to_value(requirement)
            .ok()
            .and_then(|value| value.as_object().map(|schemes| !schemes.is_empty()))
            .unwrap_or(false)
    })
}

/// An answer in the error envelope.
fn envelope(description: &str) -> RefOr<utoipa::openapi::Response> {
    let content = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("ApiError")))
        .build();
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content("application/json", content)
            .build(),
    )
}

#[cfg(test)]
mod tests {
    /// The statuses the document lists for `method path`.
    fn statuses(document: &serde_json::Value, path: &str, method: &str) -> Vec<String> {
        document["paths"][path][method]["responses"]
            .as_object()
            .unwrap_or_else(|| panic!("{method} {path} is in the document"))
            .keys()
            .cloned()
            .collect()
    }

    #[test]
    fn every_operation_lists_the_errors_its_shape_can_give_in_the_envelope() {
        let document = serde_json::to_value(super::super::openapi()).expect("the document serializes");
        // Guarded, with a path parameter and a body, changing state.
        let guarded = statuses(&document, "/api/v1/matters/{id}/resubmit", "post");
        for status in [
            "200", "400", "401", "403", "404", "409", "413", "422", "500", "503",
        ] {
            assert!(
                guarded.iter().any(|s| s == status),
                "resubmit: {status} in {guarded:?}"
            );
        }
        // Public and read-only: no 401 or 403; its own 429 kept.
        let public = statuses(&document, "/api/v1/public/organizations", "get");
        assert!(!public.iter().any(|s| s == "401" || s == "403"), "{public:?}");
        assert!(public.iter().any(|s| s == "429") && public.iter().any(|s| s == "422"));
        // Public but state-changing: the cross-site guard's 403.
        let login = statuses(&document, "/api/v1/auth/login", "post");
        assert!(login.iter().any(|s| s == "403") && login.iter().any(|s| s == "413"));
        // Every added answer is the envelope.
        let added = &document["paths"]["/api/v1/matters/{id}/resubmit"]["post"]["responses"]["413"];
        assert_eq!(
            added["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/ApiError"
        );
    }
}
