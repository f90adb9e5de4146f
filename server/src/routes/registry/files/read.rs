//! Reading an uploaded registry file: the multipart upload (with its size limit), then its rows as text —
//! an .xlsx's first sheet through calamine, or a .csv in UTF-8 (BOM dropped) or GB18030.

use std::io::Cursor;

use axum::extract::Multipart;
use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::http::StatusCode;
use calamine::{Data, Reader, Xlsx};
use chrono::{Duration, NaiveDate};
use domain::api::FieldError;

use super::{MAX_IMPORT_BYTES, MAX_IMPORT_ROWS};
use crate::error::{Error, Result};

/// An uploaded file: its name and bytes.
pub(super) struct Upload {
    pub(super) name: String,
    pub(super) bytes: Vec<u8>,
}

pub(super) async fn read_upload(
    multipart: std::result::Result<Multipart, MultipartRejection>,
) -> Result<Upload> {
    let mut multipart = multipart
        .map_err(|e| Error::BadRequest(format!("上传请求须为 multipart/form-data：{}", e.body_text())))?;
    while let Some(mut field) = multipart.next_field().await.map_err(multipart_error)? {
        if field.name() != Some("file") {
            continue;
        }
        let name = field
            .file_name()
            .map(|n| n.chars().take(120).collect::<String>())
            .unwrap_or_default();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
            if bytes.len() + chunk.len() > MAX_IMPORT_BYTES {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        return Ok(Upload { name, bytes });
    }
    Err(Error::invalid("file", "请选择要导入的 .xlsx 或 .csv 文件"))
}

fn too_large() -> Error {
    let message = format!("文件超过 {} MB，请分批导入", MAX_IMPORT_BYTES / 1024 / 1024);
    Error::PayloadTooLarge {
        message: message.clone(),
        fields: vec![FieldError {
            field: "file".to_owned(),
            message,
        }],
    }
}

fn multipart_error(e: MultipartError) -> Error {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large()
    } else {
        Error::BadRequest(format!("无法读取上传的文件：{}", e.body_text()))
    }
}

/// The file's rows as text: an .xlsx (by its content: a ZIP) through calamine, its first sheet; anything
/// else as CSV in UTF-8 (a BOM is dropped) or, when it is not valid UTF-8, GB18030.
pub(super) fn read_rows(upload: &Upload) -> Result<Vec<Vec<String>>> {
    let bytes = &upload.bytes;
    if bytes.is_empty() {
        return Err(Error::invalid("file", "文件是空的"));
    }
    let rows = if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes)?
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(Error::invalid(
            "file",
            "不支持旧版 .xls 文件，请在表格软件中另存为 .xlsx 或 .csv 后导入",
        ));
    } else {
        read_csv(bytes)?
    };
    if rows.len() > MAX_IMPORT_ROWS + 1 {
        return Err(too_many_rows());
    }
    Ok(rows)
}

/// The most columns an import row may use: the template has far fewer, and a cell far to the right is a
/// sign of a hostile or broken file.
const MAX_IMPORT_COLUMNS: u32 = 64;
/// The most bytes the parts of an .xlsx may unpack to (a 40 MB file of text unpacks to a few hundred MB
/// at most; a "zip bomb" to far more).
const MAX_XLSX_UNPACKED_BYTES: u64 = 512 * 1024 * 1024;

/// The first sheet's rows, read cell by cell — never the sheet's declared size, which a 2 KB file can set
/// to a million rows by sixteen thousand columns — within the import's bounds: more rows than an import
/// may hold, a cell beyond the template's columns, or parts that unpack too large are refused (422)
/// before anything is allocated for them.
fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>> {
    let unreadable =
        |e: String| Error::invalid("file", format!("无法读取该 .xlsx 文件，请确认文件完好：{e}"));
    check_unpacked_size(bytes).map_err(unreadable)?;
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| unreadable(e.to_string()))?;
    let Some(first) = book.sheet_names().first().cloned() else {
        return Err(Error::invalid("file", "该 .xlsx 文件没有工作表"));
    };
    let mut cells = book
        .worksheet_cells_reader(&first)
        .map_err(|e| unreadable(e.to_string()))?;
    // Rows are numbered from the sheet's first row even when the used cells start lower.
    let mut rows: Vec<Vec<String>> = Vec::new();
    while let Some(cell) = cells.next_cell().map_err(|e| unreadable(e.to_string()))? {
        let (row, col) = cell.get_position();
        if row as usize > MAX_IMPORT_ROWS {
            return Err(too_many_rows());
        }
        if col >= MAX_IMPORT_COLUMNS {
            return Err(Error::invalid(
                "file",
                format!(
                    "第 {} 行有超出模板范围的单元格（第 {} 列），请只保留模板的列",
                    row + 1,
                    col + 1
                ),
            ));
        }
        let text = cell_text(&calamine::Data::from(cell.get_value().clone()));
        if text.is_empty() {
            continue;
        }
        if rows.len() <= row as usize {
            rows.resize(row as usize + 1, Vec::new());
        }
        let line = &mut rows[row as usize];
        if line.len() <= col as usize {
            line.resize(col as usize + 1, String::new());
        }
        line[col as usize] = text;
    }
    Ok(rows)
}

