//! Links to download a view's values as a spreadsheet.

use leptos::prelude::*;

/// "Download these values: CSV or XLSX", for the table at `path` (without its extension)
/// and `query` (with its leading "?", or empty).
#[component]
pub fn Downloads(
    path: String,
    #[prop(optional)] query: String,
    what: &'static str,
) -> impl IntoView {
    view! {
        <p class="body downloads">
            {format!("Download {what}: ")}
            <a class="link" href=format!("{path}.csv{query}") download>"CSV"</a>
            " or "
            <a class="link" href=format!("{path}.xlsx{query}") download>"XLSX"</a>
        </p>
    }
}
