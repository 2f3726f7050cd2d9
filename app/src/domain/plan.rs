//! Shaping a plan: its details, its partner councils, and its themes, outcomes and outputs
//! (each output a hexagon), read from what Business Improvement types into typed changes.

use super::calendar::Calendar;
use super::council::code_for;
use super::input::{text, Invalid};
use std::fmt;

/// The longest title of a plan, theme, outcome or output.
pub const TITLE_MAX: usize = 200;
/// The longest name of a council, and the header's length.
pub const NAME_MAX: usize = 100;
/// The longest short name of a council or short title of an output (two short lines inside a
/// hexagon).
pub const SHORT_MAX: usize = 40;

/// One line of required text: `input::text`, on one line, with something to see (a name of
/// nothing but zero-width or direction marks would hide or disguise what it names).
pub fn line(field: &'static str, label: &str, value: &str, max: usize) -> Result<String, Invalid> {
    let value = text(field, label, value, max)?;
    if value.contains(['\n', '\r', '\t']) {
        return Err(Invalid {
            field,
            message: format!("Write the {label} on one line"),
        });
    }
    if !value.chars().any(visible) {
        return Err(Invalid {
            field,
            message: format!("Enter the {label}"),
        });
    }
    Ok(value)
}

/// Whether a character shows: not a space, and not one of the invisible marks that steer or
/// join text (zero-width spaces and joiners, direction marks and overrides, the byte-order mark).
fn visible(c: char) -> bool {
    !c.is_whitespace()
        && !matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

pub fn optional(
    field: &'static str,
    label: &str,
    value: &str,
    max: usize,
) -> Result<Option<String>, Invalid> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        line(field, label, value, max).map(Some)
    }
}

/// The plan's title, the line its pages' header shows, and its year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanDetails {
    pub title: String,
    /// Empty: the header shows the councils' names.
    pub header: String,
    pub calendar: Calendar,
}

impl PlanDetails {
    pub fn read(
        title: &str,
        header: &str,
        year_starts: &str,
        reporting: &str,
    ) -> Result<PlanDetails, Invalid> {
        Ok(PlanDetails {
            title: line("title", "plan's title", title, TITLE_MAX)?,
            header: optional("header", "header", header, NAME_MAX)?.unwrap_or_default(),
            calendar: Calendar::read(year_starts, reporting)?,
        })
    }
}

/// A partner council as typed: its name, its short name and its ONS area code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CouncilDetails {
    pub name: String,
    pub short_name: String,
    /// Made from the short name: how addresses and files name the council.
    pub code: String,
    pub ons_code: Option<String>,
}

impl CouncilDetails {
    pub fn read(name: &str, short_name: &str, ons_code: &str) -> Result<CouncilDetails, Invalid> {
        let name = line("name", "council's name", name, NAME_MAX)?;
        let short_name = line("short_name", "short name", short_name, SHORT_MAX)?;
        let code = code_for(&short_name).ok_or_else(|| Invalid {
            field: "short_name",
            message: "Give a short name with letters or digits, other than Joint, All or Both"
                .into(),
        })?;
        let ons_code = match ons_code.trim().to_uppercase() {
            code if code.is_empty() => None,
            code if is_ons_code(&code) => Some(code),
            _ => {
                return Err(Invalid {
                    field: "ons_code",
                    message: "Write the ONS area code as a letter and eight digits, like E07000200"
                        .into(),
                })
            }
        };
        Ok(CouncilDetails {
            name,
            short_name,
            code,
            ons_code,
        })
    }
}

/// An ONS area code: E, W, S or N and eight digits.
fn is_ons_code(code: &str) -> bool {
    code.len() == 9
        && code.starts_with(['E', 'W', 'S', 'N'])
        && code[1..].chars().all(|c| c.is_ascii_digit())
}

/// The three levels of the plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Level {
    Theme,
    Outcome,
    Output,
}

impl Level {
    pub fn code(self) -> &'static str {
        match self {
            Self::Theme => "theme",
            Self::Outcome => "outcome",
            Self::Output => "output",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Theme => "Theme",
            Self::Outcome => "Outcome",
            Self::Output => "Output",
        }
    }

    /// The table that holds this level.
    pub fn table(self) -> &'static str {
        self.code()
    }
}

/// One theme, outcome or output, as a form names it: "theme-3".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Part {
    pub level: Level,
    pub id: i64,
}

