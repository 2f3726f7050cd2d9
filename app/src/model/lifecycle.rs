//! What the lifecycle pages read and the server functions return.

use crate::domain::Lifecycle;
use crate::model::Choice;
use serde::{Deserialize, Serialize};

/// What the indicator's Manage tab needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorManagement {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub definition: String,
    pub lifecycle: Lifecycle,
    /// Linked outputs; the first is its home output, which stays linked.
    pub outputs: Vec<Choice>,
    pub risks: Vec<Choice>,
    /// Outputs this person may link it to.
    pub linkable_outputs: Vec<Choice>,
    pub linkable_risks: Vec<Choice>,
    /// Who returns its values each quarter, if anyone yet.
    pub data_owner: Option<i64>,
    /// Everyone who holds the data owner role, by name.
    pub data_owners: Vec<Choice>,
}

/// What the form to propose an indicator for an output needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProposalForm {
    pub output: Choice,
    pub theme: String,
    /// The code the new indicator will get.
    pub code: String,
}
