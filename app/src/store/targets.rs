//! Amending a target: permission, validation, optimistic concurrency and the audit record, in
//! one transaction.

use super::{audit, Db};
use crate::domain::audit::{AuditAction, AuditContent};
use crate::domain::change_summary::ChangeKind;
use crate::domain::plausibility;
use crate::domain::roles::Action;
use crate::domain::roles::User;
use crate::domain::target::Amendment;
use crate::domain::Lifecycle;
use crate::domain::{format, FinancialYear, Unit};
use crate::error::AppError;
use crate::model::targets::{EditableTarget, TargetRef};

/// The unit an indicator is measured in, which reading a typed figure needs.
pub async fn unit(db: &Db, indicator_id: i64) -> Result<Unit, AppError> {
    let unit: Option<Unit> = sqlx::query_scalar("SELECT unit FROM indicator WHERE id = $1")
        .bind(indicator_id)
        .fetch_optional(db)
        .await?;
    unit.ok_or_else(|| AppError::not_found("That indicator"))
}

/// The values of the last four quarters to the end of `year`, which a new target for it is
/// compared with (the rule is `plausibility::values_before_target`).
async fn values_before(
    tx: &mut super::Tx,
    indicator_id: i64,
    organisation: Option<i64>,
    year: i32,
) -> Result<Vec<f64>, sqlx::Error> {
    let rows: Vec<(i32, i64, f64)> = sqlx::query_as(
        "SELECT financial_year, quarter, value FROM measurement
         WHERE indicator_id = $1 AND COALESCE(organisation_id, 0) = COALESCE($2, 0)",
    )
    .bind(indicator_id)
    .bind(organisation)
    .fetch_all(&mut **tx)
    .await?;
    let series = rows
        .into_iter()
        .filter_map(|(year, q, value)| Some((super::readings::quarter_of(year, q)?, value)))
        .collect();
    Ok(plausibility::values_before_target(&series, year))
}

/// A council's target for a year as it stands, with who set it and when.
#[derive(sqlx::FromRow)]
struct CurrentTarget {
    id: i64,
    value: f64,
    amber_tolerance: f64,
    version: i64,
    set_by: Option<String>,
    set_at: String,
}

/// Refuses a new target for any year but the one after the series' latest; a series with none
/// starts in a year of the plan's last ten or the next: targets are set a year at a time.
async fn next_year(
    db: &Db,
    tx: &mut crate::store::Tx,
    indicator_id: i64,
    organisation: Option<i64>,
    year: i32,
    council: &str,
) -> Result<(), AppError> {
    let latest: Option<i32> = sqlx::query_scalar(
        "SELECT MAX(financial_year) FROM target WHERE indicator_id = $1
           AND COALESCE(organisation_id, 0) = COALESCE($2, 0) AND quarter IS NULL",
    )
    .bind(indicator_id)
    .bind(organisation)
    .fetch_one(&mut **tx)
    .await?;
    let message = match latest {
        Some(latest) if year == latest + 1 => return Ok(()),
        Some(latest) => format!(
            "Targets are set a year at a time: the next {council} target to set is for {}",
            FinancialYear(latest + 1)
        ),
        None => {
            let now = super::readings::default_quarter(db).await?.year;
            if (now - 10..=now + 1).contains(&year) {
                return Ok(());
            }
            format!(
                "The first {council} target is for a year from {} to {}",
                FinancialYear(now - 10),
                FinancialYear(now + 1)
            )
        }
    };
    Err(AppError::invalid("year", message))
}

