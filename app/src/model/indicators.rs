//! What the indicators pages read and the server functions return.

use crate::domain::change_summary::ChangeKind;
use crate::domain::reading::Reading;
use crate::domain::{Council, CouncilFilter, Councils, IndicatorKind, Lifecycle, Polarity, Unit};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorPage {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub definition: String,
    pub kind: IndicatorKind,
    pub unit: Unit,
    pub polarity: Polarity,
    pub cumulative: bool,
    pub frequency: String,
    pub lifecycle: Lifecycle,
    pub flags: Vec<String>,
    pub external_metric_id: Option<String>,
    pub data_owner: Option<String>,
    pub outputs: Vec<LinkedOutput>,
    pub risks: Vec<LinkedRisk>,
    pub council: CouncilFilter,
    pub councils: Councils,
    pub series: Vec<CouncilSeries>,
    /// Whether the person viewing may propose, refine, link or delete it.
    pub may_change: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinkedOutput {
    pub id: i64,
    pub title: String,
    pub theme: String,
    pub is_primary: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinkedRisk {
    pub code: String,
    pub title: String,
    pub likelihood: i64,
    pub impact: i64,
}

impl LinkedRisk {
    /// Likelihood × impact, each scored 1 to 4; 12 and over is a high risk.
    pub fn score(&self) -> i64 {
        self.likelihood * self.impact
    }

    pub fn is_high(&self) -> bool {
        self.score() >= 12
    }
}

/// Every quarter's reading and commentary for one council, oldest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CouncilSeries {
    pub council: Council,
    pub points: Vec<Point>,
    /// The target of the latest reported year, when the person viewing may amend it.
    pub editable: Option<crate::model::targets::EditableTarget>,
    /// The latest reported quarter's own target, if one is set.
    pub latest_quarterly_target: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub reading: Reading,
    pub commentary: String,
    pub entered_by: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub kind: ChangeKind,
    pub recorded_at: String,
    pub recorded_by: Option<String>,
    /// What changed, in words: "target WE01, Harbourside, 2017/18".
    pub subject: String,
    pub reason: String,
    pub value_before: Option<String>,
    pub value_after: Option<String>,
    /// The peer review session that agreed the change, when one did.
    pub review_session_id: Option<i64>,
}

/// An indicator's History tab.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorHistory {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub lifecycle: Lifecycle,
    pub may_change: bool,
    /// Newest first.
    pub changes: Vec<Change>,
}

/// What the chart island needs: the indicator's name and unit and each council's readings
/// with commentary (only this crosses into the browser, not the whole page).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChartData {
    pub title: String,
    /// The plan's year, which says the days of each quarter.
    pub calendar: crate::domain::Calendar,
    pub unit: Unit,
    pub series: Vec<CouncilSeries>,
}

impl ChartData {
    /// The chart's text alternative.
    pub fn label(&self) -> String {
        format!(
            "Line chart of {} for each council by quarter, with the target as a dashed line. The same figures are in the tables below.",
            self.title
        )
    }
}
