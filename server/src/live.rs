//! `/reviews/{id}/live`: a WebSocket that tells a participant's browser each new version of a
//! peer review session, and the current one as soon as it connects, so a browser that was away
//! knows at once whether to read the session again; and who is present, the participant
//! counted from connecting until the socket closes. Only Hexplan's own pages may open one,
//! and it lasts only as long as its owner's sign-in and right to the session: it closes at
//! sign-out, and within `RECHECK` of the sign-in expiring or the right being taken away.

use crate::state::AppState;
use app::live::Update;
use app::session::SignedIn;
use app::store;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

/// How often an open socket checks that its owner is still signed in and may still follow.
pub const RECHECK: Duration = Duration::from_secs(10);

pub async fn follow(
    State(state): State<AppState>,
    user: Option<Extension<SignedIn>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    upgrade: WebSocketUpgrade,
) -> Response {
    // Browsers send the page's Origin with a WebSocket; another site's page may not follow.
    if !crate::auth::from_own_pages(&headers) {
        return (
            StatusCode::FORBIDDEN,
            "Forbidden: this request did not come from Hexplan's own pages.",
        )
            .into_response();
    }
    let (Some(Extension(SignedIn(user))), Some(token)) =
        (user, crate::auth::session_token(&headers))
    else {
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
    let sign_outs = broker.sign_outs();
    let owner = Owner {
        db: state.db.clone(),
        token,
        person_id: user.person_id,
        session: id,
    };
    upgrade.on_upgrade(move |socket| async move {
        let mut socket = socket;
        if send(&mut socket, &Update::Version(version)).await {
            let _present = broker.join(id, user.person_id, &user.name);
            relay(socket, updates, sign_outs, owner).await;
        }
    })
}

/// Whose socket it is, to check that they still may follow.
struct Owner {
    db: app::store::Db,
    token: String,
    person_id: i64,
    session: i64,
}

impl Owner {
    /// Still signed in, as the same person, with the right to follow the session.
    async fn still_may_follow(&self) -> bool {
        let now = time::OffsetDateTime::now_utc();
        match store::accounts::user_for_token(&self.db, &self.token, now).await {
            Ok(Some(user)) if user.person_id == self.person_id => {
                store::reviews::may_open(&self.db, &user, self.session)
                    .await
                    .unwrap_or(false)
            }
            _ => false,
        }
    }
}

/// Sends `update`; false when the browser has gone.
async fn send(socket: &mut WebSocket, update: &Update) -> bool {
    socket
        .send(Message::Text(update.to_json().into()))
        .await
        .is_ok()
}

async fn relay(
    mut socket: WebSocket,
    mut updates: tokio::sync::broadcast::Receiver<Update>,
    mut sign_outs: tokio::sync::broadcast::Receiver<String>,
    owner: Owner,
) {
    let mut recheck = tokio::time::interval_at(tokio::time::Instant::now() + RECHECK, RECHECK);
    loop {
        tokio::select! {
            ended = sign_outs.recv() => match ended {
                Ok(token) if token == owner.token => return close(socket).await,
                Ok(_) => {}
                // Missed some: check this one directly.
                Err(RecvError::Lagged(_)) => {
                    if !owner.still_may_follow().await {
                        return close(socket).await;
                    }
                }
                Err(RecvError::Closed) => return,
            },
            _ = recheck.tick() => {
                if !owner.still_may_follow().await {
                    return close(socket).await;
                }
            }
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

/// Ends the socket: its owner signed out, or may no longer follow the session.
async fn close(mut socket: WebSocket) {
    use axum::extract::ws::{close_code, CloseFrame};
    let _ = socket
        .send(Message::Close(Some(CloseFrame {
            code: close_code::POLICY,
            reason: "signed out, or no longer invited".into(),
        })))
        .await;
}
