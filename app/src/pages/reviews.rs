//! `/reviews` and `/reviews/{id}`: peer review sessions. Business Improvement and Assistant
//! Directors set one up (title, date, the indicators to review, who is invited); its
//! facilitator orders the agenda and changes the invitations; invited people open it.

use crate::api::reviews::{
    get_review, get_reviews, CreateReview, MoveReviewItem, ReviewPage, ReviewSummary, Reviews,
    SetInvitation,
};
use crate::api::Choice;
use crate::components::breadcrumbs::Breadcrumbs;
use crate::components::form::{returned_error, ErrorSummary, Field, Input, PostForm};
use crate::domain::period::format_iso_date;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

#[component]
pub fn ReviewsPage() -> impl IntoView {
    let reviews = Resource::new(|| (), |_| get_reviews());
    view! {
        <Title text="Peer review sessions" />
        {super::loaded(reviews, "Loading…", |reviews| view! { <SessionList reviews /> }.into_any())}
    }
}

fn state_label(state: &str) -> &'static str {
    match state {
        "live" => "Live",
        "paused" => "Paused",
        "ended" => "Ended",
        _ => "Planned",
    }
}

/// A list of sessions, each a link with its date, facilitator and size.
#[component]
pub fn SessionLinks(sessions: Vec<ReviewSummary>) -> impl IntoView {
    view! {
        <ul class="list">
            {sessions.into_iter().map(|s| view! {
                <li>
                    <a class="link" href=format!("/reviews/{}", s.id)>{s.title.clone()}</a>
                    {format!(", {} ({}), facilitated by {}, {} indicators", format_iso_date(&s.held_on), state_label(&s.state).to_lowercase(), s.facilitator, s.indicators)}
                </li>
            }).collect_view()}
        </ul>
    }
}

/// Checkboxes named `{name}[]`, one per choice, in a fieldset.
#[component]
fn Checkboxes(
    name: &'static str,
    legend: &'static str,
    hint: &'static str,
    choices: Vec<Choice>,
) -> impl IntoView {
    view! {
        <fieldset class="form-group fieldset" id=format!("create-review-{name}")>
            <legend class="label">{legend}</legend>
            <p class="hint">{hint}</p>
            <div class="checkboxes">
                {choices.into_iter().map(|c| {
                    let id = format!("{name}-{}", c.id);
                    view! {
                        <div class="checkboxes__item">
                            <input class="checkboxes__input" type="checkbox" id=id.clone() name=format!("{name}[]") value=c.id />
                            <label class="checkboxes__label" for=id>{c.label}</label>
                        </div>
                    }
                }).collect_view()}
            </div>
        </fieldset>
    }
}

/// The list of indicator codes: needed only when the session reviews a list, so not required
/// by the browser.
#[component]
fn CodesField(error: Option<crate::error::AppError>) -> impl IntoView {
    let message = error
        .filter(|e| e.field() == Some("codes"))
        .map(|e| e.to_string());
    let (described, group, invalid) = if message.is_some() {
        (
            "create-review-codes-hint create-review-codes-error",
            "form-group form-group--error",
            Some("true"),
        )
    } else {
        ("create-review-codes-hint", "form-group", None)
    };
    view! {
        <div class=group>
            <label class="label" for="create-review-codes">"Indicators"</label>
            <p class="hint" id="create-review-codes-hint">"When it reviews a list: their codes, separated by commas, like WE01, WE02, HD03"</p>
            {message.map(|message| view! { <crate::components::form::ErrorMessage id="create-review-codes-error".to_string() message /> })}
            <textarea class="input input--wide textarea" id="create-review-codes" name="codes" rows="3" maxlength="5000"
                aria-describedby=described aria-invalid=invalid></textarea>
        </div>
    }
}

