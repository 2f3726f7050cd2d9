//! Values and targets of indicators, loaded in bulk and judged by the domain rules.

use super::Db;
use crate::domain::reading::{TargetValue, Targets};
use crate::domain::{Council, Polarity, Quarter};
use std::collections::{BTreeMap, HashMap};

/// Which indicators' values to load.
#[derive(Clone, Copy)]
pub enum Scope {
    /// Every indicator, for one quarter (and the targets of its year).
    Period(Quarter),
    /// The indicators linked to one output, every quarter.
    Output(i64),
    /// One indicator, every quarter.
    Indicator(i64),
    /// Every indicator, every quarter.
    All,
}

impl Scope {
    fn filter(self, table: &str) -> String {
        match self {
            Scope::Period(_) if table == "measurement" => {
                "financial_year = $1 AND quarter = $2".into()
            }
            Scope::Period(_) => "financial_year = $1 AND (quarter IS NULL OR quarter = $2)".into(),
            Scope::Output(_) => {
                "indicator_id IN (SELECT indicator_id FROM indicator_output WHERE output_id = $1)"
                    .into()
            }
            Scope::Indicator(_) => "indicator_id = $1".into(),
            Scope::All => "1 = 1".into(),
        }
    }

    fn bind<'q, O>(
        self,
        query: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
        match self {
            Scope::Period(quarter) => query.bind(quarter.year).bind(i64::from(quarter.q)),
            Scope::Output(id) | Scope::Indicator(id) => query.bind(id),
            Scope::All => query,
        }
    }
}

/// An indicator and the council a value or target belongs to (its id; none for joint).
pub type Key = (i64, Option<i64>);

/// The key of `indicator_id`'s values for `council`.
pub fn key(indicator_id: i64, council: &Council) -> Key {
    (indicator_id, council.id())
}

/// A measurement as stored.
#[derive(sqlx::FromRow)]
pub struct MeasurementRow {
    pub indicator_id: i64,
    /// The partner council's id; none for a joint value.
    pub organisation_id: Option<i64>,
    pub financial_year: i32,
    pub quarter: i64,
    pub value: f64,
    pub commentary: String,
    pub entered_by: Option<String>,
}

pub async fn measurements(db: &Db, scope: Scope) -> Result<Vec<MeasurementRow>, sqlx::Error> {
    let sql = format!(
        "SELECT indicator_id, organisation_id, financial_year, quarter, value, commentary,
                (SELECT name FROM person p WHERE p.id = entered_by_id) AS entered_by
         FROM measurement WHERE {} ORDER BY financial_year, quarter",
        scope.filter("measurement")
    );
    scope
        .bind(sqlx::query_as::<_, MeasurementRow>(&sql))
        .fetch_all(db)
        .await
}

/// The values of each indicator and council, by quarter.
pub fn series(rows: &[MeasurementRow]) -> HashMap<Key, BTreeMap<Quarter, f64>> {
    let mut series: HashMap<Key, BTreeMap<Quarter, f64>> = HashMap::new();
    for row in rows {
        let Some(quarter) = quarter_of(row.financial_year, row.quarter) else {
            continue;
        };
        series
            .entry((row.indicator_id, row.organisation_id))
            .or_default()
            .insert(quarter, row.value);
    }
    series
}

#[derive(sqlx::FromRow)]
struct TargetRow {
    indicator_id: i64,
    organisation_id: Option<i64>,
    financial_year: i32,
    quarter: Option<i64>,
    value: f64,
    amber_tolerance: f64,
}

pub async fn targets(db: &Db, scope: Scope) -> Result<HashMap<Key, Targets>, sqlx::Error> {
    let sql = format!(
        "SELECT indicator_id, organisation_id, financial_year, quarter, value, amber_tolerance
         FROM target WHERE {}",
        scope.filter("target")
    );
    let rows = scope
        .bind(sqlx::query_as::<_, TargetRow>(&sql))
        .fetch_all(db)
        .await?;
    let mut targets: HashMap<Key, Targets> = HashMap::new();
    for row in rows {
        let entry = targets
            .entry((row.indicator_id, row.organisation_id))
            .or_default();
        let target = TargetValue {
            value: row.value,
            amber_tolerance: row.amber_tolerance,
        };
        match row.quarter.and_then(|q| quarter_of(row.financial_year, q)) {
            Some(quarter) => {
                entry.quarterly.insert(quarter, target);
            }
            None => {
                entry.annual.insert(row.financial_year, target);
            }
        }
    }
    Ok(targets)
}

