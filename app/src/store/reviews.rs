//! Peer review sessions in the database: setting one up with its agenda and invitations,
//! reading it for those who may, and running it (moves, verdicts, agreed outcomes). The
//! summary afterwards is in `review_summary`, the changes made from it in `review_actions`.

use super::{choices, Db, Flag};
use crate::domain::period::Day;
use crate::domain::review::Coverage;
use crate::domain::review::{Running, SessionState, Step, Verdict};
use crate::domain::roles::Action;
use crate::domain::roles::User;
use crate::error::AppError;
use crate::model::reviews::{
    AgendaItem, Agreed, Discussion, NamedVerdict, ReviewPage, ReviewSummary, Reviews,
};
use crate::model::Choice;

/// What the set-up form sends.
pub struct NewReview {
    /// Checked: required, at most 200 characters.
    pub title: String,
    pub held_on: Day,
    pub coverage: Coverage,
    pub invited: Vec<i64>,
    /// Invites every Cabinet member, as well as those in `invited`.
    pub whole_cabinet: bool,
}

const SUMMARIES: &str = "
    SELECT s.id, s.title, s.held_on, p.name AS facilitator, s.state,
           (SELECT COUNT(*) FROM review_item i WHERE i.session_id = s.id) AS indicators
    FROM review_session s JOIN person p ON p.id = s.facilitator_id";

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    title: String,
    held_on: Day,
    facilitator: String,
    state: SessionState,
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
const MAY_OPEN: &str = "(s.facilitator_id = $1 OR $2 OR EXISTS
    (SELECT 1 FROM review_invitation v WHERE v.session_id = s.id AND v.person_id = $1))";

/// The sessions `user` may open (only `only`, when given), newest first.
async fn summaries(
    db: &Db,
    user: &User,
    only: Option<i64>,
) -> Result<Vec<ReviewSummary>, sqlx::Error> {
    let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
        "{SUMMARIES} WHERE {MAY_OPEN} AND ($3 IS NULL OR s.id = $3) ORDER BY s.held_on DESC, s.id DESC"
    ))
    .bind(user.person_id)
    .bind(user.may(Action::OverseeReporting))
    .bind(only)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(ReviewSummary::from).collect())
}

/// The people who can sign in, as "Name, job title": Cabinet members (Portfolio Holders) and
/// Assistant Directors, who take part in peer review, Cabinet first; or (`LEADERS = false`)
/// everyone else; `except` (the facilitator) is left out.
fn people(leaders: bool, except: i64) -> String {
    let not = if leaders { "" } else { "NOT" };
    format!(
        "SELECT p.id, p.name || ', ' || p.job_title FROM person p
         JOIN account a ON a.person_id = p.id
         WHERE p.id <> {except} AND {not} EXISTS (SELECT 1 FROM role_grant g WHERE g.person_id = p.id
                                AND g.role IN ('portfolio_holder', 'assistant_director'))
         ORDER BY CASE WHEN EXISTS (SELECT 1 FROM role_grant g WHERE g.person_id = p.id
                                     AND g.role = 'portfolio_holder') THEN 0 ELSE 1 END, p.name"
    )
}

/// Every Cabinet member (Portfolio Holder) who can sign in.
async fn cabinet(db: &Db) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT p.id FROM person p JOIN account a ON a.person_id = p.id
         WHERE EXISTS (SELECT 1 FROM role_grant g WHERE g.person_id = p.id AND g.role = 'portfolio_holder')",
    )
    .fetch_all(db)
    .await
}

/// The sessions `user` may open, and the set-up form's choices when they may set one up.
pub async fn list(db: &Db, user: &User) -> Result<Reviews, AppError> {
    let sessions = summaries(db, user, None).await?;
    if !user.may(Action::FacilitateReviews) {
        return Ok(Reviews {
            sessions,
            themes: Vec::new(),
            leaders: Vec::new(),
            others: Vec::new(),
        });
    }
    Ok(Reviews {
        sessions,
        themes: choices(
            db,
            "SELECT id, title FROM theme WHERE retired_on IS NULL ORDER BY position",
        )
        .await?,
        leaders: choices(db, &people(true, user.person_id)).await?,
        others: choices(db, &people(false, user.person_id)).await?,
    })
}

