//! What the benchmark commands share: starting the built server on its own data, signing in,
//! percentiles, and the line naming the machine and date.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How many clients load the server at once, how many requests they make in all, and the
/// most time one measurement may take.
pub const CONCURRENCY: usize = 16;
pub const REQUESTS: usize = 2_000;
pub const TIME_LIMIT: Duration = Duration::from_secs(30);

/// Latencies (ms) and throughput of one measurement.
pub struct Load {
    pub p50: f64,
    pub p99: f64,
    pub max: f64,
    pub per_second: f64,
    pub errors: usize,
}

/// Sends the requests `request` makes (given a client and the request's number) from
/// [`CONCURRENCY`] clients at once, after a warm-up; only successful answers are timed.
pub async fn load(
    request: impl Fn(&reqwest::Client, usize) -> reqwest::RequestBuilder + Send + Sync + 'static,
) -> Load {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONCURRENCY)
        .build()
        .expect("a client");
    let request = std::sync::Arc::new(request);
    for n in 0..20 {
        if let Ok(response) = request(&client, n).send().await {
            let _ = response.bytes().await;
        }
    }
    let started = Instant::now();
    let per_worker = REQUESTS / CONCURRENCY;
    let mut workers = Vec::new();
    for worker in 0..CONCURRENCY {
        let (client, request) = (client.clone(), request.clone());
        workers.push(tokio::spawn(async move {
            let mut times = Vec::with_capacity(per_worker);
            let mut errors = 0;
            for n in 0..per_worker {
                if started.elapsed() > TIME_LIMIT {
                    break;
                }
                let t = Instant::now();
                match request(&client, worker * per_worker + n).send().await {
                    Ok(response) if response.status().is_success() => {
                        let _ = response.bytes().await;
                        times.push(t.elapsed().as_secs_f64() * 1000.0);
                    }
                    _ => errors += 1,
                }
            }
            (times, errors)
        }));
    }
    let mut times = Vec::new();
    let mut errors = 0;
    for worker in workers {
        if let Ok((t, e)) = worker.await {
            times.extend(t);
            errors += e;
        }
    }
    Load::of(times, errors, started.elapsed().as_secs_f64())
}

impl Load {
    /// The figures of answers that took `times` (ms) over `elapsed` seconds, and `errors`.
    pub fn of(mut times: Vec<f64>, errors: usize, elapsed: f64) -> Load {
        times.sort_by(f64::total_cmp);
        Load {
            p50: quantile(&times, 0.5),
            p99: quantile(&times, 0.99),
            max: times.last().copied().unwrap_or(f64::NAN),
            per_second: times.len() as f64 / elapsed,
            errors,
        }
    }
}

/// The head of a table of [`Load`] rows, its first column named `what`.
pub fn print_header(what: &str) {
    println!("| {what} | p50 ms | p99 ms | max ms | per second | p99 ÷ static p99 | errors |\n|---|---|---|---|---|---|---|");
}

/// One row of such a table: `result` next to the static file's `baseline` from the same run.
pub fn print_row(label: &str, result: &Load, baseline: &Load) {
    println!(
        "| {label} | {:.2} | {:.2} | {:.2} | {:.0} | {:.1} | {} |",
        result.p50,
        result.p99,
        result.max,
        result.per_second,
        result.p99 / baseline.p99,
        result.errors
    );
}

/// One client saving targets: the server, the host name it asks for (when it serves many
/// plans), a session of Business Improvement's there, and the indicator and council (its
/// code) whose target it saves.
pub struct Saver {
    pub base: String,
    pub host: Option<String>,
    pub cookie: String,
    pub council: String,
    pub indicator: i64,
}

