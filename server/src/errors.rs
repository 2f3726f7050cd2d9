//! A server function's error answers with the status it means (400 for input it refuses, 401,
//! 403, 404, 409, 503) rather than leptos' blanket 500, so scripts, proxies and monitoring can
//! tell a refusal from a fault. Forms are unaffected: a browser's form gets its redirect back
//! to the page, with the message.

use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

/// The most of an error's body read to find its status; errors are a few hundred bytes.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

pub async fn with_their_status(request: Request, next: Next) -> Response {
    let server_function = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if !server_function || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, ERROR_BODY_LIMIT).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if let Some(status) = serde_json::from_slice::<app::error::AppError>(&bytes)
        .ok()
        .and_then(|error| StatusCode::from_u16(error.status_code()).ok())
    {
        parts.status = status;
    }
    Response::from_parts(parts, Body::from(bytes))
}