/// The sessions `user` is invited to (or facilitates) that have not ended.
pub async fn invitations(db: &Db, user: &User) -> Result<Vec<ReviewSummary>, AppError> {
    let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
        "{SUMMARIES} WHERE s.state <> 'ended' AND (s.facilitator_id = $1 OR EXISTS
            (SELECT 1 FROM review_invitation v WHERE v.session_id = s.id AND v.person_id = $1))
         ORDER BY s.held_on, s.id"
    ))
    .bind(user.person_id)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(ReviewSummary::from).collect())
}

/// Sets up a session with its agenda and invitations, in one transaction.
pub async fn create(db: &Db, user: &User, new: NewReview) -> Result<i64, AppError> {
    user.authorise(Action::FacilitateReviews)?;
    let latest = super::readings::default_quarter(db).await?;
    crate::domain::review::held_on(new.held_on, latest)?;
    let agenda = covered(db, &new.coverage).await?;
    if agenda.is_empty() {
        return Err(AppError::invalid(
            "scope",
            "There are no active indicators to review in what you chose",
        ));
    }
    let mut new = new;
    if new.whole_cabinet {
        new.invited.extend(cabinet(db).await?);
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
        "INSERT INTO review_session (title, held_on, facilitator_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(&new.title)
    .bind(new.held_on)
    .bind(user.person_id)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?;
    for (position, indicator) in agenda.iter().enumerate() {
        sqlx::query(
            "INSERT INTO review_item (session_id, position, indicator_id) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(position as i64 + 1)
        .bind(indicator)
        .execute(&mut *tx)
        .await?;
    }
    for person in &new.invited {
        sqlx::query(
            "INSERT INTO review_invitation (session_id, person_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
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
async fn covered(db: &Db, coverage: &Coverage) -> Result<Vec<i64>, AppError> {
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

/// An agenda item as stored, with its indicator's label and theme.
#[derive(sqlx::FromRow)]
struct AgendaRow {
    position: i64,
    id: i64,
    label: String,
    theme: Option<String>,
    agreed_outcome: Option<String>,
    agreed_change: Option<String>,
    agreed_value: Option<f64>,
    action_owner: Option<String>,
    changed_indicator: Option<i64>,
}

/// A session, for the people who may open it, looking at agenda position `at` (where the
/// facilitator is, by default).
pub async fn page(db: &Db, user: &User, id: i64, at: Option<i64>) -> Result<ReviewPage, AppError> {
    let Opened {
        session,
        may_manage,
        current,
        show_names,
        version,
    } = opened(db, user, id).await?;
    let participates = may_manage || invited_to(db, user, id).await?;
    let discussion = match at.or(current) {
        Some(position) => discussion(db, user, id, position, may_manage || show_names).await?,
        None => None,
    };
    let agenda = agenda(db, id).await?;
    let invited: Vec<Choice> = sqlx::query_as::<_, (i64, String)>(
        "SELECT p.id, p.name || ', ' || p.job_title FROM review_invitation v JOIN person p ON p.id = v.person_id
         WHERE v.session_id = $1 ORDER BY p.name",
    )
    .bind(id)
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|(id, label)| Choice { id, label })
    .collect();
    let others = if may_manage {
        let mut everyone = choices(db, &people(true, 0)).await?;
        everyone.extend(choices(db, &people(false, 0)).await?);
        everyone
            .into_iter()
            .filter(|p| !invited.iter().any(|i| i.id == p.id))
            .collect()
    } else {
        Vec::new()
    };
    Ok(ReviewPage {
        session,
        agenda,
        invited,
        may_manage,
        others,
        current,
        discussion,
        show_names,
        version,
        participates,
        present: Vec::new(),
    })
}

/// A session `user` may open, where it stands, and whether they manage it.
pub(super) struct Opened {
    pub session: ReviewSummary,
    pub may_manage: bool,
    pub current: Option<i64>,
    pub show_names: bool,
    pub version: i64,
}

/// The session if `user` may open it: forbidden if not, not found if there is none.
pub(super) async fn opened(db: &Db, user: &User, id: i64) -> Result<Opened, AppError> {
    let session = summaries(db, user, Some(id)).await?.into_iter().next();
    let Some(session) = session else {
        return Err(if exists(db, id).await? {
            AppError::Forbidden
        } else {
            AppError::not_found("That peer review session")
        });
    };
    let (current, Flag(show_names), version): (Option<i64>, Flag, i64) = sqlx::query_as(
        "SELECT current_position, show_names = TRUE, version FROM review_session WHERE id = $1",
    )
    .bind(id)
    .fetch_one(db)
    .await?;
    Ok(Opened {
        session,
        may_manage: may_manage(db, user, id).await?,
        current,
        show_names,
        version,
    })
}

/// A session's agenda in order, with what was agreed for each indicator.
pub(super) async fn agenda(db: &Db, id: i64) -> Result<Vec<AgendaItem>, sqlx::Error> {
    let rows: Vec<AgendaRow> = sqlx::query_as(
        "SELECT r.position, i.id, i.code || ' ' || i.title AS label,
                (SELECT t.title FROM indicator_output io JOIN output o ON o.id = io.output_id
                   JOIN outcome oc ON oc.id = o.outcome_id JOIN theme t ON t.id = oc.theme_id
                 WHERE io.indicator_id = i.id AND io.is_primary) AS theme,
                r.agreed_outcome, r.agreed_change, r.agreed_value,
                (SELECT a.indicator_id FROM audit_record a WHERE a.id = r.action_audit_id) AS changed_indicator,
                (SELECT name FROM person p WHERE p.id = r.action_owner_id) AS action_owner
         FROM review_item r JOIN indicator i ON i.id = r.indicator_id
         WHERE r.session_id = $1 ORDER BY r.position",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| AgendaItem {
            position: row.position,
            indicator: Choice {
                id: row.id,
                label: row.label,
            },
            theme: row.theme.unwrap_or_default(),
            agreed: row.agreed_outcome.map(|outcome| Agreed {
                outcome,
                change: row
                    .agreed_change
                    .as_deref()
                    .and_then(Verdict::from_code)
                    .unwrap_or(Verdict::Adequate),
                value: row.agreed_value,
                action_owner: row.action_owner,
                acted_on: row.changed_indicator,
            }),
        })
        .collect())
}

async fn exists(db: &Db, id: i64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM review_session WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await?;
    Ok(found.is_some())
}

/// Who facilitates session `id`.
async fn facilitator_of<'c>(
    db: impl sqlx::Executor<'c, Database = sqlx::Any>,
    id: i64,
) -> Result<i64, AppError> {
    let facilitator: Option<i64> =
        sqlx::query_scalar("SELECT facilitator_id FROM review_session WHERE id = $1")
            .bind(id)
            .fetch_optional(db)
            .await?;
    facilitator.ok_or_else(|| AppError::not_found("That peer review session"))
}

/// Whether `user` may run session `id` (its facilitator and Business Improvement may).
async fn may_manage<'c>(
    db: impl sqlx::Executor<'c, Database = sqlx::Any>,
    user: &User,
    id: i64,
) -> Result<bool, AppError> {
    let facilitator = facilitator_of(db, id).await?;
    Ok(user.may(Action::RunSession { facilitator }))
}

/// Refuses anyone who may not run session `id`; asked within the transaction of the change.
async fn authorise_running(
    tx: &mut crate::store::Tx,
    user: &User,
    id: i64,
) -> Result<(), AppError> {
    let facilitator = facilitator_of(&mut **tx, id).await?;
    Ok(user.authorise(Action::RunSession { facilitator })?)
}

/// Swaps an agenda item with the one before it (`earlier`) or after it.
pub async fn move_item(
    db: &Db,
    user: &User,
    id: i64,
    position: i64,
    earlier: bool,
) -> Result<(), AppError> {
    let other = if earlier { position - 1 } else { position + 1 };
    let mut tx = super::begin_write(db).await?;
    authorise_running(&mut tx, user, id).await?;
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM review_item WHERE session_id = $1 AND position IN ($2, $3)",
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
        sqlx::query("UPDATE review_item SET position = $1 WHERE session_id = $2 AND position = $3")
            .bind(to)
            .bind(id)
            .bind(from)
            .execute(&mut *tx)
            .await?;
    }
    bump(&mut tx, id).await?;
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
    let mut tx = super::begin_write(db).await?;
    authorise_running(&mut tx, user, id).await?;
    let can_sign_in: Option<i64> =
        sqlx::query_scalar("SELECT person_id FROM account WHERE person_id = $1")
            .bind(person)
            .fetch_optional(&mut *tx)
            .await?;
    if can_sign_in.is_none() {
        return Err(AppError::invalid(
            "person_id",
            "Choose someone who can sign in",
        ));
    }
    let sql = if invited {
        "INSERT INTO review_invitation (session_id, person_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
    } else {
        "DELETE FROM review_invitation WHERE session_id = $1 AND person_id = $2"
    };
    sqlx::query(sql)
        .bind(id)
        .bind(person)
        .execute(&mut *tx)
        .await?;
    bump(&mut tx, id).await?;
    tx.commit().await.map_err(super::busy_is_conflict)
}

