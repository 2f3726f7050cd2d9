//! Achievements and impacts per outcome per half-year, with their audit records.

use super::{audit, Db};
use crate::domain::audit::{AuditAction, AuditContent};
use crate::domain::period::format_iso_date;
use crate::domain::returns::Narrative;
use crate::domain::roles::Action;
use crate::domain::roles::User;
use crate::domain::HalfYear;
use crate::error::AppError;
use crate::model::achievements::{Achievements, OutcomeNarrative, ThemeNarratives};

#[derive(sqlx::FromRow)]
struct Row {
    theme: String,
    director: Option<i64>,
    outcome_id: i64,
    title: String,
    achievements: Option<String>,
    impacts: Option<String>,
    written_by: Option<String>,
    written_at: Option<String>,
}

/// Every outcome's narrative for `half`, by theme, in the plan's order.
pub async fn page(db: &Db, user: Option<&User>, half: HalfYear) -> Result<Achievements, AppError> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT t.title AS theme, t.assistant_director_id AS director, oc.id AS outcome_id, oc.title,
                a.achievements, a.impacts, p.name AS written_by, a.written_at
         FROM outcome oc JOIN theme t ON t.id = oc.theme_id
         LEFT JOIN achievement a ON a.outcome_id = oc.id AND a.financial_year = $1 AND a.half = $2
         LEFT JOIN person p ON p.id = a.written_by_id
         WHERE oc.retired_on IS NULL
         ORDER BY t.position, oc.position",
    )
    .bind(half.year)
    .bind(i64::from(half.half))
    .fetch_all(db)
    .await?;
    let mut themes: Vec<ThemeNarratives> = Vec::new();
    for row in rows {
        let narrative = OutcomeNarrative {
            outcome_id: row.outcome_id,
            title: row.title,
            achievements: row.achievements.unwrap_or_default(),
            impacts: row.impacts.unwrap_or_default(),
            written: row.written_at.map(|at| {
                format!(
                    "{}, {}",
                    row.written_by.unwrap_or_default(),
                    format_iso_date(&at)
                )
            }),
            may_write: user.is_some_and(|u| {
                u.may(Action::WriteAchievements {
                    director: row.director,
                })
            }),
        };
        match themes.last_mut() {
            Some(theme) if theme.title == row.theme => theme.outcomes.push(narrative),
            _ => themes.push(ThemeNarratives {
                title: row.theme,
                outcomes: vec![narrative],
            }),
        }
    }
    Ok(Achievements { half, themes })
}

/// Writes (or rewrites) an outcome's narrative for `half`, recorded in the audit trail.
pub async fn write(
    db: &Db,
    user: &User,
    outcome_id: i64,
    half: HalfYear,
    narrative: &Narrative,
) -> Result<(), AppError> {
    let Narrative {
        achievements,
        impacts,
    } = narrative;
    let now = super::accounts::timestamp(time::OffsetDateTime::now_utc());
    let mut tx = super::begin_write(db).await?;
    let outcome: Option<(String, Option<i64>)> = sqlx::query_as(
        "SELECT oc.title, t.assistant_director_id FROM outcome oc JOIN theme t ON t.id = oc.theme_id
         WHERE oc.id = $1 AND oc.retired_on IS NULL",
    )
    .bind(outcome_id)
    .fetch_optional(&mut *tx)
    .await?;
    let (title, director) = outcome.ok_or_else(|| AppError::not_found("That outcome"))?;
    user.authorise(Action::WriteAchievements { director })?;
    let before: Option<(String, String)> = sqlx::query_as(
        "SELECT achievements, impacts FROM achievement WHERE outcome_id = $1 AND financial_year = $2 AND half = $3",
    )
    .bind(outcome_id)
    .bind(half.year)
    .bind(i64::from(half.half))
    .fetch_optional(&mut *tx)
    .await?;
    if before.as_ref() == Some(&(achievements.clone(), impacts.clone())) {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO achievement (outcome_id, financial_year, half, achievements, impacts, written_by_id, written_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (outcome_id, financial_year, half)
         DO UPDATE SET achievements = excluded.achievements, impacts = excluded.impacts,
                       written_by_id = excluded.written_by_id, written_at = excluded.written_at",
    )
    .bind(outcome_id)
    .bind(half.year)
    .bind(i64::from(half.half))
    .bind(achievements)
    .bind(impacts)
    .bind(user.person_id)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    let summary = |(a, i): &(String, String)| format!("Achievements: {a}\nImpacts: {i}");
    audit::commit_with(
        tx,
        AuditContent {
            value_before: before.as_ref().map(summary),
            value_after: Some(summary(&(achievements.clone(), impacts.clone()))),
            ..audit::content(
                user,
                AuditAction::AchievementsWritten,
                format!("achievements and impacts of {title}, {half}"),
                "Half-yearly report narrative",
            )
        },
    )
    .await
}
