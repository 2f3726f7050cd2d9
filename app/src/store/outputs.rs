//! Loads one output with its indicators and their readings.

use super::plan::View;
use super::readings::{self, Scope};
use super::Db;
use crate::domain::reading::{combined_status, reading, Rules};
use crate::domain::roles::Action;
use crate::domain::roles::User;
use crate::domain::{IndicatorKind, Lifecycle, Quarter, Unit};
use crate::error::AppError;
use crate::model::outputs::{CouncilReading, IndicatorRow, OutputPage, PortfolioHolder};
use crate::model::targets::EditableTarget;
use std::collections::HashMap;

/// How many quarters the small trend charts show.
const RECENT_QUARTERS: i32 = 8;

#[derive(sqlx::FromRow)]
struct OutputRow {
    id: i64,
    code: String,
    title: String,
    theme_id: i64,
    theme: String,
    outcome: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct IndicatorSummaryRow {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub kind: IndicatorKind,
    pub unit: Unit,
    pub polarity: crate::domain::Polarity,
    #[sqlx(try_from = "crate::store::Flag")]
    pub cumulative: bool,
    #[sqlx(try_from = "crate::store::Flag")]
    pub joint: bool,
    pub lifecycle: Lifecycle,
    pub data_owner: Option<String>,
}

pub async fn load(
    db: &Db,
    id: i64,
    view: View,
    user: Option<&User>,
) -> Result<OutputPage, AppError> {
    let View {
        councils,
        council,
        period,
        ..
    } = view;
    let output: OutputRow = sqlx::query_as(
        "SELECT op.id, op.code, op.title, t.id AS theme_id, t.title AS theme, oc.title AS outcome
         FROM output op JOIN outcome oc ON oc.id = op.outcome_id JOIN theme t ON t.id = oc.theme_id
         WHERE op.id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await?
    .ok_or_else(|| AppError::not_found("That output"))?;

    let portfolio_holders = sqlx::query_as::<_, (String, String, Option<String>)>(
        "SELECT p.name, ph.portfolio, (SELECT short_name FROM organisation o WHERE o.id = p.organisation_id)
         FROM portfolio_holder ph JOIN person p ON p.id = ph.person_id
         WHERE ph.output_id = $1 ORDER BY p.name",
    )
    .bind(id)
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|(name, portfolio, council)| PortfolioHolder { name, portfolio, council })
    .collect();

    let summaries: Vec<IndicatorSummaryRow> = sqlx::query_as(
        "SELECT i.id, i.code, i.title, i.kind, i.unit, i.polarity, i.cumulative = TRUE AS cumulative,
                i.joint = TRUE AS joint, i.lifecycle,
                (SELECT name FROM person p WHERE p.id = i.data_owner_id) AS data_owner
         FROM indicator_output io JOIN indicator i ON i.id = io.indicator_id
         WHERE io.output_id = $1 AND i.lifecycle <> 'deleted'
         ORDER BY i.lifecycle, i.code",
    )
    .bind(id)
    .fetch_all(db)
    .await?;

    let values = readings::series(&readings::measurements(db, Scope::Output(id)).await?);
    let targets = readings::targets(db, Scope::Output(id)).await?;
    let may_amend = user.is_some_and(|user| user.may(Action::AmendTargets(&[id])));
    let versions: HashMap<readings::Key, i64> = sqlx::query_as::<_, (i64, Option<i64>, i64)>(
        "SELECT t.indicator_id, t.organisation_id, t.version
         FROM target t
         WHERE t.financial_year = $1 AND t.quarter IS NULL
           AND t.indicator_id IN (SELECT indicator_id FROM indicator_output WHERE output_id = $2)",
    )
    .bind(period.year)
    .bind(id)
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|(indicator, council, version)| ((indicator, council), version))
    .collect();
    let recent_quarters: Vec<Quarter> = Quarter::range(
        Quarter::from_index(period.index() - RECENT_QUARTERS + 1),
        period,
    )
    .collect();

    let indicators = summaries
        .into_iter()
        .map(|row| {
            let rules = Rules {
                polarity: row.polarity,
                cumulative: row.cumulative,
            };
            let readings: Vec<CouncilReading> = councils
                .slots(row.joint, &council)
                .into_iter()
                .map(|c| {
                    let key = readings::key(row.id, &c);
                    let series = values.get(&key).cloned().unwrap_or_default();
                    let council_targets = targets.get(&key);
                    let at = reading(
                        &series,
                        council_targets.unwrap_or(&Default::default()),
                        period,
                        rules,
                    );
                    let annual = council_targets.and_then(|t| t.annual.get(&period.year));
                    let editable = (may_amend
                        && row.lifecycle != Lifecycle::Deleted
                        && rules.polarity != crate::domain::Polarity::DataOnly)
                        .then(|| EditableTarget {
                            indicator_id: row.id,
                            council: c.clone(),
                            year: period.year,
                            value: annual.map(|t| t.value),
                            amber_tolerance: annual
                                .map(|t| t.amber_tolerance)
                                .unwrap_or(crate::domain::status::DEFAULT_AMBER_TOLERANCE),
                            version: versions.get(&key).copied().unwrap_or(0),
                            unit: row.unit,
                            recent_values: crate::domain::plausibility::values_before_target(
                                &series,
                                period.year,
                            ),
                        });
                    CouncilReading {
                        council: c,
                        editable,
                        quarterly_target: council_targets
                            .and_then(|t| t.quarterly.get(&period))
                            .map(|t| t.value),
                        reading: at,
                        recent: recent_quarters
                            .iter()
                            .map(|q| (*q, series.get(q).copied()))
                            .collect(),
                    }
                })
                .collect();
            IndicatorRow {
                id: row.id,
                code: row.code,
                title: row.title,
                kind: row.kind,
                unit: row.unit,
                polarity: rules.polarity,
                cumulative: row.cumulative,
                lifecycle: row.lifecycle,
                data_owner: row.data_owner,
                status: combined_status(readings.iter().map(|r| r.reading.status)),
                readings,
            }
        })
        .collect();

    Ok(OutputPage {
        id: output.id,
        code: output.code,
        title: output.title,
        theme_id: output.theme_id,
        theme: output.theme,
        outcome: output.outcome,
        portfolio_holders,
        council,
        councils,
        period,
        periods: readings::reported_periods(db).await?,
        indicators,
        may_propose: user.is_some_and(|user| user.may(Action::ChangeIndicators(&[id]))),
    })
}
