//! Property tests for 居民身份证号码: generated numbers parse, single-digit mistakes and adjacent swaps
//! are caught.
//!
//! Why every such mistake is caught: the weights 2^(18−i) mod 11 are non-zero modulo the prime 11, so a
//! digit changed by less than 11 always moves the sum; and each weight is twice the next, so swapping
//! adjacent different digits moves it by (b − a)·w, never a multiple of 11.

use chrono::{Datelike, NaiveDate};
use domain::resident_id::ResidentId;
use proptest::prelude::*;

fn any_birth_date() -> impl Strategy<Value = NaiveDate> {
    let first = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap().num_days_from_ce();
    let last = NaiveDate::from_ymd_opt(2099, 12, 31).unwrap().num_days_from_ce();
    (first..=last).prop_map(|days| NaiveDate::from_num_days_from_ce_opt(days).unwrap())
}

fn any_id() -> impl Strategy<Value = ResidentId> {
    ("[0-9]{6}", any_birth_date(), any::<u32>())
        .prop_map(|(division, birth, serial)| ResidentId::generate(&division, birth, serial))
}

proptest! {
    #[test]
    fn every_generated_id_parses_and_keeps_its_parts(
        division in "[0-9]{6}",
        birth in any_birth_date(),
        serial in any::<u32>(),
    ) {
        let id = ResidentId::generate(&division, birth, serial);
        let parsed = ResidentId::parse(id.as_str()).unwrap();
        prop_assert_eq!(parsed.birth_date(), birth);
        prop_assert_eq!(parsed.division_code(), division.as_str());
        prop_assert_eq!(parsed.is_male(), serial % 2 == 1);
        prop_assert!(ResidentId::parse_on(id.as_str(), birth).is_ok());
    }

    #[test]
    fn every_single_character_change_is_rejected(id in any_id()) {
        let chars: Vec<char> = id.as_str().chars().collect();
        for position in 0..18 {
            let alphabet = if position == 17 { "0123456789X" } else { "0123456789" };
            for replacement in alphabet.chars().filter(|&c| c != chars[position]) {
                let mut changed = chars.clone();
                changed[position] = replacement;
                let changed: String = changed.into_iter().collect();
                prop_assert!(ResidentId::parse(&changed).is_err(), "{} accepted", changed);
            }
        }
    }

    #[test]
    fn every_adjacent_swap_of_different_characters_is_rejected(id in any_id()) {
        let chars: Vec<char> = id.as_str().chars().collect();
        for position in 0..17 {
            if chars[position] != chars[position + 1] {
                let mut swapped = chars.clone();
                swapped.swap(position, position + 1);
                let swapped: String = swapped.into_iter().collect();
                prop_assert!(ResidentId::parse(&swapped).is_err(), "{} accepted", swapped);
            }
        }
    }

    #[test]
    fn the_masked_form_hides_the_middle_eleven(id in any_id()) {
        let masked = id.masked();
        prop_assert_eq!(&masked[..3], &id.as_str()[..3]);
        prop_assert_eq!(&masked[3..14], "***********");
        prop_assert_eq!(&masked[14..], &id.as_str()[14..]);
    }

    #[test]
    fn the_parser_never_panics(raw in "\\PC{0,24}") {
        let _ = ResidentId::parse(&raw);
    }

    #[test]
    fn the_parser_never_panics_on_digit_strings(raw in "[0-9]{17}[0-9Xx]") {
        let _ = ResidentId::parse(&raw);
    }
}
