//! 金额 — money as a whole number of fen (分), parsed from what users type and shown as 元, 万元 or 亿元.
//!
//! Amounts are never floating point: a sum of floats drifts, and a ledger that drifts is wrong.

use std::fmt;

use serde::{Deserialize, Serialize};

const FEN_PER_YUAN: i128 = 100;
const FEN_PER_WAN: u64 = 1_000_000;
const FEN_PER_YI: u64 = 10_000_000_000;

/// 分 — an amount of money in fen (1 元 = 100 分), positive or negative.
///
/// Serializes as the integer number of fen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Fen(i64);

/// Why typed text is not an amount of money.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("请填写金额")]
    Empty,
    #[error("金额格式不正确，应如 1234.56 或 1,234.56")]
    Malformed,
    #[error("金额最多两位小数（精确到分）")]
    TooManyDecimals,
    #[error("金额不能为负数")]
    Negative,
    #[error("金额超出可记录的范围")]
    Overflow,
}

/// Whether a minus sign is acceptable in typed input.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sign {
    NonNegative,
    Any,
}

impl Fen {
    pub const ZERO: Fen = Fen(0);

    pub const fn new(fen: i64) -> Self {
        Fen(fen)
    }

    /// Whole 元, or `None` when the amount does not fit.
    pub const fn from_yuan(yuan: i64) -> Option<Self> {
        match yuan.checked_mul(100) {
            Some(fen) => Some(Fen(fen)),
            None => None,
        }
    }

    pub const fn as_i64(self) -> i64 {
        self.0
    }

    /// Parses an amount in 元 as a user types it: `1234.56`, `1,234.56`, `¥1,234.5`, `￥8`.
    ///
    /// Spaces around the amount and after the ¥ (or full-width ￥) sign are allowed. Thousands
    /// separators are optional but, when used, must group by three (`12,34` is refused). At most two
    /// decimals; a point needs digits on both sides; no sign but minus, no exponent. Negative amounts
    /// are refused here: use [`Self::from_signed_yuan_str`] where a minus is meaningful.
    pub fn from_yuan_str(raw: &str) -> Result<Self, MoneyError> {
        parse_yuan(raw, Sign::NonNegative)
    }

    /// As [`Self::from_yuan_str`], also accepting a leading minus (`-1.50`, `-¥1.50`, `¥-1.50`).
    pub fn from_signed_yuan_str(raw: &str) -> Result<Self, MoneyError> {
        parse_yuan(raw, Sign::Any)
    }

    pub fn checked_add(self, other: Fen) -> Option<Fen> {
        self.0.checked_add(other.0).map(Fen)
    }

    pub fn checked_sub(self, other: Fen) -> Option<Fen> {
        self.0.checked_sub(other.0).map(Fen)
    }

    /// The total of `amounts`, or `None` as soon as it would overflow.
    pub fn checked_sum(amounts: impl IntoIterator<Item = Fen>) -> Option<Fen> {
        amounts.into_iter().try_fold(Fen::ZERO, Fen::checked_add)
    }

    /// The amount in 元 with its unit: `1,234.56元` (exact, never rounded).
    pub fn format_yuan(self) -> String {
        format!("{self}元")
    }

    /// The amount in the unit a report uses for totals, with two decimals:
    /// at least 1亿元 → `1.50亿元`; at least 1万元 → `5,700.00万元`; below that `1,234.56元` (exact).
    ///
    /// Rounding is half away from zero at the second decimal of the chosen unit (`0.005万` → `0.01万`,
    /// `-0.005万` → `-0.01万`). The unit is chosen by the rounded figure, so an amount just under 1亿元
    /// that rounds to `10,000.00万` is shown as `1.00亿元` instead.
    pub fn format_wan_yi(self) -> String {
        let magnitude = self.0.unsigned_abs();
        let sign = if self.0 < 0 { "-" } else { "" };
        if magnitude < FEN_PER_WAN {
            return self.format_yuan();
        }
        // Hundredths of 万 are units of 10⁴ fen; of 亿, units of 10⁸ fen.
        let hundredths_of_wan = round_half_away(magnitude, FEN_PER_WAN / 100);
        if hundredths_of_wan < 10_000 * 100 {
            return format!("{sign}{}万元", two_decimals(hundredths_of_wan));
        }
        let hundredths_of_yi = round_half_away(magnitude, FEN_PER_YI / 100);
        format!("{sign}{}亿元", two_decimals(hundredths_of_yi))
    }
}

