//! `make bench-plans` (and `make bench-plans-postgres`): a deployment of many plans, by default
//! 300 partnerships' plans of 300 indicators with 40 quarters of values, generated and served
//! by one process. The load is spread over every plan, each request to its plan's own host
//! name: the map page, an indicator page, the change summary and target saves, next to a
//! static file served through the same process in the same run (the ratio is the figure).
//!
//! Usage: cargo run --release -p server --example plans_bench -- --server target/release/hexplan
//!        --site-root target/site [--plans 300] [--postgres URL]

// Each benchmark uses only some of what they share.
#[allow(dead_code)]
mod shared;

use shared::{print_row, quantile, Flags, Load, Saver, CONCURRENCY, REQUESTS};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

/// Each plan's pool: small, as the README advises for many plans (on PostgreSQL every
/// connection is a server process, and a plan's cannot serve another's).
const POOL_SIZE: u32 = 2;

/// The host name of plan number `n` (from 1), as `hexplan generate-plans` names it.
fn host(n: usize) -> String {
    format!("plan-{n:03}.hexplan.test")
}

/// Spreads request `k` over the plans, so neighbouring requests go to different plans.
fn plan_for(k: usize, count: usize) -> usize {
    (k * 7919) % count + 1
}

/// A page on plan `plan_for(k)` under load.
async fn pages(
    base: &str,
    count: usize,
    path: impl Fn(usize) -> String + Send + Sync + 'static,
) -> Load {
    let base = base.to_string();
    shared::load(move |client, k| {
        client
            .get(format!("{base}{}", path(k)))
            .header("host", host(plan_for(k, count)))
    })
    .await
}

/// Each plan's map visited once, one plan at a time: each is computed afresh, as on the first
/// visit after the server starts or after the plan's data changed.
async fn first_visits(base: &str, count: usize) {
    let client = reqwest::Client::new();
    let mut times = Vec::new();
    for n in 1..=count {
        let t = Instant::now();
        if let Ok(response) = client
            .get(format!("{base}/"))
            .header("host", host(n))
            .send()
            .await
        {
            if response.status().is_success() && response.bytes().await.is_ok() {
                times.push(t.elapsed().as_secs_f64() * 1000.0);
            }
        }
    }
    times.sort_by(f64::total_cmp);
    println!(
        "## Each plan's map computed afresh\n\nThe first visit to each of the {count} plans' maps, one at a time: median {:.1} ms, p99 {:.1} ms, slowest {:.1} ms ({} of {count} answered).\n",
        quantile(&times, 0.5),
        quantile(&times, 0.99),
        times.last().copied().unwrap_or(f64::NAN),
        times.len()
    );
}

/// Target saves: each client amends its own indicator's target (from `first` on), in a plan of
/// its own when there are enough plans.
async fn target_saves(base: String, count: usize, first: i64) -> Load {
    let mut savers = Vec::new();
    for worker in 0..CONCURRENCY {
        let plan = worker * count / CONCURRENCY + 1;
        savers.push(Saver {
            // `generate-plans` gives each plan's Business Improvement this account.
            cookie: shared::sign_in_at(&base, Some(&host(plan)), "pat.performance").await,
            base: base.clone(),
            host: Some(host(plan)),
            // `generate-plans` names each plan's first council North 001 and so on.
            council: format!("north-{plan:03}"),
            indicator: first + worker as i64,
        });
    }
    shared::target_saves(savers).await
}

/// How the database runs the map's two largest reads, in one plan's database.
async fn query_plans(database: &str) {
    use sqlx::Row;
    let db = app::store::open(database, false)
        .await
        .expect("the plan's database opens");
    let explain = match app::store::Engine::of(&db) {
        app::store::Engine::Sqlite => "EXPLAIN QUERY PLAN",
        app::store::Engine::Postgres => "EXPLAIN",
    };
    println!("## Query plans of the map's largest reads (plan-001)\n");
    for (what, sql) in [
        (
            "the quarter's values",
            "SELECT m.indicator_id, o.code, m.value FROM measurement m LEFT JOIN organisation o ON o.id = m.organisation_id WHERE m.financial_year = 2017 AND m.quarter = 2",
        ),
        (
            "the year's targets",
            "SELECT indicator_id, organisation_id, financial_year, quarter, value, amber_tolerance FROM target WHERE financial_year = 2017",
        ),
    ] {
        println!("{what}:\n\n```");
        let rows = sqlx::query(&format!("{explain} {sql}"))
            .fetch_all(&db)
            .await
            .expect("explains");
        for row in rows {
            // SQLite: id, parent, notused, detail; PostgreSQL: one line of text.
            let line: String = row
                .try_get("detail")
                .or_else(|_| row.try_get(0))
                .unwrap_or_default();
            println!("{line}");
        }
        println!("```\n");
    }
    db.close().await;
}

