//! `/indicators/{id}`: an indicator's definition, links, chart and data table; and its
//! History tab, `/indicators/{id}/history`.

use crate::api::indicators::{
    get_indicator, get_indicator_history, Change, CouncilSeries, IndicatorPage as Indicator,
};
use crate::components::breadcrumbs::Breadcrumbs;
use crate::components::filters::{view_href, CouncilFilterLinks};
use crate::components::line_chart::StaticChart;
use crate::components::status::{StatusTag, TrendText};
use crate::islands::chart::IndicatorChart;
use crate::islands::target_editor::{Judging, TargetEditor};
use crate::model::indicators::ChartData;

/// A council's editable target with what judges it.
type Judged = (crate::api::targets::EditableTarget, Judging);
use crate::domain::period::format_iso_date;
use crate::domain::{format, Council, Lifecycle, Unit};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn IndicatorPage() -> impl IntoView {
    let id = super::id_param();
    let query = super::view_query();
    // The quarter the person came from (an output or the map shown for a past quarter) is
    // kept: the values shown are that quarter's, and the links back keep it.
    let period = Memo::new(move |_| {
        query
            .get()
            .1
            .and_then(|p| crate::domain::Quarter::parse_slug(&p))
    });
    let indicator = Resource::new(
        move || (id.get(), query.get().0),
        |(id, council)| async move {
            match id {
                Some(id) => get_indicator(id, council).await,
                None => Err(AppError::not_found("That indicator")),
            }
        },
    );
    super::loaded(indicator, "Loading the indicator…", move |indicator| {
        view! { <IndicatorContent indicator period=period.get_untracked() /> }.into_any()
    })
}

/// `/indicators/{id}/history`: every recorded change to the indicator, newest first.
#[component]
pub fn IndicatorHistoryPage() -> impl IntoView {
    let history = super::by_id("That indicator", get_indicator_history);
    super::loaded(history, "Loading the history…", |history| {
        view! {
            <Title text=format!("History – {} ({})", history.title, history.code) />
            <IndicatorHeading id=history.id code=history.code.clone() title=history.title.clone()
                lifecycle=history.lifecycle tab=Tab::History may_change=history.may_change />
            <ChangeHistory changes=history.changes />
        }
        .into_any()
    })
}

/// The tabs of an indicator's pages.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Overview,
    History,
    Manage,
}

