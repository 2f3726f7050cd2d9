//! Shaping the plan, by Business Improvement: its details and councils, and its themes,
//! outcomes and outputs added, renamed, re-ordered and retired. Each change is checked for
//! permission inside its write transaction and recorded in the audit trail with its reason.

use super::audit::{self, commit_with};
use super::{begin_write, Db, Tx};
use crate::domain::audit::{AuditAction, AuditContent};
use crate::domain::hexmap::{free_cell_beside, HexPosition};
use crate::domain::input::Reason;
use crate::domain::period::{Day, FinancialYear};
use crate::domain::plan::{
    CouncilDetails, Direction, Level, NewOutput, NewTheme, Part, PlanDetails,
};
use crate::domain::roles::{Action, User};
use crate::domain::Calendar;
use crate::error::AppError;
use std::collections::HashSet;

/// Writes the change's audit record and commits.
async fn record(
    tx: Tx,
    user: &User,
    action: AuditAction,
    subject: String,
    (before, after): (Option<String>, Option<String>),
    reason: &Reason,
) -> Result<(), AppError> {
    commit_with(
        tx,
        AuditContent {
            value_before: before,
            value_after: after,
            ..audit::content(user, action, subject, reason.as_str())
        },
    )
    .await
}

/// Sets the plan's title, header and year; the first time, the plan itself is made, running
/// four financial years from the one under way. The month the year starts may change only
/// while no quarter has values or returns, whose days it would move.
pub async fn set_details(
    db: &Db,
    user: &User,
    details: &PlanDetails,
    reason: &Reason,
) -> Result<(), AppError> {
    let mut tx = begin_write(db).await?;
    user.authorise(Action::ShapePlan)?;
    let before: Option<(i64, String, String, i64, String)> = sqlx::query_as(
        "SELECT id, title, header, year_starts, reporting FROM plan ORDER BY id LIMIT 1",
    )
    .fetch_optional(&mut *tx)
    .await?;
    let calendar_before = before.as_ref().map_or_else(Calendar::default, |plan| {
        super::calendar::of(plan.3, &plan.4)
    });
    let calendar = details.calendar;
    match &before {
        Some((id, ..)) => {
            if calendar.first_month() != calendar_before.first_month() {
                year_may_move(&mut tx).await?;
            }
            sqlx::query(
                "UPDATE plan SET title = $1, header = $2, year_starts = $3, reporting = $4 WHERE id = $5",
            )
            .bind(&details.title)
            .bind(&details.header)
            .bind(i64::from(calendar.first_month()))
            .bind(calendar.reporting.code())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        None => {
            let year = calendar.quarter_of(Day::today()).financial_year();
            sqlx::query(
                "INSERT INTO plan (title, header, starts_on, ends_on, year_starts, reporting)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&details.title)
            .bind(&details.header)
            .bind(calendar.first_day(year.quarters()[0]).iso())
            .bind(
                calendar
                    .last_day(FinancialYear(year.0 + 3).quarters()[3])
                    .iso(),
            )
            .bind(i64::from(calendar.first_month()))
            .bind(calendar.reporting.code())
            .execute(&mut *tx)
            .await?;
        }
    }
    let words = |title: &str, header: &str, calendar: Calendar| {
        format!(
            "{title} (header: {header}; year from {}; reports {})",
            calendar.first_month_name(),
            calendar.reporting.label().to_lowercase()
        )
    };
    record(
        tx,
        user,
        AuditAction::PlanDetailsSet,
        "the plan".into(),
        (
            before.map(|(_, title, header, ..)| words(&title, &header, calendar_before)),
            Some(words(&details.title, &details.header, calendar)),
        ),
        reason,
    )
    .await
}

/// Refuses to move the financial year's first month once a quarter has values or returns.
async fn year_may_move(tx: &mut Tx) -> Result<(), AppError> {
    let used: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM measurement UNION ALL SELECT 1 FROM return_period LIMIT 1",
    )
    .fetch_optional(&mut **tx)
    .await?;
    match used {
        Some(_) => Err(AppError::invalid(
            "year_starts",
            "The month the financial year starts cannot change once quarters have values or \
             returns: it would move the days they cover",
        )),
        None => Ok(()),
    }
}

/// The plan's id, or a message that its details come first.
async fn plan_id(tx: &mut Tx) -> Result<i64, AppError> {
    sqlx::query_scalar("SELECT id FROM plan ORDER BY id LIMIT 1")
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| AppError::invalid("title", "Give the plan its title first"))
}

