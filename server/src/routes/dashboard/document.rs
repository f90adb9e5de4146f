//! The annual work report as a Word file (`.docx`, Office Open XML), written directly: a title, the
//! summary, and each area's heading and sentences — the same text as the JSON and the web page. It opens in
//! Word, WPS and LibreOffice.

use std::io::{Cursor, Write};

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::api::{DashboardQuery, WorkReport};
use zip::write::SimpleFileOptions;

use super::report::report_of;
use crate::auth::{Auth, Staff};
use crate::error::{AppPath, AppQuery, Error, Result};
use crate::state::AppState;

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// The report of a year as a Word file.
#[utoipa::path(get, path = "/reports/annual/{year}/document", tag = "dashboard",
    params(("year" = i32, Path, description = "年度"), ("city" = Option<String>, Query, description = "城市代码")),
    security(("session" = ["Staff"])),
    responses((status = 200, description = "年度工作总结（.docx）", content_type = DOCX),
        (status = 422, body = domain::api::ApiError)))]
pub(super) async fn annual_report_document(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppPath(year): AppPath<i32>,
    AppQuery(query): AppQuery<DashboardQuery>,
) -> Result<Response> {
    let report = report_of(&state, &auth, year, query.city.as_deref()).await?;
    let bytes = docx(&report).map_err(|e| Error::Internal(anyhow::anyhow!("writing the report: {e}")))?;
    let file_name = format!("{}.docx", report.title);
    let ascii = format!("annual-report-{}.docx", report.year);
    Ok((
        [
            (header::CONTENT_TYPE, DOCX.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
                    percent_encode(&file_name)
                ),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// RFC 5987 encoding of a file name.
fn percent_encode(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The `.docx` of a report.
pub(crate) fn docx(report: &WorkReport) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in [
        ("[Content_Types].xml", CONTENT_TYPES.to_owned()),
        ("_rels/.rels", RELS.to_owned()),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.to_owned()),
        ("word/styles.xml", STYLES.to_owned()),
        ("word/document.xml", document_xml(report)),
    ] {
        zip.start_file(name, options)?;
        zip.write_all(content.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

fn document_xml(report: &WorkReport) -> String {
    let mut body = String::new();
    body.push_str(&paragraph("Title", &report.title));
    body.push_str(&paragraph("Normal", &report.summary));
    body.push_str(&paragraph("Heading1", "取得成效"));
    for section in &report.sections {
        body.push_str(&paragraph("Heading2", &section.heading));
        let text = format!("{}。{}", section.motto, section.sentences.concat());
        body.push_str(&paragraph("Normal", &text));
    }
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>"#
    )
}

fn paragraph(style: &str, text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
        escape(text)
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;

/// Official-document styles (公文): 仿宋 body in 三号 (16 pt), 黑体 and 楷体 headings, 小标宋 title.
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="仿宋_GB2312"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:line="560" w:lineRule="exact"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:pPr><w:ind w:firstLineChars="200" w:firstLine="640"/><w:jc w:val="both"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/><w:spacing w:after="560"/></w:pPr><w:rPr><w:rFonts w:eastAsia="方正小标宋简体"/><w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:rFonts w:eastAsia="黑体"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:rFonts w:eastAsia="楷体_GB2312"/></w:rPr></w:style></w:styles>"#;

#[cfg(test)]
mod tests {
    use super::*;
    use domain::dashboard::report::annual_report;

    #[test]
    fn the_document_is_a_zip_with_the_report_text_escaped() {
        let mut report = annual_report(2021, None, "安徽省", &[]);
        report.summary.push_str("<&>");
        let bytes = docx(&report).unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut archive.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
        assert!(xml.contains("安徽省2021年度社会组织管理工作总结"));
        assert!(xml.contains("&lt;&amp;&gt;"));
        assert!(archive.by_name("[Content_Types].xml").is_ok());
    }
}
