//! The hex map's grid: outputs sit on a grid of pointy-topped hexagons in "odd-r" offset
//! coordinates (odd rows pushed half a hexagon right), as in the ODI Leeds HexJSON format.
//! `geometry` draws the grid; `label` fits text into its hexagons.

pub mod geometry;
pub mod label;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where one output sits: column `q`, row `r` counted from the top.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct HexPosition {
    pub q: i32,
    pub r: i32,
}

/// √3, for the width of a pointy-topped hexagon.
const ROOT3: f64 = 1.732_050_807_568_877_2;

impl HexPosition {
    /// The centre of the hexagon in pixels, for hexagons of circumradius `size`.
    pub fn centre(self, size: f64) -> (f64, f64) {
        let shift = if self.r.rem_euclid(2) == 1 { 0.5 } else { 0.0 };
        (
            size * ROOT3 * (f64::from(self.q) + shift),
            size * 1.5 * f64::from(self.r),
        )
    }

    /// The six corners, clockwise from the top, as an SVG `points` list.
    pub fn corners(self, size: f64) -> String {
        let (x, y) = self.centre(size);
        (0..6)
            .map(|corner| {
                let angle = std::f64::consts::PI / 180.0 * (60.0 * f64::from(corner) - 90.0);
                format!(
                    "{:.1},{:.1}",
                    x + size * angle.cos(),
                    y + size * angle.sin()
                )
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The cell whose centre is nearest `point`, for hexagons of circumradius `size`: where a
    /// hexagon dragged to `point` lands.
    pub fn nearest(point: (f64, f64), size: f64) -> HexPosition {
        let row = (point.1 / (size * 1.5)).round() as i32;
        let mut best = HexPosition { q: 0, r: row };
        let mut best_distance = f64::MAX;
        for r in row - 1..=row + 1 {
            let shift = if r.rem_euclid(2) == 1 { 0.5 } else { 0.0 };
            let column = (point.0 / (size * ROOT3) - shift).round() as i32;
            for q in column - 1..=column + 1 {
                let candidate = HexPosition { q, r };
                let (x, y) = candidate.centre(size);
                let distance = (x - point.0).powi(2) + (y - point.1).powi(2);
                if distance < best_distance {
                    (best, best_distance) = (candidate, distance);
                }
            }
        }
        best
    }

    /// The cell one step away in the direction of an arrow key ("ArrowLeft", …): a column
    /// left or right, a row up or down; none for any other key, or past the grid's edge.
    pub fn step(self, key: &str) -> Option<HexPosition> {
        let next = match key {
            "ArrowLeft" => HexPosition {
                q: self.q - 1,
                ..self
            },
            "ArrowRight" => HexPosition {
                q: self.q + 1,
                ..self
            },
            "ArrowUp" => HexPosition {
                r: self.r - 1,
                ..self
            },
            "ArrowDown" => HexPosition {
                r: self.r + 1,
                ..self
            },
            _ => return None,
        };
        (next.q.abs() <= FURTHEST_CELL && next.r.abs() <= FURTHEST_CELL).then_some(next)
    }

    /// A cell as typed into a form: a column and a row, whole numbers within `FURTHEST_CELL`
    /// of the origin.
    pub fn read(column: &str, row: &str) -> Result<HexPosition, crate::domain::input::Invalid> {
        let number = |field: &'static str, text: &str| {
            text.trim()
                .parse::<i32>()
                .ok()
                .filter(|n| n.abs() <= FURTHEST_CELL)
                .ok_or_else(|| crate::domain::input::Invalid {
                    field,
                    message: format!(
                        "Give the {field} as a whole number from -{FURTHEST_CELL} to {FURTHEST_CELL}"
                    ),
                })
        };
        Ok(HexPosition {
            q: number("column", column)?,
            r: number("row", row)?,
        })
    }

    /// Whether two positions are the same cell or touch.
    pub fn distance(self, other: HexPosition) -> i32 {
        let cube = |p: HexPosition| {
            let x = p.q - (p.r - p.r.rem_euclid(2)) / 2;
            (x, p.r, -x - p.r)
        };
        let (a, b) = (cube(self), cube(other));
        ((a.0 - b.0).abs() + (a.1 - b.1).abs() + (a.2 - b.2).abs()) / 2
    }
}

/// The cell a new output takes: the first free cell touching its outcome's other hexagons
/// (`siblings`, nearest ring first; to the right, then below, then round), so an outcome's
/// hexagons stay together; for the first output of an outcome, the top of the column two to
/// the right of the map, leaving a gap.
pub fn free_cell_beside(
    siblings: &[HexPosition],
    taken: &std::collections::HashSet<HexPosition>,
) -> HexPosition {
    let within =
        |cell: &HexPosition| cell.q.abs() <= FURTHEST_CELL && cell.r.abs() <= FURTHEST_CELL;
    let beside = beside(siblings, taken);
    if within(&beside) {
        return beside;
    }
    // Pushed past the edge of the grid: the first free cell in reading order instead.
    (-FURTHEST_CELL..=FURTHEST_CELL)
        .flat_map(|r| (-FURTHEST_CELL..=FURTHEST_CELL).map(move |q| HexPosition { q, r }))
        .find(|cell| !taken.contains(cell))
        .unwrap_or(beside)
}

fn beside(siblings: &[HexPosition], taken: &std::collections::HashSet<HexPosition>) -> HexPosition {
    if siblings.is_empty() {
        return match taken.iter().map(|p| p.q).max() {
            None => HexPosition { q: 0, r: 0 },
            Some(right) => HexPosition {
                q: right + 2,
                r: taken.iter().map(|p| p.r).min().unwrap_or(0),
            },
        };
    }
    let mut seen: std::collections::HashSet<HexPosition> = siblings.iter().copied().collect();
    let mut ring: Vec<HexPosition> = siblings.to_vec();
    loop {
        let mut next = Vec::new();
        for cell in &ring {
            for side in [1, 2, 3, 4, 5, 0] {
                let neighbour = cell.neighbour(side);
                if seen.insert(neighbour) {
                    if !taken.contains(&neighbour) {
                        return neighbour;
                    }
                    next.push(neighbour);
                }
            }
        }
        ring = next;
    }
}

/// The pixel box around hexagons of circumradius `size`: (min x, min y, width, height).
pub fn bounds(positions: impl IntoIterator<Item = HexPosition>, size: f64) -> (f64, f64, f64, f64) {
    let half_width = size * ROOT3 / 2.0;
    let mut min = (f64::MAX, f64::MAX);
    let mut max = (f64::MIN, f64::MIN);
    let mut any = false;
    for position in positions {
        any = true;
        let (x, y) = position.centre(size);
        min = (min.0.min(x - half_width), min.1.min(y - size));
        max = (max.0.max(x + half_width), max.1.max(y + size));
    }
    if !any {
        return (0.0, 0.0, 0.0, 0.0);
    }
    (min.0, min.1, max.0 - min.0, max.1 - min.1)
}

/// One hexagon of a HexJSON document: its cell, its name, and what it belongs to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HexJsonHex {
    pub q: i32,
    pub r: i32,
    pub n: String,
    pub theme: String,
    pub outcome: String,
    pub url: String,
}

/// The map layout in HexJSON: `{"layout": "odd-r", "hexes": {id: {q, r, n, …}}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HexJson {
    pub layout: String,
    pub hexes: BTreeMap<String, HexJsonHex>,
}

