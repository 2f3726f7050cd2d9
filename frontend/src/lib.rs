//! The WebAssembly entry point: hydrates the interactive islands of the server-rendered page
//! (the map explorer, the indicator chart); everything else stays plain HTML.

// The islands live in `app`; linking the crate brings their exported hydration functions.
extern crate app;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // Tells the browser tests (and anyone curious) that the page is now interactive.
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
