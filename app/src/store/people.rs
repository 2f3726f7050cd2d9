//! People, accounts, roles and portfolios in the database. Each change and its audit record
//! are written in one transaction.

use super::audit::{append, by_operator, commit_with, content};
use super::labels::{choices, label, Register};
use super::{begin_write, Db};
use crate::domain::audit::{AuditAction, AuditContent};
use crate::domain::input::Reason;
use crate::domain::roles::Action;
use crate::domain::roles::{Newcomer, PortfolioChange, Role, User};
use crate::error::AppError;
use crate::model::people::{Person, PersonPage, PortfolioOutput};
use crate::model::Choice;

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: i64,
    name: String,
    job_title: String,
    email: String,
    username: Option<String>,
}

/// A role someone holds.
#[derive(sqlx::FromRow)]
struct Grant {
    person_id: i64,
    role: Role,
}

/// An output in someone's portfolio, with the portfolio's name.
#[derive(sqlx::FromRow)]
struct Held {
    person_id: i64,
    output_id: i64,
    /// "WE01 Residual waste"
    output: String,
    portfolio: String,
}

/// Everyone, by name, with their roles and portfolios, for someone who manages people.
pub async fn list(db: &Db, user: &User) -> Result<Vec<Person>, AppError> {
    user.authorise(Action::ManagePeople)?;
    people(db, None).await
}

/// Everyone, or only the person `only`, with their roles and portfolios.
async fn people(db: &Db, only: Option<i64>) -> Result<Vec<Person>, AppError> {
    let rows: Vec<PersonRow> = sqlx::query_as(
        "SELECT p.id, p.name, p.job_title, p.email, a.username
         FROM person p LEFT JOIN account a ON a.person_id = p.id
         WHERE $1 IS NULL OR p.id = $1 ORDER BY p.name",
    )
    .bind(only)
    .fetch_all(db)
    .await?;
    let roles: Vec<Grant> =
        sqlx::query_as("SELECT person_id, role FROM role_grant WHERE $1 IS NULL OR person_id = $1")
            .bind(only)
            .fetch_all(db)
            .await?;
    let portfolios: Vec<Held> = sqlx::query_as(
        "SELECT ph.person_id, op.id AS output_id, op.code || ' ' || op.title AS output, ph.portfolio
         FROM portfolio_holder ph JOIN output op ON op.id = ph.output_id
         WHERE $1 IS NULL OR ph.person_id = $1 ORDER BY op.code",
    )
    .bind(only)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let mut held: Vec<Role> = roles
                .iter()
                .filter(|grant| grant.person_id == row.id)
                .map(|grant| grant.role)
                .collect();
            held.sort();
            Person {
                id: row.id,
                name: row.name,
                job_title: row.job_title,
                email: row.email,
                username: row.username,
                roles: held,
                portfolio: portfolios
                    .iter()
                    .filter(|held| held.person_id == row.id)
                    .map(|held| PortfolioOutput {
                        output: Choice {
                            id: held.output_id,
                            label: held.output.clone(),
                        },
                        portfolio: held.portfolio.clone(),
                    })
                    .collect(),
            }
        })
        .collect())
}

pub async fn page(db: &Db, user: &User, id: i64) -> Result<PersonPage, AppError> {
    user.authorise(Action::ManagePeople)?;
    let person = people(db, Some(id))
        .await?
        .pop()
        .ok_or_else(|| AppError::not_found("That person"))?;
    let other_outputs = choices(&mut *db.acquire().await?, Register::Output)
        .await?
        .into_iter()
        .filter(|output| !person.portfolio.iter().any(|p| p.output.id == output.id))
        .collect();
    Ok(PersonPage {
        person,
        other_outputs,
    })
}

/// Adds a person who can sign in. Their password is stored only as an Argon2id hash.
pub async fn add(db: &Db, user: &User, new: Newcomer, reason: &Reason) -> Result<i64, AppError> {
    // A role, not the data, decides: refused before the password is hashed.
    user.authorise(Action::ManagePeople)?;
    let account = Account::hashed(new).await?;
    let mut tx = begin_write(db).await?;
    let id = account.insert(&mut tx).await?;
    commit_with(
        tx,
        AuditContent {
            value_after: Some(account.described()),
            ..content(
                user,
                AuditAction::PersonAdded,
                format!("person {}", account.name),
                reason.as_str(),
            )
        },
    )
    .await?;
    Ok(id)
}

