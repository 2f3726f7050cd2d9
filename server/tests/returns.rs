//! Quarterly returns: a data owner enters values through the forms, Business Improvement sees
//! completeness and closes the quarter, and spreadsheets are imported all or nothing.

mod common;

use common::{
    client, get_as, location, post_form, session, start, upload, verified_audit_records, TestServer,
};

const Q3: &str = "2017-18-q3";

/// An indicator of Mark Ellis (waste) still missing its Babergh value for 2017/18 Q3:
/// (id, code, unit, polarity, target).
async fn missing_value_of_mark(site: &TestServer) -> (i64, String, String, String, Option<f64>) {
    sqlx::query_as(
        "SELECT i.id, i.code, i.unit, i.polarity,
                (SELECT value FROM target t WHERE t.indicator_id = i.id AND t.organisation_id = 1
                   AND t.financial_year = 2017 AND t.quarter IS NULL)
         FROM indicator i JOIN person p ON p.id = i.data_owner_id
         WHERE p.name = 'Mark Ellis' AND i.lifecycle = 'active' AND NOT i.joint AND i.frequency = 'quarterly'
           AND i.polarity != 'data_only'
           AND NOT EXISTS (SELECT 1 FROM measurement m WHERE m.indicator_id = i.id AND m.organisation_id = 1
                             AND m.financial_year = 2017 AND m.quarter = 3)
           AND EXISTS (SELECT 1 FROM target t WHERE t.indicator_id = i.id AND t.financial_year = 2017)
         ORDER BY i.code LIMIT 1",
    )
    .fetch_one(&site.database().await)
    .await
    .expect("Mark Ellis has a value still to enter")
}

async fn babergh_q3(site: &TestServer, indicator: i64) -> Option<(f64, String)> {
    value_of(site, indicator, 1, 3).await
}

/// The 2017/18 value and commentary of `indicator` for a council (1 Babergh, 2 Mid Suffolk)
/// in quarter `q`.
async fn value_of(
    site: &TestServer,
    indicator: i64,
    organisation: i64,
    q: i64,
) -> Option<(f64, String)> {
    sqlx::query_as(
        "SELECT value, commentary FROM measurement WHERE indicator_id = $1 AND organisation_id = $2
         AND financial_year = 2017 AND quarter = $3",
    )
    .bind(indicator)
    .bind(organisation)
    .bind(q)
    .fetch_optional(&site.database().await)
    .await
    .unwrap()
}

async fn enter(
    site: &TestServer,
    cookie: &str,
    indicator: i64,
    value: &str,
    commentary: &str,
) -> reqwest::Response {
    enter_as_checked(site, cookie, indicator, value, commentary, false).await
}

/// Enters a value, `confirmed` as the "Yes, … is right" box says after a second look.
async fn enter_as_checked(
    site: &TestServer,
    cookie: &str,
    indicator: i64,
    value: &str,
    commentary: &str,
    confirmed: bool,
) -> reqwest::Response {
    let slot = format!("v{indicator}-babergh");
    let values = [(slot.clone(), value, commentary)];
    let ticked: &[&str] = if confirmed { &[slot.as_str()] } else { &[] };
    save_all(site, cookie, &values, ticked).await
}

