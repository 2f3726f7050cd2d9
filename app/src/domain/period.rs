//! Financial-year periods: the UK local-government year runs April to March.

use serde::{Deserialize, Serialize};
use std::fmt;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A financial year, named by the calendar year in which it starts: 2017 is 2017/18.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct FinancialYear(pub i32);

impl FinancialYear {
    /// The financial year a calendar month falls in (month 1–12).
    pub fn containing(year: i32, month: u32) -> Self {
        if month >= 4 {
            FinancialYear(year)
        } else {
            FinancialYear(year - 1)
        }
    }

    pub fn quarter(self, q: u8) -> Option<Quarter> {
        Quarter::new(self.0, q)
    }

    pub fn quarters(self) -> [Quarter; 4] {
        [1, 2, 3, 4].map(|q| Quarter { year: self.0, q })
    }
}

impl fmt::Display for FinancialYear {
    /// "2017/18"
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{:02}", self.0, (self.0 + 1).rem_euclid(100))
    }
}

/// A quarter of a financial year: Q1 is April–June, Q4 is January–March of the next calendar year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Quarter {
    /// The calendar year in which the financial year starts.
    pub year: i32,
    /// 1 to 4.
    pub q: u8,
}

impl Quarter {
    pub fn new(year: i32, q: u8) -> Option<Self> {
        (1..=4).contains(&q).then_some(Quarter { year, q })
    }

    /// The quarter a calendar month falls in (month 1–12).
    pub fn containing(year: i32, month: u32) -> Option<Self> {
        if !(1..=12).contains(&month) {
            return None;
        }
        let fy = FinancialYear::containing(year, month);
        let q = ((month + 8) % 12) / 3 + 1;
        Quarter::new(fy.0, q as u8)
    }

    pub fn financial_year(self) -> FinancialYear {
        FinancialYear(self.year)
    }

    pub fn half(self) -> HalfYear {
        HalfYear {
            year: self.year,
            half: if self.q <= 2 { 1 } else { 2 },
        }
    }

    /// A running number: consecutive quarters differ by one.
    pub fn index(self) -> i32 {
        self.year * 4 + i32::from(self.q) - 1
    }

    pub fn from_index(index: i32) -> Self {
        Quarter {
            year: index.div_euclid(4),
            q: (index.rem_euclid(4) + 1) as u8,
        }
    }

    pub fn previous(self) -> Self {
        Self::from_index(self.index() - 1)
    }

    pub fn next(self) -> Self {
        Self::from_index(self.index() + 1)
    }

    pub fn same_quarter_last_year(self) -> Self {
        Quarter {
            year: self.year - 1,
            q: self.q,
        }
    }

    /// Every quarter from `first` to `last`, both included.
    pub fn range(first: Quarter, last: Quarter) -> impl Iterator<Item = Quarter> {
        (first.index()..=last.index()).map(Quarter::from_index)
    }

    /// (calendar year, month) of the first month of the quarter.
    pub fn first_month(self) -> (i32, u32) {
        let month = (u32::from(self.q) - 1) * 3 + 4;
        if month > 12 {
            (self.year + 1, month - 12)
        } else {
            (self.year, month)
        }
    }

    /// (calendar year, month, day) of the last day of the quarter.
    pub fn last_day(self) -> (i32, u32, u32) {
        let (year, first) = self.first_month();
        let month = first + 2;
        let day = match month {
            6 | 9 => 30,
            _ => 31,
        };
        (year, month, day)
    }

    /// "1 July to 30 September 2017"
    pub fn date_range_label(self) -> String {
        let (year, month) = self.first_month();
        let (end_year, end_month, end_day) = self.last_day();
        let start = format!("1 {}", MONTHS[month as usize - 1]);
        let end = format!("{end_day} {} {end_year}", MONTHS[end_month as usize - 1]);
        if year == end_year {
            format!("{start} to {end}")
        } else {
            format!("{start} {year} to {end}")
        }
    }

    /// The form used in addresses: "2017-18-q2".
    pub fn slug(self) -> String {
        format!(
            "{}-{:02}-q{}",
            self.year,
            (self.year + 1).rem_euclid(100),
            self.q
        )
    }

