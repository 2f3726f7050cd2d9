//! The one place each of the domain's coded values is read from the database: a column that
//! holds a unit, polarity, kind, lifecycle stage, verdict, role, change or audit action reads
//! as that type, and a code the domain does not know is an error, never a silent default. A
//! day is held as ISO 8601 text ("2018-01-31") on both engines and reads as a `Day`.

use crate::domain::audit::AuditAction;
use crate::domain::change_summary::ChangeKind;
use crate::domain::period::Day;
use crate::domain::review::{SessionState, Verdict};
use crate::domain::roles::Role;
use crate::domain::{IndicatorKind, Lifecycle, Polarity, Unit};
use sqlx::any::{Any, AnyTypeInfo, AnyValueRef};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Decode, Encode, Type};

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
    ChangeKind,
    AuditAction,
);

impl Type<Any> for Day {
    fn type_info() -> AnyTypeInfo {
        <String as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        <String as Type<Any>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Any> for Day {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <String as Decode<Any>>::decode(value)?;
        Day::parse(&text)
            .ok_or_else(|| format!("the database holds {text:?}, which is no day").into())
    }
}

impl<'q> Encode<'q, Any> for Day {
    fn encode_by_ref(
        &self,
        buf: &mut <Any as sqlx::Database>::ArgumentBuffer<'q>,
    ) -> Result<IsNull, BoxDynError> {
        <String as Encode<'q, Any>>::encode(self.iso(), buf)
    }
}

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
