//! `/plan`: Business Improvement sets up and shapes the plan: its title and header, its
//! partner councils, and its themes, outcomes and outputs; `/plan/layout`: the map's layout.
//! Plain forms, so every change works without JavaScript; each is recorded in the audit
//! trail with its reason.

use crate::api::plan::{
    get_plan_shape, AddCouncil, AddOutcome, AddOutput, AddTheme, ChangeCouncil, ImportLayout,
    MovePart, PlaceOutput, PlanShape, RenamePart, RetirePart, SetPlanDetails,
};
use crate::components::form::{returned_error, Field, Input, PostForm, ReasonField};
use crate::domain::period::MONTHS;
use crate::domain::plan::{NAME_MAX, SHORT_MAX, TITLE_MAX};
use crate::domain::Reporting;
use crate::model::map::ThemeOnMap;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

#[component]
pub fn PlanPage() -> impl IntoView {
    let shape = Resource::new(|| (), |_| get_plan_shape());
    view! {
        <Title text="The plan" />
        {super::loaded(shape, "Loading…", |shape| view! { <Shape shape /> }.into_any())}
    }
}

/// The whole plan in one workbook: downloaded at any time, uploaded to set up an empty plan.
#[component]
fn Workbook(empty: bool) -> impl IntoView {
    view! {
        <h2 class="heading-l" id="workbook">"The whole plan in one workbook"</h2>
        <p class="body">
            "One XLSX workbook holds the plan: its councils, people and roles (never passwords), themes, outcomes, outputs and their cells on the map, portfolios, risks, indicators and their links, targets, values with commentary, achievements, return periods and the history of indicator changes. "
            <a class="link" href="/plan/workbook.xlsx" download>"Download the plan (XLSX)"</a>
        </p>
        {empty.then(|| view! {
            <h3 class="heading-m">"Set the plan up from a workbook"</h3>
            <p class="body">"Moving from spreadsheets or another system? Fill in a workbook with the same sheets (download this empty plan's to start from) and upload it to set up the whole plan in one step, history included. The whole workbook is checked first: if anything is wrong, nothing is written and every problem is listed by sheet, row and column."</p>
            <form method="post" action="/plan/import" enctype="multipart/form-data" class="form" id="plan-import-form" data-progress="plan-import-progress">
                <div class="form-group">
                    <label class="label" for="plan-import-file">"Plan workbook (XLSX, at most 10 MB)"</label>
                    <input class="file-upload" type="file" id="plan-import-file" name="file" accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required />
                </div>
                <p class="body" id="plan-import-progress" role="status" aria-live="polite"></p>
                <button type="submit" class="button">"Upload and check"</button>
            </form>
            <script src="/import-progress.js" defer></script>
        })}
    }
}

/// `/plan/imports/{id}`: what became of a workbook uploaded to set up the plan.
#[component]
pub fn PlanImportPage() -> impl IntoView {
    let outcome = super::by_id("That upload", crate::api::plan::get_plan_import);
    view! {
        <Title text="Plan workbook upload" />
        {super::loaded(outcome, "Loading…", |outcome| view! { <PlanImportView outcome /> }.into_any())}
    }
}

#[component]
fn PlanImportView(outcome: crate::model::plan::PlanImport) -> impl IntoView {
    use crate::components::problems::{problems_summary, ProblemTable};
    let crate::model::plan::PlanImport {
        file_name,
        imported_at,
        written,
        problems,
        ..
    } = outcome;
    view! {
        <span class="caption">{format!("Uploaded {}", crate::domain::period::format_iso_date(&imported_at))}</span>
        <h1 class="heading-xl">{format!("Upload of {file_name}")}</h1>
        {match written {
            Some(written) => view! {
                <div class="panel panel--confirmation" role="status">
                    <h2 class="heading-m">"The plan is set up"</h2>
                    <p class="body">{format!("Written from the workbook: {written}.")}</p>
                </div>
                <h2 class="heading-m">"What to do next"</h2>
                <ul class="list list--bullet">
                    <li><a class="link" href="/">"See the map"</a>" and check the plan reads as it should."</li>
                    <li>
                        "The people the workbook listed have their roles and portfolios but cannot sign in yet: add each who needs to on the "
                        <a class="link" href="/people">"People"</a>
                        " page with the same email address, and the username and password you give become theirs."
                    </li>
                    <li>"Published reports stay in the archive of the system they came from; the change summary counts from the first report published here."</li>
                </ul>
            }.into_any(),
            None => view! {
                <div class="error-summary" role="alert" tabindex="-1">
                    <h2 class="error-summary__title">"Nothing was written"</h2>
                    <p class="error-summary__body">{problems_summary(problems.len(), "workbook")}</p>
                </div>
                <ProblemTable problems />
            }.into_any(),
        }}
        <p class="body"><a class="link" href="/plan">"Back to the plan"</a></p>
    }
}

