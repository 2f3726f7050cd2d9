//! The JSP hexagon map: every theme, outcome and output with its status counts.

use crate::error::AppError;
pub use crate::model::map::*;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "map")]
pub async fn get_map(council: Option<String>, period: Option<String>) -> Result<MapView, AppError> {
    let db = super::database()?;
    let view = crate::store::plan::view(&db, council.as_deref(), period.as_deref()).await?;
    let cache =
        use_context::<std::sync::Arc<crate::store::map::MapCache>>().ok_or(AppError::Internal)?;
    cache.load(&db, view).await
}
