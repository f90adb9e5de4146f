//! Encryption of personal information at rest (`DOMAIN.md` §12) and keyed hashes to match it.
//!
//! Names and ID numbers of scholarship recipients are sealed with ChaCha20-Poly1305 (authenticated: a
//! changed ciphertext fails to open rather than yielding a wrong name). Each ciphertext is stored with the
//! id of the key that sealed it, so keys can be rotated:
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
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

const NONCE_LEN: usize = 12;

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

    /// Seals `plaintext` under the current key with a random nonce.
    pub fn seal(&self, plaintext: &str) -> Sealed {
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

    /// Opens a value sealed under `key_id`; fails if the key is unknown or the ciphertext was altered.
    pub fn open(&self, key_id: &str, ciphertext: &str) -> anyhow::Result<String> {
        let cipher = if key_id == self.current_id {
            &self.current
        } else {
            self.retired
                .iter()
                .find(|(id, _)| id == key_id)
                .map(|(_, c)| c)
                .ok_or_else(|| anyhow::anyhow!("unknown data key id {key_id}"))?
        };
        let bytes = BASE64.decode(ciphertext)?;
        anyhow::ensure!(bytes.len() > NONCE_LEN, "ciphertext too short");
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let plain = cipher
            .decrypt(Nonce::from_slice(nonce), sealed)
            .map_err(|_| anyhow::anyhow!("ciphertext does not open under key {key_id}"))?;
        Ok(String::from_utf8(plain)?)
    }

    /// HMAC-SHA256 of `value` under the matching key, hex: equal values give equal digests, and the digest
    /// reveals nothing without the key (an ID number has too little entropy for a plain hash).
    pub fn match_digest(&self, value: &str) -> String {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.match_key).expect("HMAC takes any key length");
        mac.update(value.as_bytes());
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
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

    #[test]
    fn a_sealed_value_opens_to_itself_and_names_its_key() {
        let keys = DataKeys::random();
        let sealed = keys.seal("张小三");
        assert_eq!(sealed.key_id, "test");
        assert!(!sealed.ciphertext.contains("张小三"));
        assert_eq!(keys.open(&sealed.key_id, &sealed.ciphertext).unwrap(), "张小三");
    }

    #[test]
    fn an_altered_ciphertext_does_not_open() {
        let keys = DataKeys::random();
        let sealed = keys.seal("340122200603010125");
        let mut bytes = BASE64.decode(&sealed.ciphertext).unwrap();
        bytes[NONCE_LEN] ^= 1;
        assert!(keys.open("test", &BASE64.encode(bytes)).is_err());
    }

    #[test]
    fn rows_sealed_under_a_retired_key_still_open_after_rotation() {
        let old = BASE64.encode([1u8; 32]);
        let new = BASE64.encode([2u8; 32]);
        let matching = BASE64.encode([3u8; 32]);
        let before = DataKeys::from_config(Some(&format!("k1:{old}")), None, Some(&matching), false).unwrap();
        let sealed = before.seal("李四");
        let after = DataKeys::from_config(
            Some(&format!("k2:{new}")),
            Some(&format!("k1:{old}")),
            Some(&matching),
            false,
        )
        .unwrap();
        assert_eq!(after.open(&sealed.key_id, &sealed.ciphertext).unwrap(), "李四");
        assert_eq!(after.seal("李四").key_id, "k2");
        assert_eq!(before.match_digest("x"), after.match_digest("x"));
    }

    #[test]
    fn without_keys_only_demo_mode_starts() {
        assert!(DataKeys::from_config(None, None, None, false).is_err());
        assert!(DataKeys::from_config(None, None, None, true).is_ok());
    }
}
