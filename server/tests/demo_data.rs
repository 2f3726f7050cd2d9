//! The demonstration data reproduces the December 2017 bulletin's table, cell for cell.

use app::domain::period::Day;
use app::store::demo::{DECEMBER_2017_BULLETIN, JUNE_2017_REPORT};

mod common;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_change_summary_reproduces_the_bulletin() {
    let dir = common::fresh_dir("demo").await;
    let db = app::store::open(&common::database_url(&dir), true)
        .await
        .expect("opens");

    // The change summary as the page reads it, from the store's own query.
    let summary = app::store::changes::summary(
        &db,
        app::domain::change_summary::Interval {
            from: Day::parse(JUNE_2017_REPORT).unwrap(),
            to: Day::parse(DECEMBER_2017_BULLETIN).unwrap(),
        },
    )
    .await
    .expect("the summary is read");
    let table: Vec<(String, String, u32, u32, u32, u32)> = summary
        .rows
        .iter()
        .map(|row| {
            let changes = &row.changes;
            (
                row.theme.clone(),
                changes.new_label(),
                changes.deleted,
                changes.refined,
                changes.amended_targets,
                changes.total,
            )
        })
        .collect();
    let expected = [
        ("Waste & Environment", "10", 4, 2, 0, 21),
        (
            "Enabled & Efficient Organisation",
            "16 + 5 (to be confirmed by leaders)",
            2,
            0,
            2,
            33,
        ),
        ("Housing Delivery", "3", 2, 3, 1, 25),
        ("Community Capacity Building & Engagement", "2", 0, 0, 0, 19),
        ("Business Growth & Productivity", "0", 0, 0, 0, 0),
        ("Assets & Investments", "6", 0, 0, 1, 15),
    ];
    assert_eq!(table.len(), expected.len(), "one row a theme: {table:?}");
    for ((title, new, deleted, refined, amended, total), expected) in table.iter().zip(expected) {
        assert_eq!(
            (
                title.as_str(),
                new.as_str(),
                *deleted,
                *refined,
                *amended,
                *total
            ),
            expected,
            "the bulletin's row for {title}"
        );
    }
    assert_eq!(
        summary.rows[5].scope_note.as_deref(),
        Some("Housing-related indicators only so far")
    );

    // Values run from 2015/16 Q1 to 2017/18 Q2 for both councils, and 2017/18 Q3 is partly in.
    let quarters: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT financial_year, quarter, COUNT(*) FROM measurement GROUP BY financial_year, quarter ORDER BY 1, 2",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(quarters.first().map(|q| (q.0, q.1)), Some((2015, 1)));
    assert_eq!(quarters.last().map(|q| (q.0, q.1)), Some((2017, 3)));
    let q2 = quarters.iter().find(|q| (q.0, q.1) == (2017, 2)).unwrap().2;
    let q3 = quarters.iter().find(|q| (q.0, q.1) == (2017, 3)).unwrap().2;
    assert!(
        q3 > 0 && q3 < q2 * 2 / 3,
        "Q3 is partly entered: {q3} of {q2}"
    );
    let (without_commentary,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM measurement WHERE commentary = ''")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(without_commentary, 0);
    let (councils,): (i64,) =
        sqlx::query_as("SELECT COUNT(DISTINCT COALESCE(organisation_id, 0)) FROM measurement")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(councils, 3, "Babergh, Mid Suffolk and joint values");

    // Every quarter before the partly entered one was returned and closed, each at a time
    // written as a timestamp (the day's words are for people, not for the database).
    let periods: Vec<(i64, i64, String, Option<String>)> = sqlx::query_as(
        "SELECT financial_year, quarter, deadline, closed_at FROM return_period ORDER BY 1, 2",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    let (open, closed): (Vec<_>, Vec<_>) = periods.iter().partition(|p| p.3.is_none());
    assert_eq!(
        open.iter().map(|p| (p.0, p.1)).collect::<Vec<_>>(),
        vec![(2017, 3)]
    );
    for (year, quarter, deadline, closed_at) in &closed {
        let closed_at = closed_at.as_deref().unwrap_or_default();
        assert!(
            Day::parse(deadline).is_some(),
            "{year} Q{quarter}: {deadline}"
        );
        assert_eq!(
            closed_at,
            format!("{deadline}T17:00:00Z"),
            "{year} Q{quarter} closed on its deadline, as a timestamp"
        );
    }

    // Opening the same database again changes nothing: the seed runs once.
    let count = |db: app::store::Db| async move {
        let counted: (i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM indicator), (SELECT COUNT(*) FROM measurement),
                    (SELECT COUNT(*) FROM audit_record)",
        )
        .fetch_one(&db)
        .await
        .unwrap();
        db.close().await;
        counted
    };
    let before = count(db).await;
    assert_eq!(before.0, 121, "the demonstration's indicators");
    let again = app::store::open(&common::database_url(&dir), true)
        .await
        .expect("opens again");
    assert_eq!(count(again).await, before);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_that_cannot_be_opened_says_so() {
    let result = app::store::open("sqlite:///nonexistent-directory/deeper/hexplan.db", true).await;
    let message = result.expect_err("it fails").to_string();
    assert!(message.contains("could not be opened"), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_june_2017_report_is_published_on_its_own_day_in_the_audit_trail_too() {
    let dir = common::fresh_dir("demo-report-day").await;
    let db = app::store::open(&common::database_url(&dir), true)
        .await
        .expect("opens");
    let (recorded, published): (String, String) = sqlx::query_as(
        "SELECT a.recorded_at, r.published_at FROM audit_record a, report r
         WHERE a.action = 'report_published' AND r.published_at IS NOT NULL",
    )
    .fetch_one(&db)
    .await
    .expect("one published report, one record");
    assert!(recorded.starts_with(JUNE_2017_REPORT), "{recorded}");
    assert_eq!(recorded, published, "the archive and the trail agree");
    common::assert_sound(&db, "with a record of 2017 after today's import").await;
}
