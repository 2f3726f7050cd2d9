//! What the integration tests share: the real server on a free port with a fresh database,
//! a client, and signing in.
#![allow(dead_code)]

use server::config::ServeArgs;
use std::path::PathBuf;

pub struct TestServer {
    pub base: String,
    pub dir: PathBuf,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl TestServer {
    /// The server's database, opened beside it.
    pub async fn database(&self) -> app::store::Db {
        database_in(&self.dir).await
    }
}

/// The PostgreSQL server the suite runs on when `HEXPLAN_TEST_POSTGRES` names one (an
/// administrator's URL; each data directory gets its own new database there), or `None` for
/// SQLite, the embedded default.
pub fn postgres() -> Option<String> {
    std::env::var("HEXPLAN_TEST_POSTGRES")
        .ok()
        .filter(|url| !url.is_empty())
}

/// A new, empty data directory for one test, and on PostgreSQL a new database named after it.
pub async fn fresh_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hexplan-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("the data directory is made");
    if let Some(admin) = postgres() {
        use sqlx::{Connection, Executor};
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(&admin)
            .await
            .expect("the test PostgreSQL server answers");
        let name = database_name(&dir);
        conn.execute(&*format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await
            .expect("an old test database is dropped");
        conn.execute(&*format!("CREATE DATABASE {name}"))
            .await
            .expect("the test database is made");
    }
    dir
}

/// The database of a data directory: its SQLite file, or its database on the test
/// PostgreSQL server.
pub fn database_url(dir: &std::path::Path) -> String {
    match postgres() {
        Some(admin) => {
            let (server, _) = admin.rsplit_once('/').expect("a URL with a database");
            format!("{server}/{}", database_name(dir))
        }
        None => format!("sqlite://{}", dir.join("hexplan.db").display()),
    }
}

fn database_name(dir: &std::path::Path) -> String {
    let name = dir
        .file_name()
        .expect("a named directory")
        .to_string_lossy();
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// The `hexplan` command for a data directory, pointed at its database.
pub fn hexplan(dir: &std::path::Path) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_hexplan"));
    command
        .env("HEXPLAN_DATA_DIR", dir)
        .env("HEXPLAN_DEMO", "true")
        .env("HEXPLAN_SIGN_INS_PER_MINUTE", "100000");
    if postgres().is_some() {
        command.env("HEXPLAN_DATABASE_URL", database_url(dir));
    }
    command
}

/// The database of a data directory, opened beside any server running on it.
pub async fn database_in(dir: &std::path::Path) -> app::store::Db {
    app::store::open(&database_url(dir), false)
        .await
        .expect("opens")
}

/// Rows given explicit ids (fixtures written in SQL), then PostgreSQL's sequences moved past
/// them so the server's own inserts do not collide.
pub async fn insert_fixture(db: &app::store::Db, sql: &str) {
    let mut conn = db.acquire().await.expect("a connection");
    sqlx::raw_sql(sql)
        .execute(&mut *conn)
        .await
        .expect("the fixture is inserted");
    app::store::catch_up_ids(&mut conn)
        .await
        .expect("the ids catch up");
}

/// Removes the triggers that refuse changes to audit records, as someone with direct access
/// to the database could.
pub async fn remove_audit_guards(db: &app::store::Db) {
    let on = match app::store::Engine::of(db) {
        app::store::Engine::Sqlite => "",
        app::store::Engine::Postgres => " ON audit_record",
    };
    for trigger in ["audit_record_no_update", "audit_record_no_delete"] {
        sqlx::query(&format!("DROP TRIGGER {trigger}{on}"))
            .execute(db)
            .await
            .expect("the guard is removed");
    }
}

/// Asserts that the database passes its engine's integrity check (SQLite's, or PostgreSQL's
/// amcheck of every index against its table) and that its audit chain verifies.
pub async fn assert_sound(db: &app::store::Db, when: &str) {
    settled(db, when).await;
    match app::store::Engine::of(db) {
        app::store::Engine::Sqlite => {
            let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
                .fetch_one(db)
                .await
                .expect("the integrity check runs");
            assert_eq!(integrity, "ok", "{when}");
        }
        app::store::Engine::Postgres => {
            sqlx::query("CREATE EXTENSION IF NOT EXISTS amcheck")
                .execute(db)
                .await
                .expect("amcheck is there");
            let (checked,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM (SELECT bt_index_check(c.oid, true) FROM pg_index i
                 JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
                 WHERE am.amname = 'btree' AND c.relnamespace = 'public'::regnamespace) checked",
            )
            .fetch_one(db)
            .await
            .unwrap_or_else(|error| panic!("{when}: an index does not match its table: {error}"));
            assert!(checked > 10, "{when}: the indexes were checked");
        }
    }
    match app::store::audit::verify_chain(db)
        .await
        .expect("the chain reads")
    {
        app::store::audit::Verification::Verified(_) => {}
        app::store::audit::Verification::Broken(broken) => {
            panic!("{when}: the audit chain broke: {broken}")
        }
    }
}

/// Waits until no other connection is part-way through a statement or transaction. On
/// PostgreSQL, a COMMIT already sent by a server that was then killed still lands a moment
/// later; checks made before it would see a state that is about to change. (A killed process
/// leaves nothing in flight on SQLite.)
async fn settled(db: &app::store::Db, when: &str) {
    if app::store::Engine::of(db) != app::store::Engine::Postgres {
        return;
    }
    for _ in 0..200 {
        let busy: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()
             AND pid <> pg_backend_pid() AND state IS DISTINCT FROM 'idle'",
        )
        .fetch_one(db)
        .await
        .expect("pg_stat_activity reads");
        if busy == 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{when}: other connections were still busy after 10 s");
}

/// A port nothing listens on yet.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}

/// The `hexplan` binary serving `dir` on `port`, as an operator starts it.
pub fn spawn_server(dir: &std::path::Path, port: u16) -> std::process::Child {
    hexplan(dir)
        .args(["--address", &format!("127.0.0.1:{port}")])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the binary starts")
}

/// Waits until the server at `base` answers its health check.
pub async fn ready(base: &str) {
    let started = std::time::Instant::now();
    while started.elapsed() < std::time::Duration::from_secs(60) {
        if let Ok(response) = reqwest::get(format!("{base}/healthz")).await {
            if response.status().is_success() {
                return;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the server at {base} did not start");
}

pub async fn start() -> TestServer {
    start_with(None).await
}

/// A server that sends its email to a mail sink on loopback, and the sink.
pub async fn start_with_mail() -> (TestServer, MailSink) {
    let sink = MailSink::start().await;
    (start_with(Some(sink.url.clone())).await, sink)
}

fn next_number() -> u32 {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
}

/// How the tests serve a data directory: on a free port, with the demonstration data.
fn serve_args(dir: &std::path::Path, smtp_url: Option<String>) -> ServeArgs {
    ServeArgs {
        address: "127.0.0.1:0".parse().expect("an address"),
        data_dir: dir.to_path_buf(),
        database_url: postgres().map(|_| database_url(dir)),
        db_pool_size: app::store::PoolSettings::default().max_connections,
        db_statement_timeout: app::store::PoolSettings::default()
            .statement_timeout
            .as_secs(),
        site_root: dir.join("site"),
        demo: true,
        audit_key_file: None,
        behind_proxy: false,
        // The tests sign in from one address far more often than a person would.
        sign_ins_per_minute: 100_000,
        secure_cookies: false,
        smtp_url,
        mail_from: "Hexplan <hexplan@localhost>".into(),
        public_url: None,
        plans: None,
    }
}

/// Starts serving in this process; the server stops when the sender is dropped.
async fn serve(args: ServeArgs) -> (tokio::sync::oneshot::Sender<()>, std::net::SocketAddr) {
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = server::start(args, async move {
        let _ = stopped.await;
    })
    .await
    .expect("the server starts");
    let address = running.address;
    tokio::spawn(running.serve);
    (stop, address)
}

async fn start_with(smtp_url: Option<String>) -> TestServer {
    start_configured(|args| args.smtp_url = smtp_url).await
}

/// A server started with the tests' settings as `configure` changes them.
pub async fn start_configured(configure: impl FnOnce(&mut ServeArgs)) -> TestServer {
    let dir = fresh_dir(&format!("test-{}", next_number())).await;
    let mut args = serve_args(&dir, None);
    configure(&mut args);
    let (stop, address) = serve(args).await;
    TestServer {
        base: format!("http://{address}"),
        dir,
        _stop: stop,
    }
}

/// A plans file in `north` listing two plans with the demonstration data, "north" on the host
/// name 127.0.0.1 with the database of `north` and "south" on localhost with `south`'s.
pub fn two_plans_file(north: &std::path::Path, south: &std::path::Path) -> PathBuf {
    let file = north.join("plans.toml");
    std::fs::write(
        &file,
        format!(
            "[[plan]]\nslug = \"north\"\nhosts = [\"127.0.0.1\"]\ndatabase = \"{}\"\ndemo = true\n\n\
             [[plan]]\nslug = \"south\"\nhosts = [\"localhost\"]\ndatabase = \"{}\"\ndemo = true\n",
            database_url(north),
            database_url(south)
        ),
    )
    .expect("the plans file is written");
    file
}

/// Two plans served by one process, each with its own database holding the demonstration
/// data (so the same ids, people and passwords in both): "north" on the host name 127.0.0.1
/// and "south" on localhost. The second server stops with the first.
pub async fn start_two_plans() -> (TestServer, TestServer) {
    let n = next_number();
    let north = fresh_dir(&format!("north-{n}")).await;
    let south = fresh_dir(&format!("south-{n}")).await;
    let file = two_plans_file(&north, &south);
    let mut args = serve_args(&north, None);
    args.plans = Some(file);
    let (stop, address) = serve(args).await;
    let (south_stop, _) = tokio::sync::oneshot::channel::<()>();
    (
        TestServer {
            base: format!("http://127.0.0.1:{}", address.port()),
            dir: north,
            _stop: stop,
        },
        TestServer {
            base: format!("http://localhost:{}", address.port()),
            dir: south,
            _stop: south_stop,
        },
    )
}

/// A client that keeps no cookies, follows no redirects (so each step is visible) and gives
/// up rather than hang the suite.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .expect("a client")
}

pub async fn get(server: &TestServer, path: &str) -> (u16, String) {
    get_as(server, path, None).await
}

/// A page as the holder of `cookie` (a session) sees it.
pub async fn get_as(server: &TestServer, path: &str, cookie: Option<&str>) -> (u16, String) {
    read_page(&server.base, path, cookie).await
}

/// A page of the server at `base` as the holder of `cookie` sees it.
pub async fn get_at(base: &str, path: &str, cookie: &str) -> (u16, String) {
    read_page(base, path, Some(cookie)).await
}

async fn read_page(base: &str, path: &str, cookie: Option<&str>) -> (u16, String) {
    let mut request = client().get(format!("{base}{path}"));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    (status, response.text().await.expect("a body"))
}

/// Amends an indicator's 2017/18 annual target for Babergh through the server at `base`, as
/// the holder of `cookie`, from the target's `version`: confirmed, as after a second look,
/// since the tests that call it are about saving, whatever the figure.
pub async fn amend_babergh_target(
    base: &str,
    cookie: &str,
    indicator: i64,
    value: f64,
    reason: &str,
    version: i64,
) -> reqwest::Response {
    client()
        .post(format!("{base}/api/amend-target"))
        .header("origin", base)
        .header("cookie", cookie)
        .form(&[
            ("indicator_id", indicator.to_string()),
            ("council", "babergh".into()),
            ("year", "2017".into()),
            ("value", value.to_string()),
            ("tolerance", "10".into()),
            ("reason", reason.into()),
            ("version", version.to_string()),
            ("confirmed", "true".into()),
        ])
        .send()
        .await
        .expect("the server answers")
}

/// The value and version of an indicator's 2017/18 annual target for Babergh.
pub async fn babergh_target(db: &app::store::Db, indicator_id: i64) -> (f64, i64) {
    sqlx::query_as(
        "SELECT value, version FROM target WHERE indicator_id = $1 AND financial_year = 2017 AND quarter IS NULL
         AND organisation_id = (SELECT id FROM organisation WHERE code = 'babergh')",
    )
    .bind(indicator_id)
    .fetch_one(db)
    .await
    .expect("a Babergh target for 2017/18")
}

/// The session cookie a response sets, as a browser sends it back ("name=value").
pub fn cookie_of(response: &reqwest::Response) -> String {
    let header = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    header.split(';').next().unwrap_or_default().to_string()
}

pub async fn sign_in(server: &TestServer, username: &str, password: &str) -> reqwest::Response {
    sign_in_at(&server.base, username, password).await
}

/// Signs in to the server at `base` (one started as a separate process, too).
pub async fn sign_in_at(base: &str, username: &str, password: &str) -> reqwest::Response {
    client()
        .post(format!("{base}/sign-in"))
        .header("origin", base)
        .form(&[("username", username), ("password", password)])
        .send()
        .await
        .expect("answers")
}

/// The session cookie of a demonstration person, signed in.
pub async fn session(server: &TestServer, username: &str) -> String {
    session_at(&server.base, username).await
}

/// The session cookie of a demonstration person, signed in to the server at `base`.
pub async fn session_at(base: &str, username: &str) -> String {
    cookie_of(&sign_in_at(base, username, app::store::demo::DEMO_PASSWORD).await)
}

/// Posts `fields` to a server function as the holder of `cookie`, the way a plain HTML form
/// in a browser does when `from_page` names the page it was on (Accept: text/html, Referer),
/// or as a script does when it is `None`.
pub async fn post_form(
    server: &TestServer,
    path: &str,
    cookie: Option<&str>,
    fields: &[(&str, &str)],
    from_page: Option<&str>,
) -> reqwest::Response {
    let mut request = client()
        .post(format!("{}{path}", server.base))
        .header("origin", server.base.clone())
        .form(fields);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    if let Some(page) = from_page {
        request = request
            .header("accept", "text/html,application/xhtml+xml")
            .header("referer", format!("{}{page}", server.base));
    }
    request.send().await.expect("the server answers")
}

/// Where a response sends the browser, without the server's address (or the empty query
/// leptos leaves when it clears an earlier error from the address).
pub fn location(response: &reqwest::Response, server: &TestServer) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .trim_start_matches(&server.base)
        .trim_end_matches('?')
        .to_string()
}

/// Uploads `bytes` as `name` and returns the outcome page's text.
pub async fn upload(site: &TestServer, cookie: &str, name: &str, bytes: Vec<u8>) -> String {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
    );
    let response = client()
        .post(format!("{}/returns/import", site.base))
        .header("origin", site.base.clone())
        .header("cookie", cookie)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status().as_u16(),
        303,
        "the upload answers with its outcome page"
    );
    let outcome = location(&response, site);
    assert!(outcome.starts_with("/returns/imports/"), "{outcome}");
    let (status, page) = get_as(site, &outcome, Some(cookie)).await;
    assert_eq!(status, 200);
    page
}

