//! A Portfolio Holder's home: their portfolio above the map, each item a link to act on.

use crate::api::portfolio::{Attention, Portfolio, Unset};
use crate::components::status::StatusTag;
use crate::domain::{format, FinancialYear};
use leptos::prelude::*;

#[component]
pub fn PortfolioPanel(portfolio: Portfolio) -> impl IntoView {
    let Portfolio {
        quarter,
        outputs,
        attention,
        coming_year,
        unset,
        proposals,
    } = portfolio;
    let slug = quarter.slug();
    let coming = FinancialYear(coming_year);
    let count = |n: usize| format!(" ({n})");
    view! {
        <section class="panel panel--portfolio" aria-labelledby="portfolio-heading">
            <h2 class="heading-m" id="portfolio-heading">{format!("Your portfolio, {quarter}")}</h2>
            <h3 class="heading-s">"Off or near target"{count(attention.len())}</h3>
            {if attention.is_empty() {
                view! { <p class="body">{format!("Every value in {quarter} is on target or has no status yet.")}</p> }.into_any()
            } else {
                short_list(attention.into_iter().map(|a| view! { <AttentionLine a slug=slug.clone() /> }.into_any()).collect())
            }}
            <h3 class="heading-s">{format!("Targets to set for {coming}")}{count(unset.len())}</h3>
            {if unset.is_empty() {
                view! { <p class="body">{format!("Every target for {coming} is set.")}</p> }.into_any()
            } else {
                short_list(unset.into_iter().map(|u| view! { <UnsetLine u year=coming_year /> }.into_any()).collect())
            }}
            <h3 class="heading-s">"Proposals waiting for leaders"{count(proposals.len())}</h3>
            {if proposals.is_empty() {
                view! { <p class="body">"No new indicator is waiting to be confirmed."</p> }.into_any()
            } else {
                short_list(proposals.into_iter().map(|p| view! {
                    <li><a class="link" href=format!("/indicators/{}/manage", p.id)>{p.label}</a></li>
                }.into_any()).collect())
            }}
            <h3 class="heading-s">"Your outputs"</h3>
            <ul class="list portfolio__list">
                {outputs.into_iter().map(|o| view! {
                    <li><a class="link" href=format!("/outputs/{}?period={slug}", o.id)>{o.label}</a></li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// How many items of a list show at first; the rest wait behind "Show the other N", so the map
/// stays near the top of the page.
const SHOWN: usize = 5;

fn short_list(mut items: Vec<AnyView>) -> AnyView {
    let rest = items.split_off(items.len().min(SHOWN));
    view! {
        <ul class="list portfolio__list">{items}</ul>
        {(!rest.is_empty()).then(|| view! {
            <details class="details">
                <summary class="details__summary">{format!("Show the other {}", rest.len())}</summary>
                <ul class="list portfolio__list">{rest}</ul>
            </details>
        })}
    }
    .into_any()
}

/// "WE02 Missed bin collections, South Downs: 75 against a target of 50 · ✕ Off target"
#[component]
fn AttentionLine(a: Attention, slug: String) -> impl IntoView {
    view! {
        <li>
            <a class="link" href=format!("/indicators/{}?period={slug}", a.indicator.id)>{a.indicator.label}</a>
            {format!(
                ", {}: {} against a target of {} ",
                a.council,
                format::maybe_value(a.value, a.unit),
                format::maybe_value(a.target, a.unit)
            )}
            <StatusTag status=a.status />
        </li>
    }
}

/// "WE01 Residual household waste: set it for North Vale · South Downs"
#[component]
fn UnsetLine(u: Unset, year: i32) -> impl IntoView {
    let id = u.indicator.id;
    view! {
        <li>
            {u.indicator.label}": set it for "
            {u.councils.into_iter().enumerate().map(|(n, council)| view! {
                {(n > 0).then_some(" · ")}
                <a class="link" href=format!("/indicators/{id}/target?council={}&year={year}", council.code())>{council.name().to_string()}</a>
            }).collect_view()}
        </li>
    }
}