/// Target saves under load: every saver at once amends its indicator's 2017/18 target for
/// its council again and again from the version it last saved (each its own indicator, so no save
/// waits on a conflict). Every save is checked, written with its audit record and appended to
/// its plan's one chain.
pub async fn target_saves(savers: Vec<Saver>) -> Load {
    let client = reqwest::Client::new();
    let started = Instant::now();
    let per_saver = REQUESTS / savers.len().max(1) / 2;
    let mut workers = Vec::new();
    for saver in savers {
        let client = client.clone();
        workers.push(tokio::spawn(async move {
            let origin = match &saver.host {
                Some(host) => format!("http://{host}"),
                None => saver.base.clone(),
            };
            let (mut times, mut errors, mut version) = (Vec::new(), 0, 1);
            for n in 0..per_saver {
                if started.elapsed() > TIME_LIMIT {
                    break;
                }
                let t = Instant::now();
                let mut request = client
                    .post(format!("{}/api/amend-target", saver.base))
                    .header("origin", &origin)
                    .header("cookie", &saver.cookie);
                if let Some(host) = &saver.host {
                    request = request.header("host", host);
                }
                let saved = request
                    .form(&[
                        ("indicator_id", saver.indicator.to_string()),
                        ("council", saver.council.clone()),
                        ("year", "2017".into()),
                        ("value", (50 + n % 40).to_string()),
                        ("tolerance", "10".into()),
                        ("reason", "Benchmark".into()),
                        ("version", version.to_string()),
                    ])
                    .send()
                    .await;
                match saved {
                    Ok(response) if response.status().is_success() => {
                        times.push(t.elapsed().as_secs_f64() * 1000.0);
                        version += 1;
                    }
                    _ => errors += 1,
                }
            }
            (times, errors)
        }));
    }
    let (mut times, mut errors) = (Vec::new(), 0);
    for worker in workers {
        if let Ok((t, e)) = worker.await {
            times.extend(t);
            errors += e;
        }
    }
    Load::of(times, errors, started.elapsed().as_secs_f64())
}

