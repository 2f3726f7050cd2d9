//! What the changes pages read and the server functions return.

use crate::domain::change_summary::{Cell, Interval, ThemeChanges};
use crate::model::indicators::Change;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangeSummary {
    pub interval: Interval,
    pub rows: Vec<SummaryRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SummaryRow {
    pub theme_id: i64,
    pub theme: String,
    pub scope_note: Option<String>,
    pub changes: ThemeChanges,
}

/// The indicators behind one number of the summary, with the changes that put them there.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangeList {
    pub interval: Interval,
    pub theme: String,
    pub cell: Cell,
    pub indicators: Vec<ListedIndicator>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListedIndicator {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub changes: Vec<Change>,
}