/// Adds a person in Business Improvement from the command line: the first account of a new
/// plan, or a way back in when no one who manages people can sign in. The audit records name
/// the server's operator, not a person, as the one who made the change.
pub async fn add_business_improvement(db: &Db, new: Newcomer) -> Result<i64, AppError> {
    let account = Account::hashed(new).await?;
    let reason = "Added from the command line by the server's operator";
    let mut tx = begin_write(db).await?;
    let id = account.insert(&mut tx).await?;
    sqlx::query("INSERT INTO role_grant (person_id, role) VALUES ($1, $2)")
        .bind(id)
        .bind(Role::BusinessImprovement.code())
        .execute(&mut *tx)
        .await?;
    append(
        &mut tx,
        &AuditContent {
            value_after: Some(account.described()),
            ..by_operator(
                AuditAction::PersonAdded,
                format!("person {}", account.name),
                reason,
            )
        },
    )
    .await?;
    commit_with(
        tx,
        AuditContent {
            value_after: Some(Role::BusinessImprovement.label().to_string()),
            ..by_operator(
                AuditAction::RoleGranted,
                format!("roles of {}", account.name),
                reason,
            )
        },
    )
    .await?;
    Ok(id)
}

/// Whether anyone can sign in and manage people: someone in Business Improvement with an
/// account.
pub async fn anyone_manages_people(db: &Db) -> Result<bool, sqlx::Error> {
    let managers: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM role_grant r JOIN account a ON a.person_id = r.person_id WHERE r.role = $1",
    )
    .bind(Role::BusinessImprovement.code())
    .fetch_one(db)
    .await?;
    Ok(managers > 0)
}

/// A new person's details with the password hashed.
struct Account {
    name: String,
    job_title: String,
    email: String,
    username: String,
    password_hash: String,
}

impl Account {
    async fn hashed(new: Newcomer) -> Result<Account, AppError> {
        Ok(Account {
            password_hash: super::accounts::hash_password(&new.password)
                .await
                .map_err(|error| {
                    tracing::error!(%error, "hashing a new password");
                    AppError::Internal
                })?,
            name: new.name,
            job_title: new.job_title,
            email: new.email,
            username: new.username,
        })
    }

    /// "Name, job title, email, signs in as username", for the audit record.
    fn described(&self) -> String {
        format!(
            "{}, {}, {}, signs in as {}",
            self.name, self.job_title, self.email, self.username
        )
    }

