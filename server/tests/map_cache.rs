//! The map is computed once per data version: a change to the data shows at once, and an
//! unchanged database answers from the cache.

use app::domain::{CouncilFilter, Quarter};
use app::store::map::MapCache;
use app::store::plan::View;

mod common;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_value_changes_the_cached_map() {
    let dir = common::fresh_dir("cache").await;
    let db = app::store::open(&common::database_url(&dir), true)
        .await
        .unwrap();
    let cache = MapCache::default();
    let period = Quarter::new(2017, 2).unwrap();
    let babergh = View {
        councils: app::store::plan::councils(&db).await.unwrap(),
        council: CouncilFilter::One("babergh".into()),
        period,
        calendar: Default::default(),
    };
    let w1 = |map: &app::api::map::MapView| {
        map.outputs()
            .find(|(_, o)| o.code == "W1")
            .map(|(_, o)| o.counts)
            .unwrap()
    };

    let before = cache.load(&db, babergh.clone()).await.unwrap();
    let again = cache.load(&db, babergh.clone()).await.unwrap();
    assert_eq!(before, again);

    // Babergh's residual waste for the quarter falls to nothing: lower is better, so on target.
    sqlx::query(
        "UPDATE measurement SET value = 0 WHERE organisation_id = 1 AND financial_year = 2017 AND quarter = 2
         AND indicator_id = (SELECT id FROM indicator WHERE code = 'WE01')",
    )
    .execute(&db)
    .await
    .unwrap();
    let after = cache.load(&db, babergh.clone()).await.unwrap();
    assert_eq!(
        w1(&after).green,
        w1(&before).green + 1,
        "WE01 is now on target"
    );
    assert_eq!(w1(&after).total(), w1(&before).total());
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_renamed_council_shows_at_once_on_the_cached_map() {
    let dir = common::fresh_dir("cache-council").await;
    let db = app::store::open(&common::database_url(&dir), true)
        .await
        .unwrap();
    let cache = MapCache::default();
    let labels = |map: &app::api::map::MapView| -> Vec<String> {
        map.councils
            .filters()
            .into_iter()
            .map(|(_, label)| label)
            .collect()
    };
    let view = || async { app::store::plan::view(&db, None, None).await.unwrap() };
    let before = cache.load(&db, view().await).await.unwrap();
    assert_eq!(labels(&before), ["Both councils", "Babergh", "Mid Suffolk"]);

    sqlx::query(
        "UPDATE organisation SET short_name = 'Mid Suffolk East' WHERE code = 'mid-suffolk'",
    )
    .execute(&db)
    .await
    .unwrap();
    let after = cache.load(&db, view().await).await.unwrap();
    assert_eq!(
        labels(&after),
        ["Both councils", "Babergh", "Mid Suffolk East"]
    );
    let _ = std::fs::remove_dir_all(&dir);
}
