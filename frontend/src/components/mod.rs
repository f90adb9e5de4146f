//! Pieces shared by several pages.

#[cfg(feature = "organization")]
pub mod division;
#[cfg(feature = "organization")]
pub mod export;
pub mod field;
pub mod guard;
pub mod load;
pub mod notice;
#[cfg(feature = "organization")]
pub mod organization_picker;
pub mod pager;
pub mod pairing_map;
#[cfg(feature = "organization")]
pub mod poll;
pub mod shell;
