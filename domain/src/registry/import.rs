//! 名录导入 — importing registered organizations from a spreadsheet: the template's columns, and the check
//! of every row with the same parsers the registry uses (credit codes, division codes, kinds, categories,
//! money, names, phones), including duplicates within the file and against the registry.
//!
//! Rows are numbered as a spreadsheet shows them: the header is row 1, the first organization row 2.
//! Every problem names its row, its column (the template's Chinese header) and the reason in Chinese.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::api::ImportProblem;
use crate::division::DivisionCode;
use crate::money::Fen;
use crate::registry::credit_code::{Authority, CreditCode};
use crate::registry::organization::{Category, Classification, EmergingIndustry, Level, OrgKind, OrgStatus};
use crate::registry::registration::{MAX_TEXT_CHARS, check_name, check_phone};

/// One column of the template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The header as the template writes it and the check names it.
    pub header: &'static str,
    pub required: bool,
    /// An example value (the template's second row explains each column with it).
    pub example: &'static str,
}

/// The template's columns, in order. Files may order them differently: headers are matched by name.
pub const COLUMNS: [Column; 13] = [
    Column {
        header: "名称",
        required: true,
        example: "合肥市蜀山区养老服务协会",
    },
    Column {
        header: "统一社会信用代码",
        required: true,
        example: "51340104MJ0000027X",
    },
    Column {
        header: "登记类型",
        required: true,
        example: "社会团体",
    },
    Column {
        header: "分类",
        required: true,
        example: "城乡社区服务类",
    },
    Column {
        header: "所属新兴产业",
        required: false,
        example: "",
    },
    Column {
        header: "登记管理机关代码",
        required: true,
        example: "340104",
    },
    Column {
        header: "登记状态",
        required: false,
        example: "正常",
    },
    Column {
        header: "法定代表人",
        required: false,
        example: "王建国",
    },
    Column {
        header: "成立日期",
        required: false,
        example: "2015-06-01",
    },
    Column {
        header: "注册资金（元）",
        required: false,
        example: "30000",
    },
    Column {
        header: "住所",
        required: false,
        example: "安徽省合肥市蜀山区长江西路 100 号",
    },
    Column {
        header: "业务范围",
        required: false,
        example: "养老服务、培训、交流",
    },
    Column {
        header: "联系电话",
        required: false,
        example: "0551-62345678",
    },
];

const NAME: usize = 0;
const CODE: usize = 1;
const KIND: usize = 2;
const CATEGORIES: usize = 3;
const INDUSTRY: usize = 4;
const DIVISION: usize = 5;
const STATUS: usize = 6;
const REPRESENTATIVE: usize = 7;
const FOUNDED: usize = 8;
const FUNDS: usize = 9;
const DOMICILE: usize = 10;
const SCOPE: usize = 11;
const PHONE: usize = 12;

/// An organization row that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedOrganization {
    pub row: u32,
    pub name: String,
    pub credit_code: CreditCode,
    pub classification: Classification,
    pub division: DivisionCode,
    pub level: Level,
    pub status: OrgStatus,
    pub legal_representative: Option<String>,
    pub founded_on: Option<NaiveDate>,
    pub registered_funds: Option<Fen>,
    pub domicile: Option<String>,
    pub business_scope: Option<String>,
    pub contact_phone: Option<String>,
}

/// Where each template column is in a file, from its header row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    positions: [Option<usize>; COLUMNS.len()],
}

fn problem(row: u32, column: &str, message: impl Into<String>) -> ImportProblem {
    ImportProblem {
        row,
        column: column.to_owned(),
        message: message.into(),
    }
}

/// A header cell without the marks spreadsheets and the template add (`*` for required, spaces, a BOM).
fn header_key(cell: &str) -> String {
    cell.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '*' && *c != '＊')
        .collect::<String>()
        .replace('(', "（")
        .replace(')', "）")
}

