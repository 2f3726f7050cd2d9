//! A plan's workbook, attacked: references to nothing, duplicates, figures out of range, a
//! missing sheet and column, markup in titles, files that are not workbooks, one too large,
//! signed out, a second upload onto a plan already set up, and two uploads at once. Each
//! refusal lists its problems by sheet, row and column and writes nothing; the server keeps
//! answering.

use crate::common::{client, cookie_of, get_as, location, sign_in_at, PlanBuilder, TestServer};
use app::domain::table::{Cell, Table};
use app::domain::workbook::generated::{self, Shape};

const PASSWORD: &str = "a long enough password";

/// An empty plan with one account, in Business Improvement, signed in.
async fn empty_plan(name: &str) -> (PlanBuilder, TestServer, String) {
    let plan = PlanBuilder::empty(name).await;
    let newcomer = app::domain::roles::Newcomer::read(
        "Ann Officer",
        "Performance Officer",
        "ann.officer@harbourside.example",
        "ann.officer",
        PASSWORD,
    )
    .unwrap();
    app::store::people::add_business_improvement(&plan.db, newcomer)
        .await
        .unwrap();
    let site = plan.serve().await;
    let cookie = cookie_of(&sign_in_at(&site.base, "ann.officer", PASSWORD).await);
    assert!(!cookie.is_empty(), "signed in");
    (plan, site, cookie)
}

fn sheets() -> Vec<Table> {
    generated::plan(Shape {
        number: 7,
        councils: 2,
        themes: 2,
        outcomes_per_theme: 2,
        outputs_per_outcome: 2,
        indicators: 12,
        quarters: 4,
    })
    .sheets()
}

fn xlsx(tables: &[Table]) -> Vec<u8> {
    app::spreadsheets::xlsx(&tables.iter().collect::<Vec<_>>()).unwrap()
}

fn sheet<'a>(tables: &'a mut [Table], name: &str) -> &'a mut Table {
    tables.iter_mut().find(|t| t.sheet == name).unwrap()
}

fn column(table: &Table, name: &str) -> usize {
    table.columns.iter().position(|c| c == name).unwrap()
}

fn set(tables: &mut [Table], name: &str, row: usize, col: &str, text: &str) {
    let table = sheet(tables, name);
    let at = column(table, col);
    table.rows[row][at] = Cell::text(text);
}

/// Uploads `bytes` as `name`; the response's status and, when it leads to an outcome page,
/// that page.
async fn upload(
    site: &TestServer,
    cookie: Option<&str>,
    name: &str,
    bytes: Vec<u8>,
) -> (u16, String) {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
    );
    let mut request = client()
        .post(format!("{}/plan/import", site.base))
        .header("origin", site.base.clone())
        .multipart(form);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    if status != 303 {
        return (status, response.text().await.unwrap_or_default());
    }
    let outcome = location(&response, site);
    if !outcome.starts_with("/plan/imports/") {
        return (303, outcome);
    }
    let (status, page) = get_as(site, &outcome, cookie).await;
    assert_eq!(status, 200);
    (303, page)
}

