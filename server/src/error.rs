//! The server's one error type and the extractors that make every rejection speak the API's error envelope.

use axum::extract::RawPathParams;
use axum::extract::path::ErrorKind as PathErrorKind;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use domain::api::{ApiError, ErrorCode, FieldError};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// 400: the request could not be read (malformed JSON, bad query string).
    #[error("{0}")]
    BadRequest(String),
    /// 400: as `BadRequest`, naming the parameters that could not be read.
    #[error("{message}")]
    BadRequestFields {
        message: String,
        fields: Vec<FieldError>,
    },
    /// 401: no valid session.
    #[error("请先登录")]
    Unauthorized,
    /// 401: the username or password is wrong (never says which, nor whether the account exists).
    #[error("用户名或密码错误")]
    InvalidCredentials,
    /// 403: signed in, but not allowed to do this.
    #[error("您没有权限执行此操作")]
    Forbidden,
    /// 403: signed in and of the right role, but a rule keeps this account from this step, and says which
    /// (separation of duties: whoever reviewed a matter may not decide it).
    #[error("{0}")]
    Refused(String),
    /// 403: an initial or reset password must be changed first.
    #[error("请先修改初始密码")]
    PasswordChangeRequired,
    /// 401: the password was right; the sign-in continues with its second step.
    #[error("请输入身份验证器应用中的 6 位验证码")]
    SecondFactorRequired,
    /// 403: staff must turn on two-step verification first.
    #[error("请先开启两步验证")]
    SecondFactorEnrolmentRequired,
    /// 403: a state-changing request that did not come from this site as JSON.
    #[error("请求来源无效：跨站请求已被拒绝")]
    CrossSite,
    /// 404: no such record or route (also for records outside the caller's scope).
    #[error("{0}")]
    NotFound(String),
    /// 409: conflicts with what is stored.
    #[error("{message}")]
    Conflict {
        message: String,
        fields: Vec<FieldError>,
    },
    /// 413: an uploaded file (or the whole upload) is too large; names the field.
    #[error("{message}")]
    PayloadTooLarge {
        message: String,
        fields: Vec<FieldError>,
    },
    /// 422: understood, but one or more fields are invalid.
    #[error("{message}")]
    Validation {
        message: String,
        fields: Vec<FieldError>,
    },
    /// 429: too many requests, or too many failed sign-ins.
    #[error("{0}")]
    RateLimited(String),
    /// 503: the database does not answer.
    #[error("服务暂不可用，请稍后再试")]
    Unavailable(#[source] sqlx::Error),
    /// 500: a database failure; logged, never shown.
    #[error("数据库错误")]
    Database(#[from] sqlx::Error),
    /// 500: anything else unexpected; logged, never shown.
    #[error("内部错误")]
    Internal(#[from] anyhow::Error),
}

impl Error {
    /// A 422 naming one field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        let message = message.into();
        Error::Validation {
            message: format!("提交的内容有误：{message}"),
            fields: vec![FieldError {
                field: field.into(),
                message,
            }],
        }
    }

    /// A 409 with a message and no field.
    pub fn conflict(message: impl Into<String>) -> Self {
        Error::Conflict {
            message: message.into(),
            fields: Vec::new(),
        }
    }

    /// A 404 for a kind of record, e.g. `Error::not_found("村（社区）")`.
    pub fn not_found(what: &str) -> Self {
        Error::NotFound(format!("未找到该{what}"))
    }

    fn status_and_code(&self) -> (StatusCode, ErrorCode) {
        match self {
            Error::BadRequest(_) | Error::BadRequestFields { .. } => {
                (StatusCode::BAD_REQUEST, ErrorCode::BadRequest)
            }
            Error::Unauthorized | Error::InvalidCredentials => {
                (StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized)
            }
            Error::Forbidden | Error::CrossSite | Error::Refused(_) => {
                (StatusCode::FORBIDDEN, ErrorCode::Forbidden)
            }
            Error::PasswordChangeRequired => (StatusCode::FORBIDDEN, ErrorCode::PasswordChangeRequired),
            Error::SecondFactorRequired => (StatusCode::UNAUTHORIZED, ErrorCode::SecondFactorRequired),
            Error::SecondFactorEnrolmentRequired => {
                (StatusCode::FORBIDDEN, ErrorCode::SecondFactorEnrolmentRequired)
            }
            Error::NotFound(_) => (StatusCode::NOT_FOUND, ErrorCode::NotFound),
            Error::Conflict { .. } => (StatusCode::CONFLICT, ErrorCode::Conflict),
            Error::PayloadTooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::PayloadTooLarge),
            Error::Validation { .. } => (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Validation),
            Error::RateLimited(_) => (StatusCode::TOO_MANY_REQUESTS, ErrorCode::RateLimited),
            Error::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::Unavailable),
            Error::Database(_) | Error::Internal(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal)
            }
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        match &self {
            Error::Database(e) => tracing::error!(error = %e, "database error"),
            Error::Unavailable(e) => tracing::warn!(error = %e, "database unavailable"),
            Error::Internal(e) => tracing::error!(error = ?e, "internal error"),
            _ => {}
        }
        let mut body = ApiError::new(code, self.to_string());
        if let Error::Validation { fields, .. }
        | Error::PayloadTooLarge { fields, .. }
        | Error::Conflict { fields, .. }
        | Error::BadRequestFields { fields, .. } = self
        {
            body.error.fields = fields;
        }
        (status, axum::Json(body)).into_response()
    }
}

