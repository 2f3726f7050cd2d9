//! The islands: the only parts of a page hydrated in the browser. Everything else is rendered
//! on the server and works without JavaScript.

pub mod chart;
pub mod layout_editor;
pub mod map_explorer;
pub mod target_editor;
