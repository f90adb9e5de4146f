//! `TestApp` methods for the registry endpoints: `/api/v1/organizations` (with its import and export
//! files), `/api/v1/matters` and the public lookup `/api/v1/public/organizations`.

use domain::api::{
    FileMatterRequest, ImportReport, MatterDetail, MatterSummary, OrganizationDetail, OrganizationSummary,
    Page, PublicLookup, ResubmitRequest,
};
use domain::registry::matter::MatterAction;
use sheguan::store::registry::organizations::OrganizationSeed;

use crate::{ApiResult, TestApp, decode};

impl TestApp {
    /// A client signed in as a bureau administrator who has had no hand in any matter, to decide the
    /// matters others filed and reviewed (separation of duties: whoever filed or reviewed a matter may not
    /// decide it). The account is created on first use.
    pub async fn approver(&self) -> TestApp {
        const USERNAME: &str = "bureau-approver";
        const PASSWORD: &str = "approver-test-2026";
        if self.store.find_user_for_login(USERNAME).await.unwrap().is_none() {
            let scope = sheguan::store::accounts::ScopeIds::default();
            self.add_account(USERNAME, domain::policy::Role::BureauAdmin, scope, PASSWORD)
                .await;
        }
        self.signed_in_with(USERNAME, PASSWORD).await
    }

    /// Registers `seeds` directly in the store (arranging a test, not the API under test) and answers their
    /// ids, in order.
    pub async fn insert_organizations(&self, seeds: &[OrganizationSeed]) -> Vec<i64> {
        self.store.insert_organizations(seeds).await.unwrap();
        let mut ids = Vec::with_capacity(seeds.len());
        for seed in seeds {
            let id = self
                .store
                .organization_id_by_credit_code(&seed.credit_code)
                .await
                .unwrap();
            ids.push(id.expect("the organization just inserted"));
        }
        ids
    }

    /// `GET /api/v1/organizations?{query}`
    pub async fn list_organizations(&self, query: &str) -> ApiResult<Page<OrganizationSummary>> {
        self.get_json(&format!("/api/v1/organizations?{query}")).await
    }

    /// `GET /api/v1/organizations/{id}`
    pub async fn find_organization(&self, id: i64) -> ApiResult<OrganizationDetail> {
        self.get_json(&format!("/api/v1/organizations/{id}")).await
    }

    /// `GET /api/v1/organizations/export?{query}`, the raw answer (an .xlsx file).
    pub async fn export_organizations(&self, query: &str) -> reqwest::Response {
        self.get(&format!("/api/v1/organizations/export?{query}")).await
    }

    /// `GET /api/v1/organizations/import/template?format={format}`, the raw answer (`xlsx` or `csv`).
    pub async fn import_template(&self, format: &str) -> reqwest::Response {
        self.get(&format!("/api/v1/organizations/import/template?format={format}"))
            .await
    }

    /// `POST /api/v1/organizations/import/check`: the dry run of an import file, which stores nothing.
    pub async fn check_import(&self, file_name: &str, bytes: Vec<u8>) -> ApiResult<ImportReport> {
        let path = "/api/v1/organizations/import/check";
        decode(self.upload(path, vec![("file", file_name, bytes)]).await).await
    }

    /// `POST /api/v1/organizations/import`: every row of the file, or none.
    pub async fn import_organizations(&self, file_name: &str, bytes: Vec<u8>) -> ApiResult<ImportReport> {
        let path = "/api/v1/organizations/import";
        decode(self.upload(path, vec![("file", file_name, bytes)]).await).await
    }

    /// `POST /api/v1/organizations/import` (`commit`) or `/import/check`, the raw answer: a large file
    /// answers `202 Accepted` with the job that checks or stores it.
    pub async fn import_response(&self, commit: bool, file_name: &str, bytes: Vec<u8>) -> reqwest::Response {
        let path = if commit {
            "/api/v1/organizations/import"
        } else {
            "/api/v1/organizations/import/check"
        };
        self.upload(path, vec![("file", file_name, bytes)]).await
    }

    /// `GET /api/v1/public/organizations?q={q}`
    pub async fn lookup_organizations(&self, q: &str) -> ApiResult<PublicLookup> {
        decode(self.lookup_organizations_response(q).await).await
    }

    /// `GET /api/v1/public/organizations?q={q}`, the raw answer.
    pub async fn lookup_organizations_response(&self, q: &str) -> reqwest::Response {
        self.get(&format!("/api/v1/public/organizations?q={q}")).await
    }

    /// `GET /api/v1/matters?{query}`
    pub async fn list_matters(&self, query: &str) -> ApiResult<Page<MatterSummary>> {
        self.get_json(&format!("/api/v1/matters?{query}")).await
    }

    /// `POST /api/v1/matters`
    pub async fn file_matter(&self, body: &FileMatterRequest) -> ApiResult<MatterDetail> {
        decode(self.post_json("/api/v1/matters", body).await).await
    }

    /// `GET /api/v1/matters/{id}`
    pub async fn find_matter(&self, id: i64) -> ApiResult<MatterDetail> {
        self.get_json(&format!("/api/v1/matters/{id}")).await
    }

    /// `POST /api/v1/matters/{id}/actions`
    pub async fn act_on_matter(&self, id: i64, action: &MatterAction) -> ApiResult<MatterDetail> {
        decode(
            self.post_json(&format!("/api/v1/matters/{id}/actions"), action)
                .await,
        )
        .await
    }

    /// `POST /api/v1/matters/{id}/resubmit`
    pub async fn resubmit_matter(&self, id: i64, body: &ResubmitRequest) -> ApiResult<MatterDetail> {
        decode(
            self.post_json(&format!("/api/v1/matters/{id}/resubmit"), body)
                .await,
        )
        .await
    }
}
