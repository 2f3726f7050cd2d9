//! `/reports`: the archive of published reports to Cabinet, each with its SHA-256 so a printed
//! copy can be checked; Business Improvement also sees drafts and creates new reports.

use crate::api::reports::{get_reports, CreateReport, ReportSummary, Reports};
use crate::components::form::{returned_error, Field, Input, PostForm};
use crate::domain::period::format_iso_date;
use crate::domain::roles::Action;
use crate::domain::Reporting;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

#[component]
pub fn ReportsPage() -> impl IntoView {
    let reports = Resource::new(|| (), |_| get_reports());
    view! {
        <Title text="Reports to Cabinet" />
        {super::loaded(reports, "Loading the archive…", |reports| view! { <Archive reports /> }.into_any())}
    }
}

#[component]
fn Archive(reports: Reports) -> impl IntoView {
    let error = returned_error(CreateReport::PATH);
    let writes = crate::session::current_user().is_some_and(|u| {
        u.may(Action::OverseeReporting) || u.has(crate::domain::roles::Role::AssistantDirector)
    });
    let calendar = crate::session::plan_identity().calendar;
    let cadence = match calendar.reporting {
        Reporting::HalfYearly => "Cabinet receives a performance report every half-year, after the second and fourth quarters, and may have a quarterly update in between.",
        Reporting::Quarterly => "Cabinet receives a performance report after every quarter.",
    };
    view! {
        <h1 class="heading-xl">"Reports to Cabinet"</h1>
        <p class="body">{cadence}" Each report here reads exactly as it was published, whatever has changed since, and forms part of the audit trail. To check a printed or downloaded copy, compare the SHA-256 printed on it with the one below; a downloaded copy can be checked with "<code>"sha256sum"</code>"."</p>
        {if reports.published.is_empty() {
            view! { <p class="body">"No report has been published yet."</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll" role="region" aria-labelledby="archive-caption" tabindex="0">
                    <table class="table">
                        <caption class="table__caption" id="archive-caption">"Published reports, newest first"</caption>
                        <thead><tr><th scope="col">"Report"</th><th scope="col">"Period"</th><th scope="col">"Published"</th><th scope="col">"SHA-256"</th></tr></thead>
                        <tbody>
                            {reports.published.into_iter().filter_map(|report| Some((report.id, report.period, report.published?))).map(|(id, period, published)| {
                                view! {
                                    <tr>
                                        <th scope="row"><a class="link" href=format!("/reports/{id}")>{period.title()}</a></th>
                                        <td>{period.dates(calendar)}</td>
                                        <td>{format!("{} by {}", format_iso_date(&published.at), published.by)}</td>
                                        <td><code class="hash">{published.sha256}</code></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        <h2 class="heading-l">"Quarterly updates"</h2>
        <p class="body">"Each quarter's update as the figures stand today, for members between reports (it changes as values are entered and corrected): "
            {reports.recent.iter().map(|q| view! {
                <a class="link" href=format!("/reports/quarter/{}", q.slug())>{q.to_string()}</a>" "
            }).collect_view()}
        </p>
        {writes.then(|| view! {
            <p class="body"><a class="link" href="/achievements">"Write the achievements and impacts of your outcomes"</a></p>
        })}
        {(!reports.choices.is_empty()).then(|| view! {
            <h2 class="heading-l">"Drafts"</h2>
            <Drafts drafts=reports.drafts />
            <h2 class="heading-l">"Create a report"</h2>
            <p class="body">"A new report starts as a draft that follows the data; check it, then publish it to freeze it in the archive."</p>
            <PostForm form="create-report" action=CreateReport::PATH error=error.clone() button="Create the draft">
                <Field form="create-report" name="period" label="What the report covers".to_string()
                    input=Input::Select(reports.choices) error />
            </PostForm>
        })}
    }
}

#[component]
fn Drafts(drafts: Vec<ReportSummary>) -> impl IntoView {
    if drafts.is_empty() {
        return view! { <p class="body">"No drafts."</p> }.into_any();
    }
    let calendar = crate::session::plan_identity().calendar;
    view! {
        <ul class="list">
            {drafts.into_iter().map(|d| view! {
                <li><a class="link" href=format!("/reports/{}", d.id)>{d.period.title()}</a>{format!(" ({}), draft", d.period.dates(calendar))}</li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}
