//! Pieces shared by several pages.

pub mod field;
pub mod guard;
pub mod load;
pub mod notice;
pub mod pager;
pub mod pairing_map;
pub mod shell;
