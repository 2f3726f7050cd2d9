//! What the operator controls from outside the database: no demonstration accounts unless
//! asked for, the first account made from the command line with the password kept off it,
//! and an audit key without which a rewritten trail no longer verifies.

use crate::common::{
    database_in, free_port, fresh_dir, hexplan, ready, remove_audit_guards, sign_in_at,
};
use app::domain::audit::chain_hash;
use app::store::demo::DEMO_PASSWORD;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

/// `hexplan` for `dir` without the demonstration data the tests otherwise ask for.
fn bare(dir: &Path) -> Command {
    let mut command = hexplan(dir);
    command.env_remove("HEXPLAN_DEMO");
    command
}

fn run(mut command: Command) -> Output {
    command.output().expect("hexplan runs")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Serves `command` on a free port until it answers; the child and its address.
async fn serving(mut command: Command) -> (Child, String) {
    let port = free_port();
    let child = command
        .args(["--address", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let base = format!("http://127.0.0.1:{port}");
    ready(&base).await;
    (child, base)
}

fn stop(mut child: Child) -> String {
    let _ = child.kill();
    text(&child.wait_with_output().expect("the server stops"))
}

/// The operator adding Pat Example to Business Improvement; the password is still to give.
fn add_pat(dir: &Path) -> Command {
    let mut command = bare(dir);
    command.args([
        "add-business-improvement",
        "--name",
        "Pat Example",
        "--email",
        "pat@council.gov.uk",
        "--username",
        "pat.example",
    ]);
    command
}

/// Where signing in sends the browser.
async fn signing_in(base: &str, username: &str, password: &str) -> String {
    let response = sign_in_at(base, username, password).await;
    response.headers()["location"].to_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_database_has_no_one_to_sign_in_until_the_operator_adds_them() {
    let dir = fresh_dir("hostile-first-account").await;
    let (server, base) = serving(bare(&dir)).await;
    assert_eq!(
        signing_in(&base, "claire.whitby", DEMO_PASSWORD).await,
        "/sign-in?failed=1"
    );
    let db = database_in(&dir).await;
    let people: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM person")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(people, 0, "no demonstration people");
    let log = stop(server);
    assert!(
        log.contains("hexplan add-business-improvement"),
        "the operator is told how: {log}"
    );

    // The password never goes on the command line, where others could read it.
    let mut on_the_line = add_pat(&dir);
    on_the_line.args(["--password", "a long passphrase here"]);
    let refused = run(on_the_line);
    assert!(!refused.status.success());
    assert!(text(&refused).contains("--password"), "{}", text(&refused));

    // Too short a password is refused and adds no one.
    let file = dir.join("password.txt");
    std::fs::write(&file, "short\n").unwrap();
    let mut short = add_pat(&dir);
    short.arg("--password-file").arg(&file);
    let short = run(short);
    assert_eq!(short.status.code(), Some(1), "{}", text(&short));
    assert!(
        text(&short).contains("Choose a password of at least"),
        "{}",
        text(&short)
    );

    std::fs::write(&file, "a long passphrase here\n").unwrap();
    let mut added = add_pat(&dir);
    added.arg("--password-file").arg(&file);
    let added = run(added);
    assert!(added.status.success(), "{}", text(&added));

    // Signing in to a plan with no council or theme yet takes them to set it up.
    let (server, base) = serving(bare(&dir)).await;
    assert_eq!(
        signing_in(&base, "pat.example", "a long passphrase here").await,
        "/plan"
    );
    let actors: Vec<Option<i64>> =
        sqlx::query_scalar("SELECT actor_id FROM audit_record ORDER BY id")
            .fetch_all(&db)
            .await
            .unwrap();
    assert_eq!(
        actors,
        vec![None, None],
        "the person and the role, both by the operator"
    );
    let log = stop(server);
    assert!(!log.contains("No one can sign in"), "{log}");
}

/// A new audit key in a file in `dir`.
fn key_file(dir: &Path, name: &str) -> std::path::PathBuf {
    let mut command = hexplan(dir);
    command.args(["audit", "new-key"]);
    let key = run(command);
    assert!(key.status.success());
    let file = dir.join(name);
    std::fs::write(&file, &key.stdout).unwrap();
    file
}

fn with_key(mut command: Command, key: &Path) -> Command {
    command.env("HEXPLAN_AUDIT_KEY_FILE", key);
    command
}

fn verify(dir: &Path, key: Option<&Path>) -> Output {
    let mut command = hexplan(dir);
    command.args(["audit", "verify"]);
    if let Some(key) = key {
        command = with_key(command, key);
    }
    run(command)
}

/// What someone with write access to the database (and not the key) does: rewrites record
/// `id`'s reason, rehashes every record from there on, and moves the head to match.
async fn rewrite_from(dir: &Path, id: i64) {
    let db = database_in(dir).await;
    remove_audit_guards(&db).await;
    let (chain, _) = app::store::audit::chain_and_head(&db).await.unwrap();
    let mut previous = chain[(id - 2) as usize].hash.clone();
    for mut record in chain.into_iter().skip((id - 1) as usize) {
        if record.id == id {
            record.content.reason = "Rewritten after the event".into();
        }
        let hash = chain_hash(&previous, &record.content);
        sqlx::query(
            "UPDATE audit_record SET reason = $1, previous_hash = $2, hash = $3 WHERE id = $4",
        )
        .bind(&record.content.reason)
        .bind(&previous)
        .bind(&hash)
        .bind(record.id)
        .execute(&db)
        .await
        .unwrap();
        previous = hash;
    }
    sqlx::query("UPDATE audit_head SET hash = $1")
        .bind(&previous)
        .execute(&db)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trail_rewritten_without_the_key_fails_verification() {
    let dir = fresh_dir("hostile-audit-key").await;
    let key = key_file(&dir, "audit.key");
    // The demonstration's records are sealed as they are written.
    let (server, _) = serving(with_key(hexplan(&dir), &key)).await;
    stop(server);
    let checked = verify(&dir, Some(&key));
    assert_eq!(checked.status.code(), Some(0), "{}", text(&checked));
    assert!(
        text(&checked).contains("Every record carries its seal"),
        "{}",
        text(&checked)
    );

    rewrite_from(&dir, 3).await;
    let unkeyed = verify(&dir, None);
    assert_eq!(
        unkeyed.status.code(),
        Some(0),
        "without the key a rewrite passes, as it always could"
    );
    assert!(
        text(&unkeyed).contains("give the key"),
        "{}",
        text(&unkeyed)
    );
    let keyed = verify(&dir, Some(&key));
    assert_eq!(keyed.status.code(), Some(1), "{}", text(&keyed));
    assert!(
        text(&keyed).contains("the audit key did not make"),
        "{}",
        text(&keyed)
    );

    // A server will not write unsealed records on a sealed trail, nor seal with another key.
    let mut unsealed = hexplan(&dir);
    unsealed.args(["--address", "127.0.0.1:0"]);
    let unsealed = run(unsealed);
    assert_eq!(unsealed.status.code(), Some(2));
    assert!(
        text(&unsealed).contains("no key was given"),
        "{}",
        text(&unsealed)
    );
    let other = key_file(&dir, "other.key");
    let mut wrong = with_key(hexplan(&dir), &other);
    wrong.args(["--address", "127.0.0.1:0"]);
    let wrong = run(wrong);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(
        text(&wrong).contains("another audit key"),
        "{}",
        text(&wrong)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_existing_trail_is_sealed_and_moved_to_a_new_key() {
    let dir = fresh_dir("hostile-seal").await;
    let (server, _) = serving(hexplan(&dir)).await;
    stop(server);
    let first = key_file(&dir, "first.key");
    let mut seal = with_key(hexplan(&dir), &first);
    seal.args(["audit", "seal"]);
    let sealed = run(seal);
    assert_eq!(sealed.status.code(), Some(0), "{}", text(&sealed));
    assert_eq!(verify(&dir, Some(&first)).status.code(), Some(0));

    // A new key takes over only from someone who holds the old one.
    let second = key_file(&dir, "second.key");
    let mut without_previous = with_key(hexplan(&dir), &second);
    without_previous.args(["audit", "seal"]);
    let refused = run(without_previous);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert!(
        text(&refused).contains("nothing was sealed"),
        "{}",
        text(&refused)
    );
    let mut rotate = with_key(hexplan(&dir), &second);
    rotate
        .args(["audit", "seal", "--previous-audit-key-file"])
        .arg(&first);
    let rotated = run(rotate);
    assert_eq!(rotated.status.code(), Some(0), "{}", text(&rotated));
    assert_eq!(verify(&dir, Some(&second)).status.code(), Some(0));
    let old = verify(&dir, Some(&first));
    assert_eq!(old.status.code(), Some(1));
    assert!(text(&old).contains("another audit key"), "{}", text(&old));
    let (server, base) = serving(with_key(hexplan(&dir), &second)).await;
    assert_eq!(signing_in(&base, "claire.whitby", DEMO_PASSWORD).await, "/");
    stop(server);
}
