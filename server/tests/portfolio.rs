//! A Portfolio Holder's home: their portfolio first, each item a link to act on; no one else
//! sees one.

mod common;

use common::{get_as, location, post_form, session, start};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_portfolio_holder_lands_on_their_portfolio_and_acts_on_it() {
    let site = start().await;
    let jan = session(&site, "jan.osborne").await;
    let (status, home) = get_as(&site, "/", Some(&jan)).await;
    assert_eq!(status, 200);
    let panel = home
        .split("id=\"portfolio-heading\"")
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .expect("the portfolio comes first on the home page");
    assert!(panel.contains("Your portfolio, 2017/18 Q2"), "{panel}");
    // Off or near target: only the portfolio's (Environment) indicators, each with its
    // council, value against target and status in words.
    let attention = panel
        .split("Off or near target")
        .nth(1)
        .and_then(|rest| rest.split("Targets to set").next())
        .unwrap_or_default();
    assert!(attention.contains("against a target of"), "{attention}");
    assert!(attention.contains("Off target") || attention.contains("Near target"));
    let db = site.database().await;
    let hers: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT io.indicator_id FROM indicator_output io
         JOIN portfolio_holder ph ON ph.output_id = io.output_id
         JOIN person p ON p.id = ph.person_id WHERE p.name = 'Cllr Jan Osborne'",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    for link in attention.split("href=\"/indicators/").skip(1) {
        assert!(link.contains("period=2017-18-q2"), "{link}");
        let id: i64 = link.split('?').next().unwrap().parse().unwrap();
        assert!(
            hers.contains(&id),
            "only the portfolio's indicators: {link}"
        );
    }
    // Targets for the coming year, a link per council that sets one.
    assert!(panel.contains("Targets to set for 2018/19"), "{panel}");
    let set_we01 = "/indicators/1/target?council=babergh&amp;year=2018";
    assert!(panel.contains(set_we01), "{panel}");
    assert!(
        panel.contains("Your outputs") && panel.contains("href=\"/outputs/1?period=2017-18-q2\"")
    );

    let (_, form) = get_as(&site, &set_we01.replace("&amp;", "&"), Some(&jan)).await;
    assert!(
        form.contains("Set the 2018/19 target for Babergh"),
        "{form}"
    );
    let saved = post_form(
        &site,
        "/api/change-target",
        Some(&jan),
        &[
            ("indicator_id", "1"),
            ("council", "babergh"),
            ("year", "2018"),
            ("value", "98"),
            ("tolerance", "10"),
            ("reason", "Set ahead of the year"),
            ("version", "0"),
        ],
        Some("/indicators/1/target?council=babergh&year=2018"),
    )
    .await;
    let back = location(&saved, &site);
    assert_eq!(back, "/indicators/1?saved=babergh&year=2018#saved");
    let (_, page) = get_as(&site, &back, Some(&jan)).await;
    assert!(
        page.contains("Saved: the 2018/19 target for Babergh."),
        "{page}"
    );
    let (_, home) = get_as(&site, "/", Some(&jan)).await;
    assert!(!home.contains(set_we01), "set, so no longer asked for");

    // No one else has a portfolio on their home page.
    for someone in ["rosa.hart", "mark.ellis", "claire.whitby"] {
        let cookie = session(&site, someone).await;
        let (_, home) = get_as(&site, "/", Some(&cookie)).await;
        assert!(!home.contains("Your portfolio"), "{someone}");
    }
    let (_, anonymous) = common::get(&site, "/").await;
    assert!(!anonymous.contains("Your portfolio"));
}
