//! Server functions, one module per capability: thin, they read the request, call the store
//! and return plain data that crosses the wire with serde.

pub mod achievements;
pub mod audit;
pub mod changes;
pub mod indicators;
pub mod lifecycle;
pub mod map;
pub mod outputs;
pub mod people;
pub mod reports;
pub mod returns;
pub mod reviews;
pub mod targets;

use crate::domain::{CouncilFilter, Quarter};
use serde::{Deserialize, Serialize};

/// Something to pick from a list, such as an output or a risk.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub id: i64,
    pub label: String,
}

/// The first and last quarters the demonstration data reports on; the map opens on the last
/// complete one.
pub const DEFAULT_PERIOD: Quarter = Quarter { year: 2017, q: 2 };

/// Reads the council filter and period of a request, falling back to the defaults for
/// anything missing or unreadable.
pub fn read_view(council: Option<&str>, period: Option<&str>) -> (CouncilFilter, Quarter) {
    (
        CouncilFilter::from_code(council),
        period
            .and_then(Quarter::parse_slug)
            .unwrap_or(DEFAULT_PERIOD),
    )
}

#[cfg(feature = "ssr")]
pub(crate) fn database() -> Result<crate::store::Db, crate::error::AppError> {
    leptos::prelude::use_context::<crate::store::Db>().ok_or_else(|| {
        tracing::error!("the database pool is missing from the request context");
        crate::error::AppError::Internal
    })
}
