//! Pieces shared by several pages.

#[cfg(feature = "workspace")]
pub mod division;
#[cfg(feature = "workspace")]
pub mod export;
pub mod field;
pub mod guard;
pub mod load;
pub mod notice;
pub mod pager;
pub mod pairing_map;
#[cfg(feature = "workspace")]
pub mod poll;
pub mod shell;
