//! Peer review sessions: Business Improvement or an Assistant Director sets one up (title,
//! date, the indicators to review in order, the people invited); invited people find it on
//! their home page and open it at its address; nobody else may.

#[cfg(feature = "ssr")]
use crate::domain::review::Verdict;
use crate::error::AppError;
pub use crate::model::reviews::*;
use leptos::prelude::*;

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
/// theme and invited person as a repeated field, which arrives as a list, and the date in
/// three boxes (day, month, year).
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "create-review")]
pub async fn create_review(
    title: String,
    // The day in three boxes (the GOV.UK date pattern), or as one ISO date.
    #[server(default)] held_on: String,
    #[server(default)] held_on_day: String,
    #[server(default)] held_on_month: String,
    #[server(default)] held_on_year: String,
    scope: String,
    #[server(default)] themes: Vec<i64>,
    #[server(default)] codes: String,
    #[server(default)] invited: Vec<i64>,
    #[server(default)] whole_cabinet: bool,
) -> Result<i64, AppError> {
    let user = crate::session::signed_in()?;
    use crate::domain::period::Day;
    let held_on = match Day::parse(&held_on) {
        Some(day) => day,
        None => Day::from_parts("held_on", &held_on_day, &held_on_month, &held_on_year)?,
    };
    let new = crate::store::reviews::NewReview {
        title: crate::domain::input::text("title", "title", &title, 200)?,
        held_on,
        coverage: crate::domain::review::Coverage::read(&scope, &themes, &codes)?,
        invited,
        whole_cabinet,
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
    let step = crate::domain::review::Step::read(&step, position)
        .ok_or_else(|| AppError::invalid("step", "The session cannot do that now"))?;
    let db = super::database()?;
    crate::store::reviews::run(&db, &user, id, step).await?;
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
    let proposed = if verdict == Verdict::AmendTarget {
        let field = ("proposed_value", "proposed target");
        Some(
            target_figure(&db, indicator_id, field, &proposed_value)
                .await?
                .0,
        )
    } else {
        None
    };
    let comment = if comment.trim().is_empty() {
        String::new()
    } else {
        crate::domain::input::text("comment", "comment", &comment, 1000)?
    };
    let said = crate::store::reviews::Said {
        verdict,
        proposed,
        comment,
    };
    crate::store::reviews::record_verdict(&db, &user, id, indicator_id, said).await?;
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
    let outcome = crate::domain::input::text("outcome", "agreed outcome", &outcome, 1000)?;
    let value = if change == Verdict::AmendTarget {
        Some(
            target_figure(&db, indicator_id, ("value", "agreed target"), &value)
                .await?
                .0,
        )
    } else {
        None
    };
    let agreed = crate::store::reviews::Agreement {
        outcome,
        change,
        value,
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
    use crate::domain::input::Wording;
    let user = crate::session::signed_in()?;
    let db = super::database()?;
    let given = |text: &str| !text.trim().is_empty();
    let wording = (given(&title) || given(&definition))
        .then(|| Wording::read(&title, &definition))
        .transpose()?;
    let target = match (given(&council), given(&value)) {
        (false, false) => None,
        _ => {
            let council =
                super::council(&db, &council, "Choose the council whose target changes").await?;
            let (value, unit) =
                target_figure(&db, indicator_id, ("value", "target"), &value).await?;
            Some(crate::store::review_actions::NewTarget {
                council,
                value,
                unit,
            })
        }
    };
    let details = crate::store::review_actions::ChangeDetails { wording, target };
    crate::store::review_actions::act(&db, &user, id, indicator_id, details).await?;
    leptos_axum::redirect(&format!("/reviews/{id}/summary#item-{indicator_id}"));
    Ok(())
}

/// Reads `text`, a target typed for `indicator_id`, as a figure in the indicator's unit
/// (field `field`, named `label` in messages); gives the figure and the unit it was read in.
#[cfg(feature = "ssr")]
async fn target_figure(
    db: &crate::store::Db,
    indicator_id: i64,
    (field, label): (&'static str, &'static str),
    text: &str,
) -> Result<(f64, crate::domain::Unit), AppError> {
    let unit = crate::store::targets::unit(db, indicator_id).await?;
    Ok((
        crate::domain::input::figure(field, label, text, unit)?,
        unit,
    ))
}
