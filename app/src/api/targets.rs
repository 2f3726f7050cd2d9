//! Amending a target in place: Portfolio Holders within their portfolio, and Business
//! Improvement. Checked on the server, recorded in the audit trail, safe against two people
//! saving at once.

use crate::domain::{Council, Unit};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A council's annual target as the editor starts from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditableTarget {
    pub indicator_id: i64,
    pub council: Council,
    pub year: i32,
    pub value: Option<f64>,
    pub amber_tolerance: f64,
    /// 0 when no target is set yet.
    pub version: i64,
    pub unit: Unit,
}

/// Checks what was typed: a finite number within the unit's bounds, a sensible tolerance and
/// a reason. Returns the value and tolerance, or the field and message to show beside it.
pub fn check_amendment(
    value: &str,
    tolerance: &str,
    reason: &str,
    unit: Unit,
) -> Result<(f64, f64), AppError> {
    let value = crate::domain::input::figure("value", "target", value, unit)?;
    let tolerance = tolerance
        .trim()
        .trim_end_matches('%')
        .trim()
        .parse::<f64>()
        .unwrap_or(f64::NAN);
    let tolerance = crate::domain::target::check_amber_tolerance(tolerance)
        .map_err(|message| AppError::invalid("tolerance", message))?;
    crate::domain::input::reason(reason)?;
    Ok((value, tolerance))
}

#[server(prefix = "/api", endpoint = "amend-target")]
pub async fn amend_target(
    indicator_id: i64,
    council: String,
    year: i32,
    value: String,
    tolerance: String,
    reason: String,
    version: i64,
) -> Result<EditableTarget, AppError> {
    let user = crate::session::signed_in()?;
    let council = Council::from_code(&council)
        .ok_or_else(|| AppError::invalid("council", "Unknown council"))?;
    crate::store::targets::amend(
        &super::database()?,
        &user,
        indicator_id,
        council,
        year,
        &value,
        &tolerance,
        &reason,
        version,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amendments_are_checked_before_anything_is_saved() {
        assert_eq!(
            check_amendment("85", "10", "Stretch", Unit::Percent),
            Ok((85.0, 10.0))
        );
        assert_eq!(
            check_amendment(" 1,250 ", "5", "Stretch", Unit::Count),
            Ok((1250.0, 5.0))
        );
        assert_eq!(
            check_amendment("85%", "10%", "Stretch", Unit::Percent),
            Ok((85.0, 10.0))
        );
        let field = |result: Result<(f64, f64), AppError>| match result {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("expected a message, got {other:?}"),
        };
        for bad in ["", "eighty", "NaN", "inf", "1e999", "85.0.1"] {
            assert_eq!(
                field(check_amendment(bad, "10", "r", Unit::Percent)),
                "value",
                "{bad}"
            );
        }
        assert_eq!(
            field(check_amendment("101", "10", "r", Unit::Percent)),
            "value"
        );
        assert_eq!(
            field(check_amendment("-1", "10", "r", Unit::Count)),
            "value"
        );
        assert_eq!(
            field(check_amendment("1e13", "10", "r", Unit::Count)),
            "value"
        );
        assert_eq!(
            field(check_amendment("80", "75", "r", Unit::Percent)),
            "tolerance"
        );
        assert_eq!(
            field(check_amendment("80", "x", "r", Unit::Percent)),
            "tolerance"
        );
        assert_eq!(
            field(check_amendment("80", "10", "  ", Unit::Percent)),
            "reason"
        );
        assert_eq!(
            field(check_amendment("80", "10", &"x".repeat(501), Unit::Percent)),
            "reason"
        );
    }
}
