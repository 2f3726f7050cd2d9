//! `make bench`: what the browser downloads, and how fast the server renders pages under
//! concurrent load next to a static file served by the same server in the same run (the
//! ratio is the figure; these machines are shared and noisy). Then the same at scale:
//! 10,000 generated indicators with 40 quarters each.
//!
//! Usage: cargo run --release -p server --example bench -- --server target/release/hexplan --site-root target/site

// Each benchmark uses only some of what they share.
#[allow(dead_code)]
mod shared;

use shared::{print_header, print_row, sign_in, Flags, Load, Saver, Server, CONCURRENCY, REQUESTS};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

async fn start(args: &Flags, data_dir: &Path, database: Option<&str>) -> Server {
    shared::start(&args.server, &args.site_root, data_dir, database).await
}

fn gzip_len(bytes: &[u8]) -> usize {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = encoder.write_all(bytes);
    encoder.finish().map(|v| v.len()).unwrap_or(0)
}

fn kb(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

fn sizes(site_root: &Path) {
    println!("## Download sizes\n");
    println!("| file | raw | gzip -9 |\n|---|---|---|");
    let files = [
        (
            shared::site_file(site_root, "hexplan", "wasm"),
            "map + indicator",
        ),
        (
            shared::site_file(site_root, "hexplan", "js"),
            "map + indicator",
        ),
        (
            shared::site_file(site_root, "hexplan", "css"),
            "map + indicator",
        ),
        (
            "/vendor/echarts.common.min.js".to_string(),
            "indicator only",
        ),
    ];
    let mut map_total = (0, 0);
    let mut indicator_total = (0, 0);
    for (file, pages) in files {
        let file = file.trim_start_matches('/');
        let Ok(bytes) = std::fs::read(site_root.join(file)) else {
            println!("| {file} | missing | |");
            continue;
        };
        let (raw, gz) = (bytes.len(), gzip_len(&bytes));
        println!("| {file} ({pages}) | {} | {} |", kb(raw), kb(gz));
        if pages.starts_with("map") {
            map_total = (map_total.0 + raw, map_total.1 + gz);
        }
        indicator_total = (indicator_total.0 + raw, indicator_total.1 + gz);
    }
    println!(
        "| **map page total** | {} | {} |",
        kb(map_total.0),
        kb(map_total.1)
    );
    println!(
        "| **indicator page total** | {} | {} |\n",
        kb(indicator_total.0),
        kb(indicator_total.1)
    );
}

/// `path` on the server at `base` under load.
async fn load(base: &str, path: &str) -> Load {
    let url = format!("{base}{path}");
    shared::load(move |client, _| client.get(&url)).await
}

async fn measure(title: &str, server: &Server, pages: &[(&str, &str)], css: &str) {
    println!("## {title}\n");
    println!("Pages repeat, so the map after the first request comes from the map cache (recomputed only when the data version changes).\n");
    println!(
        "{CONCURRENCY} concurrent clients, up to {REQUESTS} requests each target, on loopback.\n"
    );
    print_header("page");
    let baseline = load(&server.base, css).await;
    print_row(
        "static file: the stylesheet (baseline)",
        &baseline,
        &baseline,
    );
    for (label, path) in pages {
        let result = load(&server.base, path).await;
        print_row(&format!("{label} `{path}`"), &result, &baseline);
    }
    println!();
}

/// What a first and a repeat visit to the map and to an indicator download, compressed as a
/// browser asks for them (brotli): the page, its stylesheet, script and WebAssembly, and, on
/// the indicator page, ECharts. A repeat visit downloads the page again and whatever its
/// caching rules do not let the browser keep: an `immutable` file not at all, another asked
/// again with its validators (an unchanged one answers 304 with no body).
async fn visits(server: &Server) {
    use reqwest::header::{
        ACCEPT_ENCODING, CACHE_CONTROL, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED,
    };
    let client = reqwest::Client::new();
    let get = |path: String, headers: reqwest::header::HeaderMap| {
        let client = client.clone();
        let url = format!("{}{path}", server.base);
        async move {
            let response = client
                .get(url)
                .headers(headers)
                .header(ACCEPT_ENCODING, "br, gzip")
                .send()
                .await
                .ok()?;
            let headers = response.headers().clone();
            Some((headers, response.bytes().await.ok()?.len()))
        }
    };
    println!("## What a visit downloads\n");
    println!("Bytes on the wire (brotli where offered), the page included.\n");
    println!("| page | first visit | of which the page | repeat visit |\n|---|---|---|---|");
    for (name, path, extra) in [
        ("map", "/", None),
        (
            "indicator",
            "/indicators/1",
            Some("/vendor/echarts.common.min.js"),
        ),
    ] {
        let Ok(html) = client.get(format!("{}{path}", server.base)).send().await else {
            eprintln!("{path} could not be read");
            continue;
        };
        let Ok(html) = html.text().await else {
            eprintln!("{path} could not be read");
            continue;
        };
        let mut assets: Vec<String> = html
            .split("href=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .filter(|href| href.starts_with("/pkg/"))
            .map(str::to_string)
            .collect();
        assets.sort();
        assets.dedup();
        assets.extend(extra.map(str::to_string));
        let Some((_, page)) = get(path.to_string(), Default::default()).await else {
            eprintln!("{path} could not be read compressed");
            continue;
        };
        let (mut first, mut repeat) = (page, page);
        for asset in &assets {
            let Some((headers, bytes)) = get(asset.clone(), Default::default()).await else {
                continue;
            };
            first += bytes;
            let immutable = headers
                .get(CACHE_CONTROL)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("immutable"));
            if immutable {
                continue;
            }
            let mut again = reqwest::header::HeaderMap::new();
            if let Some(tag) = headers.get(ETAG) {
                again.insert(IF_NONE_MATCH, tag.clone());
            }
            if let Some(modified) = headers.get(LAST_MODIFIED) {
                again.insert(IF_MODIFIED_SINCE, modified.clone());
            }
            repeat += get(asset.clone(), again)
                .await
                .map_or(0, |(_, bytes)| bytes);
        }
        println!(
            "| {name} `{path}` | {} | {} | {} |",
            kb(first),
            kb(page),
            kb(repeat)
        );
    }
    println!();
}

/// The health check's latency alone, and while sixteen people sign in at once, again and
/// again: password hashing runs on a few blocking threads, so it must not hold up the rest.
async fn sign_in_crowd(server: &Server) {
    let client = reqwest::Client::new();
    let health = || async {
        let mut times = Vec::new();
        for _ in 0..200 {
            let t = Instant::now();
            if let Ok(response) = client.get(format!("{}/healthz", server.base)).send().await {
                let _ = response.bytes().await;
                times.push(t.elapsed().as_secs_f64() * 1000.0);
            }
        }
        times.sort_by(|a, b| a.total_cmp(b));
        (
            shared::quantile(&times, 0.5),
            shared::quantile(&times, 0.99),
        )
    };
    let (alone_50, alone_99) = health().await;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let signed_in = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    // Sixteen people, each signing in again and again with the right password.
    let people = [
        "claire.whitby",
        "helen.marsh",
        "david.okafor",
        "priya.nandra",
        "tom.ashworth",
        "rachel.dunmore",
        "simon.wheeler",
        "jan.osborne",
        "peter.hale",
        "mary.finch",
        "alan.crisp",
        "linda.voss",
        "mark.ellis",
        "sarah.quinn",
        "gareth.lloyd",
        "rosa.hart",
    ];
    let crowd: Vec<_> = people
        .into_iter()
        .map(|username| {
            let (server, stop, signed_in) = (server.base.clone(), stop.clone(), signed_in.clone());
            tokio::spawn(async move {
                let client = reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .unwrap_or_default();
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let signed = client
                        .post(format!("{server}/sign-in"))
                        .header("origin", &server)
                        .form(&[("username", username), ("password", "jsp-demo-2017")])
                        .send()
                        .await;
                    // Signed in: sent home, not back to the sign-in page.
                    if signed.is_ok_and(|r| r.headers().get("location").is_some_and(|l| l == "/")) {
                        signed_in.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    let started = Instant::now();
    let (crowd_50, crowd_99) = health().await;
    let seconds = started.elapsed().as_secs_f64();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for task in crowd {
        let _ = task.await;
    }
    let rate = signed_in.load(std::sync::atomic::Ordering::Relaxed) as f64 / seconds;
    println!("## Signing in: the health check while sixteen people sign in at once\n");
    println!("| `/healthz`, 200 requests one after another | p50 ms | p99 ms |\n|---|---|---|");
    println!("| alone | {alone_50:.2} | {alone_99:.2} |");
    println!("| while 16 clients sign in again and again ({rate:.0} sign-ins/s) | {crowd_50:.2} | {crowd_99:.2} |\n");
}

/// A data owner's returns: Mark Ellis's page (9 indicators, 18 values) and its Save all sent
/// as the page stands (every value checked, none changed, so nothing written), followed to
/// the page it returns to, as a browser does; next to the static file in the same run.
async fn returns_page(server: &Server, css: &str) {
    println!("## Demonstration data: a data owner's returns\n");
    let baseline = load(&server.base, css).await;
    let cookie = sign_in(server, "mark.ellis").await;
    let page = format!("{}/returns", server.base);
    let html = reqwest::Client::new()
        .get(&page)
        .header("cookie", &cookie)
        .send()
        .await
        .expect("the returns page")
        .text()
        .await
        .expect("its text");
    let form = returns_form(&html);
    println!(
        "{CONCURRENCY} concurrent clients, up to {REQUESTS} requests each target; the form holds {} values.\n",
        form.iter().filter(|(name, _)| name.starts_with("value[")).count()
    );
    print_header("request");
    print_row(
        "static file: the stylesheet (baseline)",
        &baseline,
        &baseline,
    );
    let (get_cookie, get_page) = (cookie.clone(), page.clone());
    let shown =
        shared::load(move |client, _| client.get(&get_page).header("cookie", &get_cookie)).await;
    print_row("My returns `/returns`", &shown, &baseline);
    let (base, form) = (server.base.clone(), std::sync::Arc::new(form));
    let saved = shared::load(move |client, _| {
        client
            .post(format!("{base}/api/save-return"))
            .header("cookie", &cookie)
            .header("origin", &base)
            .header("referer", format!("{base}/returns"))
            .header("accept", "text/html")
            .form(form.as_slice())
    })
    .await;
    print_row(
        "Save all, nothing changed, and the page it returns to",
        &saved,
        &baseline,
    );
    println!();
}

/// The fields of the returns page's form as it stands: the period, and each value and
/// commentary as shown.
fn returns_form(html: &str) -> Vec<(String, String)> {
    let unescape = |text: &str| {
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#x27;", "'")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    };
    let attribute = |tag: &str, name: &str| {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(unescape(&tag[start..start + tag[start..].find('"')?]))
    };
    let mut fields = Vec::new();
    for (at, _) in html.match_indices("<input") {
        let tag = &html[at..at + html[at..].find('>').unwrap_or(0)];
        if let (Some(name), Some(value)) = (attribute(tag, "name"), attribute(tag, "value")) {
            if name == "period" || name.starts_with("value[") {
                fields.push((name, value));
            }
        }
    }
    for (at, _) in html.match_indices("<textarea") {
        let rest = &html[at..];
        let (Some(open), Some(close)) = (rest.find('>'), rest.find("</textarea>")) else {
            continue;
        };
        if let Some(name) = attribute(&rest[..open], "name") {
            fields.push((name, unescape(&rest[open + 1..close])));
        }
    }
    fields
}

/// Target saves under load: each of the concurrent clients, signed in as Business
/// Improvement, amends its own generated indicator's 2017/18 target for Babergh again and
/// again (so no save waits on a conflict), next to the static file in the same run.
async fn target_saves(server: &Server, first_generated: i64, css: &str) {
    println!("## Scaled: target saves under load\n");
    let baseline = load(&server.base, css).await;
    let cookie = sign_in(server, "claire.whitby").await;
    let savers = (0..CONCURRENCY as i64)
        .map(|n| Saver {
            base: server.base.clone(),
            host: None,
            cookie: cookie.clone(),
            council: "babergh".into(),
            indicator: first_generated + n,
        })
        .collect();
    let saves = shared::target_saves(savers).await;
    println!("{CONCURRENCY} concurrent clients, each saving its own indicator's target; every save is checked, written with its audit record and appended to the one chain.\n");
    print_header("request");
    print_row(
        "static file: the stylesheet (baseline)",
        &baseline,
        &baseline,
    );
    print_row("target save `POST /api/amend-target`", &saves, &baseline);
    println!();
}

/// The map computed afresh: each view asked for once, so none comes from the cache.
async fn cold_map(server: &Server) {
    let client = reqwest::Client::new();
    let mut times = Vec::new();
    for council in ["both", "babergh", "mid-suffolk"] {
        for period in ["2016-17-q3", "2016-17-q4", "2017-18-q1", "2017-18-q2"] {
            let t = Instant::now();
            if let Ok(response) = client
                .get(format!(
                    "{}/?council={council}&period={period}",
                    server.base
                ))
                .send()
                .await
            {
                let _ = response.bytes().await;
                times.push(t.elapsed().as_secs_f64() * 1000.0);
            }
        }
    }
    times.sort_by(|a, b| a.total_cmp(b));
    println!(
        "Map computed afresh (12 views, each asked once, one at a time): median {:.1} ms, slowest {:.1} ms.\n",
        times.get(times.len() / 2).copied().unwrap_or(f64::NAN),
        times.last().copied().unwrap_or(f64::NAN)
    );
}

/// Sends `request` with `cookie`; how long the whole answer took, and its body.
async fn timed(cookie: &str, request: reqwest::RequestBuilder) -> (f64, Vec<u8>) {
    let t = Instant::now();
    let body = match request.header("cookie", cookie).send().await {
        Ok(response) => response
            .bytes()
            .await
            .map(|b| b.to_vec())
            .unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    (t.elapsed().as_secs_f64() * 1000.0, body)
}

/// Times an upload of `rows` values (the scaled template's first rows), the same file again,
/// and a file whose last row is wrong; then a half-yearly report's draft and its publication.
async fn reporting_cycle(server: &Server, rows: usize) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    let cookie = sign_in(server, "claire.whitby").await;
    let (template_ms, template) = timed(
        &cookie,
        client.get(format!("{}/returns/template.csv", server.base)),
    )
    .await;
    let mut reader = csv::Reader::from_reader(template.as_slice());
    let records: Vec<csv::StringRecord> =
        reader.records().filter_map(Result::ok).take(rows).collect();
    let file = |bad_last: bool| {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let _ = writer.write_record(["Indicator", "Council", "Period", "Value", "Commentary"]);
        for (index, row) in records.iter().enumerate() {
            let value = if bad_last && index + 1 == records.len() {
                "n/a"
            } else {
                "55"
            };
            let _ = writer.write_record([&row[0], &row[1], &row[2], value, "Benchmark"]);
        }
        writer.into_inner().unwrap_or_default()
    };
    let upload = |bytes: Vec<u8>| {
        client
            .post(format!("{}/returns/import", server.base))
            .header("origin", &server.base)
            .multipart(reqwest::multipart::Form::new().part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name("bench.csv"),
            ))
    };
    let (refused_ms, _) = timed(&cookie, upload(file(true))).await;
    let (written_ms, _) = timed(&cookie, upload(file(false))).await;
    let (unchanged_ms, _) = timed(&cookie, upload(file(false))).await;
    let (created_ms, _) = timed(
        &cookie,
        client
            .post(format!("{}/api/create-report", server.base))
            .header("origin", &server.base)
            .form(&[("period", "2017-18-h1")]),
    )
    .await;
    let (draft_ms, draft) = timed(&cookie, client.get(format!("{}/reports/2", server.base))).await;
    let (publish_ms, _) = timed(
        &cookie,
        client
            .post(format!("{}/api/publish-report", server.base))
            .header("origin", &server.base)
            .form(&[("id", "2")]),
    )
    .await;
    let (published_ms, _) = timed(&cookie, client.get(format!("{}/reports/2", server.base))).await;
    let n = records.len();
    println!(
        "## Scaled: the reporting cycle
"
    );
    println!("One request each, as Business Improvement; an upload's time includes checking every row and, when all are right, writing them with their audit records in one transaction.
");
    println!("| step | ms | rows per second |\n|---|---|---|");
    println!(
        "| download the template ({} rows) | {template_ms:.0} | |",
        template
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            .saturating_sub(1)
    );
    println!(
        "| upload {n} rows, the last wrong: nothing written | {refused_ms:.0} | {:.0} |",
        n as f64 / refused_ms * 1000.0
    );
    println!(
        "| upload {n} rows, all right: all written | {written_ms:.0} | {:.0} |",
        n as f64 / written_ms * 1000.0
    );
    println!(
        "| the same file again: nothing changes | {unchanged_ms:.0} | {:.0} |",
        n as f64 / unchanged_ms * 1000.0
    );
    println!("| create a half-yearly report | {created_ms:.0} | |");
    println!(
        "| read its draft ({} KB of HTML) | {draft_ms:.0} | |",
        draft.len() / 1024
    );
    println!("| publish it (render, appendices, SHA-256) | {publish_ms:.0} | |");
    println!("| read it as published | {published_ms:.0} | |");
    println!(
        "\nWriting costs {:.1}× checking alone (the upload with a wrong last row).\n",
        written_ms / refused_ms
    );
}

#[tokio::main]
async fn main() {
    let args = Flags::read();
    let indicators: u32 = args.number("--indicators", 10_000);
    let root = std::env::temp_dir().join(format!("hexplan-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    println!("# Hexplan benchmark\n");
    println!("{}\n", shared::machine());
    sizes(&args.site_root);
    let css = shared::site_file(&args.site_root, "hexplan", "css");

    println!("Database: {}\n", args.engine());
    let demo_database = args.database("demo").await;
    let demo = start(&args, &root.join("demo"), demo_database.as_deref()).await;
    visits(&demo).await;
    if args.number("--visits-only", 0) == 1 {
        return;
    }
    println!("## Demonstration data: computing the map\n");
    cold_map(&demo).await;
    measure(
        "Demonstration data (121 indicators)",
        &demo,
        &[
            ("map", "/"),
            ("output", "/outputs/1"),
            ("indicator", "/indicators/1"),
        ],
        &css,
    )
    .await;
    returns_page(&demo, &css).await;
    sign_in_crowd(&demo).await;
    drop(demo);

    let scaled_dir = root.join("scaled");
    let scaled_database = args.database("scaled").await;
    let mut generate = Command::new(&args.server);
    if let Some(url) = &scaled_database {
        generate.env("HEXPLAN_DATABASE_URL", url);
    }
    let generated = generate
        .args([
            "generate",
            "--indicators",
            &indicators.to_string(),
            "--quarters",
            "40",
            "--data-dir",
        ])
        .arg(&scaled_dir)
        .stdout(Stdio::null())
        .status();
    if !generated.map(|s| s.success()).unwrap_or(false) {
        eprintln!("generating the scaled data set failed");
        return;
    }
    let scaled = start(&args, &scaled_dir, scaled_database.as_deref()).await;
    println!("## Scaled: computing the map\n");
    cold_map(&scaled).await;
    measure(
        &format!(
            "Scaled: {} more indicators, 40 quarters each, both councils",
            indicators
        ),
        &scaled,
        &[
            ("map", "/"),
            ("indicator", "/indicators/1"),
            ("change summary", "/changes"),
        ],
        &css,
    )
    .await;
    // The generated indicators follow the demonstration's 121.
    target_saves(&scaled, 122, &css).await;
    reporting_cycle(&scaled, 10_000).await;
    drop(scaled);
    let _ = std::fs::remove_dir_all(&root);
}
