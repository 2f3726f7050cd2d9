//! Live peer review sessions across several servers sharing PostgreSQL: each server sends
//! its brokers' news to the others with NOTIFY and passes theirs to its brokers with LISTEN.
//! One database carries the news of every plan (each message names its plan), so a
//! deployment of many plans keeps one listening connection per server, not one per plan.
//! A server whose listening connection drops connects again; its browsers catch up by the
//! version they are sent when their own connection returns.

use app::live::{Broker, REPEAT_PRESENCE};
use app::store::Db;
use serde::{Deserialize, Serialize};
use sqlx::postgres::PgListener;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedReceiver;

/// The PostgreSQL channel the servers talk on.
const CHANNEL: &str = "hexplan_review";

/// A plan's broker, and its news for the other servers.
pub struct Relayed {
    pub plan: String,
    pub broker: Broker,
    pub news: UnboundedReceiver<String>,
}

/// News on the channel: which plan's broker it is for, and what it says.
#[derive(Serialize, Deserialize)]
struct Envelope {
    plan: String,
    news: String,
}

/// Starts relaying the brokers' news to the other servers through the database `hub` at
/// `url`, and theirs to the brokers.
pub fn start(hub: Db, url: String, plans: Vec<Relayed>) {
    let mut brokers = HashMap::new();
    for Relayed { plan, broker, news } in plans {
        tokio::spawn(tell(hub.clone(), plan.clone(), news));
        brokers.insert(plan, broker);
    }
    let brokers = Arc::new(brokers);
    tokio::spawn(listen(url, brokers.clone()));
    tokio::spawn(async move {
        let mut every = tokio::time::interval(REPEAT_PRESENCE);
        loop {
            every.tick().await;
            for broker in brokers.values() {
                broker.repeat_presence();
            }
        }
    });
}

async fn tell(hub: Db, plan: String, mut news: UnboundedReceiver<String>) {
    while let Some(news) = news.recv().await {
        let Ok(message) = serde_json::to_string(&Envelope {
            plan: plan.clone(),
            news,
        }) else {
            continue;
        };
        let sent = sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(&message)
            .execute(&hub)
            .await;
        if let Err(error) = sent {
            tracing::warn!(%error, plan, "the other servers could not be told of a change");
        }
    }
}

async fn listen(url: String, brokers: Arc<HashMap<String, Broker>>) {
    loop {
        match PgListener::connect(&url).await {
            Ok(mut listener) => match listener.listen(CHANNEL).await {
                Ok(()) => loop {
                    match listener.recv().await {
                        Ok(notification) => pass_on(&brokers, notification.payload()),
                        Err(error) => {
                            tracing::warn!(%error, "listening to the other servers stopped");
                            break;
                        }
                    }
                },
                Err(error) => tracing::warn!(%error, "cannot listen to the other servers"),
            },
            Err(error) => tracing::warn!(%error, "cannot connect to hear the other servers"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// Gives news from another server to the broker of the plan it names.
fn pass_on(brokers: &HashMap<String, Broker>, message: &str) {
    match serde_json::from_str::<Envelope>(message) {
        Ok(envelope) => {
            if let Some(broker) = brokers.get(&envelope.plan) {
                broker.hear(&envelope.news);
            }
        }
        Err(error) => tracing::warn!(%error, "news from another server that could not be read"),
    }
}
