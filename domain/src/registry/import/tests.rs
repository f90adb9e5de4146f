//! The import check, row by row, on small files.

use super::*;
use crate::registry::credit_code::CreditCategory;
use std::collections::HashSet;

struct Existing(HashSet<String>, HashSet<String>);
impl Registered for Existing {
    fn has_credit_code(&self, code: &str) -> bool {
        self.0.contains(code)
    }
    fn has_name(&self, name: &str) -> bool {
        self.1.contains(name)
    }
}

fn header() -> Vec<String> {
    COLUMNS.iter().map(|c| c.header.to_owned()).collect()
}

fn row(name: &str, code: &str, kind: &str, categories: &str, division: &str) -> Vec<String> {
    let mut cells = vec![String::new(); COLUMNS.len()];
    cells[NAME] = name.into();
    cells[CODE] = code.into();
    cells[KIND] = kind.into();
    cells[CATEGORIES] = categories.into();
    cells[DIVISION] = division.into();
    cells
}

fn anhui(code: &DivisionCode) -> bool {
    code.as_str().starts_with("34")
}

fn none(_: &ImportedOrganization) -> Option<ImportProblem> {
    None
}

#[test]
fn good_rows_pass_and_bad_ones_name_row_column_and_reason() {
    let good = CreditCode::generate(CreditCategory::SocialGroup, "340104", 7);
    let foundation = CreditCode::generate(CreditCategory::Foundation, "340200", 8);
    let mut bad_code = good.as_str().to_owned();
    bad_code.replace_range(17..18, if bad_code.ends_with('0') { "1" } else { "0" });
    let rows = vec![
        header(),
        row(
            "合肥市蜀山区养老服务协会",
            good.as_str(),
            "社会团体",
            "城乡社区服务类",
            "340104",
        ),
        row(
            "芜湖市青少年发展基金会",
            foundation.as_str(),
            "社会团体",
            "公益慈善类",
            "340200",
        ),
        row("合肥市某某有限公司", &bad_code, "社会团体", "其他", "350100"),
        vec![String::new(); 3],
        row(
            "合肥市蜀山区养老服务协会",
            &good.as_str().to_lowercase(),
            "社会团体",
            "城乡社区服务类",
            "340104",
        ),
    ];
    let existing = Existing(HashSet::new(), HashSet::new());
    let checked = check_file(&rows, &anhui, &existing, &none);
    assert_eq!(checked.rows, 4);
    assert_eq!(checked.valid.len(), 1);
    let problems: Vec<(u32, &str)> = checked
        .problems
        .iter()
        .map(|p| (p.row, p.column.as_str()))
        .collect();
    assert_eq!(
        problems,
        [
            (3, "统一社会信用代码"),
            (4, "名称"),
            (4, "统一社会信用代码"),
            (4, "登记管理机关代码"),
            (6, "统一社会信用代码"),
            (6, "名称"),
        ]
    );
    assert!(checked.problems[0].message.contains("与登记类型「社会团体」不符"));
    assert_eq!(checked.problems[2].message, "第 18 位校验码不符，请核对是否输错");
    assert_eq!(checked.problems[4].message, "与第 2 行的统一社会信用代码重复");
}

#[test]
fn the_registry_s_codes_and_names_are_duplicates() {
    let code = CreditCode::generate(CreditCategory::SocialService, "340100", 9);
    let rows = vec![
        header(),
        row(
            "合肥市颐养服务中心",
            code.as_str(),
            "民办非企业单位",
            "城乡社区服务",
            "340100",
        ),
    ];
    let existing = Existing(HashSet::from([code.as_str().to_owned()]), HashSet::new());
    let checked = check_file(&rows, &anhui, &existing, &none);
    assert_eq!(checked.problems[0].message, "该统一社会信用代码已在登记名录中");
    let fresh = Existing(HashSet::new(), HashSet::new());
    let ok = check_file(&rows, &anhui, &fresh, &none);
    assert_eq!(ok.valid[0].classification.kind(), OrgKind::SocialService);
    assert_eq!(ok.valid[0].level, Level::City);
}

#[test]
fn a_missing_required_column_is_reported_on_the_header_row() {
    let mut header = header();
    header.remove(CODE);
    let checked = check_file(
        &[header],
        &anhui,
        &Existing(HashSet::new(), HashSet::new()),
        &none,
    );
    assert_eq!(checked.problems[0].row, 1);
    assert_eq!(checked.problems[0].column, "统一社会信用代码");
}

#[test]
fn dates_are_read_as_people_write_them() {
    let date = NaiveDate::from_ymd_opt(2015, 6, 1);
    for raw in ["2015-06-01", "2015/6/1", "2015.6.1", "2015年6月1日"] {
        assert_eq!(parse_date(raw), date, "{raw}");
    }
    assert_eq!(parse_date("2015-13-01"), None);
}

#[test]
fn a_long_file_reports_its_progress_up_to_every_row() {
    let mut rows = vec![header()];
    for i in 0..2_500 {
        let code = CreditCode::generate(CreditCategory::SocialGroup, "340104", i);
        rows.push(row(
            &format!("合肥市第{i}养老服务协会"),
            code.as_str(),
            "社会团体",
            "城乡社区服务类",
            "340104",
        ));
    }
    let existing = Existing(HashSet::new(), HashSet::new());
    let mut reports = Vec::new();
    let checked = check_file_reporting(&rows, &anhui, &existing, &none, &mut |done, total| {
        reports.push((done, total))
    });
    assert_eq!(checked.valid.len(), 2_500);
    assert_eq!(
        reports,
        vec![(0, 2_500), (1_000, 2_500), (2_000, 2_500), (2_500, 2_500)]
    );
}
