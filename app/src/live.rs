//! The broker of live peer review sessions: every change to a session is stored first, then
//! its new version is published to everyone following the session, who read the state again.
//! In one process this is a broadcast channel per session; several servers sharing PostgreSQL
//! will publish through LISTEN/NOTIFY behind the same two calls.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;

#[derive(Clone, Default)]
pub struct Broker {
    channels: Arc<Mutex<HashMap<i64, broadcast::Sender<i64>>>>,
}

impl Broker {
    /// Tells everyone following `session` that it is now at `version`.
    pub fn publish(&self, session: i64, version: i64) {
        if let Ok(channels) = self.channels.lock() {
            if let Some(sender) = channels.get(&session) {
                // Nobody listening is not a failure.
                let _ = sender.send(version);
            }
        }
    }

    /// Follows `session`: each version published from now on.
    pub fn subscribe(&self, session: i64) -> broadcast::Receiver<i64> {
        let mut channels = self
            .channels
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        channels.retain(|_, sender| sender.receiver_count() > 0);
        channels
            .entry(session)
            .or_insert_with(|| broadcast::channel(64).0)
            .subscribe()
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
        assert_eq!(first.recv().await.ok(), Some(7));
        assert_eq!(second.recv().await.ok(), Some(7));
        assert!(other.try_recv().is_err());
        broker.publish(3, 1); // nobody follows it
    }
}
