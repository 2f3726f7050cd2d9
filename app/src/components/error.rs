//! What a page shows when its data cannot be had.

use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(error.status());
    }
    let (title, advice) = match &error {
        AppError::NotFound(_) => ("Page not found", "If you typed the web address, check it is correct. If you pasted it, check you copied the whole address."),
        AppError::Forbidden => ("Forbidden", "This page is for people with another role. Sign in as someone who holds it, or ask Business Improvement."),
        _ => ("Sorry, there is a problem with the service", "Try again later."),
    };
    view! {
        <Title text=title />
        <h1 class="heading-l">{title}</h1>
        <p class="body">{error.to_string()}</p>
        <p class="body">{advice}</p>
        <p class="body">
            <a href="/" class="link">"Go to the map"</a>
        </p>
    }
}

/// A page's content, or the error panel when its data could not be had.
pub fn or_error<T>(result: Result<T, AppError>, content: impl FnOnce(T) -> AnyView) -> AnyView {
    match result {
        Ok(value) => content(value),
        Err(error) => view! { <ErrorPanel error /> }.into_any(),
    }
}
