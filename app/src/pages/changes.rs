//! `/changes`: the change summary between two dates, as the bulletin's table; and
//! `/changes/list`: the indicators and recorded changes behind one of its numbers.

use crate::api::changes::{get_change_list, get_change_summary, ChangeList, ChangeSummary};
use crate::components::breadcrumbs::Breadcrumbs;
use crate::components::error::ErrorPanel;
use crate::components::form::ErrorMessage;
use crate::domain::change_summary::{Cell, Interval};
use crate::domain::period::format_iso_date;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn interval_query() -> Memo<(Option<String>, Option<String>)> {
    let query = use_query_map();
    Memo::new(move |_| {
        let query = query.read();
        (query.get("from"), query.get("to"))
    })
}

/// The query that asks for `interval`: "from=2017-06-12&to=2017-12-15".
fn interval_in_query(interval: Interval) -> String {
    format!("from={}&to={}", interval.from.iso(), interval.to.iso())
}

fn list_href(theme: i64, cell: Cell, interval: Interval) -> String {
    format!(
        "/changes/list?theme={theme}&cell={}&{}",
        cell.code(),
        interval_in_query(interval)
    )
}

/// "Changes after 12 June 2017 up to and including 15 December 2017"
fn interval_label(interval: Interval) -> String {
    format!(
        "Changes after {} up to and including {}",
        interval.from, interval.to
    )
}

