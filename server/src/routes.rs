//! The router: pages and server functions from leptos, the HexJSON layout and the health check.

use crate::{auth, downloads};
use app::store::map::MapCache;
use app::store::{self, Db};
use app::{shell, App};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::state::AppState;

/// Puts the plan's identity (title, header, councils) into the request for the pages' shell,
/// read afresh each time so a change shows at once, on every server. It runs after
/// `attach_user`, and reads nothing when that found the database unreachable.
async fn attach_plan(
    State(state): State<AppState>,
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let unreachable = request
        .extensions()
        .get::<auth::DatabaseUnreachable>()
        .is_some();
    // Pages need the plan's identity (their title, header and breadcrumbs); server
    // functions and files answer without it.
    let path = request.uri().path();
    if !unreachable && !auth::is_asset(path) && !path.starts_with("/api/") {
        match store::plan::identity(&state.db).await {
            Ok(plan) => {
                request.extensions_mut().insert(plan);
            }
            Err(error) => tracing::error!(%error, "reading the plan's identity"),
        }
    }
    next.run(request).await
}

/// What one plan's router serves with.
pub struct Served {
    pub db: Db,
    pub broker: app::live::Broker,
    pub leptos_options: LeptosOptions,
    pub secure_cookies: bool,
    pub mailer: Option<app::mail::Mailer>,
    pub form_seal: app::security::FormSeal,
    pub sign_ins: crate::sign_ins::SignIns,
}

pub fn router(served: Served) -> Router {
    let mailer = served.mailer;
    let state = AppState {
        leptos_options: served.leptos_options,
        db: served.db,
        secure_cookies: served.secure_cookies,
        broker: served.broker,
        form_seal: served.form_seal,
        sign_ins: served.sign_ins,
    };
    let broker = state.broker.clone();
    let form_seal = state.form_seal.clone();
    // The site's own files, compressed once at build time, answered "not modified" when the
    // browser's copy is current (leptos' file handler passes on no validators).
    let site_root = std::path::PathBuf::from(state.leptos_options.site_root.as_ref());
    let files = |folder: &str| {
        ServeDir::new(site_root.join(folder))
            .precompressed_br()
            .precompressed_gzip()
    };
    let routes = route_list();
    let context_db = state.db.clone();
    let map_cache = Arc::new(MapCache::default());
    Router::new()
        .route("/healthz", get(healthz))
        .nest_service("/pkg", files("pkg"))
        .nest_service("/vendor", files("vendor"))
        .route("/api/map.hexjson", get(hexjson))
        .route("/changes.csv", get(change_summary_csv))
        .merge(downloads::routes())
        .merge(crate::report_pages::routes())
        .merge(crate::pictures::routes())
        .route("/reviews/{id}/live", get(crate::live::follow))
        .route("/sign-in", post(auth::sign_in))
        .route("/sign-out", post(auth::sign_out))
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(context_db.clone());
                provide_context(map_cache.clone());
                provide_context(broker.clone());
                provide_context(form_seal.clone());
                if let Some(mailer) = &mailer {
                    provide_context(mailer.clone());
                }
            },
            {
                let options = state.leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        // No form comes near this; a larger body is refused, declared or sent in chunks.
        .layer(axum::middleware::from_fn(crate::forms::within_form_limit))
        .merge(downloads::upload())
        // Inside `attach_user`, so it knows whose form it seals a message for.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::forms::seal_returned_errors,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            attach_plan,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::attach_user,
        ))
        .layer(axum::middleware::from_fn(auth::same_origin))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::security::headers,
        ))
        .layer(CompressionLayer::new())
        // No request may hang a connection for ever.
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// The application's routes, generated once per process. Generating them renders the app with
/// resource loading suppressed process-wide (leptos_server's `SuppressResourceLoad`), so a page
/// another server in the same process begins rendering meanwhile would wait for ever (leptos
/// issue #4773; it hung one request in a dozen runs of the integration tests, which start many
/// servers at once). Once, before any server in the process serves, nothing can overlap it.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// 200 when the database answers, 503 when it does not.
async fn healthz(State(db): State<Db>) -> impl IntoResponse {
    match sqlx::query("SELECT 1").execute(&db).await {
        Ok(_) => (StatusCode::OK, "ok"),
        Err(error) => {
            tracing::warn!(%error, "health check: the database did not answer");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "the database is unavailable",
            )
        }
    }
}

/// The map's layout in the ODI Leeds HexJSON format.
async fn hexjson(State(db): State<Db>) -> impl IntoResponse {
    match store::map::hexjson(&db).await {
        Ok(layout) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "application/json"),
                (
                    header::CONTENT_DISPOSITION,
                    "inline; filename=\"jsp-map.hexjson\"",
                ),
            ],
            serde_json::to_string_pretty(&layout).unwrap_or_default(),
        )
            .into_response(),
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the map layout could not be read",
        )
            .into_response(),
    }
}

/// The dates a change summary was asked for, as typed.
#[derive(serde::Deserialize)]
struct AskedInterval {
    from: Option<String>,
    to: Option<String>,
}

/// The change summary as CSV, with the columns of the bulletin's table.
async fn change_summary_csv(
    State(db): State<Db>,
    axum::extract::Query(asked): axum::extract::Query<AskedInterval>,
) -> axum::response::Response {
    let interval =
        match app::api::changes::interval(&db, asked.from.as_deref(), asked.to.as_deref()).await {
            Ok(interval) => interval,
            Err(error) => return error.into_response(),
        };
    let summary = match store::changes::summary(&db, interval).await {
        Ok(summary) => summary,
        Err(error) => return error.into_response(),
    };
    downloads::download(
        &store::changes::summary_table(&summary),
        app::spreadsheets::Kind::Csv,
        &format!(
            "change-summary-{}-to-{}",
            interval.from.iso(),
            interval.to.iso()
        ),
    )
}
