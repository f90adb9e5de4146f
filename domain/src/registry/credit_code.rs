//! 统一社会信用代码 — the unified social credit code of GB 32100-2015, parsed and checked.
//!
//! The code has 18 characters from [`CHARSET`]:
//!
//! | position | meaning |
//! | --- | --- |
//! | 1 | 登记管理部门 registering authority ([`Authority`]; `5` is civil affairs) |
//! | 2 | 机构类别 category under that authority ([`CreditCategory`] for civil affairs) |
//! | 3–8 | 登记管理机关行政区划码 division code of the registering office (GB/T 2260) |
//! | 9–17 | 主体标识码 the organization code of GB 11714; position 17 is its own check character |
//! | 18 | 校验码 the check character over positions 1–17 (mod 31) |
//!
//! What the two checks catch: the mod-31 check (position 18) gives positions 1–17 the weights
//! `3^(i-1) mod 31` and itself the weight 1. 31 is prime and 3 is a primitive root modulo 31, so all
//! seventeen weights are distinct and non-zero. Therefore every single substitution and every
//! transposition of two different characters — adjacent or not — is caught, with exactly one
//! exception: positions 1 and 18 both carry weight 1, so swapping the first and the last character
//! keeps the sum. The other rules catch that swap only when the new first character is not an authority
//! or does not fit the category (`51…1` ↔ `11…5` passes everything: authority `1` also has categories
//! `1`, `2`, `3` and `9`). The mod-11 organization check alone misses substitutions between values
//! that differ by 11 (`1`↔`C`, `A`↔`L`) and swaps of such pairs; the outer check still catches those.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The 31 characters a code may use: digits and capitals without I, O, S, V and Z (easily misread).
pub const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

const CODE_LEN: usize = 18;

/// Weights `3^(i-1) mod 31` of positions 1–17 for the final check character.
const OUTER_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// Weights of positions 9–16 (the organization code body) for its check character at position 17.
const ORGANIZATION_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// 统一社会信用代码 — a unified social credit code that passed every check of GB 32100-2015
/// (or all but the final one, when staff waived it; see [`CreditCode::accept_failing_outer_check`]).
///
/// It serializes as its 18-character string and deserializes through [`CreditCode::parse`]; fields that
/// may hold a waived code use [`recorded`] instead.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(value_type = String, example = "51340000MJ0000018R"))]
pub struct CreditCode(String);

/// 登记管理部门代码 — the registering authority named by position 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Authority {
    /// `1` 机构编制 — staffing offices (government bodies, public institutions).
    Staffing,
    /// `2` 外交 — foreign affairs.
    ForeignAffairs,
    /// `3` 司法行政 — justice administration (law firms, notaries …).
    Justice,
    /// `4` 文化 — culture.
    Culture,
    /// `5` 民政 — civil affairs: social organizations, the bureau's own codes.
    CivilAffairs,
    /// `6` 旅游 — tourism.
    Tourism,
    /// `7` 宗教 — religious affairs.
    Religion,
    /// `8` 工会 — trade unions.
    TradeUnion,
    /// `9` 工商 — market regulation (enterprises).
    Commerce,
    /// `A` 中央军委改革和编制办公室 — the military's staffing office.
    Military,
    /// `N` 农业 — agriculture (collective economic organizations).
    Agriculture,
    /// `Y` 其他 — any other authority.
    Other,
}

/// 机构类别 — the category of a code issued by civil affairs (position 2 under authority `5`).
///
/// The category must agree with the organization's kind (登记类型); that rule lives with organizations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CreditCategory {
    /// `1` 社会团体 — social group.
    SocialGroup,
    /// `2` 社会服务机构 (formerly 民办非企业单位) — social service institution.
    SocialService,
    /// `3` 基金会 — foundation.
    Foundation,
    /// `9` 其他 — other.
    Other,
}

