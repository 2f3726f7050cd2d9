//! Peer review sessions: what a session covers and who may set one up.

use super::input::Invalid;

/// What a session reviews: the whole plan, some of its themes, or a chosen list of
/// indicators.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Coverage {
    Plan,
    Themes(Vec<i64>),
    Indicators(Vec<String>),
}

impl Coverage {
    /// Reads the set-up form: `scope` is "plan", "themes" or "indicators"; `themes` the
    /// chosen theme ids; `codes` the indicator codes as typed, separated by commas, spaces or
    /// new lines.
    pub fn read(scope: &str, themes: &[i64], codes: &str) -> Result<Self, Invalid> {
        match scope {
            "plan" => Ok(Coverage::Plan),
            "themes" if themes.is_empty() => Err(Invalid {
                field: "themes",
                message: "Choose at least one theme".into(),
            }),
            "themes" => Ok(Coverage::Themes(themes.to_vec())),
            "indicators" => {
                let mut list: Vec<String> = Vec::new();
                for code in codes
                    .split(|c: char| c == ',' || c.is_whitespace())
                    .filter(|c| !c.is_empty())
                {
                    let code = code.to_uppercase();
                    if !list.contains(&code) {
                        list.push(code);
                    }
                }
                if list.is_empty() {
                    return Err(Invalid {
                        field: "codes",
                        message: "Enter the codes of the indicators to review, like WE01, WE02"
                            .into(),
                    });
                }
                if list.len() > 500 {
                    return Err(Invalid {
                        field: "codes",
                        message: "A session may review at most 500 indicators".into(),
                    });
                }
                Ok(Coverage::Indicators(list))
            }
            _ => Err(Invalid {
                field: "scope",
                message: "Choose what the session reviews".into(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_is_read_from_the_form() {
        assert_eq!(Coverage::read("plan", &[], ""), Ok(Coverage::Plan));
        assert_eq!(
            Coverage::read("themes", &[2, 3], ""),
            Ok(Coverage::Themes(vec![2, 3]))
        );
        assert_eq!(
            Coverage::read("themes", &[], "").unwrap_err().field,
            "themes"
        );
        assert_eq!(
            Coverage::read("indicators", &[], "we01, WE02\nwe01  HD03"),
            Ok(Coverage::Indicators(vec![
                "WE01".into(),
                "WE02".into(),
                "HD03".into()
            ]))
        );
        assert_eq!(
            Coverage::read("indicators", &[], " , ").unwrap_err().field,
            "codes"
        );
        assert_eq!(
            Coverage::read("everything", &[], "").unwrap_err().field,
            "scope"
        );
    }
}
