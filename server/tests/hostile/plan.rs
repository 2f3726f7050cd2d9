//! Shaping the plan, attacked: markup in a plan's header and a council's name, oversized and
//! unreadable fields, parts that do not exist, and two outputs added at once. Each refusal says
//! what is wrong and writes nothing; the server keeps answering.

use crate::common::{get_as, location, post_form, session, start, TestServer};

async fn records(site: &TestServer) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_record")
        .fetch_one(&site.database().await)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_shaping_is_refused_by_name_and_markup_stays_text() {
    let site = start().await;
    let claire = session(&site, "claire.whitby").await;
    let send = |path: &'static str, fields: Vec<(&'static str, String)>| {
        let (site, claire) = (&site, &claire);
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let response = post_form(site, path, Some(claire), &fields, Some("/plan")).await;
            (response.status().as_u16(), location(&response, site))
        }
    };
    let reason = || ("reason", "Testing what the plan refuses".to_string());

    // Markup in the header and a council's name is shown as text on every page.
    let (status, _) = send(
        "/api/set-plan-details",
        vec![
            ("title", "Joint Strategic Plan 2016–20".into()),
            ("header", "<script>alert('header')</script>".into()),
            ("year_starts", "4".into()),
            ("reporting", "half-year".into()),
            reason(),
        ],
    )
    .await;
    assert_eq!(status, 302);
    let (status, _) = send(
        "/api/add-council",
        vec![
            ("name", "<img src=x onerror=alert(1)> Council".into()),
            ("short_name", "Img Council".into()),
            reason(),
        ],
    )
    .await;
    assert_eq!(status, 302);
    let (_, home) = get_as(&site, "/", None).await;
    assert!(!home.contains("<script>alert('header')</script>"));
    assert!(
        home.contains("&lt;script&gt;alert(&#x27;header&#x27;)&lt;/script&gt;")
            || home.contains("&lt;script&gt;alert('header')&lt;/script&gt;"),
        "the header as text"
    );
    assert!(!home.contains("<img src=x"));
    let (_, plan) = get_as(&site, "/plan", Some(&claire)).await;
    assert!(!plan.contains("<img src=x"), "the council's name as text");

    // Refusals: each names its field, and writes nothing.
    let before = records(&site).await;
    let details = |month: &str, reporting: &str, field: &'static str| {
        (
            "/api/set-plan-details",
            vec![
                ("title", "Joint Strategic Plan 2016–20".to_string()),
                ("year_starts", month.to_string()),
                ("reporting", reporting.to_string()),
                reason(),
            ],
            field,
        )
    };
    let huge = "x".repeat(10_000);
    for (path, fields, field) in [
        (
            "/api/add-theme",
            vec![("title", huge.clone()), reason()],
            "title",
        ),
        (
            "/api/add-theme",
            vec![("title", "   ".into()), reason()],
            "title",
        ),
        (
            "/api/add-theme",
            vec![
                ("title", "Fine".into()),
                ("director", "someone".into()),
                reason(),
            ],
            "director",
        ),
        (
            "/api/add-theme",
            vec![
                ("title", "Fine".into()),
                ("director", "999999".into()),
                reason(),
            ],
            "director",
        ),
        (
            "/api/add-theme",
            vec![("title", "Fine".into()), ("reason", "".into())],
            "reason",
        ),
        (
            "/api/add-outcome",
            vec![
                ("theme", "999999".into()),
                ("title", "Fine".into()),
                reason(),
            ],
            "theme",
        ),
        (
            "/api/add-output",
            vec![
                ("outcome", "999999".into()),
                ("code", "ZZ1".into()),
                ("title", "Fine".into()),
                ("short_title", "Fine".into()),
                reason(),
            ],
            "outcome",
        ),
        (
            "/api/add-output",
            vec![
                ("outcome", "1".into()),
                ("code", "W1".into()),
                ("title", "Fine".into()),
                ("short_title", "Fine".into()),
                reason(),
            ],
            "code",
        ),
        (
            "/api/add-output",
            vec![
                ("outcome", "1".into()),
                ("code", "<b>".into()),
                ("title", "Fine".into()),
                ("short_title", "Fine".into()),
                reason(),
            ],
            "code",
        ),
        (
            "/api/rename-part",
            vec![
                ("part", "output-999999".into()),
                ("title", "Fine".into()),
                reason(),
            ],
            "part",
        ),
        (
            "/api/rename-part",
            vec![
                ("part", "council-1".into()),
                ("title", "Fine".into()),
                reason(),
            ],
            "part",
        ),
        (
            "/api/rename-part",
            vec![
                ("part", "theme-1; DROP TABLE theme".into()),
                ("title", "Fine".into()),
                reason(),
            ],
            "part",
        ),
        (
            "/api/move-part",
            vec![
                ("part", "output-1".into()),
                ("direction", "up".into()),
                reason(),
            ],
            "part",
        ),
        (
            "/api/move-part",
            vec![
                ("part", "theme-1".into()),
                ("direction", "sideways".into()),
                reason(),
            ],
            "direction",
        ),
        (
            "/api/retire-part",
            vec![("part", "theme-1".into()), reason()],
            "part",
        ),
        (
            "/api/add-council",
            vec![
                ("name", "Babergh again".into()),
                ("short_name", "BABERGH".into()),
                reason(),
            ],
            "short_name",
        ),
        (
            "/api/add-council",
            vec![
                ("name", "Joint".into()),
                ("short_name", "Joint".into()),
                reason(),
            ],
            "short_name",
        ),
        (
            "/api/add-council",
            vec![
                ("name", "Odd".into()),
                ("short_name", "Odd".into()),
                ("ons_code", "E0700020".into()),
                reason(),
            ],
            "ons_code",
        ),
        details("1", "half-year", "year_starts"),
        details("<b>April</b>", "half-year", "year_starts"),
        details("13", "half-year", "year_starts"),
        // A valid month, refused: the plan's quarters already have values.
        details("7", "half-year", "year_starts"),
        details("4", "monthly", "reporting"),
        (
            "/api/change-council",
            vec![
                ("id", "999999".into()),
                ("name", "Nowhere".into()),
                ("short_name", "Nowhere".into()),
                reason(),
            ],
            "That council",
        ),
    ] {
        let (status, back) = send(path, fields.clone()).await;
        assert_eq!(status, 302, "{path} {fields:?}");
        assert!(
            back.starts_with("/plan?"),
            "{path} {fields:?}: back to the form, not {back}"
        );
        let error = returned(&back);
        assert!(error.contains(field), "{path} {fields:?}: {error}");
    }
    // A number that is not one is refused before the server function runs.
    let response = post_form(
        &site,
        "/api/add-outcome",
        Some(&claire),
        &[("theme", "abc"), ("title", "Fine"), ("reason", "Testing")],
        None,
    )
    .await;
    assert!(response.status().is_client_error(), "{}", response.status());
    assert_eq!(records(&site).await, before, "nothing written");

    // Two outputs added at once to one outcome take two cells; the same code twice, one.
    let outcome: i64 = sqlx::query_scalar("SELECT id FROM outcome ORDER BY id LIMIT 1")
        .fetch_one(&site.database().await)
        .await
        .unwrap();
    let add = |code: &'static str| {
        send(
            "/api/add-output",
            vec![
                ("outcome", outcome.to_string()),
                ("code", code.into()),
                ("title", format!("Raced {code}")),
                ("short_title", code.into()),
                reason(),
            ],
        )
    };
    let _ = tokio::join!(add("RA1"), add("RA2"), add("RA3"), add("RA3"));
    let db = site.database().await;
    let raced: Vec<(String, i32, i32)> =
        sqlx::query_as("SELECT code, hex_q, hex_r FROM output WHERE code LIKE 'RA%' ORDER BY code")
            .fetch_all(&db)
            .await
            .unwrap();
    let codes: Vec<&str> = raced.iter().map(|(c, _, _)| c.as_str()).collect();
    assert_eq!(codes, ["RA1", "RA2", "RA3"]);
    let cells: std::collections::HashSet<(i32, i32)> =
        raced.iter().map(|(_, q, r)| (*q, *r)).collect();
    assert_eq!(cells.len(), 3, "each its own cell");
    assert_eq!(records(&site).await, before + 3);
    let (status, _) = get_as(&site, "/", None).await;
    assert_eq!(status, 200, "the server still answers");

    // A retired output takes no new indicator, link or portfolio.
    let empty: i64 = sqlx::query_scalar(
        "SELECT op.id FROM output op WHERE NOT EXISTS
         (SELECT 1 FROM indicator_output io WHERE io.output_id = op.id) ORDER BY op.id LIMIT 1",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    let (status, _) = send(
        "/api/retire-part",
        vec![("part", format!("output-{empty}")), reason()],
    )
    .await;
    assert_eq!(status, 302);
    let before = records(&site).await;
    let jan: i64 = sqlx::query_scalar("SELECT id FROM person WHERE name = 'Cllr Jan Osborne'")
        .fetch_one(&db)
        .await
        .unwrap();
    for (path, fields) in [
        (
            "/api/propose-indicator",
            vec![
                ("output_id", empty.to_string()),
                ("title", "Ghost".into()),
                ("definition", "Defined".into()),
                ("kind", "tracking".into()),
                ("unit", "count".into()),
                ("polarity", "higher".into()),
                reason(),
            ],
        ),
        (
            "/api/set-portfolio",
            vec![
                ("person_id", jan.to_string()),
                ("output_id", empty.to_string()),
                ("portfolio", "Ghosts".into()),
                ("held", "true".into()),
                reason(),
            ],
        ),
    ] {
        let (status, back) = send(path, fields).await;
        assert_eq!(status, 302, "{path}");
        assert!(returned(&back).contains("NotFound"), "{path}: {back}");
    }
    assert_eq!(
        records(&site).await,
        before,
        "nothing written for a retired output"
    );

    // A map laid out to the edge of the grid is still drawn as a picture of bounded size.
    let far: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM output WHERE retired_on IS NULL ORDER BY id LIMIT 2")
            .fetch_all(&db)
            .await
            .unwrap();
    for (output, column, row) in [(far[0], "200", "200"), (far[1], "-200", "-200")] {
        let (status, back) = send(
            "/api/place-output",
            vec![
                ("output", output.to_string()),
                ("column", column.into()),
                ("row", row.into()),
                reason(),
            ],
        )
        .await;
        assert_eq!((status, back.contains("__err")), (302, false), "{back}");
    }
    let picture = crate::common::client()
        .get(format!("{}/map.png", site.base))
        .send()
        .await
        .unwrap();
    assert_eq!(picture.status().as_u16(), 200);
    assert!(picture.bytes().await.unwrap().len() < 50_000_000);
    let (status, _) = get_as(&site, "/", None).await;
    assert_eq!(status, 200, "the server still answers");
}

/// The refusal a form's address carries back, as the error it was.
fn returned(back: &str) -> String {
    let address = reqwest::Url::parse(&format!("http://hexplan.test{back}")).unwrap();
    let error = address
        .query_pairs()
        .find(|(name, _)| name == "__err")
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default();
    format!(
        "{:?}",
        leptos::server_fn::error::ServerFnUrlError::<app::error::AppError>::decode_err(&error)
    )
}
