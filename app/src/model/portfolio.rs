//! What a Portfolio Holder's home shows: their portfolio first, each item a link to act on.

use crate::domain::{Council, Quarter, Status, Unit};
use crate::model::Choice;
use serde::{Deserialize, Serialize};

/// A Portfolio Holder's portfolio as it stands in `quarter`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Portfolio {
    /// The quarter judged: the one the map opens on.
    pub quarter: Quarter,
    /// The outputs in the portfolio.
    pub outputs: Vec<Choice>,
    /// Values off or near their target in `quarter`, worst first.
    pub attention: Vec<Attention>,
    /// The coming financial year, whose targets are set ahead of it.
    pub coming_year: i32,
    /// Indicators with a council whose target for the coming year is not yet set.
    pub unset: Vec<Unset>,
    /// New indicators proposed for the portfolio's outputs, waiting for leaders to confirm.
    pub proposals: Vec<Choice>,
}

/// One council's value that is off or near its target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Attention {
    pub indicator: Choice,
    pub council: String,
    pub status: Status,
    pub value: Option<f64>,
    pub target: Option<f64>,
    pub unit: Unit,
}

/// An indicator whose target for the coming year is not yet set for `councils`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Unset {
    pub indicator: Choice,
    pub councils: Vec<Council>,
}
