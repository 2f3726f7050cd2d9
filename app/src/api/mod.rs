//! Server functions, one module per capability: thin, they read the request, find the person,
//! parse what was typed into a typed command with the domain's rules, call the store and
//! return the plain data of `model`.

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
pub use crate::model::{Choice, DEFAULT_PERIOD};

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
