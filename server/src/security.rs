//! Security headers on every response: a Content Security Policy (pages send their own, with
//! the nonce of their inline scripts), no framing, no MIME sniffing, referrers only within the
//! site, and HSTS when the site is served over HTTPS; and how long a browser may keep it.

use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

pub async fn headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let https = crate::auth::secure(&state, request.headers());
    let caching = caching(request.uri().path(), state.leptos_options.hash_files);
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(caching));
    }
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        if let Ok(policy) = HeaderValue::from_str(&app::security::content_security_policy(None)) {
            headers.insert(header::CONTENT_SECURITY_POLICY, policy);
        }
    }
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    response
}

/// How long a browser may keep a response to `path`: a site file named by its content's hash
/// for good (its name changes when it does); the site's other files, but asked again each time
/// (answered "not modified" when unchanged); pages and data never without asking, and only in
/// the person's own browser.
fn caching(path: &str, hashed_names: bool) -> &'static str {
    let content_named = hashed_names
        && path.starts_with("/pkg/")
        && path.rsplit('/').next().is_some_and(|file| {
            file.split('.').nth(1).is_some_and(|hash| hash.len() >= 10)
                && file.split('.').count() == 3
        });
    if content_named {
        "public, max-age=31536000, immutable"
    } else if crate::auth::is_asset(path) {
        "no-cache"
    } else {
        "no-cache, private"
    }
}

#[cfg(test)]
mod tests {
    use super::caching;

    #[test]
    fn only_files_named_by_their_content_are_kept_for_good() {
        let hashed = "/pkg/hexplan.Qk3v9xT2mE1aZ0pW.wasm";
        assert_eq!(caching(hashed, true), "public, max-age=31536000, immutable");
        assert_eq!(caching(hashed, false), "no-cache");
        assert_eq!(caching("/pkg/hexplan.css", true), "no-cache");
        assert_eq!(caching("/vendor/echarts.common.min.js", true), "no-cache");
        for page in ["/", "/indicators/1", "/api/map", "/values.csv"] {
            assert_eq!(caching(page, true), "no-cache, private", "{page}");
        }
    }
}
