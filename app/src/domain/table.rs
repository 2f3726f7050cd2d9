//! A table of figures to download, written the same way as CSV and as XLSX.

use super::Unit;

/// One cell: text, or a number in a unit (so a spreadsheet can format it as one).
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64, Unit),
    /// A whole number that is no measure: a place in the plan, a column, a score.
    Whole(i64),
    Empty,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Self {
        Cell::Text(text.into())
    }

    pub fn number(value: Option<f64>, unit: Unit) -> Self {
        value.map_or(Cell::Empty, |v| Cell::Number(v, unit))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// The sheet's name in a workbook (at most 31 characters).
    pub sheet: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// The spreadsheet number format for a unit: percentages are stored 0–100.
pub fn number_format(unit: Unit) -> &'static str {
    match unit {
        Unit::Percent => "0.0\"%\"",
        Unit::Pounds => "\"£\"#,##0.00",
        Unit::Count | Unit::Score => "#,##0.##",
        Unit::Days | Unit::Weeks | Unit::Kilograms => "#,##0.0",
        Unit::Seconds => "#,##0",
    }
}
