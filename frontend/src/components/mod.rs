//! Pieces shared by several pages.

pub mod notice;
pub mod pager;
pub mod shell;
