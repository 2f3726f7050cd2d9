//! The indicator lifecycle in the database. Each change checks permission and input, writes,
//! and appends its audit record in one transaction: all of it is saved, or none.

use super::audit::{content, Because};
pub use super::labels::Register;
use super::labels::{choices, label};
use super::{begin_write, busy_is_conflict, Db};
use crate::domain::audit::{AuditAction, AuditContent};
use crate::domain::change_summary::ChangeKind;
use crate::domain::input::{self, Reason, Wording};
use crate::domain::roles::Action;
use crate::domain::roles::User;
use crate::domain::{IndicatorKind, Lifecycle, Polarity, Unit};
use crate::error::AppError;
use crate::model::lifecycle::{IndicatorManagement, ProposalForm};
use crate::model::Choice;

type Tx = crate::store::Tx;

/// A new indicator as proposed for one output, its wording and reason checked.
pub struct Proposal {
    pub output_id: i64,
    pub wording: Wording,
    pub kind: IndicatorKind,
    pub unit: Unit,
    pub polarity: Polarity,
    pub reason: Reason,
}

/// The indicator a change is about, as the rules need it.
struct Subject {
    code: String,
    title: String,
    definition: String,
    lifecycle: Lifecycle,
    outputs: Vec<i64>,
}

async fn subject(conn: &mut sqlx::AnyConnection, id: i64) -> Result<Subject, AppError> {
    let row: Option<(String, String, String, Lifecycle)> =
        sqlx::query_as("SELECT code, title, definition, lifecycle FROM indicator WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    let (code, title, definition, lifecycle) =
        row.ok_or_else(|| AppError::not_found("That indicator"))?;
    let outputs = sqlx::query_scalar(
        "SELECT output_id FROM indicator_output WHERE indicator_id = $1 ORDER BY is_primary DESC, output_id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Subject {
        code,
        title,
        definition,
        lifecycle,
        outputs,
    })
}

/// Opens the write transaction and reads the indicator, refusing anyone whose role or
/// portfolio does not cover it, and any change to a deleted indicator.
async fn begin_change(db: &Db, user: &User, id: i64) -> Result<(Tx, Subject), AppError> {
    let mut tx = begin_write(db).await?;
    let subject = subject(&mut tx, id).await?;
    user.authorise(Action::ChangeIndicators(&subject.outputs))?;
    if subject.lifecycle == Lifecycle::Deleted {
        return Err(AppError::invalid(
            "reason",
            "This indicator has been deleted; it can no longer change",
        ));
    }
    Ok((tx, subject))
}

fn title_and_definition(title: &str, definition: &str) -> String {
    format!("{title}: {definition}")
}

pub async fn propose(
    db: &Db,
    user: &User,
    proposal: Proposal,
    agreed_at: Option<super::audit::AgendaItem>,
) -> Result<i64, AppError> {
    user.authorise(Action::ChangeIndicators(&[proposal.output_id]))?;
    let Wording { title, definition } = &proposal.wording;
    let mut tx = begin_write(db).await?;
    let output: Option<i64> =
        sqlx::query_scalar("SELECT id FROM output WHERE id = $1 AND retired_on IS NULL")
            .bind(proposal.output_id)
            .fetch_optional(&mut *tx)
            .await?;
    output.ok_or_else(|| AppError::not_found("That output"))?;
    let code = new_code(&mut tx, proposal.output_id).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO indicator (code, title, definition, kind, unit, polarity, lifecycle)
         VALUES ($1, $2, $3, $4, $5, $6, 'proposed') RETURNING id",
    )
    .bind(&code)
    .bind(title)
    .bind(definition)
    .bind(proposal.kind.code())
    .bind(proposal.unit.code())
    .bind(proposal.polarity.code())
    .fetch_one(&mut *tx)
    .await
    .map_err(busy_is_conflict)?;
    sqlx::query(
        "INSERT INTO indicator_output (indicator_id, output_id, is_primary) VALUES ($1, $2, TRUE)",
    )
    .bind(id)
    .bind(proposal.output_id)
    .execute(&mut *tx)
    .await?;
    Because {
        reason: &proposal.reason,
        agreed_at,
    }
    .commit(
        tx,
        AuditContent {
            indicator_id: Some(id),
            value_before: None,
            value_after: Some(title_and_definition(title, definition)),
            ..content(
                user,
                AuditAction::Indicator(ChangeKind::Proposed),
                format!("indicator {code}"),
                proposal.reason.as_str(),
            )
        },
    )
    .await?;
    Ok(id)
}

/// The code a new indicator of `output_id`'s theme gets, like `WE08`.
async fn new_code(conn: &mut sqlx::AnyConnection, output_id: i64) -> Result<String, AppError> {
    let neighbours: Vec<String> = sqlx::query_scalar(
        "SELECT i.code FROM indicator i
         JOIN indicator_output io ON io.indicator_id = i.id AND io.is_primary
         JOIN output op ON op.id = io.output_id JOIN outcome oc ON oc.id = op.outcome_id
         WHERE oc.theme_id = (SELECT oc2.theme_id FROM output op2 JOIN outcome oc2 ON oc2.id = op2.outcome_id WHERE op2.id = $1)",
    )
    .bind(output_id)
    .fetch_all(&mut *conn)
    .await?;
    let all: Vec<String> = sqlx::query_scalar("SELECT code FROM indicator")
        .fetch_all(&mut *conn)
        .await?;
    Ok(input::next_code(&neighbours, &all))
}