/// Why a string is not a unified social credit code; each check has its own variant and message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    #[error("统一社会信用代码应为 18 位，当前为 {actual} 位")]
    WrongLength { actual: usize },
    #[error(
        "第 {position} 位的“{character}”不是统一社会信用代码可用的字符（数字或除 I、O、S、V、Z 外的大写字母）"
    )]
    IllegalCharacter { position: usize, character: char },
    #[error("第 1 位登记管理部门代码“{character}”不存在")]
    UnknownAuthority { character: char },
    #[error("第 2 位机构类别代码“{character}”不属于登记管理部门“{authority}”")]
    UnknownCategory { authority: Authority, character: char },
    #[error("第 3–8 位应为 6 位数字的行政区划码，第 {position} 位却是“{character}”")]
    DivisionNotDigits { position: usize, character: char },
    #[error("第 9–17 位组织机构代码校验不通过（第 17 位校验码不符），请核对是否输错")]
    OrganizationCheckFailed,
    #[error("第 18 位校验码不符，请核对是否输错")]
    FinalCheckFailed,
    #[error("接受未通过第 18 位校验的代码，须填写理由")]
    MissingWaiverReason,
}

/// Whether a parse enforces the final check character.
#[derive(Clone, Copy, PartialEq, Eq)]
enum OuterCheck {
    Enforce,
    Waive,
}

impl CreditCode {
    /// Parses a code as typed: surrounding spaces are dropped and lower-case letters raised.
    pub fn parse(raw: &str) -> Result<Self, CreditCodeError> {
        parse_with(raw, OuterCheck::Enforce)
    }

    /// Accepts a code that fails only the final check (position 18), as some early pilot codes do.
    ///
    /// Every other check is still enforced and `reason` must not be blank. The reason itself is not
    /// kept on the value: it belongs in the audit row that records the acceptance. A code that passes
    /// the final check anyway is returned as an ordinary code.
    pub fn accept_failing_outer_check(raw: &str, reason: &str) -> Result<Self, CreditCodeError> {
        if reason.trim().is_empty() {
            return Err(CreditCodeError::MissingWaiverReason);
        }
        parse_with(raw, OuterCheck::Waive)
    }

