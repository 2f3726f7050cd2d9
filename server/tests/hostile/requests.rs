//! Slow clients and odd bodies: a connection that sends half its headers is dropped, and a
//! body larger than any form is refused with 413 however it is sent.

use crate::common::{get, session, start, TestServer};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn address(site: &TestServer) -> String {
    site.base.trim_start_matches("http://").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_sends_half_its_headers_is_dropped() {
    let site = start().await;
    let mut slow = TcpStream::connect(address(&site)).await.unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        .await
        .unwrap();
    let mut buffer = [0u8; 1024];
    let within = server::serve::HEADER_READ_TIMEOUT + Duration::from_secs(5);
    let read = tokio::time::timeout(within, slow.read(&mut buffer))
        .await
        .expect("the server drops the connection rather than wait for ever");
    // Closed (0 bytes), reset, or answered with 408 and closed.
    match read {
        Ok(0) | Err(_) => {}
        Ok(n) => assert!(
            String::from_utf8_lossy(&buffer[..n]).starts_with("HTTP/1.1 408"),
            "{}",
            String::from_utf8_lossy(&buffer[..n])
        ),
    }
    assert_eq!(get(&site, "/healthz").await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chunked_body_over_the_limit_is_refused_like_a_declared_one() {
    let site = start().await;
    let claire = session(&site, "claire.whitby").await;
    let mut stream = TcpStream::connect(address(&site)).await.unwrap();
    let head = format!(
        "POST /api/create-review HTTP/1.1\r\nHost: {host}\r\nOrigin: {base}\r\nCookie: {claire}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        host = address(&site),
        base = site.base,
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunk = format!("10000\r\n{}\r\n", "x".repeat(0x10000));
    // Two megabytes, in 64 KB chunks; the server may stop reading part-way.
    for _ in 0..32 {
        if stream.write_all(chunk.as_bytes()).await.is_err() {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("at most 1 MB"), "{answer}");
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM review_session")
        .fetch_one(&site.database().await)
        .await
        .unwrap();
    assert_eq!(sessions, 0);
}
