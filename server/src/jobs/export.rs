//! Exports, small and large, in one way: the module that owns the records walks them in slices and feeds
//! rows of [`Cell`]s to a [`Sink`], which writes the file on a blocking thread — an .xlsx workbook in
//! constant memory (a million rows need no more memory than a thousand) that continues on further sheets
//! beyond Excel's 1,048,576 rows, or a UTF-8 CSV — each opening with a line that says what it holds, by
//! which filter, how many.
//!
//! [`answer`] decides how a request gets its file: at once when the filter selects few rows, otherwise as
//! a job — `202 Accepted` with `Location: /api/v1/jobs/{id}` — whose file its owner downloads when done.
//! Either way the export is audited, and so is each download.

use std::path::PathBuf;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use domain::jobs::JobKind;
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tempfile::TempPath;
use tokio::sync::mpsc;

use super::Progress;
use crate::auth::{Auth, Rule};
use crate::error::Error;
use crate::state::AppState;
use crate::store::jobs::NewJob;
use crate::store::{AuditEntry, Visibility};

/// The most data rows on one sheet: the sheet's 1,048,576 less the caption and header rows.
pub const ROWS_PER_SHEET: u32 = 1_048_576 - 2;
/// How many records an export reads at a time.
pub const SLICE: i64 = 5_000;

pub const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub const CSV_TYPE: &str = "text/csv; charset=utf-8";

/// What an export job needs to run as the user who asked: the module's query as sent, and what the user
/// could see when they asked.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExportParams {
    pub query: Value,
    pub visibility: Visibility,
}

/// A written export: its download name, how many records it holds, and the temporary file (removed when
/// dropped unless kept).
#[derive(Debug)]
pub struct ExportFile {
    pub name: String,
    pub content_type: &'static str,
    pub rows: u64,
    pub path: TempPath,
}

/// One cell of an exported row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    /// An amount in 元, shown with two decimals.
    Money(f64),
    Empty,
}

impl Cell {
    /// Text as the user wrote it; text a spreadsheet could take for a formula is made inert.
    pub fn text(value: impl AsRef<str>) -> Cell {
        Cell::Text(crate::routes::neutralize(value.as_ref()))
    }

    /// An amount in fen, as 元 (exact below 2⁵³ fen).
    pub fn fen(fen: i64) -> Cell {
        Cell::Money(fen as f64 / 100.0)
    }

    fn as_csv(&self) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Number(n) => n.to_string(),
            Cell::Money(yuan) => format!("{yuan:.2}"),
            Cell::Empty => String::new(),
        }
    }
}

/// The kind of file a sink writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Xlsx,
    Csv,
}

/// A logical sheet: its name, the caption in its first row, its column headers and widths.
#[derive(Debug, Clone)]
pub struct SheetSpec {
    pub name: String,
    pub caption: String,
    pub headers: &'static [&'static str],
    /// Widths of the first columns, in characters.
    pub widths: &'static [f64],
}

enum Message {
    Sheet(SheetSpec),
    Rows(Vec<Vec<Cell>>),
}

/// Writes a file on a blocking thread from the sheets and rows sent to it.
pub struct Sink {
    sender: mpsc::Sender<Message>,
    writer: tokio::task::JoinHandle<anyhow::Result<()>>,
    path: TempPath,
    format: FileFormat,
}

impl Sink {
    pub fn create(format: FileFormat) -> anyhow::Result<Sink> {
        Sink::with_sheet_limit(format, ROWS_PER_SHEET)
    }

    /// As `create`, with at most `per_sheet` data rows on a sheet (tests use a small one).
    fn with_sheet_limit(format: FileFormat, per_sheet: u32) -> anyhow::Result<Sink> {
        let path = tempfile::Builder::new()
            .prefix("sheguan-export-")
            .tempfile()?
            .into_temp_path();
        let (sender, receiver) = mpsc::channel(4);
        let target = path.to_path_buf();
        let writer = tokio::task::spawn_blocking(move || match format {
            FileFormat::Xlsx => write_xlsx(receiver, target, per_sheet),
            FileFormat::Csv => write_csv(receiver, target),
        });
        Ok(Sink {
            sender,
            writer,
            path,
            format,
        })
    }

    /// Starts a sheet (a CSV has one: its caption and header rows).
    pub async fn sheet(&self, spec: SheetSpec) -> anyhow::Result<()> {
        self.send(Message::Sheet(spec)).await
    }

    pub async fn rows(&self, rows: Vec<Vec<Cell>>) -> anyhow::Result<()> {
        self.send(Message::Rows(rows)).await
    }

    async fn send(&self, message: Message) -> anyhow::Result<()> {
        if self.sender.send(message).await.is_err() {
            anyhow::bail!("the export's writer stopped");
        }
        Ok(())
    }

