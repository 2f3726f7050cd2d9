//! Quarterly returns: which indicators are due in a quarter, how a value and its commentary
//! are checked (typed into a form or read from a spreadsheet), and where a return stands
//! against the quarter's deadline.

use super::input::{self, Invalid};
use super::period::Day;
use super::{Calendar, Quarter, Status, Unit};
use serde::{Deserialize, Serialize};

/// The longest commentary a value may carry.
pub const COMMENTARY_MAX: usize = 2000;

/// Whether an indicator reported at `frequency` ("quarterly", "half_yearly", "annual") is due
/// in `quarter`: half-yearly ones at the end of each half, annual ones at the year's end.
pub fn due_in(frequency: &str, quarter: Quarter) -> bool {
    match frequency {
        "half_yearly" => quarter.q.is_multiple_of(2),
        "annual" => quarter.q == 4,
        _ => true,
    }
}

/// A value as typed, checked like a target: a number within the unit's bounds.
pub fn value(text: &str, unit: Unit) -> Result<f64, Invalid> {
    input::figure("value", "value", text, unit)
}

/// The commentary with a value: optional, but required when the value is red, so Cabinet
/// reads why a target was missed.
pub fn commentary(text: &str, status: Status) -> Result<String, Invalid> {
    if text.trim().is_empty() {
        return if status == Status::Red {
            Err(Invalid {
                field: "commentary",
                message: "This value misses its target by more than the tolerance (red): say why in the commentary, and what is being done".into(),
            })
        } else {
            Ok(String::new())
        };
    }
    input::text("commentary", "commentary", text, COMMENTARY_MAX)
}

/// The name of one council's value of an indicator on the returns page: in its fields
/// (`value[…]`), its elements' ids and the address after a save. It starts with a letter, as a
/// form's key in brackets that starts with a digit reads as a position in a list.
pub fn slot(indicator_id: i64, council: &str) -> String {
    format!("v{indicator_id}-{council}")
}

/// The indicator and council code a slot's name holds.
pub fn read_slot(slot: &str) -> Option<(i64, &str)> {
    let (indicator, council) = slot.strip_prefix('v')?.split_once('-')?;
    Some((indicator.parse().ok()?, council))
}

/// Where one indicator's return for a quarter stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ReturnState {
    /// Every council's value is in.
    Entered,
    /// Some value is missing; the deadline is more than a week away.
    Missing,
    /// Some value is missing and the deadline is within a week.
    DueSoon,
    /// Some value is missing and the deadline has passed.
    Late,
}

impl ReturnState {
    /// How near the deadline counts as "due soon", in days.
    pub const DUE_SOON_DAYS: i64 = 7;

    /// The state of a return with or without all its values, on `today`, against `deadline`.
    pub fn of(complete: bool, today: Day, deadline: Day) -> Self {
        match today.days_until(deadline) {
            _ if complete => Self::Entered,
            days if days < 0 => Self::Late,
            days if days <= Self::DUE_SOON_DAYS => Self::DueSoon,
            _ => Self::Missing,
        }
    }

    /// How much it needs chasing: late first, then due soon, then missing, then entered.
    pub fn urgency(self) -> u8 {
        match self {
            Self::Late => 3,
            Self::DueSoon => 2,
            Self::Missing => 1,
            Self::Entered => 0,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Entered => "Entered",
            Self::Missing => "Missing",
            Self::DueSoon => "Due soon",
            Self::Late => "Late",
        }
    }

    /// Whether the data owner should be reminded.
    pub fn needs_reminder(self) -> bool {
        matches!(self, Self::DueSoon | Self::Late)
    }
}

/// What Business Improvement does to a quarter's returns: opens it with a deadline, closes it
/// or reopens it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodChange {
    Open { deadline: Day },
    Close,
    Reopen,
}

impl PeriodChange {
    /// Reads the form's choice ("open", "close" or "reopen") and, to open, the deadline.
    pub fn read(action: &str, deadline: Option<&str>) -> Result<PeriodChange, Invalid> {
        match action {
            "open" => deadline
                .and_then(Day::parse)
                .map(|deadline| PeriodChange::Open { deadline })
                .ok_or_else(|| Invalid {
                    field: "deadline",
                    message: "Enter the deadline as a date, like 2018-04-30".into(),
                }),
            "close" => Ok(PeriodChange::Close),
            "reopen" => Ok(PeriodChange::Reopen),
            _ => Err(Invalid {
                field: "period",
                message: "Choose to open, close or reopen the quarter".into(),
            }),
        }
    }
}

