//! The audit trail in the database: appending a record in the caller's transaction, and
//! reading the chain back to verify it.

use super::Db;
use crate::domain::audit::{
    chain_hash, verify_to_head, AuditContent, ChainBreak, ChainedRecord, Head, GENESIS,
};
use crate::domain::roles::User;
use crate::error::AppError;
use sqlx::{Sqlite, Transaction};

/// A record of `action` on `subject` by `user`, now; the caller adds the indicator and the
/// values before and after.
pub fn content(user: &User, action: &str, subject: String, reason: &str) -> AuditContent {
    AuditContent {
        recorded_at: super::accounts::timestamp(time::OffsetDateTime::now_utc()),
        actor_id: Some(user.person_id),
        action: action.to_string(),
        indicator_id: None,
        subject,
        value_before: None,
        value_after: None,
        reason: reason.to_string(),
    }
}

/// Appends `content` and commits the transaction: the change and its record are saved
/// together or not at all.
pub async fn commit_with(
    mut tx: Transaction<'static, Sqlite>,
    content: AuditContent,
) -> Result<(), AppError> {
    append(&mut tx, &content)
        .await
        .map_err(super::busy_is_conflict)?;
    tx.commit().await.map_err(super::busy_is_conflict)
}

/// Appends `content` to the chain, in the caller's transaction, so the record and the change
/// it records are written together or not at all. Two writers cannot both follow the same
/// record: `previous_hash` is unique.
pub async fn append(
    tx: &mut Transaction<'_, Sqlite>,
    content: &AuditContent,
) -> Result<i64, sqlx::Error> {
    let previous: Option<(String,)> =
        sqlx::query_as("SELECT hash FROM audit_record ORDER BY id DESC LIMIT 1")
            .fetch_optional(&mut **tx)
            .await?;
    let previous_hash = previous
        .map(|(hash,)| hash)
        .unwrap_or_else(|| GENESIS.to_string());
    let hash = chain_hash(&previous_hash, content);
    sqlx::query_scalar(
        "INSERT INTO audit_record (recorded_at, actor_id, action, indicator_id, subject, value_before, value_after, reason, previous_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&content.recorded_at)
    .bind(content.actor_id)
    .bind(&content.action)
    .bind(content.indicator_id)
    .bind(&content.subject)
    .bind(&content.value_before)
    .bind(&content.value_after)
    .bind(&content.reason)
    .bind(&previous_hash)
    .bind(&hash)
    .fetch_one(&mut **tx)
    .await
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    recorded_at: String,
    actor_id: Option<i64>,
    action: String,
    indicator_id: Option<i64>,
    subject: String,
    value_before: Option<String>,
    value_after: Option<String>,
    reason: String,
    previous_hash: String,
    hash: String,
}

/// Every record, in order.
pub async fn chain(db: &Db) -> Result<Vec<ChainedRecord>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, recorded_at, actor_id, action, indicator_id, subject, value_before, value_after, reason, previous_hash, hash
         FROM audit_record ORDER BY id",
    )
    .fetch_all(db)
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
            },
            previous_hash: row.previous_hash,
            hash: row.hash,
        })
        .collect())
}

/// The result of checking the whole chain: how many records verified, or the first break.
#[derive(Debug)]
pub enum Verification {
    Verified(usize),
    Broken(ChainBreak),
}

/// How many records the trail should hold, and the newest one's hash.
pub async fn head(db: &Db) -> Result<Head, sqlx::Error> {
    let (records, hash) = sqlx::query_as("SELECT records, hash FROM audit_head WHERE id = 1")
        .fetch_one(db)
        .await?;
    Ok(Head { records, hash })
}

pub async fn verify_chain(db: &Db) -> Result<Verification, sqlx::Error> {
    let head = head(db).await?;
    Ok(match verify_to_head(&chain(db).await?, &head) {
        Ok(count) => Verification::Verified(count),
        Err(broken) => Verification::Broken(broken),
    })
}
