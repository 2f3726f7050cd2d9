//! Amending a target in place: Portfolio Holders within their portfolio, and Business
//! Improvement. Checked on the server, recorded in the audit trail, safe against two people
//! saving at once.

use crate::error::AppError;
pub use crate::model::targets::*;
use leptos::prelude::*;

/// The worked example of the one way through the code: this server function reads the
/// request, finds the person and reads what they typed into a checked [`Amendment`] with the
/// domain's rule; the store checks the permission and writes the change with its audit
/// record in one transaction.
///
/// [`Amendment`]: crate::domain::target::Amendment
// One argument per field of the form, as every server function reads them.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "amend-target")]
pub async fn amend_target(
    indicator_id: i64,
    council: String,
    year: i32,
    value: String,
    tolerance: String,
    reason: String,
    version: i64,
    confirmed: Option<bool>,
) -> Result<EditableTarget, AppError> {
    use crate::domain::target::Amendment;
    let user = crate::session::signed_in()?;
    let db = super::database()?;
    let council = super::council(&db, &council, "Unknown council").await?;
    let unit = crate::store::targets::unit(&db, indicator_id).await?;
    let amendment = Amendment {
        confirmed: confirmed.unwrap_or(false),
        ..Amendment::read(&value, &tolerance, &reason, unit)?
    };
    let target = TargetRef {
        indicator_id,
        council,
        year,
        version,
    };
    crate::store::targets::amend(&db, &user, target, &amendment, None).await
}

/// The same change from the plain form of `/indicators/{id}/target`, which works without
/// JavaScript: saved, it goes back to the indicator, which says so.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "change-target")]
pub async fn change_target(
    indicator_id: i64,
    council: String,
    year: i32,
    value: String,
    tolerance: String,
    reason: String,
    version: i64,
    confirmed: Option<bool>,
) -> Result<(), AppError> {
    let typed = [
        ("value", value.clone()),
        ("tolerance", tolerance.clone()),
        ("reason", reason.clone()),
    ];
    let saved = amend_target(
        indicator_id,
        council,
        year,
        value,
        tolerance,
        reason,
        version,
        confirmed,
    )
    .await
    .map_err(|error| error.keeping(typed))?;
    leptos_axum::redirect(&format!(
        "/indicators/{indicator_id}?saved={}&year={}#saved",
        saved.council.code(),
        saved.year
    ));
    Ok(())
}
