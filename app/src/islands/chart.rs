//! The chart of an indicator's values against target by quarter, drawn with charming
//! (ECharts) after hydration. The same figures are in the data table beside it; clicking a
//! point selects that quarter's commentary.

use crate::components::status::StatusTag;
use crate::domain::format;
use crate::model::indicators::ChartData;
use leptos::prelude::*;

const CHART_ID: &str = "indicator-chart";

/// The chart and, below it, the commentary of the point last clicked.
#[island]
pub fn IndicatorChart(chart: ChartData) -> impl IntoView {
    let selected: RwSignal<Option<(usize, usize)>> = RwSignal::new(None);
    let label = chart.label();
    // Clicking a point works once the chart is drawn in the browser.
    let live = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    {
        let chart = chart.clone();
        Effect::new(move |_| {
            let chart = chart.clone();
            if let Some(element) = document().get_element_by_id(CHART_ID) {
                let _ = element.class_list().add_1("chart--live");
            }
            live.set(true);
            draw::with_echarts(move || {
                draw::render(CHART_ID, &chart, move |selection| {
                    selected.set(Some(selection))
                })
            });
        });
    }
    let (unit, calendar) = (chart.unit, chart.calendar);
    let series = chart.series;
    let commentary = move || {
        selected.get().and_then(|(council, index)| {
            let series = series.get(council)?;
            Some((series.council.clone(), series.points.get(index)?.clone()))
        })
    };
    view! {
        <div id=CHART_ID class="chart" role="img" aria-label=label></div>
        <div class="commentary-panel" aria-live="polite">
            {move || match commentary() {
                Some((council, point)) => view! {
                    <h3 class="heading-s">{format!("{} – {} ({})", point.reading.quarter, council.name(), calendar.quarter_dates(point.reading.quarter))}</h3>
                    <p class="body commentary-panel__value">
                        {format!(
                            "Value {} against a target of {}. ",
                            format::maybe_value(point.reading.value, unit),
                            format::maybe_value(point.reading.target, unit)
                        )}
                        <StatusTag status=point.reading.status />
                    </p>
                    <p class="body commentary-panel__text">
                        {if point.commentary.is_empty() { "No commentary was given for this quarter.".to_string() } else { point.commentary }}
                    </p>
                }
                .into_any(),
                None if live.get() => view! {
                    <p class="hint">"Select a point on the chart to read that quarter's commentary. Every quarter's figures and commentary are also below."</p>
                }
                .into_any(),
                None => view! {
                    <p class="hint">"Every quarter's figures and commentary are in the tables below."</p>
                }
                .into_any(),
            }}
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod draw {
    use crate::model::indicators::ChartData;
    use charming::component::{Axis, Grid, Legend};
    use charming::datatype::CompositeValue;
    use charming::element::{AxisType, LineStyle, LineStyleType, Symbol, Tooltip, Trigger};
    use charming::series::Line;
    use charming::{Chart, WasmRenderer};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    /// ECharts, served from the site's own assets, loaded only on pages with charts.
    const ECHARTS_SRC: &str = "/vendor/echarts.common.min.js";

    /// Runs `then` once the ECharts script is loaded, loading it if no page has yet.
    pub fn with_echarts(then: impl FnOnce() + 'static) {
        let Some(window) = web_sys::window() else {
            return;
        };
        if js_sys::Reflect::has(&window, &JsValue::from_str("echarts")).unwrap_or(false) {
            then();
            return;
        }
        let Some(document) = window.document() else {
            return;
        };
        let script = match document.query_selector("script[data-echarts]") {
            Ok(Some(script)) => script,
            _ => {
                let Ok(script) = document.create_element("script") else {
                    return;
                };
                let _ = script.set_attribute("src", ECHARTS_SRC);
                let _ = script.set_attribute("data-echarts", "");
                if let Some(head) = document.head() {
                    let _ = head.append_child(&script);
                }
                script
            }
        };
        let on_load = Closure::once_into_js(then);
        let _ = script.add_event_listener_with_callback("load", on_load.unchecked_ref());
    }

    fn value(v: Option<f64>) -> CompositeValue {
        v.map(CompositeValue::from).unwrap_or_else(|| "-".into())
    }

    fn chart(page: &ChartData) -> Chart {
        let quarters: Vec<String> = page
            .series
            .first()
            .map(|s| {
                s.points
                    .iter()
                    .map(|p| p.reading.quarter.axis_label())
                    .collect()
            })
            .unwrap_or_default();
        let mut chart = Chart::new()
            .animation(false)
            .color(
                ["#1d70b8", "#1d70b8", "#912b88", "#912b88"]
                    .into_iter()
                    .map(charming::element::Color::from)
                    .collect(),
            )
            .legend(Legend::new().bottom(0))
            .tooltip(Tooltip::new().trigger(Trigger::Axis))
            .grid(Grid::new().left(56).right(16).top(24).bottom(64))
            .x_axis(Axis::new().type_(AxisType::Category).data(quarters))
            .y_axis(
                Axis::new()
                    .type_(AxisType::Value)
                    .name(page.unit.label())
                    .scale(true),
            );
        for series in &page.series {
            let name = series.council.name();
            chart = chart
                .series(
                    Line::new()
                        .name(format!("{name} actual"))
                        .symbol(Symbol::Circle)
                        .symbol_size(10)
                        .line_style(LineStyle::new().width(3))
                        .data(
                            series
                                .points
                                .iter()
                                .map(|p| value(p.reading.value))
                                .collect(),
                        ),
                )
                .series(
                    Line::new()
                        .name(format!("{name} target"))
                        .symbol(Symbol::None)
                        .line_style(LineStyle::new().type_(LineStyleType::Dashed).width(2))
                        .data(
                            series
                                .points
                                .iter()
                                .map(|p| value(p.reading.target))
                                .collect(),
                        ),
                );
        }
        chart
    }

    /// Draws the chart into the element `id` and reports clicks on its points.
    /// Reports clicks as (council series, quarter index).
    pub fn render(id: &str, page: &ChartData, on_select: impl Fn((usize, usize)) + 'static) {
        // An empty chart first: ECharts fixes how it draws tooltips when it first meets them.
        let handle = match WasmRenderer::new_opt(None, None).render(id, &Chart::new()) {
            Ok(handle) => handle,
            Err(error) => {
                leptos::logging::warn!("the chart could not be drawn: {error:?}");
                return;
            }
        };
        // ECharts writes HTML tooltips with style attributes, which the Content Security
        // Policy refuses; it draws them on the canvas instead. `setOption` merges, so the
        // chart's own options follow.
        let tooltip = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&tooltip, &"renderMode".into(), &"richText".into());
        let option = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&option, &"tooltip".into(), &tooltip);
        if let Ok(set_option) = js_sys::Reflect::get(handle.as_ref(), &"setOption".into())
            .and_then(|f| f.dyn_into::<js_sys::Function>())
        {
            let _ = set_option.call1(handle.as_ref(), &option);
        }
        WasmRenderer::update(&handle, &chart(page));
        let Ok(on) = js_sys::Reflect::get(handle.as_ref(), &JsValue::from_str("on")) else {
            return;
        };
        let Ok(on) = on.dyn_into::<js_sys::Function>() else {
            return;
        };
        let click = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            let number = |key: &str| {
                js_sys::Reflect::get(&event, &JsValue::from_str(key))
                    .ok()
                    .and_then(|v| v.as_f64())
            };
            if let (Some(series), Some(index)) = (number("seriesIndex"), number("dataIndex")) {
                on_select((series as usize / 2, index as usize));
            }
        });
        let _ = on.call2(handle.as_ref(), &JsValue::from_str("click"), click.as_ref());
        // The chart lives as long as the page; so does its click handler.
        click.forget();
    }
}
