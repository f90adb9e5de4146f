//! One module per page.

pub mod account;
pub mod audit;
pub mod home;
pub mod login;
pub mod my_pairings;
pub mod not_found;
pub mod round;
pub mod rounds;
pub mod users;
pub mod villages;
