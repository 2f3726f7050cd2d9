//! The change summary and the changes behind each of its numbers, read from the audit trail.

use super::Db;
use crate::domain::change_summary::{
    end_of_day, members, Cell, ChangeKind, RecordedChange, ThemeMembers,
};
use crate::error::AppError;
use crate::model::changes::{ChangeList, ChangeSummary, ListedIndicator, SummaryRow};
use crate::model::indicators::Change;
use std::collections::BTreeMap;

/// Every lifecycle change of every indicator, with the theme of its home output.
async fn recorded(db: &Db) -> Result<Vec<RecordedChange>, sqlx::Error> {
    let rows: Vec<(i64, i64, String, String)> = sqlx::query_as(
        "SELECT a.indicator_id, oc.theme_id, a.action, a.recorded_at
         FROM audit_record a
         JOIN indicator_output io ON io.indicator_id = a.indicator_id AND io.is_primary
         JOIN output op ON op.id = io.output_id
         JOIN outcome oc ON oc.id = op.outcome_id",
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(indicator_id, theme_id, action, recorded_at)| {
            Some(RecordedChange {
                indicator_id,
                theme_id,
                kind: ChangeKind::from_code(&action)?,
                recorded_at,
            })
        })
        .collect())
}

async fn themes(db: &Db) -> Result<Vec<(i64, String, Option<String>)>, sqlx::Error> {
    sqlx::query_as("SELECT id, title, scope_note FROM theme ORDER BY position")
        .fetch_all(db)
        .await
}

async fn theme_members(
    db: &Db,
    from: &str,
    to: &str,
) -> Result<
    (
        Vec<(i64, String, Option<String>)>,
        BTreeMap<i64, ThemeMembers>,
    ),
    sqlx::Error,
> {
    let themes = themes(db).await?;
    let ids: Vec<i64> = themes.iter().map(|t| t.0).collect();
    let members = members(
        &recorded(db).await?,
        &ids,
        &end_of_day(from),
        &end_of_day(to),
    );
    Ok((themes, members))
}

pub async fn summary(db: &Db, from: String, to: String) -> Result<ChangeSummary, AppError> {
    let (themes, members) = theme_members(db, &from, &to).await?;
    let rows = themes
        .into_iter()
        .map(|(theme_id, theme, scope_note)| SummaryRow {
            theme_id,
            theme,
            scope_note,
            changes: members
                .get(&theme_id)
                .map(ThemeMembers::counts)
                .unwrap_or_default(),
        })
        .collect();
    Ok(ChangeSummary { from, to, rows })
}

/// The columns of an audit record that describe a change to an indicator.
pub(crate) const CHANGE_COLUMNS: &str = "indicator_id, action, recorded_at,
    (SELECT name FROM person p WHERE p.id = actor_id) AS recorded_by,
    subject, reason, value_before, value_after, review_session_id";

#[derive(sqlx::FromRow)]
pub(crate) struct ChangeRow {
    pub indicator_id: i64,
    action: String,
    pub recorded_at: String,
    recorded_by: Option<String>,
    subject: String,
    reason: String,
    value_before: Option<String>,
    value_after: Option<String>,
    review_session_id: Option<i64>,
}

impl ChangeRow {
    /// The change, when its action is one the change summary knows.
    pub fn change(&self) -> Option<Change> {
        Some(Change {
            kind: ChangeKind::from_code(&self.action)?,
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

pub async fn list(
    db: &Db,
    theme_id: i64,
    cell: Cell,
    from: String,
    to: String,
) -> Result<ChangeList, AppError> {
    let (themes, members) = theme_members(db, &from, &to).await?;
    let theme = themes
        .into_iter()
        .find(|t| t.0 == theme_id)
        .map(|t| t.1)
        .ok_or_else(|| AppError::not_found("That theme"))?;
    let ids = members
        .get(&theme_id)
        .map(|m| m.cell(cell).clone())
        .unwrap_or_default();

    let indicators: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, code, title FROM indicator ORDER BY code")
            .fetch_all(db)
            .await?;
    let changes: Vec<ChangeRow> = sqlx::query_as(&format!(
        "SELECT {CHANGE_COLUMNS} FROM audit_record WHERE indicator_id IS NOT NULL AND recorded_at <= $1 ORDER BY id"
    ))
    .bind(end_of_day(&to))
    .fetch_all(db)
    .await?;
    let (after, until) = (end_of_day(&from), end_of_day(&to));
    let listed = indicators
        .into_iter()
        .filter(|(id, _, _)| ids.contains(id))
        .map(|(id, code, title)| ListedIndicator {
            id,
            code,
            title,
            changes: changes
                .iter()
                .filter(|c| {
                    c.indicator_id == id
                        && (cell == Cell::Total || c.recorded_at > after)
                        && c.recorded_at <= until
                })
                .filter_map(ChangeRow::change)
                .filter(|change| cell.kinds().contains(&change.kind))
                .collect(),
        })
        .collect();
    Ok(ChangeList {
        from,
        to,
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
                    Cell::text(&summary.from),
                    Cell::text(&summary.to),
                ]
            })
            .collect(),
    }
}
