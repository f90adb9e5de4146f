//! 两步验证 — the second factor: time-based one-time passwords (RFC 6238: HMAC-SHA1, 6 digits, 30-second
//! steps, one step of drift either way), their base32 secrets and `otpauth://` URIs for authenticator apps,
//! and one-time recovery codes. Pure: the server draws the random bytes and keeps what is secret.

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Digits of a code.
pub const DIGITS: u32 = 6;
/// Seconds one code is current.
pub const STEP_SECONDS: i64 = 30;
/// Steps before or after the current one that still count (a phone's clock a little off, a code typed
/// as it turns over).
pub const DRIFT_STEPS: i64 = 1;
/// Bytes of a secret: 160 bits, the HMAC-SHA1 block RFC 4226 recommends.
pub const SECRET_BYTES: usize = 20;
/// Recovery codes issued at a time…
pub const RECOVERY_CODES: usize = 10;
/// …each made of this many random bytes (80 bits: 16 base32 characters).
pub const RECOVERY_CODE_BYTES: usize = 10;
/// The issuer authenticator apps show beside the account.
pub const ISSUER: &str = "Sheguan";

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// The time step `unix_seconds` falls in.
pub fn step_at(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECONDS)
}

/// RFC 4226's HOTP value of `counter` under `secret`, `digits` long.
pub fn hotp(secret: &[u8], counter: u64, digits: u32) -> u32 {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).expect("HMAC takes a key of any length");
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[digest.len() - 1] & 0x0f);
    let truncated = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    truncated % 10u32.pow(digits)
}

/// The 6-digit code of time step `step`, as an authenticator app shows it.
pub fn code_at_step(secret: &[u8], step: i64) -> String {
    format!(
        "{:0width$}",
        hotp(secret, step.max(0) as u64, DIGITS),
        width = DIGITS as usize
    )
}

/// The code current at `unix_seconds`.
pub fn code_at(secret: &[u8], unix_seconds: i64) -> String {
    code_at_step(secret, step_at(unix_seconds))
}

/// The step whose code `code` is, within `DRIFT_STEPS` of `unix_seconds` and later than `last_used_step`
/// (a code is good once: a replay within its window is refused). `None` for any other code.
pub fn verify(secret: &[u8], code: &str, unix_seconds: i64, last_used_step: Option<i64>) -> Option<i64> {
    let code = normalize_code(code)?;
    let now = step_at(unix_seconds);
    (now - DRIFT_STEPS..=now + DRIFT_STEPS)
        .filter(|step| last_used_step.is_none_or(|last| *step > last))
        .find(|step| same(code_at_step(secret, *step).as_bytes(), code.as_bytes()))
}

/// A typed code without spaces, if it is `DIGITS` digits.
pub fn normalize_code(input: &str) -> Option<String> {
    let code: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    (code.len() == DIGITS as usize && code.bytes().all(|b| b.is_ascii_digit())).then_some(code)
}

/// Compares without stopping at the first difference.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

