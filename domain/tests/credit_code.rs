//! Examples for 统一社会信用代码 parsing: published codes, each failed check, waivers and serde.

use domain::registry::credit_code::{Authority, CreditCategory, CreditCode, CreditCodeError};

/// Codes as published by their holders; each passes both checks.
const PUBLISHED: [&str; 5] = [
    "91350100M000100Y43",
    "91110108551385082Q",
    "91440300708461136T",
    "51610700305332460K",
    "53100000500019795A",
];

/// A civil-affairs social group code worked out by hand (see the test of the same value below).
const WORKED: &str = "51340000MJ0000018R";

/// `WORKED` with its final character changed: everything but position 18 checks out.
const FAILING_OUTER: &str = "51340000MJ0000018Q";

fn with_char_at(code: &str, position: usize, character: char) -> String {
    code.chars()
        .enumerate()
        .map(|(i, c)| if i + 1 == position { character } else { c })
        .collect()
}

#[test]
fn published_codes_parse() {
    for raw in PUBLISHED {
        assert_eq!(
            CreditCode::parse(raw).map(|c| c.as_str().to_owned()),
            Ok(raw.to_owned())
        );
    }
}

#[test]
fn the_generator_matches_a_hand_computed_code() {
    // Organization code body MJ000001: M=22·3 + J=19·7 + 1·2 = 201; 201 mod 11 = 3; 11 − 3 = 8.
    // Outer sum: 5·1 + 1·3 + 3·9 + 4·27 + M(21)·20 + J(18)·29 + 1·30 + 8·28 = 1339; 1339 mod 31 = 6;
    // 31 − 6 = 25, the index of R.
    let code = CreditCode::generate(CreditCategory::SocialGroup, "340000", 1);
    assert_eq!(code.as_str(), WORKED);
}

#[test]
fn a_parsed_code_tells_its_parts() {
    let code = CreditCode::parse(WORKED).unwrap();
    assert_eq!(code.authority(), Authority::CivilAffairs);
    assert_eq!(code.category(), Some(CreditCategory::SocialGroup));
    assert_eq!(code.category_code(), '1');
    assert_eq!(code.division_code(), "340000");
    assert_eq!(code.organization_code(), "MJ0000018");
    assert!(!code.outer_check_waived());
    assert_eq!(code.to_string(), WORKED);
}

#[test]
fn a_code_from_another_authority_has_no_civil_affairs_category() {
    let code = CreditCode::parse("91350100M000100Y43").unwrap();
    assert_eq!(code.authority(), Authority::Commerce);
    assert_eq!(code.category(), None);
    assert_eq!(code.category_code(), '1');
}

#[test]
fn each_civil_affairs_category_is_generated_and_read_back() {
    for category in [
        CreditCategory::SocialGroup,
        CreditCategory::SocialService,
        CreditCategory::Foundation,
        CreditCategory::Other,
    ] {
        let code = CreditCode::generate(category, "341100", 42);
        assert_eq!(
            CreditCode::parse(code.as_str()).unwrap().category(),
            Some(category)
        );
        assert_eq!(CreditCategory::from_code(category.code()), Some(category));
    }
}

#[test]
fn different_serials_give_different_codes() {
    let codes: std::collections::HashSet<_> = (0..2000)
        .map(|serial| CreditCode::generate(CreditCategory::Foundation, "340000", serial))
        .collect();
    assert_eq!(codes.len(), 2000);
}

#[test]
#[should_panic(expected = "division code must be six digits")]
fn generating_with_a_malformed_division_is_a_programming_error() {
    CreditCode::generate(CreditCategory::SocialGroup, "34000", 1);
}

#[test]
fn a_lower_case_code_is_normalized() {
    let code = CreditCode::parse("91350100m000100y43").unwrap();
    assert_eq!(code.as_str(), "91350100M000100Y43");
}

