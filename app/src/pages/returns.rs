//! `/returns`: a data owner's quarterly returns on one form, each indicator's councils side by
//! side and one Save all, and the spreadsheet upload. Business Improvement opens it for any data owner
//! (`?owner={id}`) from the completeness page.

use crate::api::returns::{get_returns, ReturnLine, ReturnPeriod, ReturnSlot, Returns, SaveReturn};
use crate::components::form::{returned_error, ErrorMessage, ProblemSummary};
use crate::components::status::StatusTag;
use crate::domain::format::maybe_value;
use crate::domain::returns::COMMENTARY_MAX;
use crate::domain::Status;
use crate::error::{AppError, Refusal};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ReturnsPage() -> impl IntoView {
    let query = use_query_map();
    let asked = Memo::new(move |_| {
        let query = query.read();
        (
            query.get("owner").and_then(|o| o.parse::<i64>().ok()),
            query.get("period"),
        )
    });
    let returns = Resource::new(
        move || asked.get(),
        |(owner, period)| get_returns(owner, period),
    );
    view! {
        <Title text="Quarterly returns" />
        {super::loaded(returns, "Loading your returns…", |returns| view! { <ReturnsView returns /> }.into_any())}
    }
}

/// "2017/18 Q3 (1 October to 31 December 2017)"
pub(crate) fn period_label(period: &ReturnPeriod) -> String {
    format!(
        "{} ({})",
        period.quarter,
        crate::session::plan_identity()
            .calendar
            .quarter_dates(period.quarter)
    )
}

/// What the last save said about each value: the slots saved and the refusals.
#[derive(Clone, Default)]
struct LastSave {
    saved: Vec<String>,
    refusals: Vec<Refusal>,
}

impl LastSave {
    /// From the address: `saved=…` after a save, or the refusal a save sent back.
    fn read(saved: Option<String>, error: Option<&AppError>) -> Self {
        match error {
            Some(AppError::Refused {
                saved, refusals, ..
            }) => LastSave {
                saved: saved.clone(),
                refusals: refusals.clone(),
            },
            _ => LastSave {
                saved: saved
                    .map(|s| s.split(',').map(str::to_string).collect())
                    .unwrap_or_default(),
                refusals: Vec::new(),
            },
        }
    }

    fn refusal(&self, slot: &str, field: &str) -> Option<&Refusal> {
        let field = format!("{slot}-{field}");
        self.refusals.iter().find(|r| r.field == field)
    }

    /// The refusal of any field of `slot`, which holds what was typed in all of them.
    fn typed(&self, slot: &str) -> Option<&Refusal> {
        let prefix = format!("{slot}-");
        self.refusals.iter().find(|r| r.field.starts_with(&prefix))
    }

    fn saved(&self, slot: &str) -> bool {
        self.saved.iter().any(|s| s == slot)
    }
}