/// Refuses a council whose code (from its short name) or ONS area code another council has.
async fn council_is_new(
    tx: &mut Tx,
    council: &CouncilDetails,
    except: Option<i64>,
) -> Result<(), AppError> {
    let others: Vec<(i64, String, Option<String>)> =
        sqlx::query_as("SELECT id, code, ons_code FROM organisation")
            .fetch_all(&mut **tx)
            .await?;
    for (_, code, ons_code) in others.into_iter().filter(|(id, _, _)| Some(*id) != except) {
        if code == council.code {
            return Err(AppError::invalid(
                "short_name",
                "Another council already has that short name",
            ));
        }
        if ons_code.is_some() && ons_code == council.ons_code {
            return Err(AppError::invalid(
                "ons_code",
                "Another council already has that ONS area code",
            ));
        }
    }
    Ok(())
}

/// A council's details in words, for its audit record.
fn council_words(name: &str, short_name: &str, ons_code: Option<&str>) -> String {
    format!("{name} ({short_name}, ONS {})", ons_code.unwrap_or("none"))
}

/// Adds a partner council to the plan.
pub async fn add_council(
    db: &Db,
    user: &User,
    council: &CouncilDetails,
    reason: &Reason,
) -> Result<(), AppError> {
    let mut tx = begin_write(db).await?;
    user.authorise(Action::ShapePlan)?;
    let plan = plan_id(&mut tx).await?;
    council_is_new(&mut tx, council, None).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO organisation (code, name, short_name, ons_code) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(&council.code)
    .bind(&council.name)
    .bind(&council.short_name)
    .bind(&council.ons_code)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("INSERT INTO plan_organisation (plan_id, organisation_id) VALUES ($1, $2)")
        .bind(plan)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    record(
        tx,
        user,
        AuditAction::CouncilAdded,
        format!("council {}", council.name),
        (
            None,
            Some(council_words(
                &council.name,
                &council.short_name,
                council.ons_code.as_deref(),
            )),
        ),
        reason,
    )
    .await
}

/// Renames a partner council (its values and targets stay its own).
pub async fn change_council(
    db: &Db,
    user: &User,
    id: i64,
    council: &CouncilDetails,
    reason: &Reason,
) -> Result<(), AppError> {
    let mut tx = begin_write(db).await?;
    user.authorise(Action::ShapePlan)?;
    let before: Option<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT o.name, o.short_name, o.ons_code FROM organisation o
         JOIN plan_organisation po ON po.organisation_id = o.id WHERE o.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let (name, short_name, ons_code) = before.ok_or_else(|| AppError::not_found("That council"))?;
    council_is_new(&mut tx, council, Some(id)).await?;
    sqlx::query(
        "UPDATE organisation SET code = $1, name = $2, short_name = $3, ons_code = $4 WHERE id = $5",
    )
    .bind(&council.code)
    .bind(&council.name)
    .bind(&council.short_name)
    .bind(&council.ons_code)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    record(
        tx,
        user,
        AuditAction::CouncilChanged,
        format!("council {}", council.name),
        (
            Some(council_words(&name, &short_name, ons_code.as_deref())),
            Some(council_words(
                &council.name,
                &council.short_name,
                council.ons_code.as_deref(),
            )),
        ),
        reason,
    )
    .await
}

/// The next position at the end of a list.
async fn next_position(tx: &mut Tx, sql: &str, parent: i64) -> Result<i64, AppError> {
    let last: Option<i64> = sqlx::query_scalar(sql)
        .bind(parent)
        .fetch_one(&mut **tx)
        .await?;
    Ok(last.unwrap_or(0) + 1)
}

