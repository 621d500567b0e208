//! Times as pages show them, in the person's time zone and date format (their display
//! settings, provided by the app's layout; UTC and `2026-12-06` for nobody in particular).
//! The server converts with the time zone database; the browser asks its own (`Intl`), so
//! neither chrono's formatter nor a copy of the database is in the browser's bundle.

use chrono::{DateTime, Datelike, Timelike, Utc};
use leptos::prelude::use_context;

use crate::domain::account::{DateFormat, DisplaySettings};

/// A moment's wall-clock reading somewhere.
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

#[cfg(feature = "ssr")]
fn local(t: &DateTime<Utc>, zone: &str) -> Local {
    match zone.parse::<chrono_tz::Tz>() {
        Ok(tz) => {
            let l = t.with_timezone(&tz);
            Local {
                year: l.year(),
                month: l.month(),
                day: l.day(),
                hour: l.hour(),
                minute: l.minute(),
                second: l.second(),
            }
        }
        Err(_) => utc(t),
    }
}

#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
fn local(t: &DateTime<Utc>, zone: &str) -> Local {
    browser::local(t, zone).unwrap_or_else(|| utc(t))
}

#[cfg(not(any(feature = "ssr", feature = "hydrate")))]
fn local(t: &DateTime<Utc>, _zone: &str) -> Local {
    utc(t)
}

/// The browser's `Intl.DateTimeFormat`, one per time zone shown, reached through `Reflect`
/// so that an unknown zone is an error to recover from, not an exception.
#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
mod browser {
    use std::cell::RefCell;

    use chrono::{DateTime, Utc};
    use js_sys::{Array, Date, Function, Object, Reflect};
    use wasm_bindgen::{JsCast, JsValue};

    use super::Local;

    thread_local! {
        static FORMAT: RefCell<Option<(String, JsValue)>> = const { RefCell::new(None) };
    }

    fn formatter(zone: &str) -> Option<JsValue> {
        FORMAT.with(|cell| {
            if let Some((z, f)) = cell.borrow().as_ref() {
                if z == zone {
                    return Some(f.clone());
                }
            }
            let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
            let class: Function = Reflect::get(&intl, &"DateTimeFormat".into())
                .ok()?
                .dyn_into()
                .ok()?;
            let options = Object::new();
            for (k, v) in [
                ("timeZone", zone),
                ("hourCycle", "h23"),
                ("year", "numeric"),
                ("month", "numeric"),
                ("day", "numeric"),
                ("hour", "numeric"),
                ("minute", "numeric"),
                ("second", "numeric"),
            ] {
                Reflect::set(&options, &k.into(), &v.into()).ok()?;
            }
            let args = Array::of2(&"en-US".into(), &options);
            let f = Reflect::construct(&class, &args).ok()?;
            *cell.borrow_mut() = Some((zone.to_string(), f.clone()));
            Some(f)
        })
    }

    pub(super) fn local(t: &DateTime<Utc>, zone: &str) -> Option<Local> {
        let f = formatter(zone)?;
        let parts: Function = Reflect::get(&f, &"formatToParts".into())
            .ok()?
            .dyn_into()
            .ok()?;
        let date = Date::new(&JsValue::from_f64(t.timestamp_millis() as f64));
        let parts: Array = parts.call1(&f, &date).ok()?.dyn_into().ok()?;
        let mut out = Local {
            year: 0,
            month: 0,
            day: 0,
            hour: 0,
            minute: 0,
            second: 0,
        };
        for part in parts.iter() {
            let kind = Reflect::get(&part, &"type".into()).ok()?.as_string()?;
            let value = Reflect::get(&part, &"value".into()).ok()?.as_string()?;
            let n = || value.parse::<u32>().ok();
            match kind.as_str() {
                "year" => out.year = value.parse().ok()?,
                "month" => out.month = n()?,
                "day" => out.day = n()?,
                "hour" => out.hour = n()? % 24,
                "minute" => out.minute = n()?,
                "second" => out.second = n()?,
                _ => {}
            }
        }
        Some(out)
    }
}

fn at(t: &DateTime<Utc>) -> (Local, DateFormat) {
    let s = settings();
    let l = if s.time_zone == "UTC" {
        utc(t)
    } else {
        local(t, &s.time_zone)
    };
    (l, s.date_format)
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
            });
            let summer = Utc.with_ymd_and_hms(2026, 7, 1, 12, 0, 0).unwrap();
            assert_eq!(minute(&summer), "07/01/2026 14:00");
        });
    }
}
