//! Cross-site request forgery: a state-changing API request must come from this origin as JSON.
//!
//! A page on another site can make a browser post a form (urlencoded, multipart or text/plain) with the
//! user's cookies, but cannot send `application/json` without a CORS preflight, which this server never
//! grants. Browsers also say where a request comes from (`Origin`, `Sec-Fetch-Site`): either must agree.

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::Error;

pub async fn same_origin_only(request: Request<Body>, next: Next) -> Response {
    let unsafe_method = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method && request.uri().path().starts_with("/api/") && !is_same_origin(request.headers()) {
        tracing::warn!(uri = %request.uri(), "refused a cross-site request");
        return Error::CrossSite.into_response();
    }
    next.run(request).await
}

fn is_same_origin(headers: &HeaderMap) -> bool {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text(header::HeaderName::from_static("sec-fetch-site"))
        && site != "same-origin"
        && site != "none"
    {
        return false;
    }
    if let Some(origin) = text(header::ORIGIN) {
        let host = text(header::HOST).unwrap_or_default();
        let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or(origin);
        if origin_host != host {
            return false;
        }
    }
    let content_type = text(header::CONTENT_TYPE).unwrap_or_default();
    let json = content_type.starts_with("application/json");
    // Multipart uploads (evidence files) look like a form post: accept them only when the browser has
    // vouched for the origin.
    let vouched_multipart = content_type.starts_with("multipart/form-data")
        && (text(header::ORIGIN).is_some()
            || text(header::HeaderName::from_static("sec-fetch-site")).is_some());
    json || vouched_multipart
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn same_origin_json_passes_and_forged_forms_do_not() {
        assert!(is_same_origin(&headers(&[
            ("content-type", "application/json"),
            ("host", "a.gov.cn")
        ])));
        assert!(is_same_origin(&headers(&[
            ("content-type", "application/json"),
            ("host", "a.gov.cn"),
            ("origin", "https://a.gov.cn"),
            ("sec-fetch-site", "same-origin"),
        ])));
        assert!(!is_same_origin(&headers(&[
            ("content-type", "application/x-www-form-urlencoded"),
            ("host", "a.gov.cn"),
            ("origin", "https://evil.example"),
            ("sec-fetch-site", "cross-site"),
        ])));
        assert!(!is_same_origin(&headers(&[
            ("content-type", "text/plain"),
            ("host", "a.gov.cn")
        ])));
        assert!(!is_same_origin(&headers(&[
            ("content-type", "application/json"),
            ("host", "a.gov.cn"),
            ("origin", "https://evil.example"),
        ])));
        assert!(!is_same_origin(&headers(&[
            ("content-type", "multipart/form-data; boundary=x"),
            ("host", "a")
        ])));
    }
}
