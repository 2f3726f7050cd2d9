//! Reading uploaded spreadsheets (CSV or XLSX) into rows of text, and writing tables as CSV
//! and XLSX. The csv crate reads and writes CSV; calamine reads XLSX; rust_xlsxwriter writes it.

use crate::domain::returns::Problem;
use crate::domain::table::{number_format, Cell, Table};
use std::io::Cursor;

/// The kinds of file an upload may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Csv,
    Xlsx,
}

impl Kind {
    /// The kind a file is, judged by its first bytes (an XLSX is a ZIP archive) and its name.
    pub fn of(name: &str, bytes: &[u8]) -> Result<Kind, Problem> {
        let name = name.to_lowercase();
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

/// The rows of the first sheet, as text, stopping after `max_rows` rows (the caller reports
/// a file that long as too long).
pub fn read(kind: Kind, bytes: &[u8], max_rows: usize) -> Result<Vec<Vec<String>>, Problem> {
    match kind {
        Kind::Csv => read_csv(bytes, max_rows),
        Kind::Xlsx => read_xlsx(bytes, max_rows),
    }
}

/// The longest cell read; longer ones are cut, and the checks report them as too long.
const MAX_CELL: usize = 10_000;

fn read_csv(bytes: &[u8], max_rows: usize) -> Result<Vec<Vec<String>>, Problem> {
    if bytes.contains(&0) {
        return Err(Problem::file(
            "This is not a CSV file: it holds binary data. Save your spreadsheet as CSV UTF-8 or XLSX",
        ));
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        if rows.len() > max_rows {
            break;
        }
        let record = record.map_err(|error| match error.kind() {
            csv::ErrorKind::Utf8 { .. } => Problem::new(
                index + 1,
                "",
                "This row is not UTF-8 text: save the file as CSV UTF-8 (in Excel, Save As, then CSV UTF-8)",
            ),
            _ => Problem::new(index + 1, "", "This row cannot be read as CSV"),
        })?;
        rows.push(
            record
                .iter()
                .map(|c| c.chars().take(MAX_CELL).collect())
                .collect(),
        );
    }
    Ok(rows)
}

/// The most an XLSX file may hold once unpacked: a small file that unpacks to gigabytes (a
/// "zip bomb") is refused before any of it is unpacked.
const MAX_UNPACKED: u64 = 50 * 1024 * 1024;

/// What the parts of an XLSX file (a ZIP archive) say they hold once unpacked.
fn unpacked_size(bytes: &[u8]) -> Option<u64> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut total = 0u64;
    for index in 0..archive.len() {
        total = total.saturating_add(archive.by_index_raw(index).ok()?.size());
    }
    Some(total)
}

fn read_xlsx(bytes: &[u8], max_rows: usize) -> Result<Vec<Vec<String>>, Problem> {
    use calamine::{Data, Reader, Xlsx};
    match unpacked_size(bytes) {
        None => {
            return Err(Problem::file(
                "The XLSX file cannot be read: save it again from your spreadsheet program",
            ))
        }
        Some(size) if size > MAX_UNPACKED => return Err(Problem::file(
            "The XLSX file unpacks to more than 50 MB: save only the values sheet, or upload a CSV",
        )),
        Some(_) => {}
    }
    let unreadable = |_| {
        Problem::file("The XLSX file cannot be read: save it again from your spreadsheet program")
    };
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let Some(Ok(range)) = workbook.worksheet_range_at(0) else {
        return Err(Problem::file("The XLSX file has no sheet to read"));
    };
    Ok(range
        .rows()
        .take(max_rows + 1)
        .map(|row| {
            row.iter()
                .map(|cell| {
                    let text = match cell {
                        Data::Empty => String::new(),
                        Data::Float(f) => f.to_string(),
                        Data::Int(i) => i.to_string(),
                        Data::Error(e) => format!("#{e:?}"),
                        other => other.to_string(),
                    };
                    text.chars().take(MAX_CELL).collect()
                })
                .collect()
        })
        .collect())
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
        let rows = read(Kind::Csv, &bytes, 10).unwrap();
        assert_eq!(rows[0], vec!["Indicator", "Value", "Commentary"]);
        assert_eq!(rows[2], vec!["WE02", "", "Fine"]);
    }

    #[test]
    fn xlsx_round_trips_with_numbers_as_numbers() {
        let bytes = xlsx(&[&table()]).unwrap();
        assert_eq!(Kind::of("values.xlsx", &bytes), Ok(Kind::Xlsx));
        let rows = read(Kind::Xlsx, &bytes, 10).unwrap();
        assert_eq!(rows[1][0], "WE01");
        assert_eq!(rows[1][1], "1250.5");
        assert_eq!(rows[2][1], "");
    }

    #[test]
    fn a_zip_bomb_is_refused_before_it_is_unpacked() {
        use std::io::Write;
        let mut bomb = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        bomb.start_file("xl/worksheets/sheet1.xml", options)
            .unwrap();
        let block = vec![b' '; 1024 * 1024];
        for _ in 0..60 {
            bomb.write_all(&block).unwrap();
        }
        let bytes = bomb.finish().unwrap().into_inner();
        assert!(bytes.len() < 2 * 1024 * 1024, "{} bytes", bytes.len());
        let problem = read(Kind::Xlsx, &bytes, 10).unwrap_err();
        assert!(problem.message.contains("more than 50 MB"), "{problem:?}");
    }

    #[test]
    fn hostile_files_get_a_message() {
        assert!(Kind::of("values.xlsx", b"not a zip").is_err());
        assert!(Kind::of("values.exe", b"MZ").is_err());
        assert!(Kind::of("junk.csv", b"PK\x03\x04rest").is_err());
        let latin1 = b"Indicator,Council\nWE01,Caf\xe9\n";
        let problem = read(Kind::Csv, latin1, 10).unwrap_err();
        assert!(problem.message.contains("UTF-8"), "{problem:?}");
        assert!(read(Kind::Csv, b"a,b\x00c", 10)
            .unwrap_err()
            .message
            .contains("binary"));
        let broken_zip = b"PK\x03\x04\x00\x00garbage";
        assert!(read(Kind::Xlsx, broken_zip, 10).is_err());
        let long = "x".repeat(MAX_CELL * 3);
        let rows = read(Kind::Csv, long.as_bytes(), 10).unwrap();
        assert_eq!(rows[0][0].len(), MAX_CELL);
        let many = "a\n".repeat(100);
        assert_eq!(read(Kind::Csv, many.as_bytes(), 10).unwrap().len(), 11);
    }
}