/// What the plans' databases weigh on disk.
async fn size_on_disk(root: &Path, postgres: Option<&str>) -> f64 {
    match postgres {
        Some(admin) => {
            use sqlx::Connection;
            let mut conn = sqlx::AnyConnection::connect(admin).await.expect("connects");
            let (bytes,): (i64,) = sqlx::query_as(
                "SELECT CAST(SUM(pg_database_size(datname)) AS BIGINT) FROM pg_database WHERE datname LIKE 'hexplan_plan_%'",
            )
            .fetch_one(&mut conn)
            .await
            .expect("sizes");
            bytes as f64
        }
        None => std::fs::read_dir(root.join("plans"))
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok()?.metadata().ok())
                    .map(|m| m.len() as f64)
                    .sum()
            })
            .unwrap_or(0.0),
    }
}

#[tokio::main]
async fn main() {
    sqlx::any::install_default_drivers();
    let args = Flags::read();
    let count: usize = args.number("--plans", 300);
    let postgres = args.value("--postgres");
    let root = std::env::temp_dir().join(format!("hexplan-plans-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).expect("a working directory");
    let plans_file = root.join("plans.toml");
    println!("# Hexplan benchmark: many plans\n");
    println!("{}\n", shared::machine());
    println!("Database: {}, one database per plan\n", args.engine());

    let started = Instant::now();
    let mut generate = Command::new(&args.server);
    generate
        .args([
            "generate-plans",
            "--count",
            &count.to_string(),
            "--plans-file",
        ])
        .arg(&plans_file)
        .arg("--data-dir")
        .arg(&root)
        .stdout(Stdio::null());
    if let Some(admin) = &postgres {
        generate.args(["--postgres", admin]);
    }
    if !generate.status().map(|s| s.success()).unwrap_or(false) {
        eprintln!("generating the plans failed");
        return;
    }
    println!(
        "Generated {count} plans through the workbook import (one, two or three councils; 3–6 themes; 300 indicators each with 40 quarters of values and a target for every year; 20 targets amended with audit records) in {:.0} s: {:.0} MB on disk.\n",
        started.elapsed().as_secs_f64(),
        size_on_disk(&root, postgres.as_deref()).await / 1e6
    );

    let started = Instant::now();
    let server = shared::start_plans(&args.server, &args.site_root, &plans_file, POOL_SIZE).await;
    println!(
        "One process started serving all {count} plans (each database opened and its migrations checked) in {:.1} s, each plan with a pool of at most {POOL_SIZE} connections (`--db-pool-size {POOL_SIZE}`).\n",
        started.elapsed().as_secs_f64()
    );
    let base = server.base.clone();

    first_visits(&base, count).await;
    println!("## {count} plans under load\n");
    println!("{CONCURRENCY} concurrent clients, up to {REQUESTS} requests each measurement; request k goes to plan (k × 7919 mod {count}) + 1 on its own host name, so every plan is visited and neighbouring requests go to different plans. Each plan's map was computed on its first visit (above) and is kept until its data changes, as on a server that has been running.\n");
    shared::print_header("request");
    let css = shared::site_file(&args.site_root, "hexplan", "css");
    let baseline = pages(&base, count, move |_| css.clone()).await;
    print_row(
        "static file: the stylesheet (baseline)",
        &baseline,
        &baseline,
    );
    let map = pages(&base, count, |_| "/".into()).await;
    print_row("map `/`", &map, &baseline);
    let indicator = pages(&base, count, |k| {
        format!("/indicators/{}", 1 + (k * 31) % 300)
    })
    .await;
    print_row("indicator `/indicators/{id}`", &indicator, &baseline);
    let changes = pages(&base, count, |_| "/changes".into()).await;
    print_row("change summary `/changes`", &changes, &baseline);
    // Generated indicators the generator left at their first version.
    let saves = target_saves(base.clone(), count, 200).await;
    print_row(
        "target save `POST /api/amend-target` (16 plans, one client each)",
        &saves,
        &baseline,
    );
    // Both at once: every save moves its plan's data on, so that plan's next map is computed
    // afresh.
    let saving = tokio::spawn(target_saves(base.clone(), count, 230));
    let map = pages(&base, count, |_| "/".into()).await;
    print_row("map `/` while the saves below go on", &map, &baseline);
    if let Ok(saves) = saving.await {
        print_row("target save meanwhile (16 more clients)", &saves, &baseline);
    }
    println!();
    drop(server);

    let first = match &postgres {
        Some(admin) => {
            let (server, _) = admin.rsplit_once('/').expect("a URL with a database");
            format!("{server}/hexplan_plan_001")
        }
        None => format!(
            "sqlite://{}",
            root.join("plans").join("plan-001.db").display()
        ),
    };
    query_plans(&first).await;
    let _ = std::fs::remove_dir_all(&root);
}
