//! `/achievements`: each outcome's achievements and impacts for a half-year, as the Cabinet
//! report prints them; the theme's Assistant Director and Business Improvement write them.

use crate::api::achievements::{
    get_achievements, Achievements, OutcomeNarrative, WriteAchievements,
};
use crate::components::form::{returned_error, ErrorMessage, ProblemSummary};
use crate::domain::returns::NARRATIVE_MAX;
use crate::domain::HalfYear;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AchievementsPage() -> impl IntoView {
    let query = use_query_map();
    let half = Memo::new(move |_| query.read().get("half"));
    let page = Resource::new(move || half.get(), get_achievements);
    view! {
        <Title text="Achievements and impacts" />
        {super::loaded(page, "Loading…", |page| view! { <AchievementsView page /> }.into_any())}
    }
}

#[component]
fn AchievementsView(page: Achievements) -> impl IntoView {
    let half = page.half;
    let error = returned_error(WriteAchievements::PATH);
    let saved = use_query_map().get_untracked().get("saved");
    let halves = if half.half == 1 {
        [
            HalfYear {
                year: half.year - 1,
                half: 2,
            },
            HalfYear {
                year: half.year,
                half: 2,
            },
        ]
    } else {
        [
            HalfYear {
                year: half.year,
                half: 1,
            },
            HalfYear {
                year: half.year + 1,
                half: 1,
            },
        ]
    };
    view! {
        <span class="caption">{format!("{half} ({})", crate::session::plan_identity().calendar.half_dates(half))}</span>
        <h1 class="heading-xl">"Achievements and impacts"</h1>
        <p class="body">"What each outcome achieved in the half-year and the difference it made, as the report to Cabinet presents them. The theme's Assistant Director or Business Improvement writes them; every change is recorded."</p>
        <p class="body">"Earlier and later: "
            {halves.into_iter().map(|h| view! { <a class="link" href=format!("/achievements?half={}", h.slug())>{h.to_string()}</a>" " }).collect_view()}
        </p>
        {saved.map(|_| view! { <div class="panel panel--confirmation" role="status"><p class="body">"Saved."</p></div> })}
        {error.clone().map(|error| {
            let href = error.field().map(|f| format!("#outcome-{f}"));
            view! { <ProblemSummary message=error.to_string() href /> }
        })}
        {page.themes.into_iter().map(|theme| view! {
            <h2 class="heading-l">{theme.title}</h2>
            {theme.outcomes.into_iter().map(|outcome| view! { <Narrative outcome half error=error.clone() /> }).collect_view()}
        }).collect_view()}
    }
}

#[component]
fn Narrative(outcome: OutcomeNarrative, half: HalfYear, error: Option<AppError>) -> impl IntoView {
    let id = outcome.outcome_id;
    let written = outcome
        .written
        .clone()
        .map(|w| view! { <p class="hint">{format!("Last written by {w}")}</p> });
    if !outcome.may_write {
        let text = |t: &str| {
            if t.is_empty() {
                "Not written yet.".to_string()
            } else {
                t.to_string()
            }
        };
        return view! {
            <section class="narrative" id=format!("outcome-{id}")>
                <h3 class="heading-m">{format!("Outcome: {}", outcome.title)}</h3>
                <h4 class="heading-s">"Achievements"</h4>
                <p class="body narrative__text">{text(&outcome.achievements)}</p>
                <h4 class="heading-s">"Impacts"</h4>
                <p class="body narrative__text">{text(&outcome.impacts)}</p>
                {written}
            </section>
        }
        .into_any();
    }
    let field = |name: &'static str, label: &'static str, value: String| {
        let field_id = format!("outcome-{id}-{name}");
        let message = error
            .as_ref()
            .filter(|e| e.field() == Some(&format!("{id}-{name}")))
            .map(|e| e.to_string());
        let error_id = format!("{field_id}-error");
        view! {
            <div class=if message.is_some() { "form-group form-group--error" } else { "form-group" }>
                <label class="label" for=field_id.clone()>{label}</label>
                {message.clone().map(|message| view! { <ErrorMessage id=error_id.clone() message /> })}
                <textarea class="input input--wide textarea" id=field_id name=name rows="4" maxlength=NARRATIVE_MAX required
                    aria-describedby=message.as_ref().map(|_| error_id.clone()) aria-invalid=message.as_ref().map(|_| "true") inner_html=crate::components::escape(&value)></textarea>
            </div>
        }
    };
    view! {
        <section class="narrative" id=format!("outcome-{id}")>
            <h3 class="heading-m">{format!("Outcome: {}", outcome.title)}</h3>
            <form method="post" action=WriteAchievements::PATH class="form">
                <input type="hidden" name="outcome_id" value=id />
                <input type="hidden" name="half" value=half.slug() />
                {field("achievements", "Achievements", outcome.achievements.clone())}
                {field("impacts", "Impacts", outcome.impacts.clone())}
                {written}
                <button type="submit" class="button">"Save" <span class="visually-hidden">{format!(" the achievements and impacts of {}", outcome.title)}</span></button>
            </form>
        </section>
    }
    .into_any()
}
