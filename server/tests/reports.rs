//! Reports to Cabinet: Business Improvement creates and publishes them; a published report
//! reads exactly as published, byte for byte, whatever changes later; its SHA-256 checks it.

mod common;

use common::{client, get, get_as, location, post_form, session, start, TestServer};

async fn create(site: &TestServer, cookie: &str, period: &str) -> String {
    let response = post_form(
        site,
        "/api/create-report",
        Some(cookie),
        &[("period", period)],
        Some("/reports"),
    )
    .await;
    assert_eq!(response.status().as_u16(), 302);
    let page = location(&response, site);
    assert!(page.starts_with("/reports/"), "{page}");
    page
}

async fn count_reports(site: &TestServer) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM report")
        .fetch_one(&site.database().await)
        .await
        .unwrap()
}

async fn bytes(site: &TestServer, path: &str) -> (u16, Vec<u8>) {
    let response = client()
        .get(format!("{}{path}", site.base))
        .send()
        .await
        .unwrap();
    (
        response.status().as_u16(),
        response.bytes().await.unwrap().to_vec(),
    )
}

fn sha256(bytes: &[u8]) -> String {
    app::store::reports::sha256(bytes)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_published_report_reads_exactly_as_published_whatever_changes_later() {
    let site = start().await;
    let claire = session(&site, "claire.whitby").await;
    let report = create(&site, &claire, "2017-18-h1").await;
    let id = report.trim_start_matches("/reports/").to_string();

    // The draft: for Business Improvement only, following the data.
    let (status, draft) = get_as(&site, &report, Some(&claire)).await;
    assert_eq!(status, 200);
    for expected in [
        "Performance report to Cabinet, 2017/18 H1",
        "1 April to 30 September 2017",
        "Draft",
        "Summary of statuses by theme",
        "Waste &amp; Environment",
        "Outcome: ",
        "Achievements",
        "2017/18 Q1",
        "2017/18 Q2",
        "Publish the report",
    ] {
        assert!(draft.contains(expected), "{expected}");
    }
    assert_eq!(get(&site, &report).await.0, 404, "a draft is not public");
    let rosa = session(&site, "rosa.hart").await;
    assert_eq!(get_as(&site, &report, Some(&rosa)).await.0, 404);

    let published = post_form(
        &site,
        "/api/publish-report",
        Some(&claire),
        &[("id", &id)],
        Some(&report),
    )
    .await;
    assert_eq!(location(&published, &site), report);
    let (status, page) = get(&site, &report).await;
    assert_eq!(status, 200, "a published report is public");
    let (status, document) = bytes(&site, &format!("{report}/report.html")).await;
    assert_eq!(status, 200);
    let hash = sha256(&document);
    assert!(
        page.contains(&format!("<code class=\"hash\">{hash}</code>")),
        "the page shows the document's SHA-256"
    );
    assert!(
        page.contains(std::str::from_utf8(&document).unwrap()),
        "the page holds the document byte for byte"
    );
    // Frozen means frozen: the document carries its styles, the page links no live
    // stylesheet, and the policy allows exactly those styles by their hash.
    let styles = app::report_document::frozen_styles(std::str::from_utf8(&document).unwrap())
        .expect("the document carries its styles");
    assert!(styles.contains(".report__cover"), "the report's own styles");
    assert!(!page.contains("rel=\"stylesheet\""), "no live stylesheet");
    let policy = client()
        .get(format!("{}{report}", site.base))
        .send()
        .await
        .unwrap()
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .map(String::from)
        .unwrap_or_default();
    assert_eq!(policy, app::security::frozen_styles_policy(styles));
    assert!(policy.contains("style-src 'self' 'sha256-"), "{policy}");
    let stored: String = sqlx::query_scalar("SELECT sha256 FROM report WHERE id = $1")
        .bind(id.parse::<i64>().unwrap())
        .fetch_one(&site.database().await)
        .await
        .unwrap();
    assert_eq!(stored, hash);
    let (_, archive) = get(&site, "/reports").await;
    assert!(
        archive.contains(&hash) && archive.contains("Performance report to Cabinet, 2017/18 H1")
    );
    let recorded: String = sqlx::query_scalar(
        "SELECT value_after FROM audit_record WHERE action = 'report_published' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&site.database().await)
    .await
    .unwrap();
    assert_eq!(recorded, format!("SHA-256 {hash}"));
    let (_, appendices) = bytes(&site, &format!("{report}/appendices.xlsx")).await;

    // Change what the report shows: a Q2 value, a target and an indicator.
    let db = site.database().await;
    let (indicator, value): (i64, f64) = sqlx::query_as(
        "SELECT m.indicator_id, m.value FROM measurement m JOIN indicator i ON i.id = m.indicator_id
         WHERE m.financial_year = 2017 AND m.quarter = 2 AND m.organisation_id = 1 AND i.lifecycle = 'active'
           AND i.unit = 'count' LIMIT 1",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert!(
        document.windows(5).any(|w| w == b"<td c"),
        "the report has value cells"
    );
    for (period, action) in [("2017-18-q2", "reopen")] {
        post_form(
            &site,
            "/api/return-period",
            Some(&claire),
            &[
                ("period", period),
                ("action", action),
                ("reason", "Correction"),
            ],
            Some("/returns/completeness"),
        )
        .await;
    }
    let changed = (value + 1234.0).to_string();
    let entered = post_form(
        &site,
        "/api/save-return",
        Some(&claire),
        &[
            ("period", "2017-18-q2"),
            (&format!("value[v{indicator}-babergh]"), &changed),
            (
                &format!("commentary[v{indicator}-babergh]"),
                "Corrected after publication",
            ),
            (&format!("confirmed[v{indicator}-babergh]"), "true"),
        ],
        Some("/returns"),
    )
    .await;
    assert!(
        location(&entered, &site).contains("saved="),
        "the value changed"
    );
    post_form(
        &site,
        "/api/delete-indicator",
        Some(&claire),
        &[
            ("indicator_id", &indicator.to_string()),
            ("reason", "Replaced after publication"),
        ],
        Some("/"),
    )
    .await;

    let (_, again) = bytes(&site, &format!("{report}/report.html")).await;
    assert_eq!(
        again, document,
        "the archived report is unchanged, byte for byte"
    );
    assert_eq!(sha256(&again), hash);
    let (_, page_again) = get(&site, &report).await;
    assert!(page_again.contains(std::str::from_utf8(&document).unwrap()));
    assert_eq!(
        bytes(&site, &format!("{report}/appendices.xlsx")).await.1,
        appendices
    );
    // A new draft shows the change, so the archive's copy really is frozen.
    let update = create(&site, &claire, "2017-18-q2").await;
    let (_, fresh) = get_as(&site, &update, Some(&claire)).await;
    let (_, old) = get_as(&site, &report, Some(&claire)).await;
    let code: String = sqlx::query_scalar("SELECT code FROM indicator WHERE id = $1")
        .bind(indicator)
        .fetch_one(&db)
        .await
        .unwrap();
    assert!(
        old.contains(&format!("{code} ")),
        "the archived report still lists {code}"
    );
    assert!(
        !fresh.contains(&format!("<th scope=\"row\">{code} ")),
        "a new report leaves the deleted {code} out"
    );

    // Published is final.
    let twice = post_form(
        &site,
        "/api/publish-report",
        Some(&claire),
        &[("id", &id)],
        None,
    )
    .await;
    assert!(twice
        .text()
        .await
        .unwrap()
        .contains("already been published"));
    let tampered = sqlx::query("UPDATE report SET document = 'forged' WHERE id = $1")
        .bind(id.parse::<i64>().unwrap())
        .execute(&db)
        .await;
    assert!(
        tampered.is_err(),
        "the database refuses to change a published report"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn appendices_hold_every_indicator_row_as_numbers() {
    use calamine::{Data, Reader};
    let site = start().await;
    let claire = session(&site, "claire.whitby").await;
    let report = create(&site, &claire, "2017-18-h1").await;
    let response = client()
        .get(format!("{}{report}/appendices.xlsx", site.base))
        .header("cookie", &claire)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let workbook_bytes = response.bytes().await.unwrap().to_vec();
    let mut workbook: calamine::Xlsx<_> =
        calamine::Xlsx::new(std::io::Cursor::new(workbook_bytes)).unwrap();
    assert_eq!(workbook.sheet_names(), ["Indicators", "Statuses by theme"]);
    let sheet = workbook.worksheet_range("Indicators").unwrap();
    let heading: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(heading[5..7], ["Value 2017/18 Q1", "Value 2017/18 Q2"]);
    assert!(sheet.rows().count() > 100);
    assert!(sheet.rows().skip(1).any(|r| matches!(r[6], Data::Float(_))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_business_improvement_creates_and_publishes_reports() {
    let site = start().await;
    let claire = session(&site, "claire.whitby").await;
    let report = create(&site, &claire, "2017-18-q3").await;
    let again = post_form(
        &site,
        "/api/create-report",
        Some(&claire),
        &[("period", "2017-18-q3")],
        Some("/reports"),
    )
    .await;
    let (_, page) = get_as(&site, &location(&again, &site), Some(&claire)).await;
    assert!(
        page.contains("There is already a report for 2017/18 Q3"),
        "{page}"
    );
    // Made once, it is no longer offered: it is opened from the list of drafts.
    assert!(page.contains(">Quarterly update, 2017/18 Q2"), "{page}");
    assert!(!page.contains(">Quarterly update, 2017/18 Q3"), "{page}");
    // A period the page does not offer (years ahead, or long ago) is refused, nothing made.
    let reports_before = count_reports(&site).await;
    for far in ["2030-31-q1", "2009-10-h1"] {
        let refused = post_form(
            &site,
            "/api/create-report",
            Some(&claire),
            &[("period", far)],
            Some("/reports"),
        )
        .await;
        let (_, page) = get_as(&site, &location(&refused, &site), Some(&claire)).await;
        assert!(
            page.contains("Reports are made for the last two years and the report due"),
            "{far}: {page}"
        );
    }
    assert_eq!(count_reports(&site).await, reports_before);
    let id = report.trim_start_matches("/reports/");
    for someone in ["helen.marsh", "jan.osborne", "mark.ellis", "rosa.hart"] {
        let cookie = session(&site, someone).await;
        let refused = post_form(
            &site,
            "/api/publish-report",
            Some(&cookie),
            &[("id", id)],
            None,
        )
        .await;
        assert!(
            common::error_in(&refused.text().await.unwrap())
                == Some(app::error::AppError::Forbidden),
            "{someone}"
        );
        let (_, archive) = get_as(&site, "/reports", Some(&cookie)).await;
        assert!(!archive.contains("Create a report"), "{someone}");
    }
    let published: Option<String> =
        sqlx::query_scalar("SELECT published_at FROM report WHERE quarter = 3")
            .fetch_one(&site.database().await)
            .await
            .unwrap();
    assert_eq!(published, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assistant_directors_write_their_themes_achievements_for_the_report() {
    let site = start().await;
    let db = site.database().await;
    let (own, other): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT oc.id FROM outcome oc JOIN theme t ON t.id = oc.theme_id JOIN person p ON p.id = t.assistant_director_id WHERE p.name = 'Helen Marsh' LIMIT 1),
                (SELECT oc.id FROM outcome oc JOIN theme t ON t.id = oc.theme_id JOIN person p ON p.id = t.assistant_director_id WHERE p.name <> 'Helen Marsh' LIMIT 1)",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    let helen = session(&site, "helen.marsh").await;
    let write = |outcome: i64, text: &'static str| {
        let helen = helen.clone();
        let site = &site;
        async move {
            post_form(
                site,
                "/api/write-achievements",
                Some(&helen),
                &[
                    ("outcome_id", &outcome.to_string()),
                    ("half", "2017-18-h2"),
                    ("achievements", text),
                    ("impacts", "Fewer missed bins"),
                ],
                Some("/achievements?half=2017-18-h2"),
            )
            .await
        }
    };
    let saved = write(
        own,
        "New garden waste rounds <b>launched</b></textarea><script>alert(1)</script>",
    )
    .await;
    assert!(location(&saved, &site).starts_with("/achievements?half=2017-18-h2&saved="));
    let (_, page) = get_as(&site, "/achievements?half=2017-18-h2", Some(&helen)).await;
    assert!(
        page.contains("New garden waste rounds &lt;b&gt;launched&lt;/b&gt;&lt;/textarea&gt;"),
        "shown as text, escaped"
    );
    assert!(!page.contains("<script>alert(1)"));
    let refused = write(other, "Not mine").await;
    let (_, page) = get_as(&site, &location(&refused, &site), Some(&helen)).await;
    assert!(page.contains("You do not have permission to do that"));
    let empty = write(own, "  ").await;
    let (_, page) = get_as(&site, &location(&empty, &site), Some(&helen)).await;
    assert!(page.contains("Enter the achievements"), "{page}");
    let written: Vec<String> = sqlx::query_scalar(
        "SELECT achievements FROM achievement WHERE financial_year = 2017 AND half = 2",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(
        written,
        ["New garden waste rounds <b>launched</b></textarea><script>alert(1)</script>"]
    );
    let claire = session(&site, "claire.whitby").await;
    let report = create(&site, &claire, "2017-18-q3").await;
    let (_, draft) = get_as(&site, &report, Some(&claire)).await;
    assert!(
        draft.contains("New garden waste rounds &lt;b&gt;launched&lt;/b&gt;"),
        "the report prints them"
    );
    assert!(!draft.contains("<script>alert(1)"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_archive_starts_with_the_june_2017_report_and_the_change_summary_follows_the_reports() {
    let site = start().await;
    let (_, archive) = get(&site, "/reports").await;
    assert!(archive.contains("Performance report to Cabinet, 2016/17 H2"));
    assert!(archive.contains("12 June 2017 by Claire Whitby"));
    let (_, summary) = get(&site, "/changes").await;
    assert!(
        summary.contains("value=\"2017-06-12\""),
        "from the June 2017 report"
    );

    // Once the next report is published, the summary runs between the last two.
    let claire = session(&site, "claire.whitby").await;
    let report = create(&site, &claire, "2017-18-h1").await;
    let id = report.trim_start_matches("/reports/").to_string();
    post_form(
        &site,
        "/api/publish-report",
        Some(&claire),
        &[("id", &id)],
        Some(&report),
    )
    .await;
    let published: String =
        sqlx::query_scalar("SELECT substr(published_at, 1, 10) FROM report WHERE id = $1")
            .bind(id.parse::<i64>().unwrap())
            .fetch_one(&site.database().await)
            .await
            .unwrap();
    let (_, summary) = get(&site, "/changes").await;
    assert!(
        summary.contains("value=\"2017-06-12\"")
            && summary.contains(&format!("value=\"{published}\""))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_read_any_quarter_as_it_stands_today() {
    let site = start().await;
    let (_, archive) = get(&site, "/reports").await;
    assert!(archive.contains("href=\"/reports/quarter/2017-18-q3\""));
    let (status, update) = get(&site, "/reports/quarter/2017-18-q2").await;
    assert_eq!(status, 200, "public, no sign-in");
    assert!(update.contains("Quarterly performance update, 2017/18 Q2"));
    assert!(update.contains("As the figures stand today"));
    assert!(update.contains("<th scope=\"col\" class=\"numeric\">2017/18 Q2</th>"));
    let (status, _) = bytes(&site, "/reports/quarter/2017-18-q2/appendices.xlsx").await;
    assert_eq!(status, 200);
    assert_eq!(get(&site, "/reports/quarter/next-year").await.0, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_address_that_names_no_report_says_so_in_a_page_of_the_site() {
    let site = start().await;
    for path in [
        "/reports/999999",
        "/reports/abc",
        "/reports/1.5",
        "/reports/-1",
    ] {
        let (status, html) = get(&site, path).await;
        assert_eq!(status, 404, "{path}");
        assert!(
            html.contains("<h1 class=\"heading-xl\">Report not found</h1>"),
            "{path}: {html}"
        );
        assert!(html.contains("href=\"/reports\""), "{path}");
        assert!(
            !html.contains("i64"),
            "{path}: the parser's words reached the page"
        );
    }
    for path in [
        "/reports/abc/report.html",
        "/reports/9999999999999999999999/appendices.xlsx",
    ] {
        let (status, body) = get(&site, path).await;
        assert_eq!(status, 404, "{path}");
        assert!(
            body.contains("That report could not be found"),
            "{path}: {body}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_incomplete_report_is_published_only_with_a_reason_kept_in_the_audit_trail() {
    let site = start().await;
    let claire = session(&site, "claire.whitby").await;
    // The open quarter's update: returns still coming in.
    let report = create(&site, &claire, "2017-18-q3").await;
    let id = report.trim_start_matches("/reports/").to_string();
    let (_, draft) = get_as(&site, &report, Some(&claire)).await;
    assert!(
        draft.contains("Before you publish: this report is not complete")
            && draft.contains(
                "<li>2017/18 Q3 is still open for returns, so its values may still change</li>"
            )
            && draft.contains("indicator values for 2017/18 Q3 are missing (")
            && draft.contains("Reason to publish it anyway"),
        "{draft}"
    );
    let published = |reason: &'static str| {
        let (site, claire, id, report) = (&site, claire.clone(), id.clone(), report.clone());
        async move {
            post_form(
                site,
                "/api/publish-report",
                Some(&claire),
                &[("id", &id), ("reason", reason)],
                Some(&report),
            )
            .await
        }
    };
    let unpublished = || async {
        sqlx::query_scalar::<_, Option<String>>("SELECT published_at FROM report WHERE id = $1")
            .bind(id.parse::<i64>().unwrap())
            .fetch_one(&site.database().await)
            .await
            .unwrap()
            .is_none()
    };
    let records = common::verified_audit_records(&site).await;
    for refused in ["", "   "] {
        let back = published(refused).await;
        let (_, page) = get_as(&site, &location(&back, &site), Some(&claire)).await;
        assert!(
            page.contains("This report is not complete (2017/18 Q3 is still open for returns")
                && page.contains("give a reason to publish it anyway"),
            "{page}"
        );
        assert!(unpublished().await, "nothing was published");
    }
    let too_long = Box::leak("x".repeat(501).into_boxed_str());
    published(too_long).await;
    assert!(unpublished().await);
    assert_eq!(common::verified_audit_records(&site).await, records);

    let done = published("Cabinet asked for <b>early</b> figures").await;
    assert_eq!(location(&done, &site), report);
    assert!(!unpublished().await);
    let reason: String = sqlx::query_scalar(
        "SELECT reason FROM audit_record WHERE action = 'report_published' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&site.database().await)
    .await
    .unwrap();
    assert!(
        reason.starts_with(
            "Published anyway: Cabinet asked for <b>early</b> figures. Missing: 2017/18 Q3 is still open for returns"
        ),
        "{reason}"
    );
    let (_, audit) = get_as(&site, "/audit", Some(&claire)).await;
    assert!(audit.contains("Cabinet asked for &lt;b&gt;early&lt;/b&gt; figures"));
}
