//! The tamper-evident audit trail: each record's hash covers its content and the previous
//! record's hash, so editing or deleting any record later breaks the chain from there on.
//! Anyone who can write to the database could recompute every hash, so a deployment may also
//! keep an audit key outside the database: each record's hash, and the head, are then sealed
//! with HMAC-SHA-256 under it, and a trail rewritten without the key no longer verifies.

use super::change_summary::ChangeKind;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The "previous hash" of the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What one audit record says: who did what to which subject, when, why, and the value
/// before and after.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditContent {
    pub recorded_at: String,
    pub actor_id: Option<i64>,
    pub action: AuditAction,
    pub indicator_id: Option<i64>,
    pub subject: String,
    pub value_before: Option<String>,
    pub value_after: Option<String>,
    pub reason: String,
    /// The peer review session that agreed the change, when one did. Left out of the hashed
    /// JSON when there is none, so records written before sessions existed still verify.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_session_id: Option<i64>,
}

/// A record as stored: its place in the chain, its hashes, and its seal when the trail is
/// sealed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChainedRecord {
    pub id: i64,
    pub content: AuditContent,
    pub previous_hash: String,
    pub hash: String,
    pub seal: Option<String>,
}

/// The key the audit trail is sealed with: at least 32 random bytes, written as hex, kept
/// outside the database (a file or an environment variable).
#[derive(Clone, PartialEq, Eq)]
pub struct AuditKey(Vec<u8>);

/// Why a text is not an audit key.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("an audit key is at least 64 hexadecimal digits (32 bytes), such as `openssl rand -hex 32` prints")]
pub struct NotAKey;

impl AuditKey {
    pub fn from_hex(text: &str) -> Result<AuditKey, NotAKey> {
        let text = text.trim();
        if text.len() < 64 || !text.len().is_multiple_of(2) {
            return Err(NotAKey);
        }
        (0..text.len())
            .step_by(2)
            .map(|at| u8::from_str_radix(&text[at..at + 2], 16).map_err(|_| NotAKey))
            .collect::<Result<Vec<u8>, _>>()
            .map(AuditKey)
    }

    fn mac(&self, parts: &[&str]) -> String {
        // HMAC takes a key of any length, so this cannot fail.
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.0) else {
            return String::new();
        };
        for part in parts {
            mac.update(part.as_bytes());
            mac.update(b"\n");
        }
        super::format::hex(&mac.finalize().into_bytes())
    }

    /// Names the key without revealing it, so a trail sealed with another key says so.
    pub fn id(&self) -> String {
        self.mac(&["hexplan audit key"])[..16].to_string()
    }

    /// The seal of the record numbered `id` whose hash is `hash`.
    pub fn seal_record(&self, id: i64, hash: &str) -> String {
        self.mac(&["record", &id.to_string(), hash])
    }

    /// The seal of the head: how many records the trail holds and the newest one's hash.
    pub fn seal_head(&self, records: i64, hash: &str) -> String {
        self.mac(&["head", &records.to_string(), hash])
    }
}

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AuditKey({})", self.id())
    }
}

/// SHA-256, in lower-case hex, over the previous hash, a newline, and the content as JSON
/// (fields in the order declared above).
pub fn chain_hash(previous_hash: &str, content: &AuditContent) -> String {
    let json = serde_json::to_string(content).unwrap_or_default();
    let mut hasher = Sha256::new();
    hasher.update(previous_hash.as_bytes());
    hasher.update(b"\n");
    hasher.update(json.as_bytes());
    format!("{:x}", hasher.finalize())
}

/// What an audit record records: a change to an indicator or its target (the change
/// summary's kinds), to people and their roles, or in the reporting cycle. Stored and hashed
/// as its code, so the JSON a record's hash covers is the same as when actions were text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AuditAction {
    Indicator(ChangeKind),
    PersonAdded,
    RoleGranted,
    RoleRevoked,
    PortfolioAdded,
    PortfolioRemoved,
    ValueEntered,
    QuarterOpened,
    QuarterClosed,
    QuarterReopened,
    AchievementsWritten,
    ReportPublished,
    PlanDetailsSet,
    CouncilAdded,
    CouncilChanged,
    PartAdded,
    PartRenamed,
    PartMoved,
    PartRetired,
    PlanImported,
    DataOwnerSet,
}

