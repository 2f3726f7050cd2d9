//! The change summary: per theme, between two dates, the new, deleted and refined indicators
//! and amended targets, computed from the recorded changes and never typed in.

use super::input::Invalid;
use super::period::Day;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// What a recorded change did to an indicator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ChangeKind {
    /// Proposed, to be confirmed by leaders.
    Proposed,
    /// Added to the framework and in force at once.
    New,
    /// A proposed indicator confirmed by leaders.
    Confirmed,
    /// Its definition changed.
    Refined,
    /// Its target changed.
    AmendedTarget,
    /// Taken out of the framework (it stays in history).
    Deleted,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 6] = [
        Self::Proposed,
        Self::New,
        Self::Confirmed,
        Self::Refined,
        Self::AmendedTarget,
        Self::Deleted,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Proposed => "proposed",
            Self::New => "new",
            Self::Confirmed => "confirmed",
            Self::Refined => "refined",
            Self::AmendedTarget => "amended_target",
            Self::Deleted => "deleted",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Proposed => "Proposed (to be confirmed by leaders)",
            Self::New => "New",
            Self::Confirmed => "Confirmed by leaders",
            Self::Refined => "Refined",
            Self::AmendedTarget => "Amended target",
            Self::Deleted => "Deleted",
        }
    }
}

/// One recorded change, as the summary needs it: the day it was recorded on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordedChange {
    pub indicator_id: i64,
    pub theme_id: i64,
    pub kind: ChangeKind,
    pub recorded_on: Day,
}

/// The days a change summary covers: changes made after the end of `from`, up to the end of
/// `to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interval {
    pub from: Day,
    pub to: Day,
}

impl Interval {
    /// Reads the two dates of an interval as typed, each left empty taking its own of
    /// `defaults`.
    pub fn read(
        from: Option<&str>,
        to: Option<&str>,
        defaults: Interval,
    ) -> Result<Interval, Invalid> {
        let pick = |value: Option<&str>, default: Day, field, message: &str| match value
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            None => Ok(default),
            Some(text) => Day::parse(text).ok_or_else(|| Invalid {
                field,
                message: message.into(),
            }),
        };
        let interval = Interval {
            from: pick(
                from,
                defaults.from,
                "from",
                "Enter the start date as a real date, for example 2017-06-12",
            )?,
            to: pick(
                to,
                defaults.to,
                "to",
                "Enter the end date as a real date, for example 2017-12-15",
            )?,
        };
        if interval.from > interval.to {
            return Err(Invalid {
                field: "to",
                message: "The end date must be the same as or after the start date".into(),
            });
        }
        Ok(interval)
    }

    /// Whether a change recorded on `day` falls within the interval.
    pub fn holds(self, day: Day) -> bool {
        self.from < day && day <= self.to
    }
}

/// One row of the change summary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeChanges {
    /// New in the interval and in force at its end (confirmed proposals included).
    pub new: u32,
    /// Proposed in the interval and still to be confirmed by leaders at its end.
    pub to_be_confirmed: u32,
    pub deleted: u32,
    pub refined: u32,
    pub amended_targets: u32,
    /// Indicators in force at the end date, the proposed ones included.
    pub total: u32,
}

impl ThemeChanges {
    /// "16 + 5 (to be confirmed by leaders)", or just "16".
    pub fn new_label(&self) -> String {
        if self.to_be_confirmed > 0 {
            format!(
                "{} + {} (to be confirmed by leaders)",
                self.new, self.to_be_confirmed
            )
        } else {
            self.new.to_string()
        }
    }
}

/// A cell of the change summary: which number of a theme's row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Cell {
    New,
    ToBeConfirmed,
    Deleted,
    Refined,
    AmendedTargets,
    Total,
}

