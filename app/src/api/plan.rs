//! Shaping the plan: its details, councils, themes, outcomes and outputs, by Business
//! Improvement. Each server function reads what was typed into a typed change; the store
//! checks the permission and records the change with its reason.

#[cfg(feature = "ssr")]
use crate::domain::input::Reason;
#[cfg(feature = "ssr")]
use crate::domain::plan::{CouncilDetails, Direction, NewOutput, NewTheme, Part, PlanDetails};
use crate::error::AppError;
pub use crate::model::plan::*;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "plan-shape")]
pub async fn get_plan_shape() -> Result<PlanShape, AppError> {
    let user = crate::session::signed_in()?;
    crate::store::shaping::page(&super::database()?, &user).await
}

/// What became of a workbook uploaded to set up the plan.
#[server(prefix = "/api", endpoint = "plan-import")]
pub async fn get_plan_import(id: i64) -> Result<crate::model::plan::PlanImport, AppError> {
    let user = crate::session::signed_in()?;
    crate::store::workbook::import_outcome(&super::database()?, &user, id).await
}

#[server(prefix = "/api", endpoint = "set-plan-details")]
pub async fn set_plan_details(
    title: String,
    #[server(default)] header: String,
    year_starts: String,
    reporting: String,
    reason: String,
) -> Result<(), AppError> {
    let user = crate::session::signed_in()?;
    let details = PlanDetails::read(&title, &header, &year_starts, &reporting)?;
    let reason = Reason::read(&reason)?;
    crate::store::shaping::set_details(&super::database()?, &user, &details, &reason).await
}

#[server(prefix = "/api", endpoint = "add-council")]
pub async fn add_council(
    name: String,
    short_name: String,
    #[server(default)] ons_code: String,
    reason: String,
) -> Result<(), AppError> {
    let user = crate::session::signed_in()?;
    let council = CouncilDetails::read(&name, &short_name, &ons_code)?;
    let reason = Reason::read(&reason)?;
    crate::store::shaping::add_council(&super::database()?, &user, &council, &reason).await
}

#[server(prefix = "/api", endpoint = "change-council")]
pub async fn change_council(
    id: i64,
    name: String,
    short_name: String,
    #[server(default)] ons_code: String,
    reason: String,
) -> Result<(), AppError> {
    let user = crate::session::signed_in()?;
    let council = CouncilDetails::read(&name, &short_name, &ons_code)?;
    let reason = Reason::read(&reason)?;
    crate::store::shaping::change_council(&super::database()?, &user, id, &council, &reason).await
}

#[server(prefix = "/api", endpoint = "add-theme")]
pub async fn add_theme(
    title: String,
    #[server(default)] scope_note: String,
    #[server(default)] director: String,
    reason: String,
) -> Result<(), AppError> {
    let user = crate::session::signed_in()?;
    let theme = NewTheme::read(&title, &scope_note)?;
    let director = match director.trim() {
        "" => None,
        id => Some(id.parse::<i64>().map_err(|_| {
            AppError::invalid("director", "Choose an Assistant Director from the list")
        })?),
    };
    let reason = Reason::read(&reason)?;
    crate::store::shaping::add_theme(&super::database()?, &user, &theme, director, &reason).await
}

#[server(prefix = "/api", endpoint = "add-outcome")]
pub async fn add_outcome(theme: i64, title: String, reason: String) -> Result<(), AppError> {
    let user = crate::session::signed_in()?;
    let title = crate::domain::plan::title(&title)?;
    let reason = Reason::read(&reason)?;
    crate::store::shaping::add_outcome(&super::database()?, &user, theme, &title, &reason).await
}

#[server(prefix = "/api", endpoint = "add-output")]
pub async fn add_output(
    outcome: i64,
    code: String,
    title: String,
    short_title: String,
    reason: String,
) -> Result<(), AppError> {
    let user = crate::session::signed_in()?;
    let output = NewOutput::read(&code, &title, &short_title)?;
    let reason = Reason::read(&reason)?;
    crate::store::shaping::add_output(&super::database()?, &user, outcome, &output, &reason)
        .await
        .map(|_| ())
}

#[server(prefix = "/api", endpoint = "rename-part")]
pub async fn rename_part(part: String, title: String, reason: String) -> Result<(), AppError> {
    let user = crate::session::signed_in()?;
    let part = Part::read(&part)?;
    let title = crate::domain::plan::title(&title)?;
    let reason = Reason::read(&reason)?;
    crate::store::shaping::rename(&super::database()?, &user, part, &title, &reason).await
}

#[server(prefix = "/api", endpoint = "move-part")]
pub async fn move_part(part: String, direction: String, reason: String) -> Result<(), AppError> {
    let user = crate::session::signed_in()?;
    let part = Part::read(&part)?;
    let direction = Direction::read(&direction)?;
    let reason = Reason::read(&reason)?;
    crate::store::shaping::reorder(&super::database()?, &user, part, direction, &reason).await
}

#[server(prefix = "/api", endpoint = "retire-part")]
pub async fn retire_part(part: String, reason: String) -> Result<(), AppError> {
    let user = crate::session::signed_in()?;
    let part = Part::read(&part)?;
    let reason = Reason::read(&reason)?;
    crate::store::shaping::retire(&super::database()?, &user, part, &reason).await
}

/// Moves one output's hexagon to the cell typed (column and row).
#[server(prefix = "/api", endpoint = "place-output")]
pub async fn place_output(
    output: i64,
    column: String,
    row: String,
    reason: String,
) -> Result<(), AppError> {
    let user = crate::session::signed_in()?;
    let cell = crate::domain::hexmap::HexPosition::read(&column, &row)?;
    let reason = Reason::read(&reason)?;
    crate::store::shaping::place(&super::database()?, &user, output, cell, &reason).await
}

/// Lays the map out as a HexJSON file says: checked whole against the plan's outputs first,
/// every problem listed, nothing changed unless all is right.
#[server(prefix = "/api", endpoint = "import-layout")]
pub async fn import_layout(layout: String, reason: String) -> Result<(), AppError> {
    let user = crate::session::signed_in()?;
    // Only those who may lay the map out hear what is wrong with a layout.
    user.authorise(crate::domain::roles::Action::ShapePlan)?;
    let reason = Reason::read(&reason)?;
    let db = super::database()?;
    let codes = crate::store::shaping::output_codes(&db).await?;
    let cells = crate::domain::hexmap::read_layout(&layout, &codes).map_err(|problems| {
        AppError::invalid(
            "layout",
            match problems.len() {
                1 => format!("1 problem, nothing changed: {}", problems[0]),
                n => format!("{n} problems, nothing changed: {}", problems.join("; ")),
            },
        )
    })?;
    crate::store::shaping::lay_out(&db, &user, &cells, &reason)
        .await
        .map(|_| ())
}