    /// Reads "2017-18-q2" (any case); the second year must follow the first.
    pub fn parse_slug(text: &str) -> Option<Self> {
        let text = text.trim().to_ascii_lowercase();
        let mut parts = text.split('-');
        let year: i32 = parts.next()?.parse().ok()?;
        let next: i32 = parts.next()?.parse().ok()?;
        let q: u8 = parts.next()?.strip_prefix('q')?.parse().ok()?;
        if parts.next().is_some()
            || next != (year + 1).rem_euclid(100)
            || !(1900..=2999).contains(&year)
        {
            return None;
        }
        Quarter::new(year, q)
    }
}

impl fmt::Display for Quarter {
    /// "2017/18 Q2"
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} Q{}", self.financial_year(), self.q)
    }
}

/// Half of a financial year: H1 is Q1–Q2 (April–September), H2 is Q3–Q4.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct HalfYear {
    pub year: i32,
    /// 1 or 2.
    pub half: u8,
}

impl HalfYear {
    pub fn quarters(self) -> [Quarter; 2] {
        let first = self.half * 2 - 1;
        [
            Quarter {
                year: self.year,
                q: first,
            },
            Quarter {
                year: self.year,
                q: first + 1,
            },
        ]
    }
}

impl HalfYear {
    pub fn new(year: i32, half: u8) -> Option<Self> {
        (1..=2).contains(&half).then_some(HalfYear { year, half })
    }

    /// The form used in addresses: "2017-18-h1".
    pub fn slug(self) -> String {
        format!(
            "{}-{:02}-h{}",
            self.year,
            (self.year + 1).rem_euclid(100),
            self.half
        )
    }

    /// Reads "2017-18-h1" (any case); the second year must follow the first.
    pub fn parse_slug(text: &str) -> Option<Self> {
        let text = text.trim().to_ascii_lowercase();
        let (quarter, half) = text.rsplit_once("-h")?;
        let year = Quarter::parse_slug(&format!("{quarter}-q1"))?.year;
        HalfYear::new(year, half.parse().ok()?)
    }

    /// "1 April to 30 September 2017"
    pub fn date_range_label(self) -> String {
        let [first, last] = self.quarters();
        let (year, month) = first.first_month();
        let (end_year, end_month, end_day) = last.last_day();
        let start = format!("1 {}", MONTHS[month as usize - 1]);
        let end = format_date(end_year, end_month, end_day);
        if year == end_year {
            format!("{start} to {end}")
        } else {
            format!("{start} {year} to {end}")
        }
    }
}

impl fmt::Display for HalfYear {
    /// "2017/18 H1"
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} H{}", FinancialYear(self.year), self.half)
    }
}

/// "30 September 2017"
pub fn format_date(year: i32, month: u32, day: u32) -> String {
    let name = MONTHS
        .get(month.wrapping_sub(1) as usize)
        .copied()
        .unwrap_or("?");
    format!("{day} {name} {year}")
}

/// Reads a date written "2017-12-15", checking that the day exists.
pub fn parse_iso_date(text: &str) -> Option<(i32, u32, u32)> {
    let mut parts = text.trim().splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    ((1000..=9999).contains(&year) && (1..=days).contains(&day) && text.trim().len() == 10)
        .then_some((year, month, day))
}