/// RFC 4648 base32, upper case, without padding: how secrets are shown and typed.
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for byte in bytes {
        buffer = (buffer << 8) | u32::from(*byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(BASE32[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(BASE32[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// The bytes of base32 text, ignoring case, spaces, hyphens and padding; `None` for any other character.
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.chars().filter(|c| !matches!(c, ' ' | '-' | '=')) {
        let upper = c.to_ascii_uppercase() as u32;
        let value = BASE32.iter().position(|b| u32::from(*b) == upper)? as u32;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Some(out)
}

/// The `otpauth://` URI an authenticator app reads (typed, or from a QR code):
/// `otpauth://totp/Sheguan:<account>?secret=…&issuer=Sheguan&algorithm=SHA1&digits=6&period=30`.
pub fn otpauth_uri(account: &str, secret: &[u8]) -> String {
    format!(
        "otpauth://totp/{ISSUER}:{}?secret={}&issuer={ISSUER}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        percent_encode(account),
        base32_encode(secret)
    )
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A recovery code as it is shown: 16 base32 characters in groups of four (`abcd-efgh-ijkl-mnop`).
pub fn recovery_code(bytes: &[u8; RECOVERY_CODE_BYTES]) -> String {
    let plain = base32_encode(bytes).to_lowercase();
    let groups: Vec<&str> = (0..plain.len())
        .step_by(4)
        .map(|i| &plain[i..(i + 4).min(plain.len())])
        .collect();
    groups.join("-")
}

/// A typed recovery code in the one form that is stored (hashed): upper case, without hyphens or spaces;
/// `None` unless it is 16 base32 characters.
pub fn normalize_recovery_code(input: &str) -> Option<String> {
    let code: String = input
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let valid = code.len() == RECOVERY_CODE_BYTES * 8 / 5 && code.bytes().all(|b| BASE32.contains(&b));
    valid.then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B's SHA-1 key: "12345678901234567890".
    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn codes_match_rfc_6238_test_vectors() {
        let vectors = [
            (59, 94287082),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
            (20000000000, 65353130),
        ];
        for (time, expected) in vectors {
            assert_eq!(hotp(RFC_SECRET, step_at(time) as u64, 8), expected, "T = {time}");
            let six = format!("{:06}", expected % 1_000_000);
            assert_eq!(code_at(RFC_SECRET, time), six, "T = {time}");
        }
    }

    #[test]
    fn a_code_counts_one_step_either_way_and_only_once() {
        let now = 1_234_567_890;
        let previous = code_at(RFC_SECRET, now - STEP_SECONDS);
        let next = code_at(RFC_SECRET, now + STEP_SECONDS);
        let two_ago = code_at(RFC_SECRET, now - 2 * STEP_SECONDS);
        let step = step_at(now);
        assert_eq!(
            verify(RFC_SECRET, &code_at(RFC_SECRET, now), now, None),
            Some(step)
        );
        assert_eq!(verify(RFC_SECRET, &previous, now, None), Some(step - 1));
        assert_eq!(verify(RFC_SECRET, &next, now, None), Some(step + 1));
        assert_eq!(verify(RFC_SECRET, &two_ago, now, None), None);
        // Used once, the code (and any before it) is spent.
        assert_eq!(
            verify(RFC_SECRET, &code_at(RFC_SECRET, now), now, Some(step)),
            None
        );
        assert_eq!(verify(RFC_SECRET, &previous, now, Some(step)), None);
        assert_eq!(verify(RFC_SECRET, &next, now, Some(step)), Some(step + 1));
    }

    #[test]
    fn typed_codes_may_have_spaces_but_only_digits() {
        let code = code_at(RFC_SECRET, 59);
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert_eq!(verify(RFC_SECRET, &spaced, 59, None), Some(1));
        assert_eq!(normalize_code("12345"), None);
        assert_eq!(normalize_code("12345a"), None);
        assert_eq!(normalize_code(" 123 456 "), Some("123456".to_owned()));
    }

    #[test]
    fn base32_follows_rfc_4648() {
        for (bytes, text) in [
            (&b""[..], ""),
            (b"f", "MY"),
            (b"fo", "MZXQ"),
            (b"foo", "MZXW6"),
            (b"foob", "MZXW6YQ"),
            (b"fooba", "MZXW6YTB"),
            (b"foobar", "MZXW6YTBOI"),
        ] {
            assert_eq!(base32_encode(bytes), text);
            assert_eq!(base32_decode(text).as_deref(), Some(bytes));
        }
        assert_eq!(
            base32_decode("mzxw 6ytb-oi======").as_deref(),
            Some(&b"foobar"[..])
        );
        assert_eq!(base32_decode("MZXW1"), None);
        assert_eq!(base32_encode(RFC_SECRET), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    }

    #[test]
    fn the_uri_names_the_issuer_and_the_account() {
        assert_eq!(
            otpauth_uri("wang li", RFC_SECRET),
            "otpauth://totp/Sheguan:wang%20li?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Sheguan\
             &algorithm=SHA1&digits=6&period=30"
        );
    }

    #[test]
    fn recovery_codes_are_grouped_and_read_back_in_any_case() {
        let code = recovery_code(&[0xff; RECOVERY_CODE_BYTES]);
        assert_eq!(code, "7777-7777-7777-7777");
        assert_eq!(
            normalize_recovery_code(" 7777-7777-7777-7777 "),
            Some("7777777777777777".to_owned())
        );
        let code = recovery_code(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        assert_eq!(
            normalize_recovery_code(&code.to_uppercase()),
            normalize_recovery_code(&code)
        );
        assert_eq!(normalize_recovery_code("123456"), None);
        assert_eq!(normalize_recovery_code("7777-7777-7777-777!"), None);
    }
}
