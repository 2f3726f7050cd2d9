//! `/people` and `/people/{id}`: Business Improvement adds people and manages their roles and
//! portfolios. Every change is recorded in the audit trail.

use crate::api::people::{
    get_people, get_person, AddPerson, Person, PersonPage, SetPortfolio, SetRole,
};
use crate::components::breadcrumbs::Breadcrumbs;
use crate::components::form::{
    returned_error, ErrorSummary, Field, Input, PostForm, ReasonField, RemovableList,
};
use crate::domain::roles::Role;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

#[component]
pub fn PeoplePage() -> impl IntoView {
    let people = Resource::new(|| (), |_| get_people());
    view! {
        <Title text="People and roles" />
        {super::loaded(people, "Loading…", |people| view! { <People people /> }.into_any())}
    }
}

fn role_list(roles: &[Role]) -> String {
    if roles.is_empty() {
        "None".into()
    } else {
        roles
            .iter()
            .map(|r| r.label())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[component]
fn People(people: Vec<Person>) -> impl IntoView {
    let error = returned_error(AddPerson::PATH);
    view! {
        <h1 class="heading-xl">"People and roles"</h1>
        <p class="body">"Who can sign in to Hexplan, the roles they hold and the outputs in each Portfolio Holder's portfolio. Choose a name to change their roles or portfolio."</p>
        <div class="table-scroll" role="region" aria-labelledby="people-caption" tabindex="0">
            <table class="table">
                <caption class="table__caption" id="people-caption">{format!("{} people", people.len())}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Job title"</th>
                        <th scope="col">"Username"</th>
                        <th scope="col">"Roles"</th>
                        <th scope="col">"Portfolio"</th>
                    </tr>
                </thead>
                <tbody>
                    {people
                        .into_iter()
                        .map(|p| view! {
                            <tr>
                                <th scope="row"><a class="link" href=format!("/people/{}", p.id)>{p.name.clone()}</a></th>
                                <td>{p.job_title.clone()}</td>
                                <td>{p.username.clone().unwrap_or_else(|| "Cannot sign in".into())}</td>
                                <td>{role_list(&p.roles)}</td>
                                <td>{p.portfolio.iter().map(|o| o.output.label.clone()).collect::<Vec<_>>().join("; ")}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>

        <h2 class="heading-l">"Add a person"</h2>
        <p class="body">"They can sign in at once with the username and password you choose; give them their roles on their page next. Tell them the password in person or by phone, not by email."</p>
        <PostForm form="add-person" action=AddPerson::PATH error=error.clone() button="Add the person">
            <Field form="add-person" name="name" label="Full name".to_string()
                input=Input::Text { value: String::new(), max: 100 } error=error.clone() />
            <Field form="add-person" name="job_title" label="Job title".to_string()
                hint="For example Cabinet Member for Housing, or Performance Officer"
                input=Input::Text { value: String::new(), max: 100 } error=error.clone() />
            <Field form="add-person" name="email" label="Work email address".to_string() input=Input::Email error=error.clone() />
            <Field form="add-person" name="username" label="Username".to_string()
                hint="3 to 40 lower-case letters, digits, dots or hyphens, like jan.osborne"
                input=Input::Username error=error.clone() />
            <Field form="add-person" name="password" label="Password".to_string()
                hint=format!("At least {} characters", crate::domain::input::PASSWORD_MIN)
                input=Input::NewPassword error=error.clone() />
            <ReasonField form="add-person" error />
        </PostForm>
    }
}

#[component]
pub fn PersonPage() -> impl IntoView {
    let person = super::by_id("That person", get_person);
    super::loaded(person, "Loading…", |page| {
        view! { <Person page /> }.into_any()
    })
}

#[component]
fn Person(page: PersonPage) -> impl IntoView {
    let person = page.person;
    let id = person.id;
    let role_error = returned_error(SetRole::PATH);
    let portfolio_error = returned_error(SetPortfolio::PATH);
    let grantable: Vec<(String, String)> = Role::ALL
        .into_iter()
        .filter(|r| !person.roles.contains(r))
        .map(|r| (r.code().to_string(), r.label().to_string()))
        .collect();
    let holder = person.roles.contains(&Role::PortfolioHolder);
    view! {
        <Title text=person.name.clone() />
        <Breadcrumbs trail=vec![("People and roles".to_string(), "/people".to_string())] current=person.name.clone() />
        <h1 class="heading-xl">{person.name.clone()}</h1>
        <dl class="summary-list">
            <div class="summary-list__row"><dt class="summary-list__key">"Job title"</dt><dd class="summary-list__value">{person.job_title.clone()}</dd></div>
            <div class="summary-list__row"><dt class="summary-list__key">"Email"</dt><dd class="summary-list__value">{person.email.clone()}</dd></div>
            <div class="summary-list__row"><dt class="summary-list__key">"Username"</dt><dd class="summary-list__value">{person.username.clone().unwrap_or_else(|| "Cannot sign in".into())}</dd></div>
        </dl>

        <h2 class="heading-l">"Roles"</h2>
        <ErrorSummary error=role_error.clone() />
        <RemovableList
            items=person.roles.iter().map(|r| (r.code().to_string(), r.label().to_string())).collect()
            empty="No roles yet: they can sign in and read, like a Scrutiny member."
            form="revoke-role"
            action=SetRole::PATH
            hidden=vec![("person_id", id.to_string()), ("granted", "false".into())]
            key="role"
            button="Take away"
        />
        {(!grantable.is_empty()).then(|| view! {
            <PostForm form="grant-role" action=SetRole::PATH error=None button="Give the role">
                <input type="hidden" name="person_id" value=id />
                <input type="hidden" name="granted" value="true" />
                <Field form="grant-role" name="role" label="Give a role".to_string() input=Input::Select(grantable) error=None />
                <ReasonField form="grant-role" error=None />
            </PostForm>
        })}

        <h2 class="heading-l">"Portfolio"</h2>
        <ErrorSummary error=portfolio_error.clone() />
        <RemovableList
            items=person.portfolio.iter().map(|o| (o.output.id.to_string(), format!("{} ({})", o.output.label, o.portfolio))).collect()
            empty="No outputs in their portfolio."
            form="remove-output"
            action=SetPortfolio::PATH
            hidden=vec![("person_id", id.to_string()), ("held", "false".into()), ("portfolio", String::new())]
            key="output_id"
            button="Take out"
        />
        {if holder {
            let outputs = page.other_outputs.iter().map(|o| (o.id.to_string(), o.label.clone())).collect();
            let portfolio = person.portfolio.first().map(|o| o.portfolio.clone()).unwrap_or_default();
            view! {
                <PostForm form="add-output" action=SetPortfolio::PATH error=None button="Add to the portfolio">
                    <input type="hidden" name="person_id" value=id />
                    <input type="hidden" name="held" value="true" />
                    <Field form="add-output" name="output_id" label="Add an output to their portfolio".to_string()
                        hint="Several Portfolio Holders may share one output"
                        input=Input::Select(outputs) error=None />
                    <Field form="add-output" name="portfolio" label="Portfolio".to_string()
                        hint="The name of the Cabinet portfolio, for example Environment"
                        input=Input::Text { value: portfolio, max: 100 } error=None />
                    <ReasonField form="add-output" error=None />
                </PostForm>
            }
            .into_any()
        } else {
            view! { <p class="body">"Give them the Portfolio Holder role to add outputs to a portfolio."</p> }.into_any()
        }}
    }
}