/// Formats an ISO 8601 date or timestamp ("2017-09-30" or "2017-09-30T10:00:00Z") the UK way.
pub fn format_iso_date(iso: &str) -> String {
    let mut parts = iso.get(..10).unwrap_or(iso).split('-');
    let parsed = (|| {
        let y = parts.next()?.parse().ok()?;
        let m = parts.next()?.parse().ok()?;
        let d = parts.next()?.parse().ok()?;
        Some((y, m, d))
    })();
    match parsed {
        Some((y, m, d)) if (1..=12).contains(&m) => format_date(y, m, d),
        _ => iso.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn quarters_follow_the_financial_year() {
        assert_eq!(Quarter::containing(2017, 4), Quarter::new(2017, 1));
        assert_eq!(Quarter::containing(2017, 6), Quarter::new(2017, 1));
        assert_eq!(Quarter::containing(2017, 7), Quarter::new(2017, 2));
        assert_eq!(Quarter::containing(2017, 12), Quarter::new(2017, 3));
        assert_eq!(Quarter::containing(2018, 1), Quarter::new(2017, 4));
        assert_eq!(Quarter::containing(2018, 3), Quarter::new(2017, 4));
        assert_eq!(Quarter::containing(2018, 13), None);
    }

    #[test]
    fn labels_read_as_councils_write_them() {
        let q2 = Quarter::new(2017, 2).unwrap();
        assert_eq!(q2.to_string(), "2017/18 Q2");
        assert_eq!(q2.date_range_label(), "1 July to 30 September 2017");
        let q4 = Quarter::new(2017, 4).unwrap();
        assert_eq!(q4.date_range_label(), "1 January to 31 March 2018");
        assert_eq!(Quarter::new(1999, 3).unwrap().to_string(), "1999/00 Q3");
        assert_eq!(q2.half().to_string(), "2017/18 H1");
        assert_eq!(
            Quarter::new(2017, 3).unwrap().half().to_string(),
            "2017/18 H2"
        );
        assert_eq!(format_iso_date("2017-09-30T12:00:00Z"), "30 September 2017");
        assert_eq!(format_iso_date("not a date"), "not a date");
    }

    #[test]
    fn neighbours_cross_year_ends() {
        let q1 = Quarter::new(2017, 1).unwrap();
        assert_eq!(q1.previous(), Quarter::new(2016, 4).unwrap());
        assert_eq!(Quarter::new(2016, 4).unwrap().next(), q1);
        assert_eq!(q1.same_quarter_last_year(), Quarter::new(2016, 1).unwrap());
        let all: Vec<_> = Quarter::range(
            Quarter::new(2015, 1).unwrap(),
            Quarter::new(2017, 2).unwrap(),
        )
        .collect();
        assert_eq!(all.len(), 10);
        assert_eq!(
            HalfYear {
                year: 2017,
                half: 1
            }
            .quarters(),
            [q1, q1.next()]
        );
    }

    #[test]
    fn dates_must_exist() {
        assert_eq!(parse_iso_date("2017-12-15"), Some((2017, 12, 15)));
        assert_eq!(parse_iso_date("2016-02-29"), Some((2016, 2, 29)));
        for bad in [
            "2017-02-29",
            "2017-13-01",
            "2017-12-32",
            "17-12-15",
            "2017-1-5",
            "yesterday",
            "",
            "2017-12-15T10:00",
        ] {
            assert_eq!(parse_iso_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn slugs_reject_nonsense() {
        assert_eq!(Quarter::parse_slug("2017-18-q2"), Quarter::new(2017, 2));
        assert_eq!(Quarter::parse_slug("2017-18-Q4"), Quarter::new(2017, 4));
        for bad in [
            "",
            "2017-19-q2",
            "2017-18-q5",
            "2017-18-q0",
            "2017/18 Q2",
            "x-18-q1",
            "2017-18-q2-1",
            "99999999999-00-q1",
        ] {
            assert_eq!(Quarter::parse_slug(bad), None, "{bad}");
        }
    }

    #[test]
    fn half_years_read_and_write_their_addresses() {
        let h1 = HalfYear::new(2017, 1).unwrap();
        assert_eq!(h1.slug(), "2017-18-h1");
        assert_eq!(HalfYear::parse_slug("2017-18-H1"), Some(h1));
        assert_eq!(HalfYear::parse_slug("2017-18-h3"), None);
        assert_eq!(HalfYear::parse_slug("2017-19-h1"), None);
        assert_eq!(HalfYear::parse_slug("h1"), None);
        assert_eq!(h1.date_range_label(), "1 April to 30 September 2017");
        assert_eq!(
            HalfYear::new(2017, 2).unwrap().date_range_label(),
            "1 October 2017 to 31 March 2018"
        );
    }

    proptest! {
        #[test]
        fn slug_round_trips(year in 1900i32..2999, q in 1u8..=4) {
            let quarter = Quarter::new(year, q).unwrap();
            prop_assert_eq!(Quarter::parse_slug(&quarter.slug()), Some(quarter));
        }

        #[test]
        fn index_is_a_bijection(index in -10_000i32..20_000) {
            prop_assert_eq!(Quarter::from_index(index).index(), index);
            prop_assert_eq!(Quarter::from_index(index).next().previous(), Quarter::from_index(index));
        }

        #[test]
        fn every_month_lies_in_its_quarter(year in 1950i32..2100, month in 1u32..=12) {
            let quarter = Quarter::containing(year, month).unwrap();
            let (first_year, first_month) = quarter.first_month();
            let months_in = (year - first_year) * 12 + month as i32 - first_month as i32;
            prop_assert!((0..3).contains(&months_in));
        }
    }
}
