//! Indicators and their values as a table to download: the views' CSV and XLSX exports and
//! the public open-data file.

use super::readings::{self, Scope};
use super::Db;
use crate::domain::reading::reading;
use crate::domain::table::{Cell, Table};
use std::collections::HashMap;

/// The columns of every values table.
pub const VALUE_COLUMNS: [&str; 11] = [
    "Indicator",
    "Title",
    "Theme",
    "Unit",
    "Polarity",
    "Council",
    "Period",
    "Value",
    "Target",
    "Status",
    "Commentary",
];

/// Every value of the active indicators in `scope`, oldest first within each indicator.
pub async fn values(db: &Db, scope: Scope, sheet: &str) -> Result<Table, sqlx::Error> {
    let councils = super::plan::councils(db).await?;
    let indicators = readings::active_indicators(db, None).await?;
    let measurements = readings::measurements(db, scope).await?;
    let series = readings::series(&measurements);
    let targets = readings::targets(db, scope).await?;
    let mut by_indicator: HashMap<i64, Vec<&readings::MeasurementRow>> = HashMap::new();
    for m in &measurements {
        by_indicator.entry(m.indicator_id).or_default().push(m);
    }
    let mut rows = Vec::new();
    for indicator in &indicators {
        let Some(values) = by_indicator.get(&indicator.id) else {
            continue;
        };
        let (unit, polarity, rules) = (indicator.unit(), indicator.polarity(), indicator.rules());
        for m in values {
            let (Some(council), Some(quarter)) = (
                councils.by_id(m.organisation_id),
                readings::quarter_of(m.financial_year, m.quarter),
            ) else {
                continue;
            };
            let key = readings::key(indicator.id, &council);
            let judged = reading(
                &series.get(&key).cloned().unwrap_or_default(),
                &targets.get(&key).cloned().unwrap_or_default(),
                quarter,
                rules,
            );
            rows.push(vec![
                Cell::text(&indicator.code),
                Cell::text(&indicator.title),
                Cell::text(indicator.theme.clone().unwrap_or_default()),
                Cell::text(unit.label()),
                Cell::text(polarity.label()),
                Cell::text(council.name()),
                Cell::text(quarter.to_string()),
                Cell::number(Some(m.value), unit),
                Cell::number(judged.target, unit),
                Cell::text(judged.status.label()),
                Cell::text(&m.commentary),
            ]);
        }
    }
    Ok(Table {
        sheet: sheet.chars().take(31).collect(),
        columns: VALUE_COLUMNS.map(String::from).to_vec(),
        rows,
    })
}
