//! Accounts, roles and sessions: signing in with an Argon2id-hashed password, the session a
//! browser holds, and the person (with roles and portfolio) behind it.

use super::Db;
use crate::domain::roles::{lockout_seconds, Role, User, SESSION_HOURS};
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;
use time::macros::format_description;
use time::{Duration, OffsetDateTime};
use tokio::sync::Semaphore;

/// A timestamp as stored: fixed width, so timestamps sort as text.
pub fn timestamp(at: OffsetDateTime) -> String {
    at.format(format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
    ))
    .unwrap_or_default()
}

/// An Argon2id hash of `password` with a fresh salt, as a PHC string. Hashing is slow by
/// design, so it runs on a blocking thread (see [`off_the_workers`]).
pub async fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let password = password.to_string();
    off_the_workers(move || hash_now(&password))
        .await
        .unwrap_or(Err(argon2::password_hash::Error::Crypto))
}

fn hash_now(password: &str) -> Result<String, argon2::password_hash::Error> {
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &SaltString::generate(&mut OsRng))?
        .to_string())
}

/// Runs slow password work on tokio's blocking threads, a few at a time (half the cores), so
/// a crowd of sign-ins waits its turn instead of starving every other request of the CPU.
/// `None` if the work could not run.
async fn off_the_workers<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    static HASHING: OnceLock<Semaphore> = OnceLock::new();
    let turns = HASHING.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Semaphore::new((cores / 2).max(1))
    });
    let _turn = turns.acquire().await.ok()?;
    tokio::task::spawn_blocking(work).await.ok()
}

/// Whether `password` is the one `stored` (a PHC string) was made from. With no stored hash
/// (an unknown username) the same work is done against a hash of nothing, so the time taken
/// does not tell which usernames exist.
async fn password_matches(stored: Option<String>, password: &str) -> bool {
    static NOBODY: OnceLock<String> = OnceLock::new();
    let password = password.to_string();
    off_the_workers(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| {
            NOBODY
                .get_or_init(|| hash_now("").unwrap_or_default())
                .clone()
        });
        let matches = PasswordHash::new(&stored)
            .map(|hash| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &hash)
                    .is_ok()
            })
            .unwrap_or(false);
        known && matches
    })
    .await
    .unwrap_or(false)
}

