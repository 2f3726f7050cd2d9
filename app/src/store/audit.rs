//! The audit trail in the database: appending a record in the caller's transaction, and
//! reading the chain back to verify it.

use super::Db;
use crate::domain::audit::{
    chain_hash, verify_to_head, AuditContent, ChainBreak, ChainedRecord, Head,
};
use crate::domain::roles::User;
use crate::error::AppError;

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
    pub reason: &'a str,
    pub agreed_at: Option<AgendaItem>,
}

/// An indicator on a peer review session's agenda.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AgendaItem {
    pub session_id: i64,
    pub indicator_id: i64,
}

impl<'a> From<&'a str> for Because<'a> {
    fn from(reason: &'a str) -> Self {
        Because {
            reason,
            agreed_at: None,
        }
    }
}

impl<'a> From<&'a String> for Because<'a> {
    fn from(reason: &'a String) -> Self {
        reason.as_str().into()
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
    sqlx::query_scalar(
        "INSERT INTO audit_record (id, recorded_at, actor_id, action, indicator_id, subject, value_before, value_after, reason, review_session_id, previous_hash, hash)
         VALUES ($12, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(&content.recorded_at)
    .bind(content.actor_id)
    .bind(&content.action)
    .bind(content.indicator_id)
    .bind(&content.subject)
    .bind(&content.value_before)
    .bind(&content.value_after)
    .bind(&content.reason)
    .bind(content.review_session_id)
    .bind(&previous_hash)
    .bind(&hash)
    .bind(records + 1)
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
    review_session_id: Option<i64>,
    previous_hash: String,
    hash: String,
}

/// Every record, in order.
async fn chain(conn: &mut sqlx::AnyConnection) -> Result<Vec<ChainedRecord>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, recorded_at, actor_id, action, indicator_id, subject, value_before, value_after, reason, review_session_id, previous_hash, hash
         FROM audit_record ORDER BY id",
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
async fn head(conn: &mut sqlx::AnyConnection) -> Result<Head, sqlx::Error> {
    let (records, hash) = sqlx::query_as("SELECT records, hash FROM audit_head WHERE id = 1")
        .fetch_one(&mut *conn)
        .await?;
    Ok(Head { records, hash })
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
    Ok(match verify_to_head(&chain, &head) {
        Ok(count) => Verification::Verified(count),
        Err(broken) => Verification::Broken(broken),
    })
}
