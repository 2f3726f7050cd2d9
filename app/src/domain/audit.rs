//! The tamper-evident audit trail: each record's hash covers its content and the previous
//! record's hash, so editing or deleting any record later breaks the chain from there on.

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
    pub action: String,
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

/// A record as stored: its place in the chain and its hashes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChainedRecord {
    pub id: i64,
    pub content: AuditContent,
    pub previous_hash: String,
    pub hash: String,
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

/// The audit trail's names for changes to people and roles; changes to indicators and
/// targets use `ChangeKind`'s codes.
pub const PERSON_ADDED: &str = "person_added";
pub const ROLE_GRANTED: &str = "role_granted";
pub const ROLE_REVOKED: &str = "role_revoked";
pub const PORTFOLIO_ADDED: &str = "portfolio_added";
pub const PORTFOLIO_REMOVED: &str = "portfolio_removed";
/// The reporting cycle's names: values entered, quarters opened, closed and reopened for
/// returns, achievements written and reports published.
pub const VALUE_ENTERED: &str = "value_entered";
pub const QUARTER_OPENED: &str = "quarter_opened";
pub const QUARTER_CLOSED: &str = "quarter_closed";
pub const QUARTER_REOPENED: &str = "quarter_reopened";
pub const ACHIEVEMENTS_WRITTEN: &str = "achievements_written";
pub const REPORT_PUBLISHED: &str = "report_published";

/// An action in words, for people reading the trail.
pub fn action_label(action: &str) -> &'static str {
    match action {
        PERSON_ADDED => "Person added",
        ROLE_GRANTED => "Role given",
        ROLE_REVOKED => "Role taken away",
        PORTFOLIO_ADDED => "Output added to portfolio",
        PORTFOLIO_REMOVED => "Output taken out of portfolio",
        VALUE_ENTERED => "Value entered",
        QUARTER_OPENED => "Quarter opened for returns",
        QUARTER_CLOSED => "Quarter closed",
        QUARTER_REOPENED => "Quarter reopened",
        ACHIEVEMENTS_WRITTEN => "Achievements and impacts written",
        REPORT_PUBLISHED => "Report published",
        other => crate::domain::change_summary::ChangeKind::from_code(other)
            .map_or("Other change", |kind| kind.label()),
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
}

/// What the database keeps beside the chain about its end: how many records were appended
/// and the newest one's hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    pub records: i64,
    pub hash: String,
}

/// Checks the records in id order and that they end where the head says; returns how many
/// verified.
pub fn verify_to_head(records: &[ChainedRecord], head: &Head) -> Result<usize, ChainBreak> {
    let count = verify(records)?;
    let newest = records.last().map_or(GENESIS, |r| r.hash.as_str());
    if count as i64 != head.records || newest != head.hash {
        return Err(ChainBreak::Truncated {
            expected: head.records,
            found: count as i64,
        });
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
        };
        assert_eq!(verify_to_head(&records, &head), Ok(4));
        assert_eq!(
            verify_to_head(&records[..3], &head),
            Err(ChainBreak::Truncated {
                expected: 4,
                found: 3
            })
        );
        let empty = Head {
            records: 0,
            hash: GENESIS.into(),
        };
        assert_eq!(verify_to_head(&[], &empty), Ok(0));
    }

    fn content(n: i64) -> AuditContent {
        AuditContent {
            recorded_at: format!("2017-09-{:02}T10:00:00Z", 1 + n % 28),
            actor_id: Some(n),
            action: "amended_target".into(),
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
