//! The indicator lifecycle in the interface: `/indicators/{id}/manage` (confirm, refine, link
//! to outputs and risks, delete) and `/outputs/{id}/propose`. Shown only to those who may make
//! these changes; the server refuses everyone else anyway.

use crate::api::lifecycle::{
    get_indicator_management, get_proposal_form, ConfirmIndicator, DeleteIndicator,
    IndicatorManagement, LinkIndicator, ProposalForm, ProposeIndicator, RefineIndicator,
    SetDataOwner,
};
use crate::api::Choice;
use crate::components::breadcrumbs::Breadcrumbs;
use crate::components::form::{
    returned_error, ErrorSummary, Field, Input, PostForm, ReasonField, RemovableList,
};
use crate::domain::{IndicatorKind, Lifecycle, Polarity, Unit};
use crate::pages::indicator::{IndicatorHeading, Tab};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

#[component]
pub fn IndicatorManagePage() -> impl IntoView {
    let management = super::by_id("That indicator", get_indicator_management);
    super::loaded(management, "Loading…", |indicator| {
        view! { <Manage indicator /> }.into_any()
    })
}

fn options(choices: &[Choice]) -> Vec<(String, String)> {
    choices
        .iter()
        .map(|c| (c.id.to_string(), c.label.clone()))
        .collect()
}

/// A hidden field naming the indicator every form here changes.
fn indicator_field(id: i64) -> impl IntoView {
    view! { <input type="hidden" name="indicator_id" value=id /> }
}

/// What the indicator is linked to in a list on its Manage tab.
#[derive(Clone, Copy)]
enum Linking {
    Output,
    Risk,
}

impl Linking {
    /// The `to` field the link server function takes.
    fn to(self) -> &'static str {
        match self {
            Linking::Output => "output",
            Linking::Risk => "risk",
        }
    }

    /// The ids of the unlink and link forms.
    fn forms(self) -> (&'static str, &'static str) {
        match self {
            Linking::Output => ("unlink-output", "link-output"),
            Linking::Risk => ("unlink-risk", "link-risk"),
        }
    }
}

/// The outputs or risks an indicator is linked to, each with a form to unlink it, and a form
/// to link one more.
#[component]
fn Links(
    id: i64,
    linking: Linking,
    linked: Vec<Choice>,
    linkable: Vec<Choice>,
    empty: &'static str,
    /// The label of the list to pick from.
    pick: &'static str,
    button: &'static str,
) -> impl IntoView {
    let (unlink_form, link_form) = linking.forms();
    let to = linking.to();
    view! {
        <RemovableList
            items=options(&linked)
            empty
            action=LinkIndicator::PATH
            form=unlink_form
            hidden=vec![("indicator_id", id.to_string()), ("to", to.to_string()), ("linked", "false".to_string())]
            key="id"
            button="Unlink"
        />
        {(!linkable.is_empty()).then(|| view! {
            <PostForm form=link_form action=LinkIndicator::PATH error=None button>
                {indicator_field(id)}
                <input type="hidden" name="to" value=to />
                <input type="hidden" name="linked" value="true" />
                <Field form=link_form name="id" label=pick.to_string() input=Input::Select(options(&linkable)) error=None />
                <ReasonField form=link_form error=None />
            </PostForm>
        })}
    }
}