/// Each indicator's value in one quarter, by council: only the numbers, for the map.
pub async fn values_in(db: &Db, quarter: Quarter) -> Result<HashMap<Key, f64>, sqlx::Error> {
    let rows: Vec<(i64, Option<i64>, f64)> = sqlx::query_as(
        "SELECT indicator_id, organisation_id, value FROM measurement
         WHERE financial_year = $1 AND quarter = $2",
    )
    .bind(quarter.year)
    .bind(i64::from(quarter.q))
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(indicator_id, council, value)| ((indicator_id, council), value))
        .collect())
}

/// The quarter pages open on when the address names none: the latest quarter whose returns
/// are closed and that has values; failing that the latest with any value, then the quarter
/// open for returns, then today's. Never a constant: it follows the plan's data.
pub async fn default_quarter(db: &Db) -> Result<Quarter, sqlx::Error> {
    const CHOICES: [&str; 3] = [
        "SELECT m.financial_year, m.quarter FROM measurement m
         JOIN return_period r ON r.financial_year = m.financial_year AND r.quarter = m.quarter
         WHERE r.closed_at IS NOT NULL
         ORDER BY m.financial_year DESC, m.quarter DESC LIMIT 1",
        "SELECT financial_year, quarter FROM measurement
         ORDER BY financial_year DESC, quarter DESC LIMIT 1",
        "SELECT financial_year, quarter FROM return_period WHERE closed_at IS NULL
         ORDER BY financial_year DESC, quarter DESC LIMIT 1",
    ];
    for sql in CHOICES {
        let row: Option<(i32, i64)> = sqlx::query_as(sql).fetch_optional(db).await?;
        if let Some(quarter) = row.and_then(|(year, q)| quarter_of(year, q)) {
            return Ok(quarter);
        }
    }
    Ok(super::calendar::read(db)
        .await?
        .quarter_of(crate::domain::period::Day::today()))
}

/// The quarters that have any value, oldest first (read from both ends of an index).
pub async fn reported_periods(db: &Db) -> Result<Vec<Quarter>, sqlx::Error> {
    let first: Option<(i32, i64)> = sqlx::query_as(
        "SELECT financial_year, quarter FROM measurement ORDER BY financial_year, quarter LIMIT 1",
    )
    .fetch_optional(db)
    .await?;
    let last: Option<(i32, i64)> =
        sqlx::query_as("SELECT financial_year, quarter FROM measurement ORDER BY financial_year DESC, quarter DESC LIMIT 1").fetch_optional(db).await?;
    Ok(
        match (
            first.and_then(|(y, q)| quarter_of(y, q)),
            last.and_then(|(y, q)| quarter_of(y, q)),
        ) {
            (Some(first), Some(last)) => Quarter::range(first, last).collect(),
            _ => Vec::new(),
        },
    )
}

pub fn quarter_of(year: i32, quarter: i64) -> Option<Quarter> {
    Quarter::new(year, u8::try_from(quarter).ok()?)
}

/// What judging, returns and reports need to know of an active indicator: its rules, its data
/// owner, and its home output's outcome and theme.
#[derive(sqlx::FromRow)]
pub struct ActiveIndicator {
    pub id: i64,
    pub code: String,
    pub title: String,
    unit: crate::domain::Unit,
    polarity: Polarity,
    #[sqlx(try_from = "crate::store::Flag")]
    pub cumulative: bool,
    #[sqlx(try_from = "crate::store::Flag")]
    pub joint: bool,
    pub frequency: String,
    pub owner_id: Option<i64>,
    pub owner: Option<String>,
    pub outcome_id: Option<i64>,
    pub theme: Option<String>,
}

impl ActiveIndicator {
    pub fn unit(&self) -> crate::domain::Unit {
        self.unit
    }

    pub fn polarity(&self) -> Polarity {
        self.polarity
    }

    pub fn rules(&self) -> crate::domain::reading::Rules {
        crate::domain::reading::Rules {
            polarity: self.polarity(),
            cumulative: self.cumulative,
        }
    }
}

/// The active indicators, of one data owner or all, in code order.
pub async fn active_indicators(
    db: &Db,
    owner: Option<i64>,
) -> Result<Vec<ActiveIndicator>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.id, i.code, i.title, i.unit, i.polarity, i.cumulative = TRUE AS cumulative,
                i.joint = TRUE AS joint, i.frequency,
                i.data_owner_id AS owner_id, p.name AS owner, o.outcome_id, t.title AS theme
         FROM indicator i
         LEFT JOIN person p ON p.id = i.data_owner_id
         LEFT JOIN indicator_output io ON io.indicator_id = i.id AND io.is_primary
         LEFT JOIN output o ON o.id = io.output_id
         LEFT JOIN outcome oc ON oc.id = o.outcome_id
         LEFT JOIN theme t ON t.id = oc.theme_id
         WHERE i.lifecycle = 'active' AND ($1 IS NULL OR i.data_owner_id = $1)
         ORDER BY i.code",
    )
    .bind(owner)
    .fetch_all(db)
    .await
}