impl Part {
    pub fn read(text: &str) -> Result<Part, Invalid> {
        let unreadable = || Invalid {
            field: "part",
            message: "Choose a theme, outcome or output from the list".into(),
        };
        let (level, id) = text.trim().split_once('-').ok_or_else(unreadable)?;
        let level = match level {
            "theme" => Level::Theme,
            "outcome" => Level::Outcome,
            "output" => Level::Output,
            _ => return Err(unreadable()),
        };
        let id = id
            .parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .ok_or_else(unreadable)?;
        Ok(Part { level, id })
    }
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.level.code(), self.id)
    }
}

/// A title for a theme, outcome or output.
pub fn title(value: &str) -> Result<String, Invalid> {
    line("title", "title", value, TITLE_MAX)
}

/// A new theme: its title, an optional scope note ("housing related only").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTheme {
    pub title: String,
    pub scope_note: Option<String>,
}

impl NewTheme {
    pub fn read(title_text: &str, scope_note: &str) -> Result<NewTheme, Invalid> {
        Ok(NewTheme {
            title: title(title_text)?,
            scope_note: optional("scope_note", "scope note", scope_note, TITLE_MAX)?,
        })
    }
}

/// A new output: its code (shown in tables), its title and the short title its hexagon shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewOutput {
    pub code: String,
    pub title: String,
    pub short_title: String,
}

impl NewOutput {
    pub fn read(code: &str, title_text: &str, short_title: &str) -> Result<NewOutput, Invalid> {
        let code = code.trim().to_uppercase();
        if code.is_empty()
            || code.len() > 10
            || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
            || !code.chars().any(|c| c.is_ascii_alphanumeric())
        {
            return Err(Invalid {
                field: "code",
                message:
                    "Give the output a code of up to 10 letters, digits or full stops, like W1"
                        .into(),
            });
        }
        Ok(NewOutput {
            code,
            title: title(title_text)?,
            short_title: line("short_title", "short title", short_title, SHORT_MAX)?,
        })
    }
}

/// Which way a theme or outcome moves in the plan's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

impl Direction {
    pub fn read(text: &str) -> Result<Direction, Invalid> {
        match text {
            "up" => Ok(Self::Up),
            "down" => Ok(Self::Down),
            _ => Err(Invalid {
                field: "direction",
                message: "Choose to move it up or down".into(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn council_details_are_read_with_their_codes() {
        let council =
            CouncilDetails::read(" Harbourside Borough Council ", "Harbourside", "e07000999")
                .unwrap();
        assert_eq!(council.code, "harbourside");
        assert_eq!(council.ons_code.as_deref(), Some("E07000999"));
        assert_eq!(
            CouncilDetails::read("X", "Joint", "").unwrap_err().field,
            "short_name"
        );
        assert_eq!(
            CouncilDetails::read("X", "X", "E123").unwrap_err().field,
            "ons_code"
        );
        assert_eq!(CouncilDetails::read("", "X", "").unwrap_err().field, "name");
        assert_eq!(
            CouncilDetails::read("X", &"x".repeat(SHORT_MAX + 1), "")
                .unwrap_err()
                .field,
            "short_name"
        );
    }

    #[test]
    fn parts_and_outputs_are_read_strictly() {
        assert_eq!(
            Part::read("outcome-12"),
            Ok(Part {
                level: Level::Outcome,
                id: 12
            })
        );
        for bad in [
            "",
            "outcome",
            "outcome-",
            "outcome-0",
            "outcome--3",
            "council-1",
            "theme-1.5",
        ] {
            assert!(Part::read(bad).is_err(), "{bad}");
        }
        assert_eq!(Part::read("theme-3").unwrap().to_string(), "theme-3");
        let output = NewOutput::read(" w9 ", "Less waste", "Less waste").unwrap();
        assert_eq!(output.code, "W9");
        assert_eq!(NewOutput::read("<b>", "T", "T").unwrap_err().field, "code");
        assert_eq!(
            NewOutput::read("W9", "T", &"x".repeat(41))
                .unwrap_err()
                .field,
            "short_title"
        );
        assert_eq!(
            PlanDetails::read(" ", "", "April", "half-year")
                .unwrap_err()
                .field,
            "title"
        );
        assert_eq!(NewOutput::read("...", "T", "T").unwrap_err().field, "code");
        for hidden in ["\u{202e}\u{200b}", "\u{feff}", "A\nB", "A\tB"] {
            assert_eq!(title(hidden).unwrap_err().field, "title", "{hidden:?}");
        }
        assert_eq!(
            title(" Homes \u{2014} for all ").unwrap(),
            "Homes \u{2014} for all"
        );
        assert_eq!(
            PlanDetails::read("Plan", " ", "April", "half-year")
                .unwrap()
                .header,
            ""
        );
    }
}
