//! Times as pages show them, in UTC: `2026-12-06 14:03`. Written out here instead of with
//! chrono's `format`, whose strftime parser and formatter would otherwise be in the browser's
//! bundle for these four shapes.

use chrono::{DateTime, Datelike, Timelike, Utc};

/// `2026-12-06`
pub fn day(t: &DateTime<Utc>) -> String {
    format!("{:04}-{:02}-{:02}", t.year(), t.month(), t.day())
}

/// `2026-12-06 14:03`
pub fn minute(t: &DateTime<Utc>) -> String {
    format!("{} {:02}:{:02}", day(t), t.hour(), t.minute())
}

/// `2026-12-06 14:03:07`
pub fn second(t: &DateTime<Utc>) -> String {
    format!("{} {}", day(t), clock(t))
}

/// `14:03:07`
pub fn clock(t: &DateTime<Utc>) -> String {
    format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn shapes_match_what_chrono_wrote() {
        for t in [
            Utc.with_ymd_and_hms(2026, 12, 6, 14, 3, 7).unwrap(),
            Utc.with_ymd_and_hms(999, 1, 2, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2024, 2, 29, 23, 59, 59).unwrap(),
        ] {
            assert_eq!(day(&t), t.format("%Y-%m-%d").to_string());
            assert_eq!(minute(&t), t.format("%Y-%m-%d %H:%M").to_string());
            assert_eq!(second(&t), t.format("%Y-%m-%d %H:%M:%S").to_string());
            assert_eq!(clock(&t), t.format("%H:%M:%S").to_string());
        }
    }
}
