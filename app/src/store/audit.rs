//! The audit trail in the database: appending a record in the caller's transaction, and
//! reading the chain back to verify it.

use super::Db;
use crate::domain::audit::{
    chain_hash, verify_to_head, AuditAction, AuditContent, AuditKey, ChainBreak, ChainedRecord,
    Head,
};
use crate::domain::input::Reason;
use crate::domain::roles::User;
use crate::error::AppError;
use std::sync::OnceLock;

/// The audit key of this process, from outside the database (`--audit-key-file`), set once
/// at start like the logger: every record appended is sealed with it, in every plan the
/// process serves. Without one, records are chained but not sealed.
static KEY: OnceLock<Option<AuditKey>> = OnceLock::new();

/// A process is started with one audit key (or none) and keeps it.
#[derive(Debug, thiserror::Error)]
#[error("this process already seals the audit trail with another key")]
pub struct KeyAlreadySet;

/// Seals every record appended from now on with `key` (or none).
pub fn use_key(key: Option<AuditKey>) -> Result<(), KeyAlreadySet> {
    let set = KEY.get_or_init(|| key.clone());
    if *set == key {
        Ok(())
    } else {
        Err(KeyAlreadySet)
    }
}

/// The key this process seals with, if any.
pub fn key() -> Option<&'static AuditKey> {
    KEY.get().and_then(Option::as_ref)
}

/// A record of `action` on `subject` by `user`, now; the caller adds the indicator and the
/// values before and after.
pub fn content(user: &User, action: AuditAction, subject: String, reason: &str) -> AuditContent {
    AuditContent {
        actor_id: Some(user.person_id),
        ..content_at(action, subject, reason)
    }
}

/// A record of `action` on `subject` made by the server's operator from the command line, now.
pub fn by_operator(action: AuditAction, subject: String, reason: &str) -> AuditContent {
    content_at(action, subject, reason)
}

fn content_at(action: AuditAction, subject: String, reason: &str) -> AuditContent {
    AuditContent {
        recorded_at: super::accounts::timestamp(time::OffsetDateTime::now_utc()),
        actor_id: None,
        action,
        indicator_id: None,
        subject,
        value_before: None,
        value_after: None,
        reason: reason.to_string(),
        review_session_id: None,
    }
}

/// Appends `content` and commits the transaction: the change and its record are saved
/// together or not at all.
pub async fn commit_with(mut tx: crate::store::Tx, content: AuditContent) -> Result<(), AppError> {
    append(&mut tx, &content)
        .await
        .map_err(super::busy_is_conflict)?;
    tx.commit().await.map_err(super::busy_is_conflict)
}

/// Why a change to the framework is made: the reason given and, when a peer review session
/// agreed it, that session's agenda item.
#[derive(Clone, Copy, Debug)]
pub struct Because<'a> {
    pub reason: &'a Reason,
    pub agreed_at: Option<AgendaItem>,
}

/// An indicator on a peer review session's agenda.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AgendaItem {
    pub session_id: i64,
    pub indicator_id: i64,
}

impl<'a> From<&'a Reason> for Because<'a> {
    fn from(reason: &'a Reason) -> Self {
        Because {
            reason,
            agreed_at: None,
        }
    }
}

impl Because<'_> {
    /// Appends `content`, linked to the session that agreed the change, marks that agenda
    /// item as acted on, and commits: a second action on the same item is refused and
    /// changes nothing.
    pub async fn commit(
        self,
        mut tx: crate::store::Tx,
        content: AuditContent,
    ) -> Result<(), AppError> {
        let Some(item) = self.agreed_at else {
            return commit_with(tx, content).await;
        };
        let content = AuditContent {
            review_session_id: Some(item.session_id),
            ..content
        };
        let record = append(&mut tx, &content)
            .await
            .map_err(super::busy_is_conflict)?;
        let marked = sqlx::query(
            "UPDATE review_item SET action_audit_id = $1
             WHERE session_id = $2 AND indicator_id = $3 AND action_audit_id IS NULL",
        )
        .bind(record)
        .bind(item.session_id)
        .bind(item.indicator_id)
        .execute(&mut *tx)
        .await
        .map_err(super::busy_is_conflict)?;
        if marked.rows_affected() != 1 {
            return Err(AppError::invalid(
                "change",
                "This agreed outcome has already been turned into a change",
            ));
        }
        tx.commit().await.map_err(super::busy_is_conflict)
    }
}