/// A theme, outcome or output still in the plan: its title, or not found.
async fn title_of(tx: &mut Tx, part: Part) -> Result<String, AppError> {
    let sql = format!(
        "SELECT title FROM {} WHERE id = $1 AND retired_on IS NULL",
        part.level.table()
    );
    sqlx::query_scalar(&sql)
        .bind(part.id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| AppError::invalid("part", "That is not in the plan, or has been retired"))
}

fn subject(level: Level, title: &str) -> String {
    format!("{} {title}", level.code())
}

/// Adds a theme at the end of the plan, directed by `director` (an Assistant Director).
pub async fn add_theme(
    db: &Db,
    user: &User,
    theme: &NewTheme,
    director: Option<i64>,
    reason: &Reason,
) -> Result<(), AppError> {
    let mut tx = begin_write(db).await?;
    user.authorise(Action::ShapePlan)?;
    let plan = plan_id(&mut tx).await?;
    let director_name: Option<String> = match director {
        None => None,
        Some(director) => Some(
            sqlx::query_scalar(
                "SELECT p.name FROM person p JOIN role_grant g ON g.person_id = p.id
                 WHERE p.id = $1 AND g.role = 'assistant_director'",
            )
            .bind(director)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| {
                AppError::invalid("director", "Choose an Assistant Director from the list")
            })?,
        ),
    };
    let position = next_position(
        &mut tx,
        "SELECT MAX(position) FROM theme WHERE plan_id = $1",
        plan,
    )
    .await?;
    sqlx::query(
        "INSERT INTO theme (plan_id, position, title, scope_note, assistant_director_id) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(plan)
    .bind(position)
    .bind(&theme.title)
    .bind(&theme.scope_note)
    .bind(director)
    .execute(&mut *tx)
    .await?;
    let subject = subject(Level::Theme, &theme.title);
    let details = format!(
        "scope: {}; Assistant Director: {}",
        theme.scope_note.as_deref().unwrap_or("all"),
        director_name.as_deref().unwrap_or("none yet")
    );
    record(
        tx,
        user,
        AuditAction::PartAdded,
        subject,
        (None, Some(details)),
        reason,
    )
    .await
}

/// Adds an outcome at the end of its theme.
pub async fn add_outcome(
    db: &Db,
    user: &User,
    theme: i64,
    title: &str,
    reason: &Reason,
) -> Result<(), AppError> {
    let mut tx = begin_write(db).await?;
    user.authorise(Action::ShapePlan)?;
    let theme_title = title_of(
        &mut tx,
        Part {
            level: Level::Theme,
            id: theme,
        },
    )
    .await
    .map_err(|_| AppError::invalid("theme", "Choose a theme from the list"))?;
    let position = next_position(
        &mut tx,
        "SELECT MAX(position) FROM outcome WHERE theme_id = $1",
        theme,
    )
    .await?;
    sqlx::query("INSERT INTO outcome (theme_id, position, title) VALUES ($1, $2, $3)")
        .bind(theme)
        .bind(position)
        .bind(title)
        .execute(&mut *tx)
        .await?;
    let subject = subject(Level::Outcome, title);
    let under = Some(format!("under theme {theme_title}"));
    record(
        tx,
        user,
        AuditAction::PartAdded,
        subject,
        (None, under),
        reason,
    )
    .await
}

