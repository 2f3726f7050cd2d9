//! What the reviews pages read and the server functions return.

use crate::domain::period::Day;
use crate::domain::review::Verdict;
use crate::model::Choice;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewSummary {
    pub id: i64,
    pub title: String,
    /// ISO 8601 date.
    pub held_on: Day,
    pub facilitator: String,
    pub state: crate::domain::review::SessionState,
    pub indicators: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgendaItem {
    pub position: i64,
    pub indicator: Choice,
    pub theme: String,
    pub agreed: Option<Agreed>,
}

/// What a session agreed for an indicator, who will act on it, and whether Business
/// Improvement has turned it into a change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Agreed {
    pub outcome: String,
    /// The change agreed: adequate means none.
    pub change: Verdict,
    /// The agreed target, when the change is to amend it.
    pub value: Option<f64>,
    pub action_owner: Option<String>,
    /// The indicator changed once the change is made (for a replacement, the new one).
    pub acted_on: Option<i64>,
}

impl Agreed {
    /// " to 95" when the agreed change is a target, else nothing.
    pub fn value_text(&self) -> String {
        self.value
            .map(|v| format!(" to {}", crate::domain::format::number(v, 2)))
            .unwrap_or_default()
    }

    /// "Amend the target to 95: stretch it (action: Jan Osborne)".
    pub fn describe(&self) -> String {
        let owner = self
            .action_owner
            .as_ref()
            .map(|o| format!(" (action: {o})"))
            .unwrap_or_default();
        format!(
            "{}{}: {}{owner}",
            self.change.label(),
            self.value_text(),
            self.outcome
        )
    }
}

/// One participant's verdict, as the facilitator may show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NamedVerdict {
    pub name: String,
    pub verdict: Verdict,
    pub proposed_value: Option<f64>,
    pub comment: String,
}

/// The indicator being looked at, with its verdicts so far.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Discussion {
    pub position: i64,
    pub indicator: Choice,
    pub definition: String,
    pub unit: crate::domain::Unit,
    /// Each council's values, targets and statuses by quarter.
    pub series: Vec<crate::model::indicators::CouncilSeries>,
    pub tally: Vec<(Verdict, usize)>,
    /// Everyone's verdicts when the facilitator shows names (the facilitator always sees them).
    pub named: Vec<NamedVerdict>,
    /// The signed-in person's own verdict.
    pub mine: Option<NamedVerdict>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewPage {
    pub session: ReviewSummary,
    pub agenda: Vec<AgendaItem>,
    pub invited: Vec<Choice>,
    /// Whether the signed-in person may change the agenda and the invitations.
    pub may_manage: bool,
    /// People who may still be invited (for those who manage).
    pub others: Vec<Choice>,
    /// Where the facilitator is, once the session has started.
    pub current: Option<i64>,
    /// The indicator on screen: the current one, or another the person browses to.
    pub discussion: Option<Discussion>,
    pub show_names: bool,
    /// Moves on at every change to the session.
    pub version: i64,
    /// Whether the signed-in person may record verdicts (invited, or the facilitator).
    pub participates: bool,
    /// Who has the session open now, by name.
    pub present: Vec<String>,
}

/// The sessions page: the sessions one may open, and what the set-up form offers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reviews {
    pub sessions: Vec<ReviewSummary>,
    /// Empty for those who may not set sessions up.
    pub themes: Vec<Choice>,
    /// Who takes part: Cabinet members, then Assistant Directors.
    pub leaders: Vec<Choice>,
    /// Everyone else who can sign in, offered behind "Someone else".
    pub others: Vec<Choice>,
}

/// One agenda item after the session: its tally, comments and what was agreed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutcomeLine {
    pub position: i64,
    pub indicator: Choice,
    pub tally: Vec<(Verdict, usize)>,
    /// "Name: verdict – comment" when names are shown, else the comments alone.
    pub comments: Vec<String>,
    pub agreed: Option<Agreed>,
    /// For Business Improvement, while the agreed change is still to be made: what its form
    /// needs.
    pub pending: Option<PendingChange>,
}

/// What the form that turns an agreed outcome into a change needs: the indicator's title
/// and definition now, and the targets it may amend.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingChange {
    pub title: String,
    pub definition: String,
    /// Each council's target of the latest reported year: its code and "Harbourside, 2017/18: 45 %".
    pub targets: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionOutcomes {
    pub session: ReviewSummary,
    pub lines: Vec<OutcomeLine>,
}
