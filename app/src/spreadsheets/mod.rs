//! Reading uploaded spreadsheets (CSV or XLSX) into rows of text, and writing tables as CSV
//! and XLSX. The csv crate reads and writes CSV; calamine reads XLSX; rust_xlsxwriter writes it.

use crate::domain::returns::Problem;
use crate::domain::table::{number_format, Cell, Table};
use crate::domain::workbook::PlanBook;

mod xlsx_reading;

/// The kinds of file an upload may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Csv,
    Xlsx,
}

/// The first bytes of an older Excel workbook (.xls, an OLE compound file).
const XLS_SIGNATURE: &[u8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1";

impl Kind {
    /// The kind a file is, judged by its first bytes (an XLSX is a ZIP archive) and its name.
    pub fn of(name: &str, bytes: &[u8]) -> Result<Kind, Problem> {
        let name = name.to_lowercase();
        if bytes.starts_with(XLS_SIGNATURE) {
            return Err(Problem::file(
                "This is an older Excel workbook (.xls), whatever its name says: open it in your spreadsheet program and save it as XLSX or CSV UTF-8",
            ));
        }
        if bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff") {
            return Err(Problem::file(
                "This file is UTF-16 text (Excel's \"Unicode Text\"): save it as CSV UTF-8 or XLSX instead",
            ));
        }
        let zip = bytes.starts_with(b"PK\x03\x04");
        if name.ends_with(".xlsx") && zip {
            Ok(Kind::Xlsx)
        } else if name.ends_with(".csv") && !zip {
            Ok(Kind::Csv)
        } else if name.ends_with(".xlsx") || name.ends_with(".csv") {
            Err(Problem::file(
                "The file's content does not match its name: save it again as CSV or XLSX from your spreadsheet program",
            ))
        } else {
            Err(Problem::file(
                "Upload a CSV or XLSX file (the name must end .csv or .xlsx); older .xls files must be saved as XLSX first",
            ))
        }
    }
}

/// How much of a sheet an upload may use. Nothing beyond is read into memory: a file that
/// claims or holds more is refused, or (rows) read no further.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Rows read, the heading row included; reading stops there (the caller reports a file
    /// that long as too long).
    pub rows: usize,
    /// Columns a row may have; a row or cell beyond them is refused.
    pub columns: usize,
}

/// The most columns an upload may have: the template has nine, so a few dozen leaves room
/// for a person's own notes.
pub const MAX_COLUMNS: usize = 50;

/// The rows of the first sheet, as text, within `limits`.
pub fn read(kind: Kind, bytes: &[u8], limits: Limits) -> Result<Vec<Vec<String>>, Problem> {
    match kind {
        Kind::Csv => read_csv(bytes, limits),
        Kind::Xlsx => xlsx_reading::read(bytes, limits),
    }
}

/// Every sheet of an XLSX workbook, by name, each within `limits`.
pub fn read_workbook(
    bytes: &[u8],
    limits: Limits,
    most_sheets: usize,
) -> Result<Vec<(String, Vec<Vec<String>>)>, Problem> {
    xlsx_reading::read_all(bytes, limits, most_sheets)
}

/// How much of each sheet a plan's workbook may use: enough for 300 indicators, three
/// councils and forty years of quarters.
pub const PLAN_LIMITS: Limits = Limits {
    rows: 200_001,
    columns: MAX_COLUMNS,
};

/// The most sheets a plan's workbook may have: its own and a few of the person's notes.
const PLAN_SHEETS: usize = 40;

/// A plan's workbook, read and checked whole: the plan, or every problem by sheet, row and
/// column.
pub fn read_plan(name: &str, bytes: &[u8]) -> Result<PlanBook, Vec<Problem>> {
    let not_a_workbook = || {
        vec![Problem::file(
            "This is not an XLSX workbook, whatever its name says: a plan is a workbook of several sheets, so save it from your spreadsheet program as an Excel Workbook (.xlsx) and upload that",
        )]
    };
    match Kind::of(name, bytes) {
        Ok(Kind::Xlsx) => {}
        Ok(Kind::Csv) => {
            return Err(vec![Problem::file(
                "A plan is a workbook of several sheets: upload it as an XLSX file, not CSV",
            )])
        }
        // An older Excel file says so itself; anything else is simply not a workbook.
        Err(problem) if problem.message.contains(".xls)") => return Err(vec![problem]),
        Err(_) => return Err(not_a_workbook()),
    }
    let sheets = read_workbook(bytes, PLAN_LIMITS, PLAN_SHEETS).map_err(|p| vec![p])?;
    crate::domain::workbook::read(&sheets)
}

