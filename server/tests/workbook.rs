//! A whole plan in one workbook: downloaded, and uploaded into an empty plan, it gives back
//! the same plan (the demonstration, and generated plans of one and three councils); a
//! workbook with any problem lists every one by sheet, row and column and writes nothing.

mod common;

use app::domain::workbook::generated::{self, Shape};
use app::domain::workbook::PlanBook;
use app::spreadsheets::{read_plan, write_plan};
use app::store::workbook::{export, write, Importer};
use common::{database_url, fresh_dir};

async fn empty(name: &str) -> app::store::Db {
    let dir = fresh_dir(name).await;
    app::store::open(&database_url(&dir), false)
        .await
        .expect("an empty plan opens")
}

/// `book` through an XLSX file and into an empty database, read out again.
async fn round_trip(name: &str, book: &PlanBook) -> (app::store::Db, PlanBook) {
    let bytes = write_plan(book).expect("the workbook is written");
    let read = read_plan("plan.xlsx", &bytes).expect("the workbook reads back");
    assert_eq!(&read, book, "the workbook holds the plan exactly");
    let db = empty(name).await;
    write(&db, Importer::Operator, &read, "plan.xlsx")
        .await
        .expect("the plan is set up from the workbook");
    let again = export(&db).await.expect("the plan is read out");
    (db, again)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demonstration_comes_back_the_same_through_its_workbook() {
    let dir = fresh_dir("workbook-demo").await;
    let demo = app::store::open(&database_url(&dir), true).await.unwrap();
    let book = export(&demo).await.unwrap();
    assert_eq!(book.councils.len(), 2);
    assert!(book.indicators.len() > 100, "{}", book.indicators.len());
    assert!(book.values.len() > 1000, "{}", book.values.len());
    assert!(book.targets.len() > 100);
    assert!(!book.changes.is_empty() && !book.portfolios.is_empty());
    assert!(book.people.iter().all(|p| !p.roles.is_empty()));

    let (copy, again) = round_trip("workbook-demo-copy", &book).await;
    assert_eq!(
        again, book,
        "uploaded into an empty plan, the download gives the same plan"
    );

    // What people see is the same: the map of the default quarter, every council.
    let view = |db| async move { app::store::plan::view(db, None, None).await.unwrap() };
    let original = app::store::map::load(&demo, view(&demo).await)
        .await
        .unwrap();
    let copied = app::store::map::load(&copy, view(&copy).await)
        .await
        .unwrap();
    assert_eq!(copied, original);
    common::assert_sound(&copy, "after the import").await;
    let (imports,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_record WHERE action = 'plan_imported'")
            .fetch_one(&copy)
            .await
            .unwrap();
    assert_eq!(
        imports, 1,
        "one audit record says the plan was set up from a workbook"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_plans_of_one_and_three_councils_come_back_the_same() {
    for councils in [1, 3] {
        let mut book = generated::plan(Shape {
            number: councils,
            councils,
            themes: 3,
            outcomes_per_theme: 2,
            outputs_per_outcome: 3,
            indicators: 40,
            quarters: 12,
        });
        assert_eq!(book.councils.len(), councils as usize);
        if councils == 3 {
            // A year from October, reported every quarter, comes back the same.
            book.plan.calendar = app::domain::Calendar::read("October", "quarter").unwrap();
        }
        let (db, again) = round_trip(&format!("workbook-generated-{councils}"), &book).await;
        assert_eq!(again, book, "{councils} councils");
        let identity = app::store::plan::identity(&db).await.unwrap();
        assert_eq!(identity.councils.partners().len(), councils as usize);
        assert_eq!(identity.calendar, book.plan.calendar);
        assert_eq!(
            identity.councils.filters().is_empty(),
            councils == 1,
            "a plan of one council has no filter"
        );

        // Someone the workbook listed is given an account on the People page, and keeps
        // their roles and portfolios.
        let person = |email: &'static str| {
            let db = db.clone();
            async move {
                sqlx::query_scalar::<_, i64>("SELECT id FROM person WHERE email = $1")
                    .bind(email)
                    .fetch_one(&db)
                    .await
                    .unwrap()
            }
        };
        let bi = app::domain::roles::User {
            person_id: person(if councils == 1 {
                "performance@partnership001.example"
            } else {
                "performance@partnership003.example"
            })
            .await,
            name: "Pat Performance".into(),
            roles: [app::domain::roles::Role::BusinessImprovement].into(),
            portfolio: Default::default(),
            directed: Default::default(),
        };
        let email = if councils == 1 {
            "holder1@partnership001.example"
        } else {
            "holder1@partnership003.example"
        };
        let holder = person(email).await;
        let newcomer = app::domain::roles::Newcomer::read(
            "Cllr Holder 1",
            "Cabinet Member",
            email,
            &format!("holder.{councils}"),
            "a long enough password",
        )
        .unwrap();
        let reason = app::domain::input::Reason::read("Signs in to set targets").unwrap();
        let id = app::store::people::add(&db, &bi, newcomer, &reason)
            .await
            .unwrap();
        assert_eq!(id, holder, "the account is the listed person's");
        let held: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM portfolio_holder WHERE person_id = $1")
                .bind(id)
                .fetch_one(&db)
                .await
                .unwrap();
        assert_eq!(held, 6, "their portfolio stays theirs");
    }
}
