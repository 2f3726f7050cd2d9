//! The demonstration data: Babergh and Mid Suffolk's Joint Strategic Plan as the December 2017
//! Overview and Scrutiny information bulletin describes it. People are fictional; values are
//! generated deterministically, so every fresh start shows the same figures.

use super::{accounts, audit, Db};
use crate::domain::audit::{AuditAction, AuditContent};
use crate::domain::change_summary::ChangeKind;
use crate::domain::reading::{reading, Rules, TargetValue, Targets};
use crate::domain::roles::Role;
use crate::domain::{format, Polarity, Quarter, Status, Unit};
use std::collections::BTreeMap;

/// The date of the June 2017 Cabinet report and of the December 2017 bulletin: the change
/// summary between them reproduces the bulletin's table.
pub const JUNE_2017_REPORT: &str = "2017-06-12";
pub const DECEMBER_2017_BULLETIN: &str = "2017-12-15";

/// The first and last quarters with values.
pub const FIRST_QUARTER: Quarter = Quarter { year: 2015, q: 1 };
pub const PARTLY_ENTERED_QUARTER: Quarter = Quarter { year: 2017, q: 3 };

const BABERGH: i64 = 1;
const MID_SUFFOLK: i64 = 2;

/// (key, name, job title, council: 0 both, 1 Babergh, 2 Mid Suffolk)
const PEOPLE: &[(&str, &str, &str, i64)] = &[
    (
        "bi",
        "Claire Whitby",
        "Corporate Business Improvement Manager",
        0,
    ),
    (
        "ad-environment",
        "Helen Marsh",
        "Assistant Director – Environment and Commercial Partnerships",
        0,
    ),
    (
        "ad-organisation",
        "David Okafor",
        "Assistant Director – Strategic Policy and Executive Support",
        0,
    ),
    (
        "ad-housing",
        "Priya Nandra",
        "Assistant Director – Housing",
        0,
    ),
    (
        "ad-communities",
        "Tom Ashworth",
        "Assistant Director – Communities and Public Access",
        0,
    ),
    (
        "ad-growth",
        "Rachel Dunmore",
        "Assistant Director – Planning for Growth",
        0,
    ),
    (
        "ad-resources",
        "Simon Wheeler",
        "Assistant Director – Corporate Resources",
        0,
    ),
    (
        "ph-b-environment",
        "Cllr Jan Osborne",
        "Cabinet Member for Environment",
        1,
    ),
    (
        "ph-b-finance",
        "Cllr Peter Hale",
        "Cabinet Member for Finance",
        1,
    ),
    (
        "ph-b-housing",
        "Cllr Mary Finch",
        "Cabinet Member for Housing",
        1,
    ),
    (
        "ph-b-communities",
        "Cllr Alan Crisp",
        "Cabinet Member for Communities",
        1,
    ),
    (
        "ph-b-economy",
        "Cllr Linda Voss",
        "Cabinet Member for Economy",
        1,
    ),
    (
        "ph-b-assets",
        "Cllr Frank Ellery",
        "Cabinet Member for Assets and Investments",
        1,
    ),
    (
        "ph-b-organisation",
        "Cllr Sue Pryke",
        "Cabinet Member for Organisational Delivery",
        1,
    ),
    (
        "ph-m-environment",
        "Cllr Graham Tye",
        "Cabinet Member for Environment",
        2,
    ),
    (
        "ph-m-finance",
        "Cllr Ruth Kemble",
        "Cabinet Member for Finance",
        2,
    ),
    (
        "ph-m-housing",
        "Cllr Nick Holloway",
        "Cabinet Member for Housing",
        2,
    ),
    (
        "ph-m-communities",
        "Cllr Jill Sayer",
        "Cabinet Member for Communities",
        2,
    ),
    (
        "ph-m-economy",
        "Cllr Derek Moss",
        "Cabinet Member for Economy",
        2,
    ),
    (
        "ph-m-assets",
        "Cllr Ann Lacey",
        "Cabinet Member for Assets and Investments",
        2,
    ),
    (
        "ph-m-organisation",
        "Cllr Keith Barrow",
        "Cabinet Member for Organisational Delivery",
        2,
    ),
    ("waste", "Mark Ellis", "Waste Services Manager", 0),
    ("streets", "Joanne Pike", "Public Realm Manager", 0),
    (
        "envprot",
        "Sanjay Mehta",
        "Environmental Protection Manager",
        0,
    ),
    ("hr", "Lucy Barnard", "Human Resources Manager", 0),
    ("revenues", "Gareth Lloyd", "Revenues Manager", 0),
    ("benefits", "Anita Kowalski", "Benefits Manager", 0),
    ("finance", "Robert Chen", "Corporate Finance Manager", 0),
    ("customer", "Emma Salter", "Customer Services Manager", 0),
    ("digital", "Owen Price", "Digital and ICT Manager", 0),
    (
        "governance",
        "Fiona Grant",
        "Information Governance Officer",
        0,
    ),
    (
        "planning",
        "Paul Hewitt",
        "Development Management Manager",
        0,
    ),
    (
        "planningpolicy",
        "Kate Morley",
        "Strategic Planning Manager",
        0,
    ),
    ("housingstrat", "Ben Adeyemi", "Housing Strategy Manager", 0),
    ("housingsol", "Sarah Quinn", "Housing Solutions Manager", 0),
    ("housingops", "Martin Fox", "Housing Operations Manager", 0),
    ("hra", "Nadia Rahman", "Housing Development Manager", 0),
    ("communities", "Chris Doyle", "Communities Manager", 0),
    ("leisure", "Hannah Webb", "Leisure Contracts Manager", 0),
    ("safety", "Ian Morris", "Community Safety Officer", 0),
    ("envhealth", "Zoe Turner", "Food and Safety Manager", 0),
    ("licensing", "Pete Gould", "Licensing Manager", 0),
    ("assets", "Laura Kent", "Corporate Property Manager", 0),
    (
        "scrutiny-chair",
        "Cllr Rosa Hart",
        "Chair, Overview and Scrutiny Committee",
        2,
    ),
    (
        "scrutiny-member",
        "Cllr Tim Bell",
        "Member, Joint Overview and Scrutiny Committee",
        1,
    ),
];

