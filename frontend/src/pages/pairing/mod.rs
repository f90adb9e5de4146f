//! 百社进百村 — the pairing rounds, one round's work, and an organization's own villages.

pub mod my_pairings;
pub mod round;
pub mod rounds;
