//! Trend: the direction of a value against the previous period and the same period a year
//! earlier, judged by the indicator's polarity.

use super::{Polarity, Quarter};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Changes smaller than this share of the earlier value (0.5 %) count as stable.
pub const STABLE_BAND: f64 = 0.005;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Trend {
    /// Better news; `rising`: the value went up (better when higher is better).
    Improving {
        rising: bool,
    },
    Stable,
    Worsening {
        rising: bool,
    },
    /// Data-only indicators move without being good or bad news.
    Rising,
    Falling,
}

impl Trend {
    pub fn label(self) -> &'static str {
        match self {
            Self::Improving { .. } => "Improving",
            Self::Stable => "Stable",
            Self::Worsening { .. } => "Worsening",
            Self::Rising => "Rising",
            Self::Falling => "Falling",
        }
    }

    /// Whether the value went up (true), down (false) or held steady (none), whatever the news.
    fn rising(self) -> Option<bool> {
        match self {
            Self::Improving { rising } | Self::Worsening { rising } => Some(rising),
            Self::Rising => Some(true),
            Self::Falling => Some(false),
            Self::Stable => None,
        }
    }

    /// The value's direction: a falling value whose lower is better is "↓ Improving".
    pub fn arrow(self) -> &'static str {
        match self.rising() {
            Some(true) => "↑",
            Some(false) => "↓",
            None => "→",
        }
    }

    /// How the value moved, in words: "rose", "fell", "held steady".
    pub fn movement(self) -> &'static str {
        match self.rising() {
            Some(true) => "rose",
            Some(false) => "fell",
            None => "held steady",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Improving { .. } => "improving",
            Self::Stable => "stable",
            Self::Worsening { .. } => "worsening",
            Self::Rising => "rising",
            Self::Falling => "falling",
        }
    }
}

/// The trend from `earlier` to `later`.
pub fn trend(later: f64, earlier: f64, polarity: Polarity) -> Option<Trend> {
    if !later.is_finite() || !earlier.is_finite() {
        return None;
    }
    let change = later - earlier;
    if change.abs() <= STABLE_BAND * earlier.abs() {
        return Some(Trend::Stable);
    }
    let rising = change > 0.0;
    Some(match (polarity, rising) {
        (Polarity::DataOnly, true) => Trend::Rising,
        (Polarity::DataOnly, false) => Trend::Falling,
        (Polarity::HigherIsBetter, true) | (Polarity::LowerIsBetter, false) => {
            Trend::Improving { rising }
        }
        _ => Trend::Worsening { rising },
    })
}

/// Both trends of one quarter's value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trends {
    pub against_previous: Option<Trend>,
    pub against_last_year: Option<Trend>,
}

