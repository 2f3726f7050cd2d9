//! `make bench-live`: a live peer review session with hundreds of participants on WebSockets.
//! The facilitator moves through the agenda; each move is timed from just before its request
//! is sent to each participant's receipt of the new version (stored, published, relayed). The
//! same run first measures one participant alone, as the baseline. It also reports the
//! server's memory before and with everyone connected.
//!
//! Usage: cargo run --release -p server --example live_bench -- --server target/release/hexplan
//!        --site-root target/site [--participants 500] [--moves 40]

// Each benchmark uses only some of what they share.
#[allow(dead_code)]
mod shared;

use futures_util::StreamExt;
use shared::{quantile, sign_in, Flags, Server};
use std::collections::HashMap;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

/// The people who take part: the facilitator (Business Improvement) first, then those invited.
const PEOPLE: [&str; 6] = [
    "claire.whitby",
    "jan.osborne",
    "mary.finch",
    "helen.marsh",
    "priya.nandra",
    "david.okafor",
];

/// A participant's receipt: the version heard, and when.
type Receipt = (i64, Instant);

/// Connects one participant and forwards each version it hears; `ready` once connected.
async fn participant(
    url: String,
    cookie: String,
    receipts: mpsc::UnboundedSender<Receipt>,
    ready: mpsc::UnboundedSender<()>,
) {
    // A browser sends its page's origin; the server follows only its own pages.
    let origin = url.replace("ws://", "http://");
    let origin = origin
        .split("/reviews")
        .next()
        .unwrap_or_default()
        .to_string();
    let Ok(mut request) = url.into_client_request() else {
        return;
    };
    let Ok(cookie) = cookie.parse() else { return };
    request.headers_mut().insert("cookie", cookie);
    let Ok(origin) = origin.parse() else { return };
    request.headers_mut().insert("origin", origin);
    let Ok((mut socket, _)) = tokio_tungstenite::connect_async(request).await else {
        eprintln!("a participant could not connect");
        return;
    };
    let _ = ready.send(());
    while let Some(Ok(message)) = socket.next().await {
        let Ok(text) = message.to_text() else {
            continue;
        };
        // Presence lists are heard too; only versions are timed.
        if let Some(version) = text
            .strip_prefix("{\"version\":")
            .and_then(|rest| rest.strip_suffix('}'))
            .and_then(|v| v.parse().ok())
        {
            let _ = receipts.send((version, Instant::now()));
        }
    }
}

/// The server's resident memory and its peak so far, in MB, from /proc.
fn memory(server: &Server) -> (f64, f64) {
    let status =
        std::fs::read_to_string(format!("/proc/{}/status", server.pid())).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

struct Fanout {
    /// Every participant's latency for every move, sorted, in ms.
    latencies: Vec<f64>,
    /// For each move, when the last participant heard it, sorted, in ms.
    last: Vec<f64>,
    missed: usize,
}

/// Runs a session of `moves` moves with `participants` connected; the fan-out latencies.
async fn session(
    server: &Server,
    cookies: &[String],
    ids: &str,
    participants: usize,
    moves: usize,
) -> (Fanout, (f64, f64)) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    let facilitator = &cookies[0];
    let mut form: Vec<(&str, &str)> = vec![
        ("title", "Load test"),
        ("held_on", "2018-03-05"),
        ("scope", "plan"),
    ];
    form.extend(ids.split(',').map(|id| ("invited[]", id)));
    let created = client
        .post(format!("{}/api/create-review", server.base))
        .header("cookie", facilitator)
        .header("origin", &server.base)
        .form(&form)
        .send()
        .await
        .expect("creates the session");
    let review = created
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .and_then(|l| l.trim_start_matches("/reviews/").parse::<i64>().ok())
        .expect("the new session's address");
    let run = |step: &'static str| {
        client
            .post(format!("{}/api/run-review", server.base))
            .header("cookie", facilitator)
            .header("origin", &server.base)
            .form(&[("id", review.to_string()), ("step", step.to_string())])
            .send()
    };

    let url = format!(
        "{}/reviews/{review}/live",
        server.base.replace("http://", "ws://")
    );
    let (receipts_tx, mut receipts) = mpsc::unbounded_channel();
    let (ready_tx, mut ready) = mpsc::unbounded_channel();
    for n in 0..participants {
        tokio::spawn(participant(
            url.clone(),
            cookies[n % cookies.len()].clone(),
            receipts_tx.clone(),
            ready_tx.clone(),
        ));
    }
    drop(ready_tx);
    let mut connected = 0;
    while connected < participants && ready.recv().await.is_some() {
        connected += 1;
    }
    // Let the first versions and the presence lists settle.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut version = 0;
    while let Ok((v, _)) = receipts.try_recv() {
        version = version.max(v);
    }
    let memory = memory(server);

    let _ = run("start").await;
    version += 1;
    drain_until(&mut receipts, version, connected).await;
    let mut heard: HashMap<i64, Vec<Instant>> = HashMap::new();
    let mut sent: Vec<(i64, Instant)> = Vec::new();
    for n in 0..moves {
        let step = if n % 2 == 0 { "next" } else { "previous" };
        let t = Instant::now();
        let _ = run(step).await;
        version += 1;
        sent.push((version, t));
        // Everyone hears it (or two seconds pass) before the next move.
        let deadline = Instant::now() + Duration::from_secs(2);
        while heard.get(&version).map_or(0, Vec::len) < connected {
            match tokio::time::timeout_at(deadline.into(), receipts.recv()).await {
                Ok(Some((v, at))) => heard.entry(v).or_default().push(at),
                _ => break,
            }
        }
    }
    let mut latencies = Vec::new();
    let mut last = Vec::new();
    let mut missed = 0;
    for (version, t) in sent {
        let times: Vec<f64> = heard
            .get(&version)
            .map(|v| {
                v.iter()
                    .map(|at| at.duration_since(t).as_secs_f64() * 1000.0)
                    .collect()
            })
            .unwrap_or_default();
        missed += connected - times.len().min(connected);
        last.push(times.iter().copied().fold(0.0, f64::max));
        latencies.extend(times);
    }
    latencies.sort_by(f64::total_cmp);
    last.sort_by(f64::total_cmp);
    let _ = run("end").await;
    (
        Fanout {
            latencies,
            last,
            missed: missed + participants - connected,
        },
        memory,
    )
}

