//! The router: pages and server functions from leptos, the HexJSON layout and the health check.

use app::store::map::MapCache;
use app::store::{self, Db};
use app::{shell, App};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

#[derive(Clone, axum::extract::FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
}

pub fn router(db: Db, leptos_options: LeptosOptions) -> Router {
    let state = AppState { leptos_options, db };
    let routes = generate_route_list(App);
    let context_db = state.db.clone();
    let map_cache = Arc::new(MapCache::default());
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/map.hexjson", get(hexjson))
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(context_db.clone());
                provide_context(map_cache.clone());
            },
            {
                let options = state.leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
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