#[test]
fn surrounding_spaces_are_ignored() {
    let code = CreditCode::parse("  51340000MJ0000018R\t").unwrap();
    assert_eq!(code.as_str(), WORKED);
}

#[test]
fn a_short_or_long_code_reports_its_length() {
    assert_eq!(
        CreditCode::parse(&WORKED[..17]),
        Err(CreditCodeError::WrongLength { actual: 17 })
    );
    assert_eq!(
        CreditCode::parse(&format!("{WORKED}0")),
        Err(CreditCodeError::WrongLength { actual: 19 })
    );
    assert_eq!(
        CreditCode::parse("   "),
        Err(CreditCodeError::WrongLength { actual: 0 })
    );
}

#[test]
fn length_counts_characters_not_bytes() {
    let wide = "５1340000MJ0000018R"; // a full-width digit is three bytes in UTF-8
    assert_eq!(
        CreditCode::parse(wide),
        Err(CreditCodeError::IllegalCharacter {
            position: 1,
            character: '５'
        })
    );
}

#[test]
fn a_letter_outside_the_charset_is_named_with_its_position() {
    for letter in ['I', 'O', 'S', 'V', 'Z'] {
        let raw = with_char_at(WORKED, 12, letter);
        assert_eq!(
            CreditCode::parse(&raw),
            Err(CreditCodeError::IllegalCharacter {
                position: 12,
                character: letter
            })
        );
    }
}

#[test]
fn an_illegal_character_is_reported_as_typed() {
    let raw = with_char_at(WORKED, 10, 'o');
    assert_eq!(
        CreditCode::parse(&raw),
        Err(CreditCodeError::IllegalCharacter {
            position: 10,
            character: 'o'
        })
    );
    let raw = with_char_at(WORKED, 5, '-');
    assert_eq!(
        CreditCode::parse(&raw),
        Err(CreditCodeError::IllegalCharacter {
            position: 5,
            character: '-'
        })
    );
}

#[test]
fn an_unknown_authority_is_refused() {
    let raw = with_char_at(WORKED, 1, 'B');
    assert_eq!(
        CreditCode::parse(&raw),
        Err(CreditCodeError::UnknownAuthority { character: 'B' })
    );
    let raw = with_char_at(WORKED, 1, '0');
    assert_eq!(
        CreditCode::parse(&raw),
        Err(CreditCodeError::UnknownAuthority { character: '0' })
    );
}

#[test]
fn a_category_the_authority_does_not_have_is_refused() {
    let raw = with_char_at(WORKED, 2, '4');
    assert_eq!(
        CreditCode::parse(&raw),
        Err(CreditCodeError::UnknownCategory {
            authority: Authority::CivilAffairs,
            character: '4'
        })
    );
    // Commerce has categories 1–3 only.
    let raw = with_char_at("91350100M000100Y43", 2, '9');
    assert_eq!(
        CreditCode::parse(&raw),
        Err(CreditCodeError::UnknownCategory {
            authority: Authority::Commerce,
            character: '9'
        })
    );
}

#[test]
fn a_letter_in_the_division_code_is_refused() {
    let raw = with_char_at(WORKED, 6, 'A');
    assert_eq!(
        CreditCode::parse(&raw),
        Err(CreditCodeError::DivisionNotDigits {
            position: 6,
            character: 'A'
        })
    );
}

#[test]
fn a_wrong_organization_check_character_is_its_own_error() {
    let raw = with_char_at(WORKED, 17, '9');
    assert_eq!(
        CreditCode::parse(&raw),
        Err(CreditCodeError::OrganizationCheckFailed)
    );
    // A typo in the organization body is caught by its own check first.
    let raw = with_char_at(WORKED, 12, '7');
    assert_eq!(
        CreditCode::parse(&raw),
        Err(CreditCodeError::OrganizationCheckFailed)
    );
}

#[test]
fn a_wrong_final_check_character_is_its_own_error() {
    assert_eq!(
        CreditCode::parse(FAILING_OUTER),
        Err(CreditCodeError::FinalCheckFailed)
    );
}

