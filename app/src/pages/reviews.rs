//! `/reviews` and `/reviews/{id}`: peer review sessions. Business Improvement and Assistant
//! Directors set one up (title, date, the indicators to review, who is invited); its
//! facilitator orders the agenda and changes the invitations; invited people open it.

use crate::api::reviews::{
    get_review, get_reviews, AgreeOutcome, CreateReview, MoveReviewItem, RecordVerdict, ReviewPage,
    ReviewSummary, Reviews, RunReview, SetInvitation,
};
use crate::api::Choice;
use crate::components::breadcrumbs::Breadcrumbs;
use crate::components::form::{returned_error, ErrorSummary, Field, Input, PostForm};
use crate::components::sparkline::Sparkline;
use crate::components::status::StatusTag;
use crate::domain::review::{SessionState, Step, Verdict};
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

/// A list of sessions, each a link with its date, facilitator and size.
#[component]
pub fn SessionLinks(sessions: Vec<ReviewSummary>) -> impl IntoView {
    view! {
        <ul class="list">
            {sessions.into_iter().map(|s| view! {
                <li>
                    <a class="link" href=format!("/reviews/{}", s.id)>{s.title.clone()}</a>
                    {format!(", {} ({}), facilitated by {}, {} indicators", s.held_on, s.state.label().to_lowercase(), s.facilitator, s.indicators)}
                </li>
            }).collect_view()}
        </ul>
    }
}

/// Who is invited: every Cabinet member at once, or Cabinet members and Assistant Directors
/// one by one, with everyone else behind "Someone else".
#[component]
fn Invitations(leaders: Vec<Choice>, others: Vec<Choice>) -> impl IntoView {
    view! {
        <fieldset class="form-group fieldset" id="create-review-invited">
            <legend class="label">"Invite"</legend>
            <p class="hint">"Cabinet members and Assistant Directors who will take part"</p>
            <div class="checkboxes__item">
                <input class="checkboxes__input" type="checkbox" id="whole-cabinet" name="whole_cabinet" value="true" />
                <label class="checkboxes__label" for="whole-cabinet"><strong>"All Cabinet members"</strong></label>
            </div>
            <CheckboxList name="invited" choices=leaders />
            {(!others.is_empty()).then(|| view! {
                <details class="details">
                    <summary class="details__summary">"Someone else"</summary>
                    <CheckboxList name="invited" choices=others />
                </details>
            })}
        </fieldset>
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
            <CheckboxList name choices />
        </fieldset>
    }
}

/// A checkbox named `{name}[]` per choice.
#[component]
fn CheckboxList(name: &'static str, choices: Vec<Choice>) -> impl IntoView {
    view! {
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
    }
}

/// The day of the session in three boxes, day, month and year, as GOV.UK asks for dates.
#[component]
fn DateField(error: Option<crate::error::AppError>) -> impl IntoView {
    let message = error
        .filter(|e| e.field() == Some("held_on"))
        .map(|e| e.to_string());
    let invalid = message.is_some().then_some("true");
    let group = if message.is_some() {
        "form-group fieldset form-group--error"
    } else {
        "form-group fieldset"
    };
    let described_by = if message.is_some() {
        "create-review-held_on-hint create-review-held_on-error"
    } else {
        "create-review-held_on-hint"
    };
    let part = move |name: &'static str, label: &'static str, width: &'static str| {
        let id = format!("create-review-held_on-{name}");
        view! {
            <div class="date-input__item">
                <label class="label date-input__label" for=id.clone()>{label}</label>
                <input class=format!("input date-input__input {width}") id=id name=format!("held_on_{name}")
                    type="text" inputmode="numeric" aria-invalid=invalid required />
            </div>
        }
    };
    view! {
        <fieldset class=group id="create-review-held_on" aria-describedby=described_by>
            <legend class="label">"Date"</legend>
            <p class="hint" id="create-review-held_on-hint">"The day it is held, for example 5 3 2018"</p>
            {message.map(|message| view! { <crate::components::form::ErrorMessage id="create-review-held_on-error".to_string() message /> })}
            <div class="date-input">
                {part("day", "Day", "input--width-2")}
                {part("month", "Month", "input--width-2")}
                {part("year", "Year", "input--width-4")}
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
                <DateField error=error.clone() />
                <Field form="create-review" name="scope" label="What it reviews".to_string()
                    input=Input::Select(vec![
                        ("plan".into(), "The whole plan".into()),
                        ("themes".into(), "The themes ticked below".into()),
                        ("indicators".into(), "The indicators listed below, in that order".into()),
                    ]) error=error.clone() />
                <Checkboxes name="themes" legend="Themes" hint="When it reviews some themes" choices=reviews.themes />
                <CodesField error=error.clone() />
                <Invitations leaders=reviews.leaders others=reviews.others />
            </PostForm>
        })}
    }
}

