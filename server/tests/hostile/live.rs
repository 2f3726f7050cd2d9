//! A live peer review session's WebSocket follows the person's rights: only Hexplan's own
//! pages may open one, and it closes when the sign-in ends or expires.

use crate::common::{
    client, follow, follow_from, location, next_version, post_form, session, start, Socket,
    TestServer,
};
use futures_util::StreamExt;
use std::time::Duration;

/// A session Claire sets up; its number.
async fn review(site: &TestServer, claire: &str) -> String {
    let created = post_form(
        site,
        "/api/create-review",
        Some(claire),
        &[
            ("title", "Peer review of every indicator"),
            ("held_on", "2018-03-05"),
            ("scope", "plan"),
        ],
        Some("/reviews"),
    )
    .await;
    location(&created, site)
        .trim_start_matches("/reviews/")
        .to_string()
}

/// Waits up to `within` for the server to close `socket`; the close code it gave.
async fn closed(socket: &mut Socket, within: Duration) -> Option<u16> {
    use tokio_tungstenite::tungstenite::Message;
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, socket.next()).await {
            Err(_) => panic!("the socket was still open after {within:?}"),
            Ok(Some(Ok(Message::Close(frame)))) => return frame.map(|f| u16::from(f.code)),
            Ok(None) | Ok(Some(Err(_))) => return None,
            Ok(Some(Ok(_))) => continue,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_sites_page_cannot_follow_a_session() {
    let site = start().await;
    let claire = session(&site, "claire.whitby").await;
    let id = review(&site, &claire).await;
    for origin in [
        "http://evil.example",
        "null",
        &site.base.replace("127.0.0.1", "127.0.0.1.evil.example"),
        "http://127.0.0.1:1",
    ] {
        let refused = follow_from(&site.base, &id, &claire, origin).await;
        assert!(
            matches!(
                refused,
                Err(tokio_tungstenite::tungstenite::Error::Http(ref response))
                    if response.status().as_u16() == 403
            ),
            "{origin}: {refused:?}"
        );
    }
    let mut socket = follow(&site.base, &id, &claire)
        .await
        .expect("its own page follows");
    assert!(next_version(&mut socket).await >= 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_closes_the_socket_at_once() {
    let site = start().await;
    let claire = session(&site, "claire.whitby").await;
    let id = review(&site, &claire).await;
    let mut socket = follow(&site.base, &id, &claire).await.unwrap();
    next_version(&mut socket).await;
    let signed_out = client()
        .post(format!("{}/sign-out", site.base))
        .header("origin", &site.base)
        .header("cookie", &claire)
        .send()
        .await
        .unwrap();
    assert_eq!(signed_out.status().as_u16(), 303);
    assert_eq!(
        closed(&mut socket, Duration::from_secs(3)).await,
        Some(1008)
    );
    // And a new socket with the old cookie is refused.
    assert!(follow(&site.base, &id, &claire).await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_that_expires_closes_its_socket() {
    let site = start().await;
    let claire = session(&site, "claire.whitby").await;
    let id = review(&site, &claire).await;
    let mut socket = follow(&site.base, &id, &claire).await.unwrap();
    next_version(&mut socket).await;
    sqlx::query("UPDATE session SET expires_at = '2000-01-01T00:00:00Z'")
        .execute(&site.database().await)
        .await
        .unwrap();
    let within = server::live::RECHECK + Duration::from_secs(5);
    assert_eq!(closed(&mut socket, within).await, Some(1008));
}
