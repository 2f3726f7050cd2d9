//! Achievements and impacts: the narrative of each outcome for each half-year, written by the
//! theme's Assistant Director or Business Improvement, for the Cabinet report.

use crate::domain::HalfYear;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutcomeNarrative {
    pub outcome_id: i64,
    pub title: String,
    pub achievements: String,
    pub impacts: String,
    /// "Claire Whitby, 20 October 2017", when written.
    pub written: Option<String>,
    pub may_write: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThemeNarratives {
    pub title: String,
    pub outcomes: Vec<OutcomeNarrative>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Achievements {
    pub half: HalfYear,
    pub themes: Vec<ThemeNarratives>,
}

#[server(prefix = "/api", endpoint = "achievements")]
pub async fn get_achievements(half: Option<String>) -> Result<Achievements, AppError> {
    let user = crate::session::current_user();
    let half = half
        .as_deref()
        .and_then(HalfYear::parse_slug)
        .unwrap_or(super::DEFAULT_PERIOD.half());
    crate::store::achievements::page(&super::database()?, user.as_ref(), half).await
}

#[server(prefix = "/api", endpoint = "write-achievements")]
pub async fn write_achievements(
    outcome_id: i64,
    half: String,
    achievements: String,
    impacts: String,
) -> Result<(), AppError> {
    let user = crate::session::signed_in()?;
    let half = HalfYear::parse_slug(&half)
        .ok_or_else(|| AppError::invalid("half", "Choose a half-year"))?;
    crate::store::achievements::write(
        &super::database()?,
        &user,
        outcome_id,
        half,
        &achievements,
        &impacts,
    )
    .await
    .map_err(|error| error.in_form(&outcome_id.to_string()))?;
    leptos_axum::redirect(&format!(
        "/achievements?half={}&saved={outcome_id}#outcome-{outcome_id}",
        half.slug()
    ));
    Ok(())
}
