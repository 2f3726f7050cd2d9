//! The indicator lifecycle: propose (to be confirmed by leaders), confirm, refine, link to
//! outputs and risks, and delete. Business Improvement, Assistant Directors, and Portfolio
//! Holders within their portfolio; every change is recorded in the audit trail.
//!
//! The forms that call these are plain HTML forms: they work without JavaScript, and a
//! refused or invalid change comes back to the form's page with its message (see
//! `components::form`).

#[cfg(feature = "ssr")]
use crate::domain::input::{Reason, Wording};
use crate::error::AppError;
pub use crate::model::lifecycle::*;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "indicator-management")]
pub async fn get_indicator_management(id: i64) -> Result<IndicatorManagement, AppError> {
    crate::store::lifecycle::management(&super::database()?, &crate::session::signed_in()?, id)
        .await
}

#[server(prefix = "/api", endpoint = "proposal-form")]
pub async fn get_proposal_form(output_id: i64) -> Result<ProposalForm, AppError> {
    crate::store::lifecycle::proposal_form(
        &super::database()?,
        &crate::session::signed_in()?,
        output_id,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "propose-indicator")]
pub async fn propose_indicator(
    output_id: i64,
    title: String,
    definition: String,
    kind: String,
    unit: String,
    polarity: String,
    reason: String,
) -> Result<i64, AppError> {
    use crate::domain::{IndicatorKind, Polarity, Unit};
    let user = crate::session::signed_in()?;
    let proposal = crate::store::lifecycle::Proposal {
        output_id,
        wording: Wording::read(&title, &definition)?,
        kind: IndicatorKind::from_code(&kind)
            .ok_or_else(|| AppError::invalid("kind", "Choose tracking or influencing"))?,
        unit: Unit::from_code(&unit)
            .ok_or_else(|| AppError::invalid("unit", "Choose the unit from the list"))?,
        polarity: Polarity::from_code(&polarity)
            .ok_or_else(|| AppError::invalid("polarity", "Choose which direction is better"))?,
        reason: Reason::read(&reason)?,
    };
    let id = crate::store::lifecycle::propose(&super::database()?, &user, proposal, None).await?;
    leptos_axum::redirect(&format!("/indicators/{id}"));
    Ok(id)
}

#[server(prefix = "/api", endpoint = "confirm-indicator")]
pub async fn confirm_indicator(indicator_id: i64, reason: String) -> Result<(), AppError> {
    let user = crate::session::signed_in()?;
    let reason = Reason::read(&reason)?;
    crate::store::lifecycle::confirm(&super::database()?, &user, indicator_id, &reason).await?;
    leptos_axum::redirect(&format!("/indicators/{indicator_id}/history"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "refine-indicator")]
pub async fn refine_indicator(
    indicator_id: i64,
    title: String,
    definition: String,
    reason: String,
) -> Result<(), AppError> {
    let user = crate::session::signed_in()?;
    let wording = Wording::read(&title, &definition)?;
    let reason = Reason::read(&reason)?;
    crate::store::lifecycle::refine(&super::database()?, &user, indicator_id, &wording, &reason)
        .await?;
    leptos_axum::redirect(&format!("/indicators/{indicator_id}/history"));
    Ok(())
}

/// Gives an indicator its data owner (a person's id; empty: no one).
#[server(prefix = "/api", endpoint = "set-data-owner")]
pub async fn set_data_owner(
    indicator_id: i64,
    person_id: String,
    reason: String,
) -> Result<(), AppError> {
    let user = crate::session::signed_in()?;
    let owner =
        match person_id.trim() {
            "" => None,
            id => Some(id.parse::<i64>().map_err(|_| {
                AppError::invalid("person_id", "Choose the data owner from the list")
            })?),
        };
    let reason = Reason::read(&reason)?;
    crate::store::lifecycle::set_data_owner(
        &super::database()?,
        &user,
        indicator_id,
        owner,
        &reason,
    )
    .await?;
    leptos_axum::redirect(&format!("/indicators/{indicator_id}/manage"));
    Ok(())
}

/// Links an indicator to an output or risk (`linked` true), or takes the link away.
#[server(prefix = "/api", endpoint = "link-indicator")]
pub async fn link_indicator(
    indicator_id: i64,
    to: String,
    id: i64,
    linked: bool,
    reason: String,
) -> Result<(), AppError> {
    use crate::store::lifecycle::Register;
    let user = crate::session::signed_in()?;
    let register = match to.as_str() {
        "output" => Register::Output,
        "risk" => Register::Risk,
        _ => return Err(AppError::invalid("to", "Link to an output or a risk")),
    };
    let reason = Reason::read(&reason)?;
    crate::store::lifecycle::set_link(
        &super::database()?,
        &user,
        indicator_id,
        (register, id),
        linked,
        &reason,
    )
    .await?;
    leptos_axum::redirect(&format!("/indicators/{indicator_id}/history"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "delete-indicator")]
pub async fn delete_indicator(indicator_id: i64, reason: String) -> Result<(), AppError> {
    let user = crate::session::signed_in()?;
    let reason = Reason::read(&reason)?;
    crate::store::lifecycle::delete(&super::database()?, &user, indicator_id, &reason).await?;
    leptos_axum::redirect(&format!("/indicators/{indicator_id}/history"));
    Ok(())
}
