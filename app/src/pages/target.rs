//! `/indicators/{id}/target?council={code}`: a council's target changed with a plain form,
//! the same change the in-place editor makes, for a browser without JavaScript (the editor's
//! Change link leads here until the page's script takes over).

use crate::api::indicators::{get_indicator, IndicatorPage as Indicator};
use crate::api::targets::ChangeTarget;
use crate::components::breadcrumbs::Breadcrumbs;
use crate::components::form::{returned_error, ErrorSummary, Field, Input};
use crate::domain::{format, FinancialYear};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const FORM: &str = "target";

#[component]
pub fn TargetPage() -> impl IntoView {
    let indicator = super::by_id("That indicator", |id| get_indicator(id, None));
    super::loaded(indicator, "Loading the target…", |indicator| {
        view! { <TargetForm indicator /> }.into_any()
    })
}

#[component]
fn TargetForm(indicator: Indicator) -> impl IntoView {
    let query = use_query_map().get_untracked();
    let council = query.get("council");
    // A later year's target, set ahead of it (from the Portfolio Holder's home).
    let later = query.get("year").and_then(|y| y.parse::<i32>().ok());
    // The council's series and the target its viewer may change.
    let found = indicator
        .series
        .iter()
        .filter(|s| Some(s.council.code()) == council.as_deref())
        .find_map(|s| Some((s.points.clone(), s.editable.clone()?)));
    let Some((points, mut target)) = found else {
        return view! {
            <Title text="Target not found" />
            <h1 class="heading-xl">"There is no target here for you to change"</h1>
            <p class="body">
                <a class="link" href=format!("/indicators/{}", indicator.id)>{format!("Back to {} {}", indicator.code, indicator.title)}</a>
            </p>
        }
        .into_any();
    };
    if let Some(year) = later.filter(|year| *year > target.year && *year <= target.year + 1) {
        target = crate::api::targets::EditableTarget {
            year,
            value: None,
            version: 0,
            ..target
        };
    }
    let error = returned_error(ChangeTarget::PATH);
    let doubtful = matches!(error, Some(AppError::Doubtful { .. }));
    let typed = |field: &str, otherwise: String| {
        error
            .as_ref()
            .and_then(|e| e.typed(field))
            .map_or(otherwise, str::to_string)
    };
    let unit = indicator.unit;
    let year = FinancialYear(target.year);
    let latest = points
        .iter()
        .rev()
        .find(|p| p.reading.value.is_some())
        .map(|p| {
            format!(
                "{}: {}",
                p.reading.quarter,
                format::maybe_value(p.reading.value, unit)
            )
        });
    let back = format!("/indicators/{}", indicator.id);
    let verb = if target.value.is_some() {
        "Change"
    } else {
        "Set"
    };
    let heading = format!("{verb} the {year} target for {}", target.council.name());
    view! {
        <Title text=format!("{heading} – {}", indicator.code) />
        <Breadcrumbs trail=vec![(format!("{} {}", indicator.code, indicator.title), back.clone())] current=heading.clone() />
        <span class="caption-l">{format!("{} {}", indicator.code, indicator.title)}</span>
        <h1 class="heading-xl">{heading}</h1>
        <dl class="summary-list">
            <div class="summary-list__row"><dt class="summary-list__key">"Target now"</dt><dd class="summary-list__value">{target.value.map_or_else(|| "Not set yet".to_string(), |v| format::value(v, unit))}</dd></div>
            <div class="summary-list__row"><dt class="summary-list__key">"Amber tolerance"</dt><dd class="summary-list__value">{format!("{} %", format::number(target.amber_tolerance, 1))}</dd></div>
            <div class="summary-list__row"><dt class="summary-list__key">"Latest value"</dt><dd class="summary-list__value">{latest.unwrap_or_else(|| "No values yet".into())}</dd></div>
        </dl>
        <form method="post" action=ChangeTarget::PATH class="form" id=FORM novalidate>
            <ErrorSummary error=error.clone() form=FORM />
            <input type="hidden" name="indicator_id" value=indicator.id />
            <input type="hidden" name="council" value=target.council.code() />
            <input type="hidden" name="year" value=target.year />
            <input type="hidden" name="version" value=target.version />
            <Field form=FORM name="value" label=format!("{year} target") hint=format!("Unit: {}", unit.label().to_lowercase())
                input=Input::Text { value: typed("value", target.value.map(|v| format::number(v, 2).replace(',', "")).unwrap_or_default()), max: 30 }
                error=error.clone() />
            <Field form=FORM name="tolerance" label="Amber tolerance (%)".to_string()
                hint="How far from the target still counts as amber, 0 to 50"
                input=Input::Text { value: typed("tolerance", format::number(target.amber_tolerance, 1)), max: 10 }
                error=error.clone() />
            <Field form=FORM name="reason" label="Reason for the change".to_string()
                hint="Recorded in the audit trail with your name and the date"
                input=Input::Area { value: typed("reason", String::new()), max: 500 }
                error=error.clone() />
            {doubtful.then(|| view! {
                <div class="form-group checkboxes__item">
                    <input class="checkboxes__input" type="checkbox" id="target-confirmed" name="confirmed" value="true" />
                    <label class="checkboxes__label" for="target-confirmed">{format!("Yes, {} is right", typed("value", String::new()))}</label>
                </div>
            })}
            <button type="submit" class="button">"Save the target"</button>
            " "
            <a class="link" href=back>"Cancel"</a>
        </form>
    }
    .into_any()
}
