//! Serving the built browser app and the headers every response carries.
//!
//! `dist/assets/*` have content hashes in their names: served precompressed (brotli, gzip) and cached
//! for a year. Every other path that is not an API route is a client route of the app. The app comes in
//! three bundles (`domain::pages`), chosen by the page and by who asks (the session's role):
//! `home.html` (the public bundle, the home page already drawn in it) for a visitor's `/`, `index.html` (the
//! public bundle with its shell drawn) for a visitor's other public page, `organization.html` (the organization
//! user's pages) for an organization user's page, `workspace.html` (every page) for anything else. None
//! is cached, so a new release is picked up on the next visit.
//!
//! Files live at the root: the service worker `/sw.js` (it must sit at the root to serve every page), the
//! web app manifest `/manifest.webmanifest` and `/organization.html`, which the worker keeps for opening
//! the organization user's pages offline. None is cached without asking (`no-cache`): the browser checks
//! the worker on each visit and installs a new release's worker beside the running one.

use std::path::{Path, PathBuf};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use domain::pages::{Audience, Bundle, Page, bundle_for};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::auth::session;
use crate::error::{self, Error};
use crate::state::AppState;

/// Scripts only from this origin (plus WebAssembly compilation); no inline script or style; no framing;
/// the service worker and the manifest from this origin; images from this origin or inline (`data:`, as
/// the QR code of a second factor's enrolment comes).
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; worker-src 'self'; \
     manifest-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The files at the root of the app and their types.
const ROOT_FILES: [(&str, &str); 3] = [
    ("sw.js", "text/javascript; charset=utf-8"),
    ("manifest.webmanifest", "application/manifest+json"),
    ("organization.html", "text/html; charset=utf-8"),
];

/// Adds the app's static files and the fallback to `router`; `state` tells who is signed in.
pub fn with_static_app(router: Router, state: AppState, static_dir: &Path) -> Router {
    let assets = ServeDir::new(static_dir.join("assets"))
        .precompressed_br()
        .precompressed_gzip();
    let assets = Router::new()
        .fallback_service(assets)
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ));
    let pages = AppPages {
        home: static_dir.join("home.html"),
        public: static_dir.join("index.html"),
        organization: static_dir.join("organization.html"),
        workspace: static_dir.join("workspace.html"),
    };
    let mut router = router.nest_service("/assets", assets);
    for (name, content_type) in ROOT_FILES {
        let file = tower::ServiceBuilder::new()
            .layer(SetResponseHeaderLayer::overriding(
                header::CACHE_CONTROL,
                HeaderValue::from_static("no-cache"),
            ))
            .layer(SetResponseHeaderLayer::overriding(
                header::CONTENT_TYPE,
                HeaderValue::from_static(content_type),
            ))
            .service(
                ServeFile::new(static_dir.join(name))
                    .precompressed_br()
                    .precompressed_gzip(),
            );
        router = router.route_service(&format!("/{name}"), file);
    }
    router.fallback(move |request: Request<Body>| fallback(pages.clone(), state.clone(), request))
}

/// The HTML of the app's three bundles.
#[derive(Debug, Clone)]
struct AppPages {
    /// The public bundle's page for `/`, with the home page in its HTML.
    home: PathBuf,
    public: PathBuf,
    organization: PathBuf,
    workspace: PathBuf,
}

impl AppPages {
    /// The page that starts `bundle` at `path`.
    fn of(&self, bundle: Bundle, path: &str) -> &Path {
        match bundle {
            Bundle::Public if path == Page::Home.path() => &self.home,
            Bundle::Public => &self.public,
            Bundle::Organization => &self.organization,
            Bundle::Workspace => &self.workspace,
        }
    }
}

/// Who asks for a page, by the role of the session the request carries: no session (or one that has
/// ended) is a visitor. Only the choice of bundle depends on it; every API call checks the session again.
async fn audience(state: &AppState, headers: &HeaderMap) -> Audience {
    let Some(token_hash) = session::token_hash_from(headers, state.settings.secure_cookies) else {
        return Audience::Visitor;
    };
    let now = Utc::now();
    match state
        .store
        .find_session(&token_hash, now, now - session::IDLE_TIMEOUT)
        .await
    {
        // A demo account outside demo mode is signed out (as the API's `Auth` says).
        Ok(Some((user, _))) if !user.is_demo || state.settings.demo => Audience::of(Some(user.role())),
        Ok(_) => Audience::Visitor,
        Err(e) => {
            // The page still opens (the full app), and the app reports the database's state itself.
            tracing::warn!(error = %e, "could not read the session to choose the app's bundle");
            Audience::Staff
        }
    }
}

/// Unknown `/api/…` paths answer in the error envelope; everything else is a client route of the app.
async fn fallback(pages: AppPages, state: AppState, request: Request<Body>) -> Response {
    let path = request.uri().path();
    if path == "/api" || path.starts_with("/api/") {
        return error::api_not_found().await.into_response();
    }
    if !matches!(
        request.method(),
        &axum::http::Method::GET | &axum::http::Method::HEAD
    ) {
        return Error::NotFound("没有这个页面".to_owned()).into_response();
    }
    let path = path.to_owned();
    let bundle = bundle_for(&path, audience(&state, request.headers()).await);
    let index = pages.of(bundle, &path).to_owned();
    // One address answers with a different bundle for each audience, and the files' dates cannot tell the
    // bundles apart: the page (under a kilobyte) is sent whole, never "304, keep the copy you have", which
    // would keep an organization user's page for the staff who signed in after them on the same phone.
    let mut request = request;
    for conditional in [header::IF_MODIFIED_SINCE, header::IF_NONE_MATCH] {
        request.headers_mut().remove(conditional);
    }
    match ServeFile::new(&index)
        .precompressed_br()
        .precompressed_gzip()
        .oneshot(request)
        .await
    {
        Ok(mut response) if response.status() != StatusCode::NOT_FOUND => {
            let headers = response.headers_mut();
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            headers.append(header::VARY, HeaderValue::from_static("Cookie"));
            response.into_response()
        }
        _ => {
            tracing::warn!(index = %index.display(), "the browser app is not built; run `cargo xtask run`");
            (StatusCode::NOT_FOUND, "社管前端尚未构建：请运行 cargo xtask run").into_response()
        }
    }
}

/// The security headers on every response.
pub fn security_headers() -> [SetResponseHeaderLayer<HeaderValue>; 5] {
    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    [
        header(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        header(header::REFERRER_POLICY, "same-origin"),
        header(header::X_FRAME_OPTIONS, "DENY"),
        header(
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ]
}
