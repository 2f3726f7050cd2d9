//! The Hexplan server: configuration, start-up, the router and graceful shutdown.

pub mod auth;
pub mod config;
pub mod downloads;
pub mod forms;
pub mod generate;
pub mod live;
pub mod pictures;
pub mod plans;
pub mod relay;
pub mod report_pages;
pub mod routes;
pub mod security;
pub mod serve;
pub mod sign_ins;
pub mod state;

use app::store::{self, Db};
use config::ServeArgs;
use leptos::config::LeptosOptions;
use plans::Plan;
use std::net::SocketAddr;
use tokio::net::TcpListener;

/// Why the server could not start; each has its own exit code.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Database(#[from] store::OpenError),
    #[error(transparent)]
    Plans(#[from] plans::PlansError),
    #[error("could not create the data directory {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error("the reminder email settings cannot be used: {0}")]
    Mail(String),
    #[error("{0}")]
    AuditKey(String),
    #[error("the audit trail of {plan}: {source}")]
    AuditTrail {
        plan: String,
        source: store::audit::StartCheck,
    },
    #[error("could not listen on {address}: {source}")]
    Listen {
        address: SocketAddr,
        source: std::io::Error,
    },
}

impl StartError {
    pub fn exit_code(&self) -> i32 {
        match self {
            StartError::Database(store::OpenError::Migrate(_)) => 3,
            StartError::Database(_)
            | StartError::Plans(_)
            | StartError::DataDir { .. }
            | StartError::Mail(_)
            | StartError::AuditKey(_)
            | StartError::AuditTrail { .. } => 2,
            StartError::Listen { .. } => 4,
        }
    }
}

/// Opens the database the arguments name, creating the data directory when needed, with the
/// audit key the arguments give.
pub async fn open_database(args: &ServeArgs) -> Result<Db, StartError> {
    use_audit_key(args)?;
    open_plan(args, &args.database_url(), args.demo).await
}

/// Opens the database the arguments name as it is: no demonstration data, and no audit key,
/// so nothing is sealed until the trail is sealed as a whole.
pub async fn open_as_it_is(args: &ServeArgs) -> Result<Db, StartError> {
    open_plan(args, &args.database_url(), false).await
}

/// Seals the audit records this process writes with the key the arguments give, if any.
fn use_audit_key(args: &ServeArgs) -> Result<(), StartError> {
    store::audit::use_key(args.audit_key().map_err(StartError::AuditKey)?)
        .map_err(|error| StartError::AuditKey(error.to_string()))
}

/// Opens a plan's database at `url`. An SQLite file in the data directory (the default, and
/// the plans' own files) gets its folder made when needed; one named elsewhere must have one.
async fn open_plan(args: &ServeArgs, url: &str, seed: bool) -> Result<Db, StartError> {
    if let Some(file) = url.strip_prefix("sqlite://") {
        let file = std::path::Path::new(file.split('?').next().unwrap_or(file));
        if let Some(folder) = file.parent().filter(|p| p.starts_with(&args.data_dir)) {
            std::fs::create_dir_all(folder).map_err(|source| StartError::DataDir {
                path: folder.display().to_string(),
                source,
            })?;
        }
    }
    Ok(store::open_with(url, seed, args.pool_settings()).await?)
}

/// The plans to serve: those the plans file lists, or the one plan of the embedded default,
/// on every host name.
pub fn plans_of(args: &ServeArgs) -> Result<Vec<Plan>, StartError> {
    match &args.plans {
        Some(path) => Ok(plans::read(path, &args.data_dir)?),
        None => Ok(vec![Plan {
            slug: "plan".into(),
            hosts: Vec::new(),
            database: args.database_url(),
            demo: args.demo,
            public_url: args.public_url.clone(),
        }]),
    }
}

/// Opens every plan's database, in the order listed, with the audit key the arguments give.
pub async fn open_plans(args: &ServeArgs) -> Result<Vec<(Plan, Db)>, StartError> {
    use_audit_key(args)?;
    let mut opened = Vec::new();
    for plan in plans_of(args)? {
        let db = open_plan(args, &plan.database, plan.demo).await?;
        opened.push((plan, db));
    }
    Ok(opened)
}