/// Reads receipts until `connected` participants have heard `version`.
async fn drain_until(
    receipts: &mut mpsc::UnboundedReceiver<Receipt>,
    version: i64,
    connected: usize,
) {
    let mut count = 0;
    let deadline = Instant::now() + Duration::from_secs(5);
    while count < connected {
        match tokio::time::timeout_at(deadline.into(), receipts.recv()).await {
            Ok(Some((v, _))) if v == version => count += 1,
            Ok(Some(_)) => {}
            _ => break,
        }
    }
}

/// The ids of the people invited, for the set-up form.
async fn person_ids(data_dir: &std::path::Path) -> String {
    let db = sqlx::SqlitePool::connect(&format!(
        "sqlite://{}?mode=ro",
        data_dir.join("hexplan.db").display()
    ))
    .await
    .expect("opens the database to read");
    let mut ids = Vec::new();
    for username in &PEOPLE[1..] {
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT p.id FROM person p JOIN account a ON a.person_id = p.id WHERE a.username = $1",
        )
        .bind(username)
        .fetch_optional(&db)
        .await
        .ok()
        .flatten();
        ids.extend(id.map(|id| id.to_string()));
    }
    ids.join(",")
}

#[tokio::main]
async fn main() {
    let args = Flags::read();
    let participants: usize = args.number("--participants", 500);
    let moves: usize = args.number("--moves", 40);
    let root = std::env::temp_dir().join(format!("hexplan-live-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let data_dir = root.join("demo");
    let server = shared::start(&args.server, &args.site_root, &data_dir, None).await;
    let mut cookies = Vec::new();
    for username in PEOPLE {
        cookies.push(sign_in(&server, username).await);
    }
    let ids = person_ids(&data_dir).await;
    let idle = memory(&server);

    println!("# Live peer review benchmark\n");
    println!("{}\n", shared::machine());
    println!(
        "A session on loopback: the facilitator makes {} moves (next, previous, …); each is timed from just before its request is sent to each participant's receipt of the new version over its WebSocket. The participants run in the same process as the load, on the same cores as the server. One participant alone is the baseline of the same run.\n",
        moves
    );
    let (alone, _) = session(&server, &cookies, &ids, 1, moves).await;
    let (crowd, connected_memory) = session(&server, &cookies, &ids, participants, moves).await;
    let peak = memory(&server).1;

    println!("| participants | receipts | p50 ms | p99 ms | max ms | slowest participant per move, p50 ms | p99 ÷ baseline p99 | missed |\n|---|---|---|---|---|---|---|---|");
    let baseline_p99 = quantile(&alone.latencies, 0.99);
    for (n, fanout) in [(1, &alone), (participants, &crowd)] {
        println!(
            "| {n}{} | {} | {:.2} | {:.2} | {:.2} | {:.2} | {:.1} | {} |",
            if n == 1 { " (baseline)" } else { "" },
            fanout.latencies.len(),
            quantile(&fanout.latencies, 0.5),
            quantile(&fanout.latencies, 0.99),
            fanout.latencies.last().copied().unwrap_or(f64::NAN),
            quantile(&fanout.last, 0.5),
            quantile(&fanout.latencies, 0.99) / baseline_p99,
            fanout.missed,
        );
    }
    println!(
        "\nServer memory (resident): {:.1} MB idle after sign-in; {:.1} MB with {} participants connected ({:.1} KB each); peak {:.1} MB.\n",
        idle.0,
        connected_memory.0,
        participants,
        (connected_memory.0 - idle.0) * 1024.0 / participants as f64,
        peak
    );
    drop(server);
    let _ = std::fs::remove_dir_all(&root);
}