impl Cell {
    pub const ALL: [Cell; 6] = [
        Self::New,
        Self::ToBeConfirmed,
        Self::Deleted,
        Self::Refined,
        Self::AmendedTargets,
        Self::Total,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::ToBeConfirmed => "to-be-confirmed",
            Self::Deleted => "deleted",
            Self::Refined => "refined",
            Self::AmendedTargets => "amended-targets",
            Self::Total => "total",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|cell| cell.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::New => "New indicators",
            Self::ToBeConfirmed => "New indicators to be confirmed by leaders",
            Self::Deleted => "Deleted indicators",
            Self::Refined => "Refined indicators",
            Self::AmendedTargets => "Amended targets",
            Self::Total => "Indicators in force",
        }
    }

    /// The recorded changes that explain this cell.
    pub fn kinds(self) -> &'static [ChangeKind] {
        match self {
            Self::New => &[ChangeKind::New, ChangeKind::Confirmed],
            Self::ToBeConfirmed => &[ChangeKind::Proposed],
            Self::Deleted => &[ChangeKind::Deleted],
            Self::Refined => &[ChangeKind::Refined],
            Self::AmendedTargets => &[ChangeKind::AmendedTarget],
            Self::Total => &ChangeKind::ALL,
        }
    }
}

/// The indicators behind each number of one theme's row.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeMembers {
    pub new: BTreeSet<i64>,
    pub to_be_confirmed: BTreeSet<i64>,
    pub deleted: BTreeSet<i64>,
    pub refined: BTreeSet<i64>,
    pub amended_targets: BTreeSet<i64>,
    pub total: BTreeSet<i64>,
}

impl ThemeMembers {
    pub fn cell(&self, cell: Cell) -> &BTreeSet<i64> {
        match cell {
            Cell::New => &self.new,
            Cell::ToBeConfirmed => &self.to_be_confirmed,
            Cell::Deleted => &self.deleted,
            Cell::Refined => &self.refined,
            Cell::AmendedTargets => &self.amended_targets,
            Cell::Total => &self.total,
        }
    }

