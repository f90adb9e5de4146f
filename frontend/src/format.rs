//! Showing times, money and counts the way users in China read them.

use chrono::{DateTime, FixedOffset, Utc};

/// Beijing time (UTC+8), the time every user of the system lives in.
fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset"))
}

/// `2026-11-26 13:05` in Beijing time.
pub fn format_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&beijing()).format("%Y-%m-%d %H:%M").to_string()
}

/// Now, from the browser's clock (`std::time` is not available in wasm32-unknown-unknown, so chrono's
/// `Utc::now()` would panic there).
pub fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

/// Today in Beijing time, the day the server dates and checks everything by (`state::today`) — not the
/// browser's zone: a phone or a test browser on another zone's clock would, for eight hours a day, offer a
/// date the server refuses as before a petition's receipt or after today.
pub fn today() -> chrono::NaiveDate {
    now().with_timezone(&beijing()).date_naive()
}

pub use domain::jobs::format_bytes;
