//! Pieces shared by several pages.

pub mod guard;
pub mod notice;
pub mod pager;
pub mod shell;
