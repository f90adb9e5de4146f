//! Encryption of personal information at rest (`DOMAIN.md` §12) and keyed hashes to match it.
//!
//! Names, phone and ID numbers of scholarship recipients, petitioners, reporters and organizations' contact
//! phones are sealed with ChaCha20-Poly1305 (authenticated: a changed ciphertext fails to open rather than
//! yielding a wrong name). Each ciphertext is bound to where it is stored: the table, the column and the
//! row's `seal_ref` (a random reference made before the row is inserted and never changed) are its
//! associated data ([`Context`]), so a ciphertext copied to another row or column does not open either.
//! Such ciphertexts are written `v2:<base64>`; older ones (plain base64, sealed without associated data)
//! still open, and `sheguan keys reseal` seals them again bound to their row.
//!
//! Each ciphertext is stored with the id of the key that sealed it, so keys can be rotated:
//!
//! 1. generate a new key: `head -c 32 /dev/urandom | base64`;
//! 2. set `SHEGUAN_DATA_KEY=k2:<new key>` and move the old one into
//!    `SHEGUAN_DATA_KEYS_RETIRED=k1:<old key>` (comma-separated, any number);
//! 3. restart: new rows are sealed with `k2`, old rows still open with `k1`. Keep `k1` among the retired
//!    keys until `sheguan keys reseal` (`cli::reseal`) has re-sealed the old rows under `k2`; then drop it.
//!
//! The matching key (`SHEGUAN_MATCH_KEY`) is separate and is not rotated this way: the duplicate-child check
//! compares HMAC-SHA256 digests of ID numbers, and digests under different keys never match.
//! Without keys the server refuses to start, except in demo mode, which uses fixed development keys.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

const NONCE_LEN: usize = 12;

/// The prefix of ciphertexts bound to their row ([`Context`]); older ones have none (base64 has no `:`).
const BOUND: &str = "v2:";

/// Where a sealed value is stored, bound into its ciphertext as associated data: it opens only there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context<'a> {
    pub table: &'static str,
    pub column: &'static str,
    /// The row's `seal_ref` ([`seal_ref`]).
    pub seal_ref: &'a str,
}

impl<'a> Context<'a> {
    pub fn new(table: &'static str, column: &'static str, seal_ref: &'a str) -> Self {
        Context {
            table,
            column,
            seal_ref,
        }
    }

    fn associated_data(&self) -> Vec<u8> {
        format!("sheguan/{}/{}/{}", self.table, self.column, self.seal_ref).into_bytes()
    }
}

/// A new row's seal reference: 128 random bits, hex. Made before the row is inserted, so its values can be
/// sealed before its id is known, and never changed afterwards.
pub fn seal_ref() -> String {
    use chacha20poly1305::aead::rand_core::RngCore;
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `ciphertext` is bound to its row; older ones are sealed again by `sheguan keys reseal`.
pub fn is_bound(ciphertext: &str) -> bool {
    ciphertext.starts_with(BOUND)
}

/// The keys of personal data: the current sealing key, retired keys that still open old rows, the
/// matching key.
#[derive(Clone)]
pub struct DataKeys {
    current_id: String,
    current: ChaCha20Poly1305,
    retired: Vec<(String, ChaCha20Poly1305)>,
    match_key: [u8; 32],
}

impl std::fmt::Debug for DataKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DataKeys")
            .field("current_id", &self.current_id)
            .finish_non_exhaustive()
    }
}

/// A value sealed under a key: `key_id` is stored beside the ciphertext.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub key_id: String,
    pub ciphertext: String,
}