    /// Adds the person and their account, unless the username or email is taken; someone
    /// already listed without an account (set up from the plan's workbook) gets theirs.
    async fn insert(&self, tx: &mut crate::store::Tx) -> Result<i64, AppError> {
        let taken: Option<i64> =
            sqlx::query_scalar("SELECT person_id FROM account WHERE username = $1")
                .bind(&self.username)
                .fetch_optional(&mut **tx)
                .await?;
        if taken.is_some() {
            return Err(AppError::invalid(
                "username",
                "That username is taken; choose another",
            ));
        }
        let known: Option<(i64, super::Flag)> = sqlx::query_as(
            "SELECT p.id, EXISTS (SELECT 1 FROM account a WHERE a.person_id = p.id)
             FROM person p WHERE p.email = $1",
        )
        .bind(&self.email)
        .fetch_optional(&mut **tx)
        .await?;
        let id =
            match known {
                Some((_, super::Flag(true))) => {
                    return Err(AppError::invalid(
                        "email",
                        "Someone already has that email address",
                    ))
                }
                // Someone the plan's workbook listed, who signs in from now on.
                Some((id, super::Flag(false))) => id,
                None => sqlx::query_scalar(
                    "INSERT INTO person (name, job_title, email) VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(&self.name)
                .bind(&self.job_title)
                .bind(&self.email)
                .fetch_one(&mut **tx)
                .await?,
            };
        sqlx::query("INSERT INTO account (person_id, username, password_hash) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(&self.username)
            .bind(&self.password_hash)
            .execute(&mut **tx)
            .await?;
        Ok(id)
    }
}

async fn name_of(tx: &mut crate::store::Tx, id: i64) -> Result<String, AppError> {
    let name: Option<String> = sqlx::query_scalar("SELECT name FROM person WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    name.ok_or_else(|| AppError::not_found("That person"))
}

pub async fn set_role(
    db: &Db,
    user: &User,
    person_id: i64,
    role: Role,
    granted: bool,
    reason: &Reason,
) -> Result<(), AppError> {
    let mut tx = begin_write(db).await?;
    user.authorise(Action::ManagePeople)?;
    let name = name_of(&mut tx, person_id).await?;
    let holders: Vec<i64> = sqlx::query_scalar("SELECT person_id FROM role_grant WHERE role = $1")
        .bind(role.code())
        .fetch_all(&mut *tx)
        .await?;
    let holds = holders.contains(&person_id);
    if granted == holds {
        return Err(AppError::invalid(
            "role",
            if granted {
                format!("{name} already holds the role {}", role.label())
            } else {
                format!("{name} does not hold the role {}", role.label())
            },
        ));
    }
    if !granted && role == Role::BusinessImprovement && holders.len() == 1 {
        return Err(AppError::invalid(
            "role",
            "Someone must stay in Business Improvement to manage people; give the role to another person first",
        ));
    }
    let statement = if granted {
        "INSERT INTO role_grant (person_id, role) VALUES ($1, $2)"
    } else {
        "DELETE FROM role_grant WHERE person_id = $1 AND role = $2"
    };
    sqlx::query(statement)
        .bind(person_id)
        .bind(role.code())
        .execute(&mut *tx)
        .await?;
    let (action, before, after) = if granted {
        (
            AuditAction::RoleGranted,
            None,
            Some(role.label().to_string()),
        )
    } else {
        (
            AuditAction::RoleRevoked,
            Some(role.label().to_string()),
            None,
        )
    };
    commit_with(
        tx,
        AuditContent {
            value_before: before,
            value_after: after,
            ..content(user, action, format!("roles of {name}"), reason.as_str())
        },
    )
    .await
}

pub async fn set_portfolio(
    db: &Db,
    user: &User,
    person_id: i64,
    output_id: i64,
    change: &PortfolioChange,
    reason: &Reason,
) -> Result<(), AppError> {
    let mut tx = begin_write(db).await?;
    user.authorise(Action::ManagePeople)?;
    let name = name_of(&mut tx, person_id).await?;
    let output = label(&mut tx, Register::Output, output_id).await?;
    let current: Option<String> = sqlx::query_scalar(
        "SELECT portfolio FROM portfolio_holder WHERE person_id = $1 AND output_id = $2",
    )
    .bind(person_id)
    .bind(output_id)
    .fetch_optional(&mut *tx)
    .await?;
    let holder: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM role_grant WHERE person_id = $1 AND role = 'portfolio_holder'",
    )
    .bind(person_id)
    .fetch_optional(&mut *tx)
    .await?;
    let (action, before, after) = match (change, current) {
        (PortfolioChange::Add { .. }, Some(_)) => {
            return Err(AppError::invalid(
                "output_id",
                format!("{output} is already in {name}'s portfolio"),
            ))
        }
        (PortfolioChange::Remove, None) => {
            return Err(AppError::invalid(
                "output_id",
                format!("{output} is not in {name}'s portfolio"),
            ))
        }
        (PortfolioChange::Add { .. }, None) if holder.is_none() => {
            return Err(AppError::invalid(
                "output_id",
                format!(
                "Give {name} the Portfolio Holder role before adding outputs to their portfolio"
            ),
            ))
        }
        (PortfolioChange::Add { portfolio }, None) => {
            sqlx::query(
                "INSERT INTO portfolio_holder (output_id, person_id, portfolio) VALUES ($1, $2, $3)",
            )
            .bind(output_id)
            .bind(person_id)
            .bind(portfolio)
            .execute(&mut *tx)
            .await?;
            (
                AuditAction::PortfolioAdded,
                None,
                Some(format!("{output} ({portfolio})")),
            )
        }
        (PortfolioChange::Remove, Some(previous)) => {
            sqlx::query("DELETE FROM portfolio_holder WHERE person_id = $1 AND output_id = $2")
                .bind(person_id)
                .bind(output_id)
                .execute(&mut *tx)
                .await?;
            (
                AuditAction::PortfolioRemoved,
                Some(format!("{output} ({previous})")),
                None,
            )
        }
    };
    commit_with(
        tx,
        AuditContent {
            value_before: before,
            value_after: after,
            ..content(
                user,
                action,
                format!("portfolio of {name}"),
                reason.as_str(),
            )
        },
    )
    .await
}
