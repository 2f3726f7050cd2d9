//! `hexplan generate-plans`: a large deployment for benchmarks. Each plan is generated to a
//! shape of its own (one, two or three councils; three to six themes; two or three outcomes
//! each; two to four outputs each) with the indicators and quarters asked for, set up through
//! the same workbook import a council uses, with some targets amended afterwards, in a
//! database of its own; the plans file lists them. Everyone in a plan signs in with the
//! demonstration password (Business Improvement as pat.performance).

use crate::config::GeneratePlansArgs;
use crate::plans;
use app::domain::workbook::generated::{self, Shape};
use app::store;
use app::store::workbook::Importer;

/// The shape of plan `n`: plans differ in their councils, themes, outcomes and outputs.
fn shape(n: u32, indicators: u32, quarters: u32) -> Shape {
    Shape {
        number: n,
        councils: 1 + (n + 1) % 3,
        themes: 3 + n % 4,
        outcomes_per_theme: 2 + n % 2,
        outputs_per_outcome: 2 + n % 3,
        indicators,
        quarters,
    }
}

/// How many plans are generated at once (the database work of one plan is one transaction).
const AT_ONCE: usize = 4;

/// The plan numbered `n`: its slug, host name and database.
fn plan(args: &GeneratePlansArgs, n: u32) -> (String, String, String) {
    let slug = format!("plan-{n:03}");
    let database = match &args.postgres {
        Some(admin) => {
            let server = admin.rsplit_once('/').map_or(admin.as_str(), |(s, _)| s);
            format!("{server}/hexplan_{}", slug.replace('-', "_"))
        }
        None => plans::default_database(&args.data_dir, &slug),
    };
    (slug.clone(), format!("{slug}.{}", args.domain), database)
}

/// Makes every plan's database (replacing one left from before) and writes the plans file.
pub async fn plans(args: &GeneratePlansArgs) -> Result<(), String> {
    let mut file = String::from("# Made by `hexplan generate-plans`.\n");
    let mut making = tokio::task::JoinSet::new();
    for n in 1..=args.count {
        let (slug, host, database) = plan(args, n);
        file.push_str(&format!(
            "\n[[plan]]\nslug = \"{slug}\"\nhosts = [\"{host}\"]\ndatabase = \"{database}\"\n"
        ));
        if making.len() >= AT_ONCE {
            if let Some(made) = making.join_next().await {
                made.map_err(|e| e.to_string())??;
            }
        }
        let (indicators, quarters, amendments) = (args.indicators, args.quarters, args.amendments);
        making.spawn(async move {
            make(&database, n, indicators, quarters, amendments)
                .await
                .map_err(|error| format!("{slug}: {error}"))
        });
    }
    while let Some(made) = making.join_next().await {
        made.map_err(|e| e.to_string())??;
    }
    std::fs::write(&args.plans_file, file)
        .map_err(|error| format!("writing {}: {error}", args.plans_file.display()))
}

async fn make(
    database: &str,
    n: u32,
    indicators: u32,
    quarters: u32,
    amendments: u32,
) -> Result<(), String> {
    remove(database).await?;
    if let Some(file) = database.strip_prefix("sqlite://") {
        if let Some(folder) = std::path::Path::new(file).parent() {
            std::fs::create_dir_all(folder).map_err(|e| e.to_string())?;
        }
    }
    let settings = store::PoolSettings {
        max_connections: 2,
        ..Default::default()
    };
    let db = store::open_with(database, false, settings)
        .await
        .map_err(|e| e.to_string())?;
    let book = generated::plan(shape(n, indicators, quarters));
    store::workbook::write(&db, Importer::Operator, &book, "hexplan generate-plans")
        .await
        .map_err(|e| e.to_string())?;
    store::demo::give_accounts(&db)
        .await
        .map_err(|e| e.to_string())?;
    store::generate::amend_targets(&db, amendments)
        .await
        .map_err(|e| e.to_string())?;
    db.close().await;
    Ok(())
}

/// Removes a database left from an earlier run, so each plan starts from nothing.
async fn remove(database: &str) -> Result<(), String> {
    use sqlx::migrate::MigrateDatabase;
    match store::Engine::of_url(database) {
        store::Engine::Postgres => {
            if sqlx::Postgres::database_exists(database)
                .await
                .map_err(|e| e.to_string())?
            {
                sqlx::Postgres::force_drop_database(database)
                    .await
                    .map_err(|e| e.to_string())?;
            }
        }
        store::Engine::Sqlite => {
            if let Some(file) = database.strip_prefix("sqlite://") {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{file}{suffix}"));
                }
            }
        }
    }
    Ok(())
}
