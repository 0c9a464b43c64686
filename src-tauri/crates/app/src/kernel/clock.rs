//! The service clock: now and today, in UTC, as every entry and date records them.

pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub(crate) fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}

pub(crate) fn add_days(date: &str, days: u32) -> String {
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.checked_add_days(chrono::Days::new(u64::from(days))))
        .map(|d| d.to_string())
        .unwrap_or_else(|| date.to_string())
}

/// An instant as a person reads it in a message: `2026-12-03 12:41:07 UTC` (an RFC 3339
/// time that does not parse is shown as it is).
pub(crate) fn moment(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| {
            t.with_timezone(&chrono::Utc)
                .format("%Y-%m-%d %H:%M:%S UTC")
                .to_string()
        })
        .unwrap_or_else(|_| at.to_string())
}
