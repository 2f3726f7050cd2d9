//! Roles and what each may do. The server asks these rules before every change; the pages ask
//! them only to hide what a person cannot do.

use super::input::{self, Invalid};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Role {
    /// A councillor on Overview and Scrutiny: reads everything, changes nothing.
    Scrutiny,
    /// An officer who enters an indicator's values.
    DataOwner,
    /// A Cabinet member: sets and refines the targets of the outputs in their portfolio.
    PortfolioHolder,
    /// A senior officer responsible for a theme.
    AssistantDirector,
    /// The corporate team with oversight of the framework.
    BusinessImprovement,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Self::Scrutiny,
        Self::DataOwner,
        Self::PortfolioHolder,
        Self::AssistantDirector,
        Self::BusinessImprovement,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Scrutiny => "scrutiny",
            Self::DataOwner => "data_owner",
            Self::PortfolioHolder => "portfolio_holder",
            Self::AssistantDirector => "assistant_director",
            Self::BusinessImprovement => "business_improvement",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Scrutiny => "Scrutiny member",
            Self::DataOwner => "Data owner",
            Self::PortfolioHolder => "Portfolio Holder",
            Self::AssistantDirector => "Assistant Director",
            Self::BusinessImprovement => "Business Improvement",
        }
    }
}

/// A signed-in person, as the rules need them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub person_id: i64,
    pub name: String,
    pub roles: BTreeSet<Role>,
    /// The outputs in this person's portfolio (as a Portfolio Holder).
    pub portfolio: BTreeSet<i64>,
    /// The outputs of the themes this person directs (as an Assistant Director).
    #[serde(default)]
    pub directed: BTreeSet<i64>,
}

