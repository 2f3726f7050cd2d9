//! `/outputs/{id}`: one output (hexagon), who holds it, and its indicators.

use crate::api::outputs::{get_output, IndicatorRow, OutputPage as Output};
use crate::components::breadcrumbs::Breadcrumbs;
use crate::components::filters::{view_href, CouncilFilterLinks, PeriodPicker};
use crate::components::sparkline::Sparkline;
use crate::components::status::{StatusTag, TrendPair};
use crate::domain::{format, Lifecycle};
use crate::error::AppError;
use crate::islands::target_editor::{Judging, TargetEditor};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OutputPage() -> impl IntoView {
    let id = super::id_param();
    let query = super::view_query();
    let output = Resource::new(
        move || (id.get(), query.get()),
        |(id, (council, period))| async move {
            match id {
                Some(id) => get_output(id, council, period).await,
                None => Err(AppError::not_found("That output")),
            }
        },
    );
    super::loaded(output, "Loading the output…", |output| {
        view! { <OutputContent output /> }.into_any()
    })
}

#[component]
fn OutputContent(output: Output) -> impl IntoView {
    let path = format!("/outputs/{}", output.id);
    let home = view_href("/", &output.council, Some(output.period));
    let holders = output
        .portfolio_holders
        .iter()
        .map(|h| match &h.council {
            Some(council) => format!("{} ({}, {council})", h.name, h.portfolio),
            None => format!("{} ({})", h.name, h.portfolio),
        })
        .collect::<Vec<_>>();
    let council = output.council.clone();
    let choices = output.councils.filters();
    let period = output.period;
    let count = output.indicators.len();
    view! {
        <Title text=output.title.clone() />
        <Breadcrumbs trail=vec![(crate::session::plan_identity().caption(), home)] current=output.title.clone() />
        <span class="caption-l">{output.theme.clone()}</span>
        <h1 class="heading-xl">{output.title.clone()}</h1>
        <dl class="summary-list">
            <div class="summary-list__row">
                <dt class="summary-list__key">"Theme"</dt>
                <dd class="summary-list__value">{output.theme.clone()}</dd>
            </div>
            <div class="summary-list__row">
                <dt class="summary-list__key">"Outcome"</dt>
                <dd class="summary-list__value">{output.outcome.clone()}</dd>
            </div>
            <div class="summary-list__row">
                <dt class="summary-list__key">"Portfolio Holders"</dt>
                <dd class="summary-list__value">
                    <ul class="list">{holders.into_iter().map(|h| view! { <li>{h}</li> }).collect_view()}</ul>
                </dd>
            </div>
        </dl>
        <div class="filters">
            <CouncilFilterLinks path=path.clone() choices council=council.clone() period=Some(period) />
            <PeriodPicker path council=council.clone() period periods=output.periods.clone() />
        </div>
        <h2 class="heading-l">{format!("Indicators for {period}")}</h2>
        {if count == 0 {
            view! {
                <p class="inset">"This output has no indicators yet. They will appear here once they are confirmed with the Portfolio Holders."</p>
            }
                .into_any()
        } else {
            view! {
                <IndicatorTable rows=output.indicators council=council period=period />
                <crate::components::downloads::Downloads path=format!("/outputs/{}/values", output.id) what="every value of these indicators" />
            }.into_any()
        }}
        {output.may_propose.then(|| view! {
            <p class="body">
                <a class="button button--secondary" href=format!("/outputs/{}/propose", output.id)>"Propose a new indicator for this output"</a>
            </p>
        })}
    }
}

#[component]
fn IndicatorTable(
    rows: Vec<IndicatorRow>,
    council: crate::domain::CouncilFilter,
    period: crate::domain::Quarter,
) -> impl IntoView {
    view! {
        <div class="table-scroll" role="region" aria-labelledby="indicator-table-caption" tabindex="0">
            <table class="table indicator-table">
                <caption class="table__caption" id="indicator-table-caption">
                    {format!("Indicators of this output, latest values for {period}")}
                </caption>
                <thead>
                    <tr>
                        <th scope="col">"Code"</th>
                        <th scope="col">"Indicator"</th>
                        <th scope="col">"Kind"</th>
                        <th scope="col">"Council"</th>
                        <th scope="col" class="numeric">"Value"</th>
                        <th scope="col">"Target and status"</th>
                        <th scope="col">"Trend"</th>
                        <th scope="col">"Last 8 quarters"</th>
                        <th scope="col">"Data owner"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|row| {
                            let span = row.readings.len().max(1);
                            let href = view_href(&format!("/indicators/{}", row.id), &council, Some(period));
                            let proposed = row.lifecycle == Lifecycle::Proposed;
                            let mut readings = row.readings.clone().into_iter();
                            let first = readings.next();
                            let (polarity, cumulative) = (row.polarity, row.cumulative);
                            let reading_cells = move |r: Option<crate::api::outputs::CouncilReading>, unit| match r {
                                Some(r) => view! {
                                    <td>{r.council.name().to_string()}</td>
                                    <td class="numeric">{format::maybe_value(r.reading.value, unit)}</td>
                                    <td>{target_cell(&r, unit, polarity, cumulative)}</td>
                                    <td><TrendPair trends=r.reading.trends /></td>
                                    <td><Sparkline points=r.recent /></td>
                                }
                                .into_any(),
                                None => view! { <td colspan="5">"No values yet"</td> }.into_any(),
                            };
                            view! {
                                <tr class="indicator-table__first">
                                    <td rowspan=span>{row.code.clone()}</td>
                                    <th scope="row" rowspan=span>
                                        <a href=href class="link">{row.title.clone()}</a>
                                        {proposed.then(|| view! { <span class="tag tag--grey tag--small">"To be confirmed by leaders"</span> })}
                                    </th>
                                    <td rowspan=span>{row.kind.label()}</td>
                                    {reading_cells(first, row.unit)}
                                    <td rowspan=span>{row.data_owner.clone().unwrap_or_else(|| "Not assigned".into())}</td>
                                </tr>
                                {readings
                                    .map(|r| view! { <tr>{reading_cells(Some(r), row.unit)}</tr> })
                                    .collect_view()}
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The quarter's target and status; an editor instead when the person viewing may amend it.
fn target_cell(
    reading: &crate::api::outputs::CouncilReading,
    unit: crate::domain::Unit,
    polarity: crate::domain::Polarity,
    cumulative: bool,
) -> AnyView {
    match &reading.editable {
        Some(target) => view! {
            <TargetEditor
                target=target.clone()
                judging=Judging {
                    quarter: reading.reading.quarter,
                    value: reading.reading.value,
                    quarterly_target: reading.quarterly_target,
                    polarity,
                    cumulative,
                }
            />
        }
        .into_any(),
        None => view! {
            <span class="target-editor__target">{format::maybe_value(reading.reading.target, unit)}</span>
            " "
            <StatusTag status=reading.reading.status />
        }
        .into_any(),
    }
}