/// A unique key of the schema, as the API speaks of it: the table and column it guards, the request field
/// a clash is reported on (empty for none) and the sentence the user reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UniqueKey {
    pub table: &'static str,
    pub column: &'static str,
    pub field: &'static str,
    pub message: &'static str,
}

impl UniqueKey {
    /// Whether `error` is this key's violation. PostgreSQL names the constraint `<table>_<column>_key`;
    /// SQLite says `UNIQUE constraint failed: <table>.<column>`.
    fn is_violated_by(&self, error: &dyn sqlx::error::DatabaseError) -> bool {
        let postgres = format!("{}_{}_key", self.table, self.column);
        let sqlite = format!("{}.{}", self.table, self.column);
        error.constraint() == Some(postgres.as_str())
            || error
                .message()
                .split([':', ','])
                .any(|part| part.trim() == sqlite)
    }

    /// The 409 naming this key's field (also for a clash found before writing).
    pub fn conflict(&self) -> Error {
        Error::Conflict {
            message: self.message.to_owned(),
            fields: (!self.field.is_empty())
                .then(|| FieldError {
                    field: self.field.to_owned(),
                    message: self.message.to_owned(),
                })
                .into_iter()
                .collect(),
        }
    }
}

/// Turns a store error into the API's: a violation of one of the named unique keys becomes a 409 naming the
/// field; everything else stays a database error (a logged 500).
pub trait ResultExt<T> {
    fn on_unique(self, keys: &[UniqueKey]) -> Result<T>;
}

impl<T> ResultExt<T> for Result<T, sqlx::Error> {
    fn on_unique(self, keys: &[UniqueKey]) -> Result<T> {
        self.map_err(|error| unique_conflict(error, keys))
    }
}

/// The 409 for `error` if it violates one of `keys`, else `Error::Database`.
pub fn unique_conflict(error: sqlx::Error, keys: &[UniqueKey]) -> Error {
    if let sqlx::Error::Database(db) = &error
        && db.is_unique_violation()
        && let Some(key) = keys.iter().find(|key| key.is_violated_by(db.as_ref()))
    {
        return key.conflict();
    }
    Error::Database(error)
}

impl From<domain::paging::PageError> for Error {
    fn from(e: domain::paging::PageError) -> Self {
        Error::invalid(e.field(), e.to_string())
    }
}

/// `axum::Json` whose rejections answer in the error envelope (400 unreadable, 422 wrong shape).
#[derive(Debug, Clone, Copy, Default)]
pub struct AppJson<T>(pub T);

