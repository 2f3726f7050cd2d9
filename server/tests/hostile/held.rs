//! Attacks that were tried and refused, kept so no later change reopens them: forged
//! cross-site posts, other people's objects, path traversal, formula prefixes in CSV
//! exports, and internal detail in error bodies. (Every server function as every kind of
//! user is the permission matrix, `permissions.rs`, with another plan's cookie on a second
//! plan's host beside it.)

use crate::common::{client, location, post_form, session, start, TestServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Counts that any of these attacks would move: audit records, people, sessions set up,
/// indicators in force, and the data version.
async fn holdings(site: &TestServer) -> Vec<i64> {
    let db = site.database().await;
    let mut held = Vec::new();
    for sql in [
        "SELECT records FROM audit_head",
        "SELECT COUNT(*) FROM person",
        "SELECT COUNT(*) FROM review_session",
        "SELECT COUNT(*) FROM indicator WHERE lifecycle <> 'deleted'",
        "SELECT COUNT(*) FROM measurement",
    ] {
        held.push(
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&db)
                .await
                .expect(sql),
        );
    }
    held
}

async fn id(site: &TestServer, sql: &str) -> String {
    let id: i64 = sqlx::query_scalar(sql)
        .fetch_one(&site.database().await)
        .await
        .expect(sql);
    id.to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forty_forged_cross_site_posts_are_refused() {
    let site = start().await;
    let claire = session(&site, "claire.whitby").await;
    let host = site.base.trim_start_matches("http://").to_string();
    let port = host.rsplit(':').next().unwrap().to_string();
    let we01 = id(&site, "SELECT id FROM indicator WHERE code = 'WE01'").await;
    let before = holdings(&site).await;
    // (Origin, Referer) as another site's page would send them.
    let sources: Vec<(Option<String>, Option<String>)> = vec![
        (None, None),
        (Some("null".into()), None),
        (Some("http://evil.example".into()), None),
        (Some(format!("http://{host}.evil.example")), None),
        (Some(format!("http://evil.example/{host}")), None),
        (Some("http://127.0.0.1:1".into()), None),
        (Some(format!("http://localhost:{port}")), None),
        (Some(format!("http://{host}@evil.example")), None),
        (None, Some("http://evil.example/hexplan".into())),
        (None, Some(format!("http://{host}.evil.example/people"))),
    ];
    let posts: Vec<(&str, Vec<(&str, String)>)> = vec![
        (
            "/api/add-person",
            vec![
                ("name", "Mallory".into()),
                ("job_title", "Intruder".into()),
                ("email", "mallory@evil.example".into()),
                ("username", "mallory".into()),
                ("password", "a long forged passphrase".into()),
                ("reason", "Forged".into()),
            ],
        ),
        (
            "/api/create-review",
            vec![
                ("title", "Forged".into()),
                ("held_on", "2018-03-05".into()),
                ("scope", "plan".into()),
            ],
        ),
        (
            "/api/delete-indicator",
            vec![("indicator_id", we01.clone()), ("reason", "Forged".into())],
        ),
        ("/sign-out", vec![]),
    ];
    let mut refused = 0;
    for (origin, referer) in &sources {
        for (path, form) in &posts {
            let mut request = client()
                .post(format!("{}{path}", site.base))
                .header("cookie", &claire)
                .form(form);
            if let Some(origin) = origin {
                request = request.header("origin", origin);
            }
            if let Some(referer) = referer {
                request = request.header("referer", referer);
            }
            let response = request.send().await.unwrap();
            assert_eq!(
                response.status().as_u16(),
                403,
                "{path} from {origin:?} {referer:?}"
            );
            refused += 1;
        }
    }
    assert_eq!(refused, 40);
    assert_eq!(holdings(&site).await, before);
    // Claire is still signed in: the forged sign-outs did nothing.
    let (status, _) = crate::common::get_as(&site, "/people", Some(&claire)).await;
    assert_eq!(status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixteen_attempts_on_other_peoples_objects_are_refused() {
    let site = start().await;
    let claire = session(&site, "claire.whitby").await;
    let housing = "SELECT i.id FROM indicator i JOIN indicator_output l ON l.indicator_id = i.id
         JOIN output o ON o.id = l.output_id JOIN outcome oc ON oc.id = o.outcome_id
         JOIN theme t ON t.id = oc.theme_id
         WHERE t.title = 'Housing Delivery' AND i.lifecycle = 'active' ORDER BY i.id LIMIT 1";
    let housing_indicator = id(&site, housing).await;
    let housing_output = id(&site, "SELECT o.id FROM output o JOIN outcome oc ON oc.id = o.outcome_id JOIN theme t ON t.id = oc.theme_id WHERE t.title = 'Housing Delivery' ORDER BY o.id LIMIT 1").await;
    let housing_outcome = id(&site, "SELECT oc.id FROM outcome oc JOIN theme t ON t.id = oc.theme_id WHERE t.title = 'Housing Delivery' ORDER BY oc.id LIMIT 1").await;
    let waste_outcome = id(&site, "SELECT oc.id FROM outcome oc JOIN theme t ON t.id = oc.theme_id WHERE t.title = 'Waste & Environment' ORDER BY oc.id LIMIT 1").await;
    let we01 = id(&site, "SELECT id FROM indicator WHERE code = 'WE01'").await;
    let not_marks = id(&site, "SELECT id FROM indicator WHERE data_owner_id <> (SELECT id FROM person WHERE name = 'Mark Ellis') AND lifecycle = 'active' ORDER BY id LIMIT 1").await;
    let jan = id(
        &site,
        "SELECT id FROM person WHERE name = 'Cllr Jan Osborne'",
    )
    .await;
    let rosa = id(&site, "SELECT id FROM person WHERE name = 'Cllr Rosa Hart'").await;
    sqlx::query(
        "INSERT INTO value_import (person_id, imported_at, file_name, rows_read, rows_written, problems)
         SELECT id, '2018-01-10T09:00:00Z', 'returns.csv', 1, 1, '[]' FROM person WHERE name = 'Sarah Quinn'",
    )
    .execute(&site.database().await)
    .await
    .unwrap();
    let sarahs_import = id(&site, "SELECT MAX(id) FROM value_import").await;
    let created = post_form(
        &site,
        "/api/create-review",
        Some(&claire),
        &[
            ("title", "Claire's session"),
            ("held_on", "2018-03-05"),
            ("scope", "plan"),
            ("invited[]", &jan),
        ],
        Some("/reviews"),
    )
    .await;
    let review = location(&created, &site)
        .trim_start_matches("/reviews/")
        .to_string();
    let before = holdings(&site).await;

    // A return's fields are named by the value's slot.
    let not_marks_value = format!("value[v{not_marks}-babergh]");
    // Who tries, at which address, with which fields.
    type Attempt<'a> = (&'a str, &'a str, Vec<(&'a str, String)>);
    let attempts: Vec<Attempt> = vec![
        (
            "mark.ellis",
            "/api/save-return",
            vec![
                ("period", "2017-18-q3".into()),
                (not_marks_value.as_str(), "1".into()),
            ],
        ),
        (
            "mark.ellis",
            "/api/value-import",
            vec![("id", sarahs_import.clone())],
        ),
        (
            "jan.osborne",
            "/api/amend-target",
            vec![
                ("indicator_id", housing_indicator.clone()),
                ("council", "babergh".into()),
                ("year", "2017".into()),
                ("value", "1".into()),
                ("tolerance", "10".into()),
                ("reason", "Mine now".into()),
                ("version", "1".into()),
            ],
        ),
        (
            "mary.finch",
            "/api/refine-indicator",
            vec![
                ("indicator_id", we01.clone()),
                ("title", "Taken".into()),
                ("definition", "Taken".into()),
                ("reason", "Taken".into()),
            ],
        ),
        (
            "helen.marsh",
            "/api/refine-indicator",
            vec![
                ("indicator_id", housing_indicator.clone()),
                ("title", "Taken".into()),
                ("definition", "Taken".into()),
                ("reason", "Taken".into()),
            ],
        ),
        (
            "helen.marsh",
            "/api/delete-indicator",
            vec![
                ("indicator_id", housing_indicator.clone()),
                ("reason", "Taken".into()),
            ],
        ),
        (
            "helen.marsh",
            "/api/propose-indicator",
            vec![
                ("output_id", housing_output.clone()),
                ("title", "Taken".into()),
                ("definition", "Taken".into()),
                ("kind", "tracking".into()),
                ("unit", "count".into()),
                ("polarity", "higher".into()),
                ("reason", "Taken".into()),
            ],
        ),
        (
            "helen.marsh",
            "/api/link-indicator",
            vec![
                ("indicator_id", we01.clone()),
                ("to", "output".into()),
                ("id", housing_output.clone()),
                ("linked", "true".into()),
                ("reason", "Taken".into()),
            ],
        ),
        (
            "helen.marsh",
            "/api/write-achievements",
            vec![
                ("outcome_id", housing_outcome.clone()),
                ("half", "2017-18-h1".into()),
                ("achievements", "Taken".into()),
                ("impacts", "Taken".into()),
            ],
        ),
        (
            "david.okafor",
            "/api/write-achievements",
            vec![
                ("outcome_id", waste_outcome.clone()),
                ("half", "2017-18-h1".into()),
                ("achievements", "Taken".into()),
                ("impacts", "Taken".into()),
            ],
        ),
        ("rosa.hart", "/api/review", vec![("id", review.clone())]),
        (
            "rosa.hart",
            "/api/record-verdict",
            vec![
                ("id", review.clone()),
                ("indicator_id", we01.clone()),
                ("verdict", "delete".into()),
                ("comment", "".into()),
            ],
        ),
        (
            "jan.osborne",
            "/api/move-review-item",
            vec![
                ("id", review.clone()),
                ("position", "2".into()),
                ("earlier", "true".into()),
            ],
        ),
        (
            "jan.osborne",
            "/api/set-invitation",
            vec![
                ("id", review.clone()),
                ("person_id", rosa.clone()),
                ("invited", "true".into()),
            ],
        ),
        ("jan.osborne", "/api/person", vec![("id", rosa.clone())]),
        (
            "mark.ellis",
            "/api/review-summary",
            vec![("id", review.clone())],
        ),
    ];
    assert_eq!(attempts.len(), 16);
    for (person, path, form) in &attempts {
        let cookie = session(&site, person).await;
        let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let response = post_form(&site, path, Some(&cookie), &fields, None).await;
        let status = response.status().as_u16();
        let body = response.text().await.unwrap();
        assert_eq!(status, 403, "{person} {path}: {body}");
        assert!(
            crate::common::error_in(&body) == Some(app::error::AppError::Forbidden),
            "{person} {path}: {body}"
        );
    }
    assert_eq!(holdings(&site).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_assistant_director_gains_no_say_over_an_indicator_linked_into_their_theme() {
    let site = start().await;
    let db = site.database().await;
    // Jan, Portfolio Holder of WE01's home output, also holds an output of another theme;
    // he links WE01 to it, as he may.
    let (output, director): (i64, String) = sqlx::query_as(
        "SELECT o.id, a.username FROM portfolio_holder ph
         JOIN person p ON p.id = ph.person_id AND p.name = 'Cllr Jan Osborne'
         JOIN output o ON o.id = ph.output_id JOIN outcome oc ON oc.id = o.outcome_id
         JOIN theme t ON t.id = oc.theme_id AND t.title <> 'Waste & Environment'
         JOIN account a ON a.person_id = t.assistant_director_id ORDER BY o.id LIMIT 1",
    )
    .fetch_one(&db)
    .await
    .expect("Jan holds an output of another theme");
    let we01 = id(&site, "SELECT id FROM indicator WHERE code = 'WE01'").await;
    let jan = session(&site, "jan.osborne").await;
    let linked = post_form(
        &site,
        "/api/link-indicator",
        Some(&jan),
        &[
            ("indicator_id", &we01),
            ("to", "output"),
            ("id", &output.to_string()),
            ("linked", "true"),
            ("reason", "It serves both"),
        ],
        None,
    )
    .await;
    assert_eq!(
        linked.status().as_u16(),
        200,
        "{}",
        linked.text().await.unwrap()
    );
    let before = holdings(&site).await;
    // That theme's Assistant Director still has no say over WE01.
    let theirs = session(&site, &director).await;
    for (path, fields) in [
        (
            "/api/refine-indicator",
            vec![
                ("indicator_id", we01.as_str()),
                ("title", "Renamed"),
                ("definition", "Renamed"),
                ("reason", "Mine now"),
            ],
        ),
        (
            "/api/delete-indicator",
            vec![("indicator_id", we01.as_str()), ("reason", "Mine now")],
        ),
    ] {
        let response = post_form(&site, path, Some(&theirs), &fields, None).await;
        assert_eq!(response.status().as_u16(), 403, "{director} {path}");
    }
    assert_eq!(holdings(&site).await, before);
}

/// GETs `path` exactly as written, with no client tidying it first; the status and body.
async fn raw_get(site: &TestServer, path: &str) -> (u16, Vec<u8>) {
    let host = site.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    stream
        .write_all(
            format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .await
        .unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let status = String::from_utf8_lossy(&answer[..answer.len().min(12)])
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, answer)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eighteen_ways_out_of_the_site_folder_all_lead_nowhere() {
    let site = start().await;
    // The site's folder is beside the database in the tests' data directory.
    std::fs::create_dir_all(site.dir.join("site/pkg")).unwrap();
    std::fs::write(site.dir.join("site/pkg/hexplan.css"), "body {}").unwrap();
    let paths = [
        "/../hexplan.db",
        "/%2e%2e/hexplan.db",
        "/%2e%2e%2fhexplan.db",
        "/..%2fhexplan.db",
        "/.%2e/hexplan.db",
        "/pkg/../../hexplan.db",
        "/pkg/%2e%2e/%2e%2e/hexplan.db",
        "/pkg/..%2f..%2fhexplan.db",
        "/pkg/%2e%2e%2f%2e%2e%2fhexplan.db",
        "/pkg/..%5c..%5chexplan.db",
        "/pkg/..\\..\\hexplan.db",
        "/%252e%252e/hexplan.db",
        "/pkg/%c0%ae%c0%ae/%c0%ae%c0%ae/hexplan.db",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/pkg/hexplan.css%00.db",
        "/pkg/../../../../../../../../etc/passwd",
    ];
    assert_eq!(paths.len(), 18);
    for path in paths {
        let (status, body) = raw_get(&site, path).await;
        let body = String::from_utf8_lossy(&body);
        assert!(
            !body.contains("SQLite format"),
            "{path} served the database ({status})"
        );
        assert!(
            !body.contains("root:x:"),
            "{path} served /etc/passwd ({status})"
        );
        assert_ne!(status, 0, "{path}: the server answered");
        assert!(
            status == 400 || status == 404 || status == 308 || status == 301,
            "{path}: {status}"
        );
    }
    // The site's own file is still served.
    assert_eq!(raw_get(&site, "/pkg/hexplan.css").await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_csv_export_hands_a_spreadsheet_a_formula() {
    let site = start().await;
    let claire = session(&site, "claire.whitby").await;
    let db = site.database().await;
    let (indicator, output): (i64, i64) = sqlx::query_as(
        "SELECT i.id, l.output_id FROM indicator i JOIN indicator_output l ON l.indicator_id = i.id
         WHERE i.code = 'WE01'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    // Typed text a spreadsheet would run: in a title, commentary and a reason.
    let formula = r#"=HYPERLINK("http://evil.example","Open")"#;
    let refined = post_form(
        &site,
        "/api/refine-indicator",
        Some(&claire),
        &[
            ("indicator_id", &indicator.to_string()),
            ("title", formula),
            ("definition", "@SUM(A1:A9)"),
            ("reason", "+cmd|' /C calc'!A0"),
        ],
        Some(&format!("/indicators/{indicator}/manage")),
    )
    .await;
    assert_eq!(refined.status().as_u16(), 302);
    sqlx::query(
        "UPDATE measurement SET commentary = '-2+3+cmd|'' /C calc''!A0' WHERE indicator_id = $1",
    )
    .bind(indicator)
    .execute(&db)
    .await
    .unwrap();
    let review = post_form(
        &site,
        "/api/create-review",
        Some(&claire),
        &[
            ("title", formula),
            ("held_on", "2018-03-05"),
            ("scope", "plan"),
        ],
        Some("/reviews"),
    )
    .await;
    let review = location(&review, &site);
    for path in [
        "/open-data/indicator-values.csv".to_string(),
        "/values.csv".to_string(),
        format!("/outputs/{output}/values.csv"),
        format!("/indicators/{indicator}/values.csv"),
        "/returns/template.csv".to_string(),
        "/changes.csv".to_string(),
        format!("{review}/summary.csv"),
    ] {
        let response = client()
            .get(format!("{}{path}", site.base))
            .header("cookie", &claire)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200, "{path}");
        let bytes = response.bytes().await.unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(&bytes[..]);
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                let number = cell.parse::<f64>().is_ok();
                assert!(
                    number || !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{path}: a cell a spreadsheet would run: {cell}"
                );
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_error_body_shows_sql_or_the_servers_insides() {
    let site = start().await;
    let claire = session(&site, "claire.whitby").await;
    let mut bodies = Vec::new();
    for path in [
        "/indicators/abc",
        "/indicators/99999999999999999999",
        "/indicators/-1/history",
        "/outputs/1'%20OR%201=1--",
        "/changes?from=2017-13-45&to=x",
        "/changes/list?theme=abc&cell=new",
        "/values.csv?period=2017-18-q9",
        "/returns/imports/abc",
        "/reports/99999",
        "/reviews/1%3BDROP%20TABLE%20person",
    ] {
        let response = client()
            .get(format!("{}{path}", site.base))
            .header("cookie", &claire)
            .send()
            .await
            .unwrap();
        bodies.push((path.to_string(), response.text().await.unwrap()));
    }
    for (path, fields) in [
        ("/api/indicator", vec![("id", "abc")]),
        (
            "/api/refine-indicator",
            vec![
                ("indicator_id", "1 OR 1=1"),
                ("title", "x"),
                ("definition", "x"),
                ("reason", "x"),
            ],
        ),
        (
            "/api/create-review",
            vec![
                ("title", "x"),
                ("held_on", "'; DROP TABLE person; --"),
                ("scope", "plan"),
            ],
        ),
        ("/api/map", vec![("period", "' OR 1=1--")]),
        (
            "/api/save-return",
            vec![
                ("period", "y"),
                ("value[v999999-x]", "NaN"),
                ("commentary[v999999-x]", ""),
                ("value[]", "1"),
                ("value[x-babergh]", "1e999"),
            ],
        ),
        (
            "/api/amend-target",
            vec![
                ("indicator_id", "1"),
                ("council", "babergh"),
                ("year", "99999999999"),
                ("value", "1e999"),
                ("tolerance", "-5"),
                ("reason", "x"),
                ("version", "x"),
            ],
        ),
    ] {
        let response = post_form(&site, path, Some(&claire), &fields, None).await;
        bodies.push((path.to_string(), response.text().await.unwrap()));
    }
    let json = client()
        .post(format!("{}/api/add-person", site.base))
        .header("origin", &site.base)
        .header("cookie", &claire)
        .header("content-type", "application/json")
        .body("{\"name\": [}")
        .send()
        .await
        .unwrap();
    bodies.push(("/api/add-person as JSON".into(), json.text().await.unwrap()));
    for (path, body) in bodies {
        for inside in [
            "sqlx",
            "SELECT",
            "INSERT",
            "sqlite",
            "SQLite",
            "postgres",
            "syntax error",
            "panicked",
            "error returned from database",
            "no such",
            "src/",
            "RUST_BACKTRACE",
        ] {
            assert!(!body.contains(inside), "{path} shows {inside:?}: {body}");
        }
    }
    let health = client()
        .get(format!("{}/healthz", site.base))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status().as_u16(), 200);
}