/// The trends of `series` at `at`.
///
/// A cumulative (year-to-date) indicator always grows within a year, so against the previous
/// period it compares what each quarter added; against last year it compares the year-to-date
/// totals, which cover the same months.
pub fn trends(
    series: &BTreeMap<Quarter, f64>,
    at: Quarter,
    polarity: Polarity,
    cumulative: bool,
) -> Trends {
    let value = |quarter: Quarter| series.get(&quarter).copied();
    let in_quarter = |quarter: Quarter| -> Option<f64> {
        if !cumulative || quarter.q == 1 {
            value(quarter)
        } else {
            Some(value(quarter)? - value(quarter.previous())?)
        }
    };
    let against_previous = in_quarter(at)
        .zip(in_quarter(at.previous()))
        .and_then(|(now, before)| trend(now, before, polarity));
    let against_last_year = value(at)
        .zip(value(at.same_quarter_last_year()))
        .and_then(|(now, before)| trend(now, before, polarity));
    Trends {
        against_previous,
        against_last_year,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn q(year: i32, q: u8) -> Quarter {
        Quarter::new(year, q).unwrap()
    }

    #[test]
    fn polarity_decides_good_news() {
        assert_eq!(
            trend(90.0, 80.0, Polarity::HigherIsBetter),
            Some(Trend::Improving { rising: true })
        );
        assert_eq!(
            trend(90.0, 80.0, Polarity::LowerIsBetter),
            Some(Trend::Worsening { rising: true })
        );
        assert_eq!(
            trend(70.0, 80.0, Polarity::LowerIsBetter),
            Some(Trend::Improving { rising: false })
        );
        let fewer_complaints = Trend::Improving { rising: false };
        assert_eq!(
            (
                fewer_complaints.arrow(),
                fewer_complaints.label(),
                fewer_complaints.movement()
            ),
            ("↓", "Improving", "fell"),
            "the arrow follows the value, the word the news"
        );
        assert_eq!(trend(90.0, 80.0, Polarity::DataOnly), Some(Trend::Rising));
        assert_eq!(trend(70.0, 80.0, Polarity::DataOnly), Some(Trend::Falling));
        assert_eq!(
            trend(80.2, 80.0, Polarity::HigherIsBetter),
            Some(Trend::Stable)
        );
        assert_eq!(
            trend(0.0, 0.0, Polarity::HigherIsBetter),
            Some(Trend::Stable)
        );
        assert_eq!(trend(f64::NAN, 0.0, Polarity::HigherIsBetter), None);
    }

    #[test]
    fn trends_compare_with_the_previous_quarter_and_last_year() {
        let series = BTreeMap::from([(q(2016, 2), 50.0), (q(2017, 1), 55.0), (q(2017, 2), 60.0)]);
        let at = trends(&series, q(2017, 2), Polarity::HigherIsBetter, false);
        assert_eq!(at.against_previous, Some(Trend::Improving { rising: true }));
        assert_eq!(
            at.against_last_year,
            Some(Trend::Improving { rising: true })
        );
        let first = trends(&series, q(2017, 1), Polarity::HigherIsBetter, false);
        assert_eq!(first.against_previous, None, "no 2016/17 Q4 value");
        assert_eq!(first.against_last_year, None);
    }

    #[test]
    fn cumulative_indicators_compare_what_each_quarter_added() {
        // Council tax collected, year to date: Q1 added 29, Q2 added 27 (less), so worsening
        // against the previous quarter even though the total rose; against last year the
        // year-to-date totals compare.
        let series = BTreeMap::from([(q(2016, 2), 57.5), (q(2017, 1), 29.0), (q(2017, 2), 56.0)]);
        let at = trends(&series, q(2017, 2), Polarity::HigherIsBetter, true);
        assert_eq!(
            at.against_previous,
            Some(Trend::Worsening { rising: false })
        );
        assert_eq!(
            at.against_last_year,
            Some(Trend::Worsening { rising: false })
        );
        // Q1 starts a new year: it stands alone and compares with the previous Q4's own addition.
        let series = BTreeMap::from([(q(2016, 3), 80.0), (q(2016, 4), 97.0), (q(2017, 1), 29.0)]);
        let at = trends(&series, q(2017, 1), Polarity::HigherIsBetter, true);
        assert_eq!(
            at.against_previous,
            Some(Trend::Improving { rising: true }),
            "29 added against 17"
        );
    }

    proptest! {
        #[test]
        fn reversing_polarity_reverses_the_judgement(later in -1e6f64..1e6, earlier in -1e6f64..1e6) {
            let higher = trend(later, earlier, Polarity::HigherIsBetter).unwrap();
            let lower = trend(later, earlier, Polarity::LowerIsBetter).unwrap();
            let expected = match higher {
                Trend::Improving { rising } => Trend::Worsening { rising },
                Trend::Worsening { rising } => Trend::Improving { rising },
                other => other,
            };
            prop_assert_eq!(lower, expected);
        }

        #[test]
        fn a_value_against_itself_is_stable(value in -1e6f64..1e6) {
            for polarity in [Polarity::HigherIsBetter, Polarity::LowerIsBetter, Polarity::DataOnly] {
                prop_assert_eq!(trend(value, value, polarity), Some(Trend::Stable));
            }
        }
    }
}
