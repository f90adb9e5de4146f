//! The contact phone inside a registration matter's application, sealed at rest (`DOMAIN.md` §12). The
//! application is stored as JSON (`payload_json`, shaped by the routes); its phone
//! (`changes.contact_phone`) is taken out of it as it is written and sealed into `phone_cipher`, bound to
//! the matter's `seal_ref`, so the JSON holds `null` there. [`Store::matter_phone`] opens it again for the
//! routes that need it (the matter's page shows it masked; an approval writes it to the registry, sealed).
//! A store without keys leaves it in the JSON and marks the row (`phone_in_clear`, as migration 0028
//! marked every older application that names the field); [`Store::seal_matter_phones`] seals those at
//! every start, and re-seals phones under a retired key for `sheguan keys reseal`.

use serde_json::Value;

use crate::crypto::{Context, DataKeys};
use crate::store::registry::matters::MatterRow;
use crate::store::{Actor, AuditEntry, Store, audited, on_pool};

/// Where a matter's phone is sealed.
pub fn matter_phone_context(seal_ref: &str) -> Context<'_> {
    Context::new("matters", "phone_cipher", seal_ref)
}

/// Where the phone sits in an application.
const PHONE: &str = "/changes/contact_phone";

/// An application as it is stored: the JSON without its phone, and the phone sealed beside it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct StoredPayload {
    pub payload_json: String,
    pub seal_ref: Option<String>,
    pub phone_key_id: Option<String>,
    pub phone_cipher: Option<String>,
    /// The JSON still holds the phone (a store without keys).
    pub phone_in_clear: bool,
}

impl StoredPayload {
    /// `payload_json` with its phone sealed under `keys` for the matter whose seal reference is `seal_ref`
    /// (a new one if it has none). Without keys, or if the JSON cannot be read, it is stored as it is,
    /// marked for the start-up pass.
    pub(crate) fn of(keys: Option<&DataKeys>, payload_json: &str, seal_ref: Option<&str>) -> Self {
        let in_clear = || StoredPayload {
            payload_json: payload_json.to_owned(),
            phone_in_clear: payload_json.contains("contact_phone"),
            ..StoredPayload::default()
        };
        let (Some(keys), Ok(mut payload)) = (keys, serde_json::from_str::<Value>(payload_json)) else {
            return in_clear();
        };
        let phone = match payload.pointer_mut(PHONE) {
            Some(slot @ Value::String(_)) => slot.take(),
            _ => Value::Null,
        };
        let Value::String(phone) = phone else {
            return StoredPayload {
                payload_json: payload_json.to_owned(),
                ..StoredPayload::default()
            };
        };
        let seal_ref = seal_ref.map_or_else(crate::crypto::seal_ref, str::to_owned);
        let sealed = keys.seal(&phone, matter_phone_context(&seal_ref));
        StoredPayload {
            payload_json: payload.to_string(),
            seal_ref: Some(seal_ref),
            phone_key_id: Some(sealed.key_id),
            phone_cipher: Some(sealed.ciphertext),
            phone_in_clear: false,
        }
    }
}

/// A matter whose phone to seal (or seal again), as it stands now: it is only changed if it still does.
#[derive(Debug, Clone, sqlx::FromRow)]
struct PayloadRow {
    id: i64,
    payload_json: String,
    seal_ref: Option<String>,
    phone_key_id: Option<String>,
    phone_cipher: Option<String>,
    phone_in_clear: bool,
}

impl Store {
    /// The contact phone of a matter's application, opened: sealed beside it, or (not sealed yet) in its JSON.
    pub fn matter_phone(&self, row: &MatterRow) -> anyhow::Result<Option<String>> {
        let (Some(key_id), Some(cipher)) = (&row.phone_key_id, &row.phone_cipher) else {
            let payload: Value = serde_json::from_str(&row.payload_json).unwrap_or_default();
            return Ok(payload.pointer(PHONE).and_then(Value::as_str).map(str::to_owned));
        };
        let keys = self
            .data_keys()
            .ok_or_else(|| anyhow::anyhow!("登记事项 {} 的联系电话已加密，但未配置数据密钥", row.id))?;
        let at = matter_phone_context(row.seal_ref.as_deref().unwrap_or_default());
        Ok(Some(keys.open(key_id, cipher, at)?))
    }

