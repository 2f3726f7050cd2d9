//! The Hexplan server: configuration, start-up, the router and graceful shutdown.

pub mod auth;
pub mod config;
pub mod downloads;
pub mod errors;
pub mod live;
pub mod relay;
pub mod reports;
pub mod routes;
pub mod security;

use app::store::{self, Db};
use axum::serve::ListenerExt;
use config::ServeArgs;
use leptos::config::LeptosOptions;
use std::net::SocketAddr;
use tokio::net::TcpListener;

/// Why the server could not start; each has its own exit code.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Database(#[from] store::OpenError),
    #[error("could not create the data directory {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error("the reminder email settings cannot be used: {0}")]
    Mail(String),
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
            StartError::Database(_) | StartError::DataDir { .. } | StartError::Mail(_) => 2,
            StartError::Listen { .. } => 4,
        }
    }
}

/// Opens the database the arguments name, creating the data directory when needed.
pub async fn open_database(args: &ServeArgs) -> Result<Db, StartError> {
    if args.database_url.is_none() {
        std::fs::create_dir_all(&args.data_dir).map_err(|source| StartError::DataDir {
            path: args.data_dir.display().to_string(),
            source,
        })?;
    }
    Ok(store::open_with(&args.database_url(), !args.no_demo, args.pool_settings()).await?)
}

/// The options leptos needs to render pages and find the built site.
pub fn leptos_options(args: &ServeArgs, address: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("hexplan")
        .site_root(args.site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(address)
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
    let db = open_database(&args).await?;
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
    let mailer = match &args.smtp_url {
        Some(url) => {
            let site = args
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{address}"));
            Some(app::mail::Mailer::new(url, &args.mail_from, &site).map_err(StartError::Mail)?)
        }
        None => None,
    };
    // With PostgreSQL there may be other servers: live sessions are relayed through it.
    let broker = match app::store::Engine::of(&db) {
        app::store::Engine::Sqlite => app::live::Broker::default(),
        app::store::Engine::Postgres => {
            let (broker, news) = app::live::Broker::relayed();
            relay::start(db.clone(), args.database_url(), broker.clone(), news);
            broker
        }
    };
    let router = routes::router(
        db,
        broker,
        leptos_options(&args, address),
        args.secure_cookies,
        mailer,
    );
    // Without TCP_NODELAY a response written in several pieces (a file, a streamed page)
    // waits on delayed acknowledgements: 40 ms a request on Linux.
    let listener = listener.tap_io(|tcp| {
        if let Err(error) = tcp.set_nodelay(true) {
            tracing::warn!(%error, "could not set TCP_NODELAY");
        }
    });
    let serve = axum::serve(listener, router.into_make_service()).with_graceful_shutdown(shutdown);
    Ok(Running {
        address,
        serve: Box::pin(async move { serve.await }),
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
