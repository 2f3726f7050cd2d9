//! The JSP hexagon map, drawn as one SVG on the server from the map's one geometry
//! (`domain::hexmap::geometry`). Each output is a real link whose accessible name gives its
//! outcome and status counts; a symbol and words go with every colour; each outcome's
//! hexagons are outlined together and numbered, and the theme's heading names its outcomes.
//! A summary of each output waits in a layer above the map, beside its hexagon, for the map
//! island to show on hover and focus.

use super::escape;
use super::filters::view_href;
use crate::domain::hexmap::geometry::{Geometry, Point, MAP};
use crate::domain::hexmap::label::{self, text_width, Line};
use crate::domain::hexmap::{bounds, HexPosition};
use crate::domain::Status;
use crate::model::map::{MapView, OutputOnMap, ThemeOnMap};
use leptos::prelude::*;
use std::fmt::Write;

/// The theme's heading: its title, then a line for each outcome.
const THEME_SIZE: f64 = 16.0;
const OUTCOME_SIZE: f64 = 12.0;
/// The outcome's number at the top of each of its hexagons.
const NUMBER_SIZE: f64 = 12.0;
/// The summary beside a hexagon.
const TIP_SIZE: f64 = 13.0;
const TIP_WIDTH: f64 = 190.0;
/// Space between the map's parts.
const MARGIN: f64 = 8.0;
/// Colours of the text and lines outside the hexagons.
const TEXT: &str = "#0b0c0c";
const SECONDARY: &str = "#505a5f";

/// What the map is drawn for: the page (with focus rings, and summaries for the island to
/// show), or print and download (a still picture, every colour in its own attributes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Drawing {
    Page,
    Print,
}

