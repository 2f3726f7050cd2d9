//! Reading a plan's workbook: every sheet, every row, every cell checked, and every reference
//! between sheets followed, before anything is written. Each problem names its sheet, row and
//! column; a workbook with any problem is refused whole.

use super::*;
use crate::domain::input::{self, Invalid};
use crate::domain::plan::{self, NAME_MAX, TITLE_MAX};
use crate::domain::returns::Problem;
use crate::domain::{FinancialYear, HalfYear};
use std::collections::{HashMap, HashSet};

/// The most problems listed: past this, the first thousand tell the person enough.
const MOST_PROBLEMS: usize = 1000;
/// The longest definition, commentary, achievement or reason.
const LONG_MAX: usize = 10_000;

/// One row of a sheet, read cell by cell. Each reading records its own problem and gives
/// nothing back, so one pass over a row lists everything wrong with it.
struct Line<'a> {
    sheet: Sheet,
    /// As the spreadsheet numbers it: the heading is row 1.
    row: usize,
    /// The row's cells in the sheet's column order ("" where a cell is empty).
    cells: Vec<&'a str>,
    problems: &'a mut Vec<Problem>,
}

impl Line<'_> {
    fn problem(&mut self, column: usize, message: impl Into<String>) {
        self.problems.push(Problem::in_sheet(
            self.sheet.name,
            self.row,
            self.sheet.columns[column],
            message,
        ));
    }

    fn raw(&self, column: usize) -> &str {
        self.cells[column].trim()
    }

    fn checked<T>(&mut self, column: usize, result: Result<T, Invalid>) -> Option<T> {
        result.map_err(|e| self.problem(column, e.message)).ok()
    }

    /// Required text on one line.
    fn text(&mut self, column: usize, max: usize) -> Option<String> {
        let label = self.sheet.columns[column].to_lowercase();
        let value = plan::line("cell", &label, self.cells[column], max);
        self.checked(column, value)
    }

    /// Text on one line, or nothing.
    fn optional(&mut self, column: usize, max: usize) -> Option<Option<String>> {
        let label = self.sheet.columns[column].to_lowercase();
        let value = plan::optional("cell", &label, self.cells[column], max);
        self.checked(column, value)
    }

    /// Text of several lines, which may be empty.
    fn long(&mut self, column: usize) -> Option<String> {
        if self.raw(column).is_empty() {
            return Some(String::new());
        }
        let label = self.sheet.columns[column].to_lowercase();
        let value = input::text("cell", &label, self.cells[column], LONG_MAX);
        self.checked(column, value)
    }

    fn email(&mut self, column: usize) -> Option<String> {
        let value = input::email(self.cells[column]);
        self.checked(column, value)
    }

    fn optional_email(&mut self, column: usize) -> Option<Option<String>> {
        if self.raw(column).is_empty() {
            return Some(None);
        }
        self.email(column).map(Some)
    }

    fn whole(&mut self, column: usize, low: i64, high: i64) -> Option<i64> {
        let found = self
            .raw(column)
            .parse::<f64>()
            .ok()
            .filter(|n| n.fract() == 0.0 && (low as f64..=high as f64).contains(n));
        if found.is_none() {
            self.problem(column, format!("Write a whole number from {low} to {high}"));
        }
        found.map(|n| n as i64)
    }

    fn number(&mut self, column: usize, unit: Unit) -> Option<f64> {
        let label = self.sheet.columns[column].to_lowercase();
        let value = input::figure("cell", &label, self.cells[column], unit);
        self.checked(column, value)
    }

    fn yes_no(&mut self, column: usize) -> Option<bool> {
        match self.raw(column).to_lowercase().as_str() {
            "yes" | "y" | "true" => Some(true),
            "no" | "n" | "false" | "" => Some(false),
            _ => {
                self.problem(column, "Write yes or no");
                None
            }
        }
    }

    fn coded<T>(
        &mut self,
        column: usize,
        from_code: fn(&str) -> Option<T>,
        codes: &[&str],
    ) -> Option<T> {
        let found = from_code(&self.raw(column).to_lowercase());
        if found.is_none() {
            self.problem(column, format!("Write one of: {}", codes.join(", ")));
        }
        found
    }

    fn day(&mut self, column: usize) -> Option<Day> {
        let found = Day::parse(self.raw(column));
        if found.is_none() {
            self.problem(column, "Write the date as year-month-day, like 2018-03-31");
        }
        found
    }

    fn optional_day(&mut self, column: usize) -> Option<Option<Day>> {
        if self.raw(column).is_empty() {
            return Some(None);
        }
        self.day(column).map(Some)
    }

    /// A moment as ISO 8601 ("2017-10-20T10:00:00Z"): a date, then anything of a time.
    fn timestamp(&mut self, column: usize) -> Option<String> {
        let text = self.raw(column);
        let shaped = text.len() <= 40
            && Day::of(text).is_some()
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | ':' | '.' | '+'));
        if !shaped {
            self.problem(
                column,
                "Write the moment as ISO 8601, like 2017-10-20T10:00:00Z",
            );
            return None;
        }
        Some(text.to_string())
    }

    fn optional_timestamp(&mut self, column: usize) -> Option<Option<String>> {
        if self.raw(column).is_empty() {
            return Some(None);
        }
        self.timestamp(column).map(Some)
    }

    fn quarter(&mut self, column: usize) -> Option<Quarter> {
        let found = crate::domain::returns::period(self.raw(column));
        if found.is_none() {
            self.problem(column, "Write the quarter like 2017/18 Q2");
        }
        found
    }

    fn half(&mut self, column: usize) -> Option<HalfYear> {
        let text = self.raw(column).to_lowercase().replace(['/', ' '], "-");
        let found = HalfYear::parse_slug(&text);
        if found.is_none() {
            self.problem(column, "Write the half year like 2017/18 H1");
        }
        found
    }

    fn year(&mut self, column: usize) -> Option<i32> {
        let found = Quarter::parse_slug(&format!("{}-q1", self.raw(column).replace('/', "-")))
            .map(|q| q.year);
        if found.is_none() {
            self.problem(column, "Write the financial year like 2017/18");
        }
        found
    }

    fn roles(&mut self, column: usize) -> Option<Vec<Role>> {
        let mut roles = Vec::new();
        for name in self.raw(column).split([',', ';']).map(str::trim) {
            if name.is_empty() {
                continue;
            }
            let found = Role::ALL.into_iter().find(|role| {
                role.label().eq_ignore_ascii_case(name) || role.code().eq_ignore_ascii_case(name)
            });
            match found {
                Some(role) if !roles.contains(&role) => roles.push(role),
                Some(_) => {}
                None => {
                    self.problem(
                        column,
                        format!(
                            "{} is not a role: write any of {}, separated by commas",
                            crate::domain::format::quoted(name),
                            Role::ALL.map(|r| r.label()).join(", ")
                        ),
                    );
                    return None;
                }
            }
        }
        Some(roles)
    }
}

