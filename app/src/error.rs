//! The one error type of the application, carried through server functions as a typed error.

use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("{0} could not be found")]
    NotFound(String),
    #[error("You need to sign in to do that")]
    NotSignedIn,
    #[error("You do not have permission to do that")]
    Forbidden,
    #[error("{message}")]
    Invalid { field: String, message: String },
    /// A figure far from the indicator's recent ones, held back until the person confirms it;
    /// what they typed in each field comes back with it, so the form shows it again.
    #[error("{message}")]
    Doubtful {
        field: String,
        message: String,
        typed: Vec<(String, String)>,
    },
    /// Some values of a page that saves many at once were refused and the others saved: the
    /// slots saved, each refusal, to show beside its field with what was typed, and how many
    /// more were refused than the address that carries them had room for.
    #[error("{}", refused(refusals, *more))]
    Refused {
        saved: Vec<String>,
        refusals: Vec<Refusal>,
        more: usize,
    },
    #[error("Someone else changed this first: {message}")]
    Conflict { message: String },
    /// Details are logged on the server, never shown.
    #[error("Something went wrong on our side. Please try again later.")]
    Internal,
    /// The database is not answering (stopped, restarting or unreachable); nothing was
    /// changed, and the service recovers by itself when it answers again.
    #[error("Hexplan cannot reach its database just now, so nothing was changed. Please try again in a minute.")]
    Unavailable,
    /// The call itself failed: the network, or an answer the browser could not read.
    #[error("The service could not be reached: {0}")]
    Transport(String),
}

/// One value of a page of many that was not saved: its field (`{slot}-{field}`), why, whether
/// it only asks for a second look, and what was typed in each of its fields.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Refusal {
    pub field: String,
    pub message: String,
    pub second_look: bool,
    pub typed: Vec<(String, String)>,
}

impl Refusal {
    /// What was typed in `field`.
    pub fn typed(&self, field: &str) -> Option<&str> {
        self.typed
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, text)| text.as_str())
    }
}

/// A refusal's own message when it is the only one; else "3 values were not saved".
fn refused(refusals: &[Refusal], more: usize) -> String {
    match (refusals, more) {
        ([only], 0) => only.message.clone(),
        _ => format!(
            "{} values were not saved: see the message beside each",
            refusals.len() + more
        ),
    }
}

/// The longest message of a field that was refused, in characters.
pub const MESSAGE_MAX: usize = 300;

impl AppError {
    pub fn not_found(what: impl Into<String>) -> Self {
        AppError::NotFound(what.into())
    }