impl User {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// "Portfolio Holder, Assistant Director"
    pub fn role_labels(&self) -> String {
        self.roles
            .iter()
            .map(|r| r.label())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The one rule of who may do what: whether this person may do `action`. Pages ask it
    /// to show or hide a control; the store asks it through [`User::authorise`] inside the
    /// write transaction, so what it checks cannot change before the write.
    pub fn may(&self, action: Action) -> bool {
        let business_improvement = self.has(Role::BusinessImprovement);
        let holds = |outputs: &[i64]| {
            self.has(Role::PortfolioHolder) && outputs.iter().any(|o| self.portfolio.contains(o))
        };
        match action {
            // A Portfolio Holder whose portfolio holds one of the outputs, or Business
            // Improvement.
            Action::AmendTargets(outputs) => business_improvement || holds(outputs),
            // Business Improvement, Assistant Directors when the home output (first) is in a
            // theme they direct (a link from another theme gives them no say), and Portfolio
            // Holders when any of the outputs is in their portfolio.
            Action::ChangeIndicators(outputs) => {
                business_improvement
                    || (self.has(Role::AssistantDirector)
                        && outputs
                            .first()
                            .is_some_and(|home| self.directed.contains(home)))
                    || holds(outputs)
            }
            Action::UploadValues => business_improvement || self.has(Role::DataOwner),
            // The indicator's data owner, or Business Improvement.
            Action::EnterValues { owner } => business_improvement || owner == Some(self.person_id),
            // That theme's Assistant Director, or Business Improvement.
            Action::WriteAchievements { director } => {
                business_improvement
                    || (self.has(Role::AssistantDirector) && director == Some(self.person_id))
            }
            Action::RunSession { facilitator } => {
                business_improvement || facilitator == self.person_id
            }
            Action::FacilitateReviews => business_improvement || self.has(Role::AssistantDirector),
            Action::OverseeReporting
            | Action::CheckAuditTrail
            | Action::ActOnReviews
            | Action::ManagePeople
            | Action::ShapePlan => business_improvement,
        }
    }

    /// [`User::may`], as a refusal to pass on with `?`.
    pub fn authorise(&self, action: Action) -> Result<(), Forbidden> {
        if self.may(action) {
            Ok(())
        } else {
            Err(Forbidden)
        }
    }
}

/// Everything a person can be refused, each with what the rule needs to know.
#[derive(Clone, Copy, Debug)]
pub enum Action<'a> {
    /// Amend the targets of an indicator linked to these outputs.
    AmendTargets(&'a [i64]),
    /// Propose, confirm, refine, link or delete an indicator linked to these outputs (its
    /// home output first).
    ChangeIndicators(&'a [i64]),
    /// Upload a spreadsheet of values (each row still checked with `EnterValues`).
    UploadValues,
    /// Enter the values of an indicator whose data owner is `owner`.
    EnterValues { owner: Option<i64> },
    /// See completeness, close and reopen quarters, send reminders, create and publish
    /// reports.
    OverseeReporting,
    /// Write the achievements and impacts of a theme led by `director`.
    WriteAchievements { director: Option<i64> },
    /// Set up and facilitate peer review sessions.
    FacilitateReviews,
    /// Run, reorder and invite people to the session `facilitator` facilitates.
    RunSession { facilitator: i64 },
    /// Turn what a peer review session agreed into changes to the indicators.
    ActOnReviews,
    /// Add people and change their roles and portfolios.
    ManagePeople,
    /// Set the plan's details and councils, and add, rename, re-order and retire its themes,
    /// outcomes and outputs.
    ShapePlan,
    /// Check the audit trail's chain and seal, and read its recent records.
    CheckAuditTrail,
}

/// The refusal [`User::authorise`] gives: this person may not do that.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Forbidden;

/// How long a sign-in lasts.
pub const SESSION_HOURS: i64 = 8;

/// Failed sign-ins allowed before each further attempt has to wait.
pub const FREE_ATTEMPTS: u32 = 5;

/// How long an account waits after `failures` failed sign-ins in a row: nothing for the
/// first few, then 30 seconds doubling with each failure, at most 15 minutes.
pub fn lockout_seconds(failures: u32) -> u32 {
    if failures < FREE_ATTEMPTS {
        0
    } else {
        (30u32 << (failures - FREE_ATTEMPTS).min(5)).min(900)
    }
}

/// A new person as typed, checked: a full name and job title (at most 100 characters each),
/// an email address, a username and a password strong enough to keep. The password is
/// hashed only once the person adding them may.
#[derive(Clone, PartialEq, Eq)]
pub struct Newcomer {
    pub name: String,
    pub job_title: String,
    pub email: String,
    pub username: String,
    pub password: String,
}

impl Newcomer {
    pub fn read(
        name: &str,
        job_title: &str,
        email: &str,
        username: &str,
        password: &str,
    ) -> Result<Newcomer, Invalid> {
        Ok(Newcomer {
            name: input::text("name", "full name", name, 100)?,
            job_title: input::text("job_title", "job title", job_title, 100)?,
            email: input::email(email)?,
            username: input::username(username)?,
            password: input::password(password)?,
        })
    }
}

impl std::fmt::Debug for Newcomer {
    /// Never the password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Newcomer")
            .field("name", &self.name)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

/// An output put into someone's portfolio (named, at most 100 characters: "Environment") or
/// taken out of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PortfolioChange {
    Add { portfolio: String },
    Remove,
}

impl PortfolioChange {
    pub fn read(held: bool, portfolio: &str) -> Result<PortfolioChange, Invalid> {
        Ok(if held {
            PortfolioChange::Add {
                portfolio: input::text("portfolio", "portfolio's name", portfolio, 100)?,
            }
        } else {
            PortfolioChange::Remove
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_newcomer_is_read_whole_and_never_shows_the_password() {
        let read = |username: &str, password: &str| {
            Newcomer::read(
                "  Ann Smith ",
                "Officer",
                "ann@example.org",
                username,
                password,
            )
        };
        let ann = read("ann.smith", "a long enough passphrase").unwrap();
        assert_eq!(
            (ann.name.as_str(), ann.username.as_str()),
            ("Ann Smith", "ann.smith")
        );
        assert!(!format!("{ann:?}").contains("passphrase"));
        assert_eq!(
            read("Ann Smith!", "a long enough passphrase")
                .unwrap_err()
                .field,
            "username"
        );
        assert_eq!(read("ann.smith", "short").unwrap_err().field, "password");
        assert_eq!(
            PortfolioChange::read(true, " Environment "),
            Ok(PortfolioChange::Add {
                portfolio: "Environment".into()
            })
        );
        assert_eq!(
            PortfolioChange::read(false, ""),
            Ok(PortfolioChange::Remove)
        );
        assert_eq!(
            PortfolioChange::read(true, "  ").unwrap_err().field,
            "portfolio"
        );
    }

    fn user(roles: &[Role], portfolio: &[i64]) -> User {
        User {
            directed: portfolio.iter().copied().collect(),
            person_id: 1,
            name: "Test".into(),
            roles: roles.iter().copied().collect(),
            portfolio: portfolio.iter().copied().collect(),
        }
    }

    #[test]
    fn targets_are_amended_within_a_portfolio_or_by_business_improvement() {
        assert!(user(&[Role::PortfolioHolder], &[3]).may(Action::AmendTargets(&[3, 4])));
        assert!(!user(&[Role::PortfolioHolder], &[3]).may(Action::AmendTargets(&[4])));
        assert!(user(&[Role::BusinessImprovement], &[]).may(Action::AmendTargets(&[4])));
        for role in [Role::Scrutiny, Role::DataOwner, Role::AssistantDirector] {
            assert!(
                !user(&[role], &[4]).may(Action::AmendTargets(&[4])),
                "{role:?}"
            );
        }
    }

    #[test]
    fn indicators_change_within_a_portfolio_or_a_directed_theme_or_by_business_improvement() {
        for role in [Role::PortfolioHolder, Role::AssistantDirector] {
            assert!(
                user(&[role], &[3]).may(Action::ChangeIndicators(&[3])),
                "{role:?}"
            );
            assert!(
                user(&[role], &[3]).may(Action::ChangeIndicators(&[3, 4])),
                "{role:?}"
            );
            assert!(
                !user(&[role], &[3]).may(Action::ChangeIndicators(&[4])),
                "{role:?}"
            );
            assert!(
                !user(&[role], &[3]).may(Action::ChangeIndicators(&[])),
                "{role:?}"
            );
        }
        // A Portfolio Holder shares an indicator linked into their portfolio; an Assistant
        // Director has a say only when its home output is in their theme.
        assert!(user(&[Role::PortfolioHolder], &[3]).may(Action::ChangeIndicators(&[4, 3])));
        assert!(!user(&[Role::AssistantDirector], &[3]).may(Action::ChangeIndicators(&[4, 3])));
        assert!(user(&[Role::BusinessImprovement], &[]).may(Action::ChangeIndicators(&[4])));
        for role in [Role::Scrutiny, Role::DataOwner] {
            assert!(
                !user(&[role], &[4]).may(Action::ChangeIndicators(&[4])),
                "{role:?}"
            );
        }
        assert!(user(&[Role::BusinessImprovement], &[]).may(Action::ManagePeople));
        for role in [
            Role::Scrutiny,
            Role::DataOwner,
            Role::PortfolioHolder,
            Role::AssistantDirector,
        ] {
            assert!(!user(&[role], &[]).may(Action::ManagePeople), "{role:?}");
        }
    }

    #[test]
    fn values_are_entered_by_their_data_owner_or_business_improvement() {
        let owner = user(&[Role::DataOwner], &[]);
        assert!(owner.may(Action::EnterValues {
            owner: Some(owner.person_id)
        }));
        assert!(!owner.may(Action::EnterValues {
            owner: Some(owner.person_id + 1)
        }));
        assert!(!owner.may(Action::EnterValues { owner: None }));
        assert!(
            user(&[Role::BusinessImprovement], &[]).may(Action::EnterValues { owner: Some(99) })
        );
        for role in [
            Role::Scrutiny,
            Role::PortfolioHolder,
            Role::AssistantDirector,
        ] {
            assert!(
                !user(&[role], &[]).may(Action::EnterValues { owner: Some(99) }),
                "{role:?}"
            );
            assert!(
                !user(&[role], &[]).may(Action::OverseeReporting),
                "{role:?}"
            );
        }
        let director = user(&[Role::AssistantDirector], &[]);
        assert!(director.may(Action::WriteAchievements {
            director: Some(director.person_id)
        }));
        assert!(!director.may(Action::WriteAchievements {
            director: Some(director.person_id + 1)
        }));
        assert!(user(&[Role::BusinessImprovement], &[])
            .may(Action::WriteAchievements { director: None }));
        assert!(!user(&[Role::DataOwner], &[]).may(Action::WriteAchievements { director: Some(1) }));
        assert!(director.may(Action::FacilitateReviews));
        assert!(user(&[Role::BusinessImprovement], &[]).may(Action::FacilitateReviews));
        for role in [Role::Scrutiny, Role::DataOwner, Role::PortfolioHolder] {
            assert!(
                !user(&[role], &[]).may(Action::FacilitateReviews),
                "{role:?}"
            );
        }
    }

    #[test]
    fn failed_sign_ins_slow_down_then_cap() {
        assert_eq!(lockout_seconds(0), 0);
        assert_eq!(lockout_seconds(4), 0);
        assert_eq!(lockout_seconds(5), 30);
        assert_eq!(lockout_seconds(6), 60);
        assert_eq!(lockout_seconds(9), 480);
        assert_eq!(lockout_seconds(10), 900);
        assert_eq!(lockout_seconds(100), 900);
    }

    #[test]
    fn codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
    }
}
