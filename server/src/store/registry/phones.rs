//! Organizations' contact phones sealed at rest (`DOMAIN.md` §12): `phone_cipher` under the data key, bound
//! to the row's `seal_ref` (`crate::crypto::Context`), with the mask beside it (`phone_masked`), which is
//! all any answer shows. The store seals the phones it writes itself (seed, import, an approved
//! registration or change); `contact_phone` holds a phone in clear only on rows written before migration
//! 0025 or by a store without keys, and [`Store::seal_phones`] seals those at every start; `sheguan keys
//! reseal` also re-seals phones under a retired key.

use domain::privacy::mask_phone;

use crate::crypto::{Context, DataKeys};
use crate::store::{Actor, AuditEntry, Store, audited, on_pool};

/// Where an organization's phone is sealed.
pub fn phone_context(seal_ref: &str) -> Context<'_> {
    Context::new("organizations", "phone_cipher", seal_ref)
}

/// The columns an organization's phone is written to: sealed when the store has keys, else in clear (the
/// start-up pass seals it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PhoneColumns {
    pub contact_phone: Option<String>,
    pub seal_ref: Option<String>,
    pub phone_key_id: Option<String>,
    pub phone_cipher: Option<String>,
    pub phone_masked: Option<String>,
}

impl PhoneColumns {
    /// `phone` sealed under `keys` for a row whose seal reference is `seal_ref` (a new one if it has none).
    pub(crate) fn of(keys: Option<&DataKeys>, phone: Option<&str>, seal_ref: Option<&str>) -> Self {
        let Some(phone) = phone else {
            return PhoneColumns::default();
        };
        let Some(keys) = keys else {
            return PhoneColumns {
                contact_phone: Some(phone.to_owned()),
                ..PhoneColumns::default()
            };
        };
        let seal_ref = seal_ref.map_or_else(crate::crypto::seal_ref, str::to_owned);
        let sealed = keys.seal(phone, phone_context(&seal_ref));
        PhoneColumns {
            contact_phone: None,
            phone_key_id: Some(sealed.key_id),
            phone_cipher: Some(sealed.ciphertext),
            phone_masked: Some(mask_phone(phone)),
            seal_ref: Some(seal_ref),
        }
    }
}

/// A phone to seal (or seal again): how the row stands now, so that it is only changed if it still does.
#[derive(Debug, Clone, sqlx::FromRow)]
struct PhoneRow {
    id: i64,
    contact_phone: Option<String>,
    seal_ref: Option<String>,
    phone_key_id: Option<String>,
    phone_cipher: Option<String>,
}

impl Store {
    /// The keys this store seals with, if it was given them.
    pub fn data_keys(&self) -> Option<&DataKeys> {
        self.keys.as_deref()
    }

    /// Seals every phone still in clear and, with `rotate` (`sheguan keys reseal`), re-seals every phone
    /// sealed under another key than the current one; 500 organizations a transaction, each batch with an
    /// audit row; safe to run again and from several servers at once (a row changed meanwhile is left
    /// alone). Fails on a phone whose key is not configured. How many phones it sealed.
    pub async fn seal_phones(&self, keys: &DataKeys, actor: &Actor, rotate: bool) -> anyhow::Result<u64> {
        let sql = if rotate {
            "SELECT id, contact_phone, seal_ref, phone_key_id, phone_cipher FROM organizations
             WHERE id > $1 AND (contact_phone IS NOT NULL OR phone_key_id <> $2) ORDER BY id LIMIT 500"
        } else {
            "SELECT id, contact_phone, seal_ref, phone_key_id, phone_cipher FROM organizations
             WHERE id > $1 AND contact_phone IS NOT NULL ORDER BY id LIMIT 500"
        };
        let mut after = 0;
        let mut total = 0;
        loop {
            let rows: Vec<PhoneRow> = on_pool!(self, pool => {
                let mut query = sqlx::query_as(sql).bind(after);
                if rotate {
                    query = query.bind(keys.current_id());
                }
                query.fetch_all(pool).await?
            });
            let Some(last) = rows.last() else {
                return Ok(total);
            };
            after = last.id;
            let mut sealed = Vec::with_capacity(rows.len());
            for row in &rows {
                let phone = match (&row.contact_phone, &row.phone_key_id, &row.phone_cipher) {
                    (Some(clear), _, _) => clear.clone(),
                    (None, Some(key_id), Some(cipher)) => {
                        let at = phone_context(row.seal_ref.as_deref().unwrap_or_default());
                        keys.open(key_id, cipher, at).map_err(|e| {
                            anyhow::anyhow!(
                                "社会组织 {} 的联系电话无法用密钥 {key_id} 解密（{e}）：请把该密钥加入 SHEGUAN_DATA_KEYS_RETIRED",
                                row.id
                            )
                        })?
                    }
                    _ => continue,
                };
                let columns = PhoneColumns::of(Some(keys), Some(&phone), row.seal_ref.as_deref());
                sealed.push((row, columns));
            }
            if sealed.is_empty() {
                continue;
            }
            let audit = AuditEntry {
                actor,
                entity_type: "organizations",
                entity_id: format!("{}-{after}", rows[0].id),
                action: "seal_phones",
                before: None,
                after: Some(serde_json::json!({ "key_id": keys.current_id(), "rows": sealed.len() })),
                reason: Some("联系电话加密存储".to_owned()),
            };
            let changed: Result<u64, sqlx::Error> = audited!(self, tx => {
                let mut changed = 0;
                for (row, c) in &sealed {
                    changed += sqlx::query(
                        "UPDATE organizations SET contact_phone = NULL, seal_ref = $2, phone_key_id = $3,
                             phone_cipher = $4, phone_masked = $5
                         WHERE id = $1 AND COALESCE(contact_phone, '') = $6 AND COALESCE(phone_key_id, '') = $7",
                    )
                    .bind(row.id)
                    .bind(&c.seal_ref)
                    .bind(&c.phone_key_id)
                    .bind(&c.phone_cipher)
                    .bind(&c.phone_masked)
                    .bind(row.contact_phone.as_deref().unwrap_or_default())
                    .bind(row.phone_key_id.as_deref().unwrap_or_default())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                }
                changed
            }, _ => &audit);
            total += changed?;
        }
    }
}
