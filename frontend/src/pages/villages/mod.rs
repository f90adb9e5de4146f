//! 村（居）委会 — the public list of villages and one village's page.

pub mod list;
pub mod village;
