//! The change summary: per theme, between two dates, computed from the audit trail.

#[cfg(feature = "ssr")]
use crate::domain::change_summary::Cell;
use crate::error::AppError;
pub use crate::model::changes::*;
use leptos::prelude::*;

/// Checks the two dates of an interval, each defaulting to its own of `defaults`.
pub fn read_interval(
    from: Option<&str>,
    to: Option<&str>,
    defaults: (&str, &str),
) -> Result<(String, String), AppError> {
    use crate::domain::period::parse_iso_date;
    let pick = |value: Option<&str>, default: &str| {
        value
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .unwrap_or(default)
            .to_string()
    };
    let (from, to) = (pick(from, defaults.0), pick(to, defaults.1));
    if parse_iso_date(&from).is_none() {
        return Err(AppError::invalid(
            "from",
            "Enter the start date as a real date, for example 2017-06-12",
        ));
    }
    if parse_iso_date(&to).is_none() {
        return Err(AppError::invalid(
            "to",
            "Enter the end date as a real date, for example 2017-12-15",
        ));
    }
    if from > to {
        return Err(AppError::invalid(
            "to",
            "The end date must be the same as or after the start date",
        ));
    }
    Ok((from, to))
}

/// The interval asked for, its missing dates filled from the published reports (see
/// `store::reports::default_interval`).
#[cfg(feature = "ssr")]
pub async fn interval(
    db: &crate::store::Db,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(String, String), AppError> {
    let (start, end) = crate::store::reports::default_interval(db, &today()).await?;
    read_interval(from, to, (&start, &end))
}

#[cfg(feature = "ssr")]
fn today() -> String {
    let date = time::OffsetDateTime::now_utc().date();
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

#[server(prefix = "/api", endpoint = "change-summary")]
pub async fn get_change_summary(
    from: Option<String>,
    to: Option<String>,
) -> Result<ChangeSummary, AppError> {
    let db = super::database()?;
    let (from, to) = interval(&db, from.as_deref(), to.as_deref()).await?;
    crate::store::changes::summary(&db, from, to).await
}

#[server(prefix = "/api", endpoint = "change-list")]
pub async fn get_change_list(
    theme: i64,
    cell: String,
    from: Option<String>,
    to: Option<String>,
) -> Result<ChangeList, AppError> {
    let db = super::database()?;
    let (from, to) = interval(&db, from.as_deref(), to.as_deref()).await?;
    let cell = Cell::from_code(&cell)
        .ok_or_else(|| AppError::not_found("That part of the change summary"))?;
    crate::store::changes::list(&db, theme, cell, from, to).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_default_and_are_checked() {
        assert_eq!(
            read_interval(None, None, ("2017-06-12", "2026-11-26")),
            Ok(("2017-06-12".into(), "2026-11-26".into()))
        );
        assert_eq!(
            read_interval(Some(""), Some("2017-12-15"), ("2017-06-12", "x")),
            Ok(("2017-06-12".into(), "2017-12-15".into()))
        );
        assert!(
            matches!(read_interval(Some("2017-02-30"), None, ("2017-06-12", "2026-11-26")), Err(AppError::Invalid { field, .. }) if field == "from")
        );
        assert!(
            matches!(read_interval(Some("2017-12-15"), Some("2017-06-12"), ("x", "x")), Err(AppError::Invalid { field, .. }) if field == "to")
        );
        assert!(
            matches!(read_interval(None, Some("<script>"), ("2017-06-12", "x")), Err(AppError::Invalid { field, .. }) if field == "to")
        );
    }
}
