//! `/audit`: Business Improvement checks that no audit record has been altered or deleted.

use crate::api::audit::{check_audit_trail, Sealing};
use crate::components::error::ErrorPanel;
use crate::domain::period::format_iso_date;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AuditPage() -> impl IntoView {
    let check = Resource::new(|| (), |_| check_audit_trail());
    view! {
        <Title text="Audit trail" />
        <h1 class="heading-xl">"Audit trail"</h1>
        <Suspense fallback=|| view! { <p class="body">"Checking the audit trail…"</p> }>
            {move || Suspend::new(async move {
                match check.await {
                    Ok(check) => {
                        let verdict = match &check.broken {
                            None => view! {
                                <div class="panel panel--confirmation">
                                    <h2 class="heading-m">"The audit trail verifies"</h2>
                                    <p class="body">{format!("All {} records are intact: none has been altered, deleted or moved.", check.records)}</p>
                                </div>
                            }
                            .into_any(),
                            Some(broken) => view! {
                                <div class="error-summary" role="alert">
                                    <h2 class="error-summary__title">"The audit trail does not verify"</h2>
                                    <p class="error-summary__body">{format!("The first broken record: {broken}.")}</p>
                                </div>
                            }
                            .into_any(),
                        };
                        let sealing = match check.sealing {
                            Sealing::Checked { key_id } => format!("Every record is sealed with the audit key {key_id}, kept outside the database, and every seal was checked: the trail cannot be rewritten without that key."),
                            Sealing::NotChecked { key_id } => format!("The trail is sealed with the audit key {key_id}, which this server was not given, so the seals were not checked."),
                            Sealing::Unsealed => "The trail is not sealed with an audit key: anyone who can write to the database could recompute it. The README says how to add a key.".to_string(),
                        };
                        view! {
                            {verdict}
                            <p class="body">{sealing}</p>
                            {check.latest.map(|latest| view! {
                                <p class="body">
                                    {format!("The newest record is number {}, made on {}. Its hash, which a printed report can quote to prove nothing before it changed, is:", latest.id, format_iso_date(&latest.recorded_at))}
                                </p>
                                <p class="body"><code class="hash">{latest.hash}</code></p>
                            })}
                            <p class="hint">"The same check runs from the command line: hexplan audit verify."</p>
                            <h2 class="heading-l">"Newest records"</h2>
                            <RecentRecords records=check.recent />
                        }
                        .into_any()
                    }
                    Err(AppError::NotSignedIn) => view! {
                        <p class="body">"Sign in as Business Improvement to check the audit trail. " <a class="link" href="/sign-in">"Sign in"</a></p>
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The newest records of every kind, people and roles included, newest first.
#[component]
fn RecentRecords(records: Vec<crate::api::audit::RecentRecord>) -> impl IntoView {
    view! {
        <div class="table-scroll" role="region" aria-labelledby="recent-caption" tabindex="0">
            <table class="table table--audit">
                <caption class="table__caption" id="recent-caption">
                    {format!("The {} newest records, newest first", records.len())}
                </caption>
                <thead>
                    <tr>
                        <th scope="col">"Record"</th>
                        <th scope="col">"Date"</th>
                        <th scope="col">"Change"</th>
                        <th scope="col">"What"</th>
                        <th scope="col">"By"</th>
                        <th scope="col">"Before"</th>
                        <th scope="col">"After"</th>
                        <th scope="col">"Reason"</th>
                    </tr>
                </thead>
                <tbody>
                    {records
                        .into_iter()
                        .map(|r| view! {
                            <tr>
                                <td>{r.id}</td>
                                <td>{format_iso_date(&r.recorded_at)}</td>
                                <td>{r.action}</td>
                                <td>{r.subject}</td>
                                <td>{r.by.unwrap_or_default()}</td>
                                <td>{r.value_before.unwrap_or_default()}</td>
                                <td>{r.value_after.unwrap_or_default()}</td>
                                <td>{r.reason}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