/// How many audit records there are, once the chain is checked intact.
pub async fn verified_audit_records(server: &TestServer) -> i64 {
    let db = server.database().await;
    match app::store::audit::verify_chain(&db).await.expect("reads") {
        app::store::audit::Verification::Verified(count) => count as i64,
        app::store::audit::Verification::Broken(broken) => panic!("the chain broke: {broken}"),
    }
}

/// Just enough of an SMTP server to take messages and keep them, so tests can read what
/// Hexplan sent.
pub struct MailSink {
    pub url: String,
    pub messages: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl MailSink {
    async fn start() -> MailSink {
        use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binds");
        let url = format!("smtp://{}", listener.local_addr().expect("an address"));
        let messages = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let kept = messages.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let kept = kept.clone();
                tokio::spawn(async move {
                    let (read, mut write) = stream.into_split();
                    let mut lines = BufReader::new(read).lines();
                    let _ = write.write_all(b"220 sink ready\r\n").await;
                    let mut message: Option<String> = None;
                    while let Ok(Some(line)) = lines.next_line().await {
                        if let Some(text) = message.as_mut() {
                            if line == "." {
                                kept.lock()
                                    .expect("not poisoned")
                                    .push(message.take().unwrap_or_default());
                                let _ = write.write_all(b"250 kept\r\n").await;
                            } else {
                                text.push_str(&line);
                                text.push('\n');
                            }
                            continue;
                        }
                        let verb = line.get(..4).unwrap_or_default().to_ascii_uppercase();
                        let reply: &[u8] = match verb.as_str() {
                            "EHLO" | "HELO" => b"250 sink\r\n",
                            "DATA" => {
                                message = Some(String::new());
                                b"354 go ahead\r\n"
                            }
                            "QUIT" => {
                                let _ = write.write_all(b"221 bye\r\n").await;
                                break;
                            }
                            _ => b"250 ok\r\n",
                        };
                        let _ = write.write_all(reply).await;
                    }
                });
            }
        });
        MailSink { url, messages }
    }

    /// The messages received, quoted-printable decoded so they read as written.
    pub fn sent(&self) -> Vec<String> {
        self.messages
            .lock()
            .expect("not poisoned")
            .iter()
            .map(|raw| {
                let joined = raw.replace("=\n", "");
                let mut out = Vec::new();
                let bytes = joined.as_bytes();
                let mut at = 0;
                while at < bytes.len() {
                    let hex = bytes
                        .get(at + 1..at + 3)
                        .and_then(|h| std::str::from_utf8(h).ok());
                    match (bytes[at], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
                        (b'=', Some(byte)) => {
                            out.push(byte);
                            at += 3;
                        }
                        (byte, _) => {
                            out.push(byte);
                            at += 1;
                        }
                    }
                }
                String::from_utf8_lossy(&out).into_owned()
            })
            .collect()
    }
}

