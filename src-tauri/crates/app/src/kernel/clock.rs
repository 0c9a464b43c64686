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
