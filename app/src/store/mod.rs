//! Persistence with sqlx: one module per aggregate. SQLite is the embedded default;
//! PostgreSQL serves deployments with several servers.

pub mod accounts;
pub mod achievements;
pub mod audit;
pub mod backup;
pub mod calendar;
pub mod changes;
pub mod columns;
pub mod demo;
pub mod exports;
pub mod generate;
pub mod indicators;
pub mod labels;
pub mod lifecycle;
pub mod map;
pub mod outputs;
pub mod people;
pub mod plan;
pub mod portfolio;
pub mod readings;
pub mod reports;
pub mod returns;
pub mod review_actions;
pub mod review_summary;
pub mod reviews;
pub mod secrets;
pub mod shaping;
pub mod targets;
pub mod workbook;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::Executor;
use std::str::FromStr;
use std::time::Duration;

/// The database: SQLite (the embedded default) or PostgreSQL, chosen by the URL's scheme. The
/// same SQL serves both (numbered `$1` parameters, standard SQL); where the engines differ,
/// [`Engine`] says which is in use.
pub type Db = sqlx::AnyPool;
pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// Which database engine a pool talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn of_url(url: &str) -> Engine {
        if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Engine::Postgres
        } else {
            Engine::Sqlite
        }
    }

    pub fn of(db: &Db) -> Engine {
        Engine::of_url(db.connect_options().database_url.as_str())
    }
}

/// How the pool is sized and how long a statement may run (`--db-pool-size`,
/// `--db-statement-timeout`).
#[derive(Clone, Copy, Debug)]
pub struct PoolSettings {
    pub max_connections: u32,
    pub statement_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        PoolSettings {
            max_connections: 8,
            statement_timeout: Duration::from_secs(30),
        }
    }
}

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
    open_with(url, seed, PoolSettings::default()).await
}

pub async fn open_with(url: &str, seed: bool, settings: PoolSettings) -> Result<Db, OpenError> {
    sqlx::any::install_default_drivers();
    let open_error = |source| OpenError::Open {
        url: redacted(url),
        source,
    };
    let engine = Engine::of_url(url);
    let url = match engine {
        // Create the file when it is missing.
        Engine::Sqlite if !url.contains("mode=") => {
            format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
        }
        _ => url.to_string(),
    };
    let options = AnyConnectOptions::from_str(&url).map_err(open_error)?;
    if engine == Engine::Postgres {
        // Created when missing, like SQLite's file (the role needs CREATEDB for that).
        use sqlx::migrate::MigrateDatabase;
        if !sqlx::Postgres::database_exists(&url)
            .await
            .map_err(open_error)?
        {
            sqlx::Postgres::create_database(&url)
                .await
                .map_err(open_error)?;
        }
    }
    // The schema is made ready through a pool that is then closed; the pool returned
    // connects only when first asked, so a deployment of many plans holds no connection for
    // a plan nobody is using.
    let setup = pool_options(engine, settings)
        .connect_with(options.clone())
        .await
        .map_err(open_error)?;
    let ready = async {
        match engine {
            Engine::Sqlite => sqlx::migrate!("../migrations/sqlite").run(&setup).await?,
            Engine::Postgres => sqlx::migrate!("../migrations/postgres").run(&setup).await?,
        }
        if seed {
            demo::seed_if_empty(&setup).await.map_err(OpenError::Seed)?;
        }
        Ok::<(), OpenError>(())
    }
    .await;
    setup.close().await;
    ready?;
    Ok(pool_options(engine, settings).connect_lazy_with(options))
}

/// How a pool connects: its size and timeouts, and the settings each new connection gets.
fn pool_options(engine: Engine, settings: PoolSettings) -> AnyPoolOptions {
    let timeout_ms = settings.statement_timeout.as_millis();
    AnyPoolOptions::new()
        .max_connections(settings.max_connections)
        // A request waits at most this long for the database, then gets a clear 503.
        .acquire_timeout(Duration::from_secs(10))
        // A deployment of many plans keeps a pool per plan: one whose plan is quiet gives
        // its connections back to the database.
        .idle_timeout(Duration::from_secs(60))
        .after_connect(move |conn, _| {
            Box::pin(async move {
                match engine {
                    Engine::Sqlite => {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                        )
                        .await?;
                    }
                    Engine::Postgres => {
                        conn.execute(&*format!("SET statement_timeout = {timeout_ms}"))
                            .await?;
                    }
                }
                Ok(())
            })
        })
}

