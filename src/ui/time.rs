//! Times as pages show them, in the person's time zone and date format (their display
//! settings, provided by the app's layout; UTC and `2026-12-06` for nobody in particular).
//! The settings carry their zone's offsets as a table the server made, so the server and the
//! browser convert alike, and neither chrono's formatter nor a time zone database is in the
//! browser's bundle.

use chrono::{DateTime, Datelike, Timelike, Utc};
use leptos::prelude::use_context;

use crate::domain::account::{DateFormat, DisplaySettings};

/// A moment's wall-clock reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Local {
    year: i32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

fn settings() -> DisplaySettings {
    use_context::<DisplaySettings>().unwrap_or_default()
}

/// The time zone the page shows times in, for labels ("When (Asia/Jakarta)").
pub fn zone() -> String {
    settings().time_zone
}

fn utc(t: &DateTime<Utc>) -> Local {
    Local {
        year: t.year(),
        month: t.month(),
        day: t.day(),
        hour: t.hour(),
        minute: t.minute(),
        second: t.second(),
    }
}

fn at(t: &DateTime<Utc>) -> (Local, DateFormat) {
    let s = settings();
    let shifted = *t + chrono::Duration::seconds(i64::from(s.offset_at(t.timestamp())));
    (utc(&shifted), s.date_format)
}

fn date_of(l: &Local, format: DateFormat) -> String {
    match format {
        DateFormat::Iso => format!("{:04}-{:02}-{:02}", l.year, l.month, l.day),
        DateFormat::DayFirst => format!("{:02}/{:02}/{:04}", l.day, l.month, l.year),
        DateFormat::MonthFirst => format!("{:02}/{:02}/{:04}", l.month, l.day, l.year),
    }
}

/// A calendar date (a task's due date) in the person's date format; no time zone applies.
pub fn date(d: &chrono::NaiveDate) -> String {
    let l = Local {
        year: d.year(),
        month: d.month(),
        day: d.day(),
        hour: 0,
        minute: 0,
        second: 0,
    };
    date_of(&l, settings().date_format)
}

/// `2026-12-06`
pub fn day(t: &DateTime<Utc>) -> String {
    let (l, f) = at(t);
    date_of(&l, f)
}

/// `2026-12-06 14:03`
pub fn minute(t: &DateTime<Utc>) -> String {
    let (l, f) = at(t);
    format!("{} {:02}:{:02}", date_of(&l, f), l.hour, l.minute)
}

/// `2026-12-06 14:03:07`
pub fn second(t: &DateTime<Utc>) -> String {
    let (l, f) = at(t);
    format!(
        "{} {:02}:{:02}:{:02}",
        date_of(&l, f),
        l.hour,
        l.minute,
        l.second
    )
}

/// `14:03:07`
pub fn clock(t: &DateTime<Utc>) -> String {
    let (l, _) = at(t);
    format!("{:02}:{:02}:{:02}", l.hour, l.minute, l.second)
}

/// A cell of a service's answer that is an RFC 3339 time, shown like every other time;
/// anything else as it came.
pub fn cell(text: &str) -> String {
    let looks = text.len() >= 20 && text.as_bytes().get(10) == Some(&b'T');
    match DateTime::parse_from_rfc3339(text) {
        Ok(t) if looks => second(&t.with_timezone(&Utc)),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use leptos::prelude::{provide_context, Owner};

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

    #[test]
    fn times_show_in_the_persons_zone_and_date_format() {
        let owner = Owner::new();
        owner.with(|| {
            provide_context(DisplaySettings {
                time_zone: "Asia/Jakarta".into(),
                date_format: DateFormat::DayFirst,
                offsets: crate::server::time_zones::offsets("Asia/Jakarta").to_vec(),
            });
            let t = Utc.with_ymd_and_hms(2026, 12, 6, 20, 3, 7).unwrap();
            assert_eq!(minute(&t), "07/12/2026 03:03");
            assert_eq!(zone(), "Asia/Jakarta");
            assert_eq!(
                date(&chrono::NaiveDate::from_ymd_opt(2026, 1, 2).unwrap()),
                "02/01/2026"
            );
            assert_eq!(
                cell("2026-12-07T04:08:14.557896468Z"),
                "07/12/2026 11:08:14"
            );
            assert_eq!(cell("2026-12-07"), "2026-12-07");
            assert_eq!(cell("hello"), "hello");
            // Summer time, where there is one.
            provide_context(DisplaySettings {
                time_zone: "Europe/Berlin".into(),
                date_format: DateFormat::MonthFirst,
                offsets: crate::server::time_zones::offsets("Europe/Berlin").to_vec(),
            });
            let summer = Utc.with_ymd_and_hms(2026, 7, 1, 12, 0, 0).unwrap();
            assert_eq!(minute(&summer), "07/01/2026 14:00");
        });
    }
}