impl<T, S> FromRequest<S> for AppJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(AppJson(value)),
            Err(JsonRejection::JsonDataError(e)) => Err(Error::Validation {
                message: "提交的内容有误".to_owned(),
                fields: vec![FieldError {
                    field: "body".to_owned(),
                    message: e.body_text(),
                }],
            }),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(Error::BadRequest(
                "请求须为 JSON（Content-Type: application/json）".to_owned(),
            )),
            // The body passed the route's size limit.
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(Error::PayloadTooLarge {
                message: "请求内容过大".to_owned(),
                fields: vec![FieldError {
                    field: "body".to_owned(),
                    message: "请求内容过大".to_owned(),
                }],
            }),
            Err(e) => Err(Error::BadRequest(format!("无法读取请求内容：{}", e.body_text()))),
        }
    }
}

impl<T: Serialize> IntoResponse for AppJson<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// `axum::extract::Query` whose rejections answer in the error envelope (400).
#[derive(Debug, Clone, Copy, Default)]
pub struct AppQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for AppQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(AppQuery(value)),
            Err(e @ QueryRejection::FailedToDeserializeQueryString(_)) => Err(query_error(&e.body_text())),
            Err(e) => Err(Error::BadRequest(e.body_text())),
        }
    }
}

/// `axum::extract::Path` whose rejections answer in the error envelope: a 400 naming the path parameter
/// that could not be read (`/organizations/abc`, an id past `i64`).
#[derive(Debug, Clone, Copy, Default)]
pub struct AppPath<T>(pub T);

impl<T, S> FromRequestParts<S> for AppPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(AppPath(value)),
            Err(rejection) => {
                let names: Vec<String> = match RawPathParams::from_request_parts(parts, state).await {
                    Ok(params) => params.iter().map(|(name, _)| name.to_owned()).collect(),
                    Err(_) => Vec::new(),
                };
                Err(path_error(&rejection, &names))
            }
        }
    }
}

/// The error for a path that could not be read, naming the parameter where the rejection tells which
/// (`names`: the route's parameters in order).
fn path_error(rejection: &PathRejection, names: &[String]) -> Error {
    if rejection.status().is_server_error() {
        return Error::Internal(anyhow::anyhow!("path parameters: {}", rejection.body_text()));
    }
    let field = match rejection {
        PathRejection::FailedToDeserializePathParams(e) => match e.kind() {
            PathErrorKind::ParseErrorAtKey { key, .. }
            | PathErrorKind::InvalidUtf8InPathParam { key }
            | PathErrorKind::DeserializeError { key, .. } => Some(key.clone()),
            PathErrorKind::ParseErrorAtIndex { index, .. } => names.get(*index).cloned(),
            PathErrorKind::ParseError { .. } if names.len() == 1 => names.first().cloned(),
            _ => None,
        },
        _ => None,
    };
    match field {
        Some(field) => Error::BadRequestFields {
            message: format!("路径参数有误：{field} 的取值无法识别"),
            fields: vec![FieldError {
                message: format!("{field} 的取值无法识别"),
                field,
            }],
        },
        None => Error::BadRequest("路径参数有误：取值无法识别".to_owned()),
    }
}

/// Turns serde's "Failed to deserialize query string: page: invalid digit" into a Chinese 400 naming
/// the parameter.
fn query_error(detail: &str) -> Error {
    let detail = detail.trim_start_matches("Failed to deserialize query string: ");
    match detail.split_once(": ") {
        Some((field, _)) if !field.contains(' ') => Error::BadRequestFields {
            message: format!("查询参数有误：{field} 的取值无法识别"),
            fields: vec![FieldError {
                field: field.to_owned(),
                message: format!("{field} 的取值无法识别"),
            }],
        },
        _ => Error::BadRequest(format!("查询参数有误：{detail}")),
    }
}

/// Answers an unknown `/api` route.
pub async fn api_not_found() -> Error {
    Error::NotFound("没有这个接口".to_owned())
}

/// Answers a known `/api` route called with the wrong method.
pub async fn api_method_not_allowed() -> Response {
    let body = ApiError::new(ErrorCode::MethodNotAllowed, "该接口不支持此请求方法");
    (StatusCode::METHOD_NOT_ALLOWED, axum::Json(body)).into_response()
}
