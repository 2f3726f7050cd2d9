//! RAG status of a value against its target, with polarity and amber tolerance.

use super::Polarity;
use serde::{Deserialize, Serialize};

/// The default amber tolerance: a target missed by no more than 10 % of itself is amber.
pub const DEFAULT_AMBER_TOLERANCE: f64 = 10.0;

/// Green = met; amber = missed by no more than the tolerance; red = missed by more;
/// grey = no data, no target, or data only. Never shown by colour alone: each status has a
/// word and a shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Status {
    // Declared from worst to best so that `min` picks the worse of two.
    Red,
    Amber,
    Green,
    Grey,
}

impl Status {
    /// In the order a legend lists them.
    pub const ALL: [Status; 4] = [Status::Green, Status::Amber, Status::Red, Status::Grey];

    pub fn code(self) -> &'static str {
        match self {
            Self::Green => "green",
            Self::Amber => "amber",
            Self::Red => "red",
            Self::Grey => "grey",
        }
    }

    /// The words that go with the colour.
    pub fn label(self) -> &'static str {
        match self {
            Self::Green => "On target",
            Self::Amber => "Near target",
            Self::Red => "Off target",
            Self::Grey => "No status",
        }
    }

    /// The map's fill for the status. Chosen so that each is told from every other by people
    /// with the common colour-vision deficiencies too (tested below), and dark text on each
    /// keeps a contrast of at least 4.5:1.
    pub fn fill(self) -> &'static str {
        match self {
            Self::Green => "#238e7c",
            Self::Amber => "#f9c21f",
            Self::Red => "#e84f30",
            Self::Grey => "#e8e8e8",
        }
    }

    /// The map's outline for the status: darker than its fill.
    pub fn line(self) -> &'static str {
        match self {
            Self::Green => "#0f5a4d",
            Self::Amber => "#8a6100",
            Self::Red => "#8f2413",
            Self::Grey => "#6f777b",
        }
    }

    /// The shape that goes with the colour: a tick in a circle, a triangle, a cross in a
    /// square, a dash.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Green => "✓",
            Self::Amber => "▲",
            Self::Red => "✕",
            Self::Grey => "–",
        }
    }

    /// How far the status is from good news: red 0, amber 1, green 2. Grey has none.
    fn severity(self) -> Option<u8> {
        match self {
            Self::Red => Some(0),
            Self::Amber => Some(1),
            Self::Green => Some(2),
            Self::Grey => None,
        }
    }
}

/// The RAG status of `value` against `target`.
///
/// `amber_tolerance` is a percentage of the target: with a target of 80 and 10 %, values from
/// 72 (higher is better) or up to 88 (lower is better) are amber. Anything not finite is no data.
pub fn status(
    value: Option<f64>,
    target: Option<f64>,
    polarity: Polarity,
    amber_tolerance: f64,
) -> Status {
    let (Some(value), Some(target)) = (value, target) else {
        return Status::Grey;
    };
    if !value.is_finite() || !target.is_finite() {
        return Status::Grey;
    }
    let shortfall = match polarity {
        Polarity::HigherIsBetter => target - value,
        Polarity::LowerIsBetter => value - target,
        Polarity::DataOnly => return Status::Grey,
    };
    let tolerance = amber_tolerance.clamp(0.0, 100.0) / 100.0 * target.abs();
    if shortfall <= 0.0 {
        Status::Green
    } else if shortfall <= tolerance {
        Status::Amber
    } else {
        Status::Red
    }
}

/// How many indicators (or indicator × council values) have each status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCounts {
    pub green: u32,
    pub amber: u32,
    pub red: u32,
    pub grey: u32,
}

impl StatusCounts {
    pub fn add(&mut self, status: Status) {
        *self.get_mut(status) += 1;
    }

    pub fn get(&self, status: Status) -> u32 {
        match status {
            Status::Green => self.green,
            Status::Amber => self.amber,
            Status::Red => self.red,
            Status::Grey => self.grey,
        }
    }

    fn get_mut(&mut self, status: Status) -> &mut u32 {
        match status {
            Status::Green => &mut self.green,
            Status::Amber => &mut self.amber,
            Status::Red => &mut self.red,
            Status::Grey => &mut self.grey,
        }
    }

    pub fn total(&self) -> u32 {
        self.green + self.amber + self.red + self.grey
    }

    pub fn merge(&mut self, other: StatusCounts) {
        for status in Status::ALL {
            *self.get_mut(status) += other.get(status);
        }
    }

    /// The status an output's hexagon shows: the most common status among the values that
    /// have one, ties going to the worse; grey when none has a status.
    pub fn prevailing(&self) -> Status {
        [Status::Red, Status::Amber, Status::Green]
            .into_iter()
            .filter(|status| self.get(*status) > 0)
            .fold(None::<Status>, |best, status| match best {
                Some(best) if self.get(best) >= self.get(status) => Some(best),
                _ => Some(status),
            })
            .unwrap_or(Status::Grey)
    }