/// The usual deadline for a quarter's returns: the last day of the month after it ends.
pub fn usual_deadline(calendar: Calendar, quarter: Quarter) -> Day {
    calendar.last_day(quarter).end_of_month_after(1)
}

/// Reads a period as a spreadsheet names it: "2017/18 Q3" or "2017-18-q3".
pub fn period(text: &str) -> Option<Quarter> {
    let text = text.trim().to_lowercase().replace(['/', ' '], "-");
    Quarter::parse_slug(&text.replace("--", "-"))
}

/// The columns of a values spreadsheet, in the template's order.
pub const COLUMNS: [&str; 5] = ["Indicator", "Council", "Period", "Value", "Commentary"];

/// The optional column in which the person confirms a value far from the indicator's recent
/// ones ([`plausibility`](super::plausibility)) by writing Yes.
pub const CHECKED: &str = "Checked";

/// Whether a Checked cell confirms its row's value: "Yes", "Y", "True", "1", "X" or a tick
/// (a spreadsheet's TRUE and a ticked box read as "true" or "1").
pub fn confirms(cell: &str) -> bool {
    matches!(
        cell.trim().to_lowercase().as_str(),
        "yes" | "y" | "true" | "1" | "x" | "✓" | "✔"
    )
}

/// One problem in an imported file: its sheet (in a workbook of several), its row (as the
/// spreadsheet numbers them, the heading being row 1), its column and what is wrong, in plain
/// words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    #[serde(default)]
    pub sheet: String,
    pub row: usize,
    pub column: String,
    pub message: String,
}

impl Problem {
    pub fn new(row: usize, column: &str, message: impl Into<String>) -> Self {
        Problem {
            sheet: String::new(),
            row,
            column: column.to_string(),
            message: message.into(),
        }
    }

    /// A problem in one sheet of a workbook.
    pub fn in_sheet(sheet: &str, row: usize, column: &str, message: impl Into<String>) -> Self {
        Problem {
            sheet: sheet.to_string(),
            ..Self::new(row, column, message)
        }
    }

    /// A problem with the whole file rather than one row.
    pub fn file(message: impl Into<String>) -> Self {
        Self::new(0, "", message)
    }
}

/// A row of a values spreadsheet, as text, with the row number it had in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetRow {
    pub row: usize,
    pub indicator: String,
    pub council: String,
    pub period: String,
    pub value: String,
    pub commentary: String,
    /// The person confirmed a value far from the indicator's recent ones.
    pub confirmed: bool,
}

/// Reads the heading row and the rows below it into `SheetRow`s; the columns may come in any
/// order, and their names in any case. Empty rows are skipped; a file with none left has no
/// values to save.
pub fn sheet_rows(
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Result<Vec<SheetRow>, Vec<Problem>> {
    let mut rows = rows.into_iter().enumerate();
    let Some((_, heading)) = rows.next() else {
        return Err(vec![Problem::file(
            "The file is empty: start from the template, which has a heading row",
        )]);
    };
    let heading: Vec<String> = heading
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase())
        .collect();
    if let Some(twice) = COLUMNS.iter().chain(&[CHECKED]).find(|name| {
        heading
            .iter()
            .filter(|h| **h == name.to_lowercase())
            .count()
            > 1
    }) {
        return Err(vec![Problem::file(format!(
            "The heading row names the column {twice} twice: keep one, so it is clear which is meant"
        ))]);
    }
    let mut positions = [0usize; 5];
    let mut missing = Vec::new();
    for (position, name) in positions.iter_mut().zip(COLUMNS) {
        match heading.iter().position(|h| h == &name.to_lowercase()) {
            Some(found) => *position = found,
            None => missing.push(name),
        }
    }
    if !missing.is_empty() {
        return Err(vec![Problem::file(format!(
            "The heading row must name the columns {}; it has no {}",
            COLUMNS.join(", "),
            missing.join(", ")
        ))]);
    }
    let checked = heading.iter().position(|h| h == &CHECKED.to_lowercase());
    let cell = |cells: &[String], at: usize| cells.get(at).map(|c| c.trim().to_string());
    let rows: Vec<SheetRow> = rows
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .map(|(index, cells)| SheetRow {
            row: index + 1,
            indicator: cell(&cells, positions[0]).unwrap_or_default(),
            council: cell(&cells, positions[1]).unwrap_or_default(),
            period: cell(&cells, positions[2]).unwrap_or_default(),
            value: cell(&cells, positions[3]).unwrap_or_default(),
            commentary: cells
                .get(positions[4])
                .map(|c| c.trim().to_string())
                .unwrap_or_default(),
            confirmed: checked
                .and_then(|at| cells.get(at))
                .is_some_and(|c| confirms(c)),
        })
        .collect();
    if rows.is_empty() {
        return Err(vec![Problem::file(
            "The file has its heading row but no values below it: fill in a row for each value, as the template does",
        )]);
    }
    Ok(rows)
}

