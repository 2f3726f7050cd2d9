//! The map page's island: the council filter and quarter picker that redraw the map in place,
//! the hexagons' summaries on hover and focus, zoom, the key and the list view.

use crate::api::map::MapView;
use crate::components::filters::{view_href, CouncilFilterLinks, PeriodPicker};
use crate::components::hexmap::{describe_counts, HexMap};
use crate::components::status::StatusTag;
use crate::domain::{CouncilFilter, Quarter, Status};
use leptos::prelude::*;

fn lead(map: &MapView) -> String {
    let council = map.councils.describe(&map.council);
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "The plan's {} and {}, with the status of their indicators for {} ({}), {council}.",
        count(map.themes.len(), "theme", "themes"),
        count(map.outputs().count(), "output", "outputs"),
        map.period,
        map.calendar.quarter_dates(map.period),
    )
}

/// The interactive part of the map page: once hydrated, the council filter and quarter picker
/// fetch the new map and redraw it in place, and the address follows; a hexagon's summary
/// shows beside it on hover and focus; and the map zooms with its buttons or + and −. `full`:
/// the map alone, for a big screen.
#[island]
pub fn MapExplorer(map: MapView, full: bool) -> impl IntoView {
    let periods = map.periods.clone();
    let choices = map.councils.filters();
    let current = RwSignal::new(map);
    let busy = RwSignal::new(false);
    let page = if full { "/map/full" } else { "/" };
    let show = move |council: CouncilFilter, period: Quarter, push: bool| {
        #[cfg(feature = "hydrate")]
        {
            use crate::components::browser;
            busy.set(true);
            leptos::task::spawn_local(async move {
                let href = view_href(page, &council, Some(period));
                match crate::api::map::get_map(
                    Some(council.code().to_string()),
                    Some(period.slug()),
                )
                .await
                {
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
        let _ = (council, period, push, page);
    };
    // Controls that need the WebAssembly appear once it has arrived.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    #[cfg(feature = "hydrate")]
    {
        // Back and forward bring the address's view back; an address without a quarter
        // means the one the page opened on.
        let opened_on = current.get_untracked().period;
        let handle = window_event_listener(leptos::ev::popstate, move |_| {
            let query = crate::components::browser::query_value;
            let council = current
                .read_untracked()
                .councils
                .filter(query("council").as_deref());
            let period = query("period")
                .and_then(|period| Quarter::parse_slug(&period))
                .unwrap_or(opened_on);
            show(council, period, false);
        });
        on_cleanup(move || handle.remove());
    }
    let council = Signal::derive(move || current.read().council.clone());
    let period = Signal::derive(move || current.read().period);
    let other_view = move || {
        let (council, period) = (council.get(), Some(period.get()));
        let (council, period) = (&council, period);
        if full {
            view! { <a class="link map-toolbar__switch" href=view_href("/", council, period)>"Back to the plan"</a> }
        } else {
            view! { <a class="link map-toolbar__switch" href=view_href("/map/full", council, period)>"Full screen"</a> }
        }
    };
    view! {
        <div class=if full { "map-explorer map-explorer--full" } else { "map-explorer" } aria-busy=move || busy.get().then_some("true")>
            <div class="map-toolbar">
                <CouncilFilterLinks
                    path=page.to_string()
                    choices
                    council
                    period=Signal::derive(move || Some(period.get()))
                    on_choose=Callback::new(move |choice| show(choice, period.get_untracked(), true))
                />
                <PeriodPicker
                    path=page.to_string()
                    council
                    period
                    periods
                    on_show=Callback::new(move |quarter| show(council.get_untracked(), quarter, true))
                />
                <MapKey />
                {move || hydrated.get().then(|| view! {
                    <div class="map-zoom" role="group" aria-label="Zoom the map">
                        <button type="button" class="button button--secondary map-zoom__button" aria-label="Zoom out" on:click=move |_| zoom(-1)>"−"</button>
                        <button type="button" class="button button--secondary map-zoom__button" aria-label="Zoom in" on:click=move |_| zoom(1)>"+"</button>
                        <button type="button" class="button button--secondary map-zoom__button" aria-label="Fit the map to the width" on:click=move |_| zoom(0)>"Fit"</button>
                    </div>
                }.into_any())}
                {other_view}
            </div>
            <figure class="hexmap-figure">
                <p class="map-hint hint">"The map keeps its size so its words stay legible: scroll it sideways, or zoom out with −."</p>
                <div
                    class="hexmap-scroll"
                    tabindex="0"
                    role="region"
                    aria-label="Hexagon map: scroll it with the arrow keys, zoom with + and −"
                    on:keydown=move |event| {
                        let step = match event.key().as_str() {
                            "+" | "=" => 1,
                            "-" | "_" => -1,
                            "0" => 0,
                            _ => return,
                        };
                        event.prevent_default();
                        zoom(step);
                    }
                    on:pointerover=move |event| summary(event.target(), true)
                    on:pointerout=move |event| summary(event.target(), false)
                    on:focusin=move |event| {
                        summary(event.target(), true);
                        bring_into_view();
                    }
                    on:focusout=move |event| summary(event.target(), false)
                >
                    {move || view! { <HexMap map=current.get() /> }}
                </div>
                <figcaption class="hint">
                    <span class="map-lead">{move || lead(&current.read())}</span>
                    " Each hexagon is an output of the plan, numbered by its outcome and outlined with that outcome's other outputs. Its colour, symbol and counts show the status of its indicators: select one to see them. "
                    <a href="#map-list" class="link">"The same content as a list"</a>
                    "."
                </figcaption>
            </figure>
            {(!full).then(|| view! {
                <Legend />
                <p class="body downloads">
                    "Download the map as shown, for a committee paper: "
                    <a class="link" download href=move || view_href("/map.svg", &council.get(), Some(period.get()))>"SVG"</a>
                    " or "
                    <a class="link" download href=move || view_href("/map.png", &council.get(), Some(period.get()))>"PNG"</a>
                    ". Every indicator's values for this quarter: "
                    <a class="link" download href=move || format!("/values.csv?period={}", current.read().period.slug())>"CSV"</a>
                    " or "
                    <a class="link" download href=move || format!("/values.xlsx?period={}", current.read().period.slug())>"XLSX"</a>
                </p>
                {move || view! { <MapList map=current.get() /> }}
            }.into_any())}
        </div>
    }
}

/// Shows (or hides) the summary of the hexagon `target` is in, and hides any other.
fn summary(target: Option<leptos::web_sys::EventTarget>, shown: bool) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let document = leptos::prelude::document();
        let code = target
            .and_then(|t| t.dyn_into::<leptos::web_sys::Element>().ok())
            .and_then(|element| element.closest(".hex").ok().flatten())
            .and_then(|hex| hex.get_attribute("data-output"));
        let Ok(tips) = document.query_selector_all(".hex-tip") else {
            return;
        };
        for index in 0..tips.length() {
            let Some(tip) = tips
                .item(index)
                .and_then(|n| n.dyn_into::<leptos::web_sys::Element>().ok())
            else {
                continue;
            };
            let mine = shown && code.is_some() && tip.get_attribute("data-for") == code;
            let _ = tip.class_list().toggle_with_force("hex-tip--shown", mine);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (target, shown);
}

/// Scrolls the map so the summary shown (and so its hexagon) is in view.
fn bring_into_view() {
    #[cfg(feature = "hydrate")]
    {
        use leptos::web_sys::{ScrollIntoViewOptions, ScrollLogicalPosition};
        if let Ok(Some(tip)) = leptos::prelude::document().query_selector(".hex-tip--shown") {
            let options = ScrollIntoViewOptions::new();
            options.set_block(ScrollLogicalPosition::Nearest);
            options.set_inline(ScrollLogicalPosition::Nearest);
            tip.scroll_into_view_with_scroll_into_view_options(&options);
        }
    }
}

/// Zooms the map a step in (1) or out (-1) from its size now, or to fit its space's width (0).
fn zoom(step: i32) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let Some(svg) = leptos::prelude::document()
            .query_selector(".hexmap__svg")
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<leptos::web_sys::SvgElement>().ok())
        else {
            return;
        };
        let style = svg.style();
        if step == 0 {
            let _ = style.set_property("width", "100%");
            return;
        }
        let natural: f64 = svg
            .get_attribute("width")
            .and_then(|w| w.parse().ok())
            .unwrap_or(1000.0);
        let now = svg.get_bounding_client_rect().width() / natural;
        let scale = (now * if step > 0 { 1.25 } else { 0.8 }).clamp(0.3, 3.0);
        let _ = style.set_property("width", &format!("{:.0}px", natural * scale));
        let _ = style.set_property("max-width", "none");
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = step;
}

/// The key in a line above the map: each status's fill, symbol and words.
#[component]
fn MapKey() -> impl IntoView {
    view! {
        <ul class="map-key" aria-label="Key">
            {Status::ALL
                .into_iter()
                .map(|status| view! {
                    <li class="map-key__item">
                        <svg class="map-key__swatch" viewBox="-10 -11 20 22" width="16" height="18" aria-hidden="true">
                            <polygon points="0,-10 8.7,-5 8.7,5 0,10 -8.7,5 -8.7,-5" fill=status.fill() stroke=status.line() stroke-width="1.5" />
                        </svg>
                        <span aria-hidden="true">{status.symbol()}</span>
                        " "
                        {status.label()}
                    </li>
                })
                .collect_view()}
            <li class="map-key__item">
                <svg class="map-key__swatch" viewBox="-10 -11 20 22" width="16" height="18" aria-hidden="true">
                    <polygon points="0,-10 8.7,-5 8.7,5 0,10 -8.7,5 -8.7,-5" fill="#ffffff" stroke=Status::Grey.line() stroke-width="1.5" stroke-dasharray="3 2" />
                </svg>
                "No indicators yet"
            </li>
        </ul>
    }
    .into_any()
}

#[component]
fn Legend() -> impl IntoView {
    view! {
        <details class="legend">
            <summary class="legend__summary">"What the colours, symbols and numbers mean"</summary>
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
                "A hexagon takes the commonest status among its indicators (the worse one when tied). When more than one council is shown, an indicator counts with the worst of its councils' statuses. The small number at the top of a hexagon is its outcome's, listed under the theme's name; a dashed line goes round each outcome's hexagons."
            </p>
        </details>
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
                                            "This theme has no indicators yet."
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
                                                            <a href=view_href(&format!("/outputs/{}", output.id), &council, Some(period)) class="link">
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
