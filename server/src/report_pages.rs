//! `/reports/{id}`: a report as a page to read and print. A published report's document is
//! served exactly as stored, inside a page that shows its SHA-256 (and prints it in a running
//! header on every page); a draft is rendered from the data as it stands, for Business
//! Improvement only, with the button that publishes it.

use crate::downloads::download_bytes;
use crate::state::AppState;
use app::api::reports::{PublishReport, ReportPeriod, ReportSummary};
use app::domain::period::format_iso_date;
use app::domain::roles::Action;
use app::domain::Quarter;
use app::error::AppError;
use app::report_document::ReportContent;
use app::report_page::{self, Bar};
use app::session::SignedIn;
use app::store::{self, Db};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Extension;
use leptos::config::LeptosOptions;
use leptos::server_fn::error::ServerFnUrlError;
use leptos::server_fn::ServerFn;
use std::collections::HashMap;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/reports/quarter/{quarter}", get(quarterly_update))
        .route(
            "/reports/quarter/{quarter}/appendices.xlsx",
            get(quarterly_appendices),
        )
        .route("/reports/{id}", get(page))
        .route("/reports/{id}/report.html", get(document))
        .route("/reports/{id}/appendices.xlsx", get(appendices))
}

fn not_found() -> AppError {
    AppError::not_found("That report")
}

/// The report a path names: a number, or no report at all (never the parser's words).
fn report_id(text: &str) -> Result<i64, AppError> {
    text.parse().map_err(|_| not_found())
}

/// A page's error as a response: a report that cannot be found (or may not be read) gets the
/// site's page that says so; any other error is answered as every error is.
fn page_error(options: &LeptosOptions, error: AppError) -> Response {
    match error {
        AppError::NotFound(_) => (
            StatusCode::NOT_FOUND,
            Html(report_page::missing(app::stylesheet_href(options))),
        )
            .into_response(),
        error => error.into_response(),
    }
}

/// The report if `user` may read it (published ones anyone, drafts Business Improvement).
async fn readable(
    db: &Db,
    id: i64,
    user: Option<Extension<SignedIn>>,
) -> Result<ReportSummary, AppError> {
    let overseer = user.is_some_and(|Extension(SignedIn(u))| u.may(Action::OverseeReporting));
    store::reports::summary(db, id)
        .await?
        .filter(|r| r.published.is_some() || overseer)
        .ok_or_else(not_found)
}

async fn page(
    State(db): State<Db>,
    State(options): State<LeptosOptions>,
    State(seal): State<app::security::FormSeal>,
    user: Option<Extension<SignedIn>>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let found = match report_id(&id) {
        Ok(id) => report(&db, &seal, user, id, &query).await,
        Err(error) => Err(error),
    };
    match found {
        Ok((title, bar, article)) => report_page(&options, title, bar, article),
        Err(error) => page_error(&options, error),
    }
}

/// The title, bar and document of report `id`, as `user` may read it.
async fn report(
    db: &Db,
    seal: &app::security::FormSeal,
    user: Option<Extension<SignedIn>>,
    id: i64,
    query: &HashMap<String, String>,
) -> Result<(String, Bar, String), AppError> {
    let reader = user.as_ref().map(|Extension(SignedIn(u))| u.person_id);
    let report = readable(db, id, user).await?;
    let title = report.period.title();
    let (bar, article) = match report.published {
        Some(published) => {
            let (document, _) = store::reports::frozen(db, id)
                .await?
                .ok_or_else(not_found)?;
            let bar = Bar::Published {
                id,
                on: format_iso_date(&published.at),
                by: published.by,
                sha256: published.sha256,
            };
            (bar, String::from_utf8_lossy(&document).into_owned())
        }
        None => {
            let content = store::reports::content(
                db,
                report.period,
                "Draft: not yet published. The figures follow the data until it is published."
                    .into(),
            )
            .await?;
            // Only a message this site sealed: a link cannot put words on the page.
            let problem = query
                .get("__err")
                .filter(|err| {
                    query.get("__path").map(String::as_str) == Some(PublishReport::PATH)
                        && query
                            .get(app::components::form::SEAL)
                            .zip(reader)
                            .is_some_and(|(sealed, reader)| {
                                seal.holds(reader, PublishReport::PATH, err, sealed)
                            })
                })
                .map(|err| ServerFnUrlError::<AppError>::decode_err(err).to_string());
            let bar = Bar::Draft {
                id,
                publish: PublishReport::PATH,
                problem,
                gaps: store::reports::gaps(db, &content).await?,
            };
            (bar, app::report_document::render(&content))
        }
    };
    Ok((title, bar, article))
}

