//! `/`: the JSP hexagon map, its key and filters, and the same content as a list.

use crate::api::map::{get_map, MapView};
use crate::components::filters::{view_href, CouncilFilterLinks, PeriodPicker};
use crate::components::hexmap::{describe_counts, HexMap};
use crate::components::status::StatusTag;
use crate::domain::{CouncilFilter, Quarter, Status};
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
        <span class="caption-l">"Babergh and Mid Suffolk"</span>
        <h1 class="heading-xl">"Joint Strategic Plan performance"</h1>
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
        {super::loaded(map, "Loading the map…", |map| view! { <MapExplorer map /> }.into_any())}
    }
}

fn lead(map: &MapView) -> String {
    let council = if map.council == CouncilFilter::Both {
        "both councils"
    } else {
        map.council.label()
    };
    format!(
        "The plan's {} themes and {} outputs, with the status of their indicators for {} ({}), {council}.",
        map.themes.len(),
        map.outputs().count(),
        map.period,
        map.period.date_range_label(),
    )
}

/// The interactive part of the map page: once hydrated, the council filter and quarter picker
/// fetch the new map and redraw it in place, and the address follows.
#[island]
fn MapExplorer(map: MapView) -> impl IntoView {
    let periods = map.periods.clone();
    let current = RwSignal::new(map);
    let busy = RwSignal::new(false);
    let show = move |council: CouncilFilter, period: Quarter, push: bool| {
        #[cfg(feature = "hydrate")]
        {
            use crate::components::browser;
            busy.set(true);
            leptos::task::spawn_local(async move {
                let href = view_href("/", council, Some(period));
                match get_map(Some(council.code().to_string()), Some(period.slug())).await {
                    Ok(map) => {
                        if push {
                            browser::push_address(&href);
                        }
                        current.set(map);
                    }
                    Err(_) => browser::go_to(&href),
                }
                busy.set(false);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (council, period, push);
    };
    #[cfg(feature = "hydrate")]
    {
        // Back and forward bring the address's view back.
        let handle = window_event_listener(leptos::ev::popstate, move |_| {
            let query = crate::components::browser::query_value;
            let (council, period) =
                crate::api::read_view(query("council").as_deref(), query("period").as_deref());
            show(council, period, false);
        });
        on_cleanup(move || handle.remove());
    }
    let council = Signal::derive(move || current.read().council);
    let period = Signal::derive(move || current.read().period);
    view! {
        <div class="map-explorer" aria-busy=move || busy.get().then_some("true")>
            <p class="lead">{move || lead(&current.read())}</p>
            <div class="filters">
                <CouncilFilterLinks
                    path="/".to_string()
                    council
                    period=Signal::derive(move || Some(period.get()))
                    on_choose=Callback::new(move |choice| show(choice, period.get_untracked(), true))
                />
                <PeriodPicker
                    path="/".to_string()
                    council
                    period
                    periods
                    on_show=Callback::new(move |quarter| show(council.get_untracked(), quarter, true))
                />
            </div>
            <Legend />
            <figure class="hexmap-figure">
                {move || view! { <HexMap map=current.get() /> }}
                <figcaption class="hint">
                    "Each hexagon is an output of the plan. Its colour, symbol and counts show the status of its indicators: select one to see them. "
                    <a href="#map-list" class="link">"The same content as a list"</a>
                    "."
                </figcaption>
            </figure>
            <p class="body downloads">
                "Download every indicator's values for this quarter: "
                <a class="link" download href=move || format!("/values.csv?period={}", current.read().period.slug())>"CSV"</a>
                " or "
                <a class="link" download href=move || format!("/values.xlsx?period={}", current.read().period.slug())>"XLSX"</a>
            </p>
            {move || view! { <MapList map=current.get() /> }}
        </div>
    }
}

#[component]
fn Legend() -> impl IntoView {
    view! {
        <section class="legend" aria-labelledby="legend-heading">
            <h2 class="heading-s" id="legend-heading">"Key"</h2>
            <ul class="legend__list">
                {Status::ALL
                    .into_iter()
                    .map(|status| {
                        let meaning = match status {
                            Status::Green => "target met",
                            Status::Amber => "target missed by no more than its tolerance (usually 10%)",
                            Status::Red => "target missed by more than its tolerance",
                            Status::Grey => "no value yet, no target, or reported for information only",
                        };
                        view! {
                            <li class="legend__item">
                                <StatusTag status />
                                <span class="legend__meaning">{meaning}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <p class="hint">
                "A hexagon takes the commonest status among its indicators (the worse one when tied). Under both councils, an indicator counts with the worse of the two councils' statuses."
            </p>
        </section>
    }
}

#[component]
fn MapList(map: MapView) -> impl IntoView {
    let council = map.council;
    let period = map.period;
    view! {
        <section class="map-list" id="map-list" aria-labelledby="map-list-heading">
            <h2 class="heading-l" id="map-list-heading">"The plan as a list"</h2>
            {map
                .themes
                .into_iter()
                .map(|theme| {
                    let indicators: u32 = theme.outcomes.iter().flat_map(|o| o.outputs.iter()).map(|o| o.counts.total()).sum();
                    view! {
                        <section class="map-list__theme">
                            <h3 class="heading-m">{theme.title.clone()}</h3>
                            {theme.scope_note.clone().map(|note| view! { <p class="inset">{note}</p> })}
                            {(indicators == 0)
                                .then(|| {
                                    view! {
                                        <p class="inset">
                                            "This theme has no indicators yet. Following changes to managerial responsibilities, its Assistant Director is working with officers and Cabinet Members to report on it from 2017/18 Q3."
                                        </p>
                                    }
                                })}
                            {theme
                                .outcomes
                                .into_iter()
                                .map(|outcome| {
                                    view! {
                                        <h4 class="heading-s">{format!("Outcome: {}", outcome.title)}</h4>
                                        <ul class="list map-list__outputs">
                                            {outcome
                                                .outputs
                                                .into_iter()
                                                .map(|output| {
                                                    let status = output.counts.prevailing();
                                                    let has_indicators = output.counts.total() > 0;
                                                    let counts = describe_counts(&output);
                                                    view! {
                                                        <li class="map-list__output">
                                                            <a href=view_href(&format!("/outputs/{}", output.id), council, Some(period)) class="link">
                                                                {output.title}
                                                            </a>
                                                            " "
                                                            {has_indicators.then(|| view! { <StatusTag status /> })}
                                                            <span class="map-list__counts">{counts}</span>
                                                        </li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                    }
                                })
                                .collect_view()}
                        </section>
                    }
                })
                .collect_view()}
        </section>
    }
}
