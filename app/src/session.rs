//! Who is signed in to this request. The server's middleware finds the session and puts the
//! person in the request; pages and server functions ask here.

use crate::domain::roles::User;

/// The signed-in person, as the server's middleware attaches them to a request.
#[derive(Clone, Debug)]
pub struct SignedIn(pub User);

/// The person signed in to the request being rendered or answered, if any.
pub fn current_user() -> Option<User> {
    #[cfg(feature = "ssr")]
    {
        use leptos::prelude::use_context;
        let parts = use_context::<axum::http::request::Parts>()?;
        parts
            .extensions
            .get::<SignedIn>()
            .map(|signed_in| signed_in.0.clone())
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// The signed-in person, or the error that asks them to sign in.
#[cfg(feature = "ssr")]
pub fn signed_in() -> Result<User, crate::error::AppError> {
    current_user().ok_or(crate::error::AppError::NotSignedIn)
}

/// A handler's signed-in person: `SignedIn(user)` as an argument gives the person, or sends
/// someone not signed in to the sign-in page. (A handler open to everyone asks for
/// `Option<Extension<SignedIn>>` instead.)
#[cfg(feature = "ssr")]
impl<S: Send + Sync> axum::extract::FromRequestParts<S> for SignedIn {
    type Rejection = axum::response::Redirect;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<SignedIn>()
            .cloned()
            .ok_or_else(|| axum::response::Redirect::to("/sign-in"))
    }
}

/// The plan this request is for, as the server attached it to the request; an empty one
/// in the browser and before the plan is set up.
pub fn plan_identity() -> crate::model::plan::PlanIdentity {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<axum::http::request::Parts>()
            .and_then(|parts| {
                parts
                    .extensions
                    .get::<crate::model::plan::PlanIdentity>()
                    .cloned()
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        crate::model::plan::PlanIdentity::default()
    }
}
