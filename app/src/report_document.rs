//! A report to Cabinet as a document: for each theme and outcome, the indicators with their
//! targets, values for the period, status, trend and commentary, the achievements and
//! impacts, a summary of statuses and a chart per outcome. Rendered once to HTML when
//! published, and kept byte for byte; its appendices are the same rows as a workbook.

use crate::domain::format::maybe_value;
use crate::domain::table::{Cell, Table};
use crate::domain::{Council, Quarter, Status, StatusCounts, Trend, Unit};
use crate::model::reports::ReportPeriod;
use leptos::prelude::*;

/// One indicator's row for one council.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportRow {
    pub code: String,
    pub title: String,
    pub council: Council,
    pub unit: Unit,
    /// One per quarter of the period, oldest first.
    pub values: Vec<Option<f64>>,
    pub target: Option<f64>,
    pub status: Status,
    pub trend: Option<Trend>,
    pub commentary: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ReportOutcome {
    pub title: String,
    pub achievements: String,
    pub impacts: String,
    pub rows: Vec<ReportRow>,
}

impl ReportOutcome {
    pub fn counts(&self) -> StatusCounts {
        let mut counts = StatusCounts::default();
        for row in &self.rows {
            counts.add(row.status);
        }
        counts
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ReportTheme {
    pub title: String,
    pub scope_note: Option<String>,
    pub outcomes: Vec<ReportOutcome>,
}

impl ReportTheme {
    pub fn counts(&self) -> StatusCounts {
        let mut counts = StatusCounts::default();
        for outcome in &self.outcomes {
            counts.merge(outcome.counts());
        }
        counts
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ReportContent {
    /// The line above the title: the plan's header and its title.
    pub cover: String,
    pub period: ReportPeriod,
    /// The days it covers, by the plan's year: "1 April to 30 September 2017".
    pub dates: String,
    /// "Published on 26 November 2026 by Claire Whitby", or "Draft, generated on …".
    pub provenance: String,
    pub themes: Vec<ReportTheme>,
    /// The map at the end of the period, every council, as SVG markup for print.
    pub map: String,
}

impl ReportContent {
    /// What the report lacks, in words, for whoever is about to publish it for good: quarters
    /// still open for returns (`open`), values missing for its last quarter, and, for a
    /// half-year's report, outcomes without achievements. Nothing missing: empty.
    pub fn gaps(&self, open: &[Quarter]) -> Vec<String> {
        let last = self.period.last();
        let mut gaps: Vec<String> = self
            .period
            .quarters()
            .into_iter()
            .filter(|q| open.contains(q))
            .map(|q| format!("{q} is still open for returns, so its values may still change"))
            .collect();
        let outcomes: Vec<&ReportOutcome> = self.themes.iter().flat_map(|t| &t.outcomes).collect();
        let rows: Vec<&ReportRow> = outcomes.iter().flat_map(|o| &o.rows).collect();
        let tally = crate::model::returns::Tally {
            label: String::new(),
            entered: rows
                .iter()
                .filter(|r| r.values.last().copied().flatten().is_some())
                .count(),
            due: rows.len(),
        };
        if tally.entered < tally.due {
            gaps.push(format!(
                "{} of {} indicator values for {last} are missing ({} % complete)",
                tally.due - tally.entered,
                tally.due,
                tally.percent()
            ));
        }
        // Achievements are written for each half-year, so only a half-year's report lacks them.
        let half_yearly = matches!(self.period, ReportPeriod::Half(_));
        let without = outcomes
            .iter()
            .filter(|o| o.achievements.trim().is_empty())
            .count();
        if half_yearly && without > 0 {
            gaps.push(format!(
                "{without} of {} outcomes have no achievements written for {}",
                outcomes.len(),
                self.period.half()
            ));
        }
        gaps
    }
}

/// The site's styles as this build has them, stored with every report it publishes, so an
/// archived report reads as it did whatever the site's styles become.
const STYLES: &str = include_str!("../../style/main.css");

/// A report as published: its styles, then the report, one document whose SHA-256 describes
/// what people see.
pub fn frozen(content: &ReportContent) -> String {
    format!("<style>{STYLES}</style>{}", render(content))
}

/// The styles a published document carries (none for one published before they were stored).
pub fn frozen_styles(document: &str) -> Option<&str> {
    document
        .strip_prefix("<style>")
        .and_then(|rest| rest.split_once("</style>"))
        .map(|(styles, _)| styles)
}

/// The report as HTML: an `<article>` to sit inside a page.
pub fn render(content: &ReportContent) -> String {
    let content = content.clone();
    Owner::new().with(|| view! { <ReportArticle content /> }.to_html())
}

fn status_cells(counts: StatusCounts) -> impl IntoView {
    Status::ALL
        .into_iter()
        .map(|status| view! { <td class="numeric">{counts.get(status)}</td> })
        .collect_view()
}

/// A bar per status, with the counts in words beside it: the chart of an outcome.
fn status_chart(title: &str, counts: StatusCounts) -> impl IntoView {
    let total = counts.total().max(1) as f64;
    let mut x = 0.0;
    let bars: String = Status::ALL
        .into_iter()
        .filter(|s| counts.get(*s) > 0)
        .map(|status| {
            let width = 300.0 * f64::from(counts.get(status)) / total;
            let bar = format!(
                r#"<rect class="report-chart__{}" x="{x:.1}" y="0" width="{width:.1}" height="18"></rect>"#,
                status.code()
            );
            x += width;
            bar
        })
        .collect();
    let words = counts.describe();
    view! {
        <figure class="report-chart">
            <svg class="report-chart__bar" viewBox="0 0 300 18" width="300" height="18" role="img"
                aria-label=format!("Statuses of the indicators of {title}: {words}") inner_html=bars></svg>
            <figcaption class="report-chart__caption">{words}</figcaption>
        </figure>
    }
}

#[component]
fn ReportArticle(content: ReportContent) -> impl IntoView {
    let period = content.period;
    let quarters = period.quarters();
    let mut overall = StatusCounts::default();
    for theme in &content.themes {
        overall.merge(theme.counts());
    }
    let summary_rows = content
        .themes
        .iter()
        .map(|theme| view! { <tr><th scope="row">{theme.title.clone()}</th>{status_cells(theme.counts())}</tr> })
        .collect_view();
    view! {
        <article class="report">
            <header class="report__cover">
                <p class="report__council">{content.cover.clone()}</p>
                <h1 class="heading-xl">{period.title()}</h1>
                <p class="body">{content.dates.clone()}</p>
                <p class="hint">{content.provenance.clone()}</p>
            </header>
            <nav class="report__contents" aria-labelledby="report-contents">
                <h2 class="heading-m" id="report-contents">"Contents"</h2>
                <ol>
                    <li><a class="link" href="#report-summary">"Summary of statuses by theme"</a></li>
                    <li><a class="link" href="#report-map">{format!("The plan on the map, {}", period.last())}</a></li>
                    {content.themes.iter().enumerate().map(|(n, theme)| view! {
                        <li><a class="link" href=format!("#report-theme-{}", n + 1)>{theme.title.clone()}</a></li>
                    }).collect_view()}
                </ol>
            </nav>
            <section class="report__summary" id="report-summary">
                <h2 class="heading-l">"Summary of statuses by theme"</h2>
                <p class="body">{format!("At the end of {}: {}.", period.last(), overall.describe())}</p>
                <div class="table-scroll" role="region" aria-label="Summary of statuses by theme" tabindex="0">
                <table class="table">
                    <caption class="table__caption">{format!("Indicator values by status, {}", period.last())}</caption>
                    <thead><tr><th scope="col">"Theme"</th>{Status::ALL.into_iter().map(|s| view! { <th scope="col" class="numeric">{s.label()}</th> }).collect_view()}</tr></thead>
                    <tbody>
                        {summary_rows}
                        <tr class="report__total"><th scope="row">"All themes"</th>{status_cells(overall)}</tr>
                    </tbody>
                </table>
                </div>
            </section>
            <section class="report__map" id="report-map">
                <h2 class="heading-l">{format!("The plan on the map, {}", period.last())}</h2>
                <p class="body">"Each hexagon is an output, coloured and marked with the commonest status of its indicators (the worst council's for each), numbered by its outcome under its theme. The tables that follow give the same figures."</p>
                <figure class="report__map-figure" inner_html=content.map.clone()></figure>
            </section>
            {content.themes.into_iter().enumerate().map(|(n, theme)| view! {
                <section class="report__theme" id=format!("report-theme-{}", n + 1)>
                    <h2 class="heading-l">{theme.title.clone()}</h2>
                    {theme.scope_note.clone().map(|note| view! { <p class="inset">{note}</p> })}
                    <p class="body">{format!("Statuses: {}.", theme.counts().describe())}</p>
                    {theme.outcomes.into_iter().map(|outcome| {
                        let chart = status_chart(&outcome.title, outcome.counts());
                        view! {
                            <section class="report__outcome">
                                <h3 class="heading-m">{format!("Outcome: {}", outcome.title)}</h3>
                                {chart}
                                <h4 class="heading-s">"Achievements"</h4>
                                <p class="body">{if outcome.achievements.is_empty() { "None recorded.".to_string() } else { outcome.achievements.clone() }}</p>
                                <h4 class="heading-s">"Impacts"</h4>
                                <p class="body">{if outcome.impacts.is_empty() { "None recorded.".to_string() } else { outcome.impacts.clone() }}</p>
                                {if outcome.rows.is_empty() {
                                    view! { <p class="body">"No indicators reported for this outcome in the period."</p> }.into_any()
                                } else {
                                    view! { <IndicatorRows title=outcome.title.clone() rows=outcome.rows.clone() quarters=quarters.clone() /> }.into_any()
                                }}
                            </section>
                        }
                    }).collect_view()}
                </section>
            }).collect_view()}
        </article>
    }
}

#[component]
fn IndicatorRows(
    title: String,
    rows: Vec<ReportRow>,
    quarters: Vec<crate::domain::Quarter>,
) -> impl IntoView {
    let caption = format!("Indicators of {title}");
    let region = caption.clone();
    view! {
        <div class="table-scroll" role="region" aria-label=region tabindex="0">
            <table class="table report__indicators">
                <caption class="table__caption">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Indicator"</th>
                        <th scope="col">"Council"</th>
                        {quarters.iter().map(|q| view! { <th scope="col" class="numeric">{q.to_string()}</th> }).collect_view()}
                        <th scope="col" class="numeric">"Target"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Trend"</th>
                        <th scope="col">"Commentary"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| view! {
                        <tr>
                            <th scope="row">{format!("{} {}", row.code, row.title)}</th>
                            <td>{row.council.name().to_string()}</td>
                            {row.values.iter().map(|v| view! { <td class="numeric">{maybe_value(*v, row.unit)}</td> }).collect_view()}
                            <td class="numeric">{maybe_value(row.target, row.unit)}</td>
                            <td><span class=format!("report__status report__status--{}", row.status.code())><span aria-hidden="true">{row.status.symbol()}" "</span>{row.status.label()}</span></td>
                            <td>{row.trend.map_or("No earlier value", |t| t.label())}</td>
                            <td>{row.commentary.clone()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The appendices: every indicator row of the report, and the summary of statuses.
pub fn appendices(content: &ReportContent) -> Vec<Table> {
    let quarters = content.period.quarters();
    let names = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
    let mut columns = names(&["Theme", "Outcome", "Indicator", "Title", "Council"]);
    columns.extend(quarters.iter().map(|q| format!("Value {q}")));
    columns.extend(names(&["Target", "Status", "Trend", "Commentary"]));
    let mut rows = Vec::new();
    let mut summary = Vec::new();
    for theme in &content.themes {
        let counts = theme.counts();
        let mut line = vec![Cell::text(&theme.title)];
        line.extend(
            Status::ALL
                .into_iter()
                .map(|s| Cell::Number(f64::from(counts.get(s)), Unit::Count)),
        );
        summary.push(line);
        for outcome in &theme.outcomes {
            for row in &outcome.rows {
                let mut cells = vec![
                    Cell::text(&theme.title),
                    Cell::text(&outcome.title),
                    Cell::text(&row.code),
                    Cell::text(&row.title),
                    Cell::text(row.council.name()),
                ];
                cells.extend(row.values.iter().map(|v| Cell::number(*v, row.unit)));
                cells.extend([
                    Cell::number(row.target, row.unit),
                    Cell::text(row.status.label()),
                    Cell::text(row.trend.map_or("No earlier value", |t| t.label())),
                    Cell::text(&row.commentary),
                ]);
                rows.push(cells);
            }
        }
    }
    vec![
        Table {
            sheet: "Indicators".into(),
            columns,
            rows,
        },
        Table {
            sheet: "Statuses by theme".into(),
            columns: std::iter::once("Theme".to_string())
                .chain(Status::ALL.into_iter().map(|s| s.label().to_string()))
                .collect(),
            rows: summary,
        },
    ]
}