/// A plan's sheets held as CSV files, one a sheet, each named for its sheet ("Values.csv"):
/// how the demonstration plan is kept in the repository, readable line by line.
pub fn read_plan_csv(files: &[(&str, &[u8])]) -> Result<PlanBook, Vec<Problem>> {
    let mut sheets = Vec::new();
    for (name, bytes) in files {
        let sheet = name.trim_end_matches(".csv").to_string();
        let rows = read_csv(bytes, PLAN_LIMITS).map_err(|problem| {
            vec![Problem {
                sheet: sheet.clone(),
                ..problem
            }]
        })?;
        sheets.push((sheet, rows));
    }
    crate::domain::workbook::read(&sheets)
}

/// The plan as one XLSX workbook, a sheet for each of `domain::workbook::SHEETS`.
pub fn write_plan(book: &PlanBook) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let tables = book.sheets();
    xlsx(&tables.iter().collect::<Vec<_>>())
}

/// The plan's sheets as CSV files ("Values.csv", …), text written as it is: for the
/// repository's copy of the demonstration, not for download.
pub fn write_plan_csv(book: &PlanBook) -> Result<Vec<(String, Vec<u8>)>, csv::Error> {
    book.sheets()
        .iter()
        .map(|table| {
            let mut writer = csv::Writer::from_writer(Vec::new());
            writer.write_record(&table.columns)?;
            for row in &table.rows {
                writer.write_record(row.iter().map(|cell| match cell {
                    Cell::Text(text) => text.clone(),
                    Cell::Number(value, _) => value.to_string(),
                    Cell::Whole(value) => value.to_string(),
                    Cell::Empty => String::new(),
                }))?;
            }
            let bytes = writer.into_inner().map_err(|e| e.into_error())?;
            Ok((format!("{}.csv", table.sheet), bytes))
        })
        .collect()
}

/// The longest cell read; longer ones are cut, and the checks report them as too long.
const MAX_CELL: usize = 10_000;

/// A cell's text as read: at most `MAX_CELL` characters.
fn cell(text: &str) -> String {
    text.chars().take(MAX_CELL).collect()
}

/// The message for a file with values below the last row an upload may have.
fn too_many_rows(limits: Limits) -> Problem {
    Problem::file(format!(
        "The file has more than {} rows below its heading row; an upload may hold at most that many. Split it into smaller files.",
        crate::domain::format::number((limits.rows - 1) as f64, 0)
    ))
}

/// The message for a row with more columns than an upload may have.
fn too_many_columns(row: usize, columns: usize, limits: Limits) -> Problem {
    Problem::new(
        row,
        "",
        format!(
            "This row has {} columns; an upload may have at most {}. Delete the columns you added, or start from the template",
            crate::domain::format::number(columns as f64, 0),
            limits.columns
        ),
    )
}

/// The first row with more columns than `limits` allow, and how many it has, counted field by
/// field without keeping any (csv-core, the csv crate's own parser): a row of ten million
/// commas costs nothing to count, where reading it as a record would take hundreds of MB.
fn too_wide(bytes: &[u8], limits: Limits) -> Option<(usize, usize)> {
    use csv_core::ReadFieldResult;
    let mut reader = csv_core::Reader::new();
    let mut discarded = [0u8; 4096];
    let (mut input, mut row, mut columns) = (bytes, 1, 0);
    loop {
        let (result, read, _) = reader.read_field(input, &mut discarded);
        input = &input[read..];
        match result {
            ReadFieldResult::Field { record_end } => {
                columns += 1;
                if record_end {
                    if columns > limits.columns {
                        return Some((row, columns));
                    }
                    row += 1;
                    columns = 0;
                }
            }
            // An empty input tells csv-core the file has ended.
            ReadFieldResult::InputEmpty | ReadFieldResult::OutputFull => {}
            ReadFieldResult::End => return None,
        }
    }
}

fn read_csv(bytes: &[u8], limits: Limits) -> Result<Vec<Vec<String>>, Problem> {
    if bytes.contains(&0) {
        return Err(Problem::file(
            "This is not a CSV file: it holds binary data. Save your spreadsheet as CSV UTF-8 or XLSX",
        ));
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if let Some((row, columns)) = too_wide(bytes, limits) {
        return Err(too_many_columns(row, columns, limits));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut rows = Vec::new();
    let mut record = csv::ByteRecord::new();
    loop {
        let row = rows.len() + 1;
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(_) => return Err(Problem::new(row, "", "This row cannot be read as CSV")),
        }
        if rows.len() == limits.rows {
            if record.iter().any(|field| !field.trim_ascii().is_empty()) {
                return Err(too_many_rows(limits));
            }
            continue;
        }
        let mut cells = Vec::with_capacity(record.len());
        for field in &record {
            let Ok(text) = std::str::from_utf8(field) else {
                return Err(Problem::new(
                    row,
                    "",
                    "This row is not UTF-8 text: save the file as CSV UTF-8 (in Excel, Save As, then CSV UTF-8)",
                ));
            };
            cells.push(cell(text));
        }
        rows.push(cells);
    }
    Ok(rows)
}

/// Text a spreadsheet would read as a formula is written as text.
pub fn cell_text(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// The table as CSV: numbers plain (no separators or units), text safe from formulas.
pub fn csv(table: &Table) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&table.columns)?;
    for row in &table.rows {
        writer.write_record(row.iter().map(|cell| match cell {
            Cell::Text(text) => cell_text(text),
            Cell::Number(value, _) => value.to_string(),
            Cell::Whole(value) => value.to_string(),
            Cell::Empty => String::new(),
        }))?;
    }
    writer.into_inner().map_err(|e| e.into_error().into())
}

