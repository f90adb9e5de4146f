//! The typed API client: one async function per endpoint, in one file per module (the module's name in
//! every layer); here the shared machinery: requests, abort on drop, and errors decoded into the shared
//! envelope.

mod accounts;
mod contributions;
mod credit;
mod dashboard;
mod dormant;
mod fees;
mod illegal;
mod inspection;
mod jobs;
mod pairing;
mod party;
mod penalties;
mod petitions;
mod publication;
mod registry;
mod villages;

pub use accounts::*;
pub use contributions::*;
pub use credit::*;
pub use dashboard::*;
pub use dormant::*;
pub use fees::*;
pub use illegal::*;
pub use inspection::*;
pub use jobs::*;
pub use pairing::*;
pub use party::*;
pub use penalties::*;
pub use petitions::*;
pub use publication::*;
pub use registry::*;
pub use villages::*;

use domain::api::ApiError;
use gloo_net::http::{Method, Request, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::i18n::I18n;

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

/// The record `find` loads when the page names one (a form prefilled from the URL), else nothing.
pub async fn find_named<T, F>(id: Option<i64>, find: impl FnOnce(i64) -> F) -> Result<Option<T>>
where
    F: Future<Output = Result<T>>,
{
    match id {
        Some(id) => find(id).await.map(Some),
        None => Ok(None),
    }
}

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

/// Sends `builder` (with `body` as JSON) and decodes the answer. Only the encoding and the decoding are
/// generic: the exchange itself (`exchange`) is compiled once, not once for every type an endpoint returns.
async fn send<B: Serialize, T: DeserializeOwned>(builder: RequestBuilder, body: Option<&B>) -> Result<T> {
    let body = body
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| Error::Fetch(e.to_string()))?;
    parse(exchange(builder, body).await?)
}

/// What came back: the status and the body.
struct Answer {
    status: u16,
    ok: bool,
    text: String,
}

/// The request with its JSON body, aborted if the future is dropped; the answer as text.
async fn exchange(builder: RequestBuilder, body: Option<String>) -> Result<Answer> {
    let controller = web_sys::AbortController::new().ok();
    let mut guard = AbortOnDrop(controller);
    let signal = guard.0.as_ref().map(|c| c.signal());
    let builder = builder
        .header("Accept", "application/json")
        .abort_signal(signal.as_ref());
    let request = match body {
        Some(body) => builder.header("Content-Type", "application/json").body(body),
        None => builder.build(),
    }
    .map_err(|e| Error::Fetch(e.to_string()))?;
    let response = request.send().await.map_err(|e| Error::Fetch(e.to_string()))?;
    let answer = read(response).await;
    // Finished: nothing left to abort.
    guard.0 = None;
    answer
}

async fn read(response: Response) -> Result<Answer> {
    let (status, ok) = (response.status(), response.ok());
    let text = response.text().await.map_err(|e| Error::Fetch(e.to_string()))?;
    Ok(Answer { status, ok, text })
}

/// The answer as `T` (`null` for an answer without a body, 204), or the error envelope it carries.
fn parse<T: DeserializeOwned>(answer: Answer) -> Result<T> {
    let text = if answer.status == 204 {
        "null"
    } else {
        &answer.text
    };
    if answer.ok {
        return serde_json::from_str(text).map_err(|e| Error::Fetch(e.to_string()));
    }
    Err(refused(answer))
}

fn refused(answer: Answer) -> Error {
    let status = answer.status;
    match serde_json::from_str::<ApiError>(&answer.text) {
        Ok(error) => Error::Api { status, error },
        Err(e) => Error::Fetch(format!("HTTP {status}: {e}")),
    }
}

/// The answer of an endpoint that returns no body (204).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoContent;

impl<'de> serde::Deserialize<'de> for NoContent {
    fn deserialize<D: serde::Deserializer<'de>>(_: D) -> std::result::Result<Self, D::Error> {
        Ok(NoContent)
    }
}

/// The answer of a request sent otherwise (a form's upload), decoded as `send` does.
async fn decode<T: DeserializeOwned>(response: Response) -> Result<T> {
    parse(read(response).await?)
}