/// The password of every demonstration account (the README lists the usernames).
pub const DEMO_PASSWORD: &str = "jsp-demo-2017";

/// The role a demonstration person holds, read from their key.
fn demo_role(key: &str) -> Role {
    match key {
        "bi" => Role::BusinessImprovement,
        k if k.starts_with("ad-") => Role::AssistantDirector,
        k if k.starts_with("ph-") => Role::PortfolioHolder,
        k if k.starts_with("scrutiny-") => Role::Scrutiny,
        _ => Role::DataOwner,
    }
}

/// A demonstration username: "claire.whitby" for Claire Whitby, "jan.osborne" for Cllr Jan Osborne.
pub fn demo_username(name: &str) -> String {
    name.trim_start_matches("Cllr ")
        .to_lowercase()
        .replace(' ', ".")
}

/// (title, scope note, assistant director key, outcomes)
type OutcomeSpec = (&'static str, &'static [OutputSpec]);
/// (code, title, short title, q, r, portfolio holder keys, portfolio)
type OutputSpec = (
    &'static str,
    &'static str,
    &'static str,
    i32,
    i32,
    &'static [&'static str],
    &'static str,
);

const THEMES: &[(&str, Option<&str>, &str, &[OutcomeSpec])] = &[
    (
        "Waste & Environment",
        None,
        "ad-environment",
        &[
            (
                "Less waste and more recycling",
                &[
                    (
                        "W1",
                        "Reduce residual household waste",
                        "Less residual waste",
                        0,
                        0,
                        &["ph-b-environment", "ph-m-environment"],
                        "Environment",
                    ),
                    (
                        "W2",
                        "Increase reuse, recycling and composting",
                        "More recycling",
                        1,
                        0,
                        &["ph-b-environment", "ph-m-environment"],
                        "Environment",
                    ),
                    (
                        "W3",
                        "Keep streets and public spaces clean",
                        "Clean streets",
                        2,
                        0,
                        &["ph-b-environment", "ph-m-environment"],
                        "Environment",
                    ),
                ],
            ),
            (
                "A protected and enhanced environment",
                &[
                    (
                        "W4",
                        "Tackle fly-tipping and environmental crime",
                        "Tackle fly-tipping",
                        0,
                        1,
                        &["ph-b-environment", "ph-m-environment", "ph-b-communities"],
                        "Environment",
                    ),
                    (
                        "W5",
                        "Reduce carbon emissions and energy use",
                        "Lower carbon",
                        1,
                        1,
                        &["ph-b-environment", "ph-m-environment"],
                        "Environment",
                    ),
                ],
            ),
        ],
    ),
    (
        "Enabled & Efficient Organisation",
        None,
        "ad-organisation",
        &[
            (
                "A skilled, healthy and motivated workforce",
                &[
                    (
                        "E1",
                        "Reduce sickness absence",
                        "Less sickness absence",
                        4,
                        0,
                        &["ph-b-organisation", "ph-m-organisation"],
                        "Organisational Delivery",
                    ),
                    (
                        "E2",
                        "Develop our people",
                        "Develop our people",
                        5,
                        0,
                        &["ph-b-organisation", "ph-m-organisation"],
                        "Organisational Delivery",
                    ),
                ],
            ),
            (
                "Sound finances and efficient services",
                &[
                    (
                        "E3",
                        "Collect council tax and business rates",
                        "Collect local taxes",
                        6,
                        0,
                        &["ph-b-finance", "ph-m-finance"],
                        "Finance",
                    ),
                    (
                        "E4",
                        "Process benefits and pay suppliers promptly",
                        "Prompt payments",
                        4,
                        1,
                        &["ph-b-finance", "ph-m-finance"],
                        "Finance",
                    ),
                ],
            ),
            (
                "Customers served well, digital first",
                &[
                    (
                        "E5",
                        "Resolve customer contacts first time",
                        "Right first time",
                        5,
                        1,
                        &["ph-b-organisation", "ph-m-organisation"],
                        "Organisational Delivery",
                    ),
                    (
                        "E6",
                        "Move services online",
                        "Services online",
                        6,
                        1,
                        &["ph-b-organisation", "ph-m-organisation", "ph-m-finance"],
                        "Organisational Delivery",
                    ),
                ],
            ),
        ],
    ),
    (
        "Housing Delivery",
        None,
        "ad-housing",
        &[
            (
                "More homes of the right type in the right places",
                &[
                    (
                        "H1",
                        "Deliver affordable homes",
                        "Affordable homes",
                        8,
                        0,
                        &["ph-b-housing", "ph-m-housing"],
                        "Housing",
                    ),
                    (
                        "H2",
                        "Decide planning applications promptly",
                        "Timely planning",
                        9,
                        0,
                        &[
                            "ph-b-housing",
                            "ph-m-housing",
                            "ph-b-economy",
                            "ph-m-economy",
                        ],
                        "Housing and Planning",
                    ),
                    (
                        "H3",
                        "Bring empty homes back into use",
                        "Empty homes",
                        10,
                        0,
                        &["ph-b-housing", "ph-m-housing"],
                        "Housing",
                    ),
                ],
            ),
            (
                "Fewer homeless households and good-quality homes",
                &[
                    (
                        "H4",
                        "Prevent homelessness",
                        "Prevent homelessness",
                        8,
                        1,
                        &["ph-b-housing", "ph-m-housing"],
                        "Housing",
                    ),
                    (
                        "H5",
                        "Manage council homes well",
                        "Council homes",
                        9,
                        1,
                        &["ph-b-housing", "ph-m-housing"],
                        "Housing",
                    ),
                ],
            ),
        ],
    ),
    (
        "Community Capacity Building & Engagement",
        None,
        "ad-communities",
        &[
            (
                "Strong, resilient communities",
                &[
                    (
                        "C1",
                        "Support community-led projects",
                        "Community projects",
                        0,
                        4,
                        &["ph-b-communities", "ph-m-communities"],
                        "Communities",
                    ),
                    (
                        "C2",
                        "Grow volunteering",
                        "Volunteering",
                        1,
                        4,
                        &["ph-b-communities", "ph-m-communities"],
                        "Communities",
                    ),
                ],
            ),
            (
                "Healthy, active and safe communities",
                &[
                    (
                        "C3",
                        "Increase physical activity",
                        "Active lives",
                        0,
                        5,
                        &["ph-b-communities", "ph-m-communities"],
                        "Communities",
                    ),
                    (
                        "C4",
                        "Make communities safer",
                        "Safer places",
                        1,
                        5,
                        &["ph-b-communities", "ph-m-communities", "ph-b-environment"],
                        "Communities",
                    ),
                ],
            ),
        ],
    ),
    (
        "Business Growth & Productivity",
        None,
        "ad-growth",
        &[
            (
                "Thriving businesses and high-value jobs",
                &[
                    (
                        "B1",
                        "Help businesses to start and grow",
                        "Business growth",
                        4,
                        4,
                        &["ph-b-economy", "ph-m-economy"],
                        "Economy",
                    ),
                    (
                        "B2",
                        "Keep market towns vibrant",
                        "Market towns",
                        5,
                        4,
                        &["ph-b-economy", "ph-m-economy"],
                        "Economy",
                    ),
                ],
            ),
            (
                "Infrastructure for growth",
                &[
                    (
                        "B3",
                        "Bring superfast broadband to homes and businesses",
                        "Broadband",
                        4,
                        5,
                        &["ph-b-economy", "ph-m-economy"],
                        "Economy",
                    ),
                    (
                        "B4",
                        "Build skills for local employers",
                        "Local skills",
                        5,
                        5,
                        &["ph-b-economy", "ph-m-economy"],
                        "Economy",
                    ),
                ],
            ),
        ],
    ),
    (
        "Assets & Investments",
        Some("Housing-related indicators only so far"),
        "ad-resources",
        &[
            (
                "Assets that earn and serve communities",
                &[
                    (
                        "A1",
                        "Maximise income from commercial assets",
                        "Asset income",
                        8,
                        4,
                        &["ph-b-assets", "ph-m-assets"],
                        "Assets and Investments",
                    ),
                    (
                        "A2",
                        "Release council land for new homes",
                        "Land for homes",
                        9,
                        4,
                        &["ph-b-assets", "ph-m-assets", "ph-b-housing"],
                        "Assets and Investments",
                    ),
                ],
            ),
            (
                "Investment in new council homes",
                &[
                    (
                        "A3",
                        "Build new council homes",
                        "New council homes",
                        8,
                        5,
                        &["ph-b-assets", "ph-m-assets", "ph-m-housing"],
                        "Assets and Investments",
                    ),
                    (
                        "A4",
                        "Keep the Housing Revenue Account business plan sound",
                        "HRA business plan",
                        9,
                        5,
                        &["ph-b-assets", "ph-m-assets"],
                        "Assets and Investments",
                    ),
                ],
            ),
        ],
    ),
];