/// The tables as an XLSX workbook, one sheet each, numbers formatted for their unit.
pub fn xlsx(tables: &[&Table]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    for table in tables {
        let sheet = workbook.add_worksheet();
        sheet.set_name(&table.sheet)?;
        for (column, name) in table.columns.iter().enumerate() {
            sheet.write_string_with_format(0, column as u16, name, &bold)?;
        }
        for (index, row) in table.rows.iter().enumerate() {
            let at = index as u32 + 1;
            for (column, cell) in row.iter().enumerate() {
                let column = column as u16;
                match cell {
                    Cell::Text(text) => {
                        sheet.write_string(at, column, text)?;
                    }
                    Cell::Number(value, unit) => {
                        sheet.write_number_with_format(
                            at,
                            column,
                            *value,
                            &Format::new().set_num_format(number_format(*unit)),
                        )?;
                    }
                    Cell::Whole(value) => {
                        sheet.write_number_with_format(
                            at,
                            column,
                            *value as f64,
                            &Format::new().set_num_format("0"),
                        )?;
                    }
                    Cell::Empty => {}
                }
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        sheet.autofit();
    }
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Unit;

    const LIMITS: Limits = Limits {
        rows: 10,
        columns: MAX_COLUMNS,
    };

    fn table() -> Table {
        Table {
            sheet: "Values".into(),
            columns: vec!["Indicator".into(), "Value".into(), "Commentary".into()],
            rows: vec![
                vec![
                    Cell::text("WE01"),
                    Cell::Number(1250.5, Unit::Count),
                    Cell::text("=HYPERLINK(\"x\")"),
                ],
                vec![Cell::text("WE02"), Cell::Empty, Cell::text("Fine")],
            ],
        }
    }

    #[test]
    fn csv_round_trips_and_defuses_formulas() {
        let bytes = csv(&table()).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(
            text.contains("WE01,1250.5,\"'=HYPERLINK(\"\"x\"\")\""),
            "{text}"
        );
        let rows = read(Kind::Csv, &bytes, LIMITS).unwrap();
        assert_eq!(rows[0], vec!["Indicator", "Value", "Commentary"]);
        assert_eq!(rows[2], vec!["WE02", "", "Fine"]);
    }

    #[test]
    fn xlsx_round_trips_with_numbers_as_numbers() {
        let bytes = xlsx(&[&table()]).unwrap();
        assert_eq!(Kind::of("values.xlsx", &bytes), Ok(Kind::Xlsx));
        let rows = read(Kind::Xlsx, &bytes, LIMITS).unwrap();
        assert_eq!(rows[1][0], "WE01");
        assert_eq!(rows[1][1], "1250.5");
        assert_eq!(rows[2][1], "");
    }

    #[test]
    fn hostile_files_get_a_message() {
        assert!(Kind::of("values.xlsx", b"not a zip").is_err());
        assert!(Kind::of("values.exe", b"MZ").is_err());
        assert!(Kind::of("junk.csv", b"PK\x03\x04rest").is_err());
        let latin1 = b"Indicator,Council\nWE01,Caf\xe9\n";
        let problem = read(Kind::Csv, latin1, LIMITS).unwrap_err();
        assert!(problem.message.contains("UTF-8"), "{problem:?}");
        assert!(read(Kind::Csv, b"a,b\x00c", LIMITS)
            .unwrap_err()
            .message
            .contains("binary"));
        let broken_zip = b"PK\x03\x04\x00\x00garbage";
        assert!(read(Kind::Xlsx, broken_zip, LIMITS).is_err());
        let long = "x".repeat(MAX_CELL * 3);
        let rows = read(Kind::Csv, long.as_bytes(), LIMITS).unwrap();
        assert_eq!(rows[0][0].len(), MAX_CELL);
        let many = "a\n".repeat(100);
        let problem = read(Kind::Csv, many.as_bytes(), LIMITS).unwrap_err();
        assert!(problem.message.contains("more than 9 rows"), "{problem:?}");
        let blank_lines_after = format!("{}{}", "a\n".repeat(10), ",,\n".repeat(100));
        assert_eq!(
            read(Kind::Csv, blank_lines_after.as_bytes(), LIMITS)
                .unwrap()
                .len(),
            10
        );
        let wide = ",".repeat(LIMITS.columns);
        let problem = read(Kind::Csv, wide.as_bytes(), LIMITS).unwrap_err();
        assert!(problem.message.contains("51 columns"), "{problem:?}");
        assert!(read(Kind::Csv, &wide.as_bytes()[1..], LIMITS).is_ok());
    }
}
