//! Checks on what people type into Hexplan's forms. Each returns the cleaned value, or the
//! field to mark and the message to show beside it. The server runs them before every write;
//! the same rules give the messages the pages show.

/// A field that failed its check, with the message to show next to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    pub field: &'static str,
    pub message: String,
}

fn invalid<T>(field: &'static str, message: impl Into<String>) -> Result<T, Invalid> {
    Err(Invalid {
        field,
        message: message.into(),
    })
}

/// Required text of at most `max` characters, trimmed. `label` names it in messages
/// ("Enter the title").
pub fn text(field: &'static str, label: &str, value: &str, max: usize) -> Result<String, Invalid> {
    let value = value.trim();
    if !value.chars().any(visible) {
        return invalid(field, format!("Enter the {label}"));
    }
    if value.chars().count() > max {
        return invalid(
            field,
            format!("Keep the {label} to {max} characters or fewer"),
        );
    }
    if value
        .chars()
        .any(|c| (c.is_control() && c != '\n' && c != '\r' && c != '\t') || overrides_direction(c))
    {
        return invalid(
            field,
            format!("The {label} contains characters that cannot be stored"),
        );
    }
    Ok(value.to_string())
}

/// Whether a character overrides the direction of the text around it (an embedding, override
/// or isolate), which can make stored text read differently from what it holds.
fn overrides_direction(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether a character shows: not white space, and not an invisible format character such as
/// a zero-width space or a direction mark, which would make a blank reason or title look given.
fn visible(c: char) -> bool {
    !c.is_whitespace()
        && !matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{00AD}')
}

/// Why a change was made: every recorded change needs one.
pub fn reason(value: &str) -> Result<String, Invalid> {
    if !value.chars().any(visible) {
        return invalid("reason", "Give a reason for the change");
    }
    text("reason", "reason", value, 500)
}

/// Why a change is made, as typed and checked: required, at most 500 characters. Only
/// `Reason::read` makes one, so whatever takes a `Reason` knows it was checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reason(String);

impl Reason {
    pub fn read(text: &str) -> Result<Reason, Invalid> {
        reason(text).map(Reason)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An indicator's title (at most 200 characters) and definition (at most 2,000), as typed
/// and checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wording {
    pub title: String,
    pub definition: String,
}

impl Wording {
    pub fn read(title: &str, definition: &str) -> Result<Wording, Invalid> {
        Ok(Wording {
            title: text("title", "title", title, 200)?,
            definition: text("definition", "definition", definition, 2000)?,
        })
    }
}

/// A sign-in name: 3 to 40 lower-case letters, digits, dots or hyphens, like `jan.osborne`.
pub fn username(value: &str) -> Result<String, Invalid> {
    let value = value.trim().to_lowercase();
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-';
    if !(3..=40).contains(&value.len()) || !value.chars().all(allowed) {
        return invalid(
            "username",
            "Enter a username of 3 to 40 lower-case letters, digits, dots or hyphens, like jan.osborne",
        );
    }
    Ok(value)
}

/// The shortest password Hexplan accepts (the National Cyber Security Centre favours length
/// over complexity rules).
pub const PASSWORD_MIN: usize = 12;

pub fn password(value: &str) -> Result<String, Invalid> {
    if value.trim().is_empty() {
        return invalid("password", "Choose a password: spaces alone are not one");
    }
    let length = value.chars().count();
    if length < PASSWORD_MIN {
        return invalid(
            "password",
            format!("Choose a password of at least {PASSWORD_MIN} characters"),
        );
    }
    if length > 200 {
        return invalid("password", "Keep the password to 200 characters or fewer");
    }
    Ok(value.to_string())
}

/// A figure in `unit`, typed the way people write them ("85", "85%", "1,250", "£1,250"):
/// finite and within the unit's bounds. `what` names it in messages ("target", "value").
pub fn figure(
    field: &'static str,
    what: &str,
    value: &str,
    unit: super::Unit,
) -> Result<f64, Invalid> {
    let text = value.trim().trim_end_matches('%').replace('£', "");
    let text = text.trim();
    if text.contains(',') && !thousands_grouped(text) {
        return invalid(
            field,
            format!("Write the {what} with commas only between thousands, like 1,250, and a full stop before decimals, like 12.5"),
        );
    }
    let number = text
        .replace(',', "")
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite());
    let Some(number) = number else {
        return invalid(
            field,
            format!("Enter the {what} as a number, for example 85 or 1,250"),
        );
    };
    let (low, high) = unit.bounds();
    if number < low || number > high {
        return invalid(
            field,
            if unit == super::Unit::Percent {
                format!("A percentage {what} must be between 0 and 100")
            } else {
                format!("The {what} must be between {low} and {high}")
            },
        );
    }
    Ok(number)
}

/// Whether the commas of a number stand between thousands: "1,250", "12,500.5", "-1,000".
fn thousands_grouped(text: &str) -> bool {
    let whole = text.split('.').next().unwrap_or_default();
    let whole = whole.strip_prefix(['-', '+']).unwrap_or(whole);
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or_default();
    (1..=3).contains(&first.len())
        && groups.all(|group| group.len() == 3 && group.chars().all(|c| c.is_ascii_digit()))
}

/// A work email address: something@somewhere.
pub fn email(value: &str) -> Result<String, Invalid> {
    let value = text("email", "email address", value, 200)?.to_lowercase();
    match value.split_once('@') {
        Some((name, domain))
            if !name.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !value.contains(char::is_whitespace) =>
        {
            Ok(value)
        }
        _ => invalid(
            "email",
            "Enter an email address in the right format, like name@example.gov.uk",
        ),
    }
}

/// The code for a new indicator: the letters most used by `neighbours` (the codes of its
/// theme's indicators, like `WE03`), followed by the next number free among `all_codes`.
pub fn next_code(neighbours: &[String], all_codes: &[String]) -> String {
    fn split(code: &str) -> (&str, Option<u32>) {
        let digits = code.trim_start_matches(|c: char| !c.is_ascii_digit());
        let prefix = &code[..code.len() - digits.len()];
        (prefix, digits.parse().ok())
    }
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    for code in neighbours {
        *counts.entry(split(code).0).or_default() += 1;
    }
    let prefix = counts
        .into_iter()
        .filter(|(prefix, _)| !prefix.is_empty())
        .max_by_key(|(_, count)| *count)
        .map(|(prefix, _)| prefix)
        .unwrap_or("IND");
    let next = all_codes
        .iter()
        .filter_map(|code| match split(code) {
            (p, Some(n)) if p == prefix => Some(n),
            _ => None,
        })
        .max()
        .unwrap_or(0)
        + 1;
    format!("{prefix}{next:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commas_stand_only_between_thousands() {
        let read = |text: &str| figure("value", "value", text, super::super::Unit::Count);
        for (typed, number) in [
            ("1,250", 1250.0),
            ("12,500.5", 12500.5),
            ("£1,250", 1250.0),
            ("85", 85.0),
            ("1,000,000", 1e6),
        ] {
            assert_eq!(read(typed), Ok(number), "{typed}");
        }
        for wrong in ["1,2,3", "12,5", ",5", "1,25", "1,2500"] {
            assert!(
                read(wrong)
                    .unwrap_err()
                    .message
                    .contains("commas only between thousands"),
                "{wrong}"
            );
        }
    }

    #[test]
    fn text_that_overrides_its_direction_is_refused() {
        let refused = text(
            "commentary",
            "commentary",
            "On target \u{202E}tegrat ffo",
            2000,
        )
        .unwrap_err();
        assert_eq!(
            refused.message,
            "The commentary contains characters that cannot be stored"
        );
        assert!(
            text("commentary", "commentary", "Agreed \u{200F}", 2000).is_ok(),
            "a plain direction mark is kept"
        );
    }

    #[test]
    fn a_reason_or_title_of_invisible_characters_is_empty() {
        for blank in [
            "\u{200B}\u{200B}",
            " \u{202E}\u{200B} ",
            "\u{FEFF}",
            "\u{2060}\u{00AD}",
        ] {
            assert_eq!(
                Reason::read(blank).unwrap_err().field,
                "reason",
                "{blank:?}"
            );
            assert_eq!(
                text("title", "title", blank, 200).unwrap_err().field,
                "title"
            );
        }
        assert!(
            Reason::read("\u{200B}Agreed").is_ok(),
            "visible words with it are kept"
        );
    }

    #[test]
    fn reasons_and_wording_are_read_by_the_same_rules_as_every_field() {
        assert_eq!(
            Reason::read("  Agreed at Cabinet ").unwrap().as_str(),
            "Agreed at Cabinet"
        );
        assert_eq!(
            Reason::read(" ").unwrap_err().message,
            "Give a reason for the change"
        );
        assert_eq!(Reason::read(&"x".repeat(501)).unwrap_err().field, "reason");
        let wording = Wording::read(" Residual waste ", "Kilograms per household").unwrap();
        assert_eq!(wording.title, "Residual waste");
        assert_eq!(Wording::read("", "Defined").unwrap_err().field, "title");
        assert_eq!(
            Wording::read("Title", &"d".repeat(2001)).unwrap_err().field,
            "definition"
        );
    }

    fn field<T: std::fmt::Debug>(result: Result<T, Invalid>) -> &'static str {
        result.expect_err("a message").field
    }

    #[test]
    fn text_is_trimmed_required_and_bounded() {
        assert_eq!(text("title", "title", "  Waste  ", 10), Ok("Waste".into()));
        assert_eq!(field(text("title", "title", "   ", 10)), "title");
        assert_eq!(field(text("title", "title", "elevenchars", 10)), "title");
        assert_eq!(field(text("title", "title", "bell\u{7}", 10)), "title");
        assert_eq!(
            text("definition", "definition", "two\nlines", 20),
            Ok("two\nlines".into())
        );
        // Markup is kept as typed; pages escape it when they show it.
        assert_eq!(
            reason("<script>alert(1)</script>"),
            Ok("<script>alert(1)</script>".into())
        );
        assert_eq!(
            reason(" ").unwrap_err().message,
            "Give a reason for the change"
        );
    }

    #[test]
    fn accounts_need_a_tidy_username_a_long_password_and_an_email() {
        assert_eq!(username(" Jan.Osborne "), Ok("jan.osborne".into()));
        for bad in ["jo", "jan osborne", "jan_osborne", "ján", &"a".repeat(41)] {
            assert_eq!(field(username(bad)), "username", "{bad}");
        }
        assert!(password("correct horse").is_ok());
        assert_eq!(field(password("short")), "password");
        assert_eq!(field(password("            ")), "password");
        assert_eq!(email("Jan@Example.gov.uk"), Ok("jan@example.gov.uk".into()));
        for bad in [
            "jan",
            "@example.gov.uk",
            "jan@example",
            "jan@.uk",
            "jan smith@x.uk",
        ] {
            assert_eq!(field(email(bad)), "email", "{bad}");
        }
    }

    #[test]
    fn new_codes_follow_their_theme() {
        let codes = |list: &[&str]| list.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        assert_eq!(
            next_code(
                &codes(&["WE01", "WE02", "HD01"]),
                &codes(&["WE01", "WE02", "WE07", "HD01"])
            ),
            "WE08"
        );
        assert_eq!(next_code(&[], &codes(&["IND01"])), "IND02");
        assert_eq!(next_code(&codes(&["AI1"]), &codes(&["AI1"])), "AI02");
    }
}