#[component]
pub fn ChangeSummaryPage() -> impl IntoView {
    let interval = interval_query();
    let summary = Resource::new(
        move || interval.get(),
        |(from, to)| get_change_summary(from, to),
    );
    view! {
        <Title text="Change summary" />
        <Breadcrumbs trail=vec![(crate::session::plan_identity().caption(), "/".to_string())] current="Change summary".to_string() />
        <h1 class="heading-xl">"Change summary"</h1>
        <p class="lead">"New, deleted and refined indicators and amended targets for each theme between two dates, counted from the audit trail. It opens on the interval between the last two reports published to Cabinet (or from the last one to today)."</p>
        <Suspense fallback=|| view! { <p class="body">"Loading the summary…"</p> }>
            {move || Suspend::new(async move {
                let (from, to) = interval.get();
                match summary.await {
                    Ok(summary) => view! { <IntervalForm from=summary.interval.from.iso() to=summary.interval.to.iso() error=None /> <SummaryTable summary /> }.into_any(),
                    Err(AppError::Invalid { field, message }) => view! {
                        <IntervalForm from=from.unwrap_or_default() to=to.unwrap_or_default() error=Some((field, message)) />
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The two dates, with a message beside the one that is wrong.
#[component]
fn IntervalForm(from: String, to: String, error: Option<(String, String)>) -> impl IntoView {
    let message_for = |field: &str| {
        error
            .as_ref()
            .filter(|(f, _)| f == field)
            .map(|(_, m)| m.clone())
    };
    let field = |name: &'static str,
                 label: &'static str,
                 value: String,
                 message: Option<String>| {
        let error_id = format!("{name}-error");
        let described = message.is_some().then(|| error_id.clone());
        let group = if message.is_some() {
            "form-group form-group--error"
        } else {
            "form-group"
        };
        view! {
            <div class=group>
                <label class="label" for=name>{label}</label>
                {message.map(|message| view! { <ErrorMessage id=error_id message /> })}
                <input class="input input--date" type="date" id=name name=name value=value aria-describedby=described />
            </div>
        }
    };
    view! {
        <form method="get" action="/changes" class="interval-form">
            {field("from", "Changes after", from, message_for("from"))}
            {field("to", "Up to and including", to, message_for("to"))}
            <button type="submit" class="button button--secondary">"Show changes"</button>
        </form>
    }
}

#[component]
fn SummaryTable(summary: ChangeSummary) -> impl IntoView {
    let ChangeSummary { interval, rows } = summary;
    let caption = interval_label(interval);
    let csv = format!("/changes.csv?{}", interval_in_query(interval));
    view! {
        <div class="table-scroll" role="region" aria-labelledby="summary-caption" tabindex="0">
            <table class="table change-summary">
                <caption class="table__caption" id="summary-caption">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Theme/Outcome"</th>
                        <th scope="col" class="numeric">"New Indicators"</th>
                        <th scope="col" class="numeric">"Deleted Indicators"</th>
                        <th scope="col" class="numeric">"Refined Indicators"</th>
                        <th scope="col" class="numeric">"Amended Targets"</th>
                        <th scope="col" class="numeric">"Total Indicators"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|row| {
                            let link = |cell: Cell, count: u32| {
                                let href = list_href(row.theme_id, cell, interval);
                                view! { <a class="link" href=href aria-label=format!("{count} {}: {}", cell.label().to_lowercase(), row.theme)>{count}</a> }
                            };
                            let c = row.changes;
                            view! {
                                <tr>
                                    <th scope="row">
                                        {row.theme.clone()}
                                        {row.scope_note.clone().map(|note| view! { <span class="hint change-summary__note">{note}</span> })}
                                    </th>
                                    <td class="numeric">
                                        {link(Cell::New, c.new)}
                                        {(c.to_be_confirmed > 0)
                                            .then(|| view! { " + " {link(Cell::ToBeConfirmed, c.to_be_confirmed)} " (to be confirmed by leaders)" })}
                                    </td>
                                    <td class="numeric">{link(Cell::Deleted, c.deleted)}</td>
                                    <td class="numeric">{link(Cell::Refined, c.refined)}</td>
                                    <td class="numeric">{link(Cell::AmendedTargets, c.amended_targets)}</td>
                                    <td class="numeric">{link(Cell::Total, c.total)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <p class="body">
            "Total counts the indicators in force at the end date, the ones still to be confirmed by leaders included. "
            <a class="link" href=csv download>"Download this table (CSV)"</a>
        </p>
    }
}

#[component]
pub fn ChangeListPage() -> impl IntoView {
    let query = use_query_map();
    let request = Memo::new(move |_| {
        let q = query.read();
        (
            q.get("theme").and_then(|t| t.parse::<i64>().ok()),
            q.get("cell"),
            q.get("from"),
            q.get("to"),
        )
    });
    let list = Resource::new(
        move || request.get(),
        |(theme, cell, from, to)| async move {
            match (theme, cell) {
                (Some(theme), Some(cell)) => get_change_list(theme, cell, from, to).await,
                _ => Err(AppError::not_found("That part of the change summary")),
            }
        },
    );
    super::loaded(list, "Loading the changes…", |list| {
        view! { <ListContent list /> }.into_any()
    })
}

#[component]
fn ListContent(list: ChangeList) -> impl IntoView {
    let title = format!("{}: {}", list.theme, list.cell.label().to_lowercase());
    let back = format!("/changes?{}", interval_in_query(list.interval));
    let period = format!("{}.", interval_label(list.interval));
    view! {
        <Title text=title.clone() />
        <Breadcrumbs
            trail=vec![(crate::session::plan_identity().caption(), "/".to_string()), ("Change summary".to_string(), back)]
            current=title.clone()
        />
        <h1 class="heading-xl">{title}</h1>
        <p class="lead">{period}</p>
        {if list.indicators.is_empty() {
            view! { <p class="body">"No indicators."</p> }.into_any()
        } else {
            view! {
                <ol class="change-list">
                    {list
                        .indicators
                        .into_iter()
                        .map(|indicator| {
                            view! {
                                <li class="change-list__item">
                                    <h2 class="heading-s">
                                        <a class="link" href=format!("/indicators/{}", indicator.id)>{format!("{} {}", indicator.code, indicator.title)}</a>
                                    </h2>
                                    <ul class="list">
                                        {indicator
                                            .changes
                                            .into_iter()
                                            .map(|c| {
                                                let values = match (c.value_before, c.value_after) {
                                                    (Some(before), Some(after)) => format!(" From {before} to {after}."),
                                                    _ => String::new(),
                                                };
                                                view! {
                                                    <li>
                                                        {format!(
                                                            "{}, {}{}: {}.{values}",
                                                            c.kind.label(),
                                                            format_iso_date(&c.recorded_at),
                                                            c.recorded_by.map(|who| format!(" by {who}")).unwrap_or_default(),
                                                            c.reason,
                                                        )}
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
            }
            .into_any()
        }}
    }
}