impl DataKeys {
    /// Reads the keys from configuration values (`[id:]base64` for data keys, base64 for the match key).
    /// Missing keys are refused unless `demo` is on, which falls back to fixed development keys.
    pub fn from_config(
        data_key: Option<&str>,
        retired: Option<&str>,
        match_key: Option<&str>,
        demo: bool,
    ) -> anyhow::Result<Self> {
        let data_key = data_key.map(str::trim).filter(|k| !k.is_empty());
        let match_key = match_key.map(str::trim).filter(|k| !k.is_empty());
        let (current_id, current) = match data_key {
            Some(raw) => parse_key(raw)?,
            None if demo => ("dev".to_owned(), development_key("sheguan-development-data-key")),
            None => anyhow::bail!(
                "未配置个人信息加密密钥：请设置 SHEGUAN_DATA_KEY（32 字节的 base64，可加前缀“密钥编号:”）"
            ),
        };
        let match_key = match match_key {
            Some(raw) => decode_32(raw)?,
            None if demo => development_key("sheguan-development-match-key"),
            None => anyhow::bail!("未配置身份证号比对密钥：请设置 SHEGUAN_MATCH_KEY（32 字节的 base64）"),
        };
        anyhow::ensure!(
            match_key != current,
            "SHEGUAN_MATCH_KEY 不能与 SHEGUAN_DATA_KEY 相同"
        );
        let mut retired_keys = Vec::new();
        for raw in retired
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|k| !k.is_empty())
        {
            let (id, key) = parse_key(raw)?;
            anyhow::ensure!(id != current_id, "已停用的密钥编号 {id} 与当前密钥相同");
            retired_keys.push((id, cipher(&key)));
        }
        Ok(Self {
            current_id,
            current: cipher(&current),
            retired: retired_keys,
            match_key,
        })
    }

    /// Fresh random keys: tests and tools.
    pub fn random() -> Self {
        let key = ChaCha20Poly1305::generate_key(&mut OsRng);
        let match_key = ChaCha20Poly1305::generate_key(&mut OsRng);
        Self {
            current_id: "test".to_owned(),
            current: ChaCha20Poly1305::new(&key),
            retired: Vec::new(),
            match_key: match_key.into(),
        }
    }

    pub fn current_id(&self) -> &str {
        &self.current_id
    }

    /// Seals `plaintext` under the current key with a random nonce, bound to where it is stored (`at`).
    pub fn seal(&self, plaintext: &str, at: Context<'_>) -> Sealed {
        let nonce = ChaCha20Poly1305::generate_nonce(&mut OsRng);
        let aad = at.associated_data();
        let payload = Payload {
            msg: plaintext.as_bytes(),
            aad: &aad,
        };
        let sealed = self
            .current
            .encrypt(&nonce, payload)
            .expect("ChaCha20-Poly1305 encryption of a short value cannot fail");
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        Sealed {
            key_id: self.current_id.clone(),
            ciphertext: format!("{BOUND}{}", BASE64.encode(bytes)),
        }
    }

    /// Seals `plaintext` as values were sealed before they were bound to their rows (no associated data, no
    /// `v2:`): only for tests of the upgrade path; nothing else writes this format any more.
    #[doc(hidden)]
    pub fn seal_unbound(&self, plaintext: &str) -> Sealed {
        let nonce = ChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self
            .current
            .encrypt(&nonce, plaintext.as_bytes())
            .expect("ChaCha20-Poly1305 encryption of a short value cannot fail");
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        Sealed {
            key_id: self.current_id.clone(),
            ciphertext: BASE64.encode(bytes),
        }
    }

    /// Opens a value sealed under `key_id` and stored at `at`; fails if the key is unknown, the ciphertext
    /// was altered, or it was sealed for another row or column. A ciphertext from before values were bound
    /// to their rows (no `v2:`) opens without `at`.
    pub fn open(&self, key_id: &str, ciphertext: &str, at: Context<'_>) -> anyhow::Result<String> {
        let cipher = if key_id == self.current_id {
            &self.current
        } else {
            self.retired
                .iter()
                .find(|(id, _)| id == key_id)
                .map(|(_, c)| c)
                .ok_or_else(|| anyhow::anyhow!("unknown data key id {key_id}"))?
        };
        let (encoded, aad) = match ciphertext.strip_prefix(BOUND) {
            Some(encoded) => (encoded, at.associated_data()),
            None => (ciphertext, Vec::new()),
        };
        let bytes = BASE64.decode(encoded)?;
        anyhow::ensure!(bytes.len() > NONCE_LEN, "ciphertext too short");
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let payload = Payload {
            msg: sealed,
            aad: &aad,
        };
        let plain = cipher.decrypt(Nonce::from_slice(nonce), payload).map_err(|_| {
            anyhow::anyhow!(
                "ciphertext does not open under key {key_id} in {}.{}",
                at.table,
                at.column
            )
        })?;
        Ok(String::from_utf8(plain)?)
    }

    /// HMAC-SHA256 of `value` under the matching key, hex: equal values give equal digests, and the digest
    /// reveals nothing without the key (an ID number has too little entropy for a plain hash).
    pub fn match_digest(&self, value: &str) -> String {
        hex(&hmac(&self.match_key, value.as_bytes()))
    }

    /// The keyed index of a phone number (`domain::privacy::normalize_phone` first): HMAC-SHA256, hex,
    /// under a key of its own derived from the matching key, so an index is never an ID number's digest.
    /// Accounts are found by it at sign-in and kept unique by it, with no phone stored in clear. It is
    /// derived from the matching key, not the data key, because it must not change when the data key
    /// rotates: every stored index would stop matching.
    pub fn phone_index(&self, phone: &str) -> String {
        let key = hmac(&self.match_key, PHONE_INDEX_LABEL);
        let phone = domain::privacy::normalize_phone(phone);
        hex(&hmac(&key, phone.as_bytes()))
    }
}

/// What the phone index's key is derived for (see [`DataKeys::phone_index`]).
const PHONE_INDEX_LABEL: &[u8] = b"sheguan/phone-index/v1";

