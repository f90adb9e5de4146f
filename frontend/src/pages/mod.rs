//! The pages, one folder per module (the module's name in every layer): `accounts`, `registry`, `villages`,
//! `pairing`, `contributions`, `jobs`, `illegal`, `petitions`, `penalties`; the home page and the not-found page stand alone.

pub mod accounts;
#[cfg(feature = "workspace")]
pub mod contributions;
pub mod home;
#[cfg(feature = "workspace")]
pub mod illegal;
#[cfg(feature = "workspace")]
pub mod jobs;
pub mod not_found;
#[cfg(feature = "workspace")]
pub mod pairing;
#[cfg(feature = "workspace")]
pub mod penalties;
#[cfg(feature = "workspace")]
pub mod petitions;
pub mod registry;
pub mod villages;
