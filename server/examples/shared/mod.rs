//! What the benchmark commands share: starting the built server on its own data, signing in,
//! percentiles, and the line naming the machine and date.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The command line's `--flag value` pairs, and where the server and the site are.
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
    let port = free_port();
    let mut command = Command::new(server);
    if let Some(url) = database {
        command.env("HEXPLAN_DATABASE_URL", url);
    }
    let child = command
        .args(["--address", &format!("127.0.0.1:{port}"), "--data-dir"])
        .arg(data_dir)
        .arg("--site-root")
        .arg(site_root)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("the server binary starts (run `make build` first)");
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    for _ in 0..600 {
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
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    let signed_in = client
        .post(format!("{}/sign-in", server.base))
        .header("origin", &server.base)
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
