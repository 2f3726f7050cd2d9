//! Peer review sessions in the database: setting one up with its agenda and invitations,
//! reading it for those who may, and changing its agenda's order and who is invited.

use super::Db;
use crate::api::reviews::{AgendaItem, ReviewPage, ReviewSummary, Reviews};
use crate::api::Choice;
use crate::domain::input;
use crate::domain::review::Coverage;
use crate::domain::roles::User;
use crate::error::AppError;

/// What the set-up form sends.
pub struct NewReview {
    pub title: String,
    pub held_on: String,
    pub scope: String,
    pub themes: Vec<i64>,
    pub codes: String,
    pub invited: Vec<i64>,
}

const SUMMARIES: &str = "
    SELECT s.id, s.title, s.held_on, p.name AS facilitator, s.state,
           (SELECT COUNT(*) FROM review_item i WHERE i.session_id = s.id) AS indicators
    FROM review_session s JOIN person p ON p.id = s.facilitator_id";

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    title: String,
    held_on: String,
    facilitator: String,
    state: String,
    indicators: i64,
}

impl From<SummaryRow> for ReviewSummary {
    fn from(row: SummaryRow) -> Self {
        ReviewSummary {
            id: row.id,
            title: row.title,
            held_on: row.held_on,
            facilitator: row.facilitator,
            state: row.state,
            indicators: usize::try_from(row.indicators).unwrap_or(0),
        }
    }
}

/// Who may open a session: its facilitator, the people invited, and Business Improvement.
const MAY_OPEN: &str = "(s.facilitator_id = ?1 OR ?2 OR EXISTS
    (SELECT 1 FROM review_invitation v WHERE v.session_id = s.id AND v.person_id = ?1))";

/// The sessions `user` may open (only `only`, when given), newest first.
async fn summaries(
    db: &Db,
    user: &User,
    only: Option<i64>,
) -> Result<Vec<ReviewSummary>, sqlx::Error> {
    let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
        "{SUMMARIES} WHERE {MAY_OPEN} AND (?3 IS NULL OR s.id = ?3) ORDER BY s.held_on DESC, s.id DESC"
    ))
    .bind(user.person_id)
    .bind(user.may_oversee_reporting())
    .bind(only)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(ReviewSummary::from).collect())
}

async fn choices(db: &Db, sql: &str) -> Result<Vec<Choice>, sqlx::Error> {
    let rows: Vec<(i64, String)> = sqlx::query_as(sql).fetch_all(db).await?;
    Ok(rows
        .into_iter()
        .map(|(id, label)| Choice { id, label })
        .collect())
}

/// The people who can sign in, as "Name, job title".
const PEOPLE: &str = "SELECT p.id, p.name || ', ' || p.job_title FROM person p
    JOIN account a ON a.person_id = p.id ORDER BY p.name";

/// The sessions `user` may open, and the set-up form's choices when they may set one up.
pub async fn list(db: &Db, user: &User) -> Result<Reviews, AppError> {
    let sessions = summaries(db, user, None).await?;
    if !user.may_facilitate_reviews() {
        return Ok(Reviews {
            sessions,
            themes: Vec::new(),
            people: Vec::new(),
        });
    }
    Ok(Reviews {
        sessions,
        themes: choices(db, "SELECT id, title FROM theme ORDER BY position").await?,
        people: choices(db, PEOPLE).await?,
    })
}

/// The sessions `user` is invited to (or facilitates) that have not ended.
pub async fn invitations(db: &Db, user: &User) -> Result<Vec<ReviewSummary>, AppError> {
    let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
        "{SUMMARIES} WHERE s.state <> 'ended' AND (s.facilitator_id = ?1 OR EXISTS
            (SELECT 1 FROM review_invitation v WHERE v.session_id = s.id AND v.person_id = ?1))
         ORDER BY s.held_on, s.id"
    ))
    .bind(user.person_id)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(ReviewSummary::from).collect())
}

