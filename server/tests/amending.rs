//! A target amendment through the store, on a plan built for the test: the typed command,
//! the permission checked within the write, the version, a deleted indicator, and the audit
//! record written with the change or not at all.

mod common;

use app::domain::roles::Role;
use app::domain::target::Amendment;
use app::domain::Unit;
use app::error::AppError;
use app::model::targets::TargetRef;
use app::store::targets::amend;
use common::PlanBuilder;

fn amendment(value: f64) -> Amendment {
    Amendment {
        value,
        unit: Unit::Kilograms,
        amber_tolerance: 10.0,
        reason: app::domain::input::Reason::read("Agreed at the portfolio briefing").unwrap(),
        confirmed: false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_is_amended_by_its_portfolio_holder_once_per_version_and_never_when_deleted() {
    let mut plan = PlanBuilder::empty("amending").await;
    let council = plan.council("first", "First council").await;
    let waste = plan.output("Less waste").await;
    let homes = plan.output("More homes").await;
    let indicator = plan.indicator("WE01", "kg", &[waste]).await;
    let holder = plan
        .person("Jan Holder", &[Role::PortfolioHolder], &[waste])
        .await;
    let elsewhere = plan
        .person("Sam Elsewhere", &[Role::PortfolioHolder], &[homes])
        .await;
    let target = TargetRef {
        indicator_id: indicator,
        council,
        year: 2021,
        version: 0,
    };
    assert_eq!(
        app::store::targets::unit(&plan.db, indicator).await,
        Ok(Unit::Kilograms)
    );

    // Someone whose portfolio is elsewhere is refused, and nothing is written.
    let refused = amend(&plan.db, &elsewhere, target.clone(), &amendment(95.0), None).await;
    assert_eq!(refused, Err(AppError::Forbidden));
    assert_eq!(
        (plan.count("target").await, plan.count("audit_record").await),
        (0, 0)
    );

    // The holder sets it: version 1, with its audit record.
    let saved = amend(&plan.db, &holder, target.clone(), &amendment(95.0), None)
        .await
        .expect("the holder may");
    assert_eq!(
        (saved.value, saved.version, saved.unit),
        (Some(95.0), 1, Unit::Kilograms)
    );
    assert_eq!(
        (plan.count("target").await, plan.count("audit_record").await),
        (1, 1)
    );

    // Saving again from the version already replaced is a conflict, and changes nothing.
    let stale = amend(&plan.db, &holder, target.clone(), &amendment(90.0), None).await;
    assert!(matches!(stale, Err(AppError::Conflict { .. })), "{stale:?}");
    let current = TargetRef {
        version: 1,
        ..target.clone()
    };
    // A figure read for another unit (the indicator was refined meanwhile) is not saved.
    let other_unit = Amendment {
        unit: Unit::Percent,
        ..amendment(90.0)
    };
    let refused = amend(&plan.db, &holder, current.clone(), &other_unit, None).await;
    assert!(
        matches!(&refused, Err(AppError::Conflict { message }) if message.starts_with("WE01 is now measured in")),
        "{refused:?}"
    );
    assert_eq!(
        (plan.count("target").await, plan.count("audit_record").await),
        (1, 1)
    );

    // A deleted indicator's targets no longer change.
    sqlx::query("UPDATE indicator SET lifecycle = 'deleted' WHERE id = $1")
        .bind(indicator)
        .execute(&plan.db)
        .await
        .unwrap();
    let deleted = amend(&plan.db, &holder, current.clone(), &amendment(90.0), None).await;
    assert!(
        matches!(&deleted, Err(AppError::Invalid { field, .. }) if field == "value"),
        "{deleted:?}"
    );
    assert_eq!(
        (plan.count("target").await, plan.count("audit_record").await),
        (1, 1)
    );

    // An indicator that does not exist is not found, for anyone.
    let missing = TargetRef {
        indicator_id: indicator + 100,
        ..current.clone()
    };
    let business_improvement = plan
        .person("Bea Improvement", &[Role::BusinessImprovement], &[])
        .await;
    assert!(matches!(
        amend(
            &plan.db,
            &business_improvement,
            missing,
            &amendment(1.0),
            None
        )
        .await,
        Err(AppError::NotFound(_))
    ));
}
