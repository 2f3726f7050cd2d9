//! Financial-year periods: years, quarters and half-years by name ("2017/18 Q2"), and days.
//! Which days a quarter holds depends on the plan's year (`super::calendar`).

use serde::{Deserialize, Serialize};
use std::fmt;

pub(crate) const MONTHS: [&str; 12] = [
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
    /// The years any plan may name: wide enough for every council's history and plans, and
    /// far from the arithmetic's limits.
    pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2999;

    /// The financial year starting in `year`, if a plan may name it.
    pub fn read(year: i32) -> Option<FinancialYear> {
        Self::YEARS.contains(&year).then_some(FinancialYear(year))
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

/// A quarter of a financial year, by name: Q1 is its first three months (April–June in UK
/// local government, whose year runs April to March).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Quarter {
    /// The calendar year in which the financial year starts.
    pub year: i32,
    /// 1 to 4.
    pub q: u8,
}

impl Quarter {
    /// The short label of a chart's axis: "17/18 Q2".
    pub fn axis_label(self) -> String {
        format!(
            "{:02}/{:02} Q{}",
            self.year.rem_euclid(100),
            (self.year + 1).rem_euclid(100),
            self.q
        )
    }

    pub fn new(year: i32, q: u8) -> Option<Self> {
        (1..=4).contains(&q).then_some(Quarter { year, q })
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
            || !FinancialYear::YEARS.contains(&year)
            || next != (year + 1).rem_euclid(100)
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

/// Half of a financial year: H1 is Q1–Q2, H2 is Q3–Q4.
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
}

impl fmt::Display for HalfYear {
    /// "2017/18 H1"
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} H{}", FinancialYear(self.year), self.half)
    }
}

/// "30 September 2017"
fn format_date(year: i32, month: u32, day: u32) -> String {
    let name = MONTHS
        .get(month.wrapping_sub(1) as usize)
        .copied()
        .unwrap_or("?");
    format!("{day} {name} {year}")
}

/// A calendar day. Councils write it as ISO 8601 ("2017-12-15"), read it in words
/// ("15 December 2017"), and the database holds the ISO form; days compare in time order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(time::Date);

impl Day {
    pub fn new(year: i32, month: u32, day: u32) -> Option<Day> {
        let month = time::Month::try_from(u8::try_from(month).ok()?).ok()?;
        (1000..=9999).contains(&year).then_some(())?;
        time::Date::from_calendar_date(year, month, u8::try_from(day).ok()?)
            .ok()
            .map(Day)
    }

    /// The first day of `month` (1–12) in `year`, which always exists: a year outside
    /// 1000–9999 (no plan's) is taken as the nearest within it, and a month out of range as
    /// January, so no quarter, however it was made, stops a page.
    pub(crate) fn first_of(year: i32, month: u32) -> Day {
        let month = u8::try_from(month)
            .ok()
            .and_then(|month| time::Month::try_from(month).ok())
            .unwrap_or(time::Month::January);
        time::Date::from_calendar_date(year.clamp(1000, 9999), month, 1)
            .map_or(Day(time::Date::MIN), Day)
    }

    /// Reads a day written "2017-12-15" (four digits, two and two), checking that it exists.
    pub fn parse(text: &str) -> Option<Day> {
        let text = text.trim();
        let shaped = text.len() == 10
            && text.char_indices().all(|(at, c)| match at {
                4 | 7 => c == '-',
                _ => c.is_ascii_digit(),
            });
        if !shaped {
            return None;
        }
        let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().ok();
        Day::new(
            i32::try_from(number(0..4)?).ok()?,
            number(5..7)?,
            number(8..10)?,
        )
    }

    /// Reads a day typed as the GOV.UK date pattern asks, in three boxes (day, month, year:
    /// "5", "3", "2018"), naming what is missing or wrong as that pattern does.
    pub fn from_parts(
        field: &'static str,
        day: &str,
        month: &str,
        year: &str,
    ) -> Result<Day, super::input::Invalid> {
        let invalid = |message: &str| super::input::Invalid {
            field,
            message: message.to_string(),
        };
        let parts = [
            ("day", day.trim()),
            ("month", month.trim()),
            ("year", year.trim()),
        ];
        let missing: Vec<&str> = parts
            .iter()
            .filter(|(_, text)| text.is_empty())
            .map(|(name, _)| *name)
            .collect();
        match missing.len() {
            3 => return Err(invalid("Enter the date")),
            1 => return Err(invalid(&format!("The date must include a {}", missing[0]))),
            2 => {
                return Err(invalid(&format!(
                    "The date must include a {} and a {}",
                    missing[0], missing[1]
                )))
            }
            _ => {}
        }
        let number = |text: &str| {
            (!text.is_empty() && text.len() <= 4 && text.chars().all(|c| c.is_ascii_digit()))
                .then(|| text.parse::<u32>().ok())
                .flatten()
        };
        let (Some(d), Some(m), Some(y)) =
            (number(parts[0].1), number(parts[1].1), number(parts[2].1))
        else {
            return Err(invalid(
                "The date must be a real date, in numbers, like 5 3 2018",
            ));
        };
        if parts[2].1.len() != 4 {
            return Err(invalid("The year must include 4 numbers"));
        }
        Day::new(y as i32, m, d).ok_or_else(|| invalid("The date must be a real date"))
    }

    /// The day an ISO 8601 timestamp ("2017-09-30T10:00:00Z") or date falls on.
    pub fn of(timestamp: &str) -> Option<Day> {
        Day::parse(timestamp.get(..10)?)
    }

