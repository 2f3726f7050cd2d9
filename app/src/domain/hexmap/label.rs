//! The text inside a hexagon, fitted to it: the output's name wrapped onto as few lines as
//! fit, a little smaller if it must, and shortened (the full name kept for the accessible name
//! and tooltip) only when it truly cannot fit; then the status counts. Every line's box lies
//! inside the hexagon, measured with a width estimate generous enough for any sans-serif
//! bold the browser may use (the browser tests measure the real text against it).

use super::geometry::{Geometry, Point};

/// Font sizes, in SVG units: the name, tried largest first, and the counts. The smallest is
/// 12, so a map drawn at 100 % (as it is on a phone) never shows text under 12 CSS pixels.
pub const NAME_SIZES: [f64; 3] = [14.0, 13.0, 12.0];
pub const COUNTS_SIZE: f64 = 12.0;
/// Line height, in ems.
const LINE_HEIGHT: f64 = 1.25;
/// Space kept between text and the hexagon's edge.
const PADDING: f64 = 5.0;
/// The most lines a name may take.
const MOST_LINES: usize = 3;

/// How wide `text` is drawn at `size`, estimated on the wide side: per character, a little
/// above Arial Bold's widths (and Liberation Sans Bold's, which match them), the font the
/// page asks for. The browser tests measure the real text against the hexagon.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | 'I' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 0.32,
            'f' | 't' | 'r' | ' ' | '(' | ')' | '-' | '/' => 0.42,
            'm' | 'M' | '%' | '@' => 0.95,
            'w' | 'W' => 1.0,
            '✓' | '▲' | '✕' => 0.9,
            '–' | '…' => 0.6,
            c if c.is_uppercase() => 0.76,
            c if c.is_ascii_digit() => 0.6,
            _ => 0.64,
        })
        .sum::<f64>()
        * size
}

/// One line of text in a hexagon: what it says, its size, and its baseline, measured down
/// from the hexagon's centre.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub text: String,
    pub size: f64,
    pub baseline: f64,
}

impl Line {
    /// The line's box around the hexagon's centre: (left, top, right, bottom), from the
    /// ascent of its tallest letter to the descent of its lowest.
    pub fn bounds(&self, centre: Point) -> (f64, f64, f64, f64) {
        let half = text_width(&self.text, self.size) / 2.0;
        (
            centre.0 - half,
            centre.1 + self.baseline - 0.95 * self.size,
            centre.0 + half,
            centre.1 + self.baseline + 0.25 * self.size,
        )
    }
}

/// The text of one hexagon, fitted to it.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub name: Vec<Line>,
    /// The status counts, on one line or, when the hexagon is too narrow there, two.
    pub counts: Vec<Line>,
    /// The name had to be cut short to fit.
    pub shortened: bool,
}

impl Label {
    /// Every line, the name's then the counts'.
    pub fn lines(&self) -> impl Iterator<Item = &Line> {
        self.name.iter().chain(&self.counts)
    }
}

/// Fits `name` and `counts` ("✓3 ▲2 ✕1", broken at spaces when it must) into a hexagon of
/// `geometry`.
pub fn fit(geometry: &Geometry, name: &str, counts: &str) -> Label {
    for size in NAME_SIZES {
        for count_lines in 1..=2 {
            for name_lines in 1..=MOST_LINES {
                let (widths, baselines) = stack(geometry, size, name_lines, count_lines);
                let (name_widths, counts_widths) = widths.split_at(name_lines);
                if let (Some(words), Some(groups)) = (
                    wrap(name, size, name_widths),
                    wrap(counts, COUNTS_SIZE, counts_widths),
                ) {
                    return label(words, size, groups, &baselines, false);
                }
            }
        }
    }
    // Too long for three lines: as much as fits, with the counts on two lines.
    let size = NAME_SIZES[NAME_SIZES.len() - 1];
    let fitted = |name_lines: usize| {
        let (widths, baselines) = stack(geometry, size, name_lines, 2);
        let (name_widths, counts_widths) = widths.split_at(name_lines);
        let groups =
            wrap(counts, COUNTS_SIZE, counts_widths).unwrap_or_else(|| vec![counts.to_string()]);
        (
            shorten(name, size, name_widths),
            groups,
            baselines,
            name_widths.to_vec(),
        )
    };
    let ((lines, shortened), groups, baselines, _) = fitted(MOST_LINES);
    // Fewer lines than room for: centred again when they still fit there.
    let ((fewer, _), fewer_groups, fewer_baselines, widths) = fitted(lines.len());
    if fewer == lines
        && fewer_groups.len() == groups.len()
        && lines
            .iter()
            .zip(&widths)
            .all(|(line, width)| text_width(line, size) <= *width)
    {
        return label(lines, size, groups, &fewer_baselines, shortened);
    }
    label(lines, size, groups, &baselines, shortened)
}

fn label(
    name: Vec<String>,
    size: f64,
    counts: Vec<String>,
    baselines: &[f64],
    shortened: bool,
) -> Label {
    let (name_baselines, counts_baselines) = baselines.split_at(name.len());
    let line = |(text, &baseline): (String, &f64), size: f64| Line {
        text,
        size,
        baseline,
    };
    Label {
        name: name
            .into_iter()
            .zip(name_baselines)
            .map(|pair| line(pair, size))
            .collect(),
        counts: counts
            .into_iter()
            .zip(counts_baselines)
            .map(|pair| line(pair, COUNTS_SIZE))
            .collect(),
        shortened,
    }
}