fn token_hash(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

#[derive(Debug, PartialEq, Eq)]
pub enum SignInError {
    /// Unknown username or wrong password: the message never says which.
    WrongDetails,
    /// Too many failures in a row from this address: try again after this many seconds.
    Locked {
        seconds: i64,
    },
    Database,
}

impl From<sqlx::Error> for SignInError {
    fn from(error: sqlx::Error) -> Self {
        tracing::error!(%error, "sign-in: database error");
        SignInError::Database
    }
}

/// How long failed attempts are remembered after the last of them.
const FORGET_AFTER_SECONDS: i64 = 24 * 3600;

/// Checks the password and opens a session; returns the token for the cookie. Each attempt
/// is counted, per username and client `address`, before the password is looked at, so a
/// crowd of simultaneous guesses gets no more than the free attempts between them; a known
/// and an unknown username are counted and answered alike.
pub async fn sign_in(
    db: &Db,
    username: &str,
    password: &str,
    address: &str,
    now: OffsetDateTime,
) -> Result<String, SignInError> {
    let username = username.trim().to_lowercase();
    count_attempt(db, &username, address, now.unix_timestamp()).await?;
    let account: Option<(i64, String)> =
        sqlx::query_as("SELECT person_id, password_hash FROM account WHERE username = $1")
            .bind(&username)
            .fetch_optional(db)
            .await?;
    let stored = account.as_ref().map(|(_, hash)| hash.clone());
    let matches = password_matches(stored, password).await;
    let Some((person_id, _)) = account.filter(|_| matches) else {
        return Err(SignInError::WrongDetails);
    };

    let token = super::random_secret();
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM sign_in_attempt WHERE username = $1 AND address = $2")
        .bind(&username)
        .bind(address)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM session WHERE expires_at <= $1")
        .bind(timestamp(now))
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO session (token_hash, person_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash(&token))
    .bind(person_id)
    .bind(timestamp(now))
    .bind(timestamp(now + Duration::hours(SESSION_HOURS)))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// Counts an attempt by `username` from `address` at `now` (seconds since 1970) as a failure
/// until it succeeds, and locks the pair for as long as the failures so far call for; refuses
/// it while the pair is locked. The count moves by compare-and-swap, so simultaneous attempts
/// each get their own number and no two see the same count.
async fn count_attempt(
    db: &Db,
    username: &str,
    address: &str,
    now: i64,
) -> Result<(), SignInError> {
    sqlx::query("DELETE FROM sign_in_attempt WHERE last_at < $1")
        .bind(now - FORGET_AFTER_SECONDS)
        .execute(db)
        .await?;
    sqlx::query(
        "INSERT INTO sign_in_attempt (username, address, failures, locked_until, last_at)
         VALUES ($1, $2, 0, 0, $3) ON CONFLICT (username, address) DO NOTHING",
    )
    .bind(username)
    .bind(address)
    .bind(now)
    .execute(db)
    .await?;
    // Each round one of the attempts racing for the same pair moves the count on.
    for _ in 0..64 {
        let (failures, locked_until): (i64, i64) = sqlx::query_as(
            "SELECT failures, locked_until FROM sign_in_attempt WHERE username = $1 AND address = $2",
        )
        .bind(username)
        .bind(address)
        .fetch_one(db)
        .await?;
        if locked_until > now {
            return Err(SignInError::Locked {
                seconds: locked_until - now,
            });
        }
        let counted = failures + 1;
        let wait = i64::from(lockout_seconds(u32::try_from(counted).unwrap_or(u32::MAX)));
        let moved = sqlx::query(
            "UPDATE sign_in_attempt SET failures = $1, locked_until = $2, last_at = $3
             WHERE username = $4 AND address = $5 AND failures = $6",
        )
        .bind(counted)
        .bind(now + wait)
        .bind(now)
        .bind(username)
        .bind(address)
        .bind(failures)
        .execute(db)
        .await?;
        if moved.rows_affected() == 1 {
            return Ok(());
        }
    }
    Err(SignInError::Locked { seconds: 1 })
}

/// Ends the session of `token`, if it is one.
pub async fn sign_out(db: &Db, token: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM session WHERE token_hash = $1")
        .bind(token_hash(token))
        .execute(db)
        .await?;
    Ok(())
}

/// The person signed in with `token`, while the session lasts.
pub async fn user_for_token(
    db: &Db,
    token: &str,
    now: OffsetDateTime,
) -> Result<Option<User>, sqlx::Error> {
    let person: Option<(i64, String)> = sqlx::query_as(
        "SELECT p.id, p.name FROM session s JOIN person p ON p.id = s.person_id WHERE s.token_hash = $1 AND s.expires_at > $2",
    )
    .bind(token_hash(token))
    .bind(timestamp(now))
    .fetch_optional(db)
    .await?;
    let Some((person_id, name)) = person else {
        return Ok(None);
    };
    let roles = sqlx::query_scalar::<_, Role>("SELECT role FROM role_grant WHERE person_id = $1")
        .bind(person_id)
        .fetch_all(db)
        .await?
        .into_iter()
        .collect();
    let portfolio =
        sqlx::query_scalar::<_, i64>("SELECT output_id FROM portfolio_holder WHERE person_id = $1")
            .bind(person_id)
            .fetch_all(db)
            .await?
            .into_iter()
            .collect();
    let directed = sqlx::query_scalar::<_, i64>(
        "SELECT o.id FROM output o JOIN outcome oc ON oc.id = o.outcome_id
         JOIN theme t ON t.id = oc.theme_id WHERE t.assistant_director_id = $1",
    )
    .bind(person_id)
    .fetch_all(db)
    .await?
    .into_iter()
    .collect();
    Ok(Some(User {
        person_id,
        name,
        roles,
        portfolio,
        directed,
    }))
}
