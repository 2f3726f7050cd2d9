//! Shaping a plan from an empty database: its details, councils, themes, outcomes and outputs,
//! by Business Improvement alone, each change an audit record; outputs placed beside their
//! outcome's others; retiring refused, changing nothing, while something must move first.

mod common;

use app::domain::hexmap::HexPosition;
use app::domain::input::Reason;
use app::domain::plan::{CouncilDetails, Direction, Level, NewOutput, NewTheme, Part, PlanDetails};
use app::domain::roles::Role;
use app::error::AppError;
use app::store::shaping;
use common::PlanBuilder;

fn reason() -> Reason {
    Reason::read("Agreed at the plan's refresh").unwrap()
}

fn output(code: &str) -> NewOutput {
    NewOutput::read(code, &format!("Output {code}"), code).unwrap()
}

async fn ids(db: &app::store::Db, sql: &str) -> Vec<i64> {
    sqlx::query_scalar(sql).fetch_all(db).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn business_improvement_shapes_a_plan_from_nothing_and_every_change_is_recorded() {
    let plan = PlanBuilder::empty("shaping").await;
    let db = &plan.db;
    sqlx::query("DELETE FROM plan").execute(db).await.unwrap();
    let bi = plan
        .person("Claire Shaper", &[Role::BusinessImprovement], &[])
        .await;
    let holder = plan
        .person("Pat Holder", &[Role::PortfolioHolder], &[])
        .await;
    assert!(shaping::unfinished(db).await.unwrap());

    // Nothing comes before the plan's title.
    let council = CouncilDetails::read("Harbourside Borough Council", "Harbourside", "").unwrap();
    let early = shaping::add_council(db, &bi, &council, &reason()).await;
    assert!(
        matches!(&early, Err(AppError::Invalid { field, .. }) if field == "title"),
        "{early:?}"
    );

    // Only Business Improvement shapes the plan, and a refusal writes nothing.
    let details = PlanDetails::read("Harbourside Plan 2024–28", "", "April", "half-year").unwrap();
    assert_eq!(
        shaping::set_details(db, &holder, &details, &reason()).await,
        Err(AppError::Forbidden)
    );
    assert_eq!(
        (plan.count("plan").await, plan.count("audit_record").await),
        (0, 0)
    );

    shaping::set_details(db, &bi, &details, &reason())
        .await
        .unwrap();
    // A new plan runs four financial years from the one under way.
    let (starts, ends): (String, String) = sqlx::query_as("SELECT starts_on, ends_on FROM plan")
        .fetch_one(db)
        .await
        .unwrap();
    assert!(
        starts.ends_with("-04-01") && ends.ends_with("-03-31"),
        "{starts} to {ends}"
    );
    let years = |day: &str| day[..4].parse::<i32>().unwrap();
    assert_eq!(years(&ends) - years(&starts), 4);
    shaping::add_council(db, &bi, &council, &reason())
        .await
        .unwrap();
    let clash = CouncilDetails::read("Another Council", "HARBOURSIDE", "").unwrap();
    let refused = shaping::add_council(db, &bi, &clash, &reason()).await;
    assert!(
        matches!(&refused, Err(AppError::Invalid { field, .. }) if field == "short_name"),
        "{refused:?}"
    );
    let identity = app::store::plan::identity(db).await.unwrap();
    assert_eq!(
        identity.header(),
        "Harbourside Borough Council",
        "no header: the council's name"
    );
    assert_eq!(identity.councils.partners().len(), 1);

    for title in ["Clean and green", "Homes"] {
        let theme = NewTheme::read(title, "").unwrap();
        shaping::add_theme(db, &bi, &theme, None, &reason())
            .await
            .unwrap();
    }
    let themes = ids(db, "SELECT id FROM theme ORDER BY position").await;
    shaping::add_outcome(db, &bi, themes[0], "Less waste", &reason())
        .await
        .unwrap();
    shaping::add_outcome(db, &bi, themes[0], "Cleaner streets", &reason())
        .await
        .unwrap();
    shaping::add_outcome(db, &bi, themes[1], "More homes", &reason())
        .await
        .unwrap();
    let outcomes = ids(db, "SELECT id FROM outcome ORDER BY theme_id, position").await;
    let mut cells = Vec::new();
    for (outcome, code) in [(0, "C1"), (0, "C2"), (1, "C3"), (2, "H1"), (2, "H2")] {
        cells.push(
            shaping::add_output(db, &bi, outcomes[outcome], &output(code), &reason())
                .await
                .unwrap(),
        );
    }
    // Each output takes a cell of its own, beside its outcome's others.
    let distinct: std::collections::HashSet<HexPosition> = cells.iter().copied().collect();
    assert_eq!(distinct.len(), 5);
    assert_eq!(cells[0].distance(cells[1]), 1, "C2 beside C1");
    assert_eq!(cells[3].distance(cells[4]), 1, "H2 beside H1");
    let again = shaping::add_output(db, &bi, outcomes[0], &output("c1"), &reason()).await;
    assert!(
        matches!(&again, Err(AppError::Invalid { field, .. }) if field == "code"),
        "{again:?}"
    );
    assert!(!shaping::unfinished(db).await.unwrap());

    // The map holds the plan as shaped.
    let view = app::store::plan::view(db, None, None).await.unwrap();
    let map = app::store::map::load(db, view).await.unwrap();
    let titles: Vec<&str> = map.themes.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(titles, ["Clean and green", "Homes"]);
    assert_eq!(map.outputs().count(), 5);

    // Renamed and re-ordered; moving the first theme up is refused.
    let homes = Part {
        level: Level::Theme,
        id: themes[1],
    };
    shaping::rename(db, &bi, homes, "Homes for all", &reason())
        .await
        .unwrap();
    shaping::reorder(db, &bi, homes, Direction::Up, &reason())
        .await
        .unwrap();
    let first = shaping::reorder(db, &bi, homes, Direction::Up, &reason()).await;
    assert!(
        matches!(&first, Err(AppError::Invalid { field, .. }) if field == "direction"),
        "{first:?}"
    );
    let order: Vec<String> = sqlx::query_scalar("SELECT title FROM theme ORDER BY position")
        .fetch_all(db)
        .await
        .unwrap();
    assert_eq!(order, ["Homes for all", "Clean and green"]);

    // Retiring what still holds something says what must move, and changes nothing.
    let records = plan.count("audit_record").await;
    let c1 = ids(db, "SELECT id FROM output WHERE code = 'C1'").await[0];
    let indicator = plan.indicator("CG01", "percent", &[c1]).await;
    let c1_part = Part {
        level: Level::Output,
        id: c1,
    };
    let held = shaping::retire(db, &bi, c1_part, &reason()).await;
    assert!(
        matches!(&held, Err(AppError::Invalid { message, .. }) if message.contains("CG01")),
        "{held:?}"
    );
    let theme = Part {
        level: Level::Theme,
        id: themes[0],
    };
    let held = shaping::retire(db, &bi, theme, &reason()).await;
    assert!(
        matches!(&held, Err(AppError::Invalid { message, .. }) if message.contains("Less waste") && message.contains("Cleaner streets")),
        "{held:?}"
    );
    assert_eq!(plan.count("audit_record").await, records);
    let retired: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM output WHERE retired_on IS NOT NULL")
            .fetch_one(db)
            .await
            .unwrap();
    assert_eq!(retired, 0);

    // Once its indicator is deleted, the output retires and leaves the map.
    sqlx::query("UPDATE indicator SET lifecycle = 'deleted' WHERE id = $1")
        .bind(indicator)
        .execute(db)
        .await
        .unwrap();
    shaping::retire(db, &bi, c1_part, &reason()).await.unwrap();
    let again = shaping::retire(db, &bi, c1_part, &reason()).await;
    assert!(
        matches!(&again, Err(AppError::Invalid { field, .. }) if field == "part"),
        "{again:?}"
    );
    let view = app::store::plan::view(db, None, None).await.unwrap();
    let map = app::store::map::load(db, view).await.unwrap();
    assert_eq!(map.outputs().count(), 4);
    assert!(map.outputs().all(|(_, o)| o.code != "C1"));

    // Every change is one audit record, with who and why, and the chain holds.
    let actions: Vec<(String, Option<i64>, String)> =
        sqlx::query_as("SELECT action, actor_id, reason FROM audit_record ORDER BY id")
            .fetch_all(db)
            .await
            .unwrap();
    let codes: Vec<&str> = actions.iter().map(|(a, _, _)| a.as_str()).collect();
    assert_eq!(
        codes,
        [
            "plan_details_set",
            "council_added",
            "part_added",
            "part_added",
            "part_added",
            "part_added",
            "part_added",
            "part_added",
            "part_added",
            "part_added",
            "part_added",
            "part_added",
            "part_renamed",
            "part_moved",
            "part_retired",
        ]
    );
    assert!(actions.iter().all(
        |(_, actor, why)| *actor == Some(bi.person_id) && why == "Agreed at the plan's refresh"
    ));
    common::assert_sound(db, "after shaping the plan").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hexagons_move_to_free_cells_and_a_layout_is_checked_whole() {
    let mut plan = PlanBuilder::empty("layout").await;
    let db = plan.db.clone();
    let bi = plan
        .person("Claire Layout", &[Role::BusinessImprovement], &[])
        .await;
    let ids: Vec<i64> = {
        let mut ids = Vec::new();
        for code in ["L1", "L2", "L3"] {
            ids.push(plan.output(code).await);
        }
        ids
    };
    let cell = |q, r| HexPosition { q, r };
    let cells = || async {
        sqlx::query_as::<_, (String, i32, i32)>(
            "SELECT code, hex_q, hex_r FROM output ORDER BY code",
        )
        .fetch_all(&db)
        .await
        .unwrap()
    };
    let before = cells().await;

    // Onto another output's cell: refused, naming it; onto a free one: moved.
    let taken = shaping::place(&db, &bi, ids[1], cell(before[0].1, before[0].2), &reason()).await;
    assert!(
        matches!(&taken, Err(AppError::Invalid { field, message }) if field == "cell" && message.contains("L1")),
        "{taken:?}"
    );
    assert_eq!(cells().await, before);
    shaping::place(&db, &bi, ids[1], cell(7, 3), &reason())
        .await
        .unwrap();
    assert_eq!(cells().await[1], ("L2".to_string(), 7, 3));

    // A layout that swaps two outputs is laid out in one go.
    let codes = shaping::output_codes(&db).await.unwrap();
    let swap = format!(
        r#"{{"layout":"odd-r","hexes":{{"L1":{{"q":7,"r":3}},"L2":{{"q":{},"r":{}}},"L3":{{"q":{},"r":{}}}}}}}"#,
        before[0].1, before[0].2, before[2].1, before[2].2
    );
    let layout = app::domain::hexmap::read_layout(&swap, &codes).unwrap();
    assert_eq!(shaping::lay_out(&db, &bi, &layout, &reason()).await, Ok(3));
    let after = cells().await;
    assert_eq!((after[0].1, after[0].2), (7, 3));
    assert_eq!((after[1].1, after[1].2), (before[0].1, before[0].2));

    // A layout that no longer matches the plan's outputs is refused and changes nothing.
    let four = plan.output("L4").await;
    assert_eq!(
        shaping::lay_out(&db, &bi, &layout, &reason()).await,
        Err(AppError::Conflict {
            message:
                "The plan's outputs changed while the layout was read: download the layout again"
                    .into()
        })
    );
    assert_eq!(cells().await[..3], after[..]);

    // A retired output gives up its cell to the next.
    let at: (i32, i32) = sqlx::query_as("SELECT hex_q, hex_r FROM output WHERE id = $1")
        .bind(four)
        .fetch_one(&db)
        .await
        .unwrap();
    shaping::retire(
        &db,
        &bi,
        Part {
            level: Level::Output,
            id: four,
        },
        &reason(),
    )
    .await
    .unwrap();
    shaping::place(&db, &bi, ids[2], cell(at.0, at.1), &reason())
        .await
        .unwrap();
    common::assert_sound(&db, "after laying out the map").await;
}
