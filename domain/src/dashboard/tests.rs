use super::api::Figure;
use super::report::annual_report;
use super::*;

fn figure(key: FigureKey, value: i64, previous: i64) -> Figure {
    Figure {
        key,
        area: key.area(),
        label: key.label_zh().to_owned(),
        definition: key.definition_zh().to_owned(),
        unit: key.unit(),
        value,
        previous,
        numerator: None,
        denominator: None,
        records: None,
        part_of: key.part_of(),
    }
}

#[test]
fn every_key_is_named_by_its_area_and_every_area_has_figures() {
    for key in FigureKey::ALL {
        assert!(
            key.key().starts_with(&format!("{}.", key.area().key())),
            "{key:?}"
        );
        assert!(!key.definition_zh().is_empty() && !key.definition_en().is_empty());
    }
    for area in Area::ALL {
        assert!(FigureKey::of_area(area).count() >= 3, "{area:?}");
    }
    assert_eq!(FigureKey::ALL.len(), 38);
}

#[test]
fn parts_name_a_figure_of_their_own_area() {
    for key in FigureKey::ALL {
        if let Some(whole) = key.part_of() {
            assert_eq!(whole.area(), key.area());
            assert_eq!(whole.unit(), Unit::Count);
        }
    }
    assert_eq!(
        FigureKey::parse("registration.provincial_matters_completed.reelection"),
        Some(FigureKey::ProvincialReElections)
    );
}

#[test]
fn percents_round_half_up_and_none_of_none_is_none() {
    assert_eq!(percent(55, 100), Some(55));
    assert_eq!(percent(1, 3), Some(33));
    assert_eq!(percent(2, 3), Some(67));
    assert_eq!(percent(0, 0), None);
    assert_eq!(change_percent(120, 100), Some(20));
    assert_eq!(change_percent(90, 100), Some(-10));
    assert_eq!(change_percent(5, 0), None);
}

#[test]
fn the_report_cites_every_figure_it_is_given() {
    let mut figures: Vec<Figure> = FigureKey::ALL
        .into_iter()
        .enumerate()
        .map(|(i, key)| figure(key, 1000 + i as i64, 900))
        .collect();
    for f in &mut figures {
        if f.key == FigureKey::Investment {
            f.value = 1_510_000_000_000;
            f.previous = 1_250_000_000_000;
        }
        if f.key == FigureKey::CoverageProvincial {
            f.value = 55;
            f.numerator = Some(550);
            f.denominator = Some(1000);
        }
    }
    let report = annual_report(2021, None, "安徽省", &figures);
    let text: String = report.sections.iter().flat_map(|s| s.sentences.clone()).collect();
    assert_eq!(report.sections.len(), 4);
    assert!(report.sections[0].heading.starts_with("（一）"));
    assert!(text.contains("省级社会组织党组织覆盖率为55%"), "{text}");
    assert!(text.contains("招商引资151.00亿元，同比增长21%"), "{text}");
    assert!(text.contains("对未参加2020年度检查的"), "{text}");
    for f in &figures {
        if f.unit == Unit::Count {
            assert!(
                text.contains(&f.value.to_string()),
                "{:?} missing from the report",
                f.key
            );
        }
    }
    for sentence in report.sections.iter().flat_map(|s| &s.sentences) {
        assert!(sentence.ends_with('。'), "{sentence}");
    }
}

#[test]
fn a_city_report_says_the_city_and_a_share_of_nothing_says_so() {
    let figures = vec![figure(FigureKey::PublicationOnTime, 0, 0)];
    let report = annual_report(2025, Some("340100".into()), "合肥市", &figures);
    assert_eq!(report.title, "合肥市2025年度社会组织管理工作总结");
    let text: String = report.sections.iter().flat_map(|s| s.sentences.clone()).collect();
    assert!(text.contains("全市"));
    assert!(text.contains("按时推送至信用平台的比例为—"));
}

#[test]
fn docs_api_lists_every_figure_with_its_definition() {
    let api = include_str!("../../../docs/API.md");
    for key in FigureKey::ALL {
        let row = format!(
            "| `{}` | {} | {} |",
            key.key(),
            key.label_zh(),
            key.definition_zh()
        );
        assert!(
            api.contains(&row),
            "docs/API.md lacks the row (its table lists every figure in this form):\n{row}"
        );
    }
}

#[test]
fn values_read_as_in_the_report() {
    assert_eq!(Unit::Count.show(3491, None), "3,491");
    assert_eq!(Unit::Percent.show(55, Some(100)), "55%");
    assert_eq!(Unit::Percent.show(0, Some(0)), "—");
    assert_eq!(Unit::Fen.show(5_700_000_000, None), "5,700.00万元");
}
