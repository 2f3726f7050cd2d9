//! Hexplan: the performance framework of a council's Joint Strategic Plan.
//!
//! The crate is shared by the server (feature `ssr`) and the browser (feature `hydrate`).

// Deeply nested views have deeply nested types.
#![recursion_limit = "256"]

pub mod api;
mod app;
pub mod components;
pub mod domain;
pub mod error;
pub mod islands;
#[cfg(feature = "ssr")]
pub mod live;
#[cfg(feature = "ssr")]
pub mod mail;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod report_document;
#[cfg(feature = "ssr")]
pub mod report_page;
#[cfg(feature = "ssr")]
pub mod security;
pub mod session;
#[cfg(feature = "ssr")]
pub mod spreadsheets;
#[cfg(feature = "ssr")]
pub mod store;

pub use app::{shell, stylesheet_href, App};
