//! Quarterly returns in the database: the quarters open for returns, each data owner's
//! indicators with their values, entering values (from a form or a spreadsheet) with their
//! audit records, and completeness.
//!
//! A form's single value and a spreadsheet's thousand go through the same two steps: `check`
//! reads every row and lists every problem; `write` saves them all in one transaction, each
//! with its audit record, or nothing.

use super::readings::{self, Scope};
use super::{audit, Db};
use crate::domain::audit::{AuditAction, AuditContent};
use crate::domain::input::Reason;
use crate::domain::period::Day;
use crate::domain::plausibility::{self, Doubt};
use crate::domain::reading::reading;
use crate::domain::returns::{self as rules, PeriodChange, Problem, ReturnState, SheetRow};
use crate::domain::roles::Action;
use crate::domain::{format, Council, CouncilFilter, Quarter, Unit};
use crate::error::{AppError, Refusal};
use crate::model::returns::{
    Completeness, ImportOutcome, OwnerReturns, ReturnLine, ReturnPeriod, ReturnSlot, Returns, Tally,
};
use crate::model::Choice;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The most values one import may hold, one a row below the heading row; a larger file, or
/// a wider one, is refused before any more of it is read.
pub const MAX_IMPORT_ROWS: usize = 20_000;

/// How much of an uploaded sheet is read: the heading row and `MAX_IMPORT_ROWS` below it.
pub const IMPORT_LIMITS: crate::spreadsheets::Limits = crate::spreadsheets::Limits {
    rows: MAX_IMPORT_ROWS + 1,
    columns: crate::spreadsheets::MAX_COLUMNS,
};

/// Every quarter ever opened for returns, newest first.
pub async fn periods(db: &Db) -> Result<Vec<ReturnPeriod>, sqlx::Error> {
    let rows: Vec<(i32, i64, Day, Option<String>)> = sqlx::query_as(
        "SELECT financial_year, quarter, deadline, closed_at FROM return_period
         ORDER BY financial_year DESC, quarter DESC",
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(year, q, deadline, closed_at)| {
            Some(ReturnPeriod {
                quarter: readings::quarter_of(year, q)?,
                deadline,
                closed: closed_at.is_some(),
            })
        })
        .collect())
}

/// The quarter to show: the one asked for if it was ever opened, else the newest open one,
/// else the newest.
fn chosen(periods: &[ReturnPeriod], asked: Option<Quarter>) -> Option<ReturnPeriod> {
    asked
        .and_then(|q| periods.iter().find(|p| p.quarter == q))
        .or_else(|| periods.iter().find(|p| !p.closed))
        .or_else(|| periods.first())
        .cloned()
}

/// The active indicators due in `quarter` (of one data owner, or all), with their values,
/// the previous quarter's and the targets, in code order.
async fn lines(
    db: &Db,
    quarter: Quarter,
    owner: Option<i64>,
) -> Result<Vec<ReturnLine>, sqlx::Error> {
    let indicators = readings::active_indicators(db, owner).await?;
    let now = readings::measurements(db, Scope::Period(quarter)).await?;
    let before =
        readings::series(&readings::measurements(db, Scope::Period(quarter.previous())).await?);
    let targets = readings::targets(db, Scope::Period(quarter)).await?;
    let councils = super::plan::councils(db).await?;
    let commentary: HashMap<readings::Key, &str> = now
        .iter()
        .map(|m| ((m.indicator_id, m.organisation_id), m.commentary.as_str()))
        .collect();
    let values = readings::series(&now);
    Ok(indicators
        .into_iter()
        .filter(|i| rules::due_in(&i.frequency, quarter))
        .map(|i| {
            let rules = i.rules();
            let slots = councils
                .slots(i.joint, &CouncilFilter::All)
                .into_iter()
                .map(|council| {
                    let key = readings::key(i.id, &council);
                    let series = values.get(&key).cloned().unwrap_or_default();
                    let judged = reading(
                        &series,
                        &targets.get(&key).cloned().unwrap_or_default(),
                        quarter,
                        rules,
                    );
                    ReturnSlot {
                        council,
                        previous: before
                            .get(&key)
                            .and_then(|s| s.get(&quarter.previous()).copied()),
                        value: judged.value,
                        commentary: commentary
                            .get(&key)
                            .map(|c| c.to_string())
                            .unwrap_or_default(),
                        target: judged.target,
                        status: judged.status,
                    }
                })
                .collect();
            ReturnLine {
                indicator_id: i.id,
                unit: i.unit(),
                code: i.code,
                title: i.title,
                theme: i.theme.unwrap_or_else(|| "No theme".into()),
                owner: i
                    .owner_id
                    .zip(i.owner)
                    .map(|(id, label)| Choice { id, label }),
                slots,
            }
        })
        .collect())
}

