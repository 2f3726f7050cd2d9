//! Reports to Cabinet in the database: the archive, drafts, the live content of a draft, and
//! publishing, which stores the document and appendices exactly as rendered, with the
//! document's SHA-256, in one transaction with its audit record.

use super::readings::{self, Scope};
use super::{audit, Db};
use crate::domain::audit::{AuditAction, AuditContent};
use crate::domain::change_summary::Interval;
use crate::domain::input::Reason;
use crate::domain::period::{format_iso_date, Day};
use crate::domain::reading::reading;
use crate::domain::roles::Action;
use crate::domain::roles::User;
use crate::domain::{Calendar, CouncilFilter, HalfYear, Quarter};
use crate::error::AppError;
use crate::model::reports::{Publication, ReportPeriod, ReportSummary, Reports};
use crate::report_document::{ReportContent, ReportOutcome, ReportRow, ReportTheme};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

#[derive(sqlx::FromRow)]
struct ReportRecord {
    id: i64,
    financial_year: i32,
    half: Option<i64>,
    quarter: Option<i64>,
    published_at: Option<String>,
    published_by: Option<String>,
    sha256: Option<String>,
}

const REPORT_RECORDS: &str = "
    SELECT r.id, r.financial_year, r.half, r.quarter, r.published_at,
           (SELECT name FROM person p WHERE p.id = r.published_by_id) AS published_by, r.sha256
    FROM report r";

impl ReportRecord {
    fn summary(self) -> Option<ReportSummary> {
        let period = match (self.half, self.quarter) {
            (Some(half), _) => ReportPeriod::Half(HalfYear::new(
                self.financial_year,
                u8::try_from(half).ok()?,
            )?),
            (_, Some(q)) => ReportPeriod::Quarter(readings::quarter_of(self.financial_year, q)?),
            _ => return None,
        };
        Some(ReportSummary {
            id: self.id,
            period,
            published: match (self.published_at, self.sha256) {
                (Some(at), Some(sha256)) => Some(Publication {
                    at,
                    by: self.published_by.unwrap_or_default(),
                    sha256,
                }),
                _ => None,
            },
        })
    }
}

