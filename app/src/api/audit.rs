//! The audit trail's health, for Business Improvement.

use crate::error::AppError;
pub use crate::model::audit::*;
use leptos::prelude::*;

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