/// "My returns" for `user`, or for `owner` when Business Improvement looks on their behalf.
pub async fn returns(
    db: &Db,
    user: &crate::domain::roles::User,
    owner: Option<i64>,
    asked: Option<Quarter>,
) -> Result<Returns, AppError> {
    let owner_id = owner.unwrap_or(user.person_id);
    if owner_id != user.person_id && !user.may(Action::OverseeReporting) {
        return Err(AppError::Forbidden);
    }
    let name: Option<String> = sqlx::query_scalar("SELECT name FROM person WHERE id = $1")
        .bind(owner_id)
        .fetch_optional(db)
        .await?;
    let name = name.ok_or_else(|| AppError::not_found("That data owner"))?;
    let periods = periods(db).await?;
    let period = chosen(&periods, asked);
    let lines = match &period {
        Some(period) => lines(db, period.quarter, Some(owner_id)).await?,
        None => Vec::new(),
    };
    Ok(Returns {
        open: periods
            .iter()
            .filter(|p| !p.closed && Some(p.quarter) != period.as_ref().map(|p| p.quarter))
            .cloned()
            .collect(),
        period,
        owner: Choice {
            id: owner_id,
            label: name,
        },
        lines,
    })
}

/// Completeness of a quarter's returns, per theme and per data owner.
/// How complete a quarter's returns are, for those who oversee reporting.
pub async fn completeness(
    db: &Db,
    user: &crate::domain::roles::User,
    asked: Option<Quarter>,
) -> Result<Completeness, AppError> {
    user.authorise(Action::OverseeReporting)?;
    let periods = periods(db).await?;
    let calendar = super::calendar::read(db).await?;
    let Some(period) = chosen(&periods, asked) else {
        // A new plan: nothing opened yet, and the quarter just ended to open first.
        let first = calendar.quarter_of(Day::today()).previous();
        let none = || Tally {
            label: "All indicators".into(),
            entered: 0,
            due: 0,
        };
        return Ok(Completeness {
            period: None,
            periods,
            overall: none(),
            themes: Vec::new(),
            owners: Vec::new(),
            next: (first, rules::usual_deadline(calendar, first)),
            can_email: false,
        });
    };
    let lines = lines(db, period.quarter, None).await?;
    let today = Day::today();
    let tally = |label: String, lines: &[&ReturnLine]| Tally {
        label,
        entered: lines.iter().filter(|l| l.complete()).count(),
        due: lines.len(),
    };
    // Themes in the plan's order; indicators without one last.
    let order: Vec<String> = sqlx::query_scalar("SELECT title FROM theme ORDER BY position")
        .fetch_all(db)
        .await?;
    let position = |theme: &str| order.iter().position(|t| t == theme).unwrap_or(order.len());
    let mut themes: BTreeMap<(usize, String), Vec<&ReturnLine>> = BTreeMap::new();
    let mut owners: BTreeMap<(String, i64), Vec<&ReturnLine>> = BTreeMap::new();
    for line in &lines {
        themes
            .entry((position(&line.theme), line.theme.clone()))
            .or_default()
            .push(line);
        let owner = line
            .owner
            .clone()
            .map_or((String::from("No data owner"), 0), |o| (o.label, o.id));
        owners.entry(owner).or_default().push(line);
    }
    let emails: HashMap<i64, String> = sqlx::query_as("SELECT id, email FROM person")
        .fetch_all(db)
        .await?
        .into_iter()
        .collect();
    // Those to chase first: the latest, then those with the most missing, then by name.
    let mut owners: Vec<OwnerReturns> = owners
        .into_iter()
        .map(|((label, id), lines)| {
            let tally = tally(label.clone(), &lines);
            OwnerReturns {
                state: ReturnState::of(tally.entered == tally.due, today, period.deadline),
                owner: Choice { id, label },
                email: emails.get(&id).cloned().unwrap_or_default(),
                missing: lines
                    .iter()
                    .filter(|l| !l.complete())
                    .map(|l| {
                        (
                            Choice {
                                id: l.indicator_id,
                                label: format!("{} {}", l.code, l.title),
                            },
                            l.missing(),
                        )
                    })
                    .collect(),
                tally,
            }
        })
        .collect();
    owners.sort_by_key(|o| {
        (
            std::cmp::Reverse(o.state.urgency()),
            std::cmp::Reverse(o.tally.due.saturating_sub(o.tally.entered)),
            o.owner.label.clone(),
        )
    });
    let newest = periods.first().map(|p| p.quarter).unwrap_or(period.quarter);
    Ok(Completeness {
        overall: tally("All indicators".into(), &lines.iter().collect::<Vec<_>>()),
        themes: themes
            .into_iter()
            .map(|((_, label), lines)| tally(label, &lines))
            .collect(),
        owners,
        next: (
            newest.next(),
            rules::usual_deadline(calendar, newest.next()),
        ),
        can_email: false,
        periods,
        period: Some(period),
    })
}

