//! 标签 — the one way to declare an enum that users read: its wire key, its Chinese and English labels,
//! every value in order, and a parser that reads any of the three.
//!
//! `labelled_enum!` declares the enum and implements [`Labelled`]; the browser shows `label_zh` or
//! `label_en` by the chosen language and the server writes `label_zh` into exports. A test walks
//! every labelled enum and checks that both labels are present and that the English one has no Chinese.

/// An enum whose values users read, in Chinese and in English.
pub trait Labelled: Copy + Sized + 'static {
    /// What a value is, in Chinese (e.g. 登记类型), for error messages.
    const WHAT: &'static str;
    /// Every value, in the order forms and filters list them.
    fn all() -> &'static [Self];
    /// The snake_case key used on the wire and in the database.
    fn key(self) -> &'static str;
    fn label_zh(self) -> &'static str;
    fn label_en(self) -> &'static str;
}

/// Why a string names none of an enum's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("无法识别的{what}：「{value}」")]
pub struct UnknownLabel {
    /// What was being read, in Chinese (e.g. 登记类型).
    pub what: &'static str,
    pub value: String,
}

/// Declares an enum of fixed values with its key, Chinese and English labels, `ALL` and `parse`.
///
/// Every enum the user reads is declared with it, so that each has both labels and reads and parses the same way.
macro_rules! labelled_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident ($what:literal) {
            $(
                $(#[$variant_meta:meta])*
                $variant:ident => $key:literal, $zh:literal, $en:literal;
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[derive(serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $(
                $(#[$variant_meta])*
                #[serde(rename = $key)]
                $variant,
            )+
        }

        impl $name {
            /// Every value, in the order forms and filters list them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The snake_case key used on the wire and in the database (the same as serde's).
            pub fn key(self) -> &'static str {
                match self {
                    $($name::$variant => $key,)+
                }
            }

            pub fn label_zh(self) -> &'static str {
                match self {
                    $($name::$variant => $zh,)+
                }
            }

            pub fn label_en(self) -> &'static str {
                match self {
                    $($name::$variant => $en,)+
                }
            }

            /// Reads a key, a Chinese label or an English label (in any case), ignoring surrounding blanks:
            /// forms send keys, while spreadsheets imported by staff carry labels.
            pub fn parse(raw: &str) -> Result<$name, $crate::label::UnknownLabel> {
                let raw = raw.trim();
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.key() == raw || v.label_zh() == raw || v.label_en().eq_ignore_ascii_case(raw))
                    .ok_or_else(|| $crate::label::UnknownLabel { what: $what, value: raw.to_owned() })
            }
        }

        impl $crate::label::Labelled for $name {
            const WHAT: &'static str = $what;
            fn all() -> &'static [Self] {
                Self::ALL
            }
            fn key(self) -> &'static str {
                $name::key(self)
            }
            fn label_zh(self) -> &'static str {
                $name::label_zh(self)
            }
            fn label_en(self) -> &'static str {
                $name::label_en(self)
            }
        }

        /// Shows the Chinese label, the one users read.
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label_zh())
            }
        }
    };
}

pub(crate) use labelled_enum;