impl AuditAction {
    /// Every action but the indicators' changes, with its code and its words.
    const OTHERS: [(AuditAction, &'static str, &'static str); 20] = [
        (Self::PersonAdded, "person_added", "Person added"),
        (Self::RoleGranted, "role_granted", "Role given"),
        (Self::RoleRevoked, "role_revoked", "Role taken away"),
        (
            Self::PortfolioAdded,
            "portfolio_added",
            "Output added to portfolio",
        ),
        (
            Self::PortfolioRemoved,
            "portfolio_removed",
            "Output taken out of portfolio",
        ),
        (Self::ValueEntered, "value_entered", "Value entered"),
        (
            Self::QuarterOpened,
            "quarter_opened",
            "Quarter opened for returns",
        ),
        (Self::QuarterClosed, "quarter_closed", "Quarter closed"),
        (
            Self::QuarterReopened,
            "quarter_reopened",
            "Quarter reopened",
        ),
        (
            Self::AchievementsWritten,
            "achievements_written",
            "Achievements and impacts written",
        ),
        (
            Self::ReportPublished,
            "report_published",
            "Report published",
        ),
        (
            Self::PlanDetailsSet,
            "plan_details_set",
            "Plan's title or header set",
        ),
        (Self::CouncilAdded, "council_added", "Council added"),
        (Self::CouncilChanged, "council_changed", "Council changed"),
        (Self::PartAdded, "part_added", "Added to the plan"),
        (Self::PartRenamed, "part_renamed", "Renamed"),
        (Self::PartMoved, "part_moved", "Moved in the plan"),
        (Self::PartRetired, "part_retired", "Retired from the plan"),
        (
            Self::PlanImported,
            "plan_imported",
            "Plan set up from a workbook",
        ),
        (Self::DataOwnerSet, "data_owner_set", "Data owner set"),
    ];

    fn other(self) -> (&'static str, &'static str) {
        Self::OTHERS
            .iter()
            .find(|(action, _, _)| *action == self)
            .map_or(("", ""), |(_, code, label)| (*code, *label))
    }

    /// The code the database and the hashed record hold.
    pub fn code(self) -> &'static str {
        match self {
            Self::Indicator(kind) => kind.code(),
            other => other.other().0,
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        ChangeKind::from_code(code)
            .map(Self::Indicator)
            .or_else(|| {
                Self::OTHERS
                    .iter()
                    .find(|(_, known, _)| *known == code)
                    .map(|(action, _, _)| *action)
            })
    }

    /// The action in words, for people reading the trail.
    pub fn label(self) -> &'static str {
        match self {
            Self::Indicator(kind) => kind.label(),
            other => other.other().1,
        }
    }
}

impl Serialize for AuditAction {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for AuditAction {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        AuditAction::from_code(&code)
            .ok_or_else(|| serde::de::Error::custom(format!("{code:?} is no audit action")))
    }
}

/// Why the chain does not verify, naming the first record at fault.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ChainBreak {
    #[error("record {id} has been altered: its content no longer matches its hash")]
    Altered { id: i64 },
    #[error("record {id} does not follow the record before it: a record before it was deleted or altered")]
    Unlinked { id: i64 },
    #[error("record {missing} is missing: the records jump from {before} to {after}")]
    Missing {
        missing: i64,
        before: i64,
        after: i64,
    },
    #[error(
        "the newest records are missing: the trail held {expected} records and now holds {found}"
    )]
    Truncated { expected: i64, found: i64 },
    #[error("the trail is sealed with another audit key (key {sealed}, not {given})")]
    OtherKey { sealed: String, given: String },
    #[error("the trail is not sealed with the audit key: run `hexplan audit seal` once, with the servers stopped")]
    NotSealed,
    #[error("record {id} has no seal, or a seal the audit key did not make: it was written or rewritten without the key")]
    SealBroken { id: i64 },
    #[error("the head of the trail has a seal the audit key did not make: records were added or cut without the key")]
    HeadSealBroken,
}

