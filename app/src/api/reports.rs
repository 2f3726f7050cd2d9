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

#[server(prefix = "/api", endpoint = "publish-report")]
pub async fn publish_report(id: i64) -> Result<String, AppError> {
    let user = crate::session::signed_in()?;
    let sha256 = crate::store::reports::publish(&super::database()?, &user, id).await?;
    leptos_axum::redirect(&format!("/reports/{id}"));
    Ok(sha256)
}
