//! The broker of live peer review sessions: every change to a session is stored first, then
//! its new version is published to everyone following the session, who read the state again.
//! It also knows who is following each session now, so everyone sees who is present. In one
//! process this is a broadcast channel per session; several servers sharing PostgreSQL will
//! publish through LISTEN/NOTIFY behind the same calls.

use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::broadcast;

/// What followers of a session hear, as JSON: `{"version":7}` or `{"present":["Claire Whitby"]}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Update {
    /// The session changed and is now at this version.
    Version(i64),
    /// Who is following the session now, by name in alphabetical order.
    Present(Arc<[String]>),
}

impl Update {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[derive(Default)]
struct Session {
    sender: Option<broadcast::Sender<Update>>,
    /// Each person following, with how many pages they follow it from.
    present: BTreeMap<i64, (String, usize)>,
}

#[derive(Clone, Default)]
pub struct Broker {
    sessions: Arc<Mutex<HashMap<i64, Session>>>,
}

impl Broker {
    fn sessions(&self) -> MutexGuard<'_, HashMap<i64, Session>> {
        self.sessions
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Tells everyone following `session` that it is now at `version`.
    pub fn publish(&self, session: i64, version: i64) {
        if let Some(Session {
            sender: Some(sender),
            ..
        }) = self.sessions().get(&session)
        {
            // Nobody listening is not a failure.
            let _ = sender.send(Update::Version(version));
        }
    }

    /// Follows `session`: each update published from now on.
    pub fn subscribe(&self, session: i64) -> broadcast::Receiver<Update> {
        let mut sessions = self.sessions();
        sessions.retain(|_, s| {
            !s.present.is_empty() || s.sender.as_ref().is_some_and(|t| t.receiver_count() > 0)
        });
        sessions
            .entry(session)
            .or_default()
            .sender
            .get_or_insert_with(|| broadcast::channel(64).0)
            .subscribe()
    }

    /// Who is following `session` now, by name.
    pub fn present(&self, session: i64) -> Vec<String> {
        self.sessions()
            .get(&session)
            .map(|s| names(&s.present).to_vec())
            .unwrap_or_default()
    }

    /// Marks `person` present in `session` until the returned guard is dropped, and tells
    /// everyone following it.
    pub fn join(&self, session: i64, person: i64, name: &str) -> Presence {
        self.change_presence(session, |present| {
            present
                .entry(person)
                .or_insert_with(|| (name.to_string(), 0))
                .1 += 1;
        });
        Presence {
            broker: self.clone(),
            session,
            person,
        }
    }

    fn change_presence(
        &self,
        session: i64,
        change: impl FnOnce(&mut BTreeMap<i64, (String, usize)>),
    ) {
        let mut sessions = self.sessions();
        let entry = sessions.entry(session).or_default();
        change(&mut entry.present);
        if let Some(sender) = &entry.sender {
            let _ = sender.send(Update::Present(names(&entry.present)));
        }
    }
}

fn names(present: &BTreeMap<i64, (String, usize)>) -> Arc<[String]> {
    let mut names: Vec<String> = present.values().map(|(name, _)| name.clone()).collect();
    names.sort();
    names.into()
}

/// A person's presence in a session: they leave when it is dropped (their page closed).
pub struct Presence {
    broker: Broker,
    session: i64,
    person: i64,
}

impl Drop for Presence {
    fn drop(&mut self) {
        let person = self.person;
        self.broker.change_presence(self.session, |present| {
            if let Some((_, pages)) = present.get_mut(&person) {
                *pages -= 1;
                if *pages == 0 {
                    present.remove(&person);
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn followers_of_a_session_hear_its_versions_and_no_other() {
        let broker = Broker::default();
        let mut first = broker.subscribe(1);
        let mut second = broker.subscribe(1);
        let mut other = broker.subscribe(2);
        broker.publish(1, 7);
        assert_eq!(first.recv().await.ok(), Some(Update::Version(7)));
        assert_eq!(second.recv().await.ok(), Some(Update::Version(7)));
        assert!(other.try_recv().is_err());
        broker.publish(3, 1); // nobody follows it
    }

    #[tokio::test]
    async fn people_are_present_while_any_of_their_pages_follows_the_session() {
        let broker = Broker::default();
        let mut heard = broker.subscribe(1);
        let jan = broker.join(1, 2, "Cllr Jan Osborne");
        let jan_again = broker.join(1, 2, "Cllr Jan Osborne");
        let claire = broker.join(1, 1, "Claire Whitby");
        assert_eq!(broker.present(1), ["Claire Whitby", "Cllr Jan Osborne"]);
        assert!(broker.present(2).is_empty());
        drop(jan);
        assert_eq!(broker.present(1).len(), 2, "Jan still has a page open");
        drop(jan_again);
        drop(claire);
        assert!(broker.present(1).is_empty());
        let mut last = None;
        while let Ok(update) = heard.try_recv() {
            last = Some(update);
        }
        assert_eq!(last, Some(Update::Present(Vec::<String>::new().into())));
        assert_eq!(
            Update::Present(vec!["Claire Whitby".to_string()].into()).to_json(),
            r#"{"present":["Claire Whitby"]}"#
        );
        assert_eq!(Update::Version(3).to_json(), r#"{"version":3}"#);
    }
}
