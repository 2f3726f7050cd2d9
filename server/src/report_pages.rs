//! `/reports/{id}`: a report as a page to read and print. A published report's document is
//! served exactly as stored, inside a page that shows its SHA-256 (and prints it in a running
//! header on every page); a draft is rendered from the data as it stands, for Business
//! Improvement only, with the button that publishes it.

use crate::downloads::download_bytes;
use crate::routes::AppState;
use app::api::reports::{PublishReport, ReportPeriod, ReportSummary};
use app::components::escape;
use app::domain::period::format_iso_date;
use app::domain::roles::Action;
use app::domain::Quarter;
use app::error::AppError;
use app::report_document::ReportContent;
use app::session::SignedIn;
use app::store::{self, Db};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Extension;
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

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, Html("<!DOCTYPE html><html lang=\"en-GB\"><head><title>Report not found</title></head><body><main><h1>Report not found</h1><p><a href=\"/reports\">Back to the archive</a></p></main></body></html>")).into_response()
}

fn failed(error: impl std::fmt::Display) -> Response {
    tracing::error!(%error, "reading a report");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "the report could not be read",
    )
        .into_response()
}

/// The report if `user` may read it (published ones anyone, drafts Business Improvement), or
/// the page that says it cannot be found.
async fn readable(
    db: &Db,
    id: i64,
    user: Option<Extension<SignedIn>>,
) -> Result<ReportSummary, Response> {
    let overseer = user.is_some_and(|Extension(SignedIn(u))| u.may(Action::OverseeReporting));
    let report = store::reports::summary(db, id).await.map_err(failed)?;
    report
        .filter(|r| r.published.is_some() || overseer)
        .ok_or_else(not_found)
}