/// Saves the returns page as its Save all does: each (slot, value, commentary), and the slots
/// whose "Yes, … is right" box is ticked.
async fn save_all(
    site: &TestServer,
    cookie: &str,
    values: &[(String, &str, &str)],
    confirmed: &[&str],
) -> reqwest::Response {
    let mut fields: Vec<(String, String)> = vec![("period".into(), Q3.into())];
    for (slot, value, commentary) in values {
        fields.push((format!("value[{slot}]"), value.to_string()));
        fields.push((format!("commentary[{slot}]"), commentary.to_string()));
    }
    for slot in confirmed {
        fields.push((format!("confirmed[{slot}]"), "true".into()));
    }
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    post_form(
        site,
        "/api/save-return",
        Some(cookie),
        &fields,
        Some("/returns"),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_data_owner_enters_values_each_recorded_once() {
    let site = start().await;
    let mark = session(&site, "mark.ellis").await;
    let (status, page) = get_as(&site, "/returns", Some(&mark)).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("My returns") && page.contains("2017/18 Q3"),
        "{page}"
    );
    assert!(page.contains("due by 31 January 2018"));
    let (id, code, _, polarity, target) = missing_value_of_mark(&site).await;
    assert!(page.contains(&format!("{code} value for Babergh, 2017/18 Q3")));
    let before = verified_audit_records(&site).await;

    // Not a number: refused, with the message beside the value of the right form.
    let refused = enter(&site, &mark, id, "about fifty", "").await;
    assert_eq!(refused.status().as_u16(), 302);
    let back = location(&refused, &site);
    let (_, page) = get_as(&site, &back, Some(&mark)).await;
    assert!(page.contains("Enter the value as a number, for example 85 or 1,250"));
    assert!(
        page.contains(&format!("id=\"return-v{id}-babergh-value-error\"")),
        "the message sits beside its field"
    );
    assert_eq!(babergh_q3(&site, id).await, None);

    // Red without commentary: refused until the commentary says why.
    let target = target.expect("a target");
    let red = if polarity == "higher" {
        0.0
    } else {
        target * 10.0 + 100.0
    };
    let red = red.to_string();
    let refused = enter(&site, &mark, id, &red, " ").await;
    let (_, page) = get_as(&site, &location(&refused, &site), Some(&mark)).await;
    assert!(page.contains("say why in the commentary"), "{page}");
    assert_eq!(babergh_q3(&site, id).await, None);
    assert_eq!(verified_audit_records(&site).await, before);

    // So far from its recent figures that it asks for a second look: nothing is saved, and
    // the form comes back with what was typed and a box to confirm it.
    let held = enter(&site, &mark, id, &red, "Two crews off sick in November").await;
    assert_eq!(held.status().as_u16(), 302);
    let (_, page) = get_as(&site, &location(&held, &site), Some(&mark)).await;
    assert!(
        page.contains("Are you sure? You entered") && page.contains("its recent figures"),
        "{page}"
    );
    assert!(
        page.contains(&format!("value=\"{red}\"")),
        "the figure typed is shown again"
    );
    assert!(page.contains(">Two crews off sick in November</textarea>"));
    assert!(page.contains(&format!("Yes, {red} is right")), "{page}");
    assert_eq!(babergh_q3(&site, id).await, None);
    assert_eq!(verified_audit_records(&site).await, before);

    let saved = enter_as_checked(
        &site,
        &mark,
        id,
        &red,
        "Two crews off sick in November",
        true,
    )
    .await;
    assert_eq!(saved.status().as_u16(), 302);
    let returned = location(&saved, &site);
    assert!(
        returned.starts_with(&format!("/returns?period={Q3}&saved=v{id}-babergh")),
        "{returned}"
    );
    let (_, page) = get_as(&site, &returned, Some(&mark)).await;
    assert!(page.contains(&format!(
        "Saved the 2017/18 Q3 value of {code} for Babergh."
    )));
    assert_eq!(
        babergh_q3(&site, id).await,
        Some((
            red.parse().unwrap(),
            "Two crews off sick in November".into()
        ))
    );
    assert_eq!(verified_audit_records(&site).await, before + 1);
    let action: String =
        sqlx::query_scalar("SELECT action FROM audit_record ORDER BY id DESC LIMIT 1")
            .fetch_one(&site.database().await)
            .await
            .unwrap();
    assert_eq!(action, "value_entered");

    // Saving the same again changes nothing and records nothing, and asks nothing: the figure
    // was confirmed when it was saved.
    let again = enter(&site, &mark, id, &red, "Two crews off sick in November").await;
    let returned = location(&again, &site);
    assert!(returned.contains("saved=none"), "{returned}");
    let (_, page) = get_as(&site, &returned, Some(&mark)).await;
    assert!(page.contains("Nothing was saved: no value on the page had changed."));
    assert_eq!(verified_audit_records(&site).await, before + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn save_all_saves_every_changed_value_and_brings_back_the_refused_as_typed() {
    let site = start().await;
    let db = site.database().await;
    let mark = session(&site, "mark.ellis").await;
    let (id, code, _, _, target) = missing_value_of_mark(&site).await;
    let babergh = format!("v{id}-babergh");
    let mid_suffolk = format!("v{id}-mid-suffolk");
    // A plausible figure: Babergh's last quarter, or its target.
    let last = value_of(&site, id, 1, 2).await.map(|(value, _)| value);
    let plausible = last.or(target).expect("a figure to go by").to_string();
    // A value of Mark's already saved this quarter, sent again as the page holds it.
    let (kept_id, kept_council, kept_value, kept_commentary): (i64, String, f64, String) =
        sqlx::query_as(
            "SELECT m.indicator_id, o.code, m.value, m.commentary FROM measurement m
             JOIN indicator i ON i.id = m.indicator_id JOIN person p ON p.id = i.data_owner_id
             JOIN organisation o ON o.id = m.organisation_id
             WHERE p.name = 'Mark Ellis' AND m.financial_year = 2017 AND m.quarter = 3
             ORDER BY m.id LIMIT 1",
        )
        .fetch_one(&db)
        .await
        .unwrap();
    let kept = format!("v{kept_id}-{kept_council}");
    let kept_value = kept_value.to_string();
    let mid_suffolk_before = value_of(&site, id, 2, 3).await;
    let before = verified_audit_records(&site).await;

    // One good value, one bad, one unchanged and one left blank: the good one is saved, the
    // bad one comes back as typed with its message, the others change nothing.
    let response = save_all(
        &site,
        &mark,
        &[
            (babergh.clone(), &plausible, "From the crew returns"),
            (mid_suffolk.clone(), "about half", "<b>Estimated</b>"),
            (kept.clone(), &kept_value, &kept_commentary),
            (format!("v{id}-joint"), "", ""),
        ],
        &[],
    )
    .await;
    assert_eq!(response.status().as_u16(), 302);
    let back = location(&response, &site);
    let (_, page) = get_as(&site, &back, Some(&mark)).await;
    assert!(page.contains("1 value was not saved"), "{page}");
    assert!(
        page.contains(&format!(
            "{code} for Mid Suffolk: Enter the value as a number"
        )),
        "{page}"
    );
    assert!(page.contains(&format!("href=\"#return-{mid_suffolk}-value\"")));
    assert!(
        page.contains("value=\"about half\""),
        "what was typed is kept"
    );
    assert!(
        page.contains("&lt;b&gt;Estimated&lt;/b&gt;</textarea>"),
        "its commentary too, as text"
    );
    assert!(page.contains(&format!(
        "The other changes were saved: {code} for Babergh."
    )));
    assert_eq!(
        babergh_q3(&site, id).await.map(|v| v.0.to_string()),
        Some(plausible.clone())
    );
    let mid_suffolk_after = value_of(&site, id, 2, 3).await;
    assert_eq!(mid_suffolk_after, mid_suffolk_before);
    assert_eq!(
        verified_audit_records(&site).await,
        before + 1,
        "one record, for the one value saved"
    );

    // Corrected and saved again with the rest of the page: only the corrected value is
    // recorded, and the page says so beside it.
    let response = save_all(
        &site,
        &mark,
        &[
            (babergh.clone(), &plausible, "From the crew returns"),
            (mid_suffolk.clone(), &plausible, "Estimated"),
            (kept.clone(), &kept_value, &kept_commentary),
        ],
        &[mid_suffolk.as_str()],
    )
    .await;
    let back = location(&response, &site);
    assert!(
        back.contains(&format!("saved={mid_suffolk}#saved")),
        "{back}"
    );
    let (_, page) = get_as(&site, &back, Some(&mark)).await;
    assert!(page.contains(&format!(
        "Saved the 2017/18 Q3 value of {code} for Mid Suffolk."
    )));
    assert_eq!(verified_audit_records(&site).await, before + 2);

    // A saved value cannot be emptied: it is refused, and stays.
    let response = save_all(&site, &mark, &[(kept.clone(), "", "")], &[]).await;
    let (_, page) = get_as(&site, &location(&response, &site), Some(&mark)).await;
    assert!(page.contains("1 value was not saved"), "{page}");
    assert_eq!(verified_audit_records(&site).await, before + 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_save_all_is_read_only_as_the_page_names_its_values_and_its_refusal_fits_an_address() {
    let site = start().await;
    let mark = session(&site, "mark.ellis").await;
    let (id, ..) = missing_value_of_mark(&site).await;
    let before = verified_audit_records(&site).await;
    // A slot named any other way than the page names it (case, spaces, leading noughts, a
    // council's name, a slot twice over) is not the page's form: nothing is saved.
    for crafted in [
        format!("v{id}-Babergh"),
        format!("v0{id}-babergh"),
        format!("v{id}- babergh"),
        format!("v{id}-Mid Suffolk"),
        format!("{id}-babergh"),
        format!("v{id}-nowhere"),
    ] {
        let response = save_all(&site, &mark, &[(crafted.clone(), "12", "")], &[]).await;
        let (_, page) = get_as(&site, &location(&response, &site), Some(&mark)).await;
        assert!(
            page.contains("The form could not be read: reload the page and try again"),
            "{crafted}"
        );
    }
    assert_eq!(babergh_q3(&site, id).await, None);
    assert_eq!(verified_audit_records(&site).await, before);

    // Every value of the page refused, each with a long commentary of emoji: the address that
    // brings them back stays under 8 KB, and the page still says how many were not saved.
    let (_, page) = get_as(&site, "/returns", Some(&mark)).await;
    let slots: Vec<String> = page
        .match_indices("name=\"value[")
        .filter_map(|(at, _)| {
            let rest = &page[at + "name=\"value[".len()..];
            Some(rest[..rest.find(']')?].to_string())
        })
        .collect();
    assert!(slots.len() >= 10, "{} values on the page", slots.len());
    let long = "🗑".repeat(1_999);
    let values: Vec<(String, &str, &str)> = slots
        .iter()
        .map(|slot| (slot.clone(), "about half", long.as_str()))
        .collect();
    let response = save_all(&site, &mark, &values, &[]).await;
    let back = location(&response, &site);
    assert!(back.len() < 8_000, "{} bytes", back.len());
    let (status, page) = get_as(&site, &back, Some(&mark)).await;
    assert_eq!(status, 200);
    assert!(
        page.contains(&format!("{} values were not saved", slots.len())),
        "{page}"
    );
    assert_eq!(
        page.matches("value=\"about half\"").count(),
        slots.len(),
        "every value typed comes back; the long commentaries only while there is room"
    );
    assert_eq!(verified_audit_records(&site).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_data_owner_or_business_improvement_enters_values() {
    let site = start().await;
    let (id, ..) = missing_value_of_mark(&site).await;
    for someone_else in ["joanne.pike", "rosa.hart", "jan.osborne", "helen.marsh"] {
        let cookie = session(&site, someone_else).await;
        let refused = enter(&site, &cookie, id, "10", "").await;
        let (_, page) = get_as(&site, &location(&refused, &site), Some(&cookie)).await;
        assert!(
            page.contains("You do not have permission to do that"),
            "{someone_else}"
        );
        assert_eq!(babergh_q3(&site, id).await, None, "{someone_else}");
    }
    let claire = session(&site, "claire.whitby").await;
    enter_as_checked(
        &site,
        &claire,
        id,
        "10",
        "Entered for Mark while he is away",
        true,
    )
    .await;
    assert_eq!(babergh_q3(&site, id).await.map(|v| v.0), Some(10.0));
    // Business Improvement may look at any data owner's returns; others may not.
    let mark_id: i64 = sqlx::query_scalar("SELECT id FROM person WHERE name = 'Mark Ellis'")
        .fetch_one(&site.database().await)
        .await
        .unwrap();
    let (status, page) = get_as(&site, &format!("/returns?owner={mark_id}"), Some(&claire)).await;
    assert_eq!(status, 200);
    assert!(page.contains("Returns of Mark Ellis"));
    let joanne = session(&site, "joanne.pike").await;
    let (status, _) = get_as(&site, &format!("/returns?owner={mark_id}"), Some(&joanne)).await;
    assert_eq!(status, 403);
    let (status, _) = get_as(&site, "/returns/completeness", Some(&joanne)).await;
    assert_eq!(status, 403);
    // A Scrutiny member may not upload at all.
    let rosa = session(&site, "rosa.hart").await;
    let refused = client()
        .post(format!("{}/returns/import", site.base))
        .header("origin", site.base.clone())
        .header("cookie", &rosa)
        .multipart(reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(b"Indicator\n".to_vec()).file_name("x.csv"),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completeness_counts_returns_and_a_closed_quarter_takes_no_values() {
    let site = start().await;
    let claire = session(&site, "claire.whitby").await;
    let (status, page) = get_as(&site, "/returns/completeness", Some(&claire)).await;
    assert_eq!(status, 200);
    assert!(page.contains("Completeness of returns") && page.contains("By data owner"));
    assert!(
        page.contains("Mark Ellis") && page.contains("Late"),
        "the deadline has passed"
    );
    assert!(
        page.contains("Hexplan cannot send reminders by email here")
            && page.contains("contact each data owner")
            && !page.contains("HEXPLAN_"),
        "no SMTP in the tests, and no setting's name for officers to puzzle over"
    );
    // Owners to chase come first: every late one before any whose values are all in.
    let first_entered = page.find(r#"tag--green">Entered<"#).unwrap_or(page.len());
    let last_late = page.rfind(r#"tag--red">Late<"#).unwrap_or(0);
    assert!(last_late < first_entered, "sorted by lateness");

    let close = |action: &'static str| {
        let claire = claire.clone();
        let site = &site;
        async move {
            post_form(
                site,
                "/api/return-period",
                Some(&claire),
                &[
                    ("period", Q3),
                    ("action", action),
                    ("reason", "Returns deadline passed"),
                ],
                Some("/returns/completeness"),
            )
            .await
        }
    };
    let closed = close("close").await;
    assert_eq!(
        location(&closed, &site),
        format!("/returns/completeness?period={Q3}")
    );
    let mark = session(&site, "mark.ellis").await;
    let (id, ..) = missing_value_of_mark(&site).await;
    let refused = enter(&site, &mark, id, "10", "Late figures").await;
    let (_, page) = get_as(&site, &location(&refused, &site), Some(&mark)).await;
    assert!(
        page.contains("2017/18 Q3 is not open for returns"),
        "{page}"
    );
    assert_eq!(babergh_q3(&site, id).await, None);
    let (_, page) = get_as(&site, "/returns", Some(&mark)).await;
    assert!(page.contains("is closed"));

    close("reopen").await;
    enter_as_checked(&site, &mark, id, "10", "Entered after reopening", true).await;
    assert_eq!(babergh_q3(&site, id).await.map(|v| v.0), Some(10.0));
    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_record WHERE action LIKE 'quarter_%' ORDER BY id",
    )
    .fetch_all(&site.database().await)
    .await
    .unwrap();
    assert_eq!(actions, ["quarter_closed", "quarter_reopened"]);

    // A Scrutiny member cannot close a quarter.
    let rosa = session(&site, "rosa.hart").await;
    let refused = post_form(
        &site,
        "/api/return-period",
        Some(&rosa),
        &[("period", Q3), ("action", "close"), ("reason", "x")],
        None,
    )
    .await;
    assert!(
        common::error_in(&refused.text().await.unwrap()) == Some(app::error::AppError::Forbidden)
    );
}

/// Opens the next `count` quarters after 2017/18 Q3 for returns, as Business Improvement.
async fn open_more_quarters(site: &TestServer, claire: &str, count: u8) {
    let mut quarter = app::domain::Quarter::new(2017, 3).unwrap();
    for _ in 0..count {
        quarter = quarter.next();
        let response = post_form(
            site,
            "/api/return-period",
            Some(claire),
            &[
                ("period", &quarter.slug()),
                ("action", "open"),
                (
                    "deadline",
                    &app::domain::returns::usual_deadline(Default::default(), quarter).iso(),
                ),
                ("reason", "Next quarter"),
            ],
            Some("/returns/completeness"),
        )
        .await;
        assert_eq!(response.status().as_u16(), 302);
    }
}

async fn measurements(site: &TestServer) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM measurement")
        .fetch_one(&site.database().await)
        .await
        .unwrap()
}

/// The template as Business Improvement downloads it, filled in: every row gets a value its
/// unit accepts, a commentary (so red values pass) and Yes in Checked (so values far from
/// their history pass), the first `rows` rows only.
async fn filled_template(site: &TestServer, cookie: &str, rows: usize) -> Vec<Vec<String>> {
    let (status, template) = get_as(site, "/returns/template.csv", Some(cookie)).await;
    assert_eq!(status, 200);
    let mut reader = csv::Reader::from_reader(template.as_bytes());
    let heading: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        &heading[..5],
        ["Indicator", "Council", "Period", "Value", "Commentary"]
    );
    assert_eq!(heading.last().map(String::as_str), Some("Checked"));
    let mut filled = vec![heading];
    for record in reader.records().take(rows) {
        let record = record.unwrap();
        let mut cells: Vec<String> = record.iter().map(String::from).collect();
        cells[3] = if cells[6].contains('%') {
            "50".into()
        } else {
            "12.5".into()
        };
        cells[4] = "Imported in the test".into();
        if let Some(checked) = cells.last_mut() {
            *checked = "Yes".into();
        }
        filled.push(cells);
    }
    assert_eq!(filled.len(), rows + 1, "the template has enough rows");
    filled
}

fn to_csv(rows: &[Vec<String>]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer.write_record(row).unwrap();
    }
    writer.into_inner().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_bad_row_in_a_thousand_writes_nothing_and_the_fixed_file_writes_all() {
    let site = start().await;
    let claire = session(&site, "claire.whitby").await;
    open_more_quarters(&site, &claire, 5).await;
    let mut rows = filled_template(&site, &claire, 1000).await;
    let good = rows[500][3].clone();
    rows[500][3] = "n/a".into();
    let (values, records) = (
        measurements(&site).await,
        verified_audit_records(&site).await,
    );

    let page = upload(&site, &claire, "returns.csv", to_csv(&rows)).await;
    assert!(
        page.contains("Nothing was saved") && page.contains("The file has 1 problem"),
        "{page}"
    );
    assert!(
        page.contains("<td>501</td><td>Value</td><td>Enter the value as a number"),
        "{page}"
    );
    assert_eq!(measurements(&site).await, values);
    assert_eq!(verified_audit_records(&site).await, records);

    rows[500][3] = good;
    let page = upload(&site, &claire, "returns.csv", to_csv(&rows)).await;
    assert!(page.contains("All 1000 rows were right."), "{page}");
    let written = measurements(&site).await - values;
    assert!(written > 900, "{written} new values");
    let changed: i64 = verified_audit_records(&site).await - records;
    assert!(
        changed >= written && changed <= 1000,
        "one record per changed value: {changed}"
    );

    // The same file again changes nothing.
    let page = upload(&site, &claire, "returns.csv", to_csv(&rows)).await;
    assert!(
        page.contains("0 values were saved; 1000 were already as in the file"),
        "{page}"
    );
    assert_eq!(verified_audit_records(&site).await, records + changed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn values_far_from_their_history_are_listed_before_anything_is_written() {
    let site = start().await;
    let mark = session(&site, "mark.ellis").await;
    let (id, code, ..) = missing_value_of_mark(&site).await;
    let far = "0".to_string();
    let file = |checked: &str| {
        format!(
            "Indicator,Council,Period,Value,Commentary,Checked\n\
             {code},Babergh,2017/18 Q3,{far},A depot closed for the quarter,{checked}\n"
        )
        .into_bytes()
    };
    let (values, records) = (
        measurements(&site).await,
        verified_audit_records(&site).await,
    );
    let page = upload(&site, &mark, "far.csv", file("")).await;
    assert!(
        page.contains("Nothing was saved")
            && page.contains(&format!(
                "<td>2</td><td>Value</td><td>{code} Babergh, 2017/18 Q3: Are you sure? You entered"
            ))
            && page.contains("Write Yes in its Checked column to confirm it."),
        "{page}"
    );
    assert_eq!(measurements(&site).await, values);
    assert_eq!(verified_audit_records(&site).await, records);

    let page = upload(&site, &mark, "far.csv", file("Yes")).await;
    assert!(
        page.contains("The row was right. 1 value was saved."),
        "{page}"
    );
    assert_eq!(
        babergh_q3(&site, id)
            .await
            .map(|(value, _)| value.to_string()),
        Some(far)
    );
    assert_eq!(verified_audit_records(&site).await, records + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_problem_is_listed_with_its_row_and_column() {
    let site = start().await;
    let mark = session(&site, "mark.ellis").await;
    let (_, code, ..) = missing_value_of_mark(&site).await;
    let someone_elses: String = sqlx::query_scalar(
        "SELECT i.code FROM indicator i JOIN person p ON p.id = i.data_owner_id
         WHERE p.name != 'Mark Ellis' AND i.lifecycle = 'active' LIMIT 1",
    )
    .fetch_one(&site.database().await)
    .await
    .unwrap();
    let csv = format!(
        "Indicator,Council,Period,Value,Commentary\n\
         ZZ99,Babergh,2017/18 Q3,1,\n\
         {code},Babergh,2016/17 Q1,1,\n\
         {code},Babergh,2017/18 Q3,=1+1,\n\
         {someone_elses},Babergh,2017/18 Q3,1,\n\
         {code},Ipswich,2017/18 Q3,1,\n\
         {code},Babergh,2017/18 Q3,1,fine\n\
         {code},babergh,2017-18-q3,2,again\n"
    );
    let values = measurements(&site).await;
    let page = upload(&site, &mark, "mine.csv", csv.into_bytes()).await;
    for expected in [
        "<td>2</td><td>Indicator</td><td>There is no active indicator with the code \"ZZ99\"",
        "<td>3</td><td>Period</td><td>2016/17 Q1 is not open for returns",
        "<td>4</td><td>Value</td><td>Enter the value as a number",
        &format!("<td>5</td><td>Indicator</td><td>{someone_elses} is not your indicator"),
        "<td>6</td><td>Council</td><td>Write the council as Babergh, Mid Suffolk or Joint",
        "<td>8</td><td>Indicator</td><td>This repeats row 7",
    ] {
        assert!(page.contains(expected), "{expected} in {page}");
    }
    assert!(page.contains("The file has 6 problems"));
    assert_eq!(measurements(&site).await, values);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_files_get_a_clear_message_and_write_nothing() {
    let site = start().await;
    let claire = session(&site, "claire.whitby").await;
    let (_, code, ..) = missing_value_of_mark(&site).await;
    let values = measurements(&site).await;
    let records = verified_audit_records(&site).await;
    let heading = "Indicator,Council,Period,Value,Commentary\n";
    let mut latin1 = format!("{heading}{code},Babergh,2017/18 Q3,1,Caf").into_bytes();
    latin1.extend(b"\xe9 closed\n");
    let mut huge = String::from(heading);
    huge.push_str(&format!(
        "{code},Babergh,2017/18 Q3,1,{}\n",
        "x".repeat(1_000_000)
    ));
    let mut many = String::from(heading);
    for _ in 0..100_000 {
        many.push_str(&format!("{code},Babergh,2017/18 Q3,1,\n"));
    }
    let junk: Vec<u8> = (0..50_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    for (name, bytes, message) in [
        ("latin1.csv", latin1, "save the file as CSV UTF-8"),
        ("junk.csv", junk.clone(), "This is not a CSV file"),
        ("junk.xlsx", junk, "does not match its name"),
        (
            "formula.csv",
            format!("{heading}{code},Babergh,2017/18 Q3,=HYPERLINK(\"http://x\"),\n").into_bytes(),
            "Enter the value as a number",
        ),
        (
            "huge.csv",
            huge.into_bytes(),
            "Keep the commentary to 2000 characters or fewer",
        ),
        (
            "many.csv",
            many.into_bytes(),
            "The file has more than 20,000 rows",
        ),
        ("empty.csv", Vec::new(), "The file is empty"),
        (
            "values.xls",
            b"\xd0\xcf\x11\xe0".to_vec(),
            "older .xls files must be saved as XLSX",
        ),
        (
            "no-heading.csv",
            format!("{code},Babergh\n").into_bytes(),
            "The heading row must name the columns",
        ),
    ] {
        let page = upload(&site, &claire, name, bytes).await;
        assert!(page.contains("Nothing was saved"), "{name}");
        assert!(page.contains(message), "{name}: {message} in {page}");
    }
    // Larger than the limit: refused before it is read.
    let response = client()
        .post(format!("{}/returns/import", site.base))
        .header("origin", site.base.clone())
        .header("cookie", &claire)
        .multipart(reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(vec![b'a'; 11 * 1024 * 1024]).file_name("big.csv"),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 413);
    assert_eq!(measurements(&site).await, values);
    assert_eq!(verified_audit_records(&site).await, records);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn views_export_as_csv_and_xlsx_and_open_data_is_public() {
    use calamine::{Data, Reader};
    let site = start().await;
    let response = client()
        .get(format!("{}/open-data/indicator-values.csv", site.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    let text = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        app::store::exports::VALUE_COLUMNS
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(rows.len() > 1000, "{} values", rows.len());
    assert!(rows
        .iter()
        .any(|r| &r[0] == "WE01" && &r[6] == "2015/16 Q1"));
    assert!(
        rows.iter().all(|r| r[7].parse::<f64>().is_ok()),
        "values are plain numbers"
    );

    let response = client()
        .get(format!("{}/indicators/1/values.xlsx", site.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let bytes = response.bytes().await.unwrap();
    let mut workbook: calamine::Xlsx<_> =
        calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("an XLSX workbook");
    let sheet = workbook.worksheet_range_at(0).unwrap().unwrap();
    let first = sheet.rows().nth(1).expect("a value");
    assert_eq!(first[0], Data::String("WE01".into()));
    assert!(
        matches!(first[7], Data::Float(_)),
        "the value is a number: {:?}",
        first[7]
    );

    for path in [
        "/outputs/1/values.csv",
        "/values.xlsx?period=2017-18-q2",
        "/values.csv",
    ] {
        let response = client()
            .get(format!("{}{path}", site.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200, "{path}");
        assert!(response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment"));
    }
    // The template is for people who enter values.
    let response = client()
        .get(format!("{}/returns/template.csv", site.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn late_data_owners_are_reminded_by_email_when_smtp_is_set_up() {
    let (site, mail) = common::start_with_mail().await;
    let claire = session(&site, "claire.whitby").await;
    let (_, page) = get_as(&site, "/returns/completeness", Some(&claire)).await;
    assert!(page.contains("Email a reminder to"), "{page}");
    let sent = post_form(
        &site,
        "/api/send-reminders",
        Some(&claire),
        &[("period", Q3)],
        Some("/returns/completeness"),
    )
    .await;
    let back = location(&sent, &site);
    let count: usize = back
        .split("reminded=")
        .nth(1)
        .and_then(|rest| rest.split('#').next())
        .and_then(|n| n.parse().ok())
        .expect("a count");
    let messages = mail.sent();
    assert!(count > 0);
    assert_eq!(messages.len(), count);
    let to_mark = messages
        .iter()
        .find(|m| m.contains("mark.ellis@baberghmidsuffolk.example"))
        .expect("Mark Ellis is late and reminded");
    assert!(
        to_mark.contains("Subject: Quarterly return for 2017/18 Q3"),
        "{to_mark}"
    );
    assert!(to_mark.contains("Dear Mark Ellis,"));
    assert!(to_mark.contains("was due on 31 January 2018"), "{to_mark}");
    assert!(
        to_mark.contains(&format!("{}/returns?period={Q3}", site.base)),
        "{to_mark}"
    );
    let (_, page) = get_as(&site, &back, Some(&claire)).await;
    assert!(page.contains(&format!("Reminders sent to {count} data owners.")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_that_repeats_a_huge_field_still_comes_back_to_the_form() {
    let site = start().await;
    let mark = session(&site, "mark.ellis").await;
    let (id, ..) = missing_value_of_mark(&site).await;
    let before = verified_audit_records(&site).await;
    let huge = "x".repeat(60_000);
    let response = save_all(&site, &mark, &[(format!("v{id}-{huge}"), "12", "")], &[]).await;
    assert_eq!(response.status().as_u16(), 302);
    let back = location(&response, &site);
    assert!(
        back.starts_with("/returns") && back.len() < 8_000,
        "{} bytes",
        back.len()
    );
    let (status, page) = get_as(&site, &back, Some(&mark)).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("The form could not be read: reload the page and try again"),
        "the message is shown"
    );
    assert_eq!(babergh_q3(&site, id).await, None);
    assert_eq!(verified_audit_records(&site).await, before);
}
