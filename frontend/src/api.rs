//! The typed API client: one async function per endpoint, errors decoded into the shared envelope.

use domain::api::{
    ApiError, AuditQuery, AuditRecord, ChangePasswordRequest, CreateUserRequest, DivisionTree,
    IssuedPassword, LoginEvent, LoginRequest, Me, Page, ReasonRequest, UpdateUserRequest, UserSummary,
    Village, VillageQuery,
};
use domain::api::{
    FileMatterRequest, MatterDetail, MatterQuery, MatterSummary, OrganizationDetail, OrganizationQuery,
    OrganizationSummary, PublicLookup, PublicQuery, ResubmitRequest,
};
use domain::registry::matter::MatterAction;
use gloo_net::http::{Method, Request, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::i18n::I18n;
use crate::routes::with_query;

/// Why a call failed: the network, or an answer from the server in the error envelope.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// The request never got an answer (offline, server down).
    Fetch(String),
    /// The server answered with an error.
    Api { status: u16, error: ApiError },
}

impl Error {
    /// The message to show the user: the server's (already Chinese), or a network notice.
    pub fn message(&self, i18n: &I18n) -> String {
        match self {
            Error::Fetch(_) => i18n.t("common.network_error"),
            Error::Api { error, .. } => error.error.message.clone(),
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// Aborts the request if the future awaiting it is dropped (the page was left, the filter changed).
struct AbortOnDrop(Option<web_sys::AbortController>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(controller) = self.0.take() {
            controller.abort();
        }
    }
}

async fn get<T: DeserializeOwned>(url: &str) -> Result<T> {
    send(Request::get(url), None::<&()>).await
}

/// Sends a state-changing request with a JSON body (the server refuses anything else as cross-site).
async fn send_json<B: Serialize, T: DeserializeOwned>(method: Method, url: &str, body: &B) -> Result<T> {
    send(RequestBuilder::new(url).method(method), Some(body)).await
}

async fn send<B: Serialize, T: DeserializeOwned>(builder: RequestBuilder, body: Option<&B>) -> Result<T> {
    let controller = web_sys::AbortController::new().ok();
    let mut guard = AbortOnDrop(controller);
    let signal = guard.0.as_ref().map(|c| c.signal());
    let builder = builder
        .header("Accept", "application/json")
        .abort_signal(signal.as_ref());
    let request = match body {
        Some(body) => builder.json(body).map_err(|e| Error::Fetch(e.to_string()))?,
        None => builder.build().map_err(|e| Error::Fetch(e.to_string()))?,
    };
    let response = request.send().await.map_err(|e| Error::Fetch(e.to_string()))?;
    let decoded = decode(response).await;
    // Finished: nothing left to abort.
    guard.0 = None;
    decoded
}

/// The answer of an endpoint that returns no body (204).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoContent;

impl<'de> serde::Deserialize<'de> for NoContent {
    fn deserialize<D: serde::Deserializer<'de>>(_: D) -> std::result::Result<Self, D::Error> {
        Ok(NoContent)
    }
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T> {
    let status = response.status();
    if status == 204 {
        return serde_json::from_str("null").map_err(|e| Error::Fetch(e.to_string()));
    }
    if response.ok() {
        return response
            .json::<T>()
            .await
            .map_err(|e| Error::Fetch(e.to_string()));
    }
    match response.json::<ApiError>().await {
        Ok(error) => Err(Error::Api { status, error }),
        Err(e) => Err(Error::Fetch(format!("HTTP {status}: {e}"))),
    }
}

/// `GET /api/v1/divisions`
pub async fn list_divisions() -> Result<DivisionTree> {
    get("/api/v1/divisions").await
}

/// `GET /api/v1/villages`
pub async fn list_villages(query: &VillageQuery) -> Result<Page<Village>> {
    get(&with_query("/api/v1/villages", query)).await
}

/// `POST /api/v1/auth/login`
pub async fn login(body: &LoginRequest) -> Result<Me> {
    send_json(Method::POST, "/api/v1/auth/login", body).await
}

/// `POST /api/v1/auth/logout`
pub async fn logout() -> Result<NoContent> {
    send_json(Method::POST, "/api/v1/auth/logout", &serde_json::json!({})).await
}

/// `GET /api/v1/auth/me`
pub async fn me() -> Result<Me> {
    get("/api/v1/auth/me").await
}

/// `GET /api/v1/auth/session`: who is signed in, `None` for a visitor (no error, no 401 in the console).
pub async fn current_session() -> Result<Option<Me>> {
    get("/api/v1/auth/session").await
}

/// `POST /api/v1/auth/password`
pub async fn change_password(body: &ChangePasswordRequest) -> Result<Me> {
    send_json(Method::POST, "/api/v1/auth/password", body).await
}

/// `GET /api/v1/auth/logins`
pub async fn list_my_logins() -> Result<Vec<LoginEvent>> {
    get("/api/v1/auth/logins").await
}

/// The query of `GET /api/v1/users`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct UserQuery {
    pub q: Option<String>,
    pub role: Option<String>,
    pub page: Option<u32>,
}

/// `GET /api/v1/users`
pub async fn list_users(query: &UserQuery) -> Result<Page<UserSummary>> {
    get(&with_query("/api/v1/users", query)).await
}

/// `POST /api/v1/users`
pub async fn create_user(body: &CreateUserRequest) -> Result<IssuedPassword> {
    send_json(Method::POST, "/api/v1/users", body).await
}

/// `PUT /api/v1/users/{id}`
pub async fn update_user(id: i64, body: &UpdateUserRequest) -> Result<UserSummary> {
    send_json(Method::PUT, &format!("/api/v1/users/{id}"), body).await
}

/// `POST /api/v1/users/{id}/disable` or `/enable`
pub async fn set_user_disabled(id: i64, disabled: bool, body: &ReasonRequest) -> Result<UserSummary> {
    let action = if disabled { "disable" } else { "enable" };
    send_json(Method::POST, &format!("/api/v1/users/{id}/{action}"), body).await
}

/// `POST /api/v1/users/{id}/reset-password`
pub async fn reset_password(id: i64, body: &ReasonRequest) -> Result<IssuedPassword> {
    send_json(Method::POST, &format!("/api/v1/users/{id}/reset-password"), body).await
}

/// `GET /api/v1/audit`
pub async fn list_audit(query: &AuditQuery) -> Result<Page<AuditRecord>> {
    get(&with_query("/api/v1/audit", query)).await
}

/// The URL of the audit export for a filter (a download link, not a fetch).
pub fn audit_export_url(query: &AuditQuery) -> String {
    with_query(
        "/api/v1/audit/export",
        &AuditQuery {
            page: None,
            per_page: None,
            ..query.clone()
        },
    )
}

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

/// `GET /api/v1/rounds`
pub async fn list_rounds() -> Result<Vec<domain::api::Round>> {
    get("/api/v1/rounds").await
}

/// `POST /api/v1/rounds`
pub async fn open_round(body: &domain::api::OpenRoundRequest) -> Result<domain::api::Round> {
    send_json(Method::POST, "/api/v1/rounds", body).await
}

/// `GET /api/v1/rounds/{id}`
pub async fn find_round(id: i64) -> Result<domain::api::Round> {
    get(&format!("/api/v1/rounds/{id}")).await
}

/// `GET /api/v1/rounds/{id}/membership` (`None` until the society joins)
pub async fn find_membership(round: i64) -> Result<Option<domain::api::RoundSociety>> {
    get(&format!("/api/v1/rounds/{round}/membership")).await
}

/// `PUT /api/v1/rounds/{id}/membership`
pub async fn join_round(
    round: i64,
    body: &domain::api::JoinRoundRequest,
) -> Result<domain::api::RoundSociety> {
    send_json(Method::PUT, &format!("/api/v1/rounds/{round}/membership"), body).await
}

/// `GET /api/v1/rounds/{id}/villages`
pub async fn list_round_villages(
    round: i64,
    query: &domain::api::RoundVillageQuery,
) -> Result<Page<domain::api::RoundVillage>> {
    get(&with_query(&format!("/api/v1/rounds/{round}/villages"), query)).await
}

/// `PUT /api/v1/rounds/{id}/villages/{code}`
pub async fn record_village_needs(
    round: i64,
    code: &str,
    body: &domain::api::VillageNeedsRequest,
) -> Result<domain::api::RoundVillage> {
    send_json(
        Method::PUT,
        &format!("/api/v1/rounds/{round}/villages/{code}"),
        body,
    )
    .await
}

/// `PUT /api/v1/rounds/{id}/constraints`
pub async fn set_constraint(
    round: i64,
    body: &domain::api::PairConstraint,
) -> Result<Vec<domain::api::PairConstraint>> {
    send_json(Method::PUT, &format!("/api/v1/rounds/{round}/constraints"), body).await
}

/// `GET /api/v1/rounds/{id}/runs`
pub async fn list_runs(round: i64) -> Result<Vec<domain::api::RunSummary>> {
    get(&format!("/api/v1/rounds/{round}/runs")).await
}

/// `POST /api/v1/rounds/{id}/runs`
pub async fn run_round(round: i64) -> Result<domain::api::RunDetail> {
    send_json(
        Method::POST,
        &format!("/api/v1/rounds/{round}/runs"),
        &serde_json::json!({}),
    )
    .await
}

/// `GET /api/v1/rounds/{id}/runs/{run}`
pub async fn find_run(round: i64, run: i64) -> Result<domain::api::RunDetail> {
    get(&format!("/api/v1/rounds/{round}/runs/{run}")).await
}

/// `GET /api/v1/rounds/{id}/runs/{run}/pairs/{organization_id}/{village_code}`
pub async fn explain_pair(
    round: i64,
    run: i64,
    organization: i64,
    village: &str,
) -> Result<domain::api::PairBreakdown> {
    get(&format!(
        "/api/v1/rounds/{round}/runs/{run}/pairs/{organization}/{village}"
    ))
    .await
}

/// `GET /api/v1/rounds/{id}/runs/{run}/comparison`
pub async fn compare_runs(round: i64, run: i64) -> Result<domain::api::RunComparison> {
    get(&format!("/api/v1/rounds/{round}/runs/{run}/comparison")).await
}

/// `POST /api/v1/rounds/{id}/runs/{run}/confirm`
pub async fn confirm_run(
    round: i64,
    run: i64,
    body: &domain::api::ConfirmRunRequest,
) -> Result<Vec<domain::api::Agreement>> {
    send_json(
        Method::POST,
        &format!("/api/v1/rounds/{round}/runs/{run}/confirm"),
        body,
    )
    .await
}

/// `GET /api/v1/my/pairings`
pub async fn list_my_pairings() -> Result<Vec<domain::api::Agreement>> {
    get("/api/v1/my/pairings").await
}

/// `GET /api/v1/villages/{code}/societies`
pub async fn list_village_societies(code: &str) -> Result<Vec<domain::api::Agreement>> {
    get(&format!("/api/v1/villages/{code}/societies")).await
}

/// `GET /api/v1/villages/{code}`
pub async fn find_village(code: &str) -> Result<Village> {
    get(&format!("/api/v1/villages/{code}")).await
}

/// `GET /api/v1/agreements?round=`
pub async fn list_agreements(round: i64) -> Result<Vec<domain::api::Agreement>> {
    get(&format!("/api/v1/agreements?round={round}")).await
}

/// `POST /api/v1/agreements/{id}/conclude`
pub async fn conclude_agreement(
    id: i64,
    body: &domain::api::ConcludeAgreementRequest,
) -> Result<domain::api::Agreement> {
    send_json(Method::POST, &format!("/api/v1/agreements/{id}/conclude"), body).await
}

/// `POST /api/v1/contributions` with the outbox item's idempotency key: a retry never records twice.
pub async fn create_contribution(
    body: &domain::api::CreateContributionRequest,
    idempotency_key: &str,
) -> Result<domain::api::Contribution> {
    let builder = RequestBuilder::new("/api/v1/contributions")
        .method(Method::POST)
        .header("Idempotency-Key", idempotency_key);
    send(builder, Some(body)).await
}

/// The query of `GET /api/v1/contributions`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ContributionQuery {
    pub status: Option<String>,
    pub kind: Option<String>,
    pub year: Option<i32>,
    pub city_code: Option<String>,
    pub organization_id: Option<i64>,
    pub counted: Option<bool>,
    pub queue: Option<bool>,
    pub page: Option<u32>,
}

