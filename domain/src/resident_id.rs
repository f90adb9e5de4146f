//! 居民身份证号码 — the 18-character citizen identity number of GB 11643-1999, parsed and checked.
//!
//! Positions 1–6 are the division code where the number was issued, 7–14 the birth date (YYYYMMDD),
//! 15–17 a sequence number (odd for men, even for women) and 18 the check character (a digit or `X`)
//! over the first seventeen, modulo 11.
//!
//! An identity number is personal information (for scholarship recipients, a minor's): its `Debug`
//! output is masked so that it cannot leak into logs, and it has no `Display`; lists and exports use
//! [`ResidentId::masked`], and only code that has to hold the full number calls [`ResidentId::as_str`].

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

const ID_LEN: usize = 18;

/// Weights `2^(18-i) mod 11` of positions 1–17.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// The check character for each value of the weighted sum modulo 11.
const CHECK_CHARS: &[u8; 11] = b"10X98765432";

/// The earliest birth year accepted; earlier dates are typing mistakes, not people.
const EARLIEST_BIRTH_YEAR: i32 = 1900;

/// 居民身份证号码 — a citizen identity number that passed every check of GB 11643-1999.
#[derive(Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResidentId(String);

/// Why a string is not a citizen identity number; each check has its own variant and message.
///
/// Messages name positions but never repeat the number, which is personal information.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResidentIdError {
    #[error("身份证号码应为 18 位，当前为 {actual} 位")]
    WrongLength { actual: usize },
    #[error("身份证号码第 {position} 位的“{character}”不合法（前 17 位应为数字，第 18 位为数字或 X）")]
    IllegalCharacter { position: usize, character: char },
    #[error("身份证号码第 7–14 位不是有效的出生日期")]
    InvalidBirthDate,
    #[error("身份证号码中的出生日期早于 1900 年")]
    BornBefore1900,
    #[error("身份证号码中的出生日期晚于今天")]
    BornInFuture,
    #[error("身份证号码第 18 位校验码不符，请核对是否输错")]
    CheckFailed,
}

impl ResidentId {
    /// Parses a number as typed: surrounding spaces are dropped and a lower-case `x` is raised.
    ///
    /// The birth date must be a real calendar date from 1900 on; whether it lies in the future is not
    /// checked, since that depends on the day ([`Self::parse_on`] checks it).
    pub fn parse(raw: &str) -> Result<Self, ResidentIdError> {
        let raw = raw.trim();
        let actual = raw.chars().count();
        if actual != ID_LEN {
            return Err(ResidentIdError::WrongLength { actual });
        }
        let mut id = String::with_capacity(ID_LEN);
        for (index, typed) in raw.chars().enumerate() {
            let legal = typed.is_ascii_digit() || (index == ID_LEN - 1 && typed.eq_ignore_ascii_case(&'x'));
            if !legal {
                return Err(ResidentIdError::IllegalCharacter {
                    position: index + 1,
                    character: typed,
                });
            }
            id.push(typed.to_ascii_uppercase());
        }
        let birth_date = birth_date_of(&id).ok_or(ResidentIdError::InvalidBirthDate)?;
        if birth_date.year() < EARLIEST_BIRTH_YEAR {
            return Err(ResidentIdError::BornBefore1900);
        }
        if check_char(&id.as_bytes()[..17]) != char::from(id.as_bytes()[17]) {
            return Err(ResidentIdError::CheckFailed);
        }
        Ok(ResidentId(id))
    }

    /// Parses as [`Self::parse`] does and also refuses a birth date after `today`.
    pub fn parse_on(raw: &str, today: NaiveDate) -> Result<Self, ResidentIdError> {
        let id = Self::parse(raw)?;
        if id.birth_date() > today {
            return Err(ResidentIdError::BornInFuture);
        }
        Ok(id)
    }

    /// A valid number, the same for the same arguments: demo data and tests.
    ///
    /// Positions 15–17 are `serial % 1000`, so an odd serial gives a man and an even one a woman.
    ///
    /// # Panics
    /// When `division` is not six ASCII digits or `birth_date` is not within the years 1900–9999:
    /// a caller's mistake, not user input.
    pub fn generate(division: &str, birth_date: NaiveDate, serial: u32) -> ResidentId {
        assert!(
            division.len() == 6 && division.bytes().all(|b| b.is_ascii_digit()),
            "division code must be six digits, got {division:?}"
        );
        assert!(
            (EARLIEST_BIRTH_YEAR..=9999).contains(&birth_date.year()),
            "birth year must be within 1900–9999, got {birth_date}"
        );
        let mut id = format!("{division}{}{:03}", birth_date.format("%Y%m%d"), serial % 1000);
        id.push(check_char(id.as_bytes()));
        ResidentId(id)
    }

    /// The full number. Only code that must hold it (storage, authorized full views) should call this.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// 出生日期 — the birth date at positions 7–14.
    pub fn birth_date(&self) -> NaiveDate {
        birth_date_of(&self.0).expect("checked when parsed")
    }

    /// The division code where the number was first issued (positions 1–6).
    pub fn division_code(&self) -> &str {
        &self.0[..6]
    }

    /// Whether the holder is a man: the sequence number (position 17) is odd.
    pub fn is_male(&self) -> bool {
        (self.0.as_bytes()[16] - b'0') % 2 == 1
    }

    /// 脱敏 — the masked form for lists and exports: `340***********1234`.
    pub fn masked(&self) -> String {
        format!("{}{}{}", &self.0[..3], "*".repeat(11), &self.0[14..])
    }
}

/// The date at positions 7–14, if it is a real calendar date.
fn birth_date_of(id: &str) -> Option<NaiveDate> {
    let year = id[6..10].parse().ok()?;
    let month = id[10..12].parse().ok()?;
    let day = id[12..14].parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// The check character over the first seventeen digits.
fn check_char(digits: &[u8]) -> char {
    let sum: u32 = digits
        .iter()
        .zip(WEIGHTS)
        .map(|(&d, weight)| u32::from(d - b'0') * weight)
        .sum();
    char::from(CHECK_CHARS[(sum % 11) as usize])
}

impl fmt::Debug for ResidentId {
    /// Masked, so that a logged value never reveals the number.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ResidentId").field(&self.masked()).finish()
    }
}

impl Serialize for ResidentId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for ResidentId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        ResidentId::parse(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_weights_are_powers_of_two_modulo_11() {
        for (index, weight) in WEIGHTS.iter().enumerate() {
            assert_eq!(*weight, 2u32.pow(17 - index as u32) % 11);
        }
    }

    #[test]
    fn the_check_alone_catches_every_adjacent_transposition_of_different_digits() {
        // Swapping digits a ≠ b at positions i and i+1 shifts the sum by (b − a)(w_i − w_{i+1}). Each
        // weight is twice the next, so that is (b − a)·w_{i+1}, non-zero modulo 11; the check character
        // counts with weight 1 against position 17's weight 2, so that swap is caught as well.
        let weights: Vec<u32> = WEIGHTS.iter().copied().chain([1]).collect();
        for pair in weights.windows(2) {
            for a in 0..10u32 {
                for b in (0..10).filter(|&b| b != a) {
                    assert_ne!((11 + b - a) * ((11 + pair[0] - pair[1]) % 11) % 11, 0);
                }
            }
        }
    }
}
