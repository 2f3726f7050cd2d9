//! The change summary and the changes behind each of its numbers, read from the audit trail.

use super::Db;
use crate::domain::audit::AuditAction;
use crate::domain::change_summary::{members, Cell, Interval, RecordedChange, ThemeMembers};
use crate::domain::period::Day;
use crate::error::AppError;
use crate::model::changes::{ChangeList, ChangeSummary, ListedIndicator, SummaryRow};
use crate::model::indicators::Change;
use std::collections::BTreeMap;

/// An audit record about an indicator, with the theme of its home output.
#[derive(sqlx::FromRow)]
struct IndicatorRecord {
    indicator_id: i64,
    theme_id: i64,
    action: AuditAction,
    recorded_at: String,
}

/// Every lifecycle change of every indicator, with the theme of its home output, in the
/// order they were recorded.
async fn recorded(db: &Db) -> Result<Vec<RecordedChange>, AppError> {
    let rows: Vec<IndicatorRecord> = sqlx::query_as(
        "SELECT a.indicator_id, oc.theme_id, a.action, a.recorded_at
         FROM audit_record a
         JOIN indicator_output io ON io.indicator_id = a.indicator_id AND io.is_primary
         JOIN output op ON op.id = io.output_id
         JOIN outcome oc ON oc.id = op.outcome_id
         ORDER BY a.id",
    )
    .fetch_all(db)
    .await?;
    let mut changes = Vec::new();
    for row in rows {
        let AuditAction::Indicator(kind) = row.action else {
            continue;
        };
        changes.push(RecordedChange {
            indicator_id: row.indicator_id,
            theme_id: row.theme_id,
            kind,
            recorded_on: recorded_on(&row.recorded_at)?,
        });
    }
    Ok(changes)
}

/// The day an audit record was made, from its timestamp.
fn recorded_on(recorded_at: &str) -> Result<Day, sqlx::Error> {
    Day::of(recorded_at).ok_or_else(|| {
        sqlx::Error::Decode(
            format!("the audit trail holds {recorded_at:?}, which is no time").into(),
        )
    })
}

/// A theme of the plan, in its order.
#[derive(sqlx::FromRow)]
struct Theme {
    id: i64,
    title: String,
    scope_note: Option<String>,
}

async fn theme_members(
    db: &Db,
    interval: Interval,
) -> Result<(Vec<Theme>, BTreeMap<i64, ThemeMembers>), AppError> {
    let themes: Vec<Theme> =
        sqlx::query_as("SELECT id, title, scope_note FROM theme ORDER BY position")
            .fetch_all(db)
            .await?;
    let ids: Vec<i64> = themes.iter().map(|t| t.id).collect();
    let members = members(&recorded(db).await?, &ids, interval);
    Ok((themes, members))
}

pub async fn summary(db: &Db, interval: Interval) -> Result<ChangeSummary, AppError> {
    let (themes, members) = theme_members(db, interval).await?;
    let rows = themes
        .into_iter()
        .map(|theme| SummaryRow {
            changes: members
                .get(&theme.id)
                .map(ThemeMembers::counts)
                .unwrap_or_default(),
            theme_id: theme.id,
            theme: theme.title,
            scope_note: theme.scope_note,
        })
        .collect();
    Ok(ChangeSummary { interval, rows })
}

/// The columns of an audit record that describe a change to an indicator.
pub(crate) const CHANGE_COLUMNS: &str = "indicator_id, action, recorded_at,
    (SELECT name FROM person p WHERE p.id = actor_id) AS recorded_by,
    subject, reason, value_before, value_after, review_session_id";

#[derive(sqlx::FromRow)]
pub(crate) struct ChangeRow {
    pub indicator_id: i64,
    action: AuditAction,
    pub recorded_at: String,
    recorded_by: Option<String>,
    subject: String,
    reason: String,
    value_before: Option<String>,
    value_after: Option<String>,
    review_session_id: Option<i64>,
}

