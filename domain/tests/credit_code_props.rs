//! Property tests for 统一社会信用代码: generated codes parse, typing mistakes are caught.
//!
//! The checks are computed here a second time, written straight from GB 32100 and GB 11714, so that the
//! parser is tested against an independent reading of the standard rather than against itself.
//!
//! What the math says about typing mistakes (and so what these properties assert): the final mod-31
//! check gives positions 1–17 the weights 3^(i−1) mod 31, all distinct and non-zero because 3 is a
//! primitive root of the prime 31, and the check character the weight 1. So every single substitution
//! and every transposition of two different characters is caught — adjacent or not — except a swap of
//! position 1 with position 18, which both weigh 1. That swap survives whenever the check character
//! happens to be an authority under which the category is also valid, so it is asserted only as the
//! exception it is.

use domain::registry::credit_code::{Authority, CHARSET, CreditCategory, CreditCode};
use proptest::prelude::*;

const OUTER_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORGANIZATION_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// The authority/category pairs of GB 32100 table 2.
const AUTHORITY_CATEGORIES: [&str; 36] = [
    "11", "12", "13", "19", "21", "29", "31", "32", "33", "34", "35", "39", "41", "49", "51", "52", "53",
    "59", "61", "62", "69", "71", "72", "79", "81", "89", "91", "92", "93", "A1", "A9", "N1", "N2", "N3",
    "N9", "Y1",
];

fn charset() -> Vec<char> {
    CHARSET.chars().collect()
}

/// The GB 11714 check character: letters count over the whole alphabet, A=10 … Z=35.
fn organization_check(body: &[char]) -> char {
    let sum: u32 = body
        .iter()
        .zip(ORGANIZATION_WEIGHTS)
        .map(|(c, w)| c.to_digit(36).unwrap() * w)
        .sum();
    match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        d => char::from_digit(d, 10).unwrap(),
    }
}

/// The GB 32100 check character: values are indices in the 31-character set.
fn outer_check(first17: &[char]) -> char {
    let charset = charset();
    let value = |c: &char| charset.iter().position(|x| x == c).unwrap() as u32;
    let sum: u32 = first17.iter().zip(OUTER_WEIGHTS).map(|(c, w)| value(c) * w).sum();
    charset[((31 - sum % 31) % 31) as usize]
}

/// Whether `code` satisfies every rule, by this file's own reading of the standards.
fn oracle_valid(code: &str) -> bool {
    let chars: Vec<char> = code.chars().collect();
    chars.len() == 18
        && chars.iter().all(|c| CHARSET.contains(*c))
        && AUTHORITY_CATEGORIES.iter().any(|pair| code.starts_with(pair))
        && chars[2..8].iter().all(char::is_ascii_digit)
        && organization_check(&chars[8..16]) == chars[16]
        && outer_check(&chars[..17]) == chars[17]
}

/// Any valid code, over every authority, category, division and organization body.
fn any_valid_code() -> impl Strategy<Value = String> {
    let pair = prop::sample::select(AUTHORITY_CATEGORIES.to_vec());
    let body = prop::collection::vec(prop::sample::select(charset()), 8);
    (pair, "[0-9]{6}", body).prop_map(|(pair, division, body)| {
        let mut chars: Vec<char> = pair
            .chars()
            .chain(division.chars())
            .chain(body.iter().copied())
            .collect();
        chars.push(organization_check(&body));
        chars.push(outer_check(&chars));
        chars.into_iter().collect()
    })
}

fn any_category() -> impl Strategy<Value = CreditCategory> {
    prop::sample::select(vec![
        CreditCategory::SocialGroup,
        CreditCategory::SocialService,
        CreditCategory::Foundation,
        CreditCategory::Other,
    ])
}

/// Codes from the crate's own generator and from the independent one above.
fn any_code() -> impl Strategy<Value = String> {
    prop_oneof![
        (any_category(), "[0-9]{6}", any::<u64>()).prop_map(|(category, division, serial)| {
            CreditCode::generate(category, &division, serial)
                .as_str()
                .to_owned()
        }),
        any_valid_code(),
    ]
}

/// The outer check's weight of each position 1–18; the check character itself counts once.
fn outer_weight(position: usize) -> u32 {
    if position == 18 {
        1
    } else {
        OUTER_WEIGHTS[position - 1]
    }
}

#[test]
fn the_outer_check_alone_catches_every_single_substitution() {
    // A change from value a to b shifts the sum by (b − a)·w; 31 is prime and 0 < |b − a| < 31.
    for position in 1..=18 {
        for a in 0..31u32 {
            for b in (0..31).filter(|&b| b != a) {
                assert!(
                    !((31 + b - a) * outer_weight(position)).is_multiple_of(31),
                    "position {position}"
                );
            }
        }
    }
}

#[test]
fn the_outer_check_alone_catches_every_transposition_except_first_with_last() {
    // Swapping values a ≠ b at positions i and j shifts the sum by (b − a)(w_i − w_j); that is zero
    // modulo 31 exactly when w_i = w_j, which happens only for positions 1 and 18 (both weight 1).
    let mut blind = Vec::new();
    for i in 1..=18 {
        for j in (i + 1)..=18 {
            let weight_difference = (31 + outer_weight(i) - outer_weight(j)) % 31;
            let undetected = (0..31u32).any(|a| {
                (0..31)
                    .filter(|&b| b != a)
                    .any(|b| ((31 + b - a) * weight_difference).is_multiple_of(31))
            });
            if undetected {
                blind.push((i, j));
            }
        }
    }
    assert_eq!(blind, vec![(1, 18)]);
}

