//! The `hexplan` binary as an operator meets it: clear messages and exit codes, a graceful stop.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const HEXPLAN: &str = env!("CARGO_BIN_EXE_hexplan");

#[test]
fn a_database_that_cannot_be_opened_is_named_with_exit_code_2() {
    let output = Command::new(HEXPLAN)
        .args([
            "--address",
            "127.0.0.1:0",
            "--database-url",
            "sqlite:///nonexistent-directory/deeper/hexplan.db",
        ])
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("hexplan: the database at sqlite:///nonexistent-directory/deeper/hexplan.db could not be opened"), "{message}");
}

#[test]
fn a_database_from_a_newer_version_fails_its_migrations_with_exit_code_3() {
    let dir = std::env::temp_dir().join(format!("hexplan-migrate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // A database that records a migration this build does not know.
    let status = Command::new("python3")
        .arg("-c")
        .arg(format!(
            "import sqlite3; c = sqlite3.connect('{}'); c.execute('CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, success BOOLEAN NOT NULL, checksum BLOB NOT NULL, execution_time BIGINT NOT NULL)'); c.execute(\"INSERT INTO _sqlx_migrations VALUES (29990101000000, 'from the future', '2999-01-01', 1, x'00', 0)\"); c.commit()",
            dir.join("hexplan.db").display()
        ))
        .status()
        .expect("python3 runs");
    assert!(status.success());
    let output = Command::new(HEXPLAN)
        .args(["--address", "127.0.0.1:0", "--data-dir"])
        .arg(&dir)
        .output()
        .expect("the binary runs");
    assert_eq!(
        output.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("hexplan: the database migrations failed")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sigterm_stops_the_server_gracefully() {
    let dir = std::env::temp_dir().join(format!("hexplan-stop-{}", std::process::id()));
    let mut child = Command::new(HEXPLAN)
        .args(["--address", "127.0.0.1:0", "--data-dir"])
        .arg(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    // Wait for the database to be ready (the file appears with the migrations).
    let started = Instant::now();
    while !dir.join("hexplan.db").exists() && started.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(500));
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let status = child.wait().expect("the server exits");
    assert_eq!(status.code(), Some(0), "a graceful stop exits with 0");
    let _ = std::fs::remove_dir_all(&dir);
}
