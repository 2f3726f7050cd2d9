//! A Portfolio Holder's portfolio: its outputs, what is off or near target, the targets still
//! to set for the coming year and the proposals waiting for leaders.

use super::readings::{self, Scope};
use super::{choices, Db};
use crate::domain::reading::reading;
use crate::domain::roles::{Role, User};
use crate::domain::{CouncilFilter, FinancialYear, Polarity, Status};
use crate::model::portfolio::{Attention, Portfolio, Unset};
use crate::model::Choice;

/// `user`'s portfolio, or none for someone who holds no portfolio.
pub async fn of(db: &Db, user: &User) -> Result<Option<Portfolio>, sqlx::Error> {
    if !user.has(Role::PortfolioHolder) || user.portfolio.is_empty() {
        return Ok(None);
    }
    let held: Vec<String> = user.portfolio.iter().map(i64::to_string).collect();
    let held = held.join(", ");
    let quarter = readings::default_quarter(db).await?;
    let coming_year = quarter.year + 1;
    let outputs = choices(
        db,
        &format!("SELECT id, title FROM output WHERE id IN ({held}) ORDER BY code"),
    )
    .await?;
    // The indicators linked to the portfolio's outputs, as `lifecycle` has them.
    let linked = |lifecycle: &str| {
        format!(
            "SELECT DISTINCT i.id, i.code || ' ' || i.title FROM indicator i
             JOIN indicator_output io ON io.indicator_id = i.id
             WHERE io.output_id IN ({held}) AND i.lifecycle = '{lifecycle}'"
        )
    };
    let proposals = choices(db, &format!("{} ORDER BY 2", linked("proposed"))).await?;
    let active: std::collections::HashSet<i64> = choices(db, &linked("active"))
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let councils = super::plan::councils(db).await?;
    let series = readings::series(&readings::measurements(db, Scope::Period(quarter)).await?);
    let targets = readings::targets(db, Scope::Period(quarter)).await?;
    let coming =
        readings::targets(db, Scope::Period(FinancialYear(coming_year).quarters()[0])).await?;
    let mut attention = Vec::new();
    let mut unset = Vec::new();
    for indicator in readings::active_indicators(db, None).await? {
        if !active.contains(&indicator.id) || indicator.polarity() == Polarity::DataOnly {
            continue;
        }
        let slots = councils.slots(indicator.joint, &CouncilFilter::All);
        let label = format!("{} {}", indicator.code, indicator.title);
        let to_set: Vec<_> = slots
            .iter()
            .filter(|council| {
                coming
                    .get(&readings::key(indicator.id, council))
                    .is_none_or(|t| !t.annual.contains_key(&coming_year))
            })
            .cloned()
            .collect();
        if !to_set.is_empty() {
            unset.push(Unset {
                indicator: Choice {
                    id: indicator.id,
                    label: label.clone(),
                },
                councils: to_set,
            });
        }
        for council in slots {
            let key = readings::key(indicator.id, &council);
            let judged = reading(
                &series.get(&key).cloned().unwrap_or_default(),
                &targets.get(&key).cloned().unwrap_or_default(),
                quarter,
                indicator.rules(),
            );
            if matches!(judged.status, Status::Red | Status::Amber) {
                attention.push(Attention {
                    indicator: Choice {
                        id: indicator.id,
                        label: label.clone(),
                    },
                    council: council.name().to_string(),
                    status: judged.status,
                    value: judged.value,
                    target: judged.target,
                    unit: indicator.unit(),
                });
            }
        }
    }
    // Off target before near target, then by code.
    attention.sort_by(|a, b| {
        (a.status, &a.indicator.label, &a.council).cmp(&(b.status, &b.indicator.label, &b.council))
    });
    Ok(Some(Portfolio {
        quarter,
        outputs,
        attention,
        coming_year,
        unset,
        proposals,
    }))
}
