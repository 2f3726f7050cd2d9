//! The page for addresses that lead nowhere.

use crate::components::error::ErrorPanel;
use crate::error::AppError;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    view! { <ErrorPanel error=AppError::not_found("That page") /> }
}
