//! An indicator's values by quarter drawn on the server as SVG, from the same figures as the
//! interactive chart: what the chart's space shows before (or without) the WebAssembly, and
//! in print. Each council's line has its own marker as well as its colour, and its target is
//! dashed; the figures are in the tables below it.

use super::escape;
use crate::domain::{format, Quarter};
use crate::model::indicators::ChartData;
use leptos::prelude::*;
use std::collections::BTreeSet;
use std::fmt::Write;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 320.0;
/// The plot's margins: left for the values, bottom for the quarters, top for the key.
const LEFT: f64 = 80.0;
const RIGHT: f64 = 40.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 50.0;

/// How each council's line is drawn: colour and marker.
const LINES: [(&str, Marker); 3] = [
    ("#1d70b8", Marker::Circle),
    ("#6f3a8f", Marker::Square),
    ("#00703c", Marker::Triangle),
];

/// A round step for an axis spanning `span` in about `steps` steps: 1, 2, 2.5 or 5 times a
/// power of ten.
fn round_step(span: f64, steps: f64) -> f64 {
    let rough = (span / steps).max(f64::MIN_POSITIVE);
    let power = 10f64.powf(rough.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|step| *step >= rough)
        .unwrap_or(10.0 * power)
}

#[derive(Clone, Copy)]
enum Marker {
    Circle,
    Square,
    Triangle,
}