fn hmac(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(message);
    mac.finalize().into_bytes().into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn cipher(key: &[u8; 32]) -> ChaCha20Poly1305 {
    ChaCha20Poly1305::new(Key::from_slice(key))
}

fn parse_key(raw: &str) -> anyhow::Result<(String, [u8; 32])> {
    let (id, key) = match raw.split_once(':') {
        Some((id, key)) => (id.trim().to_owned(), key),
        None => ("k1".to_owned(), raw),
    };
    anyhow::ensure!(
        !id.is_empty() && id.len() <= 16 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'),
        "密钥编号须为 1–16 位字母、数字或横线"
    );
    Ok((id, decode_32(key)?))
}

fn decode_32(raw: &str) -> anyhow::Result<[u8; 32]> {
    let bytes = BASE64
        .decode(raw.trim())
        .map_err(|_| anyhow::anyhow!("密钥须为 base64 编码"))?;
    bytes
        .try_into()
        .map_err(|_| anyhow::anyhow!("密钥须为 32 字节（base64 编码后 44 个字符）"))
}

/// A fixed key for demo mode only: derived from a public label, so it protects nothing.
fn development_key(label: &str) -> [u8; 32] {
    Sha256::digest(label.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    const AT: Context<'static> = Context {
        table: "petitions",
        column: "name_cipher",
        seal_ref: "0123",
    };

    #[test]
    fn a_sealed_value_opens_to_itself_and_names_its_key() {
        let keys = DataKeys::random();
        let sealed = keys.seal("张小三", AT);
        assert_eq!(sealed.key_id, "test");
        assert!(is_bound(&sealed.ciphertext));
        assert!(!sealed.ciphertext.contains("张小三"));
        assert_eq!(
            keys.open(&sealed.key_id, &sealed.ciphertext, AT).unwrap(),
            "张小三"
        );
    }

    #[test]
    fn an_altered_ciphertext_does_not_open() {
        let keys = DataKeys::random();
        let sealed = keys.seal("340122200603010125", AT);
        let mut bytes = BASE64
            .decode(sealed.ciphertext.strip_prefix(BOUND).unwrap())
            .unwrap();
        bytes[NONCE_LEN] ^= 1;
        let altered = format!("{BOUND}{}", BASE64.encode(bytes));
        assert!(keys.open("test", &altered, AT).is_err());
    }

    #[test]
    fn a_ciphertext_opens_only_in_its_own_row_and_column() {
        let keys = DataKeys::random();
        let sealed = keys.seal("张小三", AT);
        let other_row = Context {
            seal_ref: "4567",
            ..AT
        };
        let other_column = Context {
            column: "phone_cipher",
            ..AT
        };
        let other_table = Context {
            table: "contribution_recipients",
            ..AT
        };
        for at in [other_row, other_column, other_table] {
            assert!(keys.open("test", &sealed.ciphertext, at).is_err(), "{at:?}");
        }
        assert_ne!(seal_ref(), seal_ref());
        assert_eq!(seal_ref().len(), 32);
    }

    #[test]
    fn a_value_sealed_before_values_were_bound_to_rows_still_opens() {
        let keys = DataKeys::random();
        let old = keys.seal_unbound("李四").ciphertext;
        assert!(!is_bound(&old));
        assert_eq!(keys.open("test", &old, AT).unwrap(), "李四");
    }

    #[test]
    fn rows_sealed_under_a_retired_key_still_open_after_rotation() {
        let old = BASE64.encode([1u8; 32]);
        let new = BASE64.encode([2u8; 32]);
        let matching = BASE64.encode([3u8; 32]);
        let before = DataKeys::from_config(Some(&format!("k1:{old}")), None, Some(&matching), false).unwrap();
        let sealed = before.seal("李四", AT);
        let after = DataKeys::from_config(
            Some(&format!("k2:{new}")),
            Some(&format!("k1:{old}")),
            Some(&matching),
            false,
        )
        .unwrap();
        assert_eq!(
            after.open(&sealed.key_id, &sealed.ciphertext, AT).unwrap(),
            "李四"
        );
        assert_eq!(after.seal("李四", AT).key_id, "k2");
        assert_eq!(before.match_digest("x"), after.match_digest("x"));
    }

    #[test]
    fn a_phone_s_index_matches_however_it_is_typed_and_is_not_its_match_digest() {
        let keys = DataKeys::random();
        let index = keys.phone_index("13812345678");
        assert_eq!(index.len(), 64);
        assert_eq!(keys.phone_index("+86 138-1234-5678"), index);
        assert_ne!(keys.phone_index("13812345679"), index);
        assert_ne!(keys.match_digest("13812345678"), index);
        assert_ne!(DataKeys::random().phone_index("13812345678"), index);
    }

    #[test]
    fn without_keys_only_demo_mode_starts() {
        assert!(DataKeys::from_config(None, None, None, false).is_err());
        assert!(DataKeys::from_config(None, None, None, true).is_ok());
    }
}