#[component]
fn ReturnsView(returns: Returns) -> impl IntoView {
    let query = use_query_map().get_untracked();
    let error = returned_error(SaveReturn::PATH);
    let last = LastSave::read(query.get("saved"), error.as_ref());
    let mine = crate::session::current_user().is_some_and(|u| u.person_id == returns.owner.id);
    let heading = if mine {
        "My returns".to_string()
    } else {
        format!("Returns of {}", returns.owner.label)
    };
    let Some(period) = returns.period.clone() else {
        return view! {
            <h1 class="heading-xl">{heading}</h1>
            <p class="body">"No quarter has been opened for returns yet. Business Improvement opens each quarter on the completeness page."</p>
        }
        .into_any();
    };
    let owner = (!mine).then_some(returns.owner.id);
    let due = returns.lines.len();
    let entered = returns.lines.iter().filter(|l| l.complete()).count();
    // Saved values and refusals, in the page's order.
    let slots: Vec<(String, String)> = returns
        .lines
        .iter()
        .flat_map(|line| {
            line.slots.iter().map(|slot| {
                (
                    crate::domain::returns::slot(line.indicator_id, slot.council.code()),
                    format!("{} for {}", line.code, slot.council.name()),
                )
            })
        })
        .collect();
    let saved_names: Vec<String> = slots
        .iter()
        .filter(|(id, _)| last.saved(id))
        .map(|(_, name)| name.clone())
        .collect();
    let summary = summary(error.as_ref(), &last, &slots, &saved_names);
    // Saved: said beside the value when it is one, above the form when several or none.
    let saved_panel = match (
        error.is_none(),
        query.get("saved").as_deref(),
        saved_names.len(),
    ) {
        (true, Some("none"), _) => {
            Some("Nothing was saved: no value on the page had changed.".to_string())
        }
        (true, Some(_), n) if n > 1 => Some(format!(
            "✓ Saved {n} values for {}: {}.",
            period.quarter,
            saved_names.join(", ")
        )),
        _ => None,
    };
    let one_saved = (error.is_none() && saved_names.len() == 1)
        .then(|| last.saved.first().cloned())
        .flatten();
    let lines = returns.lines;
    let forms = if lines.is_empty() {
        view! { <p class="body">{format!("{} no indicators due in {}.", if mine { "You own" } else { "They own" }, period.quarter)}</p> }.into_any()
    } else {
        let sections = lines
            .into_iter()
            .map(|line| view! { <LineSlots line period=period.clone() last=last.clone() one_saved=one_saved.clone() /> })
            .collect_view();
        if period.closed {
            sections.into_any()
        } else {
            view! {
                <form method="post" action=SaveReturn::PATH class="returns-form" id="returns-form">
                    <input type="hidden" name="period" value=period.quarter.slug() />
                    {owner.map(|o| view! { <input type="hidden" name="owner" value=o /> })}
                    {sections}
                    <div class="returns-form__actions">
                        <button type="submit" class="button">"Save all"</button>
                        <p class="hint">"Saves every value you changed on this page; the rest stay as they are."</p>
                    </div>
                </form>
            }
            .into_any()
        }
    };
    view! {
        <span class="caption">{period_label(&period)}</span>
        <h1 class="heading-xl">{heading}</h1>
        {summary}
        {saved_panel.map(|line| view! {
            <div class="panel panel--confirmation" id="saved" tabindex="-1" autofocus role="status"><p class="body">{line}</p></div>
        })}
        <p class="body">
            {if period.closed {
                format!("{} is closed: its values can no longer change unless Business Improvement reopens it.", period.quarter)
            } else if due == 0 {
                format!("Values for {} are due by {}.", period.quarter, period.deadline)
            } else {
                format!("Values for {} are due by {}. Enter a value for each council, then Save all at the foot of the page: only the values you change are saved, each recorded with your name. Commentary is required when a value is Off target (misses its target by more than the tolerance).", period.quarter, period.deadline)
            }}
        </p>
        {(!mine).then(|| view! {
            <p class="body">
                {format!("You are entering the values of {} on their behalf; each is recorded with your name. ", returns.owner.label)}
                <a class="link" href=format!("/returns/completeness?period={}", period.quarter.slug())>"Back to the completeness of returns"</a>
            </p>
        })}
        {(due > 0).then(|| view! { <p class="body"><strong>{format!("{entered} of {due} indicators have all their values.")}</strong></p> })}
        {(!returns.open.is_empty()).then(|| view! {
            <p class="body">"Also open: "
                {returns.open.iter().map(|p| view! {
                    <a class="link" href=format!("/returns?period={}{}", p.quarter.slug(), owner.map(|o| format!("&owner={o}")).unwrap_or_default())>{p.quarter.to_string()}</a>" "
                }).collect_view()}
            </p>
        })}
        {forms}
        <ImportForm />
    }
    .into_any()
}

/// The box above the form when a save was refused: every value not saved, in the page's
/// order and linked to its field (`slots` names each value of the page), and those saved.
fn summary(
    error: Option<&AppError>,
    last: &LastSave,
    slots: &[(String, String)],
    saved_names: &[String],
) -> Option<AnyView> {
    match error? {
        AppError::Refused { more, .. } => {
            // One of no value on the page (reloaded since) last.
            let mut problems: Vec<(usize, Option<String>, String)> = last
                .refusals
                .iter()
                .map(|r| {
                    let at = slots.iter().position(|(id, _)| {
                        ["value", "commentary"]
                            .iter()
                            .any(|f| r.field == format!("{id}-{f}"))
                    });
                    match at {
                        Some(at) => (
                            at,
                            Some(format!("#return-{}", r.field)),
                            format!("{}: {}", slots[at].1, r.message),
                        ),
                        None => (usize::MAX, None, r.message.clone()),
                    }
                })
                .collect();
            problems.sort_by_key(|(at, ..)| *at);
            let problems = problems
                .into_iter()
                .map(|(_, href, message)| (href, message))
                .collect();
            let also = (!saved_names.is_empty())
                .then(|| format!("The other changes were saved: {}.", saved_names.join(", ")));
            let count = last.refusals.len() + more;
            Some(view! { <RefusedSummary count problems also /> }.into_any())
        }
        error => {
            let href = error.field().map(|f| format!("#return-{f}"));
            Some(view! { <ProblemSummary message=error.to_string() href /> }.into_any())
        }
    }
}

