//! Peer review sessions: Business Improvement or an Assistant Director sets one up (title,
//! date, the indicators to review in order, the people invited); invited people find it on
//! their home page and open it at its address; nobody else may.

use crate::api::Choice;
use crate::domain::review::Verdict;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewSummary {
    pub id: i64,
    pub title: String,
    /// ISO 8601 date.
    pub held_on: String,
    pub facilitator: String,
    /// "planned", "live", "paused" or "ended".
    pub state: String,
    pub indicators: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgendaItem {
    pub position: i64,
    pub indicator: Choice,
    pub theme: String,
    pub agreed: Option<Agreed>,
}

/// What a session agreed for an indicator, who will act on it, and whether Business
/// Improvement has turned it into a change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Agreed {
    pub outcome: String,
    /// The change agreed: adequate means none.
    pub change: Verdict,
    /// The agreed target, when the change is to amend it.
    pub value: Option<f64>,
    pub action_owner: Option<String>,
    /// The indicator changed once the change is made (for a replacement, the new one).
    pub acted_on: Option<i64>,
}

impl Agreed {
    /// " to 95" when the agreed change is a target, else nothing.
    pub fn value_text(&self) -> String {
        self.value
            .map(|v| format!(" to {}", crate::domain::format::number(v, 2)))
            .unwrap_or_default()
    }

    /// "Amend the target to 95: stretch it (action: Jan Osborne)".
    pub fn describe(&self) -> String {
        let owner = self
            .action_owner
            .as_ref()
            .map(|o| format!(" (action: {o})"))
            .unwrap_or_default();
        format!(
            "{}{}: {}{owner}",
            self.change.label(),
            self.value_text(),
            self.outcome
        )
    }
}

/// One participant's verdict, as the facilitator may show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NamedVerdict {
    pub name: String,
    pub verdict: Verdict,
    pub proposed_value: Option<f64>,
    pub comment: String,
}

/// The indicator being looked at, with its verdicts so far.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Discussion {
    pub position: i64,
    pub indicator: Choice,
    pub definition: String,
    pub unit: crate::domain::Unit,
    /// Each council's values, targets and statuses by quarter.
    pub series: Vec<crate::api::indicators::CouncilSeries>,
    pub tally: Vec<(Verdict, usize)>,
    /// Everyone's verdicts when the facilitator shows names (the facilitator always sees them).
    pub named: Vec<NamedVerdict>,
    /// The signed-in person's own verdict.
    pub mine: Option<NamedVerdict>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewPage {
    pub session: ReviewSummary,
    pub agenda: Vec<AgendaItem>,
    pub invited: Vec<Choice>,
    /// Whether the signed-in person may change the agenda and the invitations.
    pub may_manage: bool,
    /// People who may still be invited (for those who manage).
    pub others: Vec<Choice>,
    /// Where the facilitator is, once the session has started.
    pub current: Option<i64>,
    /// The indicator on screen: the current one, or another the person browses to.
    pub discussion: Option<Discussion>,
    pub show_names: bool,
    /// Moves on at every change to the session.
    pub version: i64,
    /// Whether the signed-in person may record verdicts (invited, or the facilitator).
    pub participates: bool,
    /// Who has the session open now, by name.
    pub present: Vec<String>,
}

/// The sessions page: the sessions one may open, and what the set-up form offers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reviews {
    pub sessions: Vec<ReviewSummary>,
    /// Empty for those who may not set sessions up.
    pub themes: Vec<Choice>,
    pub people: Vec<Choice>,
}

#[server(prefix = "/api", endpoint = "reviews")]
pub async fn get_reviews() -> Result<Reviews, AppError> {
    let user = crate::session::signed_in()?;
    crate::store::reviews::list(&super::database()?, &user).await
}

/// A session; `at` is the agenda position to look at, the facilitator's by default.
#[server(prefix = "/api", endpoint = "review")]
pub async fn get_review(id: i64, at: Option<i64>) -> Result<ReviewPage, AppError> {
    let user = crate::session::signed_in()?;
    let page = crate::store::reviews::page(&super::database()?, &user, id, at).await?;
    let present = use_context::<crate::live::Broker>()
        .map(|broker| broker.present(id))
        .unwrap_or_default();
    Ok(ReviewPage { present, ..page })
}

/// Sets up a session. `scope` is "plan", "themes" or "indicators"; the form sends each chosen
/// theme and invited person as a repeated field, which arrives as a list.
#[server(prefix = "/api", endpoint = "create-review")]
pub async fn create_review(
    title: String,
    held_on: String,
    scope: String,
    #[server(default)] themes: Vec<i64>,
    #[server(default)] codes: String,
    #[server(default)] invited: Vec<i64>,
) -> Result<i64, AppError> {
    let user = crate::session::signed_in()?;
    let new = crate::store::reviews::NewReview {
        title,
        held_on,
        scope,
        themes,
        codes,
        invited,
    };
    let id = crate::store::reviews::create(&super::database()?, &user, new).await?;
    leptos_axum::redirect(&format!("/reviews/{id}"));
    Ok(id)
}

/// Moves an agenda item one place earlier (`earlier` true) or later.
#[server(prefix = "/api", endpoint = "move-review-item")]
pub async fn move_review_item(id: i64, position: i64, earlier: bool) -> Result<(), AppError> {
    let user = crate::session::signed_in()?;
    let db = super::database()?;
    crate::store::reviews::move_item(&db, &user, id, position, earlier).await?;
    announce(&db, id).await;
    leptos_axum::redirect(&format!("/reviews/{id}#agenda"));
    Ok(())
}

