//! Examples and properties for 金额: parsing what users type, showing 元/万元/亿元, arithmetic, serde.

use domain::money::{Fen, MoneyError};
use proptest::prelude::*;

/// 1万元 and 1亿元 in fen.
const WAN: i64 = 1_000_000;
const YI: i64 = 10_000_000_000;

fn parse(raw: &str) -> Result<i64, MoneyError> {
    Fen::from_yuan_str(raw).map(Fen::as_i64)
}

fn parse_signed(raw: &str) -> Result<i64, MoneyError> {
    Fen::from_signed_yuan_str(raw).map(Fen::as_i64)
}

#[test]
fn plain_and_grouped_amounts_parse_to_fen() {
    assert_eq!(parse("1234.56"), Ok(123_456));
    assert_eq!(parse("1,234.56"), Ok(123_456));
    assert_eq!(parse("1,234,567"), Ok(123_456_700));
    assert_eq!(parse("12"), Ok(1200));
    assert_eq!(parse("0.5"), Ok(50));
    assert_eq!(parse("0.05"), Ok(5));
    assert_eq!(parse("007"), Ok(700));
    assert_eq!(parse("0"), Ok(0));
}

#[test]
fn a_yuan_sign_and_surrounding_spaces_are_accepted() {
    assert_eq!(parse("¥1,234.56"), Ok(123_456));
    assert_eq!(parse("￥8"), Ok(800));
    assert_eq!(parse(" ¥ 3.10 "), Ok(310));
}

#[test]
fn empty_input_is_its_own_error() {
    assert_eq!(parse(""), Err(MoneyError::Empty));
    assert_eq!(parse("   "), Err(MoneyError::Empty));
}

#[test]
fn malformed_input_is_refused() {
    for raw in [
        "abc", "1e5", "1E5", "1.", ".5", "+1", "1 234", "1.2.3", "¥", "-", "1,23", "12,34.5", "1,2345",
        ",123", "123,", "1,,234", "1.2,3", "１２", "1，234", "¥¥1", "0x10", "NaN", "inf", "12元",
    ] {
        assert_eq!(parse(raw), Err(MoneyError::Malformed), "{raw:?}");
    }
}

#[test]
fn more_than_two_decimals_are_refused() {
    assert_eq!(parse("1.234"), Err(MoneyError::TooManyDecimals));
    assert_eq!(parse("1.230"), Err(MoneyError::TooManyDecimals));
}

#[test]
fn a_negative_amount_is_refused_unless_a_sign_is_allowed() {
    assert_eq!(parse("-1"), Err(MoneyError::Negative));
    assert_eq!(parse("-¥1.50"), Err(MoneyError::Negative));
    assert_eq!(parse_signed("-1.50"), Ok(-150));
    assert_eq!(parse_signed("-¥1.50"), Ok(-150));
    assert_eq!(parse_signed("¥-1,234.5"), Ok(-123_450));
    assert_eq!(parse_signed("--1"), Err(MoneyError::Malformed));
    assert_eq!(parse_signed("-¥-1"), Err(MoneyError::Malformed));
}

#[test]
fn the_largest_amounts_parse_exactly_and_one_fen_more_overflows() {
    assert_eq!(parse("92,233,720,368,547,758.07"), Ok(i64::MAX));
    assert_eq!(parse("92233720368547758.08"), Err(MoneyError::Overflow));
    assert_eq!(parse_signed("-92233720368547758.08"), Ok(i64::MIN));
    assert_eq!(parse_signed("-92233720368547758.09"), Err(MoneyError::Overflow));
    assert_eq!(
        parse("99999999999999999999999999999999999999999999"),
        Err(MoneyError::Overflow)
    );
}

#[test]
fn error_messages_are_in_chinese() {
    assert_eq!(
        parse("1.234").unwrap_err().to_string(),
        "金额最多两位小数（精确到分）"
    );
    assert_eq!(parse("-1").unwrap_err().to_string(), "金额不能为负数");
    assert_eq!(parse("").unwrap_err().to_string(), "请填写金额");
}

#[test]
fn display_shows_yuan_with_separators_and_two_decimals() {
    assert_eq!(Fen::new(0).to_string(), "0.00");
    assert_eq!(Fen::new(5).to_string(), "0.05");
    assert_eq!(Fen::new(-5).to_string(), "-0.05");
    assert_eq!(Fen::new(123_456).to_string(), "1,234.56");
    assert_eq!(Fen::new(100_000).to_string(), "1,000.00");
    assert_eq!(Fen::new(99_999).to_string(), "999.99");
    assert_eq!(Fen::new(100_000_000).to_string(), "1,000,000.00");
    assert_eq!(Fen::new(i64::MAX).to_string(), "92,233,720,368,547,758.07");
    assert_eq!(Fen::new(i64::MIN).to_string(), "-92,233,720,368,547,758.08");
}

#[test]
fn format_yuan_adds_the_unit() {
    assert_eq!(Fen::new(123_456).format_yuan(), "1,234.56元");
}

#[test]
fn totals_below_ten_thousand_yuan_are_shown_exactly_in_yuan() {
    assert_eq!(Fen::new(123_456).format_wan_yi(), "1,234.56元");
    assert_eq!(Fen::new(999_999).format_wan_yi(), "9,999.99元");
    assert_eq!(Fen::new(-999_999).format_wan_yi(), "-9,999.99元");
}

