//! Spreadsheets in and out: the returns template and upload, each view's values as CSV and
//! XLSX, and the public open-data file.

use crate::state::AppState;
use app::domain::returns::{sheet_rows, Problem};
use app::domain::roles::Action;
use app::domain::table::Table;
use app::session::SignedIn;
use app::spreadsheets::{self, Kind};
use app::store::readings::Scope;
use app::store::{self, Db};
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

/// The largest upload accepted, in bytes.
pub const MAX_UPLOAD: usize = 10 * 1024 * 1024;

/// The spreadsheet uploads, which may be larger than any form.
pub fn upload() -> axum::Router<AppState> {
    use axum::routing::post;
    axum::Router::new()
        .route(
            "/returns/import",
            post(import).layer(axum::extract::DefaultBodyLimit::max(MAX_UPLOAD)),
        )
        .route(
            "/plan/import",
            post(import_plan).layer(axum::extract::DefaultBodyLimit::max(MAX_UPLOAD)),
        )
}

/// How many uploads are read at once, across every plan this process serves: reading one
/// may take a hundred megabytes, so a crowd of uploads waits its turn rather than exhausting
/// memory.
static READING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// How long an upload waits for its turn before the person is asked to try again.
const READING_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// The addresses of the downloads.
pub fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    let mut router = axum::Router::new()
        .route("/open-data/indicator-values.csv", get(open_data))
        .route("/plan/workbook.xlsx", get(plan_workbook));
    for (extension, kind) in [("csv", Kind::Csv), ("xlsx", Kind::Xlsx)] {
        router = router
            .route(
                &format!("/returns/template.{extension}"),
                get(move |db, user| template(db, user, kind)),
            )
            .route(
                &format!("/values.{extension}"),
                get(move |db, query| period_values(db, query, kind)),
            )
            .route(
                &format!("/outputs/{{id}}/values.{extension}"),
                get(move |db, Path(id)| {
                    view_values(db, Scope::Output(id), format!("output-{id}-values"), kind)
                }),
            )
            .route(
                &format!("/reviews/{{id}}/summary.{extension}"),
                get(move |db, user, Path(id)| review_summary(db, user, id, kind)),
            )
            .route(
                &format!("/indicators/{{id}}/values.{extension}"),
                get(move |db, Path(id)| {
                    view_values(
                        db,
                        Scope::Indicator(id),
                        format!("indicator-{id}-values"),
                        kind,
                    )
                }),
            );
    }
    router
}

/// The table as a download in `kind`.
pub fn download(table: &Table, kind: Kind, name: &str) -> Response {
    let body = match kind {
        Kind::Csv => spreadsheets::csv(table).map_err(|e| e.to_string()),
        Kind::Xlsx => spreadsheets::xlsx(&[table]).map_err(|e| e.to_string()),
    };
    match body {
        Ok(body) => download_bytes(body, kind, name),
        Err(error) => {
            tracing::error!(%error, "writing a spreadsheet");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the spreadsheet could not be written",
            )
                .into_response()
        }
    }
}

/// A spreadsheet's bytes as a download named `name` with the kind's extension.
pub fn download_bytes(body: Vec<u8>, kind: Kind, name: &str) -> Response {
    let (content_type, extension) = match kind {
        Kind::Csv => ("text/csv; charset=utf-8", "csv"),
        Kind::Xlsx => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
    };
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.{extension}\""),
            ),
        ],
        body,
    )
        .into_response()
}

fn failed(error: impl std::fmt::Display) -> Response {
    tracing::error!(%error, "reading values for a download");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "the values could not be read",
    )
        .into_response()
}

/// `/returns/template.csv` and `/returns/template.xlsx`.
async fn template(State(db): State<Db>, SignedIn(user): SignedIn, kind: Kind) -> Response {
    match store::returns::template(&db, &user).await {
        Ok(table) => download(&table, kind, "returns-template"),
        Err(error) => failed(error),
    }
}

/// `POST /returns/import`: checks the uploaded file and writes it all or nothing, then shows
/// the outcome at `/returns/imports/{id}`.
async fn import(State(db): State<Db>, SignedIn(user): SignedIn, multipart: Multipart) -> Response {
    if !user.may(Action::UploadValues) {
        return (
            StatusCode::FORBIDDEN,
            "Only data owners and Business Improvement may upload values",
        )
            .into_response();
    }
    let (name, bytes, _turn) = match uploaded(multipart).await {
        Ok(upload) => upload,
        Err(response) => return response,
    };
    // Reading a large file is work for a blocking thread, not for the server's event loop.
    let reading = name.clone();
    let rows = tokio::task::spawn_blocking(move || {
        Kind::of(&reading, &bytes)
            .and_then(|kind| spreadsheets::read(kind, &bytes, store::returns::IMPORT_LIMITS))
            .map_err(|problem: Problem| vec![problem])
            .and_then(sheet_rows)
    })
    .await
    .unwrap_or_else(|_| Err(vec![Problem::file("The file could not be read")]));
    match store::returns::import(&db, &user, &name, rows).await {
        Ok(id) => Redirect::to(&format!("/returns/imports/{id}")).into_response(),
        Err(error) => error.into_response(),
    }
}

