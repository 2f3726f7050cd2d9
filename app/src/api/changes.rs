//! The change summary: per theme, between two dates, computed from the audit trail.

#[cfg(feature = "ssr")]
use crate::domain::change_summary::{Cell, Interval};
#[cfg(feature = "ssr")]
use crate::domain::period::Day;
use crate::error::AppError;
pub use crate::model::changes::*;
use leptos::prelude::*;

/// The interval asked for, its missing dates filled from the published reports (see
/// `store::reports::default_interval`).
#[cfg(feature = "ssr")]
pub async fn interval(
    db: &crate::store::Db,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Interval, AppError> {
    let defaults = crate::store::reports::default_interval(db, Day::today()).await?;
    Ok(Interval::read(from, to, defaults)?)
}

#[server(prefix = "/api", endpoint = "change-summary")]
pub async fn get_change_summary(
    from: Option<String>,
    to: Option<String>,
) -> Result<ChangeSummary, AppError> {
    let db = super::database()?;
    let interval = interval(&db, from.as_deref(), to.as_deref()).await?;
    crate::store::changes::summary(&db, interval).await
}

#[server(prefix = "/api", endpoint = "change-list")]
pub async fn get_change_list(
    theme: i64,
    cell: String,
    from: Option<String>,
    to: Option<String>,
) -> Result<ChangeList, AppError> {
    let db = super::database()?;
    let interval = interval(&db, from.as_deref(), to.as_deref()).await?;
    let cell = Cell::from_code(&cell)
        .ok_or_else(|| AppError::not_found("That part of the change summary"))?;
    crate::store::changes::list(&db, theme, cell, interval).await
}