/// A report inside its page. A published report that carries its own styles is shown with
/// them alone, allowed by their hash, so later changes to the site's styles cannot change it.
fn report_page(options: &LeptosOptions, title: String, bar: Bar, article: String) -> Response {
    let policy = app::report_document::frozen_styles(&article)
        .map(app::security::frozen_styles_policy)
        .and_then(|policy| header::HeaderValue::from_str(&policy).ok());
    let stylesheet = policy.is_none().then(|| app::stylesheet_href(options));
    let mut response = Html(report_page::render(stylesheet, title, bar, article)).into_response();
    if let Some(policy) = policy {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    response
}

/// The document exactly as published, to download and check against its SHA-256.
async fn document(State(db): State<Db>, Path(id): Path<String>) -> Response {
    let id = match report_id(&id) {
        Ok(id) => id,
        Err(error) => return error.into_response(),
    };
    match store::reports::frozen(&db, id).await {
        Ok(Some((document, _))) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"report-{id}.html\""),
                ),
            ],
            document,
        )
            .into_response(),
        Ok(None) => not_found().into_response(),
        Err(error) => AppError::from(error).into_response(),
    }
}

/// The appendices: as published, or from the data as it stands for a draft.
async fn appendices(
    State(db): State<Db>,
    user: Option<Extension<SignedIn>>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = report_id(&id)?;
    let report = readable(&db, id, user).await?;
    if report.published.is_none() {
        let content = store::reports::content(&db, report.period, "Draft".into()).await?;
        return appendices_of(&content);
    }
    let (_, appendices) = store::reports::frozen(&db, id)
        .await?
        .ok_or_else(not_found)?;
    Ok(download_bytes(
        appendices,
        app::spreadsheets::Kind::Xlsx,
        &format!("report-{}-appendices", report.period.slug()),
    ))
}

/// The quarterly update for `slug` ("2017-18-q2") as the figures stand today, for everyone.
async fn live_quarter(db: &Db, slug: &str) -> Result<ReportContent, AppError> {
    let quarter = Quarter::parse_slug(slug).ok_or_else(not_found)?;
    Ok(store::reports::content(
        db,
        ReportPeriod::Quarter(quarter),
        "As the figures stand today: not a published report.".into(),
    )
    .await?)
}

/// `/reports/quarter/{quarter}`: quarterly information for members, from the live data.
async fn quarterly_update(
    State(db): State<Db>,
    State(options): State<LeptosOptions>,
    Path(slug): Path<String>,
) -> Response {
    let content = match live_quarter(&db, &slug).await {
        Ok(content) => content,
        Err(error) => return page_error(&options, error),
    };
    let bar = Bar::Live {
        slug: content.period.slug(),
    };
    report_page(
        &options,
        content.period.title(),
        bar,
        app::report_document::render(&content),
    )
}

async fn quarterly_appendices(
    State(db): State<Db>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    appendices_of(&live_quarter(&db, &slug).await?)
}

fn appendices_of(content: &ReportContent) -> Result<Response, AppError> {
    let tables = app::report_document::appendices(content);
    let bytes = app::spreadsheets::xlsx(&tables.iter().collect::<Vec<_>>()).map_err(|error| {
        tracing::error!(%error, "writing a report's appendices");
        AppError::Internal
    })?;
    Ok(download_bytes(
        bytes,
        app::spreadsheets::Kind::Xlsx,
        &format!("report-{}-appendices", content.period.slug()),
    ))
}
