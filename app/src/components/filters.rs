//! The council filter and period picker: plain links and a GET form, so they work before the
//! WebAssembly arrives and keep every view at a stable address.

use crate::domain::{CouncilFilter, Quarter};
use leptos::prelude::*;
use leptos_router::components::Form;

/// The address of `path` showing `council` and, where given, `period`.
pub fn view_href(path: &str, council: CouncilFilter, period: Option<Quarter>) -> String {
    match period {
        Some(period) => format!("{path}?council={}&period={}", council.code(), period.slug()),
        None => format!("{path}?council={}", council.code()),
    }
}

#[component]
pub fn CouncilFilterLinks(
    path: String,
    council: CouncilFilter,
    period: Option<Quarter>,
) -> impl IntoView {
    view! {
        <nav class="council-filter" aria-label="Council">
            <span class="council-filter__label" aria-hidden="true">"Council:"</span>
            <ul class="council-filter__list">
                {CouncilFilter::ALL
                    .into_iter()
                    .map(|option| {
                        let current = option == council;
                        view! {
                            <li>
                                <a
                                    href=view_href(&path, option, period)
                                    class=if current { "council-filter__link council-filter__link--current" } else { "council-filter__link" }
                                    aria-current=current.then_some("true")
                                >
                                    {option.label()}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

#[component]
pub fn PeriodPicker(
    path: String,
    council: CouncilFilter,
    period: Quarter,
    periods: Vec<Quarter>,
) -> impl IntoView {
    view! {
        <Form method="GET" action=path attr:class="period-picker">
            <input type="hidden" name="council" value=council.code() />
            <label class="label" for="period">"Quarter"</label>
            <select class="select" id="period" name="period">
                {periods
                    .into_iter()
                    .rev()
                    .map(|quarter| {
                        view! {
                            <option value=quarter.slug() selected=quarter == period>
                                {quarter.to_string()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <button type="submit" class="button button--secondary">"Show"</button>
        </Form>
    }
}