/// The box above the form listing every value refused, each linked to its field.
#[component]
fn RefusedSummary(
    /// How many were refused.
    count: usize,
    problems: Vec<(Option<String>, String)>,
    also: Option<String>,
) -> impl IntoView {
    let title = if count == 1 {
        "1 value was not saved".to_string()
    } else {
        format!("{count} values were not saved")
    };
    view! {
        <div class="error-summary" role="alert" tabindex="-1" autofocus>
            <h2 class="error-summary__title">{title}</h2>
            <ul class="error-summary__list">
                {problems.into_iter().map(|(href, message)| view! {
                    <li>{match href {
                        Some(href) => view! { <a class="link" href=href>{message}</a> }.into_any(),
                        None => view! { {message} }.into_any(),
                    }}</li>
                }).collect_view()}
            </ul>
            {also.map(|also| view! { <p class="body">{also}</p> })}
        </div>
    }
}

/// One indicator: its councils side by side.
#[component]
fn LineSlots(
    line: ReturnLine,
    period: ReturnPeriod,
    last: LastSave,
    /// The one slot just saved, whose card says so and takes focus.
    one_saved: Option<String>,
) -> impl IntoView {
    let ReturnLine {
        indicator_id,
        code,
        title,
        unit,
        theme,
        slots,
        ..
    } = line;
    view! {
        <section class="return" id=code.clone() aria-labelledby=format!("{code}-heading")>
            <h2 class="heading-m" id=format!("{code}-heading")>
                <a class="link" href=format!("/indicators/{indicator_id}")>{format!("{code} {title}")}</a>
            </h2>
            <p class="hint">{theme}</p>
            <div class="return__councils">
                {slots.into_iter().map(|slot| {
                    let slot_id = crate::domain::returns::slot(indicator_id, slot.council.code());
                    let saved_line = last.saved(&slot_id).then(|| format!(
                        "✓ Saved the {} value of {code} for {}.",
                        period.quarter,
                        slot.council.name()
                    ));
                    view! {
                        <SlotFields values=slot slot_id=slot_id.clone() code=code.clone() unit period=period.clone()
                            last=last.clone() saved_line focus=one_saved.as_ref() == Some(&slot_id) />
                    }
                }).collect_view()}
            </div>
        </section>
    }
}

