//! Councils are the plan's data: a plan of one council shows that council alone (no council
//! filter, no joint services, no other council's name), a plan of three says "all councils",
//! and the quarter pages open on follows the plan's data.

mod common;

use app::domain::{CouncilFilter, Quarter};
use common::{get, PlanBuilder};

fn quarter(year: i32, q: u8) -> Quarter {
    Quarter::new(year, q).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_of_one_council_shows_that_council_alone() {
    let mut plan = PlanBuilder::empty("one-council").await;
    sqlx::query("UPDATE plan SET title = 'Harbourside Plan 2020–24', header = 'Harbourside Borough Council'")
        .execute(&plan.db)
        .await
        .unwrap();
    let harbourside = plan.council("harbourside", "Harbourside").await;
    let output = plan.output("Cleaner harbour").await;
    let indicator = plan.indicator("HB01", "percent", &[output]).await;
    plan.value(indicator, &harbourside, quarter(2020, 1), 41.0)
        .await;
    plan.value(indicator, &harbourside, quarter(2020, 2), 44.0)
        .await;
    plan.return_period(quarter(2020, 1), true).await;
    plan.return_period(quarter(2020, 2), false).await;

    // The address's unknown council shows every council (here, the one); with no quarter
    // named, the latest closed quarter with values.
    let view = app::store::plan::view(&plan.db, Some("babergh"), None)
        .await
        .unwrap();
    assert_eq!(view.council, CouncilFilter::All);
    assert_eq!(view.period, quarter(2020, 1));
    assert!(view.councils.filters().is_empty(), "no council filter");

    let map = app::store::map::load(&plan.db, view.clone()).await.unwrap();
    assert_eq!(map.period, quarter(2020, 1));
    let page = app::store::outputs::load(&plan.db, output, view, None)
        .await
        .unwrap();
    let readings = &page.indicators[0].readings;
    assert_eq!(readings.len(), 1, "one council, one reading: {readings:?}");
    assert_eq!(readings[0].council.name(), "Harbourside");
    assert_eq!(readings[0].reading.value, Some(41.0));

    // The pages say the plan's own words and no other council's.
    let site = plan.serve().await;
    let (status, home) = get(&site, "/").await;
    assert_eq!(status, 200);
    assert!(home.contains(
        "<title>Harbourside Plan 2020–24 map – Hexplan – Harbourside Borough Council</title>"
    ));
    assert!(home.contains(r#"<span class="header__council">Harbourside Borough Council</span>"#));
    assert!(
        home.contains("Harbourside Plan 2020–24"),
        "the plan's title above its map"
    );
    assert!(home.contains("2020/21 Q1"), "the default quarter");
    assert!(
        !home.contains("demonstration data"),
        "no demonstration banner"
    );
    let (_, output_page) = get(&site, &format!("/outputs/{output}")).await;
    let (_, indicator_page) = get(&site, &format!("/indicators/{indicator}")).await;
    for body in [&home, &output_page, &indicator_page] {
        assert!(!body.contains("council-filter"), "no council filter");
        for other in [
            "Babergh",
            "Mid Suffolk",
            "Both councils",
            "both councils",
            "joint",
        ] {
            assert!(
                !body.contains(other),
                "{other} shown in a plan of one council"
            );
        }
    }
    assert!(output_page.contains("Harbourside"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_of_three_councils_filters_by_each_and_counts_all() {
    let mut plan = PlanBuilder::empty("three-councils").await;
    let north = plan.council("north", "North Vale").await;
    let south = plan.council("south", "South Downs").await;
    let east = plan.council("east", "East Fen").await;
    let output = plan.output("Homes").await;
    let indicator = plan.indicator("HO01", "count", &[output]).await;
    for (council, value) in [(&north, 10.0), (&south, 20.0), (&east, 30.0)] {
        plan.value(indicator, council, quarter(2021, 3), value)
            .await;
    }

    // No quarter closed yet: the latest quarter with values.
    let view = app::store::plan::view(&plan.db, None, None).await.unwrap();
    assert_eq!(view.period, quarter(2021, 3));
    let labels: Vec<String> = view
        .councils
        .filters()
        .into_iter()
        .map(|(_, label)| label)
        .collect();
    assert_eq!(
        labels,
        ["All councils", "North Vale", "South Downs", "East Fen"]
    );
    assert_eq!(view.councils.joint().name(), "All councils (joint)");

    let all = app::store::outputs::load(&plan.db, output, view.clone(), None)
        .await
        .unwrap();
    let values: Vec<Option<f64>> = all.indicators[0]
        .readings
        .iter()
        .map(|r| r.reading.value)
        .collect();
    assert_eq!(values, [Some(10.0), Some(20.0), Some(30.0)]);

    let east_view = app::store::plan::view(&plan.db, Some("east"), None)
        .await
        .unwrap();
    let east_only = app::store::outputs::load(&plan.db, output, east_view, None)
        .await
        .unwrap();
    let readings = &east_only.indicators[0].readings;
    assert_eq!(readings.len(), 1);
    assert_eq!(
        (readings[0].council.name(), readings[0].reading.value),
        ("East Fen", Some(30.0))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_plan_opens_on_the_open_quarter_or_today() {
    let plan = PlanBuilder::empty("no-values").await;
    let today = app::domain::Calendar::default().quarter_of(app::domain::period::Day::today());
    let view = app::store::plan::view(&plan.db, None, None).await.unwrap();
    assert_eq!(view.period, today, "nothing at all: today's quarter");
    plan.return_period(quarter(2022, 4), false).await;
    let view = app::store::plan::view(&plan.db, None, None).await.unwrap();
    assert_eq!(
        view.period,
        quarter(2022, 4),
        "the quarter open for returns"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_year_that_starts_in_july_gives_every_quarter_its_days_and_reports_each_quarter() {
    use app::domain::input::Reason;
    use app::domain::period::Day;
    use app::domain::plan::PlanDetails;
    use app::domain::roles::Role;
    use app::domain::Reporting;
    use app::error::AppError;
    use app::store::{calendar, reports, returns, shaping};

    let mut plan = PlanBuilder::empty("july-year").await;
    let db = plan.db.clone();
    let bi = plan
        .person("Claire Shaper", &[Role::BusinessImprovement], &[])
        .await;
    let reason = Reason::read("The council's year runs from July").unwrap();
    let title = "Harbourside Plan 2024–28";
    let details = PlanDetails::read(title, "", "July", "Every quarter").unwrap();
    shaping::set_details(&db, &bi, &details, &reason)
        .await
        .unwrap();
    let july = calendar::read(&db).await.unwrap();
    assert_eq!(
        (july.first_month_name(), july.reporting),
        ("July", Reporting::Quarterly)
    );

    // With nothing opened yet, the quarter offered first is the one just ended by the plan's
    // own year.
    let empty = returns::completeness(&db, &bi, None).await.unwrap();
    assert_eq!(empty.next.0, july.quarter_of(Day::today()).previous());

    let harbourside = plan.council("harbourside", "Harbourside").await;
    let output = plan.output("Cleaner harbour").await;
    let indicator = plan.indicator("HB01", "percent", &[output]).await;
    plan.value(indicator, &harbourside, quarter(2024, 1), 41.0)
        .await;
    plan.return_period(quarter(2024, 1), true).await;
    let completeness = returns::completeness(&db, &bi, None).await.unwrap();
    assert_eq!(
        completeness.next,
        (quarter(2024, 2), Day::parse("2025-01-31").unwrap()),
        "Q2 of a year from July ends in December; its returns are due a month later"
    );

    // Pages give the quarter its days from July; the report due is the quarter's.
    let site = plan.serve().await;
    let (_, home) = get(&site, "/").await;
    assert!(
        home.contains("2024/25 Q1 (1 July to 30 September 2024)"),
        "the map's quarter in days"
    );
    let reports = reports::list(&db, Some(&bi)).await.unwrap();
    assert_eq!(
        reports.choices[0],
        (
            "2024-25-q1".to_string(),
            "Quarterly update, 2024/25 Q1 (1 July to 30 September 2024), due".to_string()
        )
    );

    // Once a quarter has values the year's first month stays, and nothing is written; how
    // often the plan reports may still change.
    let records: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_record")
        .fetch_one(&db)
        .await
        .unwrap();
    let august = PlanDetails::read(title, "", "August", "Every quarter").unwrap();
    let refused = shaping::set_details(&db, &bi, &august, &reason).await;
    assert!(
        matches!(&refused, Err(AppError::Invalid { field, message }) if field == "year_starts" && message.contains("values")),
        "{refused:?}"
    );
    assert_eq!(calendar::read(&db).await.unwrap(), july);
    let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_record")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(after, records, "nothing written");
    let half_yearly = PlanDetails::read(title, "", "July", "half-year").unwrap();
    shaping::set_details(&db, &bi, &half_yearly, &reason)
        .await
        .unwrap();
    let reports = reports::list(&db, Some(&bi)).await.unwrap();
    assert_eq!(
        reports.choices[0].1,
        "Half-yearly report, 2023/24 H2 (1 January to 30 June 2024), due"
    );
}
