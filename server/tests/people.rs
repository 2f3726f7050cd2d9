//! Business Improvement manages people, roles and portfolios; the server takes each change at
//! once and records it, and never records a password.

mod common;

use common::{get_as, location, post_form, session, sign_in, start, verified_audit_records};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn business_improvement_adds_a_portfolio_holder_who_can_then_amend_targets() {
    let site = start().await;
    let claire = session(&site, "claire.whitby").await;
    let (status, page) = get_as(&site, "/people", Some(&claire)).await;
    assert_eq!(status, 200);
    assert!(page.contains("Cllr Jan Osborne") && page.contains("Add a person"));
    let before = verified_audit_records(&site).await;

    let response = post_form(
        &site,
        "/api/add-person",
        Some(&claire),
        &[
            ("name", "Cllr Ann Reeve"),
            ("job_title", "Cabinet Member for Waste"),
            ("email", "ann.reeve@example.gov.uk"),
            ("username", "ann.reeve"),
            ("password", "a long demo passphrase"),
            ("reason", "New Cabinet member after the by-election"),
        ],
        Some("/people"),
    )
    .await;
    assert_eq!(response.status().as_u16(), 302);
    let person_page = location(&response, &site);
    let person_id = person_page.trim_start_matches("/people/").to_string();
    let output: String =
        sqlx::query_scalar("SELECT CAST(id AS TEXT) FROM output WHERE code = 'W1'")
            .fetch_one(&site.database().await)
            .await
            .unwrap();
    for (path, fields) in [
        (
            "/api/set-role",
            vec![
                ("role", "portfolio_holder"),
                ("granted", "true"),
                ("reason", "Cabinet appointment"),
            ],
        ),
        (
            "/api/set-portfolio",
            vec![
                ("output_id", output.as_str()),
                ("portfolio", "Environment"),
                ("held", "true"),
                ("reason", "Shares waste with Jan Osborne"),
            ],
        ),
    ] {
        let mut form = vec![("person_id", person_id.as_str())];
        form.extend(fields);
        let response = post_form(&site, path, Some(&claire), &form, Some(&person_page)).await;
        assert_eq!(location(&response, &site), person_page, "{path}");
    }
    let (_, page) = get_as(&site, &person_page, Some(&claire)).await;
    assert!(
        page.contains("Portfolio Holder") && page.contains("(Environment)"),
        "{page}"
    );

    // Ann signs in with her new password and amends WE01's target, in her portfolio now.
    let ann = common::cookie_of(&sign_in(&site, "ann.reeve", "a long demo passphrase").await);
    let amend = |cookie: String| {
        let site = &site;
        async move {
            post_form(
                site,
                "/api/amend-target",
                Some(&cookie),
                &[
                    ("indicator_id", "1"),
                    ("council", "babergh"),
                    ("year", "2017"),
                    ("value", "99"),
                    ("tolerance", "10"),
                    ("reason", "First target"),
                    ("version", "1"),
                ],
                None,
            )
            .await
        }
    };
    assert_eq!(amend(ann.clone()).await.status().as_u16(), 200);

    // Her role is taken away: the very next request is refused.
    post_form(
        &site,
        "/api/set-role",
        Some(&claire),
        &[
            ("person_id", &person_id),
            ("role", "portfolio_holder"),
            ("granted", "false"),
            ("reason", "Left the Cabinet"),
        ],
        Some(&person_page),
    )
    .await;
    assert!(
        common::error_in(&amend(ann).await.text().await.unwrap())
            == Some(app::error::AppError::Forbidden)
    );

    // Five changes recorded (and her amendment), and no password in any of them.
    assert_eq!(verified_audit_records(&site).await, before + 5);
    let recorded: Vec<String> = sqlx::query_scalar(
        "SELECT action || ' ' || subject || ' ' || COALESCE(value_before, '') || ' ' || COALESCE(value_after, '') FROM audit_record WHERE id > $1",
    )
    .bind(before)
    .fetch_all(&site.database().await)
    .await
    .unwrap();
    let actions: Vec<&str> = recorded
        .iter()
        .map(|r| r.split(' ').next().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "person_added",
            "role_granted",
            "portfolio_added",
            "amended_target",
            "role_revoked"
        ]
    );
    assert!(recorded.iter().all(|r| !r.contains("passphrase")));
    let (_, audit) = get_as(&site, "/audit", Some(&claire)).await;
    assert!(audit.contains("Role taken away") && audit.contains("Left the Cabinet"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_people_changes_get_a_message_and_change_nothing() {
    let site = start().await;
    let claire = session(&site, "claire.whitby").await;
    let before = verified_audit_records(&site).await;
    let person = |username: &'static str, password: &'static str, email: &'static str| {
        vec![
            ("name", "Someone"),
            ("job_title", "Officer"),
            ("email", email),
            ("username", username),
            ("password", password),
            ("reason", "Testing"),
        ]
    };
    for (fields, message) in [
        (
            person(
                "jan.osborne",
                "a long enough password",
                "new@example.gov.uk",
            ),
            "That username is taken",
        ),
        (
            person("new.person", "short", "new@example.gov.uk"),
            "at least 12 characters",
        ),
        (
            person("new person", "a long enough password", "new@example.gov.uk"),
            "lower-case letters",
        ),
        (
            person("new.person", "a long enough password", "not-an-email"),
            "right format",
        ),
    ] {
        let response = post_form(
            &site,
            "/api/add-person",
            Some(&claire),
            &fields,
            Some("/people"),
        )
        .await;
        let back = location(&response, &site);
        let (_, page) = get_as(&site, &back, Some(&claire)).await;
        assert!(page.contains(message), "{message}");
    }
    // Business Improvement cannot leave itself empty.
    let claire_id: String =
        sqlx::query_scalar("SELECT CAST(id AS TEXT) FROM person WHERE name = 'Claire Whitby'")
            .fetch_one(&site.database().await)
            .await
            .unwrap();
    let response = post_form(
        &site,
        "/api/set-role",
        Some(&claire),
        &[
            ("person_id", &claire_id),
            ("role", "business_improvement"),
            ("granted", "false"),
            ("reason", "Leaving"),
        ],
        None,
    )
    .await;
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("Someone must stay in Business Improvement"));
    assert_eq!(verified_audit_records(&site).await, before);

    // Nobody else sees the people pages.
    let rosa = session(&site, "rosa.hart").await;
    let (status, page) = get_as(&site, "/people", Some(&rosa)).await;
    assert_eq!(status, 403);
    assert!(!page.contains("Cllr Jan Osborne"));
    let (status, _) = get_as(&site, "/people", None).await;
    assert_eq!(status, 401);
}
