//! Status and trend shown with words and a shape, never by colour alone.

use crate::domain::trend::Trends;
use crate::domain::{Status, Trend};
use leptos::prelude::*;

/// A GOV.UK-style tag: colour, a shape and the words.
#[component]
pub fn StatusTag(status: Status) -> impl IntoView {
    view! {
        <strong class=format!("tag tag--{}", status.code())>
            <span class="tag__symbol" aria-hidden="true">{status.symbol()}</span>
            {status.label()}
        </strong>
    }
}

/// "↓ Improving": the arrow the value's direction, the word the news (a falling value is
/// good news when lower is better); screen readers hear "Improving (the value fell)".
#[component]
pub fn TrendText(trend: Option<Trend>) -> impl IntoView {
    match trend {
        Some(trend) => view! {
            <span class=format!("trend trend--{}", trend.code())>
                <span aria-hidden="true">{trend.arrow()} " "</span>
                {trend.label()}
                <span class="visually-hidden">{format!(" (the value {})", trend.movement())}</span>
            </span>
        }
        .into_any(),
        None => view! { <span class="trend">"No earlier value"</span> }.into_any(),
    }
}

/// Both trends, labelled.
#[component]
pub fn TrendPair(trends: Trends) -> impl IntoView {
    view! {
        <span class="trend-pair">
            <span class="visually-hidden">"Against the previous quarter: "</span>
            <TrendText trend=trends.against_previous />
        </span>
    }
}