#[test]
fn swapping_first_and_last_character_can_yield_another_valid_code() {
    // A social group code whose check character is `1`, swapped, becomes a staffing-office code with
    // the same category digit, which that authority also has: it passes every check.
    let code = (0..)
        .map(|serial| CreditCode::generate(CreditCategory::SocialGroup, "340100", serial))
        .find(|code| code.as_str().ends_with('1'))
        .unwrap();
    let mut swapped: Vec<char> = code.as_str().chars().collect();
    swapped.swap(0, 17);
    let swapped: String = swapped.into_iter().collect();
    let parsed = CreditCode::parse(&swapped).unwrap();
    assert_eq!(parsed.authority(), Authority::Staffing);
}

#[test]
fn the_organization_check_alone_misses_values_eleven_apart() {
    // Why the outer check matters for the organization code too: `1` (1) and `C` (12) are equal
    // modulo 11, so GB 11714's own check cannot tell them apart; the mod-31 check can.
    let one: Vec<char> = "1JL01678".chars().collect();
    let c: Vec<char> = "CJL01678".chars().collect();
    assert_eq!(organization_check(&one), organization_check(&c));
}

proptest! {
    #[test]
    fn every_generated_code_parses_and_keeps_its_parts(
        category in any_category(),
        division in "[0-9]{6}",
        serial in any::<u64>(),
    ) {
        let code = CreditCode::generate(category, &division, serial);
        prop_assert!(oracle_valid(code.as_str()));
        let parsed = CreditCode::parse(code.as_str()).unwrap();
        prop_assert_eq!(parsed.category(), Some(category));
        prop_assert_eq!(parsed.division_code(), division.as_str());
        prop_assert!(!parsed.outer_check_waived());
    }

    #[test]
    fn every_valid_code_of_any_authority_parses(code in any_valid_code()) {
        let parsed = CreditCode::parse(&code).unwrap();
        prop_assert_eq!(parsed.as_str(), code.as_str());
    }

    #[test]
    fn the_parser_agrees_with_the_standard_on_arbitrary_strings(raw in "[0-9A-Z]{18}") {
        prop_assert_eq!(CreditCode::parse(&raw).is_ok(), oracle_valid(&raw));
    }

    #[test]
    fn the_parser_never_panics(raw in "\\PC{0,24}") {
        let _ = CreditCode::parse(&raw);
    }

    #[test]
    fn every_single_character_change_is_rejected(code in any_code()) {
        let chars: Vec<char> = code.chars().collect();
        for position in 0..18 {
            for replacement in charset().into_iter().filter(|&c| c != chars[position]) {
                let mut changed = chars.clone();
                changed[position] = replacement;
                let changed: String = changed.into_iter().collect();
                prop_assert!(CreditCode::parse(&changed).is_err(), "{} accepted", changed);
            }
        }
    }

    #[test]
    fn every_adjacent_swap_of_different_characters_is_rejected(code in any_code()) {
        let chars: Vec<char> = code.chars().collect();
        for position in 0..17 {
            if chars[position] != chars[position + 1] {
                let mut swapped = chars.clone();
                swapped.swap(position, position + 1);
                let swapped: String = swapped.into_iter().collect();
                prop_assert!(CreditCode::parse(&swapped).is_err(), "{} accepted", swapped);
            }
        }
    }

    #[test]
    fn every_other_swap_but_first_with_last_is_rejected(code in any_code()) {
        let chars: Vec<char> = code.chars().collect();
        for i in 0..18 {
            for j in (i + 2)..18 {
                if chars[i] != chars[j] && (i, j) != (0, 17) {
                    let mut swapped = chars.clone();
                    swapped.swap(i, j);
                    let swapped: String = swapped.into_iter().collect();
                    prop_assert!(CreditCode::parse(&swapped).is_err(), "{} accepted", swapped);
                }
            }
        }
    }

    #[test]
    fn swapping_first_with_last_passes_exactly_when_the_result_is_structurally_valid(code in any_code()) {
        // The mod-31 sum is unchanged by this swap, so the parse outcome depends only on whether the
        // new first two characters form an authority/category pair.
        let mut chars: Vec<char> = code.chars().collect();
        chars.swap(0, 17);
        let swapped: String = chars.into_iter().collect();
        prop_assert_eq!(CreditCode::parse(&swapped).is_ok(), oracle_valid(&swapped));
        let pair_valid = AUTHORITY_CATEGORIES.iter().any(|p| swapped.starts_with(p));
        prop_assert_eq!(CreditCode::parse(&swapped).is_ok(), pair_valid);
    }

    #[test]
    fn case_and_surrounding_spaces_do_not_matter(code in any_code(), left in " {0,3}", right in "[ \t]{0,3}") {
        let typed = format!("{left}{}{right}", code.to_lowercase());
        let parsed = CreditCode::parse(&typed).unwrap();
        prop_assert_eq!(parsed.as_str(), code.as_str());
    }

    #[test]
    fn a_code_round_trips_through_json(code in any_code()) {
        let parsed = CreditCode::parse(&code).unwrap();
        let json = serde_json::to_string(&parsed).unwrap();
        prop_assert_eq!(serde_json::from_str::<CreditCode>(&json).unwrap(), parsed);
    }
}