impl ChangeRow {
    /// The change, when the record is of a change to the indicator (not a value entered).
    pub fn change(&self) -> Option<Change> {
        let AuditAction::Indicator(kind) = self.action else {
            return None;
        };
        Some(Change {
            kind,
            recorded_at: self.recorded_at.clone(),
            recorded_by: self.recorded_by.clone(),
            subject: self.subject.clone(),
            reason: self.reason.clone(),
            value_before: self.value_before.clone(),
            value_after: self.value_after.clone(),
            review_session_id: self.review_session_id,
        })
    }
}

/// An indicator by its code and title.
#[derive(sqlx::FromRow)]
struct Named {
    id: i64,
    code: String,
    title: String,
}

pub async fn list(
    db: &Db,
    theme_id: i64,
    cell: Cell,
    interval: Interval,
) -> Result<ChangeList, AppError> {
    let (themes, members) = theme_members(db, interval).await?;
    let theme = themes
        .into_iter()
        .find(|t| t.id == theme_id)
        .map(|t| t.title)
        .ok_or_else(|| AppError::not_found("That theme"))?;
    let ids = members
        .get(&theme_id)
        .map(|m| m.cell(cell).clone())
        .unwrap_or_default();

    let indicators: Vec<Named> =
        sqlx::query_as("SELECT id, code, title FROM indicator ORDER BY code")
            .fetch_all(db)
            .await?;
    let records: Vec<ChangeRow> = sqlx::query_as(&format!(
        "SELECT {CHANGE_COLUMNS} FROM audit_record WHERE indicator_id IS NOT NULL ORDER BY id"
    ))
    .fetch_all(db)
    .await?;
    let mut changes: Vec<(i64, Change)> = Vec::new();
    for record in &records {
        let day = recorded_on(&record.recorded_at)?;
        let counted = match cell {
            Cell::Total => day <= interval.to,
            _ => interval.holds(day),
        };
        if let Some(change) = record
            .change()
            .filter(|c| counted && cell.kinds().contains(&c.kind))
        {
            changes.push((record.indicator_id, change));
        }
    }
    let listed = indicators
        .into_iter()
        .filter(|indicator| ids.contains(&indicator.id))
        .map(|indicator| ListedIndicator {
            changes: changes
                .iter()
                .filter(|(id, _)| *id == indicator.id)
                .map(|(_, change)| change.clone())
                .collect(),
            id: indicator.id,
            code: indicator.code,
            title: indicator.title,
        })
        .collect();
    Ok(ChangeList {
        interval,
        theme,
        cell,
        indicators: listed,
    })
}

/// The change summary as a table to download, with the columns of the bulletin's table.
pub fn summary_table(summary: &ChangeSummary) -> crate::domain::table::Table {
    use crate::domain::table::{Cell, Table};
    use crate::domain::Unit;
    let count = |n: u32| Cell::Number(f64::from(n), Unit::Count);
    Table {
        sheet: "Change summary".into(),
        columns: [
            "Theme/Outcome",
            "New Indicators",
            "New Indicators to be confirmed by leaders",
            "Deleted Indicators",
            "Refined Indicators",
            "Amended Targets",
            "Total Indicators",
            "Scope",
            "From",
            "To",
        ]
        .map(String::from)
        .to_vec(),
        rows: summary
            .rows
            .iter()
            .map(|row| {
                let c = row.changes;
                vec![
                    Cell::text(&row.theme),
                    count(c.new),
                    count(c.to_be_confirmed),
                    count(c.deleted),
                    count(c.refined),
                    count(c.amended_targets),
                    count(c.total),
                    Cell::text(row.scope_note.clone().unwrap_or_default()),
                    Cell::text(summary.interval.from.iso()),
                    Cell::text(summary.interval.to.iso()),
                ]
            })
            .collect(),
    }
}
