//! The indicator lifecycle through the forms a browser posts: propose, confirm, refine, link,
//! delete; who may; what is refused; and what the pages then show.

mod common;

use common::{get_as, location, post_form, session, start, verified_audit_records, TestServer};

/// The output of WE01 (residual waste), in Jan Osborne's portfolio, and a strategic risk.
async fn waste_output_and_a_risk(site: &TestServer) -> (String, String) {
    let db = site.database().await;
    let output: i64 = sqlx::query_scalar(
        "SELECT output_id FROM indicator_output io JOIN indicator i ON i.id = io.indicator_id WHERE i.code = 'WE01' AND io.is_primary",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    let risk: i64 = sqlx::query_scalar("SELECT id FROM risk ORDER BY code LIMIT 1")
        .fetch_one(&db)
        .await
        .unwrap();
    (output.to_string(), risk.to_string())
}

async fn lifecycle_of(site: &TestServer, id: &str) -> (String, String, String) {
    sqlx::query_as("SELECT lifecycle, title, code FROM indicator WHERE id = $1")
        .bind(id.parse::<i64>().unwrap())
        .fetch_one(&site.database().await)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_portfolio_holder_takes_an_indicator_through_its_lifecycle() {
    let site = start().await;
    let jan = session(&site, "jan.osborne").await;
    let (output, risk) = waste_output_and_a_risk(&site).await;
    let propose_page = format!("/outputs/{output}/propose");
    let (status, page) = get_as(&site, &propose_page, Some(&jan)).await;
    assert_eq!(status, 200);
    assert!(page.contains("Propose an indicator"), "{page}");

    // Propose: the browser goes on to the new indicator, shown as to be confirmed.
    let response = post_form(
        &site,
        "/api/propose-indicator",
        Some(&jan),
        &[
            ("output_id", &output),
            ("title", "Food waste collected per household"),
            (
                "definition",
                "Kilograms of food waste collected separately, per household",
            ),
            ("kind", "influencing"),
            ("unit", "kg"),
            ("polarity", "higher"),
            ("reason", "Agreed at the waste portfolio briefing"),
        ],
        Some(&propose_page),
    )
    .await;
    assert_eq!(response.status().as_u16(), 302);
    let to = location(&response, &site);
    let id = to.trim_start_matches("/indicators/").to_string();
    assert!(id.parse::<i64>().is_ok(), "went to {to}");
    let (lifecycle, _, code) = lifecycle_of(&site, &id).await;
    assert_eq!(lifecycle, "proposed");
    assert!(code.starts_with("WE"), "{code}");
    let (_, page) = get_as(&site, &format!("/outputs/{output}"), Some(&jan)).await;
    assert!(page.contains("Food waste collected per household"));
    assert!(page.contains("To be confirmed by leaders"));

    let manage = format!("/indicators/{id}/manage");
    let (status, page) = get_as(&site, &manage, Some(&jan)).await;
    assert_eq!(status, 200);
    assert!(page.contains("Confirm the indicator"), "{page}");
    let steps: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("/api/confirm-indicator", vec![("reason", "Confirmed by leaders on 5 December")]),
        (
            "/api/refine-indicator",
            vec![
                ("title", "Food waste collected per household (kg)"),
                ("definition", "Kilograms of food waste collected separately per household, from weighbridge tickets"),
                ("reason", "Name the data source"),
            ],
        ),
        (
            "/api/link-indicator",
            vec![("to", "risk"), ("id", &risk), ("linked", "true"), ("reason", "It mitigates the risk")],
        ),
        (
            "/api/link-indicator",
            vec![("to", "risk"), ("id", &risk), ("linked", "false"), ("reason", "Linked by mistake")],
        ),
        ("/api/delete-indicator", vec![("reason", "Replaced by the county's measure")]),
    ];
    let before = verified_audit_records(&site).await;
    for (path, fields) in &steps {
        let mut form = vec![("indicator_id", id.as_str())];
        form.extend(fields.iter().copied());
        let response = post_form(&site, path, Some(&jan), &form, Some(&manage)).await;
        assert_eq!(response.status().as_u16(), 302, "{path}");
        assert_eq!(
            location(&response, &site),
            format!("/indicators/{id}/history"),
            "{path}"
        );
    }
    assert_eq!(
        verified_audit_records(&site).await,
        before + steps.len() as i64
    );
    let (lifecycle, title, _) = lifecycle_of(&site, &id).await;
    assert_eq!(lifecycle, "deleted");
    assert_eq!(title, "Food waste collected per household (kg)");

    // It has left the output's table, and its History tab tells the whole story.
    let (_, page) = get_as(&site, &format!("/outputs/{output}"), None).await;
    assert!(!page.contains("Food waste collected per household"));
    let (status, history) = get_as(&site, &format!("/indicators/{id}/history"), None).await;
    assert_eq!(status, 200);
    for expected in [
        "Proposed (to be confirmed by leaders)",
        "Confirmed by leaders",
        "Refined",
        "Deleted",
        "Name the data source",
        "Jan Osborne",
        "Linked to strategic risk",
    ] {
        assert!(history.contains(expected), "history lacks {expected}");
    }
    // Signed out, there is no Manage tab, and the page itself is refused.
    assert!(!history.contains(&manage));
    let (status, _) = get_as(&site, &manage, None).await;
    assert_eq!(status, 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_and_invalid_changes_come_back_to_the_form_and_change_nothing() {
    let site = start().await;
    let (output, _) = waste_output_and_a_risk(&site).await;
    let propose_page = format!("/outputs/{output}/propose");
    let before = verified_audit_records(&site).await;
    let proposal = |title: &'static str, reason: &'static str| {
        vec![
            ("output_id", output.clone()),
            ("title", title.to_string()),
            ("definition", "A definition".to_string()),
            ("kind", "tracking".to_string()),
            ("unit", "percent".to_string()),
            ("polarity", "higher".to_string()),
            ("reason", reason.to_string()),
        ]
    };
    let post = |cookie: String, fields: Vec<(&'static str, String)>| {
        let site = &site;
        let page = propose_page.clone();
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            post_form(
                site,
                "/api/propose-indicator",
                Some(&cookie),
                &fields,
                Some(&page),
            )
            .await
        }
    };

    // A Portfolio Holder of other outputs, a data owner and a Scrutiny member are refused.
    for outsider in ["mary.finch", "mark.ellis", "rosa.hart"] {
        let cookie = session(&site, outsider).await;
        let response = post(cookie.clone(), proposal("Mine", "Because")).await;
        let back = location(&response, &site);
        assert!(
            back.starts_with(&propose_page) && back.contains("__err="),
            "{outsider}: {back}"
        );
        let (status, page) = get_as(&site, &propose_page, Some(&cookie)).await;
        assert_eq!(status, 403, "{outsider}");
        assert!(
            page.contains("<h1 class=\"heading-l\">Forbidden</h1>"),
            "{outsider}"
        );
        assert!(page.contains(&app::error::AppError::Forbidden.to_string()));
    }

    // Bad input from the Portfolio Holder: the message is shown beside its field.
    let jan = session(&site, "jan.osborne").await;
    let long_title: &'static str = Box::leak("x".repeat(5000).into_boxed_str());
    for (fields, message) in [
        (proposal("   ", "Because"), "Enter the title"),
        (
            proposal(long_title, "Because"),
            "Keep the title to 200 characters or fewer",
        ),
        (proposal("Fine", ""), "Give a reason for the change"),
    ] {
        let response = post(jan.clone(), fields).await;
        let back = location(&response, &site);
        assert!(back.contains("__path=%2Fapi%2Fpropose-indicator"), "{back}");
        let (status, page) = get_as(&site, &back, Some(&jan)).await;
        assert_eq!(status, 200);
        assert!(page.contains(message), "{message}: {page}");
        assert!(page.contains("There is a problem"));
        assert!(page.contains("aria-invalid=\"true\""));
    }
    let mut unknown_unit = proposal("Fine", "Because");
    unknown_unit[4].1 = "furlongs".into();
    let response = post(jan.clone(), unknown_unit).await;
    assert!(location(&response, &site).contains("__err="));
    assert_eq!(verified_audit_records(&site).await, before);

    // Markup in a reason is kept as text and shown escaped, never run.
    let response = post(jan.clone(), proposal("Safe", "<script>alert(1)</script>")).await;
    let to = location(&response, &site);
    let (_, history) = get_as(&site, &format!("{to}/history"), None).await;
    assert!(history.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!history.contains("<script>alert(1)"));
    assert_eq!(verified_audit_records(&site).await, before + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stored_text_cannot_break_out_of_the_form_it_is_edited_in() {
    let site = start().await;
    let jan = session(&site, "jan.osborne").await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM indicator WHERE code = 'WE01'")
        .fetch_one(&site.database().await)
        .await
        .unwrap();
    let (id, manage) = (id.to_string(), format!("/indicators/{id}/manage"));
    let hostile = "Tonnes</textarea><script>alert('x')</script>";
    let refined = post_form(
        &site,
        "/api/refine-indicator",
        Some(&jan),
        &[
            ("indicator_id", &id),
            ("title", "Residual waste"),
            ("definition", hostile),
            ("reason", "Test"),
        ],
        Some(&manage),
    )
    .await;
    assert_eq!(refined.status().as_u16(), 302);
    let (_, page) = get_as(&site, &manage, Some(&jan)).await;
    assert!(
        !page.contains("<script>alert('x')"),
        "the stored text stays text"
    );
    assert!(page.contains(
        "Tonnes&lt;/textarea&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</textarea>"
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_indicator_is_given_its_data_owner_from_those_who_hold_the_role() {
    let site = start().await;
    let claire = session(&site, "claire.whitby").await;
    let db = site.database().await;
    let person = |name: &'static str| {
        let db = db.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT id FROM person WHERE name = $1")
                .bind(name)
                .fetch_one(&db)
                .await
                .unwrap()
        }
    };
    let we01: i64 = sqlx::query_scalar("SELECT id FROM indicator WHERE code = 'WE01'")
        .fetch_one(&db)
        .await
        .unwrap();
    let owner = || {
        let db = db.clone();
        async move {
            sqlx::query_scalar::<_, Option<i64>>(
                "SELECT data_owner_id FROM indicator WHERE id = $1",
            )
            .bind(we01)
            .fetch_one(&db)
            .await
            .unwrap()
        }
    };
    let mark = person("Mark Ellis").await;
    assert_eq!(owner().await, Some(mark));
    let manage = format!("/indicators/{we01}/manage");
    let (_, page) = get_as(&site, &manage, Some(&claire)).await;
    assert!(
        page.contains("Mark Ellis returns its values each quarter."),
        "{page}"
    );

    // Someone without the data owner role is refused, and nothing changes.
    let records = verified_audit_records(&site).await;
    let jan_id = person("Cllr Jan Osborne").await.to_string();
    let id = we01.to_string();
    let send = |person: String| {
        let (site, claire, id) = (&site, &claire, id.clone());
        async move {
            let fields = [
                ("indicator_id", id.as_str()),
                ("person_id", person.as_str()),
                ("reason", "Moving the return"),
            ];
            let response = post_form(
                site,
                "/api/set-data-owner",
                Some(claire),
                &fields,
                Some(&format!("/indicators/{id}/manage")),
            )
            .await;
            location(&response, site)
        }
    };
    let back = send(jan_id).await;
    let (_, page) = get_as(&site, &back, Some(&claire)).await;
    assert!(
        page.contains("Choose someone who holds the data owner role"),
        "{page}"
    );
    assert_eq!(owner().await, Some(mark));
    assert_eq!(
        verified_audit_records(&site).await,
        records,
        "nothing recorded"
    );

    // Another data owner takes it over, recorded with who had it.
    let sue: i64 = sqlx::query_scalar(
        "SELECT p.id FROM person p JOIN role_grant g ON g.person_id = p.id
         WHERE g.role = 'data_owner' AND p.id <> $1 ORDER BY p.id LIMIT 1",
    )
    .bind(mark)
    .fetch_one(&db)
    .await
    .unwrap();
    send(sue.to_string()).await;
    assert_eq!(owner().await, Some(sue));
    let (before, after): (Option<String>, Option<String>) = sqlx::query_as(
        "SELECT value_before, value_after FROM audit_record WHERE action = 'data_owner_set' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(before.as_deref(), Some("Mark Ellis"));
    assert!(after.is_some_and(|name| name != "Mark Ellis"));
    assert_eq!(verified_audit_records(&site).await, records + 1);
}