#[component]
fn Manage(indicator: IndicatorManagement) -> impl IntoView {
    let id = indicator.id;
    let deleted = indicator.lifecycle == Lifecycle::Deleted;
    view! {
        <Title text=format!("Manage – {} ({})", indicator.title, indicator.code) />
        <IndicatorHeading id code=indicator.code.clone() title=indicator.title.clone()
            lifecycle=indicator.lifecycle tab=Tab::Manage may_change=true />
        <p class="body">"Every change here is recorded in the indicator's history and the audit trail, with your name, the date and your reason."</p>
        <ErrorSummary error=returned_error(LinkIndicator::PATH) />
        {deleted.then(|| view! { <p class="inset">"This indicator has been deleted. It stays in history and in archived reports, and can no longer change."</p> })}
        {(!deleted).then(|| view! {
            {(indicator.lifecycle == Lifecycle::Proposed).then(|| {
                let error = returned_error(ConfirmIndicator::PATH);
                view! {
                    <h2 class="heading-l">"Confirm"</h2>
                    <p class="body">"This indicator is to be confirmed by leaders. Confirm it once they have agreed it; it then appears on the map."</p>
                    <PostForm form="confirm" action=ConfirmIndicator::PATH error=error.clone() button="Confirm the indicator">
                        {indicator_field(id)}
                        <ReasonField form="confirm" error />
                    </PostForm>
                }
            })}

            <h2 class="heading-l">"Refine the definition"</h2>
            {
                let error = returned_error(RefineIndicator::PATH);
                view! {
                    <PostForm form="refine" action=RefineIndicator::PATH error=error.clone() button="Save the refinement">
                        {indicator_field(id)}
                        <Field form="refine" name="title" label="Title".to_string()
                            input=Input::Text { value: indicator.title.clone(), max: 200 } error=error.clone() />
                        <Field form="refine" name="definition" label="Definition".to_string()
                            hint="What is counted, how, and from which source"
                            input=Input::Area { value: indicator.definition.clone(), max: 2000 } error=error.clone() />
                        <ReasonField form="refine" error />
                    </PostForm>
                }
            }

            <h2 class="heading-l">"Data owner"</h2>
            {
                let error = returned_error(SetDataOwner::PATH);
                let current = indicator.data_owners.iter().find(|p| Some(p.id) == indicator.data_owner);
                // The one chosen now comes first, so the form opens on it.
                let mut choices = options(&indicator.data_owners);
                if let Some(person) = current {
                    choices.retain(|(id, _)| *id != person.id.to_string());
                    choices.insert(0, (person.id.to_string(), person.label.clone()));
                }
                choices.insert(usize::from(current.is_some()), (String::new(), "No one".to_string()));
                view! {
                    <p class="body">{match current {
                        Some(person) => format!("{} returns its values each quarter.", person.label),
                        None => "No one returns its values yet. Choose its data owner from those who hold the role (give it on the People page).".to_string(),
                    }}</p>
                    <PostForm form="data-owner" action=SetDataOwner::PATH error=error.clone() button="Save the data owner">
                        {indicator_field(id)}
                        <Field form="data-owner" name="person_id" label="Data owner".to_string()
                            input=Input::Select(choices) error=error.clone() />
                        <ReasonField form="data-owner" error />
                    </PostForm>
                }
            }

            <h2 class="heading-l">"Outputs"</h2>
            {indicator.outputs.first().map(|home| view! {
                <p class="body">{format!("Home output: {}. It stays linked while the indicator exists.", home.label)}</p>
            })}
            <Links id linking=Linking::Output linked=indicator.outputs.get(1..).unwrap_or_default().to_vec()
                linkable=indicator.linkable_outputs.clone() empty="It is linked to no other output."
                pick="Link it to another output" button="Link to the output" />

            <h2 class="heading-l">"Strategic risks"</h2>
            <Links id linking=Linking::Risk linked=indicator.risks.clone()
                linkable=indicator.linkable_risks.clone() empty="It is linked to no strategic risk."
                pick="Record that it mitigates a risk" button="Link to the risk" />

            <h2 class="heading-l">"Delete"</h2>
            <p class="body">"A deleted indicator leaves the map and the tables. Its values, targets and history are kept, and archived reports still show it."</p>
            {
                let error = returned_error(DeleteIndicator::PATH);
                view! {
                    <PostForm form="delete" action=DeleteIndicator::PATH error=error.clone() button="Delete the indicator" warning=true>
                        {indicator_field(id)}
                        <ReasonField form="delete" error />
                    </PostForm>
                }
            }
        })}
    }
}

/// `/outputs/{id}/propose`: a new indicator for an output, to be confirmed by leaders.
#[component]
pub fn ProposePage() -> impl IntoView {
    let form = super::by_id("That output", get_proposal_form);
    super::loaded(form, "Loading…", |form| {
        view! { <Propose form /> }.into_any()
    })
}

#[component]
fn Propose(form: ProposalForm) -> impl IntoView {
    let error = returned_error(ProposeIndicator::PATH);
    let output_href = format!("/outputs/{}", form.output.id);
    let kinds = IndicatorKind::ALL
        .iter()
        .map(|k| (k.code().to_string(), format!("{} indicator", k.label())))
        .collect();
    let units = Unit::ALL
        .iter()
        .map(|u| (u.code().to_string(), u.label().to_string()))
        .collect();
    let polarities = Polarity::ALL
        .iter()
        .map(|p| (p.code().to_string(), p.label().to_string()))
        .collect();
    view! {
        <Title text="Propose an indicator" />
        <Breadcrumbs trail=vec![(crate::session::plan_identity().caption(), "/".to_string()), (form.output.label.clone(), output_href)]
            current="Propose an indicator".to_string() />
        <span class="caption-l">{form.theme.clone()}</span>
        <h1 class="heading-xl">"Propose an indicator"</h1>
        <p class="body">{format!(
            "The new indicator will be {} of output {}. It is shown as to be confirmed by leaders until someone confirms it on its Manage tab.",
            form.code, form.output.label
        )}</p>
        <PostForm form="propose" action=ProposeIndicator::PATH error=error.clone() button="Propose the indicator">
            <input type="hidden" name="output_id" value=form.output.id />
            <Field form="propose" name="title" label="Title".to_string()
                input=Input::Text { value: String::new(), max: 200 } error=error.clone() />
            <Field form="propose" name="definition" label="Definition".to_string()
                hint="What is counted, how, and from which source"
                input=Input::Area { value: String::new(), max: 2000 } error=error.clone() />
            <Field form="propose" name="kind" label="Kind".to_string()
                hint="Tracking indicators measure an outcome the councils do not fully control; influencing indicators measure what they deliver"
                input=Input::Select(kinds) error=error.clone() />
            <Field form="propose" name="unit" label="Unit".to_string() input=Input::Select(units) error=error.clone() />
            <Field form="propose" name="polarity" label="Which direction is better".to_string()
                input=Input::Select(polarities) error=error.clone() />
            <ReasonField form="propose" error />
        </PostForm>
    }
}
