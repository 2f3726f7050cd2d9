//! The plan's partner councils, as its data names them: whose a value or target is, and which
//! councils a page shows. Nothing here names a council; a plan may have one, two or more.

use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::fmt;

/// The code of joint services in addresses, forms and files: one value for every council.
pub const JOINT: &str = "joint";
/// The code of the filter showing every council.
pub const ALL: &str = "all";

/// One of the plan's partner councils.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partner {
    /// The council's id in the plan's database.
    pub id: i64,
    /// Lower-case letters, digits and hyphens, as in addresses (`?council=…`).
    pub code: String,
    /// In full: "Harbourside Borough Council".
    pub name: String,
    /// As tables, filters and charts show it: "Harbourside".
    pub short_name: String,
    /// The ONS area code, where given (E07000200).
    pub ons_code: Option<String>,
}

/// Whose a value or target is: one partner council's, or every council's jointly (a joint
/// service). It carries the name pages show, so a page needs nothing else to say it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Council {
    /// The partner's id, or none for a joint value.
    id: Option<i64>,
    code: String,
    name: String,
}

impl Council {
    /// The partner council's id in the database, or none for joint services.
    pub fn id(&self) -> Option<i64> {
        self.id
    }

    pub fn code(&self) -> &str {
        &self.code
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn is_joint(&self) -> bool {
        self.id.is_none()
    }
}

/// Partners in the plan's order, joint services last.
impl Ord for Council {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.id.is_none(), self.id).cmp(&(other.id.is_none(), other.id))
    }
}

impl PartialOrd for Council {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Council {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// Which councils the map and tables show: all of them, or one partner (by its code).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CouncilFilter {
    #[default]
    All,
    One(String),
}

impl CouncilFilter {
    pub fn code(&self) -> &str {
        match self {
            Self::All => ALL,
            Self::One(code) => code,
        }
    }

    /// Whether values recorded for `council` are shown under this filter. Joint values
    /// belong to every council, so every filter shows them.
    pub fn includes(&self, council: &Council) -> bool {
        match self {
            Self::All => true,
            Self::One(code) => council.is_joint() || council.code == *code,
        }
    }
}

/// The plan's partner councils, in the plan's order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Councils(Vec<Partner>);

impl Councils {
    pub fn new(partners: Vec<Partner>) -> Self {
        Self(partners)
    }

    pub fn partners(&self) -> &[Partner] {
        &self.0
    }

    /// Whether the plan is a partnership: more than one council, so there are joint services
    /// and a council filter.
    pub fn shared(&self) -> bool {
        self.0.len() > 1
    }

    fn council(partner: &Partner) -> Council {
        Council {
            id: Some(partner.id),
            code: partner.code.clone(),
            name: partner.short_name.clone(),
        }
    }

    /// Every council together: "Both councils (joint)", or "All councils (joint)" for three
    /// or more.
    pub fn joint(&self) -> Council {
        Council {
            id: None,
            code: JOINT.into(),
            name: format!("{} (joint)", self.everyone()),
        }
    }

    /// "Both councils" or "All councils" (or "The council" in a plan of one).
    pub fn everyone(&self) -> &'static str {
        match self.0.len() {
            0 | 1 => "The council",
            2 => "Both councils",
            _ => "All councils",
        }
    }

    /// The council a value or target in the database belongs to: a partner's id, or none for
    /// joint services. An id that is not the plan's partner's reads as nothing.
    pub fn by_id(&self, id: Option<i64>) -> Option<Council> {
        match id {
            None => Some(self.joint()),
            Some(id) => self.0.iter().find(|p| p.id == id).map(Self::council),
        }
    }

    /// The council of a code posted by a form: a partner's code, or `joint`.
    pub fn by_code(&self, code: &str) -> Option<Council> {
        if code == JOINT {
            return Some(self.joint());
        }
        self.0.iter().find(|p| p.code == code).map(Self::council)
    }

