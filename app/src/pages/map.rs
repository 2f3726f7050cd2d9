//! `/`: the JSP hexagon map, its key and filters, and the same content as a list.

use crate::api::map::get_map;
use crate::islands::map_explorer::MapExplorer;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn MapPage() -> impl IntoView {
    let plan = crate::session::plan_identity();
    let query = super::view_query();
    let map = Resource::new(
        move || query.get(),
        |(council, period)| get_map(council, period),
    );
    let invitations = Resource::new(|| (), |_| crate::api::reviews::get_my_reviews());
    let portfolio = Resource::new(|| (), |_| crate::api::portfolio::get_my_portfolio());
    view! {
        <Title text=format!("{} map", plan.caption()) />
        <span class="caption-m">{plan.header()}</span>
        <h1 class="heading-l map-heading">{format!("{} performance", plan.caption())}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                portfolio.await.ok().flatten().map(|portfolio| view! {
                    <crate::pages::portfolio::PortfolioPanel portfolio />
                })
            })}
        </Suspense>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                invitations.await.ok().filter(|s| !s.is_empty()).map(|sessions| view! {
                    <div class="panel panel--invitation">
                        <h2 class="heading-m">"Your peer review sessions"</h2>
                        <crate::pages::reviews::SessionLinks sessions />
                    </div>
                })
            })}
        </Suspense>
        {super::loaded(map, "Loading the map…", |map| if map.themes.is_empty() {
            view! { <EmptyPlan /> }.into_any()
        } else {
            view! { <MapExplorer map full=false /> }.into_any()
        })}
    }
}

/// What the map page says before the plan has any theme.
#[component]
fn EmptyPlan() -> impl IntoView {
    let shapes_plan = crate::session::current_user()
        .is_some_and(|user| user.may(crate::domain::roles::Action::ShapePlan));
    view! {
        <div class="inset">
            <p class="body">"This plan has no themes, outcomes or outputs yet, so there is no map to show."</p>
            {if shapes_plan {
                view! { <p class="body"><a class="button" href="/plan">"Set up the plan"</a></p> }.into_any()
            } else {
                view! { <p class="body">"Business Improvement sets the plan up; its map appears here once it has outputs."</p> }.into_any()
            }}
        </div>
    }
}

/// `/map/full`: the map alone, as wide and tall as the screen, for committee rooms and
/// projectors.
#[component]
pub fn FullMapPage() -> impl IntoView {
    let plan = crate::session::plan_identity();
    let query = super::view_query();
    let map = Resource::new(
        move || query.get(),
        |(council, period)| get_map(council, period),
    );
    view! {
        <Title text=format!("{} map, full screen", plan.caption()) />
        <h1 class="visually-hidden">{format!("{} map", plan.caption())}</h1>
        {super::loaded(map, "Loading the map…", |map| view! { <MapExplorer map full=true /> }.into_any())}
    }
}