/// Opens a quarter for returns, closes it or reopens it: Business Improvement only, recorded.
pub async fn set_period(
    db: &Db,
    user: &crate::domain::roles::User,
    quarter: Quarter,
    change: PeriodChange,
    reason: &Reason,
) -> Result<(), AppError> {
    user.authorise(Action::OverseeReporting)?;
    let now = super::accounts::timestamp(time::OffsetDateTime::now_utc());
    let mut tx = super::begin_write(db).await?;
    let closed: Option<Option<String>> = sqlx::query_scalar(
        "SELECT closed_at FROM return_period WHERE financial_year = $1 AND quarter = $2",
    )
    .bind(quarter.year)
    .bind(i64::from(quarter.q))
    .fetch_optional(&mut *tx)
    .await?;
    let refused = |message: String| Err(AppError::invalid("period", message));
    let (action, after) = match (change, closed) {
        (PeriodChange::Open { deadline }, None) => {
            sqlx::query(
                "INSERT INTO return_period (financial_year, quarter, deadline) VALUES ($1, $2, $3)",
            )
            .bind(quarter.year)
            .bind(i64::from(quarter.q))
            .bind(deadline)
            .execute(&mut *tx)
            .await?;
            (AuditAction::QuarterOpened, format!("open, due {deadline}"))
        }
        (PeriodChange::Open { .. }, Some(_)) => {
            return refused(format!("{quarter} has already been opened for returns"))
        }
        (PeriodChange::Close, Some(None)) | (PeriodChange::Reopen, Some(Some(_))) => {
            let closing = change == PeriodChange::Close;
            sqlx::query("UPDATE return_period SET closed_at = $1, closed_by_id = $2 WHERE financial_year = $3 AND quarter = $4")
                .bind(closing.then_some(&now))
                .bind(closing.then_some(user.person_id))
                .bind(quarter.year)
                .bind(i64::from(quarter.q))
                .execute(&mut *tx)
                .await?;
            if closing {
                (AuditAction::QuarterClosed, "closed".to_string())
            } else {
                (AuditAction::QuarterReopened, "open".to_string())
            }
        }
        (PeriodChange::Close, Some(Some(_))) => {
            return refused(format!("{quarter} is already closed"))
        }
        (PeriodChange::Reopen, Some(None)) => return refused(format!("{quarter} is already open")),
        (_, None) => return refused(format!("{quarter} has not been opened for returns")),
    };
    audit::commit_with(
        tx,
        AuditContent {
            value_after: Some(after),
            ..audit::content(
                user,
                action,
                format!("returns for {quarter}"),
                reason.as_str(),
            )
        },
    )
    .await
}

/// A value ready to write: checked, with everything the write and its record need.
#[derive(Clone, Debug)]
struct Entry {
    /// The row of the file (1 for a form).
    row: usize,
    indicator_id: i64,
    code: String,
    unit: Unit,
    council: Council,
    quarter: Quarter,
    value: f64,
    commentary: String,
    /// Far from the indicator's recent figures and not confirmed: asked before it is written.
    doubt: Option<Doubt>,
}

