//! 名录与登记 — the registry of social organizations (kinds, statuses, credit lists, credit codes), the
//! registration matters that change it, and the import of registry files.

pub mod api;
pub mod credit_code;
pub mod import;
pub mod matter;
pub mod organization;
pub mod registration;