impl Layout {
    /// Reads the header row; every required column must be there, and no column twice.
    pub fn from_header(header: &[String]) -> Result<Layout, Vec<ImportProblem>> {
        let mut positions = [None; COLUMNS.len()];
        let mut problems = Vec::new();
        for (index, cell) in header.iter().enumerate() {
            let key = header_key(cell);
            if let Some(col) = COLUMNS.iter().position(|c| c.header == key) {
                if positions[col].is_some() {
                    problems.push(problem(1, COLUMNS[col].header, "表头中该列出现了两次"));
                }
                positions[col] = Some(index);
            }
        }
        for (col, column) in COLUMNS.iter().enumerate() {
            if column.required && positions[col].is_none() {
                problems.push(problem(
                    1,
                    column.header,
                    "缺少该列：请使用导入模板，第 1 行为表头",
                ));
            }
        }
        if problems.is_empty() {
            Ok(Layout { positions })
        } else {
            Err(problems)
        }
    }

    fn cell<'a>(&self, cells: &'a [String], col: usize) -> &'a str {
        self.positions[col]
            .and_then(|i| cells.get(i))
            .map(|c| c.trim())
            .unwrap_or("")
    }
}

/// A kind as written: its Chinese label (also 民办非企业单位 for a social service institution) or its key.
fn parse_kind(raw: &str) -> Option<OrgKind> {
    if raw == "民办非企业单位" {
        return Some(OrgKind::SocialService);
    }
    OrgKind::ALL
        .iter()
        .copied()
        .find(|k| k.label_zh() == raw || k.key() == raw)
}

fn parse_category(raw: &str) -> Option<Category> {
    Category::ALL
        .iter()
        .copied()
        .find(|c| c.label_zh() == raw || c.key() == raw || c.label_zh().trim_end_matches('类') == raw)
}

fn parse_industry(raw: &str) -> Option<EmergingIndustry> {
    EmergingIndustry::ALL
        .iter()
        .copied()
        .find(|i| i.label_zh() == raw || i.key() == raw)
}

fn parse_status(raw: &str) -> Option<OrgStatus> {
    OrgStatus::ALL
        .iter()
        .copied()
        .find(|s| s.label_zh() == raw || s.key() == raw || format!("{}登记", s.label_zh()) == raw)
}

