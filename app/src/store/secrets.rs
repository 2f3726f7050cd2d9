//! Secrets of the site's own, each made once at random and then shared by every server on
//! the database (the seal on refused forms' messages, for one).

use super::Db;

/// The secret kept for `purpose`, made now if there is none yet.
pub async fn secret(db: &Db, purpose: &str) -> Result<String, sqlx::Error> {
    let fresh = super::random_secret();
    // Two servers starting together: the first one's secret is kept, and both read it.
    sqlx::query("INSERT INTO site_secret (purpose, secret) VALUES ($1, $2) ON CONFLICT (purpose) DO NOTHING")
        .bind(purpose)
        .bind(&fresh)
        .execute(db)
        .await?;
    sqlx::query_scalar("SELECT secret FROM site_secret WHERE purpose = $1")
        .bind(purpose)
        .fetch_one(db)
        .await
}
