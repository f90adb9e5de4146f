//! One module per page.

pub mod account;
pub mod audit;
pub mod contributions;
pub mod home;
pub mod login;
pub mod lookup;
pub mod matters;
pub mod my_pairings;
pub mod not_found;
pub mod organizations;
pub mod registry_import;
pub mod round;
pub mod rounds;
pub mod users;
pub mod villages;
