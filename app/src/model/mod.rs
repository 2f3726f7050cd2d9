//! What crosses the wire: the plain data each page reads and each server function returns,
//! one module per capability. The store fills these and the pages show them; neither the
//! store nor the domain reaches up into `api` for them.

pub mod achievements;
pub mod audit;
pub mod changes;
pub mod indicators;
pub mod lifecycle;
pub mod map;
pub mod outputs;
pub mod people;
pub mod plan;
pub mod portfolio;
pub mod reports;
pub mod returns;
pub mod reviews;
pub mod targets;

use serde::{Deserialize, Serialize};

/// Something to pick from a list, such as an output or a risk.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub id: i64,
    pub label: String,
}
