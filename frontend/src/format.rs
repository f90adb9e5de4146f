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
