//! The pages, one folder per module (the module's name in every layer): `accounts`, `registry`, `villages`,
//! `pairing`, `contributions`, `jobs`, `inspection`, `credit`, `dormant`, `illegal`, `petitions`,
//! `penalties`, `party`, `fees`, `publication`, `dashboard`; the home page and the not-found page stand alone.

pub mod accounts;
#[cfg(feature = "organization")]
pub mod contributions;
#[cfg(feature = "organization")]
pub mod credit;
#[cfg(feature = "workspace")]
pub mod dashboard;
#[cfg(feature = "workspace")]
pub mod dormant;
#[cfg(feature = "workspace")]
pub mod fees;
pub mod home;
#[cfg(feature = "workspace")]
pub mod illegal;
#[cfg(feature = "organization")]
pub mod inspection;
#[cfg(feature = "workspace")]
pub mod jobs;
pub mod not_found;
#[cfg(feature = "organization")]
pub mod pairing;
#[cfg(feature = "workspace")]
pub mod party;
#[cfg(feature = "organization")]
pub mod penalties;
#[cfg(feature = "workspace")]
pub mod petitions;
#[cfg(feature = "workspace")]
pub mod publication;
pub mod registry;
pub mod villages;
