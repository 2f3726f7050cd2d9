//! Amending targets: who may, what is accepted, and two people saving at once.

mod common;

use common::{client, get, session, start, verified_audit_records};

/// WE01 (residual waste per household) is indicator 1, in Jan Osborne's portfolio.
async fn amend(
    base: &str,
    cookie: Option<&str>,
    value: &str,
    reason: &str,
    version: i64,
) -> (u16, String) {
    let mut request = client()
        .post(format!("{base}/api/amend-target"))
        .header("origin", base)
        .form(&[
            ("indicator_id", "1"),
            ("council", "babergh"),
            ("year", "2017"),
            ("value", value),
            ("tolerance", "10"),
            ("reason", reason),
            ("version", &version.to_string()),
        ]);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_portfolio_holder_and_business_improvement_may_amend() {
    let site = start().await;
    let before = verified_audit_records(&site).await;
    let (status, body) = amend(&site.base, None, "95", "Stretch", 1).await;
    assert_ne!(status, 200);
    assert!(
        common::error_in(&body) == Some(app::error::AppError::NotSignedIn),
        "{body}"
    );
    for outsider in ["rosa.hart", "mary.finch", "mark.ellis", "helen.marsh"] {
        let cookie = session(&site, outsider).await;
        let (status, body) = amend(&site.base, Some(&cookie), "95", "Stretch", 1).await;
        assert_ne!(status, 200, "{outsider}");
        assert!(
            common::error_in(&body) == Some(app::error::AppError::Forbidden),
            "{outsider}: {body}"
        );
    }
    assert_eq!(
        verified_audit_records(&site).await,
        before,
        "refusals change nothing"
    );

    let holder = session(&site, "jan.osborne").await;
    let (status, body) = amend(
        &site.base,
        Some(&holder),
        "95.5",
        "Stretched after a strong first half",
        1,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let saved: app::api::targets::EditableTarget = serde_json::from_str(&body).unwrap();
    assert_eq!((saved.value, saved.version), (Some(95.5), 2));
    assert_eq!(verified_audit_records(&site).await, before + 1);

    let bi = session(&site, "claire.whitby").await;
    let (status, _) = amend(
        &site.base,
        Some(&bi),
        "96",
        "Aligned with the county target",
        2,
    )
    .await;
    assert_eq!(status, 200);

    // The output page now shows the amended target, and the history names who and why.
    let page = get(&site, "/indicators/1/history").await.1;
    assert!(page.contains("Aligned with the county target"));
    assert!(page.contains("Claire Whitby"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_a_message_and_changes_nothing() {
    let site = start().await;
    let cookie = session(&site, "jan.osborne").await;
    let before = verified_audit_records(&site).await;
    for (value, reason, expected) in [
        ("NaN", "r", "Enter the target as a number"),
        ("1e999", "r", "Enter the target as a number"),
        ("-5", "r", "The target must be between"),
        ("abc", "r", "Enter the target as a number"),
        ("90", "", "Give a reason for the change"),
    ] {
        let (status, body) = amend(&site.base, Some(&cookie), value, reason, 1).await;
        assert_ne!(status, 200, "{value}");
        assert!(body.contains(expected), "{value}: {body}");
    }
    assert_eq!(verified_audit_records(&site).await, before);
    // Markup in a reason is kept as text and shown as text.
    let (status, _) = amend(
        &site.base,
        Some(&cookie),
        "90",
        "<script>alert(1)</script>",
        1,
    )
    .await;
    assert_eq!(status, 200);
    let page = get(&site, "/indicators/1/history").await.1;
    assert!(!page.contains("<script>alert(1)</script>"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    // Saving what is already there changes nothing and says so: no new version, no record.
    let records = verified_audit_records(&site).await;
    let (status, body) = amend(&site.base, Some(&cookie), "90", "Again", 2).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains("The target is already 90 kg with a tolerance of 10 %"),
        "{body}"
    );
    assert_eq!(verified_audit_records(&site).await, records);
    let (status, _) = amend(&site.base, Some(&cookie), "91", "Now a change", 2).await;
    assert_eq!(status, 200, "the version did not move");

    // A new target only for the year after the latest: not years ahead, nor long ago.
    for (year, expected) in [
        ("2147483647", "Choose a year from the list"),
        ("-5", "Choose a year from the list"),
        (
            "2019",
            "Targets are set a year at a time: the next Babergh target to set is for 2018/19",
        ),
    ] {
        let (status, body) = client()
            .post(format!("{}/api/amend-target", site.base))
            .header("origin", &site.base)
            .header("cookie", &cookie)
            .form(&[
                ("indicator_id", "1"),
                ("council", "babergh"),
                ("year", year),
                ("value", "90"),
                ("tolerance", "10"),
                ("reason", "Years ahead"),
                ("version", "0"),
            ])
            .send()
            .await
            .map(|r| (r.status().as_u16(), r))
            .unwrap();
        let body = body.text().await.unwrap();
        assert_eq!(status, 400, "{year}: {body}");
        assert!(body.contains(expected), "{year}: {body}");
    }
    assert_eq!(verified_audit_records(&site).await, records + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_many_simultaneous_saves_of_one_version_exactly_one_wins() {
    let site = start().await;
    let cookie = session(&site, "jan.osborne").await;
    let before = verified_audit_records(&site).await;
    let attempts: Vec<_> = (0..12)
        .map(|n| {
            let (base, cookie) = (site.base.clone(), cookie.clone());
            tokio::spawn(async move {
                amend(&base, Some(&cookie), &format!("{}", 80 + n), "Race", 1).await
            })
        })
        .collect();
    let mut won = 0;
    for attempt in attempts {
        let (status, body) = attempt.await.unwrap();
        if status == 200 {
            won += 1;
        } else {
            assert!(
                matches!(
                    common::error_in(&body),
                    Some(app::error::AppError::Conflict { .. })
                ),
                "every other save is told of the conflict: {body}"
            );
        }
    }
    assert_eq!(won, 1, "one save wins");
    assert_eq!(
        verified_audit_records(&site).await,
        before + 1,
        "one audit record, and the chain still verifies"
    );
    // The loser sees who saved first and what is stored now.
    let (_, body) = amend(&site.base, Some(&cookie), "99", "Late", 1).await;
    assert!(
        body.contains("Cllr Jan Osborne set this target to"),
        "{body}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_indicator_shown_for_an_earlier_year_judges_it_by_that_year_s_target() {
    let site = start().await;
    let jan = session(&site, "jan.osborne").await;
    let editor = "Change the 2017/18 target";
    let (status, latest) = common::get_as(&site, "/indicators/1?council=all", Some(&jan)).await;
    assert_eq!(status, 200);
    assert!(latest.contains(editor), "this year's target, to change");
    let (status, earlier) = common::get_as(
        &site,
        "/indicators/1?council=all&period=2016-17-q4",
        Some(&jan),
    )
    .await;
    assert_eq!(status, 200);
    assert!(earlier.contains("Latest values to 2016/17 Q4"));
    assert!(
        !earlier.contains(editor),
        "a 2016/17 value is not judged against the 2017/18 target"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_far_from_recent_figures_asks_for_a_second_look() {
    let site = start().await;
    let db = site.database().await;
    let holder = session(&site, "jan.osborne").await;
    let before = verified_audit_records(&site).await;
    // WE01's recent values are 97.9 kg to 101.6 kg against a 100 kg target.
    let (status, body) = amend(&site.base, Some(&holder), "480", "Typed in a hurry", 1).await;
    assert_eq!(status, 400, "{body}");
    match common::error_in(&body) {
        Some(app::error::AppError::Doubtful {
            field,
            message,
            typed,
        }) => {
            assert_eq!(field, "value");
            assert_eq!(
                message,
                "Are you sure? You entered 480 kg; its recent figures (the last four quarters and the target) are 97.9 kg to 101.6 kg. That is more than three times the highest: check the figure and correct it, or confirm that it is right."
            );
            assert!(typed.contains(&("reason".to_string(), "Typed in a hurry".to_string())));
        }
        other => panic!("expected a second look, got {other:?}"),
    }
    assert_eq!(
        common::babergh_target(&db, 1).await,
        (100.0, 1),
        "nothing saved"
    );
    assert_eq!(verified_audit_records(&site).await, before);

    // A figure within reach of its history needs no second look; a confirmed one is saved.
    let (status, body) = amend(&site.base, Some(&holder), "95", "Stretch", 1).await;
    assert_eq!(status, 200, "{body}");
    let confirmed = client()
        .post(format!("{}/api/amend-target", site.base))
        .header("origin", &site.base)
        .header("cookie", &holder)
        .form(&[
            ("indicator_id", "1"),
            ("council", "babergh"),
            ("year", "2017"),
            ("value", "480"),
            ("tolerance", "10"),
            (
                "reason",
                "Kerbside collections now weighed with trade waste",
            ),
            ("version", "2"),
            ("confirmed", "true"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status().as_u16(), 200);
    assert_eq!(common::babergh_target(&db, 1).await, (480.0, 3));
    assert_eq!(verified_audit_records(&site).await, before + 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_changes_through_its_plain_form_without_javascript() {
    let site = start().await;
    let holder = session(&site, "jan.osborne").await;
    let (status, page) =
        common::get_as(&site, "/indicators/1/target?council=babergh", Some(&holder)).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Change the 2017/18 target for Babergh"),
        "{page}"
    );
    let post = |value: &'static str, confirmed: bool| {
        let holder = holder.clone();
        let site = &site;
        async move {
            let mut fields = vec![
                ("indicator_id", "1"),
                ("council", "babergh"),
                ("year", "2017"),
                ("value", value),
                ("tolerance", "10"),
                ("reason", "Agreed with <b>the</b> Cabinet member"),
                ("version", "1"),
            ];
            if confirmed {
                fields.push(("confirmed", "true"));
            }
            common::post_form(
                site,
                "/api/change-target",
                Some(&holder),
                &fields,
                Some("/indicators/1/target?council=babergh"),
            )
            .await
        }
    };
    // Not a number: back to the form with the message, and the figure and reason as typed.
    let refused = post("about 450", false).await;
    let (_, page) = common::get_as(&site, &common::location(&refused, &site), Some(&holder)).await;
    assert!(page.contains("Enter the target as a number"), "{page}");
    assert!(page.contains("value=\"about 450\""), "{page}");
    assert!(page.contains("Agreed with &lt;b&gt;the&lt;/b&gt; Cabinet member</textarea>"));
    // Far from its history: back to the form with the question, the figures and the reason
    // as typed, and the box to confirm.
    let held = post("480", false).await;
    let back = common::location(&held, &site);
    assert!(
        back.starts_with("/indicators/1/target?council=babergh"),
        "{back}"
    );
    let (_, page) = common::get_as(&site, &back, Some(&holder)).await;
    assert!(page.contains("Are you sure? You entered 480 kg"), "{page}");
    assert!(page.contains("Yes, 480 is right"));
    assert!(
        page.contains("Agreed with &lt;b&gt;the&lt;/b&gt; Cabinet member</textarea>"),
        "{page}"
    );
    assert_eq!(
        common::babergh_target(&site.database().await, 1).await,
        (100.0, 1)
    );

    let saved = post("480", true).await;
    let back = common::location(&saved, &site);
    assert_eq!(back, "/indicators/1?saved=babergh&year=2017#saved");
    let (_, page) = common::get_as(&site, &back, Some(&holder)).await;
    assert!(
        page.contains("Saved: the 2017/18 target for Babergh is now 480 kg."),
        "{page}"
    );
    assert_eq!(
        common::babergh_target(&site.database().await, 1).await,
        (480.0, 2)
    );

    // Someone who may not change it finds no form, and a post is refused.
    let rosa = session(&site, "rosa.hart").await;
    let (_, page) =
        common::get_as(&site, "/indicators/1/target?council=babergh", Some(&rosa)).await;
    assert!(
        page.contains("There is no target here for you to change"),
        "{page}"
    );
}
