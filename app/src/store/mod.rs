//! Persistence with sqlx: one module per aggregate. SQLite is the embedded default.

pub mod accounts;
pub mod achievements;
pub mod audit;
pub mod backup;
pub mod changes;
pub mod demo;
pub mod exports;
pub mod generate;
pub mod indicators;
pub mod labels;
pub mod lifecycle;
pub mod map;
pub mod outputs;
pub mod people;
pub mod readings;
pub mod reports;
pub mod returns;
pub mod review_actions;
pub mod review_summary;
pub mod reviews;
pub mod targets;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

pub type Db = sqlx::SqlitePool;

/// Why the database could not be made ready; the server prints it and exits.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("the database at {url} could not be opened: {source}")]
    Open { url: String, source: sqlx::Error },
    #[error("the database migrations failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("the demonstration data could not be loaded: {0}")]
    Seed(sqlx::Error),
}

/// Opens (creating if missing) the database at `url`, brings its schema up to date, and
/// loads the demonstration data into an empty one when `seed` is set.
pub async fn open(url: &str, seed: bool) -> Result<Db, OpenError> {
    let open_error = |source| OpenError::Open {
        url: url.to_string(),
        source,
    };
    let options = SqliteConnectOptions::from_str(url)
        .map_err(open_error)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let db = SqlitePoolOptions::new()
        .max_connections(8)
        // A request waits at most this long for the database, then gets a clear 503.
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
        .map_err(open_error)?;
    sqlx::migrate!("../migrations/sqlite").run(&db).await?;
    if seed {
        demo::seed_if_empty(&db).await.map_err(OpenError::Seed)?;
    }
    Ok(db)
}

/// Opens a database file only to read it, changing nothing (no migrations, no seeding).
pub async fn open_read_only(file: &std::path::Path) -> Result<Db, sqlx::Error> {
    SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(SqliteConnectOptions::new().filename(file).read_only(true))
        .await
}

/// The SQL that turns an organisation id into a council code ('joint' for none).
pub(crate) const COUNCIL_CODE: &str =
    "COALESCE((SELECT code FROM organisation o WHERE o.id = organisation_id), 'joint')";

/// Starts a transaction that writes. IMMEDIATE takes the write lock at once, so a second
/// writer waits its turn (busy timeout) and then sees the first one's work, rather than
/// failing half-way.
pub(crate) async fn begin_write(
    db: &Db,
) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, crate::error::AppError> {
    db.begin_with("BEGIN IMMEDIATE")
        .await
        .map_err(busy_is_conflict)
}

/// Another writer holding the database, or extending the audit chain at the same moment, is
/// a conflict to retry, not a fault.
pub(crate) fn busy_is_conflict(error: sqlx::Error) -> crate::error::AppError {
    match &error {
        sqlx::Error::Database(db)
            if db.is_unique_violation() || db.code().is_some_and(|c| c == "5" || c == "517") =>
        {
            crate::error::AppError::Conflict {
                message:
                    "Someone else saved a change at the same moment. Reload the page and try again."
                        .into(),
            }
        }
        _ => error.into(),
    }
}
