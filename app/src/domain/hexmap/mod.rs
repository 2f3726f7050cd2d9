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
