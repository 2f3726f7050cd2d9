//! The audit trail's health, for Business Improvement.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditCheck {
    pub records: usize,
    /// The first broken record, in words, or none when the chain verifies.
    pub broken: Option<String>,
    pub latest: Option<LatestRecord>,
    /// How the trail is sealed with an audit key kept outside the database.
    pub sealing: Sealing,
    /// The newest records, newest first: every kind of change, people and roles included.
    pub recent: Vec<RecentRecord>,
}

/// Whether the trail is sealed with an audit key, and whether this server checked the seals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Sealing {
    /// No audit key: the chain shows edits, but a database writer could recompute it.
    Unsealed,
    /// Sealed with the key named, which this server holds: every seal was checked.
    Checked { key_id: String },
    /// Sealed with the key named, which this server was not given: seals not checked.
    NotChecked { key_id: String },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecentRecord {
    pub id: i64,
    pub recorded_at: String,
    pub by: Option<String>,
    pub action: String,
    pub subject: String,
    pub value_before: Option<String>,
    pub value_after: Option<String>,
    pub reason: String,
}

/// How many of the newest records the audit page lists.
pub const RECENT: usize = 50;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LatestRecord {
    pub id: i64,
    pub recorded_at: String,
    pub hash: String,
}

#[server(prefix = "/api", endpoint = "audit-check")]
pub async fn check_audit_trail() -> Result<AuditCheck, AppError> {
    use crate::domain::roles::Role;
    let user = crate::session::signed_in()?;
    if !user.has(Role::BusinessImprovement) {
        return Err(AppError::Forbidden);
    }
    let db = super::database()?;
    let (chain, head) = crate::store::audit::chain_and_head(&db).await?;
    let latest = chain.last().map(|r| LatestRecord {
        id: r.id,
        recorded_at: r.content.recorded_at.clone(),
        hash: r.hash.clone(),
    });
    let names: std::collections::HashMap<i64, String> =
        sqlx::query_as("SELECT id, name FROM person")
            .fetch_all(&db)
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
            action: crate::domain::audit::action_label(&r.content.action).to_string(),
            subject: r.content.subject.clone(),
            value_before: r.content.value_before.clone(),
            value_after: r.content.value_after.clone(),
            reason: r.content.reason.clone(),
        })
        .collect();
    Ok(AuditCheck {
        recent,
        records: chain.len(),
        broken: crate::store::audit::check(&chain, &head)
            .err()
            .map(|broken| broken.to_string()),
        sealing: match (head.key_id, crate::store::audit::key()) {
            (None, _) => Sealing::Unsealed,
            (Some(key_id), Some(_)) => Sealing::Checked { key_id },
            (Some(key_id), None) => Sealing::NotChecked { key_id },
        },
        latest,
    })
}