/// `GET /api/v1/contributions`
pub async fn list_contributions(query: &ContributionQuery) -> Result<Page<domain::api::Contribution>> {
    get(&with_query("/api/v1/contributions", query)).await
}

/// `GET /api/v1/contributions/totals?by=…`
pub async fn contribution_totals(by: &str) -> Result<domain::api::ContributionTotals> {
    get(&with_query("/api/v1/contributions/totals", &[("by", by)])).await
}

/// `POST /api/v1/contributions/{id}/verify` or `/return`
pub async fn review_contribution(
    id: i64,
    verify: bool,
    body: &domain::api::ReviewRequest,
) -> Result<domain::api::Contribution> {
    let action = if verify { "verify" } else { "return" };
    send_json(
        Method::POST,
        &format!("/api/v1/contributions/{id}/{action}"),
        body,
    )
    .await
}

/// `POST /api/v1/contributions/{id}/evidence`: one file, as multipart (the browser adds `Origin`).
pub async fn upload_evidence(
    id: i64,
    file: &web_sys::Blob,
    name: &str,
) -> Result<Vec<domain::api::EvidenceFile>> {
    let form = web_sys::FormData::new().map_err(|_| Error::Fetch("FormData".to_owned()))?;
    form.append_with_blob_and_filename("file", file, name)
        .map_err(|_| Error::Fetch("FormData".to_owned()))?;
    let request = RequestBuilder::new(&format!("/api/v1/contributions/{id}/evidence"))
        .method(Method::POST)
        .header("Accept", "application/json")
        .body(form)
        .map_err(|e| Error::Fetch(e.to_string()))?;
    let response = request.send().await.map_err(|e| Error::Fetch(e.to_string()))?;
    decode(response).await
}

