//! `/returns`: a data owner's quarterly returns, one small form per indicator and council,
//! and the spreadsheet upload. Business Improvement opens it for any data owner
//! (`?owner={id}`) from the completeness page.

use crate::api::returns::{get_returns, EnterValue, ReturnLine, ReturnPeriod, ReturnSlot, Returns};
use crate::components::form::{returned_error, ErrorMessage, ProblemSummary};
use crate::components::status::StatusTag;
use crate::domain::format::maybe_value;
use crate::domain::returns::COMMENTARY_MAX;
use crate::domain::Status;
use crate::error::AppError;
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

#[component]
fn ReturnsView(returns: Returns) -> impl IntoView {
    let query = use_query_map().get_untracked();
    let saved = query.get("saved");
    let error = returned_error(EnterValue::PATH);
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
    view! {
        <span class="caption">{period_label(&period)}</span>
        <h1 class="heading-xl">{heading}</h1>
        {error.clone().map(|error| {
            let href = error.field().map(|f| format!("#return-{f}"));
            view! { <ProblemSummary message=error.to_string() href /> }
        })}
        <p class="body">
            {if period.closed {
                format!("{} is closed: its values can no longer change unless Business Improvement reopens it.", period.quarter)
            } else {
                format!("Values for {} are due by {}. Enter a value for each council; commentary is required when a value misses its target by more than the tolerance (red). Each value is saved on its own, so you can come back to the rest.", period.quarter, period.deadline)
            }}
        </p>
        <p class="body"><strong>{format!("{entered} of {due} indicators have all their values.")}</strong></p>
        {(!returns.open.is_empty()).then(|| view! {
            <p class="body">"Also open: "
                {returns.open.iter().map(|p| view! {
                    <a class="link" href=format!("/returns?period={}{}", p.quarter.slug(), owner.map(|o| format!("&owner={o}")).unwrap_or_default())>{p.quarter.to_string()}</a>" "
                }).collect_view()}
            </p>
        })}
        {if returns.lines.is_empty() {
            view! { <p class="body">{format!("{} no indicators due in {}.", if mine { "You own" } else { "They own" }, period.quarter)}</p> }.into_any()
        } else {
            returns.lines.into_iter().map(|line| view! { <LineForms line period=period.clone() owner error=error.clone() saved=saved.clone() /> }).collect_view().into_any()
        }}
        <ImportForm />
    }
    .into_any()
}

/// One indicator: its forms, one per council.
#[component]
fn LineForms(
    line: ReturnLine,
    period: ReturnPeriod,
    owner: Option<i64>,
    error: Option<AppError>,
    /// The slot (`{indicator}-{council}`) just saved, if any.
    saved: Option<String>,
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
            {slots.into_iter().map(|slot| {
                let slot_id = format!("{indicator_id}-{}", slot.council.code());
                let message = |field: &str| error.as_ref()
                    .filter(|e| e.field() == Some(&format!("{slot_id}-{field}")))
                    .map(|e| e.to_string());
                // A value held back for a second look comes back as it was typed.
                let held = error.clone().filter(|e| {
                    matches!(e, AppError::Doubtful { .. }) && e.field() == Some(&format!("{slot_id}-value"))
                });
                // Saved: said beside the value, where the page opens and focus lands.
                let saved_line = (saved.as_ref() == Some(&slot_id)).then(|| format!(
                    "✓ Saved the {} value of {code} for {}.",
                    period.quarter,
                    slot.council.name()
                ));
                view! {
                    <SlotForm values=slot slot_id=slot_id.clone() indicator_id code=code.clone() unit period=period.clone() owner
                        value_error=message("value") commentary_error=message("commentary") held saved_line />
                }
            }).collect_view()}
        </section>
    }
}