/// Adds an output (a hexagon) to an outcome, on a free cell beside its outcome's others.
pub async fn add_output(
    db: &Db,
    user: &User,
    outcome: i64,
    output: &NewOutput,
    reason: &Reason,
) -> Result<HexPosition, AppError> {
    let mut tx = begin_write(db).await?;
    user.authorise(Action::ShapePlan)?;
    title_of(
        &mut tx,
        Part {
            level: Level::Outcome,
            id: outcome,
        },
    )
    .await
    .map_err(|_| AppError::invalid("outcome", "Choose an outcome from the list"))?;
    let taken_code: Option<i64> = sqlx::query_scalar("SELECT id FROM output WHERE code = $1")
        .bind(&output.code)
        .fetch_optional(&mut *tx)
        .await?;
    if taken_code.is_some() {
        return Err(AppError::invalid(
            "code",
            format!("Another output already has the code {}", output.code),
        ));
    }
    let cells: Vec<(i64, i32, i32)> =
        sqlx::query_as("SELECT outcome_id, hex_q, hex_r FROM output WHERE retired_on IS NULL")
            .fetch_all(&mut *tx)
            .await?;
    let taken: HashSet<HexPosition> = cells
        .iter()
        .map(|&(_, q, r)| HexPosition { q, r })
        .collect();
    let siblings: Vec<HexPosition> = cells
        .iter()
        .filter(|(of, _, _)| *of == outcome)
        .map(|&(_, q, r)| HexPosition { q, r })
        .collect();
    let cell = free_cell_beside(&siblings, &taken);
    sqlx::query(
        "INSERT INTO output (outcome_id, code, title, short_title, hex_q, hex_r) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(outcome)
    .bind(&output.code)
    .bind(&output.title)
    .bind(&output.short_title)
    .bind(cell.q)
    .bind(cell.r)
    .execute(&mut *tx)
    .await?;
    let subject = format!("output {} {}", output.code, output.title);
    let at = Some(format!("cell {}, {}", cell.q, cell.r));
    record(
        tx,
        user,
        AuditAction::PartAdded,
        subject,
        (None, at),
        reason,
    )
    .await?;
    Ok(cell)
}

/// Renames a theme, outcome or output.
pub async fn rename(
    db: &Db,
    user: &User,
    part: Part,
    title: &str,
    reason: &Reason,
) -> Result<(), AppError> {
    let mut tx = begin_write(db).await?;
    user.authorise(Action::ShapePlan)?;
    let before = title_of(&mut tx, part).await?;
    sqlx::query(&format!(
        "UPDATE {} SET title = $1 WHERE id = $2",
        part.level.table()
    ))
    .bind(title)
    .bind(part.id)
    .execute(&mut *tx)
    .await?;
    let subject = subject(part.level, title);
    let change = (Some(before), Some(title.to_string()));
    record(tx, user, AuditAction::PartRenamed, subject, change, reason).await
}

/// Moves a theme (within the plan) or an outcome (within its theme) one place up or down.
pub async fn reorder(
    db: &Db,
    user: &User,
    part: Part,
    direction: Direction,
    reason: &Reason,
) -> Result<(), AppError> {
    let mut tx = begin_write(db).await?;
    user.authorise(Action::ShapePlan)?;
    let parent =
        match part.level {
            Level::Theme => "plan_id",
            Level::Outcome => "theme_id",
            Level::Output => return Err(AppError::invalid(
                "part",
                "Outputs are placed on the map's layout, not in a list: choose a theme or outcome",
            )),
        };
    let title = title_of(&mut tx, part).await?;
    let table = part.level.table();
    let siblings: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT id, position FROM {table} WHERE retired_on IS NULL
           AND {parent} = (SELECT {parent} FROM {table} WHERE id = $1)
         ORDER BY position, id"
    ))
    .bind(part.id)
    .fetch_all(&mut *tx)
    .await?;
    let at = siblings
        .iter()
        .position(|(id, _)| *id == part.id)
        .ok_or(AppError::Internal)?;
    let other = match direction {
        Direction::Up => at.checked_sub(1),
        Direction::Down => Some(at + 1).filter(|next| *next < siblings.len()),
    }
    .ok_or_else(|| {
        AppError::invalid(
            "direction",
            format!(
                "{title} is already {}",
                if direction == Direction::Up {
                    "first"
                } else {
                    "last"
                }
            ),
        )
    })?;
    // Number the list afresh with the two swapped, so equal positions cannot stick.
    let mut order: Vec<i64> = siblings.iter().map(|(id, _)| *id).collect();
    order.swap(at, other);
    for (position, id) in order.iter().enumerate() {
        sqlx::query(&format!("UPDATE {table} SET position = $1 WHERE id = $2"))
            .bind(position as i64 + 1)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    let subject = subject(part.level, &title);
    let change = (
        Some(format!("place {}", at + 1)),
        Some(format!("place {}", other + 1)),
    );
    record(tx, user, AuditAction::PartMoved, subject, change, reason).await
}

