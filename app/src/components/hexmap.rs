//! The JSP hexagon map, drawn as one SVG on the server. Each output is a real link whose
//! accessible name gives its status counts; a shape and text go with every colour.

use super::escape;
use super::filters::view_href;
use crate::api::map::{MapView, OutputOnMap};
use crate::domain::hexmap::{bounds, HexPosition};
use crate::domain::Status;
use leptos::prelude::*;

/// The circumradius of a hexagon, in SVG units.
const SIZE: f64 = 56.0;
/// Room above each group of hexagons for the theme's name.
const LABEL_ROOM: f64 = 44.0;

/// Splits text into lines of at most `width` characters, at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// Text lines centred on (x, y), `gap` apart.
fn text_lines(class: &str, x: f64, y: f64, gap: f64, lines: &[String]) -> String {
    let top = y - gap * (lines.len() as f64 - 1.0) / 2.0;
    let spans: String = lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            format!(
                r#"<tspan x="{x:.1}" y="{:.1}">{}</tspan>"#,
                top + gap * i as f64,
                escape(line)
            )
        })
        .collect();
    format!(r#"<text class="{class}" text-anchor="middle">{spans}</text>"#)
}

/// The accessible name of a hexagon: what it shows, the output, and its status counts.
pub fn describe(output: &OutputOnMap) -> String {
    // The words shown inside the hexagon come first, so speech users can say what they see.
    if output.short_title == output.title {
        format!("{}: {}", output.title, describe_counts(output))
    } else {
        format!(
            "{} – {}: {}",
            output.short_title,
            output.title,
            describe_counts(output)
        )
    }
}

/// "5 indicators; 2 near target, 3 off target", or "no indicators yet".
pub fn describe_counts(output: &OutputOnMap) -> String {
    match output.counts.total() {
        0 => "no indicators yet".to_string(),
        1 => format!("1 indicator; {}", output.counts.describe()),
        total => format!("{total} indicators; {}", output.counts.describe()),
    }
}

fn hexagon(output: &OutputOnMap, href: &str) -> String {
    let (x, y) = output.position.centre(SIZE);
    let y = y + LABEL_ROOM;
    let corners = HexPosition {
        q: output.position.q,
        r: output.position.r,
    }
    .corners(SIZE - 2.0)
    .split(' ')
    .map(|point| {
        let (px, py) = point.split_once(',').unwrap_or(("0", "0"));
        format!("{px},{:.1}", py.parse::<f64>().unwrap_or(0.0) + LABEL_ROOM)
    })
    .collect::<Vec<_>>()
    .join(" ");
    let status = output.counts.prevailing();
    let empty = output.counts.total() == 0;
    let modifier = if empty {
        "none".to_string()
    } else {
        status.code().to_string()
    };
    let label = text_lines(
        "hex__label",
        x,
        y + 2.0,
        13.0,
        &wrap(&output.short_title, 13),
    );
    let counts: String = if empty {
        text_lines(
            "hex__counts",
            x,
            y + 30.0,
            12.0,
            &["No indicators".to_string()],
        )
    } else {
        let parts: Vec<String> = Status::ALL
            .into_iter()
            .filter(|s| output.counts.get(*s) > 0)
            .map(|s| format!("{}{}", s.symbol(), output.counts.get(s)))
            .collect();
        text_lines("hex__counts", x, y + 30.0, 12.0, &[parts.join(" ")])
    };
    let mut summary_lines = vec![format!("{} indicators", output.counts.total())];
    summary_lines.extend(
        Status::ALL
            .into_iter()
            .filter(|s| output.counts.get(*s) > 0)
            .map(|s| {
                format!(
                    "{} {} {}",
                    s.symbol(),
                    output.counts.get(s),
                    s.label().to_lowercase()
                )
            }),
    );
    if empty {
        summary_lines = wrap("No indicators yet", 13);
    }
    let summary = text_lines("hex__summary", x, y, 13.0, &summary_lines);
    let symbol = if empty { "" } else { status.symbol() };
    format!(
        r##"<g class="hex-cell hex-cell--{modifier}"><a href="{href}" class="hex" aria-label="{name}" data-output="{code}"><title>{name}</title><polygon class="hex__shape" points="{corners}" /></a><g class="hex__text" aria-hidden="true"><text class="hex__symbol" x="{x:.1}" y="{sy:.1}" text-anchor="middle">{symbol}</text>{label}{counts}{summary}</g></g>"##,
        name = escape(&describe(output)),
        code = escape(&output.code),
        sy = y - 24.0,
    )
}

/// The whole map as SVG markup.
pub fn map_svg(map: &MapView) -> String {
    let (min_x, min_y, width, height) = bounds(map.outputs().map(|(_, o)| o.position), SIZE);
    let mut svg = format!(
        r#"<svg class="hexmap__svg" viewBox="{:.1} {:.1} {:.1} {:.1}" role="group" aria-labelledby="hexmap-title"><title id="hexmap-title">Hexagon map of the Joint Strategic Plan: each output, coloured and marked by the status of its indicators</title>"#,
        min_x - 4.0,
        min_y - 4.0,
        width + 8.0,
        height + LABEL_ROOM + 8.0,
    );
    for theme in &map.themes {
        let outputs: Vec<&OutputOnMap> = theme
            .outcomes
            .iter()
            .flat_map(|o| o.outputs.iter())
            .collect();
        let Some(top) = outputs.iter().map(|o| o.position.r).min() else {
            continue;
        };
        let (left, _, group_width, _) = bounds(outputs.iter().map(|o| o.position), SIZE);
        let (_, top_y) = HexPosition { q: 0, r: top }.centre(SIZE);
        let lines = wrap(&theme.title, ((group_width / 8.0) as usize).max(14));
        let label_y = top_y + LABEL_ROOM - SIZE - 10.0 - 16.0 * (lines.len() as f64 - 1.0) / 2.0;
        svg.push_str(&format!(
            r#"<g class="hexmap__theme" role="group" aria-label="{}">"#,
            escape(&theme.title)
        ));
        svg.push_str(&text_lines(
            "hexmap__theme-label",
            left + group_width / 2.0,
            label_y,
            16.0,
            &lines,
        ));
        for output in outputs {
            let href = view_href(
                &format!("/outputs/{}", output.id),
                map.council,
                Some(map.period),
            );
            svg.push_str(&hexagon(output, &escape(&href)));
        }
        svg.push_str("</g>");
    }
    svg.push_str("</svg>");
    svg
}

#[component]
pub fn HexMap(map: MapView) -> impl IntoView {
    view! { <div class="hexmap" inner_html=map_svg(&map)></div> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces() {
        assert_eq!(
            wrap("Less residual waste", 13),
            vec!["Less residual", "waste"]
        );
        assert_eq!(wrap("Volunteering", 5), vec!["Volunteering"]);
        assert!(wrap("", 5).is_empty());
    }
}
