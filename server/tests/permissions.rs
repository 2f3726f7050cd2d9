//! The permission matrix: every server function has a rule here, and every one that changes
//! something is tried as every role and signed out. A new server function without a rule
//! fails this test.

mod common;

use common::{client, session, start_with_mail, TestServer};
use std::collections::HashMap;

/// The form a call sends, given the demonstration data's ids and how many calls of this
/// function have succeeded so far (so repeated calls stay valid, e.g. the next version).
type Form = fn(&Ids, u32) -> Vec<(&'static str, String)>;

/// Who may call each server function.
enum Rule {
    /// Reads public information: anyone, signed in or not.
    Public,
    /// Reads what only some may see: (username, allowed) for every role; signed out refused.
    Reads {
        form: Form,
        people: &'static [(&'static str, bool)],
    },
    /// Changes something: (username, allowed) for every role; signed out refused. The first
    /// allowed call must succeed; later ones may meet a plain refusal of the input (the change
    /// is already made), never "forbidden".
    Changes {
        form: Form,
        people: &'static [(&'static str, bool)],
    },
}

/// Ids from the demonstration data, looked up by code and name.
struct Ids(HashMap<&'static str, String>);

impl Ids {
    fn get(&self, key: &str) -> String {
        self.0[key].clone()
    }

    async fn look_up(server: &TestServer) -> Ids {
        let db = server.database().await;
        let mut ids = HashMap::new();
        for (key, sql) in [
            ("WE01", "SELECT id FROM indicator WHERE code = 'WE01'"),
            ("WE02", "SELECT id FROM indicator WHERE code = 'WE02'"),
            ("WE03", "SELECT id FROM indicator WHERE code = 'WE03'"),
            ("EE10", "SELECT id FROM indicator WHERE code = 'EE10'"),
            ("W1", "SELECT id FROM output WHERE code = 'W1'"),
            (
                "risk",
                "SELECT id FROM risk WHERE code <> 'SRR04' ORDER BY code LIMIT 1",
            ),
            ("david", "SELECT id FROM person WHERE name = 'David Okafor'"),
            ("mark", "SELECT id FROM person WHERE name = 'Mark Ellis'"),
            ("report", "SELECT id FROM report WHERE published_at IS NULL"),
            ("review", "SELECT id FROM review_session"),
            ("mary", "SELECT id FROM person WHERE name = 'Cllr Mary Finch'"),
            (
                "waste outcome",
                "SELECT oc.id FROM outcome oc JOIN theme t ON t.id = oc.theme_id
                 JOIN person p ON p.id = t.assistant_director_id WHERE p.name = 'Helen Marsh' LIMIT 1",
            ),
            ("import", "SELECT id FROM value_import WHERE person_id = (SELECT id FROM person WHERE name = 'Mark Ellis')"),
            ("plan import", "SELECT id FROM plan_import"),
            (
                "peter",
                "SELECT id FROM person WHERE name = 'Cllr Peter Hale'",
            ),
            ("theme", "SELECT id FROM theme ORDER BY position LIMIT 1"),
            ("babergh", "SELECT id FROM organisation WHERE code = 'babergh'"),
            (
                "empty output",
                "SELECT op.id FROM output op WHERE NOT EXISTS
                 (SELECT 1 FROM indicator_output io WHERE io.output_id = op.id) ORDER BY op.id LIMIT 1",
            ),
        ] {
            let id: i64 = sqlx::query_scalar(sql).fetch_one(&db).await.expect(key);
            ids.insert(key, id.to_string());
        }
        // The map's layout as it stands, as a HexJSON file.
        let cells: Vec<(String, i32, i32)> =
            sqlx::query_as("SELECT code, hex_q, hex_r FROM output WHERE retired_on IS NULL")
                .fetch_all(&db)
                .await
                .expect("the layout");
        let hexes: serde_json::Map<String, serde_json::Value> = cells
            .into_iter()
            .map(|(code, q, r)| (code, serde_json::json!({ "q": q, "r": r })))
            .collect();
        ids.insert(
            "layout",
            serde_json::json!({ "layout": "odd-r", "hexes": hexes }).to_string(),
        );
        Ids(ids)
    }
}

/// The Portfolio Holder of WE01's output, another Portfolio Holder, the Assistant Director of
/// WE01's theme and of another, and one of each other role.
const FRAMEWORK: &[(&str, bool)] = &[
    ("jan.osborne", true),   // Portfolio Holder of WE01's output (W1)
    ("mary.finch", false),   // Portfolio Holder of other outputs
    ("claire.whitby", true), // Business Improvement
    ("helen.marsh", true),   // Assistant Director of WE01's theme (Waste & Environment)
    ("mark.ellis", false),   // data owner of WE01
    ("rosa.hart", false),    // Scrutiny member
    ("david.okafor", false), // Assistant Director of another theme
];

/// Targets: the Portfolio Holder and Business Improvement only.
const TARGETS: &[(&str, bool)] = &[
    ("jan.osborne", true),
    ("mary.finch", false),
    ("claire.whitby", true),
    ("helen.marsh", false),
    ("mark.ellis", false),
    ("rosa.hart", false),
    ("david.okafor", false),
];

/// EE10 is proposed on an output in neither Portfolio Holder's portfolio, in David Okafor's
/// theme (Enabled & Efficient Organisation), not Helen Marsh's.
const OUTSIDE_PORTFOLIOS: &[(&str, bool)] = &[
    ("jan.osborne", false),
    ("mary.finch", false),
    ("claire.whitby", true),
    ("helen.marsh", false),
    ("mark.ellis", false),
    ("rosa.hart", false),
    ("david.okafor", true),
];

/// People and roles: Business Improvement only.
const BUSINESS_IMPROVEMENT: &[(&str, bool)] = &[
    ("jan.osborne", false),
    ("mary.finch", false),
    ("claire.whitby", true),
    ("helen.marsh", false),
    ("mark.ellis", false),
    ("rosa.hart", false),
    ("david.okafor", false),
];

/// Achievements of a Waste & Environment outcome: its Assistant Director (Helen Marsh) and
/// Business Improvement.
const FRAMEWORK_DIRECTOR: &[(&str, bool)] = &[
    ("jan.osborne", false),
    ("mary.finch", false),
    ("claire.whitby", true),
    ("helen.marsh", true),
    ("mark.ellis", false),
    ("rosa.hart", false),
    ("david.okafor", false),
];

/// Anyone signed in.
const EVERYONE: &[(&str, bool)] = &[
    ("jan.osborne", true),
    ("mary.finch", true),
    ("claire.whitby", true),
    ("helen.marsh", true),
    ("mark.ellis", true),
    ("rosa.hart", true),
    ("david.okafor", true),
];

/// Setting up a peer review session: Business Improvement and Assistant Directors.
const FACILITATORS: &[(&str, bool)] = &[
    ("jan.osborne", false),
    ("mary.finch", false),
    ("claire.whitby", true),
    ("helen.marsh", true),
    ("mark.ellis", false),
    ("rosa.hart", false),
    ("david.okafor", true),
];

/// A session Claire facilitates, with Jan invited.
const REVIEW_OF_CLAIRE: &[(&str, bool)] = &[
    ("jan.osborne", true),
    ("mary.finch", false),
    ("claire.whitby", true),
    ("helen.marsh", false),
    ("mark.ellis", false),
    ("rosa.hart", false),
    ("david.okafor", false),
];

/// Values of WE01 (Mark Ellis's) and his returns: Mark and Business Improvement only.
const DATA_OWNER: &[(&str, bool)] = &[
    ("jan.osborne", false),
    ("mary.finch", false),
    ("claire.whitby", true),
    ("helen.marsh", false),
    ("mark.ellis", true),
    ("rosa.hart", false),
    ("david.okafor", false),
];

fn rules() -> Vec<(&'static str, Rule)> {
    vec![
        ("/api/map", Rule::Public),
        ("/api/my-portfolio", Rule::Public),
        ("/api/output", Rule::Public),
        ("/api/indicator", Rule::Public),
        ("/api/indicator-history", Rule::Public),
        ("/api/change-summary", Rule::Public),
        ("/api/change-list", Rule::Public),
        ("/api/reports", Rule::Public),
        ("/api/my-reviews", Rule::Public),
        (
            "/api/reviews",
            Rule::Reads {
                form: |_, _| vec![],
                people: EVERYONE,
            },
        ),
        (
            "/api/review-summary",
            Rule::Reads {
                form: |ids, _| vec![("id", ids.get("review"))],
                people: REVIEW_OF_CLAIRE,
            },
        ),
        (
            "/api/review",
            Rule::Reads {
                form: |ids, _| vec![("id", ids.get("review"))],
                people: REVIEW_OF_CLAIRE,
            },
        ),
        (
            "/api/create-review",
            Rule::Changes {
                form: |_, done| {
                    vec![
                        ("title", format!("Matrix {done}")),
                        ("held_on", "2018-03-05".into()),
                        ("scope", "indicators".into()),
                        ("codes", "WE01".into()),
                    ]
                },
                people: FACILITATORS,
            },
        ),
        (
            "/api/run-review",
            Rule::Changes {
                form: |ids, _| vec![("id", ids.get("review")), ("step", "start".into())],
                people: BUSINESS_IMPROVEMENT,
            },
        ),
        (
            "/api/record-verdict",
            Rule::Changes {
                form: |ids, _| {
                    vec![
                        ("id", ids.get("review")),
                        ("indicator_id", ids.get("WE01")),
                        ("verdict", "adequate".into()),
                    ]
                },
                people: REVIEW_OF_CLAIRE,
            },
        ),
        (
            "/api/act-on-outcome",
            Rule::Changes {
                form: |ids, _| vec![("id", ids.get("review")), ("indicator_id", ids.get("WE03"))],
                people: BUSINESS_IMPROVEMENT,
            },
        ),
        (
            "/api/agree-outcome",
            Rule::Changes {
                form: |ids, _| {
                    vec![
                        ("id", ids.get("review")),
                        ("indicator_id", ids.get("WE01")),
                        ("outcome", "Matrix".into()),
                        ("change", "adequate".into()),
                    ]
                },
                people: BUSINESS_IMPROVEMENT,
            },
        ),
        (
            "/api/move-review-item",
            Rule::Changes {
                form: |ids, done| {
                    vec![
                        ("id", ids.get("review")),
                        ("position", "1".into()),
                        ("earlier", (done % 2 == 1).to_string()),
                    ]
                },
                people: BUSINESS_IMPROVEMENT,
            },
        ),
        (
            "/api/set-invitation",
            Rule::Changes {
                form: |ids, done| {
                    vec![
                        ("id", ids.get("review")),
                        ("person_id", ids.get("mary")),
                        ("invited", (done % 2 == 0).to_string()),
                    ]
                },
                people: BUSINESS_IMPROVEMENT,
            },
        ),
        ("/api/achievements", Rule::Public),
        (
            "/api/create-report",
            Rule::Changes {
                // A report of the last two years, as the page offers; once made, a second is refused.
                form: |_, _| vec![("period", "2016-17-q1".into())],
                people: BUSINESS_IMPROVEMENT,
            },
        ),
        (
            "/api/publish-report",
            Rule::Changes {
                form: |ids, _| vec![("id", ids.get("report")), ("reason", "Matrix".into())],
                people: BUSINESS_IMPROVEMENT,
            },
        ),
        (
            "/api/write-achievements",
            Rule::Changes {
                form: |ids, done| {
                    vec![
                        ("outcome_id", ids.get("waste outcome")),
                        ("half", "2017-18-h2".into()),
                        ("achievements", format!("Matrix {done}")),
                        ("impacts", "Matrix".into()),
                    ]
                },
                people: FRAMEWORK_DIRECTOR,
            },
        ),
        (
            "/api/audit-check",
            Rule::Reads {
                form: |_, _| vec![],
                people: BUSINESS_IMPROVEMENT,
            },
        ),
        (
            "/api/people",
            Rule::Reads {
                form: |_, _| vec![],
                people: BUSINESS_IMPROVEMENT,
            },
        ),
        (
            "/api/person",
            Rule::Reads {
                form: |ids, _| vec![("id", ids.get("david"))],
                people: BUSINESS_IMPROVEMENT,
            },
        ),
        (
            "/api/returns",
            Rule::Reads {
                form: |ids, _| vec![("owner", ids.get("mark"))],
                people: DATA_OWNER,
            },
        ),
        (
            "/api/value-import",
            Rule::Reads {
                form: |ids, _| vec![("id", ids.get("import"))],
                people: DATA_OWNER,
            },
        ),
        (
            "/api/completeness",
            Rule::Reads {
                form: |_, _| vec![],
                people: BUSINESS_IMPROVEMENT,
            },
        ),
        (
            "/api/save-return",
            Rule::Changes {
                form: |ids, done| {
                    // The fields of a return are named by the value's slot.
                    let slot = format!("v{}-babergh", ids.get("WE01"));
                    vec![
                        ("period", "2017-18-q3".into()),
                        (format!("value[{slot}]").leak(), (100 + done).to_string()),
                        (format!("commentary[{slot}]").leak(), "Matrix".into()),
                        (format!("confirmed[{slot}]").leak(), "true".into()),
                    ]
                },
                people: DATA_OWNER,
            },
        ),
        (
            "/api/return-period",
            Rule::Changes {
                form: |_, _| {
                    vec![
                        ("period", "2017-18-q4".into()),
                        ("action", "open".into()),
                        ("deadline", "2018-04-30".into()),
                        ("reason", "Matrix".into()),
                    ]
                },
                people: BUSINESS_IMPROVEMENT,
            },
        ),
        (
            "/api/send-reminders",
            Rule::Changes {
                form: |_, _| vec![("period", "2017-18-q3".into())],
                people: BUSINESS_IMPROVEMENT,
            },
        ),
        (
            "/api/indicator-management",
            Rule::Reads {
                form: |ids, _| vec![("id", ids.get("WE01"))],
                people: FRAMEWORK,
            },
        ),
        (
            "/api/proposal-form",
            Rule::Reads {
                form: |ids, _| vec![("output_id", ids.get("W1"))],
                people: FRAMEWORK,
            },
        ),
        (
            "/api/amend-target",
            Rule::Changes {
                form: |ids, done| {
                    vec![
                        ("indicator_id", ids.get("WE01")),
                        ("council", "babergh".into()),
                        ("year", "2017".into()),
                        ("value", (90 + done).to_string()),
                        ("tolerance", "10".into()),
                        ("reason", "Matrix".into()),
                        ("version", (1 + done).to_string()),
                    ]
                },
                people: TARGETS,
            },
        ),
        (
            "/api/change-target",
            Rule::Changes {
                form: |ids, done| {
                    vec![
                        ("indicator_id", ids.get("WE01")),
                        ("council", "mid-suffolk".into()),
                        ("year", "2017".into()),
                        ("value", (90 + done).to_string()),
                        ("tolerance", "10".into()),
                        ("reason", "Matrix".into()),
                        ("version", (1 + done).to_string()),
                    ]
                },
                people: TARGETS,
            },
        ),
        (
            "/api/propose-indicator",
            Rule::Changes {
                form: |ids, _| {
                    vec![
                        ("output_id", ids.get("W1")),
                        ("title", "Matrix".into()),
                        ("definition", "Matrix".into()),
                        ("kind", "tracking".into()),
                        ("unit", "percent".into()),
                        ("polarity", "higher".into()),
                        ("reason", "Matrix".into()),
                    ]
                },
                people: FRAMEWORK,
            },
        ),
        (
            "/api/confirm-indicator",
            Rule::Changes {
                form: |ids, _| {
                    vec![
                        ("indicator_id", ids.get("EE10")),
                        ("reason", "Matrix".into()),
                    ]
                },
                people: OUTSIDE_PORTFOLIOS,
            },
        ),
        (
            "/api/refine-indicator",
            Rule::Changes {
                form: |ids, done| {
                    vec![
                        ("indicator_id", ids.get("WE01")),
                        ("title", format!("Residual waste, refinement {done}")),
                        ("definition", "Matrix".into()),
                        ("reason", "Matrix".into()),
                    ]
                },
                people: FRAMEWORK,
            },
        ),
        (
            "/api/set-data-owner",
            Rule::Changes {
                // Mark Ellis returns WE01's values: first no one, then Mark again, and so on.
                form: |ids, done| {
                    vec![
                        ("indicator_id", ids.get("WE01")),
                        (
                            "person_id",
                            if done % 2 == 0 {
                                String::new()
                            } else {
                                ids.get("mark")
                            },
                        ),
                        ("reason", "Matrix".into()),
                    ]
                },
                people: FRAMEWORK,
            },
        ),
        (
            "/api/link-indicator",
            Rule::Changes {
                form: |ids, done| {
                    vec![
                        ("indicator_id", ids.get("WE01")),
                        ("to", "risk".into()),
                        ("id", ids.get("risk")),
                        ("linked", (done % 2 == 0).to_string()),
                        ("reason", "Matrix".into()),
                    ]
                },
                people: FRAMEWORK,
            },
        ),
        (
            "/api/delete-indicator",
            Rule::Changes {
                form: |ids, _| {
                    vec![
                        ("indicator_id", ids.get("WE02")),
                        ("reason", "Matrix".into()),
                    ]
                },
                people: FRAMEWORK,
            },
        ),
        (
            "/api/add-person",
            Rule::Changes {
                form: |_, done| {
                    vec![
                        ("name", format!("Matrix Person {done}")),
                        ("job_title", "Officer".into()),
                        ("email", format!("matrix{done}@example.gov.uk")),
                        ("username", format!("matrix.{done}")),
                        ("password", "a long enough password".into()),
                        ("reason", "Matrix".into()),
                    ]
                },
                people: BUSINESS_IMPROVEMENT,
            },
        ),
        (
            "/api/set-role",
            Rule::Changes {
                form: |ids, done| {
                    vec![
                        ("person_id", ids.get("david")),
                        ("role", "data_owner".into()),
                        ("granted", (done % 2 == 0).to_string()),
                        ("reason", "Matrix".into()),
                    ]
                },
                people: BUSINESS_IMPROVEMENT,
            },
        ),
        (
            "/api/plan-import",
            Rule::Reads {
                form: |ids, _| vec![("id", ids.get("plan import"))],
                people: BUSINESS_IMPROVEMENT,
            },
        ),
        (
            "/api/plan-shape",
            Rule::Reads {
                form: |_, _| vec![],
                people: BUSINESS_IMPROVEMENT,
            },
        ),
        // Before any output is added or retired, so the layout looked up at the start holds.
        (
            "/api/import-layout",
            Rule::Changes {
                form: |ids, _| vec![("layout", ids.get("layout")), ("reason", "Matrix".into())],
                people: BUSINESS_IMPROVEMENT,
            },
        ),
        (
            "/api/place-output",
            Rule::Changes {
                form: |ids, done| {
                    vec![
                        ("output", ids.get("W1")),
                        ("column", (150 + done).to_string()),
                        ("row", "150".into()),
                        ("reason", "Matrix".into()),
                    ]
                },
                people: BUSINESS_IMPROVEMENT,
            },
        ),
        (
            "/api/set-plan-details",
            Rule::Changes {
                form: |_, _| {
                    vec![
                        ("title", "Joint Strategic Plan 2016–20".into()),
                        ("header", "Babergh and Mid Suffolk District Councils".into()),
                        ("year_starts", "4".into()),
                        ("reporting", "half-year".into()),
                        ("reason", "Matrix".into()),
                    ]
                },
                people: BUSINESS_IMPROVEMENT,
            },
        ),
        (
            "/api/add-council",
            Rule::Changes {
                form: |_, done| {
                    vec![
                        ("name", format!("Matrix {done} District Council")),
                        ("short_name", format!("Matrix {done}")),
                        ("reason", "Matrix".into()),
                    ]
                },
                people: BUSINESS_IMPROVEMENT,
            },
        ),
        (
            "/api/change-council",
            Rule::Changes {
                form: |ids, _| {
                    vec![
                        ("id", ids.get("babergh")),
                        ("name", "Babergh District Council".into()),
                        ("short_name", "Babergh".into()),
                        ("ons_code", "E07000200".into()),
                        ("reason", "Matrix".into()),
                    ]
                },
                people: BUSINESS_IMPROVEMENT,
            },
        ),
        (
            "/api/add-theme",
            Rule::Changes {
                form: |_, done| {
                    vec![
                        ("title", format!("Matrix theme {done}")),
                        ("reason", "Matrix".into()),
                    ]
                },
                people: BUSINESS_IMPROVEMENT,
            },
        ),
        (
            "/api/add-outcome",
            Rule::Changes {
                form: |ids, done| {
                    vec![
                        ("theme", ids.get("theme")),
                        ("title", format!("Matrix outcome {done}")),
                        ("reason", "Matrix".into()),
                    ]
                },
                people: BUSINESS_IMPROVEMENT,
            },
        ),
        (
            "/api/add-output",
            Rule::Changes {
                form: |ids, done| {
                    vec![
                        ("outcome", ids.get("waste outcome")),
                        ("code", format!("MX{done}")),
                        ("title", format!("Matrix output {done}")),
                        ("short_title", "Matrix".into()),
                        ("reason", "Matrix".into()),
                    ]
                },
                people: BUSINESS_IMPROVEMENT,
            },
        ),
        (
            "/api/rename-part",
            Rule::Changes {
                form: |ids, done| {
                    vec![
                        ("part", format!("outcome-{}", ids.get("waste outcome"))),
                        ("title", format!("Matrix outcome renamed {done}")),
                        ("reason", "Matrix".into()),
                    ]
                },
                people: BUSINESS_IMPROVEMENT,
            },
        ),
        (
            "/api/move-part",
            Rule::Changes {
                form: |ids, done| {
                    vec![
                        ("part", format!("theme-{}", ids.get("theme"))),
                        (
                            "direction",
                            if done % 2 == 0 { "down" } else { "up" }.into(),
                        ),
                        ("reason", "Matrix".into()),
                    ]
                },
                people: BUSINESS_IMPROVEMENT,
            },
        ),
        (
            "/api/retire-part",
            Rule::Changes {
                form: |ids, _| {
                    vec![
                        ("part", format!("output-{}", ids.get("empty output"))),
                        ("reason", "Matrix".into()),
                    ]
                },
                people: BUSINESS_IMPROVEMENT,
            },
        ),
        (
            "/api/set-portfolio",
            Rule::Changes {
                form: |ids, done| {
                    vec![
                        ("person_id", ids.get("peter")), // a Portfolio Holder for finance
                        ("output_id", ids.get("W1")),
                        ("portfolio", "Matrix".into()),
                        ("held", (done % 2 == 0).to_string()),
                        ("reason", "Matrix".into()),
                    ]
                },
                people: BUSINESS_IMPROVEMENT,
            },
        ),
    ]
}

/// Calls the server function at `path` on the server at `base`, as a page of its own does.
async fn call_at(
    base: String,
    path: &str,
    form: Vec<(&'static str, String)>,
    cookie: Option<String>,
) -> (u16, String) {
    let mut request = client()
        .post(format!("{base}{path}"))
        .header("origin", base.clone())
        .form(&form);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.expect("answers");
    (
        response.status().as_u16(),
        response.text().await.expect("a body"),
    )
}

/// What the matrix calls act on beyond the demonstration data: an import of Mark's, a peer
/// review session of Claire's with Jan invited, and a draft report.
async fn add_fixtures(server: &TestServer) {
    sqlx::query(
        "INSERT INTO value_import (person_id, imported_at, file_name, rows_read, rows_written, problems)
         SELECT id, '2018-01-10T09:00:00Z', 'returns.csv', 1, 1, '[]' FROM person WHERE name = 'Mark Ellis'",
    )
    .execute(&server.database().await)
    .await
    .expect("an import of Mark's");
    sqlx::query(
        "INSERT INTO plan_import (person_id, imported_at, file_name, written, problems)
         SELECT id, '2018-01-10T09:00:00Z', 'plan.xlsx', NULL, '[]' FROM person WHERE name = 'Claire Whitby'",
    )
    .execute(&server.database().await)
    .await
    .expect("an upload of Claire's");
    common::insert_fixture(
        &server.database().await,
        "INSERT INTO review_session (id, title, held_on, facilitator_id, created_at)
         SELECT 1, 'Matrix review', '2018-03-05', id, '2018-02-01T09:00:00Z' FROM person WHERE name = 'Claire Whitby';
         INSERT INTO review_item (session_id, position, indicator_id) SELECT 1, 1, id FROM indicator WHERE code = 'WE01';
         INSERT INTO review_item (session_id, position, indicator_id, agreed_outcome, agreed_change)
             SELECT 1, 2, id, 'No longer measured', 'delete' FROM indicator WHERE code = 'WE03';
         INSERT INTO review_invitation (session_id, person_id) SELECT 1, id FROM person WHERE name = 'Cllr Jan Osborne';",
    )
    .await;
    sqlx::query("INSERT INTO report (financial_year, half, created_at) VALUES (2017, 1, '2017-10-01T09:00:00Z')")
        .execute(&server.database().await)
        .await
        .expect("a draft report");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_server_function_has_a_rule_and_the_server_enforces_it() {
    let registered: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_string())
        .collect();
    assert!(
        registered.len() >= 16 && registered.iter().any(|p| p == "/api/amend-target"),
        "the registry lists the server functions: {registered:?}"
    );
    let rules = rules();
    for path in &registered {
        assert!(
            rules.iter().any(|(p, _)| p == path),
            "{path} has no rule in the permission matrix"
        );
    }

    let (server, mail) = start_with_mail().await;
    add_fixtures(&server).await;
    let ids = Ids::look_up(&server).await;
    let mut sessions = HashMap::new();
    for (person, _) in FRAMEWORK {
        sessions.insert(*person, session(&server, person).await);
    }
    let call = |path: &'static str, form: Vec<(&'static str, String)>, cookie: Option<String>| {
        call_at(server.base.clone(), path, form, cookie)
    };
    for (path, rule) in rules {
        let (form, people, changes) = match rule {
            Rule::Public => continue,
            Rule::Reads { form, people } => (form, people, false),
            Rule::Changes { form, people } => (form, people, true),
        };
        let (status, body) = call(path, form(&ids, 0), None).await;
        assert!(
            common::error_in(&body) == Some(app::error::AppError::NotSignedIn),
            "{path} signed out: {body}"
        );
        assert_eq!(status, 401, "{path} signed out");
        let mut done = 0;
        for (person, allowed) in people {
            let (status, body) = call(path, form(&ids, done), Some(sessions[person].clone())).await;
            if !allowed {
                assert!(
                    common::error_in(&body) == Some(app::error::AppError::Forbidden),
                    "{path} as {person}: {body}"
                );
                assert_eq!(status, 403, "{path} as {person}");
            } else if status == 200 {
                done += 1;
            } else {
                assert!(
                    changes
                        && done > 0
                        && matches!(
                            common::error_in(&body),
                            Some(app::error::AppError::Invalid { .. })
                        )
                        && status == 400,
                    "{path} as {person}: {status} {body}"
                );
            }
        }
        assert!(done > 0, "{path}: no allowed call succeeded");
    }
    assert!(
        !mail.sent().is_empty(),
        "Business Improvement's reminders were sent"
    );
}

/// What a plan holds that a call could change: counts and versions of every kind of record.
async fn holdings(server: &TestServer) -> Vec<(&'static str, i64)> {
    let db = server.database().await;
    let mut held = Vec::new();
    for (what, sql) in [
        ("audit records", "SELECT COUNT(*) FROM audit_record"),
        (
            "targets",
            "SELECT COUNT(*) + COALESCE(SUM(version), 0) FROM target",
        ),
        ("values", "SELECT COUNT(*) FROM measurement"),
        (
            "indicators",
            "SELECT COUNT(*) FROM indicator WHERE lifecycle = 'active'",
        ),
        ("links", "SELECT COUNT(*) FROM indicator_output"),
        ("people", "SELECT COUNT(*) FROM person"),
        ("roles", "SELECT COUNT(*) FROM role_grant"),
        ("portfolios", "SELECT COUNT(*) FROM portfolio_holder"),
        ("achievements", "SELECT COUNT(*) FROM achievement"),
        (
            "closed quarters",
            "SELECT COUNT(*) FROM return_period WHERE closed_at IS NOT NULL",
        ),
        ("imports", "SELECT COUNT(*) FROM value_import"),
        ("plan imports", "SELECT COUNT(*) FROM plan_import"),
        (
            "reports",
            "SELECT COUNT(*) FROM report WHERE published_at IS NOT NULL",
        ),
        (
            "reviews",
            "SELECT COUNT(*) + COALESCE(SUM(version), 0) FROM review_session",
        ),
        (
            "agenda",
            "SELECT COUNT(*) FROM review_item WHERE agreed_outcome IS NOT NULL",
        ),
        ("verdicts", "SELECT COUNT(*) FROM review_verdict"),
    ] {
        let count: i64 = sqlx::query_scalar(sql).fetch_one(&db).await.expect(what);
        held.push((what, count));
    }
    held
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_of_one_plan_can_neither_see_nor_change_another_plans_data() {
    // North and south hold the same demonstration data, ids and passwords: only their
    // databases tell them apart, and each indicator's and output's title names its plan.
    let (north, south) = common::start_two_plans().await;
    for (server, name) in [(&north, "north"), (&south, "south")] {
        for table in ["indicator", "output"] {
            sqlx::query(&format!(
                "UPDATE {table} SET title = title || ' ({name} plan)'"
            ))
            .execute(&server.database().await)
            .await
            .expect("titles name their plan");
        }
        add_fixtures(server).await;
    }
    let ids = Ids::look_up(&north).await;
    assert_eq!(
        Ids::look_up(&south).await.0,
        ids.0,
        "the same ids in both plans"
    );
    let before = holdings(&south).await;

    // Each plan's pages show its own data only.
    for (server, own, other) in [(&north, "north", "south"), (&south, "south", "north")] {
        for page in ["/".to_string(), format!("/indicators/{}", ids.get("WE01"))] {
            let (status, body) = common::get(server, &page).await;
            assert_eq!(status, 200, "{own} {page}");
            assert!(
                body.contains(&format!("({own} plan)")),
                "{own} {page} shows its own"
            );
            assert!(
                !body.contains(&format!("({other} plan)")),
                "{own} {page} shows {other}'s"
            );
        }
    }

    let mut sessions = HashMap::new();
    for (person, _) in FRAMEWORK {
        sessions.insert(*person, session(&north, person).await);
    }
    let rules = rules();
    let registered: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_string())
        .collect();
    for path in &registered {
        let Some((path, rule)) = rules.iter().find(|(p, _)| p == path) else {
            panic!("{path} has no rule in the permission matrix");
        };
        match rule {
            // Public information: the other plan's own, never north's.
            Rule::Public => {
                let (form, names_indicators) = match *path {
                    "/api/output" => (vec![("id", ids.get("W1"))], true),
                    "/api/indicator" | "/api/indicator-history" => {
                        (vec![("id", ids.get("WE01"))], true)
                    }
                    "/api/change-list" => (
                        vec![
                            ("theme", "3".into()),
                            ("cell", "refined".into()),
                            ("from", "2017-06-12".into()),
                            ("to", "2017-12-15".into()),
                        ],
                        true,
                    ),
                    _ => (vec![], false),
                };
                let cookie = Some(sessions["claire.whitby"].clone());
                let (status, body) = call_at(south.base.clone(), path, form, cookie).await;
                assert_eq!(status, 200, "{path} on south: {body}");
                assert!(
                    !body.contains("(north plan)"),
                    "{path} on south showed north's data"
                );
                if names_indicators {
                    assert!(body.contains("(south plan)"), "{path} on south: {body}");
                }
            }
            // North's sessions mean nothing to south: refused as signed out, though the same
            // person with the same id exists there. The same call on north is let through.
            Rule::Reads { form, people } | Rule::Changes { form, people } => {
                let (person, _) = people
                    .iter()
                    .find(|(_, allowed)| *allowed)
                    .expect("someone may call it");
                let cookie = Some(sessions[person].clone());
                let (status, body) =
                    call_at(south.base.clone(), path, form(&ids, 0), cookie.clone()).await;
                assert_eq!(status, 401, "{path} on south as north's {person}: {body}");
                assert!(
                    common::error_in(&body) == Some(app::error::AppError::NotSignedIn),
                    "{path} on south: {body}"
                );
                let (status, body) = call_at(north.base.clone(), path, form(&ids, 0), cookie).await;
                assert!(
                    status != 401 && status != 403,
                    "{path} on north as {person}: {status} {body}"
                );
            }
        }
    }

    // The spreadsheet upload, too.
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(
            b"Indicator,Council,Period,Value,Commentary\nWE01,Babergh,2017/18 Q3,1,From north\n"
                .to_vec(),
        )
        .file_name("returns.csv"),
    );
    let response = client()
        .post(format!("{}/returns/import", south.base))
        .header("origin", &south.base)
        .header("cookie", &sessions["claire.whitby"])
        .multipart(form)
        .send()
        .await
        .expect("answers");
    assert!(
        !response.status().is_success(),
        "an upload on south as north's Claire: {}",
        response.status()
    );

    assert_eq!(holdings(&south).await, before, "south's data is unchanged");
    assert_ne!(
        holdings(&north).await,
        before,
        "north's own calls changed north"
    );
    assert!(
        common::verified_audit_records(&south).await > 0,
        "south's audit chain verifies"
    );
}
