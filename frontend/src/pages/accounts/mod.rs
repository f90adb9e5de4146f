//! 账户 — signing in, one's own account, the users administrators manage and the audit log.

#[cfg(feature = "organization")]
pub mod account;
#[cfg(feature = "workspace")]
pub mod audit;
pub mod login;
#[cfg(feature = "organization")]
pub mod security;
#[cfg(feature = "workspace")]
pub mod users;
