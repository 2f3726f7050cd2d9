//! `/`: the JSP hexagon map, its key and filters, and the same content as a list.

use crate::api::map::get_map;
use crate::islands::map_explorer::MapExplorer;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn MapPage() -> impl IntoView {
    let query = super::view_query();
    let map = Resource::new(
        move || query.get(),
        |(council, period)| get_map(council, period),
    );
    let invitations = Resource::new(|| (), |_| crate::api::reviews::get_my_reviews());
    view! {
        <Title text="Joint Strategic Plan map" />
        <span class="caption-m">"Babergh and Mid Suffolk"</span>
        <h1 class="heading-l map-heading">"Joint Strategic Plan performance"</h1>
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
        {super::loaded(map, "Loading the map…", |map| view! { <MapExplorer map full=false /> }.into_any())}
    }
}

/// `/map/full`: the map alone, as wide and tall as the screen, for committee rooms and
/// projectors.
#[component]
pub fn FullMapPage() -> impl IntoView {
    let query = super::view_query();
    let map = Resource::new(
        move || query.get(),
        |(council, period)| get_map(council, period),
    );
    view! {
        <Title text="Joint Strategic Plan map, full screen" />
        <h1 class="visually-hidden">"Joint Strategic Plan map"</h1>
        {super::loaded(map, "Loading the map…", |map| view! { <MapExplorer map full=true /> }.into_any())}
    }
}
