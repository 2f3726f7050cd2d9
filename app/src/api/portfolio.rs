//! A Portfolio Holder's home: their portfolio first.

use crate::error::AppError;
pub use crate::model::portfolio::*;
use leptos::prelude::*;

/// The signed-in person's portfolio; none for anyone who holds none (or no one signed in).
#[server(prefix = "/api", endpoint = "my-portfolio")]
pub async fn get_my_portfolio() -> Result<Option<Portfolio>, AppError> {
    let Some(user) = crate::session::current_user() else {
        return Ok(None);
    };
    Ok(crate::store::portfolio::of(&super::database()?, &user).await?)
}
