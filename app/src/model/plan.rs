//! What every page says about the plan it shows: its title, its header and its councils.

use crate::domain::{Calendar, Councils};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PlanIdentity {
    /// The plan's title: "Joint Strategic Plan 2016–20"; empty before it is set up.
    pub title: String,
    /// The line under the service's name on every page, as set (empty: the councils' names).
    pub header: String,
    pub councils: Councils,
    /// Whether it holds the demonstration data, which every page then says.
    pub demonstration: bool,
    /// When its financial year starts and how often it reports.
    pub calendar: Calendar,
}

impl PlanIdentity {
    /// The plan in words: "Corporate Plan 2024–28 of Harbourside Borough Council", or
    /// "performance framework" before it is set up.
    pub fn describe(&self) -> String {
        let title = if self.title.trim().is_empty() {
            "performance framework"
        } else {
            self.title.trim()
        };
        match self.councils.names() {
            names if names.is_empty() => title.to_string(),
            names => format!("{title} of {names}"),
        }
    }

    /// What pages call the plan: its title ("Joint Strategic Plan 2016–20"), or its header
    /// before it has one, or "The plan".
    pub fn caption(&self) -> String {
        match (self.title.trim(), self.header()) {
            ("", header) if header.trim().is_empty() => "The plan".into(),
            ("", header) => header,
            (title, _) => title.to_string(),
        }
    }

    /// The line under the service's name: the header as set, or the councils' names.
    pub fn header(&self) -> String {
        if self.header.trim().is_empty() {
            self.councils.names()
        } else {
            self.header.clone()
        }
    }
}

/// What the page that shapes the plan shows: the plan's identity, its themes, outcomes and
/// outputs as the map holds them, and the Assistant Directors a theme may be given.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanShape {
    pub identity: PlanIdentity,
    pub map: crate::model::map::MapView,
    pub directors: Vec<crate::model::Choice>,
    /// Whether the plan is still empty (no council, theme or indicator), so a workbook may
    /// set it up.
    pub empty: bool,
    /// Whether it still lacks what a first map needs (`store::shaping::unfinished`).
    pub unfinished: bool,
}

/// A workbook uploaded to set up the plan: what was written, or every problem found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanImport {
    pub id: i64,
    pub file_name: String,
    pub imported_at: String,
    /// What was written, in words; none: nothing was.
    pub written: Option<String>,
    pub problems: Vec<crate::domain::returns::Problem>,
}

/// An output's hexagon on the layout page: what moving it needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayoutHex {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub short_title: String,
    pub position: crate::domain::hexmap::HexPosition,
}
