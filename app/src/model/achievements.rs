//! What the achievements pages read and the server functions return.

use crate::domain::HalfYear;
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
