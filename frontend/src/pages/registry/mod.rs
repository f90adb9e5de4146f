//! 登记管理 — the registry of organizations, its file import, registration matters and the public lookup.

#[cfg(feature = "workspace")]
pub mod import;
pub mod lookup;
#[cfg(feature = "workspace")]
pub mod matters;
#[cfg(feature = "organization")]
pub mod organizations;
#[cfg(feature = "organization")]
mod standing;