/// The sheets of a workbook as read: each sheet's name and its rows, heading first.
pub type Sheets = [(String, Vec<Vec<String>>)];

/// Reads each row of `sheet` with `read`, after finding its columns by their headings
/// (in any order; other columns are ignored). Blank rows are skipped.
fn rows<T>(
    sheets: &Sheets,
    sheet: Sheet,
    problems: &mut Vec<Problem>,
    mut read: impl FnMut(&mut Line) -> Option<T>,
) -> Vec<(usize, T)> {
    let Some((_, rows)) = sheets
        .iter()
        .find(|(name, _)| name.trim().eq_ignore_ascii_case(sheet.name))
    else {
        problems.push(Problem::in_sheet(
            sheet.name,
            0,
            "",
            format!(
                "The workbook has no sheet called {}: start from a downloaded plan, which has every sheet",
                crate::domain::format::quoted(sheet.name)
            ),
        ));
        return Vec::new();
    };
    let heading = rows.first().cloned().unwrap_or_default();
    let mut at = Vec::new();
    for column in sheet.columns {
        match heading
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(column))
        {
            Some(index) => at.push(index),
            None => problems.push(Problem::in_sheet(
                sheet.name,
                1,
                column,
                format!(
                    "The sheet has no column headed {}",
                    crate::domain::format::quoted(column)
                ),
            )),
        }
    }
    if at.len() < sheet.columns.len() {
        return Vec::new();
    }
    let mut read_rows = Vec::new();
    for (index, cells) in rows.iter().enumerate().skip(1) {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut line = Line {
            sheet,
            row: index + 1,
            cells: at
                .iter()
                .map(|&i| cells.get(i).map_or("", String::as_str))
                .collect(),
            problems,
        };
        let before = line.problems.len();
        let value = read(&mut line);
        if let (Some(value), true) = (value, line.problems.len() == before) {
            read_rows.push((index + 1, value));
        }
    }
    read_rows
}

