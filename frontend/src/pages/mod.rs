//! One module per page.

#[cfg(feature = "workspace")]
pub mod account;
#[cfg(feature = "workspace")]
pub mod audit;
#[cfg(feature = "workspace")]
pub mod contributions;
pub mod home;
pub mod login;
pub mod lookup;
#[cfg(feature = "workspace")]
pub mod matters;
#[cfg(feature = "workspace")]
pub mod my_pairings;
pub mod not_found;
#[cfg(feature = "workspace")]
pub mod organizations;
#[cfg(feature = "workspace")]
pub mod registry_import;
#[cfg(feature = "workspace")]
pub mod round;
#[cfg(feature = "workspace")]
pub mod rounds;
#[cfg(feature = "workspace")]
pub mod users;
pub mod village;
pub mod villages;
