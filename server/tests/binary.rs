//! The `hexplan` binary as an operator meets it: clear messages and exit codes, a graceful stop.

use std::process::Command;

mod common;

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_from_a_newer_version_fails_its_migrations_with_exit_code_3() {
    let dir = common::fresh_dir("migrate").await;
    // A database that records a migration this build does not know.
    let db = app::store::open(&common::database_url(&dir), false)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
         VALUES (29990101000000, 'from the future', TRUE, $1, 0)",
    )
    .bind(vec![0u8])
    .execute(&db)
    .await
    .unwrap();
    db.close().await;
    let output = common::hexplan(&dir)
        .args(["--address", "127.0.0.1:0"])
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_the_server_gracefully() {
    let dir = common::fresh_dir("stop").await;
    let port = common::free_port();
    let mut child = common::spawn_server(&dir, port);
    common::ready(&format!("http://127.0.0.1:{port}")).await;
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let status = child.wait().expect("the server exits");
    assert_eq!(status.code(), Some(0), "a graceful stop exits with 0");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_verify_checks_every_plan_and_names_the_one_tampered_with() {
    let north = common::fresh_dir("verify-north").await;
    let south = common::fresh_dir("verify-south").await;
    let file = common::two_plans_file(&north, &south);
    let verify = || {
        Command::new(HEXPLAN)
            .args(["audit", "verify", "--plans"])
            .arg(&file)
            .arg("--data-dir")
            .arg(&north)
            .output()
            .expect("the binary runs")
    };
    let output = verify();
    let said = String::from_utf8_lossy(&output.stdout).to_string();
    assert_eq!(output.status.code(), Some(0), "{said}");
    assert!(said.contains("The audit trail of north verifies"), "{said}");
    assert!(said.contains("The audit trail of south verifies"), "{said}");

    let db = common::database_in(&south).await;
    common::remove_audit_guards(&db).await;
    sqlx::query("UPDATE audit_record SET reason = 'Rewritten' WHERE id = 2")
        .execute(&db)
        .await
        .expect("a record is altered");
    db.close().await;
    let output = verify();
    let said = String::from_utf8_lossy(&output.stdout).to_string();
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(said.contains("The audit trail of north verifies"), "{said}");
    assert!(
        said.contains("The audit trail of south does not verify"),
        "{said}"
    );
    let _ = std::fs::remove_dir_all(&north);
    let _ = std::fs::remove_dir_all(&south);
}
