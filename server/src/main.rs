//! `hexplan`: serves the site, or runs one of its commands.

use clap::Parser;
use server::config::{AuditCommand, Cli, Command};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    let cli = Cli::parse();
    let code = match cli.command {
        None => serve(cli.serve).await,
        Some(Command::Serve(args)) => serve(args).await,
        Some(Command::Generate(args)) => generate(args).await,
        Some(Command::GeneratePlans(args)) => generate_plans(args).await,
        Some(Command::Audit(AuditCommand::Verify(args))) => verify(args).await,
        Some(Command::Backup(args)) => backup(args).await,
        Some(Command::Restore(args)) => restore(args).await,
    };
    std::process::exit(code);
}

async fn serve(args: server::config::ServeArgs) -> i32 {
    match server::start(args, server::shutdown_signal()).await {
        Ok(running) => {
            tracing::info!("Hexplan is listening on http://{}", running.address);
            match running.serve.await {
                Ok(()) => 0,
                Err(error) => {
                    eprintln!("hexplan: the server stopped: {error}");
                    1
                }
            }
        }
        Err(error) => {
            eprintln!("hexplan: {error}");
            error.exit_code()
        }
    }
}

async fn generate(args: server::config::GenerateArgs) -> i32 {
    let db = match server::open_database(&args.database).await {
        Ok(db) => db,
        Err(error) => {
            eprintln!("hexplan: {error}");
            return error.exit_code();
        }
    };
    match app::store::generate::scaled(&db, args.indicators, args.quarters).await {
        Ok(added) => {
            println!(
                "added {added} indicators with {} quarters of values each",
                args.quarters
            );
            0
        }
        Err(error) => {
            eprintln!("hexplan: generating failed: {error}");
            1
        }
    }
}

async fn generate_plans(args: server::config::GeneratePlansArgs) -> i32 {
    match server::generate::plans(&args).await {
        Ok(()) => {
            println!(
                "made {} plans of {} indicators with {} quarters of values; they are listed in {}",
                args.count,
                args.indicators,
                args.quarters,
                args.plans_file.display()
            );
            0
        }
        Err(error) => {
            eprintln!("hexplan: generating the plans failed: {error}");
            1
        }
    }
}

/// Verifies the audit trail of the plan, or of every plan the plans file lists.
async fn verify(args: server::config::ServeArgs) -> i32 {
    use app::store::audit::{verify_chain, Verification};
    let plans = match server::open_plans(&args).await {
        Ok(plans) => plans,
        Err(error) => {
            eprintln!("hexplan: {error}");
            return error.exit_code();
        }
    };
    let named = args.plans.is_some();
    let mut code = 0;
    for (plan, db) in plans {
        let whose = if named {
            format!("The audit trail of {}", plan.slug)
        } else {
            "The audit trail".to_string()
        };
        match verify_chain(&db).await {
            Ok(Verification::Verified(count)) => {
                println!("{whose} verifies: {count} records, none altered or deleted.")
            }
            Ok(Verification::Broken(broken)) => {
                println!("{whose} does not verify: {broken}.");
                code = code.max(1);
            }
            Err(error) => {
                eprintln!("hexplan: {whose} could not be read: {error}");
                code = 2;
            }
        }
    }
    code
}

async fn backup(args: server::config::BackupArgs) -> i32 {
    let db = match server::open_database(&args.database).await {
        Ok(db) => db,
        Err(error) => {
            eprintln!("hexplan: {error}");
            return error.exit_code();
        }
    };
    match app::store::backup::back_up(&db, &args.to).await {
        Ok(checked) => {
            println!(
                "Backed up to {}: the copy passes SQLite's integrity check and its audit trail of {} records verifies.",
                args.to.display(),
                checked.audit_records
            );
            0
        }
        Err(error) => {
            eprintln!("hexplan: the backup failed: {error}");
            1
        }
    }
}

async fn restore(args: server::config::RestoreArgs) -> i32 {
    match app::store::backup::restore(&args.from, &args.data_dir, args.replace).await {
        Ok(checked) => {
            println!(
                "Restored {} into {}: its audit trail of {} records verifies. Start the server to use it.",
                args.from.display(),
                args.data_dir.display(),
                checked.audit_records
            );
            0
        }
        Err(error) => {
            eprintln!("hexplan: nothing was restored: {error}");
            1
        }
    }
}
