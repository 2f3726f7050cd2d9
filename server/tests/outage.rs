//! A networked database that goes away and comes back: meanwhile pages and the health check
//! say so with 503 and change nothing, and the server recovers by itself, without a restart.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

/// A PostgreSQL server of the test's own, so stopping it stops no other test.
struct OwnPostgres {
    dir: std::path::PathBuf,
    port: u16,
}

impl OwnPostgres {
    fn run(&self, command: &str) -> String {
        let output = Command::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/postgres.sh"))
            .arg(command)
            .env("HEXPLAN_TEST_PG_DIR", &self.dir)
            .env("HEXPLAN_TEST_PG_PORT", self.port.to_string())
            .output()
            .expect("postgres.sh runs");
        assert!(
            output.status.success(),
            "postgres.sh {command}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        self.run("stop");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_recovers_by_itself_when_its_database_returns() {
    if common::postgres().is_none() {
        return; // SQLite is a file beside the server: it does not go away.
    }
    let postgres = OwnPostgres {
        dir: std::env::temp_dir().join(format!("hexplan-outage-pg-{}", std::process::id())),
        port: common::free_port(),
    };
    let url = postgres.run("start");
    let dir = common::fresh_dir("outage").await;
    let port = common::free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = common::hexplan(&dir)
        .env("HEXPLAN_DATABASE_URL", &url)
        .args(["--address", &format!("127.0.0.1:{port}")])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the binary starts");
    common::ready(&base).await;
    let claire = common::session_at(&base, "claire.whitby").await;

    postgres.run("halt");
    // Each waits up to 10 seconds for a connection, so both are asked at once.
    let ((status, page), health) = tokio::join!(
        common::get_at(&base, "/", &claire),
        reqwest::get(format!("{base}/healthz"))
    );
    assert_eq!(status, 503, "{page}");
    assert!(
        page.contains("cannot reach its database just now"),
        "{page}"
    );
    assert_eq!(health.unwrap().status(), 503);

    postgres.run("resume");
    let returned = Instant::now();
    loop {
        let health = reqwest::get(format!("{base}/healthz")).await.unwrap();
        if health.status() == 200 {
            break;
        }
        assert!(
            returned.elapsed() < Duration::from_secs(30),
            "the server did not recover"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // The same process serves again, with Claire still signed in, and writes again.
    let (status, page) = common::get_at(&base, "/", &claire).await;
    assert_eq!(status, 200);
    assert!(page.contains("Claire Whitby"), "still signed in");
    let db = app::store::open(&url, false).await.unwrap();
    let we01: i64 = sqlx::query_scalar("SELECT id FROM indicator WHERE code = 'WE01'")
        .fetch_one(&db)
        .await
        .unwrap();
    let (_, version) = common::babergh_target(&db, we01).await;
    let saved =
        common::amend_babergh_target(&base, &claire, we01, 321.0, "After the outage", version)
            .await;
    assert!(saved.status().is_success(), "{}", saved.status());
    assert_eq!(common::babergh_target(&db, we01).await.0, 321.0);
    common::assert_sound(&db, "after the outage").await;
    db.close().await;
    server.kill().unwrap();
    server.wait().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
