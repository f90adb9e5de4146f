//! 个人信息脱敏 — masking personal information in lists and exports (张*三, 138****5678).
//!
//! Personal information is shown in full only to roles that need it (and each full view is audited);
//! everywhere else it goes through these functions. Identity numbers mask themselves:
//! [`crate::resident_id::ResidentId::masked`].

/// 姓名脱敏 — masks a name: `张小三` → `张*三`, `张三` → `张*`, `张` stays, longer names keep only
/// their first and last character (`欧阳小明` → `欧**明`).
///
/// Surrounding spaces are dropped. Counting is by character, so Chinese names mask as expected.
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.trim().chars().collect();
    match chars.as_slice() {
        [] => String::new(),
        [only] => only.to_string(),
        [first, _] => format!("{first}*"),
        [first, middle @ .., last] => {
            format!("{first}{}{last}", "*".repeat(middle.len()))
        }
    }
}

/// 电话号码脱敏 — masks a phone number: `13812345678` → `138****5678`.
///
/// Whitespace is dropped first. Numbers of eight characters or more keep their first three and
/// last four characters, so an 11-digit mobile shows exactly as the bureau's forms print it; shorter
/// numbers keep only their last two, and numbers of two characters or fewer are masked entirely.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().filter(|c| !c.is_whitespace()).collect();
    let n = chars.len();
    let (head, tail) = match n {
        8.. => (3, 4),
        3..=7 => (0, 2),
        _ => (0, 0),
    };
    let mut masked = String::with_capacity(n + 8);
    masked.extend(&chars[..head]);
    masked.push_str(&"*".repeat(n - head - tail));
    masked.extend(&chars[n - tail..]);
    masked
}

/// A phone number as typed, reduced to the form it is stored and looked up in: spaces and dashes dropped,
/// and the country code of a mainland mobile number (`+86`, `0086`) removed, so `+86 138-1234-5678` is
/// `13812345678`. Accounts are found by the keyed index of this form.
pub fn normalize_phone(phone: &str) -> String {
    let digits: String = phone
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    for prefix in ["+86", "0086"] {
        if let Some(rest) = digits.strip_prefix(prefix)
            && rest.len() == 11
            && rest.starts_with('1')
            && rest.bytes().all(|b| b.is_ascii_digit())
        {
            return rest.to_owned();
        }
    }
    digits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_three_character_name_keeps_its_first_and_last_character() {
        assert_eq!(mask_name("张小三"), "张*三");
    }

    #[test]
    fn a_two_character_name_keeps_only_its_surname() {
        assert_eq!(mask_name("张三"), "张*");
    }

    #[test]
    fn a_one_character_name_is_left_as_it_is() {
        assert_eq!(mask_name("张"), "张");
    }

    #[test]
    fn a_long_name_masks_every_character_between_the_first_and_the_last() {
        assert_eq!(mask_name("欧阳小明"), "欧**明");
        assert_eq!(mask_name("阿依古丽·买买提"), "阿******提");
    }

    #[test]
    fn an_empty_or_blank_name_masks_to_nothing() {
        assert_eq!(mask_name(""), "");
        assert_eq!(mask_name("   "), "");
    }

    #[test]
    fn surrounding_spaces_do_not_count_as_characters() {
        assert_eq!(mask_name(" 张小三 "), "张*三");
    }

    #[test]
    fn a_mobile_number_shows_its_first_three_and_last_four_digits() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
    }

    #[test]
    fn spaces_inside_a_phone_number_are_dropped_before_masking() {
        assert_eq!(mask_phone("138 1234 5678"), "138****5678");
    }

    #[test]
    fn a_landline_with_area_code_masks_its_middle() {
        assert_eq!(mask_phone("0551-62345678"), "055******5678");
    }

    #[test]
    fn a_short_number_keeps_only_its_last_two_characters() {
        assert_eq!(mask_phone("12345"), "***45");
        assert_eq!(mask_phone("123"), "*23");
    }

    #[test]
    fn a_tiny_number_is_masked_entirely() {
        assert_eq!(mask_phone("12"), "**");
        assert_eq!(mask_phone(""), "");
    }

    #[test]
    fn a_phone_number_is_normalized_to_its_stored_form() {
        assert_eq!(normalize_phone("13812345678"), "13812345678");
        assert_eq!(normalize_phone(" 138 1234-5678 "), "13812345678");
        assert_eq!(normalize_phone("+86 138 1234 5678"), "13812345678");
        assert_eq!(normalize_phone("008613812345678"), "13812345678");
        // Not a mainland mobile after the prefix: left as typed, without spaces and dashes.
        assert_eq!(normalize_phone("+8612345"), "+8612345");
        assert_eq!(normalize_phone("0551-62345678"), "055162345678");
        assert_eq!(normalize_phone("zhao.lei"), "zhao.lei");
    }
}
