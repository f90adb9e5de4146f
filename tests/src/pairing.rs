//! `TestApp` methods for the pairing endpoints (百社进百村): `/api/v1/rounds` with their societies, village
//! needs, constraints and runs, `/api/v1/agreements`, `/api/v1/my/pairings` and a village's societies.

use domain::api::{
    Agreement, ConcludeAgreementRequest, ConfirmRunRequest, JoinRoundRequest, OpenRoundRequest, Page,
    PairBreakdown, PairConstraint, Round, RoundSociety, RoundVillage, RunComparison, RunDetail, RunSummary,
    VillageNeedsRequest,
};

use crate::{ApiResult, TestApp, decode};

impl TestApp {
    /// `GET /api/v1/rounds`
    pub async fn list_rounds(&self) -> ApiResult<Vec<Round>> {
        self.get_json("/api/v1/rounds").await
    }

    /// `POST /api/v1/rounds`
    pub async fn open_round(&self, body: &OpenRoundRequest) -> ApiResult<Round> {
        decode(self.post_json("/api/v1/rounds", body).await).await
    }

    /// `GET /api/v1/rounds/{id}`
    pub async fn find_round(&self, id: i64) -> ApiResult<Round> {
        self.get_json(&format!("/api/v1/rounds/{id}")).await
    }

    /// `GET /api/v1/rounds/{id}/societies`
    pub async fn list_round_societies(&self, round: i64) -> ApiResult<Vec<RoundSociety>> {
        self.get_json(&format!("/api/v1/rounds/{round}/societies")).await
    }

    /// `GET /api/v1/rounds/{id}/membership`: the caller's society in the round, if it joined.
    pub async fn my_membership(&self, round: i64) -> ApiResult<Option<RoundSociety>> {
        self.get_json(&format!("/api/v1/rounds/{round}/membership")).await
    }

    /// `PUT /api/v1/rounds/{id}/membership`: the caller's society joins the round, or changes what it offers.
    pub async fn join_round(&self, round: i64, body: &JoinRoundRequest) -> ApiResult<RoundSociety> {
        decode(
            self.put_json(&format!("/api/v1/rounds/{round}/membership"), body)
                .await,
        )
        .await
    }

    /// `GET /api/v1/rounds/{id}/villages?{query}`
    pub async fn list_round_villages(&self, round: i64, query: &str) -> ApiResult<Page<RoundVillage>> {
        self.get_json(&format!("/api/v1/rounds/{round}/villages?{query}"))
            .await
    }

    /// `PUT /api/v1/rounds/{id}/villages/{code}`
    pub async fn record_village_needs(
        &self,
        round: i64,
        code: &str,
        body: &VillageNeedsRequest,
    ) -> ApiResult<RoundVillage> {
        decode(
            self.put_json(&format!("/api/v1/rounds/{round}/villages/{code}"), body)
                .await,
        )
        .await
    }

    /// `GET /api/v1/rounds/{id}/constraints`
    pub async fn list_constraints(&self, round: i64) -> ApiResult<Vec<PairConstraint>> {
        self.get_json(&format!("/api/v1/rounds/{round}/constraints"))
            .await
    }

    /// `PUT /api/v1/rounds/{id}/constraints`: pins, forbids or (with no kind) frees one pair.
    pub async fn set_constraint(&self, round: i64, body: &PairConstraint) -> ApiResult<Vec<PairConstraint>> {
        decode(
            self.put_json(&format!("/api/v1/rounds/{round}/constraints"), body)
                .await,
        )
        .await
    }

    /// `GET /api/v1/rounds/{id}/runs`
    pub async fn list_runs(&self, round: i64) -> ApiResult<Vec<RunSummary>> {
        self.get_json(&format!("/api/v1/rounds/{round}/runs")).await
    }

    /// `POST /api/v1/rounds/{id}/runs`: runs the engine on the round as it stands.
    pub async fn run_round(&self, round: i64) -> ApiResult<RunDetail> {
        let path = format!("/api/v1/rounds/{round}/runs");
        decode(self.post_json(&path, &serde_json::json!({})).await).await
    }

    /// `GET /api/v1/rounds/{id}/runs/{run}`
    pub async fn find_run(&self, round: i64, run: i64) -> ApiResult<RunDetail> {
        self.get_json(&format!("/api/v1/rounds/{round}/runs/{run}")).await
    }

    /// `GET /api/v1/rounds/{id}/runs/{run}/pairs/{organization_id}/{village_code}`
    pub async fn explain_pair(
        &self,
        round: i64,
        run: i64,
        organization_id: i64,
        village_code: &str,
    ) -> ApiResult<PairBreakdown> {
        self.get_json(&format!(
            "/api/v1/rounds/{round}/runs/{run}/pairs/{organization_id}/{village_code}"
        ))
        .await
    }

    /// `GET /api/v1/rounds/{id}/runs/{run}/comparison`: the run against the one before it.
    pub async fn compare_run(&self, round: i64, run: i64) -> ApiResult<RunComparison> {
        self.get_json(&format!("/api/v1/rounds/{round}/runs/{run}/comparison"))
            .await
    }

    /// `POST /api/v1/rounds/{id}/runs/{run}/confirm`: the run's pairs become agreements.
    pub async fn confirm_run(
        &self,
        round: i64,
        run: i64,
        body: &ConfirmRunRequest,
    ) -> ApiResult<Vec<Agreement>> {
        let path = format!("/api/v1/rounds/{round}/runs/{run}/confirm");
        decode(self.post_json(&path, body).await).await
    }

    /// `GET /api/v1/agreements?{query}`
    pub async fn list_agreements(&self, query: &str) -> ApiResult<Vec<Agreement>> {
        self.get_json(&format!("/api/v1/agreements?{query}")).await
    }

    /// `POST /api/v1/agreements/{id}/conclude`
    pub async fn conclude_agreement(&self, id: i64, body: &ConcludeAgreementRequest) -> ApiResult<Agreement> {
        let path = format!("/api/v1/agreements/{id}/conclude");
        decode(self.post_json(&path, body).await).await
    }

    /// `GET /api/v1/my/pairings`: the agreements of the caller's society.
    pub async fn my_pairings(&self) -> ApiResult<Vec<Agreement>> {
        self.get_json("/api/v1/my/pairings").await
    }

    /// `GET /api/v1/villages/{code}/societies`: the societies paired with a village (public).
    pub async fn village_societies(&self, code: &str) -> ApiResult<Vec<Agreement>> {
        self.get_json(&format!("/api/v1/villages/{code}/societies")).await
    }
}