/// Follows a live peer review session on the server at `base`, as `cookie`'s holder, from a
/// page of the site (as a browser sends its Origin).
pub async fn follow(
    base: &str,
    review: &str,
    cookie: &str,
) -> Result<Socket, tokio_tungstenite::tungstenite::Error> {
    follow_from(base, review, cookie, base).await
}

/// Follows a live peer review session from a page whose origin is `origin`.
pub async fn follow_from(
    base: &str,
    review: &str,
    cookie: &str,
    origin: &str,
) -> Result<Socket, tokio_tungstenite::tungstenite::Error> {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let address = format!("{}/reviews/{review}/live", base.replace("http://", "ws://"));
    let mut request = address.into_client_request()?;
    request
        .headers_mut()
        .insert("cookie", cookie.parse().unwrap());
    request
        .headers_mut()
        .insert("origin", origin.parse().unwrap());
    Ok(tokio_tungstenite::connect_async(request).await?.0)
}

pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The next update heard: `{"version":7}` or `{"present":[…]}`.
pub async fn next_update(socket: &mut Socket) -> serde_json::Value {
    use futures_util::StreamExt;
    let message = tokio::time::timeout(std::time::Duration::from_secs(5), socket.next())
        .await
        .expect("a message within 5 seconds")
        .expect("the connection is open")
        .expect("a message");
    serde_json::from_str(message.to_text().unwrap()).unwrap()
}

