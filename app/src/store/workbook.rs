//! The whole plan in one workbook: read out of the database (`export`), and written into an
//! empty plan in one transaction with its audit records (`import`). The workbook's rows and
//! their checks are `domain::workbook`'s; this module only maps them to and from the tables.

use super::audit::{append, by_operator, content};
use super::{begin_write, Db, Flag, Tx};
use crate::domain::audit::{AuditAction, AuditContent};
use crate::domain::hexmap::{HexPosition, FURTHEST_CELL};
use crate::domain::period::{Day, HalfYear, Quarter};
use crate::domain::returns::Problem;
use crate::domain::roles::{Action, Role, User};
use crate::domain::workbook::*;
use crate::domain::{IndicatorKind, Lifecycle, Polarity, Unit};
use crate::error::AppError;
use std::collections::HashMap;

/// The plan as a workbook: everything but passwords, sessions, reports and peer reviews.
pub async fn export(db: &Db) -> Result<PlanBook, sqlx::Error> {
    let mut conn = db.acquire().await?;
    let c = &mut *conn;
    let calendar = super::calendar::read(&mut *c).await?;
    let plan: Option<(String, String, String, String)> =
        sqlx::query_as("SELECT title, header, starts_on, ends_on FROM plan ORDER BY id LIMIT 1")
            .fetch_optional(&mut *c)
            .await?;
    let plan = plan
        .map(|(title, header, starts, ends)| PlanRow {
            title,
            header,
            starts_on: Day::parse(&starts),
            ends_on: Day::parse(&ends),
            calendar,
        })
        .unwrap_or_default();

    let councils = super::plan::councils(&mut *c).await?;
    let short_name = |id: Option<i64>| -> Option<String> {
        let id = id?;
        councils
            .partners()
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.short_name.clone())
    };
    let council_rows = councils
        .partners()
        .iter()
        .map(|p| CouncilRow {
            name: p.name.clone(),
            short_name: p.short_name.clone(),
            code: p.code.clone(),
            ons_code: p.ons_code.clone(),
        })
        .collect();

    let people: Vec<(i64, String, String, String, Option<i64>)> = sqlx::query_as(
        "SELECT id, email, name, job_title, organisation_id FROM person ORDER BY id",
    )
    .fetch_all(&mut *c)
    .await?;
    let grants: Vec<(i64, Role)> =
        sqlx::query_as("SELECT person_id, role FROM role_grant ORDER BY person_id, role")
            .fetch_all(&mut *c)
            .await?;
    let email: HashMap<i64, String> = people.iter().map(|p| (p.0, p.1.clone())).collect();
    let email_of = |id: Option<i64>| id.and_then(|id| email.get(&id).cloned());
    let people = people
        .iter()
        .map(|(id, email, name, job_title, council)| PersonRow {
            email: email.clone(),
            name: name.clone(),
            job_title: job_title.clone(),
            council: short_name(*council),
            roles: Role::ALL
                .into_iter()
                .filter(|role| grants.contains(&(*id, *role)))
                .collect(),
        })
        .collect();

    let themes: Vec<(i64, String, Option<String>, Option<i64>, Option<String>)> = sqlx::query_as(
        "SELECT id, title, scope_note, assistant_director_id, retired_on FROM theme ORDER BY position, id",
    )
    .fetch_all(&mut *c)
    .await?;
    let theme_number: HashMap<i64, u32> = themes
        .iter()
        .enumerate()
        .map(|(n, t)| (t.0, n as u32 + 1))
        .collect();
    let theme_rows = themes
        .iter()
        .zip(1..)
        .map(
            |((_, title, scope_note, director, retired_on), number)| ThemeRow {
                number,
                title: title.clone(),
                scope_note: scope_note.clone(),
                director: email_of(*director),
                retired_on: retired_on.as_deref().and_then(Day::of),
            },
        )
        .collect();

    let outcomes: Vec<(i64, i64, String, Option<String>)> = sqlx::query_as(
        "SELECT o.id, o.theme_id, o.title, o.retired_on FROM outcome o JOIN theme t ON t.id = o.theme_id
         ORDER BY t.position, t.id, o.position, o.id",
    )
    .fetch_all(&mut *c)
    .await?;
    // A row naming a theme or outcome that is not there: only a damaged database has one.
    let orphan = || {
        sqlx::Error::Decode("a row of the plan names a theme or outcome that is not there".into())
    };
    let mut outcome_number: HashMap<i64, (u32, u32)> = HashMap::new();
    let mut outcomes_of: HashMap<u32, u32> = HashMap::new();
    let mut outcome_rows = Vec::new();
    for (id, theme_id, title, retired_on) in &outcomes {
        let theme = *theme_number.get(theme_id).ok_or_else(orphan)?;
        let number = outcomes_of.entry(theme).or_default();
        *number += 1;
        let number = *number;
        outcome_number.insert(*id, (theme, number));
        outcome_rows.push(OutcomeRow {
            theme,
            number,
            title: title.clone(),
            retired_on: retired_on.as_deref().and_then(Day::of),
        });
    }

    let outputs: Vec<(i64, i64, String, String, String, i32, i32, Option<String>)> =
        sqlx::query_as(
            "SELECT id, outcome_id, code, title, short_title, hex_q, hex_r, retired_on FROM output ORDER BY id",
        )
        .fetch_all(&mut *c)
        .await?;
    let output_code: HashMap<i64, String> = outputs.iter().map(|o| (o.0, o.2.clone())).collect();
    let output_rows = outputs
        .iter()
        .map(|(_, outcome, code, title, short_title, q, r, retired_on)| {
            let (theme, outcome) = *outcome_number.get(outcome).ok_or_else(orphan)?;
            let cell = HexPosition { q: *q, r: *r };
            Ok(OutputRow {
                code: code.clone(),
                theme,
                outcome,
                title: title.clone(),
                short_title: short_title.clone(),
                cell: (q.abs() <= FURTHEST_CELL && r.abs() <= FURTHEST_CELL).then_some(cell),
                retired_on: retired_on.as_deref().and_then(Day::of),
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;

    let portfolios: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT output_id, person_id, portfolio FROM portfolio_holder ORDER BY output_id, person_id",
    )
    .fetch_all(&mut *c)
    .await?;
    let portfolios = portfolios
        .into_iter()
        .filter_map(|(output, person, portfolio)| {
            Some(PortfolioRow {
                output: output_code.get(&output)?.clone(),
                holder: email_of(Some(person))?,
                portfolio,
            })
        })
        .collect();

    let risks: Vec<(i64, String, String, i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT id, code, title, likelihood, impact, owner_id FROM risk ORDER BY id",
    )
    .fetch_all(&mut *c)
    .await?;
    let risk_code: HashMap<i64, String> = risks.iter().map(|r| (r.0, r.1.clone())).collect();
    let risks = risks
        .iter()
        .map(|(_, code, title, likelihood, impact, owner)| RiskRow {
            code: code.clone(),
            title: title.clone(),
            likelihood: *likelihood as u8,
            impact: *impact as u8,
            owner: email_of(*owner),
        })
        .collect();

    #[derive(sqlx::FromRow)]
    struct Indicator {
        id: i64,
        code: String,
        title: String,
        definition: String,
        kind: IndicatorKind,
        unit: Unit,
        polarity: Polarity,
        frequency: String,
        cumulative: Flag,
        joint: Flag,
        data_owner_id: Option<i64>,
        key_to_delivery: Flag,
        financial_sensitivity: Flag,
        political_sensitivity: Flag,
        reputational_sensitivity: Flag,
        external_metric_id: Option<String>,
        lifecycle: Lifecycle,
        home: Option<i64>,
    }
    let indicators: Vec<Indicator> = sqlx::query_as(
        "SELECT i.id, i.code, i.title, i.definition, i.kind, i.unit, i.polarity, i.frequency,
                i.cumulative = TRUE AS cumulative, i.joint = TRUE AS joint, i.data_owner_id,
                i.key_to_delivery = TRUE AS key_to_delivery,
                i.financial_sensitivity = TRUE AS financial_sensitivity,
                i.political_sensitivity = TRUE AS political_sensitivity,
                i.reputational_sensitivity = TRUE AS reputational_sensitivity,
                i.external_metric_id, i.lifecycle,
                (SELECT MIN(io.output_id) FROM indicator_output io
                 WHERE io.indicator_id = i.id AND io.is_primary = TRUE) AS home
         FROM indicator i ORDER BY i.id",
    )
    .fetch_all(&mut *c)
    .await?;
    let indicator_code: HashMap<i64, String> =
        indicators.iter().map(|i| (i.id, i.code.clone())).collect();
    let home: HashMap<i64, i64> = indicators
        .iter()
        .filter_map(|i| Some((i.id, i.home?)))
        .collect();
    let indicator_rows = indicators
        .into_iter()
        .filter_map(|i| {
            Some(IndicatorRow {
                output: output_code.get(&i.home?)?.clone(),
                frequency: Frequency::from_code(&i.frequency)?,
                code: i.code,
                title: i.title,
                definition: i.definition,
                kind: i.kind,
                unit: i.unit,
                polarity: i.polarity,
                cumulative: i.cumulative.0,
                joint: i.joint.0,
                data_owner: email_of(i.data_owner_id),
                key_to_delivery: i.key_to_delivery.0,
                financial_sensitivity: i.financial_sensitivity.0,
                political_sensitivity: i.political_sensitivity.0,
                reputational_sensitivity: i.reputational_sensitivity.0,
                external_metric: i.external_metric_id,
                lifecycle: i.lifecycle,
            })
        })
        .collect();

    let links: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT indicator_id, output_id FROM indicator_output ORDER BY indicator_id, output_id",
    )
    .fetch_all(&mut *c)
    .await?;
    let links = links
        .into_iter()
        .filter(|(indicator, output)| home.get(indicator) != Some(output))
        .filter_map(|(indicator, output)| {
            Some(LinkRow {
                indicator: indicator_code.get(&indicator)?.clone(),
                output: output_code.get(&output)?.clone(),
            })
        })
        .collect();
    let risk_links: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT indicator_id, risk_id FROM indicator_risk ORDER BY indicator_id, risk_id",
    )
    .fetch_all(&mut *c)
    .await?;
    let risk_links = risk_links
        .into_iter()
        .filter_map(|(indicator, risk)| {
            Some(RiskLinkRow {
                indicator: indicator_code.get(&indicator)?.clone(),
                risk: risk_code.get(&risk)?.clone(),
            })
        })
        .collect();

    let targets: Vec<(i64, Option<i64>, i32, Option<i64>, f64, f64, Option<i64>, String)> =
        sqlx::query_as(
            "SELECT indicator_id, organisation_id, financial_year, quarter, value, amber_tolerance, set_by_id, set_at
             FROM target ORDER BY id",
        )
        .fetch_all(&mut *c)
        .await?;
    let targets = targets
        .into_iter()
        .filter_map(
            |(indicator, council, year, quarter, value, tolerance, by, at)| {
                Some(TargetRow {
                    indicator: indicator_code.get(&indicator)?.clone(),
                    council: short_name(council),
                    year,
                    quarter: quarter.map(|q| q as u8),
                    value,
                    amber_tolerance: tolerance,
                    set_by: email_of(by),
                    set_at: at,
                })
            },
        )
        .collect();

    let values: Vec<(i64, Option<i64>, i32, i64, f64, String, Option<i64>, String)> =
        sqlx::query_as(
            "SELECT indicator_id, organisation_id, financial_year, quarter, value, commentary, entered_by_id, entered_at
             FROM measurement ORDER BY id",
        )
        .fetch_all(&mut *c)
        .await?;
    let values = values
        .into_iter()
        .filter_map(|(indicator, council, year, q, value, commentary, by, at)| {
            Some(ValueRow {
                indicator: indicator_code.get(&indicator)?.clone(),
                council: short_name(council),
                quarter: Quarter::new(year, q as u8)?,
                value,
                commentary,
                entered_by: email_of(by),
                entered_at: at,
            })
        })
        .collect();

    let achievements: Vec<(i64, i32, i64, String, String, Option<i64>, String)> = sqlx::query_as(
        "SELECT outcome_id, financial_year, half, achievements, impacts, written_by_id, written_at
         FROM achievement ORDER BY id",
    )
    .fetch_all(&mut *c)
    .await?;
    let achievements = achievements
        .into_iter()
        .filter_map(|(outcome, year, half, achievements, impacts, by, at)| {
            let (theme, outcome) = *outcome_number.get(&outcome)?;
            Some(AchievementRow {
                theme,
                outcome,
                half: HalfYear::new(year, half as u8)?,
                achievements,
                impacts,
                written_by: email_of(by),
                written_at: at,
            })
        })
        .collect();

    let periods: Vec<(i32, i64, Day, Option<String>, Option<i64>)> = sqlx::query_as(
        "SELECT financial_year, quarter, deadline, closed_at, closed_by_id FROM return_period
         ORDER BY financial_year, quarter",
    )
    .fetch_all(&mut *c)
    .await?;
    let return_periods = periods
        .into_iter()
        .filter_map(|(year, q, deadline, closed_at, by)| {
            Some(ReturnPeriodRow {
                quarter: Quarter::new(year, q as u8)?,
                deadline,
                closed_at,
                closed_by: email_of(by),
            })
        })
        .collect();

    let changes: Vec<(String, Option<i64>, AuditAction, Option<i64>, String, Option<String>, Option<String>, String)> =
        sqlx::query_as(
            "SELECT recorded_at, actor_id, action, indicator_id, subject, value_before, value_after, reason
             FROM audit_record ORDER BY id",
        )
        .fetch_all(&mut *c)
        .await?;
    let changes = changes
        .into_iter()
        .filter_map(
            |(at, by, action, indicator, subject, before, after, reason)| {
                let AuditAction::Indicator(kind) = action else {
                    return None;
                };
                Some(ChangeRow {
                    recorded_at: at,
                    by: email_of(by),
                    action: kind,
                    indicator: indicator.and_then(|id| indicator_code.get(&id).cloned()),
                    subject,
                    before,
                    after,
                    reason,
                })
            },
        )
        .collect();

    Ok(PlanBook {
        plan,
        councils: council_rows,
        people,
        themes: theme_rows,
        outcomes: outcome_rows,
        outputs: output_rows,
        portfolios,
        risks,
        indicators: indicator_rows,
        links,
        risk_links,
        targets,
        values,
        achievements,
        return_periods,
        changes,
    })
}