#[component]
pub fn ReviewSessionPage() -> impl IntoView {
    let id = super::id_param();
    let query = leptos_router::hooks::use_query_map();
    let at = Memo::new(move |_| query.read().get("at").and_then(|a| a.parse::<i64>().ok()));
    let review = Resource::new(
        move || (id.get(), at.get()),
        |(id, at)| async move {
            match id {
                Some(id) => get_review(id, at).await,
                None => Err(crate::error::AppError::not_found(
                    "That peer review session",
                )),
            }
        },
    );
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
        current,
        discussion,
        show_names,
        participates,
        version,
        present,
    } = page;
    let live = session.state == SessionState::Live;
    let people = invited.clone();
    let id = session.id;
    let move_error = returned_error(MoveReviewItem::PATH);
    let invitation_error = returned_error(SetInvitation::PATH);
    let last = agenda.len() as i64;
    let agreed = agenda.iter().filter(|item| item.agreed.is_some()).count();
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
        <span class="caption">{format!("{} · {}", session.held_on, session.state.label())}</span>
        <h1 class="heading-xl">{session.title.clone()}</h1>
        <p class="body">
            {format!("Facilitated by {}. {} indicators to review. ", session.facilitator, session.indicators)}
            <a class="link" href=format!("/reviews/{id}/summary")>"Summary of the session"</a>
        </p>

        <p id="review-live" class="review-live" role="status" aria-live="polite"
            data-session=id data-version=version></p>
        <script src="/review-live.js" defer></script>
        <section class="present" aria-labelledby="present-heading">
            <h2 class="heading-s" id="present-heading">"Present now"</h2>
            <ul class="present__list" id="present">
                {present.into_iter().map(|name| view! { <li>{name}</li> }).collect_view()}
            </ul>
        </section>
        <div id="review-body">
        {may_manage.then(|| view! { <Controls id state=session.state current length=last agreed show_names /> })}
        // A verdict refused when its form is no longer on the page (the session paused, or
        // the facilitator moved on) still says why.
        {(!(participates && live && discussion.as_ref().is_some_and(|d| current == Some(d.position))))
            .then(|| view! { <ErrorSummary error=returned_error(RecordVerdict::PATH) /> })}
        {discussion.is_none().then(|| view! { <ErrorSummary error=returned_error(AgreeOutcome::PATH) /> })}
        {discussion.map(|d| view! {
            <Now discussion=d id current of=last live participates may_manage people=people.clone() />
        })}

        <h2 class="heading-l" id="agenda">"Agenda"</h2>
        <ErrorSummary error=move_error />
        <ol class="agenda">
            {agenda.into_iter().map(|item| {
                let label = item.indicator.label.clone();
                view! {
                    <li class="agenda__item">
                        <span class="agenda__label">
                            <a class="link" href=format!("/reviews/{id}?at={}#now", item.position)
                                aria-current=(current == Some(item.position)).then_some("step")>{label.clone()}</a>
                            {(current == Some(item.position)).then(|| view! { <strong class="tag tag--blue agenda__now">"Now"</strong> })}
                            <span class="hint">{format!(" {}", item.theme)}</span>
                            {item.agreed.as_ref().map(|agreed| view! {
                                <span class="agenda__agreed">{format!("Agreed: {}", agreed.describe())}</span>
                            })}
                        </span>
                        {(may_manage && item.position > 1).then(|| mover(item.position, true, &label))}
                        {(may_manage && item.position < last).then(|| mover(item.position, false, &label))}
                    </li>
                }
            }).collect_view()}
        </ol>
        </div>

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

