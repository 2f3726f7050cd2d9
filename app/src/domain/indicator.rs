//! The vocabulary of an indicator: kind, unit, polarity and lifecycle.

use serde::{Deserialize, Serialize};

/// Tracking indicators measure an outcome the council does not fully control; influencing
/// indicators measure an output the council delivers or influences.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IndicatorKind {
    Tracking,
    Influencing,
}

impl IndicatorKind {
    pub const ALL: [IndicatorKind; 2] = [Self::Tracking, Self::Influencing];

    pub fn code(self) -> &'static str {
        match self {
            Self::Tracking => "tracking",
            Self::Influencing => "influencing",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "tracking" => Some(Self::Tracking),
            "influencing" => Some(Self::Influencing),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Tracking => "Tracking",
            Self::Influencing => "Influencing",
        }
    }
}

/// Which direction of change is good news.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Polarity {
    HigherIsBetter,
    LowerIsBetter,
    /// Reported for information: no target is judged and no trend is good or bad.
    DataOnly,
}

impl Polarity {
    pub const ALL: [Polarity; 3] = [Self::HigherIsBetter, Self::LowerIsBetter, Self::DataOnly];

    pub fn code(self) -> &'static str {
        match self {
            Self::HigherIsBetter => "higher",
            Self::LowerIsBetter => "lower",
            Self::DataOnly => "data_only",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "higher" => Some(Self::HigherIsBetter),
            "lower" => Some(Self::LowerIsBetter),
            "data_only" => Some(Self::DataOnly),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::HigherIsBetter => "Higher is better",
            Self::LowerIsBetter => "Lower is better",
            Self::DataOnly => "Data only",
        }
    }

    pub fn reversed(self) -> Self {
        match self {
            Self::HigherIsBetter => Self::LowerIsBetter,
            Self::LowerIsBetter => Self::HigherIsBetter,
            Self::DataOnly => Self::DataOnly,
        }
    }
}

/// The unit a value is measured in; it decides how the value is written and what is sensible.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Unit {
    Percent,
    Count,
    Days,
    Pounds,
    Kilograms,
    Seconds,
    Weeks,
    Score,
}

impl Unit {
    pub const ALL: [Unit; 8] = [
        Self::Percent,
        Self::Count,
        Self::Days,
        Self::Pounds,
        Self::Kilograms,
        Self::Seconds,
        Self::Weeks,
        Self::Score,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Percent => "percent",
            Self::Count => "count",
            Self::Days => "days",
            Self::Pounds => "pounds",
            Self::Kilograms => "kg",
            Self::Seconds => "seconds",
            Self::Weeks => "weeks",
            Self::Score => "score",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|unit| unit.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Percent => "Percentage (%)",
            Self::Count => "Number",
            Self::Days => "Days",
            Self::Pounds => "Pounds (£)",
            Self::Kilograms => "Kilograms (kg)",
            Self::Seconds => "Seconds",
            Self::Weeks => "Weeks",
            Self::Score => "Score",
        }
    }

    /// The values a measurement or target may take: a percentage lies in 0–100, nothing
    /// here is negative.
    pub fn bounds(self) -> (f64, f64) {
        match self {
            Self::Percent => (0.0, 100.0),
            _ => (0.0, 1.0e12),
        }
    }
}

/// proposed ("to be confirmed by leaders") → active → deleted. Deleted indicators stay in history.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lifecycle {
    Proposed,
    Active,
    Deleted,
}

impl Lifecycle {
    pub fn code(self) -> &'static str {
        match self {
            Self::Proposed => "proposed",
            Self::Active => "active",
            Self::Deleted => "deleted",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "proposed" => Some(Self::Proposed),
            "active" => Some(Self::Active),
            "deleted" => Some(Self::Deleted),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Proposed => "To be confirmed by leaders",
            Self::Active => "Active",
            Self::Deleted => "Deleted",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for unit in [
            Unit::Percent,
            Unit::Count,
            Unit::Days,
            Unit::Pounds,
            Unit::Kilograms,
            Unit::Seconds,
            Unit::Weeks,
            Unit::Score,
        ] {
            assert_eq!(Unit::from_code(unit.code()), Some(unit));
        }
        for polarity in [
            Polarity::HigherIsBetter,
            Polarity::LowerIsBetter,
            Polarity::DataOnly,
        ] {
            assert_eq!(Polarity::from_code(polarity.code()), Some(polarity));
            assert_eq!(polarity.reversed().reversed(), polarity);
        }
        for lifecycle in [Lifecycle::Proposed, Lifecycle::Active, Lifecycle::Deleted] {
            assert_eq!(Lifecycle::from_code(lifecycle.code()), Some(lifecycle));
        }
        assert_eq!(
            IndicatorKind::from_code("tracking"),
            Some(IndicatorKind::Tracking)
        );
        assert_eq!(Unit::from_code("furlongs"), None);
    }
}
