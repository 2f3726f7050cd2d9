//! Reports to Cabinet: a half-yearly report or a quarterly update, created and published by
//! Business Improvement. Publishing freezes a report: the archive serves it exactly as
//! published, with its SHA-256.

use crate::error::AppError;
pub use crate::model::reports::*;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "reports")]
pub async fn get_reports() -> Result<Reports, AppError> {
    let user = crate::session::current_user();
    crate::store::reports::list(&super::database()?, user.as_ref()).await
}

#[server(prefix = "/api", endpoint = "create-report")]
pub async fn create_report(period: String) -> Result<i64, AppError> {
    let user = crate::session::signed_in()?;
    let period = ReportPeriod::parse_slug(&period).ok_or_else(|| {
        AppError::invalid("period", "Choose the half-year or quarter to report on")
    })?;
    let id = crate::store::reports::create(&super::database()?, &user, period).await?;
    leptos_axum::redirect(&format!("/reports/{id}"));
    Ok(id)
}

/// Publishes a draft for good; one that lacks something (a quarter still open, values or
/// achievements missing) only with a `reason` to publish it anyway.
#[server(prefix = "/api", endpoint = "publish-report")]
pub async fn publish_report(id: i64, reason: Option<String>) -> Result<String, AppError> {
    let user = crate::session::signed_in()?;
    let anyway = reason
        .filter(|r| !r.trim().is_empty())
        .map(|r| crate::domain::input::Reason::read(&r))
        .transpose()?;
    let sha256 =
        crate::store::reports::publish(&super::database()?, &user, id, anyway.as_ref()).await?;
    leptos_axum::redirect(&format!("/reports/{id}"));
    Ok(sha256)
}
