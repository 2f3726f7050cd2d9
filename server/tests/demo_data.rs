//! The demonstration data reproduces the December 2017 bulletin's table, cell for cell.

use app::domain::change_summary::{summarise, ChangeKind, RecordedChange};
use app::store::demo::{DECEMBER_2017_BULLETIN, JUNE_2017_REPORT};

mod common;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_change_summary_reproduces_the_bulletin() {
    let dir = common::fresh_dir("demo").await;
    let db = app::store::open(&common::database_url(&dir), true)
        .await
        .expect("opens");

    let themes: Vec<(i64, String, Option<String>)> =
        sqlx::query_as("SELECT id, title, scope_note FROM theme ORDER BY position")
            .fetch_all(&db)
            .await
            .unwrap();
    let rows: Vec<(i64, i64, String, String)> = sqlx::query_as(
        "SELECT c.indicator_id, oc.theme_id, c.action, c.recorded_at
         FROM audit_record c
         JOIN indicator_output io ON io.indicator_id = c.indicator_id AND io.is_primary
         JOIN output op ON op.id = io.output_id JOIN outcome oc ON oc.id = op.outcome_id",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    let changes: Vec<RecordedChange> = rows
        .into_iter()
        .map(
            |(indicator_id, theme_id, kind, recorded_at)| RecordedChange {
                indicator_id,
                theme_id,
                kind: ChangeKind::from_code(&kind).expect("a known kind"),
                recorded_at,
            },
        )
        .collect();
    let ids: Vec<i64> = themes.iter().map(|t| t.0).collect();
    let summary = summarise(&changes, &ids, JUNE_2017_REPORT, DECEMBER_2017_BULLETIN);

    let table: Vec<(String, String, u32, u32, u32, u32)> = themes
        .iter()
        .map(|(id, title, _)| {
            let row = summary[id];
            (
                title.clone(),
                row.new_label(),
                row.deleted,
                row.refined,
                row.amended_targets,
                row.total,
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
        themes[5].2.as_deref(),
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

    // Opening again changes nothing: the seed runs once.
    drop(db);
    let db = app::store::open(&format!("sqlite://{}", dir.join("demo.db").display()), true)
        .await
        .expect("opens again");
    let (indicators,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM indicator")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(indicators, 121);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_that_cannot_be_opened_says_so() {
    let result = app::store::open("sqlite:///nonexistent-directory/deeper/hexplan.db", true).await;
    let message = result.expect_err("it fails").to_string();
    assert!(message.contains("could not be opened"), "{message}");
}
