//! The whole plan as one workbook: its councils, people, themes, outcomes, outputs (with their
//! cells on the map), portfolios, risks, indicators and their links, targets, values with
//! commentary, achievements, return periods and the history of indicator changes. Each sheet
//! is a table whose rows name one another by code, short name or email, never by a database
//! id, so a workbook written by one Hexplan (or by hand, from another system) sets up another.
//!
//! `PlanBook` is the workbook as typed rows; `sheets` writes it as tables and `read` reads
//! tables back, checking the whole workbook and listing every problem by sheet, row and column.

pub mod generated;
mod reading;

pub use reading::read;

use super::change_summary::ChangeKind;
use super::hexmap::HexPosition;
use super::period::{Day, HalfYear, Quarter};
use super::roles::Role;
use super::table::{Cell, Table};
use super::{Calendar, IndicatorKind, Lifecycle, Polarity, Unit};

/// One sheet of the workbook: its name and its columns, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sheet {
    pub name: &'static str,
    pub columns: &'static [&'static str],
}

pub const PLAN: Sheet = Sheet {
    name: "Plan",
    columns: &[
        "Title",
        "Header",
        "Starts on",
        "Ends on",
        "Financial year starts",
        "Reports to Cabinet",
    ],
};
pub const COUNCILS: Sheet = Sheet {
    name: "Councils",
    columns: &["Name", "Short name", "ONS code"],
};
pub const PEOPLE: Sheet = Sheet {
    name: "People",
    columns: &["Email", "Name", "Job title", "Council", "Roles"],
};
pub const THEMES: Sheet = Sheet {
    name: "Themes",
    columns: &[
        "Theme",
        "Title",
        "Scope note",
        "Assistant Director",
        "Retired on",
    ],
};
pub const OUTCOMES: Sheet = Sheet {
    name: "Outcomes",
    columns: &["Theme", "Outcome", "Title", "Retired on"],
};
pub const OUTPUTS: Sheet = Sheet {
    name: "Outputs",
    columns: &[
        "Code",
        "Theme",
        "Outcome",
        "Title",
        "Short title",
        "Column",
        "Row",
        "Retired on",
    ],
};
pub const PORTFOLIOS: Sheet = Sheet {
    name: "Portfolios",
    columns: &["Output", "Portfolio Holder", "Portfolio"],
};
pub const RISKS: Sheet = Sheet {
    name: "Risks",
    columns: &["Code", "Title", "Likelihood", "Impact", "Owner"],
};
pub const INDICATORS: Sheet = Sheet {
    name: "Indicators",
    columns: &[
        "Code",
        "Title",
        "Definition",
        "Output",
        "Kind",
        "Unit",
        "Polarity",
        "Frequency",
        "Cumulative",
        "Joint",
        "Data owner",
        "Key to delivery",
        "Financial sensitivity",
        "Political sensitivity",
        "Reputational sensitivity",
        "External metric",
        "Lifecycle",
    ],
};
pub const LINKS: Sheet = Sheet {
    name: "Links",
    columns: &["Indicator", "Output"],
};
pub const RISK_LINKS: Sheet = Sheet {
    name: "Risk links",
    columns: &["Indicator", "Risk"],
};
pub const TARGETS: Sheet = Sheet {
    name: "Targets",
    columns: &[
        "Indicator",
        "Council",
        "Year",
        "Quarter",
        "Target",
        "Amber tolerance",
        "Set by",
        "Set at",
    ],
};
pub const VALUES: Sheet = Sheet {
    name: "Values",
    columns: &[
        "Indicator",
        "Council",
        "Period",
        "Value",
        "Commentary",
        "Entered by",
        "Entered at",
    ],
};
pub const ACHIEVEMENTS: Sheet = Sheet {
    name: "Achievements",
    columns: &[
        "Theme",
        "Outcome",
        "Half year",
        "Achievements",
        "Impacts",
        "Written by",
        "Written at",
    ],
};
pub const RETURN_PERIODS: Sheet = Sheet {
    name: "Return periods",
    columns: &["Period", "Deadline", "Closed at", "Closed by"],
};
pub const CHANGES: Sheet = Sheet {
    name: "Changes",
    columns: &[
        "Recorded at",
        "By",
        "Action",
        "Indicator",
        "Subject",
        "Before",
        "After",
        "Reason",
    ],
};

/// Every sheet, in the workbook's order: each names only what sheets before it define.
pub const SHEETS: [Sheet; 16] = [
    PLAN,
    COUNCILS,
    PEOPLE,
    THEMES,
    OUTCOMES,
    OUTPUTS,
    PORTFOLIOS,
    RISKS,
    INDICATORS,
    LINKS,
    RISK_LINKS,
    TARGETS,
    VALUES,
    ACHIEVEMENTS,
    RETURN_PERIODS,
    CHANGES,
];

