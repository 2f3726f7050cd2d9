//! The plan's year as the database holds it: the month its financial year starts and how
//! often it reports to Cabinet.

use crate::domain::{Calendar, Reporting};

/// The plan's calendar; UK local government's (April, half-yearly) before the plan is set up.
pub async fn read<'c, E>(db: E) -> Result<Calendar, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT year_starts, reporting FROM plan ORDER BY id LIMIT 1")
            .fetch_optional(db)
            .await?;
    Ok(row.map_or_else(Calendar::default, |(month, reporting)| {
        of(month, &reporting)
    }))
}

/// The calendar of the plan's `year_starts` and `reporting` columns; anything the database
/// should not hold is taken as the usual year.
pub fn of(year_starts: i64, reporting: &str) -> Calendar {
    u8::try_from(year_starts)
        .ok()
        .and_then(|month| Calendar::new(month, Reporting::read(reporting).unwrap_or_default()))
        .unwrap_or_default()
}