/// The next version heard, passing over who is present.
pub async fn next_version(socket: &mut Socket) -> i64 {
    loop {
        if let Some(version) = next_update(socket).await["version"].as_i64() {
            return version;
        }
    }
}

/// The next list of who is present, passing over versions.
pub async fn next_present(socket: &mut Socket) -> Vec<String> {
    loop {
        if let Some(names) = next_update(socket).await["present"].as_array() {
            return names
                .iter()
                .filter_map(|n| n.as_str().map(String::from))
                .collect();
        }
    }
}

/// The typed error a server function answered with, when its body is one.
pub fn error_in(body: &str) -> Option<app::error::AppError> {
    serde_json::from_str(body).ok()
}

/// A small plan built for one test on an empty database: the councils, people, outputs and
/// indicators the test names and nothing else, so what it asserts is plain to read.
pub struct PlanBuilder {
    pub db: app::store::Db,
    pub dir: PathBuf,
    plan: i64,
    outcome: Option<i64>,
    outputs: i64,
}

impl PlanBuilder {
    pub async fn empty(name: &str) -> PlanBuilder {
        let dir = fresh_dir(name).await;
        let db = app::store::open(&database_url(&dir), false)
            .await
            .expect("an empty plan opens");
        let plan = sqlx::query_scalar(
            "INSERT INTO plan (title, starts_on, ends_on) VALUES ('Plan', '2020-04-01', '2024-03-31') RETURNING id",
        )
        .fetch_one(&db)
        .await
        .expect("the plan is added");
        PlanBuilder {
            db,
            dir,
            plan,
            outcome: None,
            outputs: 0,
        }
    }