    /// What was wrong with a field. A message that repeats what was typed is cut to
    /// `MESSAGE_MAX` characters, so a refused form's message always fits in the address it is
    /// sent back in.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        let message: String = message.into();
        let message = if message.chars().count() > MESSAGE_MAX {
            message.chars().take(MESSAGE_MAX - 1).chain(['…']).collect()
        } else {
            message
        };
        AppError::Invalid {
            field: field.into(),
            message,
        }
    }

    /// A figure in `field` far from its indicator's recent ones, with what was typed in each
    /// field of the form.
    pub fn doubtful(
        field: &str,
        doubt: &crate::domain::plausibility::Doubt,
        unit: crate::domain::Unit,
        typed: impl IntoIterator<Item = (&'static str, String)>,
    ) -> Self {
        AppError::Doubtful {
            field: field.to_string(),
            message: doubt.message(unit),
            typed: typed
                .into_iter()
                .map(|(field, text)| (field.to_string(), text))
                .collect(),
        }
    }

    /// What was typed in `field` of a form refused or held back for a second look.
    pub fn typed(&self, field: &str) -> Option<&str> {
        match self {
            AppError::Doubtful { typed, .. } => typed
                .iter()
                .find(|(name, _)| name == field)
                .map(|(_, text)| text.as_str()),
            AppError::Refused {
                refusals, more: 0, ..
            } => match refusals.as_slice() {
                [only] => only.typed(field),
                _ => None,
            },
            _ => None,
        }
    }

    /// The field this error belongs beside, for a message that does.
    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::Invalid { field, .. } | AppError::Doubtful { field, .. } => Some(field),
            AppError::Refused {
                refusals, more: 0, ..
            } => match refusals.as_slice() {
                [only] => Some(&only.field),
                _ => None,
            },
            _ => None,
        }
    }

    /// The same error carrying what was typed in each field of its form, when it refuses a
    /// field, so a plain form shows it again with the message.
    pub fn keeping(self, typed: impl IntoIterator<Item = (&'static str, String)>) -> Self {
        match self {
            AppError::Invalid { field, message } => AppError::Refused {
                saved: Vec::new(),
                refusals: vec![Refusal {
                    field,
                    message,
                    second_look: false,
                    typed: typed
                        .into_iter()
                        .map(|(name, text)| (name.to_string(), text))
                        .collect(),
                }],
                more: 0,
            },
            other => other,
        }
    }

    /// The same error, its field named `{prefix}-{field}`: how a page with many forms of one
    /// kind knows which form the message belongs to.
    /// A prefix made from what was typed is cut to 100 characters: no form is named longer.
    pub fn in_form(mut self, prefix: &str) -> Self {
        if let AppError::Invalid { field, .. } | AppError::Doubtful { field, .. } = &mut self {
            *field = format!("{}-{field}", prefix.chars().take(100).collect::<String>());
        }
        self
    }

    /// The HTTP status this error answers with, on a page, a download or a server function's
    /// reply.
    #[cfg(feature = "ssr")]
    pub fn status(&self) -> axum::http::StatusCode {
        use axum::http::StatusCode;
        match self {
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::NotSignedIn => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::Invalid { .. } | AppError::Doubtful { .. } | AppError::Refused { .. } => {
                StatusCode::BAD_REQUEST
            }
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::Internal | AppError::Transport(_) => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// Answers the server function being run with this error's status rather than leptos'
    /// blanket 500, so scripts, proxies and monitoring can tell a refusal from a fault. A
    /// browser's plain form is left to its redirect back to the page, with the message.
    #[cfg(feature = "ssr")]
    fn answer_with_status(&self) {
        use leptos::prelude::use_context;
        let form = use_context::<axum::http::request::Parts>().is_some_and(|request| {
            request
                .headers
                .get(axum::http::header::ACCEPT)
                .and_then(|accept| accept.to_str().ok())
                .is_some_and(|accept| accept.contains("text/html"))
        });
        if let (false, Some(response)) = (form, use_context::<leptos_axum::ResponseOptions>()) {
            response.set_status(self.status());
        }
    }
}

/// An error as the response a plain request (a download, an upload, a picture) gets: its
/// status and its message, which never carries internal detail.
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        (self.status(), self.to_string()).into_response()
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn ser(&self) -> leptos::server_fn::Bytes {
        #[cfg(feature = "ssr")]
        self.answer_with_status();
        use leptos::server_fn::Encodes;
        Self::Encoder::encode(self)
            .unwrap_or_else(|_| Self::Encoder::encode(&AppError::Internal).unwrap_or_default())
    }

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::ServerError(_) => AppError::Internal,
            // A call the server could not read: fixed words, never the parser's, which would
            // show what was sent (and internal names) back on the page.
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_) => AppError::invalid(
                "form",
                "The form could not be read: reload the page and try again",
            ),
            other => AppError::Transport(other.to_string()),
        }
    }
}

impl From<crate::domain::roles::Forbidden> for AppError {
    fn from(_: crate::domain::roles::Forbidden) -> Self {
        AppError::Forbidden
    }
}

impl From<crate::domain::input::Invalid> for AppError {
    fn from(invalid: crate::domain::input::Invalid) -> Self {
        AppError::invalid(invalid.field, invalid.message)
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                tracing::warn!(%error, "the database is unavailable");
                AppError::Unavailable
            }
            error => {
                tracing::error!(%error, "database error");
                AppError::Internal
            }
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn a_database_that_does_not_answer_is_unavailable_not_broken() {
        for error in [
            sqlx::Error::PoolTimedOut,
            sqlx::Error::PoolClosed,
            sqlx::Error::Io(std::io::Error::other("connection refused")),
        ] {
            let error = AppError::from(error);
            assert_eq!(error, AppError::Unavailable);
            assert_eq!(error.status(), axum::http::StatusCode::SERVICE_UNAVAILABLE);
        }
        assert_eq!(AppError::from(sqlx::Error::RowNotFound), AppError::Internal);
    }

    #[test]
    fn a_message_that_repeats_what_was_typed_is_cut_to_fit_an_address() {
        let typed = "x".repeat(60_000);
        let error = AppError::invalid("council", format!("Write the council, not {typed}"));
        let message = error.to_string();
        assert_eq!(message.chars().count(), MESSAGE_MAX);
        assert!(message.starts_with("Write the council, not xxx") && message.ends_with('…'));
        let in_form = error.in_form(&typed).field().map(str::len);
        assert_eq!(in_form, Some(100 + "-council".len()));
        let short = AppError::invalid("reason", "Give a reason for the change");
        assert_eq!(short.to_string(), "Give a reason for the change");
    }
}
