//! The council filter and period picker: plain links and a GET form, so they work before the
//! WebAssembly arrives and keep every view at a stable address. Inside an island they take
//! `on_choose`/`on_show` and change the view in place instead.

use crate::domain::{CouncilFilter, Quarter};
use leptos::ev::{MouseEvent, SubmitEvent};
use leptos::prelude::*;

/// The address of `path` showing `council` and, where given, `period`.
pub fn view_href(path: &str, council: &CouncilFilter, period: Option<Quarter>) -> String {
    match period {
        Some(period) => format!("{path}?council={}&period={}", council.code(), period.slug()),
        None => format!("{path}?council={}", council.code()),
    }
}

/// Whether a click is a plain one that the page may handle itself (not a request for a new
/// tab or window).
fn plain_click(event: &MouseEvent) -> bool {
    event.button() == 0
        && !(event.ctrl_key() || event.meta_key() || event.shift_key() || event.alt_key())
}

/// The council filter's links, one per choice (`Councils::filters`); nothing in a plan of one
/// council.
#[component]
pub fn CouncilFilterLinks(
    path: String,
    choices: Vec<(CouncilFilter, String)>,
    #[prop(into)] council: Signal<CouncilFilter>,
    #[prop(into)] period: Signal<Option<Quarter>>,
    #[prop(optional)] on_choose: Option<Callback<CouncilFilter>>,
) -> impl IntoView {
    (!choices.is_empty()).then(|| view! {
        <nav class="council-filter" aria-label="Council">
            <span class="council-filter__label" aria-hidden="true">"Council:"</span>
            <ul class="council-filter__list">
                {choices
                    .into_iter()
                    .map(|(option, label)| {
                        let path = path.clone();
                        let current = {
                            let option = option.clone();
                            Signal::derive(move || council.read() == option)
                        };
                        let href = {
                            let option = option.clone();
                            move || view_href(&path, &option, period.get())
                        };
                        view! {
                            <li>
                                <a
                                    href=href
                                    class=move || if current.get() { "council-filter__link council-filter__link--current" } else { "council-filter__link" }
                                    aria-current=move || current.get().then_some("true")
                                    on:click=move |event: MouseEvent| {
                                        if let Some(choose) = on_choose {
                                            if plain_click(&event) {
                                                event.prevent_default();
                                                choose.run(option.clone());
                                            }
                                        }
                                    }
                                >
                                    {label}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    })
}

#[component]
pub fn PeriodPicker(
    path: String,
    #[prop(into)] council: Signal<CouncilFilter>,
    #[prop(into)] period: Signal<Quarter>,
    periods: Vec<Quarter>,
    #[prop(optional)] on_show: Option<Callback<Quarter>>,
) -> impl IntoView {
    if periods.is_empty() {
        // No quarter has values yet: nothing to choose between.
        return None;
    }
    let chosen = RwSignal::new(None::<Quarter>);
    let submit = move |event: SubmitEvent| {
        if let Some(show) = on_show {
            event.prevent_default();
            show.run(chosen.get().unwrap_or_else(|| period.get()));
        }
    };
    Some(view! {
        <form method="get" action=path class="period-picker" on:submit=submit>
            <input type="hidden" name="council" value=move || council.read().code().to_string() />
            <label class="label" for="period">"Quarter"</label>
            <select
                class="select"
                id="period"
                name="period"
                prop:value=move || period.get().slug()
                on:change=move |event| chosen.set(Quarter::parse_slug(&event_target_value(&event)))
            >
                {periods
                    .into_iter()
                    .rev()
                    .map(|quarter| {
                        view! {
                            <option value=quarter.slug() selected=move || quarter == period.get()>
                                {quarter.to_string()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <button type="submit" class="button button--secondary">"Show"</button>
        </form>
    })
}