#[component]
fn SessionList(reviews: Reviews) -> impl IntoView {
    let error = returned_error(CreateReview::PATH);
    let may_create = !reviews.themes.is_empty();
    view! {
        <h1 class="heading-xl">"Peer review sessions"</h1>
        <p class="body">"Cabinet members and Assistant Directors review the tracking and influencing indicators together, to make sure they monitor the delivery of the plan. Each session has a facilitator, an agenda of indicators and the people invited."</p>
        {if reviews.sessions.is_empty() {
            view! { <p class="body">"You are not invited to any session."</p> }.into_any()
        } else {
            view! { <SessionLinks sessions=reviews.sessions /> }.into_any()
        }}
        {may_create.then(|| view! {
            <h2 class="heading-l">"Set up a session"</h2>
            <p class="body">"You will facilitate it. Choose what it reviews; you can change the order of the agenda and the invitations afterwards."</p>
            <PostForm form="create-review" action=CreateReview::PATH error=error.clone() button="Set up the session">
                <Field form="create-review" name="title" label="Title".to_string()
                    hint="For example Peer review of the JSP indicators"
                    input=Input::Text { value: String::new(), max: 200 } error=error.clone() />
                <Field form="create-review" name="held_on" label="Date".to_string()
                    hint="The day it is held, like 2018-03-05"
                    input=Input::Text { value: String::new(), max: 10 } error=error.clone() />
                <Field form="create-review" name="scope" label="What it reviews".to_string()
                    input=Input::Select(vec![
                        ("plan".into(), "The whole plan".into()),
                        ("themes".into(), "The themes ticked below".into()),
                        ("indicators".into(), "The indicators listed below, in that order".into()),
                    ]) error=error.clone() />
                <Checkboxes name="themes" legend="Themes" hint="When it reviews some themes" choices=reviews.themes />
                <CodesField error=error.clone() />
                <Checkboxes name="invited" legend="Invite" hint="Cabinet members and Assistant Directors who will take part" choices=reviews.people />
            </PostForm>
        })}
    }
}

#[component]
pub fn ReviewSessionPage() -> impl IntoView {
    let review = super::by_id("That peer review session", get_review);
    super::loaded(review, "Loading…", |page| {
        view! { <Session page /> }.into_any()
    })
}

#[component]
fn Session(page: ReviewPage) -> impl IntoView {
    let ReviewPage {
        session,
        agenda,
        invited,
        may_manage,
        others,
    } = page;
    let id = session.id;
    let move_error = returned_error(MoveReviewItem::PATH);
    let invitation_error = returned_error(SetInvitation::PATH);
    let last = agenda.len() as i64;
    let mover = move |position: i64, earlier: bool, label: &str| {
        let text = if earlier { "Earlier" } else { "Later" };
        view! {
            <form method="post" action=MoveReviewItem::PATH class="agenda__move">
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="position" value=position />
                <input type="hidden" name="earlier" value=earlier.to_string() />
                <button type="submit" class="button button--secondary button--small"
                    aria-label=format!("Move {label} {}", if earlier { "earlier" } else { "later" })>{text}</button>
            </form>
        }
    };
    view! {
        <Title text=session.title.clone() />
        <Breadcrumbs trail=vec![("Peer review sessions".to_string(), "/reviews".to_string())] current=session.title.clone() />
        <span class="caption">{format!("{} · {}", format_iso_date(&session.held_on), state_label(&session.state))}</span>
        <h1 class="heading-xl">{session.title.clone()}</h1>
        <p class="body">{format!("Facilitated by {}. {} indicators to review.", session.facilitator, session.indicators)}</p>

        <h2 class="heading-l" id="agenda">"Agenda"</h2>
        <ErrorSummary error=move_error />
        <ol class="agenda">
            {agenda.into_iter().map(|item| {
                let label = item.indicator.label.clone();
                view! {
                    <li class="agenda__item">
                        <span class="agenda__label">
                            <a class="link" href=format!("/indicators/{}", item.indicator.id)>{label.clone()}</a>
                            <span class="hint">{format!(" {}", item.theme)}</span>
                        </span>
                        {(may_manage && item.position > 1).then(|| mover(item.position, true, &label))}
                        {(may_manage && item.position < last).then(|| mover(item.position, false, &label))}
                    </li>
                }
            }).collect_view()}
        </ol>

        <h2 class="heading-l" id="invited">"Invited"</h2>
        <ErrorSummary error=invitation_error />
        {if invited.is_empty() {
            view! { <p class="body">"Nobody yet."</p> }.into_any()
        } else {
            view! {
                <ul class="link-list">
                    {invited.into_iter().map(|person| view! {
                        <li class="link-list__item">
                            <span class="link-list__label">{person.label.clone()}</span>
                            {may_manage.then(|| view! {
                                <form method="post" action=SetInvitation::PATH class="link-list__form">
                                    <input type="hidden" name="id" value=id />
                                    <input type="hidden" name="person_id" value=person.id />
                                    <input type="hidden" name="invited" value="false" />
                                    <button type="submit" class="button button--secondary">"Withdraw"<span class="visually-hidden">{format!(" the invitation of {}", person.label)}</span></button>
                                </form>
                            })}
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        {(may_manage && !others.is_empty()).then(|| view! {
            <PostForm form="invite" action=SetInvitation::PATH error=None button="Invite">
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="invited" value="true" />
                <Field form="invite" name="person_id" label="Invite someone else".to_string()
                    input=Input::Select(others.into_iter().map(|p| (p.id.to_string(), p.label)).collect()) error=None />
            </PostForm>
        })}
    }
}