/// Keeps a record of what a sheet defines, so later rows may name it; a second definition
/// is a problem.
struct Known<'a, K> {
    sheet: Sheet,
    column: usize,
    what: &'a str,
    keys: HashSet<K>,
}

impl<'a, K: std::hash::Hash + Eq> Known<'a, K> {
    fn new(sheet: Sheet, column: usize, what: &'a str) -> Self {
        Known {
            sheet,
            column,
            what,
            keys: HashSet::new(),
        }
    }

    fn add(&mut self, key: K, row: usize, shown: &str, problems: &mut Vec<Problem>) -> bool {
        let added = self.keys.insert(key);
        if !added {
            problems.push(Problem::in_sheet(
                self.sheet.name,
                row,
                self.sheet.columns[self.column],
                format!(
                    "{} {} is listed twice: list each {} once",
                    capitalised(self.what),
                    crate::domain::format::quoted(shown),
                    self.what
                ),
            ));
        }
        added
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A reference from one sheet to what another defines.
fn refer(
    problems: &mut Vec<Problem>,
    sheet: Sheet,
    row: usize,
    column: usize,
    found: bool,
    message: impl FnOnce() -> String,
) {
    if !found {
        problems.push(Problem::in_sheet(
            sheet.name,
            row,
            sheet.columns[column],
            message(),
        ));
    }
}

/// The workbook's rows, typed, checked and cross-checked; or every problem found.
pub fn read(sheets: &Sheets) -> Result<PlanBook, Vec<Problem>> {
    let mut problems = Vec::new();
    let p = &mut problems;
    let quoted = crate::domain::format::quoted;

    let mut plans = rows(sheets, PLAN, p, |l| {
        let read = plan::PlanDetails::read(l.cells[0], l.cells[1], l.cells[4], l.cells[5]);
        let column = match read.as_ref().map_err(|e| e.field) {
            Err("header") => 1,
            Err("year_starts") => 4,
            Err("reporting") => 5,
            _ => 0,
        };
        let details = l.checked(column, read)?;
        Some(PlanRow {
            title: details.title,
            header: details.header,
            starts_on: l.optional_day(2)?,
            ends_on: l.optional_day(3)?,
            calendar: details.calendar,
        })
    });
    if plans.len() > 1 {
        p.push(Problem::in_sheet(
            PLAN.name,
            plans[1].0,
            "",
            "The Plan sheet holds one row, the plan's own",
        ));
    }
    let plan = plans.drain(..).next().map(|(_, plan)| plan);
    if plan.is_none() && !p.iter().any(|problem| problem.sheet == PLAN.name) {
        p.push(Problem::in_sheet(
            PLAN.name,
            2,
            "Title",
            "Write the plan's title in the row below the headings",
        ));
    }

    let councils = rows(sheets, COUNCILS, p, |l| {
        let details = l.checked(
            0,
            crate::domain::plan::CouncilDetails::read(l.cells[0], l.cells[1], l.cells[2]),
        )?;
        Some(CouncilRow {
            name: details.name,
            short_name: details.short_name,
            code: details.code,
            ons_code: details.ons_code,
        })
    });
    let (mut council_codes, mut ons_codes) = (
        Known::new(COUNCILS, 1, "council"),
        Known::new(COUNCILS, 2, "ONS code"),
    );
    let councils: Vec<CouncilRow> = councils
        .into_iter()
        .filter(|(row, c)| {
            let code = council_codes.add(c.code.clone(), *row, &c.short_name, p);
            let ons = c
                .ons_code
                .as_ref()
                .is_none_or(|ons| ons_codes.add(ons.clone(), *row, ons, p));
            code && ons
        })
        .map(|(_, c)| c)
        .collect();
    if councils.is_empty() && !p.iter().any(|problem| problem.sheet == COUNCILS.name) {
        p.push(Problem::in_sheet(
            COUNCILS.name,
            2,
            "Name",
            "List at least one council: the plan's partner councils, one a row",
        ));
    }
    let several = councils.len() > 1;
    let council_by_name: HashMap<String, String> = councils
        .iter()
        .map(|c| (c.short_name.to_lowercase(), c.short_name.clone()))
        .collect();
    let partner = |name: &str| council_by_name.get(&name.trim().to_lowercase()).cloned();
    let council_names = councils
        .iter()
        .map(|c| c.short_name.clone())
        .collect::<Vec<_>>()
        .join(", ");

    let people = rows(sheets, PEOPLE, p, |l| {
        let email = l.email(0);
        let name = l.text(1, NAME_MAX);
        let job_title = l.text(2, NAME_MAX);
        let council = match l.raw(3) {
            "" => Some(None),
            named => match partner(named) {
                Some(short) => Some(Some(short)),
                None => {
                    let message = format!(
                        "{} is not one of the plan's councils ({council_names}): leave it empty for someone who works for every council",
                        quoted(named)
                    );
                    l.problem(3, message);
                    None
                }
            },
        };
        let roles = l.roles(4);
        Some(PersonRow {
            email: email?,
            name: name?,
            job_title: job_title?,
            council: council?,
            roles: roles?,
        })
    });
    let mut emails = Known::new(PEOPLE, 0, "person");
    let people: Vec<PersonRow> = people
        .into_iter()
        .filter(|(row, person)| emails.add(person.email.clone(), *row, &person.email, p))
        .map(|(_, person)| person)
        .collect();
    let person = |email: &str| emails.keys.contains(email);
    let person_named =
        |p: &mut Vec<Problem>, sheet: Sheet, row: usize, column: usize, email: &Option<String>| {
            if let Some(email) = email {
                refer(p, sheet, row, column, person(email), || {
                    format!(
                        "{} is not on the People sheet: add them there first",
                        quoted(email)
                    )
                });
            }
        };

    let themes = rows(sheets, THEMES, p, |l| {
        let number = l.whole(0, 1, 1000);
        let title = l.text(1, TITLE_MAX);
        let scope_note = l.optional(2, TITLE_MAX);
        let director = l.optional_email(3);
        let retired_on = l.optional_day(4);
        Some(ThemeRow {
            number: number? as u32,
            title: title?,
            scope_note: scope_note?,
            director: director?,
            retired_on: retired_on?,
        })
    });
    let mut theme_numbers = Known::new(THEMES, 0, "theme");
    let themes: Vec<ThemeRow> = themes
        .into_iter()
        .filter(|(row, t)| {
            person_named(p, THEMES, *row, 3, &t.director);
            theme_numbers.add(t.number, *row, &t.number.to_string(), p)
        })
        .map(|(_, t)| t)
        .collect();

    let outcomes = rows(sheets, OUTCOMES, p, |l| {
        let theme = l.whole(0, 1, 1000);
        let number = l.whole(1, 1, 1000);
        let title = l.text(2, TITLE_MAX);
        let retired_on = l.optional_day(3);
        Some(OutcomeRow {
            theme: theme? as u32,
            number: number? as u32,
            title: title?,
            retired_on: retired_on?,
        })
    });
    let mut outcome_numbers = Known::new(OUTCOMES, 1, "outcome");
    let outcomes: Vec<OutcomeRow> = outcomes
        .into_iter()
        .filter(|(row, o)| {
            refer(
                p,
                OUTCOMES,
                *row,
                0,
                theme_numbers.keys.contains(&o.theme),
                || format!("There is no theme {} on the Themes sheet", o.theme),
            );
            outcome_numbers.add(
                (o.theme, o.number),
                *row,
                &format!("{}.{}", o.theme, o.number),
                p,
            )
        })
        .map(|(_, o)| o)
        .collect();
    let outcome_exists =
        |theme: u32, outcome: u32| outcome_numbers.keys.contains(&(theme, outcome));

    let outputs = rows(sheets, OUTPUTS, p, |l| {
        let details = l.checked(
            0,
            crate::domain::plan::NewOutput::read(l.cells[0], l.cells[3], l.cells[4]),
        );
        let theme = l.whole(1, 1, 1000);
        let outcome = l.whole(2, 1, 1000);
        let retired_on = l.optional_day(7);
        let parked =
            l.raw(5).is_empty() && l.raw(6).is_empty() && matches!(retired_on, Some(Some(_)));
        let cell = if parked {
            Some(None)
        } else {
            l.checked(5, HexPosition::read(l.cells[5], l.cells[6]))
                .map(Some)
        };
        let details = details?;
        Some(OutputRow {
            code: details.code,
            theme: theme? as u32,
            outcome: outcome? as u32,
            title: details.title,
            short_title: details.short_title,
            cell: cell?,
            retired_on: retired_on?,
        })
    });
    let mut output_codes = Known::new(OUTPUTS, 0, "output");
    let mut cells = Known::new(OUTPUTS, 5, "cell");
    let outputs: Vec<OutputRow> = outputs
        .into_iter()
        .filter(|(row, o)| {
            refer(
                p,
                OUTPUTS,
                *row,
                2,
                outcome_exists(o.theme, o.outcome),
                || {
                    format!(
                        "There is no outcome {} of theme {} on the Outcomes sheet",
                        o.outcome, o.theme
                    )
                },
            );
            let cell_free = o.cell.is_none_or(|cell| {
                cells.add(cell, *row, &format!("column {}, row {}", cell.q, cell.r), p)
            });
            output_codes.add(o.code.clone(), *row, &o.code, p) && cell_free
        })
        .map(|(_, o)| o)
        .collect();
    let output_exists = |code: &str| output_codes.keys.contains(&code.trim().to_uppercase());
    let no_output =
        |code: &str| format!("There is no output {} on the Outputs sheet", quoted(code));

    let portfolios = rows(sheets, PORTFOLIOS, p, |l| {
        let output = l.text(0, 10);
        let holder = l.email(1);
        let portfolio = l.text(2, NAME_MAX);
        Some(PortfolioRow {
            output: output?.to_uppercase(),
            holder: holder?,
            portfolio: portfolio?,
        })
    });
    let mut held = Known::new(PORTFOLIOS, 1, "Portfolio Holder of an output");
    let portfolios: Vec<PortfolioRow> = portfolios
        .into_iter()
        .filter(|(row, h)| {
            refer(p, PORTFOLIOS, *row, 0, output_exists(&h.output), || {
                no_output(&h.output)
            });
            person_named(p, PORTFOLIOS, *row, 1, &Some(h.holder.clone()));
            held.add(
                (h.output.clone(), h.holder.clone()),
                *row,
                &format!("{} of {}", h.holder, h.output),
                p,
            )
        })
        .map(|(_, h)| h)
        .collect();

    let risks = rows(sheets, RISKS, p, |l| {
        let code = l.text(0, 20);
        let title = l.text(1, TITLE_MAX);
        let likelihood = l.whole(2, 1, 4);
        let impact = l.whole(3, 1, 4);
        let owner = l.optional_email(4);
        Some(RiskRow {
            code: code?,
            title: title?,
            likelihood: likelihood? as u8,
            impact: impact? as u8,
            owner: owner?,
        })
    });
    let mut risk_codes = Known::new(RISKS, 0, "risk");
    let risks: Vec<RiskRow> = risks
        .into_iter()
        .filter(|(row, r)| {
            person_named(p, RISKS, *row, 4, &r.owner);
            risk_codes.add(r.code.clone(), *row, &r.code, p)
        })
        .map(|(_, r)| r)
        .collect();

    let unit_codes: Vec<&str> = Unit::ALL.iter().map(|u| u.code()).collect();
    let indicators = rows(sheets, INDICATORS, p, |l| {
        let code = l.text(0, 20);
        let wording = l.checked(1, input::Wording::read(l.cells[1], l.cells[2]));
        let output = l.text(3, 10);
        let kind = l.coded(4, IndicatorKind::from_code, &["tracking", "influencing"]);
        let unit = l.coded(5, Unit::from_code, &unit_codes);
        let polarity = l.coded(6, Polarity::from_code, &["higher", "lower", "data_only"]);
        let frequency = l.coded(
            7,
            Frequency::from_code,
            &["quarterly", "half_yearly", "annual"],
        );
        let flags: Vec<Option<bool>> = [8, 9, 11, 12, 13, 14].map(|c| l.yes_no(c)).into();
        let data_owner = l.optional_email(10);
        let external_metric = l.optional(15, 100);
        let lifecycle = l.coded(16, Lifecycle::from_code, &["proposed", "active", "deleted"]);
        let wording = wording?;
        Some(IndicatorRow {
            code: code?,
            title: wording.title,
            definition: wording.definition,
            output: output?.to_uppercase(),
            kind: kind?,
            unit: unit?,
            polarity: polarity?,
            frequency: frequency?,
            cumulative: flags[0]?,
            joint: flags[1]?,
            data_owner: data_owner?,
            key_to_delivery: flags[2]?,
            financial_sensitivity: flags[3]?,
            political_sensitivity: flags[4]?,
            reputational_sensitivity: flags[5]?,
            external_metric: external_metric?,
            lifecycle: lifecycle?,
        })
    });
    let mut indicator_codes = Known::new(INDICATORS, 0, "indicator");
    let indicators: Vec<IndicatorRow> = indicators
        .into_iter()
        .filter(|(row, i)| {
            refer(p, INDICATORS, *row, 3, output_exists(&i.output), || {
                no_output(&i.output)
            });
            person_named(p, INDICATORS, *row, 10, &i.data_owner);
            if i.joint && !several {
                refer(p, INDICATORS, *row, 9, false, || {
                    "A plan of one council has no joint services: write no".to_string()
                });
            }
            indicator_codes.add(i.code.clone(), *row, &i.code, p)
        })
        .map(|(_, i)| i)
        .collect();
    let indicator_of: HashMap<&str, &IndicatorRow> =
        indicators.iter().map(|i| (i.code.as_str(), i)).collect();
    let no_indicator = |code: &str| {
        format!(
            "There is no indicator {} on the Indicators sheet",
            quoted(code)
        )
    };

    let links = rows(sheets, LINKS, p, |l| {
        let indicator = l.text(0, 20);
        let output = l.text(1, 10);
        Some(LinkRow {
            indicator: indicator?,
            output: output?.to_uppercase(),
        })
    });
    let mut linked = Known::new(LINKS, 1, "link");
    let links: Vec<LinkRow> = links
        .into_iter()
        .filter(|(row, link)| {
            let home = indicator_of.get(link.indicator.as_str());
            refer(p, LINKS, *row, 0, home.is_some(), || {
                no_indicator(&link.indicator)
            });
            refer(p, LINKS, *row, 1, output_exists(&link.output), || {
                no_output(&link.output)
            });
            let shown = format!("{} to {}", link.indicator, link.output);
            let home_again = home.is_some_and(|i| i.output == link.output);
            refer(p, LINKS, *row, 1, !home_again, || {
                format!(
                    "{} is {}'s home output already (the Indicators sheet)",
                    link.output, link.indicator
                )
            });
            linked.add(
                (link.indicator.clone(), link.output.clone()),
                *row,
                &shown,
                p,
            ) && !home_again
        })
        .map(|(_, link)| link)
        .collect();

    let risk_links = rows(sheets, RISK_LINKS, p, |l| {
        let indicator = l.text(0, 20);
        let risk = l.text(1, 20);
        Some(RiskLinkRow {
            indicator: indicator?,
            risk: risk?,
        })
    });
    let mut risk_linked = Known::new(RISK_LINKS, 1, "link");
    let risk_links: Vec<RiskLinkRow> = risk_links
        .into_iter()
        .filter(|(row, link)| {
            refer(
                p,
                RISK_LINKS,
                *row,
                0,
                indicator_of.contains_key(link.indicator.as_str()),
                || no_indicator(&link.indicator),
            );
            refer(
                p,
                RISK_LINKS,
                *row,
                1,
                risk_codes.keys.contains(&link.risk),
                || format!("There is no risk {} on the Risks sheet", quoted(&link.risk)),
            );
            let shown = format!("{} to {}", link.indicator, link.risk);
            risk_linked.add((link.indicator.clone(), link.risk.clone()), *row, &shown, p)
        })
        .map(|(_, link)| link)
        .collect();

    // A target's or value's council: the joint services for a joint indicator, else a partner.
    let for_council = |p: &mut Vec<Problem>,
                       sheet: Sheet,
                       row: usize,
                       indicator: &str,
                       named: &str|
     -> Option<CouncilName> {
        let Some(found) = indicator_of.get(indicator) else {
            refer(p, sheet, row, 0, false, || no_indicator(indicator));
            return None;
        };
        if found.joint {
            if named.trim().eq_ignore_ascii_case(JOINT) {
                return Some(None);
            }
            refer(p, sheet, row, 1, false, || {
                format!("{indicator} is reported jointly: write {JOINT}")
            });
            return None;
        }
        match partner(named) {
            Some(short) => Some(Some(short)),
            None => {
                refer(p, sheet, row, 1, false, || {
                    format!(
                        "{} is not one of the plan's councils ({council_names})",
                        quoted(named)
                    )
                });
                None
            }
        }
    };
    let unit_of = |code: &str| {
        indicator_of
            .get(code.trim())
            .map_or(Unit::Count, |i| i.unit)
    };

    let targets = rows(sheets, TARGETS, p, |l| {
        let indicator = l.text(0, 20);
        let council = l.raw(1).to_string();
        let year = l.year(2);
        let quarter = match l.raw(3) {
            "" => Some(None),
            _ => l.whole(3, 1, 4).map(|q| Some(q as u8)),
        };
        let value = l.number(4, unit_of(l.cells[0]));
        let tolerance = l.number(5, Unit::Percent).and_then(|t| {
            crate::domain::target::check_amber_tolerance(t)
                .map_err(|message| l.problem(5, message))
                .ok()
        });
        let set_by = l.optional_email(6);
        let set_at = l.timestamp(7);
        Some(TargetRow {
            indicator: indicator?,
            council: Some(council),
            year: year?,
            quarter: quarter?,
            value: value?,
            amber_tolerance: tolerance?,
            set_by: set_by?,
            set_at: set_at?,
        })
    });
    let mut target_keys = Known::new(TARGETS, 2, "target");
    let targets: Vec<TargetRow> = targets
        .into_iter()
        .filter_map(|(row, mut t)| {
            let named = t.council.take().unwrap_or_default();
            t.council = for_council(p, TARGETS, row, &t.indicator, &named)?;
            person_named(p, TARGETS, row, 6, &t.set_by);
            let period = match t.quarter {
                Some(q) => format!("{} Q{q}", FinancialYear(t.year)),
                None => FinancialYear(t.year).to_string(),
            };
            let shown = format!(
                "{} {} {period}",
                t.indicator,
                t.council.as_deref().unwrap_or(JOINT)
            );
            target_keys
                .add(
                    (t.indicator.clone(), t.council.clone(), t.year, t.quarter),
                    row,
                    &shown,
                    p,
                )
                .then_some(t)
        })
        .collect();

    let values = rows(sheets, VALUES, p, |l| {
        let indicator = l.text(0, 20);
        let council = l.raw(1).to_string();
        let quarter = l.quarter(2);
        let value = l.number(3, unit_of(l.cells[0]));
        let commentary = l.long(4);
        let entered_by = l.optional_email(5);
        let entered_at = l.timestamp(6);
        Some(ValueRow {
            indicator: indicator?,
            council: Some(council),
            quarter: quarter?,
            value: value?,
            commentary: commentary?,
            entered_by: entered_by?,
            entered_at: entered_at?,
        })
    });
    let mut value_keys = Known::new(VALUES, 2, "value");
    let values: Vec<ValueRow> = values
        .into_iter()
        .filter_map(|(row, mut v)| {
            let named = v.council.take().unwrap_or_default();
            v.council = for_council(p, VALUES, row, &v.indicator, &named)?;
            person_named(p, VALUES, row, 5, &v.entered_by);
            let shown = format!(
                "{} {} {}",
                v.indicator,
                v.council.as_deref().unwrap_or(JOINT),
                v.quarter
            );
            value_keys
                .add(
                    (v.indicator.clone(), v.council.clone(), v.quarter),
                    row,
                    &shown,
                    p,
                )
                .then_some(v)
        })
        .collect();

    let achievements = rows(sheets, ACHIEVEMENTS, p, |l| {
        let theme = l.whole(0, 1, 1000);
        let outcome = l.whole(1, 1, 1000);
        let half = l.half(2);
        let achievements = l.long(3);
        let impacts = l.long(4);
        let written_by = l.optional_email(5);
        let written_at = l.timestamp(6);
        Some(AchievementRow {
            theme: theme? as u32,
            outcome: outcome? as u32,
            half: half?,
            achievements: achievements?,
            impacts: impacts?,
            written_by: written_by?,
            written_at: written_at?,
        })
    });
    let mut written = Known::new(ACHIEVEMENTS, 2, "half year of an outcome");
    let achievements: Vec<AchievementRow> = achievements
        .into_iter()
        .filter(|(row, a)| {
            refer(
                p,
                ACHIEVEMENTS,
                *row,
                1,
                outcome_exists(a.theme, a.outcome),
                || {
                    format!(
                        "There is no outcome {} of theme {} on the Outcomes sheet",
                        a.outcome, a.theme
                    )
                },
            );
            person_named(p, ACHIEVEMENTS, *row, 5, &a.written_by);
            let shown = format!("{}.{} {}", a.theme, a.outcome, a.half);
            written.add((a.theme, a.outcome, a.half), *row, &shown, p)
        })
        .map(|(_, a)| a)
        .collect();

    let return_periods = rows(sheets, RETURN_PERIODS, p, |l| {
        let quarter = l.quarter(0);
        let deadline = l.day(1);
        let closed_at = l.optional_timestamp(2);
        let closed_by = l.optional_email(3);
        Some(ReturnPeriodRow {
            quarter: quarter?,
            deadline: deadline?,
            closed_at: closed_at?,
            closed_by: closed_by?,
        })
    });
    let mut periods = Known::new(RETURN_PERIODS, 0, "period");
    let return_periods: Vec<ReturnPeriodRow> = return_periods
        .into_iter()
        .filter(|(row, r)| {
            person_named(p, RETURN_PERIODS, *row, 3, &r.closed_by);
            periods.add(r.quarter, *row, &r.quarter.to_string(), p)
        })
        .map(|(_, r)| r)
        .collect();

    let kinds: Vec<&str> = ChangeKind::ALL.iter().map(|k| k.code()).collect();
    let changes = rows(sheets, CHANGES, p, |l| {
        let recorded_at = l.timestamp(0);
        let by = l.optional_email(1);
        let action = l.coded(2, ChangeKind::from_code, &kinds);
        let indicator = l.optional(3, 20);
        let subject = l.text(4, TITLE_MAX);
        let before = l.long(5);
        let after = l.long(6);
        let reason = l.long(7);
        let some = |text: String| (!text.is_empty()).then_some(text);
        Some(ChangeRow {
            recorded_at: recorded_at?,
            by: by?,
            action: action?,
            indicator: indicator?,
            subject: subject?,
            before: some(before?),
            after: some(after?),
            reason: reason?,
        })
    });
    let changes: Vec<ChangeRow> = changes
        .into_iter()
        .filter(|(row, c)| {
            person_named(p, CHANGES, *row, 1, &c.by);
            if let Some(code) = &c.indicator {
                refer(
                    p,
                    CHANGES,
                    *row,
                    3,
                    indicator_of.contains_key(code.as_str()),
                    || no_indicator(code),
                );
            }
            true
        })
        .map(|(_, c)| c)
        .collect();

    // A sheet missing, or missing a column, is one problem: what other sheets name on it is
    // not listed again, row by row.
    let unread: Vec<&str> = SHEETS
        .iter()
        .map(|sheet| sheet.name)
        .filter(|name| problems.iter().any(|p| p.sheet == *name && p.row <= 1))
        .collect();
    problems.retain(|p| {
        p.row <= 1
            || !unread
                .iter()
                .any(|name| p.message.contains(&format!("on the {name} sheet")))
    });
    if !problems.is_empty() {
        problems.truncate(MOST_PROBLEMS);
        return Err(problems);
    }
    Ok(PlanBook {
        plan: plan.unwrap_or_default(),
        councils,
        people,
        themes,
        outcomes,
        outputs,
        portfolios,
        risks,
        indicators,
        links,
        risk_links,
        targets,
        values,
        achievements,
        return_periods,
        changes,
    })
}
