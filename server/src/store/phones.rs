//! Phone numbers sealed at rest (`DOMAIN.md` §12), in every table that keeps one beside its row:
//! organizations' contact phones (migration 0025) and accounts' numbers (0028). The number is sealed under
//! the data key into `phone_cipher`, bound to the row's `seal_ref` (`crate::crypto::Context`), with its key
//! (`phone_key_id`) and its mask (`phone_masked`), which is all any answer shows; an account's number also
//! keeps its keyed index (`phone_index`, [`DataKeys::phone_index`]), by which sign-in finds it and the
//! unique index keeps it one account's. A store with keys seals the numbers it writes; the column in clear
//! (`contact_phone`, `phone`) holds one only on rows written before the migration or by a store without
//! keys, and [`Store::seal_phones_in`] seals those at every start; `sheguan keys reseal` also re-seals the
//! numbers sealed under a retired key.
//!
//! (A matter's application keeps its phone inside its JSON: `registry/matter_phones.rs`.)

use domain::privacy::mask_phone;

use crate::crypto::{Context, DataKeys};
use crate::store::{Actor, AuditEntry, Store, audited, on_pool};

/// A table whose rows keep a phone number, and how its columns are named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhoneTable {
    pub table: &'static str,
    /// The column a number waits in, in clear, until it is sealed.
    pub clear: &'static str,
    /// Whether the table keeps the number's keyed index (`phone_index`) to be searched by.
    pub indexed: bool,
    /// What a row is, for the operator's error message: `社会组织`.
    pub what: &'static str,
    /// The audit row's reason for a batch sealed.
    pub reason: &'static str,
}

/// Organizations' contact phones.
pub const ORGANIZATION_PHONES: PhoneTable = PhoneTable {
    table: "organizations",
    clear: "contact_phone",
    indexed: false,
    what: "社会组织的联系电话",
    reason: "联系电话加密存储",
};

/// Accounts' phone numbers (they sign in by them).
pub const ACCOUNT_PHONES: PhoneTable = PhoneTable {
    table: "users",
    clear: "phone",
    indexed: true,
    what: "账户的手机号",
    reason: "账户手机号加密存储",
};

impl PhoneTable {
    /// Where a number of this table is sealed, in the row whose seal reference is `seal_ref`.
    pub fn context<'a>(&self, seal_ref: &'a str) -> Context<'a> {
        Context::new(self.table, "phone_cipher", seal_ref)
    }
}

/// The columns a phone number is written to: sealed when the store has keys, else in clear (the start-up
/// pass seals it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PhoneColumns {
    /// The number in clear: only without keys.
    pub clear: Option<String>,
    pub seal_ref: Option<String>,
    pub phone_key_id: Option<String>,
    pub phone_cipher: Option<String>,
    pub phone_masked: Option<String>,
    /// The keyed index, for an indexed table.
    pub phone_index: Option<String>,
}

impl PhoneColumns {
    /// `phone` sealed under `keys` in `table`, for a row whose seal reference is `seal_ref` (a new one if it
    /// has none).
    pub(crate) fn of(
        table: &PhoneTable,
        keys: Option<&DataKeys>,
        phone: Option<&str>,
        seal_ref: Option<&str>,
    ) -> Self {
        let Some(phone) = phone else {
            return PhoneColumns::default();
        };
        let Some(keys) = keys else {
            return PhoneColumns {
                clear: Some(phone.to_owned()),
                ..PhoneColumns::default()
            };
        };
        let seal_ref = seal_ref.map_or_else(crate::crypto::seal_ref, str::to_owned);
        let sealed = keys.seal(phone, table.context(&seal_ref));
        PhoneColumns {
            clear: None,
            phone_key_id: Some(sealed.key_id),
            phone_cipher: Some(sealed.ciphertext),
            phone_masked: Some(mask_phone(phone)),
            phone_index: table.indexed.then(|| keys.phone_index(phone)),
            seal_ref: Some(seal_ref),
        }
    }
}

