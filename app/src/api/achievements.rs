//! Achievements and impacts: the narrative of each outcome for each half-year, written by the
//! theme's Assistant Director or Business Improvement, for the Cabinet report.

#[cfg(feature = "ssr")]
use crate::domain::HalfYear;
use crate::error::AppError;
pub use crate::model::achievements::*;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "achievements")]
pub async fn get_achievements(half: Option<String>) -> Result<Achievements, AppError> {
    let user = crate::session::current_user();
    let db = super::database()?;
    let half = match half.as_deref().and_then(HalfYear::parse_slug) {
        Some(half) => half,
        None => crate::store::readings::default_quarter(&db).await?.half(),
    };
    crate::store::achievements::page(&db, user.as_ref(), half).await
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
    let in_form = |error: AppError| error.in_form(&outcome_id.to_string());
    let narrative = crate::domain::returns::Narrative::read(&achievements, &impacts)
        .map_err(|invalid| in_form(invalid.into()))?;
    crate::store::achievements::write(&super::database()?, &user, outcome_id, half, &narrative)
        .await
        .map_err(in_form)?;
    leptos_axum::redirect(&format!(
        "/achievements?half={}&saved={outcome_id}#outcome-{outcome_id}",
        half.slug()
    ));
    Ok(())
}
