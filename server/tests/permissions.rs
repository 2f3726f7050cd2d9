//! The permission matrix: every server function has a rule here, and every one that changes
//! something is tried as every role and signed out. A new server function without a rule
//! fails this test.

mod common;

use common::{client, session, start};

/// Who may call each server function.
enum Rule {
    /// Reads public information: anyone, signed in or not.
    Public,
    /// Reads what only these roles may see.
    ReadFor(&'static [&'static str]),
    /// Changes the framework: (username, allowed) for every role, and signed out refused.
    Changes {
        form: &'static [(&'static str, &'static str)],
        people: &'static [(&'static str, bool)],
    },
}

/// A Portfolio Holder of the output, another Portfolio Holder, and one person of each other role.
const EVERY_ROLE: &[(&str, bool)] = &[
    ("jan.osborne", true),   // Portfolio Holder of WE01's output
    ("mary.finch", false),   // Portfolio Holder of other outputs
    ("claire.whitby", true), // Business Improvement
    ("helen.marsh", false),  // Assistant Director
    ("mark.ellis", false),   // data owner of WE01
    ("rosa.hart", false),    // Scrutiny member
];

fn rules() -> Vec<(&'static str, Rule)> {
    vec![
        ("/api/map", Rule::Public),
        ("/api/output", Rule::Public),
        ("/api/indicator", Rule::Public),
        ("/api/change-summary", Rule::Public),
        ("/api/change-list", Rule::Public),
        ("/api/audit-check", Rule::ReadFor(&["claire.whitby"])),
        (
            "/api/amend-target",
            Rule::Changes {
                form: &[
                    ("indicator_id", "1"),
                    ("council", "babergh"),
                    ("year", "2017"),
                    ("tolerance", "10"),
                    ("reason", "Matrix"),
                ],
                people: EVERY_ROLE,
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
        registered.len() >= 7 && registered.iter().any(|p| p == "/api/amend-target"),
        "the registry lists the server functions: {registered:?}"
    );
    let rules = rules();
    for path in &registered {
        assert!(
            rules.iter().any(|(p, _)| p == path),
            "{path} has no rule in the permission matrix"
        );
    }

    let server = start().await;
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
        match rule {
            Rule::Public => {}
            Rule::ReadFor(allowed) => {
                let (_, body) = call(path, vec![], None).await;
                assert!(body.contains("NotSignedIn"), "{path} signed out: {body}");
                for (person, _) in EVERY_ROLE {
                    let (status, body) =
                        call(path, vec![], Some(session(&server, person).await)).await;
                    assert_eq!(
                        status == 200,
                        allowed.contains(person),
                        "{path} as {person}: {body}"
                    );
                }
            }
            Rule::Changes { form, people } => {
                let with = |version: i64, value: i64| {
                    let mut fields: Vec<(&'static str, String)> =
                        form.iter().map(|(k, v)| (*k, v.to_string())).collect();
                    fields.push(("version", version.to_string()));
                    fields.push(("value", value.to_string()));
                    fields
                };
                let (_, body) = call(path, with(1, 90), None).await;
                assert!(body.contains("NotSignedIn"), "{path} signed out: {body}");
                let mut version = 1;
                for (person, allowed) in people {
                    let (status, body) = call(
                        path,
                        with(version, 90 + version),
                        Some(session(&server, person).await),
                    )
                    .await;
                    if *allowed {
                        assert_eq!(status, 200, "{path} as {person}: {body}");
                        version += 1;
                    } else {
                        assert!(body.contains("Forbidden"), "{path} as {person}: {body}");
                    }
                }
            }
        }
    }
}