#[component]
fn SlotForm(
    values: ReturnSlot,
    slot_id: String,
    indicator_id: i64,
    code: String,
    unit: crate::domain::Unit,
    period: ReturnPeriod,
    owner: Option<i64>,
    value_error: Option<String>,
    commentary_error: Option<String>,
    /// The value was far from the indicator's recent figures: what was typed, to confirm.
    held: Option<AppError>,
    /// "✓ Saved …" when this value was just saved.
    saved_line: Option<String>,
) -> impl IntoView {
    let slot = values;
    let typed = |field: &str| {
        held.as_ref()
            .and_then(|e| e.typed(field))
            .map(str::to_string)
    };
    let council = slot.council;
    let value_id = format!("return-{slot_id}-value");
    let commentary_id = format!("return-{slot_id}-commentary");
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
    let value_error_id = format!("{value_id}-error");
    let commentary_error_id = format!("{commentary_id}-error");
    let commentary_hint = format!("{commentary_id}-hint");
    let red = slot.status == Status::Red;
    view! {
        <form method="post" action=EnterValue::PATH class="return__slot form">
            <h3 class="heading-s">{council.name()}</h3>
            {saved_line.map(|line| view! {
                <div class="panel panel--confirmation" id="saved" tabindex="-1" autofocus role="status"><p class="body">{line}</p></div>
            })}
            {facts}
            <input type="hidden" name="indicator_id" value=indicator_id />
            <input type="hidden" name="council" value=council.code() />
            <input type="hidden" name="period" value=period.quarter.slug() />
            {owner.map(|o| view! { <input type="hidden" name="owner" value=o /> })}
            <div class=if value_error.is_some() { "form-group form-group--error" } else { "form-group" }>
                <label class="label" for=value_id.clone()>{format!("{code} value for {}, {}", council.name(), period.quarter)}</label>
                {value_error.clone().map(|message| view! { <ErrorMessage id=value_error_id.clone() message /> })}
                <input class="input input--short" type="text" inputmode="decimal" id=value_id name="value" required
                    value=typed("value").unwrap_or_else(|| slot.value.map(|v| crate::domain::format::number(v, 2).replace(',', "")).unwrap_or_default())
                    aria-describedby=value_error.as_ref().map(|_| value_error_id.clone())
                    aria-invalid=value_error.as_ref().map(|_| "true") />
            </div>
            <div class=if commentary_error.is_some() { "form-group form-group--error" } else { "form-group" }>
                <label class="label" for=commentary_id.clone()>{format!("Commentary for {}", council.name())}</label>
                <p class="hint" id=commentary_hint.clone()>{if red { "Required: this value is red. Say why, and what is being done." } else { "Required when the value is red (misses its target by more than the tolerance)" }}</p>
                {commentary_error.clone().map(|message| view! { <ErrorMessage id=commentary_error_id.clone() message /> })}
                <textarea class="input input--wide textarea" id=commentary_id name="commentary" rows="2" maxlength=COMMENTARY_MAX
                    aria-describedby=if commentary_error.is_some() { format!("{commentary_hint} {commentary_error_id}") } else { commentary_hint.clone() }
                    aria-invalid=commentary_error.as_ref().map(|_| "true") inner_html=crate::components::escape(&typed("commentary").unwrap_or(slot.commentary.clone()))></textarea>
            </div>
            {typed("value").map(|figure| {
                let id = format!("return-{slot_id}-confirmed");
                view! {
                    <div class="form-group checkboxes__item">
                        <input class="checkboxes__input" type="checkbox" id=id.clone() name="confirmed" value="true" />
                        <label class="checkboxes__label" for=id>{format!("Yes, {figure} is right")}</label>
                    </div>
                }
            })}
            <button type="submit" class="button">"Save" <span class="visually-hidden">{format!(" {code} for {}", council.name())}</span></button>
        </form>
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
                ". Fill in the Value column (and Commentary, required when a value is red). The whole file is checked first: if any row is wrong, nothing is saved and every problem is listed with its row and column."
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
