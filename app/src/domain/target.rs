//! Which target a quarter's value is judged against, and what an amendment to one must be.

use super::input::Reason;
use super::input::{self, Invalid};
use super::{Quarter, Unit};

/// The target for `quarter`: its own quarterly target where one is set; otherwise, for a
/// cumulative (year-to-date) indicator, the annual target pro rata (a quarter of it by Q1,
/// half by Q2, …); otherwise the annual target.
pub fn target_for_quarter(
    quarter: Quarter,
    annual: Option<f64>,
    quarterly: Option<f64>,
    cumulative: bool,
) -> Option<f64> {
    if quarterly.is_some() {
        return quarterly;
    }
    let annual = annual?;
    Some(if cumulative {
        annual * f64::from(quarter.q) / 4.0
    } else {
        annual
    })
}

/// Why a proposed target or tolerance cannot be accepted, in words for the person typing it.
/// A tolerance is kept to one decimal place, as it is shown, so no change hides in a digit no
/// one sees.
pub fn check_amber_tolerance(tolerance: f64) -> Result<f64, String> {
    if !tolerance.is_finite() {
        return Err("Enter the amber tolerance as a number, for example 10".into());
    }
    if !(0.0..=50.0).contains(&tolerance) {
        return Err("The amber tolerance must be between 0 % and 50 %".into());
    }
    Ok((tolerance * 10.0).round() / 10.0)
}

/// A target amendment as checked: a finite figure within the unit's bounds, a sensible amber
/// tolerance and a reason. The browser makes the same check before it sends, so the message
/// is immediate; the server makes it again before anything is written.
#[derive(Clone, Debug, PartialEq)]
pub struct Amendment {
    pub value: f64,
    /// The unit the value was read in: if the indicator's unit changes before the write, the
    /// write is refused rather than saving a figure read for another unit.
    pub unit: Unit,
    pub amber_tolerance: f64,
    pub reason: Reason,
    /// The person has confirmed a figure far from the indicator's recent ones
    /// ([`plausibility`](super::plausibility)).
    pub confirmed: bool,
}

impl Amendment {
    /// Reads what was typed (`"85"`, `"85%"`, `"1,250"`) for an indicator measured in `unit`,
    /// or names the field to mark and the message to show beside it.
    pub fn read(value: &str, tolerance: &str, reason: &str, unit: Unit) -> Result<Self, Invalid> {
        let value = input::figure("value", "target", value, unit)?;
        let tolerance = tolerance
            .trim()
            .trim_end_matches('%')
            .trim()
            .parse::<f64>()
            .unwrap_or(f64::NAN);
        let amber_tolerance = check_amber_tolerance(tolerance).map_err(|message| Invalid {
            field: "tolerance",
            message,
        })?;
        Ok(Amendment {
            value,
            unit,
            amber_tolerance,
            reason: Reason::read(reason)?,
            confirmed: false,
        })
    }

    /// The amendment as its form shows it again, field by field.
    pub fn typed(&self) -> [(&'static str, String); 3] {
        [
            (
                "value",
                super::format::number(self.value, 2).replace(',', ""),
            ),
            ("tolerance", super::format::number(self.amber_tolerance, 1)),
            ("reason", self.reason.as_str().to_string()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amendments_are_checked_before_anything_is_saved() {
        let read = |value, tolerance| Amendment::read(value, tolerance, "Stretch", Unit::Percent);
        assert_eq!(
            read("85", "10").map(|a| (a.value, a.amber_tolerance)),
            Ok((85.0, 10.0))
        );
        assert_eq!(read("85%", "10%").map(|a| a.value), Ok(85.0));
        assert_eq!(
            Amendment::read(" 1,250 ", "5", "Stretch", Unit::Count).map(|a| a.value),
            Ok(1250.0)
        );
        let field = |result: Result<Amendment, Invalid>| match result {
            Err(invalid) => invalid.field,
            Ok(amendment) => panic!("expected a message, got {amendment:?}"),
        };
        for bad in ["", "eighty", "NaN", "inf", "1e999", "85.0.1", "101"] {
            assert_eq!(field(read(bad, "10")), "value", "{bad}");
        }
        assert_eq!(
            field(Amendment::read("-1", "10", "r", Unit::Count)),
            "value"
        );
        assert_eq!(
            field(Amendment::read("1e13", "10", "r", Unit::Count)),
            "value"
        );
        assert_eq!(field(read("80", "75")), "tolerance");
        assert_eq!(field(read("80", "x")), "tolerance");
        assert_eq!(
            field(Amendment::read("80", "10", "  ", Unit::Percent)),
            "reason"
        );
        assert_eq!(
            field(Amendment::read("80", "10", &"x".repeat(501), Unit::Percent)),
            "reason"
        );
    }

    #[test]
    fn a_quarterly_target_wins() {
        let q3 = Quarter::new(2017, 3).unwrap();
        assert_eq!(
            target_for_quarter(q3, Some(98.0), Some(85.0), true),
            Some(85.0)
        );
    }

    #[test]
    fn cumulative_targets_are_profiled_pro_rata() {
        let annual = Some(200.0);
        let expect = [50.0, 100.0, 150.0, 200.0];
        for (quarter, expected) in crate::domain::FinancialYear(2017)
            .quarters()
            .into_iter()
            .zip(expect)
        {
            assert_eq!(
                target_for_quarter(quarter, annual, None, true),
                Some(expected)
            );
            assert_eq!(
                target_for_quarter(quarter, annual, None, false),
                Some(200.0)
            );
        }
        assert_eq!(
            target_for_quarter(Quarter::new(2017, 1).unwrap(), None, None, true),
            None
        );
    }

    #[test]
    fn tolerances_are_sensible() {
        assert_eq!(check_amber_tolerance(10.0), Ok(10.0));
        assert_eq!(check_amber_tolerance(10.00001), Ok(10.0), "as shown");
        assert_eq!(check_amber_tolerance(12.45), Ok(12.5));
        assert!(check_amber_tolerance(-1.0).is_err());
        assert!(check_amber_tolerance(75.0).is_err());
        assert!(check_amber_tolerance(f64::NAN).is_err());
    }
}
