//! Backing up while the server writes, and restoring: the copy passes its checks, a backup
//! taken at rest equals the database table by table, and a restored database equals its
//! backup and serves.

mod common;

use common::{get, session, start};
use std::path::Path;
use std::process::Command;

const HEXPLAN: &str = env!("CARGO_BIN_EXE_hexplan");

/// The tables of `a` whose rows differ from those of `b` (both ways), by name.
async fn differing_tables(a: &Path, b: &Path) -> (usize, Vec<String>) {
    let db = app::store::open_read_only(a).await.unwrap();
    let mut connection = db.acquire().await.unwrap();
    sqlx::query("ATTACH DATABASE $1 AS other")
        .bind(b.to_string_lossy().as_ref())
        .execute(&mut *connection)
        .await
        .unwrap();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(&mut *connection)
    .await
    .unwrap();
    let mut differing = Vec::new();
    for table in &tables {
        let differs: i64 = sqlx::query_scalar(&format!(
            "SELECT (SELECT COUNT(*) FROM main.\"{table}\") <> (SELECT COUNT(*) FROM other.\"{table}\")
                 OR EXISTS (SELECT * FROM main.\"{table}\" EXCEPT SELECT * FROM other.\"{table}\")
                 OR EXISTS (SELECT * FROM other.\"{table}\" EXCEPT SELECT * FROM main.\"{table}\")"
        ))
        .fetch_one(&mut *connection)
        .await
        .unwrap();
        if differs != 0 {
            differing.push(table.clone());
        }
    }
    (tables.len(), differing)
}

/// Thirty saves of WE01's target for Babergh (200 to 229), one after another, each of which
/// must succeed.
fn stream_target_saves(
    site: &common::TestServer,
    db: &app::store::Db,
    we01: i64,
    claire: &str,
) -> tokio::task::JoinHandle<()> {
    let (base, claire, db) = (site.base.clone(), claire.to_string(), db.clone());
    tokio::spawn(async move {
        for n in 0..30 {
            let (_, version) = common::babergh_target(&db, we01).await;
            let response = common::amend_babergh_target(
                &base,
                &claire,
                we01,
                f64::from(200 + n),
                "Backup test",
                version,
            )
            .await;
            assert!(response.status().is_success(), "{}", response.status());
        }
    })
}

/// A server with the demonstration data, its database, Claire's session and WE01's id: what
/// the backup tests stream target saves through.
async fn site_with_claire() -> (common::TestServer, app::store::Db, String, i64) {
    let site = start().await;
    let db = site.database().await;
    let claire = session(&site, "claire.whitby").await;
    let we01: i64 = sqlx::query_scalar("SELECT id FROM indicator WHERE code = 'WE01'")
        .fetch_one(&db)
        .await
        .unwrap();
    (site, db, claire, we01)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_the_server_writes_restores_table_for_table() {
    if common::postgres().is_some() {
        return; // PostgreSQL is backed up with pg_dump: the test below.
    }
    let (site, db, claire, we01) = site_with_claire().await;
    let backups = site.dir.join("backups");
    std::fs::create_dir_all(&backups).unwrap();

    // Target saves stream in while the first backup is taken.
    let writer = stream_target_saves(&site, &db, we01, &claire);
    let during = backups.join("during.db");
    let checked = app::store::backup::back_up(&db, &during)
        .await
        .expect("a backup while writing");
    assert!(checked.audit_records > 0);
    writer.await.unwrap();
    // Its audit trail is the start of the live one, record for record.
    let backed_up: Vec<(i64, String)> = {
        let copy = app::store::open_read_only(&during).await.unwrap();
        sqlx::query_as("SELECT id, hash FROM audit_record ORDER BY id")
            .fetch_all(&copy)
            .await
            .unwrap()
    };
    let live: Vec<(i64, String)> = sqlx::query_as("SELECT id, hash FROM audit_record ORDER BY id")
        .fetch_all(&db)
        .await
        .unwrap();
    assert_eq!(backed_up[..], live[..backed_up.len()]);

    // At rest, a backup equals the database in every table.
    let at_rest = backups.join("at-rest.db");
    app::store::backup::back_up(&db, &at_rest).await.unwrap();
    let live_file = site.dir.join("hexplan.db");
    let (tables, differing) = differing_tables(&at_rest, &live_file).await;
    assert!(tables > 20, "{tables} tables compared");
    assert_eq!(differing, Vec::<String>::new());
    assert!(matches!(
        app::store::backup::back_up(&db, &at_rest).await,
        Err(app::store::backup::BackupError::Exists(_))
    ));

    // Restored with the command into a new data directory: equal to the backup, and it serves.
    let restored = site.dir.join("restored");
    let run = |args: &[&str]| {
        Command::new(HEXPLAN)
            .args(args)
            .output()
            .expect("the binary runs")
    };
    let output = run(&[
        "restore",
        "--from",
        at_rest.to_str().unwrap(),
        "--data-dir",
        restored.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("its audit trail of"));
    let (_, differing) = differing_tables(&restored.join("hexplan.db"), &at_rest).await;
    assert_eq!(differing, Vec::<String>::new());
    // A second restore needs --replace, and keeps what was there.
    let refused = run(&[
        "restore",
        "--from",
        during.to_str().unwrap(),
        "--data-dir",
        restored.to_str().unwrap(),
    ]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("already holds a database"));
    let replaced = run(&[
        "restore",
        "--from",
        during.to_str().unwrap(),
        "--data-dir",
        restored.to_str().unwrap(),
        "--replace",
    ]);
    assert!(replaced.status.success());
    assert!(restored.join("hexplan.db.before-restore").exists());
    let (_, differing) = differing_tables(&restored.join("hexplan.db"), &during).await;
    assert_eq!(differing, Vec::<String>::new());

    // A damaged backup is refused and changes nothing.
    let damaged = backups.join("damaged.db");
    let mut bytes = std::fs::read(&at_rest).unwrap();
    for byte in bytes.iter_mut().skip(8192).take(8192) {
        *byte = 0x5a;
    }
    std::fs::write(&damaged, bytes).unwrap();
    let refused = run(&[
        "restore",
        "--from",
        damaged.to_str().unwrap(),
        "--data-dir",
        restored.to_str().unwrap(),
        "--replace",
    ]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("nothing was restored"));
    let (_, differing) = differing_tables(&restored.join("hexplan.db"), &during).await;
    assert_eq!(
        differing,
        Vec::<String>::new(),
        "the restored database is untouched"
    );

    // The backup command, against the running server's data directory.
    let by_command = backups.join("by-command.db");
    let output = run(&[
        "backup",
        "--data-dir",
        site.dir.to_str().unwrap(),
        "--to",
        by_command.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("passes SQLite's integrity check"));
    assert_eq!(
        get(&site, "/healthz").await.0,
        200,
        "the server kept serving"
    );
}

/// Each table of a PostgreSQL database: its name, its row count and a digest of its rows.
async fn pg_tables(db: &app::store::Db) -> Vec<(String, i64, String)> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    )
    .fetch_all(db)
    .await
    .unwrap();
    let mut tables = Vec::new();
    for name in names {
        let (rows, digest): (i64, String) = sqlx::query_as(&format!(
            "SELECT COUNT(*), COALESCE(md5(string_agg(t::text, '|' ORDER BY t::text)), '')
             FROM \"{name}\" t"
        ))
        .fetch_one(db)
        .await
        .unwrap();
        tables.push((name, rows, digest));
    }
    tables
}

/// The README's recipe: `pg_dump --format=custom` of the live database, then `createdb` and
/// `pg_restore` into a new one.
async fn dump_and_restore(from: &std::path::Path, into: &std::path::Path) {
    let dump = into.join("hexplan.dump");
    let dumped = Command::new("pg_dump")
        .args(["--format=custom", "--file"])
        .arg(&dump)
        .arg(common::database_url(from))
        .output()
        .expect("pg_dump runs");
    assert!(
        dumped.status.success(),
        "{}",
        String::from_utf8_lossy(&dumped.stderr)
    );
    let restored = Command::new("pg_restore")
        .args(["--no-owner", "--exit-on-error", "--dbname"])
        .arg(common::database_url(into))
        .arg(&dump)
        .output()
        .expect("pg_restore runs");
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pg_dump_recipe_restores_postgresql_table_for_table() {
    if common::postgres().is_none() {
        return; // SQLite is backed up with `hexplan backup`: the test above.
    }
    let (site, db, claire, we01) = site_with_claire().await;
    assert!(matches!(
        app::store::backup::back_up(&db, &site.dir.join("copy.db")).await,
        Err(app::store::backup::BackupError::Postgres)
    ));

    // Target saves stream in while the dump is taken.
    let writer = stream_target_saves(&site, &db, we01, &claire);
    let during = common::fresh_dir("pg-restore-during").await;
    dump_and_restore(&site.dir, &during).await;
    writer.await.unwrap();
    let copy = common::database_in(&during).await;
    common::assert_sound(&copy, "the copy taken while writing").await;
    let backed_up: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, hash FROM audit_record ORDER BY id")
            .fetch_all(&copy)
            .await
            .unwrap();
    let live: Vec<(i64, String)> = sqlx::query_as("SELECT id, hash FROM audit_record ORDER BY id")
        .fetch_all(&db)
        .await
        .unwrap();
    assert_eq!(backed_up[..], live[..backed_up.len()]);

    // At rest, the restored database equals the live one in every table.
    let at_rest = common::fresh_dir("pg-restore-at-rest").await;
    dump_and_restore(&site.dir, &at_rest).await;
    let restored = common::database_in(&at_rest).await;
    let (live_tables, restored_tables) = (pg_tables(&db).await, pg_tables(&restored).await);
    assert!(live_tables.len() > 20, "{live_tables:?}");
    assert_eq!(live_tables, restored_tables);

    assert_eq!(common::babergh_target(&restored, we01).await.0, 229.0);

    // And a server on it serves.
    let port = common::free_port();
    let mut server = common::spawn_server(&at_rest, port);
    let base = format!("http://127.0.0.1:{port}");
    common::ready(&base).await;
    let status = common::client()
        .get(format!("{base}/indicators/{we01}"))
        .send()
        .await
        .unwrap()
        .status();
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(status, 200);
}
