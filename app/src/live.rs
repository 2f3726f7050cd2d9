//! The broker of live peer review sessions: every change to a session is stored first, then
//! its new version is published to everyone following the session, who read the state again.
//! It also knows who is following each session now, so everyone sees who is present.
//!
//! In one process this is a broadcast channel per session. Several servers sharing PostgreSQL
//! relay through it: each server tells the others its news (a new version, or who follows a
//! session through it) with NOTIFY, and hears theirs with LISTEN (`server/src/relay.rs`), so a
//! participant sees the same state whichever server they are connected to.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::{broadcast, mpsc};

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

/// What one server tells the others about a session.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Relayed {
    /// The server it comes from (each hears its own news too, and skips it).
    origin: u64,
    session: i64,
    news: News,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum News {
    Version(i64),
    /// Everyone following the session through that server: person and name.
    Present(Vec<(i64, String)>),
}

/// How long another server's list of who is present holds without being repeated: each
/// server repeats its lists every [`REPEAT_PRESENCE`], so a server that stops without a word
/// drops out of everyone's list soon after.
const PRESENCE_HOLDS: Duration = Duration::from_secs(30);
pub const REPEAT_PRESENCE: Duration = Duration::from_secs(10);

#[derive(Default)]
struct Session {
    sender: Option<broadcast::Sender<Update>>,
    /// Each person following through this server, with how many pages they follow it from.
    present: BTreeMap<i64, (String, usize)>,
    /// Who follows through each other server, as it last said and when.
    elsewhere: HashMap<u64, (Instant, Vec<(i64, String)>)>,
}

impl Session {
    /// Everyone present, through any server, by name in alphabetical order (once each).
    fn names(&self) -> Arc<[String]> {
        let mut people: BTreeMap<i64, &str> = self
            .present
            .iter()
            .map(|(id, (name, _))| (*id, name.as_str()))
            .collect();
        for (said, list) in self.elsewhere.values() {
            if said.elapsed() < PRESENCE_HOLDS {
                people.extend(list.iter().map(|(id, name)| (*id, name.as_str())));
            }
        }
        let mut names: Vec<String> = people.into_values().map(str::to_string).collect();
        names.sort();
        names.into()
    }

    fn tell_followers(&self, update: Update) {
        if let Some(sender) = &self.sender {
            // Nobody listening is not a failure.
            let _ = sender.send(update);
        }
    }

    fn local_list(&self) -> Vec<(i64, String)> {
        self.present
            .iter()
            .map(|(id, (name, _))| (*id, name.clone()))
            .collect()
    }
}

#[derive(Clone, Default)]
pub struct Broker {
    sessions: Arc<Mutex<HashMap<i64, Session>>>,
    /// Where news for other servers goes, when there are others (PostgreSQL).
    outbox: Option<mpsc::UnboundedSender<String>>,
    origin: u64,
    sign_outs: SignOuts,
}

/// The sign-ins that have just ended, by their session token: a socket opened with one
/// closes at once. (Other servers' sockets find out at their next check.)
#[derive(Clone)]
struct SignOuts(broadcast::Sender<String>);

impl Default for SignOuts {
    fn default() -> Self {
        SignOuts(broadcast::channel(64).0)
    }
}

impl Broker {
    /// A broker that tells other servers its news: each message put in the returned receiver
    /// is to be sent to them, and what they send is to be given to [`Broker::hear`].
    pub fn relayed() -> (Broker, mpsc::UnboundedReceiver<String>) {
        use std::hash::{BuildHasher, Hasher};
        let (outbox, news) = mpsc::unbounded_channel();
        let origin = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        let broker = Broker {
            outbox: Some(outbox),
            origin,
            ..Broker::default()
        };
        (broker, news)
    }

    fn sessions(&self) -> MutexGuard<'_, HashMap<i64, Session>> {
        self.sessions
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn tell_others(&self, session: i64, news: News) {
        if let Some(outbox) = &self.outbox {
            let relayed = Relayed {
                origin: self.origin,
                session,
                news,
            };
            if let Ok(json) = serde_json::to_string(&relayed) {
                let _ = outbox.send(json);
            }
        }
    }

    /// The session of `token` has ended.
    pub fn signed_out(&self, token: &str) {
        let _ = self.sign_outs.0.send(token.to_string());
    }

