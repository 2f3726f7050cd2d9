//! Roles and what each may do. The server asks these rules before every change; the pages ask
//! them only to hide what a person cannot do.

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

    /// Whether this person may amend the targets of an indicator linked to `outputs`: a
    /// Portfolio Holder whose portfolio holds one of them, or Business Improvement.
    pub fn may_amend_targets(&self, outputs: &[i64]) -> bool {
        self.has(Role::BusinessImprovement)
            || (self.has(Role::PortfolioHolder)
                && outputs.iter().any(|o| self.portfolio.contains(o)))
    }

    /// Whether this person may propose, confirm, refine, link and delete indicators linked to
    /// `outputs` (the home output first): Business Improvement, Assistant Directors when the
    /// home output is in a theme they direct (a link from another theme gives them no say),
    /// and Portfolio Holders when any of the outputs is in their portfolio.
    pub fn may_change_indicators(&self, outputs: &[i64]) -> bool {
        self.has(Role::BusinessImprovement)
            || (self.has(Role::AssistantDirector)
                && outputs
                    .first()
                    .is_some_and(|home| self.directed.contains(home)))
            || (self.has(Role::PortfolioHolder)
                && outputs.iter().any(|o| self.portfolio.contains(o)))
    }

    /// Whether this person may enter the values of an indicator whose data owner is `owner`:
    /// its data owner, or Business Improvement.
    pub fn may_enter_values(&self, owner: Option<i64>) -> bool {
        self.has(Role::BusinessImprovement) || owner == Some(self.person_id)
    }

    /// Whether this person oversees the reporting cycle: sees completeness, closes and reopens
    /// quarters, sends reminders, and creates and publishes reports.
    pub fn may_oversee_reporting(&self) -> bool {
        self.has(Role::BusinessImprovement)
    }

    /// Whether this person may write the achievements and impacts of the outcomes of a theme
    /// led by `director`: that Assistant Director, or Business Improvement.
    pub fn may_write_achievements(&self, director: Option<i64>) -> bool {
        self.has(Role::BusinessImprovement)
            || (self.has(Role::AssistantDirector) && director == Some(self.person_id))
    }

    /// Whether this person may set up and facilitate peer review sessions.
    pub fn may_facilitate_reviews(&self) -> bool {
        self.has(Role::BusinessImprovement) || self.has(Role::AssistantDirector)
    }

    /// Whether this person may turn the outcomes a peer review session agreed into changes to
    /// the indicators.
    pub fn may_act_on_reviews(&self) -> bool {
        self.has(Role::BusinessImprovement)
    }

    /// Whether this person may add people and change their roles and portfolios.
    pub fn may_manage_people(&self) -> bool {
        self.has(Role::BusinessImprovement)
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(user(&[Role::PortfolioHolder], &[3]).may_amend_targets(&[3, 4]));
        assert!(!user(&[Role::PortfolioHolder], &[3]).may_amend_targets(&[4]));
        assert!(user(&[Role::BusinessImprovement], &[]).may_amend_targets(&[4]));
        for role in [Role::Scrutiny, Role::DataOwner, Role::AssistantDirector] {
            assert!(!user(&[role], &[4]).may_amend_targets(&[4]), "{role:?}");
        }
    }

    #[test]
    fn indicators_change_within_a_portfolio_or_a_directed_theme_or_by_business_improvement() {
        for role in [Role::PortfolioHolder, Role::AssistantDirector] {
            assert!(user(&[role], &[3]).may_change_indicators(&[3]), "{role:?}");
            assert!(
                user(&[role], &[3]).may_change_indicators(&[3, 4]),
                "{role:?}"
            );
            assert!(!user(&[role], &[3]).may_change_indicators(&[4]), "{role:?}");
            assert!(!user(&[role], &[3]).may_change_indicators(&[]), "{role:?}");
        }
        // A Portfolio Holder shares an indicator linked into their portfolio; an Assistant
        // Director has a say only when its home output is in their theme.
        assert!(user(&[Role::PortfolioHolder], &[3]).may_change_indicators(&[4, 3]));
        assert!(!user(&[Role::AssistantDirector], &[3]).may_change_indicators(&[4, 3]));
        assert!(user(&[Role::BusinessImprovement], &[]).may_change_indicators(&[4]));
        for role in [Role::Scrutiny, Role::DataOwner] {
            assert!(!user(&[role], &[4]).may_change_indicators(&[4]), "{role:?}");
        }
        assert!(user(&[Role::BusinessImprovement], &[]).may_manage_people());
        for role in [
            Role::Scrutiny,
            Role::DataOwner,
            Role::PortfolioHolder,
            Role::AssistantDirector,
        ] {
            assert!(!user(&[role], &[]).may_manage_people(), "{role:?}");
        }
    }

    #[test]
    fn values_are_entered_by_their_data_owner_or_business_improvement() {
        let owner = user(&[Role::DataOwner], &[]);
        assert!(owner.may_enter_values(Some(owner.person_id)));
        assert!(!owner.may_enter_values(Some(owner.person_id + 1)));
        assert!(!owner.may_enter_values(None));
        assert!(user(&[Role::BusinessImprovement], &[]).may_enter_values(Some(99)));
        for role in [
            Role::Scrutiny,
            Role::PortfolioHolder,
            Role::AssistantDirector,
        ] {
            assert!(!user(&[role], &[]).may_enter_values(Some(99)), "{role:?}");
            assert!(!user(&[role], &[]).may_oversee_reporting(), "{role:?}");
        }
        let director = user(&[Role::AssistantDirector], &[]);
        assert!(director.may_write_achievements(Some(director.person_id)));
        assert!(!director.may_write_achievements(Some(director.person_id + 1)));
        assert!(user(&[Role::BusinessImprovement], &[]).may_write_achievements(None));
        assert!(!user(&[Role::DataOwner], &[]).may_write_achievements(Some(1)));
        assert!(director.may_facilitate_reviews());
        assert!(user(&[Role::BusinessImprovement], &[]).may_facilitate_reviews());
        for role in [Role::Scrutiny, Role::DataOwner, Role::PortfolioHolder] {
            assert!(!user(&[role], &[]).may_facilitate_reviews(), "{role:?}");
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
