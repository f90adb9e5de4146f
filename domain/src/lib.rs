//! Sheguan's domain: the one definition of every rule, shared by the browser (wasm32) and the server.
//!
//! Nothing in this crate does I/O. Values are parsed into types that can only hold valid data
//! ("parse, don't validate"); state machines are enums whose transitions return `Result`.

pub mod api;
pub mod auth;
pub mod bundle;
pub mod calendar;
pub mod contribution;
pub mod credit_code;
pub mod division;
pub mod evidence;
pub mod matter;
pub mod money;
pub mod organization;
pub mod paging;
pub mod pairing;
pub mod privacy;
pub mod registration;
pub mod registry_import;
pub mod resident_id;
pub mod round;
pub mod village;