/// Moves a session's version on, in the transaction of the change.
async fn bump(tx: &mut crate::store::Tx, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE review_session SET version = version + 1 WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A session's version: it moves on at every change.
pub async fn version(db: &Db, id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT version FROM review_session WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Whether `user` may open the session `id` (and follow it live).
pub async fn may_open(db: &Db, user: &User, id: i64) -> Result<bool, sqlx::Error> {
    Ok(!summaries(db, user, Some(id)).await?.is_empty())
}

async fn invited_to<'c>(
    db: impl sqlx::Executor<'c, Database = sqlx::Any>,
    user: &User,
    id: i64,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT person_id FROM review_invitation WHERE session_id = $1 AND person_id = $2",
    )
    .bind(id)
    .bind(user.person_id)
    .fetch_optional(db)
    .await?;
    Ok(found.is_some())
}

/// A verdict given on the indicator under discussion, with who gave it.
#[derive(sqlx::FromRow)]
struct GivenVerdict {
    person_id: i64,
    name: String,
    verdict: Verdict,
    proposed_value: Option<f64>,
    comment: String,
}

/// The indicator at `position` with the tally of its verdicts, everyone's verdicts when
/// `named`, and the person's own.
async fn discussion(
    db: &Db,
    user: &User,
    id: i64,
    position: i64,
    named: bool,
) -> Result<Option<Discussion>, AppError> {
    let item: Option<(i64, String, String)> = sqlx::query_as(
        "SELECT i.id, i.code || ' ' || i.title, i.definition FROM review_item r
         JOIN indicator i ON i.id = r.indicator_id WHERE r.session_id = $1 AND r.position = $2",
    )
    .bind(id)
    .bind(position)
    .fetch_optional(db)
    .await?;
    let Some((indicator_id, label, definition)) = item else {
        return Ok(None);
    };
    let figures = super::indicators::load(db, indicator_id, None, None).await?;
    let rows: Vec<GivenVerdict> = sqlx::query_as(
        "SELECT v.person_id, p.name, v.verdict, v.proposed_value, v.comment FROM review_verdict v
         JOIN person p ON p.id = v.person_id WHERE v.session_id = $1 AND v.indicator_id = $2 ORDER BY p.name",
    )
    .bind(id)
    .bind(indicator_id)
    .fetch_all(db)
    .await?;
    let verdicts: Vec<(i64, NamedVerdict)> = rows
        .into_iter()
        .map(|row| {
            (
                row.person_id,
                NamedVerdict {
                    name: row.name,
                    verdict: row.verdict,
                    proposed_value: row.proposed_value,
                    comment: row.comment,
                },
            )
        })
        .collect();
    Ok(Some(Discussion {
        position,
        indicator: Choice {
            id: indicator_id,
            label,
        },
        definition,
        unit: figures.unit,
        series: figures.series,
        tally: Verdict::ALL
            .into_iter()
            .map(|v| (v, verdicts.iter().filter(|(_, n)| n.verdict == v).count()))
            .collect(),
        mine: verdicts
            .iter()
            .find(|(person, _)| *person == user.person_id)
            .map(|(_, v)| v.clone()),
        named: if named {
            verdicts.into_iter().map(|(_, v)| v).collect()
        } else {
            Vec::new()
        },
    }))
}