impl Marker {
    fn draw(self, x: f64, y: f64, colour: &str) -> String {
        match self {
            Marker::Circle => {
                format!(r#"<circle cx="{x:.1}" cy="{y:.1}" r="4" fill="{colour}" />"#)
            }
            Marker::Square => format!(
                r#"<rect x="{:.1}" y="{:.1}" width="8" height="8" fill="{colour}" />"#,
                x - 4.0,
                y - 4.0
            ),
            Marker::Triangle => format!(
                r#"<polygon points="{x:.1},{:.1} {:.1},{:.1} {:.1},{:.1}" fill="{colour}" />"#,
                y - 5.0,
                x + 5.0,
                y + 4.0,
                x - 5.0,
                y + 4.0
            ),
        }
    }
}

/// The chart as SVG drawn on the server, shown until (and unless) the interactive one takes
/// its place, and in print.
#[component]
pub fn StaticChart(chart: ChartData) -> impl IntoView {
    view! { <div class="chart-static" inner_html=line_chart_svg(&chart, &chart.label())></div> }
}

/// The chart as SVG markup, or nothing when there is no value to draw.
pub fn line_chart_svg(chart: &ChartData, label: &str) -> String {
    let quarters: Vec<Quarter> = chart
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.reading.quarter))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let figures: Vec<f64> = chart
        .series
        .iter()
        .flat_map(|s| s.points.iter())
        .flat_map(|p| [p.reading.value, p.reading.target])
        .flatten()
        .collect();
    if quarters.is_empty() || figures.is_empty() {
        return String::new();
    }
    let (low, high) = figures
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    // Round steps, with the figures clear of the top and bottom.
    let step = round_step(
        if high > low {
            high - low
        } else {
            high.abs().max(1.0)
        },
        4.0,
    );
    let floor = (low / step).floor() * step;
    let low = if floor == low { floor - step } else { floor };
    let low = if low < 0.0 && figures.iter().all(|v| *v >= 0.0) {
        0.0
    } else {
        low
    };
    let ceiling = (high / step).ceil() * step;
    let high = if ceiling == high {
        ceiling + step
    } else {
        ceiling
    };
    let ticks = ((high - low) / step).round() as i32;
    let plot_width = WIDTH - LEFT - RIGHT;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let column = plot_width / (quarters.len().max(2) - 1) as f64;
    let x = |quarter: Quarter| {
        LEFT + column * quarters.iter().position(|q| *q == quarter).unwrap_or(0) as f64
    };
    let y = |value: f64| TOP + plot_height * (1.0 - (value - low) / (high - low));

    let mut svg = format!(
        r##"<svg class="line-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{}" font-family="Arial, sans-serif" font-size="13"><rect x="{LEFT}" y="{TOP}" width="{plot_width}" height="{plot_height}" fill="#ffffff" stroke="#b1b4b6" />"##,
        escape(label)
    );
    // The value axis, labelled in the indicator's unit at each round step.
    for tick in 0..=ticks {
        let at = y(low + step * f64::from(tick));
        let _ = write!(
            svg,
            r##"<line x1="{LEFT}" x2="{:.1}" y1="{at:.1}" y2="{at:.1}" stroke="#e8e8e8" /><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#0b0c0c">{}</text>"##,
            WIDTH - RIGHT,
            LEFT - 6.0,
            at + 4.0,
            escape(&format::value(low + step * f64::from(tick), chart.unit))
        );
    }
    // Quarter labels, no closer than every 70 units.
    let every = ((70.0 / column).ceil() as usize).max(1);
    for (i, quarter) in quarters.iter().enumerate().filter(|(i, _)| i % every == 0) {
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#0b0c0c">{}</text>"##,
            LEFT + column * i as f64,
            HEIGHT - BOTTOM + 20.0,
            escape(&quarter.axis_label())
        );
    }
    let mut key_x = LEFT;
    for (series, (colour, marker)) in chart.series.iter().zip(LINES.iter().cycle()) {
        let values: Vec<(f64, f64)> = series
            .points
            .iter()
            .filter_map(|p| Some((x(p.reading.quarter), y(p.reading.value?))))
            .collect();
        let targets: Vec<String> = series
            .points
            .iter()
            .filter_map(|p| {
                let target = y(p.reading.target?);
                Some(format!("{:.1},{target:.1}", x(p.reading.quarter)))
            })
            .collect();
        if targets.len() > 1 {
            let _ = write!(
                svg,
                r##"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="1.5" stroke-dasharray="6 4" />"##,
                targets.join(" ")
            );
        }
        let line: Vec<String> = values
            .iter()
            .map(|(x, y)| format!("{x:.1},{y:.1}"))
            .collect();
        let _ = write!(
            svg,
            r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="2.5" />"#,
            line.join(" ")
        );
        for (x, y) in &values {
            svg.push_str(&marker.draw(*x, *y, colour));
        }
        let name = series.council.name();
        let _ = write!(
            svg,
            r##"<line x1="{key_x:.1}" x2="{:.1}" y1="18" y2="18" stroke="{colour}" stroke-width="2.5" />{}<text x="{:.1}" y="22" fill="#0b0c0c">{}</text>"##,
            key_x + 30.0,
            marker.draw(key_x + 15.0, 18.0, colour),
            key_x + 36.0,
            escape(name)
        );
        key_x += 60.0 + 8.0 * name.len() as f64;
    }
    let _ = write!(
        svg,
        r##"<line x1="{key_x:.1}" x2="{:.1}" y1="18" y2="18" stroke="#505a5f" stroke-width="1.5" stroke-dasharray="6 4" /><text x="{:.1}" y="22" fill="#0b0c0c">Target (dashed, in its council's colour)</text></svg>"##,
        key_x + 30.0,
        key_x + 36.0
    );
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::reading::Reading;
    use crate::domain::{Status, Unit};
    use crate::model::indicators::{CouncilSeries, Point};

    fn point(quarter: Quarter, value: Option<f64>, target: Option<f64>) -> Point {
        Point {
            reading: Reading {
                quarter,
                value,
                target,
                status: Status::Grey,
                trends: Default::default(),
            },
            commentary: String::new(),
            entered_by: None,
        }
    }

    #[test]
    fn draws_each_council_with_its_own_line_and_the_target_dashed() {
        let q = |i| Quarter::from_index(8068 + i);
        let series = |council| CouncilSeries {
            council,
            points: vec![
                point(q(0), Some(110.0), Some(100.0)),
                point(q(1), None, Some(100.0)),
                point(q(2), Some(95.0), Some(100.0)),
            ],
            editable: None,
            latest_quarterly_target: None,
        };
        let chart = ChartData {
            calendar: Default::default(),
            title: "Residual waste".into(),
            unit: Unit::Kilograms,
            series: crate::domain::council::tests::two()
                .slots(false, &Default::default())
                .into_iter()
                .map(series)
                .collect(),
        };
        let svg = line_chart_svg(&chart, "Line chart of residual waste");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains(r#"aria-label="Line chart of residual waste""#));
        assert_eq!(
            svg.matches("stroke-width=\"2.5\"").count(),
            4,
            "two lines and their keys"
        );
        assert_eq!(
            svg.matches(r#"stroke-dasharray="6 4""#).count(),
            3,
            "each council's target dashed, and the key's"
        );
        assert!(svg.contains(">Target (dashed, in its council's colour)</text>"));
        assert!(svg.contains(">North Vale</text>"));
        // Known values only: two markers for each council's line, one in its key, and the
        // second council's markers are squares, not circles.
        assert_eq!(svg.matches("<circle").count(), 3);
        assert_eq!(
            svg.matches("<rect x=").count(),
            3 + 1,
            "squares and the plot"
        );
        let empty = ChartData {
            calendar: Default::default(),
            series: vec![],
            ..chart
        };
        assert_eq!(line_chart_svg(&empty, "x"), "");
    }
}
