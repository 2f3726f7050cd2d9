//! A small trend chart drawn on the server as inline SVG: the figures are in the table beside it.

use crate::domain::Quarter;
use leptos::prelude::*;

const WIDTH: f64 = 96.0;
const HEIGHT: f64 = 28.0;

/// The markup of a sparkline through the values that exist.
pub fn sparkline_svg(points: &[(Quarter, Option<f64>)]) -> String {
    let known: Vec<(usize, f64)> = points
        .iter()
        .enumerate()
        .filter_map(|(i, (_, v))| v.map(|v| (i, v)))
        .collect();
    if known.len() < 2 {
        return String::new();
    }
    let (low, high) = known.iter().fold((f64::MAX, f64::MIN), |(lo, hi), (_, v)| {
        (lo.min(*v), hi.max(*v))
    });
    let span = if high > low { high - low } else { 1.0 };
    let step = WIDTH / (points.len().max(2) - 1) as f64;
    let coords: Vec<String> = known
        .iter()
        .map(|(i, v)| {
            format!(
                "{:.1},{:.1}",
                *i as f64 * step,
                2.0 + (HEIGHT - 4.0) * (1.0 - (v - low) / span)
            )
        })
        .collect();
    let last = coords.last().cloned().unwrap_or_default();
    let (lx, ly) = last.split_once(',').unwrap_or(("0", "0"));
    format!(
        r#"<svg class="sparkline" viewBox="-3 0 {w} {h}" width="{w}" height="{h}" aria-hidden="true" focusable="false"><polyline points="{}" /><circle cx="{lx}" cy="{ly}" r="2.5" /></svg>"#,
        coords.join(" "),
        w = WIDTH + 6.0,
        h = HEIGHT,
    )
}

#[component]
pub fn Sparkline(points: Vec<(Quarter, Option<f64>)>) -> impl IntoView {
    view! { <span class="sparkline-box" inner_html=sparkline_svg(&points)></span> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_through_known_values_only() {
        let q = |i| Quarter::from_index(8068 + i);
        let svg = sparkline_svg(&[(q(0), Some(1.0)), (q(1), None), (q(2), Some(3.0))]);
        assert!(svg.contains(r#"points="0.0,26.0 96.0,2.0""#), "{svg}");
        assert_eq!(sparkline_svg(&[(q(0), Some(1.0))]), "");
    }
}
