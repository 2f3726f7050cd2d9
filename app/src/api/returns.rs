//! Quarterly returns: data owners enter their indicators' values; Business Improvement sees
//! completeness, opens, closes and reopens quarters, and reminds those who are late.

#[cfg(feature = "ssr")]
use crate::domain::Quarter;
use crate::error::AppError;
pub use crate::model::returns::*;
use leptos::prelude::*;
use std::collections::BTreeMap;

#[server(prefix = "/api", endpoint = "returns")]
pub async fn get_returns(owner: Option<i64>, period: Option<String>) -> Result<Returns, AppError> {
    let user = crate::session::signed_in()?;
    let period = period.as_deref().and_then(Quarter::parse_slug);
    crate::store::returns::returns(&super::database()?, &user, owner, period).await
}

/// Saves the returns page: every value changed, each council's of each indicator named by its
/// slot (`domain::returns::slot`) in the fields `value[…]`, `commentary[…]` and `confirmed[…]`.
/// Refused values come back to the page with their messages and what was typed; the saved
/// ones are named in the address, so the page says so beside them.
#[server(prefix = "/api", endpoint = "save-return")]
pub async fn save_return(
    period: String,
    owner: Option<i64>,
    #[server(default)] value: BTreeMap<String, String>,
    #[server(default)] commentary: BTreeMap<String, String>,
    #[server(default)] confirmed: BTreeMap<String, String>,
) -> Result<(), AppError> {
    use crate::store::returns::Typed;
    use std::collections::BTreeSet;
    let user = crate::session::signed_in()?;
    let slots: BTreeSet<&String> = value.keys().chain(commentary.keys()).collect();
    let typed: Vec<Typed> = slots
        .into_iter()
        .map(|slot| Typed {
            slot: slot.clone(),
            value: value.get(slot).cloned().unwrap_or_default(),
            commentary: commentary.get(slot).cloned().unwrap_or_default(),
            confirmed: confirmed.contains_key(slot),
        })
        .collect();
    let saved = crate::store::returns::save(&super::database()?, &user, &period, &typed).await?;
    let owner = owner.map(|o| format!("&owner={o}")).unwrap_or_default();
    leptos_axum::redirect(&format!(
        "/returns?period={}{owner}&saved={}#saved",
        saved.quarter.slug(),
        if saved.slots.is_empty() {
            "none".to_string()
        } else {
            saved.slots.join(",")
        }
    ));
    Ok(())
}

#[server(prefix = "/api", endpoint = "completeness")]
pub async fn get_completeness(period: Option<String>) -> Result<Completeness, AppError> {
    let user = crate::session::signed_in()?;
    let period = period.as_deref().and_then(Quarter::parse_slug);
    let db = super::database()?;
    let mut completeness = crate::store::returns::completeness(&db, &user, period).await?;
    completeness.can_email = use_context::<crate::mail::Mailer>().is_some();
    Ok(completeness)
}

/// Opens a quarter for returns with a deadline, closes it, or reopens it (`action` "open",
/// "close" or "reopen").
#[server(prefix = "/api", endpoint = "return-period")]
pub async fn set_return_period(
    period: String,
    action: String,
    deadline: Option<String>,
    reason: String,
) -> Result<(), AppError> {
    let user = crate::session::signed_in()?;
    let quarter = Quarter::parse_slug(&period)
        .ok_or_else(|| AppError::invalid("period", "Choose a quarter from the list"))?;
    let change = crate::domain::returns::PeriodChange::read(&action, deadline.as_deref())?;
    let reason = crate::domain::input::Reason::read(&reason)?;
    crate::store::returns::set_period(&super::database()?, &user, quarter, change, &reason).await?;
    leptos_axum::redirect(&format!("/returns/completeness?period={}", quarter.slug()));
    Ok(())
}

#[server(prefix = "/api", endpoint = "value-import")]
pub async fn get_import(id: i64) -> Result<ImportOutcome, AppError> {
    let user = crate::session::signed_in()?;
    crate::store::returns::import_outcome(&super::database()?, &user, id).await
}

/// Emails each data owner with values missing near or after the deadline.
#[server(prefix = "/api", endpoint = "send-reminders")]
pub async fn send_reminders(period: String) -> Result<(), AppError> {
    let user = crate::session::signed_in()?;
    let quarter = Quarter::parse_slug(&period);
    let completeness =
        crate::store::returns::completeness(&super::database()?, &user, quarter).await?;
    let Some(mailer) = use_context::<crate::mail::Mailer>() else {
        return Err(AppError::invalid(
            "reminders",
            "Email is not set up on this server, so no reminder was sent",
        ));
    };
    let period = completeness
        .period
        .clone()
        .ok_or_else(|| AppError::not_found("A quarter opened for returns"))?;
    let quarter = period.quarter;
    let link = format!("{}/returns?period={}", mailer.site, quarter.slug());
    let mut sent = 0;
    for owner in completeness
        .owners
        .iter()
        .filter(|o| o.state.needs_reminder() && !o.email.is_empty())
    {
        let missing: Vec<String> = owner
            .missing
            .iter()
            .map(|(indicator, councils)| {
                let councils: Vec<&str> = councils.iter().map(|c| c.name()).collect();
                format!("{} ({})", indicator.label, councils.join(", "))
            })
            .collect();
        let body = crate::domain::returns::reminder(
            &owner.owner.label,
            quarter,
            period.deadline,
            owner.state,
            &missing,
            &link,
        );
        match mailer
            .send(
                &owner.owner.label,
                &owner.email,
                &format!("Quarterly return for {quarter}"),
                body,
            )
            .await
        {
            Ok(()) => sent += 1,
            Err(error) => tracing::warn!(%error, to = %owner.email, "a reminder could not be sent"),
        }
    }
    leptos_axum::redirect(&format!(
        "/returns/completeness?period={}&reminded={sent}#reminders",
        quarter.slug()
    ));
    Ok(())
}
