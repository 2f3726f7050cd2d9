//! `/returns/completeness`: Business Improvement sees which returns are in, per theme and per
//! data owner, opens, closes and reopens quarters, and reminds data owners who are late.
//! `/returns/imports/{id}`: what became of a spreadsheet upload.

use super::returns::period_label;
use crate::api::returns::{
    get_completeness, get_import, Completeness, ImportOutcome, SendReminders, SetReturnPeriod,
    Tally,
};
use crate::components::form::{returned_error, ErrorSummary, Field, Input, PostForm, ReasonField};
use crate::components::problems::{problems_summary, ProblemTable};
use crate::domain::period::format_iso_date;
use crate::domain::returns::ReturnState;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CompletenessPage() -> impl IntoView {
    let query = use_query_map();
    let period = Memo::new(move |_| query.read().get("period"));
    let completeness = Resource::new(move || period.get(), get_completeness);
    view! {
        <Title text="Completeness of returns" />
        {super::loaded(completeness, "Loading…", |completeness| view! { <CompletenessView completeness /> }.into_any())}
    }
}

fn state_tag(state: ReturnState) -> impl IntoView {
    let class = match state {
        ReturnState::Entered => "tag tag--green",
        ReturnState::Missing => "tag tag--grey",
        ReturnState::DueSoon => "tag tag--amber",
        ReturnState::Late => "tag tag--red",
    };
    view! { <strong class=class>{state.label()}</strong> }
}

#[component]
fn TallyCells(tally: Tally) -> impl IntoView {
    view! {
        <td class="numeric">{tally.entered}</td>
        <td class="numeric">{tally.due}</td>
        <td class="numeric">{format!("{} %", tally.percent())}</td>
    }
}

