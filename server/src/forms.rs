//! What the server does around every form: refuses bodies larger than any form, and seals
//! the message a refused form carries back to its page.

use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

/// Refuses a body larger than any form with 413, whether it declares its size or arrives in
/// chunks: it is read up to the limit and no further.
pub async fn within_form_limit(request: Request, next: Next) -> Response {
    use axum::http::{header, Method};
    let limit = crate::state::FORM_LIMIT;
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|length| length.to_str().ok()?.parse::<usize>().ok());
    match declared {
        Some(length) if length > limit => too_large(),
        // A declared length holds the body to it; GET and HEAD carry none.
        Some(_) => next.run(request).await,
        None if matches!(*request.method(), Method::GET | Method::HEAD) => next.run(request).await,
        None => {
            let (parts, body) = request.into_parts();
            match axum::body::to_bytes(body, limit).await {
                Ok(bytes) => {
                    next.run(Request::from_parts(parts, Body::from(bytes)))
                        .await
                }
                Err(_) => too_large(),
            }
        }
    }
}

fn too_large() -> Response {
    use axum::response::IntoResponse;
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        "Payload too large: a form may send at most 1 MB. Nothing was changed.",
    )
        .into_response()
}

/// Seals the message leptos puts in the address when it sends a refused form back to its
/// page (`__path` and `__err`), for the person who sent the form, so their page shows it,
/// and no page shows a message a link brings. (Forms are for people signed in; a refusal sent
/// to no one signed in is not sealed.)
pub async fn seal_returned_errors(
    axum::extract::State(seal): axum::extract::State<app::security::FormSeal>,
    request: Request,
    next: Next,
) -> Response {
    use axum::http::{header, HeaderValue};
    let person = request
        .extensions()
        .get::<app::session::SignedIn>()
        .map(|signed_in| signed_in.0.person_id);
    let mut response = next.run(request).await;
    let Some(person) = person else {
        return response;
    };
    let Some(location) = response
        .headers()
        .get(header::LOCATION)
        .and_then(|value| value.to_str().ok())
        .filter(|location| location.contains("__err="))
    else {
        return response;
    };
    if let Some(sealed) = sealed(&seal, person, location) {
        if let Ok(value) = HeaderValue::from_str(&sealed) {
            response.headers_mut().insert(header::LOCATION, value);
        }
    }
    response
}

/// `location` with the seal of its `__path` and `__err` for `person` added, as a path on this
/// site (leptos sends a refused form back to the page the browser names, which a crafted
/// request could set to another site).
fn sealed(seal: &app::security::FormSeal, person: i64, location: &str) -> Option<String> {
    let base = url::Url::parse("http://hexplan.invalid/").ok()?;
    let mut url = base.join(location).ok()?;
    // leptos appends a refusal's `__path` and `__err` to the page's address, after those of an
    // earlier refusal on the same page: only the newest are kept, with their seal alone.
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    let newest = |name: &str| {
        pairs
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    };
    let (path, error) = (newest("__path")?, newest("__err")?);
    let kept = pairs.iter().filter(|(key, _)| {
        !["__path", "__err", app::components::form::SEAL].contains(&key.as_str())
    });
    url.query_pairs_mut()
        .clear()
        .extend_pairs(kept)
        .append_pair("__path", &path)
        .append_pair("__err", &error)
        .append_pair(
            app::components::form::SEAL,
            &seal.seal(person, &path, &error),
        );
    // Back to a page of this site, whatever the browser said it came from.
    Some(url[url::Position::BeforePath..].to_string())
}

#[cfg(test)]
mod tests {
    use super::sealed;
    use app::components::form::SEAL;
    use app::security::FormSeal;

    #[test]
    fn a_returned_error_is_sealed_where_it_was_sent() {
        let seal = FormSeal::new("secret");
        let relative = sealed(
            &seal,
            7,
            "/people?__path=%2Fapi%2Fadd-person&__err=eyJ4Ijp7fX0%3D",
        )
        .unwrap();
        assert_eq!(
            relative,
            format!(
                "/people?__path=%2Fapi%2Fadd-person&__err=eyJ4Ijp7fX0%3D&{SEAL}={}",
                seal.seal(7, "/api/add-person", "eyJ4Ijp7fX0=")
            )
        );
        // A second refusal on the page of a first: leptos appends the new message after the
        // first's; only the new one stays, sealed.
        let again = sealed(
            &seal,
            7,
            &format!("/returns?period=q3&__path=%2Fa&__err=old&{SEAL}=old&__path=%2Fa&__err=new"),
        )
        .unwrap();
        assert_eq!(
            again,
            format!(
                "/returns?period=q3&__path=%2Fa&__err=new&{SEAL}={}",
                seal.seal(7, "/a", "new")
            )
        );
        let elsewhere = sealed(&seal, 7, "http://evil.example/people?__path=%2Fa&__err=b").unwrap();
        assert!(
            elsewhere.starts_with("/people?__path=%2Fa&__err=b&__seal="),
            "{elsewhere}"
        );
        assert_eq!(
            sealed(&seal, 7, "/people?__err=b"),
            None,
            "no server function named"
        );
    }
}
