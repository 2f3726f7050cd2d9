//! The one geometry of the map: where each hexagon's centre is, the outline drawn (smaller
//! than its cell, so neighbours keep a visible gap), the focus ring around it, the outline of
//! each outcome's group, and where a summary beside it goes. Shapes, text, focus rings and
//! summaries all come from here, so they cannot drift apart.

use super::{HexPosition, ROOT3};

/// The sizes of the map, in SVG units (CSS pixels when the map is drawn at 100 %).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Geometry {
    /// The circumradius of a cell of the grid: neighbouring centres are √3 × `cell` apart.
    pub cell: f64,
    /// The space between the edges of neighbouring hexagons.
    pub gap: f64,
}

/// The map's geometry.
pub const MAP: Geometry = Geometry {
    cell: 64.0,
    gap: 6.0,
};

/// A point in SVG units.
pub type Point = (f64, f64);

impl Geometry {
    /// The centre of the hexagon at `position`.
    pub fn centre(&self, position: HexPosition) -> Point {
        position.centre(self.cell)
    }

    /// The circumradius of a drawn hexagon: the cell's, less what leaves `gap` between the
    /// parallel edges of neighbours.
    pub fn radius(&self) -> f64 {
        self.cell - self.gap / ROOT3
    }

    /// The corners of a pointy-topped hexagon of circumradius `radius` around `centre`,
    /// clockwise from the top.
    pub fn corners(centre: Point, radius: f64) -> [Point; 6] {
        std::array::from_fn(|corner| {
            let angle = std::f64::consts::PI / 180.0 * (60.0 * corner as f64 - 90.0);
            (
                centre.0 + radius * angle.cos(),
                centre.1 + radius * angle.sin(),
            )
        })
    }

    /// The outline drawn for the hexagon at `position`.
    pub fn outline(&self, position: HexPosition) -> [Point; 6] {
        Self::corners(self.centre(position), self.radius())
    }

    /// The focus ring: just outside the outline, within the gap, so it never covers a
    /// neighbour.
    pub fn ring(&self, position: HexPosition) -> [Point; 6] {
        Self::corners(self.centre(position), self.radius() + self.gap / 3.0)
    }

    /// How far either side of the centre a drawn hexagon reaches, `dy` above or below it.
    pub fn half_width_at(&self, dy: f64) -> f64 {
        let radius = self.radius();
        let dy = dy.abs();
        if dy <= radius / 2.0 {
            radius * ROOT3 / 2.0
        } else {
            (ROOT3 * (radius - dy)).max(0.0)
        }
    }

    /// Whether `point` lies inside the drawn hexagon around `centre`.
    pub fn contains(&self, centre: Point, point: Point) -> bool {
        let dy = point.1 - centre.1;
        dy.abs() <= self.radius() && (point.0 - centre.0).abs() <= self.half_width_at(dy) + 1e-9
    }

    /// The segments of the cell boundary around a group of cells that border no other cell of
    /// the group: the group's outline, drawn in the gaps around it.
    pub fn group_outline(&self, cells: &[HexPosition]) -> Vec<(Point, Point)> {
        let mut segments = Vec::new();
        for &cell in cells {
            let corners = Self::corners(self.centre(cell), self.cell);
            for side in 0..6 {
                if !cells.contains(&cell.neighbour(side)) {
                    segments.push((corners[side], corners[(side + 1) % 6]));
                }
            }
        }
        segments
    }
}

impl HexPosition {
    /// The neighbour across side `side` of a pointy-topped hexagon, counting its sides
    /// clockwise from the upper right (the side from corner `side` to corner `side + 1`).
    pub fn neighbour(self, side: usize) -> HexPosition {
        let odd = self.r.rem_euclid(2) == 1;
        // Rows above and below reach half a cell left on even rows, right on odd ones.
        let (up_left, up_right) = if odd { (0, 1) } else { (-1, 0) };
        let (dq, dr) = match side % 6 {
            0 => (up_right, -1),
            1 => (1, 0),
            2 => (up_right, 1),
            3 => (up_left, 1),
            4 => (-1, 0),
            _ => (up_left, -1),
        };
        HexPosition {
            q: self.q + dq,
            r: self.r + dr,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn distance(a: Point, b: Point) -> f64 {
        ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
    }

    #[test]
    fn neighbours_share_a_side_and_are_one_step_away() {
        for here in [HexPosition { q: 3, r: 2 }, HexPosition { q: 3, r: 3 }] {
            let corners = Geometry::corners(MAP.centre(here), MAP.cell);
            for side in 0..6 {
                let there = here.neighbour(side);
                assert_eq!(here.distance(there), 1, "{here:?} side {side}");
                // The side's midpoint is halfway between the two centres.
                let middle = (
                    (corners[side].0 + corners[(side + 1) % 6].0) / 2.0,
                    (corners[side].1 + corners[(side + 1) % 6].1) / 2.0,
                );
                let (a, b) = (MAP.centre(here), MAP.centre(there));
                assert!(distance(middle, ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0)) < 1e-9);
            }
        }
    }

    #[test]
    fn neighbours_keep_the_gap_between_them_and_their_focus_rings() {
        let here = HexPosition { q: 2, r: 2 };
        for side in 0..6 {
            let there = here.neighbour(side);
            let (a, b) = (MAP.centre(here), MAP.centre(there));
            // Edge to edge, along the line between centres: the two inradii apart.
            let inradius = MAP.radius() * ROOT3 / 2.0;
            let gap = distance(a, b) - 2.0 * inradius;
            assert!((gap - MAP.gap).abs() < 1e-9, "side {side}: {gap}");
            for corner in MAP.ring(here) {
                assert!(!MAP.contains(b, corner), "the ring covers a neighbour");
            }
        }
    }

    #[test]
    fn a_groups_outline_runs_only_round_its_edge() {
        let row = [HexPosition { q: 0, r: 0 }, HexPosition { q: 1, r: 0 }];
        // Twelve sides, two shared.
        assert_eq!(MAP.group_outline(&row).len(), 10);
        assert_eq!(MAP.group_outline(&row[..1]).len(), 6);
    }

    #[test]
    fn the_label_room_narrows_towards_the_points() {
        let r = MAP.radius();
        assert!((MAP.half_width_at(0.0) - r * ROOT3 / 2.0).abs() < 1e-9);
        assert!((MAP.half_width_at(r / 2.0) - r * ROOT3 / 2.0).abs() < 1e-9);
        assert!(MAP.half_width_at(r * 0.75) < MAP.half_width_at(r / 2.0));
        assert_eq!(MAP.half_width_at(r), 0.0);
        let centre = (0.0, 0.0);
        assert!(MAP.contains(centre, (0.0, r - 0.1)));
        assert!(!MAP.contains(centre, (r * 0.8, r * 0.8)));
    }
}
