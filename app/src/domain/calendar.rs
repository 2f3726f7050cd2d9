//! A plan's year: the month its financial year starts, which sets the days of every quarter,
//! and the quarters after which it reports to Cabinet.

use super::input::Invalid;
use super::period::{Day, HalfYear, Quarter, MONTHS};
use serde::{Deserialize, Serialize};

/// How often the plan reports to Cabinet, and so its reporting quarters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reporting {
    /// After the second and fourth quarters, each report covering its half-year (the
    /// bulletin's "½ yearly" reporting).
    #[default]
    HalfYearly,
    /// After every quarter.
    Quarterly,
}

impl Reporting {
    pub const ALL: [Reporting; 2] = [Reporting::HalfYearly, Reporting::Quarterly];

    /// How the database and the workbook name it.
    pub fn code(self) -> &'static str {
        match self {
            Reporting::HalfYearly => "half-year",
            Reporting::Quarterly => "quarter",
        }
    }

    /// "Every half year, after Q2 and Q4"
    pub fn label(self) -> &'static str {
        match self {
            Reporting::HalfYearly => "Every half year, after Q2 and Q4",
            Reporting::Quarterly => "Every quarter",
        }
    }

    /// Reads the code or the label, in any case.
    pub fn read(text: &str) -> Option<Reporting> {
        let text = text.trim();
        Reporting::ALL
            .into_iter()
            .find(|r| r.code().eq_ignore_ascii_case(text) || r.label().eq_ignore_ascii_case(text))
    }
}

/// The plan's year. Quarters are named by the financial year they fall in ("2017/18 Q1"); the
/// calendar says which days they hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calendar {
    /// The month the financial year starts, 2 (February) to 12 (December).
    first_month: u8,
    pub reporting: Reporting,
}

impl Default for Calendar {
    /// April to March, reporting every half year: UK local government's year.
    fn default() -> Self {
        Calendar {
            first_month: 4,
            reporting: Reporting::HalfYearly,
        }
    }
}

impl Calendar {
    /// A calendar whose year starts in `first_month` (2–12).
    pub fn new(first_month: u8, reporting: Reporting) -> Option<Calendar> {
        (2..=12).contains(&first_month).then_some(Calendar {
            first_month,
            reporting,
        })
    }

    /// Reads the month as a council writes it ("April", "Apr" or "4") and how often the plan
    /// reports.
    pub fn read(first_month: &str, reporting: &str) -> Result<Calendar, Invalid> {
        let month = month_number(first_month).ok_or_else(|| Invalid {
            field: "year_starts",
            message: "Choose the month the financial year starts, like April".into(),
        })?;
        let reporting = Reporting::read(reporting).ok_or_else(|| Invalid {
            field: "reporting",
            message: "Choose how often the plan reports to Cabinet".into(),
        })?;
        Calendar::new(month, reporting).ok_or_else(|| Invalid {
            field: "year_starts",
            message: "A year that starts in January is a calendar year, which quarters named \
                      like 2017/18 Q1 cannot describe: choose February to December"
                .into(),
        })
    }

    pub fn first_month(self) -> u8 {
        self.first_month
    }

    /// "April"
    pub fn first_month_name(self) -> &'static str {
        MONTHS[usize::from(self.first_month) - 1]
    }

    /// (calendar year, month 1–12) of the quarter's first month.
    fn first_month_of(self, quarter: Quarter) -> (i32, u32) {
        let months = u32::from(self.first_month) - 1 + (u32::from(quarter.q) - 1) * 3;
        (quarter.year + (months / 12) as i32, months % 12 + 1)
    }

    pub fn first_day(self, quarter: Quarter) -> Day {
        let (year, month) = self.first_month_of(quarter);
        Day::first_of(year, month)
    }

    pub fn last_day(self, quarter: Quarter) -> Day {
        self.first_day(quarter).end_of_month_after(2)
    }

    /// The quarter a day falls in.
    pub fn quarter_of(self, day: Day) -> Quarter {
        let (year, month) = (day.year(), day.month());
        let since_start = (month + 12 - u32::from(self.first_month)) % 12;
        Quarter {
            year: if month >= u32::from(self.first_month) {
                year
            } else {
                year - 1
            },
            q: (since_start / 3 + 1) as u8,
        }
    }

    /// "1 July to 30 September 2017"
    pub fn quarter_dates(self, quarter: Quarter) -> String {
        self.dates(quarter, quarter)
    }

    /// "1 April to 30 September 2017", or "1 October 2017 to 31 March 2018" across a year's end.
    pub fn half_dates(self, half: HalfYear) -> String {
        let [first, last] = half.quarters();
        self.dates(first, last)
    }

    fn dates(self, first: Quarter, last: Quarter) -> String {
        let (start, end) = (self.first_day(first), self.last_day(last));
        let start_month = MONTHS[start.month() as usize - 1];
        if start.year() == end.year() {
            format!("1 {start_month} to {end}")
        } else {
            format!("1 {start_month} {} to {end}", start.year())
        }
    }

    /// Whether the plan reports to Cabinet after this quarter.
    pub fn reports_after(self, quarter: Quarter) -> bool {
        match self.reporting {
            Reporting::HalfYearly => quarter.q.is_multiple_of(2),
            Reporting::Quarterly => true,
        }
    }
}