/// One council's value of an indicator: the facts to enter it by, and its fields.
#[component]
fn SlotFields(
    values: ReturnSlot,
    slot_id: String,
    code: String,
    unit: crate::domain::Unit,
    period: ReturnPeriod,
    last: LastSave,
    /// "✓ Saved …" when this value was just saved.
    saved_line: Option<String>,
    /// The one value just saved: the page opens here.
    focus: bool,
) -> impl IntoView {
    let slot = values;
    let council = slot.council;
    let facts = view! {
        <dl class="return__facts">
            <div><dt>{format!("Target for {}", period.quarter)}</dt><dd>{maybe_value(slot.target, unit)}</dd></div>
            <div><dt>{format!("Value for {} (last quarter)", period.quarter.previous())}</dt><dd>{maybe_value(slot.previous, unit)}</dd></div>
            <div><dt>{format!("Status of the {} value", period.quarter)}</dt><dd>{if slot.value.is_some() { view! { <StatusTag status=slot.status /> }.into_any() } else { view! { "No value yet" }.into_any() }}</dd></div>
        </dl>
    };
    if period.closed {
        return view! {
            <div class="return__slot">
                <h3 class="heading-s">{council.name()}</h3>
                {facts}
                <p class="body">{format!("{}: {}", period.quarter, maybe_value(slot.value, unit))}</p>
                {(!slot.commentary.is_empty()).then(|| view! { <p class="body">{slot.commentary.clone()}</p> })}
            </div>
        }
        .into_any();
    }
    let message = |field: &str| last.refusal(&slot_id, field).map(|r| r.message.clone());
    let (value_error, commentary_error) = (message("value"), message("commentary"));
    let refused = last.typed(&slot_id).cloned();
    let typed = |field: &str| {
        refused
            .as_ref()
            .and_then(|r| r.typed(field))
            .map(str::to_string)
    };
    let second_look = last
        .refusal(&slot_id, "value")
        .is_some_and(|r| r.second_look);
    let value_id = format!("return-{slot_id}-value");
    let commentary_id = format!("return-{slot_id}-commentary");
    let value_error_id = format!("{value_id}-error");
    let commentary_error_id = format!("{commentary_id}-error");
    let commentary_hint = format!("{commentary_id}-hint");
    let red = slot.status == Status::Red;
    let stored_value = slot
        .value
        .map(|v| crate::domain::format::number(v, 2).replace(',', ""))
        .unwrap_or_default();
    view! {
        <fieldset class="return__slot">
            <legend class="heading-s">{council.name()}</legend>
            {saved_line.map(|line| view! {
                <div class="panel panel--confirmation" id=focus.then_some("saved")
                    tabindex="-1" autofocus=focus role="status"><p class="body">{line}</p></div>
            })}
            {facts}
            <div class=if value_error.is_some() { "form-group form-group--error" } else { "form-group" }>
                <label class="label" for=value_id.clone()>{format!("{code} value for {}, {}", council.name(), period.quarter)}</label>
                {value_error.clone().map(|message| view! { <ErrorMessage id=value_error_id.clone() message /> })}
                <input class="input input--short" type="text" inputmode="decimal" id=value_id name=format!("value[{slot_id}]")
                    value=typed("value").unwrap_or(stored_value)
                    aria-describedby=value_error.as_ref().map(|_| value_error_id.clone())
                    aria-invalid=value_error.as_ref().map(|_| "true") />
            </div>
            <div class=if commentary_error.is_some() { "form-group form-group--error" } else { "form-group" }>
                <label class="label" for=commentary_id.clone()>{format!("Commentary for {}", council.name())}</label>
                <p class="hint" id=commentary_hint.clone()>{if red { "Required: this value is Off target. Say why, and what is being done." } else { "Required when the value is Off target (misses its target by more than the tolerance)" }}</p>
                {commentary_error.clone().map(|message| view! { <ErrorMessage id=commentary_error_id.clone() message /> })}
                <textarea class="input textarea" id=commentary_id name=format!("commentary[{slot_id}]") rows="2" maxlength=COMMENTARY_MAX
                    aria-describedby=if commentary_error.is_some() { format!("{commentary_hint} {commentary_error_id}") } else { commentary_hint.clone() }
                    aria-invalid=commentary_error.as_ref().map(|_| "true") inner_html=crate::components::escape(&typed("commentary").unwrap_or(slot.commentary.clone()))></textarea>
            </div>
            {second_look.then(|| {
                let id = format!("return-{slot_id}-confirmed");
                let figure = typed("value").unwrap_or_default();
                view! {
                    <div class="form-group checkboxes__item">
                        <input class="checkboxes__input" type="checkbox" id=id.clone() name=format!("confirmed[{slot_id}]") value="true" />
                        <label class="checkboxes__label" for=id>{format!("Yes, {figure} is right")}</label>
                    </div>
                }
            })}
        </fieldset>
    }
    .into_any()
}

/// Uploading a spreadsheet of values, with the templates to start from.
#[component]
fn ImportForm() -> impl IntoView {
    view! {
        <section class="import" aria-labelledby="import-heading">
            <h2 class="heading-l" id="import-heading">"Upload a spreadsheet of values"</h2>
            <p class="body">
                "Start from the template, which lists your indicators due in the open quarters: "
                <a class="link" href="/returns/template.xlsx" download>"template (XLSX)"</a>" or "
                <a class="link" href="/returns/template.csv" download>"template (CSV)"</a>
                ". Fill in the Value column (and Commentary, required when a value is Off target). The whole file is checked first: if any row is wrong, nothing is saved and every problem is listed with its row and column."
            </p>
            <form method="post" action="/returns/import" enctype="multipart/form-data" class="form" id="import-form" data-progress="import-progress">
                <div class="form-group">
                    <label class="label" for="import-file">"Spreadsheet (CSV or XLSX, at most 10 MB)"</label>
                    <input class="file-upload" type="file" id="import-file" name="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required />
                </div>
                <p class="body" id="import-progress" role="status" aria-live="polite"></p>
                <button type="submit" class="button">"Upload and check"</button>
            </form>
            <script src="/import-progress.js" defer></script>
        </section>
    }
}