/// A date as written: `2015-06-01`, `2015/6/1`, `2015.6.1` or `2015年6月1日`.
pub fn parse_date(raw: &str) -> Option<NaiveDate> {
    let normalized: String = raw
        .trim()
        .trim_end_matches('日')
        .chars()
        .map(|c| {
            if matches!(c, '/' | '.' | '年' | '月') {
                '-'
            } else {
                c
            }
        })
        .collect();
    let mut parts = normalized.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// Checks one row (`cells` in the file's column order). `known_division` says whether a division code is
/// one of the province's (the reference table the server holds).
pub fn check_row(
    layout: &Layout,
    row: u32,
    cells: &[String],
    known_division: &dyn Fn(&DivisionCode) -> bool,
) -> Result<ImportedOrganization, Vec<ImportProblem>> {
    let mut problems = Vec::new();
    let cell = |col: usize| layout.cell(cells, col);
    let mut fail = |col: usize, message: String| problems.push(problem(row, COLUMNS[col].header, message));

    let name = cell(NAME).to_owned();
    if name.is_empty() {
        fail(NAME, "请填写名称".to_owned());
    } else if let Err(message) = check_name(&name) {
        fail(NAME, message);
    }

    let kind = match cell(KIND) {
        "" => {
            fail(KIND, "请填写登记类型".to_owned());
            None
        }
        raw => parse_kind(raw).or_else(|| {
            fail(
                KIND,
                format!("登记类型「{raw}」无效，应为社会团体、社会服务机构或基金会"),
            );
            None
        }),
    };

    let credit_code = match cell(CODE) {
        "" => {
            fail(CODE, "请填写统一社会信用代码".to_owned());
            None
        }
        raw => match CreditCode::parse(raw) {
            Ok(code) if code.authority() != Authority::CivilAffairs => {
                fail(
                    CODE,
                    "第 1 位应为 5（民政部门登记的社会组织），请核对是否为社会组织的代码".to_owned(),
                );
                None
            }
            Ok(code) => {
                if let Some(kind) = kind
                    && code.category_code() != kind.credit_category_digit()
                {
                    fail(
                        CODE,
                        format!(
                            "第 2 位机构类别“{}”与登记类型「{}」不符（应为 {}）",
                            code.category_code(),
                            kind.label_zh(),
                            kind.credit_category_digit()
                        ),
                    );
                }
                Some(code)
            }
            Err(e) => {
                fail(CODE, e.to_string());
                None
            }
        },
    };

    let mut categories = Vec::new();
    let mut category_ok = true;
    let raw_categories = cell(CATEGORIES);
    for part in raw_categories
        .split(['、', ',', '，', ';', '；', '/'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        match parse_category(part) {
            Some(c) => categories.push(c),
            None => {
                category_ok = false;
                fail(
                    CATEGORIES,
                    format!("分类「{part}」无效，应为行业协会商会、公益慈善类、科技类、城乡社区服务类或其他"),
                );
            }
        }
    }
    if categories.is_empty() && category_ok {
        category_ok = false;
        fail(CATEGORIES, "请填写分类，多个分类以顿号分隔".to_owned());
    }
    let industry = match cell(INDUSTRY) {
        "" | "无" => Some(None),
        raw => match parse_industry(raw) {
            Some(i) => Some(Some(i)),
            None => {
                fail(INDUSTRY, format!("所属新兴产业「{raw}」不是十大新兴产业之一"));
                None
            }
        },
    };
    let classification = match (kind, category_ok, industry) {
        (Some(kind), true, Some(industry)) => match Classification::new(kind, categories, industry) {
            Ok(c) => Some(c),
            Err(e) => {
                fail(CATEGORIES, e.to_string());
                None
            }
        },
        _ => None,
    };

    let division = match cell(DIVISION) {
        "" => {
            fail(DIVISION, "请填写登记管理机关的 6 位行政区划代码".to_owned());
            None
        }
        raw => match DivisionCode::parse(raw) {
            Ok(code) if known_division(&code) => Some(code),
            Ok(_) => {
                fail(DIVISION, format!("「{raw}」不是安徽省的行政区划代码"));
                None
            }
            Err(e) => {
                fail(DIVISION, e.to_string());
                None
            }
        },
    };

    let status = match cell(STATUS) {
        "" => Some(OrgStatus::Normal),
        raw => match parse_status(raw) {
            Some(OrgStatus::Banned) => {
                fail(
                    STATUS,
                    "取缔只适用于未登记的非法社会组织，不能导入登记名录".to_owned(),
                );
                None
            }
            Some(s) => Some(s),
            None => {
                fail(STATUS, format!("登记状态「{raw}」无效，应为正常、撤销或注销"));
                None
            }
        },
    };

    let mut text = |col: usize, max: usize| -> Option<String> {
        let value = cell(col);
        if value.is_empty() {
            return None;
        }
        if value.chars().count() > max {
            fail(col, format!("{}不能超过 {max} 个字", COLUMNS[col].header));
            return None;
        }
        Some(value.to_owned())
    };
    let legal_representative = text(REPRESENTATIVE, 20);
    let domicile = text(DOMICILE, MAX_TEXT_CHARS);
    let business_scope = text(SCOPE, MAX_TEXT_CHARS);
    let contact_phone = text(PHONE, 20);
    if let Some(Err(message)) = contact_phone.as_deref().map(check_phone) {
        fail(PHONE, message);
    }
    let founded_on = match cell(FOUNDED) {
        "" => None,
        raw => match parse_date(raw) {
            Some(date) => Some(date),
            None => {
                fail(FOUNDED, format!("成立日期「{raw}」无法识别，应如 2015-06-01"));
                None
            }
        },
    };
    let registered_funds = match cell(FUNDS) {
        "" => None,
        raw => match Fen::from_yuan_str(raw) {
            Ok(fen) => Some(fen),
            Err(e) => {
                fail(FUNDS, e.to_string());
                None
            }
        },
    };

    match (problems.is_empty(), credit_code, classification, division, status) {
        (true, Some(credit_code), Some(classification), Some(division), Some(status)) => {
            Ok(ImportedOrganization {
                row,
                name,
                credit_code,
                classification,
                level: crate::registry::registration::level_of(&division),
                division,
                status,
                legal_representative,
                founded_on,
                registered_funds,
                domicile,
                business_scope,
                contact_phone,
            })
        }
        _ => Err(problems),
    }
}

/// What the registry already holds, for the duplicate checks.
pub trait Registered {
    fn has_credit_code(&self, code: &str) -> bool;
    fn has_name(&self, name: &str) -> bool;
}

/// The outcome of checking a whole file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checked {
    /// How many organization rows the file has (blank rows are skipped and not counted).
    pub rows: u32,
    pub valid: Vec<ImportedOrganization>,
    /// Every problem, by row then column order.
    pub problems: Vec<ImportProblem>,
}

/// Checks every row of a file (`rows[0]` is the header): each row alone, then duplicates within the file
/// (the later row is reported, naming the earlier) and against the registry. `extra` adds checks of the
/// caller's own (the server's scope) to a row that passed the others.
pub fn check_file(
    rows: &[Vec<String>],
    known_division: &dyn Fn(&DivisionCode) -> bool,
    registered: &dyn Registered,
    extra: &dyn Fn(&ImportedOrganization) -> Option<ImportProblem>,
) -> Checked {
    check_file_reporting(rows, known_division, registered, extra, &mut |_, _| {})
}

/// How many rows [`check_file_reporting`] checks between two reports of its progress.
pub const PROGRESS_EVERY: usize = 1_000;

/// As [`check_file`], telling `progress(checked, total)` how many of the file's rows below the header it
/// has checked, every [`PROGRESS_EVERY`] rows and at the end (an import job shows it to its user).
pub fn check_file_reporting(
    rows: &[Vec<String>],
    known_division: &dyn Fn(&DivisionCode) -> bool,
    registered: &dyn Registered,
    extra: &dyn Fn(&ImportedOrganization) -> Option<ImportProblem>,
    progress: &mut dyn FnMut(usize, usize),
) -> Checked {
    let Some((header, body)) = rows.split_first() else {
        return Checked {
            problems: vec![problem(
                1,
                "名称",
                "文件是空的：第 1 行应为表头，从第 2 行起每行一个社会组织",
            )],
            ..Default::default()
        };
    };
    let layout = match Layout::from_header(header) {
        Ok(layout) => layout,
        Err(problems) => {
            return Checked {
                problems,
                ..Default::default()
            };
        }
    };
    let mut checked = Checked::default();
    let mut codes: HashMap<String, u32> = HashMap::new();
    let mut names: HashMap<String, u32> = HashMap::new();
    for (index, cells) in body.iter().enumerate() {
        if index % PROGRESS_EVERY == 0 {
            progress(index, body.len());
        }
        let row = index as u32 + 2;
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        checked.rows += 1;
        match check_row(&layout, row, cells, known_division) {
            Ok(org) => {
                let mut problems = Vec::new();
                let code = org.credit_code.as_str().to_owned();
                if let Some(first) = codes.get(&code) {
                    problems.push(problem(
                        row,
                        COLUMNS[CODE].header,
                        format!("与第 {first} 行的统一社会信用代码重复"),
                    ));
                } else if registered.has_credit_code(&code) {
                    problems.push(problem(
                        row,
                        COLUMNS[CODE].header,
                        "该统一社会信用代码已在登记名录中",
                    ));
                }
                if let Some(first) = names.get(&org.name) {
                    problems.push(problem(
                        row,
                        COLUMNS[NAME].header,
                        format!("与第 {first} 行的名称重复"),
                    ));
                } else if registered.has_name(&org.name) {
                    problems.push(problem(
                        row,
                        COLUMNS[NAME].header,
                        "该名称已被登记名录中的社会组织使用",
                    ));
                }
                codes.entry(code).or_insert(row);
                names.entry(org.name.clone()).or_insert(row);
                if problems.is_empty()
                    && let Some(p) = extra(&org)
                {
                    problems.push(p);
                }
                if problems.is_empty() {
                    checked.valid.push(org);
                } else {
                    checked.problems.extend(problems);
                }
            }
            Err(problems) => {
                // Remember the row's code and name anyway, so a later copy is still reported as one.
                let code = layout.cell(cells, CODE).to_uppercase();
                if !code.is_empty() {
                    codes.entry(code).or_insert(row);
                }
                let name = layout.cell(cells, NAME).to_owned();
                if !name.is_empty() {
                    names.entry(name).or_insert(row);
                }
                checked.problems.extend(problems);
            }
        }
    }
    progress(body.len(), body.len());
    if checked.rows == 0 && checked.problems.is_empty() {
        checked.problems.push(problem(
            2,
            "名称",
            "文件中没有社会组织：从第 2 行起每行填写一个社会组织",
        ));
    }
    checked
}

#[cfg(test)]
mod tests;
