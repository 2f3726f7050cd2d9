//! Breadcrumbs: where the page sits in the plan.

use leptos::prelude::*;

/// `trail` lists the pages above this one as (label, address); `current` names this page.
#[component]
pub fn Breadcrumbs(trail: Vec<(String, String)>, current: String) -> impl IntoView {
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <ol class="breadcrumbs__list">
                {trail
                    .into_iter()
                    .map(|(label, href)| {
                        view! {
                            <li class="breadcrumbs__item">
                                <a href=href class="breadcrumbs__link">{label}</a>
                            </li>
                        }
                    })
                    .collect_view()}
                <li class="breadcrumbs__item" aria-current="page">{current}</li>
            </ol>
        </nav>
    }
}
