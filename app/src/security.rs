//! The Content Security Policy: scripts only from the site itself, and the inline scripts
//! leptos writes for hydration only when they carry this response's nonce; no inline styles
//! but a published report's own, by their hash;
//! no framing, forms posting only to the site.

/// The policy, allowing inline scripts that carry `nonce` (pages) or none at all (every other
/// response).
pub fn content_security_policy(nonce: Option<&str>) -> String {
    policy(nonce, None)
}

/// The policy of a published report's page, whose styles are stored inline with it: those
/// styles, exactly, by their SHA-256, and no script but the site's own.
#[cfg(feature = "ssr")]
pub fn frozen_styles_policy(styles: &str) -> String {
    use base64::Engine;
    use sha2::Digest;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(styles));
    policy(None, Some(&hash))
}

fn policy(nonce: Option<&str>, style_hash: Option<&str>) -> String {
    let inline = nonce
        .map(|nonce| format!(" 'nonce-{nonce}'"))
        .unwrap_or_default();
    let styles = style_hash
        .map(|hash| format!(" 'sha256-{hash}'"))
        .unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self'{inline} 'wasm-unsafe-eval'; style-src 'self'{styles}; \
         img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Gives this page a nonce of its own (leptos puts it on the inline scripts it writes) and
/// sends the policy that allows exactly those scripts.
#[cfg(feature = "ssr")]
pub fn protect_page() {
    use leptos::nonce::{provide_nonce, use_nonce};
    use leptos::prelude::use_context;
    if use_nonce().is_none() {
        provide_nonce();
    }
    let (Some(nonce), Some(response)) =
        (use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    else {
        return;
    };
    if let Ok(value) =
        axum::http::HeaderValue::from_str(&content_security_policy(Some(nonce.as_inner())))
    {
        response.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Seals the message a refused form carries back to its page in the address (`__path` and
/// `__err`, which leptos writes), with HMAC-SHA-256 under a secret of the site's own, for the
/// person whose form it was: a page shows only a message the server wrote for the person
/// reading it, never one that someone put in a link (even one the server once sealed for them).
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct FormSeal(std::sync::Arc<Vec<u8>>);

#[cfg(feature = "ssr")]
impl FormSeal {
    pub fn new(secret: &str) -> FormSeal {
        FormSeal(std::sync::Arc::new(secret.as_bytes().to_vec()))
    }

    /// The MAC over the message; HMAC takes a key of any length, so it is always made.
    fn mac(&self, person: i64, path: &str, error: &str) -> Option<hmac::Hmac<sha2::Sha256>> {
        use hmac::Mac;
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&self.0).ok()?;
        mac.update(person.to_string().as_bytes());
        mac.update(b"\n");
        mac.update(path.as_bytes());
        mac.update(b"\n");
        mac.update(error.as_bytes());
        Some(mac)
    }

    /// The seal of the message `error` from the server function at `path`, for `person`, in
    /// hex.
    pub fn seal(&self, person: i64, path: &str, error: &str) -> String {
        use hmac::Mac;
        self.mac(person, path, error)
            .map(|mac| crate::domain::format::hex(&mac.finalize().into_bytes()))
            .unwrap_or_default()
    }

    /// Whether `seal` is this site's seal of `error` from `path` for `person` (compared in
    /// constant time).
    pub fn holds(&self, person: i64, path: &str, error: &str, seal: &str) -> bool {
        use hmac::Mac;
        let bytes: Option<Vec<u8>> = (0..seal.len())
            .step_by(2)
            .map(|at| u8::from_str_radix(seal.get(at..at + 2)?, 16).ok())
            .collect();
        match (bytes, self.mac(person, path, error)) {
            (Some(bytes), Some(mac)) => mac.verify_slice(&bytes).is_ok(),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_allow_only_their_own_inline_scripts_and_nothing_inline_otherwise() {
        let page = content_security_policy(Some("abc123"));
        assert!(page.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"));
        assert!(!page.contains("unsafe-inline"));
        assert!(page.contains("frame-ancestors 'none'"));
        let other = content_security_policy(None);
        assert!(other.contains("script-src 'self' 'wasm-unsafe-eval';"));
        assert!(!other.contains("nonce"));
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn only_the_sites_own_seal_holds_and_only_for_its_message() {
        let site = FormSeal::new("a secret of the site's own");
        let seal = site.seal(7, "/api/refine", "eyJJbnZhbGlkIjp7fX0=");
        assert!(site.holds(7, "/api/refine", "eyJJbnZhbGlkIjp7fX0=", &seal));
        assert!(
            !site.holds(8, "/api/refine", "eyJJbnZhbGlkIjp7fX0=", &seal),
            "another person"
        );
        assert!(!site.holds(7, "/api/refine", "eyJPdGhlciI6e319", &seal));
        assert!(!site.holds(7, "/api/delete", "eyJJbnZhbGlkIjp7fX0=", &seal));
        assert!(!site.holds(7, "/api/refine", "eyJJbnZhbGlkIjp7fX0=", "00"));
        assert!(!site.holds(7, "/api/refine", "eyJJbnZhbGlkIjp7fX0=", "not hex"));
        let other = FormSeal::new("another site's secret");
        assert!(!other.holds(7, "/api/refine", "eyJJbnZhbGlkIjp7fX0=", &seal));
    }
}
