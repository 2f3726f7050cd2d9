//! Loads the hexagon map: the plan's shape and each output's status counts for one period.

use super::plan::View;
use super::readings::{self, Scope};
use super::Db;
use crate::domain::hexmap::HexPosition;
use crate::domain::reading::{combined_status, judge, Rules, Targets};
use crate::domain::{CouncilFilter, Quarter, StatusCounts};
use crate::error::AppError;
use crate::model::map::{MapView, OutcomeOnMap, OutputOnMap, ThemeOnMap};
use std::collections::HashMap;
use std::sync::Mutex;

#[derive(sqlx::FromRow)]
pub struct PlanRow {
    pub theme_id: i64,
    pub theme: String,
    pub scope_note: Option<String>,
    pub outcome_id: Option<i64>,
    pub outcome: Option<String>,
    pub output_id: Option<i64>,
    pub code: Option<String>,
    pub title: Option<String>,
    pub short_title: Option<String>,
    pub hex_q: Option<i32>,
    pub hex_r: Option<i32>,
}

/// Every theme, outcome and output in the plan (not retired), in plan order.
pub async fn plan_rows(db: &Db) -> Result<Vec<PlanRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.id AS theme_id, t.title AS theme, t.scope_note,
                oc.id AS outcome_id, oc.title AS outcome,
                op.id AS output_id, op.code, op.title, op.short_title, op.hex_q, op.hex_r
         FROM theme t
         LEFT JOIN outcome oc ON oc.theme_id = t.id AND oc.retired_on IS NULL
         LEFT JOIN output op ON op.outcome_id = oc.id AND op.retired_on IS NULL
         WHERE t.retired_on IS NULL
         ORDER BY t.position, oc.position, op.code",
    )
    .fetch_all(db)
    .await
}

#[derive(sqlx::FromRow)]
struct LinkRow {
    output_id: i64,
    indicator_id: i64,
    polarity: crate::domain::Polarity,
    #[sqlx(try_from = "crate::store::Flag")]
    cumulative: bool,
    #[sqlx(try_from = "crate::store::Flag")]
    joint: bool,
}

/// The maps this server last computed, each with the data version it was computed at. A map
/// is recomputed only when the data has changed since (the version lives in the database, so
/// this holds with several servers too).
#[derive(Default)]
pub struct MapCache(Mutex<HashMap<(CouncilFilter, Quarter), (i64, MapView)>>);

/// More views than the councils and quarters people look at; past it the cache starts again.
const CACHE_LIMIT: usize = 512;

impl MapCache {
    pub async fn load(&self, db: &Db, view: View) -> Result<MapView, AppError> {
        let key = (view.council.clone(), view.period);
        let (version,): (i64,) = sqlx::query_as("SELECT version FROM data_version WHERE id = 1")
            .fetch_one(db)
            .await?;
        if let Some((cached, map)) = self.lock().get(&key) {
            if *cached == version {
                return Ok(map.clone());
            }
        }
        let map = load(db, view).await?;
        let mut entries = self.lock();
        if entries.len() >= CACHE_LIMIT {
            entries.clear();
        }
        entries.insert(key, (version, map.clone()));
        Ok(map)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(CouncilFilter, Quarter), (i64, MapView)>> {
        // A panic while holding the lock cannot leave the map half-written, so carry on.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Computes the map from the database.
pub async fn load(db: &Db, view: View) -> Result<MapView, AppError> {
    let View {
        councils,
        council,
        period,
        calendar,
    } = view;
    let plan = plan_rows(db).await?;
    let links: Vec<LinkRow> = sqlx::query_as(
        "SELECT io.output_id, i.id AS indicator_id, i.polarity, i.cumulative = TRUE AS cumulative,
                i.joint = TRUE AS joint
         FROM indicator_output io JOIN indicator i ON i.id = io.indicator_id
         WHERE i.lifecycle = 'active'",
    )
    .fetch_all(db)
    .await?;
    let values = readings::values_in(db, period).await?;
    let targets = readings::targets(db, Scope::Period(period)).await?;

    let mut counts: HashMap<i64, StatusCounts> = HashMap::new();
    let no_targets = Targets::default();
    for link in &links {
        let rules = Rules {
            polarity: link.polarity,
            cumulative: link.cumulative,
        };
        let statuses = councils.slots(link.joint, &council).into_iter().map(|c| {
            let key = readings::key(link.indicator_id, &c);
            let targets = targets.get(&key).unwrap_or(&no_targets);
            judge(values.get(&key).copied(), targets, period, rules)
        });
        counts
            .entry(link.output_id)
            .or_default()
            .add(combined_status(statuses));
    }

    Ok(MapView {
        council,
        councils,
        period,
        calendar,
        periods: readings::reported_periods(db).await?,
        themes: group(plan, &counts),
    })
}

/// Nests the flat plan rows into themes, outcomes and outputs.
fn group(plan: Vec<PlanRow>, counts: &HashMap<i64, StatusCounts>) -> Vec<ThemeOnMap> {
    let mut themes: Vec<ThemeOnMap> = Vec::new();
    for row in plan {
        if themes.last().map(|t| t.id) != Some(row.theme_id) {
            themes.push(ThemeOnMap {
                id: row.theme_id,
                title: row.theme.clone(),
                scope_note: row.scope_note.clone(),
                outcomes: Vec::new(),
            });
        }
        let Some(theme) = themes.last_mut() else {
            continue;
        };
        let (Some(outcome_id), Some(outcome)) = (row.outcome_id, row.outcome) else {
            continue;
        };
        if theme.outcomes.last().map(|o| o.id) != Some(outcome_id) {
            theme.outcomes.push(OutcomeOnMap {
                id: outcome_id,
                title: outcome,
                outputs: Vec::new(),
            });
        }
        let Some(outcome) = theme.outcomes.last_mut() else {
            continue;
        };
        if let (Some(id), Some(code), Some(title), Some(short_title), Some(q), Some(r)) = (
            row.output_id,
            row.code,
            row.title,
            row.short_title,
            row.hex_q,
            row.hex_r,
        ) {
            outcome.outputs.push(OutputOnMap {
                id,
                code,
                title,
                short_title,
                position: HexPosition { q, r },
                counts: counts.get(&id).copied().unwrap_or_default(),
            });
        }
    }
    themes
}

/// The map's layout as HexJSON, keyed by output code.
pub async fn hexjson(db: &Db) -> Result<crate::domain::hexmap::HexJson, AppError> {
    use crate::domain::hexmap::{HexJson, HexJsonHex};
    let hexes = plan_rows(db)
        .await?
        .into_iter()
        .filter_map(|row| {
            let hex = HexJsonHex {
                q: row.hex_q?,
                r: row.hex_r?,
                n: row.title?,
                theme: row.theme,
                outcome: row.outcome?,
                url: format!("/outputs/{}", row.output_id?),
            };
            Some((row.code?, hex))
        })
        .collect();
    Ok(HexJson::new(hexes))
}
