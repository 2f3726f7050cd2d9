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
}

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
    let chain = crate::store::audit::chain(&db).await?;
    let head = crate::store::audit::head(&db).await?;
    let latest = chain.last().map(|r| LatestRecord {
        id: r.id,
        recorded_at: r.content.recorded_at.clone(),
        hash: r.hash.clone(),
    });
    Ok(AuditCheck {
        records: chain.len(),
        broken: crate::domain::audit::verify_to_head(&chain, &head)
            .err()
            .map(|broken| broken.to_string()),
        latest,
    })
}