    /// "5 on target, 2 near target, 1 off target, 3 with no status"
    pub fn describe(&self) -> String {
        if self.total() == 0 {
            return "no indicators yet".to_string();
        }
        let parts: Vec<String> = Status::ALL
            .into_iter()
            .filter(|status| self.get(*status) > 0)
            .map(|status| match status {
                Status::Grey => format!("{} with no status", self.grey),
                _ => format!("{} {}", self.get(status), status.label().to_lowercase()),
            })
            .collect();
        parts.join(", ")
    }
}

/// Whether `a` is at least as good news as `b` (grey compares with nothing).
pub fn at_least_as_good(a: Status, b: Status) -> Option<bool> {
    Some(a.severity()? >= b.severity()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use Polarity::*;

    #[test]
    fn higher_is_better() {
        assert_eq!(
            status(Some(80.0), Some(80.0), HigherIsBetter, 10.0),
            Status::Green
        );
        assert_eq!(
            status(Some(95.0), Some(80.0), HigherIsBetter, 10.0),
            Status::Green
        );
        assert_eq!(
            status(Some(72.0), Some(80.0), HigherIsBetter, 10.0),
            Status::Amber
        );
        assert_eq!(
            status(Some(71.9), Some(80.0), HigherIsBetter, 10.0),
            Status::Red
        );
    }

    #[test]
    fn lower_is_better() {
        assert_eq!(
            status(Some(100.0), Some(110.0), LowerIsBetter, 10.0),
            Status::Green
        );
        assert_eq!(
            status(Some(121.0), Some(110.0), LowerIsBetter, 10.0),
            Status::Amber
        );
        assert_eq!(
            status(Some(121.5), Some(110.0), LowerIsBetter, 10.0),
            Status::Red
        );
        // A target of zero leaves no room for amber.
        assert_eq!(
            status(Some(0.0), Some(0.0), LowerIsBetter, 10.0),
            Status::Green
        );
        assert_eq!(
            status(Some(1.0), Some(0.0), LowerIsBetter, 10.0),
            Status::Red
        );
    }

    #[test]
    fn grey_without_data_target_or_judgement() {
        assert_eq!(status(None, Some(1.0), HigherIsBetter, 10.0), Status::Grey);
        assert_eq!(status(Some(1.0), None, HigherIsBetter, 10.0), Status::Grey);
        assert_eq!(status(Some(1.0), Some(1.0), DataOnly, 10.0), Status::Grey);
        assert_eq!(
            status(Some(f64::NAN), Some(1.0), HigherIsBetter, 10.0),
            Status::Grey
        );
        assert_eq!(
            status(Some(1.0), Some(f64::INFINITY), LowerIsBetter, 10.0),
            Status::Grey
        );
    }

    #[test]
    fn zero_tolerance_has_no_amber() {
        assert_eq!(
            status(Some(79.99), Some(80.0), HigherIsBetter, 0.0),
            Status::Red
        );
    }

    #[test]
    fn the_prevailing_status_is_the_commonest_and_ties_go_to_the_worse() {
        let counts = |green, amber, red, grey| StatusCounts {
            green,
            amber,
            red,
            grey,
        };
        assert_eq!(counts(5, 2, 1, 9).prevailing(), Status::Green);
        assert_eq!(counts(2, 2, 1, 0).prevailing(), Status::Amber);
        assert_eq!(counts(3, 0, 3, 0).prevailing(), Status::Red);
        assert_eq!(counts(0, 0, 0, 4).prevailing(), Status::Grey);
        assert_eq!(counts(0, 0, 0, 0).prevailing(), Status::Grey);
        assert_eq!(
            counts(5, 2, 1, 3).describe(),
            "5 on target, 2 near target, 1 off target, 3 with no status"
        );
        assert_eq!(counts(0, 0, 0, 0).describe(), "no indicators yet");
    }

    proptest! {
        #[test]
        fn swapping_polarity_never_makes_a_value_on_target_red(target in -1e6f64..1e6, tolerance in 0f64..100.0) {
            prop_assert_eq!(status(Some(target), Some(target), HigherIsBetter, tolerance), Status::Green);
            prop_assert_eq!(status(Some(target), Some(target), LowerIsBetter, tolerance), Status::Green);
        }

        #[test]
        fn polarity_is_a_mirror(value in -1e6f64..1e6, target in -1e6f64..1e6, tolerance in 0f64..100.0) {
            prop_assert_eq!(
                status(Some(value), Some(target), HigherIsBetter, tolerance),
                status(Some(-value), Some(-target), LowerIsBetter, tolerance)
            );
        }

        #[test]
        fn a_better_value_never_has_a_worse_status(value in -1e6f64..1e6, better_by in 0f64..1e6, target in -1e6f64..1e6, tolerance in 0f64..100.0) {
            for (polarity, better) in [(HigherIsBetter, value + better_by), (LowerIsBetter, value - better_by)] {
                let before = status(Some(value), Some(target), polarity, tolerance);
                let after = status(Some(better), Some(target), polarity, tolerance);
                prop_assert_eq!(at_least_as_good(after, before), Some(true));
            }
        }

        #[test]
        fn more_tolerance_never_has_a_worse_status(value in -1e6f64..1e6, target in -1e6f64..1e6, tolerance in 0f64..50.0, more in 0f64..50.0) {
            for polarity in [HigherIsBetter, LowerIsBetter] {
                let strict = status(Some(value), Some(target), polarity, tolerance);
                let lenient = status(Some(value), Some(target), polarity, tolerance + more);
                prop_assert_eq!(at_least_as_good(lenient, strict), Some(true));
            }
        }

        #[test]
        fn green_exactly_when_the_target_is_met(value in -1e6f64..1e6, target in -1e6f64..1e6, tolerance in 0f64..100.0) {
            prop_assert_eq!(status(Some(value), Some(target), HigherIsBetter, tolerance) == Status::Green, value >= target);
            prop_assert_eq!(status(Some(value), Some(target), LowerIsBetter, tolerance) == Status::Green, value <= target);
        }

        #[test]
        fn counts_add_up(statuses in proptest::collection::vec(0usize..4, 0..50)) {
            let mut counts = StatusCounts::default();
            for index in &statuses {
                counts.add(Status::ALL[*index]);
            }
            prop_assert_eq!(counts.total() as usize, statuses.len());
            let prevailing = counts.prevailing();
            if prevailing != Status::Grey {
                for other in [Status::Red, Status::Amber, Status::Green] {
                    prop_assert!(counts.get(prevailing) >= counts.get(other));
                }
            }
        }
    }

    /// sRGB "#rrggbb" as linear RGB.
    fn linear(hex: &str) -> [f64; 3] {
        std::array::from_fn(|i| {
            let c = f64::from(u8::from_str_radix(&hex[1 + 2 * i..3 + 2 * i], 16).unwrap()) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        })
    }

    /// Linear RGB as CIELAB (D65).
    fn lab(rgb: [f64; 3]) -> [f64; 3] {
        let [r, g, b] = rgb;
        let xyz = [
            (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
            0.2126 * r + 0.7152 * g + 0.0722 * b,
            (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
        ];
        let f = |t: f64| {
            if t > 0.008856 {
                t.cbrt()
            } else {
                7.787 * t + 16.0 / 116.0
            }
        };
        let [x, y, z] = xyz.map(f);
        [116.0 * y - 16.0, 500.0 * (x - y), 200.0 * (y - z)]
    }

    #[test]
    fn the_map_fills_are_told_apart_with_common_colour_vision_deficiencies() {
        // Machado, Oliveira and Fernandes (2009), full severity, on linear RGB.
        let visions: [(&str, [[f64; 3]; 3]); 4] = [
            (
                "typical",
                [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
            ),
            (
                "protanopia",
                [
                    [0.152286, 1.052583, -0.204868],
                    [0.114503, 0.786281, 0.099216],
                    [-0.003882, -0.048116, 1.051998],
                ],
            ),
            (
                "deuteranopia",
                [
                    [0.367322, 0.860646, -0.227968],
                    [0.280085, 0.672501, 0.047413],
                    [-0.011820, 0.042940, 0.968881],
                ],
            ),
            (
                "tritanopia",
                [
                    [1.255528, -0.076749, -0.178779],
                    [-0.078411, 0.930809, 0.147602],
                    [0.004733, 0.691367, 0.303900],
                ],
            ),
        ];
        for (vision, matrix) in visions {
            let seen = |status: Status| {
                let c = linear(status.fill());
                lab(std::array::from_fn(|i| {
                    (0..3)
                        .map(|j| matrix[i][j] * c[j])
                        .sum::<f64>()
                        .clamp(0.0, 1.0)
                }))
            };
            for (n, a) in Status::ALL.into_iter().enumerate() {
                for b in Status::ALL.into_iter().skip(n + 1) {
                    let (x, y) = (seen(a), seen(b));
                    let difference = (0..3).map(|i| (x[i] - y[i]).powi(2)).sum::<f64>().sqrt();
                    // ΔE*ab of 30 is a plain difference at a glance.
                    assert!(
                        difference >= 30.0,
                        "{vision}: {a:?} and {b:?} differ by {difference:.1}"
                    );
                }
            }
        }
    }

    #[test]
    fn dark_text_stays_readable_on_every_fill() {
        let luminance = |hex: &str| {
            let [r, g, b] = linear(hex);
            0.2126 * r + 0.7152 * g + 0.0722 * b
        };
        for status in Status::ALL {
            let contrast = (luminance(status.fill()) + 0.05) / (luminance("#0b0c0c") + 0.05);
            assert!(contrast >= 4.5, "{status:?}: {contrast:.2}");
        }
    }
}
