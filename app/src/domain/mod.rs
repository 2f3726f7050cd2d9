//! Pure types and rules of the performance framework: no IO, no leptos.
//!
//! Both the server and the browser call these, so every rule is written once.

pub mod audit;
pub mod calendar;
pub mod change_summary;
pub mod council;
pub mod format;
pub mod hexmap;
pub mod indicator;
pub mod input;
pub mod period;
pub mod plan;
pub mod plausibility;
pub mod reading;
pub mod returns;
pub mod review;
pub mod roles;
pub mod status;
pub mod table;
pub mod target;
pub mod trend;
pub mod workbook;

pub use calendar::{Calendar, Reporting};
pub use council::{Council, CouncilFilter, Councils};
pub use indicator::{IndicatorKind, Lifecycle, Polarity, Unit};
pub use period::{FinancialYear, HalfYear, Quarter};
pub use status::{Status, StatusCounts};
pub use trend::Trend;