/// The indicator's code, title and lifecycle, and the tabs between its pages; Manage only for
/// those who may change it.
#[component]
pub fn IndicatorHeading(
    id: i64,
    code: String,
    title: String,
    lifecycle: Lifecycle,
    tab: Tab,
    may_change: bool,
) -> impl IntoView {
    let tabs = [
        (Tab::Overview, "Overview", format!("/indicators/{id}")),
        (Tab::History, "History", format!("/indicators/{id}/history")),
        (Tab::Manage, "Manage", format!("/indicators/{id}/manage")),
    ];
    view! {
        <span class="caption-l">{format!("Indicator {code}")}</span>
        <h1 class="heading-xl">{title}</h1>
        {(lifecycle != Lifecycle::Active)
            .then(|| view! { <p class="inset"><strong class="tag tag--grey">{lifecycle.label()}</strong></p> })}
        <nav class="tabs" aria-label="Indicator pages">
            <ul class="tabs__list">
                {tabs
                    .into_iter()
                    .filter(|(t, ..)| *t != Tab::Manage || may_change || tab == Tab::Manage)
                    .map(|(t, label, href)| {
                        let current = (t == tab).then_some("page");
                        view! { <li class="tabs__item"><a class="tabs__tab" href=href aria-current=current>{label}</a></li> }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

#[component]
fn IndicatorContent(indicator: Indicator, period: Option<crate::domain::Quarter>) -> impl IntoView {
    let council = indicator.council.clone();
    let choices = indicator.councils.filters();
    let primary = indicator.outputs.first().cloned();
    let mut trail = vec![(
        crate::session::plan_identity().caption(),
        view_href("/", &council, period),
    )];
    if let Some(output) = &primary {
        trail.push((
            output.title.clone(),
            view_href(&format!("/outputs/{}", output.id), &council, period),
        ));
    }
    let unit = indicator.unit;
    // After the plain form of `/indicators/{id}/target`: which target was saved.
    let query = leptos_router::hooks::use_query_map().get_untracked();
    let saved = query.get("saved").and_then(|code| {
        let target = indicator
            .series
            .iter()
            .find(|s| s.council.code() == code)?
            .editable
            .clone()?;
        let year = query
            .get("year")
            .and_then(|y| y.parse().ok())
            .unwrap_or(target.year);
        let council = target.council.name();
        Some(if year == target.year {
            format!(
                "Saved: the {} target for {council} is now {}.",
                crate::domain::FinancialYear(year),
                format::maybe_value(target.value, unit)
            )
        } else {
            format!(
                "Saved: the {} target for {council}. It is on this indicator's History tab.",
                crate::domain::FinancialYear(year)
            )
        })
    });
    let calendar = crate::session::plan_identity().calendar;
    let (polarity, cumulative) = (indicator.polarity, indicator.cumulative);
    let latest: Vec<(
        Council,
        Option<crate::api::indicators::Point>,
        Option<Judged>,
    )> = indicator
        .series
        .iter()
        .map(|s| {
            // The latest value, up to the quarter asked for.
            let point = s
                .points
                .iter()
                .rev()
                .filter(|p| period.is_none_or(|q| p.reading.quarter <= q))
                .find(|p| p.reading.value.is_some())
                .cloned();
            let editor = s
                .editable
                .clone()
                .zip(point.as_ref())
                // An earlier year's value is judged against its own year's target, shown as
                // it stands; only the editable year's target is offered to change.
                .filter(|(target, point)| target.year == point.reading.quarter.year)
                .map(|(target, point)| {
                    (
                        target,
                        Judging {
                            quarter: point.reading.quarter,
                            value: point.reading.value,
                            quarterly_target: s.latest_quarterly_target,
                            polarity,
                            cumulative,
                        },
                    )
                });
            (s.council.clone(), point, editor)
        })
        .collect();
    view! {
        <Title text=format!("{} ({})", indicator.title, indicator.code) />
        <Breadcrumbs trail current=indicator.title.clone() />
        <IndicatorHeading id=indicator.id code=indicator.code.clone() title=indicator.title.clone()
            lifecycle=indicator.lifecycle tab=Tab::Overview may_change=indicator.may_change />
        <CouncilFilterLinks path=format!("/indicators/{}", indicator.id) choices council period />

        {saved.map(|line| view! {
            <div class="panel panel--confirmation" id="saved" tabindex="-1" role="status"><p class="body">{line}</p></div>
        })}
        <h2 class="heading-l" id="latest">{period.map_or_else(|| "Latest values".to_string(), |q| format!("Latest values to {q}"))}</h2>
        <ul class="latest">
            {latest
                .into_iter()
                .map(|(council, point, editor)| match point {
                    Some(point) => view! {
                        <li class="latest__item">
                            <span class="latest__council">{council.name()}</span>
                            <span class="latest__value">{format::maybe_value(point.reading.value, unit)}</span>
                            {match editor {
                                Some((target, judging)) => view! {
                                    <span class="latest__detail">{format!("{} · target and status:", point.reading.quarter)}</span>
                                    <TargetEditor target judging />
                                }
                                .into_any(),
                                None => view! {
                                    <span class="latest__detail">
                                        {format!("{} · target {}", point.reading.quarter, format::maybe_value(point.reading.target, unit))}
                                    </span>
                                    <StatusTag status=point.reading.status />
                                }
                                .into_any(),
                            }}
                        </li>
                    }
                    .into_any(),
                    None => view! {
                        <li class="latest__item">
                            <span class="latest__council">{council.name()}</span>
                            <span class="latest__detail">"No values yet"</span>
                        </li>
                    }
                    .into_any(),
                })
                .collect_view()}
        </ul>

        <h2 class="heading-l">"Values against target"</h2>
        <div class="chart-area">
            <StaticChart chart=ChartData { title: indicator.title.clone(), unit, calendar, series: indicator.series.clone() } />
            <IndicatorChart chart=ChartData { title: indicator.title.clone(), unit, calendar, series: indicator.series.clone() } />
        </div>
        {indicator.series.iter().cloned().map(|series| view! { <DataTable series unit /> }).collect_view()}
        <crate::components::downloads::Downloads path=format!("/indicators/{}/values", indicator.id) what="every value of this indicator" />

        <h2 class="heading-l">"About this indicator"</h2>
        <Details indicator=indicator.clone() />

        <h2 class="heading-l">"Commentary history"</h2>
        <CommentaryHistory series=indicator.series.clone() unit />

        <p class="body"><a class="link" href=format!("/indicators/{}/history", indicator.id)>"See every recorded change to this indicator"</a></p>
    }
}

#[component]
fn Details(indicator: Indicator) -> impl IntoView {
    let row = |key: &'static str, value: AnyView| {
        view! {
            <div class="summary-list__row">
                <dt class="summary-list__key">{key}</dt>
                <dd class="summary-list__value">{value}</dd>
            </div>
        }
    };
    let flags = if indicator.flags.is_empty() {
        "None".to_string()
    } else {
        indicator.flags.join(", ")
    };
    view! {
        <dl class="summary-list">
            {row("Definition", view! { {indicator.definition.clone()} }.into_any())}
            {row("Kind", view! { {format!("{} indicator", indicator.kind.label())} }.into_any())}
            {row("Unit", view! { {indicator.unit.label()} }.into_any())}
            {row("Polarity", view! { {indicator.polarity.label()} }.into_any())}
            {row("Frequency", view! { {if indicator.frequency == "quarterly" { "Quarterly".to_string() } else { indicator.frequency.clone() }} }.into_any())}
            {row("Cumulative", view! { {if indicator.cumulative { "Yes: each quarter's value is the year to date" } else { "No" }} }.into_any())}
            {row("Flags", view! { {flags} }.into_any())}
            {row(
                "Outputs",
                view! {
                    <ul class="list">
                        {indicator
                            .outputs
                            .clone()
                            .into_iter()
                            .map(|o| {
                                view! {
                                    <li>
                                        <a href=format!("/outputs/{}", o.id) class="link">{o.title}</a>
                                        {format!(" ({})", o.theme)}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any(),
            )}
            {row(
                "Strategic risks mitigated",
                if indicator.risks.is_empty() {
                    view! { "None" }.into_any()
                } else {
                    view! {
                        <ul class="list">
                            {indicator
                                .risks
                                .clone()
                                .into_iter()
                                .map(|r| {
                                    let level = if r.is_high() { "high risk" } else { "risk" };
                                    view! { <li>{format!("{} {} (score {}, {level})", r.code, r.title, r.score())}</li> }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                },
            )}
            {row("Data owner", view! { {indicator.data_owner.clone().unwrap_or_else(|| "Not assigned".into())} }.into_any())}
            {indicator.external_metric_id.clone().map(|id| row("External metric", view! { {id} }.into_any()))}
        </dl>
    }
}

#[component]
fn DataTable(series: CouncilSeries, unit: Unit) -> impl IntoView {
    let caption = format!(
        "{}: values against target by quarter",
        series.council.name()
    );
    let id = format!("data-{}", series.council.code());
    let labelled_by = id.clone();
    view! {
        <div class="table-scroll" role="region" aria-labelledby=labelled_by tabindex="0">
            <table class="table data-table">
                <caption class="table__caption" id=id>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Quarter"</th>
                        <th scope="col" class="numeric">"Value"</th>
                        <th scope="col" class="numeric">"Target"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Against previous quarter"</th>
                        <th scope="col">"Against a year earlier"</th>
                    </tr>
                </thead>
                <tbody>
                    {series
                        .points
                        .into_iter()
                        .rev()
                        .map(|p| {
                            view! {
                                <tr>
                                    <th scope="row">{p.reading.quarter.to_string()}</th>
                                    <td class="numeric">{format::maybe_value(p.reading.value, unit)}</td>
                                    <td class="numeric">{format::maybe_value(p.reading.target, unit)}</td>
                                    <td><StatusTag status=p.reading.status /></td>
                                    <td><TrendText trend=p.reading.trends.against_previous /></td>
                                    <td><TrendText trend=p.reading.trends.against_last_year /></td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn CommentaryHistory(series: Vec<CouncilSeries>, unit: Unit) -> impl IntoView {
    let mut entries: Vec<(
        crate::domain::Quarter,
        Council,
        crate::api::indicators::Point,
    )> = series
        .into_iter()
        .flat_map(|s| {
            let council = s.council;
            s.points
                .into_iter()
                .filter(|p| !p.commentary.is_empty())
                .map(move |p| (p.reading.quarter, council.clone(), p))
        })
        .collect();
    entries.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    if entries.is_empty() {
        return view! { <p class="body">"No commentary has been given yet."</p> }.into_any();
    }
    view! {
        <ol class="commentary-history">
            {entries
                .into_iter()
                .map(|(quarter, council, point)| {
                    view! {
                        <li class="commentary-history__item">
                            <h3 class="heading-s">{format!("{quarter} – {}", council.name())}</h3>
                            <p class="body">{point.commentary}</p>
                            <p class="hint">
                                {format!(
                                    "Value {}{}",
                                    format::maybe_value(point.reading.value, unit),
                                    point.entered_by.map(|who| format!(", entered by {who}")).unwrap_or_default()
                                )}
                            </p>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}

#[component]
fn ChangeHistory(changes: Vec<Change>) -> impl IntoView {
    if changes.is_empty() {
        return view! { <p class="body">"No changes have been recorded."</p> }.into_any();
    }
    view! {
        <div class="table-scroll" role="region" aria-labelledby="changes-caption" tabindex="0">
            <table class="table">
                <caption class="table__caption" id="changes-caption">"Recorded changes, newest first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Date"</th>
                        <th scope="col">"Change"</th>
                        <th scope="col">"What"</th>
                        <th scope="col">"By"</th>
                        <th scope="col">"Reason"</th>
                        <th scope="col">"Before"</th>
                        <th scope="col">"After"</th>
                    </tr>
                </thead>
                <tbody>
                    {changes
                        .into_iter()
                        .map(|c| {
                            view! {
                                <tr>
                                    <td>{format_iso_date(&c.recorded_at)}</td>
                                    <td>{c.kind.label()}</td>
                                    <td>{c.subject}</td>
                                    <td>{c.recorded_by.unwrap_or_default()}</td>
                                    <td>
                                        {c.reason}
                                        {c.review_session_id.map(|session| view! {
                                            " "<a class="link" href=format!("/reviews/{session}/summary")>"The peer review session"</a>
                                        })}
                                    </td>
                                    <td>{c.value_before.unwrap_or_default()}</td>
                                    <td>{c.value_after.unwrap_or_default()}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
