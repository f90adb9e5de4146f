//! The OpenAPI document (`/api/v1/openapi.json`) and a browsable reference page rendered from it
//! (`/api/docs`), served locally: no CDN, no script.

use std::fmt::Write;
use std::sync::Arc;

use axum::Router;
use axum::http::header;
use axum::response::Html;
use axum::routing::get;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{OpenApi, RefOr};

use crate::state::AppState;

const DOCS_CSS: &str = include_str!("../../assets/api-docs.css");

pub fn router(openapi: Arc<OpenApi>) -> Router<AppState> {
    let html = Arc::new(render(&openapi));
    Router::new()
        .route(
            "/api/v1/openapi.json",
            get(move || async move { axum::Json(openapi.as_ref().clone()) }),
        )
        .route(
            "/api/docs",
            get(move || async move { Html(html.as_ref().clone()) }),
        )
        .route(
            "/api/docs.css",
            get(|| async { ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], DOCS_CSS) }),
        )
}

/// Renders the reference page: one section per operation, with its parameters and responses.
fn render(openapi: &OpenApi) -> String {
    let mut out = String::new();
    let title = escape(&openapi.info.title);
    let _ = write!(
        out,
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} 接口参考</title><link rel=\"stylesheet\" href=\"/api/docs.css\"></head><body>\
         <header><h1>{title} · 接口参考</h1><p>{}</p>\
         <p><a href=\"/api/v1/openapi.json\">OpenAPI 3.1 文档（JSON）</a> · <a href=\"/\">返回应用</a></p></header><main>",
        escape(openapi.info.description.as_deref().unwrap_or_default())
    );
    let _ = write!(out, "<nav><ul>");
    for (path, item) in openapi.paths.paths.iter() {
        for (method, _) in operations(item) {
            let _ = write!(
                out,
                "<li><a href=\"#{}\"><code class=\"method {method}\">{}</code> {}</a></li>",
                anchor(method, path),
                method.to_uppercase(),
                escape(path)
            );
        }
    }
    let _ = write!(out, "</ul></nav>");
    for (path, item) in openapi.paths.paths.iter() {
        for (method, op) in operations(item) {
            render_operation(&mut out, method, path, op);
        }
    }
    out.push_str("</main></body></html>");
    out
}

fn render_operation(out: &mut String, method: &str, path: &str, op: &Operation) {
    let _ = write!(
        out,
        "<section id=\"{}\"><h2><code class=\"method {method}\">{}</code> <code>{}</code></h2>",
        anchor(method, path),
        method.to_uppercase(),
        escape(path)
    );
    for text in [&op.summary, &op.description].into_iter().flatten() {
        let _ = write!(out, "<p>{}</p>", escape(text));
    }
    if let Some(params) = op.parameters.as_ref().filter(|p| !p.is_empty()) {
        out.push_str("<h3>参数</h3><table><tr><th>名称</th><th>位置</th><th>必填</th><th>说明</th></tr>");
        for p in params {
            let location = match p.parameter_in {
                ParameterIn::Query => "query",
                ParameterIn::Path => "path",
                ParameterIn::Header => "header",
                ParameterIn::Cookie => "cookie",
            };
            let required = matches!(p.required, utoipa::openapi::Required::True);
            let _ = write!(
                out,
                "<tr><td><code>{}</code></td><td>{location}</td><td>{}</td><td>{}</td></tr>",
                escape(&p.name),
                if required { "是" } else { "否" },
                escape(p.description.as_deref().unwrap_or_default())
            );
        }
        out.push_str("</table>");
    }
    if let Some(body) = &op.request_body {
        let types = body
            .content
            .keys()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ");
        let _ = write!(out, "<h3>请求体</h3><p><code>{}</code></p>", escape(&types));
    }
    out.push_str("<h3>响应</h3><table><tr><th>状态</th><th>说明</th></tr>");
    for (status, response) in op.responses.responses.iter() {
        let description = match response {
            RefOr::T(r) => r.description.clone(),
            RefOr::Ref(r) => r.ref_location.clone(),
        };
        let _ = write!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td></tr>",
            escape(status),
            escape(&description)
        );
    }
    out.push_str("</table></section>");
}

fn operations(item: &utoipa::openapi::PathItem) -> impl Iterator<Item = (&'static str, &Operation)> {
    [
        ("get", &item.get),
        ("post", &item.post),
        ("put", &item.put),
        ("patch", &item.patch),
        ("delete", &item.delete),
    ]
    .into_iter()
    .filter_map(|(method, op)| op.as_ref().map(|op| (method, op)))
}

fn anchor(method: &str, path: &str) -> String {
    let slug: String = path
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("{method}{slug}")
}

/// HTML-escapes text for element content and double-quoted attributes.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
