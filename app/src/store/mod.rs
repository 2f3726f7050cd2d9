//! Persistence with sqlx: one module per aggregate. SQLite is the embedded default.

pub mod accounts;
pub mod audit;
pub mod changes;
pub mod demo;
pub mod generate;
pub mod indicators;
pub mod map;
pub mod outputs;
pub mod readings;
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
        .connect_with(options)
        .await
        .map_err(open_error)?;
    sqlx::migrate!("../migrations/sqlite").run(&db).await?;
    if seed {
        demo::seed_if_empty(&db).await.map_err(OpenError::Seed)?;
    }
    Ok(db)
}

/// The SQL that turns an organisation id into a council code ('joint' for none).
pub(crate) const COUNCIL_CODE: &str =
    "COALESCE((SELECT code FROM organisation o WHERE o.id = organisation_id), 'joint')";
