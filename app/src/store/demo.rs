//! The demonstration: Babergh and Mid Suffolk's Joint Strategic Plan as the December 2017
//! Overview and Scrutiny information bulletin describes it, a plan like any other. Its sheets
//! are kept as CSV files in `app/demo/` (one a sheet of the plan's workbook, readable line by
//! line) and loaded through the same import a council uses to set up its own plan; only the
//! accounts (every person signs in with `DEMO_PASSWORD`) and the June 2017 report in the
//! archive are added here. People are fictional.

use super::workbook::{write, Importer};
use super::{accounts, Db};
use crate::domain::roles::Role;

/// The date of the June 2017 Cabinet report and of the December 2017 bulletin: the change
/// summary between them reproduces the bulletin's table.
pub const JUNE_2017_REPORT: &str = "2017-06-12";
pub const DECEMBER_2017_BULLETIN: &str = "2017-12-15";

/// The password of every demonstration account (the README lists the usernames).
pub const DEMO_PASSWORD: &str = "jsp-demo-2017";

macro_rules! sheet {
    ($name:literal) => {
        (
            concat!($name, ".csv"),
            include_bytes!(concat!("../../demo/", $name, ".csv")).as_slice(),
        )
    };
}

/// The demonstration plan's sheets, as CSV files.
const SHEETS: [(&str, &[u8]); 16] = [
    sheet!("Plan"),
    sheet!("Councils"),
    sheet!("People"),
    sheet!("Themes"),
    sheet!("Outcomes"),
    sheet!("Outputs"),
    sheet!("Portfolios"),
    sheet!("Risks"),
    sheet!("Indicators"),
    sheet!("Links"),
    sheet!("Risk links"),
    sheet!("Targets"),
    sheet!("Values"),
    sheet!("Achievements"),
    sheet!("Return periods"),
    sheet!("Changes"),
];

/// The demonstration plan, read and checked as any uploaded workbook is.
pub fn plan() -> Result<crate::domain::workbook::PlanBook, Vec<crate::domain::returns::Problem>> {
    crate::spreadsheets::read_plan_csv(&SHEETS)
}

/// A demonstration username: "claire.whitby" for Claire Whitby, "jan.osborne" for Cllr Jan Osborne.
pub fn demo_username(name: &str) -> String {
    name.trim_start_matches("Cllr ")
        .to_lowercase()
        .replace(' ', ".")
}

/// Loads the demonstration plan into an empty database: its sheets through the workbook
/// import, then an account for everyone, then the June 2017 report published.
pub async fn seed_if_empty(db: &Db) -> Result<(), sqlx::Error> {
    let failed = |error: String| sqlx::Error::Protocol(format!("the demonstration plan: {error}"));
    if !super::shaping::plan_is_empty(db).await? {
        return Ok(());
    }
    let book = plan().map_err(|problems| failed(format!("{problems:?}")))?;
    write(
        db,
        Importer::Operator,
        &book,
        "the demonstration's sheets (app/demo)",
    )
    .await
    .map_err(|error| failed(error.to_string()))?;
    sqlx::query("UPDATE plan SET demonstration = TRUE")
        .execute(db)
        .await?;
    give_accounts(db).await?;
    publish_june_2017_report(db).await
}

/// Gives everyone without an account one, named from their name ("jan.osborne") with the
/// demonstration password: for the demonstration and the benchmarks' generated plans.
pub async fn give_accounts(db: &Db) -> Result<(), sqlx::Error> {
    // Every account shares one password, so it is hashed once.
    let password_hash = accounts::hash_password(DEMO_PASSWORD)
        .await
        .map_err(|error| sqlx::Error::Protocol(error.to_string()))?;
    let people: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, name FROM person p WHERE NOT EXISTS (SELECT 1 FROM account a WHERE a.person_id = p.id) ORDER BY id",
    )
    .fetch_all(db)
    .await?;
    let mut tx = db.begin().await?;
    for (id, name) in people {
        sqlx::query("INSERT INTO account (person_id, username, password_hash) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(demo_username(&name))
            .bind(&password_hash)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await
}

/// The archive starts with the report Cabinet received in June 2017, on 2016/17 H2, published
/// by Business Improvement as the reporting cycle does it.
async fn publish_june_2017_report(db: &Db) -> Result<(), sqlx::Error> {
    let (person_id, name): (i64, String) =
        sqlx::query_as("SELECT id, name FROM person WHERE id = (SELECT person_id FROM role_grant WHERE role = 'business_improvement' ORDER BY person_id LIMIT 1)")
            .fetch_one(db)
            .await?;
    let bi = crate::domain::roles::User {
        person_id,
        name,
        roles: [Role::BusinessImprovement].into(),
        portfolio: Default::default(),
        directed: Default::default(),
    };
    let failed = |error: crate::error::AppError| sqlx::Error::Protocol(error.to_string());
    let period = crate::model::reports::ReportPeriod::Half(crate::domain::HalfYear {
        year: 2016,
        half: 2,
    });
    let id = super::reports::create_at(db, &bi, period, &format!("{JUNE_2017_REPORT}T09:00:00Z"))
        .await
        .map_err(failed)?;
    let presented = crate::domain::input::Reason::read("Presented to Cabinet in June 2017")
        .map_err(|invalid| failed(invalid.into()))?;
    super::reports::publish_at(
        db,
        &bi,
        id,
        &format!("{JUNE_2017_REPORT}T10:00:00Z"),
        Some(&presented),
    )
    .await
    .map_err(failed)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::domain::hexmap::geometry::MAP;
    use crate::domain::hexmap::{first_overlap, label, HexPosition};

    /// Every output of the demonstration's map, with its cell and the words in its hexagon.
    fn hexagons() -> Vec<(String, HexPosition, String)> {
        super::plan()
            .expect("the demonstration's sheets are right")
            .outputs
            .into_iter()
            .filter_map(|o| Some((o.code, o.cell?, o.short_title)))
            .collect()
    }

    #[test]
    fn the_demonstration_map_has_every_label_inside_its_hexagon_and_no_overlaps() {
        let hexagons = hexagons();
        assert_eq!(hexagons.len(), 28);
        assert_eq!(
            first_overlap(hexagons.iter().map(|(c, p, _)| (c.as_str(), *p))),
            None
        );
        for (code, position, short) in &hexagons {
            // The widest counts a hexagon can show.
            let fitted = label::fit(&MAP, short, "✓99 ▲99 ✕99 –99");
            assert!(!fitted.shortened, "{code} {short:?} is cut short");
            let centre = MAP.centre(*position);
            for line in fitted.lines() {
                let (left, top, right, bottom) = line.bounds(centre);
                for corner in [(left, top), (right, top), (left, bottom), (right, bottom)] {
                    assert!(
                        MAP.contains(centre, corner),
                        "{code}: {:?} leaves its hexagon",
                        line.text
                    );
                    // And lies in no other hexagon.
                    for (other, there, _) in &hexagons {
                        if other != code {
                            assert!(
                                !MAP.contains(MAP.centre(*there), corner),
                                "{code} reaches into {other}"
                            );
                        }
                    }
                }
            }
        }
    }
}