    async fn id(&self, sql: &str, binds: &[&str]) -> i64 {
        let mut query = sqlx::query_scalar::<_, i64>(sql);
        for bind in binds {
            query = query.bind(*bind);
        }
        query.fetch_one(&self.db).await.expect("the row is added")
    }

    /// A partner council of the plan, by its code and short name.
    pub async fn council(&self, code: &str, name: &str) -> app::domain::Council {
        let id = self
            .id(
                "INSERT INTO organisation (code, name, short_name) VALUES ($1, $2, $2) RETURNING id",
                &[code, name],
            )
            .await;
        sqlx::query("INSERT INTO plan_organisation (plan_id, organisation_id) VALUES ($1, $2)")
            .bind(self.plan)
            .bind(id)
            .execute(&self.db)
            .await
            .expect("the council joins the plan");
        app::store::plan::councils(&self.db)
            .await
            .expect("the councils are read")
            .by_id(Some(id))
            .expect("the council is the plan's")
    }

    /// A person with `roles`, holding the portfolio of `outputs`.
    pub async fn person(
        &self,
        name: &str,
        roles: &[app::domain::roles::Role],
        outputs: &[i64],
    ) -> app::domain::roles::User {
        let email = format!("{}@example.org", name.to_lowercase().replace(' ', "."));
        let person_id = self
            .id(
                "INSERT INTO person (name, job_title, email) VALUES ($1, 'Officer', $2) RETURNING id",
                &[name, &email],
            )
            .await;
        for output in outputs {
            sqlx::query(
                "INSERT INTO portfolio_holder (output_id, person_id, portfolio) VALUES ($1, $2, 'Portfolio')",
            )
            .bind(output)
            .bind(person_id)
            .execute(&self.db)
            .await
            .expect("the portfolio is held");
        }
        app::domain::roles::User {
            person_id,
            name: name.into(),
            roles: roles.iter().copied().collect(),
            portfolio: outputs.iter().copied().collect(),
            directed: Default::default(),
        }
    }

