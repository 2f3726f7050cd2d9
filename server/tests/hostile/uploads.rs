//! Uploads built to stop the server or exhaust its memory. Each is refused with a message
//! naming its problem, writes nothing, and leaves the server answering `/healthz`.

use crate::common::{
    client, database_in, free_port, fresh_dir, get, ready, session, session_at, spawn_server,
    start, upload, TestServer,
};
use std::io::Write;

/// A hostile file, what it is called on upload, and words of the message it must get.
struct Hostile {
    what: &'static str,
    file_name: &'static str,
    bytes: Vec<u8>,
    message: &'static str,
}

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const RELATIONSHIPS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const OFFICE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// A workbook of one sheet whose XML is `sheet` (inside `<worksheet>`), with `shared` as its
/// shared-strings part when given: the smallest package a spreadsheet reader opens.
fn workbook(sheet: &str, shared: Option<&str>) -> Vec<u8> {
    workbook_with(sheet, shared.map(|xml| ("xl/sharedStrings.xml", xml)))
}

/// The same, with the shared-strings part under a name of the caller's choosing.
fn workbook_with(sheet: &str, shared: Option<(&str, &str)>) -> Vec<u8> {
    let mut parts = vec![
        (
            "[Content_Types].xml".to_string(),
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#
                .to_string(),
        ),
        (
            "_rels/.rels".to_string(),
            format!(
                r#"<Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="rId1" Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/workbook.xml".to_string(),
            format!(
                r#"<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}"><sheets><sheet name="Values" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels".to_string(),
            format!(
                r#"<Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="rId1" Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{OFFICE}/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/worksheets/sheet1.xml".to_string(),
            format!(r#"<worksheet xmlns="{MAIN}">{sheet}</worksheet>"#),
        ),
    ];
    if let Some((name, xml)) = shared {
        parts.push((name.to_string(), xml.to_string()));
    }
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A text cell.
fn text(at: &str, value: &str) -> String {
    format!(r#"<c r="{at}" t="inlineStr"><is><t>{value}</t></is></c>"#)
}

/// The template's heading row, as the first row of a sheet.
fn heading() -> String {
    let cells: String = ["Indicator", "Council", "Period", "Value", "Commentary"]
        .iter()
        .zip(["A1", "B1", "C1", "D1", "E1"])
        .map(|(name, at)| text(at, name))
        .collect();
    format!(r#"<row r="1">{cells}</row>"#)
}

/// Sets the size `part` declares once unpacked, in its local header and in the central
/// directory, to `size`, leaving what it really holds as it is.
fn declare_size(mut zip: Vec<u8>, part: &str, size: u32) -> Vec<u8> {
    let name = part.as_bytes();
    let read_u16 = |zip: &[u8], at: usize| u16::from_le_bytes([zip[at], zip[at + 1]]) as usize;
    let mut patched = 0;
    for at in 0..zip.len().saturating_sub(46) {
        // (signature, where the name's length is, where the name starts, where the size is)
        let (length_at, name_at, size_at) = match &zip[at..at + 4] {
            b"PK\x03\x04" => (at + 26, at + 30, at + 22),
            b"PK\x01\x02" => (at + 28, at + 46, at + 24),
            _ => continue,
        };
        if read_u16(&zip, length_at) == name.len()
            && zip.get(name_at..name_at + name.len()) == Some(name)
        {
            zip[size_at..size_at + 4].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(patched, 2, "both headers of {part}");
    zip
}

/// An older Excel workbook: an OLE compound file's header and some of its body.
fn xls() -> Vec<u8> {
    let mut bytes = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".to_vec();
    bytes.extend(std::iter::repeat_n(0u8, 504));
    bytes
}

fn corpus() -> Vec<Hostile> {
    let nested = format!(
        r#"<sheetData><row r="1"><c r="A1" t="inlineStr"><is>{}<t>x</t>{}</is></c></row></sheetData>"#,
        "<r>".repeat(200_000),
        "</r>".repeat(200_000)
    );
    let big_sheet = format!(
        "<sheetData>{}{}</sheetData>",
        heading(),
        " ".repeat(60 << 20)
    );
    let lying_part = declare_size(
        workbook(&big_sheet, None),
        "xl/worksheets/sheet1.xml",
        1_000,
    );
    let mut utf16 = vec![0xff, 0xfe];
    for unit in
        "Indicator,Council,Period,Value,Commentary\nWE01,Babergh,2017/18 Q3,12,\n".encode_utf16()
    {
        utf16.extend(unit.to_le_bytes());
    }
    vec![
        Hostile {
            what: "a sheet of two cells, A1 and XFD1048576",
            file_name: "sparse.xlsx",
            bytes: workbook(
                &format!(
                    r#"<sheetData><row r="1">{}</row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>"#,
                    text("A1", "Indicator")
                ),
                None,
            ),
            message: "Cell XFD1048576 lies beyond column AX",
        },
        Hostile {
            what: "a dimension tag claiming the whole sheet over a heading row",
            file_name: "dimension.xlsx",
            bytes: workbook(
                &format!(
                    r#"<dimension ref="A1:XFD1048576"/><sheetData>{}</sheetData>"#,
                    heading()
                ),
                None,
            ),
            message: "no values below it",
        },
        Hostile {
            what: "a shared-strings part announcing four billion strings",
            file_name: "announced.xlsx",
            bytes: workbook(
                &format!("<sheetData>{}</sheetData>", heading()),
                Some(&format!(
                    r#"<sst xmlns="{MAIN}" count="4000000000" uniqueCount="4000000000"><si><t>Indicator</t></si></sst>"#
                )),
            ),
            message: "different texts",
        },
        Hostile {
            what: "the same announcement in a part named in other letters",
            file_name: "case.xlsx",
            bytes: workbook_with(
                &format!("<sheetData>{}</sheetData>", heading()),
                Some((
                    "xl/SharedStrings.XML",
                    &format!(
                        r#"<sst xmlns="{MAIN}" uniqueCount="1000000000000000"><si><t>x</t></si></sst>"#
                    ),
                )),
            ),
            message: "different texts",
        },
        Hostile {
            what: "the same announcement after a stray end tag",
            file_name: "endtag.xlsx",
            bytes: workbook(
                &format!("<sheetData>{}</sheetData>", heading()),
                Some(&format!(
                    r#"<x></y><sst xmlns="{MAIN}" uniqueCount="1000000000000000"><si><t>x</t></si></sst>"#
                )),
            ),
            message: "different texts",
        },
        Hostile {
            what: "a shared-strings part that is not XML",
            file_name: "garbled.xlsx",
            bytes: workbook(
                &format!("<sheetData>{}</sheetData>", heading()),
                Some("<sst uniqueCount=\"1\"><si><t>x</t></si><<<&&&</sst"),
            ),
            message: "its shared texts cannot be read",
        },
        Hostile {
            what: "a shared-strings part holding 1.1 million empty strings",
            file_name: "strings.xlsx",
            bytes: workbook(
                &format!("<sheetData>{}</sheetData>", heading()),
                Some(&format!(
                    r#"<sst xmlns="{MAIN}">{}</sst>"#,
                    "<si><t/></si>".repeat(1_100_000)
                )),
            ),
            message: "different texts",
        },
        Hostile {
            what: "a cell nested 200,000 elements deep",
            file_name: "nested.xlsx",
            bytes: workbook(&nested, None),
            message: "The heading row must name the columns",
        },
        Hostile {
            what: "a part that says it unpacks to 1,000 bytes and unpacks to 60 MB",
            file_name: "lying.xlsx",
            bytes: lying_part,
            message: "one of its parts does not hold what the file says it does",
        },
        Hostile {
            what: "a sheet that honestly unpacks to 60 MB",
            file_name: "bomb.xlsx",
            bytes: workbook(&big_sheet, None),
            message: "unpacks to more than 50 MB",
        },
        Hostile {
            what: "a CSV row of ten million commas",
            file_name: "commas.csv",
            bytes: ",".repeat(10_000_000).into_bytes(),
            message: "This row has 10,000,001 columns",
        },
        Hostile {
            what: "a CSV holding a NUL byte",
            file_name: "nul.csv",
            bytes: b"Indicator,Council,Period,Value,Commentary\nWE01,Bab\x00ergh,2017/18 Q3,12,\n"
                .to_vec(),
            message: "it holds binary data",
        },
        Hostile {
            what: "a UTF-16 text file named .csv",
            file_name: "unicode.csv",
            bytes: utf16,
            message: "This file is UTF-16 text",
        },
        Hostile {
            what: "an .xls workbook renamed .xlsx",
            file_name: "renamed.xlsx",
            bytes: xls(),
            message: "This is an older Excel workbook (.xls)",
        },
        Hostile {
            what: "an .xls workbook renamed .csv",
            file_name: "renamed.csv",
            bytes: xls(),
            message: "This is an older Excel workbook (.xls)",
        },
    ]
}

/// What an upload could change: values, audit records and the audit trail's head.
async fn written(site: &TestServer) -> (i64, i64, String) {
    written_in(&site.database().await).await
}

async fn written_in(db: &app::store::Db) -> (i64, i64, String) {
    let measurements = sqlx::query_scalar("SELECT COUNT(*) FROM measurement")
        .fetch_one(db)
        .await
        .unwrap();
    let (records, head) =
        sqlx::query_as::<_, (i64, String)>("SELECT records, hash FROM audit_head WHERE id = 1")
            .fetch_one(db)
            .await
            .unwrap();
    (measurements, records, head)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_upload_stops_the_server_and_each_is_refused_with_its_problem_named() {
    let site = start().await;
    let mark = session(&site, "mark.ellis").await;
    let before = written(&site).await;
    for hostile in corpus() {
        let page = upload(&site, &mark, hostile.file_name, hostile.bytes).await;
        assert!(
            page.contains("Nothing was saved") && page.contains(hostile.message),
            "{}: expected \"{}\" in {page}",
            hostile.what,
            hostile.message
        );
        assert_eq!(
            written(&site).await,
            before,
            "{} wrote nothing",
            hostile.what
        );
        assert_eq!(get(&site, "/healthz").await, (200, "ok".to_string()));
    }
}

/// The most memory the process `pid` has held so far (its high-water mark), in MB.
fn peak_memory_mb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("procfs");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .expect("VmHWM")
        / 1024
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crowd_of_hostile_uploads_at_once_is_answered_within_bounded_memory() {
    // A server of its own, so its memory is its own.
    let dir = fresh_dir("hostile-crowd").await;
    let port = free_port();
    let mut child = spawn_server(&dir, port);
    let base = format!("http://127.0.0.1:{port}");
    ready(&base).await;
    let mark = session_at(&base, "mark.ellis").await;
    let db = database_in(&dir).await;
    let unchanged = written_in(&db).await;
    let before = peak_memory_mb(child.id());
    let commas = ",".repeat(10_000_000).into_bytes();
    let uploads = (0..8).map(|_| {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(commas.clone()).file_name("commas.csv"),
        );
        client()
            .post(format!("{base}/returns/import"))
            .header("origin", base.clone())
            .header("cookie", mark.clone())
            .multipart(form)
            .send()
    });
    for answer in futures_util::future::join_all(uploads).await {
        let status = answer.expect("every upload is answered").status().as_u16();
        // Read and refused (its outcome page), or asked to try again while others are read.
        assert!(status == 303 || status == 503, "{status}");
    }
    let grown = peak_memory_mb(child.id()).saturating_sub(before);
    // Unbounded, eight such rows took over 3 GB; two at a time take a few hundred MB.
    assert!(grown < 600, "the server grew by {grown} MB");
    let health = client()
        .get(format!("{base}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status().as_u16(), 200);
    assert_eq!(written_in(&db).await, unchanged);
    let _ = child.kill();
    let _ = child.wait();
}
