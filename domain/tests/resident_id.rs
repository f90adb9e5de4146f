//! Examples for 居民身份证号码 parsing: the standard's own example, each failed check, masking and serde.

use chrono::NaiveDate;
use domain::resident_id::{ResidentId, ResidentIdError};

/// The example printed in GB 11643-1999: 北京市朝阳区, born 1949-12-31, a woman.
const GB_EXAMPLE: &str = "11010519491231002X";

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A number with the given first seventeen digits and the right check character.
fn with_check(first17: &str) -> String {
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .chars()
        .zip(weights)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    let check = "10X98765432".chars().nth((sum % 11) as usize).unwrap();
    format!("{first17}{check}")
}

#[test]
fn the_example_of_the_standard_parses() {
    let id = ResidentId::parse(GB_EXAMPLE).unwrap();
    assert_eq!(id.as_str(), GB_EXAMPLE);
    assert_eq!(id.birth_date(), date(1949, 12, 31));
    assert_eq!(id.division_code(), "110105");
    assert!(!id.is_male());
}

#[test]
fn an_odd_sequence_number_is_a_man() {
    let id = ResidentId::generate("340104", date(1990, 5, 17), 123);
    assert!(id.is_male());
    assert!(!ResidentId::generate("340104", date(1990, 5, 17), 124).is_male());
}

#[test]
fn a_lower_case_x_is_normalized() {
    let id = ResidentId::parse("11010519491231002x").unwrap();
    assert_eq!(id.as_str(), GB_EXAMPLE);
}

#[test]
fn surrounding_spaces_are_ignored() {
    assert_eq!(
        ResidentId::parse(" 11010519491231002X\n").unwrap().as_str(),
        GB_EXAMPLE
    );
}

#[test]
fn the_masked_form_shows_the_first_three_and_last_four_characters() {
    let id = ResidentId::parse(GB_EXAMPLE).unwrap();
    assert_eq!(id.masked(), "110***********002X");
    let generated = ResidentId::generate("340102", date(2008, 1, 2), 123);
    assert_eq!(generated.masked().chars().filter(|&c| c == '*').count(), 11);
    assert!(generated.masked().starts_with("340***********1"));
}

#[test]
fn debug_output_never_shows_the_full_number() {
    let id = ResidentId::parse(GB_EXAMPLE).unwrap();
    let debug = format!("{id:?}");
    assert!(!debug.contains(GB_EXAMPLE), "{debug}");
    assert!(debug.contains("110***********002X"), "{debug}");
}

#[test]
fn a_wrong_length_reports_the_length_typed() {
    assert_eq!(
        ResidentId::parse(&GB_EXAMPLE[..17]),
        Err(ResidentIdError::WrongLength { actual: 17 })
    );
    // The old 15-digit numbers are no longer accepted.
    assert_eq!(
        ResidentId::parse("110105491231002"),
        Err(ResidentIdError::WrongLength { actual: 15 })
    );
    assert_eq!(
        ResidentId::parse(""),
        Err(ResidentIdError::WrongLength { actual: 0 })
    );
}

#[test]
fn a_letter_among_the_first_seventeen_is_refused_with_its_position() {
    assert_eq!(
        ResidentId::parse("1101051949123100XX"),
        Err(ResidentIdError::IllegalCharacter {
            position: 17,
            character: 'X'
        })
    );
    assert_eq!(
        ResidentId::parse("11010519491231002Y"),
        Err(ResidentIdError::IllegalCharacter {
            position: 18,
            character: 'Y'
        })
    );
    assert_eq!(
        ResidentId::parse("１1010519491231002X"),
        Err(ResidentIdError::IllegalCharacter {
            position: 1,
            character: '１'
        })
    );
}

#[test]
fn an_impossible_birth_date_is_refused() {
    for first17 in [
        "34010419900230123", // 30 February
        "34010419901301123", // month 13
        "34010419900000123", // month 0
        "34010419000229123", // 1900 was not a leap year
    ] {
        assert_eq!(
            ResidentId::parse(&with_check(first17)),
            Err(ResidentIdError::InvalidBirthDate),
            "{first17}"
        );
    }
    // 2000 was a leap year.
    assert!(ResidentId::parse(&with_check("34010420000229123")).is_ok());
}

#[test]
fn a_birth_date_before_1900_is_refused() {
    // The standard's second example, born 1880, is well formed but too early to be a living person.
    assert_eq!(
        ResidentId::parse("440524188001010014"),
        Err(ResidentIdError::BornBefore1900)
    );
    assert!(ResidentId::parse(&with_check("34010419000101123")).is_ok());
}

#[test]
fn a_birth_date_after_today_is_refused_when_today_is_given() {
    let raw = with_check("34010420300101123");
    assert!(ResidentId::parse(&raw).is_ok());
    assert_eq!(
        ResidentId::parse_on(&raw, date(2025, 6, 1)),
        Err(ResidentIdError::BornInFuture)
    );
    assert!(ResidentId::parse_on(&raw, date(2030, 1, 1)).is_ok());
}

#[test]
fn a_wrong_check_character_is_refused() {
    assert_eq!(
        ResidentId::parse("110105194912310020"),
        Err(ResidentIdError::CheckFailed)
    );
}

#[test]
fn error_messages_are_in_chinese_and_do_not_repeat_the_number() {
    let error = ResidentId::parse("110105194912310020").unwrap_err().to_string();
    assert_eq!(error, "身份证号码第 18 位校验码不符，请核对是否输错");
    assert_eq!(
        ResidentId::parse("123").unwrap_err().to_string(),
        "身份证号码应为 18 位，当前为 3 位"
    );
}

#[test]
fn the_generator_is_deterministic_and_keeps_its_inputs() {
    let a = ResidentId::generate("341102", date(2006, 9, 1), 7);
    assert_eq!(a, ResidentId::generate("341102", date(2006, 9, 1), 7));
    assert_eq!(a.division_code(), "341102");
    assert_eq!(a.birth_date(), date(2006, 9, 1));
    assert_eq!(&a.as_str()[14..17], "007");
}

#[test]
#[should_panic(expected = "birth year must be within 1900–9999")]
fn generating_a_birth_before_1900_is_a_programming_error() {
    ResidentId::generate("341102", date(1899, 12, 31), 7);
}

#[test]
#[should_panic(expected = "division code must be six digits")]
fn generating_with_a_malformed_division_is_a_programming_error() {
    ResidentId::generate("34110", date(2000, 1, 1), 7);
}

#[test]
fn an_id_round_trips_through_json_and_deserializing_checks_it() {
    let id = ResidentId::parse(GB_EXAMPLE).unwrap();
    let json = serde_json::to_string(&id).unwrap();
    assert_eq!(json, format!("\"{GB_EXAMPLE}\""));
    assert_eq!(serde_json::from_str::<ResidentId>(&json).unwrap(), id);
    assert!(serde_json::from_str::<ResidentId>("\"110105194912310020\"").is_err());
}
