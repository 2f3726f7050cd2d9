//! Reading an uploaded XLSX workbook without trusting anything it says about itself. A ZIP
//! archive can claim small parts and unpack to gigabytes, a sheet can place one cell at
//! XFD1048576, a shared-strings part can announce billions of strings: each is measured as it
//! is unpacked, and refused before memory is set aside for it.

use super::{cell, too_many_rows, Limits};
use crate::domain::returns::Problem;
use std::io::{BufReader, Cursor, Read};

/// The most an XLSX file may hold once unpacked, counted as its parts are really unpacked
/// (never as the archive declares them).
const MAX_UNPACKED: u64 = 50 * 1024 * 1024;

fn unreadable() -> Problem {
    Problem::file("The XLSX file cannot be read: save it again from your spreadsheet program")
}

/// The rows of the first sheet, as text, within `limits`.
pub fn read(bytes: &[u8], limits: Limits) -> Result<Vec<Vec<String>>, Problem> {
    use calamine::Reader;
    check_package(bytes, limits)?;
    let mut workbook = open(bytes)?;
    let Some(first) = workbook.sheet_names().into_iter().next() else {
        return Err(Problem::file("The XLSX file has no sheet to read"));
    };
    sheet(&mut workbook, &first, limits)
}

/// Every sheet (at most `most_sheets`), by name, each within `limits`; a problem names its sheet.
pub fn read_all(
    bytes: &[u8],
    limits: Limits,
    most_sheets: usize,
) -> Result<Vec<(String, Vec<Vec<String>>)>, Problem> {
    use calamine::Reader;
    check_package(bytes, limits)?;
    let mut workbook = open(bytes)?;
    let names = workbook.sheet_names();
    if names.len() > most_sheets {
        return Err(Problem::file(format!(
            "The workbook has {} sheets; it may have at most {most_sheets}. Delete the sheets you added",
            names.len()
        )));
    }
    names
        .into_iter()
        .map(|name| {
            sheet(&mut workbook, &name, limits)
                .map(|rows| (name.clone(), rows))
                .map_err(|problem| Problem {
                    sheet: name.clone(),
                    ..problem
                })
        })
        .collect()
}

fn open(bytes: &[u8]) -> Result<calamine::Xlsx<Cursor<&[u8]>>, Problem> {
    use calamine::Reader;
    calamine::Xlsx::new(Cursor::new(bytes)).map_err(|_| unreadable())
}

/// The rows of one sheet, as text, within `limits`.
fn sheet(
    workbook: &mut calamine::Xlsx<Cursor<&[u8]>>,
    name: &str,
    limits: Limits,
) -> Result<Vec<Vec<String>>, Problem> {
    use calamine::{Data, DataType};
    // Cell by cell, as the sheet lists them: the sheet's declared size is never used.
    let mut cells = workbook
        .worksheet_cells_reader(name)
        .map_err(|_| unreadable())?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    while let Some(found) = cells.next_cell().map_err(|_| unreadable())? {
        if found.get_value().is_empty() {
            continue;
        }
        let (row, column) = found.get_position();
        let (row, column) = (row as usize, column as usize);
        if column >= limits.columns {
            return Err(Problem::new(
                row + 1,
                &column_name(column),
                format!(
                    "Cell {}{} lies beyond column {}, the last an upload may use. Delete what lies outside the table (or copy the table to a new workbook) and upload it again",
                    column_name(column),
                    row + 1,
                    column_name(limits.columns - 1),
                ),
            ));
        }
        if row >= limits.rows {
            return Err(too_many_rows(limits));
        }
        if rows.len() <= row {
            rows.resize_with(row + 1, Vec::new);
        }
        let cells = &mut rows[row];
        if cells.len() <= column {
            cells.resize_with(column + 1, String::new);
        }
        let text = match Data::from(found.get_value().clone()) {
            Data::Empty => String::new(),
            Data::Float(f) => f.to_string(),
            Data::Int(i) => i.to_string(),
            Data::Error(e) => format!("#{e:?}"),
            other => other.to_string(),
        };
        cells[column] = cell(&text);
    }
    // A table that starts lower down reads from its first row, as the sheet shows it.
    let first_used = rows.iter().position(|cells| !cells.is_empty()).unwrap_or(0);
    rows.drain(..first_used);
    Ok(rows)
}

/// "A", "Z", "AA", … "XFD": a column's name, counted from 0.
fn column_name(mut column: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (column % 26) as u8);
        if column < 26 {
            break;
        }
        column = column / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// Unpacks every part of the archive once, measuring what it really holds, and counts the
/// shared strings, before the spreadsheet reader sees it.
fn check_package(bytes: &[u8], limits: Limits) -> Result<(), Problem> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| unreadable())?;
    let mut left = MAX_UNPACKED;
    for index in 0..archive.len() {
        let mut part = archive.by_index(index).map_err(|_| unreadable())?;
        // Named as the spreadsheet reader finds parts: in any case, with either slash.
        let shared_strings = part.name().is_ok_and(|name| {
            name.replace('\\', "/")
                .to_ascii_lowercase()
                .ends_with("sharedstrings.xml")
        });
        let mut bounded = (&mut part).take(left + 1);
        if shared_strings {
            count_strings(&mut bounded, limits)?;
        }
        std::io::copy(&mut bounded, &mut std::io::sink()).map_err(|_| {
            Problem::file(
                "The XLSX file is damaged: one of its parts does not hold what the file says it does. Save it again from your spreadsheet program",
            )
        })?;
        let unpacked = left + 1 - bounded.limit();
        if unpacked > left {
            return Err(Problem::file(
                "The XLSX file unpacks to more than 50 MB: save only the values sheet, or upload a CSV",
            ));
        }
        left -= unpacked;
    }
    Ok(())
}

/// Refuses a shared-strings part that announces or holds more distinct texts than the cells
/// an upload may have.
fn count_strings(part: &mut impl Read, limits: Limits) -> Result<(), Problem> {
    use quick_xml::events::Event;
    let most = limits.rows.saturating_mul(limits.columns);
    let too_many = || {
        Problem::file(format!(
            "The XLSX file holds more than {} different texts, more than an upload's cells can use: save only the values sheet, or upload a CSV",
            crate::domain::format::number(most as f64, 0)
        ))
    };
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(part));
    // Read as leniently as the spreadsheet reader does, so a part it accepts is counted.
    xml.config_mut().check_end_names = false;
    xml.config_mut().check_comments = false;
    let mut buffer = Vec::new();
    let mut strings = 0usize;
    loop {
        buffer.clear();
        match xml.read_event_into(&mut buffer) {
            Ok(Event::Start(element) | Event::Empty(element)) => {
                match element.local_name().as_ref() {
                    "sst" => {
                        for attribute in element.attributes().flatten() {
                            if attribute.key.local_name().as_ref() == "uniqueCount" {
                                let announced = attribute.value.trim().parse::<u64>().ok();
                                if announced.is_some_and(|n| n > most as u64) {
                                    return Err(too_many());
                                }
                            }
                        }
                    }
                    "si" => {
                        strings += 1;
                        if strings > most {
                            return Err(too_many());
                        }
                    }
                    _ => {}
                }
            }
            Ok(Event::Eof) => return Ok(()),
            // Unread, its strings could not be counted.
            Err(_) => {
                return Err(Problem::file(
                    "The XLSX file is damaged: its shared texts cannot be read. Save it again from your spreadsheet program",
                ))
            }
            Ok(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_as_a_spreadsheet_names_them() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(49), "AX");
        assert_eq!(column_name(16_383), "XFD");
    }
}
