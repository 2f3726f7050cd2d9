//! Peer review sessions: what a session covers, the verdicts, and how a session runs.

use super::input::Invalid;
use super::period::Day;
use super::Quarter;

/// What a session reviews: the whole plan, some of its themes, or a chosen list of
/// indicators.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Coverage {
    Plan,
    Themes(Vec<i64>),
    Indicators(Vec<String>),
}

/// The longest list of indicator codes a session's set-up form reads, in bytes.
pub const CODES_MAX: usize = 20_000;

/// How far from the plan's latest quarter a session may be held, in years: sessions review
/// the figures of their time, never decades away.
pub const HELD_WITHIN_YEARS: i32 = 5;

/// The day a session is held, checked against the plan's `latest` quarter.
pub fn held_on(day: Day, latest: Quarter) -> Result<Day, Invalid> {
    if (day.year() - latest.year).abs() > HELD_WITHIN_YEARS {
        return Err(Invalid {
            field: "held_on",
            message: format!(
                "The date must be within {HELD_WITHIN_YEARS} years of the plan's latest figures ({latest})"
            ),
        });
    }
    Ok(day)
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
                let too_many = || Invalid {
                    field: "codes",
                    message: "A session may review at most 500 indicators".into(),
                };
                // Far more than 500 codes could take, so a huge paste is refused unread.
                if codes.len() > CODES_MAX {
                    return Err(too_many());
                }
                let mut list: Vec<String> = Vec::new();
                for code in codes
                    .split(|c: char| c == ',' || c.is_whitespace())
                    .filter(|c| !c.is_empty())
                {
                    let code = code.to_uppercase();
                    if !list.contains(&code) {
                        list.push(code);
                    }
                    if list.len() > 500 {
                        return Err(too_many());
                    }
                }
                if list.is_empty() {
                    return Err(Invalid {
                        field: "codes",
                        message: "Enter the codes of the indicators to review, like WE01, WE02"
                            .into(),
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

    #[test]
    fn a_session_is_held_within_five_years_of_the_plan_s_latest_figures() {
        let latest = Quarter::new(2017, 3).unwrap();
        for near in [(2018, 3, 5), (2012, 1, 1), (2022, 12, 31)] {
            let near = Day::new(near.0, near.1, near.2).unwrap();
            assert_eq!(held_on(near, latest), Ok(near));
        }
        for far in [(9999, 1, 1), (1900, 1, 1), (2023, 1, 1)] {
            let far = Day::new(far.0, far.1, far.2).unwrap();
            let refused = held_on(far, latest).unwrap_err();
            assert_eq!(
                refused.message,
                "The date must be within 5 years of the plan's latest figures (2017/18 Q3)"
            );
        }
    }

    #[test]
    fn a_huge_list_of_codes_is_refused_unread() {
        let huge = "WE01, ".repeat(CODES_MAX);
        assert!(Coverage::read("indicators", &[], &huge).is_err());
        let many: String = (0..501).map(|n| format!("X{n} ")).collect();
        let refused = Coverage::read("indicators", &[], &many).unwrap_err();
        assert_eq!(
            refused.message,
            "A session may review at most 500 indicators"
        );
        let repeated = "WE01 ".repeat(1000);
        assert_eq!(
            Coverage::read("indicators", &[], &repeated),
            Ok(Coverage::Indicators(vec!["WE01".into()]))
        );
    }

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

/// Where a session is: set up, running, paused or over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SessionState {
    Planned,
    Live,
    Paused,
    Ended,
}

impl SessionState {
    pub const ALL: [SessionState; 4] = [Self::Planned, Self::Live, Self::Paused, Self::Ended];

    pub fn code(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::Live => "live",
            Self::Paused => "paused",
            Self::Ended => "ended",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Planned => "Planned",
            Self::Live => "Live",
            Self::Paused => "Paused",
            Self::Ended => "Ended",
        }
    }
}

/// What the facilitator does to a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Start,
    Pause,
    Resume,
    End,
    ShowNames,
    HideNames,
    Next,
    Previous,
    /// To the agenda item at this position.
    Jump(Option<i64>),
}

impl Step {
    /// The step a control's form sends: "start", "next", "jump" (with `position`), …
    pub fn read(code: &str, position: Option<i64>) -> Option<Self> {
        Some(match code {
            "start" => Self::Start,
            "pause" => Self::Pause,
            "resume" => Self::Resume,
            "end" => Self::End,
            "show-names" => Self::ShowNames,
            "hide-names" => Self::HideNames,
            "next" => Self::Next,
            "previous" => Self::Previous,
            "jump" => Self::Jump(position),
            _ => return None,
        })
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Start => "start",
            Self::Pause => "pause",
            Self::Resume => "resume",
            Self::End => "end",
            Self::ShowNames => "show-names",
            Self::HideNames => "hide-names",
            Self::Next => "next",
            Self::Previous => "previous",
            Self::Jump(_) => "jump",
        }
    }
}