/// The text of a reminder to a data owner whose return is `state`.
pub fn reminder(
    name: &str,
    quarter: Quarter,
    deadline: Day,
    state: ReturnState,
    missing: &[String],
    link: &str,
) -> String {
    let when = if state == ReturnState::Late {
        format!("was due on {deadline}")
    } else {
        format!("is due by {deadline}")
    };
    let list: String = missing.iter().map(|m| format!("- {m}\n")).collect();
    format!(
        "Dear {name},\n\nYour quarterly return for {quarter} {when}. These indicators still need values:\n\n{list}\nEnter them at {link}\n\nThank you,\nBusiness Improvement\n"
    )
}

/// An achievement or impact narrative is required text of at most this many characters.
pub const NARRATIVE_MAX: usize = 4000;

/// An outcome's achievements and impacts for a half-year, as typed and checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Narrative {
    pub achievements: String,
    pub impacts: String,
}

impl Narrative {
    pub fn read(achievements: &str, impacts: &str) -> Result<Narrative, Invalid> {
        Ok(Narrative {
            achievements: input::text("achievements", "achievements", achievements, NARRATIVE_MAX)?,
            impacts: input::text("impacts", "impacts", impacts, NARRATIVE_MAX)?,
        })
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_slot_names_its_indicator_and_council_and_reads_back() {
        assert_eq!(slot(12, "mid-suffolk"), "v12-mid-suffolk");
        assert_eq!(read_slot("v12-mid-suffolk"), Some((12, "mid-suffolk")));
        assert_eq!(read_slot(&slot(7, "3-rivers")), Some((7, "3-rivers")));
        for nonsense in ["12-babergh", "v-babergh", "vx-babergh", "v12", ""] {
            assert_eq!(read_slot(nonsense), None, "{nonsense}");
        }
    }

    use super::*;

    fn q(year: i32, q: u8) -> Quarter {
        Quarter::new(year, q).unwrap()
    }

    #[test]
    fn frequency_decides_the_quarters_due() {
        assert!(due_in("quarterly", q(2017, 1)));
        assert!(!due_in("half_yearly", q(2017, 1)));
        assert!(due_in("half_yearly", q(2017, 2)));
        assert!(!due_in("annual", q(2017, 3)));
        assert!(due_in("annual", q(2017, 4)));
    }

    #[test]
    fn commentary_is_required_only_when_red() {
        assert_eq!(commentary("  ", Status::Green), Ok(String::new()));
        assert_eq!(commentary("", Status::Red).unwrap_err().field, "commentary");
        assert_eq!(
            commentary(" Crew shortage ", Status::Red),
            Ok("Crew shortage".into())
        );
        assert!(commentary(&"x".repeat(COMMENTARY_MAX + 1), Status::Green).is_err());
        assert_eq!(value("1,250", Unit::Count), Ok(1250.0));
        assert_eq!(value("101", Unit::Percent).unwrap_err().field, "value");
        assert_eq!(
            value("=SUM(A1)", Unit::Count).unwrap_err().message,
            "Enter the value as a number, for example 85 or 1,250"
        );
    }

    fn day(text: &str) -> Day {
        Day::parse(text).unwrap()
    }

    #[test]
    fn a_quarter_is_opened_with_a_real_deadline_closed_or_reopened() {
        assert_eq!(
            PeriodChange::read("open", Some("2018-04-30")),
            Ok(PeriodChange::Open {
                deadline: day("2018-04-30")
            })
        );
        assert_eq!(
            PeriodChange::read("close", Some("nonsense")),
            Ok(PeriodChange::Close)
        );
        assert_eq!(PeriodChange::read("reopen", None), Ok(PeriodChange::Reopen));
        for (action, deadline, field) in [
            ("open", None, "deadline"),
            ("open", Some("2018-02-30"), "deadline"),
            ("open", Some("<b>soon</b>"), "deadline"),
            ("delete", Some("2018-04-30"), "period"),
        ] {
            assert_eq!(
                PeriodChange::read(action, deadline).unwrap_err().field,
                field
            );
        }
    }

    #[test]
    fn returns_turn_late_after_the_deadline() {
        assert_eq!(
            ReturnState::of(true, day("2018-03-01"), day("2018-01-31")),
            ReturnState::Entered
        );
        assert_eq!(
            ReturnState::of(false, day("2018-01-01"), day("2018-01-31")),
            ReturnState::Missing
        );
        assert_eq!(
            ReturnState::of(false, day("2018-01-25"), day("2018-01-31")),
            ReturnState::DueSoon
        );
        assert_eq!(
            ReturnState::of(false, day("2018-01-31"), day("2018-01-31")),
            ReturnState::DueSoon
        );
        assert_eq!(
            ReturnState::of(false, day("2018-02-01"), day("2018-01-31")),
            ReturnState::Late
        );
        assert_eq!(
            ReturnState::of(false, day("2017-12-28"), day("2018-01-03")),
            ReturnState::DueSoon
        );
    }

    #[test]
    fn reminders_say_what_is_missing_and_where_to_enter_it() {
        let text = reminder(
            "Mark Ellis",
            q(2017, 3),
            day("2018-01-31"),
            ReturnState::Late,
            &["WE01 Residual waste (North Vale)".into()],
            "https://hexplan.example/returns?period=2017-18-q3",
        );
        assert!(text.starts_with("Dear Mark Ellis,"));
        assert!(text.contains("2017/18 Q3 was due on 31 January 2018"));
        assert!(text.contains("- WE01 Residual waste (North Vale)\n"));
        assert!(text.contains("https://hexplan.example/returns?period=2017-18-q3"));
    }

    #[test]
    fn deadlines_fall_a_month_after_the_quarter() {
        assert_eq!(
            usual_deadline(Calendar::default(), q(2017, 3)),
            day("2018-01-31")
        );
        assert_eq!(
            usual_deadline(Calendar::default(), q(2017, 1)),
            day("2017-07-31")
        );
        assert_eq!(
            usual_deadline(Calendar::default(), q(2017, 2)),
            day("2017-10-31")
        );
        assert_eq!(
            usual_deadline(Calendar::default(), q(2019, 4)),
            day("2020-04-30")
        );
        assert_eq!(
            usual_deadline(Calendar::default(), q(2017, 3)).to_string(),
            "31 January 2018"
        );
    }

    #[test]
    fn spreadsheets_name_periods_as_people_write_them() {
        assert_eq!(period("2017/18 Q3"), Some(q(2017, 3)));
        assert_eq!(period("2017-18-q3"), Some(q(2017, 3)));
        assert_eq!(period("Q3 2017"), None);
    }

    #[test]
    fn a_checked_cell_confirms_its_rows_value() {
        let text = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        let heading = text(&[
            "Indicator",
            "Council",
            "Period",
            "Value",
            "Commentary",
            "checked",
        ]);
        let row = |checked: &str| text(&["WE01", "North Vale", "2017/18 Q3", "480", "", checked]);
        let rows = sheet_rows([
            heading,
            row("Yes"),
            row(" ✓ "),
            row("1"),
            row("TRUE"),
            row(""),
            row("no"),
            row("0"),
            row("maybe"),
        ])
        .unwrap();
        let confirmed: Vec<bool> = rows.iter().map(|r| r.confirmed).collect();
        assert_eq!(
            confirmed,
            [true, true, true, true, false, false, false, false]
        );
        let twice = text(&[
            "Indicator",
            "Council",
            "Period",
            "Value",
            "Commentary",
            "Checked",
            "checked",
        ]);
        let problems = sheet_rows([twice, row("Yes")]).unwrap_err();
        assert!(
            problems[0]
                .message
                .contains("names the column Checked twice"),
            "{problems:?}"
        );
    }

    #[test]
    fn headings_may_come_in_any_order() {
        let text = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        let rows = sheet_rows([
            text(&[
                "\u{feff}Council",
                "INDICATOR",
                "Period",
                "Value",
                "Commentary",
            ]),
            text(&["North Vale", "WE01", "2017/18 Q3", "52", ""]),
            text(&["", "", "", "", ""]),
            text(&["South Downs", "WE01", "2017/18 Q3", "48"]),
        ])
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].indicator, "WE01");
        assert_eq!(rows[0].row, 2);
        assert_eq!(rows[1].row, 4);
        assert_eq!(rows[1].commentary, "");
        assert!(!rows[0].confirmed, "no Checked column: nothing confirmed");
        let problems = sheet_rows([text(&["Indicator", "Value"])]).unwrap_err();
        assert!(problems[0]
            .message
            .contains("no Council, Period, Commentary"));
        assert!(sheet_rows(Vec::<Vec<String>>::new()).is_err());
    }
}