    /// Today, in UTC.
    #[cfg(feature = "ssr")]
    pub fn today() -> Day {
        Day(time::OffsetDateTime::now_utc().date())
    }

    /// "2017-12-15"
    pub fn iso(self) -> String {
        format!(
            "{:04}-{:02}-{:02}",
            self.0.year(),
            u8::from(self.0.month()),
            self.0.day()
        )
    }

    pub fn year(self) -> i32 {
        self.0.year()
    }

    /// 1 (January) to 12.
    pub fn month(self) -> u32 {
        u32::from(u8::from(self.0.month()))
    }

    /// The day `days` after this one (before it when negative).
    pub fn add_days(self, days: i64) -> Day {
        Day(self.0.saturating_add(time::Duration::days(days)))
    }

    /// How many days from this day to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Day) -> i64 {
        (later.0 - self.0).whole_days()
    }

    /// The last day of the month `months` after this day's month.
    pub fn end_of_month_after(self, months: u32) -> Day {
        let index = self.0.year() * 12 + i32::from(u8::from(self.0.month())) - 1 + months as i32;
        let (year, month) = (index.div_euclid(12), index.rem_euclid(12) as u32 + 1);
        (28..=31)
            .rev()
            .find_map(|day| Day::new(year, month, day))
            .unwrap_or(self)
    }

    /// The date, for the database and other code that takes `time` dates.
    pub fn date(self) -> time::Date {
        self.0
    }
}

impl fmt::Display for Day {
    /// "15 December 2017"
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_date(
            self.0.year(),
            u32::from(u8::from(self.0.month())),
            u32::from(self.0.day()),
        ))
    }
}

impl Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.iso())
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Day::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("{text:?} is no day")))
    }
}

/// Formats an ISO 8601 date or timestamp ("2017-09-30" or "2017-09-30T10:00:00Z") the UK way.
pub fn format_iso_date(iso: &str) -> String {
    Day::of(iso).map_or_else(|| iso.to_string(), |day| day.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn labels_read_as_councils_write_them() {
        let q2 = Quarter::new(2017, 2).unwrap();
        assert_eq!(q2.to_string(), "2017/18 Q2");
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
    fn a_quarter_of_any_year_has_days_and_a_label() {
        let calendar = super::super::calendar::Calendar::default();
        for year in [i32::MIN, -1, 0, 99_999, i32::MAX - 1] {
            let quarter = Quarter::new(year, 4).unwrap();
            assert!(
                calendar.first_day(quarter) <= calendar.last_day(quarter),
                "{year}"
            );
            assert!(!calendar.quarter_dates(quarter).is_empty());
        }
    }

    #[test]
    fn days_count_and_compare_in_time_order() {
        let day = |text| Day::parse(text).unwrap();
        assert!(day("2017-12-15") < day("2018-01-02"));
        assert_eq!(day("2016-02-28").days_until(day("2016-03-01")), 2);
        assert_eq!(day("2018-01-31").days_until(day("2018-01-24")), -7);
        assert_eq!(day("2017-12-31").end_of_month_after(1), day("2018-01-31"));
        assert_eq!(day("2019-12-31").end_of_month_after(2), day("2020-02-29"));
        assert_eq!(Day::of("2017-09-30T10:00:00Z"), Some(day("2017-09-30")));
        assert_eq!(
            serde_json::to_string(&day("2017-09-30")).unwrap(),
            r#""2017-09-30""#
        );
        assert!(serde_json::from_str::<Day>(r#""2017-02-30""#).is_err());
        assert_eq!(format_iso_date("not a date"), "not a date");
    }

    #[test]
    fn dates_must_exist() {
        assert_eq!(Day::parse("2017-12-15"), Day::new(2017, 12, 15));
        assert_eq!(
            Day::parse("2016-02-29").unwrap().to_string(),
            "29 February 2016"
        );
        assert_eq!(Day::parse(" 2017-12-15 ").unwrap().iso(), "2017-12-15");
        for bad in [
            "2017-02-29",
            "2017-13-01",
            "2017-12-32",
            "17-12-15",
            "2017-1-5",
            "yesterday",
            "",
            "2017-12-15T10:00",
            "2018-4-+30",
            "2018-+4-30",
            "+201-04-30",
            "2018–04–30",
        ] {
            assert_eq!(Day::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_date_typed_in_three_boxes_is_read_as_gov_uk_asks() {
        let read = |d, m, y| Day::from_parts("held_on", d, m, y);
        assert_eq!(read("5", "3", "2018"), Ok(Day::new(2018, 3, 5).unwrap()));
        assert_eq!(
            read(" 05 ", "03", "2018"),
            Ok(Day::new(2018, 3, 5).unwrap())
        );
        for (d, m, y, message) in [
            ("", "", "", "Enter the date"),
            ("5", "", "2018", "The date must include a month"),
            ("", "", "2018", "The date must include a day and a month"),
            ("30", "2", "2018", "The date must be a real date"),
            (
                "5",
                "March",
                "2018",
                "The date must be a real date, in numbers, like 5 3 2018",
            ),
            ("5", "3", "18", "The year must include 4 numbers"),
            (
                "5",
                "3",
                "<b>2018</b>",
                "The date must be a real date, in numbers, like 5 3 2018",
            ),
            (
                "-1",
                "3",
                "2018",
                "The date must be a real date, in numbers, like 5 3 2018",
            ),
        ] {
            let refused = read(d, m, y).unwrap_err();
            assert_eq!(
                (refused.field, refused.message.as_str()),
                ("held_on", message),
                "{d} {m} {y}"
            );
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
            "2147483647-48-q1",
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

    }
}