/// A month's number from its name, its first three letters or its number.
fn month_number(text: &str) -> Option<u8> {
    let text = text.trim();
    if let Ok(number) = text.parse::<u8>() {
        return (1..=12).contains(&number).then_some(number);
    }
    let lower = text.to_lowercase();
    MONTHS
        .iter()
        .position(|name| {
            let name = name.to_lowercase();
            lower == name || (lower.len() == 3 && name.starts_with(&lower))
        })
        .map(|at| at as u8 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(text: &str) -> Day {
        Day::parse(text).unwrap()
    }

    fn quarter(year: i32, q: u8) -> Quarter {
        Quarter::new(year, q).unwrap()
    }

    #[test]
    fn uk_local_government_runs_april_to_march() {
        let uk = Calendar::default();
        assert_eq!(uk.first_month_name(), "April");
        assert_eq!(uk.quarter_of(day("2017-04-01")), quarter(2017, 1));
        assert_eq!(uk.quarter_of(day("2017-06-30")), quarter(2017, 1));
        assert_eq!(uk.quarter_of(day("2017-07-01")), quarter(2017, 2));
        assert_eq!(uk.quarter_of(day("2017-12-31")), quarter(2017, 3));
        assert_eq!(uk.quarter_of(day("2018-01-01")), quarter(2017, 4));
        assert_eq!(uk.quarter_of(day("2018-03-31")), quarter(2017, 4));
        assert_eq!(
            uk.quarter_dates(quarter(2017, 2)),
            "1 July to 30 September 2017"
        );
        assert_eq!(
            uk.quarter_dates(quarter(2017, 4)),
            "1 January to 31 March 2018"
        );
        assert_eq!(uk.first_day(quarter(2017, 4)), day("2018-01-01"));
        let h1 = HalfYear::new(2017, 1).unwrap();
        assert_eq!(uk.half_dates(h1), "1 April to 30 September 2017");
        assert_eq!(
            uk.half_dates(HalfYear::new(2017, 2).unwrap()),
            "1 October 2017 to 31 March 2018"
        );
        assert!(uk.reports_after(quarter(2017, 2)) && uk.reports_after(quarter(2017, 4)));
        assert!(!uk.reports_after(quarter(2017, 1)) && !uk.reports_after(quarter(2017, 3)));
    }

    #[test]
    fn a_year_from_july_moves_every_quarter() {
        let july = Calendar::read("July", "Every quarter").unwrap();
        assert_eq!(july.first_month_name(), "July");
        assert_eq!(july.quarter_of(day("2017-07-01")), quarter(2017, 1));
        assert_eq!(july.quarter_of(day("2018-01-15")), quarter(2017, 3));
        assert_eq!(july.quarter_of(day("2018-06-30")), quarter(2017, 4));
        assert_eq!(july.quarter_of(day("2017-06-30")), quarter(2016, 4));
        assert_eq!(
            july.quarter_dates(quarter(2017, 1)),
            "1 July to 30 September 2017"
        );
        assert_eq!(
            july.quarter_dates(quarter(2017, 4)),
            "1 April to 30 June 2018"
        );
        assert_eq!(
            july.half_dates(HalfYear::new(2017, 1).unwrap()),
            "1 July to 31 December 2017"
        );
        assert!((1..=4).all(|q| july.reports_after(quarter(2017, q))));
    }

    #[test]
    fn months_are_read_as_written_and_january_is_refused_in_words() {
        for (text, month) in [
            ("April", 4),
            ("apr", 4),
            ("4", 4),
            (" december ", 12),
            ("Feb", 2),
        ] {
            assert_eq!(
                Calendar::read(text, "half-year").unwrap().first_month(),
                month,
                "{text}"
            );
        }
        for bad in ["", "Aprill", "13", "0", "Ju", "<b>April</b>"] {
            assert_eq!(
                Calendar::read(bad, "half-year").unwrap_err().field,
                "year_starts",
                "{bad}"
            );
        }
        let january = Calendar::read("January", "half-year").unwrap_err();
        assert!(january.message.contains("February to December"));
        assert_eq!(
            Calendar::read("April", "monthly").unwrap_err().field,
            "reporting"
        );
        assert_eq!(Reporting::read("QUARTER"), Some(Reporting::Quarterly));
    }

    proptest! {
        #[test]
        fn every_day_lies_in_its_quarter(first in 2u8..=12, days in 0i64..20_000) {
            let calendar = Calendar::new(first, Reporting::HalfYearly).unwrap();
            let today = day("2000-01-01").add_days(days);
            let quarter = calendar.quarter_of(today);
            prop_assert!(calendar.first_day(quarter) <= today && today <= calendar.last_day(quarter));
            prop_assert_eq!(calendar.quarter_of(calendar.first_day(quarter.next())), quarter.next());
            prop_assert_eq!(calendar.first_day(quarter.next()), calendar.last_day(quarter).add_days(1));
        }
    }
}
