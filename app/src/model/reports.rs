//! What the reports pages read and the server functions return.

use crate::domain::{Calendar, HalfYear, Quarter, Reporting};
use serde::{Deserialize, Serialize};

/// What a report covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReportPeriod {
    Half(HalfYear),
    Quarter(Quarter),
}

impl ReportPeriod {
    /// The report the plan makes to Cabinet after a quarter, if it makes one then: the
    /// half-year's report after Q2 and Q4 when it reports half-yearly, else the quarter's.
    pub fn after(calendar: Calendar, quarter: Quarter) -> Option<ReportPeriod> {
        match calendar.reporting {
            _ if !calendar.reports_after(quarter) => None,
            Reporting::HalfYearly => Some(ReportPeriod::Half(quarter.half())),
            Reporting::Quarterly => Some(ReportPeriod::Quarter(quarter)),
        }
    }

    /// The quarters reported, oldest first.
    pub fn quarters(self) -> Vec<Quarter> {
        match self {
            ReportPeriod::Half(half) => half.quarters().to_vec(),
            ReportPeriod::Quarter(quarter) => vec![quarter],
        }
    }

    /// The quarter whose status and trend the report shows.
    pub fn last(self) -> Quarter {
        match self {
            ReportPeriod::Half(half) => half.quarters()[1],
            ReportPeriod::Quarter(quarter) => quarter,
        }
    }

    /// The half-year whose achievements and impacts the report prints.
    pub fn half(self) -> HalfYear {
        self.last().half()
    }

    /// "Performance report to Cabinet, 2017/18 H1"
    pub fn title(self) -> String {
        match self {
            ReportPeriod::Half(half) => format!("Performance report to Cabinet, {half}"),
            ReportPeriod::Quarter(quarter) => format!("Quarterly performance update, {quarter}"),
        }
    }

    /// "1 April to 30 September 2017"
    pub fn dates(self, calendar: Calendar) -> String {
        match self {
            ReportPeriod::Half(half) => calendar.half_dates(half),
            ReportPeriod::Quarter(quarter) => calendar.quarter_dates(quarter),
        }
    }

    /// "2017-18-h1" or "2017-18-q3".
    pub fn slug(self) -> String {
        match self {
            ReportPeriod::Half(half) => half.slug(),
            ReportPeriod::Quarter(quarter) => quarter.slug(),
        }
    }

    pub fn parse_slug(text: &str) -> Option<Self> {
        HalfYear::parse_slug(text)
            .map(ReportPeriod::Half)
            .or_else(|| Quarter::parse_slug(text).map(ReportPeriod::Quarter))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Publication {
    pub at: String,
    pub by: String,
    pub sha256: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportSummary {
    pub id: i64,
    pub period: ReportPeriod,
    pub published: Option<Publication>,
}

/// The archive: published reports for everyone, drafts for Business Improvement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reports {
    pub published: Vec<ReportSummary>,
    pub drafts: Vec<ReportSummary>,
    /// (slug, label) of the periods a new report may cover; empty for those who cannot create.
    pub choices: Vec<(String, String)>,
    /// The newest quarters with values, newest first, for their live quarterly updates.
    pub recent: Vec<Quarter>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_name_themselves() {
        let Some(h1) = ReportPeriod::parse_slug("2017-18-h1") else {
            panic!("2017-18-h1 is a half-year")
        };
        assert_eq!(h1.title(), "Performance report to Cabinet, 2017/18 H1");
        assert_eq!(
            h1.dates(Calendar::default()),
            "1 April to 30 September 2017"
        );
        let july = Calendar::read("July", "half-year").unwrap();
        assert_eq!(h1.dates(july), "1 July to 31 December 2017");
        assert_eq!(h1.quarters().len(), 2);
        assert_eq!(Some(h1.last()), Quarter::new(2017, 2));
        let Some(q3) = ReportPeriod::parse_slug("2017-18-q3") else {
            panic!("2017-18-q3 is a quarter")
        };
        assert_eq!(q3.title(), "Quarterly performance update, 2017/18 Q3");
        assert_eq!(q3.half().to_string(), "2017/18 H2");
        assert_eq!(ReportPeriod::parse_slug(&q3.slug()), Some(q3));
        assert_eq!(ReportPeriod::parse_slug("2017"), None);
    }

    #[test]
    fn reports_follow_the_plan_s_reporting_quarters() {
        let q = |q| Quarter::new(2017, q).unwrap();
        let half_yearly = Calendar::default();
        assert_eq!(ReportPeriod::after(half_yearly, q(1)), None);
        assert_eq!(
            ReportPeriod::after(half_yearly, q(2)),
            ReportPeriod::parse_slug("2017-18-h1")
        );
        assert_eq!(
            ReportPeriod::after(half_yearly, q(4)),
            ReportPeriod::parse_slug("2017-18-h2")
        );
        let quarterly = Calendar::read("April", "quarter").unwrap();
        assert_eq!(
            ReportPeriod::after(quarterly, q(3)),
            Some(ReportPeriod::Quarter(q(3)))
        );
    }
}