async fn page(
    State(db): State<Db>,
    State(options): State<leptos::config::LeptosOptions>,
    State(seal): State<app::security::FormSeal>,
    user: Option<Extension<SignedIn>>,
    Path(id): Path<i64>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let reader = user.as_ref().map(|Extension(SignedIn(u))| u.person_id);
    let report = match readable(&db, id, user).await {
        Ok(report) => report,
        Err(response) => return response,
    };
    let title = report.period.title();
    let (bar, running, article) = match &report.published {
        Some(published) => {
            let Ok(Some((document, _))) = store::reports::frozen(&db, id).await else {
                return failed("a published report without its document");
            };
            let bar = format!(
                r#"<p class="body">Published on {} by {}. This is the report exactly as published; later changes to values, targets or indicators do not change it.</p>
<p class="body">SHA-256 of the report: <code class="hash">{}</code></p>
<p class="body">Download <a class="link" href="/reports/{id}/report.html" download>the report exactly as published (HTML)</a>, whose SHA-256 is the one above, and <a class="link" href="/reports/{id}/appendices.xlsx" download>its appendices (XLSX)</a>.</p>"#,
                escape(&format_iso_date(&published.at)),
                escape(&published.by),
                published.sha256,
            );
            let running = format!("SHA-256 {}", published.sha256);
            (
                bar,
                running,
                String::from_utf8_lossy(&document).into_owned(),
            )
        }
        None => {
            let content = match store::reports::content(
                &db,
                report.period,
                "Draft: not yet published. The figures follow the data until it is published."
                    .into(),
            )
            .await
            {
                Ok(content) => content,
                Err(error) => return failed(error),
            };
            // Only a message this site sealed: a link cannot put words on the page.
            let error = query
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
                .map(|err| ServerFnUrlError::<AppError>::decode_err(err).to_string())
                .map(|message| format!(r#"<div class="error-summary" role="alert"><h2 class="error-summary__title">There is a problem</h2><p class="error-summary__body">{}</p></div>"#, escape(&message)))
                .unwrap_or_default();
            let bar = format!(
                r#"{error}<div class="panel panel--warning"><h2 class="heading-m">Draft</h2><p class="body">This report is not yet published: its figures follow the data as it changes. Publishing freezes it in the archive exactly as it then reads, and records who published it.</p>
<form method="post" action="{}" class="form"><input type="hidden" name="id" value="{id}"><button type="submit" class="button">Publish the report</button></form>
<p class="body"><a class="link" href="/reports/{id}/appendices.xlsx" download>Download the draft's appendices (XLSX)</a></p></div>"#,
                PublishReport::PATH,
            );
            (
                bar,
                "Draft – not yet published".to_string(),
                app::report_document::render(&content),
            )
        }
    };
    report_page(&options, &title, &bar, &running, &article)
}

/// A report inside its page: the bar above it (hidden in print), and a running header printed
/// at the top of every page.
fn report_page(
    options: &leptos::config::LeptosOptions,
    title: &str,
    bar: &str,
    running: &str,
    article: &str,
) -> Response {
    Html(format!(
        r##"<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{page_title}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="{stylesheet}">
</head>
<body class="report-page">
<a href="#main-content" class="skip-link">Skip to the report</a>
<header class="report-bar" role="banner">
<div class="width-container">
<p class="body"><a class="link" href="/reports">Back to the archive of reports</a> · <a class="link" href="/">Hexplan</a></p>
{bar}
<p class="hint">To print the report or save it as a PDF, use your browser's Print command: the navigation is left out and each page carries the report's title.</p>
</div>
</header>
<main id="main-content" class="width-container" tabindex="-1">
<table class="report-layout" role="presentation">
<thead><tr><td><div class="report-running-header">{heading} · {running}</div></td></tr></thead>
<tbody><tr><td>{article}</td></tr></tbody>
</table>
</main>
</body>
</html>
"##,
        page_title = app::page_title(title),
        stylesheet = app::stylesheet_href(options),
        heading = escape(title),
    ))
    .into_response()
}

/// The document exactly as published, to download and check against its SHA-256.
async fn document(State(db): State<Db>, Path(id): Path<i64>) -> Response {
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
        Ok(None) => not_found(),
        Err(error) => failed(error),
    }
}

/// The appendices: as published, or from the data as it stands for a draft.
async fn appendices(
    State(db): State<Db>,
    user: Option<Extension<SignedIn>>,
    Path(id): Path<i64>,
) -> Response {
    let report = match readable(&db, id, user).await {
        Ok(report) => report,
        Err(response) => return response,
    };
    if report.published.is_none() {
        return match store::reports::content(&db, report.period, "Draft".into()).await {
            Ok(content) => appendices_of(&content),
            Err(error) => failed(error),
        };
    }
    match store::reports::frozen(&db, id).await {
        Ok(Some((_, appendices))) => download_bytes(
            appendices,
            app::spreadsheets::Kind::Xlsx,
            &format!("report-{}-appendices", report.period.slug()),
        ),
        Ok(None) => not_found(),
        Err(error) => failed(error),
    }
}

/// The quarterly update for `slug` ("2017-18-q2") as the figures stand today, for everyone.
async fn live_quarter(db: &Db, slug: &str) -> Result<ReportContent, Response> {
    let Some(quarter) = Quarter::parse_slug(slug) else {
        return Err(not_found());
    };
    store::reports::content(
        db,
        ReportPeriod::Quarter(quarter),
        "As the figures stand today: not a published report.".into(),
    )
    .await
    .map_err(failed)
}

/// `/reports/quarter/{quarter}`: quarterly information for members, from the live data.
async fn quarterly_update(
    State(db): State<Db>,
    State(options): State<leptos::config::LeptosOptions>,
    Path(slug): Path<String>,
) -> Response {
    let content = match live_quarter(&db, &slug).await {
        Ok(content) => content,
        Err(response) => return response,
    };
    let title = content.period.title();
    let bar = format!(
        r#"<p class="body">This quarterly update shows the figures as they stand now, so it changes as values are entered and corrected. Reports published to Cabinet, frozen as published, are in the archive.</p>
<p class="body"><a class="link" href="/reports/quarter/{slug}/appendices.xlsx" download>Download its appendices (XLSX)</a></p>"#,
        slug = content.period.slug()
    );
    report_page(
        &options,
        &title,
        &bar,
        "As the figures stand today",
        &app::report_document::render(&content),
    )
}

async fn quarterly_appendices(State(db): State<Db>, Path(slug): Path<String>) -> Response {
    match live_quarter(&db, &slug).await {
        Ok(content) => appendices_of(&content),
        Err(response) => response,
    }
}

fn appendices_of(content: &ReportContent) -> Response {
    let tables = app::report_document::appendices(content);
    match app::spreadsheets::xlsx(&tables.iter().collect::<Vec<_>>()) {
        Ok(bytes) => download_bytes(
            bytes,
            app::spreadsheets::Kind::Xlsx,
            &format!("report-{}-appendices", content.period.slug()),
        ),
        Err(error) => failed(error),
    }
}