/// The facilitator's controls: start, move, pause, resume, end, and whether names show.
#[component]
fn Controls(
    id: i64,
    state: SessionState,
    current: Option<i64>,
    length: i64,
    /// How many of the agenda's indicators have an agreed outcome.
    agreed: usize,
    show_names: bool,
) -> impl IntoView {
    let error = returned_error(RunReview::PATH);
    let button = move |step: Step, label: &'static str| {
        view! {
            <form method="post" action=RunReview::PATH class="controls__form">
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="step" value=step.code() />
                <button type="submit" class="button button--secondary">{label}</button>
            </form>
        }
    };
    let at = current.unwrap_or(0);
    view! {
        <section class="controls" aria-labelledby="controls-heading">
            <h2 class="heading-m" id="controls-heading">"Facilitate"</h2>
            <p class="body" id="agenda-progress">
                {format!("Agreed outcomes for {agreed} of {length} indicators")}
                {(at > 0).then(|| format!("; on screen: indicator {at} of {length}"))}
                "."
            </p>
            <ErrorSummary error />
            <div class="controls__row">
                {match state {
                    SessionState::Planned => button(Step::Start, "Start the session").into_any(),
                    SessionState::Live => view! {
                        {(at > 1).then(|| button(Step::Previous, "Previous indicator"))}
                        {(at < length).then(|| button(Step::Next, "Next indicator"))}
                        {button(Step::Pause, "Pause")}
                        {button(Step::End, "End the session")}
                    }.into_any(),
                    SessionState::Paused => view! { {button(Step::Resume, "Resume")} {button(Step::End, "End the session")} }.into_any(),
                    SessionState::Ended => view! { <p class="body">"The session has ended."</p> }.into_any(),
                }}
                {if show_names { button(Step::HideNames, "Hide who said what") } else { button(Step::ShowNames, "Show who said what") }}
            </div>
        </section>
    }
}

