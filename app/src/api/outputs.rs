//! One output (hexagon): where it sits in the plan, who holds it, and its indicators.

use crate::domain::reading::Reading;
use crate::domain::{
    Council, CouncilFilter, IndicatorKind, Lifecycle, Polarity, Quarter, Status, Unit,
};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutputPage {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub theme_id: i64,
    pub theme: String,
    pub outcome: String,
    pub portfolio_holders: Vec<PortfolioHolder>,
    pub council: CouncilFilter,
    pub period: Quarter,
    pub periods: Vec<Quarter>,
    pub indicators: Vec<IndicatorRow>,
    /// Whether the person viewing may propose a new indicator for it.
    pub may_propose: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PortfolioHolder {
    pub name: String,
    pub portfolio: String,
    pub council: Option<String>,
}

/// One line of an output's indicator table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorRow {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub kind: IndicatorKind,
    pub unit: Unit,
    pub polarity: Polarity,
    pub cumulative: bool,
    pub lifecycle: Lifecycle,
    pub data_owner: Option<String>,
    /// The combined status across the councils shown.
    pub status: Status,
    pub readings: Vec<CouncilReading>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CouncilReading {
    pub council: Council,
    pub reading: Reading,
    /// The last eight quarters up to the period, for the small trend chart.
    pub recent: Vec<(Quarter, Option<f64>)>,
    /// The year's target, when the person viewing may amend it.
    pub editable: Option<crate::api::targets::EditableTarget>,
    /// The quarter's own target, if one is set (it is judged before the annual one).
    pub quarterly_target: Option<f64>,
}

#[server(prefix = "/api", endpoint = "output")]
pub async fn get_output(
    id: i64,
    council: Option<String>,
    period: Option<String>,
) -> Result<OutputPage, AppError> {
    let (council, period) = super::read_view(council.as_deref(), period.as_deref());
    let user = crate::session::current_user();
    crate::store::outputs::load(&super::database()?, id, council, period, user.as_ref()).await
}