/// The (id, label) rows `sql` selects, as choices for a list or a form.
pub(crate) async fn choices(db: &Db, sql: &str) -> Result<Vec<crate::model::Choice>, sqlx::Error> {
    let rows: Vec<(i64, String)> = sqlx::query_as(sql).fetch_all(db).await?;
    Ok(rows
        .into_iter()
        .map(|(id, label)| crate::model::Choice { id, label })
        .collect())
}

/// 32 random bytes from the operating system, as 64 hexadecimal digits: session tokens, the
/// site's secrets, audit keys.
pub fn random_secret() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    crate::domain::format::hex(&bytes)
}

/// The URL without its password, for messages and logs.
pub fn redacted(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("…"));
            parsed.to_string()
        }
        _ => url.to_string(),
    }
}

/// Opens a SQLite database file only to read it, changing nothing (no migrations, no seeding).
pub async fn open_read_only(file: &std::path::Path) -> Result<Db, sqlx::Error> {
    sqlx::any::install_default_drivers();
    AnyPoolOptions::new()
        .max_connections(1)
        .connect(&format!("sqlite://{}?mode=ro", file.display()))
        .await
}

/// Rows inserted with their ids given (the demonstration data, the generator, test fixtures)
/// leave PostgreSQL's id sequences behind; this moves each past the largest id in use.
pub async fn catch_up_ids(conn: &mut sqlx::AnyConnection) -> Result<(), sqlx::Error> {
    if conn.backend_name() != "PostgreSQL" {
        return Ok(());
    }
    let numbered: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.columns
         WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES'",
    )
    .fetch_all(&mut *conn)
    .await?;
    for table in numbered {
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'),
                           COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        ))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Starts a transaction that writes, taking the database's write lock at once, so a second
/// writer (in this server or another) waits its turn and then sees the first one's work,
/// rather than failing half-way: SQLite's `BEGIN IMMEDIATE` (with its busy timeout), or on
/// PostgreSQL the row lock on the head of the audit trail.
pub(crate) async fn begin_write(db: &Db) -> Result<Tx, crate::error::AppError> {
    match Engine::of(db) {
        Engine::Sqlite => db
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(busy_is_conflict),
        Engine::Postgres => {
            let mut tx = db.begin().await?;
            sqlx::query("SELECT records FROM audit_head WHERE id = 1 FOR UPDATE")
                .execute(&mut *tx)
                .await
                .map_err(busy_is_conflict)?;
            Ok(tx)
        }
    }
}

/// Another writer holding the database, or extending the audit chain at the same moment, is
/// a conflict to retry, not a fault.
pub(crate) fn busy_is_conflict(error: sqlx::Error) -> crate::error::AppError {
    match &error {
        sqlx::Error::Database(db)
            if db.is_unique_violation()
                || db
                    .code()
                    .is_some_and(|c| matches!(&*c, "5" | "517" | "40001" | "40P01")) =>
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

/// An optional number as a query parameter, for SQL that reads it as
/// `CAST($n AS DOUBLE PRECISION)`. sqlx 0.8's Any driver sends a missing `f64` to PostgreSQL
/// as a 4-byte float, so a statement first prepared without a number refuses one later on the
/// same connection; as text the parameter has one type whether or not there is a number.
pub(crate) fn optional_number(value: Option<f64>) -> Option<String> {
    value.map(|number| number.to_string())
}

/// A yes or no read from either engine: PostgreSQL answers a boolean, SQLite an integer.
/// Read a boolean column through an expression (`i.joint = TRUE AS joint`): the Any driver
/// refuses SQLite columns declared BOOLEAN.
pub struct Flag(pub bool);

impl sqlx::Type<sqlx::Any> for Flag {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <bool as sqlx::Type<sqlx::Any>>::type_info()
    }

    fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
        use sqlx::any::AnyTypeInfoKind;
        ty.kind() == AnyTypeInfoKind::Bool || ty.kind().is_integer()
    }
}

impl<'r> sqlx::Decode<'r, sqlx::Any> for Flag {
    fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        use sqlx::ValueRef;
        if value.type_info().kind() == sqlx::any::AnyTypeInfoKind::Bool {
            <bool as sqlx::Decode<sqlx::Any>>::decode(value).map(Flag)
        } else {
            <i64 as sqlx::Decode<sqlx::Any>>::decode(value).map(|n| Flag(n != 0))
        }
    }
}

impl From<Flag> for bool {
    fn from(flag: Flag) -> bool {
        flag.0
    }
}