impl HexJson {
    pub fn new(hexes: BTreeMap<String, HexJsonHex>) -> Self {
        HexJson {
            layout: "odd-r".to_string(),
            hexes,
        }
    }
}

/// How far from the origin a cell may be: a map wider or taller than this is a mistake.
pub const FURTHEST_CELL: i32 = 200;

/// The cells of an uploaded HexJSON layout, read leniently: any other fields are ignored.
#[derive(Deserialize)]
struct LayoutIn {
    layout: Option<String>,
    hexes: BTreeMap<String, CellIn>,
}

#[derive(Deserialize)]
struct CellIn {
    q: i64,
    r: i64,
}

/// Reads an uploaded HexJSON layout against the plan's outputs (`codes`): an odd-r layout
/// placing every output once, naming no other, no two on one cell, every cell within
/// `FURTHEST_CELL` of the origin. Every problem is listed, in the order found.
pub fn read_layout(
    text: &str,
    codes: &[String],
) -> Result<BTreeMap<String, HexPosition>, Vec<String>> {
    let file: LayoutIn = serde_json::from_str(text).map_err(|error| {
        vec![format!(
            "This is not a HexJSON layout (line {}, column {}): a file like the one \"Download the map layout\" gives is expected",
            error.line(),
            error.column()
        )]
    })?;
    let mut problems = Vec::new();
    if let Some(layout) = file.layout.filter(|l| l != "odd-r") {
        problems.push(format!(
            "The layout is {}: Hexplan's maps are odd-r (odd rows pushed right)",
            super::format::quoted(&layout)
        ));
    }
    let by_key: BTreeMap<String, &String> = codes.iter().map(|c| (c.to_uppercase(), c)).collect();
    let mut cells = BTreeMap::new();
    let mut seen = std::collections::HashSet::new();
    let mut taken: BTreeMap<(i32, i32), String> = BTreeMap::new();
    for (key, cell) in &file.hexes {
        let Some(&code) = by_key.get(&key.trim().to_uppercase()) else {
            problems.push(format!(
                "{} is not an output of this plan",
                super::format::quoted(key)
            ));
            continue;
        };
        if !seen.insert(code) {
            problems.push(format!("{code} is placed twice: place each output once"));
            continue;
        }
        let within = |n: i64| i32::try_from(n).ok().filter(|n| n.abs() <= FURTHEST_CELL);
        let (Some(q), Some(r)) = (within(cell.q), within(cell.r)) else {
            problems.push(format!(
                "{code} is placed at {}, {}: keep cells within {FURTHEST_CELL} of 0, 0",
                cell.q, cell.r
            ));
            continue;
        };
        if let Some(other) = taken.insert((q, r), code.to_string()) {
            problems.push(format!("{other} and {code} are both placed at {q}, {r}"));
        }
        cells.insert(code.to_string(), HexPosition { q, r });
    }
    for code in codes {
        if !file
            .hexes
            .keys()
            .any(|k| k.trim().eq_ignore_ascii_case(code))
        {
            problems.push(format!("{code} is missing: place every output"));
        }
    }
    if problems.is_empty() {
        Ok(cells)
    } else {
        Err(problems)
    }
}

