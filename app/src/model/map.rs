//! What the map pages read and the server functions return.

use crate::domain::hexmap::HexPosition;
use crate::domain::{Calendar, CouncilFilter, Councils, Quarter, StatusCounts};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapView {
    pub council: CouncilFilter,
    /// The plan's councils, for the filter and the words.
    pub councils: Councils,
    pub period: Quarter,
    /// The plan's year, which says the days of each quarter.
    pub calendar: Calendar,
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