    /// Sign-ins as they end, by token.
    pub fn sign_outs(&self) -> broadcast::Receiver<String> {
        self.sign_outs.0.subscribe()
    }

    /// Tells everyone following `session` that it is now at `version`.
    pub fn publish(&self, session: i64, version: i64) {
        if let Some(s) = self.sessions().get(&session) {
            s.tell_followers(Update::Version(version));
        }
        self.tell_others(session, News::Version(version));
    }

    /// News from another server: passed on to the followers here.
    pub fn hear(&self, message: &str) {
        let Ok(relayed) = serde_json::from_str::<Relayed>(message) else {
            tracing::warn!(message, "news from another server that could not be read");
            return;
        };
        if relayed.origin == self.origin {
            return;
        }
        let mut sessions = self.sessions();
        match relayed.news {
            News::Version(version) => {
                if let Some(s) = sessions.get(&relayed.session) {
                    s.tell_followers(Update::Version(version));
                }
            }
            News::Present(list) => {
                let s = sessions.entry(relayed.session).or_default();
                let before = s.names();
                if list.is_empty() {
                    s.elsewhere.remove(&relayed.origin);
                } else {
                    s.elsewhere.insert(relayed.origin, (Instant::now(), list));
                }
                let after = s.names();
                if after != before {
                    s.tell_followers(Update::Present(after));
                }
            }
        }
    }

    /// Repeats to the other servers who follows each session through this one (see
    /// [`REPEAT_PRESENCE`]).
    pub fn repeat_presence(&self) {
        let lists: Vec<(i64, Vec<(i64, String)>)> = self
            .sessions()
            .iter()
            .filter(|(_, s)| !s.present.is_empty())
            .map(|(id, s)| (*id, s.local_list()))
            .collect();
        for (session, list) in lists {
            self.tell_others(session, News::Present(list));
        }
    }

    /// Follows `session`: each update published from now on.
    pub fn subscribe(&self, session: i64) -> broadcast::Receiver<Update> {
        let mut sessions = self.sessions();
        sessions.retain(|_, s| {
            !s.present.is_empty()
                || !s.elsewhere.is_empty()
                || s.sender.as_ref().is_some_and(|t| t.receiver_count() > 0)
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
            .map(|s| s.names().to_vec())
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
        let list = {
            let mut sessions = self.sessions();
            let entry = sessions.entry(session).or_default();
            change(&mut entry.present);
            entry.tell_followers(Update::Present(entry.names()));
            entry.local_list()
        };
        self.tell_others(session, News::Present(list));
    }
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

    /// Two servers, each with its broker, joined as the relay joins them.
    fn pass_on(from: &mut mpsc::UnboundedReceiver<String>, to: &[&Broker]) {
        while let Ok(message) = from.try_recv() {
            for broker in to {
                broker.hear(&message);
            }
        }
    }

    #[tokio::test]
    async fn followers_on_another_server_hear_the_version_and_see_who_is_present() {
        let (first, mut first_news) = Broker::relayed();
        let (second, mut second_news) = Broker::relayed();
        let mut heard_on_second = second.subscribe(1);
        let _claire = first.join(1, 1, "Claire Whitby");
        first.publish(1, 4);
        // Each server hears its own news too, and skips it.
        pass_on(&mut first_news, &[&first, &second]);
        assert_eq!(
            heard_on_second.recv().await.ok(),
            Some(Update::Present(vec!["Claire Whitby".to_string()].into()))
        );
        assert_eq!(heard_on_second.recv().await.ok(), Some(Update::Version(4)));
        let jan = second.join(1, 2, "Cllr Jan Osborne");
        pass_on(&mut second_news, &[&first, &second]);
        assert_eq!(first.present(1), ["Claire Whitby", "Cllr Jan Osborne"]);
        assert_eq!(second.present(1), ["Claire Whitby", "Cllr Jan Osborne"]);
        drop(jan);
        pass_on(&mut second_news, &[&first]);
        assert_eq!(first.present(1), ["Claire Whitby"]);
        // A server's list is repeated while anyone follows through it.
        first.repeat_presence();
        assert!(first_news.try_recv().is_ok());
        second.repeat_presence();
        assert!(
            second_news.try_recv().is_err(),
            "nobody follows through the second now"
        );
    }
}
