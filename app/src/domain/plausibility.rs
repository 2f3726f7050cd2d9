//! A second look at implausible figures: a target or value far from what an indicator has
//! recorded lately (more than three times the highest of its recent figures, or less than a
//! third of the lowest) is held back until the person who typed it confirms it. The same rule
//! for a target changed in place, a value entered in a return and every row of an upload.

use super::{format, FinancialYear, Quarter, Unit};
use std::collections::BTreeMap;

/// How far from its recent figures a figure may be before it asks for a second look.
pub const FACTOR: f64 = 3.0;

/// How many of the latest quarters' values count as recent.
pub const QUARTERS: usize = 4;

/// The values of the last [`QUARTERS`] quarters before `at` that have one, latest first.
pub fn recent_values(series: &BTreeMap<Quarter, f64>, at: Quarter) -> Vec<f64> {
    series
        .range(..at)
        .rev()
        .take(QUARTERS)
        .map(|(_, value)| *value)
        .collect()
}

/// The values a target for `year` is compared with, from an indicator's series.
pub fn values_before_target(series: &BTreeMap<Quarter, f64>, year: i32) -> Vec<f64> {
    recent_values(series, FinancialYear(year + 1).quarters()[0])
}

/// Why a figure asks for a second look: it and the range of recent figures it is far from.
#[derive(Clone, Debug, PartialEq)]
pub struct Doubt {
    pub figure: f64,
    pub lowest: f64,
    pub highest: f64,
}

/// Whether `figure` is far from the indicator's recent figures: its `recent_values` and its
/// `target` (the one in force for a value, the one replaced for a new target). Nothing to
/// compare with, or recent figures of nought, raise no doubt.
pub fn doubt(figure: f64, recent_values: &[f64], target: Option<f64>) -> Option<Doubt> {
    let recent: Vec<f64> = recent_values
        .iter()
        .copied()
        .chain(target)
        .filter(|v| v.is_finite())
        .collect();
    let lowest = recent.iter().copied().reduce(f64::min)?;
    let highest = recent.iter().copied().reduce(f64::max)?;
    let far_above = highest > 0.0 && figure > highest * FACTOR;
    let far_below = lowest > 0.0 && figure < lowest / FACTOR;
    (far_above || far_below).then_some(Doubt {
        figure,
        lowest,
        highest,
    })
}

impl Doubt {
    /// What the person is asked, the figures side by side: "You entered 480 kg; its recent
    /// figures are 95 kg to 102 kg. That is more than three times the highest: …".
    pub fn message(&self, unit: Unit) -> String {
        let recent = if self.lowest == self.highest {
            format::value(self.lowest, unit)
        } else {
            format!(
                "{} to {}",
                format::value(self.lowest, unit),
                format::value(self.highest, unit)
            )
        };
        let how = if self.figure > self.highest {
            "more than three times the highest"
        } else {
            "less than a third of the lowest"
        };
        format!(
            "Are you sure? You entered {}; its recent figures (the last four quarters and the target) are {recent}. That is {how}: check the figure and correct it, or confirm that it is right.",
            format::value(self.figure, unit),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_figure_far_above_or_below_recent_ones_is_doubted() {
        let recent = [95.0, 100.0, 98.0, 102.0];
        assert_eq!(
            doubt(480.0, &recent, None),
            Some(Doubt {
                figure: 480.0,
                lowest: 95.0,
                highest: 102.0
            })
        );
        assert!(doubt(20.0, &recent, None).is_some());
        for fine in [306.0, 31.7, 100.0, 250.0, 40.0] {
            assert_eq!(doubt(fine, &recent, None), None, "{fine}");
        }
        assert!(
            doubt(0.0, &recent, None).is_some(),
            "nought after a hundred"
        );
    }

    #[test]
    fn nothing_to_compare_with_raises_no_doubt() {
        assert_eq!(doubt(480.0, &[], None), None);
        assert_eq!(doubt(480.0, &[f64::NAN], None), None);
        assert_eq!(
            doubt(5.0, &[0.0, 0.0], None),
            None,
            "noughts say nothing of scale"
        );
    }

    #[test]
    fn the_message_puts_the_figures_side_by_side() {
        let doubt = doubt(480.0, &[], Some(100.0)).unwrap();
        assert_eq!(
            doubt.message(Unit::Kilograms),
            "Are you sure? You entered 480 kg; its recent figures (the last four quarters and the target) are 100 kg. That is more than three times the highest: check the figure and correct it, or confirm that it is right."
        );
        let low = super::doubt(2.0, &[95.0, 102.0], None).unwrap();
        assert!(low
            .message(Unit::Percent)
            .contains("95% to 102%. That is less than a third of the lowest"));
    }

    #[test]
    fn recent_values_are_the_last_four_quarters_before() {
        let q = |y, q| Quarter::new(y, q).unwrap();
        let series = BTreeMap::from([
            (q(2016, 1), 1.0),
            (q(2016, 2), 2.0),
            (q(2016, 4), 4.0),
            (q(2017, 1), 5.0),
            (q(2017, 2), 6.0),
            (q(2017, 3), 7.0),
        ]);
        assert_eq!(recent_values(&series, q(2017, 3)), vec![6.0, 5.0, 4.0, 2.0]);
        assert_eq!(recent_values(&series, q(2016, 1)), Vec::<f64>::new());
        assert_eq!(values_before_target(&series, 2016), vec![4.0, 2.0, 1.0]);
    }

    proptest! {
        #[test]
        fn a_figure_within_the_recent_range_is_never_doubted(
            recent in prop::collection::vec(0.001f64..1e9, 1..5),
            at in 0.0f64..=1.0,
        ) {
            let lowest = recent.iter().copied().fold(f64::INFINITY, f64::min);
            let highest = recent.iter().copied().fold(0.0, f64::max);
            let figure = lowest + (highest - lowest) * at;
            prop_assert_eq!(doubt(figure, &recent, None), None);
        }
    }
}