/// Rows checked: the entries ready to write, and a problem for each row that is not.
struct Checked {
    entries: Vec<Entry>,
    problems: Vec<Problem>,
}

/// Checks every row, listing every problem (one a row).
async fn check(
    db: &Db,
    user: &crate::domain::roles::User,
    rows: &[SheetRow],
) -> Result<Checked, sqlx::Error> {
    let known: HashMap<String, readings::ActiveIndicator> = readings::active_indicators(db, None)
        .await?
        .into_iter()
        .map(|i| (i.code.to_uppercase(), i))
        .collect();
    let open: HashSet<Quarter> = periods(db)
        .await?
        .into_iter()
        .filter(|p| !p.closed)
        .map(|p| p.quarter)
        .collect();
    let mut targets = HashMap::new();
    for quarter in &open {
        targets.insert(
            *quarter,
            readings::targets(db, Scope::Period(*quarter)).await?,
        );
    }
    // The history of the indicators the rows name, for the second look.
    let named: BTreeSet<i64> = rows
        .iter()
        .filter_map(|row| known.get(&row.indicator.trim().to_uppercase()))
        .map(|indicator| indicator.id)
        .collect();
    let mut history = HashMap::new();
    for id in named {
        history.extend(readings::series(
            &readings::measurements(db, Scope::Indicator(id)).await?,
        ));
    }
    let mut problems = Vec::new();
    let mut entries = Vec::new();
    let councils = super::plan::councils(db).await?;
    let mut seen: HashMap<(i64, Council, Quarter), usize> = HashMap::new();
    for row in rows {
        let problem = |column: &str, message: String| Problem::new(row.row, column, message);
        let Some(indicator) = known.get(&row.indicator.trim().to_uppercase()) else {
            problems.push(problem(
                "Indicator",
                if row.indicator.is_empty() {
                    "Enter the indicator's code, like WE01".into()
                } else {
                    format!(
                        "There is no active indicator with the code {}",
                        format::quoted(&row.indicator)
                    )
                },
            ));
            continue;
        };
        if !user.may(Action::EnterValues {
            owner: indicator.owner_id,
        }) {
            problems.push(problem(
                "Indicator",
                format!("{} is not your indicator: only its data owner or Business Improvement may enter its values", row.indicator.to_uppercase()),
            ));
            continue;
        }
        let Some(council) = councils.recognise(&row.council) else {
            problems.push(problem(
                "Council",
                format!(
                    "Write the council as {}, not {}",
                    councils.spellings(true),
                    format::quoted(&row.council)
                ),
            ));
            continue;
        };
        if indicator.joint != council.is_joint() {
            problems.push(problem(
                "Council",
                if indicator.joint {
                    format!(
                        "{} has one joint value for every council: write Joint",
                        row.indicator.to_uppercase()
                    )
                } else {
                    format!(
                        "{} has a value for each council: write {}",
                        row.indicator.to_uppercase(),
                        councils.spellings(false)
                    )
                },
            ));
            continue;
        }
        let Some(quarter) = rules::period(&row.period) else {
            problems.push(problem(
                "Period",
                format!(
                    "Write the period like 2017/18 Q3, not {}",
                    format::quoted(&row.period)
                ),
            ));
            continue;
        };
        if !open.contains(&quarter) {
            problems.push(problem(
                "Period",
                format!("{quarter} is not open for returns"),
            ));
            continue;
        }
        if !rules::due_in(&indicator.frequency, quarter) {
            problems.push(problem(
                "Period",
                format!(
                    "{} is not reported in {quarter}",
                    row.indicator.to_uppercase()
                ),
            ));
            continue;
        }
        let value = match rules::value(&row.value, indicator.unit()) {
            Ok(value) => value,
            Err(invalid) => {
                problems.push(problem("Value", invalid.message));
                continue;
            }
        };
        let key = readings::key(indicator.id, &council);
        let series = BTreeMap::from([(quarter, value)]);
        let judged = reading(
            &series,
            &targets
                .get(&quarter)
                .and_then(|t| t.get(&key))
                .cloned()
                .unwrap_or_default(),
            quarter,
            indicator.rules(),
        );
        let status = judged.status;
        // A value already saved as it is was looked at when it was saved.
        let stored = history.get(&key);
        let doubt = (!row.confirmed && stored.and_then(|s| s.get(&quarter)) != Some(&value))
            .then(|| {
                let recent = stored
                    .map(|series| plausibility::recent_values(series, quarter))
                    .unwrap_or_default();
                plausibility::doubt(value, &recent, judged.target)
            })
            .flatten();
        let commentary = match rules::commentary(&row.commentary, status) {
            Ok(commentary) => commentary,
            Err(invalid) => {
                problems.push(problem("Commentary", invalid.message));
                continue;
            }
        };
        if let Some(first) = seen.insert((indicator.id, council.clone(), quarter), row.row) {
            problems.push(problem(
                "Indicator",
                format!(
                    "This repeats row {first}: {}, {}, {quarter} appears twice",
                    row.indicator.to_uppercase(),
                    council.name()
                ),
            ));
            continue;
        }
        entries.push(Entry {
            row: row.row,
            doubt,
            indicator_id: indicator.id,
            code: row.indicator.to_uppercase(),
            unit: indicator.unit(),
            council,
            quarter,
            value,
            commentary,
        });
    }
    Ok(Checked { entries, problems })
}