    /// Closes the file: `name` is what the user's download is called.
    pub async fn finish(self, name: String, rows: u64) -> anyhow::Result<ExportFile> {
        drop(self.sender);
        self.writer.await??;
        let content_type = match self.format {
            FileFormat::Xlsx => XLSX_TYPE,
            FileFormat::Csv => CSV_TYPE,
        };
        Ok(ExportFile {
            name,
            content_type,
            rows,
            path: self.path,
        })
    }
}

fn write_xlsx(mut receiver: mpsc::Receiver<Message>, path: PathBuf, per_sheet: u32) -> anyhow::Result<()> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    let mut current: Option<(SheetSpec, usize, u32, u32)> = None; // spec, worksheet index, part, next row
    while let Some(message) = receiver.blocking_recv() {
        match message {
            Message::Sheet(spec) => {
                let index = add_sheet(&mut book, &spec, 1, &bold)?;
                current = Some((spec, index, 1, 2));
            }
            Message::Rows(rows) => {
                let Some((spec, index, part, next)) = current.as_mut() else {
                    anyhow::bail!("rows before a sheet");
                };
                for cells in rows {
                    if *next - 2 >= per_sheet {
                        *part += 1;
                        *index = add_sheet(&mut book, spec, *part, &bold)?;
                        *next = 2;
                    }
                    let sheet = book.worksheet_from_index(*index)?;
                    write_row(sheet, *next, &cells, &money)?;
                    *next += 1;
                }
            }
        }
    }
    book.save(&path)?;
    Ok(())
}

/// Adds part `part` of a logical sheet — `贡献记录`, `贡献记录（2）`, … — with its caption and headers.
fn add_sheet(book: &mut Workbook, spec: &SheetSpec, part: u32, bold: &Format) -> anyhow::Result<usize> {
    let sheet = book.add_worksheet_with_constant_memory();
    let (name, caption) = if part == 1 {
        (spec.name.clone(), spec.caption.clone())
    } else {
        (
            format!("{}（{part}）", spec.name),
            format!("{}（续，第 {part} 页）", spec.caption),
        )
    };
    sheet.set_name(&name)?;
    for (col, width) in spec.widths.iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
    }
    sheet.write_string_with_format(0, 0, &caption, bold)?;
    for (col, title) in spec.headers.iter().enumerate() {
        sheet.write_string_with_format(1, col as u16, *title, bold)?;
    }
    Ok(book.worksheets().len() - 1)
}

fn write_row(sheet: &mut Worksheet, row: u32, cells: &[Cell], money: &Format) -> anyhow::Result<()> {
    for (col, cell) in cells.iter().enumerate() {
        let col = col as u16;
        match cell {
            Cell::Text(text) if !text.is_empty() => {
                sheet.write_string(row, col, text)?;
            }
            Cell::Number(n) => {
                sheet.write_number(row, col, *n)?;
            }
            Cell::Money(yuan) => {
                sheet.write_number_with_format(row, col, *yuan, money)?;
            }
            Cell::Text(_) | Cell::Empty => {}
        }
    }
    Ok(())
}

fn write_csv(mut receiver: mpsc::Receiver<Message>, path: PathBuf) -> anyhow::Result<()> {
    use std::io::Write;
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path)?);
    // A BOM, so that Excel and WPS read UTF-8.
    file.write_all(b"\xEF\xBB\xBF")?;
    let mut out = csv::WriterBuilder::new().flexible(true).from_writer(file);
    while let Some(message) = receiver.blocking_recv() {
        match message {
            Message::Sheet(spec) => {
                out.write_record([spec.caption.as_str()])?;
                out.write_record(spec.headers)?;
            }
            Message::Rows(rows) => {
                for cells in rows {
                    out.write_record(cells.iter().map(Cell::as_csv))?;
                }
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// A filter as a caption shows it, e.g. `年度=2021；类型=rural_funds`: each label with its value, the
/// values trimmed, the empty ones left out; `全部` when none is set.
pub fn describe_filter<'a>(parts: impl IntoIterator<Item = (&'a str, Option<String>)>) -> String {
    let parts: Vec<String> = parts
        .into_iter()
        .filter_map(|(label, value)| {
            let value = value?;
            let value = value.trim();
            (!value.is_empty()).then(|| format!("{label}={value}"))
        })
        .collect();
    if parts.is_empty() {
        "全部".to_owned()
    } else {
        parts.join("；")
    }
}

/// The caption of an export: what, by which filter, how many, when.
pub fn caption(what: &str, filter: &str, rows: u64) -> String {
    let at = Utc::now().with_timezone(&domain::jobs::china());
    format!(
        "{what}：共 {rows} 条（筛选条件：{}；导出时间：{} 北京时间）",
        crate::routes::neutralize(filter),
        at.format("%Y-%m-%d %H:%M")
    )
}

/// Answers a request for an export of `rows` records that `query` selects within `visibility`: `200`
/// with the file when they are few, `202 Accepted` with the job and `Location` otherwise — a job run as
/// the caller, who alone may download its file. The export is audited either way.
pub async fn answer<R: Rule>(
    state: &AppState,
    auth: &Auth<R>,
    kind: JobKind,
    query: &impl Serialize,
    visibility: Visibility,
    rows: u64,
) -> crate::error::Result<Response> {
    let params = ExportParams {
        query: serde_json::to_value(query).map_err(|e| Error::Internal(e.into()))?,
        visibility,
    };
    let actor = auth.actor();
    let audit = |job: Option<i64>| AuditEntry {
        actor: &actor,
        entity_type: "export",
        entity_id: kind.key().to_owned(),
        action: "export",
        before: None,
        after: Some(json!({ "filter": params.query, "rows": rows, "job": job })),
        reason: None,
    };
    if rows <= state.jobs.settings.inline_export_rows {
        let file = crate::routes::write_export(state, kind, &params, &Progress::default())
            .await
            .map_err(Error::Internal)?;
        state.store.record_audit(&audit(None)).await?;
        let bytes = tokio::fs::read(&file.path)
            .await
            .map_err(|e| Error::Internal(e.into()))?;
        return Ok(download(bytes, file.content_type, &file.name));
    }
    let job = NewJob {
        kind,
        params: serde_json::to_value(&params).map_err(|e| Error::Internal(e.into()))?,
        owner_id: Some(auth.user.user_id),
        run_key: None,
    };
    let id = state
        .jobs
        .enqueue(&state.store, job)
        .await?
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("a job without a run key was not queued")))?;
    state.store.record_audit(&audit(Some(id))).await?;
    super::accepted(state, id).await
}