/// How a target or value names the joint services of a plan of several councils.
pub const JOINT: &str = "Joint";

/// The whole plan, as typed rows that name one another by code, short name or email.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlanBook {
    pub plan: PlanRow,
    pub councils: Vec<CouncilRow>,
    pub people: Vec<PersonRow>,
    pub themes: Vec<ThemeRow>,
    pub outcomes: Vec<OutcomeRow>,
    pub outputs: Vec<OutputRow>,
    pub portfolios: Vec<PortfolioRow>,
    pub risks: Vec<RiskRow>,
    pub indicators: Vec<IndicatorRow>,
    pub links: Vec<LinkRow>,
    pub risk_links: Vec<RiskLinkRow>,
    pub targets: Vec<TargetRow>,
    pub values: Vec<ValueRow>,
    pub achievements: Vec<AchievementRow>,
    pub return_periods: Vec<ReturnPeriodRow>,
    pub changes: Vec<ChangeRow>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlanRow {
    pub title: String,
    /// Empty: the header shows the councils' names.
    pub header: String,
    pub starts_on: Option<Day>,
    pub ends_on: Option<Day>,
    /// The month its financial year starts and how often it reports.
    pub calendar: Calendar,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CouncilRow {
    pub name: String,
    pub short_name: String,
    /// Made from the short name.
    pub code: String,
    pub ons_code: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PersonRow {
    pub email: String,
    pub name: String,
    pub job_title: String,
    /// The council's short name; none: works for every council.
    pub council: Option<String>,
    pub roles: Vec<Role>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ThemeRow {
    /// The theme's place in the plan, from 1.
    pub number: u32,
    pub title: String,
    pub scope_note: Option<String>,
    /// Email.
    pub director: Option<String>,
    pub retired_on: Option<Day>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OutcomeRow {
    pub theme: u32,
    /// The outcome's place in its theme, from 1.
    pub number: u32,
    pub title: String,
    pub retired_on: Option<Day>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OutputRow {
    pub code: String,
    pub theme: u32,
    pub outcome: u32,
    pub title: String,
    pub short_title: String,
    /// None: a retired output, which has given up its cell.
    pub cell: Option<HexPosition>,
    pub retired_on: Option<Day>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PortfolioRow {
    pub output: String,
    /// Email.
    pub holder: String,
    pub portfolio: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RiskRow {
    pub code: String,
    pub title: String,
    pub likelihood: u8,
    pub impact: u8,
    pub owner: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorRow {
    pub code: String,
    pub title: String,
    pub definition: String,
    /// The home output's code.
    pub output: String,
    pub kind: IndicatorKind,
    pub unit: Unit,
    pub polarity: Polarity,
    pub frequency: Frequency,
    pub cumulative: bool,
    pub joint: bool,
    pub data_owner: Option<String>,
    pub key_to_delivery: bool,
    pub financial_sensitivity: bool,
    pub political_sensitivity: bool,
    pub reputational_sensitivity: bool,
    pub external_metric: Option<String>,
    pub lifecycle: Lifecycle,
}

/// How often an indicator is returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frequency {
    Quarterly,
    HalfYearly,
    Annual,
}

impl Frequency {
    pub const ALL: [Frequency; 3] = [Self::Quarterly, Self::HalfYearly, Self::Annual];

    pub fn code(self) -> &'static str {
        match self {
            Self::Quarterly => "quarterly",
            Self::HalfYearly => "half_yearly",
            Self::Annual => "annual",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }
}

/// An output an indicator tracks or influences besides its home output.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkRow {
    pub indicator: String,
    pub output: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RiskLinkRow {
    pub indicator: String,
    pub risk: String,
}

/// A council named in a target or value: a partner by short name, or the joint services.
pub type CouncilName = Option<String>;

#[derive(Clone, Debug, PartialEq)]
pub struct TargetRow {
    pub indicator: String,
    /// None: joint.
    pub council: CouncilName,
    /// The financial year it starts in: 2017 is 2017/18.
    pub year: i32,
    /// None: the annual target.
    pub quarter: Option<u8>,
    pub value: f64,
    pub amber_tolerance: f64,
    pub set_by: Option<String>,
    pub set_at: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ValueRow {
    pub indicator: String,
    pub council: CouncilName,
    pub quarter: Quarter,
    pub value: f64,
    pub commentary: String,
    pub entered_by: Option<String>,
    pub entered_at: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AchievementRow {
    pub theme: u32,
    pub outcome: u32,
    pub half: HalfYear,
    pub achievements: String,
    pub impacts: String,
    pub written_by: Option<String>,
    pub written_at: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ReturnPeriodRow {
    pub quarter: Quarter,
    pub deadline: Day,
    pub closed_at: Option<String>,
    pub closed_by: Option<String>,
}

/// A change to an indicator, as the audit trail recorded it: the history the change summary
/// counts.
#[derive(Clone, Debug, PartialEq)]
pub struct ChangeRow {
    pub recorded_at: String,
    pub by: Option<String>,
    pub action: ChangeKind,
    pub indicator: Option<String>,
    pub subject: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub reason: String,
}

/// "yes" or "no".
fn yes_no(value: bool) -> Cell {
    Cell::text(if value { "yes" } else { "no" })
}

fn optional(value: &Option<String>) -> Cell {
    value.as_deref().map_or(Cell::Empty, Cell::text)
}

fn optional_day(value: Option<Day>) -> Cell {
    value.map_or(Cell::Empty, |day| Cell::text(day.iso()))
}

fn whole(value: impl Into<i64>) -> Cell {
    Cell::Whole(value.into())
}

fn council(value: &CouncilName) -> Cell {
    Cell::text(value.as_deref().unwrap_or(JOINT))
}

fn table(sheet: Sheet, rows: Vec<Vec<Cell>>) -> Table {
    Table {
        sheet: sheet.name.to_string(),
        columns: sheet.columns.iter().map(|c| c.to_string()).collect(),
        rows,
    }
}

impl PlanBook {
    /// The workbook's sheets as tables, in `SHEETS` order.
    pub fn sheets(&self) -> Vec<Table> {
        let units: std::collections::HashMap<&str, Unit> = self
            .indicators
            .iter()
            .map(|i| (i.code.as_str(), i.unit))
            .collect();
        let unit = |code: &str| units.get(code).copied().unwrap_or(Unit::Count);
        vec![
            table(
                PLAN,
                vec![vec![
                    Cell::text(&self.plan.title),
                    Cell::text(&self.plan.header),
                    optional_day(self.plan.starts_on),
                    optional_day(self.plan.ends_on),
                    Cell::text(self.plan.calendar.first_month_name()),
                    Cell::text(self.plan.calendar.reporting.label()),
                ]],
            ),
            table(
                COUNCILS,
                self.councils
                    .iter()
                    .map(|c| {
                        vec![
                            Cell::text(&c.name),
                            Cell::text(&c.short_name),
                            optional(&c.ons_code),
                        ]
                    })
                    .collect(),
            ),
            table(
                PEOPLE,
                self.people
                    .iter()
                    .map(|p| {
                        vec![
                            Cell::text(&p.email),
                            Cell::text(&p.name),
                            Cell::text(&p.job_title),
                            optional(&p.council),
                            Cell::text(
                                p.roles
                                    .iter()
                                    .map(|r| r.label())
                                    .collect::<Vec<_>>()
                                    .join(", "),
                            ),
                        ]
                    })
                    .collect(),
            ),
            table(
                THEMES,
                self.themes
                    .iter()
                    .map(|t| {
                        vec![
                            whole(t.number),
                            Cell::text(&t.title),
                            optional(&t.scope_note),
                            optional(&t.director),
                            optional_day(t.retired_on),
                        ]
                    })
                    .collect(),
            ),
            table(
                OUTCOMES,
                self.outcomes
                    .iter()
                    .map(|o| {
                        vec![
                            whole(o.theme),
                            whole(o.number),
                            Cell::text(&o.title),
                            optional_day(o.retired_on),
                        ]
                    })
                    .collect(),
            ),
            table(
                OUTPUTS,
                self.outputs
                    .iter()
                    .map(|o| {
                        vec![
                            Cell::text(&o.code),
                            whole(o.theme),
                            whole(o.outcome),
                            Cell::text(&o.title),
                            Cell::text(&o.short_title),
                            o.cell.map_or(Cell::Empty, |c| whole(c.q)),
                            o.cell.map_or(Cell::Empty, |c| whole(c.r)),
                            optional_day(o.retired_on),
                        ]
                    })
                    .collect(),
            ),
            table(
                PORTFOLIOS,
                self.portfolios
                    .iter()
                    .map(|p| {
                        vec![
                            Cell::text(&p.output),
                            Cell::text(&p.holder),
                            Cell::text(&p.portfolio),
                        ]
                    })
                    .collect(),
            ),
            table(
                RISKS,
                self.risks
                    .iter()
                    .map(|r| {
                        vec![
                            Cell::text(&r.code),
                            Cell::text(&r.title),
                            whole(r.likelihood),
                            whole(r.impact),
                            optional(&r.owner),
                        ]
                    })
                    .collect(),
            ),
            table(
                INDICATORS,
                self.indicators
                    .iter()
                    .map(|i| {
                        vec![
                            Cell::text(&i.code),
                            Cell::text(&i.title),
                            Cell::text(&i.definition),
                            Cell::text(&i.output),
                            Cell::text(i.kind.code()),
                            Cell::text(i.unit.code()),
                            Cell::text(i.polarity.code()),
                            Cell::text(i.frequency.code()),
                            yes_no(i.cumulative),
                            yes_no(i.joint),
                            optional(&i.data_owner),
                            yes_no(i.key_to_delivery),
                            yes_no(i.financial_sensitivity),
                            yes_no(i.political_sensitivity),
                            yes_no(i.reputational_sensitivity),
                            optional(&i.external_metric),
                            Cell::text(i.lifecycle.code()),
                        ]
                    })
                    .collect(),
            ),
            table(
                LINKS,
                self.links
                    .iter()
                    .map(|l| vec![Cell::text(&l.indicator), Cell::text(&l.output)])
                    .collect(),
            ),
            table(
                RISK_LINKS,
                self.risk_links
                    .iter()
                    .map(|l| vec![Cell::text(&l.indicator), Cell::text(&l.risk)])
                    .collect(),
            ),
            table(
                TARGETS,
                self.targets
                    .iter()
                    .map(|t| {
                        vec![
                            Cell::text(&t.indicator),
                            council(&t.council),
                            Cell::text(super::FinancialYear(t.year).to_string()),
                            t.quarter.map_or(Cell::Empty, whole),
                            Cell::Number(t.value, unit(&t.indicator)),
                            Cell::Number(t.amber_tolerance, Unit::Count),
                            optional(&t.set_by),
                            Cell::text(&t.set_at),
                        ]
                    })
                    .collect(),
            ),
            table(
                VALUES,
                self.values
                    .iter()
                    .map(|v| {
                        vec![
                            Cell::text(&v.indicator),
                            council(&v.council),
                            Cell::text(v.quarter.to_string()),
                            Cell::Number(v.value, unit(&v.indicator)),
                            Cell::text(&v.commentary),
                            optional(&v.entered_by),
                            Cell::text(&v.entered_at),
                        ]
                    })
                    .collect(),
            ),
            table(
                ACHIEVEMENTS,
                self.achievements
                    .iter()
                    .map(|a| {
                        vec![
                            whole(a.theme),
                            whole(a.outcome),
                            Cell::text(a.half.to_string()),
                            Cell::text(&a.achievements),
                            Cell::text(&a.impacts),
                            optional(&a.written_by),
                            Cell::text(&a.written_at),
                        ]
                    })
                    .collect(),
            ),
            table(
                RETURN_PERIODS,
                self.return_periods
                    .iter()
                    .map(|p| {
                        vec![
                            Cell::text(p.quarter.to_string()),
                            Cell::text(p.deadline.iso()),
                            optional(&p.closed_at),
                            optional(&p.closed_by),
                        ]
                    })
                    .collect(),
            ),
            table(
                CHANGES,
                self.changes
                    .iter()
                    .map(|c| {
                        vec![
                            Cell::text(&c.recorded_at),
                            optional(&c.by),
                            Cell::text(c.action.code()),
                            optional(&c.indicator),
                            Cell::text(&c.subject),
                            optional(&c.before),
                            optional(&c.after),
                            Cell::text(&c.reason),
                        ]
                    })
                    .collect(),
            ),
        ]
    }

    /// "2 councils, 5 themes, 30 outputs, 120 indicators, 3,400 values", for the audit record.
    pub fn describe(&self) -> String {
        let count = |n: usize, one: &str, many: &str| {
            format!(
                "{} {}",
                super::format::number(n as f64, 0),
                if n == 1 { one } else { many }
            )
        };
        [
            count(self.councils.len(), "council", "councils"),
            count(self.people.len(), "person", "people"),
            count(self.themes.len(), "theme", "themes"),
            count(self.outcomes.len(), "outcome", "outcomes"),
            count(self.outputs.len(), "output", "outputs"),
            count(
                self.portfolios.len(),
                "portfolio holding",
                "portfolio holdings",
            ),
            count(self.risks.len(), "risk", "risks"),
            count(self.indicators.len(), "indicator", "indicators"),
            count(self.links.len() + self.risk_links.len(), "link", "links"),
            count(self.targets.len(), "target", "targets"),
            count(self.values.len(), "value", "values"),
            count(
                self.achievements.len(),
                "achievements entry",
                "achievements entries",
            ),
            count(self.return_periods.len(), "return period", "return periods"),
            count(self.changes.len(), "recorded change", "recorded changes"),
        ]
        .join(", ")
    }
}