/// A number to seal (or seal again): how the row stands now, so that it is only changed if it still does.
#[derive(Debug, Clone, sqlx::FromRow)]
struct PhoneRow {
    id: i64,
    clear: Option<String>,
    seal_ref: Option<String>,
    phone_key_id: Option<String>,
    phone_cipher: Option<String>,
}

impl Store {
    /// The keys this store seals with, if it was given them.
    pub fn data_keys(&self) -> Option<&DataKeys> {
        self.keys.as_deref()
    }

    /// Seals every number of `table` still in clear and, with `rotate` (`sheguan keys reseal`), re-seals
    /// every number sealed under another key than the current one; 500 rows a transaction, each batch with
    /// an audit row (no number in it); safe to run again and from several servers at once (a row changed
    /// meanwhile is left alone). Fails on a number whose key is not configured. How many it sealed.
    pub async fn seal_phones_in(
        &self,
        table: &PhoneTable,
        keys: &DataKeys,
        actor: &Actor,
        rotate: bool,
    ) -> anyhow::Result<u64> {
        let PhoneTable {
            table: name, clear, ..
        } = *table;
        let columns = format!("id, {clear} AS clear, seal_ref, phone_key_id, phone_cipher");
        // Without `rotate`, the partial index of the numbers in clear answers.
        let sql = if rotate {
            format!(
                "SELECT {columns} FROM {name} WHERE id > $1 AND ({clear} IS NOT NULL OR phone_key_id <> $2)
                 ORDER BY id LIMIT 500"
            )
        } else {
            format!(
                "SELECT {columns} FROM {name} WHERE id > $1 AND {clear} IS NOT NULL ORDER BY id LIMIT 500"
            )
        };
        let index = if table.indexed { ", phone_index = $8" } else { "" };
        let update = format!(
            "UPDATE {name} SET {clear} = NULL, seal_ref = $2, phone_key_id = $3, phone_cipher = $4,
                 phone_masked = $5{index}
             WHERE id = $1 AND COALESCE({clear}, '') = $6 AND COALESCE(phone_key_id, '') = $7"
        );
        let (mut after, mut total) = (0, 0);
        loop {
            let rows: Vec<PhoneRow> = on_pool!(self, pool => {
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
            let mut sealed = Vec::with_capacity(rows.len());
            for row in &rows {
                let phone = match (&row.clear, &row.phone_key_id, &row.phone_cipher) {
                    (Some(clear), _, _) => clear.clone(),
                    (None, Some(key_id), Some(cipher)) => {
                        let at = table.context(row.seal_ref.as_deref().unwrap_or_default());
                        keys.open(key_id, cipher, at).map_err(|e| {
                            anyhow::anyhow!(
                                "{} {} 无法用密钥 {key_id} 解密（{e}）：请把该密钥加入 SHEGUAN_DATA_KEYS_RETIRED",
                                table.what,
                                row.id
                            )
                        })?
                    }
                    _ => continue,
                };
                let columns = PhoneColumns::of(table, Some(keys), Some(&phone), row.seal_ref.as_deref());
                sealed.push((row, columns));
            }
            if sealed.is_empty() {
                continue;
            }
            let audit = AuditEntry {
                actor,
                entity_type: name,
                entity_id: format!("{}-{after}", rows[0].id),
                action: "seal_phones",
                before: None,
                after: Some(serde_json::json!({ "key_id": keys.current_id(), "rows": sealed.len() })),
                reason: Some(table.reason.to_owned()),
            };
            let changed: Result<u64, sqlx::Error> = audited!(self, tx => {
                let mut changed = 0;
                for (row, c) in &sealed {
                    let mut query = sqlx::query(&update)
                        .bind(row.id)
                        .bind(&c.seal_ref)
                        .bind(&c.phone_key_id)
                        .bind(&c.phone_cipher)
                        .bind(&c.phone_masked)
                        .bind(row.clear.as_deref().unwrap_or_default())
                        .bind(row.phone_key_id.as_deref().unwrap_or_default());
                    if table.indexed {
                        query = query.bind(&c.phone_index);
                    }
                    changed += query.execute(&mut *tx).await?.rows_affected();
                }
                changed
            }, _ => &audit);
            total += changed?;
        }
    }
}
