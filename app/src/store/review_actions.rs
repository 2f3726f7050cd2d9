//! After a peer review session: Business Improvement turns the change agreed for each indicator
//! into a change in its lifecycle (a refinement, a deletion, an amended target or a proposed
//! replacement), through the lifecycle's own rules. The audit record links back to the session,
//! and the agenda item is marked done in the same transaction, so there is one change per
//! indicator.

use super::audit::{AgendaItem, Because};
use super::Db;
use crate::domain::input::{Reason, Wording};
use crate::domain::period::{Day, FinancialYear};
use crate::domain::review::Verdict;
use crate::domain::roles::Action;
use crate::domain::roles::User;
use crate::domain::target::Amendment;
use crate::domain::{format, Council, IndicatorKind, Polarity, Unit};
use crate::error::AppError;
use crate::model::reviews::{OutcomeLine, PendingChange};
use crate::model::targets::TargetRef;

/// What the form sends with an agreed change, checked: the new wording (to refine, or for
/// the replacement), or the council whose target changes and the new figure; each only when
/// given.
#[derive(Clone, Debug, Default)]
pub struct ChangeDetails {
    pub wording: Option<Wording>,
    pub target: Option<NewTarget>,
}

/// The council whose target an agreed amendment changes, and the new figure, read in the
/// indicator's unit.
#[derive(Clone, Debug)]
pub struct NewTarget {
    pub council: Council,
    pub value: f64,
    pub unit: Unit,
}

impl ChangeDetails {
    fn wording(&self) -> Result<&Wording, AppError> {
        self.wording
            .as_ref()
            .ok_or_else(|| AppError::invalid("title", "Enter the title"))
    }
}

/// Adds, for Business Improvement, what each agreed change still to be made needs.
pub async fn with_pending_changes(
    db: &Db,
    user: &User,
    mut lines: Vec<OutcomeLine>,
) -> Result<Vec<OutcomeLine>, AppError> {
    if !user.may(Action::ActOnReviews) {
        return Ok(lines);
    }
    for line in &mut lines {
        let waiting = line
            .agreed
            .as_ref()
            .is_some_and(|a| a.acted_on.is_none() && a.change != Verdict::Adequate);
        if waiting {
            line.pending = Some(pending(db, user, line.indicator.id).await?);
        }
    }
    Ok(lines)
}

async fn pending(db: &Db, user: &User, indicator_id: i64) -> Result<PendingChange, AppError> {
    let indicator = super::indicators::load(db, indicator_id, None, Some(user)).await?;
    let targets = indicator
        .series
        .iter()
        .filter_map(|series| series.editable.as_ref())
        .map(|target| {
            (
                target.council.code().to_string(),
                format!(
                    "{}, {}: now {}",
                    target.council.name(),
                    FinancialYear(target.year),
                    format::maybe_value(target.value, target.unit)
                ),
            )
        })
        .collect();
    Ok(PendingChange {
        title: indicator.title,
        definition: indicator.definition,
        targets,
    })
}

/// What the session agreed for the indicator, as the audit record's reason gives it.
struct AgreedChange {
    change: Verdict,
    reason: Reason,
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    title: String,
    held_on: Day,
    agreed_outcome: Option<String>,
    agreed_change: Option<Verdict>,
    action_audit_id: Option<i64>,
}

