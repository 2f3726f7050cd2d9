//! Signing in resists a crowd: failures are counted before a password is looked at, per
//! username and client address, unknown usernames alike; each address has a rate across all
//! accounts; and a lock on an attacker's address leaves the person free to sign in elsewhere.

use crate::common::{client, start_configured, TestServer};
use app::domain::roles::FREE_ATTEMPTS;
use app::store::demo::DEMO_PASSWORD;

/// Tries to sign in as `username` from `address` (told by the proxy the server is behind);
/// where the server sends the browser.
async fn attempt(site: &TestServer, username: &str, password: &str, address: &str) -> String {
    let response = client()
        .post(format!("{}/sign-in", site.base))
        .header("origin", &site.base)
        .header("x-forwarded-for", address)
        .form(&[("username", username), ("password", password)])
        .send()
        .await
        .expect("the server answers");
    assert_eq!(
        response.status().as_u16(),
        303,
        "sign-in answers with a redirect"
    );
    response.headers()["location"].to_str().unwrap().to_string()
}

/// A server behind a proxy that names each client's address, with `per_minute` sign-ins an
/// address.
async fn behind_proxy(per_minute: u32) -> TestServer {
    start_configured(|args| {
        args.behind_proxy = true;
        args.sign_ins_per_minute = per_minute;
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forty_simultaneous_guesses_get_only_the_free_attempts_between_them() {
    let site = behind_proxy(100_000).await;
    let guesses = (0..40).map(|n| {
        let site = &site;
        async move { attempt(site, "claire.whitby", &format!("guess {n}"), "203.0.113.7").await }
    });
    let answers = futures_util::future::join_all(guesses).await;
    let evaluated = answers
        .iter()
        .filter(|a| a.as_str() == "/sign-in?failed=1")
        .count();
    let waiting = answers
        .iter()
        .filter(|a| a.starts_with("/sign-in?wait="))
        .count();
    assert_eq!(evaluated, FREE_ATTEMPTS as usize, "{answers:?}");
    assert_eq!(waiting, 40 - FREE_ATTEMPTS as usize, "{answers:?}");
    // Even the right password waits at that address…
    assert!(
        attempt(&site, "claire.whitby", DEMO_PASSWORD, "203.0.113.7")
            .await
            .starts_with("/sign-in?wait=")
    );
    // …while Claire signs in from her own.
    assert_eq!(
        attempt(&site, "claire.whitby", DEMO_PASSWORD, "198.51.100.20").await,
        "/"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_username_is_answered_exactly_like_a_known_one() {
    let site = behind_proxy(100_000).await;
    for username in ["claire.whitby", "no.such.person"] {
        let answers = futures_util::future::join_all(
            (0..FREE_ATTEMPTS + 1)
                .map(|_| attempt(&site, username, "wrong password", "192.0.2.44")),
        )
        .await;
        let mut answers: Vec<String> = answers
            .into_iter()
            .map(|a| {
                if a.starts_with("/sign-in?wait=") {
                    "wait".into()
                } else {
                    a
                }
            })
            .collect();
        answers.sort();
        let mut expected = vec!["/sign-in?failed=1".to_string(); FREE_ATTEMPTS as usize];
        expected.push("wait".into());
        assert_eq!(answers, expected, "{username}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_cannot_try_every_account() {
    // Ten a minute, twenty at once.
    let site = behind_proxy(10).await;
    let usernames: Vec<String> = (0..20).map(|n| format!("someone.{n}")).collect();
    for username in &usernames {
        assert_eq!(
            attempt(&site, username, "Password1", "192.0.2.99").await,
            "/sign-in?failed=1",
            "{username}"
        );
    }
    // The twenty-first, on yet another account, waits; nothing about it was checked.
    assert!(attempt(&site, "claire.whitby", DEMO_PASSWORD, "192.0.2.99")
        .await
        .starts_with("/sign-in?wait="));
    let counted: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM sign_in_attempt WHERE username = 'claire.whitby'")
            .fetch_one(&site.database().await)
            .await
            .unwrap();
    assert_eq!(
        counted, 0,
        "a refused address's attempt is not counted against the account"
    );
    // Other addresses are unaffected, and the server still answers.
    assert_eq!(
        attempt(&site, "claire.whitby", DEMO_PASSWORD, "192.0.2.100").await,
        "/"
    );
    let health = client()
        .get(format!("{}/healthz", site.base))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status().as_u16(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crowd_of_sign_ins_leaves_the_server_answering() {
    let site = behind_proxy(100_000).await;
    let sign_ins = (0..16).map(|n| {
        let site = &site;
        async move {
            attempt(
                site,
                "claire.whitby",
                DEMO_PASSWORD,
                &format!("198.51.100.{n}"),
            )
            .await
        }
    });
    let health = async {
        // Asked while the passwords are checked on the blocking threads.
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        client()
            .get(format!("{}/healthz", site.base))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    };
    let (answers, health) = tokio::join!(futures_util::future::join_all(sign_ins), health);
    assert!(answers.iter().all(|a| a == "/"), "{answers:?}");
    assert_eq!(health, 200);
}
