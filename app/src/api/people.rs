//! People, their roles and their portfolios, managed by Business Improvement. Every change is
//! recorded in the audit trail; passwords never are.

#[cfg(feature = "ssr")]
use crate::domain::input::Reason;
#[cfg(feature = "ssr")]
use crate::domain::roles::Role;
use crate::error::AppError;
pub use crate::model::people::*;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "people")]
pub async fn get_people() -> Result<Vec<Person>, AppError> {
    let user = crate::session::signed_in()?;
    crate::store::people::list(&super::database()?, &user).await
}

#[server(prefix = "/api", endpoint = "person")]
pub async fn get_person(id: i64) -> Result<PersonPage, AppError> {
    let user = crate::session::signed_in()?;
    crate::store::people::page(&super::database()?, &user, id).await
}

#[server(prefix = "/api", endpoint = "add-person")]
pub async fn add_person(
    name: String,
    job_title: String,
    email: String,
    username: String,
    password: String,
    reason: String,
) -> Result<i64, AppError> {
    let user = crate::session::signed_in()?;
    let new =
        crate::domain::roles::Newcomer::read(&name, &job_title, &email, &username, &password)?;
    let reason = Reason::read(&reason)?;
    let id = crate::store::people::add(&super::database()?, &user, new, &reason).await?;
    leptos_axum::redirect(&format!("/people/{id}"));
    Ok(id)
}

/// Grants a role (`granted` true) or takes it away.
#[server(prefix = "/api", endpoint = "set-role")]
pub async fn set_role(
    person_id: i64,
    role: String,
    granted: bool,
    reason: String,
) -> Result<(), AppError> {
    let user = crate::session::signed_in()?;
    let role = Role::from_code(&role)
        .ok_or_else(|| AppError::invalid("role", "Choose a role from the list"))?;
    let reason = Reason::read(&reason)?;
    crate::store::people::set_role(
        &super::database()?,
        &user,
        person_id,
        role,
        granted,
        &reason,
    )
    .await
}

/// Puts an output into a Portfolio Holder's portfolio (`held` true) or takes it out.
#[server(prefix = "/api", endpoint = "set-portfolio")]
pub async fn set_portfolio(
    person_id: i64,
    output_id: i64,
    portfolio: String,
    held: bool,
    reason: String,
) -> Result<(), AppError> {
    let user = crate::session::signed_in()?;
    let change = crate::domain::roles::PortfolioChange::read(held, &portfolio)?;
    let reason = Reason::read(&reason)?;
    crate::store::people::set_portfolio(
        &super::database()?,
        &user,
        person_id,
        output_id,
        &change,
        &reason,
    )
    .await
}
