//! The one place each of the domain's coded values is read from the database: a column that
//! holds a unit, polarity, kind, lifecycle stage, verdict, role or change reads as that type,
//! and a code the domain does not know is an error, never a silent default.

use crate::domain::change_summary::ChangeKind;
use crate::domain::review::{SessionState, Verdict};
use crate::domain::roles::Role;
use crate::domain::{IndicatorKind, Lifecycle, Polarity, Unit};
use sqlx::any::{Any, AnyTypeInfo, AnyValueRef};
use sqlx::error::BoxDynError;
use sqlx::{Decode, Type};

macro_rules! coded_column {
    ($($domain:ty),* $(,)?) => {$(
        impl Type<Any> for $domain {
            fn type_info() -> AnyTypeInfo {
                <String as Type<Any>>::type_info()
            }

            fn compatible(ty: &AnyTypeInfo) -> bool {
                <String as Type<Any>>::compatible(ty)
            }
        }

        impl<'r> Decode<'r, Any> for $domain {
            fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
                let code = <String as Decode<Any>>::decode(value)?;
                <$domain>::from_code(&code).ok_or_else(|| {
                    format!("the database holds {code:?}, which is no {}", stringify!($domain))
                        .into()
                })
            }
        }
    )*};
}

coded_column!(
    Unit,
    Polarity,
    IndicatorKind,
    Lifecycle,
    Verdict,
    SessionState,
    Role,
    ChangeKind
);

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_code_the_domain_does_not_know_is_an_error_not_a_default() {
        sqlx::any::install_default_drivers();
        let db = sqlx::AnyPool::connect("sqlite::memory:").await.unwrap();
        let unit: Unit = sqlx::query_scalar("SELECT 'percent'")
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(unit, Unit::Percent);
        let unknown = sqlx::query_scalar::<_, Polarity>("SELECT 'sideways'")
            .fetch_one(&db)
            .await;
        let Err(error) = unknown else {
            panic!("an unknown polarity was read as {unknown:?}")
        };
        assert!(
            error
                .to_string()
                .contains("\"sideways\", which is no Polarity"),
            "{error}"
        );
    }
}
