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

/// A participant's verdict on an indicator.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Verdict {
    Adequate,
    Refine,
    Replace,
    Delete,
    AmendTarget,
}

impl Verdict {
    pub const ALL: [Verdict; 5] = [
        Self::Adequate,
        Self::Refine,
        Self::Replace,
        Self::Delete,
        Self::AmendTarget,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Adequate => "adequate",
            Self::Refine => "refine",
            Self::Replace => "replace",
            Self::Delete => "delete",
            Self::AmendTarget => "amend_target",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Adequate => "Adequate",
            Self::Refine => "Refine",
            Self::Replace => "Replace",
            Self::Delete => "Delete",
            Self::AmendTarget => "Amend the target",
        }
    }
}

/// Where the facilitator moves: the next or previous indicator, or one chosen, kept within
/// the agenda's `length`.
pub fn moved_to(current: Option<i64>, step: &str, chosen: Option<i64>, length: i64) -> Option<i64> {
    let current = current.unwrap_or(1);
    let target = match step {
        "next" => current + 1,
        "previous" => current - 1,
        "jump" => chosen?,
        _ => return None,
    };
    (1..=length).contains(&target).then_some(target)
}

#[cfg(test)]
mod running {
    use super::*;

    #[test]
    fn verdict_codes_round_trip() {
        for verdict in Verdict::ALL {
            assert_eq!(Verdict::from_code(verdict.code()), Some(verdict));
        }
        assert_eq!(Verdict::from_code("maybe"), None);
    }

    #[test]
    fn the_facilitator_stays_within_the_agenda() {
        assert_eq!(moved_to(Some(1), "next", None, 3), Some(2));
        assert_eq!(moved_to(Some(3), "next", None, 3), None);
        assert_eq!(moved_to(Some(1), "previous", None, 3), None);
        assert_eq!(moved_to(Some(2), "jump", Some(3), 3), Some(3));
        assert_eq!(moved_to(Some(2), "jump", Some(9), 3), None);
        assert_eq!(moved_to(None, "next", None, 3), Some(2));
        assert_eq!(moved_to(Some(2), "sideways", None, 3), None);
    }
}