/// Sets up a session with its agenda and invitations, in one transaction.
pub async fn create(db: &Db, user: &User, new: NewReview) -> Result<i64, AppError> {
    if !user.may_facilitate_reviews() {
        return Err(AppError::Forbidden);
    }
    let title = input::text("title", "title", &new.title, 200)?;
    let held_on = new.held_on.trim();
    if crate::domain::period::parse_iso_date(held_on).is_none() {
        return Err(AppError::invalid(
            "held_on",
            "Enter the date of the session, like 2018-03-05",
        ));
    }
    let coverage = Coverage::read(&new.scope, &new.themes, &new.codes)?;
    let agenda = agenda(db, &coverage).await?;
    if agenda.is_empty() {
        return Err(AppError::invalid(
            "scope",
            "There are no active indicators to review in what you chose",
        ));
    }
    let known: Vec<i64> = sqlx::query_scalar("SELECT person_id FROM account")
        .fetch_all(db)
        .await?;
    if let Some(unknown) = new.invited.iter().find(|p| !known.contains(p)) {
        return Err(AppError::invalid(
            "invited",
            format!("Person {unknown} cannot be invited: they cannot sign in"),
        ));
    }
    let now = super::accounts::timestamp(time::OffsetDateTime::now_utc());
    let mut tx = super::begin_write(db).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO review_session (title, held_on, facilitator_id, created_at) VALUES (?, ?, ?, ?) RETURNING id",
    )
    .bind(&title)
    .bind(held_on)
    .bind(user.person_id)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?;
    for (position, indicator) in agenda.iter().enumerate() {
        sqlx::query(
            "INSERT INTO review_item (session_id, position, indicator_id) VALUES (?, ?, ?)",
        )
        .bind(id)
        .bind(position as i64 + 1)
        .bind(indicator)
        .execute(&mut *tx)
        .await?;
    }
    for person in &new.invited {
        sqlx::query(
            "INSERT OR IGNORE INTO review_invitation (session_id, person_id) VALUES (?, ?)",
        )
        .bind(id)
        .bind(person)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await.map_err(super::busy_is_conflict)?;
    Ok(id)
}

/// The active indicators a session covers, in the order it takes them: by theme, then code,
/// or as listed.
async fn agenda(db: &Db, coverage: &Coverage) -> Result<Vec<i64>, AppError> {
    let in_order: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT i.id, i.code, COALESCE(t.id, 0) FROM indicator i
         LEFT JOIN indicator_output io ON io.indicator_id = i.id AND io.is_primary
         LEFT JOIN output o ON o.id = io.output_id
         LEFT JOIN outcome oc ON oc.id = o.outcome_id
         LEFT JOIN theme t ON t.id = oc.theme_id
         WHERE i.lifecycle = 'active' ORDER BY COALESCE(t.position, 999), i.code",
    )
    .fetch_all(db)
    .await?;
    Ok(match coverage {
        Coverage::Plan => in_order.into_iter().map(|(id, ..)| id).collect(),
        Coverage::Themes(themes) => in_order
            .into_iter()
            .filter(|(_, _, theme)| themes.contains(theme))
            .map(|(id, ..)| id)
            .collect(),
        Coverage::Indicators(codes) => {
            let unknown: Vec<&str> = codes
                .iter()
                .filter(|code| !in_order.iter().any(|(_, c, _)| c == *code))
                .map(String::as_str)
                .collect();
            if !unknown.is_empty() {
                return Err(AppError::invalid(
                    "codes",
                    format!(
                        "There is no active indicator with the code {}",
                        unknown.join(", ")
                    ),
                ));
            }
            codes
                .iter()
                .filter_map(|code| {
                    in_order
                        .iter()
                        .find(|(_, c, _)| c == code)
                        .map(|(id, ..)| *id)
                })
                .collect()
        }
    })
}