/// Writes the entries in one transaction, each changed value with its audit record; values
/// already as entered are left alone, so writing the same entries twice changes nothing the
/// second time. Returns the entries that changed a value.
async fn write<'a>(
    db: &Db,
    user: &crate::domain::roles::User,
    entries: &'a [Entry],
    reason: &str,
) -> Result<Vec<&'a Entry>, AppError> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let now = super::accounts::timestamp(time::OffsetDateTime::now_utc());
    let mut tx = super::begin_write(db).await?;
    let open: HashSet<(i32, i64)> =
        sqlx::query_as("SELECT financial_year, quarter FROM return_period WHERE closed_at IS NULL")
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .collect();
    // Who owns each indicator, read again within the transaction: an owner changed since the
    // rows were checked refuses the write.
    let ids: BTreeSet<i64> = entries.iter().map(|e| e.indicator_id).collect();
    let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
    let owners: HashMap<i64, Option<i64>> = sqlx::query_as(&format!(
        "SELECT id, data_owner_id FROM indicator WHERE id IN ({})",
        ids.join(", ")
    ))
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .collect();
    let mut written = Vec::new();
    for entry in entries {
        let owner = owners.get(&entry.indicator_id).copied().flatten();
        user.authorise(Action::EnterValues { owner })?;
        if !open.contains(&(entry.quarter.year, i64::from(entry.quarter.q))) {
            return Err(AppError::invalid(
                "period",
                format!("{} was closed for returns a moment ago", entry.quarter),
            ));
        }
        let organisation = entry.council.id();
        if write_one(&mut tx, user, entry, organisation, &now, reason).await? {
            written.push(entry);
        }
    }
    tx.commit().await.map_err(super::busy_is_conflict)?;
    Ok(written)
}