    /// Seals the phone of every application that may still hold one in clear and, with `rotate` (`sheguan
    /// keys reseal`), re-seals every phone sealed under another key than the current one; 500 matters a
    /// transaction, each batch with an audit row (how many it sealed and checked, no phone); safe to run again and
    /// from several servers at once (a matter changed meanwhile is left alone). Fails on a phone whose key
    /// is not configured. How many phones it sealed.
    pub async fn seal_matter_phones(
        &self,
        keys: &DataKeys,
        actor: &Actor,
        rotate: bool,
    ) -> anyhow::Result<u64> {
        let columns = "id, payload_json, seal_ref, phone_key_id, phone_cipher, phone_in_clear";
        // Without `rotate`, the partial index of the marked matters answers.
        let sql = if rotate {
            format!(
                "SELECT {columns} FROM matters WHERE id > $1 AND (phone_in_clear OR phone_key_id <> $2)
                 ORDER BY id LIMIT 500"
            )
        } else {
            format!("SELECT {columns} FROM matters WHERE id > $1 AND phone_in_clear ORDER BY id LIMIT 500")
        };
        let (mut after, mut total) = (0, 0);
        loop {
            let rows: Vec<PayloadRow> = on_pool!(self, pool => {
                let mut query = sqlx::query_as(&sql).bind(after);
                if rotate {
                    query = query.bind(keys.current_id());
                }
                query.fetch_all(pool).await?
            });
            let Some(last) = rows.last() else {
                return Ok(total);
            };
            after = last.id;
            let mut stored = Vec::with_capacity(rows.len());
            for row in &rows {
                let payload = match (&row.phone_key_id, &row.phone_cipher) {
                    (Some(key_id), Some(cipher)) if !row.phone_in_clear => {
                        let at = matter_phone_context(row.seal_ref.as_deref().unwrap_or_default());
                        let phone = keys.open(key_id, cipher, at).map_err(|e| {
                            anyhow::anyhow!(
                                "登记事项 {} 的联系电话无法用密钥 {key_id} 解密（{e}）：请把该密钥加入 SHEGUAN_DATA_KEYS_RETIRED",
                                row.id
                            )
                        })?;
                        let mut payload: Value = serde_json::from_str(&row.payload_json)?;
                        let changes = payload
                            .as_object_mut()
                            .map(|p| {
                                p.entry("changes")
                                    .or_insert_with(|| Value::Object(Default::default()))
                            })
                            .and_then(Value::as_object_mut)
                            .ok_or_else(|| anyhow::anyhow!("登记事项 {} 的申请内容无法读取", row.id))?;
                        changes.insert("contact_phone".to_owned(), Value::String(phone));
                        payload.to_string()
                    }
                    _ => row.payload_json.clone(),
                };
                stored.push((
                    row,
                    StoredPayload::of(Some(keys), &payload, row.seal_ref.as_deref()),
                ));
            }
            let sealed = stored.iter().filter(|(_, s)| s.phone_cipher.is_some()).count();
            let audit = AuditEntry {
                actor,
                entity_type: "matters",
                entity_id: format!("{}-{after}", rows[0].id),
                action: "seal_phones",
                before: None,
                after: Some(
                    serde_json::json!({ "key_id": keys.current_id(), "rows": sealed, "checked": stored.len() }),
                ),
                reason: Some("登记事项联系电话加密存储".to_owned()),
            };
            let changed: Result<u64, sqlx::Error> = audited!(self, tx => {
                let mut changed = 0;
                for (row, s) in &stored {
                    let done = sqlx::query(
                        "UPDATE matters SET payload_json = $2, seal_ref = $3, phone_key_id = $4, phone_cipher = $5,
                             phone_in_clear = FALSE
                         WHERE id = $1 AND payload_json = $6 AND phone_in_clear = $7
                           AND COALESCE(phone_key_id, '') = $8",
                    )
                    .bind(row.id)
                    .bind(&s.payload_json)
                    .bind(s.seal_ref.as_deref().or(row.seal_ref.as_deref()))
                    .bind(&s.phone_key_id)
                    .bind(&s.phone_cipher)
                    .bind(&row.payload_json)
                    .bind(row.phone_in_clear)
                    .bind(row.phone_key_id.as_deref().unwrap_or_default())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if s.phone_cipher.is_some() {
                        changed += done;
                    }
                }
                changed
            }, _ => &audit);
            total += changed?;
        }
    }
}
