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
        Some(Command::Audit(AuditCommand::Seal(args))) => seal(args).await,
        Some(Command::Audit(AuditCommand::NewKey)) => {
            println!("{}", app::store::audit::new_key());
            0
        }
        Some(Command::AddBusinessImprovement(args)) => add_business_improvement(args).await,
        Some(Command::ImportPlan(args)) => import_plan(args).await,
        Some(Command::ExportPlan(args)) => export_plan(args).await,
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
    // The generated framework extends the demonstration plan.
    let with_demo = server::config::ServeArgs {
        demo: true,
        ..args.database.clone()
    };
    let db = match server::open_database(&with_demo).await {
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
                println!("{whose} verifies: {count} records, none altered or deleted.");
                match (app::store::audit::key(), app::store::audit::head_of(&db).await) {
                    (Some(key), _) => println!(
                        "Every record carries its seal under the audit key {}.",
                        key.id()
                    ),
                    (None, Ok(head)) if head.is_sealed() => println!(
                        "The trail is sealed with the audit key {}; give the key (--audit-key-file or HEXPLAN_AUDIT_KEY) to check the seals too.",
                        head.key_id.unwrap_or_default()
                    ),
                    _ => {}
                }
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

/// Seals the trail with the audit key, moving it from the previous key when one is named.
async fn seal(args: server::config::SealArgs) -> i32 {
    let key = match args.database.audit_key() {
        Ok(Some(key)) => key,
        Ok(None) => {
            eprintln!("hexplan: name the audit key with --audit-key-file (or HEXPLAN_AUDIT_KEY)");
            return 2;
        }
        Err(error) => {
            eprintln!("hexplan: {error}");
            return 2;
        }
    };
    let previous = match server::config::read_key(
        args.previous_audit_key_file.as_deref(),
        "HEXPLAN_PREVIOUS_AUDIT_KEY",
    ) {
        Ok(previous) => previous,
        Err(error) => {
            eprintln!("hexplan: {error}");
            return 2;
        }
    };
    let db = match server::open_as_it_is(&args.database).await {
        Ok(db) => db,
        Err(error) => {
            eprintln!("hexplan: {error}");
            return error.exit_code();
        }
    };
    match app::store::audit::seal_trail(&db, &key, previous.as_ref()).await {
        Ok(count) => {
            println!(
                "Sealed {count} audit records and the head with the audit key {}. Start the servers with this key from now on.",
                key.id()
            );
            0
        }
        Err(error) => {
            eprintln!("hexplan: nothing was sealed: {error}");
            1
        }
    }
}

/// Adds a person in Business Improvement, asking for the password unless a file holds it.
/// Sets the empty plan up from a workbook, as the server's operator.
async fn import_plan(args: server::config::PlanFileArgs) -> i32 {
    let bytes = match std::fs::read(&args.file) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("hexplan: {} cannot be read: {error}", args.file.display());
            return 2;
        }
    };
    let name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let book = match app::spreadsheets::read_plan(&name, &bytes) {
        Ok(book) => book,
        Err(problems) => {
            eprintln!("hexplan: nothing was written; the workbook has these problems:");
            for p in problems {
                let at = [
                    p.sheet.clone(),
                    if p.row > 0 {
                        format!("row {}", p.row)
                    } else {
                        String::new()
                    },
                    p.column.clone(),
                ]
                .into_iter()
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
                eprintln!("  {at}: {}", p.message);
            }
            return 1;
        }
    };
    let db = match server::open_database(&args.database).await {
        Ok(db) => db,
        Err(error) => {
            eprintln!("hexplan: {error}");
            return error.exit_code();
        }
    };
    let started = std::time::Instant::now();
    match app::store::workbook::write(&db, app::store::workbook::Importer::Operator, &book, &name)
        .await
    {
        Ok(()) => {
            println!(
                "set the plan up from {name} in {:.1} s: {}",
                started.elapsed().as_secs_f64(),
                book.describe()
            );
            0
        }
        Err(error) => {
            eprintln!("hexplan: nothing was written: {error}");
            1
        }
    }
}

/// Writes the whole plan to a workbook.
async fn export_plan(args: server::config::PlanFileArgs) -> i32 {
    let db = match server::open_database(&args.database).await {
        Ok(db) => db,
        Err(error) => {
            eprintln!("hexplan: {error}");
            return error.exit_code();
        }
    };
    let written = match app::store::workbook::export(&db).await {
        Ok(book) => app::spreadsheets::write_plan(&book).map_err(|e| e.to_string()),
        Err(error) => Err(error.to_string()),
    }
    .and_then(|bytes| std::fs::write(&args.file, bytes).map_err(|e| e.to_string()));
    match written {
        Ok(()) => {
            println!("wrote the plan to {}", args.file.display());
            0
        }
        Err(error) => {
            eprintln!("hexplan: the plan could not be written: {error}");
            1
        }
    }
}

async fn add_business_improvement(args: server::config::AddBusinessImprovementArgs) -> i32 {
    let password = match &args.password_file {
        Some(file) => std::fs::read_to_string(file)
            .map(|text| text.lines().next().unwrap_or_default().to_string()),
        None => rpassword::prompt_password(format!("Password for {}: ", args.username)),
    };
    let password = match password {
        Ok(password) => password,
        Err(error) => {
            eprintln!("hexplan: the password could not be read: {error}");
            return 2;
        }
    };
    let db = match server::open_database(&args.database).await {
        Ok(db) => db,
        Err(error) => {
            eprintln!("hexplan: {error}");
            return error.exit_code();
        }
    };
    let new = match app::domain::roles::Newcomer::read(
        &args.name,
        &args.job_title,
        &args.email,
        &args.username,
        &password,
    ) {
        Ok(new) => new,
        Err(invalid) => {
            eprintln!("hexplan: no one was added: {}", invalid.message);
            return 1;
        }
    };
    match app::store::people::add_business_improvement(&db, new).await {
        Ok(_) => {
            println!(
                "{} is in Business Improvement and can sign in now, to add everyone else on the People page.",
                args.username
            );
            0
        }
        Err(error) => {
            eprintln!("hexplan: no one was added: {error}");
            1
        }
    }
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