/// Checks each plan's audit trail takes this process's audit key, and tells the operator of a
/// plan no one can sign in to how to add its first account.
async fn ready_to_serve(plans: &[(Plan, Db)], serves_many: bool) -> Result<(), StartError> {
    for (plan, db) in plans {
        store::audit::check_key_at_start(db)
            .await
            .map_err(|source| StartError::AuditTrail {
                plan: plan.slug.clone(),
                source,
            })?;
        if !store::people::anyone_manages_people(db)
            .await
            .unwrap_or(true)
        {
            let database = if serves_many {
                format!(" --database-url {}", store::redacted(&plan.database))
            } else {
                String::new()
            };
            tracing::warn!(
                "No one can sign in to {} yet. Add the first Business Improvement account with: hexplan add-business-improvement{database} --name \"Your Name\" --email you@council.gov.uk --username your.name (it asks for the password)",
                if serves_many { plan.slug.as_str() } else { "this plan" },
            );
        }
    }
    Ok(())
}

/// The options leptos needs to render pages and find the built site. A release build names
/// the site's files by their content's hash, listed in `hash.txt` beside the binary.
pub fn leptos_options(args: &ServeArgs, address: SocketAddr) -> LeptosOptions {
    let hashed = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.join("hash.txt")))
        .is_some_and(|file| file.exists());
    LeptosOptions::builder()
        .output_name("hexplan")
        .site_root(args.site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(address)
        .hash_files(hashed)
        .build()
}

/// A server that is listening: its address, and the future that serves until shutdown.
pub struct Running {
    pub address: SocketAddr,
    pub serve: std::pin::Pin<Box<dyn std::future::Future<Output = std::io::Result<()>> + Send>>,
}

/// Opens the database, binds the address and returns the server, ready to run.
pub async fn start(
    args: ServeArgs,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<Running, StartError> {
    let plans = open_plans(&args).await?;
    let serves_many = args.plans.is_some();
    ready_to_serve(&plans, serves_many).await?;
    let listener = TcpListener::bind(args.address)
        .await
        .map_err(|source| StartError::Listen {
            address: args.address,
            source,
        })?;
    let address = listener.local_addr().map_err(|source| StartError::Listen {
        address: args.address,
        source,
    })?;
    let mut relayed = Vec::new();
    // One count of sign-in attempts per client address, across every plan served.
    let sign_ins = sign_ins::SignIns::new(args.sign_ins_per_minute, args.behind_proxy);
    let mut hub = None;
    let mut served = Vec::new();
    for (plan, db) in plans {
        let site = match (&plan.public_url, plan.hosts.first()) {
            (Some(url), _) => url.clone(),
            (None, Some(host)) if args.secure_cookies => format!("https://{host}"),
            (None, Some(host)) => format!("http://{host}:{}", address.port()),
            (None, None) => format!("http://{address}"),
        };
        let mailer = match &args.smtp_url {
            Some(url) => Some(
                app::mail::Mailer::new(url, &args.mail_from, &site).map_err(StartError::Mail)?,
            ),
            None => None,
        };
        // With PostgreSQL there may be other servers: live sessions are relayed through it.
        let broker = match app::store::Engine::of(&db) {
            app::store::Engine::Sqlite => app::live::Broker::default(),
            app::store::Engine::Postgres => {
                let (broker, news) = app::live::Broker::relayed();
                hub.get_or_insert_with(|| (db.clone(), plan.database.clone()));
                relayed.push(relay::Relayed {
                    plan: plan.slug.clone(),
                    broker: broker.clone(),
                    news,
                });
                broker
            }
        };
        let form_seal = store::secrets::secret(&db, "form_errors")
            .await
            .map_err(|source| store::OpenError::Open {
                url: store::redacted(&plan.database),
                source,
            })?;
        let router = routes::router(routes::Served {
            db,
            broker,
            leptos_options: leptos_options(&args, address),
            secure_cookies: args.secure_cookies,
            mailer,
            form_seal: app::security::FormSeal::new(&form_seal),
            sign_ins: sign_ins.clone(),
        });
        served.push((plan, router));
    }
    if let Some((db, url)) = hub {
        relay::start(db, url, relayed);
    }
    let router = if serves_many {
        plans::by_host(served)
    } else {
        // The embedded default: its one plan answers on every host name.
        served
            .into_iter()
            .map(|(_, router)| router)
            .next()
            .unwrap_or_default()
    };
    Ok(Running {
        address,
        serve: Box::pin(serve::serve(listener, router, shutdown)),
    })
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
