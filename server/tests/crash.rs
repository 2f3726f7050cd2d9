//! An import killed half-way leaves nothing half-written: the server is killed with SIGKILL at
//! different moments while it imports a large file, and after each kill the database passes
//! its integrity check, the audit trail verifies, and the file's values are all there or none.

mod common;

use common::{assert_sound, free_port, ready, spawn_server};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_killed_half_way_leaves_nothing_half_written() {
    let dir = common::fresh_dir("crash").await;
    // Thousands of indicators without a data owner, so Business Improvement's template is long.
    let generated = common::hexplan(&dir)
        .args(["generate", "--indicators", "2500", "--quarters", "1"])
        .output()
        .expect("generate runs");
    assert!(generated.status.success());

    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = spawn_server(&dir, port);
    ready(&base).await;
    let cookie = common::session_at(&base, "claire.whitby").await;
    let template = reqwest::Client::new()
        .get(format!("{base}/returns/template.csv"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut reader = csv::Reader::from_reader(template.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(rows.len() > 5000, "{} rows", rows.len());
    let file = |value: &str| {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer
            .write_record([
                "Indicator",
                "Council",
                "Period",
                "Value",
                "Commentary",
                "Checked",
            ])
            .unwrap();
        for row in &rows {
            writer
                .write_record([&row[0], &row[1], &row[2], value, "Crash test", "Yes"])
                .unwrap();
        }
        writer.into_inner().unwrap()
    };

    let upload = |value: &str| {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(file(value)).file_name("crash.csv"),
        );
        reqwest::Client::new()
            .post(format!("{base}/returns/import"))
            .header("origin", &base)
            .header("cookie", &cookie)
            .multipart(form)
            .send()
    };
    // How long a whole import takes here, so the kills can fall across it.
    let started = Instant::now();
    assert!(upload("39").await.unwrap().status().is_success());
    let whole = started.elapsed();

    let mut outcomes = (0, 0);
    for (attempt, fraction) in [0.2, 0.4, 0.55, 0.7, 0.8, 0.9, 0.95, 3.0]
        .into_iter()
        .enumerate()
    {
        let value = format!("{}", 40 + attempt);
        let uploading = tokio::spawn(upload(&value));
        tokio::time::sleep(whole.mul_f64(fraction)).await;
        server.kill().expect("SIGKILL");
        server.wait().unwrap();
        let _ = uploading.await;

        let db = common::database_in(&dir).await;
        assert_sound(&db, &format!("after kill {attempt}")).await;
        let written: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM measurement WHERE financial_year = 2017 AND quarter = 3 AND value = $1 AND commentary = 'Crash test'",
        )
        .bind(value.parse::<f64>().unwrap())
        .fetch_one(&db)
        .await
        .unwrap();
        assert!(
            written == 0 || written == rows.len() as i64,
            "attempt {attempt}: {written} of {} values",
            rows.len()
        );
        if written == 0 {
            outcomes.0 += 1
        } else {
            outcomes.1 += 1
        }
        db.close().await;

        server = spawn_server(&dir, port);
        ready(&base).await;
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    eprintln!("kills before the commit, after it: {outcomes:?}");
    assert!(
        outcomes.0 > 0 && outcomes.1 > 0,
        "the kills fell before and after the commit: {outcomes:?}"
    );
}

/// What the client was told succeeded (or was still waiting for when the server died).
#[derive(Clone, Debug, PartialEq)]
enum Save {
    /// WE01's 2017/18 Babergh target set to this value.
    Target(f64),
    /// An import of one value for each of forty indicators.
    Import(f64),
    /// The facilitator's verdict on the indicator being reviewed.
    Verdict(&'static str),
}

/// Tells saves apart from run to run: a small linear congruential generator.
struct Dice(u64);

impl Dice {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_kills_during_saves_imports_and_verdicts_lose_no_acknowledged_save() {
    let dir = common::fresh_dir("crash-stream").await;
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = spawn_server(&dir, port);
    ready(&base).await;
    let db = common::database_in(&dir).await;
    let (we01, rows): (i64, Vec<(String, String)>) = {
        let we01: i64 = sqlx::query_scalar("SELECT id FROM indicator WHERE code = 'WE01'")
            .fetch_one(&db)
            .await
            .unwrap();
        // Forty counted indicators of Babergh's, for the imports.
        let codes: Vec<String> = sqlx::query_scalar(
            "SELECT code FROM indicator WHERE lifecycle = 'active' AND NOT joint AND unit = 'count' ORDER BY code LIMIT 40",
        )
        .fetch_all(&db)
        .await
        .unwrap();
        (
            we01,
            codes
                .into_iter()
                .map(|c| (c, "Babergh".to_string()))
                .collect(),
        )
    };
    assert_eq!(rows.len(), 40);
    common::insert_fixture(
        &db,
        "INSERT INTO review_session (id, title, held_on, facilitator_id, created_at, state, current_position)
         SELECT 1, 'Crash review', '2018-03-05', id, '2018-02-01T09:00:00Z', 'live', 1 FROM person WHERE name = 'Claire Whitby';
         INSERT INTO review_item (session_id, position, indicator_id) VALUES (1, 1, (SELECT id FROM indicator WHERE code = 'WE01'));",
    )
    .await;
    db.close().await;

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(7, |d| d.as_nanos() as u64);
    eprintln!("dice seed {seed}");
    let mut dice = Dice(seed);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let mut acknowledged: Vec<Save> = Vec::new();
    // What the previous check found of each kind: a save in flight at a kill may have landed,
    // and stays until a later save replaces it.
    let mut observed: Vec<Save> = Vec::new();
    let mut counter = 0.0;
    let mut kills = 0;
    while kills < 50 {
        let round_start = acknowledged.len();
        let cookie = common::session_at(&base, "claire.whitby").await;
        let version = {
            let db = common::database_in(&dir).await;
            let (_, version) = common::babergh_target(&db, we01).await;
            db.close().await;
            version
        };
        // A stream of saves, one at a time, each remembered once the server says it is saved.
        let stream = {
            let (client, base, cookie, rows) =
                (client.clone(), base.clone(), cookie.clone(), rows.clone());
            let start = counter;
            let (sender, mut heard) = tokio::sync::mpsc::unbounded_channel::<(Save, bool)>();
            let task = tokio::spawn(async move {
                let mut version = version;
                let mut n = start;
                loop {
                    n += 1.0;
                    let kind = (n as u64) % 3;
                    let save = match kind {
                        0 => Save::Target(100.0 + n),
                        1 => Save::Import(1000.0 + n),
                        _ => Save::Verdict(["adequate", "refine", "delete"][(n as usize) % 3]),
                    };
                    let _ = sender.send((save.clone(), false));
                    let request = match &save {
                        Save::Target(value) => {
                            client.post(format!("{base}/api/amend-target")).form(&[
                                ("indicator_id", we01.to_string()),
                                ("council", "babergh".into()),
                                ("year", "2017".into()),
                                ("value", value.to_string()),
                                ("tolerance", "10".into()),
                                ("reason", "Crash test".into()),
                                ("version", version.to_string()),
                                ("confirmed", "true".into()),
                            ])
                        }
                        Save::Import(value) => {
                            let mut writer = csv::Writer::from_writer(Vec::new());
                            writer
                                .write_record([
                                    "Indicator",
                                    "Council",
                                    "Period",
                                    "Value",
                                    "Commentary",
                                    "Checked",
                                ])
                                .unwrap();
                            for (code, council) in &rows {
                                writer
                                    .write_record([
                                        code.as_str(),
                                        council,
                                        "2017/18 Q3",
                                        &value.to_string(),
                                        "Crash stream",
                                        "Yes",
                                    ])
                                    .unwrap();
                            }
                            let form = reqwest::multipart::Form::new().part(
                                "file",
                                reqwest::multipart::Part::bytes(writer.into_inner().unwrap())
                                    .file_name("stream.csv"),
                            );
                            client
                                .post(format!("{base}/returns/import"))
                                .multipart(form)
                        }
                        Save::Verdict(verdict) => {
                            client.post(format!("{base}/api/record-verdict")).form(&[
                                ("id", "1"),
                                ("indicator_id", &we01.to_string()),
                                ("verdict", verdict),
                            ])
                        }
                    };
                    let Ok(response) = request
                        .header("origin", &base)
                        .header("cookie", &cookie)
                        .send()
                        .await
                    else {
                        return;
                    };
                    let status = response.status();
                    if !(status.is_success() || status.is_redirection()) {
                        panic!(
                            "{save:?} refused: {status} {}",
                            response.text().await.unwrap_or_default()
                        );
                    }
                    if matches!(save, Save::Target(_)) {
                        version += 1;
                    }
                    let _ = sender.send((save, true));
                }
            });
            tokio::time::sleep(Duration::from_millis(50 + dice.next(400))).await;
            server.kill().expect("SIGKILL");
            server.wait().unwrap();
            kills += 1;
            let _ = task.await;
            let mut in_flight = None;
            while let Ok((save, done)) = heard.try_recv() {
                if done {
                    acknowledged.push(save);
                    in_flight = None;
                } else {
                    in_flight = Some(save);
                }
            }
            counter += 1000.0;
            in_flight
        };
        let in_flight = stream;

        // After the kill: a sound database, an unbroken chain, every acknowledged save.
        let db = common::database_in(&dir).await;
        assert_sound(&db, &format!("after kill {kills}")).await;
        // The last save acknowledged this round or, with none, what the last check found.
        let last = |pick: fn(&Save) -> bool| {
            acknowledged[round_start..]
                .iter()
                .rev()
                .find(|s| pick(s))
                .or_else(|| observed.iter().find(|s| pick(s)))
                .cloned()
        };
        let mut found = Vec::new();
        let allowed = |expected: Option<Save>, pick: fn(&Save) -> bool| {
            let mut allowed: Vec<Save> = expected.into_iter().collect();
            allowed.extend(in_flight.clone().filter(pick));
            allowed
        };
        let is_target = |s: &Save| matches!(s, Save::Target(_));
        if let Some(expected) = last(is_target) {
            let (value, _) = common::babergh_target(&db, we01).await;
            assert!(
                allowed(Some(expected), is_target).contains(&Save::Target(value)),
                "after kill {kills}: the target is {value}"
            );
            found.push(Save::Target(value));
        }
        let is_verdict = |s: &Save| matches!(s, Save::Verdict(_));
        if let Some(expected) = last(is_verdict) {
            let verdict: String =
                sqlx::query_scalar("SELECT verdict FROM review_verdict WHERE session_id = 1")
                    .fetch_one(&db)
                    .await
                    .unwrap();
            assert!(
                allowed(Some(expected), is_verdict)
                    .iter()
                    .any(|s| matches!(s, Save::Verdict(v) if *v == verdict)),
                "after kill {kills}: the verdict is {verdict}"
            );
            found.extend(
                ["adequate", "refine", "delete"]
                    .into_iter()
                    .filter(|v| *v == verdict)
                    .map(Save::Verdict),
            );
        }
        // Each import writes the same forty cells: all of them carry one import's value, never
        // a mixture, and it is the last acknowledged import's (or the one under way's).
        let imports: Vec<(f64, i64)> = sqlx::query_as(
            "SELECT value, COUNT(*) FROM measurement WHERE commentary = 'Crash stream' GROUP BY value",
        )
        .fetch_all(&db)
        .await
        .unwrap();
        let is_import = |s: &Save| matches!(s, Save::Import(_));
        if let Some(expected) = last(is_import) {
            assert_eq!(
                imports.len(),
                1,
                "after kill {kills}: imports mixed: {imports:?}"
            );
            let (value, count) = imports[0];
            assert_eq!(count, 40, "after kill {kills}: import {value} half-written");
            assert!(
                allowed(Some(expected), is_import).contains(&Save::Import(value)),
                "after kill {kills}: the cells hold {value}"
            );
            found.push(Save::Import(value));
        }
        observed = found;
        db.close().await;
        server = spawn_server(&dir, port);
        ready(&base).await;
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let count = |pick: fn(&Save) -> bool| acknowledged.iter().filter(|s| pick(s)).count();
    eprintln!(
        "acknowledged across 50 kills: {} targets, {} imports, {} verdicts",
        count(|s| matches!(s, Save::Target(_))),
        count(|s| matches!(s, Save::Import(_))),
        count(|s| matches!(s, Save::Verdict(_)))
    );
    assert!(
        count(|s| matches!(s, Save::Import(_))) > 10,
        "the stream made progress"
    );
}