/// Amends `target` as `amendment` says, when `user` may: the permission is checked inside the
/// write transaction, with the change and its audit record, so the indicator cannot be
/// deleted or moved out of a portfolio between the check and the write.
pub async fn amend(
    db: &Db,
    user: &User,
    target: TargetRef,
    amendment: &Amendment,
    agreed_at: Option<audit::AgendaItem>,
) -> Result<EditableTarget, AppError> {
    let TargetRef {
        indicator_id,
        council,
        year,
        version,
    } = target;
    let (value, tolerance) = (amendment.value, amendment.amber_tolerance);
    let organisation = council.id();
    if FinancialYear::read(year).is_none() {
        return Err(AppError::invalid("year", "Choose a year from the list"));
    }

    let now = super::accounts::timestamp(time::OffsetDateTime::now_utc());
    let mut tx = super::begin_write(db).await?;
    let indicator: Option<(String, Unit, Lifecycle)> =
        sqlx::query_as("SELECT code, unit, lifecycle FROM indicator WHERE id = $1")
            .bind(indicator_id)
            .fetch_optional(&mut *tx)
            .await?;
    let (code, unit, lifecycle) = indicator.ok_or_else(|| AppError::not_found("That indicator"))?;
    let outputs: Vec<i64> =
        sqlx::query_scalar("SELECT output_id FROM indicator_output WHERE indicator_id = $1")
            .bind(indicator_id)
            .fetch_all(&mut *tx)
            .await?;
    user.authorise(Action::AmendTargets(&outputs))?;
    if unit != amendment.unit {
        return Err(AppError::Conflict {
            message: format!(
                "{code} is now measured in {}; your change was not saved. Check the figure and save again.",
                unit.label().to_lowercase()
            ),
        });
    }
    if lifecycle == Lifecycle::Deleted {
        return Err(AppError::invalid(
            "value",
            "This indicator has been deleted; its targets can no longer change",
        ));
    }
    let because = audit::Because {
        reason: &amendment.reason,
        agreed_at,
    };
    let current: Option<CurrentTarget> = sqlx::query_as(
        "SELECT t.id, t.value, t.amber_tolerance, t.version, (SELECT name FROM person p WHERE p.id = t.set_by_id) AS set_by, t.set_at
         FROM target t WHERE t.indicator_id = $1 AND COALESCE(t.organisation_id, 0) = COALESCE($2, 0)
           AND t.financial_year = $3 AND t.quarter IS NULL",
    )
    .bind(indicator_id)
    .bind(organisation)
    .bind(year)
    .fetch_optional(&mut *tx)
    .await?;
    // A figure far from the indicator's recent ones waits for the person to confirm it; the
    // browser asks first with the same rule, so this answers only a form that skipped it.
    let recent_values = values_before(&mut tx, indicator_id, organisation, year).await?;
    let replaced = current.as_ref().map(|c| c.value);
    if let Some(doubt) =
        plausibility::doubt(value, &recent_values, replaced).filter(|_| !amendment.confirmed)
    {
        return Err(AppError::doubtful("value", &doubt, unit, amendment.typed()));
    }
    // The audit record names the tolerance too when it changes.
    let changed_tolerance = current
        .as_ref()
        .is_some_and(|c| c.amber_tolerance != tolerance);
    let described = |value: f64, tolerance: f64| {
        if changed_tolerance {
            format!(
                "{} (tolerance {} %)",
                format::value(value, unit),
                format::number(tolerance, 1)
            )
        } else {
            format::value(value, unit)
        }
    };
    let conflict = |current: &CurrentTarget| {
        AppError::Conflict {
        message: format!(
            "{} set this target to {} on {}. Your change was not saved; check the figure and save again if it should still change.",
            current.set_by.as_deref().unwrap_or("Someone"),
            format::value(current.value, unit),
            crate::domain::period::format_iso_date(&current.set_at),
        ),
    }
    };
    let before = match &current {
        Some(current) => {
            if current.version != version {
                return Err(conflict(current));
            }
            if current.value == value && current.amber_tolerance == tolerance {
                return Err(AppError::invalid(
                    "value",
                    format!(
                        "The target is already {} with a tolerance of {} %: change the figure or the tolerance, or cancel",
                        format::value(value, unit),
                        format::number(tolerance, 1)
                    ),
                ));
            }
            let updated = sqlx::query(
                "UPDATE target SET value = $1, amber_tolerance = $2, version = version + 1, set_by_id = $3, set_at = $4
                 WHERE id = $5 AND version = $6",
            )
            .bind(value)
            .bind(tolerance)
            .bind(user.person_id)
            .bind(&now)
            .bind(current.id)
            .bind(version)
            .execute(&mut *tx)
            .await?;
            if updated.rows_affected() != 1 {
                return Err(conflict(current));
            }
            Some(described(current.value, current.amber_tolerance))
        }
        None if version == 0 => {
            next_year(
                db,
                &mut tx,
                indicator_id,
                organisation,
                year,
                council.name(),
            )
            .await?;
            sqlx::query(
                "INSERT INTO target (indicator_id, organisation_id, financial_year, value, amber_tolerance, version, set_by_id, set_at)
                 VALUES ($1, $2, $3, $4, $5, 1, $6, $7)",
            )
            .bind(indicator_id)
            .bind(organisation)
            .bind(year)
            .bind(value)
            .bind(tolerance)
            .bind(user.person_id)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
            None
        }
        None => {
            return Err(AppError::invalid(
                "value",
                format!(
                    "There is no {} target for {} to change: reload the page to set one",
                    FinancialYear(year),
                    council.name()
                ),
            ))
        }
    };
    because
        .commit(
            tx,
            AuditContent {
                indicator_id: Some(indicator_id),
                value_before: before,
                value_after: Some(described(value, tolerance)),
                ..audit::content(
                    user,
                    AuditAction::Indicator(ChangeKind::AmendedTarget),
                    format!("target {code}, {}, {}", council.name(), FinancialYear(year)),
                    amendment.reason.as_str(),
                )
            },
        )
        .await?;
    Ok(EditableTarget {
        indicator_id,
        council,
        year,
        value: Some(value),
        amber_tolerance: tolerance,
        version: version + 1,
        unit,
        recent_values,
    })
}
