//! Live peer review sessions across several servers sharing PostgreSQL: each server sends
//! its broker's news to the others with NOTIFY and passes theirs to its broker with LISTEN.
//! A server whose listening connection drops connects again; its browsers catch up by the
//! version they are sent when their own connection returns.

use app::live::{Broker, REPEAT_PRESENCE};
use app::store::Db;
use sqlx::postgres::PgListener;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedReceiver;

/// The PostgreSQL channel the servers talk on.
const CHANNEL: &str = "hexplan_review";

/// Starts relaying `broker`'s news (from `news`) to the other servers on the database at
/// `url`, and theirs to it.
pub fn start(db: Db, url: String, broker: Broker, news: UnboundedReceiver<String>) {
    tokio::spawn(tell(db, news));
    tokio::spawn(listen(url, broker.clone()));
    tokio::spawn(async move {
        let mut every = tokio::time::interval(REPEAT_PRESENCE);
        loop {
            every.tick().await;
            broker.repeat_presence();
        }
    });
}

async fn tell(db: Db, mut news: UnboundedReceiver<String>) {
    while let Some(message) = news.recv().await {
        let sent = sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(&message)
            .execute(&db)
            .await;
        if let Err(error) = sent {
            tracing::warn!(%error, "the other servers could not be told of a change");
        }
    }
}

async fn listen(url: String, broker: Broker) {
    loop {
        match PgListener::connect(&url).await {
            Ok(mut listener) => match listener.listen(CHANNEL).await {
                Ok(()) => loop {
                    match listener.recv().await {
                        Ok(notification) => broker.hear(notification.payload()),
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