/// (code, title, likelihood, impact, owner key): the Strategic Risk Register.
const RISKS: &[(&str, &str, i64, i64, &str)] = &[
    (
        "SRR01",
        "We do not deliver the homes our communities need",
        3,
        4,
        "ad-housing",
    ),
    (
        "SRR02",
        "Homelessness rises beyond our capacity to respond",
        3,
        4,
        "ad-housing",
    ),
    (
        "SRR03",
        "The gap in the medium-term financial strategy is not closed",
        3,
        4,
        "ad-resources",
    ),
    (
        "SRR04",
        "Recycling falls and waste disposal costs rise",
        3,
        3,
        "ad-environment",
    ),
    (
        "SRR05",
        "We lose key staff and skills",
        3,
        3,
        "ad-organisation",
    ),
    (
        "SRR06",
        "A cyber attack or loss of ICT disrupts services",
        2,
        4,
        "ad-organisation",
    ),
    (
        "SRR07",
        "Commercial and housing investments do not return what was planned",
        3,
        4,
        "ad-resources",
    ),
    (
        "SRR08",
        "Community resilience weakens as voluntary sector funding falls",
        2,
        3,
        "ad-communities",
    ),
];

/// The definitions the refined indicators had before the June 2017 report.
const EARLIER_DEFINITIONS: &[(&str, &str)] = &[
    (
        "WE01",
        "Residual household waste per household in the quarter.",
    ),
    ("WE07", "Percentage of household waste recycled."),
    (
        "HD07",
        "Major planning applications decided within 13 weeks.",
    ),
    (
        "HD08",
        "Minor planning applications decided within 8 weeks.",
    ),
    ("HD18", "Homelessness cases prevented."),
];

/// Collection rates build through the year on a known profile, not pro rata.
const COLLECTION_PROFILE: [f64; 4] = [0.29, 0.57, 0.85, 1.0];
const COLLECTION_CODES: &[&str] = &["EE11", "EE12"];

