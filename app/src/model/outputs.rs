//! What the outputs pages read and the server functions return.

use crate::domain::reading::Reading;
use crate::domain::{
    Council, CouncilFilter, Councils, IndicatorKind, Lifecycle, Polarity, Quarter, Status, Unit,
};
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
    pub councils: Councils,
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
    pub editable: Option<crate::model::targets::EditableTarget>,
    /// The quarter's own target, if one is set (it is judged before the annual one).
    pub quarterly_target: Option<f64>,
}