/// Writes one value and its record unless it is already as entered; whether it changed.
async fn write_one(
    tx: &mut crate::store::Tx,
    user: &crate::domain::roles::User,
    entry: &Entry,
    organisation: Option<i64>,
    now: &str,
    reason: &str,
) -> Result<bool, sqlx::Error> {
    let existing: Option<(i64, f64, String)> = sqlx::query_as(
        "SELECT id, value, commentary FROM measurement
         WHERE indicator_id = $1 AND COALESCE(organisation_id, 0) = COALESCE($2, 0) AND financial_year = $3 AND quarter = $4",
    )
    .bind(entry.indicator_id)
    .bind(organisation)
    .bind(entry.quarter.year)
    .bind(i64::from(entry.quarter.q))
    .fetch_optional(&mut **tx)
    .await?;
    let before = match &existing {
        Some((_, value, commentary))
            if *value == entry.value && *commentary == entry.commentary =>
        {
            return Ok(false)
        }
        Some((id, value, _)) => {
            sqlx::query("UPDATE measurement SET value = $1, commentary = $2, entered_by_id = $3, entered_at = $4 WHERE id = $5")
                .bind(entry.value)
                .bind(&entry.commentary)
                .bind(user.person_id)
                .bind(now)
                .bind(id)
                .execute(&mut **tx)
                .await?;
            Some(format::value(*value, entry.unit))
        }
        None => {
            sqlx::query(
                "INSERT INTO measurement (indicator_id, organisation_id, financial_year, quarter, value, commentary, entered_by_id, entered_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(entry.indicator_id)
            .bind(organisation)
            .bind(entry.quarter.year)
            .bind(i64::from(entry.quarter.q))
            .bind(entry.value)
            .bind(&entry.commentary)
            .bind(user.person_id)
            .bind(now)
            .execute(&mut **tx)
            .await?;
            None
        }
    };
    audit::append(
        tx,
        &AuditContent {
            indicator_id: Some(entry.indicator_id),
            value_before: before,
            value_after: Some(format::value(entry.value, entry.unit)),
            ..audit::content(
                user,
                AuditAction::ValueEntered,
                format!(
                    "value {}, {}, {}",
                    entry.code,
                    entry.council.name(),
                    entry.quarter
                ),
                reason,
            )
        },
    )
    .await?;
    Ok(true)
}

/// One council's value of an indicator as typed on the returns page, in its slot
/// ([`rules::slot`]).
#[derive(Clone, Debug, Default)]
pub struct Typed {
    pub slot: String,
    pub value: String,
    pub commentary: String,
    /// The "Yes, … is right" box of a value held back for a second look.
    pub confirmed: bool,
}

/// What a save of the returns page saved: its quarter and the slots whose value changed.
pub struct Saved {
    pub quarter: Quarter,
    pub slots: Vec<String>,
}

/// The most values one save of the returns page may hold: more than any page shows.
pub const MAX_SLOTS: usize = 1_000;

/// How much a refused save carries back to its page, in bytes of JSON (the values saved, each
/// refusal's message and what was typed): the address that carries it stays under the 8 KB
/// that proxies accept.
pub const REFUSAL_BYTES: usize = 4_500;

/// Saves every value typed on the returns page that changed (each with its audit record, all
/// in one transaction) and refuses the rest, each with its message and what was typed. A slot
/// left blank that holds no value is skipped. What was saved, or `AppError::Refused`.
pub async fn save(
    db: &Db,
    user: &crate::domain::roles::User,
    period: &str,
    typed: &[Typed],
) -> Result<Saved, AppError> {
    let unreadable = || {
        AppError::invalid(
            "form",
            "The form could not be read: reload the page and try again",
        )
    };
    let quarter = rules::period(period)
        .ok_or_else(|| AppError::invalid("period", "Choose a quarter from the list"))?;
    if typed.len() > MAX_SLOTS {
        return Err(unreadable());
    }
    // Each slot named exactly as the page names it, or the form is not the page's.
    let councils = super::plan::councils(db).await?;
    let slots = typed
        .iter()
        .map(|t| {
            let (id, code) = rules::read_slot(&t.slot)?;
            let council = councils.by_code(code)?;
            (rules::slot(id, code) == t.slot).then_some((id, council))
        })
        .collect::<Option<Vec<(i64, Council)>>>()
        .ok_or_else(unreadable)?;
    // Each indicator named, with its code and owner: a value of someone else's refuses the
    // whole save, as no page of theirs offers it.
    let indicators: HashMap<i64, (String, Option<i64>)> =
        sqlx::query_as::<_, (i64, String, Option<i64>)>(
            "SELECT id, code, data_owner_id FROM indicator",
        )
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|(id, code, owner)| (id, (code, owner)))
        .collect();
    for (id, _) in &slots {
        if let Some((_, owner)) = indicators.get(id) {
            user.authorise(Action::EnterValues { owner: *owner })?;
        }
    }
    let stored: HashSet<readings::Key> =
        readings::series(&readings::measurements(db, Scope::Period(quarter)).await?)
            .into_keys()
            .collect();
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (index, (typed, (id, council))) in typed.iter().zip(&slots).enumerate() {
        let row = index + 1;
        let Some((code, _)) = indicators.get(id) else {
            problems.push(Problem::new(
                row,
                "Value",
                "This value's indicator is no longer in the plan: reload the page",
            ));
            continue;
        };
        let blank = typed.value.trim().is_empty() && typed.commentary.trim().is_empty();
        if blank && !stored.contains(&readings::key(*id, council)) {
            continue;
        }
        rows.push(SheetRow {
            row,
            indicator: code.clone(),
            council: council.code().to_string(),
            period: period.to_string(),
            value: typed.value.clone(),
            commentary: typed.commentary.clone(),
            confirmed: typed.confirmed,
        });
    }
    let Checked {
        entries,
        problems: found,
    } = check(db, user, &rows).await?;
    problems.extend(found);
    let (doubtful, sure): (Vec<Entry>, Vec<Entry>) =
        entries.into_iter().partition(|e| e.doubt.is_some());
    let saved: Vec<String> = write(db, user, &sure, "Quarterly return")
        .await?
        .into_iter()
        .map(|entry| rules::slot(entry.indicator_id, entry.council.code()))
        .collect();
    let refused: Vec<(usize, &str, String, bool)> = problems
        .into_iter()
        .map(|p| {
            let field = if p.column == "Commentary" {
                "commentary"
            } else {
                "value"
            };
            (p.row, field, p.message, false)
        })
        .chain(doubtful.into_iter().filter_map(|entry| {
            let message = entry.doubt?.message(entry.unit);
            Some((entry.row, "value", message, true))
        }))
        .collect();
    if refused.is_empty() {
        return Ok(Saved {
            quarter,
            slots: saved,
        });
    }
    Err(refusal(typed, saved, refused))
}