const ACHIEVEMENTS: &[(&str, &str)] = &[
    ("Garden waste subscriptions passed 23,000 households and the food waste trial started in two parishes.", "Less residual waste is going to energy from waste, which saves disposal costs."),
    ("Three fly-tipping prosecutions succeeded and camera surveillance covered ten hot spots.", "Reports of fly-tipping fell in the areas covered by cameras."),
    ("A new attendance policy and manager training were introduced across both councils.", "Short-term absence has started to fall."),
    ("Council tax and business rates collection stayed on profile through the move to the new system.", "Income for services is secure for the year."),
    ("The online account launched with 14 services, from missed bins to council tax.", "One in three transactions is now completed online, freeing advisers for complex enquiries."),
    ("Affordable homes completed at four rural sites with housing associations.", "Families on the housing register moved into homes in their own villages."),
    ("The Homelessness Reduction Act trailblazer work began with Suffolk partners.", "More households were helped before they lost their homes."),
    ("Community grants supported 22 projects, from village halls to youth clubs.", "Each pound of grant attracted more than two pounds of other funding."),
    ("Holiday activity programmes reached over 1,000 children.", "Children in low-income families had active, healthy holidays."),
    ("The economic development team was brought together under the Planning for Growth directorate.", "Indicators for this theme will be reported from Q3."),
    ("Broadband roll-out with Better Broadband for Suffolk continued.", "Indicators for this theme will be reported from Q3."),
    ("Two garage sites were released for new council homes.", "Underused land is becoming homes for local people."),
    ("The first homes in the council house-building programme started on site.", "The Housing Revenue Account is investing in new homes for rent."),
];

/// A small deterministic generator (SplitMix64), so the demonstration figures never change.
struct Dice(u64);