    /// A valid civil-affairs code (authority `5`), the same for the same arguments: demo data and tests.
    ///
    /// Positions 9–10 are `MJ`, as on codes civil affairs issues today, and positions 11–16 spell
    /// `serial` in base 31, so serials below 31^6 (887,503,681) give distinct codes; larger ones wrap.
    ///
    /// # Panics
    /// When `division` is not six ASCII digits: a caller's mistake, not user input.
    pub fn generate(category: CreditCategory, division: &str, serial: u64) -> CreditCode {
        assert!(
            division.len() == 6 && division.bytes().all(|b| b.is_ascii_digit()),
            "division code must be six digits, got {division:?}"
        );
        let charset = CHARSET.as_bytes();
        let mut body = [b'0'; 6];
        let mut rest = serial;
        for slot in body.iter_mut().rev() {
            *slot = charset[(rest % 31) as usize];
            rest /= 31;
        }
        let mut code = format!("5{}{division}MJ", category.code());
        code.extend(body.iter().map(|&b| char::from(b)));
        code.push(organization_check_char(&code.as_bytes()[8..16]));
        code.push(outer_check_char(code.as_bytes()));
        CreditCode(code)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// 登记管理部门 — who registered the holder (position 1).
    pub fn authority(&self) -> Authority {
        Authority::from_code(char::from(self.0.as_bytes()[0])).expect("checked when parsed")
    }

    /// 机构类别 — the civil-affairs category, or `None` when another authority issued the code.
    pub fn category(&self) -> Option<CreditCategory> {
        match self.authority() {
            Authority::CivilAffairs => CreditCategory::from_code(self.category_code()),
            _ => None,
        }
    }

    /// The raw category character (position 2), meaningful together with [`Self::authority`].
    pub fn category_code(&self) -> char {
        char::from(self.0.as_bytes()[1])
    }

    /// 登记管理机关行政区划码 — the six-digit division code of the registering office (positions 3–8).
    pub fn division_code(&self) -> &str {
        &self.0[2..8]
    }

    /// 组织机构代码 — the nine-character GB 11714 organization code (positions 9–17).
    pub fn organization_code(&self) -> &str {
        &self.0[8..17]
    }

    /// Whether this code fails the final check and was accepted on a recorded reason.
    ///
    /// Derived from the characters rather than stored, so it cannot disagree with them.
    pub fn outer_check_waived(&self) -> bool {
        outer_check_char(self.0.as_bytes()) != char::from(self.0.as_bytes()[17])
    }
}

fn parse_with(raw: &str, outer: OuterCheck) -> Result<CreditCode, CreditCodeError> {
    let raw = raw.trim();
    let actual = raw.chars().count();
    if actual != CODE_LEN {
        return Err(CreditCodeError::WrongLength { actual });
    }
    // Errors name the character as it was typed; the code is kept upper-case.
    let mut code = String::with_capacity(CODE_LEN);
    for (index, typed) in raw.chars().enumerate() {
        let upper = typed.to_ascii_uppercase();
        if !CHARSET.contains(upper) {
            return Err(CreditCodeError::IllegalCharacter {
                position: index + 1,
                character: typed,
            });
        }
        code.push(upper);
    }
    let bytes = code.as_bytes();

    let authority = Authority::from_code(char::from(bytes[0])).ok_or(CreditCodeError::UnknownAuthority {
        character: char::from(bytes[0]),
    })?;
    if !authority.category_codes().contains(&char::from(bytes[1])) {
        return Err(CreditCodeError::UnknownCategory {
            authority,
            character: char::from(bytes[1]),
        });
    }
    if let Some(index) = (2..8).find(|&i| !bytes[i].is_ascii_digit()) {
        return Err(CreditCodeError::DivisionNotDigits {
            position: index + 1,
            character: char::from(bytes[index]),
        });
    }
    if organization_check_char(&bytes[8..16]) != char::from(bytes[16]) {
        return Err(CreditCodeError::OrganizationCheckFailed);
    }
    if outer == OuterCheck::Enforce && outer_check_char(bytes) != char::from(bytes[17]) {
        return Err(CreditCodeError::FinalCheckFailed);
    }
    Ok(CreditCode(code))
}

/// The position-17 check character over the eight-character organization code body (GB 11714).
///
/// GB 11714 values letters over the full Latin alphabet (A=10 … Z=35), unlike the outer check, which
/// uses the index in [`CHARSET`].
fn organization_check_char(body: &[u8]) -> char {
    let sum: u32 = body
        .iter()
        .zip(ORGANIZATION_WEIGHTS)
        .map(|(&b, weight)| {
            let value = if b.is_ascii_digit() {
                b - b'0'
            } else {
                b - b'A' + 10
            };
            u32::from(value) * weight
        })
        .sum();
    match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        digit => char::from_digit(digit, 10).expect("below ten"),
    }
}

/// The position-18 check character over the first 17 characters (all from [`CHARSET`]).
fn outer_check_char(code: &[u8]) -> char {
    let charset = CHARSET.as_bytes();
    let sum: u32 = code[..17]
        .iter()
        .zip(OUTER_WEIGHTS)
        .map(|(b, weight)| charset_value(*b) * weight)
        .sum();
    char::from(charset[((31 - sum % 31) % 31) as usize])
}

fn charset_value(b: u8) -> u32 {
    CHARSET
        .bytes()
        .position(|c| c == b)
        .expect("checked against the charset") as u32
}

