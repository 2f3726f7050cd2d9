//! A peer review session afterwards: every agenda item with its tally, comments and what was
//! agreed, for the page and as a table to download.

use super::reviews::{agenda, opened};
use super::Db;
use crate::domain::review::Verdict;
use crate::domain::roles::User;
use crate::error::AppError;
use crate::model::reviews::{OutcomeLine, SessionOutcomes};

/// One person's verdict on an agenda item.
#[derive(sqlx::FromRow)]
struct VerdictRow {
    indicator_id: i64,
    name: String,
    verdict: Verdict,
    comment: String,
}

/// Every agenda item of a session with its tally, comments, agreed outcome and action owner,
/// for the people who may open it. Names go with comments when the facilitator shows them
/// (and always for those who manage the session).
pub async fn outcomes(db: &Db, user: &User, id: i64) -> Result<SessionOutcomes, AppError> {
    let opened = opened(db, user, id).await?;
    let named = opened.may_manage || opened.show_names;
    let verdicts: Vec<VerdictRow> = sqlx::query_as(
        "SELECT v.indicator_id, p.name, v.verdict, v.comment FROM review_verdict v
         JOIN person p ON p.id = v.person_id WHERE v.session_id = $1 ORDER BY p.name",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
    let lines = agenda(db, id)
        .await?
        .into_iter()
        .map(|item| {
            let mine: Vec<(&str, Verdict, &str)> = verdicts
                .iter()
                .filter(|v| v.indicator_id == item.indicator.id)
                .map(|v| (v.name.as_str(), v.verdict, v.comment.as_str()))
                .collect();
            OutcomeLine {
                position: item.position,
                tally: Verdict::ALL
                    .into_iter()
                    .map(|v| {
                        (
                            v,
                            mine.iter().filter(|(_, verdict, _)| *verdict == v).count(),
                        )
                    })
                    .collect(),
                comments: mine
                    .iter()
                    .filter(|(_, _, comment)| named || !comment.is_empty())
                    .map(
                        |(name, verdict, comment)| match (named, comment.is_empty()) {
                            (true, true) => format!("{name}: {}", verdict.label()),
                            (true, false) => format!("{name}: {} – {comment}", verdict.label()),
                            (false, _) => comment.to_string(),
                        },
                    )
                    .collect(),
                agreed: item.agreed,
                pending: None,
                indicator: item.indicator,
            }
        })
        .collect();
    let lines = super::review_actions::with_pending_changes(db, user, lines).await?;
    Ok(SessionOutcomes {
        session: opened.session,
        lines,
    })
}

/// The summary as a table to download.
pub fn outcomes_table(outcomes: &SessionOutcomes) -> crate::domain::table::Table {
    use crate::domain::table::{Cell, Table};
    use crate::domain::Unit;
    let mut columns: Vec<String> = vec!["Position".into(), "Indicator".into()];
    columns.extend(Verdict::ALL.iter().map(|v| v.label().to_string()));
    columns.extend([
        "Comments".into(),
        "Agreed change".into(),
        "Agreed outcome".into(),
        "Action owner".into(),
        "Change made".into(),
    ]);
    Table {
        sheet: "Peer review".into(),
        columns,
        rows: outcomes
            .lines
            .iter()
            .map(|line| {
                let mut cells = vec![
                    Cell::Number(line.position as f64, Unit::Count),
                    Cell::text(&line.indicator.label),
                ];
                cells.extend(
                    line.tally
                        .iter()
                        .map(|(_, n)| Cell::Number(*n as f64, Unit::Count)),
                );
                let agreed = line.agreed.as_ref();
                cells.extend([
                    Cell::text(line.comments.join("\n")),
                    Cell::text(
                        agreed
                            .map(|a| format!("{}{}", a.change.label(), a.value_text()))
                            .unwrap_or_default(),
                    ),
                    Cell::text(agreed.map(|a| a.outcome.clone()).unwrap_or_default()),
                    Cell::text(
                        agreed
                            .and_then(|a| a.action_owner.clone())
                            .unwrap_or_default(),
                    ),
                    Cell::text(match agreed {
                        Some(a) if a.acted_on.is_some() => "Yes",
                        Some(a) if a.change != Verdict::Adequate => "Not yet",
                        _ => "",
                    }),
                ]);
                cells
            })
            .collect(),
    }
}
