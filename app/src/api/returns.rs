//! Quarterly returns: data owners enter their indicators' values; Business Improvement sees
//! completeness, opens, closes and reopens quarters, and reminds those who are late.

use crate::api::Choice;
use crate::domain::returns::{Problem, ReturnState};
use crate::domain::{Council, Quarter, Status, Unit};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A quarter opened for returns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReturnPeriod {
    pub quarter: Quarter,
    /// ISO date the values are due.
    pub deadline: String,
    pub closed: bool,
}

/// One council's value of an indicator in the quarter, with what it is judged against.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReturnSlot {
    pub council: Council,
    pub previous: Option<f64>,
    pub value: Option<f64>,
    pub commentary: String,
    pub target: Option<f64>,
    pub status: Status,
}

/// One indicator a data owner returns values for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReturnLine {
    pub indicator_id: i64,
    pub code: String,
    pub title: String,
    pub unit: Unit,
    pub theme: String,
    pub owner: Option<Choice>,
    pub slots: Vec<ReturnSlot>,
}

impl ReturnLine {
    pub fn complete(&self) -> bool {
        self.slots.iter().all(|s| s.value.is_some())
    }

    /// The councils still to return a value.
    pub fn missing(&self) -> Vec<Council> {
        self.slots
            .iter()
            .filter(|s| s.value.is_none())
            .map(|s| s.council)
            .collect()
    }
}

/// "My returns": the indicators one data owner returns in one quarter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Returns {
    /// The quarter shown; none when no quarter has been opened for returns.
    pub period: Option<ReturnPeriod>,
    /// The other quarters open for returns.
    pub open: Vec<ReturnPeriod>,
    pub owner: Choice,
    pub lines: Vec<ReturnLine>,
}

/// How many of a group's indicators due in the quarter have all their values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    pub label: String,
    pub entered: usize,
    pub due: usize,
}

impl Tally {
    /// Whole per cent, rounded down so 100 % means every value is in.
    pub fn percent(&self) -> usize {
        (self.entered * 100).checked_div(self.due).unwrap_or(100)
    }
}

/// One data owner's returns for the quarter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OwnerReturns {
    pub owner: Choice,
    pub email: String,
    pub tally: Tally,
    pub state: ReturnState,
    /// The indicators still missing a value, with the councils missing.
    pub missing: Vec<(Choice, Vec<Council>)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Completeness {
    pub period: ReturnPeriod,
    /// Every quarter ever opened, newest first.
    pub periods: Vec<ReturnPeriod>,
    pub overall: Tally,
    pub themes: Vec<Tally>,
    pub owners: Vec<OwnerReturns>,
    /// The quarter after the newest opened, with its usual deadline, to open next.
    pub next: (Quarter, String),
    /// Whether reminders can be sent by email (SMTP is configured).
    pub can_email: bool,
}

/// What became of an import.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportOutcome {
    pub id: i64,
    pub file_name: String,
    pub imported_at: String,
    pub rows_read: usize,
    pub rows_written: usize,
    pub problems: Vec<Problem>,
}

#[server(prefix = "/api", endpoint = "returns")]
pub async fn get_returns(owner: Option<i64>, period: Option<String>) -> Result<Returns, AppError> {
    let user = crate::session::signed_in()?;
    let period = period.as_deref().and_then(Quarter::parse_slug);
    crate::store::returns::returns(&super::database()?, &user, owner, period).await
}

/// Enters one council's value of an indicator for a quarter. A refusal names the field as
/// `{indicator}-{council}-{field}`, so the page marks the right one of its many forms.
#[server(prefix = "/api", endpoint = "enter-value")]
pub async fn enter_value(
    indicator_id: i64,
    council: String,
    period: String,
    value: String,
    commentary: String,
    owner: Option<i64>,
) -> Result<(), AppError> {
    let user = crate::session::signed_in()?;
    let slot = format!("{indicator_id}-{council}");
    let entered = crate::store::returns::enter(
        &super::database()?,
        &user,
        indicator_id,
        &council,
        &period,
        &value,
        &commentary,
    )
    .await
    .map_err(|error| error.in_form(&slot))?;
    let owner = owner.map(|o| format!("&owner={o}")).unwrap_or_default();
    leptos_axum::redirect(&format!(
        "/returns?period={}{owner}&saved={indicator_id}-{}#{}",
        entered.quarter.slug(),
        entered.council.code(),
        entered.code
    ));
    Ok(())
}

#[server(prefix = "/api", endpoint = "completeness")]
pub async fn get_completeness(period: Option<String>) -> Result<Completeness, AppError> {
    let user = crate::session::signed_in()?;
    if !user.may_oversee_reporting() {
        return Err(AppError::Forbidden);
    }
    let period = period.as_deref().and_then(Quarter::parse_slug);
    let db = super::database()?;
    let mut completeness = crate::store::returns::completeness(&db, period).await?;
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
    crate::store::returns::set_period(
        &super::database()?,
        &user,
        quarter,
        &action,
        deadline.as_deref(),
        &reason,
    )
    .await?;
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
    if !user.may_oversee_reporting() {
        return Err(AppError::Forbidden);
    }
    let Some(mailer) = use_context::<crate::mail::Mailer>() else {
        return Err(AppError::invalid(
            "reminders",
            "Email is not set up on this server, so no reminder was sent",
        ));
    };
    let quarter = Quarter::parse_slug(&period);
    let completeness = crate::store::returns::completeness(&super::database()?, quarter).await?;
    let quarter = completeness.period.quarter;
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
            &completeness.period.deadline,
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
