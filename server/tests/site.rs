//! Integration tests: the real server on a free port with a fresh database, asked over HTTP
//! what a councillor's browser would ask.

mod common;

use common::{client, cookie_of, get, get_as, sign_in, start};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_check_answers() {
    let server = start().await;
    assert_eq!(get(&server, "/healthz").await, (200, "ok".to_string()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_map_shows_every_theme_and_output_with_status_counts() {
    let server = start().await;
    let (status, html) = get(&server, "/").await;
    assert_eq!(status, 200);
    for theme in [
        "Waste &amp; Environment",
        "Enabled &amp; Efficient Organisation",
        "Housing Delivery",
        "Community Capacity Building &amp; Engagement",
        "Business Growth &amp; Productivity",
        "Assets &amp; Investments",
    ] {
        assert!(html.contains(theme), "the map names {theme}");
    }
    // 28 outputs, each a link in the SVG with an accessible name.
    assert_eq!(html.matches(r#"class="hex" aria-label="#).count(), 28);
    assert!(
        html.contains(
            r#"aria-label="Less residual waste – Reduce residual household waste (outcome: Less waste and more recycling): 5 indicators;"#
        ),
        "W1 has its five active indicators"
    );
    assert!(html.contains(
        "Broadband – Bring superfast broadband to homes and businesses (outcome: Infrastructure for growth): no indicators yet"
    ));
    assert!(html
        .contains("<title>Joint Strategic Plan 2016–20 map – Hexplan – Babergh and Mid Suffolk District Councils</title>"));
    assert!(html.contains("2017/18 Q2 (1 July to 30 September 2017)"));
    assert!(html.contains("Housing-related indicators only so far"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_council_filter_and_period_change_the_map() {
    let server = start().await;
    let (_, both) = get(&server, "/").await;
    let (_, babergh) = get(&server, "/?council=babergh&period=2016-17-q4").await;
    assert!(babergh.contains("2016/17 Q4 (1 January to 31 March 2017)"));
    assert!(babergh.contains(r#"aria-current="true""#));
    assert_ne!(
        both, babergh,
        "a different council and period show different statuses"
    );
    // Nonsense falls back to the defaults rather than failing.
    let (status, fallback) = get(&server, "/?council=nowhere&period=1999-99-q9").await;
    assert_eq!(status, 200);
    assert!(fallback.contains("2017/18 Q2"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_output_lists_its_indicators_and_portfolio_holders() {
    let server = start().await;
    let (status, html) = get(&server, "/outputs/1").await;
    assert_eq!(status, 200);
    assert!(html.contains("<h1 class=\"heading-xl\">Reduce residual household waste</h1>"));
    assert!(html.contains("Cllr Jan Osborne"));
    assert!(html.contains("Cllr Graham Tye"));
    assert!(html.contains("Residual household waste per household"));
    assert!(html.contains("Mark Ellis"), "the data owner");
    assert!(
        !html.contains("Residual waste sent to energy from waste"),
        "deleted indicators leave the page"
    );
    let (missing, _) = get(&server, "/outputs/9999").await;
    assert_eq!(missing, 404);
    let (not_a_number, _) = get(&server, "/outputs/abc").await;
    assert_eq!(not_a_number, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_indicator_shows_its_definition_values_and_history() {
    let server = start().await;
    let (status, html) = get(&server, "/indicators/1").await;
    assert_eq!(status, 200);
    assert!(html.contains("Residual household waste per household"));
    assert!(html.contains("Lower is better"));
    assert!(html.contains("SRR04"), "the linked risk");
    assert!(html.contains("Babergh: values against target by quarter"));
    assert!(html.contains("Mid Suffolk: values against target by quarter"));
    assert!(html.contains("2015/16 Q1"));
    assert!(html.contains(r#"id="indicator-chart""#));
    let (status, history) = get(&server, "/indicators/1/history").await;
    assert_eq!(status, 200);
    assert!(
        history.contains("Refined"),
        "the refinement is in the history"
    );
    assert!(history.contains(r#"href="/indicators/1/history" aria-current="page""#));
    let (missing, _) = get(&server, "/indicators/123456").await;
    assert_eq!(missing, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_layout_downloads_as_hexjson() {
    let server = start().await;
    let (status, body) = get(&server, "/api/map.hexjson").await;
    assert_eq!(status, 200);
    let json: serde_json::Value = serde_json::from_str(&body).expect("valid JSON");
    assert_eq!(json["layout"], "odd-r");
    let hexes = json["hexes"].as_object().expect("hexes");
    assert_eq!(hexes.len(), 28);
    assert_eq!(json["hexes"]["W1"]["q"], 0);
    assert_eq!(json["hexes"]["W1"]["r"], 0);
    assert_eq!(json["hexes"]["W1"]["n"], "Reduce residual household waste");
    assert_eq!(json["hexes"]["H2"]["theme"], "Housing Delivery");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_map_server_function_answers_with_typed_data() {
    let server = start().await;
    let response = client()
        .post(format!("{}/api/map", server.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", server.base.clone())
        .body("council=mid-suffolk&period=2017-18-q1")
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status().as_u16(), 200);
    let map: app::api::map::MapView =
        serde_json::from_str(&response.text().await.unwrap()).expect("a map");
    assert_eq!(
        map.council,
        app::domain::CouncilFilter::One("mid-suffolk".into())
    );
    assert_eq!(map.period.to_string(), "2017/18 Q1");
    assert_eq!(map.themes.len(), 6);
    let counted: u32 = map.outputs().map(|(_, o)| o.counts.total()).sum();
    assert_eq!(
        counted, 108,
        "every active indicator counts once, in its one output"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_change_summary_shows_the_bulletins_table() {
    let server = start().await;
    let (status, html) = get(&server, "/changes?from=2017-06-12&to=2017-12-15").await;
    assert_eq!(status, 200);
    assert!(html.contains("Changes after 12 June 2017 up to and including 15 December 2017"));
    assert!(
        html.contains(r#"aria-label="16 new indicators: Enabled &amp; Efficient Organisation""#)
    );
    assert!(html.contains(r#"aria-label="5 new indicators to be confirmed by leaders: Enabled &amp; Efficient Organisation""#));
    assert!(html
        .contains(r#"aria-label="33 indicators in force: Enabled &amp; Efficient Organisation""#));
    assert!(html.contains(r#"aria-label="15 indicators in force: Assets &amp; Investments""#));
    assert!(html.contains("Housing-related indicators only so far"));

    let (status, csv) = get(&server, "/changes.csv?from=2017-06-12&to=2017-12-15").await;
    assert_eq!(status, 200);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "Theme/Outcome,New Indicators,New Indicators to be confirmed by leaders,Deleted Indicators,Refined Indicators,Amended Targets,Total Indicators,Scope,From,To");
    assert_eq!(
        lines[1],
        "Waste & Environment,10,0,4,2,0,21,,2017-06-12,2017-12-15"
    );
    assert_eq!(
        lines[2],
        "Enabled & Efficient Organisation,16,5,2,0,2,33,,2017-06-12,2017-12-15"
    );
    assert_eq!(
        lines[3],
        "Housing Delivery,3,0,2,3,1,25,,2017-06-12,2017-12-15"
    );
    assert_eq!(
        lines[4],
        "Community Capacity Building & Engagement,2,0,0,0,0,19,,2017-06-12,2017-12-15"
    );
    assert_eq!(
        lines[5],
        "Business Growth & Productivity,0,0,0,0,0,0,,2017-06-12,2017-12-15"
    );
    assert_eq!(lines[6], "Assets & Investments,6,0,0,0,1,15,Housing-related indicators only so far,2017-06-12,2017-12-15");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_number_lists_the_changes_behind_it() {
    let server = start().await;
    let (status, html) = get(
        &server,
        "/changes/list?theme=2&cell=to-be-confirmed&from=2017-06-12&to=2017-12-15",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(html.matches(r#"class="change-list__item""#).count(), 5);
    assert!(html.contains("Employee engagement score"));
    assert!(html.contains("Proposed by the Assistant Director; to be confirmed by leaders"));
    let (_, refined) = get(
        &server,
        "/changes/list?theme=3&cell=refined&from=2017-06-12&to=2017-12-15",
    )
    .await;
    assert_eq!(refined.matches(r#"class="change-list__item""#).count(), 3);
    assert!(refined.contains("From Major planning applications decided within 13 weeks. to "));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_dates_get_a_clear_message_beside_the_field() {
    let server = start().await;
    let (status, html) = get(&server, "/changes?from=2017-02-30&to=2017-12-15").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"<p id="from-error" class="error-message">"#));
    assert!(html.contains("Enter the start date as a real date, for example 2017-06-12"));
    let (status, _) = get(&server, "/changes.csv?from=nonsense").await;
    assert_eq!(status, 400);
    let (status, script) = get(&server, "/changes?to=%3Cscript%3Ealert(1)%3C/script%3E").await;
    assert_eq!(status, 200);
    assert!(
        !script.contains("<script>alert(1)</script>"),
        "input is never echoed as markup"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_sets_a_safe_session_cookie_and_signing_out_ends_it() {
    let server = start().await;
    let response = sign_in(&server, "Jan.Osborne", app::store::demo::DEMO_PASSWORD).await;
    assert_eq!(response.status().as_u16(), 303);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("hexplan_session="), "{cookie}");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=28800"] {
        assert!(cookie.contains(attribute), "{attribute} in {cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain HTTP on loopback");
    let session = cookie_of(&response);

    let home = get_as(&server, "/", Some(&session)).await.1;
    assert!(home.contains("Cllr Jan Osborne (Portfolio Holder)"));
    assert!(home.contains(r#"action="/sign-out""#));

    // A second sign-in in the same browser replaces the first session.
    let again = client()
        .post(format!("{}/sign-in", server.base))
        .header("origin", server.base.clone())
        .header("cookie", &session)
        .form(&[
            ("username", "jan.osborne"),
            ("password", app::store::demo::DEMO_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    let rotated = cookie_of(&again);
    assert_ne!(rotated, session);
    let old = get_as(&server, "/", Some(&session)).await.1;
    assert!(
        !old.contains("Cllr Jan Osborne (Portfolio Holder)"),
        "the old session ended"
    );

    let out = client()
        .post(format!("{}/sign-out", server.base))
        .header("origin", server.base.clone())
        .header("cookie", &rotated)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status().as_u16(), 303);
    assert!(out.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    let after = get_as(&server, "/", Some(&rotated)).await.1;
    assert!(after.contains(r#"href="/sign-in""#), "signed out");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passwords_are_refused_and_repeated_failures_slowed_down() {
    let server = start().await;
    for _ in 0..4 {
        let response = sign_in(&server, "claire.whitby", "guess").await;
        assert_eq!(response.headers()["location"], "/sign-in?failed=1");
        assert!(response.headers().get("set-cookie").is_none());
    }
    // The fifth failure locks the account for a while, even against the right password.
    let _ = sign_in(&server, "claire.whitby", "guess").await;
    let locked = sign_in(&server, "claire.whitby", app::store::demo::DEMO_PASSWORD).await;
    let location = locked.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/sign-in?wait="), "{location}");
    assert!(locked.headers().get("set-cookie").is_none());
    let (_, page) = get(&server, &location).await;
    assert!(page.contains("Too many sign-in attempts from here. Wait "));
    // Unknown people get the same answer as wrong passwords.
    let unknown = sign_in(&server, "nobody.at.all", "guess").await;
    assert_eq!(unknown.headers()["location"], "/sign-in?failed=1");
    let (_, page) = get(&server, "/sign-in?failed=1").await;
    assert!(page.contains("The username or password is not right."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_from_other_sites_are_forbidden() {
    let server = start().await;
    for origin in [Some("https://evil.example"), None] {
        let mut request = client().post(format!("{}/sign-in", server.base)).form(&[
            ("username", "claire.whitby"),
            ("password", app::store::demo::DEMO_PASSWORD),
        ]);
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status().as_u16(), 403, "origin {origin:?}");
        assert!(response.headers().get("set-cookie").is_none());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn business_improvement_checks_the_audit_trail_and_no_one_else_can() {
    let server = start().await;
    let bi = common::session(&server, "claire.whitby").await;
    let (status, html) = get_as(&server, "/audit", Some(&bi)).await;
    assert_eq!(status, 200);
    assert!(html.contains("The audit trail verifies"));
    assert!(html.contains("records are intact"));
    let scrutiny = common::session(&server, "rosa.hart").await;
    let (status, html) = get_as(&server, "/audit", Some(&scrutiny)).await;
    assert_eq!(status, 403);
    assert!(
        html.contains("<h1 class=\"heading-l\">Forbidden</h1>"),
        "{html}"
    );
    assert!(html.contains(&app::error::AppError::Forbidden.to_string()));
    let (_, html) = get(&server, "/audit").await;
    assert!(html.contains("Sign in as Business Improvement to check the audit trail."));
}
