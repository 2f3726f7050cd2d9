//! A reading: one indicator's value for one council in one quarter, judged against its target.

use super::status::{status, DEFAULT_AMBER_TOLERANCE};
use super::target::target_for_quarter;
use super::trend::{trends, Trends};
use super::{Polarity, Quarter, Status};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A target value with its amber tolerance (a percentage of the target).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetValue {
    pub value: f64,
    pub amber_tolerance: f64,
}

/// The targets of one indicator for one council: annual ones by financial year, and any set
/// for a single quarter.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Targets {
    pub annual: BTreeMap<i32, TargetValue>,
    pub quarterly: BTreeMap<Quarter, TargetValue>,
}

impl Targets {
    /// The target `at` is judged against, with its tolerance.
    pub fn for_quarter(&self, at: Quarter, cumulative: bool) -> Option<TargetValue> {
        let annual = self.annual.get(&at.year);
        let quarterly = self.quarterly.get(&at);
        let value = target_for_quarter(
            at,
            annual.map(|t| t.value),
            quarterly.map(|t| t.value),
            cumulative,
        )?;
        let amber_tolerance = quarterly
            .or(annual)
            .map(|t| t.amber_tolerance)
            .unwrap_or(DEFAULT_AMBER_TOLERANCE);
        Some(TargetValue {
            value,
            amber_tolerance,
        })
    }
}

/// What an indicator's rules need to judge a value.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rules {
    pub polarity: Polarity,
    pub cumulative: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reading {
    pub quarter: Quarter,
    pub value: Option<f64>,
    pub target: Option<f64>,
    pub status: Status,
    pub trends: Trends,
}

/// Judges the value of `at` in `series` against `targets`.
pub fn reading(
    series: &BTreeMap<Quarter, f64>,
    targets: &Targets,
    at: Quarter,
    rules: Rules,
) -> Reading {
    let value = series.get(&at).copied();
    Reading {
        quarter: at,
        value,
        target: targets.for_quarter(at, rules.cumulative).map(|t| t.value),
        status: judge(value, targets, at, rules),
        trends: trends(series, at, rules.polarity, rules.cumulative),
    }
}

/// The status of `value`, the value of `at`, against `targets`: the one status rule every
/// page, the map and the reports use.
pub fn judge(value: Option<f64>, targets: &Targets, at: Quarter, rules: Rules) -> Status {
    let target = targets.for_quarter(at, rules.cumulative);
    status(
        value,
        target.map(|t| t.value),
        rules.polarity,
        target
            .map(|t| t.amber_tolerance)
            .unwrap_or(DEFAULT_AMBER_TOLERANCE),
    )
}

/// One status for an indicator reported by several councils: the worst that has a status,
/// so a miss in either council shows; grey only when none has one.
pub fn combined_status(statuses: impl IntoIterator<Item = Status>) -> Status {
    statuses
        .into_iter()
        .filter(|s| *s != Status::Grey)
        .min()
        .unwrap_or(Status::Grey)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Trend;

    fn q(year: i32, q: u8) -> Quarter {
        Quarter::new(year, q).unwrap()
    }

    #[test]
    fn judges_against_the_year_target() {
        let targets = Targets {
            annual: BTreeMap::from([(
                2017,
                TargetValue {
                    value: 60.0,
                    amber_tolerance: 5.0,
                },
            )]),
            quarterly: BTreeMap::new(),
        };
        let series = BTreeMap::from([(q(2017, 1), 55.0), (q(2017, 2), 58.0)]);
        let rules = Rules {
            polarity: Polarity::HigherIsBetter,
            cumulative: false,
        };
        let at = reading(&series, &targets, q(2017, 2), rules);
        assert_eq!(at.value, Some(58.0));
        assert_eq!(at.target, Some(60.0));
        assert_eq!(at.status, Status::Amber);
        assert_eq!(
            at.trends.against_previous,
            Some(Trend::Improving { rising: true })
        );
        let missing = reading(&series, &targets, q(2017, 3), rules);
        assert_eq!(missing.status, Status::Grey);
        let no_target = reading(&series, &targets, q(2016, 4), rules);
        assert_eq!(no_target.target, None);
    }

    #[test]
    fn a_quarterly_target_brings_its_own_tolerance() {
        let targets = Targets {
            annual: BTreeMap::from([(
                2017,
                TargetValue {
                    value: 98.0,
                    amber_tolerance: 1.0,
                },
            )]),
            quarterly: BTreeMap::from([(
                q(2017, 1),
                TargetValue {
                    value: 29.0,
                    amber_tolerance: 2.0,
                },
            )]),
        };
        assert_eq!(
            targets.for_quarter(q(2017, 1), true),
            Some(TargetValue {
                value: 29.0,
                amber_tolerance: 2.0
            })
        );
        assert_eq!(
            targets.for_quarter(q(2017, 2), true),
            Some(TargetValue {
                value: 49.0,
                amber_tolerance: 1.0
            })
        );
    }

    #[test]
    fn the_worst_council_speaks_for_the_indicator() {
        assert_eq!(combined_status([Status::Green, Status::Red]), Status::Red);
        assert_eq!(
            combined_status([Status::Grey, Status::Amber]),
            Status::Amber
        );
        assert_eq!(combined_status([Status::Grey, Status::Grey]), Status::Grey);
        assert_eq!(combined_status([]), Status::Grey);
    }
}
