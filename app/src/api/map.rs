//! The JSP hexagon map: every theme, outcome and output with its status counts.

use crate::domain::hexmap::HexPosition;
use crate::domain::{CouncilFilter, Quarter, StatusCounts};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapView {
    pub council: CouncilFilter,
    pub period: Quarter,
    /// The quarters that have values, oldest first.
    pub periods: Vec<Quarter>,
    pub themes: Vec<ThemeOnMap>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThemeOnMap {
    pub id: i64,
    pub title: String,
    pub scope_note: Option<String>,
    pub outcomes: Vec<OutcomeOnMap>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutcomeOnMap {
    pub id: i64,
    pub title: String,
    pub outputs: Vec<OutputOnMap>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutputOnMap {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub short_title: String,
    pub position: HexPosition,
    /// One status per indicator in force (the worse council's under "both councils").
    pub counts: StatusCounts,
}

impl MapView {
    pub fn outputs(&self) -> impl Iterator<Item = (&ThemeOnMap, &OutputOnMap)> {
        self.themes.iter().flat_map(|theme| {
            theme
                .outcomes
                .iter()
                .flat_map(move |outcome| outcome.outputs.iter().map(move |output| (theme, output)))
        })
    }
}

#[server(prefix = "/api", endpoint = "map")]
pub async fn get_map(council: Option<String>, period: Option<String>) -> Result<MapView, AppError> {
    let (council, period) = super::read_view(council.as_deref(), period.as_deref());
    let cache =
        use_context::<std::sync::Arc<crate::store::map::MapCache>>().ok_or(AppError::Internal)?;
    cache.load(&super::database()?, council, period).await
}