/// Splits text into lines no wider than `width` at `size`, at spaces.
fn wrap(text: &str, size: f64, width: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if text_width(&format!("{line} {word}"), size) <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// One `<text>` of lines, each centred on `x` or starting at it (`anchor`).
fn text<S: AsRef<str>>(
    class: &str,
    anchor: &str,
    size: f64,
    weight: u16,
    lines: &[(f64, f64, S)],
) -> String {
    let spans: String = lines
        .iter()
        .map(|(x, y, line)| {
            format!(
                r#"<tspan x="{x:.1}" y="{y:.1}">{}</tspan>"#,
                escape(line.as_ref())
            )
        })
        .collect();
    format!(
        r#"<text class="{class}" text-anchor="{anchor}" font-size="{size}" font-weight="{weight}">{spans}</text>"#
    )
}

fn points(corners: &[Point]) -> String {
    corners
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The accessible name of a hexagon: what it shows, the output, its outcome and its status
/// counts.
pub fn describe(output: &OutputOnMap, outcome: &str) -> String {
    // The words shown inside the hexagon come first, so speech users can say what they see.
    let name = if output.short_title == output.title {
        output.title.clone()
    } else {
        format!("{} – {}", output.short_title, output.title)
    };
    format!("{name} (outcome: {outcome}): {}", describe_counts(output))
}

/// "5 indicators; 2 near target, 3 off target", or "no indicators yet".
pub fn describe_counts(output: &OutputOnMap) -> String {
    match output.counts.total() {
        0 => "no indicators yet".to_string(),
        1 => format!("1 indicator; {}", output.counts.describe()),
        total => format!("{total} indicators; {}", output.counts.describe()),
    }
}

/// "✓3 ▲2 ✕1", or "No indicators".
fn counts_line(output: &OutputOnMap) -> String {
    if output.counts.total() == 0 {
        return "No indicators".to_string();
    }
    Status::ALL
        .into_iter()
        .filter(|s| output.counts.get(*s) > 0)
        .map(|s| format!("{}{}", s.symbol(), output.counts.get(s)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The fill and line of a hexagon: its prevailing status's, or none for an output without
/// indicators.
fn colours(output: &OutputOnMap) -> (&'static str, &'static str, &'static str) {
    if output.counts.total() == 0 {
        ("none", "#ffffff", Status::Grey.line())
    } else {
        let status = output.counts.prevailing();
        (status.code(), status.fill(), status.line())
    }
}

/// One hexagon: its link and shape, its focus ring (on the page), its outcome's number and
/// its label.
fn hexagon(
    geometry: &Geometry,
    output: &OutputOnMap,
    outcome: (usize, &str),
    href: &str,
    drawing: Drawing,
) -> String {
    let centre = geometry.centre(output.position);
    let (modifier, fill, line) = colours(output);
    let fitted = label::fit(geometry, &output.short_title, &counts_line(output));
    let name = describe(output, outcome.1);
    let lines: Vec<(f64, f64, &str)> = fitted
        .name
        .iter()
        .map(|l: &Line| (centre.0, centre.1 + l.baseline, l.text.as_str()))
        .collect();
    let size = fitted.name.first().map_or(label::NAME_SIZES[0], |l| l.size);
    let number_y = centre.1 + fitted.name.first().map_or(0.0, |l| l.baseline - l.size) - 4.0;
    let ring = match drawing {
        Drawing::Page => format!(
            r#"<polygon class="hex__ring" points="{}" />"#,
            points(&geometry.ring(output.position))
        ),
        Drawing::Print => String::new(),
    };
    let dashes = if modifier == "none" {
        r#" stroke-dasharray="6 4""#
    } else {
        ""
    };
    format!(
        r##"<g class="hex-cell hex-cell--{modifier}"><a href="{href}" class="hex" aria-label="{name}" data-output="{code}"><title>{name}</title><polygon class="hex__shape" points="{shape}" fill="{fill}" stroke="{line}" stroke-width="2"{dashes} /></a>{ring}<g class="hex__text" fill="{TEXT}" aria-hidden="true">{number}{label}{counts}</g></g>"##,
        name = escape(&name),
        code = escape(&output.code),
        shape = points(&geometry.outline(output.position)),
        number = text(
            "hex__number",
            "middle",
            NUMBER_SIZE,
            400,
            &[(centre.0, number_y, &outcome.0.to_string())]
        ),
        label = text("hex__label", "middle", size, 700, &lines),
        counts = text(
            "hex__counts",
            "middle",
            label::COUNTS_SIZE,
            400,
            &fitted
                .counts
                .iter()
                .map(|l| (centre.0, centre.1 + l.baseline, l.text.as_str()))
                .collect::<Vec<_>>()
        ),
    )
}

/// The summary of an output, beside its hexagon (right of it, or left where the map ends),
/// hidden until the map island shows it: its full name, its outcome and its counts in words.
fn tip(geometry: &Geometry, output: &OutputOnMap, outcome: &str, view: (f64, f64)) -> String {
    let centre = geometry.centre(output.position);
    let inner = TIP_WIDTH - 2.0 * MARGIN;
    let title = wrap(&output.title, TIP_SIZE, inner);
    let mut lines = wrap(&format!("Outcome: {outcome}"), TIP_SIZE, inner);
    if output.counts.total() == 0 {
        lines.push("No indicators yet".to_string());
    } else {
        lines.push(format!("{} indicators:", output.counts.total()));
        lines.extend(
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
    }
    let line_height = TIP_SIZE * 1.3;
    let height = line_height * (title.len() + lines.len()) as f64 + MARGIN * 1.5;
    let beside = geometry.radius() + geometry.gap;
    let left = if centre.0 + beside + TIP_WIDTH <= view.1 {
        centre.0 + beside
    } else {
        (centre.0 - beside - TIP_WIDTH).max(view.0)
    };
    let top = centre.1 - height / 2.0;
    let row = |i: usize| top + MARGIN + line_height * (i as f64 + 0.8);
    let rows = |from: usize, lines: &[String]| -> Vec<(f64, f64, String)> {
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| (left + MARGIN, row(from + i), l.clone()))
            .collect()
    };
    let (title_rows, rest_rows) = (rows(0, &title), rows(title.len(), &lines));
    format!(
        r#"<g class="hex-tip" data-for="{code}"><rect class="hex-tip__box" x="{left:.1}" y="{top:.1}" width="{TIP_WIDTH}" height="{height:.1}" rx="4" />{title}{text}</g>"#,
        code = escape(&output.code),
        title = text("hex-tip__text", "start", TIP_SIZE, 700, &title_rows),
        text = text("hex-tip__text", "start", TIP_SIZE, 400, &rest_rows),
    )
}

/// A theme's heading above its hexagons: its title, then "1 …", "2 …" for its outcomes, in
/// the width its hexagons take (and never less than a hexagon and a half).
fn heading(theme: &ThemeOnMap, left: f64, width: f64, bottom: f64) -> (String, f64) {
    let width = width.max(MAP.cell * 3.0);
    let title = wrap(&theme.title, THEME_SIZE, width);
    let outcomes: Vec<String> = theme
        .outcomes
        .iter()
        .enumerate()
        .flat_map(|(n, outcome)| wrap(&format!("{} {}", n + 1, outcome.title), OUTCOME_SIZE, width))
        .collect();
    let title_height = THEME_SIZE * 1.25;
    let outcome_height = OUTCOME_SIZE * 1.3;
    let height = title_height * title.len() as f64 + outcome_height * outcomes.len() as f64;
    let top = bottom - height;
    let centre = left + width / 2.0;
    let title_lines: Vec<(f64, f64, &str)> = title
        .iter()
        .enumerate()
        .map(|(i, l)| (centre, top + title_height * (i as f64 + 0.8), l.as_str()))
        .collect();
    let outcome_top = top + title_height * title.len() as f64;
    let outcome_lines: Vec<(f64, f64, &str)> = outcomes
        .iter()
        .enumerate()
        .map(|(i, l)| {
            (
                centre,
                outcome_top + outcome_height * (i as f64 + 0.8),
                l.as_str(),
            )
        })
        .collect();
    (
        format!(
            "{}{}",
            text(
                "hexmap__theme-label",
                "middle",
                THEME_SIZE,
                700,
                &title_lines
            ),
            text(
                "hexmap__outcomes",
                "middle",
                OUTCOME_SIZE,
                400,
                &outcome_lines
            )
        ),
        height,
    )
}

/// The outline round a group of hexagons, as one SVG path.
fn outline(geometry: &Geometry, cells: &[HexPosition]) -> String {
    let mut path = String::new();
    for (from, to) in geometry.group_outline(cells) {
        let _ = write!(path, "M{:.1},{:.1}L{:.1},{:.1}", from.0, from.1, to.0, to.1);
    }
    path
}

/// The whole map as SVG markup, for `drawing`.
pub fn map_svg(map: &MapView, drawing: Drawing) -> String {
    picture(map, drawing).0
}

/// The map as SVG markup, and the width and height it is drawn at 100 %.
fn picture(map: &MapView, drawing: Drawing) -> (String, f64, f64) {
    let geometry = MAP;
    let (min_x, min_y, width, height) =
        bounds(map.outputs().map(|(_, o)| o.position), geometry.cell);
    let right_edge = min_x + width;
    let mut body = String::new();
    let mut tips = String::new();
    let mut top = min_y;
    for theme in &map.themes {
        let cells: Vec<HexPosition> = theme
            .outcomes
            .iter()
            .flat_map(|o| o.outputs.iter().map(|output| output.position))
            .collect();
        if cells.is_empty() {
            continue;
        }
        let (left, group_top, group_width, _) = bounds(cells.iter().copied(), geometry.cell);
        let (heading, heading_height) = heading(theme, left, group_width, group_top - MARGIN);
        top = top.min(group_top - MARGIN - heading_height);
        let _ = write!(
            body,
            r#"<g class="hexmap__theme" role="group" aria-label="{}">{heading}"#,
            escape(&theme.title)
        );
        for (n, outcome) in theme.outcomes.iter().enumerate() {
            let outcome_cells: Vec<HexPosition> =
                outcome.outputs.iter().map(|o| o.position).collect();
            let _ = write!(
                body,
                r#"<g class="hexmap__outcome" role="group" aria-label="Outcome {}: {}"><path class="hexmap__outcome-line" d="{}" fill="none" stroke="{SECONDARY}" stroke-width="1.5" stroke-dasharray="5 3" />"#,
                n + 1,
                escape(&outcome.title),
                outline(&geometry, &outcome_cells)
            );
            for output in &outcome.outputs {
                let href = view_href(
                    &format!("/outputs/{}", output.id),
                    &map.council,
                    Some(map.period),
                );
                body.push_str(&hexagon(
                    &geometry,
                    output,
                    (n + 1, &outcome.title),
                    &escape(&href),
                    drawing,
                ));
                if drawing == Drawing::Page {
                    tips.push_str(&tip(&geometry, output, &outcome.title, (min_x, right_edge)));
                }
            }
            body.push_str("</g>");
        }
        body.push_str("</g>");
    }
    // The summaries may reach beyond the hexagons' box; leave room for the widest.
    // Whole units, so the map drawn at its own size is drawn at exactly 100 %.
    let (view_left, view_top) = ((min_x - MARGIN).floor(), (top - MARGIN).floor());
    let view_width = (min_x + width + MARGIN - view_left).ceil();
    let view_height = (min_y + height + MARGIN - view_top).ceil();
    // A small plan's map is drawn at its own size rather than blown up to the page's width.
    let natural = if view_width < NATURAL_BELOW {
        " hexmap__svg--natural"
    } else {
        ""
    };
    let svg = format!(
        r#"<svg class="hexmap__svg{natural}" xmlns="http://www.w3.org/2000/svg" viewBox="{view_left} {view_top} {view_width} {view_height}" width="{view_width}" height="{view_height}" role="group" aria-labelledby="hexmap-title"><title id="hexmap-title">Hexagon map of the plan: each output, coloured and marked by the status of its indicators, grouped by outcome within each theme</title>{body}<g class="hexmap__tips" aria-hidden="true">{tips}</g></svg>"#
    );
    (svg, view_width, view_height)
}

/// The map with its heading and key above it, as one picture to download for a committee
/// paper: "Joint Strategic Plan 2016–20, 2017/18 Q2 (1 July to 30 September 2017), both
/// councils".
pub fn standalone_svg(map: &MapView, heading: &str) -> String {
    let (inner, width, height) = picture(map, Drawing::Print);
    let key_top = 44.0;
    let map_top = key_top + 34.0;
    let mut key = String::new();
    let mut x = MARGIN;
    for status in Status::ALL {
        let words = format!("{} {}", status.symbol(), status.label());
        let _ = write!(
            key,
            r#"<polygon points="{}" fill="{}" stroke="{}" stroke-width="1.5" />{}"#,
            points(&Geometry::corners((x + 9.0, key_top + 10.0), 10.0)),
            status.fill(),
            status.line(),
            text(
                "key",
                "start",
                14.0,
                400,
                &[(x + 24.0, key_top + 15.0, words.as_str())]
            )
        );
        x += 40.0 + text_width(&words, 14.0);
    }
    let _ = write!(
        key,
        r##"<polygon points="{}" fill="#ffffff" stroke="{}" stroke-width="1.5" stroke-dasharray="3 2" />{}"##,
        points(&Geometry::corners((x + 9.0, key_top + 10.0), 10.0)),
        Status::Grey.line(),
        text(
            "key",
            "start",
            14.0,
            400,
            &[(x + 24.0, key_top + 15.0, "No indicators yet")]
        )
    );
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {total}" width="{width}" height="{total}" font-family="Arial, 'Liberation Sans', 'DejaVu Sans Condensed', sans-serif"><rect width="100%" height="100%" fill="#ffffff" />{title}<g fill="{TEXT}">{key}</g>{map}</svg>"##,
        total = map_top + height,
        title = text("title", "start", 20.0, 700, &[(MARGIN, 28.0, heading)]).replacen(
            "<text ",
            &format!(r#"<text fill="{TEXT}" "#),
            1
        ),
        map = inner.replacen("<svg ", &format!(r#"<svg x="0" y="{map_top}" "#), 1),
    )
}

/// Maps narrower than this, in pixels at their own size, are not stretched to the page.
const NATURAL_BELOW: f64 = 960.0;

#[component]
pub fn HexMap(map: MapView) -> impl IntoView {
    view! { <div class="hexmap" inner_html=map_svg(&map, Drawing::Page)></div> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces_within_the_width() {
        let lines = wrap("Less residual waste and more", 12.0, 100.0);
        assert!(lines.len() > 1);
        assert!(lines
            .iter()
            .all(|l| text_width(l, 12.0) <= 100.0 || !l.contains(' ')));
        assert!(wrap("", 12.0, 50.0).is_empty());
    }
}