/// Every theme, outcome and output as (value, label) choices: "theme-1", "Theme: Housing".
fn parts(themes: &[ThemeOnMap], outputs_too: bool) -> Vec<(String, String)> {
    let mut parts = Vec::new();
    for theme in themes {
        parts.push((
            format!("theme-{}", theme.id),
            format!("Theme: {}", theme.title),
        ));
        for outcome in &theme.outcomes {
            parts.push((
                format!("outcome-{}", outcome.id),
                format!("Outcome: {}", outcome.title),
            ));
            if outputs_too {
                for output in &outcome.outputs {
                    parts.push((
                        format!("output-{}", output.id),
                        format!("Output: {} {}", output.code, output.title),
                    ));
                }
            }
        }
    }
    parts
}

#[component]
fn Shape(shape: PlanShape) -> impl IntoView {
    let unfinished = shape.unfinished;
    let identity = shape.identity.clone();
    let calendar = identity.calendar;
    // A year may start in any month but January (whose year has no "2017/18" to name it).
    let months: Vec<(String, String)> = (2..=12)
        .map(|month: usize| (month.to_string(), MONTHS[month - 1].to_string()))
        .collect();
    let reporting: Vec<(String, String)> = Reporting::ALL
        .into_iter()
        .map(|r| (r.code().to_string(), r.label().to_string()))
        .collect();
    let themes = shape.map.themes.clone();
    let councils = identity.councils.partners().to_vec();
    let council_choices: Vec<(String, String)> = councils
        .iter()
        .map(|c| (c.id.to_string(), c.name.clone()))
        .collect();
    let theme_choices: Vec<(String, String)> = themes
        .iter()
        .map(|t| (t.id.to_string(), t.title.clone()))
        .collect();
    let outcome_choices: Vec<(String, String)> = themes
        .iter()
        .flat_map(|t| {
            t.outcomes
                .iter()
                .map(move |o| (o.id.to_string(), format!("{} – {}", t.title, o.title)))
        })
        .collect();
    let director_choices: Vec<(String, String)> =
        std::iter::once((String::new(), "None yet".to_string()))
            .chain(
                shape
                    .directors
                    .iter()
                    .map(|d| (d.id.to_string(), d.label.clone())),
            )
            .collect();
    let (every_part, lists) = (parts(&themes, true), parts(&themes, false));
    let (any_part, retirable) = (!every_part.is_empty(), every_part.clone());
    let error = |path: &str| returned_error(path);
    let details_error = error(SetPlanDetails::PATH);
    let add_council_error = error(AddCouncil::PATH);
    let change_council_error = error(ChangeCouncil::PATH);
    let theme_error = error(AddTheme::PATH);
    let outcome_error = error(AddOutcome::PATH);
    let output_error = error(AddOutput::PATH);
    let rename_error = error(RenamePart::PATH);
    let move_error = error(MovePart::PATH);
    let retire_error = error(RetirePart::PATH);
    view! {
        <h1 class="heading-xl">"The plan"</h1>
        {unfinished.then(|| view! {
            <div class="inset">
                <p class="body">"Set up the plan in four steps, each saved as you go:"</p>
                <ol class="list list--number">
                    <li>"give it a title (and, if you like, the header every page shows);"</li>
                    <li>"add its partner council, or councils if it is a partnership;"</li>
                    <li>"add its themes, their outcomes, and each outcome's outputs: every output is a hexagon on the map, placed beside its outcome's others;"</li>
                    <li>
                        "add people and give Portfolio Holders their outputs on the "
                        <a class="link" href="/people">"People"</a>
                        " page."
                    </li>
                </ol>
            </div>
        })}

        <Workbook empty=shape.empty />

        <h2 class="heading-l" id="details">"Title, header and year"</h2>
        <PostForm form="plan-details" action=SetPlanDetails::PATH error=details_error.clone() button="Save the plan's details">
            <Field form="plan-details" name="title" label="The plan's title".to_string()
                hint="For example Joint Strategic Plan 2016–20"
                input=Input::Text { value: identity.title.clone(), max: TITLE_MAX } error=details_error.clone() />
            <Field form="plan-details" name="header" label="Header (optional)".to_string()
                hint="Shown beside Hexplan at the top of every page; left empty, the councils' names"
                input=Input::Optional { value: identity.header.clone(), max: NAME_MAX } error=details_error.clone() />
            <Field form="plan-details" name="year_starts" label="The financial year starts in".to_string()
                hint="Sets the days of every quarter: from April, Q1 is April to June. It cannot change once quarters have values."
                input=Input::Choose { options: months, chosen: calendar.first_month().to_string() } error=details_error.clone() />
            <Field form="plan-details" name="reporting" label="Reports to Cabinet".to_string()
                hint="The quarters after which Cabinet receives a report; the Reports page offers the one due."
                input=Input::Choose { options: reporting, chosen: calendar.reporting.code().to_string() } error=details_error.clone() />
            <ReasonField form="plan-details" error=details_error />
        </PostForm>

        <h2 class="heading-l" id="councils">"Partner councils"</h2>
        {if councils.is_empty() {
            view! { <p class="body">"No council yet. A plan of one council shows no council filter; a partnership's shows each council and their joint services."</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll" role="region" aria-labelledby="councils-caption" tabindex="0">
                    <table class="table">
                        <caption class="table__caption" id="councils-caption">{format!("{} partner councils", councils.len())}</caption>
                        <thead><tr><th scope="col">"Name"</th><th scope="col">"Short name"</th><th scope="col">"ONS code"</th></tr></thead>
                        <tbody>
                            {councils.iter().map(|c| view! {
                                <tr>
                                    <th scope="row">{c.name.clone()}</th>
                                    <td>{c.short_name.clone()}</td>
                                    <td>{c.ons_code.clone().unwrap_or_else(|| "–".into())}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        <h3 class="heading-m">"Add a council"</h3>
        <PostForm form="add-council" action=AddCouncil::PATH error=add_council_error.clone() button="Add the council">
            <CouncilFields form="add-council" error=add_council_error.clone() />
            <ReasonField form="add-council" error=add_council_error />
        </PostForm>
        {(!council_choices.is_empty()).then(|| view! {
            <h3 class="heading-m">"Rename a council"</h3>
            <PostForm form="change-council" action=ChangeCouncil::PATH error=change_council_error.clone() button="Save the council">
                <Field form="change-council" name="id" label="Council".to_string() input=Input::Select(council_choices) error=change_council_error.clone() />
                <CouncilFields form="change-council" error=change_council_error.clone() />
                <ReasonField form="change-council" error=change_council_error />
            </PostForm>
        })}

        <h2 class="heading-l" id="framework">"Themes, outcomes and outputs"</h2>
        <p class="body">
            "Each output is a hexagon on the map, placed beside its outcome's others. "
            <a class="link" href="/plan/layout">"Move hexagons or lay out the whole map"</a>
        </p>
        <Framework themes />

        <h3 class="heading-m">"Add a theme"</h3>
        <PostForm form="add-theme" action=AddTheme::PATH error=theme_error.clone() button="Add the theme">
            <Field form="add-theme" name="title" label="Title".to_string() input=Input::Text { value: String::new(), max: TITLE_MAX } error=theme_error.clone() />
            <Field form="add-theme" name="scope_note" label="Scope note (optional)".to_string()
                hint="For example: housing related indicators only"
                input=Input::Optional { value: String::new(), max: TITLE_MAX } error=theme_error.clone() />
            <Field form="add-theme" name="director" label="Assistant Director".to_string()
                hint="They write its achievements and change its indicators; give someone the role on the People page first"
                input=Input::Select(director_choices) error=theme_error.clone() />
            <ReasonField form="add-theme" error=theme_error />
        </PostForm>
        {(!theme_choices.is_empty()).then(|| view! {
            <h3 class="heading-m">"Add an outcome"</h3>
            <PostForm form="add-outcome" action=AddOutcome::PATH error=outcome_error.clone() button="Add the outcome">
                <Field form="add-outcome" name="theme" label="Theme".to_string() input=Input::Select(theme_choices) error=outcome_error.clone() />
                <Field form="add-outcome" name="title" label="Title".to_string() input=Input::Text { value: String::new(), max: TITLE_MAX } error=outcome_error.clone() />
                <ReasonField form="add-outcome" error=outcome_error />
            </PostForm>
        })}
        {(!outcome_choices.is_empty()).then(|| view! {
            <h3 class="heading-m">"Add an output"</h3>
            <PostForm form="add-output" action=AddOutput::PATH error=output_error.clone() button="Add the output">
                <Field form="add-output" name="outcome" label="Outcome".to_string() input=Input::Select(outcome_choices) error=output_error.clone() />
                <Field form="add-output" name="code" label="Code".to_string() hint="Up to 10 letters or digits, like H3"
                    input=Input::Text { value: String::new(), max: 10 } error=output_error.clone() />
                <Field form="add-output" name="title" label="Title".to_string() input=Input::Text { value: String::new(), max: TITLE_MAX } error=output_error.clone() />
                <Field form="add-output" name="short_title" label="Short title".to_string()
                    hint=format!("What its hexagon shows, in {SHORT_MAX} characters or fewer")
                    input=Input::Text { value: String::new(), max: SHORT_MAX } error=output_error.clone() />
                <ReasonField form="add-output" error=output_error />
            </PostForm>
        })}
        {any_part.then(|| view! {
            <h3 class="heading-m">"Rename"</h3>
            <PostForm form="rename-part" action=RenamePart::PATH error=rename_error.clone() button="Rename">
                <Field form="rename-part" name="part" label="Theme, outcome or output".to_string() input=Input::Select(every_part) error=rename_error.clone() />
                <Field form="rename-part" name="title" label="New title".to_string() input=Input::Text { value: String::new(), max: TITLE_MAX } error=rename_error.clone() />
                <ReasonField form="rename-part" error=rename_error />
            </PostForm>
            <h3 class="heading-m">"Re-order"</h3>
            <PostForm form="move-part" action=MovePart::PATH error=move_error.clone() button="Move">
                <Field form="move-part" name="part" label="Theme or outcome".to_string() input=Input::Select(lists) error=move_error.clone() />
                <Field form="move-part" name="direction" label="Direction".to_string()
                    input=Input::Select(vec![("up".into(), "Up one place".into()), ("down".into(), "Down one place".into())]) error=move_error.clone() />
                <ReasonField form="move-part" error=move_error />
            </PostForm>
            <h3 class="heading-m">"Retire"</h3>
            <p class="body">"A retired theme, outcome or output leaves the map and the reports; its history stays. Something that still holds outcomes, outputs or indicators cannot be retired until they move."</p>
            <PostForm form="retire-part" action=RetirePart::PATH error=retire_error.clone() button="Retire" warning=true>
                <Field form="retire-part" name="part" label="Theme, outcome or output".to_string() input=Input::Select(retirable) error=retire_error.clone() />
                <ReasonField form="retire-part" error=retire_error />
            </PostForm>
        })}
    }
}

/// A council's name, short name and ONS code.
#[component]
fn CouncilFields(form: &'static str, error: Option<crate::error::AppError>) -> impl IntoView {
    view! {
        <Field form name="name" label="Name".to_string() hint="In full, like Harbourside Borough Council"
            input=Input::Text { value: String::new(), max: NAME_MAX } error=error.clone() />
        <Field form name="short_name" label="Short name".to_string() hint="As tables and charts show it, like Harbourside"
            input=Input::Text { value: String::new(), max: SHORT_MAX } error=error.clone() />
        <Field form name="ons_code" label="ONS area code (optional)".to_string() hint="A letter and eight digits, like E07000200"
            input=Input::Optional { value: String::new(), max: 9 } error />
    }
}

/// The plan's themes, outcomes and outputs as a nested list, each output with its cell.
#[component]
fn Framework(themes: Vec<ThemeOnMap>) -> impl IntoView {
    if themes.is_empty() {
        return view! { <p class="body">"No theme yet."</p> }.into_any();
    }
    view! {
        <ol class="plan-tree">
            {themes.into_iter().map(|theme| view! {
                <li class="plan-tree__theme">
                    <span class="heading-s">{theme.title.clone()}</span>
                    {theme.scope_note.clone().map(|note| view! { <span class="hint">{format!(" ({note})")}</span> })}
                    {if theme.outcomes.is_empty() {
                        view! { <p class="hint">"No outcome yet."</p> }.into_any()
                    } else {
                        view! {
                            <ol class="plan-tree__outcomes">
                                {theme.outcomes.into_iter().map(|outcome| view! {
                                    <li>
                                        {outcome.title.clone()}
                                        <ul class="plan-tree__outputs">
                                            {outcome.outputs.into_iter().map(|output| view! {
                                                <li>
                                                    <a class="link" href=format!("/outputs/{}", output.id)>{format!("{} {}", output.code, output.title)}</a>
                                                    <span class="hint">{format!(" – hexagon “{}”, {} indicators", output.short_title, output.counts.total())}</span>
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    </li>
                                }).collect_view()}
                            </ol>
                        }.into_any()
                    }}
                </li>
            }).collect_view()}
        </ol>
    }
    .into_any()
}

/// `/plan/layout`: the map's layout. Business Improvement moves a hexagon to a free cell, or
/// lays the whole map out from a HexJSON file (checked whole first), and downloads it.
#[component]
pub fn LayoutPage() -> impl IntoView {
    let shape = Resource::new(|| (), |_| get_plan_shape());
    view! {
        <Title text="The map's layout" />
        {super::loaded(shape, "Loading…", |shape| view! { <Layout shape /> }.into_any())}
    }
}

#[component]
fn Layout(shape: PlanShape) -> impl IntoView {
    let place_error = returned_error(PlaceOutput::PATH);
    let import_error = returned_error(ImportLayout::PATH);
    let outputs: Vec<(String, String, i32, i32)> = shape
        .map
        .outputs()
        .map(|(_, o)| {
            (
                o.id.to_string(),
                format!("{} {}", o.code, o.title),
                o.position.q,
                o.position.r,
            )
        })
        .collect();
    let choices: Vec<(String, String)> = outputs
        .iter()
        .map(|(id, name, q, r)| (id.clone(), format!("{name} (column {q}, row {r})")))
        .collect();
    let hexagons: Vec<crate::model::plan::LayoutHex> = shape
        .map
        .outputs()
        .map(|(_, o)| crate::model::plan::LayoutHex {
            id: o.id,
            code: o.code.clone(),
            title: o.title.clone(),
            short_title: o.short_title.clone(),
            position: o.position,
        })
        .collect();
    view! {
        <crate::components::breadcrumbs::Breadcrumbs trail=vec![("The plan".to_string(), "/plan".to_string())] current="The map's layout".to_string() />
        <h1 class="heading-xl">"The map's layout"</h1>
        <p class="body">
            "Each output is a hexagon in a column and a row (odd rows sit half a hexagon to the right). A new output takes a free cell beside its outcome's others; move one here, or lay out the whole map from a HexJSON file. "
            <a class="link" href="/api/map.hexjson" download="jsp-map.hexjson">"Download the layout (HexJSON)"</a>
        </p>
        {if outputs.is_empty() {
            view! { <p class="inset">"The plan has no outputs yet: add them on "<a class="link" href="/plan#framework">"the plan's page"</a>"."</p> }.into_any()
        } else {
            view! {
                <h2 class="heading-l">"Move hexagons on the map"</h2>
                <crate::islands::layout_editor::LayoutEditor hexagons />
                <h2 class="heading-l">"Move a hexagon by column and row"</h2>
                <PostForm form="place-output" action=PlaceOutput::PATH error=place_error.clone() button="Move the hexagon">
                    <Field form="place-output" name="output" label="Output".to_string() input=Input::Select(choices) error=place_error.clone() />
                    <Field form="place-output" name="column" label="Column".to_string() hint="A whole number; columns run left to right"
                        input=Input::Text { value: String::new(), max: 4 } error=place_error.clone() />
                    <Field form="place-output" name="row" label="Row".to_string() hint="A whole number; rows run top to bottom"
                        input=Input::Text { value: String::new(), max: 4 } error=place_error.clone() />
                    <ReasonField form="place-output" error=place_error />
                </PostForm>
            }.into_any()
        }}
        <h2 class="heading-l">"Lay out the map from a HexJSON file"</h2>
        <p class="body">"Choose a HexJSON file, or paste its text, such as the layout downloaded above after editing it in a hex map tool. It must place every output once, by its code, and no two on one cell; every problem is listed and nothing changes until all is right."</p>
        <div class="form-group" id="layout-file-group" hidden>
            <label class="label" for="layout-file">"HexJSON file"</label>
            <p class="hint" id="layout-file-hint">"Its text is put in the box below, to check before you send it."</p>
            <input class="file-upload" type="file" id="layout-file" accept=".hexjson,.json,application/json" aria-describedby="layout-file-hint" />
        </div>
        <script src="/layout-file.js" defer></script>
        <PostForm form="import-layout" action=ImportLayout::PATH error=import_error.clone() button="Lay out the map">
            <Field form="import-layout" name="layout" label="HexJSON layout".to_string()
                input=Input::Area { value: String::new(), max: 200_000 } error=import_error.clone() />
            <ReasonField form="import-layout" error=import_error />
        </PostForm>
    }
}
