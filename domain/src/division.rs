//! 行政区划 — administrative divisions (GB/T 2260 six-digit codes) of the province.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The province that this deployment serves: 安徽省.
pub const PROVINCE_CODE: &str = "340000";

/// A six-digit GB/T 2260 division code such as `340122` (肥东县).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String))]
#[serde(try_from = "String", into = "String")]
pub struct DivisionCode(String);

/// Why a string is not a division code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DivisionCodeError {
    #[error("行政区划代码应为 6 位数字")]
    Malformed,
}

impl DivisionCode {
    pub fn parse(raw: &str) -> Result<Self, DivisionCodeError> {
        let raw = raw.trim();
        if raw.len() == 6 && raw.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(raw.to_owned()))
        } else {
            Err(DivisionCodeError::Malformed)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The level this code names: province (`xx0000`), city (`xxxx00`) or county.
    pub fn level(&self) -> DivisionLevel {
        if self.0.ends_with("0000") {
            DivisionLevel::Province
        } else if self.0.ends_with("00") {
            DivisionLevel::City
        } else {
            DivisionLevel::County
        }
    }

    /// The city this code lies in (itself for a city).
    pub fn city(&self) -> DivisionCode {
        DivisionCode(format!("{}00", &self.0[..4]))
    }

    /// Whether `other` is this division or lies inside it (a county inside its city, anything inside
    /// the province). Scopes of local staff are checked with this.
    pub fn contains(&self, other: &DivisionCode) -> bool {
        match self.level() {
            DivisionLevel::Province => self.0[..2] == other.0[..2],
            DivisionLevel::City => self.0[..4] == other.0[..4],
            DivisionLevel::County => self.0 == other.0,
        }
    }
}

impl TryFrom<String> for DivisionCode {
    type Error = DivisionCodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<DivisionCode> for String {
    fn from(code: DivisionCode) -> Self {
        code.0
    }
}

impl fmt::Display for DivisionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// 区划级别 — the level of a division.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DivisionLevel {
    Province,
    City,
    County,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_county_lies_inside_its_city_and_the_province() {
        let county = DivisionCode::parse("340122").unwrap();
        let city = DivisionCode::parse("340100").unwrap();
        let province = DivisionCode::parse(PROVINCE_CODE).unwrap();
        assert_eq!(county.level(), DivisionLevel::County);
        assert_eq!(county.city(), city);
        assert!(city.contains(&county));
        assert!(province.contains(&county));
        assert!(!county.contains(&city));
        assert!(!DivisionCode::parse("340200").unwrap().contains(&county));
    }

    #[test]
    fn codes_that_are_not_six_digits_are_refused() {
        for bad in ["", "34012", "3401221", "34O122", "三四〇一二二"] {
            assert_eq!(
                DivisionCode::parse(bad),
                Err(DivisionCodeError::Malformed),
                "{bad}"
            );
        }
        assert_eq!(DivisionCode::parse(" 340122 ").unwrap().as_str(), "340122");
    }
}
