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
            (
                "peter",
                "SELECT id FROM person WHERE name = 'Cllr Peter Hale'",
            ),
        ] {
            let id: i64 = sqlx::query_scalar(sql).fetch_one(&db).await.expect(key);
            ids.insert(key, id.to_string());
        }
        Ids(ids)
    }
}

/// The Portfolio Holder of WE01's output, another Portfolio Holder, and one of each other role.
const FRAMEWORK: &[(&str, bool)] = &[
    ("jan.osborne", true),   // Portfolio Holder of WE01's output (W1)
    ("mary.finch", false),   // Portfolio Holder of other outputs
    ("claire.whitby", true), // Business Improvement
    ("helen.marsh", true),   // Assistant Director
    ("mark.ellis", false),   // data owner of WE01
    ("rosa.hart", false),    // Scrutiny member
];

/// Targets: the Portfolio Holder and Business Improvement only.
const TARGETS: &[(&str, bool)] = &[
    ("jan.osborne", true),
    ("mary.finch", false),
    ("claire.whitby", true),
    ("helen.marsh", false),
    ("mark.ellis", false),
    ("rosa.hart", false),
];

/// EE10 is proposed on an output in neither Portfolio Holder's portfolio.
const OUTSIDE_PORTFOLIOS: &[(&str, bool)] = &[
    ("jan.osborne", false),
    ("mary.finch", false),
    ("claire.whitby", true),
    ("helen.marsh", true),
    ("mark.ellis", false),
    ("rosa.hart", false),
];

/// People and roles: Business Improvement only.
const BUSINESS_IMPROVEMENT: &[(&str, bool)] = &[
    ("jan.osborne", false),
    ("mary.finch", false),
    ("claire.whitby", true),
    ("helen.marsh", false),
    ("mark.ellis", false),
    ("rosa.hart", false),
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
];

/// Anyone signed in.
const EVERYONE: &[(&str, bool)] = &[
    ("jan.osborne", true),
    ("mary.finch", true),
    ("claire.whitby", true),
    ("helen.marsh", true),
    ("mark.ellis", true),
    ("rosa.hart", true),
];

/// Setting up a peer review session: Business Improvement and Assistant Directors.
const FACILITATORS: &[(&str, bool)] = &[
    ("jan.osborne", false),
    ("mary.finch", false),
    ("claire.whitby", true),
    ("helen.marsh", true),
    ("mark.ellis", false),
    ("rosa.hart", false),
];

/// A session Claire facilitates, with Jan invited.
const REVIEW_OF_CLAIRE: &[(&str, bool)] = &[
    ("jan.osborne", true),
    ("mary.finch", false),
    ("claire.whitby", true),
    ("helen.marsh", false),
    ("mark.ellis", false),
    ("rosa.hart", false),
];

/// Values of WE01 (Mark Ellis's) and his returns: Mark and Business Improvement only.
const DATA_OWNER: &[(&str, bool)] = &[
    ("jan.osborne", false),
    ("mary.finch", false),
    ("claire.whitby", true),
    ("helen.marsh", false),
    ("mark.ellis", true),
    ("rosa.hart", false),
];

fn rules() -> Vec<(&'static str, Rule)> {
    vec![
        ("/api/map", Rule::Public),
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
                form: |_, done| vec![("period", format!("{}-{:02}-h1", 2010 + done, 11 + done))],
                people: BUSINESS_IMPROVEMENT,
            },
        ),
        (
            "/api/publish-report",
            Rule::Changes {
                form: |ids, _| vec![("id", ids.get("report"))],
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
            "/api/enter-value",
            Rule::Changes {
                form: |ids, done| {
                    vec![
                        ("indicator_id", ids.get("WE01")),
                        ("council", "babergh".into()),
                        ("period", "2017-18-q3".into()),
                        ("value", (100 + done).to_string()),
                        ("commentary", "Matrix".into()),
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
    sqlx::query(
        "INSERT INTO value_import (person_id, imported_at, file_name, rows_read, rows_written, problems)
         SELECT id, '2018-01-10T09:00:00Z', 'returns.csv', 1, 1, '[]' FROM person WHERE name = 'Mark Ellis'",
    )
    .execute(&server.database().await)
    .await
    .expect("an import of Mark's");
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
    let ids = Ids::look_up(&server).await;
    let mut sessions = HashMap::new();
    for (person, _) in FRAMEWORK {
        sessions.insert(*person, session(&server, person).await);
    }
    let call = |path: &'static str, form: Vec<(&'static str, String)>, cookie: Option<String>| {
        let base = server.base.clone();
        async move {
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
    };
    for (path, rule) in rules {
        let (form, people, changes) = match rule {
            Rule::Public => continue,
            Rule::Reads { form, people } => (form, people, false),
            Rule::Changes { form, people } => (form, people, true),
        };
        let (status, body) = call(path, form(&ids, 0), None).await;
        assert!(body.contains("NotSignedIn"), "{path} signed out: {body}");
        assert_eq!(status, 401, "{path} signed out");
        let mut done = 0;
        for (person, allowed) in people {
            let (status, body) = call(path, form(&ids, done), Some(sessions[person].clone())).await;
            if !allowed {
                assert!(body.contains("Forbidden"), "{path} as {person}: {body}");
                assert_eq!(status, 403, "{path} as {person}");
            } else if status == 200 {
                done += 1;
            } else {
                assert!(
                    changes && done > 0 && body.contains("Invalid") && status == 400,
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
