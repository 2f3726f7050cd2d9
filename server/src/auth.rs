//! Signing in and out, the session cookie, the limits on sign-in attempts, and the guard
//! against cross-site requests.

use crate::state::AppState;
use app::session::SignedIn;
use app::store::accounts::{self, SignInError};
use axum::extract::{ConnectInfo, Form, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use serde::Deserialize;
use std::net::SocketAddr;
use time::OffsetDateTime;

pub const COOKIE: &str = "hexplan_session";

/// The session token the browser sent, if any.
pub(crate) fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == COOKIE && !value.is_empty()).then(|| value.to_string())
        })
}

/// The site's own files (the WebAssembly, scripts, styles and icons), the same for everyone:
/// no page, download or server function is under these addresses.
pub(crate) fn is_asset(path: &str) -> bool {
    path.starts_with("/pkg/")
        || path.starts_with("/vendor/")
        || (path.rfind('/') == Some(0) && (path.ends_with(".js") || path.ends_with(".svg")))
}

/// Puts the signed-in person, if any, into the request for pages and server functions (not
/// for the site's own files, which need no one).
pub async fn attach_user(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    if is_asset(request.uri().path()) {
        return next.run(request).await;
    }
    if let Some(token) = session_token(request.headers()) {
        match accounts::user_for_token(&state.db, &token, OffsetDateTime::now_utc()).await {
            Ok(Some(user)) => {
                request.extensions_mut().insert(SignedIn(user));
            }
            Ok(None) => {}
            Err(error) => {
                tracing::error!(%error, "reading the session");
                request.extensions_mut().insert(DatabaseUnreachable);
            }
        }
    }
    next.run(request).await
}

/// Where a person lands after signing in: the map, or, for Business Improvement while the
/// plan has no council or theme yet, the page that sets the plan up.
async fn landing(db: &app::store::Db, token: &str) -> &'static str {
    let shapes_plan = accounts::user_for_token(db, token, OffsetDateTime::now_utc())
        .await
        .ok()
        .flatten()
        .is_some_and(|user| user.may(app::domain::roles::Action::ShapePlan));
    if shapes_plan && app::store::shaping::unfinished(db).await.unwrap_or(false) {
        "/plan"
    } else {
        "/"
    }
}

/// Marks a request whose session could not be read because the database did not answer, so
/// what runs after it does not wait for the database a second time.
#[derive(Clone, Copy)]
pub struct DatabaseUnreachable;

/// Refuses state-changing requests that did not come from Hexplan's own pages: the browser's
/// Origin (or, failing that, Referer) must name the host the request was sent to.
pub async fn same_origin(request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) || from_own_pages(request.headers())
    {
        return next.run(request).await;
    }
    (
        StatusCode::FORBIDDEN,
        "Forbidden: this request did not come from Hexplan's own pages.",
    )
        .into_response()
}

/// Whether the browser's Origin (or, failing that, Referer) names the host the request was
/// sent to: a request from Hexplan's own pages.
pub(crate) fn from_own_pages(headers: &HeaderMap) -> bool {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let source = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let source_host = source
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_default();
    !host.is_empty() && source_host == host
}

/// Whether the browser is on HTTPS (so cookies are marked Secure and HSTS is sent): when
/// configured, or when a proxy says the browser
/// used HTTPS.
pub(crate) fn secure(state: &AppState, headers: &HeaderMap) -> bool {
    state.secure_cookies
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            == Some("https")
}

fn cookie(token: &str, max_age_seconds: i64, secure: bool) -> String {
    format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_seconds}{}",
        if secure { "; Secure" } else { "" }
    )
}

#[derive(Deserialize)]
pub struct SignInForm {
    username: String,
    password: String,
}

/// Checks the username and password; on success a new session replaces any old one.
pub async fn sign_in(
    State(state): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    let address = state
        .sign_ins
        .address_of(&headers, peer.map(|Extension(ConnectInfo(peer))| peer));
    if let Err(seconds) = state.sign_ins.admit(address) {
        return Redirect::to(&format!("/sign-in?wait={seconds}")).into_response();
    }
    if form.username.len() > 200 || form.password.len() > 1_000 {
        return Redirect::to("/sign-in?failed=1").into_response();
    }
    match accounts::sign_in(
        &state.db,
        &form.username,
        &form.password,
        &address.to_string(),
        OffsetDateTime::now_utc(),
    )
    .await
    {
        Ok(token) => {
            // Rotate: the session the browser held before, if any, ends here.
            if let Some(old) = session_token(&headers) {
                let _ = accounts::sign_out(&state.db, &old).await;
                state.broker.signed_out(&old);
            }
            let max_age = app::domain::roles::SESSION_HOURS * 3600;
            (
                [(
                    header::SET_COOKIE,
                    cookie(&token, max_age, secure(&state, &headers)),
                )],
                Redirect::to(landing(&state.db, &token).await),
            )
                .into_response()
        }
        Err(SignInError::WrongDetails) => Redirect::to("/sign-in?failed=1").into_response(),
        Err(SignInError::Locked { seconds }) => {
            Redirect::to(&format!("/sign-in?wait={seconds}")).into_response()
        }
        Err(SignInError::Database) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "Sign-in is unavailable; please try again shortly.",
        )
            .into_response(),
    }
}

pub async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = session_token(&headers) {
        if let Err(error) = accounts::sign_out(&state.db, &token).await {
            tracing::error!(%error, "signing out");
        }
        // Live sessions followed with this sign-in stop at once.
        state.broker.signed_out(&token);
    }
    (
        [(header::SET_COOKIE, cookie("", 0, secure(&state, &headers)))],
        Redirect::to("/"),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::is_asset;

    #[test]
    fn only_the_sites_own_files_skip_reading_the_session() {
        for asset in [
            "/pkg/hexplan.wasm",
            "/vendor/echarts.common.min.js",
            "/favicon.svg",
            "/review-live.js",
        ] {
            assert!(is_asset(asset), "{asset}");
        }
        for page in [
            "/",
            "/reviews/1",
            "/returns/template.csv",
            "/api/review",
            "/values.xlsx",
            "/reports/1/report.html",
        ] {
            assert!(!is_asset(page), "{page}");
        }
    }
}