/// Who sets a plan up from a workbook: a person in Business Improvement, or the server's
/// operator (from the command line, or loading the demonstration).
#[derive(Clone, Copy, Debug)]
pub enum Importer<'a> {
    Person(&'a User),
    Operator,
}

/// Writes `book` into an empty plan in one transaction: every row, then the recorded
/// changes in their own time order, then one audit record of the import itself.
pub async fn write(
    db: &Db,
    importer: Importer<'_>,
    book: &PlanBook,
    file_name: &str,
) -> Result<(), AppError> {
    if let Importer::Person(user) = importer {
        user.authorise(Action::ShapePlan)?;
    }
    let mut tx = begin_write(db).await?;
    if !super::shaping::plan_is_empty(&mut *tx).await? {
        return Err(AppError::invalid(
            "file",
            "This plan is set up already: a workbook can set up only an empty plan, one with no council, theme or indicator yet",
        ));
    }
    let ids = Written::rows(&mut tx, book).await?;
    let mut changes: Vec<&ChangeRow> = book.changes.iter().collect();
    changes.sort_by(|a, b| a.recorded_at.cmp(&b.recorded_at));
    for change in changes {
        append(
            &mut tx,
            &AuditContent {
                recorded_at: change.recorded_at.clone(),
                actor_id: change.by.as_ref().and_then(|e| ids.people.get(e).copied()),
                action: AuditAction::Indicator(change.action),
                indicator_id: change
                    .indicator
                    .as_ref()
                    .and_then(|code| ids.indicators.get(code).copied()),
                subject: change.subject.clone(),
                value_before: change.before.clone(),
                value_after: change.after.clone(),
                reason: change.reason.clone(),
                review_session_id: None,
            },
        )
        .await?;
    }
    let subject = format!("the plan {}", book.plan.title);
    let reason = format!("Set up from the workbook {file_name}");
    let record = match importer {
        Importer::Person(user) => content(user, AuditAction::PlanImported, subject, &reason),
        Importer::Operator => by_operator(AuditAction::PlanImported, subject, &reason),
    };
    super::audit::commit_with(
        tx,
        AuditContent {
            value_after: Some(book.describe()),
            ..record
        },
    )
    .await
}