    pub fn counts(&self) -> ThemeChanges {
        let n = |set: &BTreeSet<i64>| set.len() as u32;
        ThemeChanges {
            new: n(&self.new),
            to_be_confirmed: n(&self.to_be_confirmed),
            deleted: n(&self.deleted),
            refined: n(&self.refined),
            amended_targets: n(&self.amended_targets),
            total: n(&self.total),
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    Proposed,
    Active,
    Deleted,
}

/// The change summary per theme id for changes after `from` up to and including `to`.
/// Every theme in `theme_ids` gets a row, with zeros where nothing happened.
pub fn summarise(
    changes: &[RecordedChange],
    theme_ids: &[i64],
    interval: Interval,
) -> BTreeMap<i64, ThemeChanges> {
    members(changes, theme_ids, interval)
        .into_iter()
        .map(|(theme, members)| (theme, members.counts()))
        .collect()
}

/// The indicators behind every number of the change summary.
///
/// Deletions, refinements and amended targets count indicators, not records: two councils'
/// targets amended together are one amended target.
pub fn members(
    changes: &[RecordedChange],
    theme_ids: &[i64],
    interval: Interval,
) -> BTreeMap<i64, ThemeMembers> {
    let mut rows: BTreeMap<i64, ThemeMembers> = theme_ids
        .iter()
        .map(|id| (*id, ThemeMembers::default()))
        .collect();
    let mut ordered: Vec<&RecordedChange> = changes
        .iter()
        .filter(|c| c.recorded_on <= interval.to)
        .collect();
    // Stable: changes of one day keep the order they were recorded in.
    ordered.sort_by_key(|c| c.recorded_on);

    // Replay every change up to the end date to know each indicator's state then, and note
    // which ones entered the framework within the interval.
    let mut state: BTreeMap<i64, (i64, State)> = BTreeMap::new();
    let mut entered_in_interval: BTreeMap<i64, bool> = BTreeMap::new();
    for change in &ordered {
        let in_interval = interval.holds(change.recorded_on);
        let row = rows.entry(change.theme_id).or_default();
        let next = match change.kind {
            ChangeKind::Proposed => {
                entered_in_interval.insert(change.indicator_id, in_interval);
                Some(State::Proposed)
            }
            ChangeKind::New => {
                entered_in_interval.insert(change.indicator_id, in_interval);
                Some(State::Active)
            }
            ChangeKind::Confirmed => Some(State::Active),
            ChangeKind::Deleted => {
                if in_interval {
                    row.deleted.insert(change.indicator_id);
                }
                Some(State::Deleted)
            }
            ChangeKind::Refined => {
                if in_interval {
                    row.refined.insert(change.indicator_id);
                }
                None
            }
            ChangeKind::AmendedTarget => {
                if in_interval {
                    row.amended_targets.insert(change.indicator_id);
                }
                None
            }
        };
        if let Some(next) = next {
            state.insert(change.indicator_id, (change.theme_id, next));
        }
    }

    for (indicator_id, (theme_id, end_state)) in state {
        let row = rows.entry(theme_id).or_default();
        let entered = entered_in_interval
            .get(&indicator_id)
            .copied()
            .unwrap_or(false);
        match end_state {
            State::Active => {
                row.total.insert(indicator_id);
                if entered {
                    row.new.insert(indicator_id);
                }
            }
            State::Proposed => {
                row.total.insert(indicator_id);
                if entered {
                    row.to_be_confirmed.insert(indicator_id);
                }
            }
            State::Deleted => {}
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn change(
        indicator_id: i64,
        theme_id: i64,
        kind: ChangeKind,
        recorded_at: &str,
    ) -> RecordedChange {
        RecordedChange {
            indicator_id,
            theme_id,
            kind,
            recorded_on: day(recorded_at),
        }
    }

    fn day(text: &str) -> Day {
        Day::of(text).unwrap()
    }

    const FROM: &str = "2017-06-30";
    const TO: &str = "2017-12-15";

    fn interval(from: &str, to: &str) -> Interval {
        Interval {
            from: day(from),
            to: day(to),
        }
    }

    #[test]
    fn counts_each_kind_in_the_interval_only() {
        use ChangeKind::*;
        let changes = vec![
            change(1, 1, New, "2016-04-01"),
            change(2, 1, New, "2016-04-01"),
            change(3, 1, New, "2016-04-01"),
            change(1, 1, Refined, "2017-07-10"),
            change(1, 1, AmendedTarget, "2017-05-01"), // before the interval
            change(2, 1, Deleted, "2017-09-01"),
            change(4, 1, New, "2017-08-01"),
            change(5, 1, Proposed, "2017-10-01"),
            change(6, 1, Proposed, "2017-10-01"),
            change(6, 1, Confirmed, "2017-11-01"),
            change(7, 1, New, "2018-01-01"), // after the interval
            change(3, 1, AmendedTarget, "2017-12-15T18:00:00Z"), // late on the end day
            change(4, 1, AmendedTarget, "2017-12-16T00:00:00Z"), // just after it
            change(5, 1, Refined, "2017-06-30T23:59:59Z"), // late on the day before it starts
        ];
        let rows = summarise(&changes, &[1, 2], interval(FROM, TO));
        let row = rows[&1];
        assert_eq!(row.new, 2, "4 and the confirmed 6");
        assert_eq!(row.to_be_confirmed, 1);
        assert_eq!(row.deleted, 1);
        assert_eq!(row.refined, 1);
        assert_eq!(
            row.amended_targets, 1,
            "the amendment late on the end day counts; the one after midnight does not"
        );
        assert_eq!(row.total, 5, "1, 3, 4, 5 and 6");
        assert_eq!(row.new_label(), "2 + 1 (to be confirmed by leaders)");
        assert_eq!(rows[&2], ThemeChanges::default());
    }

    #[test]
    fn an_indicator_added_and_deleted_within_the_interval_is_not_new() {
        use ChangeKind::*;
        let changes = vec![
            change(1, 1, New, "2017-07-01"),
            change(1, 1, Deleted, "2017-08-01"),
        ];
        let row = summarise(&changes, &[1], interval(FROM, TO))[&1];
        assert_eq!((row.new, row.deleted, row.total), (0, 1, 0));
    }

    #[test]
    fn two_councils_targets_amended_together_are_one_amended_target() {
        use ChangeKind::*;
        let changes = vec![
            change(1, 1, New, "2016-04-01"),
            change(1, 1, AmendedTarget, "2017-09-01T10:00:00Z"),
            change(1, 1, AmendedTarget, "2017-09-01T10:00:01Z"),
            change(1, 1, Refined, "2017-09-02"),
            change(1, 1, Refined, "2017-10-02"),
        ];
        let row = summarise(&changes, &[1], interval(FROM, TO))[&1];
        assert_eq!((row.amended_targets, row.refined, row.total), (1, 1, 1));
    }

    #[test]
    fn members_explain_every_number() {
        use ChangeKind::*;
        let changes = vec![
            change(1, 1, New, "2016-04-01"),
            change(2, 1, New, "2017-07-01"),
            change(3, 1, Proposed, "2017-07-02"),
            change(1, 1, AmendedTarget, "2017-08-01"),
        ];
        let members = &members(&changes, &[1], interval(FROM, TO))[&1];
        assert_eq!(
            members.cell(Cell::New).iter().copied().collect::<Vec<_>>(),
            vec![2]
        );
        assert_eq!(
            members
                .cell(Cell::ToBeConfirmed)
                .iter()
                .copied()
                .collect::<Vec<_>>(),
            vec![3]
        );
        assert_eq!(
            members
                .cell(Cell::AmendedTargets)
                .iter()
                .copied()
                .collect::<Vec<_>>(),
            vec![1]
        );
        assert_eq!(members.cell(Cell::Total).len(), 3);
        for cell in Cell::ALL {
            assert_eq!(Cell::from_code(cell.code()), Some(cell));
        }
    }

    #[test]
    fn intervals_default_and_are_checked() {
        let defaults = interval("2017-06-12", "2026-11-26");
        assert_eq!(Interval::read(None, None, defaults), Ok(defaults));
        assert_eq!(
            Interval::read(Some(""), Some(" 2017-12-15 "), defaults),
            Ok(interval("2017-06-12", "2017-12-15"))
        );
        let field = |from, to| Interval::read(from, to, defaults).unwrap_err().field;
        assert_eq!(field(Some("2017-02-30"), None), "from");
        assert_eq!(field(Some("2017-12-15"), Some("2017-06-12")), "to");
        assert_eq!(field(None, Some("<script>")), "to");
    }

    #[test]
    fn codes_round_trip() {
        for kind in ChangeKind::ALL {
            assert_eq!(ChangeKind::from_code(kind.code()), Some(kind));
        }
    }

    fn dates() -> Vec<String> {
        (0..40)
            .map(|d| format!("2017-{:02}-{:02}", 1 + d / 4, 1 + d % 28))
            .collect()
    }

    fn events() -> impl Strategy<Value = Vec<RecordedChange>> {
        proptest::collection::vec((0i64..10, 0usize..6, 0usize..40), 0..80).prop_map(|events| {
            let dates = dates();
            events
                .into_iter()
                .map(|(id, kind, day)| change(id, 1, ChangeKind::ALL[kind], &dates[day]))
                .collect()
        })
    }

    proptest! {
        #[test]
        fn the_total_counts_indicators_whose_last_lifecycle_change_keeps_them_in_force(changes in events()) {
            // A plain reference: the last lifecycle change of each indicator up to the end date.
            let to = day("2017-09-30");
            let mut last: BTreeMap<i64, ChangeKind> = BTreeMap::new();
            let mut sorted = changes.clone();
            sorted.sort_by_key(|c| c.recorded_on);
            for c in sorted.iter().filter(|c| c.recorded_on <= to) {
                if !matches!(c.kind, ChangeKind::Refined | ChangeKind::AmendedTarget) {
                    last.insert(c.indicator_id, c.kind);
                }
            }
            let in_force = last.values().filter(|kind| **kind != ChangeKind::Deleted).count() as u32;
            let row = summarise(&changes, &[1], Interval { from: day("2017-04-01"), to })[&1];
            prop_assert_eq!(row.total, in_force);
            prop_assert!(row.new + row.to_be_confirmed <= row.total);
        }

        #[test]
        fn an_empty_interval_has_no_changes(changes in events(), day in 0usize..40) {
            let date = &dates()[day];
            let row = summarise(&changes, &[1], interval(date, date))[&1];
            prop_assert_eq!((row.new, row.to_be_confirmed, row.deleted, row.refined, row.amended_targets), (0, 0, 0, 0, 0));
        }
    }
}
