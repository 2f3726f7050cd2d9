//! Text a person typed never becomes markup: not in a page's `<title>`, and no message a link
//! carries shows on a page as if the server had written it.

use crate::common::{get_as, location, post_form, session, start};

/// A title that, written into `<title>` as it is, ends the title and sends every reader to
/// another site.
const PAYLOAD: &str = r#"</title><meta http-equiv="refresh" content="0;url=http://evil.example/"><title>Residual waste"#;

/// The page's `<head>` holds one title, with the payload in it as text, and no refresh.
fn assert_title_is_text(page: &str, what: &str) {
    let head = &page[..page.find("</head>").unwrap_or(page.len())];
    assert!(
        !page.contains(r#"<meta http-equiv="refresh""#),
        "{what}: a real <meta> refresh"
    );
    assert_eq!(head.matches("<title>").count(), 1, "{what}: {head}");
    assert!(
        head.contains("&lt;/title&gt;&lt;meta http-equiv=&quot;refresh&quot;"),
        "{what}: the title shows what was typed, as text: {head}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typed_text_in_every_page_title_stays_text() {
    let site = start().await;
    let claire = session(&site, "claire.whitby").await;
    let db = site.database().await;
    let (indicator, output): (i64, i64) = sqlx::query_as(
        "SELECT i.id, l.output_id FROM indicator i JOIN indicator_output l ON l.indicator_id = i.id
         WHERE i.lifecycle = 'active' ORDER BY i.id LIMIT 1",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    let indicator = indicator.to_string();
    let refined = post_form(
        &site,
        "/api/refine-indicator",
        Some(&claire),
        &[
            ("indicator_id", indicator.as_str()),
            ("title", PAYLOAD),
            (
                "definition",
                "Kilograms of residual household waste per household",
            ),
            ("reason", "A hostile title, to test escaping"),
        ],
        Some(&format!("/indicators/{indicator}/manage")),
    )
    .await;
    assert_eq!(refined.status().as_u16(), 302, "the refinement is saved");
    let part = format!("output-{output}");
    let renamed = post_form(
        &site,
        "/api/rename-part",
        Some(&claire),
        &[
            ("part", part.as_str()),
            ("title", PAYLOAD),
            ("reason", "A hostile title, to test escaping"),
        ],
        Some("/plan"),
    )
    .await;
    assert_eq!(renamed.status().as_u16(), 302, "the output is renamed");
    assert_eq!(location(&renamed, &site), "/plan");
    let person = post_form(
        &site,
        "/api/add-person",
        Some(&claire),
        &[
            ("name", PAYLOAD),
            ("job_title", "Officer"),
            ("email", "hostile@example.gov.uk"),
            ("username", "hostile.name"),
            ("password", "a long demo passphrase"),
            ("reason", "A hostile name, to test escaping"),
        ],
        Some("/people"),
    )
    .await;
    assert_eq!(person.status().as_u16(), 302, "the person is added");
    let person = location(&person, &site);
    let review = post_form(
        &site,
        "/api/create-review",
        Some(&claire),
        &[
            ("title", PAYLOAD),
            ("held_on", "2018-03-05"),
            ("scope", "plan"),
        ],
        Some("/reviews"),
    )
    .await;
    assert_eq!(review.status().as_u16(), 302, "the session is set up");
    let review = location(&review, &site);

    for path in [
        format!("/indicators/{indicator}"),
        format!("/indicators/{indicator}/history"),
        format!("/indicators/{indicator}/manage"),
        format!("/outputs/{output}"),
        person.clone(),
        review.clone(),
        format!("{review}/summary"),
    ] {
        // Signed out, the public pages; signed in, the rest.
        let (status, page) = get_as(&site, &path, Some(&claire)).await;
        assert_eq!(status, 200, "{path}");
        assert_title_is_text(&page, &path);
    }
    let (_, public) = get_as(&site, &format!("/indicators/{indicator}"), None).await;
    assert_title_is_text(&public, "the indicator, signed out");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_shows_only_messages_the_server_sealed() {
    use app::error::AppError;
    use leptos::server_fn::error::ServerFnUrlError;
    let site = start().await;
    let claire = session(&site, "claire.whitby").await;

    // A link that carries a message of someone else's making.
    let forged = ServerFnUrlError::new(
        "/api/add-person",
        AppError::invalid(
            "name",
            "Your account is suspended: ring 0800 000 000 to restore it",
        ),
    )
    .to_url(&format!("{}/people", site.base))
    .unwrap();
    let forged = &forged.as_str()[site.base.len()..];
    let (status, page) = get_as(&site, forged, Some(&claire)).await;
    assert_eq!(status, 200);
    assert!(
        !page.contains("0800 000 000"),
        "a message from a link: {page}"
    );
    // Nor with a seal copied from a genuine refusal of another message.
    let refused = post_form(
        &site,
        "/api/add-person",
        Some(&claire),
        &[
            ("name", ""),
            ("job_title", "Officer"),
            ("email", "someone@example.gov.uk"),
            ("username", "some.one"),
            ("password", "a long demo passphrase"),
            ("reason", "Joined"),
        ],
        Some("/people"),
    )
    .await;
    let genuine = location(&refused, &site);
    let seal = genuine
        .split("__seal=")
        .nth(1)
        .expect("the refusal is sealed");
    let (_, page) = get_as(&site, &format!("{forged}&__seal={seal}"), Some(&claire)).await;
    assert!(
        !page.contains("0800 000 000"),
        "a forged message under a copied seal"
    );

    // A message the server sealed for someone else (here Rosa, refused for a form of her
    // own making whose words are the bait), or for no one, shows on no one else's page.
    let rosa = session(&site, "rosa.hart").await;
    let bait = "Your session has expired: sign in again at https://hexplan-login.example";
    for cookie in [Some(rosa.as_str()), None] {
        let phished = post_form(
            &site,
            "/api/add-person",
            cookie,
            &[(bait, "1"), (bait, "2")],
            Some("/people"),
        )
        .await;
        let link = location(&phished, &site);
        assert!(link.contains("__err="), "{link}");
        let (_, page) = get_as(&site, &link, Some(&claire)).await;
        assert!(
            !page.contains("hexplan-login.example"),
            "a message sealed for another: {page}"
        );
        assert!(!page.contains("There is a problem"), "{page}");
    }
    // Nor does a form the server cannot read echo what was sent, even to its sender.
    let own = post_form(
        &site,
        "/api/add-person",
        Some(&claire),
        &[(bait, "1"), (bait, "2")],
        Some("/people"),
    )
    .await;
    let (_, page) = get_as(&site, &location(&own, &site), Some(&claire)).await;
    assert!(!page.contains("hexplan-login.example"), "{page}");
    assert!(page.contains("The form could not be read"), "{page}");

    // The genuine refusal shows its own message beside the field.
    let (_, page) = get_as(&site, &genuine, Some(&claire)).await;
    assert!(page.contains("There is a problem"), "{page}");
    assert!(page.contains("full name"), "{page}");
}