impl Authority {
    /// The character at position 1, e.g. `'5'` for civil affairs.
    pub fn code(self) -> char {
        match self {
            Authority::Staffing => '1',
            Authority::ForeignAffairs => '2',
            Authority::Justice => '3',
            Authority::Culture => '4',
            Authority::CivilAffairs => '5',
            Authority::Tourism => '6',
            Authority::Religion => '7',
            Authority::TradeUnion => '8',
            Authority::Commerce => '9',
            Authority::Military => 'A',
            Authority::Agriculture => 'N',
            Authority::Other => 'Y',
        }
    }

    pub fn from_code(code: char) -> Option<Self> {
        Some(match code {
            '1' => Authority::Staffing,
            '2' => Authority::ForeignAffairs,
            '3' => Authority::Justice,
            '4' => Authority::Culture,
            '5' => Authority::CivilAffairs,
            '6' => Authority::Tourism,
            '7' => Authority::Religion,
            '8' => Authority::TradeUnion,
            '9' => Authority::Commerce,
            'A' => Authority::Military,
            'N' => Authority::Agriculture,
            'Y' => Authority::Other,
            _ => return None,
        })
    }

    /// The name of the authority as GB 32100 gives it, e.g. `民政`.
    pub fn name_zh(self) -> &'static str {
        match self {
            Authority::Staffing => "机构编制",
            Authority::ForeignAffairs => "外交",
            Authority::Justice => "司法行政",
            Authority::Culture => "文化",
            Authority::CivilAffairs => "民政",
            Authority::Tourism => "旅游",
            Authority::Religion => "宗教",
            Authority::TradeUnion => "工会",
            Authority::Commerce => "工商",
            Authority::Military => "中央军委改革和编制办公室",
            Authority::Agriculture => "农业",
            Authority::Other => "其他",
        }
    }

    /// The category characters GB 32100 (table 2) allows under this authority.
    fn category_codes(self) -> &'static [char] {
        match self {
            Authority::Staffing => &['1', '2', '3', '9'],
            Authority::ForeignAffairs | Authority::Culture | Authority::TradeUnion | Authority::Military => {
                &['1', '9']
            }
            Authority::Justice => &['1', '2', '3', '4', '5', '9'],
            Authority::CivilAffairs | Authority::Agriculture => &['1', '2', '3', '9'],
            Authority::Tourism | Authority::Religion => &['1', '2', '9'],
            Authority::Commerce => &['1', '2', '3'],
            Authority::Other => &['1'],
        }
    }
}

impl fmt::Display for Authority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name_zh())
    }
}

impl CreditCategory {
    /// The character at position 2, e.g. `'3'` for a foundation.
    pub fn code(self) -> char {
        match self {
            CreditCategory::SocialGroup => '1',
            CreditCategory::SocialService => '2',
            CreditCategory::Foundation => '3',
            CreditCategory::Other => '9',
        }
    }

    pub fn from_code(code: char) -> Option<Self> {
        match code {
            '1' => Some(CreditCategory::SocialGroup),
            '2' => Some(CreditCategory::SocialService),
            '3' => Some(CreditCategory::Foundation),
            '9' => Some(CreditCategory::Other),
            _ => None,
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            CreditCategory::SocialGroup => "社会团体",
            CreditCategory::SocialService => "社会服务机构",
            CreditCategory::Foundation => "基金会",
            CreditCategory::Other => "其他",
        }
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for CreditCode {
    type Err = CreditCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for CreditCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for CreditCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        CreditCode::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// Serde for fields holding a code already on record, which may be one accepted with a waiver:
/// `#[serde(with = "domain::registry::credit_code::recorded")]`.
///
/// Requests use the strict default so that no client slips a failing code past the waiver; responses
/// and stored records use this, or a list holding one waived code would not load in the browser.
pub mod recorded {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::{CreditCode, OuterCheck, parse_with};

    pub fn serialize<S: Serializer>(code: &CreditCode, serializer: S) -> Result<S::Ok, S::Error> {
        code.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<CreditCode, D::Error> {
        let raw = String::deserialize(deserializer)?;
        parse_with(&raw, OuterCheck::Waive).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests;
