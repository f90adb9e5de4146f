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

/// Today's date where the user is (the browser's time zone).
pub fn today() -> chrono::NaiveDate {
    let date = js_sys::Date::new_0();
    chrono::NaiveDate::from_ymd_opt(date.get_full_year() as i32, date.get_month() + 1, date.get_date())
        .unwrap_or_else(|| now().date_naive())
}

/// A file's size as people read it: `812 B`, `35.2 KB`, `4.7 MB` (units of 1,024).
pub fn format_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut size = bytes as f64 / 1024.0;
    let mut unit = 0;
    while size >= 1024.0 && unit + 1 < UNITS.len() {
        size /= 1024.0;
        unit += 1;
    }
    format!("{size:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::format_bytes;

    #[test]
    fn sizes_read_in_the_largest_whole_unit() {
        assert_eq!(format_bytes(812), "812 B");
        assert_eq!(format_bytes(36_045), "35.2 KB");
        assert_eq!(format_bytes(4_928_307), "4.7 MB");
    }
}