/// What the database keeps beside the chain about its end: how many records were appended,
/// the newest one's hash, and, on a sealed trail, the head's seal and which key made it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Head {
    pub records: i64,
    pub hash: String,
    pub seal: Option<String>,
    pub key_id: Option<String>,
}

impl Head {
    /// Whether the trail is sealed with an audit key.
    pub fn is_sealed(&self) -> bool {
        self.key_id.is_some()
    }

    /// Checks the head is sealed by `key`.
    pub fn check_key(&self, key: &AuditKey) -> Result<(), ChainBreak> {
        match &self.key_id {
            None => Err(ChainBreak::NotSealed),
            Some(sealed) if *sealed != key.id() => Err(ChainBreak::OtherKey {
                sealed: sealed.clone(),
                given: key.id(),
            }),
            Some(_) if self.seal.as_deref() != Some(&key.seal_head(self.records, &self.hash)) => {
                Err(ChainBreak::HeadSealBroken)
            }
            Some(_) => Ok(()),
        }
    }
}

/// Checks the records in id order and that they end where the head says, and with `key`
/// that the head and every record carry its seal; returns how many verified.
pub fn verify_to_head(
    records: &[ChainedRecord],
    head: &Head,
    key: Option<&AuditKey>,
) -> Result<usize, ChainBreak> {
    let count = verify(records)?;
    let newest = records.last().map_or(GENESIS, |r| r.hash.as_str());
    if count as i64 != head.records || newest != head.hash {
        return Err(ChainBreak::Truncated {
            expected: head.records,
            found: count as i64,
        });
    }
    if let Some(key) = key {
        head.check_key(key)?;
        if let Some(record) = records
            .iter()
            .find(|r| r.seal.as_deref() != Some(&key.seal_record(r.id, &r.hash)))
        {
            return Err(ChainBreak::SealBroken { id: record.id });
        }
    }
    Ok(count)
}

