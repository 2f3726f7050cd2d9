//! Two Hexplan processes sharing one database: a person signed in on one is signed in on the
//! other (sessions live in the database), and saves streaming into both at once leave one
//! unbroken audit chain (chain appends are serialised by the database, not in memory).

mod common;

/// A server process, stopped when dropped (a failed assertion included).
struct Process(std::process::Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts a server on `dir` and waits until it answers; its address.
async fn serve(dir: &std::path::Path) -> (Process, String) {
    let port = common::free_port();
    let process = Process(common::spawn_server(dir, port));
    let base = format!("http://127.0.0.1:{port}");
    common::ready(&base).await;
    (process, base)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_one_database_share_sessions_and_one_audit_chain() {
    let dir = common::fresh_dir("two-servers").await;
    // The first creates the database and its demonstration data; the second opens it.
    let (_first, a) = serve(&dir).await;
    let (_second, b) = serve(&dir).await;
    let client = common::client();

    // Signed in on the first, signed in on the second.
    let cookie = common::session_at(&a, "claire.whitby").await;
    let page = client
        .get(format!("{b}/"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Claire Whitby (Business Improvement)"),
        "signed in on the second"
    );

    // Four writers, two on each process, each amending its own target twenty times.
    let db = common::database_in(&dir).await;
    let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_record")
        .fetch_one(&db)
        .await
        .unwrap();
    let mut writers = Vec::new();
    for (n, code) in ["WE01", "WE02", "WE03", "WE04"].into_iter().enumerate() {
        let indicator: i64 = sqlx::query_scalar("SELECT id FROM indicator WHERE code = $1")
            .bind(code)
            .fetch_one(&db)
            .await
            .unwrap();
        let (_, version) = common::babergh_target(&db, indicator).await;
        let base = if n % 2 == 0 { a.clone() } else { b.clone() };
        let cookie = cookie.clone();
        writers.push(tokio::spawn(async move {
            let mut version = version;
            let mut saved = Vec::new();
            for step in 0..20 {
                let value = 10 + n * 20 + step;
                let response = common::amend_babergh_target(
                    &base,
                    &cookie,
                    indicator,
                    value as f64,
                    "Two servers",
                    version,
                )
                .await;
                // Another process holding the database for too long is a refusal to retry,
                // never a lost or half-made save.
                if response.status().is_success() {
                    version += 1;
                    saved.push(value as f64);
                } else {
                    assert_eq!(
                        response.status().as_u16(),
                        409,
                        "{}",
                        response.text().await.unwrap()
                    );
                }
            }
            (indicator, saved)
        }));
    }
    let mut acknowledged = 0;
    for writer in writers {
        let (indicator, saved) = writer.await.unwrap();
        assert!(!saved.is_empty());
        acknowledged += saved.len() as i64;
        let (value, _) = common::babergh_target(&db, indicator).await;
        assert_eq!(
            Some(&value),
            saved.last(),
            "the last save of each writer stands"
        );
    }
    let recorded: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_record WHERE reason = 'Two servers'")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(recorded, acknowledged, "one record per acknowledged save");
    let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_record")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(after - before, acknowledged);
    common::assert_sound(&db, "after both processes wrote").await;
    eprintln!("{acknowledged} of 80 saves acknowledged across two processes");
    drop(db);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_session_is_followed_alike_through_either_process() {
    if common::postgres().is_none() {
        return; // Servers relay live sessions through PostgreSQL's LISTEN/NOTIFY.
    }
    let dir = common::fresh_dir("two-servers-live").await;
    let (_first, a) = serve(&dir).await;
    let (_second, b) = serve(&dir).await;
    let db = common::database_in(&dir).await;
    common::insert_fixture(
        &db,
        "INSERT INTO review_session (id, title, held_on, facilitator_id, created_at, state, current_position)
         SELECT 1, 'Two servers review', '2018-03-05', id, '2018-02-01T09:00:00Z', 'live', 1 FROM person WHERE name = 'Claire Whitby';
         INSERT INTO review_item (session_id, position, indicator_id) SELECT 1, 1, id FROM indicator WHERE code = 'WE01';
         INSERT INTO review_item (session_id, position, indicator_id) SELECT 1, 2, id FROM indicator WHERE code = 'WE02';
         INSERT INTO review_invitation (session_id, person_id) SELECT 1, id FROM person WHERE name = 'Cllr Jan Osborne';",
    )
    .await;
    let claire = common::session_at(&a, "claire.whitby").await;
    let jan = common::session_at(&b, "jan.osborne").await;

    // Jan follows through the second process, Claire (the facilitator) through the first.
    let mut jans = common::follow(&b, "1", &jan).await.expect("Jan may follow");
    let joined = common::next_version(&mut jans).await;
    let _claires = common::follow(&a, "1", &claire)
        .await
        .expect("Claire may follow");
    let within_a_second = std::time::Duration::from_secs(1);
    let seen = std::time::Instant::now();
    while !common::next_present(&mut jans)
        .await
        .contains(&"Claire Whitby".to_string())
    {}
    assert!(
        seen.elapsed() < within_a_second,
        "Claire's arrival reached Jan in {:?}",
        seen.elapsed()
    );
    let (_, page) = common::get_at(&b, "/reviews/1", &jan).await;
    assert!(
        page.contains("Claire Whitby"),
        "and the page lists her as present"
    );

    // Claire moves on to the next indicator through the first; Jan hears it through the second.
    let moved = std::time::Instant::now();
    let response = common::client()
        .post(format!("{a}/api/run-review"))
        .header("origin", &a)
        .header("cookie", &claire)
        .form(&[("id", "1"), ("step", "next")])
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    let version = common::next_version(&mut jans).await;
    assert!(
        moved.elapsed() < within_a_second,
        "the move reached Jan in {:?}",
        moved.elapsed()
    );
    assert!(version > joined);
    let (_, page) = common::get_at(&b, "/reviews/1", &jan).await;
    assert!(
        page.contains("WE02"),
        "Jan's page on the second shows where Claire moved to"
    );
    drop(db);
    let _ = std::fs::remove_dir_all(&dir);
}
