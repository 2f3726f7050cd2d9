//! A report inside its page, to read and print: the bar above it (left out in print), which
//! says what the report is, and a running header printed at the top of every page. The
//! server serves published reports, drafts and the live quarterly update in it; the document
//! itself comes from `report_document` (or, published, exactly as it was frozen).

use crate::app::{title_text, PageHead};
use leptos::prelude::*;

/// What the bar above a report says.
pub enum Bar {
    /// A report published to Cabinet, frozen: when and by whom, and its SHA-256.
    Published {
        id: i64,
        /// "12 June 2017"
        on: String,
        by: String,
        sha256: String,
    },
    /// A report not yet published, for Business Improvement, with the button that publishes
    /// it (through `publish`, the server function's address) and the problem its last try
    /// met, if any.
    Draft {
        id: i64,
        publish: &'static str,
        problem: Option<String>,
        /// What the report lacks (see `ReportContent::gaps`); empty when nothing is missing.
        gaps: Vec<String>,
    },
    /// The quarterly update for members, from the live data.
    Live { slug: String },
}

impl Bar {
    /// The words the running header prints beside the report's title.
    fn running(&self) -> String {
        match self {
            Bar::Published { sha256, .. } => format!("SHA-256 {sha256}"),
            Bar::Draft { .. } => "Draft – not yet published".into(),
            Bar::Live { .. } => "As the figures stand today".into(),
        }
    }
}

/// The whole page, as HTML: `article` is the report document's HTML, placed as it is; the
/// site's `stylesheet` is left out for a published report that carries its own styles.
pub fn render(stylesheet: Option<String>, title: String, bar: Bar, article: String) -> String {
    Owner::new().with(|| view! { <ReportPage stylesheet title bar article /> }.to_html())
}

#[component]
fn ReportPage(
    stylesheet: Option<String>,
    title: String,
    bar: Bar,
    article: String,
) -> impl IntoView {
    let running = format!("{title} · {}", bar.running());
    view! {
        <Frame stylesheet title>
            <header class="report-bar" role="banner">
                <div class="width-container">
                    <BackLinks />
                    <BarContent bar />
                    <p class="hint">"To print the report or save it as a PDF, use your browser's Print command: the navigation is left out and each page carries the report's title."</p>
                </div>
            </header>
            <main id="main-content" class="width-container" tabindex="-1">
                <table class="report-layout" role="presentation">
                    <thead><tr><td><div class="report-running-header">{running}</div></td></tr></thead>
                    <tbody><tr><td inner_html=article></td></tr></tbody>
                </table>
            </main>
        </Frame>
    }
}

/// The document around a report page: its head, and a link past the bar to the report.
#[component]
fn Frame(stylesheet: Option<String>, title: String, children: Children) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en-GB">
            <head>
                <PageHead stylesheet />
                <title>{title_text(&title, "")}</title>
            </head>
            <body class="report-page">
                <a href="#main-content" class="skip-link">"Skip to the report"</a>
                {children()}
            </body>
        </html>
    }
}

#[component]
fn BackLinks() -> impl IntoView {
    view! {
        <p class="body">
            <a class="link" href="/reports">"Back to the archive of reports"</a>
            " · "
            <a class="link" href="/">"Hexplan"</a>
        </p>
    }
}

/// The page that says a report cannot be found (or may not be read by this person).
pub fn missing(stylesheet: String) -> String {
    let title = "Report not found".to_string();
    Owner::new().with(|| {
        view! {
            <Frame stylesheet=Some(stylesheet) title=title.clone()>
                <header class="report-bar" role="banner">
                    <div class="width-container"><BackLinks /></div>
                </header>
                <main id="main-content" class="width-container" tabindex="-1">
                    <h1 class="heading-xl">{title}</h1>
                    <p class="body">"There is no report at this address. It may have been a draft that was never published, or the address may be mistyped: reports published to Cabinet are all listed in the archive."</p>
                    <p class="body"><a class="link" href="/reports">"Go to the archive of reports"</a></p>
                </main>
            </Frame>
        }
        .to_html()
    })
}