/// Retires a theme, outcome or output from the plan. Refused, changing nothing, while it
/// still holds something that must move or be retired first: a theme's outcomes, an
/// outcome's outputs, an output's indicators (proposed or active). A retired output leaves
/// the portfolios that held it.
pub async fn retire(db: &Db, user: &User, part: Part, reason: &Reason) -> Result<(), AppError> {
    let mut tx = begin_write(db).await?;
    user.authorise(Action::ShapePlan)?;
    let title = title_of(&mut tx, part).await?;
    let (holds, what) = match part.level {
        Level::Theme => (
            "SELECT title FROM outcome WHERE theme_id = $1 AND retired_on IS NULL ORDER BY position",
            "retire or move its outcomes first",
        ),
        Level::Outcome => (
            "SELECT code || ' ' || title FROM output WHERE outcome_id = $1 AND retired_on IS NULL ORDER BY code",
            "retire its outputs first",
        ),
        Level::Output => (
            "SELECT i.code FROM indicator_output io JOIN indicator i ON i.id = io.indicator_id
             WHERE io.output_id = $1 AND i.lifecycle <> 'deleted' ORDER BY i.code",
            "link these indicators to another output, or delete them, first",
        ),
    };
    let held: Vec<String> = sqlx::query_scalar(holds)
        .bind(part.id)
        .fetch_all(&mut *tx)
        .await?;
    if !held.is_empty() {
        return Err(AppError::invalid(
            "part",
            format!("{title} still holds {}: {what}", held.join(", ")),
        ));
    }
    let holders: Vec<String> = if part.level == Level::Output {
        let names = sqlx::query_scalar(
            "SELECT p.name FROM portfolio_holder ph JOIN person p ON p.id = ph.person_id
             WHERE ph.output_id = $1 ORDER BY p.name",
        )
        .bind(part.id)
        .fetch_all(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM portfolio_holder WHERE output_id = $1")
            .bind(part.id)
            .execute(&mut *tx)
            .await?;
        names
    } else {
        Vec::new()
    };
    let today = Day::today();
    sqlx::query(&format!(
        "UPDATE {} SET retired_on = $1 WHERE id = $2",
        part.level.table()
    ))
    .bind(today.iso())
    .bind(part.id)
    .execute(&mut *tx)
    .await?;
    if part.level == Level::Output {
        park(&mut tx, part.id).await?;
    }
    let before = (!holders.is_empty()).then(|| format!("held by {}", holders.join(", ")));
    let subject = subject(part.level, &title);
    let change = (before, Some(format!("retired on {today}")));
    record(tx, user, AuditAction::PartRetired, subject, change, reason).await
}

/// Moves an output off the map to a cell of its own far to the left, so a retired output or
/// one about to be placed again never holds a cell another output wants.
pub(super) async fn park(tx: &mut Tx, output: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE output SET hex_q = $1, hex_r = 0 WHERE id = $2")
        .bind(-1_000_000 - output)
        .bind(output)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The output that holds `cell` in the plan, if any: its code and title.
async fn holder_of(tx: &mut Tx, cell: HexPosition) -> Result<Option<(i64, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, code || ' ' || title FROM output WHERE hex_q = $1 AND hex_r = $2 AND retired_on IS NULL",
    )
    .bind(cell.q)
    .bind(cell.r)
    .fetch_optional(&mut **tx)
    .await?)
}

/// The codes of the outputs in the plan, for reading an uploaded layout against.
pub async fn output_codes(db: &Db) -> Result<Vec<String>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT code FROM output WHERE retired_on IS NULL ORDER BY code")
            .fetch_all(db)
            .await?,
    )
}