/// The refusal of a save, in the page's order, with as much as the address that carries it
/// has room for: the values saved, each refusal's message and what was typed while there is
/// room, and a count of the refusals beyond it.
fn refusal(
    typed: &[Typed],
    saved: Vec<String>,
    mut refused: Vec<(usize, &str, String, bool)>,
) -> AppError {
    refused.sort_by_key(|(row, ..)| *row);
    let size = |text: &str| serde_json::to_string(text).map_or(usize::MAX, |json| json.len() + 8);
    let mut room = REFUSAL_BYTES;
    let mut take = |cost: usize| {
        let fits = cost <= room;
        if fits {
            room -= cost;
        }
        fits
    };
    let saved: Vec<String> = saved
        .into_iter()
        .take_while(|slot| take(size(slot)))
        .collect();
    let mut refusals = Vec::new();
    let mut more = 0;
    for (row, field, message, second_look) in refused {
        let Some(typed) = typed.get(row - 1) else {
            continue;
        };
        if more > 0 || !take(size(&typed.slot) + size(field) + size(&message)) {
            more += 1;
            continue;
        }
        let kept = [("value", &typed.value), ("commentary", &typed.commentary)]
            .into_iter()
            .filter(|(name, text)| take(size(name) + size(text)))
            .map(|(name, text)| (name.to_string(), text.clone()))
            .collect();
        refusals.push(Refusal {
            field: format!("{}-{field}", typed.slot),
            message,
            second_look,
            typed: kept,
        });
    }
    AppError::Refused {
        saved,
        refusals,
        more,
    }
}

