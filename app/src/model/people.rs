//! What the people pages read and the server functions return.

use crate::domain::roles::Role;
use crate::model::Choice;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub id: i64,
    pub name: String,
    pub job_title: String,
    pub email: String,
    pub username: Option<String>,
    pub roles: Vec<Role>,
    /// The outputs they hold as a Portfolio Holder, with the portfolio's name.
    pub portfolio: Vec<PortfolioOutput>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PortfolioOutput {
    pub output: Choice,
    pub portfolio: String,
}

/// One person's page: who they are, and the outputs that could join their portfolio.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonPage {
    pub person: Person,
    pub other_outputs: Vec<Choice>,
}
