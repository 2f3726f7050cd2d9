//! Security headers on every response, a Content Security Policy whose nonce matches the
//! page's inline scripts, and bodies larger than any form refused before they are read.

mod common;

use common::{client, session, start};

/// The nonce of a policy like "… script-src 'self' 'nonce-abc' …".
fn nonce_of(policy: &str) -> Option<&str> {
    policy.split("'nonce-").nth(1)?.split('\'').next()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_is_protected_and_pages_allow_only_their_own_inline_scripts() {
    let site = start().await;
    let page = client()
        .get(format!("{}/", site.base))
        .send()
        .await
        .unwrap();
    let headers = page.headers().clone();
    let policy = headers["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    assert!(policy.contains("frame-ancestors 'none'"));
    let nonce = nonce_of(&policy).expect("a nonce").to_string();
    assert!(
        nonce.len() >= 16,
        "a nonce long enough not to guess: {nonce}"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "same-origin");
    assert!(
        headers.get("strict-transport-security").is_none(),
        "not on plain HTTP"
    );

    // Every inline script on the page carries the nonce; scripts from the site need none.
    let html = page.text().await.unwrap();
    let scripts: Vec<&str> = html
        .split("<script")
        .skip(1)
        .map(|s| &s[..s.find('>').unwrap_or(0)])
        .collect();
    assert!(!scripts.is_empty());
    for script in scripts {
        assert!(
            script.contains(" src=") || script.contains(&format!(r#"nonce="{nonce}""#)),
            "an inline script without the nonce: <script{script}>"
        );
    }
    // Each page gets a new nonce.
    let again = client()
        .get(format!("{}/", site.base))
        .send()
        .await
        .unwrap();
    let second = again.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert_ne!(nonce_of(&second), Some(nonce.as_str()));

    // Other responses: the strict policy without any nonce, and the same headers.
    for path in [
        "/healthz",
        "/open-data/indicator-values.csv",
        "/no-such-page",
    ] {
        let response = client()
            .get(format!("{}{path}", site.base))
            .send()
            .await
            .unwrap();
        let headers = response.headers();
        let policy = headers["content-security-policy"].to_str().unwrap();
        assert!(
            policy.contains("default-src 'self'") && !policy.contains("unsafe-inline"),
            "{path}"
        );
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
    }

    // Behind an HTTPS proxy, browsers are told to keep to HTTPS.
    let proxied = client()
        .get(format!("{}/", site.base))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert_eq!(
        proxied.headers()["strict-transport-security"],
        "max-age=31536000"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_larger_than_any_form_is_refused_and_changes_nothing() {
    let site = start().await;
    let claire = session(&site, "claire.whitby").await;
    let db = site.database().await;
    let records = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit_record")
            .fetch_one(&db)
            .await
            .unwrap()
    };
    let before = records().await;
    let reason = "x".repeat(2 * 1024 * 1024);
    let response = client()
        .post(format!("{}/api/create-review", site.base))
        .header("origin", &site.base)
        .header("cookie", &claire)
        .form(&[
            ("title", "Huge"),
            ("held_on", "2018-03-05"),
            ("scope", "plan"),
            ("codes", reason.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 413);
    assert_eq!(records().await, before);
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM review_session")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(sessions, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sites_files_go_compressed_once_and_a_current_copy_is_not_sent_again() {
    let site = start().await;
    let vendor = site.dir.join("site/vendor");
    std::fs::create_dir_all(&vendor).unwrap();
    std::fs::write(vendor.join("chart.js"), "console.log('chart');".repeat(100)).unwrap();
    std::fs::write(vendor.join("chart.js.br"), b"brotli bytes").unwrap();
    let first = client()
        .get(format!("{}/vendor/chart.js", site.base))
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(first.status().as_u16(), 200);
    assert_eq!(
        first.headers()["content-encoding"],
        "br",
        "the file compressed at build time"
    );
    assert_eq!(first.headers()["cache-control"], "no-cache");
    let modified = first.headers()["last-modified"].clone();
    assert_eq!(first.bytes().await.unwrap().as_ref(), b"brotli bytes");
    let again = client()
        .get(format!("{}/vendor/chart.js", site.base))
        .header("accept-encoding", "br, gzip")
        .header("if-modified-since", modified)
        .send()
        .await
        .unwrap();
    assert_eq!(
        again.status().as_u16(),
        304,
        "the browser's copy is current"
    );
    // Pages are never reused without asking, and only by the person's own browser.
    let page = client()
        .get(format!("{}/", site.base))
        .send()
        .await
        .unwrap();
    assert_eq!(page.headers()["cache-control"], "no-cache, private");
}
