//! Which target a quarter's value is judged against.

use super::Quarter;

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
pub fn check_amber_tolerance(tolerance: f64) -> Result<f64, String> {
    if !tolerance.is_finite() {
        return Err("Enter the amber tolerance as a number, for example 10".into());
    }
    if !(0.0..=50.0).contains(&tolerance) {
        return Err("The amber tolerance must be between 0 % and 50 %".into());
    }
    Ok(tolerance)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(check_amber_tolerance(-1.0).is_err());
        assert!(check_amber_tolerance(75.0).is_err());
        assert!(check_amber_tolerance(f64::NAN).is_err());
    }
}