/// Appends `content` to the chain, in the caller's transaction, so the record and the change
/// it records are written together or not at all. It follows the head of the trail and takes
/// the next number, so the records are numbered without gaps on either engine (a PostgreSQL
/// sequence would skip numbers on every rollback). Two writers cannot both follow the same
/// record: `previous_hash` and the id are unique.
pub async fn append(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    content: &AuditContent,
) -> Result<i64, sqlx::Error> {
    let (records, previous_hash): (i64, String) =
        sqlx::query_as("SELECT records, hash FROM audit_head WHERE id = 1")
            .fetch_one(&mut **tx)
            .await?;
    let hash = chain_hash(&previous_hash, content);
    let id = records + 1;
    sqlx::query(
        "INSERT INTO audit_record (id, recorded_at, actor_id, action, indicator_id, subject, value_before, value_after, reason, review_session_id, previous_hash, hash)
         VALUES ($12, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&content.recorded_at)
    .bind(content.actor_id)
    .bind(content.action.code())
    .bind(content.indicator_id)
    .bind(&content.subject)
    .bind(&content.value_before)
    .bind(&content.value_after)
    .bind(&content.reason)
    .bind(content.review_session_id)
    .bind(&previous_hash)
    .bind(&hash)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    if let Some(key) = key() {
        seal(tx, key, id, &hash).await?;
    }
    Ok(id)
}

/// Seals record `id` (whose hash is `hash`, the newest) and the head with `key`.
async fn seal(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    key: &AuditKey,
    id: i64,
    hash: &str,
) -> Result<(), sqlx::Error> {
    seal_record(tx, key, id, hash).await?;
    seal_head(tx, key, id, hash).await
}

async fn seal_record(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    key: &AuditKey,
    id: i64,
    hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO audit_seal (record_id, seal) VALUES ($1, $2)")
        .bind(id)
        .bind(key.seal_record(id, hash))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn seal_head(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    key: &AuditKey,
    records: i64,
    hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE audit_head SET seal = $1, key_id = $2 WHERE id = 1")
        .bind(key.seal_head(records, hash))
        .bind(key.id())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Why the trail could not be sealed: it does not verify as it stands, or the database failed.
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("the trail does not verify, so it was not sealed: {0}")]
    Broken(ChainBreak),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Seals every record and the head with `key`, once the trail verifies as it stands (with
/// `previous`, the key it was sealed with, when it is being moved to a new key); returns how
/// many records were sealed. The head is locked throughout, so no record is appended meanwhile.
pub async fn seal_trail(
    db: &Db,
    key: &AuditKey,
    previous: Option<&AuditKey>,
) -> Result<usize, SealError> {
    let mut tx = db.begin().await?;
    // Takes the head's write lock first, as appending does.
    sqlx::query("UPDATE audit_head SET records = records WHERE id = 1")
        .execute(&mut *tx)
        .await?;
    let records = chain(&mut tx).await?;
    let head = head(&mut tx).await?;
    let checked = match previous {
        Some(previous) => verify_to_head(&records, &head, Some(previous)),
        None if head.is_sealed() => Err(ChainBreak::OtherKey {
            sealed: head.key_id.clone().unwrap_or_default(),
            given: "none: give it as the previous key".into(),
        }),
        None => verify_to_head(&records, &head, None),
    };
    checked.map_err(SealError::Broken)?;
    sqlx::query("DELETE FROM audit_seal")
        .execute(&mut *tx)
        .await?;
    for record in &records {
        seal_record(&mut tx, key, record.id, &record.hash).await?;
    }
    seal_head(&mut tx, key, head.records, &head.hash).await?;
    tx.commit().await?;
    Ok(records.len())
}

/// Checks, as a server starts, that the trail is sealed with the key it was given, or with
/// none when it was given none, so no record is ever written unsealed or under another key.
/// A trail with no records yet takes the key at once.
pub async fn check_key_at_start(db: &Db) -> Result<(), StartCheck> {
    let head = head(&mut *db.acquire().await?).await?;
    match (key(), head.is_sealed()) {
        (None, false) => Ok(()),
        (None, true) => Err(StartCheck::KeyMissing {
            key_id: head.key_id.unwrap_or_default(),
        }),
        (Some(key), false) if head.records == 0 => {
            let mut tx = db.begin().await?;
            seal_head(&mut tx, key, 0, &head.hash).await?;
            tx.commit().await?;
            Ok(())
        }
        (Some(key), _) => head.check_key(key).map_err(StartCheck::Key),
    }
}

/// Why a server will not start with the audit key it was given.
#[derive(Debug, thiserror::Error)]
pub enum StartCheck {
    #[error("the audit trail is sealed with audit key {key_id}, and no key was given: start with --audit-key-file (or HEXPLAN_AUDIT_KEY)")]
    KeyMissing { key_id: String },
    #[error("the audit trail cannot take this audit key: {0}")]
    Key(ChainBreak),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    recorded_at: String,
    actor_id: Option<i64>,
    action: AuditAction,
    indicator_id: Option<i64>,
    subject: String,
    value_before: Option<String>,
    value_after: Option<String>,
    reason: String,
    review_session_id: Option<i64>,
    previous_hash: String,
    hash: String,
    seal: Option<String>,
}

/// Every record, in order, with its seal.
async fn chain(conn: &mut sqlx::AnyConnection) -> Result<Vec<ChainedRecord>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT r.id, r.recorded_at, r.actor_id, r.action, r.indicator_id, r.subject, r.value_before, r.value_after, r.reason, r.review_session_id, r.previous_hash, r.hash, s.seal
         FROM audit_record r LEFT JOIN audit_seal s ON s.record_id = r.id ORDER BY r.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| ChainedRecord {
            id: row.id,
            content: AuditContent {
                recorded_at: row.recorded_at,
                actor_id: row.actor_id,
                action: row.action,
                indicator_id: row.indicator_id,
                subject: row.subject,
                value_before: row.value_before,
                value_after: row.value_after,
                reason: row.reason,
                review_session_id: row.review_session_id,
            },
            previous_hash: row.previous_hash,
            hash: row.hash,
            seal: row.seal,
        })
        .collect())
}

