//! 登记管理 — organizations, their import and export, registration matters and the public lookup.

use domain::api::{
    ApiError, FileMatterRequest, ImportReport, Job, MatterDetail, MatterQuery, MatterSummary,
    OrganizationDetail, OrganizationQuery, OrganizationSummary, Page, PublicLookup, PublicQuery,
    ResubmitRequest,
};
use domain::registry::matter::MatterAction;
use gloo_net::http::Method;

use super::{Error, Result, get, send_json};
use crate::routes::with_query;

/// `GET /api/v1/organizations`
pub async fn list_organizations(query: &OrganizationQuery) -> Result<Page<OrganizationSummary>> {
    get(&with_query("/api/v1/organizations", query)).await
}

/// `GET /api/v1/organizations/{id}`
pub async fn find_organization(id: i64) -> Result<OrganizationDetail> {
    get(&format!("/api/v1/organizations/{id}")).await
}

/// `GET /api/v1/matters`
pub async fn list_matters(query: &MatterQuery) -> Result<Page<MatterSummary>> {
    get(&with_query("/api/v1/matters", query)).await
}

/// `GET /api/v1/matters/{id}`
pub async fn find_matter(id: i64) -> Result<MatterDetail> {
    get(&format!("/api/v1/matters/{id}")).await
}

/// `POST /api/v1/matters`
pub async fn file_matter(body: &FileMatterRequest) -> Result<MatterDetail> {
    send_json(Method::POST, "/api/v1/matters", body).await
}

/// `POST /api/v1/matters/{id}/actions`
pub async fn act_on_matter(id: i64, action: &MatterAction) -> Result<MatterDetail> {
    send_json(Method::POST, &format!("/api/v1/matters/{id}/actions"), action).await
}

/// `POST /api/v1/matters/{id}/resubmit`
pub async fn resubmit_matter(id: i64, body: &ResubmitRequest) -> Result<MatterDetail> {
    send_json(Method::POST, &format!("/api/v1/matters/{id}/resubmit"), body).await
}

/// `GET /api/v1/public/organizations`
pub async fn lookup_organizations(query: &PublicQuery) -> Result<PublicLookup> {
    get(&with_query("/api/v1/public/organizations", query)).await
}

// 百社进百村

/// The URL of the registry export with the list's filters (paging left out): the file, or a job for a
/// large selection (see [`super::export`]).
pub fn organizations_export_url(query: &OrganizationQuery) -> String {
    with_query(
        "/api/v1/organizations/export",
        &OrganizationQuery {
            page: None,
            per_page: None,
            ..query.clone()
        },
    )
}

/// The URL of the import template, `xlsx` or `csv`.
pub fn import_template_url(format: &str) -> String {
    format!("/api/v1/organizations/import/template?format={format}")
}

/// What the server made of an import file: its report at once, or a job (a large file) whose `result`
/// will be the report.
#[derive(Debug, Clone, PartialEq)]
pub enum Imported {
    Report(ImportReport),
    Started(Box<Job>),
}

/// `POST /api/v1/organizations/import/check` (the dry run) or `/organizations/import` (the commit): the
/// file as multipart through `XMLHttpRequest`, which reports the upload's progress (`loaded`, `total`
/// bytes) to `progress` as it goes.
pub async fn import_organizations(
    file: &web_sys::File,
    commit: bool,
    progress: leptos::prelude::Callback<(f64, f64)>,
) -> Result<Imported> {
    use leptos::prelude::Callable;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    let js = |what: &str| Error::Fetch(what.to_owned());
    let url = if commit {
        "/api/v1/organizations/import"
    } else {
        "/api/v1/organizations/import/check"
    };
    let form = web_sys::FormData::new().map_err(|_| js("FormData"))?;
    form.append_with_blob_and_filename("file", file, &file.name())
        .map_err(|_| js("FormData"))?;
    let xhr = web_sys::XmlHttpRequest::new().map_err(|_| js("XMLHttpRequest"))?;
    xhr.open("POST", url).map_err(|_| js("XMLHttpRequest"))?;
    xhr.set_request_header("Accept", "application/json")
        .map_err(|_| js("XMLHttpRequest"))?;
    let on_progress = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
        if e.length_computable() {
            progress.run((e.loaded(), e.total()));
        }
    });
    xhr.upload()
        .map_err(|_| js("XMLHttpRequest"))?
        .set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        xhr.set_onload(Some(&resolve));
        xhr.set_onerror(Some(&reject));
        xhr.set_onabort(Some(&reject));
    });
    xhr.send_with_opt_form_data(Some(&form))
        .map_err(|_| js("XMLHttpRequest"))?;
    let finished = wasm_bindgen_futures::JsFuture::from(done).await;
    drop(on_progress);
    finished.map_err(|_| js("upload"))?;
    let status = xhr.status().map_err(|_| js("XMLHttpRequest"))?;
    let text = xhr
        .response_text()
        .map_err(|_| js("XMLHttpRequest"))?
        .unwrap_or_default();
    let decoded = |e: serde_json::Error| Error::Fetch(e.to_string());
    if status == 202 {
        serde_json::from_str(&text)
            .map(|job| Imported::Started(Box::new(job)))
            .map_err(decoded)
    } else if (200..300).contains(&status) {
        serde_json::from_str(&text).map(Imported::Report).map_err(decoded)
    } else {
        match serde_json::from_str::<ApiError>(&text) {
            Ok(error) => Err(Error::Api { status, error }),
            Err(e) => Err(Error::Fetch(format!("HTTP {status}: {e}"))),
        }
    }
}