/// Refuses an archive whose parts unpack to more than `MAX_XLSX_UNPACKED_BYTES`, as their headers say
/// (the reader stops at the declared size).
fn check_unpacked_size(bytes: &[u8]) -> std::result::Result<(), String> {
    let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let total = archive.decompressed_size().unwrap_or(u128::MAX);
    if total > u128::from(MAX_XLSX_UNPACKED_BYTES) {
        return Err("文件解压后过大".to_owned());
    }
    Ok(())
}

fn too_many_rows() -> Error {
    Error::invalid("file", format!("一次最多导入 {MAX_IMPORT_ROWS} 行，请分批导入"))
}

/// A spreadsheet cell as the text the row check reads: whole numbers without `.0`, dates as YYYY-MM-DD.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "是" } else { "否" }.to_owned(),
        Data::DateTime(dt) => {
            let serial = dt.as_f64();
            // The 1900 date system: serial 1 is 1900-01-01, counted from 1899-12-30 past Excel's leap bug.
            NaiveDate::from_ymd_opt(1899, 12, 30)
                .and_then(|base| base.checked_add_signed(Duration::days(serial.floor() as i64)))
                .map(|d| d.to_string())
                .unwrap_or_default()
        }
        Data::Error(_) | Data::Empty => String::new(),
    }
}

fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>> {
    let text: String = match std::str::from_utf8(bytes) {
        Ok(text) => text.trim_start_matches('\u{feff}').to_owned(),
        Err(_) => {
            let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
            if had_errors {
                return Err(Error::invalid(
                    "file",
                    "无法识别文件的编码：请保存为 UTF-8 或 GB18030（GBK）编码的 .csv，或 .xlsx",
                ));
            }
            text.into_owned()
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows: Vec<Vec<String>> = Vec::new();
    // The reader skips blank lines; the line a record is on is counted from where it ends, so that the
    // numbering stays the one a spreadsheet shows.
    let (mut counted_to, mut lines) = (0usize, 0usize);
    let mut record = csv::StringRecord::new();
    loop {
        let more = reader.read_record(&mut record).map_err(|e| {
            let line = e.position().map_or(lines as u64 + 1, |p| p.line());
            Error::invalid("file", format!("第 {line} 行不是有效的 CSV：{e}"))
        })?;
        if !more {
            break;
        }
        let end = (reader.position().byte() as usize).min(text.len());
        let read = &text.as_bytes()[counted_to..end];
        lines += read.iter().filter(|b| **b == b'\n').count();
        counted_to = end;
        let line = if read.ends_with(b"\n") { lines } else { lines + 1 };
        // Counted before anything is allocated for the line: a file of blank lines stops here.
        if line > MAX_IMPORT_ROWS + 1 {
            return Err(too_many_rows());
        }
        while rows.len() + 1 < line {
            rows.push(Vec::new());
        }
        rows.push(record.iter().map(str::to_owned).collect());
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An .xlsx of two cells, `A1` and `XFD1048576`: the declared sheet is 17 billion cells.
    fn corner_cells_workbook() -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "名称").unwrap();
        sheet.write_string(1_048_575, 16_383, "x").unwrap();
        book.save_to_buffer().unwrap()
    }

    #[test]
    fn a_workbook_that_declares_a_whole_sheet_is_refused_without_allocating_it() {
        let bytes = corner_cells_workbook();
        assert!(bytes.len() < 10_000);
        let error = read_xlsx(&bytes).unwrap_err();
        assert!(matches!(error, Error::Validation { .. }), "{error:?}");
    }

    #[test]
    fn a_csv_of_blank_lines_stops_at_the_row_limit() {
        // Millions of blank lines, then one record: the blank lines would each become an empty row.
        let mut bytes = vec![b'\n'; MAX_IMPORT_ROWS * 30];
        bytes.extend_from_slice(b"a,b\n");
        let error = read_csv(&bytes).unwrap_err();
        assert!(error.to_string().contains("一次最多导入"), "{error}");
    }

    #[test]
    fn blank_csv_lines_keep_the_row_numbers_a_spreadsheet_shows() {
        let rows = read_csv("a,b\r\n1,2\r\n\r\n3,4\r\n\n5,6\n".as_bytes()).unwrap();
        assert_eq!(rows.len(), 6, "{rows:?}");
        assert_eq!(rows[3], ["3", "4"]);
        assert_eq!(rows[5], ["5", "6"]);
        assert!(rows[2].is_empty() && rows[4].is_empty());
    }

    #[test]
    fn gb18030_and_bom_csv_read_alike() {
        let text = "名称,统一社会信用代码\r\n合肥市养老服务协会,51340100MJ0000018R\r\n";
        let (gb, _, _) = encoding_rs::GB18030.encode(text);
        let mut bom = "\u{feff}".as_bytes().to_vec();
        bom.extend_from_slice(text.as_bytes());
        let a = read_csv(&gb).unwrap();
        let b = read_csv(&bom).unwrap();
        assert_eq!(a, b);
        assert_eq!(a[0][0], "名称");
        assert_eq!(a[1][0], "合肥市养老服务协会");
    }
}
