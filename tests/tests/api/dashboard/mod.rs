//! The dashboard and the annual work report: every figure of a year created through the API is checked
//! against a count made here, and its records against the figure (one file per area).

mod impact;
mod party;
mod registration;
mod supervision;
