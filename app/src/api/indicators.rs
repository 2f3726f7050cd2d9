//! One indicator: its definition, flags, links and values against target; and its history.

use crate::error::AppError;
pub use crate::model::indicators::*;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "indicator-history")]
pub async fn get_indicator_history(id: i64) -> Result<IndicatorHistory, AppError> {
    let user = crate::session::current_user();
    crate::store::indicators::history(&super::database()?, id, user.as_ref()).await
}

#[server(prefix = "/api", endpoint = "indicator")]
pub async fn get_indicator(id: i64, council: Option<String>) -> Result<IndicatorPage, AppError> {
    let user = crate::session::current_user();
    crate::store::indicators::load(&super::database()?, id, council.as_deref(), user.as_ref()).await
}
