//! Accounts, roles and sessions: signing in with an Argon2id-hashed password, the session a
//! browser holds, and the person (with roles and portfolio) behind it.

use super::Db;
use crate::domain::roles::{lockout_seconds, Role, User, SESSION_HOURS};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use sha2::{Digest, Sha256};
use time::macros::format_description;
use time::{Duration, OffsetDateTime};

/// A timestamp as stored: fixed width, so timestamps sort as text.
pub fn timestamp(at: OffsetDateTime) -> String {
    at.format(format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
    ))
    .unwrap_or_default()
}

/// An Argon2id hash of `password` with a fresh salt, as a PHC string.
pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &SaltString::generate(&mut OsRng))?
        .to_string())
}

fn token_hash(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

#[derive(Debug, PartialEq, Eq)]
pub enum SignInError {
    /// Unknown username or wrong password: the message never says which.
    WrongDetails,
    /// Too many failures in a row: try again after this many seconds.
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

/// Checks the password and opens a session; returns the token for the cookie.
pub async fn sign_in(
    db: &Db,
    username: &str,
    password: &str,
    now: OffsetDateTime,
) -> Result<String, SignInError> {
    let account: Option<(i64, String, i64, Option<String>)> = sqlx::query_as(
        "SELECT person_id, password_hash, failed_attempts, locked_until FROM account WHERE username = $1",
    )
    .bind(username.trim().to_lowercase())
    .fetch_optional(db)
    .await?;
    let Some((person_id, stored, failures, locked_until)) = account else {
        // Spend the time a real check takes, so timing does not tell which usernames exist.
        let _ = hash_password(password);
        return Err(SignInError::WrongDetails);
    };
    if let Some(until) = locked_until.filter(|until| until.as_str() > timestamp(now).as_str()) {
        let seconds = time::PrimitiveDateTime::parse(
            &until,
            format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z"),
        )
        .map(|until| (until.assume_utc() - now).whole_seconds().max(1))
        .unwrap_or(60);
        return Err(SignInError::Locked { seconds });
    }
    let matches = PasswordHash::new(&stored)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false);
    if !matches {
        let failures = u32::try_from(failures + 1).unwrap_or(u32::MAX);
        let wait = i64::from(lockout_seconds(failures));
        let locked_until = (wait > 0).then(|| timestamp(now + Duration::seconds(wait)));
        sqlx::query(
            "UPDATE account SET failed_attempts = $1, locked_until = $2 WHERE person_id = $3",
        )
        .bind(i64::from(failures))
        .bind(locked_until)
        .bind(person_id)
        .execute(db)
        .await?;
        return Err(SignInError::WrongDetails);
    }

    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE account SET failed_attempts = 0, locked_until = NULL WHERE person_id = $1")
        .bind(person_id)
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
    let roles = sqlx::query_scalar::<_, String>("SELECT role FROM role_grant WHERE person_id = $1")
        .bind(person_id)
        .fetch_all(db)
        .await?
        .iter()
        .filter_map(|code| Role::from_code(code))
        .collect();
    let portfolio =
        sqlx::query_scalar::<_, i64>("SELECT output_id FROM portfolio_holder WHERE person_id = $1")
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
    }))
}