/// Confirms a proposed indicator: it joins the map.
pub async fn confirm(
    db: &Db,
    user: &User,
    id: i64,
    because: impl Into<Because<'_>>,
) -> Result<(), AppError> {
    move_to(db, user, id, Lifecycle::Active, because.into()).await
}

/// Takes the indicator out of the framework: it leaves the map and the tables, and keeps its
/// values, targets and history.
pub async fn delete(
    db: &Db,
    user: &User,
    id: i64,
    because: impl Into<Because<'_>>,
) -> Result<(), AppError> {
    move_to(db, user, id, Lifecycle::Deleted, because.into()).await
}

/// Moves the indicator to `to` in its lifecycle: confirmed (from proposed only) or deleted.
async fn move_to(
    db: &Db,
    user: &User,
    id: i64,
    to: Lifecycle,
    because: Because<'_>,
) -> Result<(), AppError> {
    let (mut tx, subject) = begin_change(db, user, id).await?;
    let kind = match to {
        Lifecycle::Active if subject.lifecycle == Lifecycle::Proposed => ChangeKind::Confirmed,
        Lifecycle::Active => {
            return Err(AppError::invalid(
                "reason",
                "Only an indicator still to be confirmed by leaders can be confirmed",
            ))
        }
        Lifecycle::Deleted => ChangeKind::Deleted,
        Lifecycle::Proposed => return Err(AppError::Internal),
    };
    sqlx::query("UPDATE indicator SET lifecycle = $1 WHERE id = $2")
        .bind(to.code())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    because
        .commit(
            tx,
            AuditContent {
                indicator_id: Some(id),
                value_before: Some(subject.lifecycle.label().into()),
                value_after: Some(to.label().into()),
                ..content(
                    user,
                    AuditAction::Indicator(kind),
                    format!("indicator {}", subject.code),
                    because.reason.as_str(),
                )
            },
        )
        .await
}

pub async fn refine(
    db: &Db,
    user: &User,
    id: i64,
    wording: &Wording,
    because: impl Into<Because<'_>>,
) -> Result<(), AppError> {
    let because = because.into();
    let (mut tx, subject) = begin_change(db, user, id).await?;
    let Wording { title, definition } = wording;
    if *title == subject.title && *definition == subject.definition {
        return Err(AppError::invalid(
            "definition",
            "The title and definition are as they were; change one of them to refine the indicator",
        ));
    }
    sqlx::query("UPDATE indicator SET title = $1, definition = $2 WHERE id = $3")
        .bind(title)
        .bind(definition)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    because
        .commit(
            tx,
            AuditContent {
                indicator_id: Some(id),
                value_before: Some(title_and_definition(&subject.title, &subject.definition)),
                value_after: Some(title_and_definition(title, definition)),
                ..content(
                    user,
                    AuditAction::Indicator(ChangeKind::Refined),
                    format!("definition of {}", subject.code),
                    because.reason.as_str(),
                )
            },
        )
        .await
}

/// Links the indicator to an output or risk, or unlinks it; recorded as a refinement. A
/// Portfolio Holder links only to outputs in their own portfolio; the home output stays.
pub async fn set_link(
    db: &Db,
    user: &User,
    id: i64,
    (register, other): (Register, i64),
    linked: bool,
    reason: &Reason,
) -> Result<(), AppError> {
    let (mut tx, subject) = begin_change(db, user, id).await?;
    if register == Register::Output {
        if linked && !user.may(Action::ChangeIndicators(&[other])) {
            return Err(AppError::Forbidden);
        }
        if !linked && subject.outputs.first() == Some(&other) {
            return Err(AppError::invalid(
                "id",
                "An indicator keeps its home output; it cannot be unlinked from it",
            ));
        }
    }
    let name = label(&mut tx, register, other).await?;
    let (table, column) = register.link_table();
    let present: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT 1 FROM {table} WHERE indicator_id = $1 AND {column} = $2"
    ))
    .bind(id)
    .bind(other)
    .fetch_optional(&mut *tx)
    .await?;
    if linked == present.is_some() {
        let noun = register.noun();
        return Err(AppError::invalid(
            "id",
            if linked {
                format!("{} is already linked to that {noun}", subject.code)
            } else {
                format!("{} is not linked to that {noun}", subject.code)
            },
        ));
    }
    let statement = if linked {
        format!("INSERT INTO {table} (indicator_id, {column}) VALUES ($1, $2)")
    } else {
        format!("DELETE FROM {table} WHERE indicator_id = $1 AND {column} = $2")
    };
    sqlx::query(&statement)
        .bind(id)
        .bind(other)
        .execute(&mut *tx)
        .await?;
    let link = Some(format!("Linked to {} {name}", register.described()));
    let (before, after) = if linked { (None, link) } else { (link, None) };
    super::audit::commit_with(
        tx,
        AuditContent {
            indicator_id: Some(id),
            value_before: before,
            value_after: after,
            ..content(
                user,
                AuditAction::Indicator(ChangeKind::Refined),
                format!("links of {}", subject.code),
                reason.as_str(),
            )
        },
    )
    .await
}