#[test]
fn totals_from_ten_thousand_yuan_are_shown_in_wan() {
    assert_eq!(Fen::new(1_000_000).format_wan_yi(), "1.00万元");
    // The fee burden removed in the case study: 5,700万元.
    assert_eq!(Fen::new(5_700 * WAN).format_wan_yi(), "5,700.00万元");
    assert_eq!(Fen::new(40 * WAN).format_wan_yi(), "40.00万元");
}

#[test]
fn totals_from_a_hundred_million_yuan_are_shown_in_yi() {
    // Rural aid in the case study: 1.5亿元; investment facilitated: 151亿元.
    assert_eq!(Fen::new(YI * 3 / 2).format_wan_yi(), "1.50亿元");
    assert_eq!(Fen::new(151 * YI).format_wan_yi(), "151.00亿元");
    assert_eq!(Fen::new(YI).format_wan_yi(), "1.00亿元");
}

#[test]
fn rounding_is_half_away_from_zero() {
    // 1.005万 → 1.01万; just below the half rounds down.
    assert_eq!(Fen::new(1_005_000).format_wan_yi(), "1.01万元");
    assert_eq!(Fen::new(1_004_999).format_wan_yi(), "1.00万元");
    assert_eq!(Fen::new(-1_005_000).format_wan_yi(), "-1.01万元");
    assert_eq!(Fen::new(-1_004_999).format_wan_yi(), "-1.00万元");
    // 1.005亿 → 1.01亿.
    assert_eq!(Fen::new(YI + YI / 200).format_wan_yi(), "1.01亿元");
    assert_eq!(Fen::new(-(YI + YI / 200)).format_wan_yi(), "-1.01亿元");
}

#[test]
fn an_amount_rounding_up_to_ten_thousand_wan_is_shown_in_yi() {
    // 9,999.999995万 (99,999,999.95元) would read "10,000.00万元"; it is shown as 1.00亿 instead.
    assert_eq!(Fen::new(YI - 50).format_wan_yi(), "1.00亿元");
    assert_eq!(Fen::new(YI - 5001).format_wan_yi(), "9,999.99万元");
}

#[test]
fn the_extremes_format_without_overflow() {
    assert_eq!(Fen::new(i64::MAX).format_wan_yi(), "922,337,203.69亿元");
    assert_eq!(Fen::new(i64::MIN).format_wan_yi(), "-922,337,203.69亿元");
}

#[test]
fn checked_arithmetic_reports_overflow() {
    assert_eq!(Fen::new(150).checked_add(Fen::new(-50)), Some(Fen::new(100)));
    assert_eq!(Fen::new(150).checked_sub(Fen::new(200)), Some(Fen::new(-50)));
    assert_eq!(Fen::new(i64::MAX).checked_add(Fen::new(1)), None);
    assert_eq!(Fen::new(i64::MIN).checked_sub(Fen::new(1)), None);
    assert_eq!(
        Fen::checked_sum([Fen::new(1), Fen::new(2), Fen::new(3)]),
        Some(Fen::new(6))
    );
    assert_eq!(
        Fen::checked_sum([Fen::new(i64::MAX), Fen::new(1), Fen::new(-5)]),
        None
    );
    assert_eq!(Fen::checked_sum([]), Some(Fen::ZERO));
}

#[test]
fn whole_yuan_convert_to_fen_when_they_fit() {
    assert_eq!(Fen::from_yuan(12), Some(Fen::new(1200)));
    assert_eq!(Fen::from_yuan(i64::MAX / 100 + 1), None);
}

#[test]
fn money_serializes_as_integer_fen() {
    assert_eq!(serde_json::to_string(&Fen::new(123_456)).unwrap(), "123456");
    assert_eq!(serde_json::from_str::<Fen>("-5").unwrap(), Fen::new(-5));
    assert_eq!(
        serde_json::from_str::<Fen>(&i64::MIN.to_string()).unwrap(),
        Fen::new(i64::MIN)
    );
    assert!(serde_json::from_str::<Fen>("1.5").is_err());
    assert!(serde_json::from_str::<Fen>("\"1.50\"").is_err());
}

proptest! {
    #[test]
    fn display_parses_back_to_the_same_amount(fen in any::<i64>()) {
        let shown = Fen::new(fen).to_string();
        prop_assert_eq!(parse_signed(&shown), Ok(fen));
    }

    #[test]
    fn ungrouped_input_parses_like_grouped_input(fen in 0..i64::MAX) {
        let plain = format!("{}.{:02}", fen / 100, fen % 100);
        prop_assert_eq!(parse(&plain), Ok(fen));
    }

    #[test]
    fn the_wan_yi_form_never_shows_more_than_two_decimals(fen in any::<i64>()) {
        let shown = Fen::new(fen).format_wan_yi();
        let number = shown.trim_end_matches(['元', '万', '亿']);
        let decimals = number.split_once('.').map(|(_, d)| d.len());
        prop_assert_eq!(decimals, Some(2));
    }

    #[test]
    fn the_parser_never_panics(raw in "\\PC{0,40}") {
        let _ = Fen::from_signed_yuan_str(&raw);
    }
}