/// The archive, newest period first; drafts and the periods to choose from only for those who
/// may create reports.
pub async fn list(db: &Db, user: Option<&User>) -> Result<Reports, AppError> {
    let records: Vec<ReportRecord> = sqlx::query_as(&format!(
        "{REPORT_RECORDS} ORDER BY r.financial_year DESC, COALESCE(r.quarter, r.half * 2) DESC, r.half IS NULL"
    ))
    .fetch_all(db)
    .await?;
    let (published, drafts): (Vec<_>, Vec<_>) = records
        .into_iter()
        .filter_map(ReportRecord::summary)
        .partition(|r| r.published.is_some());
    let overseer = user.is_some_and(|u| u.may(Action::OverseeReporting));
    let recent = recent_quarters(db).await?;
    let choices = if overseer {
        let calendar = super::calendar::read(db).await?;
        let (periods, due) = offered(calendar, &recent);
        // A period with a report already, draft or published, is opened from the lists.
        let made: Vec<ReportPeriod> = published
            .iter()
            .chain(&drafts)
            .map(|report| report.period)
            .collect();
        periods
            .into_iter()
            .filter(|period| !made.contains(period))
            .map(|period| {
                let what = match period {
                    ReportPeriod::Half(half) => format!("Half-yearly report, {half}"),
                    ReportPeriod::Quarter(quarter) => format!("Quarterly update, {quarter}"),
                };
                let due = if Some(period) == due { ", due" } else { "" };
                (
                    period.slug(),
                    format!("{what} ({}){due}", period.dates(calendar)),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(Reports {
        published,
        drafts: if overseer { drafts } else { Vec::new() },
        choices,
        recent: recent.into_iter().take(4).collect(),
    })
}

/// The last eight quarters, newest first, ending with the latest that has values.
async fn recent_quarters(db: &Db) -> Result<Vec<Quarter>, sqlx::Error> {
    let latest = match readings::reported_periods(db).await?.last() {
        Some(&latest) => latest,
        None => readings::default_quarter(db).await?,
    };
    Ok((0..8)
        .map(|back| Quarter::from_index(latest.index() - back))
        .collect())
}

/// The reports that may be made, and the one due: the report due first (the one after the
/// latest of the plan's reporting quarters), then every report of the `recent` quarters.
fn offered(calendar: Calendar, recent: &[Quarter]) -> (Vec<ReportPeriod>, Option<ReportPeriod>) {
    let due = recent
        .iter()
        .find_map(|&quarter| ReportPeriod::after(calendar, quarter));
    let mut periods: Vec<ReportPeriod> = due.into_iter().collect();
    for &quarter in recent {
        if quarter.q.is_multiple_of(2) {
            periods.push(ReportPeriod::Half(quarter.half()));
        }
        periods.push(ReportPeriod::Quarter(quarter));
    }
    let mut seen = std::collections::HashSet::new();
    periods.retain(|period| seen.insert(*period));
    (periods, due)
}

/// One report's record.
pub async fn summary(db: &Db, id: i64) -> Result<Option<ReportSummary>, sqlx::Error> {
    let record: Option<ReportRecord> = sqlx::query_as(&format!("{REPORT_RECORDS} WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await?;
    Ok(record.and_then(ReportRecord::summary))
}

/// A new draft report for `period`: Business Improvement only, one report per period.
pub async fn create(db: &Db, user: &User, period: ReportPeriod) -> Result<i64, AppError> {
    user.authorise(Action::OverseeReporting)?;
    let calendar = super::calendar::read(db).await?;
    let (offered, _) = offered(calendar, &recent_quarters(db).await?);
    if !offered.contains(&period) {
        return Err(AppError::invalid(
            "period",
            "Reports are made for the last two years and the report due: choose one from the list",
        ));
    }
    let now = super::accounts::timestamp(time::OffsetDateTime::now_utc());
    create_at(db, user, period, &now).await
}

/// A new draft as of `now` (an ISO 8601 timestamp).
pub(crate) async fn create_at(
    db: &Db,
    user: &User,
    period: ReportPeriod,
    now: &str,
) -> Result<i64, AppError> {
    user.authorise(Action::OverseeReporting)?;
    let (year, half, quarter) = match period {
        ReportPeriod::Half(h) => (h.year, Some(i64::from(h.half)), None),
        ReportPeriod::Quarter(q) => (q.year, None, Some(i64::from(q.q))),
    };
    let created = sqlx::query_scalar(
        "INSERT INTO report (financial_year, half, quarter, created_by_id, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(year)
    .bind(half)
    .bind(quarter)
    .bind(user.person_id)
    .bind(now)
    .fetch_one(db)
    .await;
    match created {
        Ok(id) => Ok(id),
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => Err(AppError::invalid(
            "period",
            format!(
                "There is already a report for {}: open it from the list",
                period.title().rsplit(", ").next().unwrap_or_default()
            ),
        )),
        Err(error) => Err(error.into()),
    }
}

/// An outcome with its theme and its narrative for the report's half-year.
#[derive(sqlx::FromRow)]
struct OutcomeRow {
    theme_id: i64,
    outcome_id: i64,
    theme: String,
    scope_note: Option<String>,
    title: String,
    achievements: Option<String>,
    impacts: Option<String>,
}

/// The report's content from the data as it stands now.
pub async fn content(
    db: &Db,
    period: ReportPeriod,
    provenance: String,
) -> Result<ReportContent, sqlx::Error> {
    let outcomes: Vec<OutcomeRow> = sqlx::query_as(
        "SELECT t.id AS theme_id, oc.id AS outcome_id, t.title AS theme, t.scope_note, oc.title,
                a.achievements, a.impacts
         FROM outcome oc JOIN theme t ON t.id = oc.theme_id
         LEFT JOIN achievement a ON a.outcome_id = oc.id AND a.financial_year = $1 AND a.half = $2
         WHERE oc.retired_on IS NULL
         ORDER BY t.position, oc.position",
    )
    .bind(period.half().year)
    .bind(i64::from(period.half().half))
    .fetch_all(db)
    .await?;
    let plan = super::plan::identity(db).await?;
    let councils = &plan.councils;
    let plan_title = &plan.title;
    let indicators = readings::active_indicators(db, None).await?;
    let last = period.last();
    // Trends look back a year; the values of the five quarters before the period suffice.
    let mut measurements = Vec::new();
    for quarter in Quarter::range(Quarter::from_index(last.index() - 5), last) {
        measurements.extend(readings::measurements(db, Scope::Period(quarter)).await?);
    }
    let commentary: HashMap<_, _> = measurements
        .iter()
        .filter(|m| readings::quarter_of(m.financial_year, m.quarter) == Some(last))
        .map(|m| ((m.indicator_id, m.organisation_id), m.commentary.clone()))
        .collect();
    let series = readings::series(&measurements);
    let targets = readings::targets(db, Scope::Period(last)).await?;
    let mut rows: HashMap<i64, Vec<ReportRow>> = HashMap::new();
    for indicator in indicators {
        let (unit, rules) = (indicator.unit(), indicator.rules());
        let Some(outcome_id) = indicator.outcome_id else {
            continue;
        };
        for council in councils.slots(indicator.joint, &CouncilFilter::All) {
            let key = readings::key(indicator.id, &council);
            let values = series.get(&key).cloned().unwrap_or_default();
            let judged = reading(
                &values,
                &targets.get(&key).cloned().unwrap_or_default(),
                last,
                rules,
            );
            rows.entry(outcome_id).or_default().push(ReportRow {
                code: indicator.code.clone(),
                title: indicator.title.clone(),
                unit,
                values: period
                    .quarters()
                    .iter()
                    .map(|q| values.get(q).copied())
                    .collect(),
                target: judged.target,
                status: judged.status,
                trend: judged.trends.against_previous,
                commentary: commentary.get(&key).cloned().unwrap_or_default(),
                council,
            });
        }
    }
    let mut themes: Vec<(i64, ReportTheme)> = Vec::new();
    for row in outcomes {
        let outcome = ReportOutcome {
            title: row.title,
            achievements: row.achievements.unwrap_or_default(),
            impacts: row.impacts.unwrap_or_default(),
            rows: rows.remove(&row.outcome_id).unwrap_or_default(),
        };
        match themes.last_mut() {
            Some((id, theme)) if *id == row.theme_id => theme.outcomes.push(outcome),
            _ => themes.push((
                row.theme_id,
                ReportTheme {
                    title: row.theme,
                    scope_note: row.scope_note,
                    outcomes: vec![outcome],
                },
            )),
        }
    }
    let view = super::plan::View {
        councils: councils.clone(),
        council: CouncilFilter::All,
        period: last,
        calendar: plan.calendar,
    };
    let map = super::map::load(db, view)
        .await
        .map_err(|error| sqlx::Error::Protocol(error.to_string()))?;
    Ok(ReportContent {
        cover: format!("{} – {}", plan.header(), plan.title),
        period,
        dates: period.dates(plan.calendar),
        provenance,
        themes: themes.into_iter().map(|(_, theme)| theme).collect(),
        map: crate::components::hexmap::standalone_svg(
            &map,
            &format!(
                "{}, {last} ({}), {}",
                plan_title,
                plan.calendar.quarter_dates(last),
                councils.describe(&CouncilFilter::All)
            ),
        ),
    })
}

/// Lower-case hex SHA-256.
pub fn sha256(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// Publishes a draft: renders it from the data as it stands, stores the document and its
/// appendices with the document's SHA-256, and records it. Returns the SHA-256.
pub async fn publish(
    db: &Db,
    user: &User,
    id: i64,
    anyway: Option<&Reason>,
) -> Result<String, AppError> {
    let now = super::accounts::timestamp(time::OffsetDateTime::now_utc());
    publish_at(db, user, id, &now, anyway).await
}

/// What a report lacks before it is published, by the returns open now (see
/// `ReportContent::gaps`).
pub async fn gaps(db: &Db, content: &ReportContent) -> Result<Vec<String>, sqlx::Error> {
    let open: Vec<Quarter> = super::returns::periods(db)
        .await?
        .into_iter()
        .filter(|p| !p.closed)
        .map(|p| p.quarter)
        .collect();
    Ok(content.gaps(&open))
}

/// Publishes a draft as of `now` (an ISO 8601 timestamp). A report that lacks something
/// (`gaps`) is published only with a reason to publish it `anyway`, which the audit record
/// keeps with what was missing.
pub(crate) async fn publish_at(
    db: &Db,
    user: &User,
    id: i64,
    now: &str,
    anyway: Option<&Reason>,
) -> Result<String, AppError> {
    user.authorise(Action::OverseeReporting)?;
    let report = summary(db, id)
        .await?
        .ok_or_else(|| AppError::not_found("That report"))?;
    if report.published.is_some() {
        return Err(AppError::invalid(
            "report",
            "This report has already been published",
        ));
    }
    let content = content(
        db,
        report.period,
        format!("Published on {} by {}", format_iso_date(now), user.name),
    )
    .await?;
    let gaps = gaps(db, &content).await?;
    let reason = match (gaps.is_empty(), anyway) {
        (true, None) => "Published to the archive".to_string(),
        (true, Some(reason)) => reason.as_str().to_string(),
        (false, Some(reason)) => format!(
            "Published anyway: {}. Missing: {}.",
            reason.as_str(),
            gaps.join("; ")
        ),
        (false, None) => {
            return Err(AppError::invalid(
                "reason",
                format!(
                    "This report is not complete ({}). Publishing is for good: give a reason to publish it anyway, or complete it first.",
                    gaps.join("; ")
                ),
            ))
        }
    };
    let document = crate::report_document::frozen(&content);
    let tables = crate::report_document::appendices(&content);
    let appendices =
        crate::spreadsheets::xlsx(&tables.iter().collect::<Vec<_>>()).map_err(|error| {
            tracing::error!(%error, "writing a report's appendices");
            AppError::Internal
        })?;
    let hash = sha256(document.as_bytes());
    let mut tx = super::begin_write(db).await?;
    let published = sqlx::query(
        "UPDATE report SET published_at = $1, published_by_id = $2, document = $3, sha256 = $4, appendices = $5
         WHERE id = $6 AND published_at IS NULL",
    )
    .bind(now)
    .bind(user.person_id)
    .bind(document.as_bytes())
    .bind(&hash)
    .bind(&appendices)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if published.rows_affected() != 1 {
        return Err(AppError::invalid(
            "report",
            "This report has already been published",
        ));
    }
    audit::commit_with(
        tx,
        AuditContent {
            value_after: Some(format!("SHA-256 {hash}")),
            // The record bears the day the report was published, as the archive does.
            recorded_at: now.to_string(),
            ..audit::content(
                user,
                AuditAction::ReportPublished,
                report.period.title(),
                &reason,
            )
        },
    )
    .await?;
    Ok(hash)
}

/// A published report's document and appendices, exactly as stored.
pub async fn frozen(db: &Db, id: i64) -> Result<Option<(Vec<u8>, Vec<u8>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT document, appendices FROM report WHERE id = $1 AND published_at IS NOT NULL",
    )
    .bind(id)
    .fetch_optional(db)
    .await
}

/// The interval the change summary shows unless asked: between the last two published
/// reports, or from the last one to `today`, or, before any is published, the year to `today`.
pub async fn default_interval(db: &Db, today: Day) -> Result<Interval, sqlx::Error> {
    let days: Vec<Day> = sqlx::query_scalar(
        "SELECT substr(published_at, 1, 10) FROM report WHERE published_at IS NOT NULL
         ORDER BY published_at DESC LIMIT 2",
    )
    .fetch_all(db)
    .await?;
    let (from, to) = match days.as_slice() {
        [newest, previous] if previous < newest => (*previous, *newest),
        [newest, ..] if *newest <= today => (*newest, today),
        _ => (today.add_days(-365), today),
    };
    Ok(Interval { from, to })
}
