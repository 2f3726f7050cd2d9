//! The Content Security Policy: scripts only from the site itself, and the inline scripts
//! leptos writes for hydration only when they carry this response's nonce; no inline styles,
//! no framing, forms posting only to the site.

/// The policy, allowing inline scripts that carry `nonce` (pages) or none at all (every other
/// response).
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let inline = nonce
        .map(|nonce| format!(" 'nonce-{nonce}'"))
        .unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self'{inline} 'wasm-unsafe-eval'; style-src 'self'; \
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
}
