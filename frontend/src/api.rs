//! The typed API client: one async function per endpoint, errors decoded into the shared envelope.

use domain::api::{ApiError, DivisionTree, Page, Village, VillageQuery};
use gloo_net::http::{Request, Response};
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
    let controller = web_sys::AbortController::new().ok();
    let mut guard = AbortOnDrop(controller);
    let signal = guard.0.as_ref().map(|c| c.signal());
    let response = Request::get(url)
        .header("Accept", "application/json")
        .abort_signal(signal.as_ref())
        .send()
        .await
        .map_err(|e| Error::Fetch(e.to_string()))?;
    let decoded = decode(response).await;
    // Finished: nothing left to abort.
    guard.0 = None;
    decoded
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T> {
    let status = response.status();
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