#[test]
fn error_messages_are_in_chinese_and_name_the_check() {
    let message = |raw: &str| CreditCode::parse(raw).unwrap_err().to_string();
    assert_eq!(message("123"), "统一社会信用代码应为 18 位，当前为 3 位");
    assert_eq!(message(FAILING_OUTER), "第 18 位校验码不符，请核对是否输错");
    assert!(message(&with_char_at(WORKED, 2, '4')).contains("民政"));
    assert!(message(&with_char_at(WORKED, 17, '9')).contains("第 17 位"));
}

#[test]
fn staff_may_accept_a_code_failing_only_the_final_check_with_a_reason() {
    let code =
        CreditCode::accept_failing_outer_check(FAILING_OUTER, "2015 年试点期间赋码，经核实有效").unwrap();
    assert!(code.outer_check_waived());
    assert_eq!(code.as_str(), FAILING_OUTER);
    assert_eq!(code.category(), Some(CreditCategory::SocialGroup));
}

#[test]
fn accepting_a_failing_code_requires_a_reason() {
    for reason in ["", "   "] {
        assert_eq!(
            CreditCode::accept_failing_outer_check(FAILING_OUTER, reason),
            Err(CreditCodeError::MissingWaiverReason)
        );
    }
}

#[test]
fn a_waiver_does_not_excuse_any_other_check() {
    let raw = with_char_at(FAILING_OUTER, 17, '9');
    assert_eq!(
        CreditCode::accept_failing_outer_check(&raw, "试点代码"),
        Err(CreditCodeError::OrganizationCheckFailed)
    );
    assert_eq!(
        CreditCode::accept_failing_outer_check("5134", "试点代码"),
        Err(CreditCodeError::WrongLength { actual: 4 })
    );
}

#[test]
fn a_waiver_on_a_valid_code_waives_nothing() {
    let code = CreditCode::accept_failing_outer_check(WORKED, "不必要的理由").unwrap();
    assert!(!code.outer_check_waived());
    assert_eq!(code, CreditCode::parse(WORKED).unwrap());
}

#[test]
fn a_code_serializes_as_its_string() {
    let code = CreditCode::parse(WORKED).unwrap();
    assert_eq!(serde_json::to_string(&code).unwrap(), format!("\"{WORKED}\""));
}

#[test]
fn deserializing_parses_and_normalizes() {
    let code: CreditCode = serde_json::from_str("\" 51340000mj0000018r \"").unwrap();
    assert_eq!(code.as_str(), WORKED);
}

#[test]
fn deserializing_a_failing_code_reports_the_check_in_chinese() {
    let error = serde_json::from_str::<CreditCode>(&format!("\"{FAILING_OUTER}\"")).unwrap_err();
    assert!(error.to_string().contains("第 18 位校验码不符"), "{error}");
}

#[test]
fn a_recorded_waived_code_round_trips_through_the_recorded_serde() {
    #[derive(serde::Serialize, serde::Deserialize)]
    struct Row {
        #[serde(with = "domain::registry::credit_code::recorded")]
        credit_code: CreditCode,
    }
    let waived = CreditCode::accept_failing_outer_check(FAILING_OUTER, "试点代码").unwrap();
    let json = serde_json::to_string(&Row {
        credit_code: waived.clone(),
    })
    .unwrap();
    let row: Row = serde_json::from_str(&json).unwrap();
    assert_eq!(row.credit_code, waived);
    assert!(row.credit_code.outer_check_waived());
    // Everything but the final check is still enforced.
    let bad = format!("{{\"credit_code\":\"{}\"}}", with_char_at(FAILING_OUTER, 17, '9'));
    assert!(serde_json::from_str::<Row>(&bad).is_err());
}

#[test]
fn from_str_is_parse() {
    let code: CreditCode = WORKED.parse().unwrap();
    assert_eq!(code.as_str(), WORKED);
}