/// The Manage tab: the indicator, its links, and what this person may link it to.
pub async fn management(db: &Db, user: &User, id: i64) -> Result<IndicatorManagement, AppError> {
    let subject = subject(&mut *db.acquire().await?, id).await?;
    user.authorise(Action::ChangeIndicators(&subject.outputs))?;
    let mut conn = db.acquire().await?;
    let outputs = choices(&mut conn, Register::Output).await?;
    let risks = choices(&mut conn, Register::Risk).await?;
    let linked_risks: Vec<i64> =
        sqlx::query_scalar("SELECT risk_id FROM indicator_risk WHERE indicator_id = $1")
            .bind(id)
            .fetch_all(db)
            .await?;
    let (linked_outputs, other_outputs): (Vec<Choice>, Vec<Choice>) = outputs
        .into_iter()
        .partition(|o| subject.outputs.contains(&o.id));
    let mut linked_outputs = linked_outputs;
    linked_outputs.sort_by_key(|o| subject.outputs.iter().position(|id| *id == o.id));
    let (linked_risks, other_risks): (Vec<Choice>, Vec<Choice>) = risks
        .into_iter()
        .partition(|r| linked_risks.contains(&r.id));
    let data_owner: Option<i64> =
        sqlx::query_scalar("SELECT data_owner_id FROM indicator WHERE id = $1")
            .bind(id)
            .fetch_one(db)
            .await?;
    let data_owners = sqlx::query_as::<_, (i64, String)>(
        "SELECT p.id, p.name FROM person p JOIN role_grant g ON g.person_id = p.id
         WHERE g.role = 'data_owner' ORDER BY p.name, p.id",
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|(id, label)| Choice { id, label })
    .collect();
    Ok(IndicatorManagement {
        id,
        code: subject.code,
        title: subject.title,
        definition: subject.definition,
        lifecycle: subject.lifecycle,
        outputs: linked_outputs,
        risks: linked_risks,
        linkable_outputs: other_outputs
            .into_iter()
            .filter(|o| user.may(Action::ChangeIndicators(&[o.id])))
            .collect(),
        linkable_risks: other_risks,
        data_owner,
        data_owners,
    })
}

/// Gives the indicator its data owner, who returns its values each quarter: someone holding
/// the data owner role (given on the People page), or no one. Recorded with who it was.
pub async fn set_data_owner(
    db: &Db,
    user: &User,
    id: i64,
    owner: Option<i64>,
    reason: &Reason,
) -> Result<(), AppError> {
    let (mut tx, subject) = begin_change(db, user, id).await?;
    let before: Option<(i64, String)> = sqlx::query_as(
        "SELECT p.id, p.name FROM indicator i JOIN person p ON p.id = i.data_owner_id WHERE i.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    if before.as_ref().map(|(id, _)| *id) == owner {
        return Err(AppError::invalid(
            "person_id",
            "That is who returns its values already; choose someone else",
        ));
    }
    let after: Option<String> = match owner {
        None => None,
        Some(person) => Some(
            sqlx::query_scalar(
                "SELECT p.name FROM person p JOIN role_grant g ON g.person_id = p.id
                 WHERE p.id = $1 AND g.role = 'data_owner'",
            )
            .bind(person)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| {
                AppError::invalid(
                    "person_id",
                    "Choose someone who holds the data owner role (give it on the People page first)",
                )
            })?,
        ),
    };
    sqlx::query("UPDATE indicator SET data_owner_id = $1 WHERE id = $2")
        .bind(owner)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    super::audit::commit_with(
        tx,
        AuditContent {
            indicator_id: Some(id),
            value_before: before.map(|(_, name)| name),
            value_after: after,
            ..content(
                user,
                AuditAction::DataOwnerSet,
                format!("data owner of {}", subject.code),
                reason.as_str(),
            )
        },
    )
    .await
}

pub async fn proposal_form(db: &Db, user: &User, output_id: i64) -> Result<ProposalForm, AppError> {
    user.authorise(Action::ChangeIndicators(&[output_id]))?;
    let output: Option<(String, String)> = sqlx::query_as(
        "SELECT op.code || ' ' || op.title, t.title FROM output op
         JOIN outcome oc ON oc.id = op.outcome_id JOIN theme t ON t.id = oc.theme_id WHERE op.id = $1",
    )
    .bind(output_id)
    .fetch_optional(db)
    .await?;
    let (label, theme) = output.ok_or_else(|| AppError::not_found("That output"))?;
    let code = new_code(&mut *db.acquire().await?, output_id).await?;
    Ok(ProposalForm {
        output: Choice {
            id: output_id,
            label,
        },
        theme,
        code,
    })
}