/// Invites a person (`invited` true) or withdraws the invitation.
#[server(prefix = "/api", endpoint = "set-invitation")]
pub async fn set_invitation(id: i64, person_id: i64, invited: bool) -> Result<(), AppError> {
    let user = crate::session::signed_in()?;
    let db = super::database()?;
    crate::store::reviews::set_invitation(&db, &user, id, person_id, invited).await?;
    announce(&db, id).await;
    leptos_axum::redirect(&format!("/reviews/{id}#invited"));
    Ok(())
}

/// The sessions a signed-in person is invited to that have not ended, for their home page.
#[server(prefix = "/api", endpoint = "my-reviews")]
pub async fn get_my_reviews() -> Result<Vec<ReviewSummary>, AppError> {
    let Some(user) = crate::session::current_user() else {
        return Ok(Vec::new());
    };
    crate::store::reviews::invitations(&super::database()?, &user).await
}

/// The facilitator runs the session: `step` is "start", "next", "previous", "jump" (to
/// `position`), "pause", "resume", "end", "show-names" or "hide-names".
#[server(prefix = "/api", endpoint = "run-review")]
pub async fn run_review(id: i64, step: String, position: Option<i64>) -> Result<(), AppError> {
    let user = crate::session::signed_in()?;
    let db = super::database()?;
    crate::store::reviews::run(&db, &user, id, &step, position).await?;
    announce(&db, id).await;
    leptos_axum::redirect(&format!("/reviews/{id}#now"));
    Ok(())
}

/// A participant's verdict on the indicator being reviewed; sending it again replaces it.
#[server(prefix = "/api", endpoint = "record-verdict")]
pub async fn record_verdict(
    id: i64,
    indicator_id: i64,
    verdict: String,
    #[server(default)] proposed_value: String,
    #[server(default)] comment: String,
) -> Result<(), AppError> {
    let user = crate::session::signed_in()?;
    let verdict = Verdict::from_code(&verdict)
        .ok_or_else(|| AppError::invalid("verdict", "Choose a verdict"))?;
    let db = super::database()?;
    crate::store::reviews::record_verdict(
        &db,
        &user,
        id,
        indicator_id,
        verdict,
        &proposed_value,
        &comment,
    )
    .await?;
    announce(&db, id).await;
    leptos_axum::redirect(&format!("/reviews/{id}#now"));
    Ok(())
}

/// The facilitator records the outcome agreed for an indicator and who will act on it.
#[server(prefix = "/api", endpoint = "agree-outcome")]
pub async fn agree_outcome(
    id: i64,
    indicator_id: i64,
    outcome: String,
    change: String,
    #[server(default)] value: String,
    action_owner: Option<i64>,
) -> Result<(), AppError> {
    let user = crate::session::signed_in()?;
    let change = Verdict::from_code(&change)
        .ok_or_else(|| AppError::invalid("change", "Choose the change agreed"))?;
    let db = super::database()?;
    let agreed = crate::store::reviews::Agreement {
        outcome: &outcome,
        change,
        value: &value,
        action_owner,
    };
    crate::store::reviews::agree(&db, &user, id, indicator_id, agreed).await?;
    announce(&db, id).await;
    leptos_axum::redirect(&format!("/reviews/{id}#now"));
    Ok(())
}

/// Tells everyone following session `id` live that it changed, once the change is stored.
#[cfg(feature = "ssr")]
async fn announce(db: &crate::store::Db, id: i64) {
    if let (Some(broker), Ok(Some(version))) = (
        use_context::<crate::live::Broker>(),
        crate::store::reviews::version(db, id).await,
    ) {
        broker.publish(id, version);
    }
}

/// One agenda item after the session: its tally, comments and what was agreed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutcomeLine {
    pub position: i64,
    pub indicator: Choice,
    pub tally: Vec<(Verdict, usize)>,
    /// "Name: verdict – comment" when names are shown, else the comments alone.
    pub comments: Vec<String>,
    pub agreed: Option<Agreed>,
    /// For Business Improvement, while the agreed change is still to be made: what its form
    /// needs.
    pub pending: Option<PendingChange>,
}

/// What the form that turns an agreed outcome into a change needs: the indicator's title
/// and definition now, and the targets it may amend.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingChange {
    pub title: String,
    pub definition: String,
    /// Each council's target of the latest reported year: its code and "Babergh, 2017/18: 45 %".
    pub targets: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionOutcomes {
    pub session: ReviewSummary,
    pub lines: Vec<OutcomeLine>,
}

/// The summary of a session: every indicator with its tally, comments, agreed outcome and
/// action owner.
#[server(prefix = "/api", endpoint = "review-summary")]
pub async fn get_review_summary(id: i64) -> Result<SessionOutcomes, AppError> {
    let user = crate::session::signed_in()?;
    crate::store::review_summary::outcomes(&super::database()?, &user, id).await
}

/// Business Improvement turns the change a session agreed for an indicator into a change in
/// the indicator's lifecycle: a refinement (`title`, `definition`), a deletion, an amended
/// target (`council`, `value`) or a proposed replacement (`title`, `definition`). One per
/// indicator; the audit record links back to the session.
#[server(prefix = "/api", endpoint = "act-on-outcome")]
pub async fn act_on_outcome(
    id: i64,
    indicator_id: i64,
    #[server(default)] title: String,
    #[server(default)] definition: String,
    #[server(default)] council: String,
    #[server(default)] value: String,
) -> Result<(), AppError> {
    let user = crate::session::signed_in()?;
    let details = crate::store::review_actions::ChangeDetails {
        title: &title,
        definition: &definition,
        council: &council,
        value: &value,
    };
    crate::store::review_actions::act(&super::database()?, &user, id, indicator_id, details)
        .await?;
    leptos_axum::redirect(&format!("/reviews/{id}/summary#item-{indicator_id}"));
    Ok(())
}