/// Moves the session on: start, next, previous, jump, pause, resume, end, or showing and
/// hiding names. Only its facilitator (or Business Improvement) may.
pub async fn run(db: &Db, user: &User, id: i64, step: Step) -> Result<(), AppError> {
    let mut tx = super::begin_write(db).await?;
    authorise_running(&mut tx, user, id).await?;
    let (state, current, Flag(show_names)): (SessionState, Option<i64>, Flag) = sqlx::query_as(
        "SELECT state, current_position, show_names = TRUE FROM review_session WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    let length: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM review_item WHERE session_id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    let now = Running {
        state,
        current,
        show_names,
    }
    .after(step, length)
    .map_err(|message| AppError::invalid("step", message))?;
    sqlx::query(
        "UPDATE review_session SET state = $1, current_position = $2, show_names = $3,
         version = version + 1 WHERE id = $4",
    )
    .bind(now.state.code())
    .bind(now.current)
    .bind(now.show_names)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await.map_err(super::busy_is_conflict)
}

/// What a participant says of the indicator on screen, checked: their verdict, the target
/// they propose when the verdict is to amend it, and their comment (empty for none).
pub struct Said {
    pub verdict: Verdict,
    pub proposed: Option<f64>,
    pub comment: String,
}

/// Records (or replaces) a participant's verdict on the indicator being reviewed.
pub async fn record_verdict(
    db: &Db,
    user: &User,
    id: i64,
    indicator_id: i64,
    said: Said,
) -> Result<(), AppError> {
    let Said {
        verdict,
        proposed,
        comment,
    } = said;
    let now = super::accounts::timestamp(time::OffsetDateTime::now_utc());
    let mut tx = super::begin_write(db).await?;
    if !(may_manage(&mut *tx, user, id).await? || invited_to(&mut *tx, user, id).await?) {
        return Err(AppError::Forbidden);
    }
    let current: Option<(SessionState, Option<i64>)> = sqlx::query_as(
        "SELECT s.state, r.indicator_id FROM review_session s
         LEFT JOIN review_item r ON r.session_id = s.id AND r.position = s.current_position WHERE s.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    match current {
        Some((SessionState::Live, Some(now_reviewing))) if now_reviewing == indicator_id => {}
        Some((state, _)) if state != SessionState::Live => {
            return Err(AppError::invalid(
                "verdict",
                "The session is not live: verdicts wait until the facilitator starts or resumes it",
            ))
        }
        _ => return Err(AppError::invalid(
            "verdict",
            "The facilitator has moved on: record your verdict on the indicator being reviewed now",
        )),
    }
    sqlx::query(
        "INSERT INTO review_verdict (session_id, indicator_id, person_id, verdict, proposed_value, comment, recorded_at)
         VALUES ($1, $2, $3, $4, CAST($5 AS DOUBLE PRECISION), $6, $7)
         ON CONFLICT (session_id, indicator_id, person_id)
         DO UPDATE SET verdict = excluded.verdict, proposed_value = excluded.proposed_value,
                       comment = excluded.comment, recorded_at = excluded.recorded_at",
    )
    .bind(id)
    .bind(indicator_id)
    .bind(user.person_id)
    .bind(verdict.code())
    .bind(super::optional_number(proposed))
    .bind(&comment)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    bump(&mut tx, id).await?;
    tx.commit().await.map_err(super::busy_is_conflict)
}

/// What the facilitator agreed for an indicator, as the form sends it.
pub struct Agreement {
    pub outcome: String,
    pub change: Verdict,
    /// The agreed target, when the change is to amend it.
    pub value: Option<f64>,
    pub action_owner: Option<i64>,
}

/// Records the outcome agreed for an indicator of the agenda, the change it asks for, and who
/// will act on it; refused once Business Improvement has made the change.
pub async fn agree(
    db: &Db,
    user: &User,
    id: i64,
    indicator_id: i64,
    agreed: Agreement,
) -> Result<(), AppError> {
    let mut tx = super::begin_write(db).await?;
    authorise_running(&mut tx, user, id).await?;
    let updated = sqlx::query(
        "UPDATE review_item SET agreed_outcome = $1, agreed_change = $2,
                agreed_value = CAST($3 AS DOUBLE PRECISION), action_owner_id = $4
         WHERE session_id = $5 AND indicator_id = $6 AND action_audit_id IS NULL",
    )
    .bind(&agreed.outcome)
    .bind(agreed.change.code())
    .bind(super::optional_number(agreed.value))
    .bind(agreed.action_owner)
    .bind(id)
    .bind(indicator_id)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() != 1 {
        let on_agenda: Option<Option<i64>> = sqlx::query_scalar(
            "SELECT action_audit_id FROM review_item WHERE session_id = $1 AND indicator_id = $2",
        )
        .bind(id)
        .bind(indicator_id)
        .fetch_optional(&mut *tx)
        .await?;
        return Err(match on_agenda {
            Some(Some(_)) => AppError::invalid(
                "outcome",
                "This outcome has already been turned into a change; it can no longer be changed",
            ),
            _ => AppError::not_found("That indicator on the agenda"),
        });
    }
    bump(&mut tx, id).await?;
    tx.commit().await.map_err(super::busy_is_conflict)
}