    /// An output (a hexagon) under the plan's one theme and outcome, made when first asked.
    pub async fn output(&mut self, code: &str) -> i64 {
        let outcome = match self.outcome {
            Some(outcome) => outcome,
            None => {
                let plan = self.plan;
                let theme = self
                    .id(
                        &format!("INSERT INTO theme (plan_id, position, title) VALUES ({plan}, 1, 'Theme') RETURNING id"),
                        &[],
                    )
                    .await;
                let outcome = self
                    .id(
                        &format!("INSERT INTO outcome (theme_id, position, title) VALUES ({theme}, 1, 'Outcome') RETURNING id"),
                        &[],
                    )
                    .await;
                self.outcome = Some(outcome);
                outcome
            }
        };
        self.outputs += 1;
        self.id(
            &format!(
                "INSERT INTO output (outcome_id, code, title, short_title, hex_q, hex_r)
                 VALUES ({outcome}, $1, $1, $1, {}, 0) RETURNING id",
                self.outputs
            ),
            &[code],
        )
        .await
    }

    /// An active indicator measured in `unit` (its code, such as "percent"), linked to
    /// `outputs`, the first its home.
    pub async fn indicator(&self, code: &str, unit: &str, outputs: &[i64]) -> i64 {
        let id = self
            .id(
                "INSERT INTO indicator (code, title, definition, kind, unit, polarity)
                 VALUES ($1, $1, 'Defined for the test', 'tracking', $2, 'higher') RETURNING id",
                &[code, unit],
            )
            .await;
        for (position, output) in outputs.iter().enumerate() {
            sqlx::query(
                "INSERT INTO indicator_output (indicator_id, output_id, is_primary) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(output)
            .bind(position == 0)
            .execute(&self.db)
            .await
            .expect("the indicator is linked");
        }
        id
    }

    /// `council`'s value of `indicator` in `quarter`, entered without commentary.
    pub async fn value(
        &self,
        indicator: i64,
        council: &app::domain::Council,
        quarter: app::domain::Quarter,
        value: f64,
    ) {
        sqlx::query(
            "INSERT INTO measurement (indicator_id, organisation_id, financial_year, quarter, value, commentary, entered_at)
             VALUES ($1, $2, $3, $4, $5, '', '2020-01-01T00:00:00Z')",
        )
        .bind(indicator)
        .bind(council.id())
        .bind(quarter.year)
        .bind(i64::from(quarter.q))
        .bind(value)
        .execute(&self.db)
        .await
        .expect("the value is entered");
    }

    /// `quarter` opened for returns and, when `closed`, closed again.
    pub async fn return_period(&self, quarter: app::domain::Quarter, closed: bool) {
        sqlx::query(
            "INSERT INTO return_period (financial_year, quarter, deadline, closed_at) VALUES ($1, $2, '2030-01-01', $3)",
        )
        .bind(quarter.year)
        .bind(i64::from(quarter.q))
        .bind(closed.then_some("2020-01-01T00:00:00Z"))
        .execute(&self.db)
        .await
        .expect("the quarter is opened");
    }

    /// A server serving this plan, in this process.
    pub async fn serve(&self) -> TestServer {
        let dir = self.dir.clone();
        start_configured(move |args| {
            args.demo = false;
            args.database_url = postgres().map(|_| database_url(&dir));
            args.data_dir = dir;
        })
        .await
    }

    /// How many rows `table` holds.
    pub async fn count(&self, table: &str) -> i64 {
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&self.db)
            .await
            .expect("counted")
    }
}

impl Drop for PlanBuilder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