#[component]
fn CompletenessView(completeness: Completeness) -> impl IntoView {
    let Completeness {
        period,
        periods,
        overall,
        themes,
        owners,
        next,
        can_email,
    } = completeness;
    let Some(period) = period else {
        return view! {
            <h1 class="heading-xl">"Completeness of returns"</h1>
            <p class="body">"No quarter has been opened for returns yet. Open the first once the plan's indicators have their data owners: each data owner then sees the quarter on My returns."</p>
            <OpenQuarter next />
        }
        .into_any();
    };
    let slug = period.quarter.slug();
    let period_error = returned_error(SetReturnPeriod::PATH);
    let (close_error, reason_error) = (period_error.clone(), period_error);
    let reminder_error = returned_error(SendReminders::PATH);
    let reminded = use_query_map().get_untracked().get("reminded");
    let late: Vec<_> = owners
        .iter()
        .filter(|o| o.state.needs_reminder())
        .cloned()
        .collect();
    let (action, button) = if period.closed {
        ("reopen", "Reopen the quarter")
    } else {
        ("close", "Close the quarter")
    };
    view! {
        <span class="caption">{period_label(&period)}</span>
        <h1 class="heading-xl">"Completeness of returns"</h1>
        <nav class="period-links" aria-label="Quarters">
            <p class="body">"Quarters opened for returns: "
                {periods.iter().take(8).map(|p| {
                    let current = (p.quarter == period.quarter).then_some("page");
                    view! { <a class="link" aria-current=current href=format!("/returns/completeness?period={}", p.quarter.slug())>{p.quarter.to_string()}</a>" " }
                }).collect_view()}
            </p>
        </nav>
        <p class="body">
            <strong>{format!("{} of {} indicators due in {} have all their values ({} %).", overall.entered, overall.due, period.quarter, overall.percent())}</strong>
            {format!(" The deadline {} {}. ", if period.closed { "was" } else { "is" }, period.deadline)}
            {if period.closed { "The quarter is closed: no more values can be entered until it is reopened." } else { "The quarter is open for returns." }}
        </p>

        <h2 class="heading-l">"By theme"</h2>
        <div class="table-scroll" role="region" aria-labelledby="themes-caption" tabindex="0">
            <table class="table">
                <caption class="table__caption" id="themes-caption">{format!("Indicators with all their values for {}, by theme", period.quarter)}</caption>
                <thead><tr><th scope="col">"Theme"</th><th scope="col" class="numeric">"Entered"</th><th scope="col" class="numeric">"Due"</th><th scope="col" class="numeric">"Complete"</th></tr></thead>
                <tbody>
                    {themes.into_iter().map(|tally| view! { <tr><th scope="row">{tally.label.clone()}</th><TallyCells tally /></tr> }).collect_view()}
                </tbody>
            </table>
        </div>

        <h2 class="heading-l">"By data owner"</h2>
        <div class="table-scroll" role="region" aria-labelledby="owners-caption" tabindex="0">
            <table class="table">
                <caption class="table__caption" id="owners-caption">{format!("Returns for {}, by data owner", period.quarter)}</caption>
                <thead><tr><th scope="col">"Data owner"</th><th scope="col" class="numeric">"Entered"</th><th scope="col" class="numeric">"Due"</th><th scope="col" class="numeric">"Complete"</th><th scope="col">"State"</th><th scope="col">"Missing"</th></tr></thead>
                <tbody>
                    {owners.into_iter().map(|owner| view! {
                        <tr>
                            <th scope="row"><a class="link" href=format!("/returns?period={slug}&owner={}", owner.owner.id)>{owner.owner.label.clone()}</a></th>
                            <TallyCells tally=owner.tally.clone() />
                            <td>{state_tag(owner.state)}</td>
                            <td>
                                {owner.missing.iter().map(|(indicator, councils)| view! {
                                    <a class="link" href=format!("/indicators/{}", indicator.id)>{indicator.label.clone()}</a>
                                    {format!(" ({})", councils.iter().map(|c| c.name()).collect::<Vec<_>>().join(", "))}
                                    <br />
                                }).collect_view()}
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>

        <h2 class="heading-l" id="reminders">"Reminders"</h2>
        <ErrorSummary error=reminder_error />
        {reminded.map(|n| view! { <div class="panel panel--confirmation" role="status"><p class="body">{format!("Reminders sent to {n} data owners.")}</p></div> })}
        {if late.is_empty() {
            view! { <p class="body">"No data owner is late or near the deadline."</p> }.into_any()
        } else {
            view! {
                <p class="body">{format!("{} data owners have values missing within a week of the deadline or after it:", late.len())}</p>
                <ul class="list list--wrap">
                    {late.iter().map(|o| view! { <li>{format!("{} ({}): {} of {} entered, {}", o.owner.label, o.email, o.tally.entered, o.tally.due, o.state.label().to_lowercase())}</li> }).collect_view()}
                </ul>
                {if can_email {
                    view! {
                        <form method="post" action=SendReminders::PATH class="form">
                            <input type="hidden" name="period" value=slug.clone() />
                            <button type="submit" class="button">{format!("Email a reminder to {} data owners", late.len())}</button>
                        </form>
                    }.into_any()
                } else {
                    view! { <p class="hint">"Hexplan cannot send reminders by email here: contact each data owner at the address shown, or ask whoever runs Hexplan for your council to set up email."</p> }.into_any()
                }}
            }.into_any()
        }}

        <h2 class="heading-l">"The quarter"</h2>
        <PostForm form="period" action=SetReturnPeriod::PATH error=close_error button=button warning=!period.closed>
            <input type="hidden" name="period" value=slug.clone() />
            <input type="hidden" name="action" value=action />
            <ReasonField form="period" error=reason_error />
        </PostForm>
        <OpenQuarter next />
    }
    .into_any()
}

/// The form that opens the next quarter for returns, with its usual deadline.
#[component]
fn OpenQuarter(next: (crate::domain::Quarter, crate::domain::period::Day)) -> impl IntoView {
    let error = returned_error(SetReturnPeriod::PATH);
    view! {
        <h3 class="heading-m">{format!("Open {} for returns", next.0)}</h3>
        <PostForm form="open-period" action=SetReturnPeriod::PATH error=None button="Open the quarter">
            <input type="hidden" name="period" value=next.0.slug() />
            <input type="hidden" name="action" value="open" />
            <Field form="open-period" name="deadline" label="Deadline".to_string()
                hint="The date values are due, like 2018-04-30"
                input=Input::Text { value: next.1.iso(), max: 10 } error />
            <ReasonField form="open-period" error=None />
        </PostForm>
    }
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let outcome = super::by_id("That import", get_import);
    view! {
        <Title text="Spreadsheet upload" />
        {super::loaded(outcome, "Loading…", |outcome| view! { <ImportView outcome /> }.into_any())}
    }
}

#[component]
fn ImportView(outcome: ImportOutcome) -> impl IntoView {
    let ImportOutcome {
        file_name,
        imported_at,
        rows_read,
        rows_written,
        problems,
        ..
    } = outcome;
    view! {
        <span class="caption">{format!("Uploaded {}", format_iso_date(&imported_at))}</span>
        <h1 class="heading-xl">{format!("Upload of {file_name}")}</h1>
        {if problems.is_empty() {
            view! {
                <div class="panel panel--confirmation" role="status">
                    <h2 class="heading-m">"Saved"</h2>
                    <p class="body">{saved_summary(rows_read, rows_written)}</p>
                </div>
            }.into_any()
        } else {
            view! {
                <div class="error-summary" role="alert" tabindex="-1">
                    <h2 class="error-summary__title">"Nothing was saved"</h2>
                    <p class="error-summary__body">{problems_summary(problems.len(), "file")}</p>
                </div>
                <ProblemTable problems />
            }.into_any()
        }}
        <p class="body"><a class="link" href="/returns">"Back to my returns"</a></p>
    }
}

/// "All 1000 rows were right. 12 values were saved; 988 were already as in the file and did
/// not change."
fn saved_summary(read: usize, written: usize) -> String {
    let rows = if read == 1 {
        "The row was right.".to_string()
    } else {
        format!("All {read} rows were right.")
    };
    let saved = if written == 1 {
        "1 value was saved".to_string()
    } else {
        format!("{written} values were saved")
    };
    match read - written {
        0 => format!("{rows} {saved}."),
        1 => format!("{rows} {saved}; 1 was already as in the file and did not change."),
        unchanged => {
            format!("{rows} {saved}; {unchanged} were already as in the file and did not change.")
        }
    }
}
