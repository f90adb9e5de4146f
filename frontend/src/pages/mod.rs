//! One module per page.

pub mod account;
pub mod audit;
pub mod contributions;
pub mod home;
pub mod login;
pub mod not_found;
pub mod users;
pub mod villages;