async fn written(plan: &PlanBuilder) -> i64 {
    let mut total = 0;
    for table in [
        "plan_organisation",
        "theme",
        "outcome",
        "output",
        "indicator",
        "measurement",
        "target",
        "person",
    ] {
        total += plan.count(table).await;
    }
    total
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_workbook_lists_every_problem_by_sheet_row_and_column_and_writes_nothing() {
    let (plan, site, cookie) = empty_plan("hostile-workbook").await;
    let before = (written(&plan).await, plan.count("audit_record").await);

    let mut tables = sheets();
    set(&mut tables, "Outputs", 0, "Outcome", "9");
    set(&mut tables, "Indicators", 1, "Output", "NOWHERE");
    set(&mut tables, "Indicators", 2, "Code", "P007-0001");
    set(&mut tables, "Indicators", 3, "Unit", "furlongs");
    set(&mut tables, "Values", 0, "Council", "Atlantis");
    set(&mut tables, "Values", 1, "Value", "150%");
    set(&mut tables, "Values", 2, "Period", "next Tuesday");
    set(&mut tables, "Targets", 0, "Amber tolerance", "75");
    set(&mut tables, "People", 0, "Roles", "Emperor");
    set(&mut tables, "Outputs", 1, "Column", "100000");
    set(&mut tables, "Plan", 0, "Financial year starts", "Smarch");
    let risks = sheet(&mut tables, "Risks").columns.clone();
    tables.retain(|t| t.sheet != "Achievements");
    sheet(&mut tables, "Risks").columns = risks.into_iter().filter(|c| c != "Impact").collect();

    let (status, page) = upload(&site, Some(&cookie), "plan.xlsx", xlsx(&tables)).await;
    assert_eq!(status, 303);
    assert!(page.contains("Nothing was written"), "{page}");
    for expected in [
        "There is no outcome 9 of theme 1 on the Outcomes sheet",
        "There is no output &quot;NOWHERE&quot; on the Outputs sheet",
        "Indicator &quot;P007-0001&quot; is listed twice",
        "Write one of: percent",
        "&quot;Atlantis&quot; is not one of the plan&#x27;s councils",
        "A percentage value must be between 0 and 100",
        "Write the quarter like 2017/18 Q2",
        "&quot;Emperor&quot; is not a role",
        "Give the column as a whole number from -200 to 200",
        "The workbook has no sheet called &quot;Achievements&quot;",
        "The sheet has no column headed &quot;Impact&quot;",
        "Choose the month the financial year starts, like April",
    ] {
        let expected_plain = expected.replace("&quot;", "\"").replace("&#x27;", "'");
        assert!(
            page.contains(expected) || page.contains(&expected_plain),
            "{expected} in the problems: {page}"
        );
    }
    assert!(
        page.contains("<td>Values</td>")
            && page.contains("<td>Outputs</td>")
            && page.contains("<td>Financial year starts</td>"),
        "each problem names its sheet"
    );
    assert!(page.contains("Amber tolerance"), "and its column");
    assert!(
        !page.contains("on the Risks sheet"),
        "a sheet missing a column is one problem, not one for every row that names it"
    );
    assert_eq!(
        (written(&plan).await, plan.count("audit_record").await),
        before,
        "nothing was written"
    );

    // Not a workbook at all, whatever its name says; a CSV; too large; signed out.
    for (name, bytes, message) in [
        (
            "plan.xlsx",
            b"Code,Title\nW1,Waste".to_vec(),
            "This is not an XLSX workbook",
        ),
        (
            "plan.csv",
            b"Code,Title\nW1,Waste".to_vec(),
            "upload it as an XLSX file",
        ),
        (
            "plan.xlsx",
            b"PK\x03\x04\x00\x00garbage".to_vec(),
            "cannot be read",
        ),
    ] {
        let (status, page) = upload(&site, Some(&cookie), name, bytes).await;
        assert_eq!(status, 303);
        assert!(page.contains(message), "{name}: {message} in {page}");
    }
    let (status, _) = upload(
        &site,
        Some(&cookie),
        "plan.xlsx",
        vec![b'x'; 11 * 1024 * 1024],
    )
    .await;
    assert_eq!(status, 413, "a file over 10 MB is refused");
    let good = xlsx(&sheets());
    let (_, signed_out) = upload(&site, None, "plan.xlsx", good).await;
    assert!(
        signed_out.starts_with("/sign-in"),
        "signed out, sent to sign in: {signed_out}"
    );
    assert_eq!(written(&plan).await, before.0, "nothing was written");
    let (status, _) = get_as(&site, "/healthz", None).await;
    assert_eq!(status, 200, "the server still answers");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_uploads_at_once_set_the_plan_up_once_and_markup_stays_text() {
    let (plan, site, cookie) = empty_plan("hostile-workbook-race").await;
    let mut tables = sheets();
    set(
        &mut tables,
        "Themes",
        0,
        "Title",
        "<script>alert('theme')</script> Homes",
    );
    let bytes = xlsx(&tables);
    let (first, second) = tokio::join!(
        upload(&site, Some(&cookie), "plan.xlsx", bytes.clone()),
        upload(&site, Some(&cookie), "plan.xlsx", bytes.clone()),
    );
    let set_up = [&first.1, &second.1]
        .iter()
        .filter(|page| page.contains("The plan is set up"))
        .count();
    assert_eq!(set_up, 1, "exactly one upload sets the plan up");
    let refused = if first.1.contains("The plan is set up") {
        &second.1
    } else {
        &first.1
    };
    assert!(refused.contains("set up already"), "{refused}");
    assert_eq!(plan.count("indicator").await, 12, "the indicators once");
    assert_eq!(
        plan.count("plan_organisation").await,
        2,
        "the councils once"
    );
    let imported: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_record WHERE action = 'plan_imported'")
            .fetch_one(&plan.db)
            .await
            .unwrap();
    assert_eq!(imported, 1);

    // A third, onto the plan as it now is, is refused too.
    let (_, page) = upload(&site, Some(&cookie), "plan.xlsx", bytes).await;
    assert!(page.contains("set up already"), "{page}");

    let (_, shaping) = get_as(&site, "/plan", Some(&cookie)).await;
    assert!(
        !shaping.contains("<script>alert('theme')"),
        "markup is shown as text"
    );
    assert!(shaping.contains("&lt;script&gt;"), "{shaping}");
    let (status, map) = get_as(&site, "/", None).await;
    assert_eq!(status, 200);
    assert!(!map.contains("<script>alert('theme')"));
}