/// A file to download: never cached, never sniffed into something else.
pub fn download(body: impl Into<axum::body::Body>, content_type: &str, filename: &str) -> Response {
    let ascii: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{ascii}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        body.into(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::Reader;

    fn spec() -> SheetSpec {
        SheetSpec {
            name: "记录".to_owned(),
            caption: caption("测试", "全部", 25),
            headers: &["编号", "名称", "金额（元）"],
            widths: &[8.0],
        }
    }

    fn rows(range: std::ops::Range<u32>) -> Vec<Vec<Cell>> {
        range
            .map(|i| {
                vec![
                    Cell::Number(f64::from(i)),
                    Cell::text(format!("=第{i}行")),
                    Cell::fen(1234),
                ]
            })
            .collect()
    }

    #[tokio::test]
    async fn a_workbook_continues_on_further_sheets_each_with_its_caption_and_headers() {
        let sink = Sink::with_sheet_limit(FileFormat::Xlsx, 10).unwrap();
        sink.sheet(spec()).await.unwrap();
        sink.rows(rows(0..12)).await.unwrap();
        sink.rows(rows(12..25)).await.unwrap();
        let file = sink.finish("t.xlsx".to_owned(), 25).await.unwrap();
        let mut book: calamine::Xlsx<_> = calamine::open_workbook(&file.path).unwrap();
        assert_eq!(book.sheet_names(), ["记录", "记录（2）", "记录（3）"]);
        let counts: Vec<usize> = ["记录", "记录（2）", "记录（3）"]
            .iter()
            .map(|name| book.worksheet_range(name).unwrap().rows().count())
            .collect();
        assert_eq!(
            counts,
            [12, 12, 7],
            "caption and headers on every sheet, 25 rows in all"
        );
        let third = book.worksheet_range("记录（3）").unwrap();
        assert!(third.get((0, 0)).unwrap().to_string().contains("续，第 3 页"));
        assert_eq!(third.get((1, 1)).unwrap().to_string(), "名称");
        assert_eq!(third.get((2, 0)).unwrap().to_string(), "20");
        assert_eq!(
            third.get((2, 1)).unwrap().to_string(),
            "'=第20行",
            "no formula runs"
        );
        assert_eq!(third.get((2, 2)).unwrap().to_string(), "12.34");
    }

    #[tokio::test]
    async fn a_csv_has_a_bom_its_caption_and_headers() {
        let sink = Sink::create(FileFormat::Csv).unwrap();
        sink.sheet(spec()).await.unwrap();
        sink.rows(rows(0..2)).await.unwrap();
        let file = sink.finish("t.csv".to_owned(), 2).await.unwrap();
        let bytes = std::fs::read(&file.path).unwrap();
        let text = std::str::from_utf8(&bytes[3..]).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
        assert!(lines[0].starts_with("测试：共 25 条（筛选条件：全部"));
        assert_eq!(lines[1], "编号,名称,金额（元）");
        assert_eq!(lines[2], "0,'=第0行,12.34");
        assert_eq!(lines.len(), 4);
    }
}