/// `GET /api/v1/contributions/{id}`
pub async fn find_contribution(id: i64) -> Result<domain::api::Contribution> {
    get(&format!("/api/v1/contributions/{id}")).await
}

/// `POST /api/v1/contributions/{id}/submit`
pub async fn submit_contribution(id: i64) -> Result<domain::api::Contribution> {
    send_json(
        Method::POST,
        &format!("/api/v1/contributions/{id}/submit"),
        &serde_json::json!({}),
    )
    .await
}

/// `GET /api/v1/contributions/{id}/recipients/full` (bureau administrators; each call is audited)
pub async fn full_recipients(id: i64) -> Result<Vec<domain::api::RecipientFull>> {
    get(&format!("/api/v1/contributions/{id}/recipients/full")).await
}

/// `GET /api/v1/contributions/duplicates?year=…` (bureau administrators)
pub async fn duplicate_recipients(year: Option<i32>) -> Result<Vec<domain::api::DuplicateRecipient>> {
    get(&with_query("/api/v1/contributions/duplicates", &[("year", year)])).await
}

/// The URL of one evidence file (a link; the server checks who may see it).
pub fn evidence_url(id: i64, evidence_id: i64) -> String {
    format!("/api/v1/contributions/{id}/evidence/{evidence_id}")
}

/// The URL of the ledger export (a download link).
pub fn contributions_export_url() -> &'static str {
    "/api/v1/contributions/export"
}

/// The URL of the registry export with the list's filters (a download link; paging left out).
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

/// `POST /api/v1/organizations/import/check` (the dry run) or `/organizations/import` (the commit): the
/// file as multipart through `XMLHttpRequest`, which reports the upload's progress (`loaded`, `total`
/// bytes) to `progress` as it goes.
pub async fn import_organizations(
    file: &web_sys::File,
    commit: bool,
    progress: leptos::prelude::Callback<(f64, f64)>,
) -> Result<domain::api::ImportReport> {
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
    if (200..300).contains(&status) {
        serde_json::from_str(&text).map_err(|e| Error::Fetch(e.to_string()))
    } else {
        match serde_json::from_str::<ApiError>(&text) {
            Ok(error) => Err(Error::Api { status, error }),
            Err(e) => Err(Error::Fetch(format!("HTTP {status}: {e}"))),
        }
    }
}