/// Moves one output's hexagon to `cell`, when no other output holds it.
pub async fn place(
    db: &Db,
    user: &User,
    output: i64,
    cell: HexPosition,
    reason: &Reason,
) -> Result<(), AppError> {
    let mut tx = begin_write(db).await?;
    user.authorise(Action::ShapePlan)?;
    let found: Option<(String, i32, i32)> = sqlx::query_as(
        "SELECT code || ' ' || title, hex_q, hex_r FROM output WHERE id = $1 AND retired_on IS NULL",
    )
    .bind(output)
    .fetch_optional(&mut *tx)
    .await?;
    let (name, q, r) =
        found.ok_or_else(|| AppError::invalid("output", "Choose an output from the list"))?;
    if let Some((other, other_name)) = holder_of(&mut tx, cell).await? {
        if other != output {
            return Err(AppError::invalid(
                "cell",
                format!(
                    "{other_name} is already at {}, {}: choose a free cell",
                    cell.q, cell.r
                ),
            ));
        }
    }
    sqlx::query("UPDATE output SET hex_q = $1, hex_r = $2 WHERE id = $3")
        .bind(cell.q)
        .bind(cell.r)
        .bind(output)
        .execute(&mut *tx)
        .await?;
    let change = (
        Some(format!("cell {q}, {r}")),
        Some(format!("cell {}, {}", cell.q, cell.r)),
    );
    record(
        tx,
        user,
        AuditAction::PartMoved,
        format!("output {name}"),
        change,
        reason,
    )
    .await
}

/// Places every output as an uploaded layout says (already read and checked against the
/// plan's outputs by `hexmap::read_layout`), in one transaction with one audit record.
pub async fn lay_out(
    db: &Db,
    user: &User,
    cells: &std::collections::BTreeMap<String, HexPosition>,
    reason: &Reason,
) -> Result<usize, AppError> {
    let mut tx = begin_write(db).await?;
    user.authorise(Action::ShapePlan)?;
    let outputs: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, code FROM output WHERE retired_on IS NULL")
            .fetch_all(&mut *tx)
            .await?;
    if outputs.len() != cells.len() || outputs.iter().any(|(_, code)| !cells.contains_key(code)) {
        return Err(AppError::Conflict {
            message:
                "The plan's outputs changed while the layout was read: download the layout again"
                    .into(),
        });
    }
    // Off the map first, so two outputs can change places.
    for (id, _) in &outputs {
        park(&mut tx, *id).await?;
    }
    for (id, code) in &outputs {
        let cell = cells[code];
        sqlx::query("UPDATE output SET hex_q = $1, hex_r = $2 WHERE id = $3")
            .bind(cell.q)
            .bind(cell.r)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    let placed = outputs.len();
    let change = (None, Some(format!("{placed} outputs placed")));
    record(
        tx,
        user,
        AuditAction::PartMoved,
        "the map's layout".into(),
        change,
        reason,
    )
    .await?;
    Ok(placed)
}

/// Whether the plan still lacks what a first map needs (a title, a council, a theme):
/// Business Improvement is taken to set it up when they sign in, and its page says how.
pub async fn unfinished(db: &Db) -> Result<bool, sqlx::Error> {
    let (titled, councils, themes): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM plan WHERE title <> ''),
                (SELECT COUNT(*) FROM plan_organisation),
                (SELECT COUNT(*) FROM theme WHERE retired_on IS NULL)",
    )
    .fetch_one(db)
    .await?;
    Ok(titled == 0 || councils == 0 || themes == 0)
}

/// Whether the plan is still empty: no council, theme or indicator. Only an empty plan is
/// set up from a workbook.
pub async fn plan_is_empty<'c, E>(db: E) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let (councils, themes, indicators): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM plan_organisation), (SELECT COUNT(*) FROM theme),
                (SELECT COUNT(*) FROM indicator)",
    )
    .fetch_one(db)
    .await?;
    Ok(councils + themes + indicators == 0)
}

/// The plan as the page that shapes it shows it: Business Improvement only.
pub async fn page(db: &Db, user: &User) -> Result<crate::model::plan::PlanShape, AppError> {
    user.authorise(Action::ShapePlan)?;
    let identity = super::plan::identity(db).await?;
    let view = super::plan::view(db, None, None).await?;
    let directors = sqlx::query_as::<_, (i64, String)>(
        "SELECT p.id, p.name FROM person p JOIN role_grant g ON g.person_id = p.id
         WHERE g.role = 'assistant_director' ORDER BY p.name",
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|(id, label)| crate::model::Choice { id, label })
    .collect();
    Ok(crate::model::plan::PlanShape {
        identity,
        map: super::map::load(db, view).await?,
        directors,
        empty: plan_is_empty(db).await?,
        unfinished: unfinished(db).await?,
    })
}
