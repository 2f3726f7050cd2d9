//! Setting up peer review sessions: who may, what the agenda holds and in which order, and
//! that only the people invited (and the facilitator and Business Improvement) may open one.

mod common;

use common::{get_as, location, post_form, session, start, TestServer};

async fn id_of(site: &TestServer, sql: &str) -> String {
    let id: i64 = sqlx::query_scalar(sql)
        .fetch_one(&site.database().await)
        .await
        .unwrap();
    id.to_string()
}

async fn agenda(site: &TestServer, review: &str) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT i.code FROM review_item r JOIN indicator i ON i.id = r.indicator_id WHERE r.session_id = $1 ORDER BY r.position",
    )
    .bind(review.parse::<i64>().unwrap())
    .fetch_all(&site.database().await)
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_assistant_director_sets_up_a_session_that_only_the_invited_may_open() {
    let site = start().await;
    let helen = session(&site, "helen.marsh").await;
    let waste = id_of(
        &site,
        "SELECT id FROM theme WHERE title = 'Waste & Environment'",
    )
    .await;
    let jan = id_of(
        &site,
        "SELECT id FROM person WHERE name = 'Cllr Jan Osborne'",
    )
    .await;
    let mary = id_of(
        &site,
        "SELECT id FROM person WHERE name = 'Cllr Mary Finch'",
    )
    .await;
    let created = post_form(
        &site,
        "/api/create-review",
        Some(&helen),
        &[
            ("title", "Peer review of the waste indicators"),
            ("held_on", "2018-03-05"),
            ("scope", "themes"),
            ("themes[]", &waste),
            ("codes", ""),
            ("invited[]", &jan),
            ("invited[]", &mary),
        ],
        Some("/reviews"),
    )
    .await;
    assert_eq!(created.status().as_u16(), 302);
    let page = location(&created, &site);
    let review = page.trim_start_matches("/reviews/").to_string();
    let codes = agenda(&site, &review).await;
    assert!(
        codes.len() > 5 && codes.iter().all(|c| c.starts_with("WE")),
        "{codes:?}"
    );
    let mut sorted = codes.clone();
    sorted.sort();
    assert_eq!(codes, sorted, "by code within the theme");

    let (status, text) = get_as(&site, &page, Some(&helen)).await;
    assert_eq!(status, 200);
    assert!(text.contains("Peer review of the waste indicators") && text.contains("5 March 2018"));
    assert!(text.contains("Cllr Jan Osborne, Cabinet Member for Environment"));

    // Jan finds it on the home page and opens it; people not invited are refused.
    let jan_cookie = session(&site, "jan.osborne").await;
    let (_, home) = get_as(&site, "/", Some(&jan_cookie)).await;
    assert!(
        home.contains("Your peer review sessions") && home.contains(&format!("href=\"{page}\""))
    );
    assert_eq!(get_as(&site, &page, Some(&jan_cookie)).await.0, 200);
    let rosa = session(&site, "rosa.hart").await;
    assert_eq!(get_as(&site, &page, Some(&rosa)).await.0, 403);
    assert_eq!(get_as(&site, &page, None).await.0, 401);
    let (_, rosa_home) = get_as(&site, "/", Some(&rosa)).await;
    assert!(!rosa_home.contains("Your peer review sessions"));

    // The facilitator reorders the agenda; an invited member may not.
    let moved = post_form(
        &site,
        "/api/move-review-item",
        Some(&helen),
        &[("id", &review), ("position", "2"), ("earlier", "true")],
        Some(&page),
    )
    .await;
    assert_eq!(location(&moved, &site), format!("{page}#agenda"));
    let reordered = agenda(&site, &review).await;
    assert_eq!(
        (reordered[0].as_str(), reordered[1].as_str()),
        (codes[1].as_str(), codes[0].as_str())
    );
    let refused = post_form(
        &site,
        "/api/move-review-item",
        Some(&jan_cookie),
        &[("id", &review), ("position", "2"), ("earlier", "true")],
        None,
    )
    .await;
    assert!(
        common::error_in(&refused.text().await.unwrap()) == Some(app::error::AppError::Forbidden)
    );
    assert_eq!(agenda(&site, &review).await, reordered);
    let first_up = post_form(
        &site,
        "/api/move-review-item",
        Some(&helen),
        &[("id", &review), ("position", "1"), ("earlier", "true")],
        Some(&page),
    )
    .await;
    let (_, text) = get_as(&site, &location(&first_up, &site), Some(&helen)).await;
    assert!(text.contains("That indicator cannot move further that way"));

    // Withdrawing the invitation closes the session to Jan.
    post_form(
        &site,
        "/api/set-invitation",
        Some(&helen),
        &[("id", &review), ("person_id", &jan), ("invited", "false")],
        Some(&page),
    )
    .await;
    assert_eq!(get_as(&site, &page, Some(&jan_cookie)).await.0, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_needs_a_title_a_date_and_indicators_that_exist() {
    let site = start().await;
    let claire = session(&site, "claire.whitby").await;
    let attempt = |fields: Vec<(&'static str, &'static str)>| {
        let claire = claire.clone();
        let site = &site;
        async move {
            let response = post_form(
                site,
                "/api/create-review",
                Some(&claire),
                &fields,
                Some("/reviews"),
            )
            .await;
            get_as(site, &location(&response, site), Some(&claire))
                .await
                .1
        }
    };
    let base =
        |title: &'static str, date: &'static str, scope: &'static str, codes: &'static str| {
            vec![
                ("title", title),
                ("held_on", date),
                ("scope", scope),
                ("codes", codes),
            ]
        };
    for (fields, message) in [
        (base(" ", "2018-03-05", "plan", ""), "Enter the title"),
        (base("Review", "5 March", "plan", ""), "Enter the date"),
        (
            vec![
                ("title", "Review"),
                ("held_on_day", "30"),
                ("held_on_month", "2"),
                ("held_on_year", "2018"),
                ("scope", "plan"),
            ],
            "The date must be a real date",
        ),
        (
            vec![
                ("title", "Review"),
                ("held_on_day", "5"),
                ("held_on_year", "2018"),
                ("scope", "plan"),
            ],
            "The date must include a month",
        ),
        (
            base("Review", "2018-03-05", "themes", ""),
            "Choose at least one theme",
        ),
        (
            base("Review", "2018-03-05", "indicators", "WE01, ZZ98"),
            "There is no active indicator with the code ZZ98",
        ),
        (
            base("Review", "9999-01-01", "plan", ""),
            "The date must be within 5 years of the plan",
        ),
        (
            base(
                "Review",
                "2018-03-05",
                "indicators",
                "WE01 ".repeat(10_000).leak(),
            ),
            "A session may review at most 500 indicators",
        ),
    ] {
        assert!(attempt(fields).await.contains(message), "{message}");
    }
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM review_session")
        .fetch_one(&site.database().await)
        .await
        .unwrap();
    assert_eq!(sessions, 0, "no refused session was made");
    let listed = post_form(
        &site,
        "/api/create-review",
        Some(&claire),
        &base("Listed", "2018-03-05", "indicators", "we02 WE01"),
        Some("/reviews"),
    )
    .await;
    let review = location(&listed, &site)
        .trim_start_matches("/reviews/")
        .to_string();
    assert_eq!(
        agenda(&site, &review).await,
        ["WE02", "WE01"],
        "in the order listed"
    );
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM review_session")
        .fetch_one(&site.database().await)
        .await
        .unwrap();
    assert_eq!(sessions, 1, "refused set-ups saved nothing");
    let (_, page) = get_as(&site, "/reviews", Some(&session(&site, "mark.ellis").await)).await;
    assert!(
        !page.contains("Set up a session"),
        "a data owner may not set one up"
    );
}

/// A session on WE01 and WE03 that Helen Marsh facilitates, with Jan Osborne invited.
struct WasteReview {
    helen: String,
    jan_id: String,
    page: String,
    review: String,
}

async fn waste_review(site: &TestServer) -> WasteReview {
    review_of(site, "WE01 WE03").await
}

async fn review_of(site: &TestServer, codes: &str) -> WasteReview {
    let helen = session(site, "helen.marsh").await;
    let jan_id = id_of(
        site,
        "SELECT id FROM person WHERE name = 'Cllr Jan Osborne'",
    )
    .await;
    let created = post_form(
        site,
        "/api/create-review",
        Some(&helen),
        &[
            ("title", "Waste review"),
            ("held_on", "2018-03-05"),
            ("scope", "indicators"),
            ("codes", codes),
            ("invited[]", &jan_id),
        ],
        Some("/reviews"),
    )
    .await;
    let page = location(&created, site);
    let review = page.trim_start_matches("/reviews/").to_string();
    WasteReview {
        helen,
        jan_id,
        page,
        review,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_facilitator_runs_the_session_and_verdicts_are_tallied_once_per_person() {
    let site = start().await;
    let WasteReview {
        helen,
        jan_id,
        page,
        review,
    } = waste_review(&site).await;
    let we01 = id_of(&site, "SELECT id FROM indicator WHERE code = 'WE01'").await;
    let jan = session(&site, "jan.osborne").await;
    let run = |step: &'static str| {
        let (helen, site, review, page) = (helen.clone(), &site, review.clone(), page.clone());
        async move {
            post_form(
                site,
                "/api/run-review",
                Some(&helen),
                &[("id", &review), ("step", step)],
                Some(&page),
            )
            .await
        }
    };
    let verdict = |who: String, indicator: String, verdict: &'static str, value: &'static str| {
        let (site, review, page) = (&site, review.clone(), page.clone());
        async move {
            let response = post_form(
                site,
                "/api/record-verdict",
                Some(&who),
                &[
                    ("id", &review),
                    ("indicator_id", &indicator),
                    ("verdict", verdict),
                    ("proposed_value", value),
                    ("comment", "Sound measure"),
                ],
                Some(&page),
            )
            .await;
            get_as(site, &location(&response, site), Some(&who)).await.1
        }
    };
    // Not started: no verdicts yet.
    assert!(verdict(jan.clone(), we01.clone(), "adequate", "")
        .await
        .contains("The session is not live"));
    run("start").await;
    let (_, text) = get_as(&site, &page, Some(&jan)).await;
    assert!(
        text.contains("Being reviewed now") && text.contains("WE01 "),
        "WE01 first"
    );
    assert!(
        text.contains("Latest figures")
            && text.contains("Mid Suffolk")
            && text.contains("class=\"sparkline\""),
        "its latest figures and chart"
    );

    // Jan's verdict, sent twice, counts once; the second replaces the first.
    verdict(jan.clone(), we01.clone(), "adequate", "").await;
    let text = verdict(jan.clone(), we01.clone(), "amend_target", "95").await;
    assert!(text.contains("Your verdict: Amend the target."));
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM review_verdict")
        .fetch_one(&site.database().await)
        .await
        .unwrap();
    assert_eq!(count, 1);
    assert!(verdict(jan.clone(), we01.clone(), "amend_target", "lots")
        .await
        .contains("Enter the proposed target as a number"));
    // Names are for the facilitator until she shows them.
    let (_, helen_view) = get_as(&site, &page, Some(&helen)).await;
    assert!(helen_view.contains("Cllr Jan Osborne: Amend the target to 95 – Sound measure"));
    let (_, jan_view) = get_as(&site, &page, Some(&jan)).await;
    assert!(!jan_view.contains("Cllr Jan Osborne: Amend"));
    run("show-names").await;
    let (_, jan_view) = get_as(&site, &page, Some(&jan)).await;
    assert!(jan_view.contains("Cllr Jan Osborne: Amend the target to 95"));

    // Someone not invited may not give a verdict.
    let rosa = session(&site, "rosa.hart").await;
    let refused = post_form(
        &site,
        "/api/record-verdict",
        Some(&rosa),
        &[
            ("id", &review),
            ("indicator_id", &we01),
            ("verdict", "delete"),
        ],
        None,
    )
    .await;
    assert!(
        common::error_in(&refused.text().await.unwrap()) == Some(app::error::AppError::Forbidden)
    );

    // The facilitator records the outcome and moves on; a late verdict on WE01 is refused.
    let agreed = post_form(
        &site,
        "/api/agree-outcome",
        Some(&helen),
        &[
            ("id", &review),
            ("indicator_id", &we01),
            ("outcome", "Stretch it: 95 kg is within reach"),
            ("change", "amend_target"),
            ("value", "95"),
            ("action_owner", &jan_id),
        ],
        Some(&page),
    )
    .await;
    assert_eq!(location(&agreed, &site), format!("{page}#now"));
    run("next").await;
    assert!(verdict(jan.clone(), we01.clone(), "adequate", "")
        .await
        .contains("The facilitator has moved on"));
    let (_, text) = get_as(&site, &page, Some(&jan)).await;
    assert!(text.contains(
        "Agreed: Amend the target to 95: Stretch it: 95 kg is within reach (action: Cllr Jan Osborne)"
    ));
    // Jan looks back at WE01 and returns to live.
    let (_, back) = get_as(&site, &format!("{page}?at=1"), Some(&jan)).await;
    assert!(
        back.contains("You are looking ahead or back")
            && back.contains("Back to live: the indicator being reviewed")
    );

    // Paused, then ended: no verdicts, no moving on.
    run("pause").await;
    let we03 = id_of(&site, "SELECT id FROM indicator WHERE code = 'WE03'").await;
    assert!(verdict(jan.clone(), we03, "adequate", "")
        .await
        .contains("The session is not live"));
    run("resume").await;
    run("end").await;
    let (_, ended) = get_as(&site, &page, Some(&helen)).await;
    assert!(ended.contains("The session has ended."));
    let after = run("next").await;
    let (_, text) = get_as(&site, &location(&after, &site), Some(&helen)).await;
    assert!(text.contains("Start or resume the session first"));
    // The summary lists every indicator with its tally, comments and what was agreed.
    let (status, summary) = get_as(&site, &format!("{page}/summary"), Some(&jan)).await;
    assert_eq!(status, 200);
    assert!(summary.contains("1. WE01 ") && summary.contains("2. WE03 "));
    assert!(summary.contains("Amend the target: 1"));
    assert!(summary.contains("Cllr Jan Osborne: Amend the target – Sound measure"));
    assert!(
        summary.contains("Amend the target to 95: Stretch it: 95 kg is within reach")
            && summary.contains("Not yet agreed")
    );
    let (status, csv) = get_as(&site, &format!("{page}/summary.csv"), Some(&jan)).await;
    assert_eq!(status, 200);
    assert!(
        csv.starts_with("Position,Indicator,Adequate,Refine,Replace,Delete,Amend the target,Comments,Agreed change,Agreed outcome,Action owner,Change made"),
        "{csv}"
    );
    assert!(
        csv.contains(
            "Amend the target to 95,Stretch it: 95 kg is within reach,Cllr Jan Osborne,Not yet"
        ),
        "{csv}"
    );
    assert_eq!(
        get_as(&site, &format!("{page}/summary.csv"), Some(&rosa))
            .await
            .0,
        403
    );
    assert_eq!(
        get_as(&site, &format!("{page}/summary"), Some(&rosa))
            .await
            .0,
        403
    );
    let jan_runs = post_form(
        &site,
        "/api/run-review",
        Some(&jan),
        &[("id", &review), ("step", "start")],
        None,
    )
    .await;
    assert!(
        common::error_in(&jan_runs.text().await.unwrap()) == Some(app::error::AppError::Forbidden)
    );
}

/// Opens the live connection of a session as the holder of `cookie`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn participants_hear_each_change_live_and_others_cannot_listen() {
    let site = start().await;
    let WasteReview { helen, review, .. } = waste_review(&site).await;
    let jan = session(&site, "jan.osborne").await;
    let mut socket = common::follow(&site.base, &review, &jan)
        .await
        .expect("Jan may follow");
    let joined = common::next_version(&mut socket).await;
    post_form(
        &site,
        "/api/run-review",
        Some(&helen),
        &[("id", &review), ("step", "start")],
        None,
    )
    .await;
    let started = common::next_version(&mut socket).await;
    assert!(
        started > joined,
        "the start is heard: {joined} then {started}"
    );
    post_form(
        &site,
        "/api/run-review",
        Some(&helen),
        &[("id", &review), ("step", "next")],
        None,
    )
    .await;
    assert!(
        common::next_version(&mut socket).await > started,
        "and the move on"
    );
    // A late joiner hears the current version at once.
    let mut late = common::follow(&site.base, &review, &helen).await.unwrap();
    assert_eq!(common::next_version(&mut late).await, started + 1);

    // Everyone hears who is present, as people come and go.
    assert_eq!(
        common::next_present(&mut late).await,
        ["Cllr Jan Osborne", "Helen Marsh"]
    );
    let heard = common::next_present(&mut socket).await;
    let heard = if heard.len() == 1 {
        common::next_present(&mut socket).await
    } else {
        heard
    };
    assert_eq!(heard, ["Cllr Jan Osborne", "Helen Marsh"]);
    let (_, page) = get_as(&site, &format!("/reviews/{review}"), Some(&jan)).await;
    assert!(
        page.contains("<li>Cllr Jan Osborne</li><li>Helen Marsh</li>"),
        "the page lists them"
    );
    drop(late);
    assert_eq!(
        common::next_present(&mut socket).await,
        ["Cllr Jan Osborne"]
    );

    let rosa = session(&site, "rosa.hart").await;
    match common::follow(&site.base, &review, &rosa).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 403)
        }
        other => panic!("someone not invited was let in: {:?}", other.map(|_| ())),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn business_improvement_turns_each_agreed_outcome_into_one_change_linked_to_the_session() {
    let site = start().await;
    let WasteReview {
        helen,
        page,
        review,
        ..
    } = review_of(&site, "WE01 WE02 WE03 WE04 WE06").await;
    let db = site.database().await;
    let id = |code: &str| {
        let db = db.clone();
        let code = code.to_string();
        async move {
            let id: i64 = sqlx::query_scalar("SELECT id FROM indicator WHERE code = $1")
                .bind(code)
                .fetch_one(&db)
                .await
                .unwrap();
            id.to_string()
        }
    };
    let (we01, we02, we03, we04, we05) = (
        id("WE01").await,
        id("WE02").await,
        id("WE03").await,
        id("WE04").await,
        id("WE06").await,
    );
    for (indicator, change, value, outcome) in [
        (&we01, "amend_target", "95", "Stretch the target"),
        (&we02, "refine", "", "Name the data source"),
        (&we03, "replace", "", "Measure satisfaction instead"),
        (&we04, "delete", "", "No longer measured"),
        (&we05, "adequate", "", "Keep as it is"),
    ] {
        let agreed = post_form(
            &site,
            "/api/agree-outcome",
            Some(&helen),
            &[
                ("id", &review),
                ("indicator_id", indicator),
                ("outcome", outcome),
                ("change", change),
                ("value", value),
            ],
            Some(&page),
        )
        .await;
        assert_eq!(location(&agreed, &site), format!("{page}#now"), "{outcome}");
    }
    let summary = format!("{page}/summary");

    // The facilitator sees what is to be made; only Business Improvement may make it.
    let (_, helen_view) = get_as(&site, &summary, Some(&helen)).await;
    assert!(
        helen_view.contains("To be made by Business Improvement")
            && !helen_view.contains("Make this change")
    );
    let act = |who: String, indicator: String, fields: Vec<(&'static str, &'static str)>| {
        let (site, review, summary) = (&site, review.clone(), summary.clone());
        async move {
            let mut form = vec![
                ("id", review.as_str()),
                ("indicator_id", indicator.as_str()),
            ];
            form.extend(fields);
            let from = format!("{summary}?act={indicator}");
            let response =
                post_form(site, "/api/act-on-outcome", Some(&who), &form, Some(&from)).await;
            get_as(site, &location(&response, site), Some(&who)).await.1
        }
    };
    let records = || {
        let db = db.clone();
        async move {
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_record")
                .fetch_one(&db)
                .await
                .unwrap();
            n
        }
    };
    let before = records().await;
    assert!(act(helen.clone(), we04.clone(), vec![])
        .await
        .contains("You do not have permission to do that"));
    assert_eq!(records().await, before, "a refused action records nothing");

    let claire = session(&site, "claire.whitby").await;
    let (_, claire_view) = get_as(&site, &summary, Some(&claire)).await;
    assert_eq!(
        claire_view.matches("Make this change").count(),
        4,
        "adequate needs none"
    );

    // Delete, once: the second attempt is refused and changes nothing.
    let deleted = act(claire.clone(), we04.clone(), vec![]).await;
    assert!(deleted.contains("Made"), "{deleted}");
    let lifecycle: String =
        sqlx::query_scalar("SELECT lifecycle FROM indicator WHERE code = 'WE04'")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(lifecycle, "deleted");
    let (session_id, reason): (Option<i64>, String) = sqlx::query_as(
        "SELECT review_session_id, reason FROM audit_record ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(session_id.map(|s| s.to_string()), Some(review.clone()));
    assert_eq!(
        reason,
        "Agreed at the peer review session “Waste review” on 5 March 2018: No longer measured"
    );
    let after_delete = records().await;
    assert!(act(claire.clone(), we04.clone(), vec![])
        .await
        .contains("already been turned into a change"));
    assert_eq!(records().await, after_delete);

    // A refinement needs a definition: refused without one, made with one.
    assert!(act(
        claire.clone(),
        we02.clone(),
        vec![("title", "Household waste"), ("definition", "")]
    )
    .await
    .contains("Enter the definition"));
    assert_eq!(records().await, after_delete, "nothing half-made");
    act(
        claire.clone(),
        we02.clone(),
        vec![
            ("title", "Household waste"),
            (
                "definition",
                "Kilograms per household, from the waste data system",
            ),
        ],
    )
    .await;
    let definition: String =
        sqlx::query_scalar("SELECT definition FROM indicator WHERE code = 'WE02'")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(
        definition,
        "Kilograms per household, from the waste data system"
    );

    // A replacement is proposed for the same output, for leaders to confirm.
    act(
        claire.clone(),
        we03.clone(),
        vec![
            ("title", "Satisfaction with waste collection"),
            ("definition", "Residents satisfied, from the annual survey"),
        ],
    )
    .await;
    let (replacement, state): (i64, String) = sqlx::query_as(
        "SELECT i.id, i.lifecycle FROM indicator i JOIN audit_record a ON a.indicator_id = i.id
         WHERE i.title = 'Satisfaction with waste collection' AND a.review_session_id = $1",
    )
    .bind(review.parse::<i64>().unwrap())
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(state, "proposed");

    // The target: the agreed figure for the council chosen.
    let app::store::Flag(joint) =
        sqlx::query_scalar("SELECT joint = TRUE FROM indicator WHERE code = 'WE01'")
            .fetch_one(&db)
            .await
            .unwrap();
    let council = if joint { "joint" } else { "babergh" };
    let (_, form) = get_as(&site, &format!("{summary}?act={we01}"), Some(&claire)).await;
    assert!(
        form.contains("Make the agreed change to WE01") && form.contains(r#"value="95""#),
        "prefilled"
    );
    act(
        claire.clone(),
        we01.clone(),
        vec![("council", council), ("value", "95")],
    )
    .await;
    let amended: f64 = sqlx::query_scalar(
        "SELECT value FROM target WHERE indicator_id = $1 AND quarter IS NULL ORDER BY financial_year DESC, set_at DESC LIMIT 1",
    )
    .bind(we01.parse::<i64>().unwrap())
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(amended, 95.0);

    // All four are made, each linked to the session; the chain still verifies; nothing more
    // is offered, and the outcomes can no longer be changed.
    let linked: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_record WHERE review_session_id = $1")
            .bind(review.parse::<i64>().unwrap())
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(linked, 4);
    assert!(matches!(
        app::store::audit::verify_chain(&db).await.unwrap(),
        app::store::audit::Verification::Verified(_)
    ));
    let (_, done) = get_as(&site, &summary, Some(&claire)).await;
    assert_eq!(done.matches(">Made<").count(), 4);
    assert!(!done.contains("Make this change"));
    assert!(done.contains(&format!("/indicators/{replacement}/history")));
    let (_, history) = get_as(&site, &format!("/indicators/{we02}/history"), None).await;
    assert!(history.contains(&format!(r#"href="/reviews/{review}/summary""#)));
    let again = post_form(
        &site,
        "/api/agree-outcome",
        Some(&helen),
        &[
            ("id", &review),
            ("indicator_id", &we02),
            ("outcome", "Changed my mind"),
            ("change", "adequate"),
        ],
        Some(&format!("{page}?at=2")),
    )
    .await;
    let (_, text) = get_as(&site, &location(&again, &site), Some(&helen)).await;
    assert!(text.contains("it can no longer be changed"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cabinet_members_and_assistant_directors_come_first_and_all_cabinet_is_one_choice() {
    let site = start().await;
    let helen = session(&site, "helen.marsh").await;
    let (_, page) = get_as(&site, "/reviews", Some(&helen)).await;
    let at = |text: &str| {
        page.find(text)
            .unwrap_or_else(|| panic!("{text} is on the page"))
    };
    // Cabinet members, then Assistant Directors, then everyone else behind "Someone else".
    assert!(at("All Cabinet members") < at("Cllr Jan Osborne, Cabinet Member"));
    assert!(at("Cllr Jan Osborne, Cabinet Member") < at("Priya Nandra, Assistant Director"));
    assert!(at("Priya Nandra, Assistant Director") < at("Someone else"));
    assert!(
        at("Someone else") < at("Mark Ellis, "),
        "a data owner is behind Someone else"
    );

    let created = post_form(
        &site,
        "/api/create-review",
        Some(&helen),
        &[
            ("title", "The whole Cabinet"),
            ("held_on", "2018-03-05"),
            ("scope", "plan"),
            ("codes", ""),
            ("whole_cabinet", "true"),
        ],
        Some("/reviews"),
    )
    .await;
    let review = location(&created, &site)
        .trim_start_matches("/reviews/")
        .to_string();
    let db = site.database().await;
    let invited: Vec<String> = sqlx::query_scalar(
        "SELECT p.name FROM review_invitation v JOIN person p ON p.id = v.person_id
         WHERE v.session_id = $1 ORDER BY p.name",
    )
    .bind(review.parse::<i64>().unwrap())
    .fetch_all(&db)
    .await
    .unwrap();
    let cabinet: Vec<String> = sqlx::query_scalar(
        "SELECT p.name FROM person p JOIN account a ON a.person_id = p.id
         WHERE EXISTS (SELECT 1 FROM role_grant g WHERE g.person_id = p.id AND g.role = 'portfolio_holder')
         ORDER BY p.name",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    assert!(cabinet.len() > 3, "{cabinet:?}");
    assert_eq!(invited, cabinet, "every Cabinet member, and no one else");
}
