//! What every handler of one plan's router can take: the plan's database, the site's options,
//! the live sessions' broker and the rest.

use app::store::Db;
use leptos::config::LeptosOptions;

/// The largest request body anything but the spreadsheet upload accepts, in bytes.
pub const FORM_LIMIT: usize = 1024 * 1024;

#[derive(Clone, axum::extract::FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    /// Mark session cookies Secure (the site is served over HTTPS).
    pub secure_cookies: bool,
    /// Live peer review sessions' updates.
    pub broker: app::live::Broker,
    /// Seals the messages refused forms carry back in the address.
    pub form_seal: app::security::FormSeal,
    /// Sign-in attempts per client address, shared by every plan the process serves.
    pub sign_ins: crate::sign_ins::SignIns,
}
