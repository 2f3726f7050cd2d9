//! The few browser calls the islands make directly: the address bar and full-page fallback.

#[cfg(feature = "hydrate")]
pub fn push_address(href: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href));
    }
}

/// Loads `href` as a whole page: the fallback when an in-place update fails.
#[cfg(feature = "hydrate")]
pub fn go_to(href: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_href(href);
    }
}

/// The value of `key` in the address's query, if any.
#[cfg(feature = "hydrate")]
pub fn query_value(key: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    search.trim_start_matches('?').split('&').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        (name == key).then(|| value.to_string())
    })
}
