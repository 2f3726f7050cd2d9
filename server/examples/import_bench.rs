//! `make bench-import`: how long setting a plan up from its workbook takes, from the command
//! line (`hexplan import-plan`, a new process on a new database each time): the
//! demonstration, and a generated plan of 300 indicators with 40 quarters of values for two
//! councils. Each is set beside the smallest plan imported the same way in the same run (the
//! ratio is the figure: these machines are shared and noisy), and beside reading and
//! checking its workbook alone, in this process.
//!
//! Usage: cargo run --release -p server --example import_bench -- --server target/release/hexplan --site-root target/site

#[allow(dead_code)]
mod shared;

use app::domain::workbook::generated::{self, Shape};
use app::domain::workbook::PlanBook;
use shared::Flags;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

/// The best of `runs` imports of `file` into new databases, in milliseconds.
async fn import(args: &Flags, root: &Path, name: &str, file: &Path, runs: usize) -> f64 {
    let mut best = f64::MAX;
    for run in 0..runs {
        let dir = root.join(format!("{name}-{run}"));
        let mut command = Command::new(&args.server);
        if let Some(url) = args.database(&format!("import_{name}_{run}")).await {
            command.env("HEXPLAN_DATABASE_URL", url);
        }
        let started = Instant::now();
        let status = command
            .args(["import-plan", "--file"])
            .arg(file)
            .arg("--data-dir")
            .arg(&dir)
            .stdout(Stdio::null())
            .status();
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        assert!(
            status.map(|s| s.success()).unwrap_or(false),
            "importing {name} failed"
        );
        best = best.min(ms);
    }
    best
}

#[tokio::main]
async fn main() {
    let args = Flags::read();
    let root = std::env::temp_dir().join(format!("hexplan-import-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).expect("a scratch folder");
    println!("# Setting a plan up from its workbook\n");
    println!("{}\n", shared::machine());
    println!("Database: {}\n", args.engine());
    let smallest = generated::plan(Shape {
        number: 1,
        councils: 1,
        themes: 1,
        outcomes_per_theme: 1,
        outputs_per_outcome: 1,
        indicators: 1,
        quarters: 1,
    });
    let demonstration = app::store::demo::plan().expect("the demonstration's sheets read");
    let large = generated::plan(Shape {
        number: 2,
        councils: 2,
        themes: 6,
        outcomes_per_theme: 3,
        outputs_per_outcome: 3,
        indicators: 300,
        quarters: 40,
    });
    let plans: [(&str, &PlanBook); 3] = [
        ("smallest", &smallest),
        ("demonstration", &demonstration),
        ("300 indicators × 40 quarters", &large),
    ];
    println!("| Plan | Values | Workbook (KB) | Read and checked (ms) | Set up (ms, best of 3) | × smallest |");
    println!("|---|---:|---:|---:|---:|---:|");
    let mut baseline = None;
    for (index, (name, book)) in plans.iter().enumerate() {
        let bytes = app::spreadsheets::write_plan(book).expect("the workbook is written");
        let file = root.join(format!("plan-{index}.xlsx"));
        std::fs::write(&file, &bytes).expect("the workbook is saved");
        let started = Instant::now();
        let read = app::spreadsheets::read_plan("plan.xlsx", &bytes).expect("the workbook reads");
        let read_ms = started.elapsed().as_secs_f64() * 1000.0;
        assert_eq!(&&read, book, "{name} reads back as written");
        let ms = import(&args, &root, &format!("plan{index}"), &file, 3).await;
        let baseline_ms = *baseline.get_or_insert(ms);
        println!(
            "| {name} | {} | {:.0} | {read_ms:.0} | {ms:.0} | {:.1}× |",
            book.values.len(),
            bytes.len() as f64 / 1024.0,
            ms / baseline_ms
        );
    }
    let _ = std::fs::remove_dir_all(&root);
}
