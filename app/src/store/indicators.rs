//! Loads one indicator with its links and every reading; and, for its History tab, only its
//! heading and recorded changes.

use super::changes::{ChangeRow, CHANGE_COLUMNS};
use super::readings::{self, quarter_of, Scope};
use super::{Db, Flag};
use crate::domain::plausibility;
use crate::domain::reading::{reading, Rules};
use crate::domain::roles::Action;
use crate::domain::roles::User;
use crate::domain::status::DEFAULT_AMBER_TOLERANCE;
use crate::domain::Polarity;
use crate::domain::{IndicatorKind, Lifecycle, Unit};
use crate::error::AppError;
use crate::model::indicators::{
    Change, CouncilSeries, IndicatorHistory, IndicatorPage, LinkedOutput, LinkedRisk, Point,
};
use crate::model::targets::EditableTarget;

#[derive(sqlx::FromRow)]
struct IndicatorRow {
    id: i64,
    code: String,
    title: String,
    definition: String,
    kind: IndicatorKind,
    unit: Unit,
    polarity: Polarity,
    frequency: String,
    #[sqlx(try_from = "crate::store::Flag")]
    cumulative: bool,
    #[sqlx(try_from = "crate::store::Flag")]
    joint: bool,
    lifecycle: Lifecycle,
    #[sqlx(try_from = "crate::store::Flag")]
    key_to_delivery: bool,
    #[sqlx(try_from = "crate::store::Flag")]
    financial_sensitivity: bool,
    #[sqlx(try_from = "crate::store::Flag")]
    political_sensitivity: bool,
    #[sqlx(try_from = "crate::store::Flag")]
    reputational_sensitivity: bool,
    external_metric_id: Option<String>,
    data_owner: Option<String>,
}

pub async fn load(
    db: &Db,
    id: i64,
    council: Option<&str>,
    user: Option<&User>,
) -> Result<IndicatorPage, AppError> {
    let councils = super::plan::councils(db).await?;
    let council = councils.filter(council);
    let row: IndicatorRow = sqlx::query_as(
        "SELECT i.id, i.code, i.title, i.definition, i.kind, i.unit, i.polarity, i.frequency,
                i.cumulative = TRUE AS cumulative, i.joint = TRUE AS joint, i.lifecycle,
                i.key_to_delivery = TRUE AS key_to_delivery,
                i.financial_sensitivity = TRUE AS financial_sensitivity,
                i.political_sensitivity = TRUE AS political_sensitivity,
                i.reputational_sensitivity = TRUE AS reputational_sensitivity, i.external_metric_id,
                (SELECT name FROM person p WHERE p.id = i.data_owner_id) AS data_owner
         FROM indicator i WHERE i.id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await?
    .ok_or_else(|| AppError::not_found("That indicator"))?;

    let outputs: Vec<LinkedOutput> = sqlx::query_as::<_, (i64, String, String, Flag)>(
        "SELECT op.id, op.title, t.title, io.is_primary = TRUE
         FROM indicator_output io JOIN output op ON op.id = io.output_id
         JOIN outcome oc ON oc.id = op.outcome_id JOIN theme t ON t.id = oc.theme_id
         WHERE io.indicator_id = $1 ORDER BY io.is_primary DESC, op.code",
    )
    .bind(id)
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|(id, title, theme, Flag(is_primary))| LinkedOutput {
        id,
        title,
        theme,
        is_primary,
    })
    .collect();

    let risks = sqlx::query_as::<_, (String, String, i64, i64)>(
        "SELECT r.code, r.title, r.likelihood, r.impact
         FROM indicator_risk ir JOIN risk r ON r.id = ir.risk_id WHERE ir.indicator_id = $1 ORDER BY r.code",
    )
    .bind(id)
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|(code, title, likelihood, impact)| LinkedRisk { code, title, likelihood, impact })
    .collect();

    let rules = Rules {
        polarity: row.polarity,
        cumulative: row.cumulative,
    };
    let measurements = readings::measurements(db, Scope::Indicator(id)).await?;
    let values = readings::series(&measurements);
    let targets = readings::targets(db, Scope::Indicator(id)).await?;
    let periods = readings::reported_periods(db).await?;
    let output_ids: Vec<i64> = outputs.iter().map(|o| o.id).collect();
    let may_change = may_change(user, &output_ids, row.lifecycle);
    let may_amend = user.is_some_and(|u| u.may(Action::AmendTargets(&output_ids)))
        && row.lifecycle != Lifecycle::Deleted
        && rules.polarity != Polarity::DataOnly;
    let versions: Vec<(Option<i64>, i32, i64)> = sqlx::query_as(
        "SELECT t.organisation_id, t.financial_year, t.version
         FROM target t
         WHERE t.indicator_id = $1 AND t.quarter IS NULL",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
    let unit = row.unit;
    let series = councils
        .slots(row.joint, &council)
        .into_iter()
        .map(|c| {
            let key = readings::key(id, &c);
            let values = values.get(&key).cloned().unwrap_or_default();
            let targets = targets.get(&key).cloned().unwrap_or_default();
            let latest = values
                .keys()
                .next_back()
                .copied()
                .or_else(|| periods.last().copied());
            let editable = latest.filter(|_| may_amend).map(|quarter| {
                let annual = targets.annual.get(&quarter.year);
                EditableTarget {
                    indicator_id: id,
                    council: c.clone(),
                    year: quarter.year,
                    value: annual.map(|t| t.value),
                    amber_tolerance: annual
                        .map(|t| t.amber_tolerance)
                        .unwrap_or(DEFAULT_AMBER_TOLERANCE),
                    version: versions
                        .iter()
                        .find(|(council, year, _)| *council == c.id() && *year == quarter.year)
                        .map(|v| v.2)
                        .unwrap_or(0),
                    unit,
                    recent_values: plausibility::values_before_target(&values, quarter.year),
                }
            });
            let latest_quarterly_target = latest
                .and_then(|q| targets.quarterly.get(&q))
                .map(|t| t.value);
            let points = periods
                .iter()
                .map(|quarter| {
                    let measured = measurements.iter().find(|m| {
                        m.organisation_id == c.id()
                            && quarter_of(m.financial_year, m.quarter) == Some(*quarter)
                    });
                    Point {
                        reading: reading(&values, &targets, *quarter, rules),
                        commentary: measured.map(|m| m.commentary.clone()).unwrap_or_default(),
                        entered_by: measured.and_then(|m| m.entered_by.clone()),
                    }
                })
                .collect();
            CouncilSeries {
                council: c,
                points,
                editable,
                latest_quarterly_target,
            }
        })
        .collect();

    let flags = [
        (row.key_to_delivery, "Key to delivery"),
        (row.financial_sensitivity, "Financial sensitivity"),
        (row.political_sensitivity, "Political sensitivity"),
        (row.reputational_sensitivity, "Reputational sensitivity"),
    ]
    .into_iter()
    .filter(|(set, _)| *set)
    .map(|(_, label)| label.to_string())
    .collect();

    Ok(IndicatorPage {
        id: row.id,
        code: row.code,
        title: row.title,
        definition: row.definition,
        kind: row.kind,
        unit: row.unit,
        polarity: rules.polarity,
        cumulative: row.cumulative,
        frequency: row.frequency,
        lifecycle: row.lifecycle,
        flags,
        external_metric_id: row.external_metric_id,
        data_owner: row.data_owner,
        outputs,
        risks,
        council,
        councils,
        series,
        may_change,
    })
}

