//! A large generated framework for benchmarks: many indicators with long histories spread over
//! the plan's outputs, so the map and pages can be measured at scale.

use super::Db;
use crate::domain::input::Reason;
use crate::domain::target::Amendment;
use crate::domain::Quarter;
use crate::model::targets::TargetRef;

/// Adds `indicators` indicators, each with `quarters` quarters of values for every council up
/// to the plan's default quarter and a target for every year, in one transaction, spread over
/// the outputs of the themes that have indicators. Returns how many were added.
pub async fn scaled(db: &Db, indicators: u32, quarters: u32) -> Result<u32, sqlx::Error> {
    let last = super::readings::default_quarter(db).await?;
    let councils: Vec<i64> = super::plan::councils(db)
        .await?
        .partners()
        .iter()
        .map(|p| p.id)
        .collect();
    let outputs: Vec<(i64,)> = sqlx::query_as(
        "SELECT op.id FROM output op JOIN outcome oc ON oc.id = op.outcome_id
         WHERE oc.theme_id IN (
             SELECT oc2.theme_id FROM indicator_output io
             JOIN output o2 ON o2.id = io.output_id JOIN outcome oc2 ON oc2.id = o2.outcome_id)
         ORDER BY op.id",
    )
    .fetch_all(db)
    .await?;
    if outputs.is_empty() {
        return Ok(0);
    }
    let (start,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM indicator")
        .fetch_one(db)
        .await?;
    let first = Quarter::from_index(last.index() - quarters as i32 + 1);
    let mut tx = db.begin().await?;
    for n in 0..indicators {
        let id = start + 1 + i64::from(n);
        let (output,) = outputs[n as usize % outputs.len()];
        let lower = n % 3 == 0;
        sqlx::query(
            "INSERT INTO indicator (id, code, title, definition, kind, unit, polarity, lifecycle)
             VALUES ($1, $2, $3, 'Generated for benchmarks.', 'influencing', 'percent', $4, 'active')",
        )
        .bind(id)
        .bind(format!("GEN{n:05}"))
        .bind(format!("Generated indicator {n}"))
        .bind(if lower { "lower" } else { "higher" })
        .execute(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO indicator_output (indicator_id, output_id, is_primary) VALUES ($1, $2, TRUE)")
            .bind(id)
            .bind(output)
            .execute(&mut *tx)
            .await?;
        for &organisation in &councils {
            for year in first.year..=last.year {
                sqlx::query(
                    "INSERT INTO target (indicator_id, organisation_id, financial_year, value, set_at) VALUES ($1, $2, $3, 60, '2015-03-01T00:00:00Z')",
                )
                .bind(id)
                .bind(organisation)
                .bind(year)
                .execute(&mut *tx)
                .await?;
            }
            for quarter in Quarter::range(first, last) {
                let wobble = ((i64::from(n) * 31 + organisation * 17 + i64::from(quarter.index()))
                    % 41) as f64;
                sqlx::query(
                    "INSERT INTO measurement (indicator_id, organisation_id, financial_year, quarter, value, commentary, entered_at)
                     VALUES ($1, $2, $3, $4, $5, 'Generated.', '2017-10-01T00:00:00Z')",
                )
                .bind(id)
                .bind(organisation)
                .bind(quarter.year)
                .bind(i64::from(quarter.q))
                .bind(40.0 + wobble)
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    super::catch_up_ids(&mut tx).await?;
    tx.commit().await?;
    Ok(indicators)
}

/// Amends the targets of the first `amendments` indicators reported by a council (not
/// jointly), as Business Improvement does on the page, each with its audit record: the
/// history the many-plans benchmark's plans carry.
pub async fn amend_targets(db: &Db, amendments: u32) -> Result<(), crate::error::AppError> {
    use crate::domain::roles::{Role, User};
    let (person_id, name): (i64, String) = sqlx::query_as(
        "SELECT p.id, p.name FROM person p JOIN role_grant g ON g.person_id = p.id
         WHERE g.role = 'business_improvement' ORDER BY p.id LIMIT 1",
    )
    .fetch_one(db)
    .await?;
    let business_improvement = User {
        person_id,
        name,
        roles: [Role::BusinessImprovement].into(),
        portfolio: Default::default(),
        directed: Default::default(),
    };
    let chosen: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM indicator WHERE joint = FALSE AND lifecycle = 'active' ORDER BY id LIMIT $1",
    )
    .bind(i64::from(amendments))
    .fetch_all(db)
    .await?;
    let year = super::readings::default_quarter(db).await?.year;
    let first_council = super::plan::councils(db)
        .await?
        .slots(false, &crate::domain::CouncilFilter::All)
        .into_iter()
        .next()
        .ok_or(crate::error::AppError::Internal)?;
    for (k, id) in chosen.into_iter().enumerate() {
        let amendment = Amendment {
            // Each a change from the generated 60.
            value: f64::from(50 + k as u32 % 10),
            unit: super::targets::unit(db, id).await?,
            amber_tolerance: 10.0,
            reason: Reason::read("Agreed at the quarterly performance review")?,
            confirmed: true,
        };
        let target = TargetRef {
            indicator_id: id,
            council: first_council.clone(),
            year,
            version: 1,
        };
        super::targets::amend(db, &business_improvement, target, &amendment, None).await?;
    }
    Ok(())
}
