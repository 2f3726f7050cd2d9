//! `/reviews/{id}/summary`: a peer review session afterwards, every indicator with its
//! verdicts and what was agreed, printable and downloadable; and Business Improvement's form
//! that makes each agreed change.

use super::reviews::change_label;
use crate::api::reviews::{ActOnOutcome, Agreed};
use crate::components::breadcrumbs::Breadcrumbs;
use crate::components::form::{returned_error, ErrorSummary, Field, Input, PostForm};
use crate::domain::review::Verdict;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

#[component]
pub fn ReviewSummaryPage() -> impl IntoView {
    let summary = super::by_id(
        "That peer review session",
        crate::api::reviews::get_review_summary,
    );
    super::loaded(summary, "Loading…", |outcomes| {
        view! { <Outcomes outcomes /> }.into_any()
    })
}

#[component]
fn Outcomes(outcomes: crate::api::reviews::SessionOutcomes) -> impl IntoView {
    let session = outcomes.session;
    let base = format!("/reviews/{}/summary", session.id);
    let query = leptos_router::hooks::use_query_map().get_untracked();
    let chosen = query.get("act").and_then(|a| a.parse::<i64>().ok());
    let act_error = returned_error(ActOnOutcome::PATH);
    let acting = outcomes
        .lines
        .iter()
        .find(|line| Some(line.indicator.id) == chosen && line.pending.is_some())
        .cloned();
    let id = session.id;
    view! {
        <Title text=format!("Summary: {}", session.title) />
        <Breadcrumbs
            trail=vec![
                ("Peer review sessions".to_string(), "/reviews".to_string()),
                (session.title.clone(), format!("/reviews/{}", session.id)),
            ]
            current="Summary".to_string() />
        <span class="caption">{format!("{} · {}", session.held_on, session.state.label())}</span>
        <h1 class="heading-xl">{format!("Summary: {}", session.title)}</h1>
        {match acting {
            Some(line) => view! { <MakeChange id line error=act_error /> }.into_any(),
            None => view! { <ErrorSummary error=act_error /> }.into_any(),
        }}
        <crate::components::downloads::Downloads path=base.clone() what="this summary" />
        <div class="table-scroll" role="region" aria-labelledby="summary-caption" tabindex="0">
            <table class="table">
                <caption class="table__caption" id="summary-caption">"Every indicator reviewed, with its verdicts and what was agreed"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Indicator"</th>
                        <th scope="col">"Verdicts"</th>
                        <th scope="col">"Comments"</th>
                        <th scope="col">"Agreed outcome"</th>
                        <th scope="col">"Action owner"</th>
                        <th scope="col">"Change"</th>
                    </tr>
                </thead>
                <tbody>
                    {outcomes.lines.into_iter().map(|line| {
                        let indicator_id = line.indicator.id;
                        let agreed = line.agreed.clone();
                        view! {
                        <tr id=format!("item-{indicator_id}")>
                            <th scope="row">{format!("{}. {}", line.position, line.indicator.label)}</th>
                            <td>{line.tally.iter().filter(|(_, n)| *n > 0).map(|(v, n)| format!("{}: {n}", v.label())).collect::<Vec<_>>().join(", ")}</td>
                            <td>{line.comments.into_iter().map(|c| view! { <p class="body">{c}</p> }).collect_view()}</td>
                            <td>{match &agreed {
                                Some(a) => format!("{}{}: {}", change_label(a.change), a.value_text(), a.outcome),
                                None => "Not yet agreed".into(),
                            }}</td>
                            <td>{agreed.as_ref().and_then(|a| a.action_owner.clone()).unwrap_or_default()}</td>
                            <td>{match (&agreed, line.pending.is_some()) {
                                (Some(Agreed { acted_on: Some(changed), .. }), _) => view! {
                                    <strong class="tag tag--green">"Made"</strong>
                                    " "<a class="link" href=format!("/indicators/{changed}/history")>"In the indicator's history"</a>
                                }.into_any(),
                                (_, true) => view! {
                                    <a class="link" href=format!("{base}?act={indicator_id}#make-change")>
                                        "Make this change"<span class="visually-hidden">{format!(" to {}", line.indicator.label)}</span>
                                    </a>
                                }.into_any(),
                                (Some(a), false) if a.change != Verdict::Adequate => view! { "To be made by Business Improvement" }.into_any(),
                                _ => view! { "None" }.into_any(),
                            }}</td>
                        </tr>
                    }}).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Business Improvement's form that turns the change agreed for one indicator into a change in
/// its lifecycle.
#[component]
fn MakeChange(
    id: i64,
    line: crate::api::reviews::OutcomeLine,
    error: Option<crate::error::AppError>,
) -> impl IntoView {
    let (Some(agreed), Some(pending)) = (line.agreed, line.pending) else {
        return ().into_any();
    };
    let (button, warning) = match agreed.change {
        Verdict::Refine => ("Refine the indicator", false),
        Verdict::Replace => ("Propose the replacement", false),
        Verdict::Delete => ("Delete the indicator", true),
        _ => ("Amend the target", false),
    };
    let value = agreed
        .value
        .map(|v| crate::domain::format::number(v, 2))
        .unwrap_or_default();
    view! {
        <section class="make-change" id="make-change" aria-labelledby="make-change-heading">
            <h2 class="heading-l" id="make-change-heading">{format!("Make the agreed change to {}", line.indicator.label)}</h2>
            <p class="body">{format!("Agreed: {}", agreed.describe())}</p>
            <p class="hint">"The audit trail records the change with this session as its reason. Each agreed outcome becomes one change."</p>
            <PostForm form="make-change-form" action=ActOnOutcome::PATH error=error.clone() button warning>
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="indicator_id" value=line.indicator.id />
                {match agreed.change {
                    Verdict::Refine | Verdict::Replace => {
                        let (title, definition) = if agreed.change == Verdict::Refine {
                            (pending.title, pending.definition)
                        } else {
                            (String::new(), String::new())
                        };
                        view! {
                            <Field form="make-change-form" name="title" label=if agreed.change == Verdict::Refine { "Title".to_string() } else { "Title of the new indicator".to_string() }
                                input=Input::Text { value: title, max: 200 } error=error.clone() />
                            <Field form="make-change-form" name="definition" label="Definition".to_string()
                                input=Input::Area { value: definition, max: 2000 } error=error.clone() />
                            {(agreed.change == Verdict::Replace).then(|| view! {
                                <p class="body">"The new indicator is proposed for the same output; leaders confirm it, and the old one stays until it is deleted."</p>
                            })}
                        }.into_any()
                    }
                    Verdict::AmendTarget => view! {
                        <Field form="make-change-form" name="council" label="Target".to_string()
                            input=Input::Select(pending.targets) error=error.clone() />
                        <Field form="make-change-form" name="value" label="New target".to_string()
                            input=Input::Text { value, max: 30 } error=error.clone() />
                    }.into_any(),
                    _ => view! {
                        <p class="body">"The indicator leaves the map and the tables; its values, targets and history are kept."</p>
                    }.into_any(),
                }}
            </PostForm>
        </section>
    }
    .into_any()
}
