//! Configuration from command-line flags and the environment.

use app::domain::audit::AuditKey;
use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// An audit key from `file`, or from the environment variable `variable` when no file is
/// named; the message names where it was looked for.
pub fn read_key(file: Option<&Path>, variable: &str) -> Result<Option<AuditKey>, String> {
    let (text, source) = match file {
        Some(file) => (
            std::fs::read_to_string(file).map_err(|error| {
                format!(
                    "the audit key file {} cannot be read: {error}",
                    file.display()
                )
            })?,
            file.display().to_string(),
        ),
        None => match std::env::var(variable) {
            Ok(text) => (text, variable.to_string()),
            Err(_) => return Ok(None),
        },
    };
    AuditKey::from_hex(&text)
        .map(Some)
        .map_err(|error| format!("{source} holds no audit key: {error}"))
}

#[derive(Debug, Parser)]
#[command(
    name = "hexplan",
    version,
    about = "Hexplan: the performance framework of a Joint Strategic Plan"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the site (the default).
    Serve(ServeArgs),
    /// Fill the database with a large generated framework, for benchmarks.
    Generate(GenerateArgs),
    /// Make a deployment of many generated plans, each in its own database, and the plans
    /// file that serves them, for benchmarks.
    GeneratePlans(GeneratePlansArgs),
    /// Work with the audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Copy the database to a new file while the server runs, and check the copy.
    Backup(BackupArgs),
    /// Check a backup and put it in place as the data directory's database.
    Restore(RestoreArgs),
    /// Add a person in Business Improvement, who can sign in and add everyone else: the first
    /// account of a new plan, or a way back in. The password is read from a prompt, or from a
    /// file, never from the command line.
    AddBusinessImprovement(AddBusinessImprovementArgs),
    /// Set an empty plan up from a plan's workbook (XLSX): checked whole first, every problem
    /// listed by sheet, row and column, and nothing written unless all is right.
    ImportPlan(PlanFileArgs),
    /// Write the whole plan to a workbook (XLSX), as Business Improvement downloads it.
    ExportPlan(PlanFileArgs),
}

