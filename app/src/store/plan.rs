//! The plan's own identity: its title, its header, its partner councils and its year.

use super::Db;
use crate::domain::council::{CouncilFilter, Councils, Partner};
use crate::domain::{Calendar, Quarter};
use crate::model::plan::PlanIdentity;

#[derive(sqlx::FromRow)]
struct PartnerRow {
    id: i64,
    code: String,
    name: String,
    short_name: String,
    ons_code: Option<String>,
}

/// The plan's partner councils, in the order they joined it.
pub async fn councils<'c, E>(db: E) -> Result<Councils, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let rows: Vec<PartnerRow> = sqlx::query_as(
        "SELECT o.id, o.code, o.name, o.short_name, o.ons_code
         FROM organisation o JOIN plan_organisation po ON po.organisation_id = o.id
         ORDER BY o.id",
    )
    .fetch_all(db)
    .await?;
    Ok(Councils::new(
        rows.into_iter()
            .map(|row| Partner {
                short_name: if row.short_name.trim().is_empty() {
                    row.name.clone()
                } else {
                    row.short_name
                },
                id: row.id,
                code: row.code,
                name: row.name,
                ons_code: row.ons_code,
            })
            .collect(),
    ))
}

/// What every page says about the plan; an empty identity before the plan is set up.
pub async fn identity(db: &Db) -> Result<PlanIdentity, sqlx::Error> {
    let plan: Option<(String, String, super::Flag, i64, String)> = sqlx::query_as(
        "SELECT title, header, demonstration = TRUE, year_starts, reporting
         FROM plan ORDER BY id LIMIT 1",
    )
    .fetch_optional(db)
    .await?;
    let councils = councils(db).await?;
    Ok(match plan {
        Some((title, header, super::Flag(demonstration), year_starts, reporting)) => PlanIdentity {
            title,
            header,
            demonstration,
            councils,
            calendar: super::calendar::of(year_starts, &reporting),
        },
        None => PlanIdentity {
            councils,
            ..PlanIdentity::default()
        },
    })
}

/// What an address asks to see, read against the plan: which councils and which quarter.
#[derive(Clone, Debug)]
pub struct View {
    pub councils: Councils,
    pub council: CouncilFilter,
    pub period: Quarter,
    pub calendar: Calendar,
}

/// Reads the `council` and `period` of an address: a partner's code (anything else shows
/// every council) and a quarter (anything unreadable gives the plan's default quarter).
pub async fn view(
    db: &Db,
    council: Option<&str>,
    period: Option<&str>,
) -> Result<View, sqlx::Error> {
    let councils = councils(db).await?;
    let period = match period.and_then(Quarter::parse_slug) {
        Some(period) => period,
        None => super::readings::default_quarter(db).await?,
    };
    Ok(View {
        council: councils.filter(council),
        councils,
        period,
        calendar: super::calendar::read(db).await?,
    })
}
