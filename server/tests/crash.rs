//! An import killed half-way leaves nothing half-written: the server is killed with SIGKILL at
//! different moments while it imports a large file, and after each kill the database passes
//! its integrity check, the audit trail verifies, and the file's values are all there or none.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const HEXPLAN: &str = env!("CARGO_BIN_EXE_hexplan");

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn serve(dir: &std::path::Path, port: u16) -> Child {
    Command::new(HEXPLAN)
        .args(["--address", &format!("127.0.0.1:{port}"), "--data-dir"])
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts")
}

async fn ready(base: &str) {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        if let Ok(response) = reqwest::get(format!("{base}/healthz")).await {
            if response.status().is_success() {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not start");
}

async fn sign_in(base: &str) -> String {
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{base}/sign-in"))
        .header("origin", base)
        .form(&[
            ("username", "claire.whitby"),
            ("password", app::store::demo::DEMO_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    cookie.split(';').next().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_killed_half_way_leaves_nothing_half_written() {
    let dir = std::env::temp_dir().join(format!("hexplan-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    // Thousands of indicators without a data owner, so Business Improvement's template is long.
    let generated = Command::new(HEXPLAN)
        .args([
            "generate",
            "--indicators",
            "2500",
            "--quarters",
            "1",
            "--data-dir",
        ])
        .arg(&dir)
        .output()
        .expect("generate runs");
    assert!(generated.status.success());

    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = serve(&dir, port);
    ready(&base).await;
    let cookie = sign_in(&base).await;
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
            .write_record(["Indicator", "Council", "Period", "Value", "Commentary"])
            .unwrap();
        for row in &rows {
            writer
                .write_record([&row[0], &row[1], &row[2], value, "Crash test"])
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

        let db = app::store::open(
            &format!("sqlite://{}", dir.join("hexplan.db").display()),
            false,
        )
        .await
        .unwrap();
        let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(integrity, "ok");
        match app::store::audit::verify_chain(&db).await.unwrap() {
            app::store::audit::Verification::Verified(_) => {}
            app::store::audit::Verification::Broken(broken) => panic!("the chain broke: {broken}"),
        }
        let written: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM measurement WHERE financial_year = 2017 AND quarter = 3 AND value = ? AND commentary = 'Crash test'",
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

        server = serve(&dir, port);
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