/// The command line's `--flag value` pairs, and where the server and the site are.
/// The site's file `name`.`extension` as the build left it: under its own name, or with the
/// content hash cargo-leptos adds (`pkg/hexplan.<hash>.css`); the path to ask for.
pub fn site_file(site_root: &Path, name: &str, extension: &str) -> String {
    let plain = format!("pkg/{name}.{extension}");
    if site_root.join(&plain).exists() {
        return format!("/{plain}");
    }
    std::fs::read_dir(site_root.join("pkg"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .find(|file| {
            file.starts_with(&format!("{name}.")) && file.ends_with(&format!(".{extension}"))
        })
        .map_or(format!("/{plain}"), |file| format!("/pkg/{file}"))
}

pub struct Flags {
    values: std::collections::HashMap<String, String>,
    pub server: PathBuf,
    pub site_root: PathBuf,
}

impl Flags {
    pub fn read() -> Flags {
        let mut values = std::collections::HashMap::new();
        let mut it = std::env::args().skip(1);
        while let Some(flag) = it.next() {
            values.insert(flag, it.next().unwrap_or_default());
        }
        let path = |name: &str, default: &str| {
            PathBuf::from(values.get(name).map_or(default, String::as_str))
        };
        Flags {
            server: path("--server", "target/release/hexplan"),
            site_root: path("--site-root", "target/site"),
            values,
        }
    }

    /// With `--postgres URL` (an administrator's URL), the data set `name` gets a new database
    /// of its own on that server, and this is its URL; without, the data set is SQLite's.
    #[allow(dead_code)] // the live benchmark runs on SQLite only
    pub async fn database(&self, name: &str) -> Option<String> {
        use sqlx::{Connection, Executor};
        let admin = self.values.get("--postgres")?;
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(admin)
            .await
            .expect("the PostgreSQL server answers");
        let database = format!("hexplan_bench_{name}");
        conn.execute(&*format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
            .await
            .expect("an old benchmark database is dropped");
        conn.execute(&*format!("CREATE DATABASE {database}"))
            .await
            .expect("the benchmark database is made");
        let (server, _) = admin.rsplit_once('/').expect("a URL with a database");
        Some(format!("{server}/{database}"))
    }

    /// Which engine the data sets are on.
    #[allow(dead_code)]
    pub fn engine(&self) -> &'static str {
        if self.values.contains_key("--postgres") {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    }

    /// The value given as `name`, if any.
    pub fn value(&self, name: &str) -> Option<String> {
        self.values.get(name).cloned()
    }

    /// The number given as `name`, or `default`.
    pub fn number<T: std::str::FromStr>(&self, name: &str, default: T) -> T {
        self.values
            .get(name)
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    }
}

/// The server binary running on a port of its own; stopped when dropped.
pub struct Server {
    child: Child,
    pub base: String,
    _dir: PathBuf,
}

impl Server {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(3200)
}

/// Starts `server` (the release binary) on `data_dir` (or `database`, a PostgreSQL URL),
/// creating the demonstration data there if it is new, and waits until it answers.
pub async fn start(
    server: &Path,
    site_root: &Path,
    data_dir: &Path,
    database: Option<&str>,
) -> Server {
    let mut command = Command::new(server);
    if let Some(url) = database {
        command.env("HEXPLAN_DATABASE_URL", url);
    }
    run(command, site_root, data_dir).await
}

/// Starts `server` serving the plans `plans_file` lists, each with a pool of `pool_size`
/// connections at most, and waits until it answers.
pub async fn start_plans(
    server: &Path,
    site_root: &Path,
    plans_file: &Path,
    pool_size: u32,
) -> Server {
    let mut command = Command::new(server);
    command
        .arg("--plans")
        .arg(plans_file)
        .args(["--db-pool-size", &pool_size.to_string()]);
    let data_dir = plans_file.parent().unwrap_or(Path::new("."));
    run(command, site_root, data_dir).await
}

async fn run(mut command: Command, site_root: &Path, data_dir: &Path) -> Server {
    let port = free_port();
    let child = command
        .args(["--address", &format!("127.0.0.1:{port}"), "--demo"])
        // Every simulated person signs in from this one address.
        .args(["--sign-ins-per-minute", "100000", "--data-dir"])
        .arg(data_dir)
        .arg("--site-root")
        .arg(site_root)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("the server binary starts (run `make build` first)");
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    for _ in 0..1800 {
        if client
            .get(format!("{base}/healthz"))
            .send()
            .await
            .map(|r| r.status().is_success())
            .unwrap_or(false)
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Server {
        child,
        base,
        _dir: data_dir.to_path_buf(),
    }
}

/// Signs `username` in with the demonstration password; the session cookie.
pub async fn sign_in(server: &Server, username: &str) -> String {
    sign_in_at(&server.base, None, username).await
}

/// Signs `username` in at `base`, on the plan of the host name `host` when there is one.
pub async fn sign_in_at(base: &str, host: Option<&str>, username: &str) -> String {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    let mut request = client.post(format!("{base}/sign-in"));
    request = match host {
        Some(host) => request
            .header("host", host)
            .header("origin", format!("http://{host}")),
        None => request.header("origin", base),
    };
    let signed_in = request
        .form(&[("username", username), ("password", "jsp-demo-2017")])
        .send()
        .await
        .expect("signs in");
    signed_in
        .headers()
        .get("set-cookie")
        .and_then(|c| c.to_str().ok())
        .and_then(|c| c.split(';').next())
        .unwrap_or_default()
        .to_string()
}

/// The value at quantile `q` (0 to 1) of sorted `values`.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    sorted
        .get(((sorted.len() as f64 - 1.0) * q).round() as usize)
        .copied()
        .unwrap_or(f64::NAN)
}

/// "Machine: 2 cores, <CPU>; date: 2026-11-26".
pub fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let today = Command::new("date")
        .arg("+%Y-%m-%d")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    format!(
        "Machine: {} cores, {cpu}; date: {today}",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0)
    )
}