/// The result of checking the whole chain: how many records verified, or the first break.
#[derive(Debug)]
pub enum Verification {
    Verified(usize),
    Broken(ChainBreak),
}

/// How many records the trail should hold, the newest one's hash, and the head's seal.
async fn head(conn: &mut sqlx::AnyConnection) -> Result<Head, sqlx::Error> {
    let (records, hash, seal, key_id) =
        sqlx::query_as("SELECT records, hash, seal, key_id FROM audit_head WHERE id = 1")
            .fetch_one(&mut *conn)
            .await?;
    Ok(Head {
        records,
        hash,
        seal,
        key_id,
    })
}

/// The head of the trail.
pub async fn head_of(db: &Db) -> Result<Head, sqlx::Error> {
    head(&mut *db.acquire().await?).await
}

/// Checks the records and head read together, with this process's key when it has one.
pub fn check(records: &[ChainedRecord], head: &Head) -> Result<usize, ChainBreak> {
    verify_to_head(records, head, key())
}

/// Every record, in order, and the head of the trail, read from one snapshot of the database:
/// read one after the other, a save committed in between would look like tampering.
pub async fn chain_and_head(db: &Db) -> Result<(Vec<ChainedRecord>, Head), sqlx::Error> {
    let mut tx = match super::Engine::of(db) {
        super::Engine::Sqlite => db.begin().await?,
        super::Engine::Postgres => {
            db.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                .await?
        }
    };
    let chain = chain(&mut tx).await?;
    let head = head(&mut tx).await?;
    tx.commit().await?;
    Ok((chain, head))
}

pub async fn verify_chain(db: &Db) -> Result<Verification, sqlx::Error> {
    let (chain, head) = chain_and_head(db).await?;
    Ok(match check(&chain, &head) {
        Ok(count) => Verification::Verified(count),
        Err(broken) => Verification::Broken(broken),
    })
}

/// A new random audit key, as 64 hexadecimal digits.
pub fn new_key() -> String {
    super::random_secret()
}

/// The audit trail's health, for Business Improvement: the chain checked against its head,
/// its seal, and the most recent records with who made them.
pub async fn trail_check(
    db: &Db,
    user: &crate::domain::roles::User,
) -> Result<crate::model::audit::AuditCheck, AppError> {
    use crate::model::audit::{AuditCheck, LatestRecord, RecentRecord, Sealing, RECENT};
    user.authorise(crate::domain::roles::Action::CheckAuditTrail)?;
    let (chain, head) = chain_and_head(db).await?;
    let latest = chain.last().map(|r| LatestRecord {
        id: r.id,
        recorded_at: r.content.recorded_at.clone(),
        hash: r.hash.clone(),
    });
    let names: std::collections::HashMap<i64, String> =
        sqlx::query_as("SELECT id, name FROM person")
            .fetch_all(db)
            .await?
            .into_iter()
            .collect();
    let recent = chain
        .iter()
        .rev()
        .take(RECENT)
        .map(|r| RecentRecord {
            id: r.id,
            recorded_at: r.content.recorded_at.clone(),
            by: match r.content.actor_id {
                Some(id) => names.get(&id).cloned(),
                None => Some("The server's operator (command line)".to_string()),
            },
            action: r.content.action.label().to_string(),
            subject: r.content.subject.clone(),
            value_before: r.content.value_before.clone(),
            value_after: r.content.value_after.clone(),
            reason: r.content.reason.clone(),
        })
        .collect();
    Ok(AuditCheck {
        recent,
        records: chain.len(),
        broken: check(&chain, &head).err().map(|broken| broken.to_string()),
        sealing: match (head.key_id, key()) {
            (None, _) => Sealing::Unsealed,
            (Some(key_id), Some(_)) => Sealing::Checked { key_id },
            (Some(key_id), None) => Sealing::NotChecked { key_id },
        },
        latest,
    })
}
