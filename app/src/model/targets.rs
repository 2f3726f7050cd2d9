//! What the targets pages read and the server functions return.

use crate::domain::{Council, Unit};
use serde::{Deserialize, Serialize};

/// A council's annual target as the editor starts from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditableTarget {
    pub indicator_id: i64,
    pub council: Council,
    pub year: i32,
    pub value: Option<f64>,
    pub amber_tolerance: f64,
    /// 0 when no target is set yet.
    pub version: i64,
    pub unit: Unit,
    /// The values of the last four quarters to the end of the target's year, which a new
    /// target is compared with before it is saved (`domain::plausibility`).
    pub recent_values: Vec<f64>,
}

/// Which target is meant: an indicator's annual target for one council and financial year,
/// at the version the person last saw (0 when none was set yet).
#[derive(Clone, Debug, PartialEq)]
pub struct TargetRef {
    pub indicator_id: i64,
    pub council: Council,
    pub year: i32,
    pub version: i64,
}