#[component]
fn BarContent(bar: Bar) -> impl IntoView {
    match bar {
        Bar::Published { id, on, by, sha256 } => view! {
            <p class="body">{format!("Published on {on} by {by}. This is the report exactly as published; later changes to values, targets or indicators do not change it.")}</p>
            <p class="body">"SHA-256 of the report: "<code class="hash">{sha256}</code></p>
            <p class="body">
                "Download "
                <a class="link" href=format!("/reports/{id}/report.html") download>"the report exactly as published (HTML)"</a>
                ", whose SHA-256 is the one above, and "
                <a class="link" href=format!("/reports/{id}/appendices.xlsx") download>"its appendices (XLSX)"</a>
                "."
            </p>
        }
        .into_any(),
        Bar::Draft {
            id,
            publish,
            problem,
            gaps,
        } => {
            let gaps_empty = gaps.is_empty();
            view! {
            {problem.map(|problem| view! {
                <div class="error-summary" role="alert">
                    <h2 class="error-summary__title">"There is a problem"</h2>
                    <p class="error-summary__body">{problem}</p>
                </div>
            })}
            <div class="panel panel--warning">
                <h2 class="heading-m">"Draft"</h2>
                <p class="body">"This report is not yet published: its figures follow the data as it changes. Publishing freezes it in the archive for good, exactly as it then reads, and records who published it."</p>
                {if gaps.is_empty() {
                    view! { <p class="body">"Nothing is missing: its quarters are closed for returns, every indicator has its value and every outcome its achievements."</p> }.into_any()
                } else {
                    view! {
                        <h3 class="heading-s" id="report-gaps">"Before you publish: this report is not complete"</h3>
                        <ul class="list list--bullet" aria-labelledby="report-gaps">
                            {gaps.into_iter().map(|gap| view! { <li>{gap}</li> }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <form method="post" action=publish class="form">
                    <input type="hidden" name="id" value=id />
                    {(!gaps_empty).then(|| view! {
                        <div class="form-group">
                            <label class="label" for="publish-reason">"Reason to publish it anyway"</label>
                            <p class="hint" id="publish-reason-hint">"Required while something is missing. Recorded in the audit trail with what was missing, your name and the date."</p>
                            <textarea class="input input--wide textarea" id="publish-reason" name="reason" rows="3" maxlength="500" required aria-describedby="publish-reason-hint"></textarea>
                        </div>
                    })}
                    <button type="submit" class="button">{if gaps_empty { "Publish the report" } else { "Publish it anyway" }}</button>
                </form>
                <p class="body"><a class="link" href=format!("/reports/{id}/appendices.xlsx") download>"Download the draft's appendices (XLSX)"</a></p>
            </div>
            }
            .into_any()
        }
        Bar::Live { slug } => view! {
            <p class="body">"This quarterly update shows the figures as they stand now, so it changes as values are entered and corrected. Reports published to Cabinet, frozen as published, are in the archive."</p>
            <p class="body"><a class="link" href=format!("/reports/quarter/{slug}/appendices.xlsx") download>"Download its appendices (XLSX)"</a></p>
        }
        .into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_escapes_what_people_typed_and_keeps_the_document_as_it_is() {
        let html = render(
            Some("/pkg/hexplan.css".into()),
            "Cabinet <report>".into(),
            Bar::Published {
                id: 7,
                on: "12 June 2017".into(),
                by: "Ann <b>Smith</b>".into(),
                sha256: "ab12".into(),
            },
            "<article class=\"report\"><h1>Report</h1></article>".into(),
        );
        assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
        assert!(html.contains("Cabinet &lt;report&gt; – Hexplan"), "{html}");
        assert!(html.contains("by Ann &lt;b&gt;Smith&lt;/b&gt;"), "{html}");
        assert!(html.contains("<article class=\"report\"><h1>Report</h1></article>"));
        assert!(html.contains("SHA-256 ab12"));
        assert!(html.contains("href=\"/reports/7/report.html\""));
        assert!(html.contains("rel=\"stylesheet\""));
    }

    #[test]
    fn a_draft_offers_publishing_and_says_what_went_wrong() {
        let html = render(
            Some("/pkg/hexplan.css".into()),
            "Draft".into(),
            Bar::Draft {
                id: 3,
                publish: "/api/publish-report",
                problem: Some("The quarter is <still> open".into()),
                gaps: vec!["2017/18 Q3 is still open for returns".into()],
            },
            String::new(),
        );
        assert!(html.contains("action=\"/api/publish-report\""), "{html}");
        assert!(html.contains("The quarter is &lt;still&gt; open"), "{html}");
        assert!(html.contains("<li>2017/18 Q3 is still open for returns</li>"));
        assert!(html.contains("Reason to publish it anyway") && html.contains("Publish it anyway"));
        assert!(html.contains("Draft – not yet published"));
    }

    #[test]
    fn a_missing_report_says_so_in_a_page_of_the_site() {
        let html = missing("/pkg/hexplan.css".into());
        assert!(
            html.contains("<h1 class=\"heading-xl\">Report not found</h1>"),
            "{html}"
        );
        assert!(html.contains("href=\"/pkg/hexplan.css\""), "{html}");
    }
}