/// The indicator on screen, its tally, and the forms for a verdict and the agreed outcome.
#[component]
fn Now(
    discussion: crate::api::reviews::Discussion,
    id: i64,
    current: Option<i64>,
    /// How many indicators the agenda holds.
    of: i64,
    live: bool,
    participates: bool,
    may_manage: bool,
    people: Vec<Choice>,
) -> impl IntoView {
    let verdict_error = returned_error(RecordVerdict::PATH);
    let agree_error = returned_error(AgreeOutcome::PATH);
    let is_current = current == Some(discussion.position);
    let indicator_id = discussion.indicator.id;
    let mine = discussion.mine.clone();
    view! {
        <section class="now" id="now" aria-labelledby="now-heading" data-indicator=indicator_id>
            <p class="caption">
                {if is_current { "Being reviewed now" } else { "You are looking ahead or back" }}
                {format!(" · Indicator {} of {of}", discussion.position)}
            </p>
            <h2 class="heading-l" id="now-heading">
                <a class="link" href=format!("/indicators/{indicator_id}")>{discussion.indicator.label.clone()}</a>
            </h2>
            {(!is_current && current.is_some()).then(|| view! {
                <p class="body">
                    <a class="link" id="back-to-live" href=format!("/reviews/{id}#now")>"Back to live: the indicator being reviewed"</a>
                    <span class="hint">" (or press Escape)"</span>
                </p>
            })}
            <p class="body">{discussion.definition.clone()}</p>
            <LatestFigures series=discussion.series.clone() unit=discussion.unit />
            <table class="table tally">
                <caption class="table__caption">"Verdicts so far"</caption>
                <thead><tr><th scope="col">"Verdict"</th><th scope="col" class="numeric">"People"</th></tr></thead>
                <tbody>
                    {discussion.tally.iter().map(|(verdict, count)| view! {
                        <tr><th scope="row">{verdict.label()}</th><td class="numeric">{*count}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            {(!discussion.named.is_empty()).then(|| view! {
                <ul class="list verdicts">
                    {discussion.named.iter().map(|v| view! {
                        <li>{format!("{}: {}{}{}", v.name, v.verdict.label(),
                            v.proposed_value.map(|p| format!(" to {}", crate::domain::format::number(p, 2))).unwrap_or_default(),
                            if v.comment.is_empty() { String::new() } else { format!(" – {}", v.comment) })}</li>
                    }).collect_view()}
                </ul>
            })}
            {(participates && live && is_current).then(|| view! {
                <PostForm form="verdict" action=RecordVerdict::PATH error=verdict_error.clone() button="Record my verdict">
                    <input type="hidden" name="id" value=id />
                    <input type="hidden" name="indicator_id" value=indicator_id />
                    <p class="body">{mine.as_ref().map(|m| format!("Your verdict: {}. Recording again replaces it.", m.verdict.label())).unwrap_or_default()}</p>
                    <Field form="verdict" name="verdict" label="Your verdict".to_string()
                        hint="No verdict is chosen for you: choose one before recording it"
                        input=Input::Choose {
                            options: std::iter::once((String::new(), "Choose a verdict".to_string()))
                                .chain(Verdict::ALL.into_iter().map(|v| (v.code().to_string(), v.label().to_string())))
                                .collect(),
                            chosen: mine.as_ref().map(|m| m.verdict.code().to_string()).unwrap_or_default(),
                        } error=verdict_error.clone() />
                    <Field form="verdict" name="proposed_value" label="Proposed target".to_string()
                        hint="Only when the verdict is to amend the target"
                        input=Input::Optional { value: String::new(), max: 30 } error=verdict_error.clone() />
                    <Field form="verdict" name="comment" label="Comment".to_string()
                        hint="Optional"
                        input=Input::Optional { value: String::new(), max: 1000 } error=verdict_error />
                </PostForm>
            })}
            {may_manage.then(|| view! {
                <PostForm form="agree" action=AgreeOutcome::PATH error=agree_error.clone() button="Record the agreed outcome">
                    <input type="hidden" name="id" value=id />
                    <input type="hidden" name="indicator_id" value=indicator_id />
                    <Field form="agree" name="outcome" label="Agreed outcome".to_string()
                        hint="For example: refine the definition to name the data source"
                        input=Input::Text { value: String::new(), max: 1000 } error=agree_error.clone() />
                    <Field form="agree" name="change" label="Change agreed".to_string()
                        hint="Business Improvement makes it after the session"
                        input=Input::Select(Verdict::ALL.into_iter().map(|v| (v.code().to_string(), change_label(v).to_string())).collect()) error=agree_error.clone() />
                    <Field form="agree" name="value" label="Agreed target".to_string()
                        hint="Only when the change is to amend the target"
                        input=Input::Optional { value: String::new(), max: 30 } error=agree_error.clone() />
                    <Field form="agree" name="action_owner" label="Action owner".to_string()
                        input=Input::Select(people.iter().map(|p| (p.id.to_string(), p.label.clone())).collect()) error=agree_error />
                </PostForm>
            })}
        </section>
    }
}

/// Each council's latest value, target and status, with a small chart of the last two years
/// (the table is its text alternative; the full chart is on the indicator's page).
#[component]
fn LatestFigures(
    series: Vec<crate::api::indicators::CouncilSeries>,
    unit: crate::domain::Unit,
) -> impl IntoView {
    use crate::domain::format;
    view! {
        <table class="table latest-figures">
            <caption class="table__caption">"Latest figures"</caption>
            <thead>
                <tr>
                    <th scope="col">"Council"</th>
                    <th scope="col">"Latest quarter with a value"</th>
                    <th scope="col" class="numeric">"Value"</th>
                    <th scope="col" class="numeric">"Target"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"The one before"</th>
                    <th scope="col">"Last two years"</th>
                </tr>
            </thead>
            <tbody>
                {series.into_iter().filter_map(|s| {
                    // A quarter still open has no value yet: the figures to judge are the
                    // latest that have one, and the one before it.
                    let mut valued = s.points.iter().rev().filter(|p| p.reading.value.is_some());
                    let latest = valued.next().or(s.points.last())?.reading;
                    let before = valued.next().map(|p| p.reading);
                    let trend: Vec<_> = s.points.iter().rev().take(8).rev()
                        .map(|p| (p.reading.quarter, p.reading.value)).collect();
                    Some(view! {
                        <tr>
                            <th scope="row">{s.council.name().to_string()}</th>
                            <td>{latest.quarter.to_string()}</td>
                            <td class="numeric">{format::maybe_value(latest.value, unit)}</td>
                            <td class="numeric">{format::maybe_value(latest.target, unit)}</td>
                            <td><StatusTag status=latest.status /></td>
                            <td>{before.map_or_else(|| "None".to_string(), |b| format!("{}: {}", b.quarter, format::maybe_value(b.value, unit)))}</td>
                            <td><Sparkline points=trend /></td>
                        </tr>
                    })
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The change a session may agree, as the facilitator chooses it.
pub(super) fn change_label(change: Verdict) -> &'static str {
    match change {
        Verdict::Adequate => "None: the indicator is adequate",
        Verdict::Refine => "Refine the definition",
        Verdict::Replace => "Replace it with a new indicator",
        Verdict::Delete => "Delete it",
        Verdict::AmendTarget => "Amend the target",
    }
}