/// Imports the rows of a spreadsheet: every problem is listed and nothing written, or every
/// value is written in one transaction. The outcome is kept and its id returned.
pub async fn import(
    db: &Db,
    user: &crate::domain::roles::User,
    file_name: &str,
    rows: Result<Vec<SheetRow>, Vec<Problem>>,
) -> Result<i64, AppError> {
    user.authorise(Action::UploadValues)?;
    let file_name: String = file_name
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let (read, outcome) = match rows {
        Err(problems) => (0, Err(problems)),
        Ok(rows) => {
            let checked = check(db, user, &rows).await?;
            let outcome = if checked.problems.is_empty() {
                Ok(checked.entries)
            } else {
                Err(checked.problems)
            };
            (rows.len(), outcome)
        }
    };
    let (written, problems) = match outcome.and_then(held_back) {
        Ok(entries) => match write(db, user, &entries, &format!("Imported from {file_name}")).await
        {
            Ok(written) => (written.len(), Vec::new()),
            Err(AppError::Invalid { message, .. }) => (0, vec![Problem::file(message)]),
            Err(other) => return Err(other),
        },
        Err(mut problems) => {
            problems.truncate(crate::components::problems::PROBLEMS_SHOWN);
            (0, problems)
        }
    };
    let now = super::accounts::timestamp(time::OffsetDateTime::now_utc());
    let id = sqlx::query_scalar(
        "INSERT INTO value_import (person_id, imported_at, file_name, rows_read, rows_written, problems)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(user.person_id)
    .bind(&now)
    .bind(&file_name)
    .bind(read as i64)
    .bind(written as i64)
    .bind(serde_json::to_string(&problems).unwrap_or_default())
    .fetch_one(db)
    .await?;
    Ok(id)
}

/// The entries, or the rows held back for a second look: a value far from its indicator's
/// recent figures is listed, and nothing written, until its row says it was checked.
fn held_back(entries: Vec<Entry>) -> Result<Vec<Entry>, Vec<Problem>> {
    let doubts: Vec<Problem> = entries
        .iter()
        .filter_map(|entry| {
            entry.doubt.as_ref().map(|doubt| {
                Problem::new(
                    entry.row,
                    "Value",
                    format!(
                        "{} {}, {}: {} Write Yes in its {} column to confirm it.",
                        entry.code,
                        entry.council.name(),
                        entry.quarter,
                        doubt.message(entry.unit),
                        rules::CHECKED
                    ),
                )
            })
        })
        .collect();
    if doubts.is_empty() {
        Ok(entries)
    } else {
        Err(doubts)
    }
}

/// An import's outcome, for the person who made it or Business Improvement.
pub async fn import_outcome(
    db: &Db,
    user: &crate::domain::roles::User,
    id: i64,
) -> Result<ImportOutcome, AppError> {
    #[derive(sqlx::FromRow)]
    struct Import {
        person_id: i64,
        file_name: String,
        imported_at: String,
        rows_read: i64,
        rows_written: i64,
        /// The problems found, as JSON.
        problems: String,
    }
    let import: Import = sqlx::query_as(
        "SELECT person_id, file_name, imported_at, rows_read, rows_written, problems FROM value_import WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await?
    .ok_or_else(|| AppError::not_found("That import"))?;
    if import.person_id != user.person_id && !user.may(Action::OverseeReporting) {
        return Err(AppError::Forbidden);
    }
    let problems = serde_json::from_str(&import.problems).map_err(|error| {
        sqlx::Error::Decode(
            format!("import {id} holds problems Hexplan cannot read: {error}").into(),
        )
    })?;
    Ok(ImportOutcome {
        id,
        file_name: import.file_name,
        imported_at: import.imported_at,
        rows_read: usize::try_from(import.rows_read).unwrap_or(0),
        rows_written: usize::try_from(import.rows_written).unwrap_or(0),
        problems,
    })
}

/// The template to fill in: a row for each indicator `user` returns values for in each open
/// quarter and each council, with any value already entered. Extra columns help the person
/// filling it in and are ignored on upload.
pub async fn template(
    db: &Db,
    user: &crate::domain::roles::User,
) -> Result<crate::domain::table::Table, sqlx::Error> {
    use crate::domain::table::{Cell, Table};
    let owner = (!user.may(Action::OverseeReporting)).then_some(user.person_id);
    let mut rows = Vec::new();
    for period in periods(db).await?.into_iter().filter(|p| !p.closed) {
        for line in lines(db, period.quarter, owner).await? {
            for slot in &line.slots {
                rows.push(vec![
                    Cell::text(&line.code),
                    Cell::text(slot.council.name()),
                    Cell::text(period.quarter.to_string()),
                    Cell::number(slot.value, line.unit),
                    Cell::text(&slot.commentary),
                    Cell::text(&line.title),
                    Cell::text(line.unit.label()),
                    Cell::number(slot.target, line.unit),
                    Cell::text(""),
                ]);
            }
        }
    }
    let columns = rules::COLUMNS
        .iter()
        .chain(&["Title", "Unit", "Target", rules::CHECKED])
        .map(|c| c.to_string())
        .collect();
    Ok(Table {
        sheet: "Values".into(),
        columns,
        rows,
    })
}