/// Checks the records in id order; returns how many verified.
pub fn verify(records: &[ChainedRecord]) -> Result<usize, ChainBreak> {
    let mut previous_hash = GENESIS;
    let mut previous_id: Option<i64> = None;
    for record in records {
        if let Some(before) = previous_id {
            if record.id != before + 1 {
                return Err(ChainBreak::Missing {
                    missing: before + 1,
                    before,
                    after: record.id,
                });
            }
        }
        if record.previous_hash != previous_hash {
            return Err(ChainBreak::Unlinked { id: record.id });
        }
        if chain_hash(&record.previous_hash, &record.content) != record.hash {
            return Err(ChainBreak::Altered { id: record.id });
        }
        previous_hash = &record.hash;
        previous_id = Some(record.id);
    }
    Ok(records.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn records_deleted_from_the_end_are_caught_by_the_head() {
        let records = chain(4);
        let head = Head {
            records: 4,
            hash: records[3].hash.clone(),
            ..Head::default()
        };
        assert_eq!(verify_to_head(&records, &head, None), Ok(4));
        assert_eq!(
            verify_to_head(&records[..3], &head, None),
            Err(ChainBreak::Truncated {
                expected: 4,
                found: 3
            })
        );
        let empty = Head {
            records: 0,
            hash: GENESIS.into(),
            ..Head::default()
        };
        assert_eq!(verify_to_head(&[], &empty, None), Ok(0));
    }

    fn key(digit: char) -> AuditKey {
        AuditKey::from_hex(&digit.to_string().repeat(64)).unwrap()
    }

    /// The chain, its records and head sealed with `key`.
    fn sealed(length: i64, key: &AuditKey) -> (Vec<ChainedRecord>, Head) {
        let mut records = chain(length);
        for record in &mut records {
            record.seal = Some(key.seal_record(record.id, &record.hash));
        }
        let hash = records
            .last()
            .map_or(GENESIS.to_string(), |r| r.hash.clone());
        let head = Head {
            records: length,
            seal: Some(key.seal_head(length, &hash)),
            hash,
            key_id: Some(key.id()),
        };
        (records, head)
    }

    #[test]
    fn a_key_is_64_hex_digits_or_more_and_is_never_shown() {
        assert_eq!(AuditKey::from_hex("ab"), Err(NotAKey));
        assert_eq!(AuditKey::from_hex(&"zz".repeat(32)), Err(NotAKey));
        assert!(AuditKey::from_hex(&format!("{}\n", "0f".repeat(32))).is_ok());
        let shown = format!("{:?}", key('a'));
        assert!(!shown.contains("aaaa"), "{shown}");
        assert_ne!(key('a').id(), key('b').id());
    }

    #[test]
    fn a_trail_rewritten_without_the_key_does_not_verify() {
        let key = key('7');
        let (records, head) = sealed(5, &key);
        assert_eq!(verify_to_head(&records, &head, Some(&key)), Ok(5));

        // Whoever can write to the database rewrites record 3 and rehashes from there on.
        let mut rewritten = records.clone();
        rewritten[2].content.reason = "rewritten".into();
        for at in 2..5 {
            let previous = rewritten[at - 1].hash.clone();
            rewritten[at].previous_hash = previous.clone();
            rewritten[at].hash = chain_hash(&previous, &rewritten[at].content);
        }
        let rewritten_head = Head {
            hash: rewritten[4].hash.clone(),
            ..head.clone()
        };
        // Without the key the rewrite passes, as it always could.
        assert_eq!(verify_to_head(&rewritten, &rewritten_head, None), Ok(5));
        assert_eq!(
            verify_to_head(&rewritten, &rewritten_head, Some(&key)),
            Err(ChainBreak::HeadSealBroken)
        );
        // Resealing the head needs the key; a guess at it is another key.
        let guessed = Head {
            seal: Some(self::key('8').seal_head(5, &rewritten[4].hash)),
            ..rewritten_head
        };
        assert_eq!(
            verify_to_head(&rewritten, &guessed, Some(&key)),
            Err(ChainBreak::HeadSealBroken)
        );

        // Cutting the newest records and moving the head back is caught by the head's seal.
        let cut = Head {
            records: 4,
            hash: records[3].hash.clone(),
            ..head.clone()
        };
        assert_eq!(
            verify_to_head(&records[..4], &cut, Some(&key)),
            Err(ChainBreak::HeadSealBroken)
        );

        // A record without its seal, or with another's.
        let mut unsealed = records.clone();
        unsealed[1].seal = None;
        assert_eq!(
            verify_to_head(&unsealed, &head, Some(&key)),
            Err(ChainBreak::SealBroken { id: 2 })
        );
        unsealed[1].seal = records[2].seal.clone();
        assert_eq!(
            verify_to_head(&unsealed, &head, Some(&key)),
            Err(ChainBreak::SealBroken { id: 2 })
        );
    }

    #[test]
    fn a_trail_sealed_with_another_key_or_none_says_so() {
        let (records, head) = sealed(3, &key('1'));
        assert!(matches!(
            verify_to_head(&records, &head, Some(&key('2'))),
            Err(ChainBreak::OtherKey { .. })
        ));
        let plain = chain(3);
        let plain_head = Head {
            records: 3,
            hash: plain[2].hash.clone(),
            ..Head::default()
        };
        assert_eq!(
            verify_to_head(&plain, &plain_head, Some(&key('1'))),
            Err(ChainBreak::NotSealed)
        );
    }

    #[test]
    fn an_action_is_hashed_as_its_code_so_records_written_as_text_still_verify() {
        let json = serde_json::to_string(&content(1)).unwrap();
        assert!(json.contains(r#""action":"amended_target""#), "{json}");
        // The hash of this record as it was written when actions were text.
        assert_eq!(
            chain_hash(GENESIS, &content(1)),
            "23b111ef0b07abbad32868a4fcd2226651c2b24f9c9be9b91281c9dc3163ed9c"
        );
        for code in [
            "person_added",
            "quarter_reopened",
            "report_published",
            "deleted",
        ] {
            let action = AuditAction::from_code(code).unwrap();
            assert_eq!(action.code(), code);
            assert_ne!(action.label(), "");
        }
        assert_eq!(AuditAction::from_code("promoted"), None);
        assert!(serde_json::from_str::<AuditAction>(r#""promoted""#).is_err());
    }

    fn content(n: i64) -> AuditContent {
        AuditContent {
            recorded_at: format!("2017-09-{:02}T10:00:00Z", 1 + n % 28),
            actor_id: Some(n),
            action: AuditAction::Indicator(ChangeKind::AmendedTarget),
            indicator_id: Some(n * 3),
            subject: format!("target {n}"),
            value_before: Some("80%".into()),
            value_after: Some("85%".into()),
            reason: "Stretched after a strong first quarter".into(),
            review_session_id: None,
        }
    }

    fn chain(length: i64) -> Vec<ChainedRecord> {
        let mut records: Vec<ChainedRecord> = Vec::new();
        for n in 1..=length {
            let previous_hash = records
                .last()
                .map(|r| r.hash.clone())
                .unwrap_or_else(|| GENESIS.to_string());
            let content = content(n);
            let hash = chain_hash(&previous_hash, &content);
            records.push(ChainedRecord {
                id: n,
                content,
                previous_hash,
                hash,
                seal: None,
            });
        }
        records
    }

    #[test]
    fn a_known_hash_never_changes() {
        // Changing how records are hashed would break every stored chain: this pins it.
        // The same SHA-256 any tool computes over the genesis hash, a newline and the JSON.
        assert_eq!(
            chain_hash(GENESIS, &content(1)),
            "23b111ef0b07abbad32868a4fcd2226651c2b24f9c9be9b91281c9dc3163ed9c"
        );
        assert_ne!(
            chain_hash(GENESIS, &content(1)),
            chain_hash(GENESIS, &content(2))
        );
    }

    #[test]
    fn an_untouched_chain_verifies() {
        assert_eq!(verify(&chain(20)), Ok(20));
        assert_eq!(verify(&[]), Ok(0));
    }

    proptest! {
        #[test]
        fn altering_any_record_is_named(length in 1i64..30, at in 0usize..30, field in 0usize..4) {
            let mut records = chain(length);
            let at = at % records.len();
            let content = &mut records[at].content;
            match field {
                0 => content.reason.push('!'),
                1 => content.value_after = Some("99%".into()),
                2 => content.actor_id = None,
                _ => content.recorded_at = "2018-01-01T00:00:00Z".into(),
            }
            prop_assert_eq!(verify(&records), Err(ChainBreak::Altered { id: at as i64 + 1 }));
        }

        #[test]
        fn deleting_any_record_but_the_last_is_named(length in 2i64..30, at in 0usize..29) {
            let mut records = chain(length);
            let at = at % (records.len() - 1);
            records.remove(at);
            let expected = if at == 0 {
                ChainBreak::Unlinked { id: 2 }
            } else {
                ChainBreak::Missing { missing: at as i64 + 1, before: at as i64, after: at as i64 + 2 }
            };
            prop_assert_eq!(verify(&records), Err(expected));
        }

        #[test]
        fn rehashing_an_altered_record_breaks_the_next_link(length in 2i64..30, at in 0usize..29) {
            let mut records = chain(length);
            let at = at % (records.len() - 1);
            records[at].content.reason = "rewritten".into();
            records[at].hash = chain_hash(&records[at].previous_hash, &records[at].content);
            prop_assert_eq!(verify(&records), Err(ChainBreak::Unlinked { id: at as i64 + 2 }));
        }
    }
}