/// For `name_lines` lines of the name at `size` above `count_lines` lines of counts, centred
/// on the hexagon: the width each line may take, and each one's baseline.
fn stack(
    geometry: &Geometry,
    size: f64,
    name_lines: usize,
    count_lines: usize,
) -> (Vec<f64>, Vec<f64>) {
    let heights = std::iter::repeat_n(size * LINE_HEIGHT, name_lines)
        .chain(std::iter::repeat_n(COUNTS_SIZE * LINE_HEIGHT, count_lines));
    let total: f64 = heights.clone().sum();
    let mut top = -total / 2.0;
    let mut widths = Vec::new();
    let mut baselines = Vec::new();
    for height in heights {
        // The narrower end of the line's box decides.
        let edge = top.abs().max((top + height).abs());
        widths.push(2.0 * (geometry.half_width_at(edge) - PADDING));
        baselines.push(top + height * 0.8);
        top += height;
    }
    (widths, baselines)
}

/// The words of `text` on lines no wider than `widths`, one line each; `None` when they do
/// not fit.
fn wrap(text: &str, size: f64, widths: &[f64]) -> Option<Vec<String>> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        let joined = lines.last().map(|line| format!("{line} {word}"));
        match joined {
            Some(joined) if text_width(&joined, size) <= widths[lines.len() - 1] => {
                *lines.last_mut()? = joined;
            }
            _ => {
                if lines.len() == widths.len() || text_width(word, size) > widths[lines.len()] {
                    return None;
                }
                lines.push(word.to_string());
            }
        }
    }
    Some(lines)
}

/// `text` on lines no wider than `widths`, a word too long for a line broken across lines;
/// failing that, as much of it as fits, ending with "…". Whether it had to be cut short.
fn shorten(text: &str, size: f64, widths: &[f64]) -> (Vec<String>, bool) {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(lines) = wrap_breaking(&text, size, widths) {
        return (lines, false);
    }
    let chars: Vec<char> = text.chars().collect();
    for keep in (0..chars.len()).rev() {
        let kept: String = chars[..keep].iter().collect();
        if let Some(lines) = wrap_breaking(&format!("{}…", kept.trim_end()), size, widths) {
            return (lines, true);
        }
    }
    (vec!["…".to_string()], true)
}

/// Like [`wrap`], but a word too long for a line is broken across lines.
fn wrap_breaking(text: &str, size: f64, widths: &[f64]) -> Option<Vec<String>> {
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let line = lines.last()?;
        let joined = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if text_width(&joined, size) <= *widths.get(lines.len() - 1)? {
            *lines.last_mut()? = joined;
            continue;
        }
        if !lines.last()?.is_empty() {
            lines.push(String::new());
        }
        let mut rest = word;
        loop {
            let width = *widths.get(lines.len() - 1)?;
            let end = rest
                .char_indices()
                .map(|(at, c)| at + c.len_utf8())
                .take_while(|&end| text_width(&rest[..end], size) <= width)
                .last()?;
            *lines.last_mut()? = rest[..end].to_string();
            if end == rest.len() {
                break;
            }
            rest = &rest[end..];
            lines.push(String::new());
        }
    }
    Some(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::hexmap::geometry::MAP;

    fn inside(label: &Label) -> bool {
        let centre = (0.0, 0.0);
        label.lines().all(|line| {
            let (left, top, right, bottom) = line.bounds(centre);
            [(left, top), (right, top), (left, bottom), (right, bottom)]
                .into_iter()
                .all(|corner| MAP.contains(centre, corner))
        })
    }

    #[test]
    fn a_short_name_takes_one_line_at_full_size() {
        let label = fit(&MAP, "Broadband", "✓2 ▲1");
        assert_eq!(label.name.len(), 1);
        assert_eq!(label.name[0].size, NAME_SIZES[0]);
        assert!(!label.shortened);
        assert!(inside(&label));
    }

    #[test]
    fn a_longer_name_wraps_at_spaces_and_keeps_every_word() {
        let label = fit(&MAP, "Less sickness absence", "✓3 ▲2 ✕4 –1");
        assert!(label.name.len() >= 2);
        let words: Vec<&str> = label.name.iter().flat_map(|l| l.text.split(' ')).collect();
        assert_eq!(words, ["Less", "sickness", "absence"]);
        assert!(!label.shortened);
        assert!(inside(&label));
    }

    #[test]
    fn a_name_that_cannot_fit_is_shortened_and_still_inside() {
        let long =
            "Develop a comprehensive programme of neighbourhood regeneration across the district";
        let label = fit(&MAP, long, "No indicators");
        assert!(label.shortened);
        assert!(label.name.last().unwrap().text.ends_with('…'));
        assert!(inside(&label), "{label:?}");
        let broken = fit(&MAP, "Neighbourhoodplanning", "✓1");
        assert!(inside(&broken), "{broken:?}");
        assert!(
            !broken.shortened,
            "broken across lines, every letter kept: {broken:?}"
        );
        assert_eq!(
            broken
                .name
                .iter()
                .map(|l| l.text.as_str())
                .collect::<String>(),
            "Neighbourhoodplanning"
        );
        let unbreakable = fit(&MAP, &"Antidisestablishmentarianism".repeat(3), "✓1");
        assert!(
            unbreakable.shortened && inside(&unbreakable),
            "{unbreakable:?}"
        );
    }

    #[test]
    fn the_counts_of_every_status_fit_under_the_name_on_two_lines_if_need_be() {
        let label = fit(&MAP, "Timely planning decisions", "✓12 ▲12 ✕12 –12");
        assert!(inside(&label), "{label:?}");
    }
}