/// The file of an upload's form (its `file` field), read when the upload's turn comes; or the
/// response that says why it cannot be.
async fn uploaded(
    mut multipart: Multipart,
) -> Result<
    (
        String,
        axum::body::Bytes,
        tokio::sync::SemaphorePermit<'static>,
    ),
    Response,
> {
    // The turn is taken before the body is read, so waiting uploads hold no memory.
    let Ok(Ok(turn)) = tokio::time::timeout(READING_WAIT, READING.acquire()).await else {
        return Err((
            StatusCode::SERVICE_UNAVAILABLE,
            "Hexplan is reading other uploads just now: nothing was changed. Try again in a minute.",
        )
            .into_response());
    };
    let mut upload = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                let name = field.file_name().unwrap_or("upload").to_string();
                match field.bytes().await {
                    Ok(bytes) => upload = Some((name, bytes)),
                    Err(_) => return Err(too_large()),
                }
            }
            Ok(Some(_)) => continue,
            Ok(None) => break,
            Err(_) => return Err(too_large()),
        }
    }
    match upload {
        Some((name, bytes)) => Ok((name, bytes, turn)),
        None => Err((StatusCode::BAD_REQUEST, "Choose a file to upload").into_response()),
    }
}

/// `GET /plan/workbook.xlsx`: the whole plan as one workbook, for Business Improvement.
async fn plan_workbook(State(db): State<Db>, SignedIn(user): SignedIn) -> Response {
    if let Err(forbidden) = user.authorise(Action::ShapePlan) {
        return app::error::AppError::from(forbidden).into_response();
    }
    let book = match store::workbook::export(&db).await {
        Ok(book) => book,
        Err(error) => return failed(error),
    };
    match tokio::task::spawn_blocking(move || spreadsheets::write_plan(&book)).await {
        Ok(Ok(bytes)) => download_bytes(bytes, Kind::Xlsx, "plan"),
        Ok(Err(error)) => failed(error),
        Err(error) => failed(error),
    }
}

/// `POST /plan/import`: checks the uploaded workbook whole and, when all is right, sets the
/// empty plan up from it; then shows the outcome at `/plan/imports/{id}`.
async fn import_plan(
    State(db): State<Db>,
    SignedIn(user): SignedIn,
    multipart: Multipart,
) -> Response {
    if let Err(forbidden) = user.authorise(Action::ShapePlan) {
        return app::error::AppError::from(forbidden).into_response();
    }
    let (name, bytes, _turn) = match uploaded(multipart).await {
        Ok(upload) => upload,
        Err(response) => return response,
    };
    let reading = name.clone();
    let book = tokio::task::spawn_blocking(move || spreadsheets::read_plan(&reading, &bytes))
        .await
        .unwrap_or_else(|_| Err(vec![Problem::file("The file could not be read")]));
    match store::workbook::import(&db, &user, &name, book).await {
        Ok(id) => Redirect::to(&format!("/plan/imports/{id}")).into_response(),
        Err(error) => error.into_response(),
    }
}

fn too_large() -> Response {
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        "The upload could not be read: files may be at most 10 MB",
    )
        .into_response()
}

/// `/outputs/{id}/values.csv|xlsx`, `/indicators/{id}/values.csv|xlsx`: a view's values.
async fn view_values(State(db): State<Db>, scope: Scope, name: String, kind: Kind) -> Response {
    match store::exports::values(&db, scope, "Values").await {
        Ok(table) => download(&table, kind, &name),
        Err(error) => failed(error),
    }
}

#[derive(serde::Deserialize)]
struct PeriodQuery {
    period: Option<String>,
}

/// `/values.csv|xlsx?period=2017-18-q2`: the map's view, every indicator in one quarter.
async fn period_values(
    State(db): State<Db>,
    Query(query): Query<PeriodQuery>,
    kind: Kind,
) -> Response {
    let quarter = match store::plan::view(&db, None, query.period.as_deref()).await {
        Ok(view) => view.period,
        Err(error) => return failed(error),
    };
    match store::exports::values(&db, Scope::Period(quarter), "Values").await {
        Ok(table) => download(&table, kind, &format!("values-{}", quarter.slug())),
        Err(error) => failed(error),
    }
}

/// `/open-data/indicator-values.csv`: every value of every active indicator, public, at a
/// stable address.
async fn open_data(State(state): State<AppState>) -> Response {
    match store::exports::values(&state.db, Scope::All, "Values").await {
        Ok(table) => {
            let mut response = download(&table, Kind::Csv, "indicator-values");
            response.headers_mut().insert(
                header::CONTENT_DISPOSITION,
                header::HeaderValue::from_static("inline; filename=\"indicator-values.csv\""),
            );
            response
        }
        Err(error) => failed(error),
    }
}

/// `/reviews/{id}/summary.csv|xlsx`: a peer review session's summary, for those who may open it.
async fn review_summary(
    State(db): State<Db>,
    SignedIn(user): SignedIn,
    id: i64,
    kind: Kind,
) -> Response {
    match store::review_summary::outcomes(&db, &user, id).await {
        Ok(outcomes) => download(
            &store::review_summary::outcomes_table(&outcomes),
            kind,
            &format!("peer-review-{id}"),
        ),
        Err(error) => error.into_response(),
    }
}