/// A session, for the people who may open it.
pub async fn page(db: &Db, user: &User, id: i64) -> Result<ReviewPage, AppError> {
    let session = summaries(db, user, Some(id)).await?.into_iter().next();
    let Some(session) = session else {
        return Err(if exists(db, id).await? {
            AppError::Forbidden
        } else {
            AppError::not_found("That peer review session")
        });
    };
    let may_manage = may_manage(db, user, id).await?;
    let agenda: Vec<(i64, i64, String, Option<String>)> = sqlx::query_as(
        "SELECT r.position, i.id, i.code || ' ' || i.title,
                (SELECT t.title FROM indicator_output io JOIN output o ON o.id = io.output_id
                   JOIN outcome oc ON oc.id = o.outcome_id JOIN theme t ON t.id = oc.theme_id
                 WHERE io.indicator_id = i.id AND io.is_primary)
         FROM review_item r JOIN indicator i ON i.id = r.indicator_id
         WHERE r.session_id = ? ORDER BY r.position",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
    let invited: Vec<Choice> = sqlx::query_as::<_, (i64, String)>(
        "SELECT p.id, p.name || ', ' || p.job_title FROM review_invitation v JOIN person p ON p.id = v.person_id
         WHERE v.session_id = ? ORDER BY p.name",
    )
    .bind(id)
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|(id, label)| Choice { id, label })
    .collect();
    let others = if may_manage {
        choices(db, PEOPLE)
            .await?
            .into_iter()
            .filter(|p| !invited.iter().any(|i| i.id == p.id))
            .collect()
    } else {
        Vec::new()
    };
    Ok(ReviewPage {
        session,
        agenda: agenda
            .into_iter()
            .map(|(position, id, label, theme)| AgendaItem {
                position,
                indicator: Choice { id, label },
                theme: theme.unwrap_or_default(),
            })
            .collect(),
        invited,
        may_manage,
        others,
    })
}

async fn exists(db: &Db, id: i64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM review_session WHERE id = ?")
        .bind(id)
        .fetch_optional(db)
        .await?;
    Ok(found.is_some())
}

/// Its facilitator and Business Improvement manage a session.
async fn may_manage(db: &Db, user: &User, id: i64) -> Result<bool, AppError> {
    let facilitator: Option<i64> =
        sqlx::query_scalar("SELECT facilitator_id FROM review_session WHERE id = ?")
            .bind(id)
            .fetch_optional(db)
            .await?;
    let facilitator = facilitator.ok_or_else(|| AppError::not_found("That peer review session"))?;
    Ok(facilitator == user.person_id || user.may_oversee_reporting())
}

/// Swaps an agenda item with the one before it (`earlier`) or after it.
pub async fn move_item(
    db: &Db,
    user: &User,
    id: i64,
    position: i64,
    earlier: bool,
) -> Result<(), AppError> {
    if !may_manage(db, user, id).await? {
        return Err(AppError::Forbidden);
    }
    let other = if earlier { position - 1 } else { position + 1 };
    let mut tx = super::begin_write(db).await?;
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM review_item WHERE session_id = ? AND position IN (?, ?)",
    )
    .bind(id)
    .bind(position)
    .bind(other)
    .fetch_one(&mut *tx)
    .await?;
    if count != 2 {
        return Err(AppError::invalid(
            "position",
            "That indicator cannot move further that way",
        ));
    }
    // Through a free position, as the two swap places under a unique key.
    for (from, to) in [(position, 0), (other, position), (0, other)] {
        sqlx::query("UPDATE review_item SET position = ? WHERE session_id = ? AND position = ?")
            .bind(to)
            .bind(id)
            .bind(from)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await.map_err(super::busy_is_conflict)
}

/// Invites a person to a session, or withdraws the invitation.
pub async fn set_invitation(
    db: &Db,
    user: &User,
    id: i64,
    person: i64,
    invited: bool,
) -> Result<(), AppError> {
    if !may_manage(db, user, id).await? {
        return Err(AppError::Forbidden);
    }
    let can_sign_in: Option<i64> =
        sqlx::query_scalar("SELECT person_id FROM account WHERE person_id = ?")
            .bind(person)
            .fetch_optional(db)
            .await?;
    if can_sign_in.is_none() {
        return Err(AppError::invalid(
            "person_id",
            "Choose someone who can sign in",
        ));
    }
    let sql = if invited {
        "INSERT OR IGNORE INTO review_invitation (session_id, person_id) VALUES (?, ?)"
    } else {
        "DELETE FROM review_invitation WHERE session_id = ? AND person_id = ?"
    };
    sqlx::query(sql).bind(id).bind(person).execute(db).await?;
    Ok(())
}
