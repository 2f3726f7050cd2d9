//! The problems found in an uploaded spreadsheet or workbook, as a table a person works
//! through: where each is (sheet, row, column) and what is wrong.

use crate::domain::returns::Problem;
use leptos::prelude::*;

#[component]
pub fn ProblemTable(problems: Vec<Problem>) -> impl IntoView {
    let by_sheet = problems.iter().any(|p| !p.sheet.is_empty());
    let caption = if by_sheet {
        "Problems found, by sheet and row"
    } else {
        "Problems found, by row"
    };
    view! {
        <div class="table-scroll" role="region" aria-labelledby="problems-caption" tabindex="0">
            <table class="table">
                <caption class="table__caption" id="problems-caption">{caption}</caption>
                <thead>
                    <tr>
                        {by_sheet.then(|| view! { <th scope="col">"Sheet"</th> })}
                        <th scope="col">"Row"</th>
                        <th scope="col">"Column"</th>
                        <th scope="col">"Problem"</th>
                    </tr>
                </thead>
                <tbody>
                    {problems.into_iter().map(|p| {
                        let whole = if p.sheet.is_empty() { "Whole file" } else { "Whole sheet" };
                        view! {
                            <tr>
                                {by_sheet.then(|| view! { <td>{p.sheet.clone()}</td> })}
                                <td>{if p.row == 0 { whole.to_string() } else { p.row.to_string() }}</td>
                                <td>{p.column}</td>
                                <td>{p.message}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The most problems an upload's outcome keeps and lists.
pub const PROBLEMS_SHOWN: usize = 1000;

/// "The file has 3 problems. Correct them and upload the whole file again." A list cut at
/// `PROBLEMS_SHOWN` says the file has at least that many.
pub fn problems_summary(count: usize, what: &str) -> String {
    if count >= PROBLEMS_SHOWN {
        return format!(
            "The {what} has at least {} problems (the first {} are listed). Correct them and upload the whole {what} again.",
            crate::domain::format::number(PROBLEMS_SHOWN as f64, 0),
            crate::domain::format::number(PROBLEMS_SHOWN as f64, 0),
        );
    }
    format!(
        "The {what} has {count} {}. Correct {} and upload the whole {what} again.",
        if count == 1 { "problem" } else { "problems" },
        if count == 1 { "it" } else { "them" }
    )
}
