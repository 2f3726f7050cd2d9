//! `/reviews/{id}/live`: a WebSocket that tells a participant's browser each new version of a
//! peer review session, and the current one as soon as it connects, so a browser that was away
//! knows at once whether to read the session again.

use crate::routes::AppState;
use app::session::SignedIn;
use app::store;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use tokio::sync::broadcast::error::RecvError;

pub async fn follow(
    State(state): State<AppState>,
    user: Option<Extension<SignedIn>>,
    Path(id): Path<i64>,
    upgrade: WebSocketUpgrade,
) -> Response {
    let Some(Extension(SignedIn(user))) = user else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    match store::reviews::may_open(&state.db, &user, id).await {
        Ok(true) => {}
        Ok(false) => return StatusCode::FORBIDDEN.into_response(),
        Err(error) => {
            tracing::error!(%error, "checking who may follow a session");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    }
    // Subscribe before reading the version, so no change can fall between the two.
    let updates = state.broker.subscribe(id);
    let version = store::reviews::version(&state.db, id)
        .await
        .ok()
        .flatten()
        .unwrap_or(0);
    upgrade.on_upgrade(move |socket| relay(socket, version, updates))
}

async fn relay(
    mut socket: WebSocket,
    version: i64,
    mut updates: tokio::sync::broadcast::Receiver<i64>,
) {
    if socket
        .send(Message::Text(version.to_string().into()))
        .await
        .is_err()
    {
        return;
    }
    loop {
        tokio::select! {
            update = updates.recv() => {
                let version = match update {
                    Ok(version) => version,
                    // Missed some: the newest tells the browser to read everything again.
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return,
                };
                if socket.send(Message::Text(version.to_string().into())).await.is_err() {
                    return;
                }
            }
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
        }
    }
}
