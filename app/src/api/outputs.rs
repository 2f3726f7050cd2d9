//! One output (hexagon): where it sits in the plan, who holds it, and its indicators.

use crate::error::AppError;
pub use crate::model::outputs::*;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "output")]
pub async fn get_output(
    id: i64,
    council: Option<String>,
    period: Option<String>,
) -> Result<OutputPage, AppError> {
    let db = super::database()?;
    let view = crate::store::plan::view(&db, council.as_deref(), period.as_deref()).await?;
    let user = crate::session::current_user();
    crate::store::outputs::load(&db, id, view, user.as_ref()).await
}
