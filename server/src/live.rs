//! `/reviews/{id}/live`: a WebSocket that tells a participant's browser each new version of a
//! peer review session, and the current one as soon as it connects, so a browser that was away
//! knows at once whether to read the session again; and who is present, the participant
//! counted from connecting until the socket closes.

use crate::routes::AppState;
use app::live::Update;
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
    let broker = state.broker.clone();
    upgrade.on_upgrade(move |socket| async move {
        let mut socket = socket;
        if send(&mut socket, &Update::Version(version)).await {
            let _present = broker.join(id, user.person_id, &user.name);
            relay(socket, updates).await;
        }
    })
}

/// Sends `update`; false when the browser has gone.
async fn send(socket: &mut WebSocket, update: &Update) -> bool {
    socket
        .send(Message::Text(update.to_json().into()))
        .await
        .is_ok()
}

async fn relay(mut socket: WebSocket, mut updates: tokio::sync::broadcast::Receiver<Update>) {
    loop {
        tokio::select! {
            update = updates.recv() => {
                let update = match update {
                    Ok(update) => update,
                    // Missed some: the newest tells the browser to read everything again.
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return,
                };
                if !send(&mut socket, &update).await {
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
