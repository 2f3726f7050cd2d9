//! What the returns pages read and the server functions return.

use crate::domain::period::Day;
use crate::domain::returns::{Problem, ReturnState};
use crate::domain::{Council, Quarter, Status, Unit};
use crate::model::Choice;
use serde::{Deserialize, Serialize};

/// A quarter opened for returns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReturnPeriod {
    pub quarter: Quarter,
    /// The day the values are due.
    pub deadline: Day,
    pub closed: bool,
}

/// One council's value of an indicator in the quarter, with what it is judged against.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReturnSlot {
    pub council: Council,
    pub previous: Option<f64>,
    pub value: Option<f64>,
    pub commentary: String,
    pub target: Option<f64>,
    pub status: Status,
}

/// One indicator a data owner returns values for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReturnLine {
    pub indicator_id: i64,
    pub code: String,
    pub title: String,
    pub unit: Unit,
    pub theme: String,
    pub owner: Option<Choice>,
    pub slots: Vec<ReturnSlot>,
}

impl ReturnLine {
    pub fn complete(&self) -> bool {
        self.slots.iter().all(|s| s.value.is_some())
    }

    /// The councils still to return a value.
    pub fn missing(&self) -> Vec<Council> {
        self.slots
            .iter()
            .filter(|s| s.value.is_none())
            .map(|s| s.council.clone())
            .collect()
    }
}

/// "My returns": the indicators one data owner returns in one quarter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Returns {
    /// The quarter shown; none when no quarter has been opened for returns.
    pub period: Option<ReturnPeriod>,
    /// The other quarters open for returns.
    pub open: Vec<ReturnPeriod>,
    pub owner: Choice,
    pub lines: Vec<ReturnLine>,
}

/// How many of a group's indicators due in the quarter have all their values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    pub label: String,
    pub entered: usize,
    pub due: usize,
}

impl Tally {
    /// Whole per cent, rounded as people expect (2 of 3 is 67 %), but never 100 % while a
    /// value is missing nor 0 % once one is in.
    pub fn percent(&self) -> usize {
        let rounded = (self.entered * 200 + self.due)
            .checked_div(self.due * 2)
            .unwrap_or(100);
        match (self.entered, self.due) {
            (entered, due) if entered < due => rounded.clamp(usize::from(entered > 0), 99),
            _ => rounded,
        }
    }
}

/// One data owner's returns for the quarter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OwnerReturns {
    pub owner: Choice,
    pub email: String,
    pub tally: Tally,
    pub state: ReturnState,
    /// The indicators still missing a value, with the councils missing.
    pub missing: Vec<(Choice, Vec<Council>)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Completeness {
    /// The quarter shown; none before any quarter has been opened for returns.
    pub period: Option<ReturnPeriod>,
    /// Every quarter ever opened, newest first.
    pub periods: Vec<ReturnPeriod>,
    pub overall: Tally,
    pub themes: Vec<Tally>,
    pub owners: Vec<OwnerReturns>,
    /// The quarter after the newest opened, with its usual deadline, to open next.
    pub next: (Quarter, Day),
    /// Whether reminders can be sent by email (SMTP is configured).
    pub can_email: bool,
}

/// What became of an import.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportOutcome {
    pub id: i64,
    pub file_name: String,
    pub imported_at: String,
    pub rows_read: usize,
    pub rows_written: usize,
    pub problems: Vec<Problem>,
}

#[cfg(test)]
mod tests {
    use super::Tally;

    #[test]
    fn completeness_is_rounded_as_people_read_it() {
        let percent = |entered, due| {
            Tally {
                label: String::new(),
                entered,
                due,
            }
            .percent()
        };
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(1, 2), 50);
        assert_eq!(percent(95, 198), 48);
        assert_eq!(
            percent(199, 200),
            99,
            "never 100 % while a value is missing"
        );
        assert_eq!(percent(1, 300), 1, "never 0 % once a value is in");
        assert_eq!(percent(0, 3), 0);
        assert_eq!(percent(3, 3), 100);
        assert_eq!(percent(0, 0), 100, "nothing due is complete");
    }
}