async fn agreed_change(db: &Db, id: i64, indicator_id: i64) -> Result<AgreedChange, AppError> {
    let row: Option<ItemRow> = sqlx::query_as(
        "SELECT s.title, s.held_on, r.agreed_outcome, r.agreed_change, r.action_audit_id
             FROM review_item r JOIN review_session s ON s.id = r.session_id
             WHERE r.session_id = $1 AND r.indicator_id = $2",
    )
    .bind(id)
    .bind(indicator_id)
    .fetch_optional(db)
    .await?;
    let item = row.ok_or_else(|| AppError::not_found("That indicator on the agenda"))?;
    let (Some(outcome), Some(change)) = (item.agreed_outcome, item.agreed_change) else {
        return Err(AppError::invalid(
            "change",
            "No change has been agreed for this indicator yet",
        ));
    };
    if item.action_audit_id.is_some() {
        return Err(AppError::invalid(
            "change",
            "This agreed outcome has already been turned into a change",
        ));
    }
    if change == Verdict::Adequate {
        return Err(AppError::invalid(
            "change",
            "The session found this indicator adequate: there is no change to make",
        ));
    }
    let reason = format!(
        "Agreed at the peer review session “{}” on {}: {outcome}",
        item.title, item.held_on
    );
    Ok(AgreedChange {
        change,
        reason: Reason::read(&reason.chars().take(500).collect::<String>())?,
    })
}

/// Makes the change the session agreed for `indicator_id`, once.
pub async fn act(
    db: &Db,
    user: &User,
    id: i64,
    indicator_id: i64,
    details: ChangeDetails,
) -> Result<(), AppError> {
    user.authorise(Action::ActOnReviews)?;
    let agreed = agreed_change(db, id, indicator_id).await?;
    let because = Because {
        reason: &agreed.reason,
        agreed_at: Some(AgendaItem {
            session_id: id,
            indicator_id,
        }),
    };
    match agreed.change {
        Verdict::Refine => {
            super::lifecycle::refine(db, user, indicator_id, details.wording()?, because).await
        }
        Verdict::Delete => super::lifecycle::delete(db, user, indicator_id, because).await,
        Verdict::Replace => {
            let proposal =
                replacement(db, indicator_id, details.wording()?, &agreed.reason).await?;
            super::lifecycle::propose(db, user, proposal, because.agreed_at)
                .await
                .map(|_| ())
        }
        Verdict::AmendTarget => amend_target(db, user, indicator_id, &details, because).await,
        Verdict::Adequate => Err(AppError::Internal),
    }
}

/// A new indicator proposed for the same output, of the same kind, unit and direction.
async fn replacement(
    db: &Db,
    indicator_id: i64,
    wording: &Wording,
    reason: &Reason,
) -> Result<super::lifecycle::Proposal, AppError> {
    let (output_id, kind, unit, polarity): (i64, IndicatorKind, Unit, Polarity) = sqlx::query_as(
        "SELECT io.output_id, i.kind, i.unit, i.polarity FROM indicator i
         JOIN indicator_output io ON io.indicator_id = i.id AND io.is_primary WHERE i.id = $1",
    )
    .bind(indicator_id)
    .fetch_optional(db)
    .await?
    .ok_or_else(|| AppError::not_found("That indicator"))?;
    Ok(super::lifecycle::Proposal {
        output_id,
        wording: wording.clone(),
        kind,
        unit,
        polarity,
        reason: reason.clone(),
    })
}

/// Amends the chosen council's target of the latest reported year, keeping its tolerance.
async fn amend_target(
    db: &Db,
    user: &User,
    indicator_id: i64,
    details: &ChangeDetails,
    because: Because<'_>,
) -> Result<(), AppError> {
    let NewTarget {
        council,
        value,
        unit,
    } = details
        .target
        .clone()
        .ok_or_else(|| AppError::invalid("council", "Choose the council whose target changes"))?;
    let indicator = super::indicators::load(db, indicator_id, None, Some(user)).await?;
    let target = indicator
        .series
        .into_iter()
        .filter_map(|series| series.editable)
        .find(|target| target.council == council)
        .ok_or_else(|| AppError::invalid("council", "That council has no target to amend"))?;
    let amendment = Amendment {
        value,
        unit,
        amber_tolerance: target.amber_tolerance,
        reason: because.reason.clone(),
        // Agreed by leaders around the table: the session is the second look.
        confirmed: true,
    };
    let target = TargetRef {
        indicator_id,
        council,
        year: target.year,
        version: target.version,
    };
    super::targets::amend(db, user, target, &amendment, because.agreed_at)
        .await
        .map(|_| ())
}
