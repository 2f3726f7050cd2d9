//! Outputs and risks as people pick and read them: by code and title, "W1 Reduce residual
//! waste". One place for the label, the list to choose from, and the lookup of one.

use crate::error::AppError;
use crate::model::Choice;

/// The registers whose entries an indicator links to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Register {
    Output,
    Risk,
}

impl Register {
    fn table(self) -> &'static str {
        match self {
            Register::Output => "output",
            Register::Risk => "risk",
        }
    }

    /// "output", "risk": how messages name an entry.
    pub fn noun(self) -> &'static str {
        self.table()
    }

    /// How the audit trail names an entry: "output", "strategic risk".
    pub fn described(self) -> &'static str {
        match self {
            Register::Output => "output",
            Register::Risk => "strategic risk",
        }
    }

    /// The table linking indicators to the register's entries, and its column for them.
    /// The entries still in force: an output retired from the plan takes no new links.
    fn in_force(self) -> &'static str {
        match self {
            Register::Output => "retired_on IS NULL",
            Register::Risk => "1 = 1",
        }
    }

    pub fn link_table(self) -> (&'static str, &'static str) {
        match self {
            Register::Output => ("indicator_output", "output_id"),
            Register::Risk => ("indicator_risk", "risk_id"),
        }
    }
}

/// Every entry of the register, by code.
pub async fn choices(
    conn: &mut sqlx::AnyConnection,
    register: Register,
) -> Result<Vec<Choice>, AppError> {
    let sql = format!(
        "SELECT id, code || ' ' || title FROM {} WHERE {} ORDER BY code",
        register.table(),
        register.in_force()
    );
    Ok(sqlx::query_as::<_, (i64, String)>(&sql)
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(|(id, label)| Choice { id, label })
        .collect())
}

/// One entry's label, or "not found" (also for an output retired from the plan).
pub async fn label(
    conn: &mut sqlx::AnyConnection,
    register: Register,
    id: i64,
) -> Result<String, AppError> {
    let sql = format!(
        "SELECT code || ' ' || title FROM {} WHERE id = $1 AND {}",
        register.table(),
        register.in_force()
    );
    let label: Option<String> = sqlx::query_scalar(&sql)
        .bind(id)
        .fetch_optional(conn)
        .await?;
    label.ok_or_else(|| AppError::not_found(format!("That {}", register.noun())))
}