#[derive(Debug, Clone, Args)]
pub struct PlanFileArgs {
    #[command(flatten)]
    pub database: ServeArgs,
    /// The workbook to read or write, such as plan.xlsx.
    #[arg(long)]
    pub file: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct AddBusinessImprovementArgs {
    #[command(flatten)]
    pub database: ServeArgs,
    /// Their full name, such as "Claire Whitby".
    #[arg(long)]
    pub name: String,
    /// Their job title.
    #[arg(long, default_value = "Business Improvement")]
    pub job_title: String,
    /// Their email address.
    #[arg(long)]
    pub email: String,
    /// The username they sign in with, such as claire.whitby.
    #[arg(long)]
    pub username: String,
    /// A file whose first line is the password (for scripts); without it, the password is
    /// asked for at a prompt that does not show it.
    #[arg(long)]
    pub password_file: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct BackupArgs {
    #[command(flatten)]
    pub database: ServeArgs,
    /// The new file to write, such as backups/hexplan-2018-03-05.db.
    #[arg(long)]
    pub to: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct RestoreArgs {
    /// The backup to restore.
    #[arg(long)]
    pub from: PathBuf,
    /// The data directory to restore into.
    #[arg(long, env = "HEXPLAN_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// Replace the database already there (stop the server first); it is kept beside the
    /// restored one as hexplan.db.before-restore.
    #[arg(long)]
    pub replace: bool,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check that no audit record has been altered or deleted; names the first broken one.
    /// With the audit key, also that every record carries its seal.
    Verify(ServeArgs),
    /// Seal every record with the audit key (`--audit-key-file` or HEXPLAN_AUDIT_KEY), once
    /// the trail verifies: when a key is first used, or, with the previous key, to move to a
    /// new one. Stop the servers first, and start them again with the key.
    Seal(SealArgs),
    /// Print a new random audit key (64 hexadecimal digits) to keep in a file.
    NewKey,
}

#[derive(Debug, Clone, Args)]
pub struct SealArgs {
    #[command(flatten)]
    pub database: ServeArgs,
    /// The file holding the key the trail is sealed with now, when moving to a new key.
    #[arg(long)]
    pub previous_audit_key_file: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// The address to listen on.
    #[arg(long, env = "HEXPLAN_ADDRESS", default_value = "127.0.0.1:3000")]
    pub address: SocketAddr,
    /// Where the embedded database lives.
    #[arg(long, env = "HEXPLAN_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// The database to use: an SQLite file (`sqlite://…`, by default `hexplan.db` in the data
    /// directory) or PostgreSQL (`postgres://…`).
    #[arg(long, env = "HEXPLAN_DATABASE_URL")]
    pub database_url: Option<String>,
    /// How many database connections this server keeps at most, for each plan when it serves
    /// many (on PostgreSQL, keep the sum over all servers and plans in use below the
    /// database's `max_connections`).
    #[arg(long, env = "HEXPLAN_DB_POOL_SIZE", default_value_t = app::store::PoolSettings::default().max_connections)]
    pub db_pool_size: u32,
    /// How long one PostgreSQL statement may run, in seconds, before the database stops it.
    #[arg(long, env = "HEXPLAN_DB_STATEMENT_TIMEOUT", default_value_t = app::store::PoolSettings::default().statement_timeout.as_secs())]
    pub db_statement_timeout: u64,
    /// The built site (WebAssembly, JavaScript, CSS and assets), as cargo-leptos writes it.
    #[arg(long, env = "HEXPLAN_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,
    /// Load the demonstration plan, with its demonstration accounts, into a new, empty
    /// database. Without it a new database starts empty, with no one able to sign in until
    /// `hexplan add-business-improvement` adds the first account.
    #[arg(long, env = "HEXPLAN_DEMO")]
    pub demo: bool,
    /// The file holding the audit key (64 hexadecimal digits) that seals the audit trail;
    /// HEXPLAN_AUDIT_KEY may hold the key itself instead. Keep it outside the database and its
    /// backups (see the README).
    #[arg(long, env = "HEXPLAN_AUDIT_KEY_FILE")]
    pub audit_key_file: Option<PathBuf>,
    /// Take each client's address from the last entry of X-Forwarded-For, which the reverse
    /// proxy in front of Hexplan adds; set it only behind such a proxy, since otherwise anyone
    /// could claim any address.
    #[arg(long, env = "HEXPLAN_BEHIND_PROXY")]
    pub behind_proxy: bool,
    /// How many sign-in attempts one client address may make a minute (twice as many at
    /// once), across all accounts.
    #[arg(long, env = "HEXPLAN_SIGN_INS_PER_MINUTE", default_value_t = 10)]
    pub sign_ins_per_minute: u32,
    /// Mark session cookies Secure: set this when the site is served over HTTPS (they are
    /// also marked Secure whenever a proxy sends X-Forwarded-Proto: https).
    #[arg(long, env = "HEXPLAN_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// The SMTP relay reminders are sent through, such as
    /// `smtp://relay.council.gov.uk:587?tls=required`; without one, no email is sent.
    #[arg(long, env = "HEXPLAN_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// The address reminders come from.
    #[arg(
        long,
        env = "HEXPLAN_MAIL_FROM",
        default_value = "Hexplan <hexplan@localhost>"
    )]
    pub mail_from: String,
    /// The site's public address, for links in emails; by default the address listened on.
    #[arg(long, env = "HEXPLAN_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Serve many plans, each on its own host names with its own database, as this TOML
    /// file lists them (see the README). Without it, one plan on every host name.
    #[arg(long, env = "HEXPLAN_PLANS")]
    pub plans: Option<PathBuf>,
}

impl ServeArgs {
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("hexplan.db").display()))
    }

    /// The audit key from its file, or from HEXPLAN_AUDIT_KEY, if either is given.
    pub fn audit_key(&self) -> Result<Option<AuditKey>, String> {
        read_key(self.audit_key_file.as_deref(), "HEXPLAN_AUDIT_KEY")
    }

    pub fn pool_settings(&self) -> app::store::PoolSettings {
        app::store::PoolSettings {
            max_connections: self.db_pool_size.max(1),
            statement_timeout: std::time::Duration::from_secs(self.db_statement_timeout.max(1)),
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct GenerateArgs {
    #[command(flatten)]
    pub database: ServeArgs,
    /// How many indicators to add.
    #[arg(long, default_value_t = 10_000)]
    pub indicators: u32,
    /// How many quarters of values each gets, ending at 2017/18 Q2.
    #[arg(long, default_value_t = 40)]
    pub quarters: u32,
}

#[derive(Debug, Clone, Args)]
pub struct GeneratePlansArgs {
    /// The plans file to write (it lists every plan made).
    #[arg(long)]
    pub plans_file: PathBuf,
    /// Where the plans' SQLite files go (in its `plans` folder).
    #[arg(long, env = "HEXPLAN_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// Put each plan in a database of its own on this PostgreSQL server instead (a URL whose
    /// role may create databases); plan-001 gets hexplan_plan_001, and so on.
    #[arg(long)]
    pub postgres: Option<String>,
    /// How many plans to make.
    #[arg(long, default_value_t = 300)]
    pub count: u32,
    /// How many indicators each plan has in all.
    #[arg(long, default_value_t = 300)]
    pub indicators: u32,
    /// How many quarters of values each indicator gets, from 2015/16 Q1 (the last is open
    /// for returns).
    #[arg(long, default_value_t = 40)]
    pub quarters: u32,
    /// How many targets of each plan are amended afterwards, each with its audit record.
    #[arg(long, default_value_t = 20)]
    pub amendments: u32,
    /// The plans' host names are plan-001.<domain>, and so on.
    #[arg(long, default_value = "hexplan.test")]
    pub domain: String,
}
