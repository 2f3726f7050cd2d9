//! What the audit pages read and the server functions return.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditCheck {
    pub records: usize,
    /// The first broken record, in words, or none when the chain verifies.
    pub broken: Option<String>,
    pub latest: Option<LatestRecord>,
    /// How the trail is sealed with an audit key kept outside the database.
    pub sealing: Sealing,
    /// The newest records, newest first: every kind of change, people and roles included.
    pub recent: Vec<RecentRecord>,
}

/// Whether the trail is sealed with an audit key, and whether this server checked the seals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Sealing {
    /// No audit key: the chain shows edits, but a database writer could recompute it.
    Unsealed,
    /// Sealed with the key named, which this server holds: every seal was checked.
    Checked { key_id: String },
    /// Sealed with the key named, which this server was not given: seals not checked.
    NotChecked { key_id: String },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecentRecord {
    pub id: i64,
    pub recorded_at: String,
    pub by: Option<String>,
    pub action: String,
    pub subject: String,
    pub value_before: Option<String>,
    pub value_after: Option<String>,
    pub reason: String,
}

/// How many of the newest records the audit page lists.
pub const RECENT: usize = 50;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LatestRecord {
    pub id: i64,
    pub recorded_at: String,
    pub hash: String,
}
