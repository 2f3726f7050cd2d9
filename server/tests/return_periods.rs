//! Opening, closing and reopening a quarter for returns, through the store, on a plan built
//! for the test: a typed change with a real deadline, only for Business Improvement, each
//! step an audit record, and every step that makes no sense refused with nothing written.

mod common;

use app::domain::audit::AuditAction;
use app::domain::input::Reason;
use app::domain::period::Day;
use app::domain::returns::PeriodChange;
use app::domain::roles::Role;
use app::domain::Quarter;
use app::error::AppError;
use app::store::returns::{periods, set_period};
use common::PlanBuilder;

fn why(text: &str) -> Reason {
    Reason::read(text).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quarter_opens_with_its_deadline_closes_and_reopens_and_nothing_else() {
    let plan = PlanBuilder::empty("return-periods").await;
    let officer = plan
        .person("Ann Officer", &[Role::BusinessImprovement], &[])
        .await;
    let owner = plan.person("Dan Owner", &[Role::DataOwner], &[]).await;
    let quarter = Quarter::new(2019, 4).unwrap();
    let deadline = Day::parse("2020-04-30").unwrap();
    let open = PeriodChange::Open { deadline };
    let records = || async {
        sqlx::query_as::<_, (AuditAction, Option<String>)>(
            "SELECT action, value_after FROM audit_record ORDER BY id",
        )
        .fetch_all(&plan.db)
        .await
        .unwrap()
    };

    // A data owner may not open a quarter; nothing is written.
    let refused = set_period(&plan.db, &owner, quarter, open, &why("Year end")).await;
    assert_eq!(refused, Err(AppError::Forbidden));
    assert_eq!(plan.count("return_period").await, 0);

    // Closing or reopening a quarter never opened is refused.
    for change in [PeriodChange::Close, PeriodChange::Reopen] {
        let refused = set_period(&plan.db, &officer, quarter, change, &why("Tidying")).await;
        assert!(
            matches!(&refused, Err(AppError::Invalid { message, .. }) if message == "2019/20 Q4 has not been opened for returns"),
            "{refused:?}"
        );
    }

    set_period(&plan.db, &officer, quarter, open, &why("Year end"))
        .await
        .expect("Business Improvement opens the quarter");
    let opened = periods(&plan.db).await.unwrap();
    assert_eq!(opened.len(), 1);
    assert_eq!(
        (opened[0].quarter, opened[0].deadline, opened[0].closed),
        (quarter, deadline, false)
    );

    // Twice is refused; so is reopening an open quarter.
    let again = set_period(&plan.db, &officer, quarter, open, &why("Again")).await;
    assert!(matches!(again, Err(AppError::Invalid { .. })), "{again:?}");
    let reopen = set_period(
        &plan.db,
        &officer,
        quarter,
        PeriodChange::Reopen,
        &why("Why"),
    )
    .await;
    assert!(
        matches!(&reopen, Err(AppError::Invalid { message, .. }) if message == "2019/20 Q4 is already open"),
        "{reopen:?}"
    );

    set_period(
        &plan.db,
        &officer,
        quarter,
        PeriodChange::Close,
        &why("All in"),
    )
    .await
    .expect("closes");
    assert!(periods(&plan.db).await.unwrap()[0].closed);
    set_period(
        &plan.db,
        &officer,
        quarter,
        PeriodChange::Reopen,
        &why("A late correction"),
    )
    .await
    .expect("reopens");
    assert!(!periods(&plan.db).await.unwrap()[0].closed);

    // Each step that happened is one record, in order, in words a reader understands.
    assert_eq!(
        records().await,
        vec![
            (
                AuditAction::QuarterOpened,
                Some("open, due 30 April 2020".into())
            ),
            (AuditAction::QuarterClosed, Some("closed".into())),
            (AuditAction::QuarterReopened, Some("open".into())),
        ]
    );
}