/// `magnitude / unit`, rounded half up; applied to magnitudes, that is half away from zero.
fn round_half_away(magnitude: u64, unit: u64) -> u64 {
    // Cannot overflow: magnitude ≤ 2⁶³ and unit / 2 is far below 2⁶³.
    (magnitude + unit / 2) / unit
}

/// `hundredths` as a number with thousands separators and two decimals: 123456 → `1,234.56`.
fn two_decimals(hundredths: u64) -> String {
    format!("{}.{:02}", group_thousands(hundredths / 100), hundredths % 100)
}

/// `n` with thousands separators, as reports write counts and amounts: 3491 → `3,491`.
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

impl fmt::Display for Fen {
    /// 元 with thousands separators and exactly two decimals, no unit: `1,234.56`, `-0.05`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}{}", two_decimals(self.0.unsigned_abs()))
    }
}

impl From<Fen> for i64 {
    fn from(fen: Fen) -> i64 {
        fen.0
    }
}

fn parse_yuan(raw: &str, sign: Sign) -> Result<Fen, MoneyError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(MoneyError::Empty);
    }
    // The minus may come before or after the currency sign: `-¥1.00` and `¥-1.00` are both common.
    let (minus_first, text) = strip_minus(text);
    let text = text.strip_prefix(['¥', '￥']).map_or(text, str::trim_start);
    let (minus_after, text) = strip_minus(text);
    let negative = minus_first || minus_after;
    if minus_first && minus_after {
        return Err(MoneyError::Malformed);
    }

    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text, None),
    };
    let whole = whole_digits(whole).ok_or(MoneyError::Malformed)?;
    let fraction = match fraction {
        None => "",
        Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => digits,
        Some(_) => return Err(MoneyError::Malformed),
    };
    if fraction.len() > 2 {
        return Err(MoneyError::TooManyDecimals);
    }
    if negative && sign == Sign::NonNegative {
        return Err(MoneyError::Negative);
    }

    // Accumulate in i128, stopping once past every i64, so that any length of digits is safe.
    let limit = i128::from(i64::MAX) + 1;
    let mut fen: i128 = 0;
    for digit in whole.bytes() {
        fen = fen * 10 + i128::from(digit - b'0');
        if fen * FEN_PER_YUAN > limit {
            return Err(MoneyError::Overflow);
        }
    }
    let fraction_fen = match fraction.as_bytes() {
        [] => 0,
        [tenths] => i128::from(tenths - b'0') * 10,
        [tenths, hundredths] => i128::from(tenths - b'0') * 10 + i128::from(hundredths - b'0'),
        _ => unreachable!("at most two decimals were checked above"),
    };
    let fen = fen * FEN_PER_YUAN + fraction_fen;
    let fen = if negative { -fen } else { fen };
    i64::try_from(fen).map(Fen).map_err(|_| MoneyError::Overflow)
}

fn strip_minus(text: &str) -> (bool, &str) {
    match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    }
}

/// The digits of the whole part without separators, if it is digits grouped correctly by commas.
fn whole_digits(whole: &str) -> Option<String> {
    let groups: Vec<&str> = whole.split(',').collect();
    let all_digits = |group: &str| !group.is_empty() && group.bytes().all(|b| b.is_ascii_digit());
    let well_grouped = match groups.as_slice() {
        [single] => all_digits(single),
        [first, rest @ ..] => {
            all_digits(first) && first.len() <= 3 && rest.iter().all(|g| g.len() == 3 && all_digits(g))
        }
        [] => false,
    };
    well_grouped.then(|| groups.concat())
}
