//! The audit trail's health, for Business Improvement.

use crate::error::AppError;
pub use crate::model::audit::*;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "audit-check")]
pub async fn check_audit_trail() -> Result<AuditCheck, AppError> {
    let user = crate::session::signed_in()?;
    crate::store::audit::trail_check(&super::database()?, &user).await
}
