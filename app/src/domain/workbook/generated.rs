//! Plans made up to a given shape (councils, themes, outcomes, outputs, indicators, quarters
//! of history), as workbooks: what the benchmarks and the round-trip tests set up through the
//! same import a council uses. The same shape always gives the same plan.

use super::*;
use crate::domain::period::FinancialYear;

/// The size of a generated plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    /// Its number, which names it and its councils ("Partnership 007").
    pub number: u32,
    pub councils: u32,
    pub themes: u32,
    pub outcomes_per_theme: u32,
    pub outputs_per_outcome: u32,
    pub indicators: u32,
    /// Quarters of values, ending with the open one.
    pub quarters: u32,
}

/// The first financial year a generated plan has values for.
const FIRST_YEAR: i32 = 2015;
const SIDES: [&str; 6] = ["North", "South", "East", "West", "Upper", "Lower"];
const UNITS: [Unit; 4] = [Unit::Percent, Unit::Count, Unit::Days, Unit::Pounds];

/// A small number from a seed, the same every time.
fn dice(seed: u64) -> u64 {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03;
    x ^= x >> 31;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^ (x >> 29)
}

/// The plan of `shape`.
pub fn plan(shape: Shape) -> PlanBook {
    let n = shape.number;
    let calendar = Calendar::default();
    let councils: Vec<CouncilRow> = (0..shape.councils.max(1) as usize)
        .map(|c| {
            let short_name = format!("{} {n:03}", SIDES[c % SIDES.len()]);
            CouncilRow {
                name: format!("{short_name} District Council"),
                code: crate::domain::council::code_for(&short_name).unwrap_or_default(),
                short_name,
                ons_code: Some(format!("E07{:06}", n * 10 + c as u32)),
            }
        })
        .collect();
    let several = councils.len() > 1;
    let email = |who: &str| format!("{who}@partnership{n:03}.example");
    let mut people = vec![PersonRow {
        email: email("performance"),
        name: "Pat Performance".into(),
        job_title: "Business Improvement Officer".into(),
        council: None,
        roles: vec![Role::BusinessImprovement],
    }];
    let mut themes = Vec::new();
    let mut outcomes = Vec::new();
    let mut outputs = Vec::new();
    let mut portfolios = Vec::new();
    for t in 1..=shape.themes {
        let (director, holder, owner) = (
            email(&format!("director{t}")),
            email(&format!("holder{t}")),
            email(&format!("owner{t}")),
        );
        people.push(PersonRow {
            email: director.clone(),
            name: format!("Director {t}"),
            job_title: "Assistant Director".into(),
            council: None,
            roles: vec![Role::AssistantDirector],
        });
        people.push(PersonRow {
            email: holder.clone(),
            name: format!("Cllr Holder {t}"),
            job_title: "Cabinet Member".into(),
            council: Some(councils[t as usize % councils.len()].short_name.clone()),
            roles: vec![Role::PortfolioHolder],
        });
        people.push(PersonRow {
            email: owner.clone(),
            name: format!("Owner {t}"),
            job_title: "Data Officer".into(),
            council: None,
            roles: vec![Role::DataOwner],
        });
        themes.push(ThemeRow {
            number: t,
            title: format!("Theme {t} of partnership {n:03}"),
            scope_note: (t % 3 == 0).then(|| "housing related only".to_string()),
            director: Some(director),
            retired_on: None,
        });
        for o in 1..=shape.outcomes_per_theme {
            outcomes.push(OutcomeRow {
                theme: t,
                number: o,
                title: format!("Outcome {t}.{o}"),
                retired_on: None,
            });
            for k in 1..=shape.outputs_per_outcome {
                let index = outputs.len() as i32;
                let code = format!("T{t}O{o}K{k}");
                portfolios.push(PortfolioRow {
                    output: code.clone(),
                    holder: holder.clone(),
                    portfolio: format!("Portfolio {t}"),
                });
                outputs.push(OutputRow {
                    code,
                    theme: t,
                    outcome: o,
                    title: format!("Output {k} of outcome {t}.{o}"),
                    short_title: format!("Output {t}.{o}.{k}"),
                    cell: Some(HexPosition {
                        q: index % 12,
                        r: index / 12,
                    }),
                    retired_on: None,
                });
            }
        }
    }
    let risks = vec![RiskRow {
        code: "SR01".into(),
        title: "Services cannot keep pace with demand".into(),
        likelihood: 3,
        impact: 3,
        owner: themes.first().and_then(|t| t.director.clone()),
    }];
    let first = Quarter::new(FIRST_YEAR, 1).unwrap_or(Quarter {
        year: FIRST_YEAR,
        q: 1,
    });
    let last = Quarter::from_index(first.index() + shape.quarters.max(1) as i32 - 1);
    let quarters: Vec<Quarter> = Quarter::range(first, last).collect();
    let mut indicators = Vec::new();
    let (mut links, mut risk_links, mut targets, mut values, mut changes) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for i in 0..shape.indicators {
        let code = format!("P{n:03}-{:04}", i + 1);
        let output = &outputs[i as usize % outputs.len().max(1)];
        let unit = UNITS[i as usize % UNITS.len()];
        // The last tenth are reported jointly by a partnership's councils.
        let joint = several && i >= shape.indicators - shape.indicators / 10;
        let polarity = if i % 3 == 1 {
            Polarity::LowerIsBetter
        } else {
            Polarity::HigherIsBetter
        };
        indicators.push(IndicatorRow {
            code: code.clone(),
            title: format!("Measure {} of {}", i + 1, output.short_title),
            definition: format!(
                "How {} is counted, each quarter.",
                output.title.to_lowercase()
            ),
            output: output.code.clone(),
            kind: if i % 4 == 0 {
                IndicatorKind::Influencing
            } else {
                IndicatorKind::Tracking
            },
            unit,
            polarity,
            frequency: Frequency::Quarterly,
            cumulative: false,
            joint,
            data_owner: Some(email(&format!("owner{}", output.theme))),
            key_to_delivery: i % 7 == 0,
            financial_sensitivity: i % 11 == 0,
            political_sensitivity: false,
            reputational_sensitivity: i % 13 == 0,
            external_metric: None,
            lifecycle: Lifecycle::Active,
        });
        if outputs.len() > 1 && i % 6 == 0 {
            let other = &outputs[(i as usize + 1) % outputs.len()];
            links.push(LinkRow {
                indicator: code.clone(),
                output: other.code.clone(),
            });
        }
        if i % 10 == 0 {
            risk_links.push(RiskLinkRow {
                indicator: code.clone(),
                risk: "SR01".into(),
            });
        }
        changes.push(ChangeRow {
            recorded_at: format!("{FIRST_YEAR}-04-01T09:00:00Z"),
            by: Some(email("performance")),
            action: ChangeKind::New,
            indicator: Some(code.clone()),
            subject: format!("indicator {code}"),
            before: None,
            after: Some(indicators[i as usize].title.clone()),
            reason: "Adopted in the plan's performance framework".into(),
        });
        let slots: Vec<CouncilName> = if joint {
            vec![None]
        } else {
            councils
                .iter()
                .map(|c| Some(c.short_name.clone()))
                .collect()
        };
        let scale = match unit {
            Unit::Percent => 1.0,
            Unit::Count => 40.0,
            Unit::Days => 0.3,
            _ => 250.0,
        };
        for (s, council) in slots.iter().enumerate() {
            let years = quarters.first().map(|q| q.year).unwrap_or(FIRST_YEAR)
                ..=quarters.last().map(|q| q.year).unwrap_or(FIRST_YEAR);
            for year in years {
                targets.push(TargetRow {
                    indicator: code.clone(),
                    council: council.clone(),
                    year,
                    quarter: None,
                    value: (60.0 + (year - FIRST_YEAR) as f64) * scale,
                    amber_tolerance: 10.0,
                    set_by: Some(email("performance")),
                    set_at: format!("{year}-04-01T09:00:00Z"),
                });
            }
            for (k, quarter) in quarters.iter().enumerate() {
                let wobble =
                    (dice(u64::from(n) << 40 | u64::from(i) << 16 | (s as u64) << 8 | k as u64)
                        % 30) as f64;
                let value =
                    ((45.0 + wobble + k as f64 * 0.5).min(100.0) * scale * 10.0).round() / 10.0;
                let day = calendar.last_day(*quarter).add_days(20).iso();
                values.push(ValueRow {
                    indicator: code.clone(),
                    council: council.clone(),
                    quarter: *quarter,
                    value,
                    commentary: if k % 4 == 3 {
                        format!("Steady in {quarter}; the year's work is on plan.")
                    } else {
                        String::new()
                    },
                    entered_by: Some(email(&format!("owner{}", output.theme))),
                    entered_at: format!("{day}T10:00:00Z"),
                });
            }
        }
    }
    let return_periods = quarters
        .iter()
        .map(|quarter| {
            let deadline = calendar.last_day(*quarter).add_days(30);
            let open = Some(quarter) == quarters.last();
            ReturnPeriodRow {
                quarter: *quarter,
                deadline,
                closed_at: (!open).then(|| format!("{}T17:00:00Z", deadline.iso())),
                closed_by: (!open).then(|| email("performance")),
            }
        })
        .collect();
    let achievements = outcomes
        .iter()
        .take(3)
        .map(|o| AchievementRow {
            theme: o.theme,
            outcome: o.number,
            half: last.half(),
            achievements: format!("Work on outcome {}.{} went to plan.", o.theme, o.number),
            impacts: "Residents saw the difference.".into(),
            written_by: Some(email("performance")),
            written_at: format!("{}T10:00:00Z", calendar.last_day(last).iso()),
        })
        .collect();
    PlanBook {
        plan: PlanRow {
            title: format!("Partnership {n:03} Strategic Plan"),
            header: String::new(),
            starts_on: Some(calendar.first_day(first)),
            ends_on: Some(calendar.last_day(FinancialYear(last.year).quarters()[3])),
            calendar,
        },
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
    }
}
