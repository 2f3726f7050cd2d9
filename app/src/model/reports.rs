//! What the reports pages read and the server functions return.

use crate::domain::{HalfYear, Quarter};
use serde::{Deserialize, Serialize};

/// What a report covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReportPeriod {
    Half(HalfYear),
    Quarter(Quarter),
}

impl ReportPeriod {
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
    pub fn dates(self) -> String {
        match self {
            ReportPeriod::Half(half) => half.date_range_label(),
            ReportPeriod::Quarter(quarter) => quarter.date_range_label(),
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
        assert_eq!(h1.dates(), "1 April to 30 September 2017");
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
}
