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
pub mod plan;
pub mod portfolio;
pub mod reports;
pub mod returns;
pub mod reviews;
pub mod targets;

pub use crate::model::Choice;

/// The plan's council a form names by `code` (a partner's code, or `joint`), or the message
/// `message` on the form's `council` field.
#[cfg(feature = "ssr")]
pub(crate) async fn council(
    db: &crate::store::Db,
    code: &str,
    message: &str,
) -> Result<crate::domain::Council, crate::error::AppError> {
    crate::store::plan::councils(db)
        .await?
        .by_code(code)
        .ok_or_else(|| crate::error::AppError::invalid("council", message))
}

#[cfg(feature = "ssr")]
pub(crate) fn database() -> Result<crate::store::Db, crate::error::AppError> {
    leptos::prelude::use_context::<crate::store::Db>().ok_or_else(|| {
        tracing::error!("the database pool is missing from the request context");
        crate::error::AppError::Internal
    })
}