impl Dice {
    fn for_key(key: &str) -> Self {
        // FNV-1a over the key.
        let seed = key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        });
        Dice(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A number in [-1, 1).
    fn signed(&mut self) -> f64 {
        self.unit() * 2.0 - 1.0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

/// One line of `indicators.psv`.
pub struct DemoIndicator {
    pub output: &'static str,
    pub code: &'static str,
    pub story: &'static str,
    pub tracking: bool,
    pub unit: Unit,
    pub polarity: Polarity,
    pub cumulative: bool,
    pub joint: bool,
    pub base: f64,
    pub goal: f64,
    pub flags: Vec<&'static str>,
    pub owner: &'static str,
    pub title: &'static str,
    pub definition: &'static str,
}

impl DemoIndicator {
    fn is_new(&self) -> bool {
        self.story == "N"
    }
    fn is_proposed(&self) -> bool {
        self.story == "P"
    }
    fn is_deleted(&self) -> bool {
        self.story == "D"
    }
}

/// The demonstration indicators, read from the table beside this file.
pub fn indicators() -> Vec<DemoIndicator> {
    include_str!("demo/indicators.psv")
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .filter_map(|line| {
            let f: Vec<&'static str> = line.split('|').collect();
            if f.len() != 14 {
                return None;
            }
            Some(DemoIndicator {
                output: f[0],
                code: f[1],
                story: f[2],
                tracking: f[3] == "T",
                unit: Unit::from_code(f[4])?,
                polarity: Polarity::from_code(f[5])?,
                cumulative: f[6] == "y",
                joint: f[7] == "y",
                base: f[8].parse().ok()?,
                goal: f[9].parse().ok()?,
                flags: f[10].split(',').filter(|s| !s.is_empty()).collect(),
                owner: f[11],
                title: f[12],
                definition: f[13],
            })
        })
        .collect()
}

/// Loads the demonstration data into an empty database, in one transaction.
pub async fn seed_if_empty(db: &Db) -> Result<(), sqlx::Error> {
    let (themes,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM theme")
        .fetch_one(db)
        .await?;
    if themes > 0 {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    seed(&mut tx).await?;
    super::catch_up_ids(&mut tx).await?;
    tx.commit().await?;
    publish_june_2017_report(db).await
}

/// The archive starts with the report Cabinet received in June 2017, on 2016/17 H2, published
/// by Business Improvement as the reporting cycle does it.
async fn publish_june_2017_report(db: &Db) -> Result<(), sqlx::Error> {
    let (person_id, name): (i64, String) =
        sqlx::query_as("SELECT id, name FROM person WHERE id = (SELECT person_id FROM role_grant WHERE role = 'business_improvement' ORDER BY person_id LIMIT 1)")
            .fetch_one(db)
            .await?;
    let bi = crate::domain::roles::User {
        person_id,
        name,
        roles: [Role::BusinessImprovement].into(),
        portfolio: Default::default(),
        directed: Default::default(),
    };
    let failed = |error: crate::error::AppError| sqlx::Error::Protocol(error.to_string());
    let period = crate::model::reports::ReportPeriod::Half(crate::domain::HalfYear {
        year: 2016,
        half: 2,
    });
    let id = super::reports::create_at(db, &bi, period, &format!("{JUNE_2017_REPORT}T09:00:00Z"))
        .await
        .map_err(failed)?;
    super::reports::publish_at(db, &bi, id, &format!("{JUNE_2017_REPORT}T10:00:00Z"))
        .await
        .map_err(failed)?;
    Ok(())
}

async fn seed(tx: &mut sqlx::Transaction<'_, sqlx::Any>) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO organisation (id, code, name, short_name, ons_code) VALUES ($1, 'babergh', 'Babergh District Council', 'Babergh', 'E07000200'), ($2, 'mid-suffolk', 'Mid Suffolk District Council', 'Mid Suffolk', 'E07000203')")
        .bind(BABERGH)
        .bind(MID_SUFFOLK)
        .execute(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO plan (id, title, header, demonstration, starts_on, ends_on) VALUES (1, 'Joint Strategic Plan 2016–20', 'Babergh and Mid Suffolk District Councils', TRUE, '2016-04-01', '2020-03-31')")
        .execute(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO plan_organisation (plan_id, organisation_id) VALUES (1, $1), (1, $2)")
        .bind(BABERGH)
        .bind(MID_SUFFOLK)
        .execute(&mut **tx)
        .await?;

    // Every demonstration account shares one password, so it is hashed once.
    let password_hash = accounts::hash_password(DEMO_PASSWORD)
        .await
        .map_err(|error| sqlx::Error::Protocol(error.to_string()))?;
    let mut people: BTreeMap<&str, i64> = BTreeMap::new();
    for (index, (key, name, job_title, council)) in PEOPLE.iter().enumerate() {
        let id = index as i64 + 1;
        let email = format!(
            "{}@baberghmidsuffolk.example",
            name.trim_start_matches("Cllr ")
                .to_lowercase()
                .replace(' ', ".")
        );
        sqlx::query("INSERT INTO person (id, name, job_title, email, organisation_id) VALUES ($1, $2, $3, $4, $5)")
            .bind(id)
            .bind(name)
            .bind(job_title)
            .bind(email)
            .bind((*council > 0).then_some(*council))
            .execute(&mut **tx)
            .await?;
        people.insert(key, id);
        sqlx::query("INSERT INTO account (person_id, username, password_hash) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(demo_username(name))
            .bind(&password_hash)
            .execute(&mut **tx)
            .await?;
        sqlx::query("INSERT INTO role_grant (person_id, role) VALUES ($1, $2)")
            .bind(id)
            .bind(demo_role(key).code())
            .execute(&mut **tx)
            .await?;
    }
    let person = |key: &str| people.get(key).copied();

    let mut outputs: BTreeMap<&str, (i64, i64)> = BTreeMap::new(); // code -> (output id, theme id)
    let mut outcome_ids = Vec::new();
    for (theme_index, (title, scope_note, director, outcomes)) in THEMES.iter().enumerate() {
        let theme_id = theme_index as i64 + 1;
        sqlx::query("INSERT INTO theme (id, plan_id, position, title, scope_note, assistant_director_id) VALUES ($1, 1, $2, $3, $4, $5)")
            .bind(theme_id)
            .bind(theme_id)
            .bind(title)
            .bind(scope_note)
            .bind(person(director))
            .execute(&mut **tx)
            .await?;
        for (outcome_index, (outcome_title, outcome_outputs)) in outcomes.iter().enumerate() {
            let outcome_id: i64 = sqlx::query_scalar(
                "INSERT INTO outcome (theme_id, position, title) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(theme_id)
            .bind(outcome_index as i64 + 1)
            .bind(outcome_title)
            .fetch_one(&mut **tx)
            .await?;
            outcome_ids.push(outcome_id);
            for (code, output_title, short_title, q, r, holders, portfolio) in
                outcome_outputs.iter()
            {
                let output_id: i64 = sqlx::query_scalar(
                    "INSERT INTO output (outcome_id, code, title, short_title, hex_q, hex_r) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(outcome_id)
                .bind(code)
                .bind(output_title)
                .bind(short_title)
                .bind(q)
                .bind(r)
                .fetch_one(&mut **tx)
                .await?;
                outputs.insert(code, (output_id, theme_id));
                for holder in holders.iter() {
                    sqlx::query("INSERT INTO portfolio_holder (output_id, person_id, portfolio) VALUES ($1, $2, $3)")
                        .bind(output_id)
                        .bind(person(holder))
                        .bind(portfolio)
                        .execute(&mut **tx)
                        .await?;
                }
            }
        }
    }

    let mut risks: BTreeMap<&str, i64> = BTreeMap::new();
    for (code, title, likelihood, impact, owner) in RISKS {
        let id: i64 = sqlx::query_scalar("INSERT INTO risk (code, title, likelihood, impact, owner_id) VALUES ($1, $2, $3, $4, $5) RETURNING id")
            .bind(code)
            .bind(title)
            .bind(likelihood)
            .bind(impact)
            .bind(person(owner))
            .fetch_one(&mut **tx)
            .await?;
        risks.insert(code, id);
    }

    for (outcome_id, (achievements, impacts)) in outcome_ids.iter().zip(ACHIEVEMENTS) {
        sqlx::query(
            "INSERT INTO achievement (outcome_id, financial_year, half, achievements, impacts, written_by_id, written_at)
             VALUES ($1, 2017, 1, $2, $3, $4, '2017-10-20T10:00:00Z')",
        )
        .bind(outcome_id)
        .bind(achievements)
        .bind(impacts)
        .bind(person("bi"))
        .execute(&mut **tx)
        .await?;
    }

    // Every quarter with values has been returned and closed; the partly entered one is open.
    for quarter in Quarter::range(FIRST_QUARTER, PARTLY_ENTERED_QUARTER) {
        let deadline = crate::domain::returns::usual_deadline(quarter);
        let open = quarter == PARTLY_ENTERED_QUARTER;
        sqlx::query("INSERT INTO return_period (financial_year, quarter, deadline, closed_at, closed_by_id) VALUES ($1, $2, $3, $4, $5)")
            .bind(quarter.year)
            .bind(i64::from(quarter.q))
            .bind(deadline)
            .bind((!open).then(|| format!("{}T17:00:00Z", deadline.iso())))
            .bind((!open).then(|| person("bi")).flatten())
            .execute(&mut **tx)
            .await?;
    }

    let mut history: Vec<AuditContent> = Vec::new();
    for (index, indicator) in indicators().iter().enumerate() {
        let Some(&(output_id, theme_id)) = outputs.get(indicator.output) else {
            continue;
        };
        let director = THEMES[(theme_id - 1) as usize].2;
        let lifecycle = if indicator.is_proposed() {
            "proposed"
        } else if indicator.is_deleted() {
            "deleted"
        } else {
            "active"
        };
        let earlier_definition = EARLIER_DEFINITIONS
            .iter()
            .find(|(code, _)| *code == indicator.code)
            .map(|(_, d)| *d);
        let indicator_id: i64 = sqlx::query_scalar(
            "INSERT INTO indicator (code, title, definition, kind, unit, polarity, cumulative, joint, data_owner_id,
                key_to_delivery, financial_sensitivity, political_sensitivity, reputational_sensitivity, lifecycle)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
        )
        .bind(indicator.code)
        .bind(indicator.title)
        .bind(indicator.definition)
        .bind(if indicator.tracking { "tracking" } else { "influencing" })
        .bind(indicator.unit.code())
        .bind(indicator.polarity.code())
        .bind(indicator.cumulative)
        .bind(indicator.joint)
        .bind(person(indicator.owner))
        .bind(indicator.flags.contains(&"k"))
        .bind(indicator.flags.contains(&"f"))
        .bind(indicator.flags.contains(&"p"))
        .bind(indicator.flags.contains(&"r"))
        .bind(lifecycle)
        .fetch_one(&mut **tx)
        .await?;
        sqlx::query("INSERT INTO indicator_output (indicator_id, output_id, is_primary) VALUES ($1, $2, TRUE)")
            .bind(indicator_id)
            .bind(output_id)
            .execute(&mut **tx)
            .await?;
        for flag in &indicator.flags {
            if let Some(risk_id) = risks.get(flag) {
                sqlx::query("INSERT INTO indicator_risk (indicator_id, risk_id) VALUES ($1, $2)")
                    .bind(indicator_id)
                    .bind(risk_id)
                    .execute(&mut **tx)
                    .await?;
            }
        }

        // The story of the indicator, as recorded changes.
        let mut dice = Dice::for_key(indicator.code);
        let day_in_interval = |dice: &mut Dice, from_month: u32| {
            let month = from_month + (dice.next() % 3) as u32;
            format!(
                "2017-{month:02}-{:02}T{:02}:{:02}:00Z",
                3 + dice.next() % 25,
                9 + dice.next() % 8,
                dice.next() % 60
            )
        };
        let record = |kind: ChangeKind,
                      at: String,
                      by: Option<i64>,
                      reason: String,
                      before: Option<String>,
                      after: Option<String>| AuditContent {
            recorded_at: at,
            actor_id: by,
            action: AuditAction::Indicator(kind),
            indicator_id: Some(indicator_id),
            subject: format!("indicator {}", indicator.code),
            value_before: before,
            value_after: after,
            reason,
            review_session_id: None,
        };
        let holder = THEMES[(theme_id - 1) as usize]
            .3
            .iter()
            .flat_map(|(_, outputs)| outputs.iter())
            .find(|o| o.0 == indicator.output)
            .and_then(|o| o.5.first().copied())
            .and_then(&person);
        match indicator.story {
            "N" => {
                history.push(record(
                    ChangeKind::New,
                    day_in_interval(&mut dice, 7),
                    holder,
                    format!(
                        "Chosen with the Portfolio Holder to monitor delivery of the output: {}",
                        indicator.title.to_lowercase()
                    ),
                    None,
                    Some(indicator.title.to_string()),
                ));
            }
            "P" => {
                history.push(record(
                    ChangeKind::Proposed,
                    day_in_interval(&mut dice, 10),
                    person(director),
                    "Proposed by the Assistant Director; to be confirmed by leaders".to_string(),
                    None,
                    Some(indicator.title.to_string()),
                ));
            }
            _ => {
                history.push(record(
                    ChangeKind::New,
                    "2016-04-01T09:00:00Z".to_string(),
                    person("bi"),
                    "Adopted in the performance framework for the Joint Strategic Plan 2016–20"
                        .to_string(),
                    None,
                    Some(indicator.title.to_string()),
                ));
            }
        }
        if indicator.is_deleted() {
            let reason = *dice.pick(&[
                "No longer aligned with the refreshed JSP outcomes",
                "Replaced by a more outcome-focused measure agreed with the Portfolio Holder",
                "The data is no longer collected in a comparable way",
            ]);
            history.push(record(
                ChangeKind::Deleted,
                day_in_interval(&mut dice, 7),
                holder,
                reason.to_string(),
                None,
                None,
            ));
        }
        if let Some(before) = earlier_definition {
            history.push(record(
                ChangeKind::Refined,
                day_in_interval(&mut dice, 8),
                person(director),
                "Definition aligned with the national return so that councils can be compared"
                    .to_string(),
                Some(before.to_string()),
                Some(indicator.definition.to_string()),
            ));
        }

        seed_values(
            tx,
            indicator,
            indicator_id,
            index,
            holder,
            &person,
            &mut history,
        )
        .await?;
    }

    // The audit trail runs in time order, as if each change had been made on its day.
    history.sort_by(|a, b| a.recorded_at.cmp(&b.recorded_at));
    for content in &history {
        audit::append(tx, content).await?;
    }
    Ok(())
}

/// The councils an indicator reports for, with the size of each relative to Babergh.
fn councils(indicator: &DemoIndicator) -> Vec<(Option<i64>, &'static str, f64)> {
    if indicator.joint {
        vec![(None, "joint", 1.0)]
    } else {
        let scales = matches!(indicator.unit, Unit::Count | Unit::Pounds);
        vec![
            (Some(BABERGH), "babergh", 1.0),
            (
                Some(MID_SUFFOLK),
                "mid-suffolk",
                if scales { 1.1 } else { 1.0 },
            ),
        ]
    }
}

fn tolerance(indicator: &DemoIndicator) -> f64 {
    if COLLECTION_CODES.contains(&indicator.code) {
        1.0
    } else if indicator.unit == Unit::Percent && indicator.goal >= 95.0 {
        2.0
    } else {
        10.0
    }
}

fn round(value: f64, unit: Unit) -> f64 {
    let places = match unit {
        Unit::Percent | Unit::Days | Unit::Kilograms | Unit::Weeks => 10.0,
        Unit::Count | Unit::Seconds => {
            if value.abs() < 20.0 {
                10.0
            } else {
                1.0
            }
        }
        Unit::Pounds => {
            if value.abs() < 20.0 {
                100.0
            } else {
                1.0
            }
        }
        Unit::Score => 10.0,
    };
    let rounded = (value * places).round() / places;
    let (low, high) = unit.bounds();
    rounded.clamp(low, high)
}

/// The annual target of a financial year: a third of the way to the goal in 2015/16, two
/// thirds in 2016/17, the goal in 2017/18.
fn annual_target(indicator: &DemoIndicator, year: i32, scale: f64) -> f64 {
    let step = f64::from((year - 2014).clamp(1, 3)) / 3.0;
    round(
        (indicator.base + (indicator.goal - indicator.base) * step) * scale,
        indicator.unit,
    )
}

fn profile(indicator: &DemoIndicator, q: u8) -> f64 {
    if COLLECTION_CODES.contains(&indicator.code) {
        COLLECTION_PROFILE[usize::from(q) - 1]
    } else {
        f64::from(q) / 4.0
    }
}

#[allow(clippy::too_many_arguments)]
async fn seed_values(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    indicator: &DemoIndicator,
    indicator_id: i64,
    index: usize,
    holder: Option<i64>,
    person: &impl Fn(&str) -> Option<i64>,
    history: &mut Vec<AuditContent>,
) -> Result<(), sqlx::Error> {
    if indicator.is_proposed() {
        return Ok(());
    }
    let judged = indicator.polarity != Polarity::DataOnly;
    let target_years: Vec<i32> = if indicator.is_new() {
        vec![2017]
    } else {
        vec![2015, 2016, 2017]
    };
    let first = if indicator.is_new() {
        Quarter::new(2016, 1).unwrap_or(FIRST_QUARTER)
    } else {
        FIRST_QUARTER
    };
    let last = if indicator.is_deleted() {
        Quarter { year: 2017, q: 1 }
    } else {
        PARTLY_ENTERED_QUARTER
    };
    let amended = indicator.story == "KA";
    let owner = person(indicator.owner);

    for (organisation_id, council_code, scale) in councils(indicator) {
        let mut dice = Dice::for_key(&format!("{}:{council_code}", indicator.code));
        // How far along the way to its goal this council gets: most get close, some miss.
        let achieved = *dice.pick(&[1.15, 1.05, 0.95, 0.85, 0.6, 0.3, -0.2]);
        let mut targets = Targets::default();

        if judged {
            for year in &target_years {
                let value = annual_target(indicator, *year, scale);
                let target = TargetValue {
                    value,
                    amber_tolerance: tolerance(indicator),
                };
                targets.annual.insert(*year, target);
                let version = if amended && *year == 2017 { 2 } else { 1 };
                insert_target(
                    tx,
                    indicator_id,
                    organisation_id,
                    *year,
                    None,
                    target,
                    version,
                    holder,
                )
                .await?;
                if COLLECTION_CODES.contains(&indicator.code) {
                    for q in 1..=3u8 {
                        let quarterly = TargetValue {
                            value: round(value * profile(indicator, q), indicator.unit),
                            amber_tolerance: tolerance(indicator),
                        };
                        if let Some(quarter) = Quarter::new(*year, q) {
                            targets.quarterly.insert(quarter, quarterly);
                        }
                        insert_target(
                            tx,
                            indicator_id,
                            organisation_id,
                            *year,
                            Some(q),
                            quarterly,
                            1,
                            holder,
                        )
                        .await?;
                    }
                }
            }
            if amended {
                let earlier = round(
                    (indicator.base + (indicator.goal - indicator.base) * 0.8) * scale,
                    indicator.unit,
                );
                let now = annual_target(indicator, 2017, scale);
                let month = 9 + (dice.next() % 2) as u32;
                history.push(AuditContent {
                    recorded_at: format!(
                        "2017-{month:02}-{:02}T14:{:02}:00Z",
                        4 + dice.next() % 20,
                        dice.next() % 60
                    ),
                    actor_id: holder,
                    action: AuditAction::Indicator(ChangeKind::AmendedTarget),
                    indicator_id: Some(indicator_id),
                    subject: format!(
                        "target {}, {}, 2017/18",
                        indicator.code,
                        council_label(council_code)
                    ),
                    value_before: Some(format::value(earlier, indicator.unit)),
                    value_after: Some(format::value(now, indicator.unit)),
                    reason: format!(
                        "2017/18 target for {} stretched after a strong first quarter",
                        council_label(council_code)
                    ),
                    review_session_id: None,
                });
            }
        }

        let rules = Rules {
            polarity: indicator.polarity,
            cumulative: indicator.cumulative,
        };
        let mut series: BTreeMap<Quarter, f64> = BTreeMap::new();
        for quarter in Quarter::range(first, last) {
            if quarter == PARTLY_ENTERED_QUARTER && (index * 7 + council_code.len()) % 100 >= 45 {
                continue;
            }
            let progress = f64::from((quarter.index() - FIRST_QUARTER.index()).min(9)) / 9.0;
            let drift = if judged { 0.0 } else { 0.05 * dice.signed() };
            let level = (indicator.base + (indicator.goal - indicator.base) * achieved * progress)
                * scale
                * (1.0 + drift);
            let noise = 1.0 + 0.03 * dice.signed();
            let value = if indicator.cumulative {
                level * profile(indicator, quarter.q) * noise
            } else {
                level * noise
            };
            let value = round(value, indicator.unit);
            series.insert(quarter, value);
            let judged_now = reading(&series, &targets, quarter, rules);
            let commentary = commentary(
                &mut dice,
                indicator,
                judged_now.status,
                value,
                judged_now.target,
            );
            let entered_in = quarter.last_day().end_of_month_after(1).iso();
            sqlx::query(
                "INSERT INTO measurement (indicator_id, organisation_id, financial_year, quarter, value, commentary, entered_by_id, entered_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(indicator_id)
            .bind(organisation_id)
            .bind(quarter.year)
            .bind(i64::from(quarter.q))
            .bind(value)
            .bind(commentary)
            .bind(owner)
            .bind(format!("{}-{:02}T{:02}:{:02}:00Z", &entered_in[..7], 8 + dice.next() % 14, 9 + dice.next() % 8, dice.next() % 60))
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

fn council_label(code: &str) -> &'static str {
    match code {
        "babergh" => "Babergh",
        "mid-suffolk" => "Mid Suffolk",
        _ => "both councils",
    }
}

#[allow(clippy::too_many_arguments)]
async fn insert_target(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    indicator_id: i64,
    organisation_id: Option<i64>,
    year: i32,
    quarter: Option<u8>,
    target: TargetValue,
    version: i64,
    set_by: Option<i64>,
) -> Result<(), sqlx::Error> {
    let set_at = if version > 1 {
        "2017-09-15T10:00:00Z".to_string()
    } else {
        format!("{year}-03-20T10:00:00Z")
    };
    sqlx::query(
        "INSERT INTO target (indicator_id, organisation_id, financial_year, quarter, value, amber_tolerance, version, set_by_id, set_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(indicator_id)
    .bind(organisation_id)
    .bind(year)
    .bind(quarter.map(i64::from))
    .bind(target.value)
    .bind(target.amber_tolerance)
    .bind(version)
    .bind(set_by)
    .bind(set_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What a data owner writes beside a value.
fn commentary(
    dice: &mut Dice,
    indicator: &DemoIndicator,
    status: Status,
    value: f64,
    target: Option<f64>,
) -> String {
    let value = format::value(value, indicator.unit);
    let target = target
        .map(|t| format::value(t, indicator.unit))
        .unwrap_or_default();
    match status {
        Status::Green => format!(
            "{value}, on target ({target}). {}",
            dice.pick(&[
                "The improvement reflects the new ways of working introduced this year.",
                "Performance held up well despite seasonal pressures.",
                "Additional resources agreed by Cabinet are having an effect.",
                "The team will keep the current approach and monitor closely.",
                "Good joint working with partners contributed to this result.",
            ])
        ),
        Status::Amber => format!(
            "{value}, just short of the target of {target}. {}",
            dice.pick(&[
                "Two vacancies in the team affected the quarter; recruitment is under way.",
                "Demand was higher than expected over the summer.",
                "A new IT system bedded in during the quarter and slowed processing for some weeks.",
                "We expect to recover by the year end as the backlog clears.",
            ])
        ),
        Status::Red => format!(
            "{value}, below the target of {target}. {} An improvement plan has been agreed with the Portfolio Holder.",
            dice.pick(&[
                "Staff absence and a spike in demand combined this quarter.",
                "The contractor's performance fell short and has been formally challenged.",
                "Changes to national guidance mean more cases take longer to resolve.",
                "Fewer schemes than expected reached completion because of delays on site.",
            ])
        ),
        Status::Grey => format!(
            "{value} this quarter. {}",
            dice.pick(&[
                "Reported for information.",
                "Reported for context; there is no target for this measure.",
                "The figure is in line with the usual pattern for this time of year.",
            ])
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::THEMES;
    use crate::domain::hexmap::geometry::MAP;
    use crate::domain::hexmap::{first_overlap, label, HexPosition};

    /// Every output of the demonstration's map, with its cell and the words in its hexagon.
    fn hexagons() -> Vec<(&'static str, HexPosition, &'static str)> {
        THEMES
            .iter()
            .flat_map(|(_, _, _, outcomes)| outcomes.iter())
            .flat_map(|(_, outputs)| outputs.iter())
            .map(|(code, _, short, q, r, _, _)| (*code, HexPosition { q: *q, r: *r }, *short))
            .collect()
    }

    #[test]
    fn the_demonstration_map_has_every_label_inside_its_hexagon_and_no_overlaps() {
        let hexagons = hexagons();
        assert_eq!(hexagons.len(), 28);
        assert_eq!(
            first_overlap(hexagons.iter().map(|(c, p, _)| (*c, *p))),
            None
        );
        for (code, position, short) in &hexagons {
            // The widest counts a hexagon can show.
            let fitted = label::fit(&MAP, short, "✓99 ▲99 ✕99 –99");
            assert!(!fitted.shortened, "{code} {short:?} is cut short");
            let centre = MAP.centre(*position);
            for line in fitted.lines() {
                let (left, top, right, bottom) = line.bounds(centre);
                for corner in [(left, top), (right, top), (left, bottom), (right, bottom)] {
                    assert!(
                        MAP.contains(centre, corner),
                        "{code}: {:?} leaves its hexagon",
                        line.text
                    );
                    // And lies in no other hexagon.
                    for (other, there, _) in &hexagons {
                        if other != code {
                            assert!(
                                !MAP.contains(MAP.centre(*there), corner),
                                "{code} reaches into {other}"
                            );
                        }
                    }
                }
            }
        }
    }
}
