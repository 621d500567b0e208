//! Each time zone's UTC offsets as a short table (`DisplaySettings::offsets`), worked out once
//! per zone and process from the time zone database: pages convert times with the table, so
//! the browser's bundle carries no database and the server and the browser agree.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, OnceLock},
};

use chrono::{Offset, TimeZone};
use chrono_tz::Tz;

use crate::domain::account::{DisplaySettings, ZoneOffset};

/// 1970-01-01 and 2050-01-01.
const FIRST: i64 = 0;
const LAST: i64 = 2_524_608_000;
const DAY: i64 = 86_400;

fn offset(tz: Tz, unix: i64) -> i32 {
    tz.offset_from_utc_datetime(
        &chrono::DateTime::from_timestamp(unix, 0)
            .unwrap_or_default()
            .naive_utc(),
    )
    .fix()
    .local_minus_utc()
}

/// The table of `zone` (empty for UTC and for a name the database does not know).
pub fn offsets(zone: &str) -> Arc<Vec<ZoneOffset>> {
    static TABLES: OnceLock<Mutex<HashMap<String, Arc<Vec<ZoneOffset>>>>> = OnceLock::new();
    let tables = TABLES.get_or_init(Default::default);
    if let Some(t) = tables.lock().unwrap_or_else(|p| p.into_inner()).get(zone) {
        return Arc::clone(t);
    }
    let table = Arc::new(build(zone));
    tables
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(zone.to_string(), Arc::clone(&table));
    table
}

/// `settings` with its zone's table.
pub fn with_offsets(mut settings: DisplaySettings) -> DisplaySettings {
    settings.offsets = offsets(&settings.time_zone).to_vec();
    settings
}

/// Day by day; where a day's offset differs from the previous one, the second it changed.
fn build(zone: &str) -> Vec<ZoneOffset> {
    let Ok(tz) = zone.parse::<Tz>() else {
        return Vec::new();
    };
    if zone == "UTC" {
        return Vec::new();
    }
    let mut out = vec![ZoneOffset {
        from: FIRST,
        seconds: offset(tz, FIRST),
    }];
    let mut day = FIRST;
    while day < LAST {
        let next = day + DAY;
        let (before, after) = (offset(tz, day), offset(tz, next));
        if before != after {
            // The first second of the new offset.
            let (mut lo, mut hi) = (day, next);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if offset(tz, mid) == before {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            out.push(ZoneOffset {
                from: hi,
                seconds: after,
            });
        }
        day = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zones_table_gives_its_offsets_and_summer_time() {
        let berlin = crate::domain::account::DisplaySettings {
            time_zone: "Europe/Berlin".into(),
            offsets: offsets("Europe/Berlin").to_vec(),
            ..Default::default()
        };
        // 2026-07-01 12:00 UTC is summer time (+2), 2026-12-01 winter (+1).
        assert_eq!(berlin.offset_at(1_782_907_200), 7200);
        assert_eq!(berlin.offset_at(1_796_126_400), 3600);
        // The switch of 2026-03-29 01:00 UTC, to the second.
        assert_eq!(berlin.offset_at(1_774_745_999), 3600);
        assert_eq!(berlin.offset_at(1_774_746_000), 7200);
        // Before the table, its first offset.
        assert_eq!(berlin.offset_at(-1_000_000), 3600);
        assert!(offsets("UTC").is_empty());
        assert!(offsets("Mars/Olympus").is_empty());
        assert_eq!(offsets("Asia/Jakarta").last().unwrap().seconds, 7 * 3600);
    }
}