/// The id written for `key`. A checked workbook names only what it defines, so a miss is a
/// fault in Hexplan, answered as one (never a panic).
fn written<K: std::hash::Hash + Eq + std::fmt::Debug>(
    ids: &HashMap<K, i64>,
    key: &K,
) -> Result<i64, AppError> {
    ids.get(key).copied().ok_or_else(|| {
        tracing::error!(?key, "a workbook row names something not written");
        AppError::Internal
    })
}

/// The ids each written row was given, by the name the workbook knows it by.
#[derive(Default)]
struct Written {
    councils: HashMap<String, i64>,
    people: HashMap<String, i64>,
    themes: HashMap<u32, i64>,
    outcomes: HashMap<(u32, u32), i64>,
    outputs: HashMap<String, i64>,
    risks: HashMap<String, i64>,
    indicators: HashMap<String, i64>,
}

impl Written {
    async fn rows(tx: &mut Tx, book: &PlanBook) -> Result<Written, AppError> {
        let mut ids = Written::default();
        let plan = &book.plan;
        let today = Day::today();
        let starts = plan.starts_on.unwrap_or(today);
        let ends = plan.ends_on.unwrap_or(starts.add_days(4 * 365));
        let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM plan ORDER BY id LIMIT 1")
            .fetch_optional(&mut **tx)
            .await?;
        let plan_id: i64 = match existing {
            Some(id) => id,
            None => {
                sqlx::query_scalar(
                    "INSERT INTO plan (title, header, starts_on, ends_on) VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(&plan.title)
                .bind(&plan.header)
                .bind(starts.iso())
                .bind(ends.iso())
                .fetch_one(&mut **tx)
                .await?
            }
        };
        sqlx::query(
            "UPDATE plan SET title = $1, header = $2, starts_on = $3, ends_on = $4,
                             year_starts = $5, reporting = $6
             WHERE id = $7",
        )
        .bind(&plan.title)
        .bind(&plan.header)
        .bind(starts.iso())
        .bind(ends.iso())
        .bind(i64::from(plan.calendar.first_month()))
        .bind(plan.calendar.reporting.code())
        .bind(plan_id)
        .execute(&mut **tx)
        .await?;
        for council in &book.councils {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO organisation (code, name, short_name, ons_code) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(&council.code)
            .bind(&council.name)
            .bind(&council.short_name)
            .bind(&council.ons_code)
            .fetch_one(&mut **tx)
            .await?;
            sqlx::query("INSERT INTO plan_organisation (plan_id, organisation_id) VALUES ($1, $2)")
                .bind(plan_id)
                .bind(id)
                .execute(&mut **tx)
                .await?;
            ids.councils.insert(council.short_name.clone(), id);
        }
        let council =
            |name: &Option<String>| name.as_ref().and_then(|n| ids.councils.get(n).copied());
        let mut people = HashMap::new();
        for person in &book.people {
            let known: Option<i64> = sqlx::query_scalar("SELECT id FROM person WHERE email = $1")
                .bind(&person.email)
                .fetch_optional(&mut **tx)
                .await?;
            let id = match known {
                Some(id) => id,
                None => sqlx::query_scalar(
                    "INSERT INTO person (name, job_title, email, organisation_id) VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(&person.name)
                .bind(&person.job_title)
                .bind(&person.email)
                .bind(council(&person.council))
                .fetch_one(&mut **tx)
                .await?,
            };
            for role in &person.roles {
                sqlx::query(
                    "INSERT INTO role_grant (person_id, role) SELECT $1, $2
                     WHERE NOT EXISTS (SELECT 1 FROM role_grant WHERE person_id = $1 AND role = $2)",
                )
                .bind(id)
                .bind(role.code())
                .execute(&mut **tx)
                .await?;
            }
            people.insert(person.email.clone(), id);
        }
        ids.people = people;
        let person =
            |email: &Option<String>| email.as_ref().and_then(|e| ids.people.get(e).copied());
        for theme in &book.themes {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO theme (plan_id, position, title, scope_note, assistant_director_id, retired_on)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(plan_id)
            .bind(i64::from(theme.number))
            .bind(&theme.title)
            .bind(&theme.scope_note)
            .bind(person(&theme.director))
            .bind(theme.retired_on.map(Day::iso))
            .fetch_one(&mut **tx)
            .await?;
            ids.themes.insert(theme.number, id);
        }
        for outcome in &book.outcomes {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO outcome (theme_id, position, title, retired_on) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(written(&ids.themes, &outcome.theme)?)
            .bind(i64::from(outcome.number))
            .bind(&outcome.title)
            .bind(outcome.retired_on.map(Day::iso))
            .fetch_one(&mut **tx)
            .await?;
            ids.outcomes.insert((outcome.theme, outcome.number), id);
        }
        for (index, output) in book.outputs.iter().enumerate() {
            // A retired output without a cell takes a parking cell of its own until its id is known.
            let cell = output.cell.unwrap_or(HexPosition {
                q: -2_000_000 - index as i32,
                r: 0,
            });
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO output (outcome_id, code, title, short_title, hex_q, hex_r, retired_on)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(written(&ids.outcomes, &(output.theme, output.outcome))?)
            .bind(&output.code)
            .bind(&output.title)
            .bind(&output.short_title)
            .bind(cell.q)
            .bind(cell.r)
            .bind(output.retired_on.map(Day::iso))
            .fetch_one(&mut **tx)
            .await?;
            if output.cell.is_none() {
                super::shaping::park(tx, id).await?;
            }
            ids.outputs.insert(output.code.clone(), id);
        }
        for holder in &book.portfolios {
            sqlx::query("INSERT INTO portfolio_holder (output_id, person_id, portfolio) VALUES ($1, $2, $3)")
                .bind(written(&ids.outputs, &holder.output)?)
                .bind(written(&ids.people, &holder.holder)?)
                .bind(&holder.portfolio)
                .execute(&mut **tx)
                .await?;
        }
        for risk in &book.risks {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO risk (code, title, likelihood, impact, owner_id) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(&risk.code)
            .bind(&risk.title)
            .bind(i64::from(risk.likelihood))
            .bind(i64::from(risk.impact))
            .bind(person(&risk.owner))
            .fetch_one(&mut **tx)
            .await?;
            ids.risks.insert(risk.code.clone(), id);
        }
        for i in &book.indicators {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO indicator (code, title, definition, kind, unit, polarity, frequency, cumulative, joint,
                    data_owner_id, key_to_delivery, financial_sensitivity, political_sensitivity,
                    reputational_sensitivity, external_metric_id, lifecycle)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
            )
            .bind(&i.code)
            .bind(&i.title)
            .bind(&i.definition)
            .bind(i.kind.code())
            .bind(i.unit.code())
            .bind(i.polarity.code())
            .bind(i.frequency.code())
            .bind(i.cumulative)
            .bind(i.joint)
            .bind(person(&i.data_owner))
            .bind(i.key_to_delivery)
            .bind(i.financial_sensitivity)
            .bind(i.political_sensitivity)
            .bind(i.reputational_sensitivity)
            .bind(&i.external_metric)
            .bind(i.lifecycle.code())
            .fetch_one(&mut **tx)
            .await?;
            sqlx::query("INSERT INTO indicator_output (indicator_id, output_id, is_primary) VALUES ($1, $2, TRUE)")
                .bind(id)
                .bind(written(&ids.outputs, &i.output)?)
                .execute(&mut **tx)
                .await?;
            ids.indicators.insert(i.code.clone(), id);
        }
        for link in &book.links {
            sqlx::query("INSERT INTO indicator_output (indicator_id, output_id, is_primary) VALUES ($1, $2, FALSE)")
                .bind(written(&ids.indicators, &link.indicator)?)
                .bind(written(&ids.outputs, &link.output)?)
                .execute(&mut **tx)
                .await?;
        }
        for link in &book.risk_links {
            sqlx::query("INSERT INTO indicator_risk (indicator_id, risk_id) VALUES ($1, $2)")
                .bind(written(&ids.indicators, &link.indicator)?)
                .bind(written(&ids.risks, &link.risk)?)
                .execute(&mut **tx)
                .await?;
        }
        for t in &book.targets {
            sqlx::query(
                "INSERT INTO target (indicator_id, organisation_id, financial_year, quarter, value, amber_tolerance, set_by_id, set_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(written(&ids.indicators, &t.indicator)?)
            .bind(council(&t.council))
            .bind(t.year)
            .bind(t.quarter.map(i64::from))
            .bind(t.value)
            .bind(t.amber_tolerance)
            .bind(person(&t.set_by))
            .bind(&t.set_at)
            .execute(&mut **tx)
            .await?;
        }
        for v in &book.values {
            sqlx::query(
                "INSERT INTO measurement (indicator_id, organisation_id, financial_year, quarter, value, commentary, entered_by_id, entered_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(written(&ids.indicators, &v.indicator)?)
            .bind(council(&v.council))
            .bind(v.quarter.year)
            .bind(i64::from(v.quarter.q))
            .bind(v.value)
            .bind(&v.commentary)
            .bind(person(&v.entered_by))
            .bind(&v.entered_at)
            .execute(&mut **tx)
            .await?;
        }
        for a in &book.achievements {
            sqlx::query(
                "INSERT INTO achievement (outcome_id, financial_year, half, achievements, impacts, written_by_id, written_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(written(&ids.outcomes, &(a.theme, a.outcome))?)
            .bind(a.half.year)
            .bind(i64::from(a.half.half))
            .bind(&a.achievements)
            .bind(&a.impacts)
            .bind(person(&a.written_by))
            .bind(&a.written_at)
            .execute(&mut **tx)
            .await?;
        }
        for p in &book.return_periods {
            sqlx::query(
                "INSERT INTO return_period (financial_year, quarter, deadline, closed_at, closed_by_id)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(p.quarter.year)
            .bind(i64::from(p.quarter.q))
            .bind(p.deadline.iso())
            .bind(&p.closed_at)
            .bind(person(&p.closed_by))
            .execute(&mut **tx)
            .await?;
        }
        super::catch_up_ids(&mut **tx).await?;
        Ok(ids)
    }
}

/// Checks an uploaded workbook and, when all is right, sets the plan up from it; either way
/// the outcome is kept (what was written, or every problem) and its id returned.
pub async fn import(
    db: &Db,
    user: &User,
    file_name: &str,
    book: Result<PlanBook, Vec<Problem>>,
) -> Result<i64, AppError> {
    user.authorise(Action::ShapePlan)?;
    let file_name: String = file_name
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let (written, problems) = match book {
        Err(problems) => (None, problems),
        Ok(book) => match write(db, Importer::Person(user), &book, &file_name).await {
            Ok(()) => (Some(book.describe()), Vec::new()),
            Err(AppError::Invalid { message, .. }) => (None, vec![Problem::file(message)]),
            Err(other) => return Err(other),
        },
    };
    let now = super::accounts::timestamp(time::OffsetDateTime::now_utc());
    Ok(sqlx::query_scalar(
        "INSERT INTO plan_import (person_id, imported_at, file_name, written, problems)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(user.person_id)
    .bind(&now)
    .bind(&file_name)
    .bind(&written)
    .bind(serde_json::to_string(&problems).unwrap_or_default())
    .fetch_one(db)
    .await?)
}

/// An upload's outcome, for Business Improvement.
pub async fn import_outcome(
    db: &Db,
    user: &User,
    id: i64,
) -> Result<crate::model::plan::PlanImport, AppError> {
    user.authorise(Action::ShapePlan)?;
    let found: Option<(String, String, Option<String>, String)> = sqlx::query_as(
        "SELECT file_name, imported_at, written, problems FROM plan_import WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await?;
    let (file_name, imported_at, written, problems) =
        found.ok_or_else(|| AppError::not_found("That upload"))?;
    let problems = serde_json::from_str(&problems).map_err(|error| {
        sqlx::Error::Decode(
            format!("upload {id} holds problems Hexplan cannot read: {error}").into(),
        )
    })?;
    Ok(crate::model::plan::PlanImport {
        id,
        file_name,
        imported_at,
        written,
        problems,
    })
}
