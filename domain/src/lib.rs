//! Sheguan's domain: the one definition of every rule, shared by the browser (wasm32) and the server.
//!
//! Nothing in this crate does I/O. Values are parsed into types that can only hold valid data
//! ("parse, don't validate"); state machines are enums whose transitions return `Result`.
//!
//! One folder per module (`accounts`, `registry`, `villages`, `pairing`, `contributions`), each with its
//! rules and its wire types (`<module>/api.rs`, all re-exported by [`api`]). What every module shares lives
//! beside them: [`policy`] (roles, role sets, scopes), [`label`] (enum labels), [`paging`], [`calendar`],
//! [`division`], [`money`], [`privacy`], [`resident_id`], [`evidence`] and [`pages`] (the app's pages and
//! their bundles).

pub mod accounts;
pub mod api;
pub mod calendar;
pub mod contributions;
pub mod credit;
pub mod dashboard;
pub mod division;
pub mod dormant;
pub mod evidence;
pub mod fees;
pub mod illegal;
pub mod inspection;
pub mod jobs;
pub mod label;
pub mod money;
pub mod pages;
pub mod paging;
pub mod pairing;
pub mod party;
pub mod penalties;
pub mod petitions;
pub mod policy;
pub mod privacy;
pub mod publication;
pub mod registry;
pub mod resident_id;
pub mod villages;