/// A running session as the state machine sees it: its state, the agenda item on screen, and
/// whether names show beside comments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Running {
    pub state: SessionState,
    pub current: Option<i64>,
    pub show_names: bool,
}

impl Running {
    /// The session after `step`, on an agenda of `length` items, or why it cannot take it.
    pub fn after(self, step: Step, length: i64) -> Result<Running, &'static str> {
        use SessionState::*;
        let to = |state| Ok(Running { state, ..self });
        match (step, self.state) {
            (Step::Start, Planned) => Ok(Running {
                state: Live,
                current: Some(1),
                ..self
            }),
            (Step::Pause, Live) => to(Paused),
            (Step::Resume, Paused) => to(Live),
            (Step::End, Live | Paused) => to(Ended),
            (Step::ShowNames | Step::HideNames, _) => Ok(Running {
                show_names: step == Step::ShowNames,
                ..self
            }),
            (Step::Next | Step::Previous | Step::Jump(_), Live) => {
                match moved_to(self.current, step, length) {
                    Some(position) => Ok(Running {
                        current: Some(position),
                        ..self
                    }),
                    None => Err("There is no indicator there on the agenda"),
                }
            }
            (Step::Next | Step::Previous | Step::Jump(_), _) => {
                Err("Start or resume the session first")
            }
            _ => Err("The session cannot do that now"),
        }
    }
}

/// Where the facilitator moves: the next or previous indicator, or one chosen, kept within
/// the agenda's `length`.
fn moved_to(current: Option<i64>, step: Step, length: i64) -> Option<i64> {
    let current = current.unwrap_or(1);
    let target = match step {
        Step::Next => current + 1,
        Step::Previous => current - 1,
        Step::Jump(chosen) => chosen?,
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
        assert_eq!(moved_to(Some(1), Step::Next, 3), Some(2));
        assert_eq!(moved_to(Some(3), Step::Next, 3), None);
        assert_eq!(moved_to(Some(1), Step::Previous, 3), None);
        assert_eq!(moved_to(Some(2), Step::Jump(Some(3)), 3), Some(3));
        assert_eq!(moved_to(Some(2), Step::Jump(Some(9)), 3), None);
        assert_eq!(moved_to(Some(2), Step::Jump(None), 3), None);
        assert_eq!(moved_to(None, Step::Next, 3), Some(2));
        assert_eq!(Step::read("sideways", None), None);
    }

    #[test]
    fn a_session_runs_planned_live_paused_ended_and_no_other_way() {
        use SessionState::*;
        let at = |state, current| Running {
            state,
            current,
            show_names: false,
        };
        let started = at(Planned, None).after(Step::Start, 3);
        assert_eq!(started, Ok(at(Live, Some(1))));
        assert_eq!(
            at(Live, Some(1)).after(Step::Pause, 3),
            Ok(at(Paused, Some(1)))
        );
        assert_eq!(
            at(Paused, Some(1)).after(Step::Resume, 3),
            Ok(at(Live, Some(1)))
        );
        assert_eq!(
            at(Paused, Some(2)).after(Step::End, 3),
            Ok(at(Ended, Some(2)))
        );
        assert_eq!(
            at(Paused, Some(1)).after(Step::Next, 3),
            Err("Start or resume the session first")
        );
        assert_eq!(
            at(Ended, Some(1)).after(Step::Start, 3),
            Err("The session cannot do that now")
        );
        assert!(at(Live, Some(1)).after(Step::Resume, 3).is_err());
        let named = at(Ended, None).after(Step::ShowNames, 3);
        assert_eq!(named.map(|r| r.show_names), Ok(true));
        for state in SessionState::ALL {
            assert_eq!(SessionState::from_code(state.code()), Some(state));
        }
        for code in [
            "start",
            "pause",
            "resume",
            "end",
            "show-names",
            "hide-names",
            "next",
            "previous",
            "jump",
        ] {
            assert_eq!(Step::read(code, Some(1)).map(Step::code), Some(code));
        }
    }
}