/// Every recorded change to the indicator, newest first.
async fn changes(db: &Db, id: i64) -> Result<Vec<Change>, AppError> {
    Ok(sqlx::query_as::<_, ChangeRow>(&format!(
        "SELECT {CHANGE_COLUMNS} FROM audit_record WHERE indicator_id = $1 ORDER BY id DESC"
    ))
    .bind(id)
    .fetch_all(db)
    .await?
    .iter()
    .filter_map(ChangeRow::change)
    .collect())
}

/// Whether `user` may propose, refine, link or delete an indicator linked to `outputs`; a
/// deleted one changes no more.
fn may_change(user: Option<&User>, outputs: &[i64], lifecycle: Lifecycle) -> bool {
    user.is_some_and(|u| u.may(Action::ChangeIndicators(outputs)))
        && lifecycle != Lifecycle::Deleted
}

/// The History tab: the indicator's heading and its recorded changes, without its readings.
pub async fn history(db: &Db, id: i64, user: Option<&User>) -> Result<IndicatorHistory, AppError> {
    let row: Option<(String, String, Lifecycle)> =
        sqlx::query_as("SELECT code, title, lifecycle FROM indicator WHERE id = $1")
            .bind(id)
            .fetch_optional(db)
            .await?;
    let (code, title, lifecycle) = row.ok_or_else(|| AppError::not_found("That indicator"))?;
    let outputs: Vec<i64> =
        sqlx::query_scalar(
            "SELECT output_id FROM indicator_output WHERE indicator_id = $1 ORDER BY is_primary DESC, output_id",
        )
            .bind(id)
            .fetch_all(db)
            .await?;
    Ok(IndicatorHistory {
        id,
        code,
        title,
        may_change: may_change(user, &outputs, lifecycle),
        lifecycle,
        changes: changes(db, id).await?,
    })
}
