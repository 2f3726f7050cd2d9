//! Backups of the embedded database. A backup is an online, consistent copy taken while the
//! server runs (SQLite's `VACUUM INTO` reads one snapshot), and is checked before it is
//! trusted: SQLite's integrity check and the whole audit chain. Restoring checks the backup
//! the same way, then puts it in place of a data directory's database in one rename.

use super::audit::{verify_chain, Verification};
use super::Db;
use std::path::{Path, PathBuf};

/// What a checked backup holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checked {
    pub audit_records: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} already exists; choose a new file name")]
    Exists(PathBuf),
    #[error("{0} does not exist")]
    Missing(PathBuf),
    #[error(
        "{0} already holds a database; stop the server and add --replace to put the backup in its place (the current one is kept beside it)"
    )]
    Occupied(PathBuf),
    #[error("the copy fails SQLite's integrity check: {0}")]
    Corrupt(String),
    #[error("the copy's audit trail does not verify: {0}")]
    ChainBroken(String),
    #[error("the database could not be read or written: {0}")]
    Database(#[from] sqlx::Error),
    #[error("the database could not be opened: {0}")]
    Open(#[from] super::OpenError),
    #[error(
        "a PostgreSQL database is backed up with PostgreSQL's own pg_dump (see Backups in the README)"
    )]
    Postgres,
    #[error("the file could not be written: {0}")]
    Io(#[from] std::io::Error),
}

/// Copies the database to `to`, a new file, consistent even while others write, and checks
/// the copy.
pub async fn back_up(db: &Db, to: &Path) -> Result<Checked, BackupError> {
    if super::Engine::of(db) == super::Engine::Postgres {
        return Err(BackupError::Postgres);
    }
    if to.exists() {
        return Err(BackupError::Exists(to.to_path_buf()));
    }
    sqlx::query("VACUUM INTO $1")
        .bind(to.to_string_lossy().as_ref())
        .execute(db)
        .await?;
    check(to).await
}

/// Checks a backup file: SQLite's integrity check, and the audit chain to its head.
pub async fn check(file: &Path) -> Result<Checked, BackupError> {
    if !file.exists() {
        return Err(BackupError::Missing(file.to_path_buf()));
    }
    let db = super::open_read_only(file).await?;
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&db)
        .await?;
    let checked = if integrity != "ok" {
        Err(BackupError::Corrupt(integrity))
    } else {
        match verify_chain(&db).await? {
            Verification::Verified(audit_records) => Ok(Checked { audit_records }),
            Verification::Broken(broken) => Err(BackupError::ChainBroken(broken.to_string())),
        }
    };
    db.close().await;
    checked
}

/// Puts the backup `from` in place as the database of `data_dir`, after checking it. An
/// existing database is only replaced when `replace` is set (with the server stopped); it is
/// then kept beside the restored one as `hexplan.db.before-restore`.
pub async fn restore(from: &Path, data_dir: &Path, replace: bool) -> Result<Checked, BackupError> {
    let checked = check(from).await?;
    let target = data_dir.join("hexplan.db");
    if target.exists() && !replace {
        return Err(BackupError::Occupied(data_dir.to_path_buf()));
    }
    std::fs::create_dir_all(data_dir)?;
    // The copy is complete and on disk before anything already there is moved.
    let incoming = data_dir.join("hexplan.db.restoring");
    std::fs::copy(from, &incoming)?;
    std::fs::File::open(&incoming)?.sync_all()?;
    for suffix in ["", "-wal", "-shm"] {
        let file = data_dir.join(format!("hexplan.db{suffix}"));
        if file.exists() {
            std::fs::rename(
                &file,
                data_dir.join(format!("hexplan.db.before-restore{suffix}")),
            )?;
        }
    }
    std::fs::rename(&incoming, &target)?;
    Ok(checked)
}