/// The first pair of keys that share a cell, if any: a layout must not stack hexagons.
pub fn first_overlap<'a>(
    cells: impl IntoIterator<Item = (&'a str, HexPosition)>,
) -> Option<(&'a str, &'a str)> {
    let mut seen: BTreeMap<(i32, i32), &str> = BTreeMap::new();
    for (key, position) in cells {
        if let Some(other) = seen.insert((position.q, position.r), key) {
            return Some((other, key));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    use proptest::prelude::*;

    proptest! {
        /// A hexagon dropped anywhere inside a cell lands on that cell.
        #[test]
        fn a_point_within_a_hexagon_lands_on_its_cell(q in -50i32..50, r in -50i32..50, dx in -0.8f64..0.8, dy in -0.8f64..0.8) {
            let cell = HexPosition { q, r };
            let (x, y) = cell.centre(64.0);
            // Within the inscribed circle (radius √3/2 × size), the cell is unambiguous.
            let (dx, dy) = (dx * 64.0 * 0.85 / 1.2, dy * 64.0 * 0.85 / 1.2);
            prop_assume!(dx * dx + dy * dy < (64.0 * 0.85_f64).powi(2));
            prop_assert_eq!(HexPosition::nearest((x + dx, y + dy), 64.0), cell);
        }
    }

    #[test]
    fn arrow_keys_step_a_column_or_a_row_and_stop_at_the_grid_s_edge() {
        let cell = HexPosition { q: 3, r: 2 };
        assert_eq!(cell.step("ArrowLeft"), Some(HexPosition { q: 2, r: 2 }));
        assert_eq!(cell.step("ArrowRight"), Some(HexPosition { q: 4, r: 2 }));
        assert_eq!(cell.step("ArrowUp"), Some(HexPosition { q: 3, r: 1 }));
        assert_eq!(cell.step("ArrowDown"), Some(HexPosition { q: 3, r: 3 }));
        assert_eq!(cell.step("Enter"), None);
        let edge = HexPosition {
            q: FURTHEST_CELL,
            r: 0,
        };
        assert_eq!(edge.step("ArrowRight"), None);
    }

    #[test]
    fn a_new_output_sits_beside_its_outcome_and_a_new_outcome_to_the_right() {
        let cell = |q, r| HexPosition { q, r };
        let taken: std::collections::HashSet<HexPosition> =
            [cell(0, 0), cell(1, 0), cell(0, 1)].into();
        let placed = free_cell_beside(&[cell(0, 0), cell(1, 0)], &taken);
        assert!(!taken.contains(&placed));
        assert_eq!(
            placed.distance(cell(0, 0)).min(placed.distance(cell(1, 0))),
            1
        );
        assert_eq!(free_cell_beside(&[], &taken), cell(3, 0));
        assert_eq!(free_cell_beside(&[], &Default::default()), cell(0, 0));
        // Surrounded: the next ring out.
        let crowded: std::collections::HashSet<HexPosition> = std::iter::once(cell(5, 5))
            .chain((0..6).map(|side| cell(5, 5).neighbour(side)))
            .collect();
        let placed = free_cell_beside(&[cell(5, 5)], &crowded);
        assert_eq!(placed.distance(cell(5, 5)), 2);
        // Never past the edge of the grid.
        let edge: std::collections::HashSet<HexPosition> = [cell(FURTHEST_CELL, 0)].into();
        let placed = free_cell_beside(&[], &edge);
        assert!(placed.q.abs() <= FURTHEST_CELL && !edge.contains(&placed));
        let placed = free_cell_beside(&[cell(FURTHEST_CELL, 0)], &edge);
        assert!(placed.q.abs() <= FURTHEST_CELL && !edge.contains(&placed));
    }

    #[test]
    fn an_uploaded_layout_lists_every_problem() {
        let codes: Vec<String> = ["W1", "W2", "H1"].map(String::from).to_vec();
        let good = r#"{"layout":"odd-r","hexes":{"W1":{"q":0,"r":0,"n":"x"},"w2":{"q":1,"r":0},"H1":{"q":0,"r":1}}}"#;
        let cells = read_layout(good, &codes).unwrap();
        assert_eq!(cells["W2"], HexPosition { q: 1, r: 0 });
        let bad = r#"{"layout":"even-q","hexes":{"W1":{"q":0,"r":0},"W2":{"q":0,"r":0},"ZZ":{"q":5,"r":5},"<b>":{"q":9999,"r":1}}}"#;
        let problems = read_layout(bad, &codes).unwrap_err();
        assert_eq!(
            problems,
            [
                "The layout is \"even-q\": Hexplan's maps are odd-r (odd rows pushed right)",
                "\"<b>\" is not an output of this plan",
                "W1 and W2 are both placed at 0, 0",
                "\"ZZ\" is not an output of this plan",
                "H1 is missing: place every output",
            ]
        );
        let far = r#"{"hexes":{"W1":{"q":0,"r":0},"W2":{"q":1,"r":0},"H1":{"q":201,"r":0}}}"#;
        assert!(read_layout(far, &codes).unwrap_err()[0].starts_with("H1 is placed at 201, 0"));
        assert!(read_layout("not json", &codes).unwrap_err()[0]
            .starts_with("This is not a HexJSON layout"));
        assert!(read_layout(r#"{"hexes":{"W1":{"q":1e99,"r":0}}}"#, &codes).is_err());
        let twice = r#"{"hexes":{"W1":{"q":0,"r":0},"w1":{"q":7,"r":7},"W2":{"q":1,"r":0},"H1":{"q":2,"r":0}}}"#;
        assert_eq!(
            read_layout(twice, &codes).unwrap_err(),
            ["W1 is placed twice: place each output once"]
        );
    }

    #[test]
    fn odd_rows_shift_half_a_hexagon_right() {
        let size = 10.0;
        let (x0, y0) = HexPosition { q: 0, r: 0 }.centre(size);
        let (x1, y1) = HexPosition { q: 0, r: 1 }.centre(size);
        assert_eq!((x0, y0), (0.0, 0.0));
        assert!((x1 - size * ROOT3 / 2.0).abs() < 1e-9);
        assert!((y1 - 15.0).abs() < 1e-9);
        assert_eq!(
            HexPosition { q: 0, r: 0 }.corners(10.0).split(' ').count(),
            6
        );
        assert!(HexPosition { q: 0, r: 0 }
            .corners(10.0)
            .starts_with("0.0,-10.0"));
    }

    #[test]
    fn neighbours_are_one_apart() {
        let here = HexPosition { q: 2, r: 1 };
        // In odd-r, an odd row's neighbours above and below lie at q and q + 1.
        for (q, r) in [(1, 1), (3, 1), (2, 0), (3, 0), (2, 2), (3, 2)] {
            assert_eq!(here.distance(HexPosition { q, r }), 1, "({q}, {r})");
        }
        assert_eq!(here.distance(HexPosition { q: 1, r: 0 }), 2);
    }

    #[test]
    fn bounds_cover_every_hexagon() {
        let (x, y, w, h) = bounds(
            [HexPosition { q: 0, r: 0 }, HexPosition { q: 2, r: 1 }],
            10.0,
        );
        assert!((x + 10.0 * ROOT3 / 2.0).abs() < 1e-9);
        assert!((y + 10.0).abs() < 1e-9);
        assert!(w > 3.0 * 10.0 * ROOT3 - 1e-9);
        assert!((h - 35.0).abs() < 1e-9);
        assert_eq!(bounds([], 10.0), (0.0, 0.0, 0.0, 0.0));
    }

    #[test]
    fn hexjson_has_the_odi_shape() {
        let hexes = BTreeMap::from([(
            "W1".to_string(),
            HexJsonHex {
                q: 1,
                r: 2,
                n: "Reduce waste".into(),
                theme: "Waste".into(),
                outcome: "Less waste".into(),
                url: "/outputs/1".into(),
            },
        )]);
        let json = serde_json::to_value(HexJson::new(hexes)).unwrap();
        assert_eq!(json["layout"], "odd-r");
        assert_eq!(json["hexes"]["W1"]["q"], 1);
        assert_eq!(json["hexes"]["W1"]["r"], 2);
        assert_eq!(json["hexes"]["W1"]["n"], "Reduce waste");
    }

    #[test]
    fn overlaps_are_found() {
        let p = HexPosition { q: 0, r: 0 };
        assert_eq!(
            first_overlap([("a", p), ("b", HexPosition { q: 1, r: 0 })]),
            None
        );
        assert_eq!(
            first_overlap([("a", p), ("b", HexPosition { q: 1, r: 0 }), ("c", p)]),
            Some(("a", "c"))
        );
    }

    proptest! {
        #[test]
        fn distinct_cells_never_overlap_on_screen(q1 in -20i32..20, r1 in -20i32..20, q2 in -20i32..20, r2 in -20i32..20) {
            prop_assume!((q1, r1) != (q2, r2));
            let a = HexPosition { q: q1, r: r1 }.centre(10.0);
            let b = HexPosition { q: q2, r: r2 }.centre(10.0);
            let gap = ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
            // Centres of distinct cells are at least one inradius pair (√3 × size) apart.
            prop_assert!(gap >= 10.0 * ROOT3 - 1e-6);
        }
    }
}
