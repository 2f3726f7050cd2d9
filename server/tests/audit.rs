//! The audit trail is tamper-evident: altering or deleting any record directly in the database
//! is detected and the first broken record named.

use app::domain::audit::ChainBreak;
use app::store::audit::{verify_chain, Verification};
use app::store::Db;

mod common;
use common::remove_audit_guards;

async fn demo_database(name: &str) -> (Db, std::path::PathBuf) {
    let dir = common::fresh_dir(&format!("audit-{name}")).await;
    let db = app::store::open(&common::database_url(&dir), true)
        .await
        .unwrap();
    (db, dir)
}

async fn count(db: &Db) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_record")
        .fetch_one(db)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demonstration_trail_verifies_and_refuses_edits() {
    let (db, dir) = demo_database("clean").await;
    let records = count(&db).await;
    assert!(
        records > 130,
        "every indicator's story is in the trail ({records})"
    );
    assert!(
        matches!(verify_chain(&db).await.unwrap(), Verification::Verified(n) if n as i64 == records)
    );
    let update = sqlx::query("UPDATE audit_record SET reason = 'rewritten' WHERE id = 5")
        .execute(&db)
        .await;
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = sqlx::query("DELETE FROM audit_record WHERE id = 5")
        .execute(&db)
        .await;
    assert!(delete.unwrap_err().to_string().contains("append-only"));
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn altering_any_field_of_a_record_is_named() {
    let (db, dir) = demo_database("alter").await;
    remove_audit_guards(&db).await;
    for (id, change) in [
        (
            7,
            "UPDATE audit_record SET reason = reason || '.' WHERE id = $1",
        ),
        (
            40,
            "UPDATE audit_record SET value_after = '99%' WHERE id = $1",
        ),
        (
            60,
            "UPDATE audit_record SET recorded_at = '2017-01-01T00:00:00Z' WHERE id = $1",
        ),
        (80, "UPDATE audit_record SET actor_id = NULL WHERE id = $1"),
        (
            90,
            "UPDATE audit_record SET action = CASE WHEN action = 'deleted' THEN 'new' ELSE 'deleted' END WHERE id = $1",
        ),
    ] {
        let original: (String, Option<String>, String, Option<i64>, String) = sqlx::query_as(
            "SELECT reason, value_after, recorded_at, actor_id, action FROM audit_record WHERE id = $1",
        )
        .bind(id)
        .fetch_one(&db)
        .await
        .unwrap();
        sqlx::query(change).bind(id).execute(&db).await.unwrap();
        match verify_chain(&db).await.unwrap() {
            Verification::Broken(broken) => assert_eq!(broken, ChainBreak::Altered { id }),
            Verification::Verified(_) => panic!("altering record {id} went unnoticed"),
        }
        sqlx::query("UPDATE audit_record SET reason = $1, value_after = $2, recorded_at = $3, actor_id = $4, action = $5 WHERE id = $6")
            .bind(original.0)
            .bind(original.1)
            .bind(original.2)
            .bind(original.3)
            .bind(original.4)
            .bind(id)
            .execute(&db)
            .await
            .unwrap();
        assert!(
            matches!(verify_chain(&db).await.unwrap(), Verification::Verified(_)),
            "restored"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_action_hexplan_never_writes_fails_the_check_and_is_never_read_as_another() {
    let (db, dir) = demo_database("unknown-action").await;
    remove_audit_guards(&db).await;
    sqlx::query("UPDATE audit_record SET action = 'promoted' WHERE id = 30")
        .execute(&db)
        .await
        .unwrap();
    let error = verify_chain(&db)
        .await
        .expect_err("a trail with an action no version of Hexplan writes does not verify");
    assert!(
        error
            .to_string()
            .contains("\"promoted\", which is no AuditAction"),
        "{error}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_record_is_named() {
    let (db, dir) = demo_database("delete").await;
    remove_audit_guards(&db).await;
    sqlx::query("DELETE FROM audit_record WHERE id = 50")
        .execute(&db)
        .await
        .unwrap();
    match verify_chain(&db).await.unwrap() {
        Verification::Broken(broken) => assert_eq!(
            broken,
            ChainBreak::Missing {
                missing: 50,
                before: 49,
                after: 51
            }
        ),
        Verification::Verified(_) => panic!("the deletion went unnoticed"),
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_the_newest_records_is_named() {
    let (db, dir) = demo_database("truncate").await;
    let total = count(&db).await;
    remove_audit_guards(&db).await;
    sqlx::query("DELETE FROM audit_record WHERE id > $1")
        .bind(total - 2)
        .execute(&db)
        .await
        .unwrap();
    match verify_chain(&db).await.unwrap() {
        Verification::Broken(broken) => assert_eq!(
            broken,
            ChainBreak::Truncated {
                expected: total,
                found: total - 2
            }
        ),
        Verification::Verified(_) => panic!("the deletion went unnoticed"),
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_verify_command_reports_and_exits_accordingly() {
    let dir = common::fresh_dir("audit-cli").await;
    let run = || {
        common::hexplan(&dir)
            .args(["audit", "verify"])
            .output()
            .unwrap()
    };
    let clean = run();
    assert_eq!(clean.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&clean.stdout).starts_with("The audit trail verifies: "));
    // Tamper with the database as an outsider with direct access would.
    let db = common::database_in(&dir).await;
    remove_audit_guards(&db).await;
    sqlx::query("UPDATE audit_record SET reason = 'nothing to see' WHERE id = 12")
        .execute(&db)
        .await
        .unwrap();
    db.close().await;
    let broken = run();
    assert_eq!(broken.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&broken.stdout).trim(),
        "The audit trail does not verify: record 12 has been altered: its content no longer matches its hash."
    );
    let _ = std::fs::remove_dir_all(&dir);
}