    /// Reads a council as a spreadsheet or a person names it: its code, name or short name in
    /// any case and spacing, or "joint" (also "both", "all", and the joint services' name).
    pub fn recognise(&self, text: &str) -> Option<Council> {
        let key = |text: &str| {
            text.trim()
                .to_lowercase()
                .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
                .filter(|word| !word.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let wanted = key(text);
        let joint = self.joint();
        if ["joint", "both", "all", "both councils", "all councils"].contains(&wanted.as_str())
            || wanted == key(joint.name())
        {
            return Some(joint);
        }
        self.0
            .iter()
            .find(|p| {
                [&p.code, &p.name, &p.short_name]
                    .iter()
                    .any(|n| key(n) == wanted)
            })
            .map(Self::council)
    }

    /// The councils an indicator reports for under `filter`: a joint indicator has one value
    /// for every council, the others one per partner.
    pub fn slots(&self, joint: bool, filter: &CouncilFilter) -> Vec<Council> {
        if joint {
            vec![self.joint()]
        } else {
            self.0
                .iter()
                .map(Self::council)
                .filter(|c| filter.includes(c))
                .collect()
        }
    }

    /// The filter an address asks for: a partner's code; anything else means every council.
    pub fn filter(&self, code: Option<&str>) -> CouncilFilter {
        match code {
            Some(code) if self.0.iter().any(|p| p.code == code) => {
                CouncilFilter::One(code.to_string())
            }
            _ => CouncilFilter::All,
        }
    }

    /// The choices of the council filter, with their labels: none in a plan of one council.
    pub fn filters(&self) -> Vec<(CouncilFilter, String)> {
        if !self.shared() {
            return Vec::new();
        }
        std::iter::once((CouncilFilter::All, self.everyone().to_string()))
            .chain(
                self.0
                    .iter()
                    .map(|p| (CouncilFilter::One(p.code.clone()), p.short_name.clone())),
            )
            .collect()
    }

    /// What a filter shows, in words: "both councils", or "North Vale".
    pub fn describe(&self, filter: &CouncilFilter) -> String {
        match filter {
            CouncilFilter::All => self.everyone().to_lowercase(),
            CouncilFilter::One(code) => self
                .0
                .iter()
                .find(|p| p.code == *code)
                .map(|p| p.short_name.clone())
                .unwrap_or_else(|| self.everyone().to_lowercase()),
        }
    }

    /// How a person may write a council, in words: "North Vale or South Downs", with "or
    /// Joint" when joint services count.
    pub fn spellings(&self, joint: bool) -> String {
        let mut names: Vec<&str> = self.0.iter().map(|p| p.short_name.as_str()).collect();
        if joint && self.shared() {
            names.push("Joint");
        }
        match names.split_last() {
            None => String::new(),
            Some((last, [])) => last.to_string(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        }
    }

    /// The councils' names in a sentence: "North Vale District Council and South Downs
    /// District Council".
    pub fn names(&self) -> String {
        let names: Vec<&str> = self.0.iter().map(|p| p.name.as_str()).collect();
        match names.split_last() {
            None => String::new(),
            Some((last, [])) => last.to_string(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        }
    }
}

/// A code for a council: lower-case letters, digits and single hyphens, made from its name
/// ("South Downs" gives `south-downs`); never the codes the filter and joint services use.
pub fn code_for(name: &str) -> Option<String> {
    let code = name
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    (!code.is_empty() && code != JOINT && code != ALL && code != "both").then_some(code)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn partner(id: i64, short_name: &str) -> Partner {
        Partner {
            id,
            code: code_for(short_name).unwrap(),
            name: format!("{short_name} District Council"),
            short_name: short_name.into(),
            ons_code: None,
        }
    }

    pub fn two() -> Councils {
        Councils::new(vec![partner(1, "North Vale"), partner(2, "South Downs")])
    }

    #[test]
    fn a_filter_shows_its_own_and_joint_values() {
        let councils = two();
        let north = councils.by_code("north-vale").unwrap();
        let south = councils.by_code("south-downs").unwrap();
        let joint = councils.by_code("joint").unwrap();
        let only_north = councils.filter(Some("north-vale"));
        assert!(only_north.includes(&north));
        assert!(only_north.includes(&joint));
        assert!(!only_north.includes(&south));
        assert!([&north, &south, &joint]
            .iter()
            .all(|c| CouncilFilter::All.includes(c)));
        assert_eq!(councils.filter(Some("nonsense")), CouncilFilter::All);
        assert_eq!(councils.filter(None), CouncilFilter::All);
        assert_eq!(councils.slots(false, &only_north), vec![north.clone()]);
        assert_eq!(councils.slots(true, &only_north), vec![joint.clone()]);
        assert_eq!(
            councils.slots(false, &CouncilFilter::All),
            vec![north.clone(), south.clone()]
        );
        assert!(
            north < south && south < joint,
            "partners in order, joint last"
        );
    }

    #[test]
    fn a_plan_of_one_council_has_no_filter_and_three_say_all() {
        let one = Councils::new(vec![partner(7, "Harbourside")]);
        assert!(!one.shared());
        assert!(one.filters().is_empty());
        assert_eq!(one.names(), "Harbourside District Council");
        let three = Councils::new(vec![
            partner(1, "North Vale"),
            partner(2, "South Downs"),
            partner(3, "East Fen"),
        ]);
        assert_eq!(three.joint().name(), "All councils (joint)");
        assert_eq!(two().joint().name(), "Both councils (joint)");
        assert_eq!(three.filters().len(), 4);
        assert_eq!(three.filters()[0].1, "All councils");
        assert_eq!(
            three.names(),
            "North Vale District Council, South Downs District Council and East Fen District Council"
        );
    }

    #[test]
    fn spreadsheets_name_councils_as_people_write_them() {
        let councils = two();
        assert_eq!(
            councils.recognise("SOUTH DOWNS").unwrap().code(),
            "south-downs"
        );
        assert_eq!(
            councils.recognise("south_downs").unwrap().code(),
            "south-downs"
        );
        assert_eq!(
            councils
                .recognise("North Vale District Council")
                .unwrap()
                .code(),
            "north-vale"
        );
        assert!(councils
            .recognise("Both councils (joint)")
            .unwrap()
            .is_joint());
        assert!(councils.recognise(" joint ").unwrap().is_joint());
        assert_eq!(councils.recognise("Ipswich"), None);
        assert_eq!(councils.by_id(Some(99)), None);
        assert!(councils.by_id(None).unwrap().is_joint());
    }

    #[test]
    fn codes_are_made_from_names() {
        assert_eq!(code_for("South  Downs").as_deref(), Some("south-downs"));
        assert_eq!(
            code_for("St. Edmundsbury!").as_deref(),
            Some("st-edmundsbury")
        );
        assert_eq!(code_for("Joint"), None);
        assert_eq!(code_for("***"), None);
    }
}
